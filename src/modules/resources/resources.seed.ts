/**
 * The library's starting set, written for Covenant Hub in our own words: what each measurable standard
 * means in practice, how to use the front door, how to write an engagement action plan, a code of practice,
 * a template, a training module and an illustrative case study. Figures follow `reference/domain.md`
 * (§4.2 the Compact's undertakings, §5 the measurable standards); where the Covenant's own wording is not
 * confirmed, the text says what the Compact 2010 benchmark was and that the Covenant upholds it.
 *
 * Loaded into every fresh database by `ensureResourceLibrary` (start-up, after the Covenant text), which does
 * nothing once any resource exists: the Covenant team owns the library after that, through its pages.
 */
import type { Clock } from '../../platform/clock.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { Database } from '../../platform/db/database.ts';
import { standardSeeds } from '../covenant/covenant.seed.ts';
import { resources, resourceVersions, type Audience, type ResourceKind } from './resources.tables.ts';

export interface ResourceSeed {
  slug: string;
  kind: ResourceKind;
  title: string;
  summary: string;
  body: string;
  audience: Audience;
  principles: string[];
  commitments: string[];
  nations?: string[];
}

/** Tags of a measurable standard, taken from the registry's own seed so the two never disagree. */
function standardTags(code: string): Pick<ResourceSeed, 'principles' | 'commitments'> {
  const s = standardSeeds.find((x) => x.code === code);
  if (!s) throw new Error(`No standard ${code} in the registry seed`);
  return { principles: [s.principle], commitments: s.commitment ? [s.commitment] : [] };
}

const text = (...blocks: string[]) => blocks.join('\n\n');

