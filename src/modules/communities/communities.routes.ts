/**
 * Pages for communities of practice: the groups, a group (join, leave, discussions, events), moderation
 * (requests, roles, flagged posts, hiding, locking), threads and replies, email settings, events with
 * registration and the waiting list, notes from a meeting, and each event's .ics file.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { ForbiddenError } from '../../platform/http/errors.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import { govukError, parseForm, parseHidden } from '../../platform/views/form-errors.ts';
import { joinDateFields } from '../exchange/exchange.schema.ts';
import { communityPaths as p } from './communities.paths.ts';
import { canCreateGroup } from './communities.policy.ts';
import {
  DecideMemberForm,
  EventForm,
  FlagForm,
  GroupForm,
  HideForm,
  JoinForm,
  LockForm,
  NotesForm,
  ReplyForm,
  ResolveFlagForm,
  RoleForm,
  SettingsForm,
  ThreadForm,
} from './communities.schema.ts';
import { CommunityRefusal } from './communities.service.ts';
import {
  eventModes,
  eventVisibilities,
  joinPolicies,
  notificationFrequencies,
} from './communities.tables.ts';

const V = 'modules/communities/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

/** Which side a person comes from, by the kinds of organisation they belong to. */
export function sideOf(kinds: readonly string[]): 'public_body' | 'civil_society' | 'other' {
  if (kinds.includes('public_body')) return 'public_body';
  if (kinds.includes('cso') || kinds.includes('infrastructure')) return 'civil_society';
  return 'other';
}

function options(t: Translate) {
  const opts = (list: readonly string[], key: string) =>
    list.map((value) => ({ value, text: t(`${key}.${value}`) }));
  return {
    joinPolicies: opts(joinPolicies, 'communities.joinPolicies'),
    frequencies: opts(notificationFrequencies, 'communities.frequencies'),
    modes: opts(eventModes, 'communities.modes'),
    visibilities: opts(eventVisibilities, 'communities.visibilities'),
  };
}

