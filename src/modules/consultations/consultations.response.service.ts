/**
 * The government response and the next version (issue 7, item 5). The Covenant team writes, for each theme
 * or paragraph, what was heard and what changed (and, for a paragraph, its new wording); makes the next
 * draft of the Covenant with the covenant service (so keys are kept and every change is audited there),
 * each changed paragraph citing the theme or comments behind it; then publishes "you said, we did".
 *
 * The public response is assembled from moderated, consenting items only (consultations.response.rules.ts):
 * a response with consent `none` contributes counts and nothing else.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import type { CovenantService } from '../covenant/covenant.service.ts';
import type { Paragraph } from '../covenant/covenant.repository.ts';
import { responsePaths } from './consultations.analysis.paths.ts';
import { canConsultationAnalysis, type ConsultationAnalysisAction } from './consultations.analysis.policy.ts';
import type { ConsultationAnalysisRepository, ConsultationRef } from './consultations.analysis.repository.ts';
import { heatRows, paragraphNumbers, type StanceSplit } from './consultations.analysis.rules.ts';
import {
  assembleYouSaidWeDid,
  citationReference,
  publicQuotes,
  type ThemeSummary,
} from './consultations.response.rules.ts';
import { ConsultationAnalysisRuleError } from './consultations.analysis.service.ts';

export interface ConsultationResponseServiceDeps {
  db: Database;
  repo: ConsultationAnalysisRepository;
  covenant: CovenantService;
  audit: AuditLog;
  clock: Clock;
  baseUrl: string;
}

/** What an entry is about: `paragraph:<key>`, `theme:<id>` or `general`. */
export interface EntryInput {
  about: string;
  heard: string;
  changed: string;
  newText?: string;
}

const err = (field: string, key: string) =>
  new ConsultationAnalysisRuleError(field, `consultationResponse.errors.${key}`);

