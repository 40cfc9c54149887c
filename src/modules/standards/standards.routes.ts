/**
 * Pages of standards monitoring. For a body's staff (and administrators): the body's records, forms to record
 * and change consultations, funding agreements and funding changes, and the import with its dry run. For
 * everyone: the findings across bodies (filtered by standard and body), a body's findings and the CSV.
 * Handlers parse, call the service, and render or redirect.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { BadRequestError } from '../../platform/http/errors.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { stringifyCsv } from '../analysis/core/csv.ts';
import { standardsPaths as p } from './standards.paths.ts';
import { canRecordFor } from './standards.policy.ts';
import { decodeImportBytes, ImportFileError, MAX_IMPORT_BYTES, type RowError } from './standards.import.ts';
import { standardCodes, standardInfo, type StandardCode } from './standards.rules.ts';
import {
  AgreementForm,
  ChangeForm,
  ConsultationForm,
  FindingsFilter,
  ImportForm,
  joinDateFields,
  reviewDecisionsForm,
  reviewForm,
  MAX_REVIEW_TEXT,
  type ImportKind,
  type ReviewInput,
} from './standards.schema.ts';
import { ReviewOutOfDateError } from './standards.service.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { ConsultationRow, FundingAgreementRow, FundingChangeRow } from './standards.tables.ts';
import { fundingChangeKinds, paymentTimings } from './standards.tables.ts';
import { daysBetween } from '../../platform/calendar/iso-date.ts';

const V = 'modules/standards/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

const CONSULTATION_DATES = ['opensOn', 'closesOn', 'responsePublishedOn'] as const;
const AGREEMENT_DATES = ['startsOn', 'endsOn'] as const;
const CHANGE_DATES = ['noticeOn', 'effectiveOn'] as const;
const REVIEW_DATES = ['reviewedOn'] as const;

/** GOV.UK date inputs are three fields: point the error summary at the first of them. */
function dateErrorsToDay(errors: GovukErrors, dateFields: readonly string[]): GovukErrors {
  return {
    ...errors,
    list: errors.list.map((e) =>
      dateFields.some((f) => e.href === `#${f}`) ? { ...e, href: `${e.href}-day` } : e,
    ),
  };
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** A stored consultation as the form shows it (the two questions answered from what was saved). */
export function consultationValues(row: ConsultationRow): Body {
  const short = daysBetween(row.opensOn, row.closesOn) < 84;
  return {
    ...row,
    shortReasonStated: row.shortReason ? 'yes' : short ? 'no' : undefined,
    lateReasonGiven: row.lateResponseReason ? 'yes' : undefined,
  };
}

export function agreementValues(row: FundingAgreementRow): Body {
  return {
    ...row,
    amount: (row.amountPence / 100).toFixed(2),
    multiYearPossible: yesNo(row.multiYearPossible),
    overheadsAllowed: yesNo(row.overheadsAllowed),
    advanceNeeded: yesNo(row.advanceNeeded),
  };
}

/** A CSV cell a spreadsheet will not run as a formula (OWASP "CSV injection"), as cases.export does. */
/** Pounds as people write them: £12,500 or £12,500.50. */
export function pounds(pence: number): string {
  const whole = pence % 100 === 0;
  return `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 })}`;
}

const defuse = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export function registerStandardsRoutes(app: FastifyInstance, deps: Deps) {
  const standards = deps.standards;
  const records = standards.records;
  const signedIn = { preHandler: requireSignIn };
  const view = (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, {
      p,
      standardCodes,
      standardInfo,
      fundingChangeKinds,
      paymentTimings,
      pounds,
      ...data,
    });

  // ── The body's records ──────────────────────────────────────────────────────────────────────────────

  app.get(p.records.pattern, signedIn, async (request, reply) => {
    const bodies = await records.bodiesFor(userOf(request));
    return view(reply, 'records-list.njk', { bodies });
  });

  app.get<{ Params: Params }>(p.bodyRecords.pattern, signedIn, async (request, reply) =>
    view(reply, 'records.njk', { page: await records.bodyRecords(userOf(request), request.params.slug!) }),
  );

  // ── Consultations ───────────────────────────────────────────────────────────────────────────────────

  const consultationForm = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Body) =>
    view(reply, 'consultation-form.njk', {
      body: await records.bodyToRecord(userOf(request), slug),
      values: {},
      ...extra,
    });

  app.get<{ Params: Params }>(p.addConsultation.pattern, signedIn, (request, reply) =>
    consultationForm(request, reply, request.params.slug!, {}),
  );

  app.get<{ Params: Params }>(p.editConsultation.pattern, signedIn, async (request, reply) => {
    const { slug, consultationId } = request.params as { slug: string; consultationId: string };
    const { consultation } = await records.consultation(userOf(request), slug, consultationId);
    return consultationForm(request, reply, slug, { values: consultationValues(consultation), consultation });
  });

  const saveConsultation = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const { slug, consultationId } = request.params as { slug: string; consultationId?: string };
    const user = userOf(request);
    // The permission comes before the form is read: someone else's body answers 403, not a form error.
    const existing = consultationId ? await records.consultation(user, slug, consultationId) : null;
    if (!existing) await records.bodyToRecord(user, slug);
    const body = joinDateFields(request.body, CONSULTATION_DATES);
    const parsed = parseForm(ConsultationForm, body, request.t);
    if (!parsed.success)
      return consultationForm(request, reply.code(422), slug, {
        errors: dateErrorsToDay(parsed.errors, CONSULTATION_DATES),
        values: body,
        consultation: existing?.consultation,
      });
    if (consultationId)
      await records.updateConsultation(user, actorOf(request), slug, consultationId, parsed.data);
    else await records.addConsultation(user, actorOf(request), slug, parsed.data);
    reply.flash(request.t(consultationId ? 'standards.records.saved' : 'standards.records.added'));
    return reply.redirect(p.bodyRecords({ slug }), 303);
  };
  app.post<{ Params: Params }>(p.addConsultation.pattern, signedIn, saveConsultation);
  app.post<{ Params: Params }>(p.editConsultation.pattern, signedIn, saveConsultation);

  // ── Funding agreements ──────────────────────────────────────────────────────────────────────────────

  const agreementForm = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Body) =>
    view(reply, 'agreement-form.njk', {
      body: await records.bodyToRecord(userOf(request), slug),
      values: { paymentTiming: 'advance' },
      ...extra,
    });

  app.get<{ Params: Params }>(p.addAgreement.pattern, signedIn, (request, reply) =>
    agreementForm(request, reply, request.params.slug!, {}),
  );

  app.get<{ Params: Params }>(p.editAgreement.pattern, signedIn, async (request, reply) => {
    const { slug, agreementId } = request.params as { slug: string; agreementId: string };
    const { agreement } = await records.agreement(userOf(request), slug, agreementId);
    return agreementForm(request, reply, slug, { values: agreementValues(agreement), agreement });
  });

  const saveAgreement = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const { slug, agreementId } = request.params as { slug: string; agreementId?: string };
    const user = userOf(request);
    const existing = agreementId ? await records.agreement(user, slug, agreementId) : null;
    if (!existing) await records.bodyToRecord(user, slug);
    const body = joinDateFields(request.body, AGREEMENT_DATES);
    const parsed = parseForm(AgreementForm, body, request.t);
    if (!parsed.success)
      return agreementForm(request, reply.code(422), slug, {
        errors: dateErrorsToDay(parsed.errors, AGREEMENT_DATES),
        values: body,
        agreement: existing?.agreement,
      });
    if (agreementId) await records.updateAgreement(user, actorOf(request), slug, agreementId, parsed.data);
    else await records.addAgreement(user, actorOf(request), slug, parsed.data);
    reply.flash(request.t(agreementId ? 'standards.records.saved' : 'standards.records.added'));
    return reply.redirect(p.bodyRecords({ slug }), 303);
  };
  app.post<{ Params: Params }>(p.addAgreement.pattern, signedIn, saveAgreement);
  app.post<{ Params: Params }>(p.editAgreement.pattern, signedIn, saveAgreement);

  // ── Funding changes ─────────────────────────────────────────────────────────────────────────────────

  const changeForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    agreementId: string,
    extra: Body,
  ) => {
    const { body, agreement } = await records.agreement(userOf(request), slug, agreementId);
    return view(reply, 'change-form.njk', { body, agreement, values: {}, ...extra });
  };

  app.get<{ Params: Params }>(p.addChange.pattern, signedIn, (request, reply) =>
    changeForm(request, reply, request.params.slug!, request.params.agreementId!, {}),
  );

  app.get<{ Params: Params }>(p.editChange.pattern, signedIn, async (request, reply) => {
    const { slug, agreementId, changeId } = request.params as Record<string, string>;
    const { change } = await records.change(userOf(request), slug!, agreementId!, changeId!);
    return changeForm(request, reply, slug!, agreementId!, { values: change, change });
  });

  const saveChange = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const { slug, agreementId, changeId } = request.params as {
      slug: string;
      agreementId: string;
      changeId?: string;
    };
    const user = userOf(request);
    let existing: FundingChangeRow | undefined;
    if (changeId) existing = (await records.change(user, slug, agreementId, changeId)).change;
    else await records.agreement(user, slug, agreementId);
    const body = joinDateFields(request.body, CHANGE_DATES);
    const parsed = parseForm(ChangeForm, body, request.t);
    if (!parsed.success)
      return changeForm(request, reply.code(422), slug, agreementId, {
        errors: dateErrorsToDay(parsed.errors, CHANGE_DATES),
        values: body,
        change: existing,
      });
    if (changeId)
      await records.updateChange(user, actorOf(request), slug, agreementId, changeId, parsed.data);
    else await records.addChange(user, actorOf(request), slug, agreementId, parsed.data);
    reply.flash(request.t(changeId ? 'standards.records.saved' : 'standards.records.added'));
    return reply.redirect(p.bodyRecords({ slug }), 303);
  };
  app.post<{ Params: Params }>(p.addChange.pattern, signedIn, saveChange);
  app.post<{ Params: Params }>(p.editChange.pattern, signedIn, saveChange);

  // ── Import: upload and dry run, then confirm ────────────────────────────────────────────────────────

  const importPage = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Body = {}) =>
    view(reply, 'import.njk', {
      body: await records.bodyToRecord(userOf(request), slug),
      values: {},
      ...extra,
    });

  type Run = Awaited<ReturnType<typeof records.dryRunImport>>['run'];
  const reportPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    body: { slug: string; name: string },
    run: Run,
    text: string,
  ) => {
    const problem = (e: RowError) => request.t(e.key, e.params);
    const errors: GovukErrors | undefined = run.errors.length
      ? {
          byField: {},
          list: run.errors.map((e) => ({
            text: request.t('standards.import.rowError', { line: e.line, problem: problem(e) }),
            href: `#row-${e.line}`,
          })),
        }
      : undefined;
    const count = (a: string) => run.rows.filter((r) => r.action === a).length;
    return view(reply.code(run.errors.length ? 422 : 200), 'import-report.njk', {
      body,
      run,
      text,
      errors,
      problems: run.errors.map((e) => ({ line: e.line, text: problem(e) })),
      counts: { new: count('new'), update: count('update'), unchanged: count('unchanged') },
    });
  };

  app.get<{ Params: Params }>(p.importFile.pattern, signedIn, (request, reply) =>
    importPage(request, reply, request.params.slug!),
  );

  // The upload is multipart, parsed only in this scope; the confirm form is an ordinary form carrying the
  // checked text back, and is checked again in full before anything is saved.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 3 },
      async onFile(part) {
        (part as unknown as { value: Buffer }).value = await part.toBuffer();
      },
    });
    scope.post<{ Params: Params }>(p.importFile.pattern, signedIn, async (request, reply) => {
      const slug = request.params.slug!;
      await records.bodyToRecord(userOf(request), slug);
      const form = (request.body ?? {}) as Body;
      const values = { kind: typeof form.kind === 'string' ? form.kind : '' };
      const header = parseForm(ImportForm, form, request.t);
      if (!header.success)
        return importPage(request, reply.code(422), slug, { errors: header.errors, values });
      const fail = (key: string, params?: Record<string, string | number>) =>
        importPage(request, reply.code(422), slug, {
          errors: govukError('file', request.t(key, params)),
          values,
        });
      const file = form.file;
      if (!(file instanceof Buffer) || file.length === 0) return fail('standards.import.errors.fileRequired');
      if ((file as Buffer & { truncated?: boolean }).truncated) return fail('standards.import.errors.tooBig');
      try {
        const text = decodeImportBytes(file);
        const { body, run } = await records.dryRunImport(userOf(request), slug, header.data.kind, text);
        return reportPage(request, reply, body, run, text);
      } catch (error) {
        if (error instanceof ImportFileError) return fail(error.key, error.params);
        throw error;
      }
    });
  });

  app.post<{ Params: Params }>(p.importConfirm.pattern, signedIn, async (request, reply) => {
    const slug = request.params.slug!;
    await records.bodyToRecord(userOf(request), slug);
    const form = (request.body ?? {}) as Body;
    const header = parseForm(ImportForm, form, request.t);
    const text = typeof form.text === 'string' ? form.text : '';
    // The confirm form only carries back what the check page put in it: anything else is not a browser.
    if (!header.success || !text) throw new BadRequestError('The import form is incomplete');
    const kind: ImportKind = header.data.kind;
    try {
      const result = await records.confirmImport(userOf(request), actorOf(request), slug, kind, text);
      // The file no longer passes (records changed since the check): show the problems, save nothing.
      if (!result.imported) return reportPage(request, reply, result.body, result.run, text);
      const count = (a: string) => result.run.rows.filter((r) => r.action === a).length;
      reply.flash(
        request.t('standards.import.imported', {
          new: count('new'),
          update: count('update'),
          unchanged: count('unchanged'),
        }),
      );
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      return importPage(request, reply.code(422), slug, {
        errors: govukError('file', request.t(error.key, error.params)),
        values: { kind },
      });
    }
    return reply.redirect(p.bodyRecords({ slug }), 303);
  });

  // ── Agreement reviews (A1–A3): the text, then a decision on each suggested clause, then saved ───────

  const today = () => toUkIsoDate(deps.clock.now());
  const reviewFormPage = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Body) =>
    view(reply, 'review-form.njk', {
      body: await records.bodyToRecord(userOf(request), slug),
      values: { reviewedOn: today() },
      maxText: MAX_REVIEW_TEXT,
      ...extra,
    });

  type Proposals = Awaited<ReturnType<typeof records.proposeReview>>['proposals'];
  const checkPage = (
    reply: FastifyReply,
    body: { slug: string; name: string },
    review: ReviewInput,
    proposals: Proposals,
    extra: Body = {},
  ) => view(reply, 'review-check.njk', { body, review, proposals, values: {}, ...extra });

  app.get<{ Params: Params }>(p.addReview.pattern, signedIn, (request, reply) =>
    reviewFormPage(request, reply, request.params.slug!, {}),
  );

  app.post<{ Params: Params }>(p.addReview.pattern, signedIn, async (request, reply) => {
    const slug = request.params.slug!;
    await records.bodyToRecord(userOf(request), slug);
    const form = joinDateFields(request.body, REVIEW_DATES);
    const parsed = parseForm(reviewForm(today()), form, request.t);
    if (!parsed.success)
      return reviewFormPage(request, reply.code(422), slug, {
        errors: dateErrorsToDay(parsed.errors, REVIEW_DATES),
        values: form,
      });
    const { body, proposals } = await records.proposeReview(userOf(request), slug, parsed.data);
    return checkPage(reply, body, parsed.data, proposals);
  });

  app.post<{ Params: Params }>(p.confirmReview.pattern, signedIn, async (request, reply) => {
    const slug = request.params.slug!;
    const user = userOf(request);
    await records.bodyToRecord(user, slug);
    const form = (request.body ?? {}) as Body;
    const review = reviewForm(today()).safeParse(form);
    // The agreement's fields come back hidden from the check page: anything else is not a browser.
    if (!review.success) throw new BadRequestError('The review form is incomplete');
    const { body, proposals } = await records.proposeReview(user, slug, review.data);
    const decisions = parseForm(reviewDecisionsForm(proposals.length), form, request.t);
    if (!decisions.success)
      return checkPage(reply.code(422), body, review.data, proposals, {
        errors: decisions.errors,
        values: form,
      });
    try {
      await records.saveReview(user, actorOf(request), slug, review.data, decisions.data);
    } catch (error) {
      if (!(error instanceof ReviewOutOfDateError)) throw error;
      return checkPage(reply.code(422), body, review.data, proposals, {
        errors: govukError('decision-0', request.t('standards.review.outOfDate')),
      });
    }
    const count = decisions.data.filter((d) => d.confirmed).length;
    reply.flash(request.t('standards.review.saved', { count }));
    return reply.redirect(`${p.bodyRecords({ slug })}#reviews`, 303);
  });

  app.get<{ Params: Params }>(p.review.pattern, signedIn, async (request, reply) => {
    const { slug, reviewId } = request.params as { slug: string; reviewId: string };
    return view(reply, 'review.njk', await records.review(userOf(request), slug, reviewId));
  });

  // ── Public findings ─────────────────────────────────────────────────────────────────────────────────

  const filterOf = (request: FastifyRequest) => FindingsFilter.parse(request.query ?? {});

  app.get(p.findings.pattern, async (request, reply) => {
    const filter = filterOf(request);
    const bodies = await deps.standardsRepository.bodiesWithRecords();
    const body = filter.body ? bodies.find((b) => b.slug === filter.body) : undefined;
    const findings = await standards.allFindings({
      standard: filter.standard,
      bodyId: body?.id,
    });
    // A body with no records (or an unknown slug) has no findings; do not show every body's instead.
    const shown = filter.body && !body ? [] : findings;
    return view(reply, 'findings.njk', { filter, bodies, findings: shown });
  });

  app.get(p.findingsCsv.pattern, async (request, reply) => {
    const filter = filterOf(request);
    const bodies = await deps.standardsRepository.bodiesWithRecords();
    const body = filter.body ? bodies.find((b) => b.slug === filter.body) : undefined;
    const findings =
      filter.body && !body
        ? []
        : await standards.allFindings({ standard: filter.standard, bodyId: body?.id });
    const header = [
      'standard',
      'standard_name',
      'body',
      'body_slug',
      'title',
      'date',
      'explanation',
      'rule',
      'source',
    ];
    const rows = findings.map((f) =>
      [
        f.standard,
        standardInfo[f.standard].name,
        f.bodyName,
        f.bodySlug,
        f.title,
        f.date,
        f.explanation,
        standardInfo[f.standard].rule,
        f.source,
      ].map(defuse),
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="standards-findings.csv"')
      .send(stringifyCsv([header, ...rows], { bom: true }));
  });

  app.get<{ Params: Params; Querystring: Body }>(p.bodyFindings.pattern, async (request, reply) => {
    const body = await records.publicBody(request.params.slug!);
    const filter = filterOf(request);
    const result = await standards.findingsForBody(body.id, { standard: filter.standard });
    return view(reply, 'body-findings.njk', {
      body,
      filter,
      result,
      canRecord: canRecordFor(request.currentUser, body.id),
      codes: standardCodes.filter((c: StandardCode) => result.checked[c] > 0 || result.byStandard[c] > 0),
    });
  });
}
