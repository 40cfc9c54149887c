import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { CsvError } from '../analysis/core/csv.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { ImportFileError, csoColumns } from './directory.import.ts';
import { runDirectoryCommand } from './directory.cli.ts';
import { createDirectoryRepository } from './directory.repository.ts';

const header = csoColumns.join(',');
const csv = (...rows: string[]) => new TextEncoder().encode([header, ...rows].join('\r\n') + '\r\n');

async function count(t: TestApp, where: string): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await t.deps.db.get().execute(sql.raw(`select count(*)::int as n from organisations where ${where}`)),
  );
  return rows[0]!.n;
}

describe('reference bodies', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.deps.directory.importReferenceBodies();
  });
  after(() => t.close());

  test('every GOV.UK organisation and every council is present, with parents, nations and codes', async () => {
    assert.equal(await count(t, `source = 'govuk'`), 665);
    assert.equal(await count(t, `gss_code is not null`), 398);
    assert.equal(await count(t, `source = 'nhs'`), 6);
    const rows = rowsOf<{
      slug: string;
      parent: string | null;
      nation: string;
      type: string;
      gss: string | null;
    }>(
      await t.deps.db.get().execute(sql`
        select o.slug, p.slug as parent, o.nation, o.public_body_type as type, o.gss_code as gss
        from organisations o left join organisations p on p.id = o.parent_id
        where o.slug in ('active-travel-england', 'department-for-education', 'arts-council-of-wales',
          'hartlepool-borough-council', 'greater-manchester-combined-authority', 'nhs-england')`),
    );
    const bySlug = Object.fromEntries(rows.map((r) => [r.slug, r]));
    assert.equal(bySlug['active-travel-england']?.parent, 'department-for-transport');
    assert.equal(bySlug['active-travel-england']?.type, 'executive_agency');
    assert.equal(bySlug['department-for-education']?.type, 'department');
    assert.equal(bySlug['arts-council-of-wales']?.nation, 'wales');
    assert.equal(bySlug['hartlepool-borough-council']?.gss, 'E06000001');
    assert.equal(bySlug['hartlepool-borough-council']?.parent, null);
    assert.equal(bySlug['hartlepool-borough-council']?.nation, 'england');
    assert.equal(bySlug['greater-manchester-combined-authority']?.type, 'combined_authority');
    assert.equal(bySlug['nhs-england']?.type, 'nhs_body');
    // Every GOV.UK parent slug resolves.
    assert.equal(
      await count(t, `source = 'govuk' and cardinality(parent_slugs) > 0 and parent_id is null`),
      0,
    );
  });

  test('re-importing changes nothing; a body missing from a newer file is closed, not deleted', async () => {
    const again = await t.deps.directory.importReferenceBodies();
    assert.deepEqual(again, { inserted: 0, updated: 0, unchanged: 398 + 665 + 6, closed: 0 });
    const govuk =
      'slug,name,type,parent_slugs,status\ndepartment-for-education,Department for Education,Ministerial department,,live\n';
    const result = await t.deps.directory.importReferenceBodies(systemActor, { govuk });
    assert.equal(result.closed, 664);
    assert.equal(await count(t, `status = 'closed'`), 664);
  });
});

