/**
 * Consultation analysis for the Covenant team and the panel (issue 7, item 4): a background run that counts
 * every submitted response (paragraph comments by stance, principle views, respondent types, answered
 * questions) and groups the free text into themes per paragraph and per free-text question with the analysis
 * engine; pages that read only what the run stored; and analysts' tags on responses.
 *
 * Freshness: counts and themes are those of the latest finished run. A run is queued when an analyst asks
 * (and the job retries queued runs every minute); every page says when the run finished and how many
 * responses were submitted since, so nobody mistakes old counts for new ones.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { FieldRuleError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { discoverThemes } from '../analysis/core/themes.ts';
import { createTokeniser, type Tokeniser } from '../analysis/core/tokenise.ts';
import type { CovenantRepository } from '../covenant/covenant.repository.ts';
import { canConsultationAnalysis, type ConsultationAnalysisAction } from './consultations.analysis.policy.ts';
import type {
  ConsultationAnalysisRepository,
  ConsultationRef,
  ThemeRow,
} from './consultations.analysis.repository.ts';
import {
  freeTextQuestions,
  heatRows,
  normaliseTag,
  PAGE_SIZE,
  principleRows,
  respondentTypeView,
  stances,
} from './consultations.analysis.rules.ts';
import type { ThemeScope } from './consultations.analysis.tables.ts';

/** The job that works through queued consultation analysis runs (registered in container.ts). */
export const CONSULTATION_ANALYSIS_TASK = 'consultation-analysis-runs';

/** Fewer comments than this on a paragraph are listed, not themed (themes of 3 comments say nothing). */
export const MIN_TO_THEME = 10;

/** A rule the person can fix, shown against a form field (422). */
export class ConsultationAnalysisRuleError extends FieldRuleError {
  override name = 'ConsultationAnalysisRuleError';
}

