/**
 * Responding to a consultation (issue 7, item 2), without an account: a draft response found by the hash of
 * a resume token (a cookie scoped to the consultation, or the emailed link). Each part is saved on its own
 * (about you, one paragraph at a time, the principles, the questions, consent), so a half-way response is
 * kept as a draft, and a draft is never published or counted. Responses are taken only while the
 * consultation is open; before and after, each step is refused politely (its own page).
 *
 * On submission the resume token is cleared (the link stops working) and, when the respondent gave an email
 * address, a copy of the response is queued in the platform outbox in the same transaction.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import { randomToken, sha256 } from '../../platform/auth/tokens.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import { formatDate, type Translate } from '../../platform/i18n/i18n.ts';
import type { CovenantRepository } from '../covenant/covenant.repository.ts';
import {
  answersAsText,
  missingRequired,
  parsePage,
  pruneHiddenAnswers,
  visibleQuestionsOf,
} from '../surveys/questions/index.ts';
import type { Answers } from '../surveys/questions/types.ts';
import { consultationPaths } from './consultations.paths.ts';
import type {
  CommentRow,
  Consultation,
  ConsultationsRepository,
  PrincipleViewRow,
  ResponseRow,
} from './consultations.repository.ts';
import { newResponseReference, numberedParagraphs, suggestionDiff, windowOf } from './consultations.rules.ts';
import type { AboutInput, CommentInput, PrincipleViewInput } from './consultations.schema.ts';
import { questionsOf, type ConsultationsService } from './consultations.service.ts';
import type { ConsentChoice } from './consultations.tables.ts';

export type RefusalReason = 'not_open' | 'closed' | 'no_draft' | 'already_sent';

/** Why a respondent cannot go on; each reason has its own polite page. */
export class RespondRefusal extends Error {
  override name = 'RespondRefusal';
  readonly reason: RefusalReason;
  readonly consultation: Consultation | null;
  constructor(reason: RefusalReason, consultation: Consultation | null = null) {
    super(reason);
    this.reason = reason;
    this.consultation = consultation;
  }
}

export interface RespondDeps {
  db: Database;
  repo: ConsultationsRepository;
  consultations: ConsultationsService;
  covenantRepo: CovenantRepository;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  baseUrl: string;
  emailsQueued: () => Promise<unknown>;
}

export interface RespondSession {
  consultation: Consultation;
  response: ResponseRow;
  comments: CommentRow[];
  views: PrincipleViewRow[];
}

export type TaskState = 'not_started' | 'in_progress' | 'completed' | 'optional';