describe('CSO import', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.deps.directory.importReferenceBodies();
  });
  after(() => t.close());

  test('a dry run reports row-level errors and writes nothing', async () => {
    const plan = await t.deps.directory.dryRunCsos(
      csv(
        'Good Neighbours,1234567,,,small,,,E06000001,community;older-people',
        ',1234568,,,,,,,',
        'Bad Number,12345,,,,,,,',
        'Unknown Area,,,,,,,E99999999,',
        'Big,,,,,,,,' + 'x'.repeat(10),
        'Dup,1234567,,,,,,,',
        '"Quoted, with ""quotes""\nand a line break",SC012345,scotland,SC123456,,,,S12000033,',
        `${'y'.repeat(300)},,,,,,,,`,
        'Wrong Area,,,,,,,,gardening',
      ),
    );
    assert.equal(plan.rows, 9);
    const byRow = Object.fromEntries(plan.errors.map((e) => [e.row, e.key]));
    assert.equal(byRow[2], 'nameMissing');
    assert.equal(byRow[3], 'identifier.charityEnglandWales');
    assert.equal(byRow[4], 'localAuthorityUnknown');
    assert.equal(byRow[5], 'areaUnknown');
    assert.equal(byRow[6], 'duplicateInFile');
    assert.equal(byRow[8], 'tooLong');
    assert.equal(byRow[9], 'areaUnknown');
    assert.equal(byRow[1], undefined);
    assert.equal(byRow[7], undefined, 'quotes and line breaks are handled');
    assert.equal(plan.errors.find((e) => e.row === 8)?.line, 10, 'line numbers count the quoted line break');
    assert.equal(await count(t, `kind = 'cso'`), 0);
    // And the import itself refuses the file whole.
    const { imported } = await t.deps.directory.importCsos(
      systemActor,
      csv('Good Neighbours,1234567,,,,,,,', ',,,,,,,,'),
    );
    assert.equal(imported, false);
    assert.equal(await count(t, `kind = 'cso'`), 0);
  });

  test('wrong columns and bad encodings are one clear message', async () => {
    await assert.rejects(
      t.deps.directory.dryRunCsos(new TextEncoder().encode('name,charity\nA,1\n')),
      (e: Error) => e instanceof ImportFileError && /expected "name,charity_number,register/.test(e.message),
    );
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(header, 'utf16le')]);
    await assert.rejects(t.deps.directory.dryRunCsos(utf16), /UTF-16/);
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode(`${header}\nCaf`),
      0xe9,
      ...new TextEncoder().encode(',,,,,,,,\n'),
    ]);
    await assert.rejects(t.deps.directory.dryRunCsos(latin1), /not valid UTF-8.*line 2/);
  });

  test('importing twice is idempotent; duplicates against the database match rather than duplicate', async () => {
    const file = csv(
      'Alpha Trust,1234567,,01234567,medium,,,E06000001,health',
      'Beta Group,,,,micro,,,E06000002,',
      'Gamma SCIO,SC012345,scotland,,,,,S12000033,',
      'Delta NI,NIC100123,,,,,,N09000001,',
    );
    const first = await t.deps.directory.importCsos(systemActor, file);
    assert.equal(first.imported, true);
    assert.deepEqual(first.plan.counts, { new: 4, updated: 0, unchanged: 0 });
    const second = await t.deps.directory.importCsos(systemActor, file);
    assert.deepEqual(second.plan.counts, { new: 0, updated: 0, unchanged: 4 });
    assert.equal(await count(t, `kind = 'cso'`), 4);
    const changed = await t.deps.directory.dryRunCsos(
      csv('Alpha Trust (renamed),1234567,,,large,,,E06000001,health'),
    );
    assert.deepEqual(changed.counts, { new: 0, updated: 1, unchanged: 0 });
    const alpha = rowsOf<{ nation: string; region: string }>(
      await t.deps.db.get().execute(sql`select nation, region from organisations where name = 'Alpha Trust'`),
    );
    assert.deepEqual(
      alpha[0],
      { nation: 'england', region: 'North East' },
      'nation and region come from the council',
    );
  });

  test('100,000 rows import in one transaction, and a failure part-way leaves nothing', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 100_000; i++)
      rows.push(`Bulk Organisation ${i},${2_000_000 + i},,,small,,,E06000001,community`);
    const good = csv(...rows);
    const result = await t.deps.directory.importCsos(systemActor, good);
    assert.equal(result.imported, true);
    assert.equal(result.plan.counts.new, 100_000);
    const before = await count(t, `kind = 'cso'`);
    // A database failure after the organisations were written (before their identifiers) rolls back everything.
    const repo = t.deps.directory;
    const bad = csv(
      ...rows.slice(0, 5000).map((r) => r.replace('Bulk', 'Other').replace(/,2(\d{6}),/, ',3$1,')),
    );
    const original = t.deps.db.get;
    let calls = 0;
    (t.deps.db as { get: typeof original }).get = () => {
      if (++calls === 10) throw new Error('simulated failure');
      return original();
    };
    await assert.rejects(repo.importCsos(systemActor, bad), /simulated failure/);
    (t.deps.db as { get: typeof original }).get = original;
    assert.equal(await count(t, `kind = 'cso'`), before);
  });

  test('a number given twice in one row is one identifier, and the row imports', async () => {
    const { imported, plan } = await t.deps.directory.importCsos(
      systemActor,
      csv('Twice Listed Trust,1089466;1089466,,,,,,,', 'Twice NI,NIC100777;100777,northern-ireland,,,,,,'),
    );
    assert.deepEqual(plan.errors, []);
    assert.equal(imported, true);
    assert.deepEqual(
      plan.planned.map((p) => p.identifiers.map((i) => i.orgId)),
      [['GB-CHC-1089466'], ['GB-NIC-100777']],
    );
  });

  test('a hidden control character (a NUL byte) is a row error, not a failed write', async () => {
    const { imported, plan } = await t.deps.directory.importCsos(
      systemActor,
      csv('Null\u0000 Byte Trust,1100030,,,,,,,'),
    );
    assert.equal(imported, false);
    assert.deepEqual(
      plan.errors.map((e) => [e.row, e.field, e.key]),
      [[1, 'name', 'controlCharacter']],
    );
    assert.equal(await count(t, `name like 'Null%'`), 0);
    const bell = await t.deps.directory.dryRunCsos(csv('Bell Trust,1100031,,0123\u00074567,,,,,'));
    assert.deepEqual(
      bell.errors.map((e) => [e.row, e.field, e.key]),
      [[1, 'company_number', 'controlCharacter']],
    );
  });

  test('a charity number with a leading zero is the same charity as without it', async () => {
    const plan = await t.deps.directory.dryRunCsos(
      csv('Old Charity,207077,,,,,,,', 'Old Charity again,0207077,,,,,,,'),
    );
    assert.deepEqual(
      plan.errors.map((e) => [e.row, e.key, e.params?.value]),
      [[2, 'duplicateInFile', 'GB-CHC-207077']],
    );
  });

  test('two rows for one organisation already in the directory are a duplicate, not two updates', async () => {
    await t.deps.directory.importCsos(systemActor, csv('Both Numbers Trust,1100040,,01100040,,,,,'));
    const plan = await t.deps.directory.dryRunCsos(
      csv('By Charity Number,1100040,,,small,,,,', 'By Company Number,,,01100040,large,,,,'),
    );
    assert.deepEqual(
      plan.errors.map((e) => [e.row, e.field, e.key, e.params?.first]),
      [[2, 'company_number', 'sameOrganisationInFile', 1]],
    );
  });

  test('the CLI does a dry run and an import', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cso-'));
    const file = path.join(dir, 'csos.csv');
    writeFileSync(file, csv('Epsilon Trust,1111111,,,,,,,'));
    const out: string[] = [];
    const io = {
      stdout: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
    };
    assert.equal(await runDirectoryCommand(['import-csos', file, '--dry-run'], io, t.deps), 0);
    assert.match(out.join(''), /Dry run: 1 rows: 1 new/);
    assert.equal(await runDirectoryCommand(['import-csos', file], io, t.deps), 0);
    writeFileSync(file, csv('Zeta,99,,,,,,,'));
    assert.equal(await runDirectoryCommand(['import-csos', file], io, t.deps), 1);
    assert.match(
      out.join(''),
      /row 1 \(line 2\), charity_number: 99 is not an England and Wales charity number/,
    );
    assert.equal(await runDirectoryCommand(['nothing'], io, t.deps), 2);
  });
});

