/**
 * The Covenant's progress signs and warning signs (gov.uk illustration document; domain reference §1.5),
 * which questions can be tied to. Only the Recognition and value section was published in full; the
 * document calls the list illustrative, not exhaustive.
 */
export interface Sign {
  key: string;
  kind: 'progress' | 'warning';
  principleSlug: string;
  text: string;
}

export const signs: readonly Sign[] = [
  {
    key: 'expertise-listened',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'Civil society can see its expertise was listened to in policy and service design',
  },
  {
    key: 'implications-assessed',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'The implications for civil society of new policy, legislation and guidance are assessed effectively',
  },
  {
    key: 'mutual-respect',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'Partnership continues with mutual respect despite disagreement',
  },
  {
    key: 'social-value-fair',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'Social value models do not unfairly disadvantage civil society organisations',
  },
  {
    key: 'campaign-freely',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'Civil society campaigns and holds government to account regardless of any relationship, financial or otherwise',
  },
  {
    key: 'standards-met',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'Both sides meet legal, regulatory and ethical standards',
  },
  {
    key: 'diverse-smaller',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'More opportunities for diverse and smaller organisations to engage',
  },
  {
    key: 'fair-process',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'Civil society sees the decision process as fair even when it disagrees with the outcome',
  },
  {
    key: 'knowledge-shared',
    kind: 'progress',
    principleSlug: 'recognition-and-value',
    text: 'Both sides share knowledge of their decision-making and governance structures',
  },
  {
    key: 'constraints-misunderstood',
    kind: 'warning',
    principleSlug: 'recognition-and-value',
    text: 'Each side feels the other fails to understand its constraints, and discussion has not closed the gap',
  },
  {
    key: 'self-censorship',
    kind: 'warning',
    principleSlug: 'recognition-and-value',
    text: 'Civil society organisations report self-censorship from fear of consequences if they speak out',
  },
];

export function signByKey(key: string | null | undefined): Sign | undefined {
  return signs.find((s) => s.key === key);
}
