import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { systemActor, type Actor } from '../../platform/audit/audit.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createPerson } from '../../../test/helpers/analysis.ts';
import { decodeCsvBytes, readCsvTable } from './core/csv.ts';
import type { Embedder } from './core/embeddings.ts';
import { createAnalysisRepository } from './analysis.repository.ts';
import {
  AnalysisRuleError,
  createAnalysisService,
  parseItemsCsv,
  type AnalysisService,
} from './analysis.service.ts';
import { EmbeddingsError } from './embeddings.onnx.ts';

const fixture = (name: string, required: string[]) =>
  readCsvTable(
    decodeCsvBytes(readFileSync(new URL(`../../../test/fixtures/analysis/${name}`, import.meta.url))),
    { required },
  ).records;
const answers = fixture('answers.csv', ['id', 'text']).map((r) => ({ id: r.id!, text: r.text! }));
const truth = new Map(fixture('truth.csv', ['id', 'labels']).map((r) => [r.id!, r.labels!.split('|')]));

let test: TestApp;
let analysis: AnalysisService;
let analyst: CurrentUser;
let second: CurrentUser;
let actor: Actor;

before(async () => {
  test = await createTestApp();
  analysis = test.deps.analysis;
  analyst = await createPerson(test.deps, 'admin', 'Ada Analyst');
  second = await createPerson(test.deps, 'panel_member', 'Bo Panel');
  actor = { userId: analyst.id, requestId: 'test' };
});
after(() => test.close());

const rejects = (promise: Promise<unknown>, key: string) =>
  assert.rejects(promise, (e: unknown) => e instanceof AnalysisRuleError && e.messageKey === key);

async function themedSet(items = answers.slice(0, 160), k?: number) {
  const set = await analysis.createSet(actor, { name: 'Review 2026, question 4', source: 'upload', items });
  const run = await analysis.runThemes(analyst, actor, set.id, { k, seed: 7 });
  assert.equal(run.status, 'done');
  return { set, run, overview: await analysis.overview(analyst, set.id) };
}

describe('analysis sets', () => {
  it('creates a set for another module with its source reference, and refuses bad input clearly', async () => {
    const set = await analysis.createSet(systemActor, {
      name: 'Consultation para 3',
      source: 'consultation_paragraph',
      sourceRef: 'para-3',
      items: [{ id: 'a', text: 'Too short a window.' }],
    });
    assert.equal(set.sourceRef, 'para-3');
    await rejects(
      analysis.createSet(actor, { name: 'Empty', source: 'upload', items: [] }),
      'analysis.errors.noItems',
    );
    await rejects(
      analysis.createSet(actor, {
        name: 'Twice',
        source: 'upload',
        items: [
          { id: 'a', text: 'x' },
          { id: 'a', text: 'y' },
        ],
      }),
      'analysis.errors.duplicateId',
    );
    await rejects(
      analysis.createSet(actor, {
        name: 'Huge',
        source: 'upload',
        items: [{ id: 'a', text: 'x'.repeat(20_001) }],
      }),
      'analysis.errors.textTooLong',
    );
  });

  it('parses an id,text CSV and explains a wrong header', () => {
    assert.deepEqual(parseItemsCsv('id,text\r\n1,"Hello, there"\r\n'), [{ id: '1', text: 'Hello, there' }]);
    assert.throws(
      () => parseItemsCsv('ref,answer\n1,Hello\n'),
      (e: unknown) =>
        e instanceof AnalysisRuleError &&
        e.messageKey === 'analysis.errors.csv' &&
        /expected "id,text"/.test(String(e.params.detail)),
    );
    assert.throws(
      () => parseItemsCsv('id,text\n,Hello\n'),
      (e: unknown) => e instanceof AnalysisRuleError && e.messageKey === 'analysis.errors.csvEmptyId',
    );
  });

  it('only analysts may use it', async () => {
    const member = await createPerson(test.deps, 'cso_member');
    await assert.rejects(analysis.listSets(member), { statusCode: 403 });
    await assert.rejects(analysis.listSets(null), { statusCode: 403 });
    await assert.rejects(analysis.createSetFromCsv(member, actor, { name: 'x', csv: 'id,text\n1,a\n' }), {
      statusCode: 403,
    });
  });
});

