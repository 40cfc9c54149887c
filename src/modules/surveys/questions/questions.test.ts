import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../../platform/i18n/i18n.ts';
import { createNunjucksEnvironment } from '../../../platform/views/views.ts';
import {
  answerSummaryRows,
  answersAsText,
  checkForm,
  fieldValuesFor,
  formDefinitionSchema,
  formProblemMessages,
  missingRequired,
  nextSection,
  pageView,
  parsePage,
  previousSection,
  pruneHiddenAnswers,
  resolveVisibility,
  type FormDefinition,
  type QuestionDefinition,
} from './index.ts';

const t = translator('en');

const engaged: QuestionDefinition = {
  key: 'engaged',
  type: 'single_choice',
  text: 'Have you worked with a public body this year?',
  required: true,
  options: [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
  ],
};
const listened: QuestionDefinition = {
  key: 'listened',
  type: 'agreement',
  text: 'Our expertise was listened to',
  required: true,
};
const why: QuestionDefinition = { key: 'why', type: 'free_text', text: 'Tell us why', required: false };

function form(): FormDefinition {
  return {
    sections: [
      { key: 'about', title: 'About your work', questions: [engaged] },
      {
        key: 'experience',
        title: 'Your experience',
        showIf: { match: 'all', clauses: [{ question: 'engaged', operator: 'equals', value: 'yes' }] },
        questions: [listened, why],
      },
      {
        key: 'more',
        title: 'Anything else',
        questions: [
          {
            key: 'follow-up',
            type: 'free_text',
            text: 'What would help?',
            required: false,
            showIf: {
              match: 'any',
              clauses: [
                { question: 'listened', operator: 'any_of', value: ['disagree', 'strongly_disagree'] },
              ],
            },
          },
          {
            key: 'staff',
            type: 'number',
            text: 'How many staff?',
            required: false,
            number: { min: 0, integer: true },
          },
        ],
      },
    ],
  };
}

test('a well-formed form has no problems', () => {
  assert.deepEqual(checkForm(form()), []);
});

test('skip logic shows a section only when an earlier answer holds', () => {
  const f = form();
  assert.deepEqual([...resolveVisibility(f, { engaged: 'no' }).sections], ['about', 'more']);
  assert.deepEqual([...resolveVisibility(f, { engaged: 'yes' }).sections], ['about', 'experience', 'more']);
  assert.equal(nextSection(f, { engaged: 'no' }, 'about')?.key, 'more');
  assert.equal(nextSection(f, { engaged: 'yes' }, 'about')?.key, 'experience');
  assert.equal(previousSection(f, { engaged: 'no' }, 'more')?.key, 'about');
  assert.equal(nextSection(f, { engaged: 'yes' }, 'more'), null);
});

test('a question is shown depending on an answer in an earlier section', () => {
  const f = form();
  const shown = resolveVisibility(f, { engaged: 'yes', listened: 'disagree' }).questions;
  assert.ok(shown.has('follow-up'));
  assert.ok(!resolveVisibility(f, { engaged: 'yes', listened: 'agree' }).questions.has('follow-up'));
  // A hidden section's answers do not count for later conditions.
  assert.ok(!resolveVisibility(f, { engaged: 'no', listened: 'disagree' }).questions.has('follow-up'));
});

test('answers to questions that become hidden are dropped', () => {
  const f = form();
  const before = { engaged: 'yes', listened: 'disagree', why: 'Because', 'follow-up': 'More time' };
  assert.deepEqual(pruneHiddenAnswers(f, before), before);
  assert.deepEqual(pruneHiddenAnswers(f, { ...before, engaged: 'no' }), { engaged: 'no' });
});

test('missing required answers are only those shown', () => {
  const f = form();
  assert.deepEqual(missingRequired(f, {}), [{ sectionKey: 'about', questionKey: 'engaged' }]);
  assert.deepEqual(missingRequired(f, { engaged: 'no' }), []);
  assert.deepEqual(missingRequired(f, { engaged: 'yes' }), [
    { sectionKey: 'experience', questionKey: 'listened' },
  ]);
});

