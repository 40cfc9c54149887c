/**
 * Pages of the directory: search with filters, a public body's page (leads, pledges), an organisation's page,
 * editing a body's accountable leads, and the administrators' CSO import (upload → dry-run report → confirm).
 * Handlers only parse, call the service and render or redirect.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { publicPages } from '../../platform/http/etag.ts';
import { requireRole, requireSignIn } from '../../platform/http/guards.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import { govukError, parseForm } from '../../platform/views/form-errors.ts';
import { ImportFileError } from './directory.import.ts';
import { directoryPaths as p } from './directory.paths.ts';
import { can } from './directory.policy.ts';
import { LeadsFormSchema, nestLeadsForm, SearchQuery } from './directory.schema.ts';
import type { DirectoryService } from './directory.service.ts';
import type { OrganisationKind } from './directory.tables.ts';
import {
  areasOfWork,
  englishRegions,
  incomeBands,
  leadRoles,
  nations,
  publicBodyTypes,
} from './directory.taxonomy.ts';
import { scorecardPaths } from '../scorecards/scorecards.paths.ts';

const V = 'modules/directory/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;
type Upload = { filename: string; bytes: Buffer };

/** A CSO file of 200,000 rows is about 20 MB; leave room for long names. */
export const MAX_IMPORT_BYTES = 40 * 1024 * 1024;
/** Problems listed on the dry-run report (the count says how many more). */
const MAX_ERRORS_SHOWN = 100;

const view = (reply: FastifyReply, template: string, data: Body) =>
  reply.view(`${V}${template}`, { p, ...data });

/**
 * Which organisation kinds a search means: the "Show" choice, narrowed by the filters (only public bodies
 * have a body type; only organisations have an income band or areas of work), so the query can use the
 * (kind, name) index.
 */
export function kindsFor(query: Pick<SearchQuery, 'kind' | 'type' | 'income' | 'area'>): OrganisationKind[] {
  const bodyOnly = query.kind === 'public_body' || Boolean(query.type);
  const csoOnly = query.kind === 'cso' || Boolean(query.income || query.area);
  if (bodyOnly && csoOnly) return ['public_body'];
  if (bodyOnly) return ['public_body'];
  if (csoOnly) return ['cso', 'infrastructure'];
  return ['public_body', 'cso', 'infrastructure'];
}

/** GOV.UK pagination items: first, last, and two either side of the current page, with ellipses. */
export function paginationItems(page: number, pages: number, href: (n: number) => string) {
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2)
      items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true });
  }
  return items;
}

/** The search form's select boxes, each with "Any" first and the current choice selected. */
function filterItems(t: Translate, query: SearchQuery) {
  const items = (list: readonly string[], selected: string | undefined, label: (v: string) => string) => [
    { value: '', text: t('directory.search.any') },
    ...list.map((value) => ({ value, text: label(value), selected: value === selected })),
  ];
  return {
    kind: [
      { value: '', text: t('directory.search.kindAny') },
      ...(['public_body', 'cso'] as const).map((value) => ({
        value,
        text: t(`directory.search.kindOptions.${value}`),
        selected: value === query.kind,
      })),
    ],
    type: items(publicBodyTypes, query.type, (v) => t(`directory.bodyTypes.${v}`)),
    nation: items(nations, query.nation, (v) => t(`directory.nations.${v}`)),
    region: items(englishRegions, query.region, (v) => v),
    income: items(incomeBands, query.income, (v) => t(`directory.incomeBands.${v}`)),
    area: items(areasOfWork, query.area, (v) => t(`directory.areas.${v}`)),
  };
}

