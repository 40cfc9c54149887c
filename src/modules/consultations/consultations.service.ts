/**
 * Consultations (issue 7, items 1 and 3): the Covenant team creates a consultation on a version of the
 * Covenant text, with dates (the Compact's 12 weeks, or a reason), how responses will be used, and questions
 * built with the question engine; the public reads it as numbered paragraphs; moderators publish or hold
 * back each submitted response, redacted first. Every public read goes through the consent rule twice: in
 * the repository's WHERE and again here (isPublicResponse), so a response with consent `none` can reach no
 * public page, download or API.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { Database } from '../../platform/db/database.ts';
import { FieldRuleError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import type { RedactionService } from '../../platform/redaction/redaction.service.ts';
import type { CovenantRepository } from '../covenant/covenant.repository.ts';
import { slugify } from '../covenant/covenant.service.ts';
import { checkForm } from '../surveys/questions/index.ts';
import type { FormDefinition, QuestionDefinition } from '../surveys/questions/types.ts';
import { canConsultation, canSeeConsultation, type ConsultationAction } from './consultations.policy.ts';
import type { Consultation, ConsultationsRepository, PublicResponseRow } from './consultations.repository.ts';
import {
  anchorComment,
  isPublicComment,
  isPublicResponse,
  isShortPeriod,
  numberedParagraphs,
  periodLength,
  phrasesFrom,
  publicIdentity,
  redactResponse,
  searchTextOf,
  suggestionDiff,
  windowOf,
  type AnchoredParagraph,
} from './consultations.rules.ts';
import type { ConsultationInput, ModerateInput } from './consultations.schema.ts';
import type { ModerationState } from './consultations.tables.ts';

/** A rule of running consultations was broken: shown against `field` with a catalogue message. */
export class ConsultationRuleError extends FieldRuleError {
  override name = 'ConsultationRuleError';
}

export interface ConsultationsServiceDeps {
  db: Database;
  repo: ConsultationsRepository;
  covenantRepo: CovenantRepository;
  audit: AuditLog;
  clock: Clock;
  redaction: RedactionService;
}

/** The one page of consultation questions (the engine's section; one page keeps the journey short). */
export const QUESTIONS_SECTION = 'questions';

export const PUBLIC_PAGE_SIZE = 20;

export function questionsOf(c: { questions: FormDefinition }): QuestionDefinition[] {
  return c.questions.sections.flatMap((s) => s.questions);
}

