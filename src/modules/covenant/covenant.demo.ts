/**
 * Demo data for the Covenant: the reference text (always), two sub-covenants with officers, and signatures
 * for the first demo organisations the directory created (and the demo CSO administrator's, with its review
 * due), so every Covenant page has something to show.
 * Deterministic: no randomness beyond new paragraph keys, which demo data does not create.
 */
import type { Deps } from '../../container.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { organisations } from '../directory/directory.tables.ts';
import { ensureCovenantReference } from './covenant.seed.ts';
import { reviewDueOn } from './covenant.keys.ts';
import { asc, eq } from 'drizzle-orm';

export async function seedCovenantDemo(deps: Deps): Promise<string[]> {
  const { db, clock, covenant } = deps;
  await ensureCovenantReference(db, clock);
  const repo = covenant.repo;
  if ((await repo.listSubCovenants()).length > 0) return [];
  const mission = await repo.insertSubCovenant({
    slug: 'safer-streets-mission',
    kind: 'mission',
    title: 'Safer streets mission sub-covenant',
    summary: 'How government and civil society work together on the safer streets mission.',
    mission: 'safer_streets',
  });
  const local = await repo.insertSubCovenant({
    slug: 'leeds-local-covenant-partnership',
    kind: 'local',
    title: 'Leeds local covenant partnership agreement',
    summary: 'Leeds City Council and the voluntary, community and faith sector in Leeds.',
    areaName: 'Leeds City Council',
    areaCode: 'E08000035',
  });
  const partnership = await repo.principleBySlug('partnership-and-collaboration');
  await repo.insertCommitment({
    code: 'LDS-G1',
    principleId: partnership!.id,
    subCovenantId: local.id,
    side: 'government',
    text: 'Open every grant round at least 8 weeks before it closes, and publish who was funded.',
    source: 'Leeds local covenant partnership agreement (demo)',
    position: 1,
  });
  await repo.insertOfficer({
    subCovenantId: local.id,
    name: 'Local accountable officer (demo)',
    role: 'Director of Communities',
    contactRoute: 'covenant@leeds.example.org',
  });
  await repo.insertOfficer({
    subCovenantId: mission.id,
    name: 'Senior responsible officer (demo)',
    role: 'Director, Safer Streets Mission',
    contactRoute: 'https://www.gov.uk/contact',
  });
  // Signatures for the first few organisations of each kind the directory's demo made.
  const orgs = await db.get().select().from(organisations).orderBy(asc(organisations.slug)).limit(400);
  const pledges = await repo.listPledges();
  const chosen = [
    ...orgs.filter((o) => o.kind === 'cso').slice(0, 6),
    ...orgs.filter((o) => o.kind === 'public_body').slice(0, 3),
  ];
  // The demo CSO administrator's organisation signed 13 months ago and has not reviewed its pledges yet, so
  // the yearly review (the reminder and /covenant/reviews) has something to show.
  const riverside = await db
    .get()
    .select()
    .from(organisations)
    .where(eq(organisations.slug, 'riverside-community-trust'));
  if (riverside[0] && !chosen.some((o) => o.id === riverside[0]!.id)) chosen.push(riverside[0]);
  for (const [i, org] of chosen.entries()) {
    const daysAgo = org.slug === 'riverside-community-trust' ? 400 : (i + 1) * 29;
    const signedAt = new Date(clock.now().getTime() - daysAgo * 86_400_000);
    const signature = await repo.insertSignature({
      organisationId: org.id,
      subCovenantId: i === 0 ? local.id : null,
      signatoryName: 'Demo signatory',
      signatoryRole: org.kind === 'cso' ? 'Chief Executive' : 'Permanent Secretary',
      signedAt,
      reviewDueOn: reviewDueOn(signedAt),
    });
    const bank = pledges.filter(
      (p) => p.side === (org.kind === 'cso' ? 'civil_society' : 'government') || p.side === 'both',
    );
    await repo.insertSignaturePledges(
      bank
        .slice(0, 2)
        .map((p, n) => ({ signatureId: signature.id, pledgeId: p.id, text: p.text, position: n + 1 })),
    );
  }
  await deps.audit.record(systemActor, { action: 'covenant.demo_loaded', entityType: 'covenant' });
  return [`Covenant: 2 sub-covenants, ${chosen.length} signatures`];
}
