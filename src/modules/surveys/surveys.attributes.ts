/**
 * The respondent attributes every edition asks first ("About your organisation"): organisation type,
 * income band, nation, English region and role. They are kept with the response for breakdowns; nothing
 * else about the respondent is. Built as question-engine questions so the page, validation and skip logic
 * (region only for England) are the engine's.
 */
import { englishRegions, incomeBands } from '../directory/directory.taxonomy.ts';
import type { QuestionDefinition, SectionDefinition } from './questions/types.ts';

export const NOT_STATED = 'not_stated';

export const attributeNames = ['organisationType', 'incomeBand', 'nation', 'region', 'role'] as const;
export type AttributeName = (typeof attributeNames)[number];
export type Attributes = Record<AttributeName, string>;

export const organisationTypes = [
  'charity',
  'community_group',
  'social_enterprise',
  'cooperative_mutual',
  'faith_group',
  'infrastructure',
  'other',
] as const;
export const respondentNations = ['england', 'wales', 'scotland', 'northern-ireland', 'uk-wide'] as const;
export const regionValues = englishRegions.map((r) => r.toLowerCase().replace(/ /g, '-'));
export const respondentRoles = ['chief_executive', 'trustee', 'staff', 'volunteer', 'other'] as const;

/** Values of each attribute (without `not_stated`), in the order tables list them. */
export const attributeValues: Record<AttributeName, readonly string[]> = {
  organisationType: organisationTypes,
  incomeBand: [...incomeBands, 'not_known'],
  nation: respondentNations,
  region: [...regionValues, 'outside-england'],
  role: respondentRoles,
};

/** Question keys of the attribute questions; reserved, so the builder refuses them. */
export const attributeQuestionKeys: Record<AttributeName, string> = {
  organisationType: 'organisation-type',
  incomeBand: 'income-band',
  nation: 'nation',
  region: 'region',
  role: 'role',
};
export const ATTRIBUTES_SECTION = 'about-your-organisation';
/**
 * Region has its own page, shown only to organisations working mainly in England: skip logic may only use
 * answers from earlier pages (the pages work without JavaScript), so it cannot share the nation's page.
 */
export const REGION_SECTION = 'your-region';

const PREFER_NOT = 'prefer_not_to_say';

/** The first pages of every edition: the organisation, then (England only) its region. */
/** The first pages of every edition: the organisation, then (England only) its region. */
export function attributesSections(t: (key: string) => string): SectionDefinition[] {
  const choice = (name: AttributeName, values: readonly string[], help?: string): QuestionDefinition => ({
    key: attributeQuestionKeys[name],
    type: 'single_choice',
    text: t(`surveys.attributes.${name}.question`),
    help: help ?? null,
    required: true,
    options: [
      ...values.map((v) => ({ value: v, label: t(`surveys.attributes.${name}.values.${v}`) })),
      { value: PREFER_NOT, label: t('surveys.attributes.preferNot') },
    ],
  });
  return [
    {
      key: ATTRIBUTES_SECTION,
      title: t('surveys.attributes.title'),
      intro: t('surveys.attributes.intro'),
      questions: [
        choice('organisationType', organisationTypes),
        choice('incomeBand', attributeValues.incomeBand, t('surveys.attributes.incomeBand.help')),
        choice('nation', respondentNations),
        choice('role', respondentRoles),
      ],
    },
    {
      key: REGION_SECTION,
      title: t('surveys.attributes.regionTitle'),
      showIf: { match: 'all', clauses: [{ question: 'nation', operator: 'equals', value: 'england' }] },
      questions: [choice('region', regionValues)],
    },
  ];
}

/** The attributes from a draft's answers; anything not given (or "prefer not to say") is `not_stated`. */
export function attributesFrom(answers: Record<string, unknown>): Attributes {
  const out = {} as Attributes;
  for (const name of attributeNames) {
    const value = answers[attributeQuestionKeys[name]];
    out[name] = typeof value === 'string' && attributeValues[name].includes(value) ? value : NOT_STATED;
  }
  // Region applies to England only; elsewhere it is "outside England", not "not stated".
  if (out.nation !== 'england' && out.nation !== NOT_STATED) out.region = 'outside-england';
  return out;
}