describe('re-importing newer reference files', () => {
  let t: TestApp;
  const govukHeader = 'slug,name,type,parent_slugs,status';
  const laHeader = 'gss_code,name,type,region,nation';
  const govukV1 = [
    govukHeader,
    'department-for-transport,Department for Transport,Ministerial department,,live',
    'department-for-education,Department for Education,Ministerial department,,live',
    'active-travel-england,Active Travel England,Executive agency,department-for-transport,exempt',
    'ofsted,Ofsted,Non-ministerial department,,live',
  ].join('\n');
  const laV1 = [
    laHeader,
    'E06000001,Hartlepool Borough Council,unitary,North East,England',
    'E06000002,Middlesbrough Borough Council,unitary,North East,England',
  ].join('\n');
  const v1 = { govuk: govukV1, localAuthorities: laV1 };
  const newAgency = '\nnew-agency,New Agency,Executive agency,department-for-education,live';
  const redcar = '\nE06000003,Redcar and Cleveland Borough Council,unitary,North East,England';
  /** v1 with a body and a council added (what the tests below start from). */
  const v2 = { govuk: govukV1 + newAgency, localAuthorities: laV1 + redcar };

  type Snapshot = { slug: string; name: string; status: string; parent: string | null; id: string }[];
  async function snapshot(): Promise<Snapshot> {
    return rowsOf(
      await t.deps.db.get().execute(sql`
        select o.id, o.slug, o.name, o.status, p.slug as parent
        from organisations o left join organisations p on p.id = o.parent_id order by o.slug`),
    );
  }
  async function body(slug: string) {
    return (await snapshot()).find((r) => r.slug === slug);
  }

  before(async () => {
    t = await createTestApp();
    const first = await t.deps.directory.importReferenceBodies(systemActor, v1);
    assert.deepEqual(first, { inserted: 4 + 2 + 6, updated: 0, unchanged: 0, closed: 0 });
  });
  after(() => t.close());

  test('a renamed body keeps its id, slug, leads and memberships; an added body appears', async () => {
    const ate = (await body('active-travel-england'))!;
    const hartlepool = (await body('hartlepool-borough-council'))!;
    const lead = {
      name: 'A Lead',
      roleTitle: 'Director',
      contactEmail: 'lead@example.org',
      contactUrl: null,
    };
    await createDirectoryRepository(t.deps.db).upsertLead(
      ate.id,
      'senior_civil_service',
      lead,
      t.clock.now(),
      true,
    );
    const users = rowsOf<{ id: string }>(
      await t.deps.db
        .get()
        .execute(sql`insert into users (email, display_name) values ('m@example.org', 'M') returning id`),
    );
    await t.deps.db
      .get()
      .execute(
        sql`insert into memberships (user_id, organisation_id, role) values (${users[0]!.id}, ${hartlepool.id}, 'body_lead')`,
      );
    const result = await t.deps.directory.importReferenceBodies(systemActor, {
      govuk: govukV1.replace('Active Travel England,', 'Active Travel England (Renamed),') + newAgency,
      localAuthorities: laV1.replace('Hartlepool Borough Council', 'Hartlepool Council') + redcar,
    });
    assert.deepEqual(result, { inserted: 2, updated: 2, unchanged: 10, closed: 0 });
    assert.deepEqual(await body('active-travel-england'), {
      ...ate,
      name: 'Active Travel England (Renamed)',
    });
    assert.deepEqual(await body('hartlepool-borough-council'), { ...hartlepool, name: 'Hartlepool Council' });
    assert.equal((await body('new-agency'))?.parent, 'department-for-education');
    assert.equal((await body('redcar-and-cleveland-borough-council'))?.status, 'live');
    assert.equal((await createDirectoryRepository(t.deps.db).leadsOf(ate.id)).length, 1);
    const members = rowsOf<{ n: number }>(
      await t.deps.db
        .get()
        .execute(sql`select count(*)::int as n from memberships where organisation_id = ${hartlepool.id}`),
    );
    assert.equal(members[0]!.n, 1);
  });

  test('the same newer files imported again change nothing', async () => {
    const files = v2;
    assert.equal((await t.deps.directory.importReferenceBodies(systemActor, files)).updated, 2);
    const before = await snapshot();
    const again = await t.deps.directory.importReferenceBodies(systemActor, files);
    assert.deepEqual(again, { inserted: 0, updated: 0, unchanged: 14, closed: 0 });
    assert.deepEqual(await snapshot(), before);
  });

  test('a changed parent moves the body; a parent dropped from the file clears it', async () => {
    const moved = await t.deps.directory.importReferenceBodies(systemActor, {
      ...v2,
      govuk: v2.govuk.replace(',department-for-transport,exempt', ',department-for-education,exempt'),
    });
    assert.equal(moved.updated, 1);
    assert.equal((await body('active-travel-england'))?.parent, 'department-for-education');
    await t.deps.directory.importReferenceBodies(systemActor, {
      ...v2,
      govuk: v2.govuk.replace(',department-for-transport,exempt', ',,exempt'),
    });
    assert.equal((await body('active-travel-england'))?.parent, null);
    // A first parent GOV.UK lists but the directory lacks: the next listed parent that it has.
    await t.deps.directory.importReferenceBodies(systemActor, {
      ...v2,
      govuk: v2.govuk.replace(
        ',department-for-transport,exempt',
        ',not-in-the-file;department-for-transport,exempt',
      ),
    });
    assert.equal((await body('active-travel-england'))?.parent, 'department-for-transport');
    await t.deps.directory.importReferenceBodies(systemActor, v2);
  });

  test('a body missing from a newer file is closed, not deleted, and reopens when it comes back', async () => {
    const without = await t.deps.directory.importReferenceBodies(systemActor, {
      govuk: v2.govuk.replace(/\nofsted,.*/, ''),
      localAuthorities: v2.localAuthorities.replace(/\nE06000002,.*/, ''),
    });
    assert.equal(without.closed, 2);
    assert.equal((await body('ofsted'))?.status, 'closed');
    assert.equal((await body('middlesbrough-borough-council'))?.status, 'closed');
    const search = await t.deps.directory.search({
      q: 'Middlesbrough',
      kinds: ['public_body'],
      limit: 20,
      offset: 0,
    });
    assert.equal(search.hits.length, 0, 'closed bodies are not listed');
    const back = await t.deps.directory.importReferenceBodies(systemActor, v2);
    assert.equal(back.updated, 2);
    assert.equal((await body('ofsted'))?.status, 'live');
    assert.equal((await body('middlesbrough-borough-council'))?.status, 'live');
  });

  test('the CLI refuses a file that is not UTF-8 or has the wrong columns, and changes nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bodies-'));
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, v2.localAuthorities.replace('Hartlepool Borough Council', 'Hartlepool Council'));
    const out: string[] = [];
    const io = {
      stdout: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
    };
    const before = await snapshot();
    const latin1 = path.join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.concat([Buffer.from(v2.govuk), Buffer.from([0xe9, 0x0a])]));
    const utf16 = path.join(dir, 'utf16.csv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(v2.govuk, 'utf16le')]));
    const wrongColumns = path.join(dir, 'councils-as-govuk.csv');
    writeFileSync(wrongColumns, v2.localAuthorities);
    const cases: [string, RegExp][] = [
      [latin1, /latin1\.csv: The file is not valid UTF-8 \(first bad byte 0xe9 on line 6\)/],
      [utf16, /utf16\.csv: The file is encoded as UTF-16/],
      [wrongColumns, /govuk_organisations\.csv has header "gss_code,name,type,region,nation" but expected/],
    ];
    for (const [file, message] of cases) {
      out.length = 0;
      const code = await runDirectoryCommand(
        ['import-bodies', '--local-authorities', good, '--govuk', file],
        io,
        t.deps,
      );
      assert.equal(code, 1, file);
      assert.match(out.join(''), message);
      assert.match(out.join(''), /Nothing was imported/);
      assert.deepEqual(await snapshot(), before, 'the valid councils file was not imported either');
    }
    out.length = 0;
    assert.equal(await runDirectoryCommand(['import-bodies', '--local-authorities', good], io, t.deps), 0);
    assert.equal((await body('hartlepool-borough-council'))?.name, 'Hartlepool Council');
  });

  test('an empty file or one with a header and no rows is refused, and closes nothing', async () => {
    const before = await snapshot();
    for (const [files, message] of [
      [{ govuk: '' }, /govuk_organisations\.csv is empty/],
      [{ govuk: govukHeader + '\n\n' }, /govuk_organisations\.csv has a header but no rows/],
      [{ ...v2, localAuthorities: laHeader }, /local_authorities\.csv has a header but no rows/],
    ] as const) {
      await assert.rejects(
        t.deps.directory.importReferenceBodies(systemActor, files),
        (e: Error) => e instanceof CsvError && message.test(e.message),
      );
      assert.deepEqual(await snapshot(), before);
    }
  });

  test('a row without its key or name, or a key given twice, refuses the file', async () => {
    const before = await snapshot();
    for (const [files, message] of [
      [
        { ...v2, govuk: v2.govuk + '\n,Nameless Slug,Other,,live' },
        /govuk_organisations\.csv line 7 has no slug/,
      ],
      [{ ...v2, govuk: v2.govuk + '\nno-name,,Other,,live' }, /line 7 has no name/],
      [
        { ...v2, govuk: v2.govuk + '\nofsted,Ofsted Again,Other,,live' },
        /line 7 repeats slug ofsted from line 5/,
      ],
      [
        { ...v2, localAuthorities: v2.localAuthorities + '\n ,Blank Council,unitary,North East,England' },
        /local_authorities\.csv line 5 has no gss_code/,
      ],
      [
        { ...v2, localAuthorities: v2.localAuthorities + '\nE06000001,Hartlepool Again,unitary,,England' },
        /line 5 repeats gss_code E06000001 from line 2/,
      ],
    ] as const) {
      await assert.rejects(
        t.deps.directory.importReferenceBodies(systemActor, files),
        (e: Error) => e instanceof CsvError && message.test(e.message),
      );
      assert.deepEqual(await snapshot(), before);
    }
  });
});
