/** Turns match results and opportunities into the words a person reads (shared by pages and the API). */
import type { Translate } from '../../platform/i18n/i18n.ts';
import type { MatchResult, Reason } from './exchange.matching.ts';
import type { OpportunityRow } from './exchange.repository.ts';

/** A skill or tag value as shown: a vocabulary label, or the tag itself. */
export function skillLabel(t: Translate, value: string): string {
  return value.startsWith('tag:') ? value.slice(4) : t(`exchange.skills.${value}`);
}

/** One reason as a sentence, e.g. "Matches 3 of 4 skills wanted: Grant making, Digital, evaluation". */
export function reasonText(t: Translate, reason: Reason): string {
  const params: Record<string, string | number> = { ...reason.params };
  if (reason.key === 'exchange.match.notEligibleSide')
    params.side = t(`exchange.sides.${params.side}`).toLowerCase();
  if (reason.key === 'exchange.match.placeSameNation' || reason.key === 'exchange.match.placeFar')
    if (params.nation) params.nation = t(`directory.nations.${params.nation}`);
  const items = reason.items ?? [];
  let labels: string[];
  if (reason.key === 'exchange.match.notEligibleNation')
    labels = items.map((n) => t(`directory.nations.${n}`));
  else if (reason.key === 'exchange.match.notEligibleSector')
    labels = items.map((a) => t(`directory.areas.${a}`));
  else labels = items.map((s) => skillLabel(t, s));
  params.items = labels.join(', ');
  let text = t(reason.key, params);
  if (
    (reason.key === 'exchange.match.skills' || reason.key === 'exchange.match.skillsNone') &&
    Number(reason.params?.learn ?? 0) > 0
  )
    text += `. ${t('exchange.match.skillsLearn', { learn: reason.params!.learn! })}`;
  return text;
}

export interface PresentedMatch {
  eligible: boolean;
  score: number | null;
  parts: { name: string; points: number; max: number; text: string }[];
  reasons: string[];
}

export function presentMatch(t: Translate, result: MatchResult): PresentedMatch {
  if (!result.eligible)
    return { eligible: false, score: null, parts: [], reasons: result.reasons.map((r) => reasonText(t, r)) };
  const parts = (['skills', 'place', 'dates', 'clearance'] as const).map((name) => ({
    name: t(`exchange.match.parts.${name}`),
    points: result.parts[name].points,
    max: result.parts[name].max,
    text: reasonText(t, result.parts[name].reason),
  }));
  return { eligible: true, score: result.score, parts, reasons: parts.map((p) => p.text) };
}

export function placeText(
  t: Translate,
  o: Pick<OpportunityRow, 'workMode' | 'placeName' | 'nation'>,
): string {
  if (o.workMode === 'remote') return t('exchange.workModes.remote');
  const where = [o.placeName, o.nation ? t(`directory.nations.${o.nation}`) : null]
    .filter(Boolean)
    .join(', ');
  return `${where} (${t(`exchange.workModes.${o.workMode}`)})`;
}

export function durationText(
  t: Translate,
  o: Pick<OpportunityRow, 'durationValue' | 'durationUnit'>,
): string {
  return t(`exchange.durationUnits.${o.durationUnit}`, { n: o.durationValue });
}