describe('theme runs', () => {
  it('stores themes with sizes, key phrases and 3 quotes, and the same seed gives the same stored run', async () => {
    const { set, run, overview } = await themedSet();
    assert.equal(run.engineVersion.startsWith('covenant-analysis-core/'), true);
    const topics = overview.themes.filter((t) => t.kind === 'topic');
    assert.ok(topics.length >= 2);
    assert.equal(
      overview.themes.reduce((n, t) => n + t.size, 0),
      160,
    );
    for (const t of topics) {
      assert.ok(t.keyPhrases.length > 0);
      assert.ok(t.quotes.length > 0 && t.quotes.length <= 3);
    }
    assert.ok(
      overview.sentiment &&
        overview.sentiment.positive + overview.sentiment.negative + overview.sentiment.neutral > 0,
    );

    const again = await analysis.runThemes(analyst, actor, set.id, { seed: 7 });
    const second = await analysis.overview(analyst, set.id);
    assert.equal(second.run?.id, again.id);
    const shape = (o: Awaited<ReturnType<AnalysisService['overview']>>) =>
      o.themes.map((t) => ({
        label: t.label,
        size: t.size,
        phrases: t.keyPhrases,
        quotes: t.quotes.map((q) => q.externalId),
      }));
    assert.deepEqual(shape(second), shape(overview));
  });

  it('queues a run for the worker and the job carries it out', async () => {
    const set = await analysis.createSet(actor, {
      name: 'Queued',
      source: 'upload',
      items: answers.slice(0, 40),
    });
    const run = await analysis.requestRun(analyst, actor, set.id, { k: 3 });
    assert.equal(run.status, 'queued');
    assert.equal(await analysis.processQueuedRuns(), 1);
    const overview = await analysis.overview(analyst, set.id);
    assert.equal(overview.run?.status, 'done');
    assert.equal(overview.run?.kChosen, 3);
  });

  it('keeps Welsh answers as their own group and copes with 20,000-character answers', async () => {
    // The fixture's own Welsh answers are left out so the group holds exactly the two below.
    const items = [
      ...answers.slice(0, 60).filter((a) => a.id !== 'r0007'),
      {
        id: 'cy1',
        text: "Mae'r cyngor sir wedi torri'r grantiau i'r trydydd sector eto eleni heb siarad gyda ni o gwbl.",
      },
      {
        id: 'cy2',
        text: "Diolch i'r cyngor am eu cefnogaeth eleni - maen nhw wedi bod yn bartneriaid gwych i'n elusen ni.",
      },
      {
        id: 'long',
        text: 'The consultation window was far too short for us to respond properly. '
          .repeat(280)
          .slice(0, 20_000),
      },
      { id: 'blank', text: '' },
    ];
    const { overview } = await themedSet(items);
    const welsh = overview.themes.find((t) => t.kind === 'language');
    assert.ok(welsh);
    assert.equal(welsh.size, 2);
    const detail = await analysis.theme(analyst, overview.set.id, welsh.id);
    assert.deepEqual(detail.items.map((i) => i.externalId).sort(), ['cy1', 'cy2']);
    assert.ok(overview.themes.some((t) => t.kind === 'empty'));
  });

  it('rejects a run with a silly number of themes', async () => {
    const set = await analysis.createSet(actor, { name: 'k', source: 'upload', items: answers.slice(0, 10) });
    await rejects(analysis.requestRun(analyst, actor, set.id, { k: 1 }), 'analysis.errors.kRange');
  });
});

