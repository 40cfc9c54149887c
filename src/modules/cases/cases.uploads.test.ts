import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { buildCase, createTestPerson } from '../../../test/helpers/cases.ts';
import { SESSION_COOKIE } from '../../platform/http/context.ts';
import { csrfTokenIn } from '../../../test/helpers/agent.ts';
import { caseAttachments, reportDrafts } from './cases.tables.ts';
import { intakePaths } from './cases.intake.paths.ts';
import { createCaseIdentity } from './cases.identity.ts';
import { createUploads, detectFileKind, readZip, stripMetadata, writeZip } from './cases.uploads.ts';

const author = 'Jane Whistleblower';

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

export const samples = {
  png: () =>
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])),
      pngChunk('tEXt', Buffer.from(`Author\0${author}`, 'latin1')),
      pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0, 0, 0, 4, 0, 1])),
      pngChunk('IEND', Buffer.alloc(0)),
    ]),
  jpg: () => {
    const exif = Buffer.from(`Exif\0\0${author} GPS 51.5N`, 'latin1');
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([0, exif.length + 2]), exif]);
    const app0 = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    return Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      app0,
      app1,
      Buffer.from([0xff, 0xda, 0, 2, 1, 2, 3, 0xff, 0xd9]),
    ]);
  },
  pdf: () =>
    Buffer.from(
      `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Author (${author}) /Creator (Word) /Producer <4a616e65> >> endobj\ntrailer << /Root 1 0 R /Info 2 0 R >>\n%%EOF\n`,
      'latin1',
    ),
  docx: () =>
    writeZip([
      {
        name: '[Content_Types].xml',
        data: Buffer.from(
          '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        ),
      },
      { name: 'word/document.xml', data: Buffer.from('<w:document>Hello</w:document>') },
      {
        name: 'docProps/core.xml',
        data: Buffer.from(
          `<cp:coreProperties><dc:creator>${author}</dc:creator><cp:lastModifiedBy>${author}</cp:lastModifiedBy><dc:title>Letter</dc:title></cp:coreProperties>`,
        ),
      },
    ]),
  odt: () =>
    writeZip(
      [
        { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text') },
        { name: 'content.xml', data: Buffer.from('<office:document-content/>') },
        {
          name: 'meta.xml',
          data: Buffer.from(
            `<office:meta><meta:initial-creator>${author}</meta:initial-creator><dc:creator>${author}</dc:creator><dc:title>Notes</dc:title></office:meta>`,
          ),
        },
      ],
      (n) => n === 'mimetype',
    ),
  txt: () => Buffer.from('Notes from the meeting on 3 December — “funding”.\n', 'utf8'),
  exe: () => Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0', 'latin1'), Buffer.alloc(200, 0)]),
};

function multipart(fields: Record<string, string>, files: { name: string; data: Buffer }[]) {
  const boundary = '----covenanttest' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('evidence: type by content and metadata stripping', () => {
  test('each allowed type is recognised by its bytes; a renamed .exe is not', () => {
    for (const kind of ['png', 'jpg', 'pdf', 'docx', 'odt', 'txt'] as const)
      assert.equal(detectFileKind(samples[kind]()), kind);
    assert.equal(detectFileKind(samples.exe()), null);
    assert.equal(detectFileKind(Buffer.from('PK\x03\x04garbage', 'latin1')), null);
    assert.equal(detectFileKind(Buffer.from([0x68, 0x69, 0x00])), null);
  });

  test('a web page or markup file renamed .txt is not plain text; text that mentions tags is', () => {
    for (const page of [
      '<!DOCTYPE html><html><script>alert(1)</script></html>',
      '\ufeff\n  <HTML><body onload="alert(1)">',
      '<script>alert(1)</script>',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<?xml version="1.0"?><x/>',
      '<!-- saved page --><p>hi</p>',
    ])
      assert.equal(detectFileKind(Buffer.from(page, 'utf8')), null, page);
    assert.equal(detectFileKind(Buffer.from('Notes: the <html> tag was in their email\n', 'utf8')), 'txt');
    assert.equal(detectFileKind(Buffer.from('<3 thanks for your help', 'utf8')), 'txt');
  });

  test('author and location metadata are stripped', () => {
    const has = (b: Buffer) => b.toString('latin1').includes(author);
    const jpg = stripMetadata('jpg', samples.jpg());
    assert.ok(!has(jpg) && !jpg.includes(Buffer.from([0xff, 0xe1])));
    assert.equal(detectFileKind(jpg), 'jpg');
    const png = stripMetadata('png', samples.png());
    assert.ok(!has(png) && !png.toString('latin1').includes('tEXt'));
    assert.equal(detectFileKind(png), 'png');
    const original = samples.pdf();
    const pdf = stripMetadata('pdf', original);
    assert.ok(!has(pdf) && !pdf.toString('latin1').includes('4a616e65'));
    assert.equal(pdf.length, original.length, 'PDF byte offsets kept');
    const docx = readZip(stripMetadata('docx', samples.docx()));
    assert.ok(docx.every((e) => !has(e.data)));
    assert.ok(
      docx
        .find((e) => e.name === 'docProps/core.xml')!
        .data.toString()
        .includes('<dc:title>Letter'),
    );
    const odt = stripMetadata('odt', samples.odt());
    assert.equal(detectFileKind(odt), 'odt');
    assert.ok(readZip(odt).every((e) => !has(e.data)));
  });
});

test('JPEG: EXIF between progressive scans and in an image appended after the end is stripped too', () => {
  const gps = Buffer.from(`Exif\0\0${author} GPS 51.5N`, 'latin1');
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, gps.length + 2]), gps]);
  const scan = (data: number[]) => Buffer.from([0xff, 0xda, 0, 2, ...data]);
  // Two scans with an APP1 between them; compressed data holds a stuffed FF 00 and a restart marker.
  const progressive = Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    scan([1, 0xff, 0x00, 2, 0xff, 0xd0, 3]),
    app1,
    scan([4, 5]),
    Buffer.from([0xff, 0xd9]),
  ]);
  // A phone's JPEG: the main image, then a second one (a preview) carrying its own EXIF.
  const appended = Buffer.concat([
    samples.jpg(),
    Buffer.from([0xff, 0xd8]),
    app1,
    scan([6]),
    Buffer.from([0xff, 0xd9]),
  ]);
  for (const jpeg of [progressive, appended]) {
    const out = stripMetadata('jpg', jpeg);
    assert.ok(!out.toString('latin1').includes('GPS 51.5N'), 'no GPS left');
    assert.ok(!out.toString('latin1').includes(author), 'no author left');
    assert.equal(detectFileKind(out), 'jpg');
    assert.deepEqual([...out.subarray(-2)], [0xff, 0xd9], 'ends with the end of image');
  }
  const kept = stripMetadata('jpg', progressive);
  assert.ok(kept.includes(Buffer.from([1, 0xff, 0x00, 2, 0xff, 0xd0, 3])), 'the first scan is kept whole');
  assert.ok(kept.includes(Buffer.from([0xff, 0xda, 0, 2, 4, 5])), 'the second scan is kept');
});

