/** Forms for exchange opportunities, profiles, applications, decisions and reflections (messages are catalogue keys). */
import { z } from 'zod';
import { isIsoDate } from '../../platform/calendar/iso-date.ts';
import { areasOfWork, englishRegions, nations } from '../directory/directory.taxonomy.ts';
import {
  applicationKinds,
  clearanceLevels,
  durationUnits,
  exchangeOutcomes,
  opportunityKinds,
  opportunityStatuses,
  parseTags,
  sides,
  skills,
  workModes,
} from './exchange.vocabulary.ts';

const E = 'exchange.errors.';

/** A checkbox group arrives as nothing, one string or several. */
export const list = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : [v].flat()),
    z.array(z.enum(values, { message })).max(values.length, { message }),
  );

const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() ? v.trim() : null),
  z.string().nullable(),
);

/**
 * GOV.UK date inputs post three fields (`<name>-day`, `-month`, `-year`); this joins them into an ISO date
 * (or the raw text when it is not one, so zod can reject it) before parsing.
 */
export function joinDateFields(
  body: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  const out = { ...body };
  for (const name of names) {
    const [d, m, y] = ['day', 'month', 'year'].map((p) => String(body[`${name}-${p}`] ?? '').trim());
    if (!d && !m && !y) {
      if (!(name in body)) out[name] = '';
      continue;
    }
    const iso = `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    out[name] = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : `${y}-${m}-${d}`;
  }
  return out;
}

const isoDate = z.string({ message: `${E}dateInvalid` }).refine(isIsoDate, { message: `${E}dateInvalid` });
const optionalIsoDate = z.preprocess((v) => (v === '' || v === undefined ? null : v), isoDate.nullable());
const gss = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() ? v.trim().toUpperCase() : null),
  z
    .string()
    .regex(/^[EWSN]\d{8}$/, { message: `${E}gssInvalid` })
    .nullable(),
);
const region = z.preprocess(
  (v) => (v === '' || v === undefined ? null : v),
  z.enum(englishRegions).nullable(),
);

export const OpportunityForm = z
  .object({
    organisationId: z
      .string({ message: `${E}organisationRequired` })
      .uuid({ message: `${E}organisationRequired` }),
    kind: z.enum(opportunityKinds, { message: `${E}kindRequired` }),
    title: z
      .string({ message: `${E}titleRequired` })
      .trim()
      .min(1, `${E}titleRequired`)
      .max(150, `${E}titleTooLong`),
    description: z
      .string({ message: `${E}descriptionRequired` })
      .trim()
      .min(1, `${E}descriptionRequired`)
      .max(5000, `${E}descriptionTooLong`),
    skillsWanted: list(skills, `${E}skillUnknown`),
    skillsOffered: list(skills, `${E}skillUnknown`),
    tags: z.preprocess((v) => parseTags(typeof v === 'string' ? v : ''), z.array(z.string())),
    workMode: z.enum(workModes, { message: `${E}workModeRequired` }),
    placeName: optionalText,
    localAuthorityGss: gss,
    region,
    nation: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(nations, { message: `${E}nationRequired` }).optional(),
    ),
    startsOn: isoDate,
    endsOn: isoDate,
    durationValue: z.coerce
      .number({ message: `${E}durationInvalid` })
      .int(`${E}durationInvalid`)
      .min(1, `${E}durationInvalid`)
      .max(365, `${E}durationInvalid`),
    durationUnit: z.enum(durationUnits, { message: `${E}unitRequired` }),
    clearance: z.enum(clearanceLevels, { message: `${E}clearanceRequired` }),
    eligibleSides: list(sides, `${E}sideUnknown`),
    eligibleSectors: list(areasOfWork, `${E}sectorUnknown`),
    eligibleNations: list(nations, `${E}nationUnknown`),
    closesOn: isoDate,
  })
  .superRefine((v, ctx) => {
    if (v.workMode !== 'remote' && !v.placeName)
      ctx.addIssue({ code: 'custom', path: ['placeName'], message: `${E}placeRequired` });
    if (v.workMode !== 'remote' && !v.nation)
      ctx.addIssue({ code: 'custom', path: ['nation'], message: `${E}nationRequired` });
    if (v.endsOn < v.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: `${E}endBeforeStart` });
    if (v.closesOn > v.startsOn)
      ctx.addIssue({ code: 'custom', path: ['closesOn'], message: `${E}closesAfterStart` });
  });
export type OpportunityInput = z.infer<typeof OpportunityForm>;

export const ProfileForm = z
  .object({
    side: z.enum(sides, { message: `${E}sideRequired` }),
    organisationId: z.preprocess((v) => (v === '' ? null : v), z.string().uuid().nullable().default(null)),
    headline: z
      .string({ message: `${E}headlineRequired` })
      .trim()
      .min(1, `${E}headlineRequired`)
      .max(150, `${E}headlineTooLong`),
    skillsOffered: list(skills, `${E}skillUnknown`),
    skillsWanted: list(skills, `${E}skillUnknown`),
    tags: z.preprocess((v) => parseTags(typeof v === 'string' ? v : ''), z.array(z.string())),
    sectors: list(areasOfWork, `${E}sectorUnknown`),
    localAuthorityGss: gss,
    region,
    nation: z.enum(nations, { message: `${E}nationRequired` }),
    remoteOnly: z.preprocess((v) => v === 'yes', z.boolean()),
    availableFrom: optionalIsoDate,
    availableTo: optionalIsoDate,
    clearance: z.enum(clearanceLevels, { message: `${E}clearanceRequired` }),
    discoverable: z.preprocess((v) => v === 'yes', z.boolean()),
  })
  .superRefine((v, ctx) => {
    if (v.availableFrom && v.availableTo && v.availableTo < v.availableFrom)
      ctx.addIssue({ code: 'custom', path: ['availableTo'], message: `${E}availableOrder` });
  });
export type ProfileInput = z.infer<typeof ProfileForm>;

export const ApplyForm = z
  .object({
    kind: z.enum(applicationKinds, { message: `${E}applicationKindRequired` }),
    statement: z
      .string({ message: `${E}statementTooLong` })
      .trim()
      .max(3000, `${E}statementTooLong`)
      .default(''),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'application' && !v.statement)
      ctx.addIssue({ code: 'custom', path: ['statement'], message: `${E}statementRequired` });
  });
export type ApplyInput = z.infer<typeof ApplyForm>;

export const DecideForm = z.object({ decision: z.enum(['shortlisted', 'accepted', 'declined']) });
export const StatusForm = z.object({ status: z.enum(opportunityStatuses) });
export const InviteForm = z.object({ userId: z.string().uuid() });

export const ReflectionForm = z.object({
  outcome: z.enum(exchangeOutcomes, { message: `${E}outcomeRequired` }),
  reflection: z
    .string({ message: `${E}reflectionRequired` })
    .trim()
    .min(1, `${E}reflectionRequired`)
    .max(1000, `${E}reflectionTooLong`),
});
export type ReflectionInput = z.infer<typeof ReflectionForm>;

export const ListQuery = z.object({
  kind: z.enum(opportunityKinds).optional().catch(undefined),
  skill: z.enum(skills).optional().catch(undefined),
  nation: z.enum(nations).optional().catch(undefined),
  remote: z.enum(['yes']).optional().catch(undefined),
});
export type ListFilters = z.infer<typeof ListQuery>;

/** The annual review page's year (a bad or missing year falls back to `fallback`, the current year). */
export const reviewQuery = (fallback: number) =>
  z.object({ year: z.coerce.number().int().min(2000).max(2100).catch(fallback).default(fallback) });