describe('editing themes', () => {
  it('renames (and refuses an empty name), merges, splits, moves and deletes, with an audit trail', async () => {
    const { set, overview } = await themedSet(answers.slice(0, 200), 5);
    const [a, b, c] = overview.themes.filter((t) => t.kind === 'topic');
    assert.ok(a && b && c);

    await analysis.renameTheme(analyst, actor, set.id, a.id, '  Short consultation windows ');
    let view = await analysis.theme(analyst, set.id, a.id);
    assert.equal(view.theme.label, 'Short consultation windows');
    assert.equal(view.theme.renamed, true);
    await rejects(
      analysis.renameTheme(analyst, actor, set.id, a.id, '   '),
      'analysis.errors.themeNameRequired',
    );

    // Merge b into a: a holds every answer of both, b is gone.
    const before = new Set(
      [
        ...(await analysis.theme(analyst, set.id, a.id)).items,
        ...(await analysis.theme(analyst, set.id, b.id)).items,
      ].map((i) => i.id),
    );
    await rejects(
      analysis.mergeThemes(analyst, actor, set.id, a.id, a.id),
      'analysis.errors.mergeWithItself',
    );
    await analysis.mergeThemes(analyst, actor, set.id, b.id, a.id);
    view = await analysis.theme(analyst, set.id, a.id);
    assert.deepEqual(new Set(view.items.map((i) => i.id)), before);
    await assert.rejects(analysis.theme(analyst, set.id, b.id), { statusCode: 404 });

    // Split a into 3: the new themes hold exactly a's answers.
    const created = await analysis.splitTheme(analyst, actor, set.id, a.id, 3);
    assert.ok(created.length >= 2);
    const splitItems = new Set<string>();
    for (const id of created)
      for (const i of (await analysis.theme(analyst, set.id, id)).items) splitItems.add(i.id);
    assert.deepEqual(splitItems, before);
    await assert.rejects(analysis.theme(analyst, set.id, a.id), { statusCode: 404 });

    // Move two answers from c to the first new theme.
    const cItems = (await analysis.theme(analyst, set.id, c.id)).items;
    const moving = cItems.slice(0, 2).map((i) => i.id);
    assert.equal(await analysis.moveItems(analyst, actor, set.id, c.id, moving, created[0]!), 2);
    const target = await analysis.theme(analyst, set.id, created[0]!);
    for (const id of moving) {
      const moved = target.items.find((i) => i.id === id);
      assert.ok(moved);
      assert.equal(moved.confidence, null);
    }
    assert.equal((await analysis.theme(analyst, set.id, c.id)).items.length, cItems.length - 2);
    await rejects(
      analysis.moveItems(analyst, actor, set.id, c.id, [], created[0]!),
      'analysis.errors.chooseItems',
    );

    // Delete c: its answers stay in the set, shown as not in any theme.
    const remaining = (await analysis.theme(analyst, set.id, c.id)).items.filter((i) => i.rank === 0).length;
    await analysis.deleteTheme(analyst, actor, set.id, c.id);
    const after = await analysis.overview(analyst, set.id);
    assert.ok(after.unassigned > 0 && after.unassigned <= remaining);
    assert.equal(
      after.themes.some((t) => t.id === c.id),
      false,
    );

    const actions = (await test.deps.audit.list({ entityType: 'analysis_set', entityId: set.id })).map(
      (r) => r.action,
    );
    for (const action of [
      'analysis.theme.renamed',
      'analysis.theme.merged',
      'analysis.theme.split',
      'analysis.items.moved',
      'analysis.theme.deleted',
    ])
      assert.ok(actions.includes(action), action);
  });

  it('will not split a theme into more parts than it has answers', async () => {
    const { set, overview } = await themedSet(answers.slice(0, 12), 4);
    const small = [...overview.themes].sort((x, y) => x.members - y.members)[0]!;
    await rejects(
      analysis.splitTheme(analyst, actor, set.id, small.id, small.members + 1),
      small.members + 1 > 10 ? 'analysis.errors.splitParts' : 'analysis.errors.splitTooFew',
    );
  });
});