describe('evidence uploads through the page', () => {
  let t: TestApp;
  let scanDir: string;
  before(async () => {
    scanDir = mkdtempSync(path.join(tmpdir(), 'covenant-uploads-'));
    t = await createTestApp({ DATA_DIR: scanDir });
  });
  after(() => t.close());

  async function reporterAgent() {
    const reporter = await createTestPerson(t.deps, 'cso_member');
    const agent = t.agent();
    agent.cookies.set(SESSION_COOKIE, await t.deps.sessions.start(reporter.id, { secondFactorDone: true }));
    await agent.submit(intakePaths.kind(), { kind: 'problem' });
    await agent.submit(intakePaths.whatHappened(), { title: 'Kept title', whatHappened: 'Kept text' });
    return { reporter, agent };
  }

  async function upload(agent: ReturnType<TestApp['agent']>, files: { name: string; data: Buffer }[]) {
    const page = await agent.get(intakePaths.evidence());
    const { payload, contentType } = multipart({ _csrf: csrfTokenIn(page.body), upload: '1' }, files);
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return t.app.inject({
      method: 'POST',
      url: intakePaths.evidence(),
      payload,
      headers: { 'content-type': contentType, cookie, accept: 'text/html' },
    });
  }

  test('every allowed type uploads; a renamed .exe, an 11 MB file and a 6th file are refused; the rest is kept', async () => {
    const { reporter, agent } = await reporterAgent();
    const kinds = ['png', 'jpg', 'pdf', 'docx', 'odt'] as const;
    for (const kind of kinds) {
      const r = await upload(agent, [{ name: `evidence.${kind}`, data: samples[kind]() }]);
      assert.equal(r.statusCode, 303, `${kind}: ${r.body.slice(0, 300)}`);
    }
    const [draft] = await t.deps.db
      .get()
      .select()
      .from(reportDrafts)
      .where(eq(reportDrafts.userId, reporter.id));
    const stored = await t.deps.db
      .get()
      .select()
      .from(caseAttachments)
      .where(eq(caseAttachments.draftId, draft!.id));
    assert.equal(stored.length, 5);
    // Sixth file: refused with the reason, on the evidence page, answers kept.
    const sixth = await upload(agent, [{ name: 'notes.txt', data: samples.txt() }]);
    assert.equal(sixth.statusCode, 422);
    assert.ok(sixth.body.includes('You can upload up to 5 files'));
    assert.ok((await agent.get(intakePaths.whatHappened())).body.includes('Kept title'));
    const other = (await reporterAgent()).agent;
    const exe = await upload(other, [{ name: 'report.pdf', data: samples.exe() }]);
    assert.equal(exe.statusCode, 422);
    assert.ok(exe.body.includes('report.pdf must be a PDF, DOCX, ODT, PNG, JPEG or TXT file'));
    const big = await upload(other, [{ name: 'big.txt', data: Buffer.alloc(11 * 1024 * 1024, 0x61) }]);
    assert.equal(big.statusCode, 422);
    assert.ok(big.body.includes('big.txt must be smaller than 10MB'));
    const txt = await upload(other, [{ name: 'notes.txt', data: samples.txt() }]);
    assert.equal(txt.statusCode, 303);
    assert.ok((await other.get(intakePaths.whatHappened())).body.includes('Kept title'));
  });

  test('choosing more than 5 files at once: the first 5 are kept and the next is refused with the reason', async () => {
    const { reporter, agent } = await reporterAgent();
    const files = Array.from({ length: 8 }, (_, i) => ({ name: `note-${i + 1}.txt`, data: samples.txt() }));
    const r = await upload(agent, files);
    assert.equal(r.statusCode, 422, r.body.slice(0, 300));
    assert.ok(r.body.includes('You can upload up to 5 files. Remove one before adding note-6.txt'));
    const [draft] = await t.deps.db
      .get()
      .select()
      .from(reportDrafts)
      .where(eq(reportDrafts.userId, reporter.id));
    const stored = await t.deps.db
      .get()
      .select()
      .from(caseAttachments)
      .where(eq(caseAttachments.draftId, draft!.id));
    assert.deepEqual(
      stored.map((f) => f.fileName).sort(),
      [1, 2, 3, 4, 5].map((i) => `note-${i}.txt`),
    );
    assert.ok((await agent.get(intakePaths.whatHappened())).body.includes('Kept title'));
  });

  test('two uploads at once (a double click) cannot take a report past 5 files', async () => {
    const { reporter, agent } = await reporterAgent();
    for (let i = 1; i <= 4; i++)
      assert.equal((await upload(agent, [{ name: `note-${i}.txt`, data: samples.txt() }])).statusCode, 303);
    const [a, b] = await Promise.all([
      upload(agent, [{ name: 'first.txt', data: samples.txt() }]),
      upload(agent, [{ name: 'second.txt', data: samples.txt() }]),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [303, 422]);
    assert.ok([a, b].some((r) => r.body.includes('You can upload up to 5 files')));
    const [draft] = await t.deps.db
      .get()
      .select()
      .from(reportDrafts)
      .where(eq(reportDrafts.userId, reporter.id));
    const stored = await t.deps.db
      .get()
      .select()
      .from(caseAttachments)
      .where(eq(caseAttachments.draftId, draft!.id));
    assert.equal(stored.length, 5);
  });

  test('openAttachment: the reporter always; body staff only once the scan passed; others never', async () => {
    const scanner = path.join(scanDir, 'scan.sh');
    writeFileSync(scanner, '#!/bin/sh\ngrep -q EICAR "$1" && exit 1\nexit 0\n');
    chmodSync(scanner, 0o755);
    const identity = createCaseIdentity({ db: t.deps.db, audit: t.deps.audit });
    const scanning = createUploads({
      db: t.deps.db,
      dataDir: scanDir,
      scanCommand: `${scanner} {file}`,
      identity,
    });
    const built = await buildCase(t.deps, { state: 'with_body', confidentiality: 'withheld' });
    const [draft] = await t.deps.db
      .get()
      .insert(reportDrafts)
      .values({ userId: built.reporter.id, updatedAt: new Date(), expiresAt: new Date(Date.now() + 1e9) })
      .returning();
    const infected = await scanning.addToDraft(draft!.id, [
      { fileName: 'virus.txt', data: Buffer.from('EICAR test'), truncated: false },
    ]);
    assert.equal(infected.refusal?.reason, 'infected');
    const ok = await scanning.addToDraft(draft!.id, [
      { fileName: 'Letter from Jane.pdf', data: samples.pdf(), truncated: false },
    ]);
    assert.equal(ok.stored, 1);
    await scanning.attachDraftFilesToCase(draft!.id, built.id);
    const [file] = await t.deps.db
      .get()
      .select()
      .from(caseAttachments)
      .where(eq(caseAttachments.caseId, built.id));
    assert.equal(file!.scanStatus, 'clean');
    const officer = await createTestPerson(t.deps, 'body_officer', { organisationId: built.body!.id });
    const mine = await scanning.openAttachment(built.reporter, file!.id);
    assert.equal(mine.fileName, 'Letter from Jane.pdf');
    const theirs = await scanning.openAttachment(officer, file!.id);
    assert.ok(!theirs.fileName.includes('Jane'), 'a withheld case hides the file name from the body');
    assert.ok(!theirs.data.toString('latin1').includes(author));
    const stranger = await createTestPerson(t.deps, 'body_officer');
    await assert.rejects(scanning.openAttachment(stranger, file!.id), /No such file/);
    // Not yet scanned clean: staff cannot open it.
    await t.deps.db
      .get()
      .update(caseAttachments)
      .set({ scanStatus: 'pending' })
      .where(eq(caseAttachments.id, file!.id));
    await assert.rejects(scanning.openAttachment(officer, file!.id), /malware scan/);
    assert.ok(await scanning.openAttachment(built.reporter, file!.id));
  });
});
