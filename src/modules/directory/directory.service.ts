/**
 * Directory rules: reference data, CSO imports, search, public pages' data, accountable leads and their
 * six-monthly confirmation reminders. Every change runs in a transaction with its audit row.
 */
import { createHash } from 'node:crypto';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { applyCsoImport, planCsoImport, type ImportPlan } from './directory.import.ts';
import { leadNeedsConfirming, leadsNeedConfirming } from './directory.leads.ts';
import { can } from './directory.policy.ts';
import {
  importReferenceBodies,
  type ReferenceFiles,
  type ReferenceImportResult,
} from './directory.reference.ts';
import type {
  DirectoryRepository,
  LeadRow,
  OrganisationRow,
  SearchParams,
  SearchResult,
} from './directory.repository.ts';
import type { DirectorySearch } from './directory.search-index.ts';
import type { LeadsForm, SearchQuery } from './directory.schema.ts';
import type { OrganisationKind } from './directory.tables.ts';
import { leadRoles } from './directory.taxonomy.ts';

export interface DirectoryServiceDeps {
  db: Database;
  repo: DirectoryRepository;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  baseUrl: string;
  /** Searches from the in-memory index (directory.search-index.ts); SQL when absent. */
  searchIndex?: DirectorySearch;
}

export interface ImportSummary {
  rows: number;
  new: number;
  updated: number;
  unchanged: number;
}

export interface LeadsReminderResult {
  /** Bodies whose leads were emailed (they have people with the body_lead role). */
  emailed: { slug: string; recipients: number }[];
  /** Bodies with stale leads but nobody to email: shown to admins on the directory admin page. */
  needAdminAttention: { slug: string; name: string }[];
}

/** Results per page on the search page and in the list API. */
export const SEARCH_PAGE_SIZE = 20;

/** Re-remind a body at most this often while its leads stay unconfirmed. */
const REMIND_EVERY_DAYS = 30;