describe('coding, suggestions and agreement', () => {
  const sample = answers.filter((a) => truth.has(a.id)).slice(0, 240);

  async function codedSet() {
    const set = await analysis.createSet(actor, { name: 'Coding', source: 'upload', items: sample });
    const labels = [...new Set(sample.flatMap((a) => truth.get(a.id)!))].sort();
    const codes = new Map<string, string>();
    for (const label of labels)
      codes.set(
        label,
        (await analysis.addCode(analyst, actor, set.id, { name: label, description: `About ${label}` })).id,
      );
    const book = await analysis.codebook(analyst, set.id);
    assert.equal(book.codes.length, labels.length);
    const ids = new Map((await analysisItems(set.id)).map((i) => [i.externalId, i.id]));
    return { set, codes, ids };
  }

  /** The set's item ids by external id, read straight from the table. */
  async function analysisItems(setId: string) {
    const rows = await test.deps.db
      .get()
      .execute(
        sql`select id, external_id as "externalId" from analysis_items where set_id = ${setId} order by position`,
      );
    return (rows as unknown as { rows: { id: string; externalId: string }[] }).rows;
  }

  const f1For = (predicted: Map<string, string[]>, codeName: Map<string, string>) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [externalId, labels] of predicted) {
      const want = new Set(truth.get(externalId));
      const got = new Set(labels.map((l) => codeName.get(l)!));
      for (const l of got)
        if (want.has(l)) tp++;
        else fp++;
      for (const l of want) if (!got.has(l)) fn++;
    }
    return (2 * tp) / (2 * tp + fp + fn);
  };

  it('codes by hand with a codebook (multi-label), suggests, accepts and corrects; corrections feed the next run', async () => {
    const { set, codes, ids } = await codedSet();
    const externalOf = new Map([...ids].map(([ext, id]) => [id, ext]));
    const codeName = new Map([...codes].map(([name, id]) => [id, name]));
    await rejects(
      analysis.addCode(analyst, actor, set.id, {
        name: [...codes.keys()][0]!.toUpperCase(),
        description: '',
      }),
      'analysis.errors.codeExists',
    );
    await rejects(analysis.suggest(analyst, actor, set.id), 'analysis.errors.codeSomeFirst');

    // Hand-code the first 24 answers with their true codes (some have two).
    const first = sample.slice(0, 24);
    for (const a of first)
      await analysis.codeItem(
        analyst,
        actor,
        set.id,
        ids.get(a.id)!,
        truth.get(a.id)!.map((l) => codes.get(l)!),
      );
    const item = await analysis.itemForCoding(analyst, set.id, ids.get(first[0]!.id)!);
    assert.deepEqual(
      [...item.chosen].sort(),
      truth
        .get(first[0]!.id)!
        .map((l) => codes.get(l)!)
        .sort(),
    );
    assert.equal(item.previousId, null);
    assert.ok(item.nextId);

    const firstRun = await analysis.suggest(analyst, actor, set.id);
    assert.deepEqual(firstRun, { trainedOn: 24, suggested: sample.length - 24 });
    const review = await analysis.suggestions(analyst, set.id);
    assert.equal(review.suggestions.length, sample.length - 24);
    for (let i = 1; i < review.suggestions.length; i++)
      assert.ok(review.suggestions[i - 1]!.confidence <= review.suggestions[i]!.confidence);
    const predicted = (list: typeof review.suggestions) =>
      new Map(list.map((s) => [externalOf.get(s.item.id)!, s.codes.map((c) => c.codeId)]));
    const f1Before = f1For(predicted(review.suggestions), codeName);

    // Accept one suggestion as it is; correct 40 others to their true codes.
    const [accepted, ...rest] = review.suggestions;
    await analysis.acceptSuggestion(analyst, actor, set.id, accepted!.item.id);
    const corrected = rest.slice(0, 40);
    for (const s of corrected) {
      const ext = externalOf.get(s.item.id)!;
      await analysis.codeItem(
        analyst,
        actor,
        set.id,
        s.item.id,
        truth.get(ext)!.map((l) => codes.get(l)!),
      );
    }
    const acceptedCodings = await analysis.itemForCoding(analyst, set.id, accepted!.item.id);
    assert.deepEqual(acceptedCodings.chosen.sort(), accepted!.codes.map((c) => c.codeId).sort());
    assert.equal(acceptedCodings.suggested.length, 0);

    const secondRun = await analysis.suggest(analyst, actor, set.id);
    assert.deepEqual(secondRun, { trainedOn: 24 + 1 + 40, suggested: sample.length - 65 });
    const after = await analysis.suggestions(analyst, set.id);
    const stillSuggested = new Set(after.suggestions.map((s) => s.item.id));
    for (const s of corrected) assert.equal(stillSuggested.has(s.item.id), false);
    // On the same answers, learning from the corrections does at least as well as before (allowing noise).
    const common = new Map(
      [...predicted(review.suggestions)].filter(([ext]) => stillSuggested.has(ids.get(ext)!)),
    );
    const f1After = f1For(predicted(after.suggestions), codeName);
    assert.ok(
      f1After >= f1For(common, codeName) - 0.05,
      `F1 ${f1After} after corrections vs ${f1Before} before`,
    );
  });

  it('a correction changes the next suggestion for a near-identical answer', async () => {
    const items = [
      { id: 'p1', text: 'Parking at the council offices is impossible for our volunteers.' },
      { id: 'p2', text: 'Parking at the council offices is impossible for our volunteers and visitors.' },
      { id: 'f1', text: 'Grant funding arrives late every single year.' },
      { id: 'f2', text: 'The grant funding arrived late again this year.' },
      { id: 'f3', text: 'Late grant funding makes planning impossible.' },
    ];
    const set = await analysis.createSet(actor, { name: 'Tiny', source: 'upload', items });
    const funding = await analysis.addCode(analyst, actor, set.id, { name: 'Funding', description: 'Money' });
    const access = await analysis.addCode(analyst, actor, set.id, {
      name: 'Access',
      description: 'Getting there',
    });
    const ids = new Map((await analysisItems(set.id)).map((i) => [i.externalId, i.id]));
    await analysis.codeItem(analyst, actor, set.id, ids.get('f1')!, [funding.id]);
    await analysis.suggest(analyst, actor, set.id);
    const p2 = () => analysis.itemForCoding(analyst, set.id, ids.get('p2')!);
    assert.deepEqual(
      (await p2()).suggested.map((s) => s.codeId),
      [funding.id],
    );
    // The analyst corrects p1 to Access: the next run suggests Access for its near-copy p2.
    await analysis.codeItem(analyst, actor, set.id, ids.get('p1')!, [access.id]);
    await analysis.suggest(analyst, actor, set.id);
    assert.equal((await p2()).suggested[0]?.codeId, access.id);
  });

  it("Cohen's kappa per code between two analysts on the answers both coded matches a hand-computed value", async () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ id: `i${i + 1}`, text: `Answer number ${i + 1}` }));
    const set = await analysis.createSet(actor, { name: 'Agreement', source: 'upload', items });
    const a = await analysis.addCode(analyst, actor, set.id, { name: 'A', description: '' });
    const b = await analysis.addCode(analyst, actor, set.id, { name: 'B', description: '' });
    const ids = new Map((await analysisItems(set.id)).map((i) => [i.externalId, i.id]));
    // Items 1–10 are coded by both; 11 and 12 by one each, so they are not compared.
    // Code A: the first analyst says yes on 1–5, the second on 1–4 and 6. Agreement po = 8/10; each says
    // yes half the time, so chance agreement pe = .5·.5 + .5·.5 = .5 and kappa = (.8 − .5) / (1 − .5) = .6.
    // Code B is the complement of A for both analysts, so it too has kappa .6.
    for (let i = 1; i <= 10; i++) {
      await analysis.codeItem(analyst, actor, set.id, ids.get(`i${i}`)!, [i <= 5 ? a.id : b.id]);
      await analysis.codeItem(second, actor, set.id, ids.get(`i${i}`)!, [i <= 4 || i === 6 ? a.id : b.id]);
    }
    await analysis.codeItem(analyst, actor, set.id, ids.get('i11')!, [a.id]);
    await analysis.codeItem(second, actor, set.id, ids.get('i12')!, [b.id]);
    const result = await analysis.agreement(analyst, set.id);
    assert.equal(result.both, 10);
    assert.deepEqual(
      result.rows.map((r) => [r.name, Math.round(r.kappa * 1000) / 1000, r.answers, r.band]),
      [
        ['A', 0.6, 10, 'moderate'],
        ['B', 0.6, 10, 'moderate'],
      ],
    );
  });
});

