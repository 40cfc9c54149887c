import { openDatabase } from '../../src/platform/db/database.ts';
import { createDirectoryRepository } from '../../src/modules/directory/directory.repository.ts';
import { SearchQuery } from '../../src/modules/directory/directory.schema.ts';
import { kindsFor } from '../../src/modules/directory/directory.routes.ts';
const searches: Record<string, string>[] = [
  { q: 'food bank' }, { q: 'riverside' }, { q: 'leeds' }, { q: 'Department for Education' }, { q: 'E08000035' },
  { q: 'youth project', nation: 'wales' }, { q: 'mental health', kind: 'cso', income: 'small' }, { q: 'hosp' },
  { q: 'carers network trust' }, { kind: 'cso', nation: 'scotland' }, { kind: 'cso', area: 'housing', region: 'North West' },
  { type: 'local_authority' }, { kind: 'public_body', nation: 'england', page: '3' }, {}, { page: '5' }, { q: 'community', page: '2' },
  { q: 'community' }, { q: 'trust' }, { q: 'the' }, { q: 'a' }, { q: 'council' },
];
const db = await openDatabase({ url: 'postgres://postgres@127.0.0.1:5432/covenant_bench' });
const repo = createDirectoryRepository(db);
for (const s of searches) {
  const q = SearchQuery.parse(s);
  const params = { q: q.q, kinds: kindsFor(q), publicBodyType: q.type, nation: q.nation, region: q.region, incomeBand: q.income, areaOfWork: q.area, limit: 20, offset: (q.page - 1) * 20 };
  const times: number[] = []; let r;
  for (let i = 0; i < 5; i++) { const t0 = performance.now(); r = await repo.search(params); times.push(performance.now() - t0); }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify(s).padEnd(60), `median ${times[2]!.toFixed(1)} ms`, `total ${r!.total}${r!.totalCapped ? '+' : ''}`, r!.hits.slice(0, 3).map((h) => h.name).join(' | '));
}
await db.close();