export interface ConsultationAnalysisServiceDeps {
  db: Database;
  repo: ConsultationAnalysisRepository;
  covenantRepo: CovenantRepository;
  audit: AuditLog;
  clock: Clock;
  /** Asks the job worker to process queued runs now (no-op when no worker runs in this process). */
  trigger?: () => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createConsultationAnalysisService(deps: ConsultationAnalysisServiceDeps) {
  const { db, repo, covenantRepo, audit, clock } = deps;
  let tokeniser: Tokeniser | undefined;

  function check(user: CurrentUser | null, action: ConsultationAnalysisAction): asserts user is CurrentUser {
    if (!canConsultationAnalysis(user, action)) throw new ForbiddenError(`consultation analysis: ${action}`);
  }

  /** The consultation, after the policy check (403 before 404: no probing for slugs). */
  async function load(user: CurrentUser | null, slug: string, action: ConsultationAnalysisAction) {
    check(user, action);
    const consultation = await repo.consultationBySlug(slug);
    if (!consultation) throw new NotFoundError('No such consultation');
    return consultation;
  }

  /** Counts and run state shared by every analysis page. */
  async function state(consultation: ConsultationRef) {
    const [run, newest] = await Promise.all([
      repo.latestDoneRun(consultation.id),
      repo.newestRun(consultation.id),
    ]);
    // New responses since the run (submitted minus those it counted; a response is never unsubmitted).
    const since = run ? Math.max(0, (await repo.submittedCount(consultation.id)) - (run.responses ?? 0)) : 0;
    return { run: run ?? null, newest: newest ?? null, since };
  }

  /** Themes the engine found in `items`, stored with their members and quotes; in the run's transaction. */
  async function storeThemes(
    consultationId: string,
    runId: string,
    runAt: Date,
    scope: ThemeScope,
    scopeKey: string,
    items: readonly { id: string; responseId: string; commentId: string | null; text: string }[],
  ) {
    if (items.length < MIN_TO_THEME) return 0;
    tokeniser ??= createTokeniser();
    const result = discoverThemes(
      items.map((i) => ({ id: i.id, text: i.text })),
      { seed: 1, tokeniser },
    );
    const byId = new Map(items.map((i) => [i.id, i]));
    const membersOf = new Map<string, string[]>();
    for (const a of result.assignments) {
      const main = a.themes[0];
      if (main) membersOf.set(main, [...(membersOf.get(main) ?? []), a.id]);
    }
    let position = 0;
    for (const theme of result.themes) {
      const members = membersOf.get(theme.id) ?? [];
      const row = await repo.insertTheme({
        consultationId,
        runId,
        scope,
        scopeKey,
        label: theme.label,
        summary: theme.keyPhrases.slice(0, 5).join(', '),
        kind: theme.kind,
        size: theme.size,
        quotes: theme.quotes
          .map((id) => byId.get(id))
          .filter((i) => i !== undefined)
          .map((i) =>
            i.commentId ? { commentId: i.commentId, responseId: i.responseId } : { responseId: i.responseId },
          ),
        position: position++,
        runAt,
      });
      // The engine's quotes first, so the public page tries them before the others.
      const ordered = [...new Set([...theme.quotes.filter((id) => members.includes(id)), ...members])];
      await repo.insertMembers(
        ordered.map((id, i) => ({
          themeId: row.id,
          responseId: byId.get(id)!.responseId,
          commentId: byId.get(id)!.commentId,
          position: i,
        })),
      );
    }
    return result.themes.length;
  }

  async function executeRun(runId: string, consultationId: string) {
    const started = Date.now();
    try {
      const consultation = (await repo.consultationById(consultationId))!;
      const comments = await repo.commentTexts(consultationId);
      const byKey = new Map<string, typeof comments>();
      for (const c of comments) byKey.set(c.paragraphKey, [...(byKey.get(c.paragraphKey) ?? []), c]);
      const questions = freeTextQuestions(consultation.questions);
      const answers = await Promise.all(questions.map((q) => repo.answerTexts(consultationId, q.key)));
      await db.transaction(async () => {
        const runAt = clock.now();
        const totals = await repo.rebuildCounts(consultationId);
        for (const [key, list] of byKey)
          await storeThemes(
            consultationId,
            runId,
            runAt,
            'paragraph',
            key,
            list.map((c) => ({ id: c.id, responseId: c.responseId, commentId: c.id, text: c.text })),
          );
        for (const [i, q] of questions.entries())
          await storeThemes(
            consultationId,
            runId,
            runAt,
            'question',
            q.key,
            answers[i]!.map((a) => ({
              id: a.responseId,
              responseId: a.responseId,
              commentId: null,
              text: a.text,
            })),
          );
        await repo.updateRun(runId, {
          status: 'done',
          finishedAt: clock.now(),
          responses: totals.responses,
          comments: totals.comments,
          durationMs: Date.now() - started,
        });
      });
    } catch (error) {
      await repo.updateRun(runId, {
        status: 'failed',
        finishedAt: clock.now(),
        durationMs: Date.now() - started,
        error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'unknown error',
      });
    }
  }

  const record = (actor: Actor, consultationId: string, action: string, details: Record<string, unknown>) =>
    audit.record(actor, {
      action: `consultations.analysis.${action}`,
      entityType: 'consultation',
      entityId: consultationId,
      details,
    });

  const service = {
    /** Queues an analysis run and asks the worker to start it. */
    async requestRun(user: CurrentUser | null, actor: Actor, slug: string) {
      const consultation = await load(user, slug, 'run');
      const run = await db.transaction(async () => {
        const newest = await repo.newestRun(consultation.id);
        const now = clock.now();
        // Strictly ordered even within one clock tick: the newest requested run that finished is shown.
        const queuedAt = newest && newest.queuedAt >= now ? new Date(newest.queuedAt.getTime() + 1) : now;
        const row = await repo.insertRun({
          consultationId: consultation.id,
          status: 'queued',
          requestedBy: actor.userId,
          queuedAt,
        });
        await record(actor, consultation.id, 'run_queued', { runId: row.id });
        return row;
      });
      await db.afterCommit(async () => deps.trigger?.().catch(() => undefined));
      return run;
    },

    /** The job: carries out queued runs, oldest first. Returns how many it ran. */
    async processQueuedRuns(limit = 5): Promise<number> {
      let done = 0;
      while (done < limit) {
        const run = await repo.claimQueuedRun(clock.now());
        if (!run) break;
        await executeRun(run.id, run.consultationId);
        done++;
      }
      return done;
    },

    /** Queues a run and carries it out now (tests, the command line, benchmarks). */
    async runNow(user: CurrentUser | null, actor: Actor, slug: string) {
      const run = await service.requestRun(user, actor, slug);
      const claimed = await repo.claimQueuedRun(clock.now(), run.id);
      if (claimed) await executeRun(claimed.id, claimed.consultationId);
      return (await repo.newestRun(claimed?.consultationId ?? run.consultationId)) ?? run;
    },

    /** The overview: heat view of paragraphs, principle views, respondent types, questions, tags. */
    async overview(user: CurrentUser | null, slug: string) {
      const consultation = await load(user, slug, 'analyse');
      const [st, cells, paragraphs, principles, tags] = await Promise.all([
        state(consultation),
        repo.counts(consultation.id),
        covenantRepo.paragraphsOf(consultation.versionId),
        covenantRepo.listPrinciples(),
        repo.tagCounts(consultation.id),
      ]);
      const themeCounts = st.run
        ? new Map((await repo.themeCounts(st.run.id, 'paragraph')).map((t) => [t.scopeKey, t.themes]))
        : new Map<string, number>();
      const questionThemes = st.run
        ? new Map((await repo.themeCounts(st.run.id, 'question')).map((t) => [t.scopeKey, t.themes]))
        : new Map<string, number>();
      const answered = new Map(cells.filter((c) => c.dimension === 'question').map((c) => [c.key, c.count]));
      const total = (key: string) => cells.find((c) => c.dimension === 'total' && c.key === key)?.count ?? 0;
      const heat = heatRows(paragraphs, cells);
      return {
        consultation,
        ...st,
        responses: total('responses'),
        comments: total('comments'),
        heat: { ...heat, rows: heat.rows.map((r) => ({ ...r, themes: themeCounts.get(r.key) ?? 0 })) },
        principles: principleRows(principles, cells),
        respondents: respondentTypeView(cells),
        questions: freeTextQuestions(consultation.questions).map((q) => ({
          ...q,
          answered: answered.get(q.key) ?? 0,
          themes: questionThemes.get(q.key) ?? 0,
        })),
        tags,
      };
    },

    /** One paragraph: its counts, themes with quotes (linked to responses), and its comments, paged. */
    async paragraph(
      user: CurrentUser | null,
      slug: string,
      key: string,
      filter: { stance?: string; tag?: string; page: number; offset: number },
    ) {
      const consultation = await load(user, slug, 'analyse');
      const [st, cells, paragraphs] = await Promise.all([
        state(consultation),
        repo.counts(consultation.id),
        covenantRepo.paragraphsOf(consultation.versionId),
      ]);
      const row = heatRows(paragraphs, cells).rows.find((r) => r.key === key);
      if (!row) throw new NotFoundError('No comments or paragraph with this key');
      const stance = (stances as readonly string[]).includes(filter.stance ?? '') ? filter.stance : undefined;
      const tag = filter.tag ? (normaliseTag(filter.tag) ?? undefined) : undefined;
      const [themes, comments] = await Promise.all([
        st.run ? withQuotes(await repo.themesOf(st.run.id, 'paragraph', key)) : [],
        repo.paragraphComments(consultation.id, key, {
          stance,
          tag,
          limit: PAGE_SIZE + 1,
          offset: filter.offset,
        }),
      ]);
      return {
        consultation,
        ...st,
        row,
        themes,
        comments: comments.slice(0, PAGE_SIZE),
        more: comments.length > PAGE_SIZE,
        page: filter.page,
        stance: stance ?? '',
        tag: tag ?? '',
      };
    },

    /** One free-text question: how many answered and its themes with quotes. */
    async question(user: CurrentUser | null, slug: string, key: string) {
      const consultation = await load(user, slug, 'analyse');
      const question = freeTextQuestions(consultation.questions).find((q) => q.key === key);
      if (!question) throw new NotFoundError('No such free-text question');
      const [st, cells] = await Promise.all([state(consultation), repo.counts(consultation.id)]);
      const themes = st.run ? await withQuotes(await repo.themesOf(st.run.id, 'question', key)) : [];
      const answered = cells.find((c) => c.dimension === 'question' && c.key === key)?.count ?? 0;
      return { consultation, ...st, question, answered, themes };
    },

    /** A theme's members, paged. */
    async theme(
      user: CurrentUser | null,
      slug: string,
      themeId: string,
      page: { page: number; offset: number },
    ) {
      const consultation = await load(user, slug, 'analyse');
      const theme = UUID.test(themeId) ? await repo.findTheme(consultation.id, themeId) : undefined;
      if (!theme) throw new NotFoundError('No such theme');
      const members = await repo.themeMembers(theme.id, PAGE_SIZE + 1, page.offset);
      return {
        consultation,
        theme,
        members: members.slice(0, PAGE_SIZE),
        more: members.length > PAGE_SIZE,
        page: page.page,
      };
    },

    /** Submitted responses, optionally with one tag, with their tags. */
    async responses(
      user: CurrentUser | null,
      slug: string,
      filter: { tag?: string; page: number; offset: number },
    ) {
      const consultation = await load(user, slug, 'analyse');
      const tag = filter.tag ? (normaliseTag(filter.tag) ?? undefined) : undefined;
      const [list, tags] = await Promise.all([
        repo.responsesList(consultation.id, { tag, limit: PAGE_SIZE + 1, offset: filter.offset }),
        repo.tagCounts(consultation.id),
      ]);
      return {
        consultation,
        responses: list.slice(0, PAGE_SIZE),
        more: list.length > PAGE_SIZE,
        page: filter.page,
        tag: tag ?? '',
        tags,
      };
    },

    /** One submitted response for analysts, with its tags. Drafts are not found. */
    async response(user: CurrentUser | null, slug: string, responseId: string) {
      const consultation = await load(user, slug, 'analyse');
      const found = UUID.test(responseId)
        ? await repo.responseForAnalyst(consultation.id, responseId)
        : undefined;
      if (!found) throw new NotFoundError('No such submitted response');
      const tags = await repo.tagsOfResponse(responseId);
      return { consultation, ...found, tags };
    },

    async addTag(user: CurrentUser | null, actor: Actor, slug: string, responseId: string, raw: string) {
      const { consultation, response } = await service.response(user, slug, responseId);
      check(user, 'tag');
      const tag = normaliseTag(raw);
      if (!tag) throw new ConsultationAnalysisRuleError('tag', 'consultationAnalysis.errors.tag');
      await db.transaction(async () => {
        await repo.addTag({
          consultationId: consultation.id,
          responseId: response.id,
          tag,
          taggedBy: actor.userId,
        });
        await record(actor, consultation.id, 'tag_added', { responseId: response.id });
      });
      return tag;
    },

    async removeTag(user: CurrentUser | null, actor: Actor, slug: string, responseId: string, raw: string) {
      const { consultation, response } = await service.response(user, slug, responseId);
      check(user, 'tag');
      const tag = normaliseTag(raw);
      if (!tag) return;
      await db.transaction(async () => {
        await repo.removeTag(response.id, tag);
        await record(actor, consultation.id, 'tag_removed', { responseId: response.id });
      });
    },
  };

  /** Themes with their engine quotes' words (analysts see every submitted comment or answer). */
  async function withQuotes(themes: ThemeRow[]) {
    const commentIds = themes.flatMap((t) =>
      t.quotes.map((q) => q.commentId).filter((id) => id !== undefined),
    );
    const comments = new Map((await repo.commentsByIds(commentIds)).map((c) => [c.id, c]));
    const answers = await repo.answersOf(
      themes
        .filter((t) => t.scope === 'question')
        .flatMap((t) => t.quotes.map((q) => ({ responseId: q.responseId, key: t.scopeKey }))),
    );
    return themes.map((t) => ({
      ...t,
      quoteTexts: t.quotes.map((q) => ({
        responseId: q.responseId,
        commentId: q.commentId ?? null,
        text: q.commentId
          ? (comments.get(q.commentId)?.comment ?? '')
          : (answers.get(`${q.responseId}:${t.scopeKey}`) ?? ''),
      })),
    }));
  }

  return service;
}

export type ConsultationAnalysisService = ReturnType<typeof createConsultationAnalysisService>;
