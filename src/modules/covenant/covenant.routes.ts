/**
 * Pages of the Covenant registry: the public text, principles, versions and comparisons, sub-covenants,
 * signatories and the signing journey; and the administrators' pages to edit all of it. Handlers only parse,
 * call the service and render or redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { publicPages } from '../../platform/http/etag.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { requireRole, requireSignIn } from '../../platform/http/guards.ts';
import { formatDate } from '../../platform/i18n/i18n.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { isParagraphKey } from './covenant.keys.ts';
import { covenantPaths } from './covenant.paths.ts';
import { signableOrganisations } from './covenant.policy.ts';
import {
  CommitmentForm,
  CompareQuery,
  MoveParagraphForm,
  NewParagraphForm,
  OfficerForm,
  ParagraphForm,
  PrincipleForm,
  PublishForm,
  ReviewForm,
  SignForm,
  StandardForm,
  SubCovenantForm,
} from './covenant.schema.ts';
import { CovenantRuleError, type CovenantService } from './covenant.service.ts';
import { commitmentSides, evaluationMethods, missions, subCovenantKinds } from './covenant.tables.ts';

const V = 'modules/covenant/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

export const view = (reply: FastifyReply, template: string, data: Body) =>
  reply.view(template, { p: covenantPaths, ...data });

/** Runs a service call; a broken rule re-renders the form with the message against its field (422). */
export async function orRuleError<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  run: () => Promise<T>,
  rerender: (errors: GovukErrors) => Promise<unknown>,
): Promise<{ ok: true; value: T } | { ok: false; sent: unknown }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!(error instanceof CovenantRuleError)) throw error;
    reply.code(422);
    return { ok: false, sent: await rerender(govukError(error.field, request.t(error.messageKey))) };
  }
}

