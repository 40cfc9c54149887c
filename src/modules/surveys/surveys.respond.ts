/**
 * Responding: open link and single-use invitations, drafts saved page by page (a crash loses at most the
 * page being typed), check your answers, and the anonymous submission. Also inviting in bulk from a CSV of
 * contacts (with a dry run) and the reminder job.
 *
 * Anonymity (ADR 0005): submission writes a response with a NEW random id and only the respondent
 * attributes, writes its answers and adds them to the counts cube, deletes the draft, and marks the
 * invitation used, in one transaction. Nothing written refers to the draft, the invitation or a person,
 * and no submission time is stored. The optional copy by email is sent straight through the transport
 * after the commit and never stored (the outbox would keep the address next to the answers).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog, Actor } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { randomToken, sha256 } from '../../platform/auth/tokens.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import type { EmailTransport } from '../../platform/email/transports.ts';
import { formatDate, type Translate } from '../../platform/i18n/i18n.ts';
import { CsvError, decodeCsvBytes, readCsvTable } from '../analysis/core/csv.ts';
import {
  ATTRIBUTES_SECTION,
  attributeQuestionKeys,
  attributesFrom,
  type Attributes,
} from './surveys.attributes.ts';
import { check } from './surveys.policy.ts';
import type {
  CountRow,
  Draft,
  Edition,
  Invitation,
  Question,
  SurveysRepository,
} from './surveys.repository.ts';
import { formOf, isOpen, type SurveysService } from './surveys.service.ts';
import { surveyPaths } from './surveys.paths.ts';
import {
  answerSchema,
  answersAsText,
  parsePage,
  toFieldValues,
  type PageResult,
} from './questions/answers.ts';
import {
  missingRequired,
  pruneHiddenAnswers,
  resolveVisibility,
  visibleQuestionsOf,
} from './questions/logic.ts';
import type { Answers, BodyRating, FormDefinition, QuestionDefinition } from './questions/types.ts';

/** Why a respondent cannot go on: each has its own polite page. */
export class RespondRefusal extends Error {
  override name = 'RespondRefusal';
  readonly reason:
    'unknown_invitation' | 'used_invitation' | 'closed' | 'not_open' | 'no_open_link' | 'no_draft';
  readonly edition: Edition | null;
  constructor(reason: RespondRefusal['reason'], edition: Edition | null = null) {
    super(reason);
    this.reason = reason;
    this.edition = edition;
  }
}

/**
 * How a response's answers are stored: one answer row per answer (one per option chosen, one per body
 * rated), and the increments to the counts cube, where option `*` counts the respondent once in each
 * question's base (once per body for ratings). Attribute answers are not here: they live on the response.
 * The submission writes both; the demo's bulk load writes the rows and rebuilds the counts.
 */
export function storedRowsOf(
  questions: Question[],
  answers: Record<string, unknown>,
  ids: { responseId: string; editionId: string },
  attributes: Attributes,
) {
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const rows: Parameters<SurveysRepository['insertAnswers']>[0] = [];
  const counts = new Map<string, CountRow>();
  const count = (questionId: string, key: string, option: string, bodyKey: string, value = 0) => {
    const id = `${questionId}|${option}|${bodyKey}`;
    const row = counts.get(id);
    if (row) {
      row.n = (row.n ?? 0) + 1;
      row.sumValue = (row.sumValue ?? 0) + value;
    } else
      counts.set(id, {
        editionId: ids.editionId,
        questionId,
        questionKey: key,
        option,
        bodyKey,
        ...attributes,
        n: 1,
        sumValue: value,
      });
  };
  for (const [key, value] of Object.entries(answers)) {
    const q = byKey.get(key);
    if (!q) continue; // the attribute questions live on the response itself
    const base = { ...ids, questionId: q.id, questionKey: key };
    if (q.type === 'multiple_choice') {
      for (const v of value as string[]) {
        rows.push({ ...base, choice: v });
        count(q.id, key, v, '');
      }
      count(q.id, key, '*', '');
    } else if (q.type === 'body_rating') {
      for (const r of value as BodyRating[]) {
        rows.push({ ...base, bodyId: r.bodyId, rating: r.rating });
        count(q.id, key, String(r.rating), r.bodyId);
        count(q.id, key, '*', r.bodyId);
      }
    } else if (q.type === 'free_text') {
      rows.push({ ...base, textValue: value as string });
      count(q.id, key, '*', '');
    } else if (q.type === 'number') {
      rows.push({ ...base, numberValue: value as number });
      count(q.id, key, '', '', value as number);
      count(q.id, key, '*', '');
    } else {
      rows.push({ ...base, choice: value as string });
      count(q.id, key, value as string, '');
      count(q.id, key, '*', '');
    }
  }
  return { rows, counts: [...counts.values()] };
}

