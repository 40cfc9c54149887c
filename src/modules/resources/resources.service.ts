/**
 * The resource library (issue 9, item 1): guidance, training, codes of practice, templates and case studies
 * tagged by principle, commitment, audience and nation; full-text search; attachments checked by content;
 * every edit kept as a version with its change note; a "last reviewed" date and a reminder to the owner when
 * a review falls due. Every change checks resources.policy.ts first and is audited in its transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { formatDate } from '../../platform/i18n/i18n.ts';
import {
  allowedTypes,
  cleanFileName,
  detectFileKind,
  MAX_FILE_BYTES,
  stripMetadata,
  type FileKind,
  type IncomingFile,
} from '../cases/cases.uploads.ts';
import { resourcePaths } from './resources.paths.ts';
import { canManageResources, canSeeResource } from './resources.policy.ts';
import type { ResourceFilter, ResourceRow, ResourcesRepository } from './resources.repository.ts';
import {
  headingsOf,
  nextVersion,
  resourceSlug,
  reviewDueOn,
  reviewReminderDue,
  reviewState,
  toBlocks,
} from './resources.rules.ts';
import type { CreateResourceInput, EditResourceInput, SearchInput } from './resources.schema.ts';

export const RESOURCES_REVIEW_TASK = 'resources-review-reminder';
const systemActor: Actor = { userId: null, requestId: `system:${RESOURCES_REVIEW_TASK}` };

/** At most this many files on one resource. */
export const MAX_ATTACHMENTS = 10;
export const PAGE_SIZE = 20;

export type ResourceRefusalReason =
  | 'stale'
  | 'principleUnknown'
  | 'commitmentUnknown'
  | 'ownerUnknown'
  | 'fileRequired'
  | 'fileType'
  | 'fileSize'
  | 'fileEmpty'
  | 'fileCount';

/** A rule said no; `field` is where the page shows it (catalogue key `resources.refusals.<reason>`). */
export class ResourceRefusal extends Error {
  override name = 'ResourceRefusal';
  readonly reason: ResourceRefusalReason;
  readonly field: string;
  constructor(reason: ResourceRefusalReason, field: string) {
    super(`Resource refused: ${reason}`);
    this.reason = reason;
    this.field = field;
  }
}

export interface ResourcesDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  repo: ResourcesRepository;
  baseUrl: string;
  dataDir: string;
  emailsQueued: () => Promise<unknown> | void;
}

const isUuid = (v: string) => /^[0-9a-f-]{36}$/i.test(v);

