/**
 * Pure rules of consultation analysis (issue 7, item 4): the heat view of paragraph comments, principle
 * views, respondent types, and analysts' tags. No I/O: the repository gives materialised counts, these
 * functions shape them for pages and the API.
 *
 * Counts come from submitted responses only (drafts are never counted, SPEC §7 and the issue's bad input).
 */

export const stances = ['agree', 'disagree', 'suggest_change'] as const;
export type Stance = (typeof stances)[number];

export const principleViewValues = ['support', 'support_with_changes', 'oppose', 'no_view'] as const;
export type PrincipleViewValue = (typeof principleViewValues)[number];

/** Shading steps of the heat view. 0 is "no comments"; 4 is the most commented paragraph(s). */
export const HEAT_BANDS = 4;

/** One materialised count: `dimension` / `key` / `bucket` → `count` (see consultations.analysis.tables.ts). */
export interface CountCell {
  dimension: string;
  key: string;
  bucket: string;
  count: number;
}

export interface HeatParagraph {
  key: string;
  position: number;
  kind: string;
  text: string;
}

export interface StanceSplit {
  agree: number;
  disagree: number;
  suggest_change: number;
}

export interface HeatRow extends StanceSplit {
  key: string;
  /** The paragraph's number in the version consulted on (headings are not numbered). */
  number: number | null;
  kind: string;
  text: string;
  total: number;
  /** 0 (none) to HEAT_BANDS (most): shading, always shown with the number so colour is never needed. */
  band: number;
  /** Share of all paragraph comments, in whole per cent. */
  percent: number;
  /** The paragraph is not in the version consulted on (a comment made on another version). */
  orphan: boolean;
}

const emptySplit = (): StanceSplit => ({ agree: 0, disagree: 0, suggest_change: 0 });

/** Whole-number percentage of `part` in `whole` (0 when the whole is 0). */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((100 * part) / whole) : 0;
}

/** Shading band of `count` against the largest count: 0 for none, else 1..HEAT_BANDS, proportional. */
export function heatBand(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.max(1, Math.min(HEAT_BANDS, Math.ceil((HEAT_BANDS * count) / max)));
}

/** Numbers text paragraphs 1, 2, 3… in order; headings get none (as the consultation page shows them). */
export function paragraphNumbers(paragraphs: readonly HeatParagraph[]): Map<string, number | null> {
  const numbers = new Map<string, number | null>();
  let n = 0;
  for (const p of [...paragraphs].sort((a, b) => a.position - b.position))
    numbers.set(p.key, p.kind === 'heading' ? null : ++n);
  return numbers;
}

/**
 * The heat view: one row per paragraph of the version consulted on, in document order, with its comments
 * split by stance; then rows for keys commented on but not in that version (kept, never dropped).
 */
export function heatRows(
  paragraphs: readonly HeatParagraph[],
  cells: readonly CountCell[],
): { rows: HeatRow[]; total: number; max: number } {
  const byKey = new Map<string, StanceSplit>();
  for (const c of cells) {
    if (c.dimension !== 'paragraph') continue;
    const split = byKey.get(c.key) ?? emptySplit();
    if ((stances as readonly string[]).includes(c.bucket)) split[c.bucket as Stance] += c.count;
    byKey.set(c.key, split);
  }
  const sum = (s: StanceSplit) => s.agree + s.disagree + s.suggest_change;
  const total = [...byKey.values()].reduce((a, s) => a + sum(s), 0);
  const max = Math.max(0, ...[...byKey.values()].map(sum));
  const numbers = paragraphNumbers(paragraphs);
  const row = (p: HeatParagraph | undefined, key: string): HeatRow => {
    const split = byKey.get(key) ?? emptySplit();
    const n = sum(split);
    return {
      key,
      number: p ? (numbers.get(key) ?? null) : null,
      kind: p?.kind ?? 'text',
      text: p?.text ?? '',
      ...split,
      total: n,
      band: heatBand(n, max),
      percent: percentOf(n, total),
      orphan: !p,
    };
  };
  const ordered = [...paragraphs].sort((a, b) => a.position - b.position);
  const known = new Set(ordered.map((p) => p.key));
  const rows = ordered.map((p) => row(p, p.key));
  for (const key of [...byKey.keys()].filter((k) => !known.has(k)).sort()) rows.push(row(undefined, key));
  return { rows, total, max };
}