export function createConsultationResponseService(deps: ConsultationResponseServiceDeps) {
  const { db, repo, covenant, audit, clock } = deps;

  async function load(user: CurrentUser | null, slug: string, action: ConsultationAnalysisAction) {
    if (!canConsultationAnalysis(user, action)) throw new ForbiddenError(`consultation response: ${action}`);
    const consultation = await repo.consultationBySlug(slug);
    if (!consultation) throw new NotFoundError('No such consultation');
    return consultation;
  }

  const record = (actor: Actor, consultationId: string, action: string, details: Record<string, unknown>) =>
    audit.record(actor, {
      action: `consultations.response.${action}`,
      entityType: 'consultation',
      entityId: consultationId,
      details,
    });

  async function current(consultation: ConsultationRef) {
    return (
      (await repo.governmentResponse(consultation.id)) ?? {
        consultationId: consultation.id,
        summary: '',
        nextVersionId: null,
        publishedAt: null,
        publishedBy: null,
        updatedAt: clock.now(),
      }
    );
  }

  async function refusePublished(consultation: ConsultationRef) {
    if ((await repo.governmentResponse(consultation.id))?.publishedAt) throw err('summary', 'published');
  }

  /** Paragraph comment counts by key from the latest run's cube. */
  async function paragraphCounts(consultationId: string): Promise<Map<string, StanceSplit>> {
    const cells = await repo.counts(consultationId);
    const map = new Map<string, StanceSplit>();
    for (const r of heatRows([], cells).rows) map.set(r.key, r);
    return map;
  }

  /** The themes entries refer to, each with at most 3 public quotes (consent and moderation applied). */
  async function publicThemes(themeIds: string[]): Promise<ThemeSummary[]> {
    const themes = await repo.themesByIds(themeIds);
    const sources = await repo.quoteSourcesOfThemes(themes.map((t) => t.id));
    return themes.map((t) => ({
      id: t.id,
      scope: t.scope,
      scopeKey: t.scopeKey,
      // Never the engine's label in public (words of every comment, consented or not).
      label: null,
      size: t.size,
      quotes: publicQuotes(sources.filter((s) => s.themeId === t.id)),
    }));
  }

  const service = {
    /** The editor: the response so far, its entries, and what entries may be about. */
    async editor(user: CurrentUser | null, slug: string) {
      const consultation = await load(user, slug, 'write_response');
      const [gov, entries, paragraphs, run] = await Promise.all([
        current(consultation),
        repo.entries(consultation.id),
        covenant.repo.paragraphsOf(consultation.versionId),
        repo.latestDoneRun(consultation.id),
      ]);
      const themes = run ? (await repo.themesOf(run.id)).filter((t) => t.kind === 'topic') : [];
      const numbers = paragraphNumbers(paragraphs);
      const next = gov.nextVersionId ? await covenant.repo.versionById(gov.nextVersionId) : undefined;
      return {
        consultation,
        response: gov,
        entries,
        next: next ?? null,
        paragraphs: paragraphs.map((p) => ({ ...p, number: numbers.get(p.key) ?? null })),
        themes,
      };
    },

    async saveSummary(user: CurrentUser | null, actor: Actor, slug: string, summary: string) {
      const consultation = await load(user, slug, 'write_response');
      await refusePublished(consultation);
      const text = summary.trim();
      if (!text) throw err('summary', 'summaryRequired');
      await db.transaction(async () => {
        const gov = await current(consultation);
        await repo.upsertGovernmentResponse({ ...gov, summary: text, updatedAt: clock.now() });
        await record(actor, consultation.id, 'summary_saved', {});
      });
    },

    async addEntry(user: CurrentUser | null, actor: Actor, slug: string, input: EntryInput) {
      const consultation = await load(user, slug, 'write_response');
      await refusePublished(consultation);
      const heard = input.heard.trim();
      const changed = input.changed.trim();
      const newText = input.newText?.trim() || null;
      let paragraphKey: string | null = null;
      let themeId: string | null = null;
      let themeLabel: string | null = null;
      const [kind, ref] = [input.about.split(':')[0], input.about.slice(input.about.indexOf(':') + 1)];
      if (kind === 'paragraph') {
        const paragraphs = await covenant.repo.paragraphsOf(consultation.versionId);
        if (!paragraphs.some((p) => p.key === ref)) throw err('about', 'aboutRequired');
        paragraphKey = ref;
      } else if (kind === 'theme') {
        const theme = /^[0-9a-f-]{36}$/i.test(ref) ? await repo.findTheme(consultation.id, ref) : undefined;
        if (!theme) throw err('about', 'aboutRequired');
        themeId = theme.id;
        themeLabel = theme.label;
        if (theme.scope === 'paragraph') paragraphKey = theme.scopeKey;
      } else if (input.about !== 'general') throw err('about', 'aboutRequired');
      if (!heard) throw err('heard', 'heardRequired');
      if (!changed) throw err('changed', 'changedRequired');
      if (newText && !paragraphKey) throw err('newText', 'newTextNeedsParagraph');
      return db.transaction(async () => {
        const entries = await repo.entries(consultation.id);
        const entry = await repo.insertEntry({
          consultationId: consultation.id,
          paragraphKey,
          themeId,
          themeLabel,
          heard,
          changed,
          newText,
          position: entries.length + 1,
        });
        await record(actor, consultation.id, 'entry_added', { entryId: entry.id });
        return entry;
      });
    },

    async removeEntry(user: CurrentUser | null, actor: Actor, slug: string, entryId: string) {
      const consultation = await load(user, slug, 'write_response');
      await refusePublished(consultation);
      if (!/^[0-9a-f-]{36}$/i.test(entryId)) throw new NotFoundError('No such entry');
      await db.transaction(async () => {
        await repo.deleteEntry(consultation.id, entryId);
        await record(actor, consultation.id, 'entry_removed', { entryId });
      });
    },

    /**
     * Makes the next draft of the Covenant (the covenant service's draft: a copy of the current version with
     * its keys, or the draft already open) and applies each entry's new wording to its paragraph, citing the
     * theme or the paragraph's comments. Once per response: a second call is refused.
     */
    async createNextVersion(user: CurrentUser | null, actor: Actor, slug: string) {
      const consultation = await load(user, slug, 'write_response');
      const gov = await current(consultation);
      if (gov.nextVersionId) throw err('nextVersion', 'nextVersionExists');
      const entries = await repo.entries(consultation.id);
      const consulted = await covenant.repo.paragraphsOf(consultation.versionId);
      const numbers = paragraphNumbers(consulted);
      const url = (anchor: string) =>
        `${deps.baseUrl}${responsePaths.show({ slug: consultation.slug })}#${anchor}`;
      return db.transaction(async () => {
        const draft = await covenant.startDraft(user, actor);
        const inDraft = new Map((await covenant.repo.paragraphsOf(draft.id)).map((p) => [p.key, p]));
        let changed = 0;
        for (const entry of entries) {
          if (!entry.newText || !entry.paragraphKey) continue;
          const paragraph: Paragraph | undefined = inDraft.get(entry.paragraphKey);
          if (!paragraph) continue;
          const sizeOf = entry.themeId
            ? (await repo.findTheme(consultation.id, entry.themeId))?.size
            : undefined;
          const citationReference = citationReference_(consultation.title, entry, numbers, sizeOf);
          await covenant.editParagraph(user, actor, entry.paragraphKey, {
            text: entry.newText,
            kind: paragraph.kind,
            commitmentCode: paragraph.commitmentCode ?? undefined,
            citationReference,
            citationUrl: url(`paragraph-${entry.paragraphKey}`),
          });
          changed++;
        }
        await repo.upsertGovernmentResponse({ ...gov, nextVersionId: draft.id, updatedAt: clock.now() });
        await record(actor, consultation.id, 'next_version_created', { versionId: draft.id, changed });
        return { draft, changed };
      });
    },

    async publish(user: CurrentUser | null, actor: Actor, slug: string) {
      const consultation = await load(user, slug, 'publish_response');
      const gov = await current(consultation);
      if (gov.publishedAt) return;
      if (!gov.summary) throw err('summary', 'summaryRequired');
      if ((await repo.entries(consultation.id)).length === 0) throw err('about', 'entriesRequired');
      await db.transaction(async () => {
        await repo.markResponsePublished(consultation.id, clock.now());
        await repo.upsertGovernmentResponse({
          ...gov,
          publishedAt: clock.now(),
          publishedBy: actor.userId,
          updatedAt: clock.now(),
        });
        await record(actor, consultation.id, 'published', {});
      });
    },

    /** The published "you said, we did" (404 until published). Consent and moderation applied throughout. */
    async published(slug: string) {
      const consultation = await repo.consultationBySlug(slug);
      const gov = consultation ? await repo.governmentResponse(consultation.id) : undefined;
      if (!consultation || !gov?.publishedAt) throw new NotFoundError('No published response');
      const [entries, consulted, counts, totals] = await Promise.all([
        repo.entries(consultation.id),
        covenant.repo.paragraphsOf(consultation.versionId),
        paragraphCounts(consultation.id),
        repo.counts(consultation.id),
      ]);
      const next = gov.nextVersionId ? await covenant.repo.paragraphsOf(gov.nextVersionId) : null;
      const nextVersion = gov.nextVersionId ? await covenant.repo.versionById(gov.nextVersionId) : undefined;
      const themes = await publicThemes(entries.map((e) => e.themeId).filter((id) => id !== null));
      const assembled = assembleYouSaidWeDid({
        consulted,
        next: next && next.length ? next : null,
        counts,
        entries,
        themes,
      });
      const total = (key: string) => totals.find((c) => c.dimension === 'total' && c.key === key)?.count ?? 0;
      return {
        consultation,
        response: gov,
        nextVersion: nextVersion ?? null,
        responses: total('responses'),
        comments: total('comments'),
        ...assembled,
      };
    },

    /** Public aggregates (counts only, never words): after the government response is published. */
    async aggregates(user: CurrentUser | null, slug: string) {
      const consultation = await repo.consultationBySlug(slug);
      if (!consultation) throw new NotFoundError('No such consultation');
      const gov = await repo.governmentResponse(consultation.id);
      if (!gov?.publishedAt && !canConsultationAnalysis(user, 'analyse'))
        throw new NotFoundError('No published aggregates');
      const [cells, paragraphs, principles, run] = await Promise.all([
        repo.counts(consultation.id),
        covenant.repo.paragraphsOf(consultation.versionId),
        covenant.repo.listPrinciples(),
        repo.latestDoneRun(consultation.id),
      ]);
      return { consultation, cells, paragraphs, principles, run: run ?? null };
    },

    publishedList: () => repo.publishedResponses(),
  };

  function citationReference_(
    title: string,
    entry: { themeId: string | null; paragraphKey: string | null },
    numbers: Map<string, number | null>,
    size: number | undefined,
  ) {
    const number = numbers.get(entry.paragraphKey ?? '') ?? null;
    return citationReference(title, { kind: entry.themeId ? 'theme' : 'paragraph', number, size });
  }

  return service;
}

export type ConsultationResponseService = ReturnType<typeof createConsultationResponseService>;
