/**
 * Forms of the survey builder and of responding, validated once at the edge. Messages are catalogue keys
 * (`surveys.form.*`). Dates come from GOV.UK date inputs (`<name>-day`, `-month`, `-year`), joined into
 * `YYYY-MM-DD` first; a closing date means the end of that day in the UK.
 */
import { z } from 'zod';
import { addCalendarDays, isIsoDate, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { KEY_PATTERN, questionTypes, type ChoiceOption, type QuestionType } from './questions/types.ts';
import type { QuestionInput } from './surveys.service.ts';
import { signs } from './surveys.signs.ts';

const F = 'surveys.form';

const text = (max: number, required: string, tooLong: string) =>
  z
    .string({ error: `${F}.${required}` })
    .trim()
    .min(1, `${F}.${required}`)
    .max(max, `${F}.${tooLong}`);
const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, `${F}.${tooLong}`)
    .optional()
    .transform((v) => (v ? v : null));
const isoDate = (name: 'closesAt' | 'opensAt') =>
  z
    .string({ error: `${F}.${name}Required` })
    .min(1, `${F}.${name}Required`)
    .refine((v) => isIsoDate(v), `${F}.${name}Invalid`);
const yesNo = (required: string) =>
  z.enum(['yes', 'no'], { error: `${F}.${required}` }).transform((v) => v === 'yes');
const year = z
  .string({ error: `${F}.yearRequired` })
  .trim()
  .regex(/^\d{4}$/, `${F}.yearRequired`)
  .transform(Number)
  .refine((y) => y >= 2020 && y <= 2100, `${F}.yearRange`);
const key = z
  .string({ error: `${F}.keyRequired` })
  .trim()
  .min(1, `${F}.keyRequired`)
  .regex(KEY_PATTERN, `${F}.keyInvalid`);

/** Joins GOV.UK date inputs into one `YYYY-MM-DD` value ('' when all three are empty, 'invalid' otherwise). */
export function joinDateFields(body: unknown, names: readonly string[]): Record<string, unknown> {
  const values = { ...((body ?? {}) as Record<string, unknown>) };
  for (const name of names) {
    const [d, m, y] = ['day', 'month', 'year'].map((part) => String(values[`${name}-${part}`] ?? '').trim());
    if (!d && !m && !y) values[name] = '';
    else if (/^\d{1,2}$/.test(d!) && /^\d{1,2}$/.test(m!) && /^\d{4}$/.test(y!))
      values[name] = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
    else values[name] = 'invalid';
  }
  return values;
}

/** Date-input field values for a stored instant (its UK calendar date). */
export function dateFieldValues(name: string, instant: Date | null | undefined): Record<string, string> {
  if (!instant) return {};
  const [y, m, d] = toUkIsoDate(instant).split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
}

/** UK midnight at the start of a calendar date (00:00 GMT or BST). */
export function ukStartOfDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const utcMidnight = Date.UTC(y!, m! - 1, d!);
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(utcMidnight),
    ),
  );
  return new Date(utcMidnight - hour * 3_600_000);
}

/** A closing date closes at the end of that day in the UK (one second before midnight). */
export function ukEndOfDay(date: string): Date {
  return new Date(ukStartOfDay(addCalendarDays(date, 1)).getTime() - 1000);
}

export const EditionForm = z
  .object({
    year,
    title: text(200, 'editionTitleRequired', 'editionTitleTooLong'),
    intro: optionalText(3000, 'introTooLong').transform((v) => v ?? ''),
    closesAt: isoDate('closesAt'),
    openLink: yesNo('openLinkRequired'),
  })
  .transform((v) => ({ ...v, closesAt: ukEndOfDay(v.closesAt) }));

export const CopyForm = z
  .object({ year, closesAt: isoDate('closesAt') })
  .transform((v) => ({ ...v, closesAt: ukEndOfDay(v.closesAt) }));

export const PublishForm = z
  .object({ opensAt: isoDate('opensAt'), closesAt: isoDate('closesAt') })
  .superRefine((v, ctx) => {
    if (isIsoDate(v.opensAt) && isIsoDate(v.closesAt) && v.closesAt < v.opensAt)
      ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'surveys.errors.closesBeforeOpens' });
  })
  .transform((v) => ({ opensAt: ukStartOfDay(v.opensAt), closesAt: ukEndOfDay(v.closesAt) }));

export const SectionForm = z.object({
  key,
  title: text(200, 'sectionTitleRequired', 'sectionTitleTooLong'),
  intro: optionalText(2000, 'sectionIntroTooLong'),
});
export const SectionEditForm = SectionForm.omit({ key: true });

export const TypeForm = z.object({ type: z.enum(questionTypes, { error: `${F}.typeRequired` }) });

const optionalNumber = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || /^-?\d+(\.\d+)?$/.test(v), `${F}.numberInvalid`)
  .transform((v) => (v ? Number(v) : null));
const optionalWhole = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max), `${F}.${message}`)
    .transform((v) => (v ? Number(v) : null));

/** "often | Often" or "Often": the value before a bar, or one made from the label. */
export function parseOptionLines(textValue: string): { options: ChoiceOption[]; problem: string | null } {
  const lines = textValue
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const options: ChoiceOption[] = [];
  for (const line of lines) {
    const bar = line.indexOf('|');
    const label = (bar >= 0 ? line.slice(bar + 1) : line).trim();
    const value = (bar >= 0 ? line.slice(0, bar) : slugOf(label)).trim();
    if (!KEY_PATTERN.test(value) || !label) return { options, problem: 'optionInvalid' };
    if (label.length > 200) return { options, problem: 'optionTooLong' };
    if (options.some((o) => o.value === value || o.label === label))
      return { options, problem: 'optionRepeated' };
    options.push({ value, label });
  }
  if (options.length > 30) return { options, problem: 'optionsTooMany' };
  return { options, problem: null };
}