export function registerCommunitiesRoutes(app: FastifyInstance, deps: Deps) {
  const communities = deps.communities;
  const view = (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, { p, opts: options(reply.request.t), ...data });
  const refusal = (t: Translate, error: unknown) => {
    if (!(error instanceof CommunityRefusal)) throw error;
    return t(`communities.refusals.${error.reason}`, error.params);
  };

  app.get(p.index.pattern, async (request, reply) => {
    const user = request.currentUser;
    return view(reply, 'index.njk', {
      groups: await communities.groups(user),
      events: (await communities.events(user)).slice(0, 5),
      canCreate: canCreateGroup(user),
    });
  });

  // Starting a group (administrators).

  app.get(p.create.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    if (!canCreateGroup(request.currentUser)) throw new ForbiddenError('Admins');
    return view(reply, 'group-form.njk', { values: { joinPolicy: 'open' } });
  });

  app.post(p.create.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    if (!canCreateGroup(request.currentUser)) throw new ForbiddenError('Admins');
    const parsed = parseForm(GroupForm, request.body, request.t);
    if (!parsed.success)
      return view(reply.code(422), 'group-form.njk', { errors: parsed.errors, values: parsed.values });
    const group = await communities.createGroup(userOf(request), actorOf(request), parsed.data);
    reply.flash(request.t('communities.create.created'));
    return reply.redirect(p.group({ slug: group.slug }), 303);
  });

  // Email settings.

  app.get(p.settings.pattern, { preHandler: requireSignIn }, async (request, reply) =>
    view(reply, 'settings.njk', { values: { frequency: await communities.frequency(userOf(request).id) } }),
  );

  app.post(p.settings.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const parsed = parseForm(SettingsForm, request.body, request.t);
    if (!parsed.success)
      return view(reply.code(422), 'settings.njk', { errors: parsed.errors, values: parsed.values });
    await communities.saveFrequency(userOf(request), actorOf(request), parsed.data.frequency);
    reply.flash(request.t('communities.settings.saved'));
    return reply.redirect(p.settings(), 303);
  });

  // A group: join, leave, discussions, events.

  const groupPage = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Body = {}) =>
    view(reply, 'group.njk', {
      ...(await communities.group(request.currentUser, slug)),
      values: {},
      ...extra,
    });

  app.get<{ Params: Params }>(p.group.pattern, (request, reply) =>
    groupPage(request, reply, request.params.slug!),
  );

  app.post<{ Params: Params }>(p.join.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    const parsed = parseForm(JoinForm, request.body, request.t);
    if (!parsed.success)
      return groupPage(request, reply.code(422), slug, { errors: parsed.errors, values: parsed.values });
    try {
      const { group, status } = await communities.join(
        userOf(request),
        actorOf(request),
        slug,
        parsed.data.note,
      );
      reply.flash(
        request.t(`communities.group.${status === 'active' ? 'joined' : 'requested'}`, { group: group.name }),
      );
    } catch (error) {
      return groupPage(request, reply.code(422), slug, {
        errors: govukError('note', refusal(request.t, error)),
        values: parsed.data,
      });
    }
    return reply.redirect(p.group({ slug }), 303);
  });

  app.post<{ Params: Params }>(p.leave.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    try {
      const group = await communities.leave(userOf(request), actorOf(request), slug);
      reply.flash(request.t('communities.group.left', { group: group.name }));
    } catch (error) {
      return groupPage(request, reply.code(422), slug, {
        errors: govukError('leave', refusal(request.t, error)),
      });
    }
    return reply.redirect(p.group({ slug }), 303);
  });

  // Moderators: members and requests, roles, flagged posts.

  const membersPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    extra: Body = {},
  ) => {
    const data = await communities.members(userOf(request), slug);
    const side = (kinds: string[]) => request.t(`communities.sides.${sideOf(kinds)}`);
    return view(reply, 'members.njk', {
      ...data,
      pending: data.pending.map((r) => ({ ...r, side: side(r.kinds) })),
      active: data.active.map((r) => ({ ...r, side: side(r.kinds) })),
      ...extra,
    });
  };

  app.get<{ Params: Params }>(p.members.pattern, { preHandler: requireSignIn }, (request, reply) =>
    membersPage(request, reply, request.params.slug!),
  );

  app.post<{ Params: Params }>(
    p.decideMember.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const { slug, memberId } = request.params as { slug: string; memberId: string };
      const { decision } = parseHidden(DecideMemberForm, request.body);
      const person = await communities.decideMember(
        userOf(request),
        actorOf(request),
        slug,
        memberId,
        decision,
      );
      reply.flash(
        request.t(`communities.members.${decision === 'approve' ? 'approved' : 'declined'}`, {
          name: person?.displayName ?? '',
        }),
      );
      return reply.redirect(p.members({ slug }), 303);
    },
  );

  app.post<{ Params: Params }>(
    p.memberRole.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const { slug, memberId } = request.params as { slug: string; memberId: string };
      const { role } = parseHidden(RoleForm, request.body);
      try {
        await communities.setRole(userOf(request), actorOf(request), slug, memberId, role);
      } catch (error) {
        return membersPage(request, reply.code(422), slug, {
          errors: govukError('members', refusal(request.t, error)),
        });
      }
      reply.flash(request.t('communities.members.roleChanged'));
      return reply.redirect(p.members({ slug }), 303);
    },
  );

  app.get<{ Params: Params }>(p.flags.pattern, { preHandler: requireSignIn }, async (request, reply) =>
    view(reply, 'flags.njk', await communities.flags(userOf(request), request.params.slug!)),
  );

  app.post<{ Params: Params }>(
    p.resolveFlag.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const { decision } = parseHidden(ResolveFlagForm, request.body);
      const group = await communities.resolveFlag(
        userOf(request),
        actorOf(request),
        request.params.flagId!,
        decision,
      );
      reply.flash(request.t(`communities.flags.${decision}`));
      return reply.redirect(p.flags({ slug: group.slug }), 303);
    },
  );

  // Discussions.

  const newThreadPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    extra: Body = {},
  ) => {
    const data = await communities.group(request.currentUser, slug);
    if (!data.can.post) throw new ForbiddenError('Members only');
    return view(reply, 'thread-form.njk', { group: data.group, values: {}, ...extra });
  };

  app.get<{ Params: Params }>(p.newThread.pattern, { preHandler: requireSignIn }, (request, reply) =>
    newThreadPage(request, reply, request.params.slug!),
  );

  app.post<{ Params: Params }>(p.newThread.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    const parsed = parseForm(ThreadForm, request.body, request.t);
    if (!parsed.success)
      return newThreadPage(request, reply.code(422), slug, { errors: parsed.errors, values: parsed.values });
    const thread = await communities.startThread(userOf(request), actorOf(request), slug, parsed.data);
    reply.flash(request.t('communities.thread.started'));
    return reply.redirect(p.thread({ id: thread.id }), 303);
  });

  const threadPage = async (request: FastifyRequest, reply: FastifyReply, id: string, extra: Body = {}) => {
    const data = await communities.thread(request.currentUser, id);
    const replyTo = String(
      (request.query as Params | undefined)?.replyTo ?? (extra.values as Body)?.parentId ?? '',
    );
    const parent = data.posts.find((post) => post.id === replyTo) ?? null;
    return view(reply, 'thread.njk', { ...data, parent, values: {}, ...extra });
  };

  app.get<{ Params: Params }>(p.thread.pattern, { preHandler: requireSignIn }, (request, reply) =>
    threadPage(request, reply, request.params.id!),
  );

  app.post<{ Params: Params }>(p.reply.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const id = request.params.id!;
    const parsed = parseForm(ReplyForm, request.body, request.t);
    if (!parsed.success)
      return threadPage(request, reply.code(422), id, { errors: parsed.errors, values: parsed.values });
    try {
      const post = await communities.reply(userOf(request), actorOf(request), id, parsed.data);
      reply.flash(request.t('communities.thread.replied'));
      return reply.redirect(`${p.thread({ id })}#post-${post.id}`, 303);
    } catch (error) {
      return threadPage(request, reply.code(422), id, {
        errors: govukError('body', refusal(request.t, error)),
        values: parsed.data,
      });
    }
  });

  app.post<{ Params: Params }>(p.lock.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const { action } = parseHidden(LockForm, request.body);
    const thread = await communities.lock(userOf(request), actorOf(request), request.params.id!, action);
    reply.flash(request.t(`communities.thread.${action === 'lock' ? 'lockedDone' : 'unlockedDone'}`));
    return reply.redirect(p.thread({ id: thread.id }), 303);
  });

  app.post<{ Params: Params }>(p.hide.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const { action, reason } = parseHidden(HideForm, request.body);
    const postId = request.params.postId!;
    const thread = await communities.hide(userOf(request), actorOf(request), postId, action, reason);
    reply.flash(request.t(`communities.thread.${action === 'hide' ? 'hiddenDone' : 'shownDone'}`));
    return reply.redirect(`${p.thread({ id: thread.id })}#post-${postId}`, 303);
  });

  const flagPage = async (request: FastifyRequest, reply: FastifyReply, postId: string, extra: Body = {}) =>
    view(reply, 'flag.njk', {
      ...(await communities.postForFlag(userOf(request), postId)),
      values: {},
      ...extra,
    });

  app.get<{ Params: Params }>(p.flag.pattern, { preHandler: requireSignIn }, (request, reply) =>
    flagPage(request, reply, request.params.postId!),
  );

  app.post<{ Params: Params }>(p.flag.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const postId = request.params.postId!;
    const parsed = parseForm(FlagForm, request.body, request.t);
    if (!parsed.success)
      return flagPage(request, reply.code(422), postId, { errors: parsed.errors, values: parsed.values });
    const { thread } = await communities.flag(userOf(request), actorOf(request), postId, parsed.data.reason);
    reply.flash(request.t('communities.flag.done'));
    return reply.redirect(p.thread({ id: thread.id }), 303);
  });

  // Events.

  app.get(p.events.pattern, async (request, reply) =>
    view(reply, 'events.njk', {
      events: await communities.events(request.currentUser),
      feedUrl: `${deps.config.BASE_URL}${p.api.feed()}`,
    }),
  );

  /** The event form (adding or changing): what was typed when there is any, else `defaults`. */
  const eventForm = (reply: FastifyReply, page: Body, extra: Body, defaults: Body) => {
    const values = (extra.values as Body | undefined) ?? defaults;
    const part = (name: string) => String(values[`date-${name}`] ?? '');
    return view(reply, 'event-form.njk', {
      ...page,
      ...extra,
      values,
      date: { day: part('day'), month: part('month'), year: part('year') },
    });
  };

  const eventFormPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    extra: Body = {},
  ) => {
    const data = await communities.group(request.currentUser, slug);
    if (!data.can.manageEvents) throw new ForbiddenError('Moderators only');
    return eventForm(reply, { group: data.group }, extra, { mode: 'in_person', visibility: 'public' });
  };

  app.get<{ Params: Params }>(p.newEvent.pattern, { preHandler: requireSignIn }, (request, reply) =>
    eventFormPage(request, reply, request.params.slug!),
  );

  app.post<{ Params: Params }>(p.newEvent.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    const body = joinDateFields((request.body ?? {}) as Body, ['date']);
    const parsed = parseForm(EventForm, body, request.t);
    if (!parsed.success)
      return eventFormPage(request, reply.code(422), slug, { errors: parsed.errors, values: parsed.values });
    try {
      const event = await communities.createEvent(userOf(request), actorOf(request), slug, parsed.data);
      reply.flash(request.t('communities.eventForm.created'));
      return reply.redirect(p.event({ id: event.id }), 303);
    } catch (error) {
      return eventFormPage(request, reply.code(422), slug, {
        errors: govukError('date', refusal(request.t, error)),
        values: body,
      });
    }
  });

  // Changing an event (organisers): capacity changes keep the registrations and the waiting list right.

  const editEventPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Body = {},
  ) => {
    const data = await communities.eventForEdit(userOf(request), id);
    const group = { name: data.event.groupName, slug: data.event.groupSlug };
    return eventForm(reply, { ...data, group, editing: true }, extra, data.values);
  };

  app.get<{ Params: Params }>(p.editEvent.pattern, { preHandler: requireSignIn }, (request, reply) =>
    editEventPage(request, reply, request.params.id!),
  );

  app.post<{ Params: Params }>(p.editEvent.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const id = request.params.id!;
    const body = joinDateFields((request.body ?? {}) as Body, ['date']);
    const parsed = parseForm(EventForm, body, request.t);
    if (!parsed.success)
      return editEventPage(request, reply.code(422), id, { errors: parsed.errors, values: parsed.values });
    try {
      const { promoted } = await communities.editEvent(userOf(request), actorOf(request), id, parsed.data);
      reply.flash(
        promoted
          ? request.t('communities.eventForm.updatedPromoted', { count: promoted })
          : request.t('communities.eventForm.updated'),
      );
      return reply.redirect(p.event({ id }), 303);
    } catch (error) {
      const field =
        error instanceof CommunityRefusal && error.reason === 'capacityBelowRegistered' ? 'capacity' : 'date';
      return editEventPage(request, reply.code(422), id, {
        errors: govukError(field, refusal(request.t, error)),
        values: body,
      });
    }
  });

  const eventPage = async (request: FastifyRequest, reply: FastifyReply, id: string, extra: Body = {}) =>
    view(reply, 'event.njk', { ...(await communities.event(request.currentUser, id)), values: {}, ...extra });

  app.get<{ Params: Params }>(p.event.pattern, (request, reply) =>
    eventPage(request, reply, request.params.id!),
  );

  /**
   * An action on an event from a button on its page (register, cancel a registration, cancel the event):
   * the service call, then a message and back to the event; a refusal re-renders the event page (422).
   */
  const eventAction = (
    pattern: string,
    run: (user: ReturnType<typeof userOf>, actor: ReturnType<typeof actorOf>, id: string) => Promise<string>,
  ) =>
    app.post<{ Params: Params }>(pattern, { preHandler: requireSignIn }, async (request, reply) => {
      const id = request.params.id!;
      try {
        reply.flash(request.t(await run(userOf(request), actorOf(request), id)));
      } catch (error) {
        return eventPage(request, reply.code(422), id, {
          errors: govukError('register', refusal(request.t, error)),
        });
      }
      return reply.redirect(p.event({ id }), 303);
    });
  eventAction(
    p.register.pattern,
    async (user, actor, id) => `communities.event.${await communities.register(user, actor, id)}`,
  );
  eventAction(p.cancelRegistration.pattern, async (user, actor, id) => {
    await communities.cancelRegistration(user, actor, id);
    return 'communities.event.cancelled';
  });
  eventAction(p.cancelEvent.pattern, async (user, actor, id) => {
    await communities.cancelEvent(user, actor, id);
    return 'communities.event.eventCancelled';
  });

  app.post<{ Params: Params }>(p.notes.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const id = request.params.id!;
    const parsed = parseForm(NotesForm, request.body, request.t);
    if (!parsed.success)
      return eventPage(request, reply.code(422), id, { errors: parsed.errors, values: parsed.values });
    try {
      await communities.publishNotes(userOf(request), actorOf(request), id, parsed.data.notes);
    } catch (error) {
      return eventPage(request, reply.code(422), id, {
        errors: govukError('notes', refusal(request.t, error)),
        values: parsed.data,
      });
    }
    reply.flash(request.t('communities.event.notesSaved'));
    return reply.redirect(p.event({ id }), 303);
  });

  app.get<{ Params: Params }>(p.eventIcs.pattern, async (request, reply) => {
    const ics = await communities.eventIcs(request.currentUser, request.params.id!);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', 'attachment; filename="event.ics"')
      .send(ics);
  });
}
