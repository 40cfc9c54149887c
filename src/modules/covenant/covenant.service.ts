/**
 * The Covenant registry's rules: the versioned text (one draft at a time, one current version, stable
 * paragraph keys), the registry of commitments and standards, sub-covenants that inherit the national
 * commitments, and signing. Every change is audited in the same transaction as the change.
 */
import { systemActor, type Actor, type AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import { formatDate, translator } from '../../platform/i18n/i18n.ts';
import { ConflictError, FieldRuleError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { compareParagraphs } from './covenant.diff.ts';
import { commitmentsWithInheritance } from './covenant.inheritance.ts';
import { newParagraphKey, reviewDueOn } from './covenant.keys.ts';
import { covenantPaths } from './covenant.paths.ts';
import { canCovenant, signableOrganisations } from './covenant.policy.ts';
import { dateOf, reviewReminderDue } from './covenant.review.ts';
import type { CovenantRepository, Paragraph } from './covenant.repository.ts';
import type {
  CommitmentInput,
  NewParagraphInput,
  OfficerInput,
  ParagraphInput,
  PledgeInput,
  PrincipleInput,
  ReviewInput,
  SignInput,
  StandardInput,
  SubCovenantInput,
} from './covenant.schema.ts';

/** A rule broken by valid-looking input: the route shows it against the field, with status 422. */
export class CovenantRuleError extends FieldRuleError {
  override name = 'CovenantRuleError';
}

export interface CovenantServiceDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  repo: CovenantRepository;
  /** For the yearly review reminders. */
  outbox: Outbox;
  baseUrl: string;
}

export interface ReviewReminderResult {
  /** Signatures whose organisation's authorised people were emailed. */
  emailed: { signatureId: string; organisation: string; recipients: number }[];
  /** Reviews due, but nobody at the organisation may sign for it: an administrator has to chase them. */
  needAdminAttention: { signatureId: string; organisation: string }[];
}

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'sub-covenant'
  );
}