test('checkForm refuses a cycle and reports its path', () => {
  const f: FormDefinition = {
    sections: [
      {
        key: 'one',
        title: 'One',
        questions: [
          { ...engaged, showIf: { match: 'all', clauses: [{ question: 'listened', operator: 'answered' }] } },
        ],
      },
      {
        key: 'two',
        title: 'Two',
        questions: [
          { ...listened, showIf: { match: 'all', clauses: [{ question: 'engaged', operator: 'answered' }] } },
        ],
      },
    ],
  };
  const problems = checkForm(f);
  const cycle = problems.find((p) => p.code === 'cycle');
  assert.ok(cycle, JSON.stringify(problems));
  assert.equal(cycle.params.path, 'engaged → listened → engaged');
  assert.ok(problems.some((p) => p.code === 'forward_reference' && p.key === 'engaged'));
  assert.match(formProblemMessages([cycle], t)[0]!, /go round in a circle/);
});

test('checkForm refuses a section that depends on its own question', () => {
  const f: FormDefinition = {
    sections: [
      {
        key: 'one',
        title: 'One',
        showIf: { match: 'all', clauses: [{ question: 'engaged', operator: 'equals', value: 'yes' }] },
        questions: [engaged],
      },
    ],
  };
  const codes = checkForm(f).map((p) => p.code);
  assert.ok(codes.includes('cycle'));
  assert.ok(codes.includes('forward_reference'));
});

test('checkForm refuses logic that hides a required question unconditionally', () => {
  const contradictory: FormDefinition = {
    sections: [
      { key: 'about', title: 'About', questions: [engaged] },
      {
        key: 'next',
        title: 'Next',
        questions: [
          {
            ...listened,
            showIf: {
              match: 'all',
              clauses: [
                { question: 'engaged', operator: 'equals', value: 'yes' },
                { question: 'engaged', operator: 'equals', value: 'no' },
              ],
            },
          },
        ],
      },
    ],
  };
  assert.deepEqual(
    checkForm(contradictory).map((p) => [p.code, p.key]),
    [['required_never_shown', 'listened']],
  );
  // "Not answered" on a required question that is always shown can never hold.
  const impossibleEmpty: FormDefinition = {
    sections: [
      { key: 'about', title: 'About', questions: [engaged] },
      {
        key: 'next',
        title: 'Next',
        showIf: { match: 'all', clauses: [{ question: 'engaged', operator: 'not_answered' }] },
        questions: [listened],
      },
    ],
  };
  assert.deepEqual(
    checkForm(impossibleEmpty).map((p) => p.code),
    ['required_never_shown'],
  );
  // Optional: a different message, still refused.
  const optional = structuredClone(impossibleEmpty);
  optional.sections[1]!.questions[0]!.required = false;
  assert.deepEqual(
    checkForm(optional).map((p) => p.code),
    ['never_shown'],
  );
  // Transitive: depends on a question that can never be shown.
  const chain = structuredClone(contradictory);
  chain.sections.push({
    key: 'last',
    title: 'Last',
    questions: [
      {
        ...why,
        required: true,
        showIf: { match: 'all', clauses: [{ question: 'listened', operator: 'answered' }] },
      },
    ],
  });
  assert.deepEqual(
    checkForm(chain).map((p) => p.key),
    ['listened', 'why'],
  );
  // Number ranges that cannot meet.
  const numbers: FormDefinition = {
    sections: [
      {
        key: 'a',
        title: 'A',
        questions: [{ key: 'n', type: 'number', text: 'N', required: true, number: { integer: true } }],
      },
      {
        key: 'b',
        title: 'B',
        questions: [
          {
            ...why,
            required: true,
            showIf: {
              match: 'all',
              clauses: [
                { question: 'n', operator: 'at_least', value: 5.2 },
                { question: 'n', operator: 'at_most', value: 5.8 },
              ],
            },
          },
        ],
      },
    ],
  };
  assert.deepEqual(
    checkForm(numbers).map((p) => p.code),
    ['required_never_shown'],
  );
});

test('checkForm refuses unknown references, bad operators and values, duplicate keys and options', () => {
  const f: FormDefinition = {
    sections: [
      {
        key: 'about',
        title: 'About',
        questions: [engaged, { ...engaged, options: [{ value: 'x', label: 'X' }] }],
      },
      {
        key: 'next',
        title: 'Next',
        questions: [
          { ...listened, showIf: { match: 'all', clauses: [{ question: 'nope', operator: 'answered' }] } },
          {
            ...why,
            showIf: { match: 'all', clauses: [{ question: 'engaged', operator: 'at_least', value: 2 }] },
          },
          {
            key: 'third',
            type: 'free_text',
            text: 'Third',
            required: false,
            showIf: { match: 'all', clauses: [{ question: 'engaged', operator: 'equals', value: 'maybe' }] },
          },
          {
            key: 'Bad Key',
            type: 'multiple_choice',
            text: 'Pick',
            required: false,
            options: [
              { value: 'a', label: 'A' },
              { value: 'a', label: 'A again' },
            ],
          },
          {
            key: 'empty',
            type: 'free_text',
            text: 'E',
            required: false,
            showIf: { match: 'all', clauses: [] },
          },
        ],
      },
    ],
  };
  const codes = checkForm(f).map((p) => `${p.code}:${p.key}`);
  for (const expected of [
    'duplicate_key:engaged',
    'unknown_reference:listened',
    'operator_not_allowed:why',
    'bad_value:third',
    'bad_key:Bad Key',
    'duplicate_option:Bad Key',
    'empty_condition:empty',
  ])
    assert.ok(codes.includes(expected), `${expected} in ${codes.join(', ')}`);
});