export function createRespondService(deps: RespondDeps) {
  const { db, repo, consultations, covenantRepo, clock } = deps;

  /** Responses are taken only while open; a draft consultation does not exist to the public. */
  function assertOpen(c: Consultation) {
    const w = windowOf(c, clock.now());
    if (w === 'not_published') throw new RespondRefusal('no_draft', null);
    if (w === 'not_open') throw new RespondRefusal('not_open', c);
    if (w === 'closed') throw new RespondRefusal('closed', c);
  }

  async function consultationOf(slug: string) {
    const c = await repo.bySlug(slug);
    if (!c || c.status !== 'published') throw new RespondRefusal('no_draft', null);
    return c;
  }

  const touch = (s: RespondSession) => repo.updateResponse(s.response.id, { updatedAt: clock.now() });

  const service = {
    /** Starts a draft response; returns the resume token (the browser keeps it in a cookie). */
    async start(slug: string) {
      const c = await consultationOf(slug);
      assertOpen(c);
      const token = randomToken();
      const now = clock.now();
      const response = await repo.insertResponse({
        consultationId: c.id,
        reference: newResponseReference(),
        resumeTokenHash: sha256(token),
        updatedAt: now,
      });
      await deps.audit.record(
        { userId: null, requestId: 'respondent' },
        {
          action: 'consultations.response_started',
          entityType: 'consultation_response',
          entityId: response.id,
        },
      );
      return { consultation: c, token };
    },

    /** The respondent's draft, by token. Refused when unknown, already sent, or the consultation is not open. */
    async session(slug: string, token: string | undefined): Promise<RespondSession> {
      const c = await consultationOf(slug);
      const response = token ? await repo.responseByToken(c.id, sha256(token)) : null;
      if (!response) throw new RespondRefusal('no_draft', c);
      if (response.status === 'submitted') throw new RespondRefusal('already_sent', c);
      assertOpen(c);
      const [comments, views] = await Promise.all([repo.commentsOf(response.id), repo.viewsOf(response.id)]);
      return { consultation: c, response, comments, views };
    },

    /** The task list: each part and whether it is done. */
    async tasks(s: RespondSession) {
      const r = s.response;
      const principles = await covenantRepo.listPrinciples();
      const questions = questionsOf(s.consultation);
      const missing = missingRequired(s.consultation.questions, r.answers);
      const answered = questions.filter((q) => r.answers[q.key] !== undefined).length;
      const state = {
        about: r.respondentType ? 'completed' : 'not_started',
        document: s.comments.length ? 'completed' : 'optional',
        principles:
          s.views.length >= principles.length ? 'completed' : s.views.length ? 'in_progress' : 'not_started',
        questions: !questions.length
          ? null
          : missing.length === 0 && answered > 0
            ? 'completed'
            : answered
              ? 'in_progress'
              : 'not_started',
        consent: r.consent ? 'completed' : 'not_started',
      } satisfies Record<string, TaskState | null>;
      const blocking = [
        ...(r.respondentType ? [] : ['about']),
        ...(missing.length ? ['questions'] : []),
        ...(r.consent ? [] : ['consent']),
      ];
      return {
        state,
        commentCount: s.comments.length,
        blocking,
        canSubmit: blocking.length === 0 && !this.nameMissing(s),
      };
    },

    /** Consent `named` needs a name to publish under. */
    nameMissing(s: RespondSession) {
      const r = s.response;
      return (
        r.consent === 'named' &&
        !(r.respondentType === 'organisation' ? r.organisationName : r.respondentName)
      );
    },

    async saveAbout(s: RespondSession, input: AboutInput) {
      await repo.updateResponse(s.response.id, { ...input, updatedAt: clock.now() });
    },

    /** The document to comment on, with this respondent's comments against each paragraph. */
    async document(s: RespondSession) {
      const paragraphs = numberedParagraphs(await consultations.paragraphsOf(s.consultation.versionId));
      return paragraphs.map((p) => {
        const comment = s.comments.find((x) => x.paragraphKey === p.key) ?? null;
        return { ...p, comment, diff: comment ? suggestionDiff(p.text, comment.suggestedText) : null };
      });
    },

    /** One paragraph of the version consulted on, by stable key (headings take no comments). */
    async paragraph(s: RespondSession, key: string) {
      const p = (await this.document(s)).find((x) => x.key === key && x.kind !== 'heading');
      return p ?? null;
    },

    /** Saves (or replaces) the comment on one paragraph, anchored to the version consulted on. */
    async saveComment(s: RespondSession, key: string, input: CommentInput) {
      const now = clock.now();
      await db.transaction(async () => {
        await repo.upsertComment({
          consultationId: s.consultation.id,
          responseId: s.response.id,
          versionId: s.consultation.versionId,
          paragraphKey: key,
          stance: input.stance,
          comment: input.comment,
          suggestedText: input.suggestedText,
          updatedAt: now,
        });
        await touch(s);
      });
    },

    async removeComment(s: RespondSession, key: string) {
      await repo.deleteComment(s.response.id, key);
      await touch(s);
    },

    async principles(s: RespondSession) {
      const principles = await covenantRepo.listPrinciples();
      return principles.map((p) => ({
        principle: p,
        saved: s.views.find((v) => v.principleId === p.id) ?? null,
      }));
    },

    async savePrinciples(s: RespondSession, views: PrincipleViewInput) {
      await db.transaction(async () => {
        await repo.replaceViews(s.response.id, views);
        await touch(s);
      });
    },

    /** The questions on one page of the consultation's form (the engine's visibility rules apply). */
    pageQuestions(s: RespondSession, sectionKey: string) {
      const section = s.consultation.questions.sections.find((x) => x.key === sectionKey);
      if (!section) return null;
      return {
        section,
        questions: visibleQuestionsOf(s.consultation.questions, sectionKey, s.response.answers),
      };
    },

    /** Validates and saves one page of answers with the question engine; answers hidden by a change are dropped. */
    async saveQuestions(s: RespondSession, sectionKey: string, body: unknown, t: Translate) {
      const page = this.pageQuestions(s, sectionKey);
      if (!page) return null;
      const result = parsePage(page.questions, body, t);
      if (!result.success) return result;
      const merged: Answers = { ...s.response.answers, ...result.answers };
      for (const key of result.cleared) delete merged[key];
      const answers = pruneHiddenAnswers(s.consultation.questions, merged);
      await repo.updateResponse(s.response.id, { answers, updatedAt: clock.now() });
      s.response = { ...s.response, answers };
      return result;
    },

    async saveConsent(s: RespondSession, consent: ConsentChoice) {
      await repo.updateResponse(s.response.id, { consent, updatedAt: clock.now() });
    },

    /** Emails the resume link (the address is only in the outbox row, and on the response if they gave it). */
    async emailResumeLink(s: RespondSession, token: string, email: string) {
      await deps.outbox.queue({
        to: email,
        template: 'consultationResume',
        params: {
          title: s.consultation.title,
          link: `${deps.baseUrl}${consultationPaths.resume({ slug: s.consultation.slug, token })}`,
          closes: formatDate(s.consultation.closesOn, 'en'),
        },
      });
      await deps.emailsQueued();
    },

    /** Checks the resume link's token and hands it back for the cookie. */
    async resume(slug: string, token: string) {
      return (await this.session(slug, token)).consultation;
    },

    /**
     * Sends the response: it becomes `submitted` and `pending` moderation, the resume token stops working,
     * and a copy is queued to the respondent's email address if they gave one, all in one transaction.
     * Returns the blocking parts instead when something required is missing.
     */
    async submit(s: RespondSession, actor: Actor, t: Translate) {
      const { canSubmit, blocking } = await this.tasks(s);
      if (!canSubmit)
        return { submitted: false as const, blocking: blocking.length ? blocking : ['consent'] };
      const now = clock.now();
      const copyTo = s.response.respondentEmail;
      await db.transaction(async () => {
        await repo.updateResponse(s.response.id, {
          status: 'submitted',
          moderation: 'pending',
          submittedAt: now,
          resumeTokenHash: null,
          updatedAt: now,
        });
        if (copyTo)
          await deps.outbox.queue({
            to: copyTo,
            template: 'consultationCopy',
            params: {
              title: s.consultation.title,
              reference: s.response.reference,
              copy: await this.copyText(s, t),
            },
          });
        await deps.audit.record(actor, {
          action: 'consultations.response_submitted',
          entityType: 'consultation_response',
          entityId: s.response.id,
          details: { consultationId: s.consultation.id, comments: s.comments.length },
        });
      });
      if (copyTo) await deps.emailsQueued();
      return { submitted: true as const, reference: s.response.reference, copySent: Boolean(copyTo) };
    },

    /** The plain-text copy of a response for the email. */
    async copyText(s: RespondSession, t: Translate) {
      const parts: string[] = [];
      const doc = await this.document(s);
      for (const p of doc.filter((x) => x.comment)) {
        parts.push(
          `${t('consultations.respond.paragraphNumber', { number: p.number ?? '' })}: ${t(`consultations.stances.${p.comment!.stance}`)}` +
            (p.comment!.comment ? `\n${p.comment!.comment}` : '') +
            (p.comment!.suggestedText
              ? `\n${t('consultations.respond.suggestedWording')}: ${p.comment!.suggestedText}`
              : ''),
        );
      }
      for (const { principle, saved } of await this.principles(s))
        if (saved)
          parts.push(
            `${principle.title}: ${t(`consultations.views.${saved.view}`)}${saved.comment ? `\n${saved.comment}` : ''}`,
          );
      const questions = questionsOf(s.consultation);
      if (questions.length) parts.push(answersAsText(questions, s.response.answers, t));
      if (s.response.consent)
        parts.push(
          `${t('consultations.consent.legend')}: ${t(`consultations.consent.${s.response.consent}`)}`,
        );
      return parts.join('\n\n');
    },
  };
  return service;
}

export type RespondService = ReturnType<typeof createRespondService>;