export interface RespondDeps {
  db: Database;
  repo: SurveysRepository;
  surveys: SurveysService;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  transport: EmailTransport;
  secretKey: string;
  baseUrl: string;
  emailsQueued: () => Promise<unknown>;
}

export interface Session {
  edition: Edition;
  form: FormDefinition;
  draft: Draft;
  answers: Answers;
  bodies: { id: string; name: string }[];
}

/** The job that sends reminders to invited people who have not answered (daily). */
export const SURVEY_REMINDERS_TASK = 'survey-reminders';
export const REMINDER_INTERVAL_DAYS = 7;
export const MAX_REMINDERS = 2;
export const MAX_INVITATIONS_PER_FILE = 5000;

const EmailAddress = z.string().trim().toLowerCase().pipe(z.email());

export function createRespondService(deps: RespondDeps) {
  const { db, repo, surveys, clock } = deps;

  /** The single-use link's token, derived from the invitation id so reminders can send the same link. */
  const invitationToken = (invitationId: string) =>
    createHmac('sha256', deps.secretKey).update(`survey-invitation:${invitationId}`).digest('base64url');

  /** Refuses an edition that is not taking answers now: not published or not opened yet, or closed. */
  function assertOpen(edition: Edition) {
    const now = clock.now();
    if (edition.status !== 'published' || !edition.publishedAt || edition.publishedAt > now)
      throw new RespondRefusal('not_open', edition);
    if (!isOpen(edition, now)) throw new RespondRefusal('closed', edition);
  }

  async function openEdition(year: number) {
    const edition = await repo.editionByYear(year);
    if (!edition) throw new RespondRefusal('not_open', edition);
    assertOpen(edition);
    return edition;
  }

  async function sessionOf(edition: Edition, draft: Draft): Promise<Session> {
    const model = await surveys.load(edition.id);
    const form = formOf(model);
    return { edition, form, draft, answers: draft.answers as Answers, bodies: await repo.listBodies() };
  }

  const service = {
    invitationToken,

    /** The edition's start page data, or a refusal. */
    async startPage(year: number) {
      return { edition: await openEdition(year) };
    },

    /** The public index: editions open for answers now, and editions whose review has been published. */
    async index() {
      const editions = await repo.listEditions();
      const now = clock.now();
      return {
        open: editions.filter((e) => isOpen(e, now)),
        reviews: editions.filter((e) => e.resultsPublishedAt !== null),
      };
    },

    /** Emails the respondent their resume link (the address is not kept anywhere but the outbox row). */
    async emailResumeLink(session: Session, resumeToken: string, email: string) {
      await deps.outbox.queue({
        to: email,
        template: 'surveyResume',
        params: {
          title: session.edition.title,
          link: `${deps.baseUrl}${surveyPaths.resume({ token: resumeToken })}`,
          closes: formatDate(session.edition.closesAt, 'en'),
        },
      });
      await deps.emailsQueued();
    },

    /** Starts a response from the open link: a new draft and its resume token (for a cookie). */
    async startOpen(year: number) {
      const edition = await openEdition(year);
      if (!edition.openLink) throw new RespondRefusal('no_open_link', edition);
      const token = randomToken();
      await repo.insertDraft({
        editionId: edition.id,
        resumeTokenHash: sha256(token),
        updatedAt: clock.now(),
      });
      return { edition, token };
    },

    /**
     * Opens an emailed invitation: unknown and used links are refused clearly. The invitation's draft is
     * created or resumed, with a fresh resume token for this browser.
     */
    async openInvitation(token: string) {
      const invitation = /^[A-Za-z0-9_-]{20,100}$/.test(token)
        ? await repo.invitationByTokenHash(sha256(token))
        : null;
      if (!invitation) throw new RespondRefusal('unknown_invitation');
      const edition = (await repo.editionById(invitation.editionId))!;
      if (invitation.status === 'used') throw new RespondRefusal('used_invitation', edition);
      assertOpen(edition);
      const resume = randomToken();
      await db.transaction(async () => {
        const draft = await repo.draftByInvitation(invitation.id);
        if (draft) await repo.updateDraft(draft.id, { resumeTokenHash: sha256(resume) });
        else
          await repo.insertDraft({
            editionId: edition.id,
            invitationId: invitation.id,
            resumeTokenHash: sha256(resume),
            updatedAt: clock.now(),
          });
      });
      return { edition, token: resume };
    },

    /** The respondent's draft for this edition (from the resume token in their cookie or link). */
    async session(year: number, resumeToken: string | undefined): Promise<Session> {
      const edition = await openEdition(year);
      const draft = resumeToken ? await repo.draftByTokenHash(sha256(resumeToken)) : null;
      if (!draft || draft.editionId !== edition.id) throw new RespondRefusal('no_draft', edition);
      return sessionOf(edition, draft);
    },

    /** Resumes from a saved link: the draft's edition, or a refusal. */
    async resume(resumeToken: string) {
      const draft = /^[A-Za-z0-9_-]{20,100}$/.test(resumeToken)
        ? await repo.draftByTokenHash(sha256(resumeToken))
        : null;
      if (!draft) throw new RespondRefusal('no_draft');
      const edition = (await repo.editionById(draft.editionId))!;
      assertOpen(edition);
      return edition;
    },

    /** The visible questions on one page, or null when the page is hidden or unknown. */
    pageQuestions(session: Session, sectionKey: string) {
      const section = session.form.sections.find((s) => s.key === sectionKey);
      if (!section) return null;
      const questions = visibleQuestionsOf(session.form, sectionKey, session.answers);
      return questions.length > 0 ? { section, questions } : null;
    },

    /**
     * Validates and saves one page's answers into the draft at once (page by page), dropping answers that
     * earlier changes have hidden.
     */
    async savePage(session: Session, sectionKey: string, body: unknown, t: Translate): Promise<PageResult> {
      const page = service.pageQuestions(session, sectionKey);
      if (!page) return { success: true, answers: {}, cleared: [] };
      const result = parsePage(page.questions, body, t, { bodies: session.bodies });
      if (!result.success) return result;
      const merged: Answers = { ...session.answers, ...result.answers };
      for (const key of result.cleared) delete merged[key];
      const answers = pruneHiddenAnswers(session.form, merged);
      const visited = [...new Set([...session.draft.visited, sectionKey])];
      await repo.updateDraft(session.draft.id, { answers, visited, updatedAt: clock.now() });
      session.answers = answers;
      session.draft = { ...session.draft, answers, visited };
      return result;
    },

    /**
     * Answers as they stand for check-your-answers: still-valid answers to visible questions, and the first
     * page that needs attention (a required answer missing, or a visible page never seen), if any.
     */
    async review(session: Session) {
      const answers = pruneHiddenAnswers(session.form, validAnswers(session));
      const missing = missingRequired(session.form, answers);
      const visibility = resolveVisibility(session.form, answers);
      const unseen = session.form.sections.find(
        (s) =>
          visibility.sections.has(s.key) &&
          s.questions.some((q) => visibility.questions.has(q.key)) &&
          !session.draft.visited.includes(s.key),
      );
      const firstIncomplete =
        session.form.sections.find((s) => s.key === missing[0]?.sectionKey)?.key ?? unseen?.key ?? null;
      const sections = session.form.sections
        .filter((s) => visibility.sections.has(s.key))
        .map((s) => ({ section: s, questions: s.questions.filter((q) => visibility.questions.has(q.key)) }))
        .filter((s) => s.questions.length > 0);
      return { answers, firstIncomplete, sections };
    },

    /**
     * Submits the response anonymously (see the file comment). Refused if the edition has closed or a page
     * still needs answers (returns that page). The copy by email, if asked for, is sent after the commit.
     */
    async submit(session: Session, copyTo: string | null, t: Translate) {
      const { answers, firstIncomplete, sections } = await service.review(session);
      if (firstIncomplete) return { submitted: false as const, firstIncomplete };
      await db.transaction(async () => {
        // Re-read inside the transaction: a double submission finds no draft the second time.
        const draft = await repo.draftByTokenHash(session.draft.resumeTokenHash);
        if (!draft) throw new RespondRefusal('no_draft', session.edition);
        const edition = (await repo.editionById(session.edition.id))!;
        if (!isOpen(edition, clock.now())) throw new RespondRefusal('closed', edition);
        const attributes = attributesFrom(answers);
        const responseId = await repo.insertResponse({ editionId: edition.id, ...attributes });
        const questions = await repo.questionsOf(edition.id);
        const { rows, counts } = storedRowsOf(
          questions,
          answers,
          { responseId, editionId: edition.id },
          attributes,
        );
        await repo.insertAnswers(rows);
        await repo.incrementCounts(counts);
        // Sever the draft and mark the invitation used: nothing links the response to either.
        await repo.deleteDraft(draft.id);
        if (draft.invitationId) await repo.updateInvitation(draft.invitationId, { status: 'used' });
      });
      let copySent: boolean | null = null;
      if (copyTo) {
        const questions = sections.flatMap((s) => s.questions).filter((q) => !isAttributeQuestion(q));
        try {
          await deps.transport.send({
            id: randomUUID(),
            to: copyTo,
            subject: t('emails.surveyCopy.subject', { title: session.edition.title }),
            text: `${t('emails.surveyCopy.body', { title: session.edition.title })}\n\n${answersAsText(questions, answers, t, { bodies: session.bodies })}\n\n${t('emails.signature')}`,
          });
          copySent = true;
        } catch {
          copySent = false;
        }
      }
      return { submitted: true as const, copySent };
    },

    // Invitations (administrators)

    /**
     * Checks a CSV of contacts (header `email`, optionally `name`): every row's problem, or the addresses
     * that would be invited. Nothing is written.
     */
    async checkInvitations(user: CurrentUser | null, editionId: string, bytes: Uint8Array) {
      check(user, 'invite');
      const edition = await repo.editionById(editionId);
      if (!edition) throw new RespondRefusal('not_open');
      let text: string;
      try {
        text = decodeCsvBytes(bytes);
        const table = readCsvTable(text, { required: ['email'], fileLabel: 'The file' });
        if (table.records.length > MAX_INVITATIONS_PER_FILE)
          return {
            fileError: { key: 'surveys.invite.errors.tooMany', params: { max: MAX_INVITATIONS_PER_FILE } },
          };
        const already = new Set(await repo.invitedEmails(editionId));
        const seen = new Set<string>();
        const valid: string[] = [];
        const errors: { line: number; value: string; key: string }[] = [];
        table.records.forEach((record, i) => {
          const line = table.lines[i]!;
          const raw = (record.email ?? '').trim();
          const parsed = EmailAddress.safeParse(raw);
          if (raw === '') errors.push({ line, value: raw, key: 'surveys.invite.errors.rowEmpty' });
          else if (!parsed.success)
            errors.push({ line, value: raw, key: 'surveys.invite.errors.rowInvalid' });
          else if (seen.has(parsed.data))
            errors.push({ line, value: raw, key: 'surveys.invite.errors.rowRepeated' });
          else if (already.has(parsed.data))
            errors.push({ line, value: raw, key: 'surveys.invite.errors.rowInvited' });
          else {
            seen.add(parsed.data);
            valid.push(parsed.data);
          }
        });
        if (table.records.length === 0)
          return { fileError: { key: 'surveys.invite.errors.noRows', params: {} } };
        return {
          edition,
          rows: table.records.length,
          valid,
          errors,
          csv: Buffer.from(bytes).toString('base64'),
        };
      } catch (error) {
        if (error instanceof CsvError)
          return { fileError: { key: 'surveys.invite.errors.file', params: { message: error.message } } };
        throw error;
      }
    },

    /** Sends the invitations a checked file holds (rows with problems are skipped, as the check said). */
    async sendInvitations(user: CurrentUser | null, actor: Actor, editionId: string, bytes: Uint8Array) {
      const plan = await service.checkInvitations(user, editionId, bytes);
      if ('fileError' in plan) return { sent: 0, fileError: plan.fileError };
      const edition = plan.edition!;
      assertOpen(edition);
      await db.transaction(async () => {
        for (let i = 0; i < plan.valid.length; i += 500) {
          const chunk = plan.valid.slice(i, i + 500);
          const ids = chunk.map(() => randomUUID());
          await repo.insertInvitations(
            chunk.map((email, j) => ({
              id: ids[j]!,
              editionId,
              email,
              tokenHash: sha256(invitationToken(ids[j]!)),
              createdBy: actor.userId,
              // The injected clock, not the database's: the reminder interval is counted from it.
              createdAt: clock.now(),
            })),
          );
          for (const [j, email] of chunk.entries())
            await queueInvitation(edition, ids[j]!, email, 'surveyInvitation');
        }
        await deps.audit.record(actor, {
          action: 'survey.invitations.sent',
          entityType: 'survey_edition',
          entityId: editionId,
          details: { sent: plan.valid.length, skipped: plan.errors.length },
        });
      });
      await deps.emailsQueued();
      return { sent: plan.valid.length, skipped: plan.errors.length };
    },

    /**
     * The reminder job: pending invitations of open editions, at most MAX_REMINDERS each, at least
     * REMINDER_INTERVAL_DAYS apart and after the invitation. Used invitations are never reminded.
     */
    async sendReminders(onlyEditionId?: string) {
      const now = clock.now();
      const since = new Date(now.getTime() - REMINDER_INTERVAL_DAYS * 86_400_000);
      let sent = 0;
      for (const edition of await repo.listEditions()) {
        if (!isOpen(edition, now) || (onlyEditionId && edition.id !== onlyEditionId)) continue;
        await db.transaction(async () => {
          for (const invitation of await repo.dueReminders(edition.id, since, MAX_REMINDERS)) {
            await queueInvitation(edition, invitation.id, invitation.email, 'surveyReminder');
            await repo.updateInvitation(invitation.id, {
              reminderCount: invitation.reminderCount + 1,
              lastRemindedAt: now,
            });
            sent++;
          }
        });
      }
      if (sent > 0) await deps.emailsQueued();
      return { sent };
    },

    /** An administrator sends the reminders that are due for one edition now, rather than waiting. */
    async remindNow(user: CurrentUser | null, actor: Actor, editionId: string) {
      check(user, 'invite');
      const edition = await repo.editionById(editionId);
      if (!edition) throw new RespondRefusal('not_open');
      const result = await service.sendReminders(editionId);
      await deps.audit.record(actor, {
        action: 'survey.invitations.reminded',
        entityType: 'survey_edition',
        entityId: editionId,
        details: result,
      });
      return result;
    },
  };

  async function queueInvitation(edition: Edition, invitationId: string, email: string, template: string) {
    await deps.outbox.queue({
      to: email,
      template,
      params: {
        title: edition.title,
        link: `${deps.baseUrl}${surveyPaths.invitation({ token: invitationToken(invitationId) })}`,
        closes: formatDate(edition.closesAt, 'en'),
      },
    });
  }

  /** Drops saved answers that no longer fit their question (e.g. an option removed before any answers). */
  function validAnswers(session: Session): Answers {
    const out: Answers = {};
    const questions = new Map(session.form.sections.flatMap((s) => s.questions).map((q) => [q.key, q]));
    for (const [key, value] of Object.entries(session.answers)) {
      const q = questions.get(key);
      if (!q) continue;
      const parsed = answerSchema(q, { bodies: session.bodies }).safeParse(toFieldValues(q, value));
      if (parsed.success && parsed.data !== null) out[key] = parsed.data;
    }
    return out;
  }

  return service;
}

export function isAttributeQuestion(q: QuestionDefinition) {
  return (Object.values(attributeQuestionKeys) as string[]).includes(q.key);
}

export { ATTRIBUTES_SECTION };
export type RespondService = ReturnType<typeof createRespondService>;
export type { Invitation };