test('parsePage validates each type and produces GOV.UK messages', () => {
  const questions: QuestionDefinition[] = [
    engaged,
    listened,
    {
      key: 'kinds',
      type: 'multiple_choice',
      text: 'Which kinds of work?',
      required: true,
      options: [
        { value: 'grants', label: 'Grants' },
        { value: 'contracts', label: 'Contracts' },
        { value: 'none', label: 'None of these', exclusive: true },
      ],
    },
    {
      key: 'staff',
      type: 'number',
      text: 'How many staff?',
      required: true,
      number: { min: 0, max: 1000, integer: true },
    },
    { key: 'why', type: 'free_text', text: 'Why?', required: false, maxLength: 10 },
  ];
  const empty = parsePage(questions, {}, t);
  assert.equal(empty.success, false);
  if (!empty.success) {
    assert.deepEqual(
      empty.errors.list.map((e) => e.href),
      ['#engaged', '#listened', '#kinds', '#staff'],
    );
    assert.equal(
      empty.errors.list[0]!.text,
      'Select an answer to ‘Have you worked with a public body this year?’',
    );
    assert.match(empty.errors.list[1]!.text, /how much you agree or disagree/);
  }
  const bad = parsePage(
    questions,
    { engaged: 'perhaps', listened: 'agree', kinds: ['grants', 'none'], staff: '2.5', why: 'x'.repeat(11) },
    t,
  );
  assert.equal(bad.success, false);
  if (!bad.success) {
    assert.equal(
      bad.errors.byField.engaged!.text,
      'Select one of the answers shown for ‘Have you worked with a public body this year?’',
    );
    assert.match(bad.errors.byField.kinds!.text, /None of these/);
    assert.equal(bad.errors.byField.staff!.text, 'Enter a whole number for ‘How many staff?’');
    assert.match(bad.errors.byField.why!.text, /10 characters or fewer/);
    assert.equal(bad.values.engaged, 'perhaps');
  }
  assert.ok(!parsePage([questions[3]!], { staff: '1001' }, t).success);
  assert.ok(!parsePage([questions[3]!], { staff: 'ten' }, t).success);
  const good = parsePage(
    questions,
    { engaged: 'yes', listened: 'agree', kinds: ['contracts', 'grants'], staff: '1,000', why: '' },
    t,
  );
  assert.deepEqual(good, {
    success: true,
    answers: { engaged: 'yes', listened: 'agree', kinds: ['grants', 'contracts'], staff: 1000 },
    cleared: ['why'],
  });
});

test('body ratings: bodies from the list, no repeats, a rating each', () => {
  const q: QuestionDefinition = {
    key: 'bodies',
    type: 'body_rating',
    text: 'Rate the bodies',
    required: true,
    maxBodies: 3,
  };
  const bodies = [
    { id: 'b1', name: 'Home Office' },
    { id: 'b2', name: 'Leeds City Council' },
  ];
  const none = parsePage([q], {}, t, { bodies });
  assert.ok(!none.success && none.errors.list[0]!.href === '#bodies-body-1');
  const noRating = parsePage([q], { 'bodies-body-1': 'b1' }, t, { bodies });
  assert.ok(!noRating.success && noRating.errors.byField['bodies-rating-1']!.text.includes('Home Office'));
  const repeated = parsePage(
    [q],
    { 'bodies-body-1': 'b1', 'bodies-rating-1': '4', 'bodies-body-2': 'b1', 'bodies-rating-2': '2' },
    t,
    { bodies },
  );
  assert.ok(!repeated.success && repeated.errors.byField['bodies-body-2']!.text.includes('already rated'));
  const unknown = parsePage([q], { 'bodies-body-1': 'zzz', 'bodies-rating-1': '4' }, t, { bodies });
  assert.ok(!unknown.success);
  const ok = parsePage(
    [q],
    { 'bodies-body-1': 'b2', 'bodies-rating-1': '4', 'bodies-body-3': 'b1', 'bodies-rating-3': '1' },
    t,
    { bodies },
  );
  assert.deepEqual(ok.success && ok.answers.bodies, [
    { bodyId: 'b2', rating: 4 },
    { bodyId: 'b1', rating: 1 },
  ]);
  if (ok.success) {
    assert.deepEqual(fieldValuesFor([q], ok.answers), {
      'bodies-body-1': 'b2',
      'bodies-rating-1': '4',
      'bodies-body-2': 'b1',
      'bodies-rating-2': '1',
    });
    assert.equal(
      answersAsText([q], ok.answers, t, { bodies }),
      'Rate the bodies\nLeeds City Council: Good; Home Office: Very poor',
    );
  }
});

