/**
 * The analyst workflow (issue 8, item 2) around the pure engine in `core/`: sets of answers, theme runs as
 * background jobs, analysts' edits to themes (rename, merge, split, delete, move answers), the codebook,
 * hand-coding, suggested codes that analysts accept or correct, and agreement between two analysts.
 *
 * Every public function that acts for a person begins with the policy check and records what it changed in
 * the audit log inside the same transaction. Audit details hold ids and counts, never an answer's words.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { FieldRuleError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { suggestCodes } from './core/classify.ts';
import { embedAnswers } from './core/embeddings.ts';
import type { DenseVectors, Embedder } from './core/embeddings.ts';
import { CsvError, decodeCsvBytes, readCsvTable } from './core/csv.ts';
import { kappaPerCode } from './core/metrics.ts';
import { discoverThemes, type ThemesResult } from './core/themes.ts';
import { createTokeniser } from './core/tokenise.ts';
import { can, type AnalysisAction } from './analysis.policy.ts';
import type { AnalysisRepository, ItemRow, SetRow, ThemeRow } from './analysis.repository.ts';
import type { AnalysisSource } from './analysis.tables.ts';
import { EmbeddingsError } from './embeddings.onnx.ts';

/** Recorded on every run; change it when the core's output for the same input changes. */
export const ENGINE_VERSION = 'covenant-analysis-core/1';

/** The job that works through queued theme runs (registered in container.ts). */
export const ANALYSIS_RUNS_TASK = 'analysis-runs';

/** Limits that keep one upload within what a page and the engine handle comfortably. */
export const MAX_ITEMS = 100_000;
export const MAX_TEXT_CHARS = 20_000;
export const MAX_THEMES = 50;

/** A rule the person can fix, shown against a form field (422). */
export class AnalysisRuleError extends FieldRuleError {
  override name = 'AnalysisRuleError';
}

export interface NewSetInput {
  /** A name analysts recognise, e.g. "Annual review 2026, question 4". */
  name: string;
  source: AnalysisSource;
  /** The id of the survey question, consultation paragraph or case list in its own module. */
  sourceRef?: string | null;
  /** Answers with the caller's ids; ids must be unique and non-empty. Texts are kept as given. */
  items: readonly { id: string; text: string }[];
}

export interface AnalysisServiceDeps {
  db: Database;
  repo: AnalysisRepository;
  audit: AuditLog;
  clock: Clock;
  /** Asks the job worker to process queued runs now (no-op when no worker runs in this process). */
  trigger?: () => Promise<void>;
  /**
   * The operator's sentence-embedding model (ANALYSIS_EMBEDDINGS_DIR), loaded on first use; absent: TF-IDF
   * only. An unusable folder fails the run or the suggestion request with a clear message; it never stops
   * the app from starting and never falls back quietly.
   */
  embedder?: () => Promise<Embedder>;
}

type KappaBand = 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almostPerfect';

/** Landis and Koch (1977) bands, the usual plain-English reading of kappa. */
export function kappaBand(value: number): KappaBand {
  // Bands are read at two decimals, as kappa is shown: 0.6000000001 is "moderate", like 0.60.
  const kappa = Math.round(value * 100) / 100;
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almostPerfect';
}

/** Parses an uploaded `id,text` CSV (bytes or text) into items, or throws a rule error against `file`. */
export function parseItemsCsv(input: Uint8Array | string): { id: string; text: string }[] {
  try {
    const text = typeof input === 'string' ? input : decodeCsvBytes(input);
    const table = readCsvTable(text, { required: ['id', 'text'], fileLabel: 'The file' });
    const seen = new Set<string>();
    return table.records.map((record, i) => {
      const id = (record.id ?? '').trim();
      const line = table.lines[i] ?? 0;
      if (id === '') throw new AnalysisRuleError('file', 'analysis.errors.csvEmptyId', { line });
      if (seen.has(id)) throw new AnalysisRuleError('file', 'analysis.errors.csvDuplicateId', { line, id });
      seen.add(id);
      return { id, text: record.text ?? '' };
    });
  } catch (error) {
    if (error instanceof CsvError)
      throw new AnalysisRuleError('file', 'analysis.errors.csv', { detail: error.message });
    throw error;
  }
}