export function createResourcesService(deps: ResourcesDeps) {
  const { db, audit, clock, outbox, repo, baseUrl } = deps;
  const p = resourcePaths;
  const folder = path.resolve(deps.dataDir, 'uploads', 'resources');
  const today = () => toUkIsoDate(clock.now());

  function requireManager(user: CurrentUser | null | undefined): CurrentUser {
    if (!user || !canManageResources(user)) throw new ForbiddenError('The Covenant team manages resources');
    return user;
  }
  async function visible(user: CurrentUser | null | undefined, slug: string): Promise<ResourceRow> {
    const r = await repo.findBySlug(slug);
    // A draft is "not found" for the public: its existence is not announced.
    if (!r || !canSeeResource(user, r)) throw new NotFoundError('No such resource');
    return r;
  }
  const withReview = <R extends ResourceRow>(r: R) => ({
    ...r,
    reviewDueOn: reviewDueOn(r),
    reviewState: reviewState(r, today()),
  });

  /** Tags must exist in the registry, the owner must be one of the Covenant team. */
  async function checkTags(input: CreateResourceInput | EditResourceInput) {
    const vocab = await repo.vocabulary();
    const principles = new Set(vocab.principles.map((x) => x.slug));
    const commitments = new Set(vocab.commitments.map((x) => x.code));
    if (input.principles.some((x) => !principles.has(x)))
      throw new ResourceRefusal('principleUnknown', 'principles');
    if (input.commitments.some((x) => !commitments.has(x)))
      throw new ResourceRefusal('commitmentUnknown', 'commitments');
    const owners = await repo.administrators();
    if (!owners.some((o) => o.id === input.ownerId)) throw new ResourceRefusal('ownerUnknown', 'ownerId');
  }

  const service = {
    repo,
    folder,

    vocabulary: () => repo.vocabulary(),
    owners: () => repo.administrators(),

    /** The public list: published resources matching the search and filters, a page at a time. */
    async list(query: SearchInput) {
      const filter: ResourceFilter = {
        status: 'published',
        q: query.q || undefined,
        kind: query.kind,
        principle: query.principle || undefined,
        commitment: query.commitment || undefined,
        audience: query.audience,
        nation: query.nation,
      };
      const { rows, total } = await repo.search(filter, PAGE_SIZE, (query.page - 1) * PAGE_SIZE);
      return { results: rows, total, page: query.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
    },

    /** A resource's page: its text in blocks, tags, attachments and review date. */
    async page(user: CurrentUser | null | undefined, slug: string) {
      const r = await visible(user, slug);
      const [attachments, owner] = await Promise.all([
        repo.attachments(r.id),
        r.ownerId ? repo.userContact(r.ownerId) : undefined,
      ]);
      return {
        resource: withReview(r),
        blocks: toBlocks(r.body),
        headings: headingsOf(r.body),
        attachments,
        owner: owner?.displayName ?? null,
        can: { manage: canManageResources(user) },
      };
    },

    async versions(user: CurrentUser | null | undefined, slug: string) {
      const r = await visible(user, slug);
      return { resource: r, versions: await repo.versions(r.id) };
    },

    async version(user: CurrentUser | null | undefined, slug: string, number: string) {
      const r = await visible(user, slug);
      const n = /^\d{1,6}$/.test(number) ? Number(number) : NaN;
      const v = Number.isFinite(n) ? await repo.version(r.id, n) : undefined;
      if (!v) throw new NotFoundError('No such version');
      return { resource: r, version: v, blocks: toBlocks(v.body), isCurrent: v.version === r.version };
    },

    /** The management list: every resource, drafts too, with its review state and number of files. */
    async manageList(user: CurrentUser | null | undefined) {
      requireManager(user);
      const rows = await repo.listAll();
      const counts = await repo.attachmentCounts(rows.map((r) => r.id));
      return rows.map((r) => ({ ...withReview(r), attachments: counts.get(r.id) ?? 0 }));
    },

    /** For the edit form: the resource as it is now (managers only, drafts included). */
    async forEdit(user: CurrentUser | null | undefined, slug: string) {
      requireManager(user);
      const r = await repo.findBySlug(slug);
      if (!r) throw new NotFoundError('No such resource');
      return r;
    },

    async create(user: CurrentUser, actor: Actor, input: CreateResourceInput): Promise<ResourceRow> {
      requireManager(user);
      await checkTags(input);
      const now = clock.now();
      return db.transaction(async () => {
        const taken = await repo.slugsLike(resourceSlug(input.title, () => false));
        const slug = resourceSlug(input.title, (s) => taken.has(s));
        const { ownerId, ...rest } = input;
        const r = await repo.insert({
          ...rest,
          slug,
          ownerId,
          version: 1,
          lastReviewedOn: toUkIsoDate(now),
          updatedAt: now,
        });
        await repo.insertVersion({
          resourceId: r.id,
          version: 1,
          title: r.title,
          summary: r.summary,
          body: r.body,
          changeNote: 'First version.',
          createdBy: user.id,
        });
        await audit.record(actor, {
          action: 'resources.created',
          entityType: 'resource',
          entityId: r.id,
          details: { slug, status: r.status },
        });
        return r;
      });
    },

    /**
     * Saves an edit as a new version with its change note; the old versions stay, readable. The row is
     * locked, and an edit started from an older version is refused (with everything typed kept on the page).
     */
    async edit(user: CurrentUser, actor: Actor, slug: string, input: EditResourceInput) {
      requireManager(user);
      await checkTags(input);
      return db.transaction(async () => {
        const r = await repo.lockBySlug(slug);
        if (!r) throw new NotFoundError('No such resource');
        const version = nextVersion(r.version, input.startedFrom);
        if (version === 'stale') throw new ResourceRefusal('stale', 'changeNote');
        const { changeNote, startedFrom, ...fields } = input;
        void startedFrom;
        const updated = await repo.update(r.id, { ...fields, version, updatedAt: clock.now() });
        await repo.insertVersion({
          resourceId: r.id,
          version,
          title: updated.title,
          summary: updated.summary,
          body: updated.body,
          changeNote,
          createdBy: user.id,
        });
        await audit.record(actor, {
          action: 'resources.edited',
          entityType: 'resource',
          entityId: r.id,
          details: { version },
        });
        return updated;
      });
    },

    /** Records that the owner (or another of the team) has checked the resource is still right today. */
    async markReviewed(user: CurrentUser, actor: Actor, slug: string) {
      requireManager(user);
      return db.transaction(async () => {
        const r = await repo.lockBySlug(slug);
        if (!r) throw new NotFoundError('No such resource');
        const updated = await repo.update(r.id, { lastReviewedOn: today(), reviewRemindedAt: null });
        await audit.record(actor, {
          action: 'resources.reviewed',
          entityType: 'resource',
          entityId: r.id,
          details: { on: updated.lastReviewedOn },
        });
        return updated;
      });
    },

    async setStatus(user: CurrentUser, actor: Actor, slug: string, status: 'draft' | 'published') {
      requireManager(user);
      return db.transaction(async () => {
        const r = await repo.lockBySlug(slug);
        if (!r) throw new NotFoundError('No such resource');
        if (r.status === status) return r;
        const updated = await repo.update(r.id, { status, updatedAt: clock.now() });
        await audit.record(actor, {
          action: status === 'published' ? 'resources.published' : 'resources.unpublished',
          entityType: 'resource',
          entityId: r.id,
        });
        return updated;
      });
    },

    async attachmentsPage(user: CurrentUser | null | undefined, slug: string) {
      const r = await service.forEdit(user, slug);
      return { resource: r, attachments: await repo.attachments(r.id), maxBytes: MAX_FILE_BYTES };
    },

    /**
     * Checks and stores a file: its type by its bytes (never its name), at most 10 MB, at most 10 files;
     * author metadata stripped as for evidence (cases.uploads.ts). Stored under DATA_DIR/uploads/resources.
     */
    async addAttachment(user: CurrentUser, actor: Actor, slug: string, file: IncomingFile | undefined) {
      const r = await service.forEdit(user, slug);
      if (!file) throw new ResourceRefusal('fileRequired', 'file');
      if (file.truncated || file.data.length > MAX_FILE_BYTES) throw new ResourceRefusal('fileSize', 'file');
      if (file.data.length === 0) throw new ResourceRefusal('fileEmpty', 'file');
      const kind = detectFileKind(file.data);
      if (!kind) throw new ResourceRefusal('fileType', 'file');
      const clean = stripMetadata(kind, file.data);
      return db.transaction(async () => {
        await repo.lockBySlug(slug);
        if ((await repo.attachments(r.id)).length >= MAX_ATTACHMENTS)
          throw new ResourceRefusal('fileCount', 'file');
        await mkdir(folder, { recursive: true });
        const storageKey = randomBytes(24).toString('hex');
        await writeFile(path.join(folder, storageKey), clean, { mode: 0o600 });
        const row = await repo.insertAttachment({
          resourceId: r.id,
          filename: cleanFileName(file.fileName, kind),
          fileKind: kind,
          sizeBytes: clean.length,
          sha256: createHash('sha256').update(clean).digest('hex'),
          storageKey,
          uploadedBy: user.id,
        });
        await audit.record(actor, {
          action: 'resources.attachment_added',
          entityType: 'resource',
          entityId: r.id,
          details: { attachmentId: row.id, kind, bytes: clean.length },
        });
        return row;
      });
    },

    /** A file, for anyone who may see its resource. */
    async openAttachment(user: CurrentUser | null | undefined, slug: string, id: string) {
      const r = await visible(user, slug);
      const row = isUuid(id) ? await repo.attachment(r.id, id) : undefined;
      if (!row) throw new NotFoundError('No such file');
      const data = await readFile(path.join(folder, row.storageKey)).catch(() => {
        throw new NotFoundError('The file is missing from storage');
      });
      return {
        data,
        fileName: row.filename,
        contentType: allowedTypes[row.fileKind as FileKind] ?? 'application/octet-stream',
      };
    },

    async removeAttachment(user: CurrentUser, actor: Actor, slug: string, id: string) {
      const r = await service.forEdit(user, slug);
      const row = isUuid(id) ? await repo.attachment(r.id, id) : undefined;
      if (!row) throw new NotFoundError('No such file');
      await db.transaction(async () => {
        await repo.deleteAttachment(row.id);
        await audit.record(actor, {
          action: 'resources.attachment_removed',
          entityType: 'resource',
          entityId: r.id,
          details: { attachmentId: row.id },
        });
      });
      // After the commit: a failed removal leaves an orphan file, never a row pointing at nothing.
      await rm(path.join(folder, row.storageKey), { force: true });
      return row;
    },

    /**
     * The daily task: emails the owner of each resource whose review has fallen due (resources.rules.ts
     * #reviewReminderDue); a resource without an owner goes to every administrator, so none is forgotten.
     */
    async remindReviews(): Promise<{ reminded: string[] }> {
      const now = clock.now();
      const due = (await repo.dueForReview(toUkIsoDate(now))).filter((r) => reviewReminderDue(r, now));
      if (due.length === 0) return { reminded: [] };
      const admins = await repo.administrators();
      await db.transaction(async () => {
        for (const r of due) {
          const owner = r.ownerId ? await repo.userContact(r.ownerId) : undefined;
          const to = owner ? [owner] : admins;
          await outbox.queueMany(
            to.map((person) => ({
              to: person.email,
              template: 'resourceReviewDue',
              params: {
                name: person.displayName,
                title: r.title,
                lastReviewed: formatDate(r.lastReviewedOn, 'en'),
                due: formatDate(reviewDueOn(r), 'en'),
                link: `${baseUrl}${p.show({ slug: r.slug })}`,
                manage: `${baseUrl}${p.manage()}`,
              },
            })),
          );
        }
        await repo.markReminded(
          due.map((r) => r.id),
          now,
        );
        await audit.record(systemActor, {
          action: 'resources.review_reminders_sent',
          entityType: 'resource',
          details: { resources: due.length },
        });
      });
      await deps.emailsQueued();
      return { reminded: due.map((r) => r.slug) };
    },
  };
  return service;
}

export type ResourcesService = ReturnType<typeof createResourcesService>;