export function createCovenantService({ db, audit, clock, repo, outbox, baseUrl }: CovenantServiceDeps) {
  function requireAdmin(user: CurrentUser | null) {
    if (!canCovenant(user, 'edit')) throw new ForbiddenError('Covenant administrators only');
  }

  async function requireDraft() {
    const draft = await repo.draftVersion();
    if (!draft) throw new NotFoundError('No draft');
    return draft;
  }

  async function commitmentIdFor(code: string | undefined, field = 'commitmentCode') {
    if (!code) return null;
    const commitment = await repo.commitmentByCode(code.toUpperCase());
    if (!commitment) throw new CovenantRuleError(field, 'covenant.errors.commitmentUnknown');
    return commitment.id;
  }

  async function principleIdFor(slug: string) {
    const principle = await repo.principleBySlug(slug);
    if (!principle) throw new CovenantRuleError('principle', 'covenant.errors.principleRequired');
    return principle.id;
  }

  async function cite(
    versionId: string,
    paragraphKey: string,
    input: { citationReference?: string; citationUrl?: string },
  ) {
    if (!input.citationReference) return;
    await repo.insertCitation({
      versionId,
      paragraphKey,
      reference: input.citationReference,
      url: input.citationUrl ?? null,
    });
  }

  /**
   * The pledges chosen from the bank (in the order given) then the organisation's own, as signature pledge
   * rows. Unknown bank pledges and an empty choice are rule errors (the forms check both too).
   */
  async function pledgeRows(
    input: { pledges: string[]; ownPledges: string[] },
    alreadyChosen: ReadonlySet<string> = new Set(),
  ) {
    const ids = [...new Set(input.pledges)];
    const bank = (await repo.pledgesByIds(ids)).filter((p) => !p.withdrawnAt || alreadyChosen.has(p.id));
    if (bank.length !== ids.length) throw new CovenantRuleError('pledges', 'covenant.errors.pledgeUnknown');
    if (bank.length + input.ownPledges.length === 0)
      throw new CovenantRuleError('pledges', 'covenant.errors.pledgesRequired');
    const ordered = ids.map((id) => bank.find((p) => p.id === id)!);
    return [
      ...ordered.map((p) => ({ pledgeId: p.id as string | null, text: p.text })),
      ...input.ownPledges.map((text) => ({ pledgeId: null, text })),
    ].map((row, i) => ({ ...row, position: i + 1 }));
  }

  async function requireSubCovenant(slug: string) {
    const sub = await repo.subCovenantBySlug(slug);
    if (!sub) throw new NotFoundError('No such sub-covenant');
    return sub;
  }

  /** A signature the person may review: an administrator, or a signing role in its organisation. */
  async function reviewable(user: CurrentUser | null, signatureId: string) {
    const signature = /^[0-9a-f-]{36}$/i.test(signatureId) ? await repo.signatureById(signatureId) : null;
    if (!signature) throw new NotFoundError('No such signature');
    if (!canCovenant(user, 'sign', signature.organisationId))
      throw new ForbiddenError(
        'Only the organisation’s administrators and accountable leads review its pledges',
      );
    return signature;
  }

  async function renumber(versionId: string, keys: string[]) {
    for (const [i, key] of keys.entries()) await repo.updateParagraph(versionId, key, { position: i + 1 });
  }

  const service = {
    repo,

    // Reading

    principles: () => repo.listPrinciples(),

    /** A principle with its national commitments (each with its standards). */
    async principle(slug: string) {
      const principle = await repo.principleBySlug(slug);
      if (!principle) throw new NotFoundError('No such principle');
      const [commitments, standards] = await Promise.all([
        repo.listNationalCommitments(),
        repo.listStandards(),
      ]);
      return {
        principle,
        commitments: commitments.filter((c) => c.principleId === principle.id),
        standards: standards.filter((s) => s.principleId === principle.id),
      };
    },

    commitments: () => repo.listNationalCommitments(),
    standards: () => repo.listStandards(),
    versions: () => repo.listVersions(),
    /**
     * The pledges offered when signing: those not withdrawn, plus (for a review) any withdrawn pledge the
     * signature already has, so the organisation can keep it.
     */
    async pledges(keep: readonly (string | null)[] = []) {
      return (await repo.listPledges()).filter((p) => !p.withdrawnAt || keep.includes(p.id));
    },

    // The pledge bank, edited by administrators

    async pledgeBank(user: CurrentUser | null) {
      requireAdmin(user);
      return repo.listPledgeBank();
    },

    async pledge(user: CurrentUser | null, id: string) {
      requireAdmin(user);
      const row = /^[0-9a-f-]{36}$/i.test(id) ? await repo.pledgeById(id) : null;
      if (!row) throw new NotFoundError('No such pledge');
      const commitment = row.commitmentId ? await repo.commitmentById(row.commitmentId) : null;
      return { ...row, commitmentCode: commitment?.code ?? null };
    },

    /**
     * Adds a pledge to the bank (id undefined) or changes one. Signatures keep the words they chose: a
     * signature's pledge rows hold their own copy of the text, so editing here changes only what is offered.
     */
    async savePledge(user: CurrentUser | null, actor: Actor, input: PledgeInput, id?: string) {
      requireAdmin(user);
      return db.transaction(async () => {
        const clash = await repo.pledgeByCode(input.code);
        if (clash && clash.id !== id) throw new CovenantRuleError('code', 'covenant.errors.codeTaken');
        const values = {
          code: input.code,
          side: input.side,
          text: input.text,
          commitmentId: await commitmentIdFor(input.commitmentCode),
        };
        let entityId = id;
        if (id) {
          const existing = await service.pledge(user, id);
          await repo.updatePledge(id, { ...values, position: input.position ?? existing.position });
        } else {
          const position = input.position ?? (await repo.maxPledgePosition()) + 1;
          entityId = (await repo.insertPledge({ ...values, position })).id;
        }
        await audit.record(actor, {
          action: id ? 'covenant.pledge_updated' : 'covenant.pledge_created',
          entityType: 'covenant_pledge',
          entityId,
          details: { code: input.code },
        });
        return entityId!;
      });
    },

    /** Withdraws a pledge from the bank (no longer offered) or offers it again. */
    async setPledgeWithdrawn(user: CurrentUser | null, actor: Actor, id: string, withdrawn: boolean) {
      requireAdmin(user);
      return db.transaction(async () => {
        const pledge = await service.pledge(user, id);
        await repo.updatePledge(id, { withdrawnAt: withdrawn ? clock.now() : null });
        await audit.record(actor, {
          action: withdrawn ? 'covenant.pledge_withdrawn' : 'covenant.pledge_restored',
          entityType: 'covenant_pledge',
          entityId: id,
          details: { code: pledge.code },
        });
        return pledge;
      });
    },

    /** The current version and its paragraphs (what `/covenant` shows). */
    async current() {
      const version = await repo.currentVersion();
      if (!version) throw new NotFoundError('The Covenant has not been published yet');
      return { version, paragraphs: await repo.paragraphsOf(version.id) };
    },

    async version(id: string) {
      const version = await repo.versionById(id);
      if (!version) throw new NotFoundError('No such version');
      const [paragraphs, citations] = await Promise.all([repo.paragraphsOf(id), repo.citationsOf(id)]);
      return { version, paragraphs, citations };
    },

    /**
     * Compares two versions by stable paragraph key. Citations attached to the versions after `from` up to
     * and including `to` (in either direction) explain the changes.
     */
    async compare(fromId: string, toId: string) {
      const [from, to] = await Promise.all([repo.versionById(fromId), repo.versionById(toId)]);
      if (!from || !to) throw new NotFoundError('No such version');
      const [fromParagraphs, toParagraphs] = await Promise.all([
        repo.paragraphsOf(from.id),
        repo.paragraphsOf(to.id),
      ]);
      const comparison = compareParagraphs<Paragraph>(fromParagraphs, toParagraphs);
      const low = Math.min(from.number, to.number);
      const high = Math.max(from.number, to.number);
      const between = (await repo.listVersions())
        .filter((v) => v.number > low && v.number <= high)
        .map((v) => v.id);
      const citations = await repo.citationsOfVersions(between);
      const citationsByKey = new Map<string, typeof citations>();
      for (const c of citations) {
        const key = c.paragraphKey ?? '';
        citationsByKey.set(key, [...(citationsByKey.get(key) ?? []), c]);
      }
      return {
        from,
        to,
        ...comparison,
        changes: comparison.changes.map((c) => ({ ...c, citations: citationsByKey.get(c.key) ?? [] })),
        generalCitations: citationsByKey.get('') ?? [],
      };
    },

    // Editing the text

    draft: () => repo.draftVersion(),

    /** Starts a draft as a copy of the current version (keys kept), or returns the draft already open. */
    async startDraft(user: CurrentUser | null, actor: Actor) {
      requireAdmin(user);
      return db.transaction(async () => {
        const existing = await repo.draftVersion();
        if (existing) return existing;
        const current = await repo.currentVersion();
        const draft = await repo.insertVersion({
          number: await repo.nextVersionNumber(),
          title: current?.title ?? 'Civil Society Covenant',
          status: 'draft',
          basedOnId: current?.id ?? null,
          createdBy: actor.userId,
        });
        if (current) {
          const paragraphs = await repo.paragraphsOf(current.id);
          await repo.insertParagraphs(
            paragraphs.map((p) => ({
              versionId: draft.id,
              key: p.key,
              position: p.position,
              kind: p.kind,
              text: p.text,
              commitmentId: p.commitmentId,
            })),
          );
        }
        await audit.record(actor, {
          action: 'covenant.draft_started',
          entityType: 'covenant_version',
          entityId: draft.id,
          details: { number: draft.number, basedOn: current?.number ?? null },
        });
        return draft;
      });
    },

    async editParagraph(user: CurrentUser | null, actor: Actor, key: string, input: ParagraphInput) {
      requireAdmin(user);
      return db.transaction(async () => {
        const draft = await requireDraft();
        const paragraphs = await repo.paragraphsOf(draft.id);
        const old = paragraphs.find((p) => p.key === key);
        if (!old) throw new NotFoundError('No such paragraph in the draft');
        const commitmentId = await commitmentIdFor(input.commitmentCode);
        await repo.updateParagraph(draft.id, key, { text: input.text, kind: input.kind, commitmentId });
        await cite(draft.id, key, input);
        await audit.record(actor, {
          action: 'covenant.paragraph_edited',
          entityType: 'covenant_version',
          entityId: draft.id,
          details: { key, citation: input.citationReference ?? null },
        });
      });
    },

    /** Adds a paragraph with a new stable key after `after` (or at the start). Returns the key. */
    async addParagraph(user: CurrentUser | null, actor: Actor, input: NewParagraphInput) {
      requireAdmin(user);
      return db.transaction(async () => {
        const draft = await requireDraft();
        const keys = (await repo.paragraphsOf(draft.id)).map((p) => p.key);
        const key = newParagraphKey();
        const commitmentId = await commitmentIdFor(input.commitmentCode);
        const index = input.after ? keys.indexOf(input.after) + 1 : 0;
        await repo.insertParagraphs([
          {
            versionId: draft.id,
            key,
            position: keys.length + 1,
            kind: input.kind,
            text: input.text,
            commitmentId,
          },
        ]);
        keys.splice(index, 0, key);
        await renumber(draft.id, keys);
        await cite(draft.id, key, input);
        await audit.record(actor, {
          action: 'covenant.paragraph_added',
          entityType: 'covenant_version',
          entityId: draft.id,
          details: { key, after: input.after || null },
        });
        return key;
      });
    },

    async removeParagraph(
      user: CurrentUser | null,
      actor: Actor,
      key: string,
      input: { citationReference?: string; citationUrl?: string },
    ) {
      requireAdmin(user);
      return db.transaction(async () => {
        const draft = await requireDraft();
        const keys = (await repo.paragraphsOf(draft.id)).map((p) => p.key);
        if (!keys.includes(key)) throw new NotFoundError('No such paragraph in the draft');
        await repo.deleteParagraph(draft.id, key);
        await renumber(
          draft.id,
          keys.filter((k) => k !== key),
        );
        await cite(draft.id, key, input);
        await audit.record(actor, {
          action: 'covenant.paragraph_removed',
          entityType: 'covenant_version',
          entityId: draft.id,
          details: { key },
        });
      });
    },

    async moveParagraph(user: CurrentUser | null, actor: Actor, key: string, direction: 'up' | 'down') {
      requireAdmin(user);
      return db.transaction(async () => {
        const draft = await requireDraft();
        const keys = (await repo.paragraphsOf(draft.id)).map((p) => p.key);
        const i = keys.indexOf(key);
        if (i < 0) throw new NotFoundError('No such paragraph in the draft');
        const j = direction === 'up' ? i - 1 : i + 1;
        if (j < 0 || j >= keys.length) return;
        [keys[i], keys[j]] = [keys[j]!, keys[i]!];
        await renumber(draft.id, keys);
        await audit.record(actor, {
          action: 'covenant.paragraph_moved',
          entityType: 'covenant_version',
          entityId: draft.id,
          details: { key, direction },
        });
      });
    },

    /** Publishes the draft: it becomes the one current version. */
    async publish(user: CurrentUser | null, actor: Actor, changeSummary: string) {
      if (!canCovenant(user, 'publish')) throw new ForbiddenError('Covenant administrators only');
      return db.transaction(async () => {
        const draft = await requireDraft();
        if ((await repo.paragraphsOf(draft.id)).length === 0)
          throw new CovenantRuleError('changeSummary', 'covenant.errors.draftEmpty');
        await repo.clearCurrent();
        await repo.updateVersion(draft.id, {
          status: 'published',
          isCurrent: true,
          changeSummary,
          publishedAt: clock.now(),
          publishedBy: actor.userId,
        });
        await audit.record(actor, {
          action: 'covenant.version_published',
          entityType: 'covenant_version',
          entityId: draft.id,
          details: { number: draft.number },
        });
        return draft;
      });
    },

    // Registry

    async saveCommitment(
      user: CurrentUser | null,
      actor: Actor,
      input: CommitmentInput,
      id?: string,
      subCovenantId?: string,
    ) {
      requireAdmin(user);
      return db.transaction(async () => {
        const principleId = await principleIdFor(input.principle);
        const clash = await repo.commitmentByCode(input.code);
        if (clash && clash.id !== id) throw new CovenantRuleError('code', 'covenant.errors.codeTaken');
        const values = {
          code: input.code,
          principleId,
          side: input.side,
          text: input.text,
          source: input.source,
          unverified: input.unverified,
        };
        let entityId = id;
        if (id) {
          if (!(await repo.commitmentById(id))) throw new NotFoundError('No such commitment');
          await repo.updateCommitment(id, values);
        } else {
          entityId = (
            await repo.insertCommitment({ ...values, subCovenantId: subCovenantId ?? null, position: 1000 })
          ).id;
        }
        await audit.record(actor, {
          action: id ? 'covenant.commitment_updated' : 'covenant.commitment_created',
          entityType: 'covenant_commitment',
          entityId,
          details: { code: input.code, subCovenantId: subCovenantId ?? null },
        });
        return entityId!;
      });
    },

    async saveStandard(user: CurrentUser | null, actor: Actor, input: StandardInput, id?: string) {
      requireAdmin(user);
      return db.transaction(async () => {
        const principleId = await principleIdFor(input.principle);
        const clash = await repo.standardByCode(input.code);
        if (clash && clash.id !== id) throw new CovenantRuleError('code', 'covenant.errors.codeTaken');
        const values = {
          code: input.code,
          principleId,
          commitmentId: await commitmentIdFor(input.commitmentCode),
          title: input.title,
          rule: input.rule,
          threshold: input.threshold ?? null,
          unit: input.unit ?? null,
          evaluation: input.evaluation,
          source: input.source,
          unverified: input.unverified,
        };
        let entityId = id;
        if (id) {
          if (!(await repo.standardById(id))) throw new NotFoundError('No such standard');
          await repo.updateStandard(id, values);
        } else entityId = (await repo.insertStandard(values)).id;
        await audit.record(actor, {
          action: id ? 'covenant.standard_updated' : 'covenant.standard_created',
          entityType: 'covenant_standard',
          entityId,
          details: { code: input.code },
        });
        return entityId!;
      });
    },

    /** Edits a principle's wording, purpose and source (the four principles themselves are fixed). */
    async savePrinciple(user: CurrentUser | null, actor: Actor, slug: string, input: PrincipleInput) {
      requireAdmin(user);
      return db.transaction(async () => {
        const principle = await repo.principleBySlug(slug);
        if (!principle) throw new NotFoundError('No such principle');
        await repo.updatePrinciple(principle.id, input);
        await audit.record(actor, {
          action: 'covenant.principle_updated',
          entityType: 'covenant_principle',
          entityId: principle.id,
          details: { slug, title: input.title },
        });
      });
    },

    // Sub-covenants

    subCovenants: () => repo.listSubCovenants(),

    /** A sub-covenant with every national commitment (inherited) and its own, its officers and signatories. */
    async subCovenant(slug: string) {
      const sub = await repo.subCovenantBySlug(slug);
      if (!sub) throw new NotFoundError('No such sub-covenant');
      const [national, own, officers, signatories] = await Promise.all([
        repo.listNationalCommitments(),
        repo.commitmentsOfSubCovenant(sub.id),
        repo.officersOf(sub.id),
        repo.listSignatories(sub.id),
      ]);
      return {
        subCovenant: sub,
        commitments: commitmentsWithInheritance(national, own),
        officers,
        signatories,
      };
    },

    async saveSubCovenant(user: CurrentUser | null, actor: Actor, input: SubCovenantInput, id?: string) {
      requireAdmin(user);
      return db.transaction(async () => {
        const values = {
          kind: input.kind,
          title: input.title,
          summary: input.summary,
          body: input.body ?? '',
          mission: input.kind === 'mission' ? (input.mission ?? null) : null,
          department: input.kind === 'departmental' ? (input.department ?? null) : null,
          areaName: input.kind === 'local' ? (input.areaName ?? null) : null,
          areaCode: input.kind === 'local' ? (input.areaCode ?? null) : null,
        };
        let sub;
        if (id) {
          sub = await repo.subCovenantById(id);
          if (!sub) throw new NotFoundError('No such sub-covenant');
          await repo.updateSubCovenant(id, values);
        } else {
          let slug = slugify(input.title);
          for (let n = 2; await repo.subCovenantBySlug(slug); n++) slug = `${slugify(input.title)}-${n}`;
          sub = await repo.insertSubCovenant({ ...values, slug });
        }
        await audit.record(actor, {
          action: id ? 'covenant.sub_covenant_updated' : 'covenant.sub_covenant_created',
          entityType: 'sub_covenant',
          entityId: sub.id,
          details: { kind: input.kind, title: input.title },
        });
        return sub.slug;
      });
    },

    /** One accountable officer of a sub-covenant, for its edit and remove pages. */
    async officer(slug: string, officerId: string) {
      const sub = await requireSubCovenant(slug);
      const officer = /^[0-9a-f-]{36}$/i.test(officerId) ? await repo.officerOf(sub.id, officerId) : null;
      if (!officer) throw new NotFoundError('No such officer');
      return { subCovenant: sub, officer };
    },

    async addOfficer(user: CurrentUser | null, actor: Actor, slug: string, input: OfficerInput) {
      requireAdmin(user);
      return db.transaction(async () => {
        const sub = await requireSubCovenant(slug);
        const officer = await repo.insertOfficer({ subCovenantId: sub.id, ...input });
        await audit.record(actor, {
          action: 'covenant.officer_added',
          entityType: 'sub_covenant',
          entityId: sub.id,
          details: { officerId: officer.id, role: input.role },
        });
      });
    },

    async updateOfficer(
      user: CurrentUser | null,
      actor: Actor,
      slug: string,
      officerId: string,
      input: OfficerInput,
    ) {
      requireAdmin(user);
      return db.transaction(async () => {
        const { subCovenant, officer } = await service.officer(slug, officerId);
        await repo.updateOfficer(officer.id, input);
        await audit.record(actor, {
          action: 'covenant.officer_updated',
          entityType: 'sub_covenant',
          entityId: subCovenant.id,
          details: { officerId: officer.id, role: input.role },
        });
      });
    },

    async removeOfficer(user: CurrentUser | null, actor: Actor, slug: string, officerId: string) {
      requireAdmin(user);
      return db.transaction(async () => {
        const { subCovenant, officer } = await service.officer(slug, officerId);
        await repo.deleteOfficer(officer.id);
        await audit.record(actor, {
          action: 'covenant.officer_removed',
          entityType: 'sub_covenant',
          entityId: subCovenant.id,
          details: { officerId: officer.id, role: officer.role },
        });
      });
    },

    // Signing

    /**
     * Signs the national Covenant (subCovenantSlug null) or a sub-covenant for an organisation. Rules: the
     * person is a `cso_admin` or `body_lead` of that organisation, or an administrator; one signature per
     * organisation per covenant; at least one pledge (checked by the form, and again here).
     */
    async sign(user: CurrentUser | null, actor: Actor, subCovenantSlug: string | null, input: SignInput) {
      if (!canCovenant(user, 'sign', input.organisationId))
        throw new CovenantRuleError('organisationId', 'covenant.errors.notAuthorisedToSign');
      return db.transaction(async () => {
        const organisation = await repo.organisationById(input.organisationId);
        if (!organisation)
          throw new CovenantRuleError('organisationId', 'covenant.errors.organisationRequired');
        const sub = subCovenantSlug ? await repo.subCovenantBySlug(subCovenantSlug) : null;
        if (subCovenantSlug && !sub) throw new NotFoundError('No such sub-covenant');
        if (await repo.signatureFor(organisation.id, sub?.id ?? null))
          throw new CovenantRuleError('organisationId', 'covenant.errors.alreadySigned');
        const pledges = await pledgeRows(input);
        const signedAt = clock.now();
        let signature;
        try {
          signature = await repo.insertSignature({
            organisationId: organisation.id,
            subCovenantId: sub?.id ?? null,
            signedBy: actor.userId,
            signatoryName: input.signatoryName,
            signatoryRole: input.signatoryRole,
            signedAt,
            reviewDueOn: reviewDueOn(signedAt),
          });
        } catch (error) {
          // Two people signing at once: the unique index keeps one signature per organisation per covenant.
          if ((error as { code?: string }).code === '23505' || /unique/i.test(String(error)))
            throw new ConflictError('Already signed');
          throw error;
        }
        await repo.insertSignaturePledges(pledges.map((p) => ({ ...p, signatureId: signature.id })));
        await audit.record(actor, {
          action: 'covenant.signed',
          entityType: 'covenant_signature',
          entityId: signature.id,
          details: {
            organisationId: organisation.id,
            subCovenantId: sub?.id ?? null,
            pledges: pledges.length,
          },
        });
        return signature;
      });
    },

    /** Signatories of a covenant with counts by organisation kind and by nation (null: not recorded). */
    async signatories(subCovenantId: string | null = null) {
      const [list, counts, byNation] = await Promise.all([
        repo.listSignatories(subCovenantId),
        repo.countsByKind(subCovenantId),
        repo.countsByNation(subCovenantId),
      ]);
      return { list, counts, byNation, total: counts.reduce((n, c) => n + c.n, 0) };
    },

    /** Counts alone (the API): the national Covenant, or the sub-covenant with this slug. */
    async signatoryCounts(subCovenantSlug?: string) {
      const sub = subCovenantSlug ? await requireSubCovenant(subCovenantSlug) : null;
      const [byKind, byNation] = await Promise.all([
        repo.countsByKind(sub?.id ?? null),
        repo.countsByNation(sub?.id ?? null),
      ]);
      return { subCovenant: sub?.slug ?? null, total: byKind.reduce((n, c) => n + c.n, 0), byKind, byNation };
    },

    // The yearly review

    /** The signatures of every organisation the person may sign for, soonest review first. */
    reviewableSignatures(user: CurrentUser | null) {
      return repo.signaturesOfOrganisations(signableOrganisations(user).map((o) => o.id));
    },

    /** A signature and its pledges for its review page (authorised people only). */
    signatureForReview: (user: CurrentUser | null, signatureId: string) => reviewable(user, signatureId),

    /**
     * The organisation confirms the pledges that still stand (and may drop or add some): the pledges are
     * replaced, the review is recorded, and the next review falls due a year from now.
     */
    async reviewSignature(user: CurrentUser | null, actor: Actor, signatureId: string, input: ReviewInput) {
      return db.transaction(async () => {
        const signature = await reviewable(user, signatureId);
        const kept = new Set(signature.pledges.flatMap((p) => (p.pledgeId ? [p.pledgeId] : [])));
        const pledges = await pledgeRows(input, kept);
        const now = clock.now();
        const due = reviewDueOn(now);
        await repo.replaceSignaturePledges(signature.id, pledges);
        await repo.updateSignature(signature.id, { reviewedAt: now, reviewDueOn: due });
        await audit.record(actor, {
          action: 'covenant.signature_reviewed',
          entityType: 'covenant_signature',
          entityId: signature.id,
          details: {
            organisationId: signature.organisationId,
            pledgesBefore: signature.pledges.length,
            pledges: pledges.length,
            reviewDueOn: due,
          },
        });
        return { reviewDueOn: due };
      });
    },

    /**
     * The daily reminder task: signatures whose yearly review is due and not done. The organisation's
     * `cso_admin` and `body_lead` people are emailed through the outbox, in the transaction that records the
     * reminder, once per review cycle (again a year later if the review is still not done). Signatures with
     * nobody to email are returned for administrators to chase.
     */
    async remindReviews(): Promise<ReviewReminderResult> {
      const now = clock.now();
      const due = (await repo.signaturesDueForReview(now.toISOString().slice(0, 10))).filter((s) =>
        reviewReminderDue(s, now),
      );
      const recipients = await repo.signingEmails([...new Set(due.map((s) => s.organisationId))]);
      const result: ReviewReminderResult = { emailed: [], needAdminAttention: [] };
      await db.transaction(async () => {
        const reminded: string[] = [];
        for (const s of due) {
          const emails = recipients.get(s.organisationId) ?? [];
          if (emails.length === 0) {
            result.needAdminAttention.push({ signatureId: s.id, organisation: s.organisationName });
            continue;
          }
          for (const to of emails)
            await outbox.queue({
              to,
              template: 'covenantReviewReminder',
              params: {
                organisation: s.organisationName,
                covenant: s.subCovenantTitle ?? translator('en')('covenant.review.nationalCovenant'),
                due: formatDate(s.reviewDueOn, 'en'),
                link: `${baseUrl}${covenantPaths.review({ signatureId: s.id })}`,
              },
            });
          reminded.push(s.id);
          result.emailed.push({
            signatureId: s.id,
            organisation: s.organisationName,
            recipients: emails.length,
          });
        }
        await repo.markReviewReminded(reminded, now);
        if (reminded.length > 0)
          await audit.record(systemActor, {
            action: 'covenant.review_reminders_sent',
            entityType: 'covenant',
            details: { signatures: reminded.length },
          });
      });
      return result;
    },

    /**
     * For administrators: every signature whose yearly review is due and not done, oldest first, with when
     * it was last reminded and how many people can be emailed. Those with nobody to email (no active
     * `cso_admin` or `body_lead`) never get the reminder, so the team must reach them another way.
     */
    async overdueReviews(user: CurrentUser | null) {
      requireAdmin(user);
      const due = await repo.signaturesDueForReview(dateOf(clock.now()));
      const recipients = await repo.signingEmails([...new Set(due.map((s) => s.organisationId))]);
      return due.map((s) => ({ ...s, recipients: recipients.get(s.organisationId)?.length ?? 0 }));
    },

    /** For the organisation's public page (directory module): its signatures and pledges, with review dates. */
    signaturesOfOrganisation: (organisationId: string) => repo.signaturesOfOrganisation(organisationId),
  };
  return service;
}

export type CovenantService = ReturnType<typeof createCovenantService>;
