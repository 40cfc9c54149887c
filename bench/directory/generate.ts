/**
 * Generates civil society organisations for benchmarks: 200,000 by default, deterministically (the same seed
 * gives the same names, places, sizes, areas and identifiers), in batched `insert … select unnest(…)`
 * statements of 10,000 rows, so the whole set loads in well under a minute on PostgreSQL.
 *
 *   node --import tsx bench/directory/generate.ts postgres://postgres@127.0.0.1:5432/covenant_bench [count]
 *
 * The database must be migrated and hold the reference bodies (councils give each organisation its local
 * authority, nation and region); `bench/directory/search.ts` does all of that for you. Generated records
 * have `source = 'demo'`, slugs `bench-…` and identifiers in ranges no real register has issued
 * (England and Wales 5000000+, Scotland SC500000+, companies 70000000+).
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createRng, type Rng } from '../../src/modules/analysis/core/prng.ts';
import { areasOfWork, incomeBands } from '../../src/modules/directory/directory.taxonomy.ts';

const BATCH = 10_000;

export const places = [
  'Abbey',
  'Ashford',
  'Bankside',
  'Barton',
  'Bramley',
  'Brookfield',
  'Castle',
  'Cedar',
  'Chapel',
  'Clifton',
  'Crossgates',
  'Dale',
  'Eastfield',
  'Elmwood',
  'Fairview',
  'Fernhill',
  'Greenside',
  'Harbour',
  'Hawthorn',
  'Highfield',
  'Hillside',
  'Kingsway',
  'Lakeside',
  'Meadow',
  'Millbrook',
  'Moorside',
  'Newtown',
  'Northgate',
  'Oakwood',
  'Parkside',
  'Priory',
  'Queensway',
  'Riverside',
  'Rosehill',
  'Southgate',
  'Springfield',
  'Stonebridge',
  'Thornbury',
  'Valley',
  'Westfield',
  'Willow',
  'Woodlands',
];
export const purposes = [
  'Food Bank',
  'Youth Project',
  'Carers Network',
  'Refugee Welcome',
  'Community Transport',
  'Mental Health Forum',
  'Housing Advice Centre',
  'Arts Collective',
  'Older People’s Forum',
  'Environmental Trust',
  'Credit Union',
  'Sports Club',
  'Women’s Aid',
  'Autism Support',
  'Playgroup',
  'Men’s Shed',
  'Heritage Society',
  'Choir',
  'Tenants Association',
  'Befriending Service',
  'Debt Advice',
  'Community Garden',
  'Lunch Club',
  'Hospice',
];
const forms = ['', 'Trust', 'Association', 'CIC', 'Network', 'Partnership', 'Foundation', 'Group', 'Society'];

export interface LocalAuthority {
  gss: string;
  nation: string | null;
  region: string | null;
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

/** Inserts `count` organisations (and about 0.8 identifiers each) through `client`. Returns the seconds taken. */
export async function generateOrganisations(
  client: pg.ClientBase,
  count = 200_000,
  seed = 42,
): Promise<number> {
  const started = performance.now();
  const { rows: las } = await client.query<LocalAuthority>(
    `select gss_code as gss, nation, region from organisations where gss_code is not null order by gss_code`,
  );
  if (las.length === 0) throw new Error('Load the reference bodies first (covenant seed --reference)');
  const rng = createRng(seed);
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const cols = {
      id: [] as string[],
      slug: [] as string[],
      name: [] as string[],
      nation: [] as (string | null)[],
      region: [] as (string | null)[],
      la: [] as string[],
      income: [] as string[],
      areas: [] as string[],
    };
    const ids = { org: [] as string[], scheme: [] as string[], value: [] as string[], orgId: [] as string[] };
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const la = pick(rng, las);
      const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      const form = pick(rng, forms);
      const name = `${pick(rng, places)} ${pick(rng, purposes)}${form ? ` ${form}` : ''} ${i + 1}`;
      const a = pick(rng, areasOfWork);
      const b = pick(rng, areasOfWork);
      cols.id.push(id);
      cols.slug.push(`bench-${i + 1}`);
      cols.name.push(name);
      cols.nation.push(la.nation);
      cols.region.push(la.region);
      cols.la.push(la.gss);
      cols.income.push(incomeBands[Math.min(5, Math.floor(rng() ** 2 * 6))]!);
      cols.areas.push(`{${[...new Set([a, b])].join(',')}}`);
      const r = rng();
      if (r < 0.55 || (r < 0.8 && la.nation !== 'scotland')) {
        const scot = la.nation === 'scotland';
        const value = scot ? `SC${String(500000 + i).padStart(6, '0')}` : String(5000000 + i);
        ids.org.push(id);
        ids.scheme.push(scot ? 'GB-SC' : 'GB-CHC');
        ids.value.push(value);
        ids.orgId.push(scot ? `GB-SC-${value}` : `GB-CHC-${value}`);
      }
      if (r > 0.7) {
        const value = String(70000000 + i);
        ids.org.push(id);
        ids.scheme.push('GB-COH');
        ids.value.push(value);
        ids.orgId.push(`GB-COH-${value}`);
      }
    }
    await client.query(
      `insert into organisations (id, slug, name, kind, nation, region, local_authority_gss, income_band,
         areas_of_work, source)
       select id, slug, name, 'cso', nation, region, la, income, areas::text[], 'demo'
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         as t(id, slug, name, nation, region, la, income, areas)`,
      [cols.id, cols.slug, cols.name, cols.nation, cols.region, cols.la, cols.income, cols.areas],
    );
    await client.query(
      `insert into organisation_identifiers (organisation_id, scheme, value, org_id)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [ids.org, ids.scheme, ids.value, ids.orgId],
    );
  }
  await client.query('analyze organisations');
  await client.query('analyze organisation_identifiers');
  return (performance.now() - started) / 1000;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, count] = process.argv.slice(2);
  if (!url) {
    console.error('Usage: node --import tsx bench/directory/generate.ts postgres://… [count]');
    process.exit(2);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const seconds = await generateOrganisations(client, count ? Number(count) : undefined);
  console.log(`Generated ${count ?? 200_000} organisations in ${seconds.toFixed(1)} s`);
  await client.end();
}
