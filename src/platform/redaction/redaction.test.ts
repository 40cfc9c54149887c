// Automatic redaction: emails, UK phone numbers, postcodes, known names, and what must NOT be redacted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyRedactions,
  compileNames,
  findEmails,
  findNames,
  findPhones,
  findPostcodes,
  findTerms,
  isUkNationalNumber,
  redactText,
  resolveOverlaps,
  type RedactionSpan,
} from './redaction.ts';
import { createRedactionService } from './redaction.service.ts';

const originals = (spans: RedactionSpan[]) => spans.map((s) => s.original);

describe('emails', () => {
  it('finds addresses with dots, plus signs, subdomains and hyphens', () => {
    const text =
      'Write to priya.shah+covenant@riverside-trust.org.uk or J_O@example.co, not to @handle or a@b.';
    assert.deepEqual(originals(findEmails(text)), [
      'priya.shah+covenant@riverside-trust.org.uk',
      'J_O@example.co',
    ]);
  });
  it('gives offsets into the original text', () => {
    const text = 'Email: a.b@c.org.';
    const [s] = findEmails(text);
    assert.equal(text.slice(s!.start, s!.end), 'a.b@c.org');
    assert.equal(s!.kind, 'email');
  });
});

describe('UK phone numbers', () => {
  const phones = [
    '020 7946 0018',
    '(020) 7946 0018',
    '020-7946-0018',
    '02079460018',
    '0161 496 0000',
    '0161-496-0000',
    '(0161) 496 0000',
    '01632 960001',
    '016977 2345',
    '07700 900123',
    '07700-900-123',
    '07700900123',
    '+44 7700 900123',
    '+447700900123',
    '+44 (0)20 7946 0018',
    '+44 (0) 161 496 0000',
    '0044 20 7946 0018',
    '0300 123 4567',
    '0800 123 4567',
    '0800 123456',
    '028 9018 1234',
  ];
  for (const phone of phones) {
    it(`finds ${phone}`, () => {
      const text = `Call ${phone} today.`;
      assert.deepEqual(originals(findPhones(text)), [phone]);
    });
  }

  const notPhones = [
    'Case CH-2026-000123 was closed.',
    'On 01/02/2026 we wrote again.',
    'On 01-02-2026 we wrote again.',
    'On 01.02.2026 we wrote again.',
    'Dated 2026-01-15 and 15 January 2026.',
    'A grant of £1,000,000 was cut to £0.5m (£050,000 a year).',
    'SI 2010/1234 and the Equality Act 2010, section 149(1).',
    'Company number 01234567 and charity number 1123456.',
    'Rule 0.1234567890 applies.',
    'We met at 09:30 and 10.45.',
    'Reference ABC0161496000 is not a number we use.',
    'Funding of 070 000 pounds.',
    'Code 04123 456789 and 06123 456789 are not UK ranges.',
  ];
  for (const text of notPhones) {
    it(`leaves alone: ${text}`, () => {
      assert.deepEqual(originals(findPhones(text)), []);
    });
  }

  it('finds two numbers written one after the other', () => {
    assert.deepEqual(originals(findPhones('Ring 07700 900123 0161 496 0000 or 020 7946 0018')), [
      '07700 900123',
      '0161 496 0000',
      '020 7946 0018',
    ]);
  });

  it('stops before a following number that is not part of it', () => {
    assert.deepEqual(originals(findPhones('Rang 0161 496 0000 2 times')), ['0161 496 0000']);
  });

  it('validates national numbers', () => {
    assert.equal(isUkNationalNumber('07700900123'), true);
    assert.equal(isUkNationalNumber('0770090012'), false); // mobiles are 11 digits
    assert.equal(isUkNationalNumber('0441234567'), false);
    assert.equal(isUkNationalNumber('01614960000'), true);
    assert.equal(isUkNationalNumber('016149600'), false);
  });
});