export function slugOf(label: string): string {
  const slug = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return /^[a-z]/.test(slug) ? slug : `a-${slug}`.replace(/-+$/, '');
}

/** Writes options back as the textarea shows them. */
export function optionLines(options: readonly ChoiceOption[] | null | undefined): string {
  return (options ?? [])
    .filter((o) => !o.exclusive)
    .map((o) => (o.value === slugOf(o.label) ? o.label : `${o.value} | ${o.label}`))
    .join('\n');
}

/**
 * A question, for one type (the type is chosen first, on its own page, so each form only asks what that
 * type needs). `principleIds` are the principles offered, so a forged id is refused.
 */
export function questionForm(type: QuestionType, principleIds: readonly string[], withKey: boolean) {
  const signKeys = signs.map((s) => s.key);
  return z
    .object({
      key: withKey ? key : z.string().optional(),
      text: text(500, 'textRequired', 'textTooLong'),
      help: optionalText(1000, 'helpTooLong'),
      required: yesNo('requiredRequired'),
      options: z.string().optional(),
      exclusive: optionalText(200, 'optionTooLong'),
      numberMin: optionalNumber,
      numberMax: optionalNumber,
      numberInteger: z.string().optional(),
      numberSuffix: optionalText(30, 'suffixTooLong'),
      maxLength: optionalWhole(1, 20000, 'maxLengthInvalid'),
      maxBodies: optionalWhole(1, 10, 'maxBodiesInvalid'),
      principleId: z
        .string()
        .optional()
        .refine((v) => !v || principleIds.includes(v), `${F}.principleInvalid`)
        .transform((v) => v || null),
      signKey: z
        .string()
        .optional()
        .refine((v) => !v || signKeys.includes(v), `${F}.signInvalid`)
        .transform((v) => v || null),
    })
    .transform((v, ctx): Omit<QuestionInput, 'key'> & { key: string } => {
      const settings: QuestionInput['settings'] = {};
      if (type === 'single_choice' || type === 'multiple_choice') {
        const { options, problem } = parseOptionLines(v.options ?? '');
        if (problem) ctx.addIssue({ code: 'custom', path: ['options'], message: `${F}.${problem}` });
        const all = [...options];
        if (type === 'multiple_choice' && v.exclusive) {
          const value = slugOf(v.exclusive);
          if (all.some((o) => o.value === value))
            ctx.addIssue({ code: 'custom', path: ['exclusive'], message: `${F}.optionRepeated` });
          all.push({ value, label: v.exclusive, exclusive: true });
        }
        if (!problem && all.length < 2)
          ctx.addIssue({ code: 'custom', path: ['options'], message: `${F}.optionsRequired` });
        settings.options = all;
      }
      if (type === 'number')
        settings.number = {
          min: v.numberMin,
          max: v.numberMax,
          integer: v.numberInteger === 'yes',
          suffix: v.numberSuffix,
        };
      if (type === 'free_text' && v.maxLength) settings.maxLength = v.maxLength;
      if (type === 'body_rating' && v.maxBodies) settings.maxBodies = v.maxBodies;
      return {
        key: v.key ?? '',
        type,
        text: v.text,
        help: v.help,
        required: v.required,
        settings,
        principleId: v.principleId,
        signKey: v.signKey,
      };
    });
}

/** Field values that show a stored question in its form. */
export function questionFieldValues(q: {
  key: string;
  text: string;
  help: string | null;
  required: boolean;
  settings: QuestionInput['settings'];
  principleId: string | null;
  signKey: string | null;
}): Record<string, string> {
  const n = q.settings.number;
  return {
    key: q.key,
    text: q.text,
    help: q.help ?? '',
    required: q.required ? 'yes' : 'no',
    options: optionLines(q.settings.options),
    exclusive: q.settings.options?.find((o) => o.exclusive)?.label ?? '',
    numberMin: n?.min != null ? String(n.min) : '',
    numberMax: n?.max != null ? String(n.max) : '',
    numberInteger: n?.integer ? 'yes' : '',
    numberSuffix: n?.suffix ?? '',
    maxLength: q.settings.maxLength ? String(q.settings.maxLength) : '',
    maxBodies: q.settings.maxBodies ? String(q.settings.maxBodies) : '',
    principleId: q.principleId ?? '',
    signKey: q.signKey ?? '',
  };
}

export const MatchForm = z.object({
  match: z.enum(['all', 'any'], { error: 'surveys.logic.matchRequired' }),
});

export const CopyAnswersForm = z
  .object({
    copy: z.string().optional(),
    copyEmail: z.string().trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.copy !== 'yes') return;
    if (!v.copyEmail)
      ctx.addIssue({ code: 'custom', path: ['copyEmail'], message: 'surveys.respond.copyEmailRequired' });
    else if (!z.email().safeParse(v.copyEmail).success)
      ctx.addIssue({ code: 'custom', path: ['copyEmail'], message: 'surveys.respond.copyEmailInvalid' });
  })
  .transform((v) => (v.copy === 'yes' && v.copyEmail ? v.copyEmail.toLowerCase() : null));
