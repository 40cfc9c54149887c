/**
 * Demo data for the resource library (issue 9, item 1): the starting set (resources.seed.ts) owned by the
 * demo administrator, with three things to try at once: a resource whose review is overdue (the daily
 * task will email its owner), one with a second version and its change note, and a draft only the
 * Covenant team can see. Dates follow the clock. Rows are written straight to the tables: no emails.
 */
import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../container.ts';
import { addCalendarMonths, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { ensureResourceLibrary, resourceSeeds } from './resources.seed.ts';
import { resources, resourceVersions } from './resources.tables.ts';

export const DEMO_OVERDUE_SLUG = 'multi-year-funding';
export const DEMO_VERSIONED_SLUG = 'notice-before-funding-ends';
export const DEMO_DRAFT_SLUG = 'working-with-local-covenant-partnerships';

export async function seedResourcesDemo(deps: Deps): Promise<string[]> {
  const { db, clock, accountsRepository: accounts } = deps;
  const admin = await accounts.findUserByEmail('admin@demo.covenant-hub.local');
  if (!admin) return [];
  if (!(await ensureResourceLibrary(db, clock, { ownerId: admin.id }))) return [];
  const repo = deps.resources.repo;
  const now = clock.now();
  const today = toUkIsoDate(now);

  // Reviewed 13 months ago on a 12-month cycle: a month overdue.
  await db
    .get()
    .update(resources)
    .set({ lastReviewedOn: addCalendarMonths(today, -13) })
    .where(eq(resources.slug, DEMO_OVERDUE_SLUG));

  // A second version: the first lacked the section on exceptional circumstances.
  const versioned = (await repo.findBySlug(DEMO_VERSIONED_SLUG))!;
  const firstBody = versioned.body.replace(/\n\n## Exceptional circumstances\n\n[^\n]+/, '');
  await db
    .get()
    .update(resourceVersions)
    .set({ body: firstBody, createdAt: new Date(now.getTime() - 40 * 86_400_000) })
    .where(and(eq(resourceVersions.resourceId, versioned.id), eq(resourceVersions.version, 1)));
  await repo.insertVersion({
    resourceId: versioned.id,
    version: 2,
    title: versioned.title,
    summary: versioned.summary,
    body: versioned.body,
    changeNote: 'Added what counts as exceptional circumstances, after questions from the communities group.',
    createdBy: admin.id,
  });
  await repo.update(versioned.id, { version: 2 });

  // A draft, not yet public.
  const draft = await repo.insert({
    slug: DEMO_DRAFT_SLUG,
    kind: 'guidance',
    title: 'Working with local covenant partnerships',
    summary: 'How councils and local civil society can agree a local covenant and keep it working.',
    body: '## Draft\n\nThis guide will explain how a local covenant partnership is set up: the partners, the local accountable officer, the forum it works through, and how its actions are reported.\n\n- Who should be involved\n- Agreeing a local covenant\n- Meetings, actions and reporting',
    audience: 'both',
    principles: ['partnership-and-collaboration'],
    commitments: ['PC-G1'],
    nations: ['england'],
    status: 'draft',
    version: 1,
    ownerId: admin.id,
    lastReviewedOn: today,
    updatedAt: now,
  });
  await repo.insertVersion({
    resourceId: draft.id,
    version: 1,
    title: draft.title,
    summary: draft.summary,
    body: draft.body,
    changeNote: 'First draft.',
    createdBy: admin.id,
  });

  return [
    `Resources: ${resourceSeeds.length + 1} (one review overdue, one with two versions, one draft)`,
  ];
}