export function createAnalysisService(deps: AnalysisServiceDeps) {
  const { db, repo, audit, clock } = deps;

  function check(
    user: CurrentUser | null,
    action: AnalysisAction,
    set?: SetRow,
  ): asserts user is CurrentUser {
    if (!can(user, action, set)) throw new ForbiddenError(`analysis: ${action} not allowed`);
  }

  /** The set, after checking the person may take `action` on it (403 before 404: no probing for ids). */
  async function loadSet(
    user: CurrentUser | null,
    setId: string,
    action: AnalysisAction,
  ): Promise<SetRow & { me: CurrentUser }> {
    check(user, action);
    const set = isUuid(setId) ? await repo.findSet(setId) : undefined;
    if (!set) throw new NotFoundError('No such analysis set');
    check(user, action, set);
    return { ...set, me: user };
  }

  /** The run whose themes analysts see and edit; editing needs one. */
  async function currentRun(setId: string) {
    const run = await repo.latestDoneRun(setId);
    if (!run) throw new NotFoundError('This set has no themes yet');
    return run;
  }

  async function loadTheme(setId: string, themeId: string): Promise<{ runId: string; theme: ThemeRow }> {
    const run = await currentRun(setId);
    const theme = isUuid(themeId) ? await repo.findTheme(run.id, themeId) : undefined;
    if (!theme) throw new NotFoundError('No such theme');
    return { runId: run.id, theme };
  }

  const record = (actor: Actor, setId: string, action: string, details: Record<string, unknown> = {}) =>
    audit.record(actor, {
      action: `analysis.${action}`,
      entityType: 'analysis_set',
      entityId: setId,
      details,
    });

  /** Stores the engine's result as the run's themes and assignments; in the caller's transaction. */
  async function storeThemes(runId: string, result: ThemesResult) {
    const themeIds = new Map<string, string>();
    let position = 0;
    for (const theme of result.themes) {
      const row = await repo.insertTheme({
        runId,
        engineId: theme.id,
        kind: theme.kind,
        label: theme.label,
        keyPhrases: theme.keyPhrases,
        quoteItemIds: theme.quotes,
        position: position++,
      });
      themeIds.set(theme.id, row.id);
    }
    await repo.insertAssignments(
      result.assignments.flatMap((a) =>
        a.themes.map((t, rank) => ({
          runId,
          itemId: a.id,
          themeId: themeIds.get(t) as string,
          rank,
          confidence: a.confidence,
        })),
      ),
    );
    await repo.setItemSignals(
      result.assignments.map((a) => ({ id: a.id, sentiment: a.sentiment, language: a.language })),
    );
  }

  /** Sentence vectors when a model is configured (EmbeddingsError if it cannot be used), else undefined. */
  async function vectorsFor(
    answers: readonly { id: string; text: string }[],
  ): Promise<DenseVectors | undefined> {
    if (!deps.embedder) return undefined;
    return embedAnswers(answers, await deps.embedder());
  }

  /** Runs `work`, turning an unusable embeddings folder into a rule error shown against `field`. */
  async function withEmbeddings<T>(field: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof EmbeddingsError) throw new AnalysisRuleError(field, 'analysis.errors.embeddings');
      throw error;
    }
  }

  async function executeRun(runId: string, setId: string, k: number | null, seed: number) {
    const started = Date.now();
    try {
      const items = await repo.listItems(setId);
      // Items are identified to the core by their row id, so quotes and assignments point at rows directly.
      const answers = items.map((i) => ({ id: i.id, text: i.text }));
      // An unusable embeddings folder fails the run; its message (for the operator) is kept in the run's error.
      const vectors = await vectorsFor(answers);
      const result = discoverThemes(answers, {
        k: k ?? undefined,
        seed,
        tokeniser: createTokeniser(),
        vectors,
      });
      await db.transaction(async () => {
        await storeThemes(runId, result);
        await repo.updateRun(runId, {
          status: 'done',
          kChosen: result.k,
          kChosenBy: result.kChosenBy,
          finishedAt: clock.now(),
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

  /** Codings that count as an analyst's own decisions: ticked by hand, or suggestions they accepted. */
  const decided = ['human', 'accepted'] as ('human' | 'accepted')[];

  const service = {
    /**
     * Opens the configured embeddings folder, for start-up to log its state: null when it works (or none is
     * configured), else the problem. Never throws, so the app starts whatever is in the folder.
     */
    async checkEmbeddings(): Promise<{ dim: number; description: string } | { problem: string } | null> {
      if (!deps.embedder) return null;
      try {
        const embedder = await deps.embedder();
        return { dim: embedder.dim, description: embedder.description };
      } catch (error) {
        return { problem: error instanceof Error ? error.message : String(error) };
      }
    },

    /** Sets, newest first, with item counts and the state of their newest run. */
    async listSets(user: CurrentUser | null) {
      check(user, 'list');
      return repo.listSets();
    },

    /**
     * Creates a set from answers. Other modules (surveys, consultations, casework) call this directly with
     * their own ids; the upload page calls it after parsing a CSV. Throws AnalysisRuleError for no answers,
     * too many, an empty or repeated id, or an answer longer than MAX_TEXT_CHARS.
     */
    async createSet(actor: Actor, input: NewSetInput): Promise<SetRow> {
      const name = input.name.trim();
      if (name === '') throw new AnalysisRuleError('name', 'analysis.errors.setNameRequired');
      if (input.items.length === 0) throw new AnalysisRuleError('file', 'analysis.errors.noItems');
      if (input.items.length > MAX_ITEMS)
        throw new AnalysisRuleError('file', 'analysis.errors.tooManyItems', { max: MAX_ITEMS });
      const seen = new Set<string>();
      for (const item of input.items) {
        const id = item.id.trim();
        if (id === '') throw new AnalysisRuleError('file', 'analysis.errors.emptyId');
        if (seen.has(id)) throw new AnalysisRuleError('file', 'analysis.errors.duplicateId', { id });
        if (item.text.length > MAX_TEXT_CHARS)
          throw new AnalysisRuleError('file', 'analysis.errors.textTooLong', { id, max: MAX_TEXT_CHARS });
        seen.add(id);
      }
      return db.transaction(async () => {
        const set = await repo.insertSet({
          name: name.slice(0, 200),
          source: input.source,
          sourceRef: input.sourceRef ?? null,
          createdBy: actor.userId,
        });
        await repo.insertItems(
          set.id,
          input.items.map((i) => ({ externalId: i.id.trim(), text: i.text })),
        );
        await record(actor, set.id, 'set.created', { source: input.source, items: input.items.length });
        return set;
      });
    },

    /** The upload page: an analyst's CSV with header `id,text`. */
    async createSetFromCsv(
      user: CurrentUser | null,
      actor: Actor,
      input: { name: string; csv: Uint8Array | string },
    ) {
      check(user, 'create');
      if (input.name.trim() === '') throw new AnalysisRuleError('name', 'analysis.errors.setNameRequired');
      const items = parseItemsCsv(input.csv);
      return service.createSet(actor, { name: input.name, source: 'upload', items });
    },

    /** Queues a themes run and asks the worker to start it. */
    async requestRun(
      user: CurrentUser | null,
      actor: Actor,
      setId: string,
      options: { k?: number; seed?: number } = {},
    ) {
      const set = await loadSet(user, setId, 'run');
      if (
        options.k !== undefined &&
        (!Number.isInteger(options.k) || options.k < 2 || options.k > MAX_THEMES)
      )
        throw new AnalysisRuleError('k', 'analysis.errors.kRange', { max: MAX_THEMES });
      const run = await db.transaction(async () => {
        // Runs of a set are strictly ordered by queue time, even when two requests share a clock tick: the
        // newest requested run that finished is the one analysts see.
        const newest = await repo.newestRun(set.id);
        const now = clock.now();
        const queuedAt = newest && newest.queuedAt >= now ? new Date(newest.queuedAt.getTime() + 1) : now;
        const row = await repo.insertRun({
          setId: set.id,
          k: options.k ?? null,
          seed: options.seed ?? 1,
          status: 'queued',
          engineVersion: deps.embedder ? `${ENGINE_VERSION}+embeddings` : ENGINE_VERSION,
          requestedBy: actor.userId,
          queuedAt,
        });
        await record(actor, set.id, 'run.queued', { runId: row.id, k: row.k, seed: row.seed });
        return row;
      });
      await deps.trigger?.().catch(() => undefined);
      return run;
    },

    /** The job: runs queued theme runs one at a time, oldest first. Returns how many it ran. */
    async processQueuedRuns(limit = 10): Promise<number> {
      let done = 0;
      while (done < limit) {
        const run = await repo.claimQueuedRun(clock.now());
        if (!run) break;
        await executeRun(run.id, run.setId, run.k, run.seed);
        done++;
      }
      return done;
    },

    /**
     * Queues a run and carries it out now, in this process: for the command line, other modules' tests and
     * the embedded database, where a deterministic result is wanted without waiting for the worker.
     */
    async runThemes(
      user: CurrentUser | null,
      actor: Actor,
      setId: string,
      options: { k?: number; seed?: number } = {},
    ) {
      const run = await service.requestRun(user, actor, setId, options);
      const claimed = await repo.claimQueuedRun(clock.now(), run.id);
      if (claimed) await executeRun(claimed.id, claimed.setId, claimed.k, claimed.seed);
      const latest = await repo.newestRun(setId);
      return latest?.id === run.id ? latest : run;
    },

    /** The set page: themes with sizes, key phrases, up to 3 quotes, sentiment; plus the newest run's state. */
    async overview(user: CurrentUser | null, setId: string) {
      const set = await loadSet(user, setId, 'view');
      const [newest, run, itemCount] = await Promise.all([
        repo.newestRun(set.id),
        repo.latestDoneRun(set.id),
        repo.listSets().then((sets) => sets.find((s) => s.id === set.id)?.items ?? 0),
      ]);
      if (!run) return { set, newest, run: null, themes: [], unassigned: 0, sentiment: null, itemCount };
      const themes = await repo.themesOfRun(run.id);
      const stats = new Map((await repo.themeStats(run.id)).map((s) => [s.themeId, s]));
      const quoteIds = themes.flatMap((t) => t.quoteItemIds);
      const quotes = new Map((await repo.itemsByIds(quoteIds)).map((i) => [i.id, i]));
      return {
        set,
        newest,
        run,
        itemCount,
        unassigned: await repo.countUnassigned(set.id, run.id),
        sentiment: await repo.sentimentCounts(set.id),
        themes: themes.map((t) => ({
          ...t,
          size: stats.get(t.id)?.size ?? 0,
          members: stats.get(t.id)?.members ?? 0,
          sentiment: stats.get(t.id)?.sentiment ?? null,
          quotes: t.quoteItemIds.map((id) => quotes.get(id)).filter((q): q is ItemRow => q !== undefined),
        })),
      };
    },

    /** A theme with its items and the other themes (targets for move and merge). */
    async theme(user: CurrentUser | null, setId: string, themeId: string) {
      const set = await loadSet(user, setId, 'view');
      const { runId, theme } = await loadTheme(set.id, themeId);
      const [items, all] = await Promise.all([repo.itemsOfTheme(theme.id), repo.themesOfRun(runId)]);
      return { set, theme, items, others: all.filter((t) => t.id !== theme.id) };
    },

    async renameTheme(user: CurrentUser | null, actor: Actor, setId: string, themeId: string, label: string) {
      const set = await loadSet(user, setId, 'edit_themes');
      const { theme } = await loadTheme(set.id, themeId);
      const clean = label.trim();
      if (clean === '') throw new AnalysisRuleError('label', 'analysis.errors.themeNameRequired');
      if (clean.length > 120) throw new AnalysisRuleError('label', 'analysis.errors.themeNameTooLong');
      await db.transaction(async () => {
        await repo.updateTheme(theme.id, { label: clean, renamed: true });
        await record(actor, set.id, 'theme.renamed', { themeId: theme.id });
      });
    },

    /** Moves every answer of `themeId` into `intoThemeId` and removes the first theme. */
    async mergeThemes(
      user: CurrentUser | null,
      actor: Actor,
      setId: string,
      themeId: string,
      intoThemeId: string,
    ) {
      const set = await loadSet(user, setId, 'edit_themes');
      const { theme } = await loadTheme(set.id, themeId);
      if (intoThemeId === theme.id) throw new AnalysisRuleError('into', 'analysis.errors.mergeWithItself');
      const into = await loadTheme(set.id, intoThemeId).catch(() => {
        throw new AnalysisRuleError('into', 'analysis.errors.chooseTheme');
      });
      await db.transaction(async () => {
        const moving = await repo.assignmentsOfTheme(theme.id);
        const already = new Map((await repo.assignmentsOfTheme(into.theme.id)).map((a) => [a.itemId, a]));
        await repo.deleteTheme(theme.id);
        // An answer in both keeps its better (lower) rank in the merged theme.
        for (const a of moving) {
          const existing = already.get(a.itemId);
          if (existing && existing.rank > a.rank) {
            await repo.removeAssignments(into.theme.id, [a.itemId]);
            already.delete(a.itemId);
          }
        }
        await repo.insertAssignments(
          moving
            .filter((a) => !already.has(a.itemId))
            .map((a) => ({
              runId: a.runId,
              itemId: a.itemId,
              themeId: into.theme.id,
              rank: a.rank,
              confidence: a.confidence,
            })),
        );
        const phrases = [...new Set([...into.theme.keyPhrases, ...theme.keyPhrases])].slice(0, 8);
        const quotes = [...new Set([...into.theme.quoteItemIds, ...theme.quoteItemIds])].slice(0, 3);
        await repo.updateTheme(into.theme.id, { keyPhrases: phrases, quoteItemIds: quotes });
        await record(actor, set.id, 'theme.merged', {
          themeId: theme.id,
          intoThemeId: into.theme.id,
          items: moving.length,
        });
      });
    },

    /**
     * Splits a theme into `parts` themes by running the engine on its answers alone (same seed as the run,
     * so the same split twice gives the same result). The new themes take the old one's place.
     */
    async splitTheme(user: CurrentUser | null, actor: Actor, setId: string, themeId: string, parts: number) {
      const set = await loadSet(user, setId, 'edit_themes');
      const { runId, theme } = await loadTheme(set.id, themeId);
      if (!Number.isInteger(parts) || parts < 2 || parts > 10)
        throw new AnalysisRuleError('parts', 'analysis.errors.splitParts');
      const members = await repo.itemsOfTheme(theme.id);
      if (members.length < parts)
        throw new AnalysisRuleError('parts', 'analysis.errors.splitTooFew', { count: members.length });
      const run = await currentRun(set.id);
      const answers = members.map((m) => ({ id: m.id, text: m.text }));
      const vectors = await withEmbeddings('parts', () => vectorsFor(answers));
      const result = discoverThemes(answers, {
        k: parts,
        seed: run.seed,
        tokeniser: createTokeniser(),
        vectors,
      });
      if (result.themes.length < 2) throw new AnalysisRuleError('parts', 'analysis.errors.splitTooAlike');
      const rankOf = new Map(members.map((m) => [m.id, m.rank]));
      return db.transaction(async () => {
        const created: string[] = [];
        for (const part of result.themes) {
          const row = await repo.insertTheme({
            runId,
            engineId: null,
            kind: part.kind,
            label: part.kind === 'topic' ? part.label : theme.label,
            keyPhrases: part.keyPhrases,
            quoteItemIds: part.quotes,
            position: theme.position,
          });
          created.push(row.id);
          const members = result.assignments.filter((a) => a.themes[0] === part.id);
          await repo.insertAssignments(
            members.map((a) => ({
              runId,
              itemId: a.id,
              themeId: row.id,
              rank: rankOf.get(a.id) ?? 0,
              confidence: a.confidence,
            })),
          );
        }
        await repo.deleteTheme(theme.id);
        // The new themes take the old one's place; the others keep their order.
        const order = (await repo.themesOfRun(runId)).filter((t) => !created.includes(t.id));
        const at = order.findIndex((t) => t.position > theme.position);
        const ids = order.map((t) => t.id);
        ids.splice(at < 0 ? ids.length : at, 0, ...created);
        for (const [position, id] of ids.entries()) await repo.updateTheme(id, { position });
        await record(actor, set.id, 'theme.split', {
          themeId: theme.id,
          into: created,
          items: members.length,
        });
        return created;
      });
    },

    /** Deletes a theme; its answers stay in the set (under "not in any theme" unless in another theme). */
    async deleteTheme(user: CurrentUser | null, actor: Actor, setId: string, themeId: string) {
      const set = await loadSet(user, setId, 'edit_themes');
      const { theme } = await loadTheme(set.id, themeId);
      await db.transaction(async () => {
        await repo.deleteTheme(theme.id);
        await record(actor, set.id, 'theme.deleted', { themeId: theme.id });
      });
    },

    /** Moves answers from one theme to another; the analyst's placement has no engine confidence. */
    async moveItems(
      user: CurrentUser | null,
      actor: Actor,
      setId: string,
      fromThemeId: string,
      itemIds: readonly string[],
      toThemeId: string,
    ) {
      const set = await loadSet(user, setId, 'edit_themes');
      const { runId, theme } = await loadTheme(set.id, fromThemeId);
      if (itemIds.length === 0) throw new AnalysisRuleError('items', 'analysis.errors.chooseItems');
      if (toThemeId === theme.id) throw new AnalysisRuleError('to', 'analysis.errors.moveToSame');
      const to = await loadTheme(set.id, toThemeId).catch(() => {
        throw new AnalysisRuleError('to', 'analysis.errors.chooseTheme');
      });
      const current = new Map((await repo.assignmentsOfTheme(theme.id)).map((a) => [a.itemId, a]));
      const moving = itemIds.filter((id) => current.has(id));
      if (moving.length === 0) throw new AnalysisRuleError('items', 'analysis.errors.chooseItems');
      await db.transaction(async () => {
        await repo.removeAssignments(theme.id, moving);
        await repo.insertAssignments(
          moving.map((id) => ({
            runId,
            itemId: id,
            themeId: to.theme.id,
            rank: current.get(id)!.rank,
            confidence: null,
          })),
        );
        await record(actor, set.id, 'items.moved', {
          fromThemeId: theme.id,
          toThemeId: to.theme.id,
          items: moving.length,
        });
      });
      return moving.length;
    },

    // Codebook and coding

    /** The codebook with how many answers the person coded with each code, and how many they coded at all. */
    async codebook(user: CurrentUser | null, setId: string) {
      const set = await loadSet(user, setId, 'view');
      const codes = await repo.listCodes(set.id);
      const mine = await repo.codingsOfSet(set.id, { analystId: set.me.id, sources: decided });
      const counts = new Map<string, number>();
      for (const c of mine) counts.set(c.codeId, (counts.get(c.codeId) ?? 0) + 1);
      const items = await repo.listItems(set.id);
      const coded = new Set(mine.map((c) => c.itemId));
      const firstUncoded = items.find((i) => !coded.has(i.id)) ?? items[0];
      return {
        set,
        codes: codes.map((c) => ({ ...c, uses: counts.get(c.id) ?? 0 })),
        codedItems: coded.size,
        itemCount: items.length,
        firstUncodedId: firstUncoded?.id ?? null,
      };
    },

    async addCode(
      user: CurrentUser | null,
      actor: Actor,
      setId: string,
      input: { name: string; description: string },
    ) {
      const set = await loadSet(user, setId, 'edit_codebook');
      const name = input.name.trim();
      if (await repo.findCodeByName(set.id, name))
        throw new AnalysisRuleError('name', 'analysis.errors.codeExists');
      return db.transaction(async () => {
        const code = await repo.insertCode({ setId: set.id, name, description: input.description.trim() });
        await record(actor, set.id, 'code.added', { codeId: code.id });
        return code;
      });
    },

    async editCode(
      user: CurrentUser | null,
      actor: Actor,
      setId: string,
      codeId: string,
      input: { name: string; description: string },
    ) {
      const set = await loadSet(user, setId, 'edit_codebook');
      const code = (await repo.listCodes(set.id)).find((c) => c.id === codeId);
      if (!code) throw new NotFoundError('No such code');
      const name = input.name.trim();
      if (await repo.findCodeByName(set.id, name, code.id))
        throw new AnalysisRuleError('name', 'analysis.errors.codeExists');
      await db.transaction(async () => {
        await repo.updateCode(code.id, { name, description: input.description.trim() });
        await record(actor, set.id, 'code.edited', { codeId: code.id });
      });
    },

    /** One answer to code: the codebook, the person's codes for it, any suggestion, and previous/next. */
    async itemForCoding(user: CurrentUser | null, setId: string, itemId: string) {
      const set = await loadSet(user, setId, 'code');
      const item = isUuid(itemId) ? await repo.findItem(set.id, itemId) : undefined;
      if (!item) throw new NotFoundError('No such answer');
      const [codes, codings, around] = await Promise.all([
        repo.listCodes(set.id),
        repo.codingsOfItem(item.id, set.me.id),
        repo.neighbours(set.id, item.position),
      ]);
      return {
        set,
        item,
        codes,
        chosen: codings.filter((c) => c.source !== 'suggested').map((c) => c.codeId),
        suggested: codings.filter((c) => c.source === 'suggested'),
        ...around,
      };
    },

    /**
     * Saves the person's codes for an answer (multi-label), replacing theirs and any suggestion for it. A
     * suggestion ticked unchanged stays `accepted`; anything else is a human coding, and so a correction that
     * the next suggestion run learns from.
     */
    async codeItem(
      user: CurrentUser | null,
      actor: Actor,
      setId: string,
      itemId: string,
      codeIds: readonly string[],
    ) {
      const { set, item, codes, chosen, suggested } = await service.itemForCoding(user, setId, itemId);
      const known = new Set(codes.map((c) => c.id));
      const wanted = [...new Set(codeIds)].filter((id) => known.has(id));
      if (wanted.length !== new Set(codeIds).size)
        throw new AnalysisRuleError('codes', 'analysis.errors.unknownCode');
      const previous = await repo.codingsOfItem(item.id, set.me.id);
      const accepted = new Set(previous.filter((c) => c.source === 'accepted').map((c) => c.codeId));
      const now = clock.now();
      await db.transaction(async () => {
        await repo.deleteCodings({ itemId: item.id, analystId: set.me.id });
        await repo.insertCodings(
          wanted.map((codeId) => ({
            itemId: item.id,
            codeId,
            analystId: set.me.id,
            source: accepted.has(codeId) ? ('accepted' as const) : ('human' as const),
            confidence: accepted.has(codeId)
              ? (previous.find((c) => c.codeId === codeId)?.confidence ?? null)
              : null,
            updatedAt: now,
          })),
        );
        await record(actor, set.id, 'item.coded', {
          itemId: item.id,
          codes: wanted.length,
          before: chosen.length,
          corrected: suggested.length > 0,
        });
      });
    },

    /**
     * Suggests codes for every answer the person has not coded, learning from the answers they have (hand
     * codes, corrections and accepted suggestions). Replaces their earlier, unreviewed suggestions.
     */
    async suggest(user: CurrentUser | null, actor: Actor, setId: string) {
      const set = await loadSet(user, setId, 'code');
      const [items, codes, mine] = await Promise.all([
        repo.listItems(set.id),
        repo.listCodes(set.id),
        repo.codingsOfSet(set.id, { analystId: set.me.id, sources: decided }),
      ]);
      const byItem = new Map<string, string[]>();
      for (const c of mine) byItem.set(c.itemId, [...(byItem.get(c.itemId) ?? []), c.codeId]);
      if (byItem.size === 0) throw new AnalysisRuleError('suggest', 'analysis.errors.codeSomeFirst');
      const answers = items.map((i) => ({ id: i.id, text: i.text }));
      const vectors = await withEmbeddings('suggest', () => vectorsFor(answers));
      const suggestions = suggestCodes({
        answers,
        coded: [...byItem].map(([id, labels]) => ({ id, labels })),
        options: { seed: 1, vectors },
      });
      const known = new Set(codes.map((c) => c.id));
      const now = clock.now();
      await db.transaction(async () => {
        await repo.deleteCodings({ analystId: set.me.id, setId: set.id, source: 'suggested' });
        await repo.insertCodings(
          suggestions.flatMap((s) =>
            s.labels
              .filter((codeId) => known.has(codeId))
              .map((codeId) => ({
                itemId: s.id,
                codeId,
                analystId: set.me.id,
                source: 'suggested' as const,
                confidence: s.perLabel[codeId] ?? s.confidence,
                updatedAt: now,
              })),
          ),
        );
        await record(actor, set.id, 'codes.suggested', {
          trainedOn: byItem.size,
          suggested: suggestions.length,
        });
      });
      return { trainedOn: byItem.size, suggested: suggestions.length };
    },

    /** The person's suggestions awaiting review, least confident first (they most need a human eye). */
    async suggestions(user: CurrentUser | null, setId: string) {
      const set = await loadSet(user, setId, 'code');
      const [rows, codes] = await Promise.all([
        repo.codingsOfSet(set.id, { analystId: set.me.id, sources: ['suggested'] }),
        repo.listCodes(set.id),
      ]);
      const codeName = new Map(codes.map((c) => [c.id, c.name]));
      const byItem = new Map<string, { codeId: string; name: string; confidence: number }[]>();
      for (const r of rows) {
        const list = byItem.get(r.itemId) ?? [];
        list.push({ codeId: r.codeId, name: codeName.get(r.codeId) ?? '', confidence: r.confidence ?? 0 });
        byItem.set(r.itemId, list);
      }
      const items = await repo.itemsByIds([...byItem.keys()]);
      const list = items
        .map((item) => {
          const codesOf = (byItem.get(item.id) ?? []).sort((a, b) => b.confidence - a.confidence);
          return { item, codes: codesOf, confidence: codesOf[0]?.confidence ?? 0 };
        })
        .sort((a, b) => a.confidence - b.confidence || a.item.position - b.item.position);
      return { set, suggestions: list };
    },

    /** Accepts the person's suggested codes for one answer as they are. */
    async acceptSuggestion(user: CurrentUser | null, actor: Actor, setId: string, itemId: string) {
      const set = await loadSet(user, setId, 'code');
      const item = isUuid(itemId) ? await repo.findItem(set.id, itemId) : undefined;
      if (!item) throw new NotFoundError('No such answer');
      await db.transaction(async () => {
        await repo.setCodingSource(item.id, set.me.id, 'suggested', 'accepted', clock.now());
        await record(actor, set.id, 'suggestion.accepted', { itemId: item.id });
      });
    },

    /**
     * Cohen's kappa per code between two analysts, over the answers both coded. Without a choice, the two
     * people who coded most answers are compared.
     */
    async agreement(
      user: CurrentUser | null,
      setId: string,
      choice: { first?: string; second?: string } = {},
    ) {
      const set = await loadSet(user, setId, 'view');
      const [codings, codes] = await Promise.all([
        repo.codingsOfSet(set.id, { sources: decided }),
        repo.listCodes(set.id),
      ]);
      const byAnalyst = new Map<string, Map<string, string[]>>();
      for (const c of codings) {
        const items = byAnalyst.get(c.analystId) ?? new Map<string, string[]>();
        items.set(c.itemId, [...(items.get(c.itemId) ?? []), c.codeId]);
        byAnalyst.set(c.analystId, items);
      }
      const names = await repo.userNames([...byAnalyst.keys()]);
      const analysts = [...byAnalyst]
        .map(([id, items]) => ({ id, name: names.get(id) ?? '', coded: items.size }))
        .sort((a, b) => b.coded - a.coded || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      const first = choice.first && byAnalyst.has(choice.first) ? choice.first : analysts[0]?.id;
      const second =
        choice.second && byAnalyst.has(choice.second) && choice.second !== first
          ? choice.second
          : analysts.find((a) => a.id !== first)?.id;
      if (!first || !second) return { set, analysts, first, second, both: 0, rows: [] };
      const a = byAnalyst.get(first)!;
      const b = byAnalyst.get(second)!;
      const codeName = new Map(codes.map((c) => [c.id, c.name]));
      const rows = kappaPerCode(a, b)
        .map((r) => ({ ...r, name: codeName.get(r.code) ?? r.code, band: kappaBand(r.kappa) }))
        .sort((x, y) => x.name.localeCompare(y.name));
      const both = [...a.keys()].filter((id) => b.has(id)).length;
      return { set, analysts, first, second, both, rows };
    },
  };
  return service;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

export type AnalysisService = ReturnType<typeof createAnalysisService>;