export const resourceSeeds: ResourceSeed[] = [
  {
    slug: 'consultation-length-in-practice',
    kind: 'guidance',
    title: 'Consultation length: what 12 weeks means in practice',
    summary:
      'Why a formal written consultation should normally run for at least 12 weeks, when a shorter one is reasonable, and how to explain it.',
    audience: 'both',
    ...standardTags('C1'),
    body: text(
      '## The standard',
      'A formal written consultation runs for at least 12 weeks where that is appropriate. If it runs for less, the consultation document says why. This was the Compact’s benchmark from 2010, and Covenant Hub checks it as standard C1.',
      '## Why it matters',
      'Small charities and community groups often have one part-time member of staff, trustees who meet once a month, and members they need to ask before they answer. Twelve weeks gives them time to read the proposal, talk to the people they work with and send a considered reply. When the National Audit Office looked at government consultations in 2012, 40% ran for less than 12 weeks and more than half of those gave no reason.',
      '## What a public body should do',
      '- Decide the length when you plan the consultation, not when you publish it.',
      '- Count 12 weeks from the day the document is published to the closing date.',
      '- Avoid closing dates that fall in the summer holidays or at Christmas, or add the lost weeks.',
      '- If you need a shorter consultation, say why in the document itself, in plain words: for example a legal deadline or an urgent risk to people’s safety.',
      '- Tell civil society early that a consultation is coming, so they can plan.',
      '## What civil society can do',
      'If a consultation that affects you is shorter than 12 weeks and gives no reason, you can ask the body to extend it. If it will not, report it through the front door: Covenant Hub will record it against standard C1 and the body’s accountable lead will be asked to respond.',
      '## How Covenant Hub checks it',
      'Consultations are recorded with their opening and closing dates. The check flags any that ran for fewer than 84 days, and whether a reason was given. The results appear on each body’s scorecard.',
    ),
  },
  {
    slug: 'publishing-the-consultation-response',
    kind: 'guidance',
    title: 'Publishing the response to a consultation',
    summary:
      'People who answer a consultation should see what was heard and what changed. Aim to publish the response within 12 weeks of closing.',
    audience: 'public_body',
    ...standardTags('C3'),
    body: text(
      '## The standard',
      'The response to a consultation is published within 12 weeks of it closing, or the delay is explained. Covenant Hub checks this as standard C3.',
      '## What a good response contains',
      '- How many responses you received, and from what kinds of organisation.',
      '- The main points people made, including the ones you disagree with.',
      '- What you have decided, and what changed because of what you heard.',
      '- What did not change, and why.',
      '- What happens next, and when.',
      '## Explaining a delay',
      'Sometimes a decision takes longer, for example because it depends on a budget. If the response will be late, publish a short note before the 12 weeks are up saying when you expect to respond and why. That note counts as an explanation.',
      '## Why it matters',
      'People stop answering consultations when they never hear what happened. Showing how what civil society said shaped a decision is part of the Covenant’s commitment to transparency.',
    ),
  },
  {
    slug: 'notice-before-funding-ends',
    kind: 'guidance',
    title: 'Notice before funding ends or is cut',
    summary:
      'At least 3 months’ written notice before ending or reducing funding, with the reasons and enough detail to respond.',
    audience: 'both',
    ...standardTags('F1'),
    body: text(
      '## The standard',
      'When a public body ends or reduces funding or other support, it gives at least 3 months’ written notice, except in exceptional circumstances. The notice gives the reasons and enough detail for the organisation to respond. This was outcome 4 of the Compact 2010; Covenant Hub checks it as standard F1.',
      '## Why 3 months',
      'An organisation that loses funding may have to give staff notice, tell the people it supports, and find other money. Three months is the least time in which that can be done responsibly. Shorter notice often means services stop suddenly and people are left without support.',
      '## What good notice looks like',
      '- It is in writing, sent to the organisation’s named contact.',
      '- It says exactly what is changing: how much, from when.',
      '- It gives the reasons for the decision.',
      '- It says who to contact to discuss it and how to challenge it.',
      '- The 3 months are counted from the day the organisation receives the notice to the day the change takes effect.',
      '## Exceptional circumstances',
      'Exceptional circumstances are rare: for example, evidence of fraud or a risk to people’s safety. A budget decision made late is not an exceptional circumstance. If you give shorter notice, say why in the notice.',
      '## If you receive short notice',
      'Ask the funder to confirm the dates in writing and to extend the notice to 3 months. If it will not, report it through the front door. A template letter is in this library.',
    ),
  },
  {
    slug: 'full-cost-recovery',
    kind: 'guidance',
    title: 'Full cost recovery: paying a fair share of overheads',
    summary:
      'Organisations delivering public services may include a fair share of their running costs in the price.',
    audience: 'both',
    ...standardTags('F2'),
    body: text(
      '## The standard',
      'When a civil society organisation delivers a public service, the price can include a fair share of its overheads: the rent, finance, management, IT and governance that make the service possible. This principle has been in HM Treasury guidance to funders since 2006 and in the Compact; Covenant Hub records it as standard F2.',
      '## Why it matters',
      'If funders only pay for the direct costs of a service, the organisation pays for the rest from its reserves or from other donors. Over time that weakens the organisations public bodies rely on.',
      '## In practice, for funders',
      '- Allow an overhead line in every budget, and say so in the guidance for applicants.',
      '- Do not set an arbitrary cap, such as 10%, without looking at what the service really costs.',
      '- Judge value for money on the full cost, not on the lowest headline price.',
      '## In practice, for organisations',
      '- Know your full costs: work out what share of your overheads each service uses.',
      '- Show the overhead line clearly in your budget and explain how you worked it out.',
    ),
  },
  {
    slug: 'multi-year-funding',
    kind: 'guidance',
    title: 'Multi-year funding',
    summary:
      'Fund for several years where that is appropriate and good value. Three years has long been the norm.',
    audience: 'public_body',
    ...standardTags('F3'),
    body: text(
      '## The standard',
      'Funding runs for several years where that is appropriate and gives value for money. The Compact of 2009 and 2010 set three years as the norm. Covenant Hub checks the length of each recorded award as standard F3: 36 months or more meets it.',
      '## Why it matters',
      'One-year grants mean organisations spend part of every year applying again, cannot keep skilled staff, and cannot plan. The people they support feel the uncertainty too.',
      '## In practice',
      '- Start from three years for any service that is expected to continue, and record why if you choose less.',
      '- Agree in advance how the grant will be reviewed each year, so that a multi-year award stays accountable.',
      '- Where your own budget is only set a year at a time, say what you expect to fund in later years and give early notice of any change.',
    ),
  },
  {
    slug: 'no-anti-advocacy-clauses',
    kind: 'guidance',
    title: 'No anti-advocacy clauses in grants',
    summary:
      'Grant terms should not stop organisations from speaking to Parliament, government or the public about their cause.',
    audience: 'both',
    ...standardTags('A1'),
    body: text(
      '## The standard',
      'Grant terms do not make influencing Parliament, government or political parties ineligible spending. In 2016 the government proposed such a clause for all grants and then abandoned it. Covenant Hub checks grant terms for wording like it as standard A1.',
      '## Why it matters',
      'The Covenant asks government to respect the independence of civil society, including its right to campaign and to hold government to account whatever funding relationship exists. Organisations close to a problem are often the best placed to tell decision makers about it.',
      '## What to look for',
      'Clauses that say grant money must not be used for “activity intended to influence” Parliament, government or political parties, or for lobbying in general. Spending money on party political activity is a different matter: charity law already forbids it.',
      '## Check an agreement',
      'Use the clause checker in Covenant Hub: paste the text or upload the document and it will highlight wording that may break standards A1 to A3, with an explanation of each.',
    ),
  },
  {
    slug: 'policy-input-within-a-grant',
    kind: 'guidance',
    title: 'Policy input is allowed within a grant',
    summary:
      'Funded organisations may use what they learn to make evidence-based recommendations and answer consultations.',
    audience: 'both',
    ...standardTags('A2'),
    body: text(
      '## The standard',
      'A grant allows the organisation to make evidence-based policy recommendations and to respond to consultations. The government’s grant standards of December 2016 set this out. Covenant Hub records it as standard A2.',
      '## In practice',
      '- When writing a grant agreement, say plainly that responding to consultations and sharing evidence with government is allowed.',
      '- Treat evidence from funded organisations as valuable, including when it is critical of a policy.',
      '- Organisations: keep your evidence sound and say where it comes from and whose views it represents. The Covenant asks civil society to share expertise, evidence and local knowledge.',
    ),
  },
  {
    slug: 'no-gagging-clauses',
    kind: 'guidance',
    title: 'No gagging clauses in contracts',
    summary:
      'Contracts should not stop an organisation speaking publicly, for example by banning anything that “may attract adverse publicity”.',
    audience: 'both',
    ...standardTags('A3'),
    body: text(
      '## The standard',
      'Contracts and grant agreements do not stop an organisation from speaking publicly about its work or its cause. Covenant Hub checks agreements for gagging wording as standard A3.',
      '## Examples of wording to avoid',
      '- Not doing anything that “may attract adverse publicity” to the funder.',
      '- Paying “the utmost regard to the standing and reputation” of the funder.',
      '- Making no press announcement without the funder’s prior approval.',
      'Wording like this appeared in employment programme contracts in 2012 and later, and was passed on to subcontractors. It makes organisations afraid to say what they see.',
      '## What is reasonable',
      'A funder can reasonably ask to be told before an organisation publishes something about a shared project, and can protect personal data and commercially sensitive information. It should not control what the organisation says about policy or its own experience.',
      '## If you find such a clause',
      'Ask for it to be removed or narrowed before you sign. If it is already in a contract, you can report it through the front door; the report can be made without naming your organisation to the body.',
    ),
  },
  {
    slug: 'how-to-report-an-issue',
    kind: 'guidance',
    title: 'How to use the front door: reporting an issue',
    summary:
      'When a public body does not keep a Covenant commitment, report it here. It takes a few minutes, and you choose who sees your name.',
    audience: 'civil_society',
    principles: ['recognition-and-value', 'transparency-and-data'],
    commitments: ['RV-G1', 'TD-G1'],
    body: text(
      '## What the front door is for',
      'The front door is one place to tell the Covenant team that a public body has not kept a Covenant commitment: a consultation that was too short, funding cut without notice, a clause that stops you speaking out, or being left out of a decision that affects the people you support. Your report is sent to the body’s accountable lead, who must answer within a set time.',
      '## Before you start',
      '- Note the name of the public body and, if you know it, the team.',
      '- Note the dates: when it happened, and any deadlines you were given.',
      '- Gather any letters, emails or documents that show what happened. You can attach them as PDF, Word, OpenDocument, text or image files.',
      'You do not need to know which commitment was broken. The form will suggest the ones that fit.',
      '## Choosing who sees your name',
      'You choose who should know it was you:',
      '- Use your organisation’s name: the body sees it, and so does the public register if the case is published.',
      '- Anonymised in anything published: the body sees your organisation’s name, but nothing published identifies you.',
      '- Identity kept from the public body: only the Covenant team and the oversight panel know who you are, and messages go through them.',
      '- Reported for you: an infrastructure body, such as a council for voluntary service, files and speaks for its member. The body sees the infrastructure body, not you.',
      'The body never sees your email address. Covenant Hub removes author and location details from files you attach, but check your documents for your name in the text itself.',
      '## What happens next',
      '- You get a reference number straight away.',
      '- The report goes to the right body; the body has a deadline to respond, counted in working days.',
      '- You can follow the case, add information and reply from your account.',
      '- If the body does not respond, or you are not satisfied, the case can be escalated to the joint oversight panel.',
      '- When the case ends, an anonymised summary may be published in the public register, so others can see what happened.',
      '## Speaking up is protected',
      'The Covenant asks government to respect civil society’s right to hold it to account without fear of sanction. If you think you have been treated worse because you reported an issue, report that too.',
    ),
  },
  {
    slug: 'writing-an-engagement-action-plan',
    kind: 'guidance',
    title: 'How to write an engagement action plan',
    summary:
      'A short, public plan for how your body will keep its Covenant commitments this year, with actions, owners, dates and measures.',
    audience: 'public_body',
    principles: ['partnership-and-collaboration', 'transparency-and-data'],
    commitments: ['PC-G1', 'PC-G2', 'TD-G1'],
    body: text(
      '## What an action plan is',
      'An engagement action plan sets out how a public body will work with civil society over the year: what it will do, who is responsible, by when, and how anyone can tell whether it happened. It is published, and progress is updated through the year. Covenant Hub shows the plan and its progress on the body’s scorecard.',
      '## Start from evidence',
      '- Look at your cases in Covenant Hub: what did civil society report about you last year?',
      '- Look at your standards record: consultation lengths, funding notice, agreements checked.',
      '- Look at the annual review results for bodies like yours.',
      '- Ask the organisations you work with what would make the biggest difference. Include small and local groups, not only the largest.',
      '## Write a few good actions, not many vague ones',
      'Five to ten actions is usually enough. Each action should be:',
      '- linked to a Covenant commitment, so progress can be reported against it;',
      '- specific: “Move our three largest grant programmes to three-year awards from April”, not “improve funding practice”;',
      '- owned by a named role, with the accountable lead signing off the plan;',
      '- dated, with a milestone for anything that takes more than a few months;',
      '- measurable: say what you will count or publish to show it is done.',
      '## Involve civil society in writing it',
      'Share a draft with local or national infrastructure bodies and with organisations that have raised issues. Say in the plan who you spoke to and what you changed because of it.',
      '## Keep it alive',
      'Update each action’s progress at least every quarter, with a sentence on what happened. If an action slips, say so and give a new date: an honest update builds more trust than silence. At the end of the year, publish what you achieved and carry forward what you did not.',
    ),
  },
  {
    slug: 'code-of-practice-fair-funding',
    kind: 'code_of_practice',
    title: 'Code of practice: fair funding relationships',
    summary:
      'Practical commitments for public funders and the organisations they fund, drawn together from the Covenant’s funding standards.',
    audience: 'both',
    principles: ['partnership-and-collaboration', 'recognition-and-value'],
    commitments: ['PC-G1', 'PC-G2', 'RV-G1', 'PC-C1'],
    body: text(
      'This code gathers the funding standards into one place. Funders and funded organisations can adopt it, refer to it in agreements, and use it when something goes wrong.',
      '## Funders will',
      '- Talk to organisations early about plans for a programme, and keep talking while it runs.',
      '- Fund for three years where a service is expected to continue.',
      '- Pay a fair share of overheads, based on the real cost of delivery.',
      '- Pay in advance where the organisation needs it to deliver, and pay invoices within 30 days.',
      '- Agree proportionate monitoring at the start, and not ask for information they will not use.',
      '- Allocate each risk to the party best able to manage it, and say who holds which.',
      '- Give at least 3 months’ written notice, with reasons, before ending or reducing funding.',
      '- Keep gagging and anti-advocacy clauses out of agreements.',
      '- Make it possible for small and specialist organisations to apply, for example by keeping forms short and accepting partnerships.',
      '## Funded organisations will',
      '- Deliver what was agreed, and tell the funder early if something is going wrong.',
      '- Report honestly on results, including what did not work.',
      '- Manage public money well and meet legal, regulatory and ethical standards.',
      '- Share evidence and local knowledge, and be clear about whose views they represent.',
      '- Plan for the end of funding from the start.',
      '## When things go wrong',
      'Either side should first raise the concern with the other, in writing, and allow a reasonable time to put it right. If that does not resolve it, the organisation can report an issue through Covenant Hub’s front door. The funder’s accountable lead will be asked to respond.',
      '## Review',
      'Parties who adopt the code should look at how it is working once a year, for example as part of their engagement action plan.',
    ),
  },
  {
    slug: 'template-letter-funding-notice',
    kind: 'template',
    title: 'Template: asking for proper notice of a funding change',
    summary:
      'A letter an organisation can adapt when a funder ends or cuts funding with less than 3 months’ notice or without reasons.',
    audience: 'civil_society',
    ...standardTags('F1'),
    body: text(
      'Copy this letter, replace the words in square brackets and delete anything that does not apply. Keep a copy, and note the date you sent it.',
      '## The letter',
      'Dear [name of the funder’s contact],',
      'Re: [name of the grant or contract], reference [reference number]',
      'Thank you for your letter of [date] telling us that [the funding will end / the funding will be reduced by £amount] from [date].',
      'This gives us [number] weeks’ notice. The Civil Society Covenant upholds the standard, set in the Compact, that public bodies give at least 3 months’ written notice before ending or reducing funding, with the reasons and enough detail for us to respond.',
      'We would be grateful if you would:',
      '- extend the notice so that the change takes effect no earlier than [date 3 months after you received the notice];',
      '- tell us the reasons for the decision;',
      '- tell us who we can speak to about it, and how we can ask for it to be reviewed.',
      'The change affects [number] people who use [service], and [number] staff and volunteers. [One or two sentences on the effect on people.]',
      'We would welcome a reply by [date, for example 10 working days from now].',
      'Yours sincerely,',
      '[Name, role, organisation]',
      '## If you do not get a reply',
      'Report the issue through Covenant Hub’s front door and attach the funder’s letter and yours. The report will go to the body’s accountable lead.',
    ),
  },
  {
    slug: 'training-the-covenant-in-an-hour',
    kind: 'training',
    title: 'Training: the Covenant in an hour',
    summary:
      'A one-hour session for staff, trustees and volunteers on what the Covenant is, what it asks of each side, and how to use Covenant Hub.',
    audience: 'both',
    principles: [
      'recognition-and-value',
      'partnership-and-collaboration',
      'participation-and-inclusion',
      'transparency-and-data',
    ],
    commitments: [],
    body: text(
      'This module can be run by anyone who has read it through once. It works for a team meeting, an induction or a trustee board. Allow an hour.',
      '## Learning outcomes',
      'By the end, people will be able to:',
      '- say in a sentence what the Civil Society Covenant is and who it covers;',
      '- name its four principles;',
      '- give an example of a measurable standard and how to tell if it was met;',
      '- explain how to report an issue, and what happens next.',
      '## Part 1: what the Covenant is (10 minutes)',
      'The Civil Society Covenant was published in July 2025. It is an agreement between government and civil society across the UK, replacing the Compact of 2010. It is not legally binding. It sets out principles that both sides commit to. The Compact failed largely because nobody could see when it was broken or do anything about it; Covenant Hub exists to make the Covenant visible and usable.',
      '## Part 2: the four principles (15 minutes)',
      'Read the Covenant’s principles in Covenant Hub together: recognition and value; partnership and collaboration; participation and inclusion; transparency and data. For each, ask the group: what would it look like if this was working well for us? What would it look like if it was not?',
      '## Part 3: the standards (15 minutes)',
      'Some commitments can be measured. Pick two of the guidance pages in this library, for example consultation length and notice before funding ends, and talk through a real example from your own work.',
      '## Part 4: the front door (15 minutes)',
      'Walk through the guidance on reporting an issue. Discuss: what would stop us reporting a problem? How do the confidentiality choices help?',
      '## Close (5 minutes)',
      'Agree one thing your team will do differently. Public bodies: check whether your body has an engagement action plan and who its accountable lead is.',
    ),
  },
  {
    slug: 'case-study-three-year-grants',
    kind: 'case_study',
    title: 'Case study: a council moves to three-year grants',
    summary:
      'An illustrative example of a council and local charities agreeing longer grants, lighter monitoring and proper notice.',
    audience: 'both',
    principles: ['partnership-and-collaboration'],
    commitments: ['PC-G1', 'PC-C1'],
    nations: ['england'],
    body: text(
      'This case study is illustrative. It was written for this library to show what good practice can look like. The council, the organisations and the people in it are made up.',
      '## The situation',
      'Northbridge Council funded 40 local charities through one-year grants. Every January the charities applied again, and decisions came in March, a few weeks before the money was due. Two charities closed services in one year because they could not be sure of funding in time to keep their staff.',
      '## What happened',
      'The local council for voluntary service collected evidence from its members and met the council’s accountable officer for the Covenant. They agreed to work on the problem together rather than through complaints.',
      '- A small group of council officers and charity staff redesigned the grant programme over four months.',
      '- Grants for continuing services moved to three years, with a short check-in each year instead of a full application.',
      '- Monitoring was cut to one page a quarter, using numbers the charities already collected.',
      '- The council committed to give at least 3 months’ notice of any change, and to decide each year’s budget by December.',
      '- Budgets could include a share of overheads, worked out with a simple shared method.',
      '## The results',
      'After the first year, charities said they spent far less time on applications and could keep experienced staff. The council found the annual check-ins gave it better information than the old forms. The change was written into the council’s engagement action plan so that it could be tracked publicly.',
      '## What others can learn',
      '- Start with evidence that both sides accept.',
      '- Work it out together: the design group had equal numbers from each side.',
      '- Make the new rules public, so that they survive changes of staff.',
    ),
  },
];