export function registerDirectoryRoutes(app: FastifyInstance, deps: Deps) {
  const directory: DirectoryService = deps.directory;
  const admin = requireRole('admin');

  // Public pages: from the page cache for anonymous visitors, fresh for signed-in ones (etag.ts).
  const publicPage = publicPages(deps.pageCache, V, { p });

  app.get<{ Querystring: Params }>(p.search.pattern, (request, reply) => {
    const parsed = SearchQuery.safeParse(request.query);
    const query = parsed.success ? parsed.data : SearchQuery.parse({});
    const { page: _page, ...kept } = query;
    const link = (n: number) => p.search({ ...kept, page: String(n) });
    // Keyed by the parsed query, so unknown or reordered parameters share one entry.
    return publicPage(
      request,
      reply,
      'search.njk',
      JSON.stringify(query),
      () => directory.searchDirectory(query, kindsFor(query)),
      (result) => ({
        query,
        result,
        pagination: paginationItems(result.page, result.pages, link),
        previous: result.page > 1 ? link(result.page - 1) : null,
        next: result.page < result.pages ? link(result.page + 1) : null,
        filters: filterItems(request.t, query),
        canImport: can(request.currentUser, 'importOrganisations'),
      }),
    );
  });

  app.get<{ Params: Params }>(p.body.pattern, (request, reply) => {
    const slug = request.params.slug!;
    return publicPage(
      request,
      reply,
      'body.njk',
      slug,
      async () => {
        const page = await directory.bodyPage(slug);
        return { ...page, signatures: await deps.covenant.signaturesOfOrganisation(page.body.id) };
      },
      (data) => ({
        ...data,
        canEditLeads: can(request.currentUser, 'editLeads', data.body.id),
        scorecardHref: scorecardPaths.body({ slug: data.body.slug }),
      }),
    );
  });

  app.get<{ Params: Params }>(p.organisation.pattern, (request, reply) => {
    const slug = request.params.slug!;
    return publicPage(
      request,
      reply,
      'organisation.njk',
      slug,
      async () => {
        const page = await directory.organisationPage(slug);
        return { ...page, signatures: await deps.covenant.signaturesOfOrganisation(page.organisation.id) };
      },
      (data) => data,
    );
  });

  // Accountable leads: admins, or the body's own body_lead (the service checks which body).

  const leadsPage = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Body = {}) => {
    const { body, leads } = await directory.leadsForEditing(userOf(request), slug);
    const values: Body = {};
    for (const lead of leads) {
      values[`${lead.role}-name`] = lead.name;
      values[`${lead.role}-roleTitle`] = lead.roleTitle;
      values[`${lead.role}-contact`] = lead.contactEmail ?? lead.contactUrl ?? '';
    }
    return view(reply, 'leads.njk', { body, leads, values, leadRoles, ...extra });
  };

  app.get<{ Params: Params }>(p.leads.pattern, { preHandler: requireSignIn }, (request, reply) =>
    leadsPage(request, reply, request.params.slug!),
  );

  app.post<{ Params: Params }>(p.leads.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    const body = (request.body ?? {}) as Body;
    const parsed = parseForm(LeadsFormSchema, nestLeadsForm(body), request.t);
    if (!parsed.success)
      return leadsPage(request, reply.code(422), slug, { errors: parsed.errors, values: body });
    await directory.saveLeads(userOf(request), actorOf(request), slug, parsed.data);
    reply.flash(request.t('directory.leads.saved'));
    return reply.redirect(p.body({ slug }), 303);
  });

  // CSO import (administrators): upload, check every row, then confirm.

  const uploadPage = (reply: FastifyReply, extra: Body = {}) => view(reply, 'admin/import.njk', extra);
  app.get(p.adminImport.pattern, { preHandler: admin }, (_request, reply) => uploadPage(reply));

  // multipart is parsed only in this scope (the rest of the app takes urlencoded forms), with the fields
  // attached to the body so the CSRF check finds `_csrf`.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 3 },
      // Keep the file's name with its bytes (keyValues alone keeps only the bytes).
      async onFile(part) {
        (part as unknown as { value: Upload }).value = {
          filename: part.filename,
          bytes: await part.toBuffer(),
        };
      },
    });
    scope.post(p.adminImport.pattern, { preHandler: admin }, async (request, reply) => {
      const file = ((request.body ?? {}) as Body).file as Upload | undefined;
      const bytes = file?.bytes instanceof Buffer ? new Uint8Array(file.bytes) : new Uint8Array();
      const fail = (text: string) => uploadPage(reply.code(422), { errors: govukError('file', text) });
      if (bytes.length === 0) return fail(request.t('directory.import.errors.fileRequired'));
      try {
        await directory.dryRunCsos(bytes);
      } catch (error) {
        if (!(error instanceof ImportFileError)) throw error;
        return fail(request.t('directory.import.errors.fileProblem', { message: error.message }));
      }
      const uploadId = await directory.saveUpload(userOf(request), file?.filename || 'upload.csv', bytes);
      return reply.redirect(p.adminImportReport({ uploadId }), 303);
    });
  });

  app.get<{ Params: Params }>(p.adminImportReport.pattern, { preHandler: admin }, async (request, reply) => {
    const upload = await directory.loadUpload(userOf(request), request.params.uploadId!);
    const plan = await directory.dryRunCsos(upload.bytes);
    return view(reply, 'admin/import-report.njk', {
      upload,
      plan,
      rowErrors: plan.errors.slice(0, MAX_ERRORS_SHOWN),
      shownErrors: Math.min(plan.errors.length, MAX_ERRORS_SHOWN),
    });
  });

  app.post<{ Params: Params }>(p.adminImportReport.pattern, { preHandler: admin }, async (request, reply) => {
    const uploadId = request.params.uploadId!;
    const result = await directory.confirmUpload(userOf(request), actorOf(request), uploadId);
    if (result.alreadyApplied) reply.flash(request.t('directory.import.alreadyApplied'));
    else if (!result.imported || !result.plan) return reply.redirect(p.adminImportReport({ uploadId }), 303);
    else
      reply.flash(request.t('directory.import.imported', { rows: result.plan.rows, ...result.plan.counts }));
    return reply.redirect(p.search({ kind: 'cso' }), 303);
  });
}