describe('analysis with an embeddings folder (ANALYSIS_EMBEDDINGS_DIR)', () => {
  const withEmbedder = (embedder: () => Promise<Embedder>) =>
    createAnalysisService({
      db: test.deps.db,
      repo: createAnalysisRepository(test.deps.db),
      audit: test.deps.audit,
      clock: test.deps.clock,
      embedder,
    });

  it('uses the vectors for theme runs and records it on the run', async () => {
    let calls = 0;
    const service = withEmbedder(async () => ({
      dim: 2,
      description: 'fake',
      async embed(texts) {
        calls++;
        // Two directions by whether the text mentions funding: a stand-in for a real model's meaning.
        const data = new Float32Array(texts.length * 2);
        texts.forEach((t, i) => data.set(/fund/i.test(t) ? [1, 0] : [0, 1], i * 2));
        return { dim: 2, data };
      },
    }));
    const set = await service.createSet(actor, {
      name: 'Embedded',
      source: 'upload',
      items: answers.slice(0, 40),
    });
    const run = await service.runThemes(analyst, actor, set.id, { k: 2, seed: 1 });
    assert.equal(run.status, 'done');
    assert.equal(run.engineVersion, 'covenant-analysis-core/1+embeddings');
    assert.equal(calls, 1);
    assert.deepEqual(await service.checkEmbeddings(), { dim: 2, description: 'fake' });
  });

  it('fails the run with the reason kept for the operator, never a quiet fall-back', async () => {
    const service = withEmbedder(async () => {
      throw new EmbeddingsError('the embeddings folder /srv/models has no vocab.txt');
    });
    const set = await service.createSet(actor, {
      name: 'Broken model',
      source: 'upload',
      items: answers.slice(0, 20),
    });
    const run = await service.runThemes(analyst, actor, set.id, { seed: 1 });
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /^EmbeddingsError: .*has no vocab\.txt$/);
    assert.deepEqual(await service.checkEmbeddings(), {
      problem: 'the embeddings folder /srv/models has no vocab.txt',
    });
  });
});