export interface PrincipleRef {
  id: string;
  title: string;
  position: number;
}

export interface PrincipleRow {
  id: string;
  title: string;
  counts: Record<PrincipleViewValue, number>;
  percents: Record<PrincipleViewValue, number>;
  total: number;
}

/** Views on each principle (support, support with changes, oppose, no view), in the principles' order. */
export function principleRows(
  principles: readonly PrincipleRef[],
  cells: readonly CountCell[],
): PrincipleRow[] {
  return [...principles]
    .sort((a, b) => a.position - b.position)
    .map((p) => {
      const counts = Object.fromEntries(principleViewValues.map((v) => [v, 0])) as Record<
        PrincipleViewValue,
        number
      >;
      for (const c of cells)
        if (c.dimension === 'principle' && c.key === p.id && c.bucket in counts)
          counts[c.bucket as PrincipleViewValue] += c.count;
      const total = principleViewValues.reduce((a, v) => a + counts[v], 0);
      const percents = Object.fromEntries(
        principleViewValues.map((v) => [v, percentOf(counts[v], total)]),
      ) as Record<PrincipleViewValue, number>;
      return { id: p.id, title: p.title, counts, percents, total };
    });
}

export interface RespondentTypeView {
  total: number;
  individuals: number;
  organisations: number;
  /** Organisations by type and by size, most first (ties by name). */
  byOrganisationType: { value: string; count: number; percent: number }[];
  byOrganisationSize: { value: string; count: number; percent: number }[];
}

/** Submitted responses by respondent type, and organisations by type and size. */
export function respondentTypeView(cells: readonly CountCell[]): RespondentTypeView {
  let individuals = 0;
  let organisations = 0;
  const types = new Map<string, number>();
  const sizes = new Map<string, number>();
  for (const c of cells) {
    if (c.dimension === 'respondent') {
      if (c.key === 'individual') individuals += c.count;
      else if (c.key === 'organisation') organisations += c.count;
    } else if (c.dimension === 'organisation_type') {
      types.set(c.key, (types.get(c.key) ?? 0) + c.count);
    } else if (c.dimension === 'organisation_size') {
      sizes.set(c.key, (sizes.get(c.key) ?? 0) + c.count);
    }
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .map(([value, count]) => ({ value, count, percent: percentOf(count, organisations) }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return {
    total: individuals + organisations,
    individuals,
    organisations,
    byOrganisationType: list(types),
    byOrganisationSize: list(sizes),
  };
}

/** The longest tag an analyst may give. */
export const MAX_TAG_LENGTH = 40;

/**
 * An analyst's tag, normalised so "Funding ", "funding" and "FUNDING" are one tag: trimmed, inner spaces
 * collapsed, lower case. Null when empty or too long (the form says so).
 */
export function normaliseTag(raw: string): string | null {
  const tag = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  if (tag === '' || tag.length > MAX_TAG_LENGTH) return null;
  return tag;
}

/**
 * The free-text questions of a consultation (themed per question), from its survey-builder definition:
 * a form `{ sections: [{ questions }] }` or a plain list of questions. Anything else gives none.
 */
export function freeTextQuestions(definition: unknown): { key: string; text: string }[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  const questions: unknown[] = Array.isArray(definition)
    ? definition
    : isObject(definition) && Array.isArray(definition.sections)
      ? definition.sections.flatMap((s: unknown) =>
          isObject(s) && Array.isArray(s.questions) ? (s.questions as unknown[]) : [],
        )
      : [];
  return questions
    .filter(isObject)
    .filter((q) => q.type === 'free_text' && typeof q.key === 'string')
    .map((q) => ({ key: q.key as string, text: typeof q.text === 'string' ? q.text : (q.key as string) }));
}

/** Page size of the analysts' lists (comments, theme members, responses). */
export const PAGE_SIZE = 50;

/** Offset of a 1-based page number from a query string (bad or missing values give page 1). */
export function pageOf(raw: unknown): { page: number; offset: number } {
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  const page = Math.max(1, n);
  return { page, offset: (page - 1) * PAGE_SIZE };
}