/**
 * Loads the starting set into a fresh database, in the caller's transaction when there is one. Idempotent:
 * returns false and changes nothing when any resource exists. `ownerId` is the Covenant team member who
 * keeps them (none in a fresh production database: reminders then go to every administrator).
 */
export async function ensureResourceLibrary(
  db: Database,
  clock: Clock,
  options: { ownerId?: string | null } = {},
): Promise<boolean> {
  return db.transaction(async () => {
    const existing = await db.get().select({ id: resources.id }).from(resources).limit(1);
    if (existing.length > 0) return false;
    const now = clock.now();
    const rows = await db
      .get()
      .insert(resources)
      .values(
        resourceSeeds.map((r) => ({
          ...r,
          nations: r.nations ?? [],
          status: 'published' as const,
          version: 1,
          ownerId: options.ownerId ?? null,
          lastReviewedOn: toUkIsoDate(now),
          updatedAt: now,
        })),
      )
      .returning({
        id: resources.id,
        title: resources.title,
        summary: resources.summary,
        body: resources.body,
      });
    await db
      .get()
      .insert(resourceVersions)
      .values(
        rows.map((r) => ({
          resourceId: r.id,
          version: 1,
          title: r.title,
          summary: r.summary,
          body: r.body,
          changeNote: 'First version, written for the Covenant Hub library.',
          createdBy: options.ownerId ?? null,
        })),
      );
    return true;
  });
}
