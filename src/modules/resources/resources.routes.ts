/**
 * Pages of the resource library: the public list with search and filters, a resource with its files and
 * versions; and the Covenant team's pages to add, edit (a new version each time), mark reviewed, publish or
 * unpublish, and upload or remove files. HTTP only: rules live in resources.service.ts.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { BadRequestError, ForbiddenError } from '../../platform/http/errors.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import { govukError, parseForm } from '../../platform/views/form-errors.ts';
import { MAX_FILE_BYTES, type IncomingFile } from '../cases/cases.uploads.ts';
import { resourcePaths as p } from './resources.paths.ts';
import { canManageResources } from './resources.policy.ts';
import { reviewIntervals } from './resources.rules.ts';
import {
  CreateResourceForm,
  EditResourceForm,
  resourceNations,
  SearchQuery,
  StatusForm,
} from './resources.schema.ts';
import { MAX_ATTACHMENTS, ResourceRefusal, type ResourcesService } from './resources.service.ts';
import { audiences, resourceKinds, resourceStatuses } from './resources.tables.ts';

const V = 'modules/resources/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

/** File sizes as people read them: "240 KB", "1.4 MB". */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function options(t: Translate, resources: ResourcesService) {
  const opts = (list: readonly (string | number)[], key: string) =>
    list.map((value) => ({ value: String(value), text: t(`${key}.${value}`) }));
  const vocab = await resources.vocabulary();
  return {
    kinds: opts(resourceKinds, 'resources.kinds'),
    audiences: opts(audiences, 'resources.audiences'),
    // Filtering by one side includes resources for both, so "both" is not offered as a filter of its own.
    audienceFilters: opts(['civil_society', 'public_body'], 'resources.audiences'),
    nations: opts(resourceNations, 'resources.nations'),
    intervals: opts(reviewIntervals, 'resources.intervals'),
    statuses: opts(resourceStatuses, 'resources.form.statuses'),
    principles: vocab.principles.map((x) => ({ value: x.slug, text: x.title })),
    commitments: vocab.commitments.map((x) => ({ value: x.code, text: `${x.code}: ${x.text}` })),
    principleTitles: Object.fromEntries(vocab.principles.map((x) => [x.slug, x.title])),
    commitmentTexts: Object.fromEntries(vocab.commitments.map((x) => [x.code, x.text])),
  };
}

/** Radio or checkbox items with the chosen values ticked (one value, or a list for checkboxes). */
export function choose(list: { value: string; text: string }[], selected: unknown) {
  const chosen = new Set([selected ?? []].flat().map(String));
  return list.map((o) => ({ value: o.value, text: o.text, checked: chosen.has(o.value) }));
}

/** Values for the form as lists, whether they came from the database or a re-rendered submission. */
function formValues(values: Body): Body {
  const asList = (v: unknown) => [v ?? []].flat().map(String);
  return {
    ...values,
    principles: asList(values.principles),
    commitments: asList(values.commitments),
    nations: asList(values.nations),
    reviewIntervalMonths: values.reviewIntervalMonths === undefined ? '' : String(values.reviewIntervalMonths),
  };
}