test('summary rows show labels and "Not answered", with change links', () => {
  const rows = answerSummaryRows(
    [engaged, listened, why],
    { engaged: 'yes', listened: 'strongly_agree' },
    t,
    {
      changeHref: (q) => `/change/${q.key}`,
    },
  );
  assert.deepEqual(
    rows.map((r) => r.value.text),
    ['Yes', 'Strongly agree', 'Not answered'],
  );
  assert.equal(rows[2]!.actions!.items[0]!.href, '/change/why');
});

test('the macros render every type of question with values and errors', () => {
  const env = createNunjucksEnvironment(false);
  const questions: QuestionDefinition[] = [
    engaged,
    listened,
    {
      key: 'kinds',
      type: 'multiple_choice',
      text: 'Kinds',
      required: false,
      options: [
        { value: 'a', label: 'A' },
        { value: 'n', label: 'None', exclusive: true },
      ],
    },
    why,
    { key: 'staff', type: 'number', text: 'Staff', required: false, number: { suffix: 'people' } },
    { key: 'bodies', type: 'body_rating', text: 'Rate', required: false, maxBodies: 2 },
  ];
  const result = parsePage(questions, { engaged: 'x' }, t);
  assert.ok(!result.success);
  const view = pageView(
    { key: 's', title: 'Section title', questions },
    questions,
    result.success ? {} : result.values,
    result.success ? undefined : result.errors,
    t,
    { bodies: [{ id: 'b1', name: 'Home Office' }] },
  );
  const html = env.renderString(
    '{% from "modules/surveys/questions/views/macros.njk" import engineQuestions with context %}{{ engineQuestions(views) }}',
    { views: view.questionViews, t },
  );
  for (const fragment of [
    'name="engaged"',
    'value="strongly_agree"',
    'data-behaviour="exclusive"',
    'govuk-character-count',
    'people',
    'name="bodies-body-2"',
    'Home Office',
    'govuk-error-message',
    'Why? (optional)'.replace('Why?', 'Tell us why'),
  ])
    assert.ok(html.includes(fragment), fragment);
  // One question and no intro: the question is the page heading.
  const single = pageView({ key: 's', title: 'S', questions: [engaged] }, [engaged], {}, undefined, t);
  assert.equal(single.singleQuestion, true);
  assert.equal(single.pageTitle, engaged.text);
});

test('stored definitions are checked for shape', () => {
  assert.ok(formDefinitionSchema.safeParse(form()).success);
  assert.ok(!formDefinitionSchema.safeParse({ sections: [{ key: 'a', title: '', questions: [] }] }).success);
});

test('checkForm refuses a question whose rule contradicts its section’s rule', () => {
  const f = form();
  // The section is shown only when engaged = yes; a required question in it asks for engaged = no.
  f.sections[1]!.questions[0] = {
    ...listened,
    showIf: { match: 'all', clauses: [{ question: 'engaged', operator: 'equals', value: 'no' }] },
  };
  assert.deepEqual(
    checkForm(f).map((p) => [p.code, p.key]),
    // …and the follow-up, shown only after an answer to it, can never be shown either.
    [
      ['required_never_shown', 'listened'],
      ['never_shown', 'follow-up'],
    ],
  );
  // With an "any" rule of several clauses on the question, the two are not combined (it may still hold).
  f.sections[1]!.questions[0]!.showIf = {
    match: 'any',
    clauses: [
      { question: 'engaged', operator: 'equals', value: 'no' },
      { question: 'engaged', operator: 'answered' },
    ],
  };
  assert.deepEqual(checkForm(f), []);
});