describe('UK postcodes', () => {
  const postcodes = [
    'SW1A 1AA',
    'sw1a 1aa',
    'SW1A1AA',
    'M1 1AE',
    'B33 8TH',
    'CR2 6XH',
    'DN55 1PT',
    'W1A 0AX',
    'EC1A 1BB',
    'LS1 1UR',
    'BT7 1NN',
    'EH1 1YZ',
    'CF10 1EP',
    'GIR 0AA',
    'gir0aa',
  ];
  for (const postcode of postcodes) {
    it(`finds ${postcode}`, () => {
      assert.deepEqual(originals(findPostcodes(`Our office, ${postcode}, is open.`)), [postcode]);
    });
  }
  const notPostcodes = [
    'Section 2 of the Act, the 2nd time.',
    'Q1 2026 figures and FY25 reports.',
    'The A1 road and the M62 motorway.',
    'Case CH-2026-000123.',
    'SW1A1AAB is not one, nor is XSW1A 1AA.',
    'QA1 1AA starts with a letter no postcode uses.',
    'AB1 1CI ends with letters no postcode uses.',
  ];
  for (const text of notPostcodes) {
    it(`leaves alone: ${text}`, () => {
      assert.deepEqual(originals(findPostcodes(text)), []);
    });
  }
});

describe('names of people known to the system', () => {
  const index = compileNames([
    'Priya Shah',
    "Siobhán O'Neill",
    'Mark Green',
    'Anne Marie Walsh',
    'Demo Officer',
  ]);

  it('finds full names in any case, with accents and apostrophes folded', () => {
    const text = 'PRIYA SHAH met siobhan o’neill and Mark Green.';
    assert.deepEqual(originals(findNames(text, index)), ['PRIYA SHAH', 'siobhan o’neill', 'Mark Green']);
  });

  it('leaves a possessive outside the span', () => {
    const text = "It was Priya Shah's idea and O'Neill’s too.";
    const spans = findNames(text, index);
    assert.deepEqual(originals(spans), ['Priya Shah', "O'Neill"]);
    assert.equal(applyRedactions(text, spans), "It was [name removed]'s idea and [name removed]’s too.");
  });

  it('finds a title or initial with the surname, the title included', () => {
    const text = 'We wrote to Ms Shah, Dr. Green and P. Shah; Mr Walsh replied.';
    assert.deepEqual(originals(findNames(text, index)), ['Ms Shah', 'Dr. Green', 'P. Shah', 'Mr Walsh']);
  });

  it('finds first and last name without the middle name, and the full multi-word name', () => {
    assert.deepEqual(originals(findNames('Anne Walsh and Anne Marie Walsh', index)), [
      'Anne Walsh',
      'Anne Marie Walsh',
    ]);
  });

  it('finds a distinctive surname or first name alone, written as a proper noun', () => {
    assert.deepEqual(originals(findNames('Priya phoned; later Shah wrote.', index)), ['Priya', 'Shah']);
    assert.deepEqual(originals(findNames('priya phoned', index)), []);
  });

  it('does not redact a common English word that is also a name part', () => {
    const text = 'Mark the green paper. We will mark it. The Green Paper is out. An officer called.';
    assert.deepEqual(originals(findNames(text, index)), []);
  });

  it('does not redact job titles from demo-style display names', () => {
    assert.deepEqual(originals(findNames('The Officer said the demo was fine.', index)), []);
    assert.deepEqual(originals(findNames('Demo Officer said so.', index)), ['Demo Officer']);
  });

  it('matches whole words only', () => {
    assert.deepEqual(originals(findNames('Shahnaz and Priyanka are not known.', index)), []);
  });

  it('does not join name parts across a line break or punctuation', () => {
    assert.deepEqual(originals(findNames('Mark, Green', index)), []);
  });

  it('ignores blank and title-only names', () => {
    assert.equal(compileNames(['', '  ', 'Dr']).byFirstPart.size, 0);
  });
});

