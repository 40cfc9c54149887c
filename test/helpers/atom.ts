/**
 * A strict check that a document is well-formed XML and a valid Atom 1.0 feed (RFC 4287), for tests: no
 * XML parser ships with Node, so this tokenises the document itself. It refuses unbalanced or crossed tags,
 * unquoted or repeated attributes, a bare `<` or `&`, unknown entities and characters XML forbids, then
 * checks the elements Atom requires of the feed and of every entry.
 */
import assert from 'node:assert/strict';

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(text: string, where: string) {
  assert.ok(!text.includes('<'), `bare < in ${where}`);
  assert.ok(!text.replace(ENTITY, '').includes('&'), `bare & or unknown entity in ${where}`);
  // eslint-disable-next-line no-control-regex
  assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text), `forbidden character in ${where}`);
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Parses well-formed XML into elements, failing the test on anything malformed. */
export function parseXml(xml: string): Element {
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: Element = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: Element[] = [root];
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    checkText(text, `text of <${stack.at(-1)!.name}>`);
    stack.at(-1)!.text += decode(text);
    if (lt === -1) break;
    rest = rest.slice(lt);
    const end = rest.indexOf('>');
    assert.ok(end > 0, 'unterminated tag');
    const tag = rest.slice(1, end);
    rest = rest.slice(end + 1);
    if (tag.startsWith('/')) {
      const open = stack.pop();
      assert.equal(open?.name, tag.slice(1).trim(), `closing </${tag.slice(1)}> does not match`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const [name = '', ...attrParts] = body.trim().split(/\s+(?=[^\s=]+=)/);
    assert.match(name, NAME, `bad element name "${name}"`);
    const attributes: Record<string, string> = {};
    for (const part of attrParts) {
      const m = /^([A-Za-z_][\w.:-]*)="([^"]*)"$/.exec(part.trim());
      assert.ok(m, `bad attribute "${part}" on <${name}>`);
      assert.ok(!(m[1]! in attributes), `repeated attribute ${m[1]} on <${name}>`);
      checkText(m[2]!, `attribute ${m[1]} of <${name}>`);
      attributes[m[1]!] = decode(m[2]!);
    }
    const element: Element = { name, attributes, children: [], text: '' };
    stack.at(-1)!.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  assert.equal(stack.length, 1, `unclosed <${stack.at(-1)!.name}>`);
  assert.equal(root.children.length, 1, 'a document has exactly one root element');
  assert.equal(root.text.trim(), '', 'text outside the root element');
  return root.children[0]!;
}

const one = (parent: Element, name: string) => {
  const found = parent.children.filter((c) => c.name === name);
  assert.equal(found.length, 1, `<${parent.name}> needs exactly one <${name}>`);
  return found[0]!;
};
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s);

/** Checks an Atom feed; returns the number of entries and their parsed elements. */
export function checkAtom(xml: string): { entries: number; feed: Element } {
  assert.match(xml, /^<\?xml version="1\.0" encoding="utf-8"\?>/);
  const feed = parseXml(xml);
  assert.equal(feed.name, 'feed');
  assert.equal(feed.attributes.xmlns, 'http://www.w3.org/2005/Atom');
  for (const name of ['id', 'title', 'updated']) assert.ok(one(feed, name).text.trim(), `feed ${name}`);
  assert.ok(isDate(one(feed, 'updated').text), 'feed updated is an RFC 3339 date');
  const self = feed.children.find((c) => c.name === 'link' && c.attributes.rel === 'self');
  assert.ok(self?.attributes.href?.startsWith('http'), 'feed has an absolute rel="self" link');
  const entries = feed.children.filter((c) => c.name === 'entry');
  const feedAuthor = feed.children.some((c) => c.name === 'author');
  for (const entry of entries) {
    for (const name of ['id', 'title', 'updated']) assert.ok(one(entry, name).text.trim(), `entry ${name}`);
    assert.ok(isDate(one(entry, 'updated').text), 'entry updated is an RFC 3339 date');
    assert.ok(feedAuthor || entry.children.some((c) => c.name === 'author'), 'an author for every entry');
    const alternate = entry.children.find((c) => c.name === 'link' && c.attributes.rel === 'alternate');
    assert.ok(
      alternate || entry.children.some((c) => c.name === 'content'),
      'an entry without content needs a rel="alternate" link',
    );
  }
  const ids = entries.map((e) => one(e, 'id').text);
  assert.equal(new Set(ids).size, ids.length, 'entry ids are unique');
  return { entries: entries.length, feed };
}