export function registerCovenantRoutes(app: FastifyInstance, deps: Deps) {
  const covenant: CovenantService = deps.covenant;
  const admin = requireRole('admin');

  // Public pages: from the page cache for anonymous visitors, fresh for signed-in ones (etag.ts).
  const publicPage = publicPages(deps.pageCache, V, { p: covenantPaths });
  const publishedVersions = async () => (await covenant.versions()).filter((v) => v.status === 'published');

  app.get(covenantPaths.show.pattern, (request, reply) =>
    publicPage(
      request,
      reply,
      'show.njk',
      'current',
      async () => {
        const [{ version, paragraphs }, principles, commitments] = await Promise.all([
          covenant.current(),
          covenant.principles(),
          covenant.commitments(),
        ]);
        const unverified = commitments.filter((c) => c.unverified).map((c) => c.code);
        return { version, paragraphs, principles, unverified };
      },
      (data) => data,
    ),
  );

  app.get<{ Params: Params }>(covenantPaths.principle.pattern, (request, reply) => {
    const slug = request.params.slug!;
    return publicPage(
      request,
      reply,
      'principle.njk',
      slug,
      () => covenant.principle(slug),
      (data) => ({
        ...data,
        sides: commitmentSides
          .map((side) => ({ side, commitments: data.commitments.filter((c) => c.side === side) }))
          .filter((group) => group.commitments.length > 0),
      }),
    );
  });

  app.get(covenantPaths.versions.pattern, (request, reply) =>
    publicPage(request, reply, 'versions.njk', 'published', publishedVersions, (versions) => ({ versions })),
  );

  app.get<{ Querystring: Params }>(covenantPaths.compare.pattern, async (request, reply) => {
    const parsed = parseForm(CompareQuery, request.query, request.t);
    if (!parsed.success) {
      // Nothing chosen yet: the comparison form alone; something chosen but wrong: 422 with the errors.
      const chosen = Boolean(request.query.from || request.query.to);
      if (chosen) reply.code(422);
      return view(reply, `${V}versions.njk`, {
        versions: await publishedVersions(),
        errors: chosen ? parsed.errors : undefined,
        values: parsed.values,
      });
    }
    const { from, to } = parsed.data;
    return publicPage(
      request,
      reply,
      'compare.njk',
      `${from}|${to}`,
      async () => {
        const [comparison, versions] = await Promise.all([covenant.compare(from, to), publishedVersions()]);
        return { comparison, versions };
      },
      (data) => ({ ...data, values: parsed.data }),
    );
  });

  app.get<{ Params: Params }>(covenantPaths.version.pattern, (request, reply) => {
    const id = request.params.versionId!;
    return publicPage(
      request,
      reply,
      'version.njk',
      id,
      async () => {
        const data = await covenant.version(id).catch(() => {
          throw new NotFoundError('No such version');
        });
        // Drafts are for signed-in people only (and never cached: the cache serves anonymous visitors).
        if (data.version.status !== 'published' && !request.currentUser)
          throw new NotFoundError('No such version');
        return data;
      },
      (data) => data,
    );
  });

  app.get(covenantPaths.subCovenants.pattern, (request, reply) =>
    publicPage(
      request,
      reply,
      'sub-covenants.njk',
      'all',
      () => covenant.subCovenants(),
      (subCovenants) => ({
        subCovenants,
        groups: subCovenantKinds
          .map((kind) => ({ kind, items: subCovenants.filter((s) => s.kind === kind) }))
          .filter((group) => group.items.length > 0),
      }),
    ),
  );

  app.get<{ Params: Params }>(covenantPaths.subCovenant.pattern, (request, reply) => {
    const slug = request.params.slug!;
    return publicPage(
      request,
      reply,
      'sub-covenant.njk',
      slug,
      () => covenant.subCovenant(slug),
      (data) => ({
        ...data,
        own: data.commitments.filter((c) => !c.inherited),
        inherited: data.commitments.filter((c) => c.inherited),
      }),
    );
  });

  app.get(covenantPaths.signatories.pattern, (request, reply) =>
    publicPage(
      request,
      reply,
      'signatories.njk',
      'national',
      () => covenant.signatories(null),
      (data) => data,
    ),
  );

  // Signing (national Covenant and sub-covenants share one form)

  async function signPage(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string | null,
    extra: Body = {},
  ) {
    const sub = slug ? (await covenant.subCovenant(slug)).subCovenant : null;
    const organisations = signableOrganisations(request.currentUser);
    const pledges = await covenant.pledges();
    return view(reply, `${V}sign.njk`, { sub, organisations, pledges, values: {}, ...extra });
  }

  async function signSubmit(request: FastifyRequest, reply: FastifyReply, slug: string | null) {
    const parsed = parseForm(SignForm, request.body, request.t);
    if (!parsed.success)
      return signPage(request, reply.code(422), slug, { errors: parsed.errors, values: parsed.values });
    const result = await orRuleError(
      request,
      reply,
      () => covenant.sign(userOf(request), actorOf(request), slug, parsed.data),
      (errors) => signPage(request, reply, slug, { errors, values: request.body as Body }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('covenant.sign.done', { date: result.value.reviewDueOn }));
    return reply.redirect(slug ? covenantPaths.subCovenant({ slug }) : covenantPaths.signatories(), 303);
  }

  app.get(covenantPaths.sign.pattern, { preHandler: requireSignIn }, (request, reply) =>
    signPage(request, reply, null),
  );
  app.post(covenantPaths.sign.pattern, { preHandler: requireSignIn }, (request, reply) =>
    signSubmit(request, reply, null),
  );
  app.get<{ Params: Params }>(
    covenantPaths.signSub.pattern,
    { preHandler: requireSignIn },
    (request, reply) => signPage(request, reply, request.params.slug!),
  );
  app.post<{ Params: Params }>(
    covenantPaths.signSub.pattern,
    { preHandler: requireSignIn },
    (request, reply) => signSubmit(request, reply, request.params.slug!),
  );

  // The yearly review of a signature: the organisation confirms (and may change) its pledges.

  app.get(covenantPaths.reviews.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const signatures = await covenant.reviewableSignatures(request.currentUser);
    return view(reply, `${V}reviews.njk`, { signatures, today: deps.clock.now().toISOString().slice(0, 10) });
  });

  async function reviewPage(request: FastifyRequest, reply: FastifyReply, id: string, extra: Body = {}) {
    const signature = await covenant.signatureForReview(request.currentUser, id);
    const pledges = await covenant.pledges(signature.pledges.map((x) => x.pledgeId));
    const values = {
      pledges: signature.pledges.filter((x) => x.pledgeId).map((x) => x.pledgeId),
      ownPledges: signature.pledges
        .filter((x) => !x.pledgeId)
        .map((x) => x.text)
        .join('\n'),
    };
    return view(reply, `${V}review.njk`, { signature, pledges, values, ...extra });
  }
  app.get<{ Params: Params }>(covenantPaths.review.pattern, { preHandler: requireSignIn }, (request, reply) =>
    reviewPage(request, reply, request.params.signatureId!),
  );
  app.post<{ Params: Params }>(
    covenantPaths.review.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const id = request.params.signatureId!;
      const parsed = parseForm(ReviewForm, request.body, request.t);
      if (!parsed.success) return reviewPage(request, reply.code(422), id, parsed);
      const result = await orRuleError(
        request,
        reply,
        () => covenant.reviewSignature(userOf(request), actorOf(request), id, parsed.data),
        (errors) => reviewPage(request, reply, id, { errors, values: request.body as Body }),
      );
      if (!result.ok) return result.sent;
      reply.flash(
        request.t('covenant.review.done', { date: formatDate(result.value.reviewDueOn, request.locale) }),
      );
      return reply.redirect(covenantPaths.reviews(), 303);
    },
  );

  // Administration: the text

  app.get(covenantPaths.admin.pattern, { preHandler: admin }, async (_request, reply) => {
    const [current, draft, principles, commitments, standards, subCovenants] = await Promise.all([
      deps.covenant.repo.currentVersion(),
      covenant.draft(),
      covenant.principles(),
      covenant.commitments(),
      covenant.standards(),
      covenant.subCovenants(),
    ]);
    return view(reply, `${V}admin/index.njk`, {
      current,
      draft,
      principles,
      commitments,
      standards,
      subCovenants,
    });
  });

  app.post(covenantPaths.adminDraft.pattern, { preHandler: admin }, async (request, reply) => {
    await covenant.startDraft(request.currentUser, actorOf(request));
    return reply.redirect(covenantPaths.adminDraft(), 303);
  });

  app.get(covenantPaths.adminDraft.pattern, { preHandler: admin }, async (_request, reply) => {
    const draft = await covenant.draft();
    if (!draft) return reply.redirect(covenantPaths.admin(), 303);
    const { paragraphs, citations } = await covenant.version(draft.id);
    return view(reply, `${V}admin/draft.njk`, { draft, paragraphs, citations });
  });

  async function paragraphPage(reply: FastifyReply, key: string | null, extra: Body = {}) {
    const draft = await covenant.draft();
    if (!draft) throw new NotFoundError('No draft');
    const { paragraphs } = await covenant.version(draft.id);
    const paragraph = key ? paragraphs.find((p) => p.key === key) : null;
    if (key && !paragraph) throw new NotFoundError('No such paragraph');
    const values = paragraph
      ? { kind: paragraph.kind, text: paragraph.text, commitmentCode: paragraph.commitmentCode ?? '' }
      : { kind: 'text', after: paragraphs.at(-1)?.key ?? '' };
    return view(reply, `${V}admin/paragraph.njk`, { draft, paragraph, paragraphs, values, ...extra });
  }

  app.get(covenantPaths.adminParagraphNew.pattern, { preHandler: admin }, (_request, reply) =>
    paragraphPage(reply, null),
  );
  app.post(covenantPaths.adminParagraphNew.pattern, { preHandler: admin }, async (request, reply) => {
    const parsed = parseForm(NewParagraphForm, request.body, request.t, ['commitmentCode']);
    if (!parsed.success) return paragraphPage(reply.code(422), null, parsed);
    const result = await orRuleError(
      request,
      reply,
      () => covenant.addParagraph(request.currentUser, actorOf(request), parsed.data),
      (errors) => paragraphPage(reply, null, { errors, values: request.body }),
    );
    if (!result.ok) return result.sent;
    return reply.redirect(`${covenantPaths.adminDraft()}#${result.value}`, 303);
  });

  app.get<{ Params: Params }>(
    covenantPaths.adminParagraph.pattern,
    { preHandler: admin },
    (request, reply) => {
      if (!isParagraphKey(request.params.key)) throw new NotFoundError();
      return paragraphPage(reply, request.params.key);
    },
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminParagraph.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const key = request.params.key!;
      if (!isParagraphKey(key)) throw new NotFoundError();
      const parsed = parseForm(ParagraphForm, request.body, request.t, ['commitmentCode']);
      if (!parsed.success) return paragraphPage(reply.code(422), key, parsed);
      const result = await orRuleError(
        request,
        reply,
        () => covenant.editParagraph(request.currentUser, actorOf(request), key, parsed.data),
        (errors) => paragraphPage(reply, key, { errors, values: request.body }),
      );
      if (!result.ok) return result.sent;
      return reply.redirect(`${covenantPaths.adminDraft()}#${key}`, 303);
    },
  );

  app.get<{ Params: Params }>(
    covenantPaths.adminParagraphRemove.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const draft = await covenant.draft();
      const paragraph = draft
        ? (await covenant.version(draft.id)).paragraphs.find((p) => p.key === request.params.key)
        : null;
      if (!draft || !paragraph) throw new NotFoundError();
      return view(reply, `${V}admin/paragraph-remove.njk`, { draft, paragraph, values: {} });
    },
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminParagraphRemove.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const reference =
        typeof body.citationReference === 'string' ? body.citationReference.trim().slice(0, 500) : '';
      await covenant.removeParagraph(request.currentUser, actorOf(request), request.params.key!, {
        citationReference: reference || undefined,
      });
      return reply.redirect(covenantPaths.adminDraft(), 303);
    },
  );

  app.post<{ Params: Params }>(
    covenantPaths.adminParagraphMove.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const parsed = MoveParagraphForm.safeParse(request.body);
      if (parsed.success)
        await covenant.moveParagraph(
          request.currentUser,
          actorOf(request),
          request.params.key!,
          parsed.data.direction,
        );
      return reply.redirect(`${covenantPaths.adminDraft()}#${request.params.key}`, 303);
    },
  );

  async function publishPage(reply: FastifyReply, extra: Body = {}) {
    const draft = await covenant.draft();
    if (!draft) throw new NotFoundError('No draft');
    const current = await deps.covenant.repo.currentVersion();
    return view(reply, `${V}admin/publish.njk`, { draft, current, values: {}, ...extra });
  }
  app.get(covenantPaths.adminPublish.pattern, { preHandler: admin }, (_request, reply) => publishPage(reply));
  app.post(covenantPaths.adminPublish.pattern, { preHandler: admin }, async (request, reply) => {
    const parsed = parseForm(PublishForm, request.body, request.t);
    if (!parsed.success) return publishPage(reply.code(422), parsed);
    const result = await orRuleError(
      request,
      reply,
      () => covenant.publish(request.currentUser, actorOf(request), parsed.data.changeSummary),
      (errors) => publishPage(reply, { errors, values: request.body }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('covenant.admin.published', { number: result.value.number }));
    return reply.redirect(covenantPaths.show(), 303);
  });

  // Administration: principles, commitments, standards, sub-covenants

  async function principlePage(reply: FastifyReply, slug: string, extra: Body = {}) {
    const { principle } = await covenant.principle(slug);
    const values = { ...principle, unverified: principle.unverified ? 'yes' : '' };
    return view(reply, `${V}admin/principle.njk`, { principle, values, ...extra });
  }
  app.get<{ Params: Params }>(covenantPaths.adminPrinciple.pattern, { preHandler: admin }, (request, reply) =>
    principlePage(reply, request.params.slug!),
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminPrinciple.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const slug = request.params.slug!;
      const parsed = parseForm(PrincipleForm, request.body, request.t);
      if (!parsed.success) return principlePage(reply.code(422), slug, parsed);
      await covenant.savePrinciple(request.currentUser, actorOf(request), slug, parsed.data);
      reply.flash(request.t('covenant.admin.saved'));
      return reply.redirect(covenantPaths.principle({ slug }), 303);
    },
  );

  async function commitmentPage(reply: FastifyReply, extra: Body) {
    const principles = await covenant.principles();
    return view(reply, `${V}admin/commitment.njk`, { principles, values: { side: 'government' }, ...extra });
  }
  app.get(covenantPaths.adminCommitmentNew.pattern, { preHandler: admin }, (_request, reply) =>
    commitmentPage(reply, { action: covenantPaths.adminCommitmentNew() }),
  );
  app.get<{ Params: Params }>(
    covenantPaths.adminCommitment.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const c = await deps.covenant.repo.commitmentById(request.params.id!).catch(() => null);
      if (!c) throw new NotFoundError();
      const principle = (await covenant.principles()).find((p) => p.id === c.principleId);
      return commitmentPage(reply, {
        action: covenantPaths.adminCommitment({ id: c.id }),
        values: { ...c, principle: principle?.slug, unverified: c.unverified ? 'yes' : '' },
      });
    },
  );
  async function commitmentSubmit(
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    id?: string,
    sub?: string,
  ) {
    const parsed = parseForm(CommitmentForm, request.body, request.t, ['code']);
    if (!parsed.success) return commitmentPage(reply.code(422), { action, ...parsed });
    const subId = sub ? (await covenant.subCovenant(sub)).subCovenant.id : undefined;
    const result = await orRuleError(
      request,
      reply,
      () => covenant.saveCommitment(request.currentUser, actorOf(request), parsed.data, id, subId),
      (errors) => commitmentPage(reply, { action, errors, values: request.body }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('covenant.admin.saved'));
    return reply.redirect(sub ? covenantPaths.subCovenant({ slug: sub }) : covenantPaths.admin(), 303);
  }
  app.post(covenantPaths.adminCommitmentNew.pattern, { preHandler: admin }, (request, reply) =>
    commitmentSubmit(request, reply, covenantPaths.adminCommitmentNew()),
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminCommitment.pattern,
    { preHandler: admin },
    (request, reply) =>
      commitmentSubmit(
        request,
        reply,
        covenantPaths.adminCommitment({ id: request.params.id! }),
        request.params.id,
      ),
  );
  app.get<{ Params: Params }>(
    covenantPaths.adminSubCommitmentNew.pattern,
    { preHandler: admin },
    async (request, reply) => {
      await covenant.subCovenant(request.params.slug!);
      return commitmentPage(reply, {
        action: covenantPaths.adminSubCommitmentNew({ slug: request.params.slug! }),
      });
    },
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminSubCommitmentNew.pattern,
    { preHandler: admin },
    (request, reply) => {
      const slug = request.params.slug!;
      return commitmentSubmit(request, reply, covenantPaths.adminSubCommitmentNew({ slug }), undefined, slug);
    },
  );

  async function standardPage(reply: FastifyReply, extra: Body) {
    const principles = await covenant.principles();
    return view(reply, `${V}admin/standard.njk`, { principles, evaluationMethods, values: {}, ...extra });
  }
  app.get(covenantPaths.adminStandardNew.pattern, { preHandler: admin }, (_request, reply) =>
    standardPage(reply, { action: covenantPaths.adminStandardNew() }),
  );
  app.get<{ Params: Params }>(
    covenantPaths.adminStandard.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const s = (await covenant.standards()).find((x) => x.id === request.params.id);
      if (!s) throw new NotFoundError();
      return standardPage(reply, {
        action: covenantPaths.adminStandard({ id: s.id }),
        values: {
          ...s,
          principle: s.principleSlug,
          commitmentCode: s.commitmentCode ?? '',
          unverified: s.unverified ? 'yes' : '',
        },
      });
    },
  );
  async function standardSubmit(request: FastifyRequest, reply: FastifyReply, action: string, id?: string) {
    const parsed = parseForm(StandardForm, request.body, request.t, ['code', 'commitmentCode']);
    if (!parsed.success) return standardPage(reply.code(422), { action, ...parsed });
    const result = await orRuleError(
      request,
      reply,
      () => covenant.saveStandard(request.currentUser, actorOf(request), parsed.data, id),
      (errors) => standardPage(reply, { action, errors, values: request.body }),
    );
    if (!result.ok) return result.sent;
    reply.flash(request.t('covenant.admin.saved'));
    return reply.redirect(covenantPaths.admin(), 303);
  }
  app.post(covenantPaths.adminStandardNew.pattern, { preHandler: admin }, (request, reply) =>
    standardSubmit(request, reply, covenantPaths.adminStandardNew()),
  );
  app.post<{ Params: Params }>(covenantPaths.adminStandard.pattern, { preHandler: admin }, (request, reply) =>
    standardSubmit(
      request,
      reply,
      covenantPaths.adminStandard({ id: request.params.id! }),
      request.params.id,
    ),
  );

  const subPage = (reply: FastifyReply, extra: Body) =>
    view(reply, `${V}admin/sub-covenant.njk`, { kinds: subCovenantKinds, missions, values: {}, ...extra });
  app.get(covenantPaths.adminSubCovenantNew.pattern, { preHandler: admin }, (_request, reply) =>
    subPage(reply, { action: covenantPaths.adminSubCovenantNew() }),
  );
  app.get<{ Params: Params }>(
    covenantPaths.adminSubCovenant.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const { subCovenant } = await covenant.subCovenant(request.params.slug!);
      return subPage(reply, {
        action: covenantPaths.adminSubCovenant({ slug: subCovenant.slug }),
        values: subCovenant,
      });
    },
  );
  async function subSubmit(request: FastifyRequest, reply: FastifyReply, action: string, slug?: string) {
    const parsed = parseForm(SubCovenantForm, request.body, request.t);
    if (!parsed.success) return subPage(reply.code(422), { action, ...parsed });
    const id = slug ? (await covenant.subCovenant(slug)).subCovenant.id : undefined;
    const saved = await covenant.saveSubCovenant(request.currentUser, actorOf(request), parsed.data, id);
    reply.flash(request.t('covenant.admin.saved'));
    return reply.redirect(covenantPaths.subCovenant({ slug: saved }), 303);
  }
  app.post(covenantPaths.adminSubCovenantNew.pattern, { preHandler: admin }, (request, reply) =>
    subSubmit(request, reply, covenantPaths.adminSubCovenantNew()),
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminSubCovenant.pattern,
    { preHandler: admin },
    (request, reply) =>
      subSubmit(
        request,
        reply,
        covenantPaths.adminSubCovenant({ slug: request.params.slug! }),
        request.params.slug,
      ),
  );

  // Accountable officers of a sub-covenant: listed, added, edited and removed by administrators.

  app.get<{ Params: Params }>(
    covenantPaths.adminOfficers.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const { subCovenant, officers } = await covenant.subCovenant(request.params.slug!);
      return view(reply, `${V}admin/officers.njk`, { subCovenant, officers });
    },
  );

  const officerPage = async (reply: FastifyReply, slug: string, extra: Body = {}) => {
    const { subCovenant } = await covenant.subCovenant(slug);
    return view(reply, `${V}admin/officer.njk`, {
      subCovenant,
      values: {},
      action: covenantPaths.adminOfficerNew({ slug }),
      ...extra,
    });
  };
  app.get<{ Params: Params }>(
    covenantPaths.adminOfficerNew.pattern,
    { preHandler: admin },
    (request, reply) => officerPage(reply, request.params.slug!),
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminOfficerNew.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const slug = request.params.slug!;
      const parsed = parseForm(OfficerForm, request.body, request.t);
      if (!parsed.success) return officerPage(reply.code(422), slug, parsed);
      await covenant.addOfficer(request.currentUser, actorOf(request), slug, parsed.data);
      reply.flash(request.t('covenant.admin.officerAdded'));
      return reply.redirect(covenantPaths.adminOfficers({ slug }), 303);
    },
  );

  const editOfficerPage = async (reply: FastifyReply, params: Params, extra: Body = {}) => {
    const { subCovenant, officer } = await covenant.officer(params.slug!, params.officerId!);
    return view(reply, `${V}admin/officer.njk`, {
      subCovenant,
      officer,
      values: officer,
      action: covenantPaths.adminOfficer({ slug: subCovenant.slug, officerId: officer.id }),
      ...extra,
    });
  };
  app.get<{ Params: Params }>(covenantPaths.adminOfficer.pattern, { preHandler: admin }, (request, reply) =>
    editOfficerPage(reply, request.params),
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminOfficer.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const { slug, officerId } = request.params as { slug: string; officerId: string };
      const parsed = parseForm(OfficerForm, request.body, request.t);
      if (!parsed.success) return editOfficerPage(reply.code(422), request.params, parsed);
      await covenant.updateOfficer(request.currentUser, actorOf(request), slug, officerId, parsed.data);
      reply.flash(request.t('covenant.admin.officerSaved'));
      return reply.redirect(covenantPaths.adminOfficers({ slug }), 303);
    },
  );

  app.get<{ Params: Params }>(
    covenantPaths.adminOfficerRemove.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const found = await covenant.officer(request.params.slug!, request.params.officerId!);
      return view(reply, `${V}admin/officer-remove.njk`, found);
    },
  );
  app.post<{ Params: Params }>(
    covenantPaths.adminOfficerRemove.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const { slug, officerId } = request.params as { slug: string; officerId: string };
      await covenant.removeOfficer(request.currentUser, actorOf(request), slug, officerId);
      reply.flash(request.t('covenant.admin.officerRemoved'));
      return reply.redirect(covenantPaths.adminOfficers({ slug }), 303);
    },
  );
}
