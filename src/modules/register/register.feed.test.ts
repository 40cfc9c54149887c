/**
 * The Atom feed builder and the register's last identity check, as pure functions; and the test helper
 * that checks feeds, shown to refuse malformed XML (so the route tests' feed check can fail).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAtom, parseXml } from '../../../test/helpers/atom.ts';
import { atomFeed, xmlEscape } from './register.feed.ts';
import { identityLeaks } from './register.rules.ts';

const options = {
  baseUrl: 'https://hub.example.org/',
  selfPath: '/public-register/feed.atom',
  registerPath: '/public-register',
  entryPath: (r: string) => `/public-register/cases/${r}`,
  texts: { title: 'Register & co', subtitle: 'Cases <published>', author: 'Covenant team' },
  now: new Date('2026-01-05T09:00:00Z'),
};
const entry = (reference: string, title: string, updated: string) => ({
  reference,
  title,
  summary: 'Said "no" & left <quietly>\u0007',
  bodyName: 'Leeds & District',
  outcome: 'resolved',
  publishedAt: new Date(updated),
  updatedAt: new Date(updated),
});

describe('Atom feed', () => {
  test('an empty feed is valid and dated now', () => {
    const xml = atomFeed([], options);
    assert.equal(checkAtom(xml).entries, 0);
    assert.match(xml, /<updated>2026-01-05T09:00:00.000Z<\/updated>/);
    assert.match(
      xml,
      /<link rel="self" type="application\/atom\+xml" href="https:\/\/hub.example.org\/public-register\/feed.atom"\/>/,
    );
  });

  test('entries are escaped, have absolute ids, and the feed is as new as its newest entry', () => {
    const xml = atomFeed(
      [
        entry('CH-2026-000002', 'A <b> & "c"', '2026-01-04T10:00:00Z'),
        entry('CH-2026-000001', 'Old', '2025-12-01T10:00:00Z'),
      ],
      options,
    );
    const { entries, feed } = checkAtom(xml);
    assert.equal(entries, 2);
    const first = feed.children.find((c) => c.name === 'entry')!;
    assert.equal(first.children.find((c) => c.name === 'title')!.text, 'CH-2026-000002: A <b> & "c"');
    assert.equal(
      first.children.find((c) => c.name === 'id')!.text,
      'https://hub.example.org/public-register/cases/CH-2026-000002',
    );
    assert.equal(first.children.find((c) => c.name === 'summary')!.text, 'Said "no" & left <quietly>');
    assert.match(xml, /<feed[^>]*>\s*<id>[^<]+<\/id>\s*<title>Register &amp; co<\/title>/);
    assert.match(xml, /<updated>2026-01-04T10:00:00.000Z<\/updated>\n {2}<link/);
  });

  test('xmlEscape escapes markup and drops characters XML forbids', () => {
    assert.equal(xmlEscape(`<a href='x'>&"\u0000\uD800`), '&lt;a href=&apos;x&apos;&gt;&amp;&quot;');
  });

  test('the checker refuses malformed XML and feeds missing what Atom requires', () => {
    for (const bad of [
      '<a><b></a></b>',
      '<a>x & y</a>',
      '<a>1 < 2</a>',
      '<a x=1></a>',
      '<a></a><b></b>',
      '<a>&nbsp;</a>',
      '<a>',
    ])
      assert.throws(() => parseXml(bad), assert.AssertionError, bad);
    const ok = atomFeed([entry('CH-2026-000003', 'T', '2026-01-01T00:00:00Z')], options);
    assert.throws(() => checkAtom(ok.replace(/<updated>[^<]*<\/updated>\n {2}<link/, '<link')));
    assert.throws(() => checkAtom(ok.replace(/<author>.*<\/author>/, '')));
    assert.throws(() => checkAtom(ok.replace('xmlns="http://www.w3.org/2005/Atom"', '')));
  });
});

describe('identity check before publication', () => {
  const terms = {
    name: 'Zebulon Quillfeather',
    email: 'zq@example.org',
    phone: '07700 900987',
    organisationName: 'Quill Collective',
  };
  test('finds the name (in full or a distinctive part), the email, the phone however written, the organisation', () => {
    assert.deepEqual(identityLeaks('Zebulon Quillfeather wrote', terms), ['name']);
    assert.deepEqual(identityLeaks('Mr Quillfeather wrote', terms), ['name']);
    assert.deepEqual(identityLeaks('Write to ZQ@example.org', terms), ['email']);
    assert.deepEqual(identityLeaks('Ring +44 7700 900987 today', terms), ['phone']);
    assert.deepEqual(identityLeaks('Ring 07700-900-987', terms), ['phone']);
    assert.deepEqual(identityLeaks('The quill collective said', terms), ['organisation']);
  });
  test('clean and redacted text passes', () => {
    assert.deepEqual(
      identityLeaks('[name removed] of [organisation removed] rang [phone number removed]', terms),
      [],
    );
    assert.deepEqual(identityLeaks('Ring 07700 900123, a different number', terms), []);
    assert.deepEqual(identityLeaks(null, terms), []);
    assert.deepEqual(identityLeaks('Zebulon Quillfeather', null), []);
  });
});