export function createDirectoryService(deps: DirectoryServiceDeps) {
  const { db, repo, audit, clock } = deps;

  async function bodyBySlug(slug: string): Promise<OrganisationRow> {
    const body = await repo.findBySlug(slug, ['public_body']);
    if (!body) throw new NotFoundError(`No public body ${slug}`);
    return body;
  }

  return {
    /** Loads or re-imports GOV.UK organisations, councils and NHS bodies (idempotent). */
    async importReferenceBodies(
      actor: Actor = systemActor,
      files?: ReferenceFiles,
    ): Promise<ReferenceImportResult> {
      return db.transaction(async () => {
        const result = await importReferenceBodies(repo, clock.now(), files);
        await audit.record(actor, {
          action: 'directory.bodies_imported',
          entityType: 'directory',
          details: { ...result },
        });
        return result;
      });
    },

    /** Loads the reference bodies into a database that has none (start-up, seeding). */
    async ensureReferenceData(): Promise<ReferenceImportResult | null> {
      if ((await repo.countBy('public_body', 'govuk')) > 0) return null;
      return this.importReferenceBodies();
    },

    /** Checks a CSO file and reports what importing it would do. Writes nothing. */
    dryRunCsos(bytes: Uint8Array): Promise<ImportPlan> {
      return planCsoImport(repo, bytes);
    },

    /**
     * Imports a CSO file in one transaction: re-plans against the database as it is now and refuses any file
     * with a row error, so a file is imported whole or not at all.
     */
    async importCsos(
      actor: Actor,
      bytes: Uint8Array,
      filename = 'upload.csv',
    ): Promise<{ plan: ImportPlan; imported: boolean }> {
      return db.transaction(async () => {
        const plan = await planCsoImport(repo, bytes);
        if (plan.errors.length > 0) return { plan, imported: false };
        await applyCsoImport(repo, plan, clock.now());
        await audit.record(actor, {
          action: 'directory.organisations_imported',
          entityType: 'directory',
          details: { filename, rows: plan.rows, ...plan.counts },
        });
        return { plan, imported: true };
      });
    },

    /** Keeps an uploaded file between its dry run and the admin's confirmation. */
    async saveUpload(user: CurrentUser, filename: string, bytes: Uint8Array): Promise<string> {
      if (!can(user, 'importOrganisations')) throw new ForbiddenError('Only admins import organisations');
      const content = Buffer.from(bytes).toString('base64');
      return repo.saveImport({
        uploadedBy: user.id,
        filename: filename.slice(0, 200),
        content,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    },

    async loadUpload(user: CurrentUser, id: string) {
      if (!can(user, 'importOrganisations')) throw new ForbiddenError('Only admins import organisations');
      const upload = /^[0-9a-f-]{36}$/.test(id) ? await repo.findImport(id) : undefined;
      if (!upload) throw new NotFoundError('No such upload');
      return { ...upload, bytes: new Uint8Array(Buffer.from(upload.content, 'base64')) };
    },

    async confirmUpload(user: CurrentUser, actor: Actor, id: string) {
      const upload = await this.loadUpload(user, id);
      if (upload.appliedAt) return { plan: null, imported: false, alreadyApplied: true };
      return db.transaction(async () => {
        const result = await this.importCsos(actor, upload.bytes, upload.filename);
        if (result.imported) await repo.markImportApplied(id, clock.now());
        return { ...result, alreadyApplied: false };
      });
    },

    /** One page of matches: from the index when it is current, else SQL (same tiers, order and total). */
    async search(params: SearchParams): Promise<SearchResult> {
      if (!deps.searchIndex) return repo.search(params);
      const { from: _from, ...result } = await deps.searchIndex.search(params);
      return result;
    },

    /** The search page and the list API: validated query → one page of hits and the (capped) total. */
    async searchDirectory(query: SearchQuery, kinds: OrganisationKind[], pageSize = SEARCH_PAGE_SIZE) {
      const result = await this.search({
        q: query.q,
        kinds,
        publicBodyType: query.type,
        nation: query.nation,
        region: query.region,
        incomeBand: query.income,
        areaOfWork: query.area,
        limit: pageSize,
        offset: (query.page - 1) * pageSize,
      });
      const pages = Math.max(1, Math.ceil(result.total / pageSize));
      return { ...result, page: query.page, pages, pageSize };
    },

    bodyBySlug,

    /** The bodies list API: one page of public bodies as full records, each with its parent's slug. */
    async listBodies(query: SearchQuery) {
      const result = await this.searchDirectory(query, ['public_body']);
      const rows = await repo.organisationsByIds(result.hits.map((h) => h.id));
      const byId = new Map(rows.map((b) => [b.id, b]));
      const parents = await repo.slugsOf(rows.map((b) => b.parentId));
      const bodies = result.hits.map((h) => {
        const body = byId.get(h.id)!;
        return { body, parentSlug: body.parentId ? (parents.get(body.parentId) ?? null) : null };
      });
      return { ...result, bodies };
    },

    /** The organisations list API: one page of CSOs as full records with their identifiers. */
    async listOrganisations(query: SearchQuery) {
      const result = await this.searchDirectory(query, ['cso', 'infrastructure']);
      const ids = result.hits.map((h) => h.id);
      const [rows, identifiers] = await Promise.all([repo.organisationsByIds(ids), repo.identifiersOf(ids)]);
      const byId = new Map(rows.map((o) => [o.id, o]));
      const organisations = ids.map((id) => ({
        organisation: byId.get(id)!,
        identifiers: identifiers.filter((i) => i.organisationId === id),
      }));
      return { ...result, organisations };
    },

    async bodyPage(slug: string) {
      const body = await bodyBySlug(slug);
      const [leads, children, parent] = await Promise.all([
        repo.leadsOf(body.id),
        repo.childrenOf(body.id),
        body.parentId ? repo.findById(body.parentId) : Promise.resolve(undefined),
      ]);
      const now = clock.now();
      return {
        body,
        parent: parent ? { slug: parent.slug, name: parent.name } : null,
        children,
        leads: leads.map((l) => ({ ...l, needsConfirming: leadNeedsConfirming(l.confirmedAt, now) })),
        leadsNeedConfirming: leads.length > 0 && leadsNeedConfirming(leads, now),
      };
    },

    async organisationPage(slug: string) {
      const organisation = await repo.findBySlug(slug, ['cso', 'infrastructure']);
      if (!organisation) throw new NotFoundError(`No organisation ${slug}`);
      const [identifiers, localAuthority] = await Promise.all([
        repo.identifiersOf([organisation.id]),
        organisation.localAuthorityGss ? repo.findByGss(organisation.localAuthorityGss) : undefined,
      ]);
      return { organisation, identifiers, localAuthority: localAuthority ?? null };
    },

    async leadsOf(slug: string): Promise<{ body: OrganisationRow; leads: LeadRow[] }> {
      const body = await bodyBySlug(slug);
      return { body, leads: await repo.leadsOf(body.id) };
    },

    /** A body's leads for its edit form: admins, or the body's own body_lead. */
    async leadsForEditing(
      user: CurrentUser,
      slug: string,
    ): Promise<{ body: OrganisationRow; leads: LeadRow[] }> {
      const found = await this.leadsOf(slug);
      if (!can(user, 'editLeads', found.body.id)) throw new ForbiddenError('Not a lead of this body');
      return found;
    },

    /**
     * Saves a body's leads (admins, or the body's own body_lead). A role left blank removes that lead;
     * `confirm` re-confirms every lead kept, which restarts the six-month clock.
     */
    async saveLeads(user: CurrentUser, actor: Actor, slug: string, input: LeadsForm): Promise<void> {
      const body = await bodyBySlug(slug);
      if (!can(user, 'editLeads', body.id)) throw new ForbiddenError('Not a lead of this body');
      const now = clock.now();
      await db.transaction(async () => {
        for (const role of leadRoles) {
          const lead = input[role];
          if (!lead) await repo.removeLead(body.id, role);
          else await repo.upsertLead(body.id, role, lead, now, input.confirm);
        }
        await audit.record(actor, {
          action: 'directory.leads_saved',
          entityType: 'organisation',
          entityId: body.id,
          details: { roles: leadRoles.filter((r) => input[r]), confirmed: input.confirm },
        });
      });
    },

    /**
     * The daily reminder task: bodies whose leads have not all been confirmed for six months. Each body's
     * `body_lead` people are emailed (through the outbox, in the same transaction that records the reminder),
     * at most every 30 days; bodies with nobody to email are returned for admins to chase.
     */
    async remindStaleLeads(): Promise<LeadsReminderResult> {
      const now = clock.now();
      const leads = await repo.allLeadsWithBodies();
      const bodies = new Map<
        string,
        { slug: string; name: string; remindedAt: Date | null; stale: boolean }
      >();
      for (const l of leads) {
        const entry = bodies.get(l.organisationId) ?? {
          slug: l.slug,
          name: l.bodyName,
          remindedAt: l.remindedAt,
          stale: false,
        };
        entry.stale ||= leadNeedsConfirming(l.confirmedAt, now);
        bodies.set(l.organisationId, entry);
      }
      const stale = [...bodies].filter(([, b]) => b.stale);
      const recipients = await repo.bodyLeadEmails(stale.map(([id]) => id));
      const result: LeadsReminderResult = { emailed: [], needAdminAttention: [] };
      const cutoff = now.getTime() - REMIND_EVERY_DAYS * 86_400_000;
      await db.transaction(async () => {
        const reminded: string[] = [];
        for (const [id, body] of stale) {
          const emails = recipients.get(id) ?? [];
          if (emails.length === 0) {
            result.needAdminAttention.push({ slug: body.slug, name: body.name });
            continue;
          }
          if (body.remindedAt && body.remindedAt.getTime() > cutoff) continue;
          for (const to of emails)
            await deps.outbox.queue({
              to,
              template: 'directoryLeadsReminder',
              params: { body: body.name, link: `${deps.baseUrl}/directory/bodies/${body.slug}/leads` },
            });
          reminded.push(id);
          result.emailed.push({ slug: body.slug, recipients: emails.length });
        }
        await repo.markReminded(reminded, now);
        if (reminded.length > 0)
          await audit.record(systemActor, {
            action: 'directory.leads_reminders_sent',
            entityType: 'directory',
            details: { bodies: reminded.length },
          });
      });
      return result;
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