describe('terms and overlaps', () => {
  it('finds an organisation name as a whole phrase, case-insensitive', () => {
    const text = 'riverside community  trust said; Riverside Community Trustees did not.';
    assert.deepEqual(originals(findTerms(text, ['Riverside Community Trust'], 'organisation')), [
      'riverside community  trust',
    ]);
  });

  it('prefers the longer span (the email over the name inside it)', () => {
    const index = compileNames(['Priya Shah']);
    const result = redactText('Mail priya.shah@example.org or Priya.', { names: index });
    assert.deepEqual(
      result.spans.map((s) => [s.kind, s.original]),
      [
        ['email', 'priya.shah@example.org'],
        ['name', 'Priya'],
      ],
    );
    assert.equal(result.text, 'Mail [email address removed] or [name removed].');
  });

  it('resolveOverlaps drops empty spans and sorts', () => {
    const spans = resolveOverlaps([
      { start: 10, end: 12, kind: 'manual', original: '' },
      { start: 0, end: 4, kind: 'manual', original: '' },
      { start: 3, end: 3, kind: 'manual', original: '' },
      { start: 2, end: 11, kind: 'name', original: '' },
    ]);
    assert.deepEqual(
      spans.map((s) => [s.start, s.end]),
      [[2, 11]],
    );
  });
});

describe('redactText', () => {
  it('redacts every kind in one text and reports each span against the original', () => {
    const original =
      'Priya Shah (priya@riverside.org, 07700 900123) of Riverside Community Trust, LS1 1UR, complained about case CH-2026-000123 on 01/02/2026 about £5,000.';
    const result = redactText(original, {
      names: compileNames(['Priya Shah']),
      organisations: ['Riverside Community Trust'],
    });
    assert.equal(
      result.text,
      '[name removed] ([email address removed], [phone number removed]) of [organisation removed], [postcode removed], complained about case CH-2026-000123 on 01/02/2026 about £5,000.',
    );
    assert.deepEqual(
      result.spans.map((s) => s.kind),
      ['name', 'email', 'phone', 'organisation', 'postcode'],
    );
    for (const s of result.spans) assert.equal(original.slice(s.start, s.end), s.original);
  });

  it('leaves text with nothing personal unchanged', () => {
    const text = 'The council cut our grant with 2 weeks’ notice, against commitment 3.2 of the Covenant.';
    assert.deepEqual(redactText(text, { names: compileNames(['Priya Shah']) }), { text, spans: [] });
  });
});

describe('the redaction service', () => {
  it('loads names from every source and applies reviewed spans', async () => {
    const service = createRedactionService({
      knownNames: [async () => ['Priya Shah', null], async () => ['Olu Okafor']],
    });
    const result = await service.redact('Priya Shah and Olu Okafor met Sam.', { names: ['Sam Jones'] });
    assert.equal(result.text, '[name removed] and [name removed] met [name removed].');
    // A moderator undoes the second span and adds a manual one.
    const reviewed: RedactionSpan[] = [
      result.spans[0]!,
      { start: 30, end: 33, kind: 'manual', original: 'Sam' },
    ];
    assert.equal(
      service.apply('Priya Shah and Olu Okafor met Sam.', reviewed),
      '[name removed] and Olu Okafor met [removed].',
    );
  });
});

describe('organisation names in the index', () => {
  it('removes a known organisation as a whole phrase only', () => {
    const index = compileNames(['Priya Shah'], ['Riverside Community Trust', 'Mind', 'Oxfam', 'Age']);
    const text =
      'Riverside Community Trust and OXFAM wrote; the trust did not mind at any age. Riverside is a place.';
    assert.deepEqual(
      findNames(text, index).map((s) => [s.kind, s.original]),
      [
        ['organisation', 'Riverside Community Trust'],
        ['organisation', 'OXFAM'],
      ],
    );
  });
});
