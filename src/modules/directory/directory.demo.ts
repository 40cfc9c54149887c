/**
 * Demo directory: the reference bodies (as in every database) plus 40 made-up civil society organisations
 * and a few bodies' accountable leads. Deterministic, so screenshots and tests see the same data.
 *
 * Demo identifiers are valid in format but drawn from ranges chosen not to be real charities: England and
 * Wales numbers 1999000–1999039 (beyond the numbers issued so far), Scottish SC099000+, NI NIC199000+, and
 * company numbers 09999000+. Names end in "(demo)" so nobody mistakes them for real organisations.
 */
import type { Deps } from '../../container.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { csoColumns } from './directory.import.ts';
import { areasOfWork, incomeBands } from './directory.taxonomy.ts';

const places = [
  { gss: 'E08000035', nation: 'england', word: 'Leeds' },
  { gss: 'E06000001', nation: 'england', word: 'Hartlepool' },
  { gss: 'W06000015', nation: 'wales', word: 'Cardiff' },
  { gss: 'S12000049', nation: 'scotland', word: 'Glasgow' },
  { gss: 'N09000003', nation: 'northern-ireland', word: 'Belfast' },
  { gss: 'E09000033', nation: 'england', word: 'Westminster' },
  { gss: 'E08000025', nation: 'england', word: 'Birmingham' },
  { gss: 'E06000023', nation: 'england', word: 'Bristol' },
] as const;
const purposes = [
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
];

/** The demo CSO file, as CSV text in the import's own format (so the demo exercises the real import). */
export function demoCsoCsv(count = 40): string {
  const lines: string[] = [csoColumns.join(',')];
  for (let i = 0; i < count; i++) {
    const place = places[i % places.length]!;
    const purpose = purposes[i % purposes.length]!;
    const name = `${place.word} ${purpose} (demo)`;
    let charity = '';
    if (place.nation === 'scotland') charity = `SC${String(99000 + i).padStart(6, '0')}`;
    else if (place.nation === 'northern-ireland') charity = `NIC${199000 + i}`;
    else if (i % 5 !== 4) charity = String(1999000 + i);
    const company = i % 3 === 0 ? String(9999000 + i).padStart(8, '0') : '';
    const areas = [areasOfWork[i % areasOfWork.length], areasOfWork[(i * 7 + 3) % areasOfWork.length]];
    lines.push(
      [
        name,
        charity,
        '',
        company,
        incomeBands[i % 5],
        place.nation,
        '',
        place.gss,
        [...new Set(areas)].join(';'),
      ]
        .map((f) => (f && /[,"]/.test(f) ? `"${f.replaceAll('"', '""')}"` : (f ?? '')))
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function seedDirectoryDemo(deps: Deps): Promise<string[]> {
  const reference = await deps.directory.importReferenceBodies();
  const { plan } = await deps.directory.importCsos(
    systemActor,
    new TextEncoder().encode(demoCsoCsv()),
    'demo',
  );
  const now = deps.clock.now();
  const eightMonthsAgo = new Date(now.getTime() - 240 * 86_400_000);
  const leads: [
    string,
    'ministerial' | 'senior_civil_service' | 'local_accountable_officer',
    string,
    string,
    Date,
  ][] = [
    [
      'department-for-culture-media-and-sport',
      'ministerial',
      'Demo Minister',
      'Minister for Civil Society',
      now,
    ],
    [
      'department-for-culture-media-and-sport',
      'senior_civil_service',
      'Demo Director',
      'Director, Civil Society',
      now,
    ],
    [
      'leeds-city-council',
      'local_accountable_officer',
      'Demo Officer',
      'Head of Communities',
      eightMonthsAgo,
    ],
  ];
  for (const [slug, role, name, roleTitle, confirmedAt] of leads) {
    const body = await deps.directoryRepository.findBySlug(slug);
    if (!body) continue;
    await deps.directoryRepository.upsertLead(
      body.id,
      role,
      { name, roleTitle, contactEmail: `covenant-leads@${slug}.example.gov.uk`, contactUrl: null },
      confirmedAt,
      true,
    );
  }
  return [
    `Directory: ${reference.inserted} public bodies, ${plan.counts.new} demo civil society organisations, ${leads.length} leads`,
  ];
}
