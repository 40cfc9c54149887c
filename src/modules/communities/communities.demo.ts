/**
 * Demo communities of practice (issue 9, item 2): an open group on commissioning and grants, moderated from
 * both sides (the Leeds officer and the Riverside charity administrator), and a by-request group on youth
 * and volunteering; discussions with threaded replies; upcoming events (one in person with places, one
 * online and full with a waiting list, one for members only) and a past meeting with its published notes.
 * The demo charity member belongs to no group, so the journey "join, post, register" can be tried at once.
 * Dates follow the clock. Rows are written straight to the tables: no emails for made-up history.
 */
import type { Deps } from '../../container.ts';
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { londonTimeToUtc } from './communities.rules.ts';

const MINUTE = 60_000;

export async function seedCommunitiesDemo(deps: Deps): Promise<string[]> {
  const { accountsRepository: accounts, communities, clock } = deps;
  const repo = communities.repo;
  const now = clock.now();
  const person = async (email: string) => (await accounts.findUserByEmail(email))?.id;
  const officer = await person('body.officer@demo.covenant-hub.local');
  const lead = await person('body.lead@demo.covenant-hub.local');
  const csoAdmin = await person('cso.admin@demo.covenant-hub.local');
  const intermediary = await person('intermediary@demo.covenant-hub.local');
  if (!officer || !lead || !csoAdmin || !intermediary) return [];

  const at = (days: number, time: string) => londonTimeToUtc(addCalendarDays(toUkIsoDate(now), days), time)!;
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);

  const grants = await repo.insertGroup({
    slug: 'commissioning-and-grants',
    name: 'Commissioning and grants practice',
    description:
      'For commissioners, grant managers and the charities they fund: how to run fair, light-touch funding, share risk and pay on time, as the Covenant asks.\nOpen to anyone from civil society or a public body.',
    joinPolicy: 'open',
    createdBy: officer,
  });
  const youth = await repo.insertGroup({
    slug: 'youth-and-volunteering',
    name: 'Youth work and volunteering across sectors',
    description:
      'A smaller group for people who run youth and volunteering programmes, in charities and in councils. Members share safeguarding practice and plans in confidence, so a moderator approves each request.',
    joinPolicy: 'request',
    createdBy: csoAdmin,
  });
  const member = (groupId: string, userId: string, role: 'member' | 'moderator' = 'member') =>
    repo.insertMember({ groupId, userId, role, status: 'active', decidedAt: ago(60 * 24 * 30) });
  await member(grants.id, officer, 'moderator');
  await member(grants.id, csoAdmin, 'moderator');
  await member(grants.id, lead);
  await member(grants.id, intermediary);
  await member(youth.id, csoAdmin, 'moderator');
  await member(youth.id, intermediary);

  // Discussions, with a threaded reply to a reply.
  const thread = async (groupId: string, title: string, posts: [string, string, number, number?][]) => {
    const t = await repo.insertThread({
      groupId,
      title,
      authorId: posts[0]![0],
      lastPostAt: ago(posts.at(-1)![2]),
    });
    const ids: string[] = [];
    for (const [authorId, body, minutesAgo, parent] of posts) {
      const post = await repo.insertPost({
        threadId: t.id,
        authorId,
        body,
        parentId: parent === undefined ? null : ids[parent]!,
        createdAt: ago(minutesAgo),
      });
      ids.push(post.id);
    }
    return t;
  };
  await thread(grants.id, 'Paying grants in advance: what has worked for you?', [
    [
      csoAdmin,
      'Our council funder moved to paying each quarter in advance this year, and it has changed how we plan. Has anyone else made the case for this? What did the finance team need to hear?',
      60 * 24 * 6,
    ],
    [
      officer,
      'In Leeds the finance team wanted to see the risk: we agreed a short check at each quarter instead of full monitoring returns. Happy to share the template.',
      60 * 24 * 5,
      0,
    ],
    [csoAdmin, 'That would be really helpful, thank you. Could you post it here?', 60 * 24 * 5 - 90, 1],
    [
      intermediary,
      'Our members say the same: late payment is the biggest single pressure. A short guide from this group would help a lot of small charities.',
      60 * 24 * 3,
    ],
  ]);
  await thread(grants.id, 'Light-touch monitoring for small grants', [
    [
      lead,
      'We are reviewing monitoring for grants under £10,000. What is the least we could ask for and still learn something useful?',
      60 * 24 * 2,
    ],
    [
      csoAdmin,
      'A one-page story of change and the numbers you already count. Please do not ask for new data just for the funder.',
      60 * 20,
      0,
    ],
  ]);
  await thread(youth.id, 'Safeguarding training for mixed teams', [
    [
      intermediary,
      'When council staff and charity volunteers run sessions together, whose safeguarding policy applies? How have you handled it?',
      60 * 24 * 4,
    ],
  ]);

  // Events: in person with places; online and full, with a waiting list; members only; and one past.
  const event = (values: Omit<Parameters<typeof repo.insertEvent>[0], 'createdBy' | 'updatedAt'>) =>
    repo.insertEvent({ ...values, createdBy: officer, updatedAt: now });
  const workshop = await event({
    groupId: grants.id,
    title: 'Fair funding workshop, Leeds',
    description:
      'A morning on the Covenant’s funding commitments: paying on time, full cost recovery and proportionate monitoring. Commissioners and charities together, with case studies from both sides.',
    mode: 'in_person',
    location: 'Leeds Civic Hall, Calverley Street, Leeds LS1 1UR',
    startsAt: at(14, '10:00'),
    endsAt: at(14, '12:30'),
    capacity: 30,
    visibility: 'public',
  });
  const webinar = await event({
    groupId: grants.id,
    title: 'Online clinic: writing a fair grant agreement',
    description:
      'A small online clinic. Bring a grant agreement (yours or a funder’s) and work through it together.',
    mode: 'online',
    location: 'Microsoft Teams',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/demo-fair-grant-agreement',
    startsAt: at(7, '14:00'),
    endsAt: at(7, '15:00'),
    capacity: 2,
    visibility: 'public',
  });
  await event({
    groupId: youth.id,
    title: 'Members’ meeting: safeguarding in joint sessions',
    description: 'For members of the group only: we will agree a short shared approach.',
    mode: 'online',
    location: 'Zoom',
    joinUrl: 'https://zoom.us/j/0000000000',
    startsAt: at(10, '18:00'),
    endsAt: at(10, '19:00'),
    capacity: 15,
    visibility: 'members',
  });
  const past = await event({
    groupId: grants.id,
    title: 'Launch meeting of the group',
    description: 'The first meeting: what members want from the group.',
    mode: 'in_person',
    location: 'Riverside Community Trust, 12 Mill Lane, Leeds LS9 8AB',
    startsAt: at(-21, '10:00'),
    endsAt: at(-21, '11:30'),
    capacity: 25,
    visibility: 'public',
    notes:
      'Eighteen people came, ten from charities and eight from public bodies.\nAgreed: the group will write a short guide to paying grants in advance, led by Olu and Sam.\nNext meeting: the fair funding workshop in Leeds.',
    notesPublishedAt: at(-20, '09:00'),
  });
  const register = (eventId: string, userId: string, status: 'registered' | 'waiting', minutesAgo: number) =>
    repo.insertRegistration({ eventId, userId, status, queuedAt: ago(minutesAgo) });
  await register(workshop.id, csoAdmin, 'registered', 600);
  await register(workshop.id, lead, 'registered', 500);
  await register(workshop.id, intermediary, 'registered', 400);
  await register(webinar.id, csoAdmin, 'registered', 300);
  await register(webinar.id, lead, 'registered', 200);
  await register(webinar.id, intermediary, 'waiting', 100);
  await register(past.id, csoAdmin, 'registered', 60 * 24 * 30);
  await register(past.id, officer, 'registered', 60 * 24 * 30);

  return [
    `Communities: 2 groups, 3 discussions, 4 events (one full with a waiting list, one past with notes)`,
  ];
}