export function registerResourcesRoutes(app: FastifyInstance, deps: Deps) {
  const resources = deps.resources;
  const view = async (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, {
      p,
      opts: await options(reply.request.t, resources),
      humanSize,
      choose,
      ...data,
    });
  const refusal = (t: Translate, error: unknown) => {
    if (!(error instanceof ResourceRefusal)) throw error;
    return govukError(error.field, t(`resources.refusals.${error.reason}`));
  };

  // The public library.

  app.get(p.index.pattern, async (request, reply) => {
    const query = SearchQuery.parse(request.query ?? {});
    const data = await resources.list(query);
    const pageLink = (page: number) =>
      p.index({
        q: query.q,
        kind: query.kind,
        principle: query.principle,
        commitment: query.commitment,
        audience: query.audience,
        nation: query.nation,
        page: page === 1 ? undefined : String(page),
      });
    return view(reply, 'index.njk', {
      ...data,
      query,
      canManage: canManageResources(request.currentUser),
      previous: data.page > 1 ? pageLink(data.page - 1) : null,
      next: data.page < data.pages ? pageLink(data.page + 1) : null,
    });
  });

  // The Covenant team's list and the form to add a resource (static paths win over `:slug`).

  app.get(p.manage.pattern, { preHandler: requireSignIn }, async (request, reply) =>
    view(reply, 'manage.njk', { rows: await resources.manageList(request.currentUser) }),
  );

  const formPage = async (request: FastifyRequest, reply: FastifyReply, extra: Body) => {
    if (!canManageResources(request.currentUser)) throw new ForbiddenError('The Covenant team manages resources');
    return view(reply, 'form.njk', {
      owners: await resources.owners(),
      ...extra,
      values: formValues((extra.values as Body) ?? {}),
    });
  };

  app.get(p.create.pattern, { preHandler: requireSignIn }, (request, reply) =>
    formPage(request, reply, {
      mode: 'create',
      values: { ownerId: request.currentUser!.id, reviewIntervalMonths: 12, status: 'draft' },
    }),
  );

  app.post(p.create.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const parsed = parseForm(CreateResourceForm, request.body, request.t);
    if (!parsed.success)
      return formPage(request, reply.code(422), {
        mode: 'create',
        errors: parsed.errors,
        values: parsed.values,
      });
    try {
      const r = await resources.create(userOf(request), actorOf(request), parsed.data);
      reply.flash(request.t('resources.form.created'));
      return reply.redirect(p.show({ slug: r.slug }), 303);
    } catch (error) {
      return formPage(request, reply.code(422), {
        mode: 'create',
        errors: refusal(request.t, error),
        values: request.body as Body,
      });
    }
  });

  // A resource, its versions and its files.

  app.get<{ Params: Params }>(p.show.pattern, async (request, reply) =>
    view(reply, 'show.njk', await resources.page(request.currentUser, request.params.slug!)),
  );

  app.get<{ Params: Params }>(p.versions.pattern, async (request, reply) =>
    view(reply, 'versions.njk', await resources.versions(request.currentUser, request.params.slug!)),
  );

  app.get<{ Params: Params }>(p.version.pattern, async (request, reply) => {
    const { slug, version } = request.params as { slug: string; version: string };
    return view(reply, 'version.njk', await resources.version(request.currentUser, slug, version));
  });

  app.get<{ Params: Params }>(p.attachment.pattern, async (request, reply) => {
    const { slug, id } = request.params as { slug: string; id: string };
    const file = await resources.openAttachment(request.currentUser, slug, id);
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/"/g, '')}"`)
      .header('x-content-type-options', 'nosniff')
      .send(file.data);
  });

  // Editing: a new version with a change note.

  const editPage = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Body = {}) => {
    const resource = await resources.forEdit(request.currentUser, slug);
    return view(reply, 'form.njk', {
      mode: 'edit',
      resource,
      owners: await resources.owners(),
      ...extra,
      values: formValues(
        (extra.values as Body) ?? { ...resource, changeNote: '', startedFrom: resource.version },
      ),
    });
  };

  app.get<{ Params: Params }>(p.edit.pattern, { preHandler: requireSignIn }, (request, reply) =>
    editPage(request, reply, request.params.slug!),
  );

  app.post<{ Params: Params }>(p.edit.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    const parsed = parseForm(EditResourceForm, request.body, request.t);
    if (!parsed.success)
      return editPage(request, reply.code(422), slug, { errors: parsed.errors, values: parsed.values });
    try {
      const r = await resources.edit(userOf(request), actorOf(request), slug, parsed.data);
      reply.flash(request.t('resources.form.saved', { version: r.version }));
      return reply.redirect(p.show({ slug }), 303);
    } catch (error) {
      return editPage(request, reply.code(422), slug, {
        errors: refusal(request.t, error),
        values: request.body as Body,
      });
    }
  });

  app.post<{ Params: Params }>(p.reviewed.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    await resources.markReviewed(userOf(request), actorOf(request), slug);
    reply.flash(request.t('resources.show.reviewedDone'));
    return reply.redirect(p.show({ slug }), 303);
  });

  app.post<{ Params: Params }>(p.status.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    // Made by our own buttons: anything else is a tampered request (400).
    const form = StatusForm.safeParse(request.body ?? {});
    if (!form.success) throw new BadRequestError('Malformed form');
    const { status } = form.data;
    await resources.setStatus(userOf(request), actorOf(request), slug, status);
    reply.flash(request.t(`resources.show.${status === 'published' ? 'publishedDone' : 'unpublishedDone'}`));
    return reply.redirect(p.show({ slug }), 303);
  });

  // Files: multipart only in this scope, read into memory up to the limit (busboy cuts off beyond it,
  // which is how "too big" is told apart from a file that merely ends).

  const attachmentsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    extra: Body = {},
  ) =>
    view(reply, 'attachments.njk', {
      ...(await resources.attachmentsPage(request.currentUser, slug)),
      maxSize: humanSize(MAX_FILE_BYTES),
      maxFiles: MAX_ATTACHMENTS,
      ...extra,
    });

  app.get<{ Params: Params }>(p.attachments.pattern, { preHandler: requireSignIn }, (request, reply) =>
    attachmentsPage(request, reply, request.params.slug!),
  );

  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 3, parts: 5 },
      async onFile(part) {
        const data = await part.toBuffer().catch(() => Buffer.alloc(0));
        const file: IncomingFile = { fileName: part.filename, data, truncated: part.file.truncated };
        (part as unknown as { value: IncomingFile }).value = file;
      },
    });
    scope.post<{ Params: Params }>(
      p.attachments.pattern,
      { preHandler: requireSignIn },
      async (request, reply) => {
        const slug = request.params.slug!;
        const raw = (request.body as Body | undefined)?.file as IncomingFile | undefined;
        // A browser sends an empty, nameless part when no file was chosen.
        const file =
          raw && typeof raw === 'object' && 'data' in raw && !(raw.fileName === '' && raw.data.length === 0)
            ? raw
            : undefined;
        try {
          const row = await resources.addAttachment(userOf(request), actorOf(request), slug, file);
          reply.flash(request.t('resources.attachments.uploaded', { file: row.filename }));
          return reply.redirect(p.attachments({ slug }), 303);
        } catch (error) {
          return attachmentsPage(request, reply.code(422), slug, { errors: refusal(request.t, error) });
        }
      },
    );
  });

  app.post<{ Params: Params }>(
    p.removeAttachment.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const { slug, id } = request.params as { slug: string; id: string };
      const row = await resources.removeAttachment(userOf(request), actorOf(request), slug, id);
      reply.flash(request.t('resources.attachments.removed', { file: row.filename }));
      return reply.redirect(p.attachments({ slug }), 303);
    },
  );
}