export function createConsultationsService(deps: ConsultationsServiceDeps) {
  const { db, repo, covenantRepo, audit, clock, redaction } = deps;

  const require = (user: CurrentUser | null, action: ConsultationAction) => {
    if (!canConsultation(user, action)) throw new ForbiddenError(`Consultations: ${action}`);
  };

  async function load(slug: string) {
    const c = await repo.bySlug(slug);
    if (!c) throw new NotFoundError('No such consultation');
    return c;
  }

  /** A consultation the person may see (drafts: the team only; others get 404, not a hint it exists). */
  async function visible(user: CurrentUser | null, slug: string) {
    const c = await load(slug);
    if (!canSeeConsultation(user, c)) throw new NotFoundError('No such consultation');
    return c;
  }

  const paragraphCache = new Map<string, AnchoredParagraph[]>();
  /** The paragraphs of a version. Published versions never change, so they are kept; drafts are re-read. */
  async function paragraphsOf(versionId: string): Promise<AnchoredParagraph[]> {
    const cached = paragraphCache.get(versionId);
    if (cached) return cached;
    const [version, rows] = await Promise.all([
      covenantRepo.versionById(versionId),
      covenantRepo.paragraphsOf(versionId),
    ]);
    const list = rows.map((p) => ({ key: p.key, position: p.position, kind: p.kind, text: p.text }));
    if (version?.status === 'published') paragraphCache.set(versionId, list);
    return list;
  }

  async function paragraphsByVersion(versionIds: Iterable<string>) {
    const map = new Map<string, AnchoredParagraph[]>();
    for (const id of new Set(versionIds)) map.set(id, await paragraphsOf(id));
    return map;
  }

  /** What the team's pages show about the period: its length and the 12-week warning. */
  function periodOf(c: Pick<Consultation, 'opensOn' | 'closesOn' | 'shortPeriodReason'>) {
    return {
      ...periodLength(c.opensOn, c.closesOn),
      short: isShortPeriod(c.opensOn, c.closesOn),
      reason: c.shortPeriodReason,
    };
  }

  async function uniqueSlug(title: string) {
    const base = slugify(title).slice(0, 70) || 'consultation';
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!(await repo.slugTaken(slug))) return slug;
    }
  }

  /** Public identity and redacted content of one public response (the consent rule checked again). */
  function publicCard(row: PublicResponseRow) {
    if (!isPublicResponse(row)) throw new Error('A non-public response reached a public presenter');
    return {
      reference: row.reference,
      submittedAt: row.submittedAt,
      consent: row.consent,
      ...publicIdentity(row),
      answers: row.publishedText?.answers ?? {},
      principleComments: row.publishedText?.principleComments ?? {},
    };
  }

  async function saveQuestions(
    actor: Actor,
    c: Consultation,
    questions: QuestionDefinition[],
    field: string,
  ) {
    const form: FormDefinition = {
      sections: questions.length ? [{ key: QUESTIONS_SECTION, title: 'Questions', questions }] : [],
    };
    const problems = checkForm(form);
    if (problems.length) {
      const p = problems[0]!;
      throw new ConsultationRuleError(field, `questionEngine.problems.${p.code}`);
    }
    await repo.updateConsultation(c.id, { questions: form, updatedAt: clock.now() });
    await audit.record(actor, {
      action: 'consultations.questions_changed',
      entityType: 'consultation',
      entityId: c.id,
      details: { questions: questions.length },
    });
  }

  function requireDraftQuestions(c: Consultation) {
    // Questions are fixed once the consultation is published: answers must keep meaning what was asked.
    if (c.status !== 'draft') throw new ConsultationRuleError('form', 'consultations.errors.questionsLocked');
  }

  return {
    paragraphsOf,
    periodOf,
    load,
    visible,

    // ── The Covenant team ─────────────────────────────────────────────────────────────────────────────

    /** What the consultation form offers: versions (drafts first) and sub-covenants. */
    async formOptions() {
      const [versions, subs] = await Promise.all([
        covenantRepo.listVersions(),
        covenantRepo.listSubCovenants(),
      ]);
      return {
        versions: versions.sort((a, b) =>
          a.status === b.status ? b.number - a.number : a.status === 'draft' ? -1 : 1,
        ),
        subCovenants: subs,
      };
    },

    async adminList(user: CurrentUser | null) {
      require(user, 'manage');
      const all = await repo.listAll();
      const now = clock.now();
      return Promise.all(
        all.map(async (c) => ({ ...c, window: windowOf(c, now), counts: await repo.responseCounts(c.id) })),
      );
    },

    async create(user: CurrentUser | null, actor: Actor, input: ConsultationInput) {
      require(user, 'manage');
      return db.transaction(async () => {
        const now = clock.now();
        const c = await repo.insertConsultation({
          ...input,
          slug: await uniqueSlug(input.title),
          createdBy: actor.userId,
          updatedAt: now,
        });
        await audit.record(actor, {
          action: 'consultations.created',
          entityType: 'consultation',
          entityId: c.id,
          details: { short: isShortPeriod(c.opensOn, c.closesOn) },
        });
        return c;
      });
    },

    async update(user: CurrentUser | null, actor: Actor, slug: string, input: ConsultationInput) {
      require(user, 'manage');
      return db.transaction(async () => {
        const c = await load(slug);
        const counts = await repo.responseCounts(c.id);
        // Comments are anchored to the version they were made on; the version consulted on stays put once
        // the consultation is published.
        if (c.status === 'published' && input.versionId !== c.versionId)
          throw new ConsultationRuleError('versionId', 'consultations.errors.versionLocked');
        await repo.updateConsultation(c.id, { ...input, updatedAt: clock.now() });
        await audit.record(actor, {
          action: 'consultations.updated',
          entityType: 'consultation',
          entityId: c.id,
          details: { responses: counts.pending + counts.published + counts.held },
        });
      });
    },

    async publish(user: CurrentUser | null, actor: Actor, slug: string) {
      require(user, 'manage');
      return db.transaction(async () => {
        const c = await load(slug);
        if (c.status === 'published') return c;
        const problems = checkForm(c.questions);
        if (problems.length) throw new ConsultationRuleError('form', 'consultations.errors.questionsProblem');
        await repo.updateConsultation(c.id, {
          status: 'published',
          publishedAt: clock.now(),
          updatedAt: clock.now(),
        });
        await audit.record(actor, {
          action: 'consultations.published',
          entityType: 'consultation',
          entityId: c.id,
        });
        return c;
      });
    },

    /** The team's page: details, the period warning, questions, response counts. */
    async manage(user: CurrentUser | null, slug: string) {
      require(user, 'manage');
      const c = await load(slug);
      const [version, subCovenant, counts, paragraphs] = await Promise.all([
        covenantRepo.versionById(c.versionId),
        c.subCovenantId ? covenantRepo.subCovenantById(c.subCovenantId) : null,
        repo.responseCounts(c.id),
        paragraphsOf(c.versionId),
      ]);
      return {
        consultation: c,
        version,
        subCovenant,
        counts,
        paragraphCount: paragraphs.filter((p) => p.kind !== 'heading').length,
        period: periodOf(c),
        window: windowOf(c, clock.now()),
        questions: questionsOf(c),
        questionsLocked: c.status !== 'draft',
      };
    },

    async addQuestion(user: CurrentUser | null, actor: Actor, slug: string, question: QuestionDefinition) {
      require(user, 'manage');
      return db.transaction(async () => {
        const c = await load(slug);
        requireDraftQuestions(c);
        const questions = questionsOf(c);
        if (questions.some((q) => q.key === question.key))
          throw new ConsultationRuleError('key', 'consultations.errors.questionKeyTaken');
        await saveQuestions(actor, c, [...questions, question], 'key');
      });
    },

    async updateQuestion(
      user: CurrentUser | null,
      actor: Actor,
      slug: string,
      key: string,
      question: QuestionDefinition,
    ) {
      require(user, 'manage');
      return db.transaction(async () => {
        const c = await load(slug);
        requireDraftQuestions(c);
        const questions = questionsOf(c);
        if (!questions.some((q) => q.key === key)) throw new NotFoundError('No such question');
        await saveQuestions(
          actor,
          c,
          questions.map((q) => (q.key === key ? { ...question, key } : q)),
          'text',
        );
      });
    },

    async removeQuestion(user: CurrentUser | null, actor: Actor, slug: string, key: string) {
      require(user, 'manage');
      return db.transaction(async () => {
        const c = await load(slug);
        requireDraftQuestions(c);
        const questions = questionsOf(c);
        if (!questions.some((q) => q.key === key)) throw new NotFoundError('No such question');
        await saveQuestions(
          actor,
          c,
          questions.filter((q) => q.key !== key),
          'form',
        );
      });
    },

    async question(user: CurrentUser | null, slug: string, key: string) {
      require(user, 'manage');
      const c = await load(slug);
      const question = questionsOf(c).find((q) => q.key === key);
      if (!question) throw new NotFoundError('No such question');
      return { consultation: c, question, locked: c.status !== 'draft' };
    },

    // ── Public pages ──────────────────────────────────────────────────────────────────────────────────

    async publicList() {
      const now = clock.now();
      const all = (await repo.listPublished()).map((c) => ({ ...c, window: windowOf(c, now) }));
      return {
        open: all.filter((c) => c.window === 'open'),
        upcoming: all.filter((c) => c.window === 'not_open'),
        closed: all.filter((c) => c.window === 'closed'),
      };
    },

    /** The consultation page: the text as numbered paragraphs (anchor = stable key), dates, how responses are used. */
    async page(user: CurrentUser | null, slug: string) {
      const c = await visible(user, slug);
      const [version, subCovenant, paragraphs, counts, principles] = await Promise.all([
        covenantRepo.versionById(c.versionId),
        c.subCovenantId ? covenantRepo.subCovenantById(c.subCovenantId) : null,
        paragraphsOf(c.versionId),
        repo.publicCommentCounts(c.id),
        covenantRepo.listPrinciples(),
      ]);
      return {
        consultation: c,
        version,
        subCovenant,
        paragraphs: numberedParagraphs(paragraphs).map((p) => ({ ...p, published: counts.get(p.key) ?? 0 })),
        principles,
        questions: questionsOf(c),
        window: windowOf(c, clock.now()),
        today: toUkIsoDate(clock.now()),
        canManage: canConsultation(user, 'manage'),
      };
    },

    /** Published responses, newest first or by relevance to a full-text search. */
    async publishedResponses(user: CurrentUser | null, slug: string, search: string | null, page: number) {
      const c = await visible(user, slug);
      const { rows, total } = await repo.publicResponses(
        c.id,
        search,
        PUBLIC_PAGE_SIZE,
        (page - 1) * PUBLIC_PAGE_SIZE,
      );
      return {
        consultation: c,
        responses: rows.filter(isPublicResponse).map(publicCard),
        total,
        page,
        pages: Math.max(1, Math.ceil(total / PUBLIC_PAGE_SIZE)),
        search,
      };
    },

    /** Every published response with its comments and views, for the download and the API. */
    async publishedResponsesFull(
      user: CurrentUser | null,
      slug: string,
      search: string | null,
      page: number,
      pageSize = 100,
    ) {
      const c = await visible(user, slug);
      const { rows, total } = await repo.publicResponses(c.id, search, pageSize, (page - 1) * pageSize);
      const publicRows = rows.filter(isPublicResponse);
      const ids = publicRows.map((r) => r.id);
      const [comments, views] = await Promise.all([
        repo.publicComments(c.id, { responseIds: ids }),
        repo.publicViews(ids),
      ]);
      const versions = await paragraphsByVersion([c.versionId, ...comments.map((x) => x.versionId)]);
      return {
        consultation: c,
        total,
        responses: publicRows.map((row) => ({
          ...publicCard(row),
          principleViews: views
            .filter((v) => v.responseId === row.id)
            .map((v) => ({
              principleId: v.principleId,
              view: v.view,
              comment: row.publishedText?.principleComments[v.principleId] ?? '',
            })),
          comments: comments
            .filter(
              (x) =>
                x.responseId === row.id &&
                isPublicComment(
                  { status: x.status, moderation: x.responseModeration, consent: x.consent },
                  x,
                ),
            )
            .map((x) => ({
              paragraphKey: x.paragraphKey,
              versionId: x.versionId,
              number: anchorComment(x, versions, c.versionId).number,
              stance: x.stance,
              comment: x.publishedComment ?? '',
              suggestedText: x.publishedSuggestedText,
            })),
        })),
      };
    },

    /** One published response: answers, principle views, and comments anchored to their own version. */
    async publishedResponse(user: CurrentUser | null, slug: string, reference: string) {
      const c = await visible(user, slug);
      const row = await repo.publicResponse(c.id, reference);
      if (!row || !isPublicResponse(row)) throw new NotFoundError('No such published response');
      const [comments, views, principles] = await Promise.all([
        repo.publicComments(c.id, { responseIds: [row.id] }),
        repo.publicViews([row.id]),
        covenantRepo.listPrinciples(),
      ]);
      return {
        consultation: c,
        response: publicCard(row),
        views: principles
          .map((p) => ({ principle: p, view: views.find((v) => v.principleId === p.id) ?? null }))
          .filter((x) => x.view)
          .map((x) => ({ ...x, comment: row.publishedText?.principleComments[x.principle.id] ?? '' })),
        comments: await this.anchored(c, comments),
      };
    },

    /** Published comments on one paragraph (on any version: the key is stable). */
    async paragraphComments(user: CurrentUser | null, slug: string, key: string) {
      const c = await visible(user, slug);
      const paragraphs = numberedParagraphs(await paragraphsOf(c.versionId));
      const paragraph = paragraphs.find((p) => p.key === key && p.kind !== 'heading');
      if (!paragraph) throw new NotFoundError('No such paragraph');
      const comments = await repo.publicComments(c.id, { paragraphKey: key });
      return { consultation: c, paragraph, comments: await this.anchored(c, comments) };
    },

    /** Public comments, each shown against the paragraph of the version it was made on, with the suggested diff. */
    async anchored(
      c: Consultation,
      comments: Awaited<ReturnType<ConsultationsRepository['publicComments']>>,
    ) {
      const versions = await paragraphsByVersion([c.versionId, ...comments.map((x) => x.versionId)]);
      return comments
        .filter((x) =>
          isPublicComment({ status: x.status, moderation: x.responseModeration, consent: x.consent }, x),
        )
        .map((x) => {
          const anchor = anchorComment(x, versions, c.versionId);
          return {
            reference: x.reference,
            stance: x.stance,
            comment: x.publishedComment ?? '',
            suggestedText: x.publishedSuggestedText,
            diff: anchor.paragraph ? suggestionDiff(anchor.paragraph.text, x.publishedSuggestedText) : null,
            ...anchor,
          };
        })
        .sort((a, b) => (a.number ?? 1e9) - (b.number ?? 1e9));
    },

    // ── Moderation ────────────────────────────────────────────────────────────────────────────────────

    async moderationQueue(user: CurrentUser | null, slug: string, state: ModerationState) {
      require(user, 'moderate');
      const c = await load(slug);
      return {
        consultation: c,
        state,
        counts: await repo.responseCounts(c.id),
        responses: await repo.moderationQueue(c.id, state),
      };
    },

    /** One submitted response as the moderator sees it: what was typed, and the automatic redaction's preview. */
    async moderationView(user: CurrentUser | null, slug: string, responseId: string, phrases = '') {
      require(user, 'moderate');
      const c = await load(slug);
      const response = await repo.responseById(c.id, responseId);
      if (!response || response.status !== 'submitted') throw new NotFoundError('No such response');
      const [comments, views, principles] = await Promise.all([
        repo.commentsOf(response.id),
        repo.viewsOf(response.id),
        covenantRepo.listPrinciples(),
      ]);
      const preview = redactResponse(await redaction.prepare(), {
        form: c.questions,
        answers: response.answers,
        consent: response.consent,
        respondentName: response.respondentName,
        organisationName: response.organisationName,
        principleComments: Object.fromEntries(views.map((v) => [v.principleId, v.comment])),
        comments,
        phrases: phrasesFrom(phrases),
      });
      const versions = await paragraphsByVersion([c.versionId, ...comments.map((x) => x.versionId)]);
      return {
        consultation: c,
        response,
        identity: publicIdentity(response),
        preview,
        views: views.map((v) => ({
          ...v,
          principle: principles.find((p) => p.id === v.principleId) ?? null,
          preview: preview.publishedText.principleComments[v.principleId] ?? '',
        })),
        comments: comments.map((x) => ({
          ...x,
          anchor: anchorComment(x, versions, c.versionId),
          preview: preview.comments.find((p) => p.id === x.id)!,
        })),
      };
    },

    /**
     * Publishes (redacted) or holds back one response. Publishing redacts every free text again at this
     * moment (names known now), applies the moderator's phrases, and holds any comments the moderator chose;
     * holding clears every published copy. A response with consent `none` can be "published" (it is then
     * counted as reviewed) but its words are never copied to a public column.
     */
    async moderate(
      user: CurrentUser | null,
      actor: Actor,
      slug: string,
      responseId: string,
      input: ModerateInput,
    ) {
      require(user, 'moderate');
      return db.transaction(async () => {
        const c = await load(slug);
        const response = await repo.responseById(c.id, responseId);
        if (!response || response.status !== 'submitted') throw new NotFoundError('No such response');
        const now = clock.now();
        if (input.decision === 'hold') {
          await repo.updateResponse(response.id, {
            moderation: 'held',
            moderationNote: input.note,
            moderatedBy: actor.userId,
            moderatedAt: now,
            publishedText: null,
            updatedAt: now,
          });
          await repo.clearSearch(response.id);
          await repo.setCommentsModeration(response.id, 'held');
        } else {
          const [comments, views] = await Promise.all([
            repo.commentsOf(response.id),
            repo.viewsOf(response.id),
          ]);
          const consenting = response.consent === 'named' || response.consent === 'anonymised';
          const result = redactResponse(await redaction.prepare(), {
            form: c.questions,
            answers: response.answers,
            consent: response.consent,
            respondentName: response.respondentName,
            organisationName: response.organisationName,
            principleComments: Object.fromEntries(views.map((v) => [v.principleId, v.comment])),
            comments,
            phrases: phrasesFrom(input.phrases),
          });
          await repo.updateResponse(response.id, {
            moderation: 'published',
            moderationNote: input.note,
            moderatedBy: actor.userId,
            moderatedAt: now,
            publishedText: consenting ? result.publishedText : null,
            updatedAt: now,
          });
          const held = new Set(input.holdComments);
          for (const x of result.comments) {
            const hold = held.has(x.id) || !consenting;
            await repo.publishComment(x.id, {
              moderation: held.has(x.id) ? 'held' : 'published',
              publishedComment: hold ? null : x.publishedComment,
              publishedSuggestedText: hold ? null : x.publishedSuggestedText,
            });
          }
          if (consenting) {
            const name = publicIdentity(response).name;
            await repo.setSearchText(
              response.id,
              searchTextOf(
                result.publishedText,
                result.comments.filter((x) => !held.has(x.id)),
                name,
              ),
            );
          } else await repo.clearSearch(response.id);
        }
        await audit.record(actor, {
          action:
            input.decision === 'hold' ? 'consultations.response_held' : 'consultations.response_published',
          entityType: 'consultation_response',
          entityId: response.id,
          details: { consultationId: c.id, heldComments: input.holdComments.length },
        });
      });
    },
  };
}

export type ConsultationsService = ReturnType<typeof createConsultationsService>;
