/**
 * The features the clause checker scores. Each is a small regular expression over one clause, grouped by what
 * it tells us: does the clause restrict the funded organisation (restriction, approval), what does it restrict
 * (the objects of rules A1, A2 and A3), and does it only protect something the Covenant does not object to
 * (exemptions) or expressly keep the organisation's freedom (savings).
 *
 * Rule definitions (domain.md §5 and the standards registry, src/modules/covenant/covenant.seed.ts):
 * - A1: the February 2016 anti-advocacy clause ("activity intended to influence or attempt to influence
 *   Parliament, government or political parties … the awarding or renewal of contracts and grants …
 *   legislative or regulatory action") and its variants: grant money may not be spent on influencing or
 *   lobbying.
 * - A2: terms that bar the policy input the December 2016 grant standards allow within a grant: responses to
 *   consultations, evidence to inquiries, evidence-based policy recommendations, campaigning, advocacy and
 *   public debate.
 * - A3: contract gagging and publicity clauses: "adverse publicity", "standing and reputation", "bring into
 *   disrepute", no press or public statements without the funder's approval, no criticism of the funder.
 */

export type ClauseRule = 'A1' | 'A2' | 'A3';

/**
 * A negation or prohibition bound to an action ("shall not", "no part of", "ineligible", "refrain from"), not
 * any "not" ("views … not those of the Department" restricts nothing).
 */
export const RESTRICTION = new RegExp(
  [
    String.raw`\b(?:shall|must|will|may|can|could|should|is|are|be|do|does|to|agrees?|undertakes?|promises?|ensure\s+that\s+it\s+does)\s+not\b`,
    String.raw`\bnot\s+(?:to|be|use|make|allow|permit|engage|eligible|allowable|fundable|permitted)\b`,
    String.raw`\b(?:shan|won|mustn|can|don|doesn)['’]t\b|\bcannot\b`,
    String.raw`\bno\s+(?:part|portion|sums?|monies|money|funds?|funding|grant|payments?|expenditure|costs?|press|media|public|statements?|announcements?|publicity|communications?|comments?|staff|employees?|members?|person|one|activit(?:y|ies)|interviews?|briefings?|contact)\b`,
    String.raw`\bnone\s+of\b|\bnever\b|\bnor\b`,
    String.raw`\bprohibit\w*|\bforbid\w*|\brefrain\w*|\bineligible\b|\bexclud\w*|\bbarred\s+from|\bprevent\w*\s+from|\bdisallow\w*`,
  ].join('|'),
  'i',
);

/** Prior approval or clearance by the funder. */
export const APPROVAL = new RegExp(
  [
    String.raw`\b(?:without|before|unless|until|subject\s+to|requir\w+|obtain\w*|seek\w*|need\w*|having|with)\b[^.;]{0,60}?\b(?:approval|consent|agreement|permission|sign[- ]?off|clearance|authori[sz]ation|say[- ]so)\b`,
    String.raw`\b(?:approved|cleared|signed[- ]off|authori[sz]ed|agreed|vetted)\s+(?:\w+\s+){0,3}?(?:in\s+advance|beforehand|in\s+writing|first|by\s+the|prior)`,
    String.raw`\bmust\s+(?:first\s+)?be\s+(?:approved|cleared|signed[- ]off|vetted|agreed)`,
    String.raw`\b(?:referred|passed|directed)\s+to\s+the\s+[\w’'\s]{0,40}?(?:press|media|communications?)\s+(?:office|team|unit)`,
    String.raw`\bright\s+to\s+(?:approve|veto|vet|review\s+and\s+approve)`,
  ].join('|'),
  'i',
);

/** A1: influencing or lobbying, the 2016 clause's verbs. */
export const INFLUENCE = /\b(?:influenc\w*|lobb(?:y|ying|ies|ied)|persuad\w*|sway\w*)\b/i;
/** A1: whom or what the influencing is aimed at. */
export const INFLUENCE_TARGET =
  /\b(?:parliament\w*|MPs?|members\s+of|ministers?|ministerial|government\w*|departments?|authorit(?:y|ies)|council\w*|officials?|officers?|civil\s+servants?|political\s+part(?:y|ies)|legislat\w*|regulat\w*|polic(?:y|ies)|decisions?|award\w*|renewal|contracts?|grants?|funding|procurement|elected|representatives?|senedd|assembly|public\s+bod(?:y|ies)|secretary\s+of\s+state|commission\w*|bills?|laws?)\b/i;
/** Lobbying needs no target: "political lobbying of any kind". */
export const LOBBYING = /\blobb(?:y|ying|ies|ied)\b/i;

/** A2: the policy input the December 2016 grant standards allow. */
export const POLICY_INPUT = new RegExp(
  [
    String.raw`\bconsultations?\b`,
    String.raw`\bcalls?\s+for\s+evidence\b`,
    String.raw`\b(?:giv|submit|provid|present|offer)\w*\s+(?:any\s+)?(?:oral\s+|written\s+)?evidence\b`,
    String.raw`\b(?:select|parliamentary|scrutiny)\s+committees?\b`,
    String.raw`\bpolicy\s+(?:recommendations?|proposals?|advocacy|work|positions?|briefings?|debates?)\b`,
    String.raw`\brecommendations?\s+(?:to|for)\s+(?:the\s+)?(?:government|department|ministers?|council|authority)`,
    String.raw`\bmak\w*\s+representations?\b|\brepresentations?\s+to\b`,
    String.raw`\bcampaign(?:s|ing|er|ers)?\b`,
    String.raw`\badvoca(?:cy|te|tes|ting)\b`,
    String.raw`\b(?:public|policy|political)\s+debates?\b|\bparticipat\w*\s+in\s+(?:any\s+)?debates?\b`,
    String.raw`\b(?:take|taking|adopt\w*|express\w*)\s+(?:a\s+|any\s+)?(?:public\s+)?(?:position|stance|view)s?\s+on\b|\bpublic\s+positions?\b`,
    String.raw`\bpetitions?\b|\bmarch(?:es)?\b|\bdemonstrations?\b|\bprotests?\b|\brall(?:y|ies)\b`,
    String.raw`\bcriti\w+\s+(?:\w+\s+){0,4}?(?:polic(?:y|ies)|reforms?|legislation|decisions?)\b`,
    String.raw`\bcall\w*\s+for\s+(?:\w+\s+){0,2}?changes?\b`,
    String.raw`\bchalleng\w*\s+(?:\w+\s+){0,3}?(?:decisions?|polic(?:y|ies))\b`,
    String.raw`\bcomment\w*\s+(?:publicly\s+)?on\s+(?:\w+\s+){0,3}?polic(?:y|ies)\b`,
  ].join('|'),
  'i',
);
/** Campaigns that are not advocacy. */
export const NON_ADVOCACY_CAMPAIGN =
  /\b(?:fundraising|marketing|advertising|recruitment|awareness|vaccination|membership|email|sales|promotional)\s+campaigns?\b/i;

/** A3: the strong gagging wording from the DWP contracts (domain.md §5, A3); no restriction word needed. */
export const REPUTATION = new RegExp(
  [
    String.raw`\badverse\s+(?:publicity|press|media)\b`,
    String.raw`\bnegative\s+(?:publicity|press|media\s+coverage)\b`,
    String.raw`\bstanding\s+(?:and|or)\s+reputation\b`,
    String.raw`\breputation(?:al)?\b`,
    String.raw`\bdisrepute\b`,
    String.raw`\bpublic\s+confidence\b`,
    String.raw`\bembarrass\w*\b`,
    String.raw`\b(?:bad|poor|unfavourable|negative)\s+light\b`,
    String.raw`\bdisparag\w*\b|\bderogatory\b|\bdenigrat\w*\b`,
  ].join('|'),
  'i',
);
/** Reputation that is the organisation's own, not the funder's. */
export const OWN_REPUTATION =
  /\b(?:its\s+own|their\s+own|the\s+(?:grantee|recipient|provider|supplier|contractor|organisation|partner|applicant)['’]s)\s+(?:reputation|standing)\b|\breputation\s+of\s+the\s+(?:grantee|recipient|provider|supplier|contractor|organisation|partner|applicant|sector|charity)\b/i;

/** A3: speaking to the press or the public. */
export const PUBLICITY = new RegExp(
  [
    String.raw`\bpress\b`,
    String.raw`\bmedia\b`,
    String.raw`\bjournalists?\b|\breporters?\b|\bbroadcast\w*\b|\binterviews?\b`,
    String.raw`\bpublicity\b|\bpublici[sz]\w*\b`,
    String.raw`\bpublic\s+(?:statements?|comments?|announcements?|communications?|pronouncements?|remarks?)\b`,
    String.raw`\b(?:comment|speak|talk)\w*\s+(?:publicly|in\s+public|to\s+the\s+public)\b|\bpublicly\s+(?:comment|speak|criti\w+|express)\w*\b`,
    String.raw`\bsocial\s+media\b|\bblogs?\b|\bposts?\b`,
    String.raw`\bstatements?\s+(?:to|about|concerning|regarding|on)\b|\bmake\s+(?:any\s+)?statements?\b`,
    String.raw`\bpublish\w*\s+(?:any\s+)?(?:\w+\s+){0,2}?(?:reports?|articles?|materials?|information|documents?|research|findings|papers?|data|results|comments?|statements?)\b`,
    String.raw`\bannounce\w*\b`,
  ].join('|'),
  'i',
);
/** A3: criticism of the funder itself (criticism of a policy is policy input, A2). */
export const CRITICISM_OF_FUNDER =
  /\b(?:critical\s+of|criti(?:ci[sz]e|ci[sz]ing|cism\s+of)|speak\w*\s+(?:ill|negatively)\s+of|negative\s+(?:comments?|statements?)\s+about)\s+(?:\w+\s+){0,2}?(?:the\s+)?(?:funder|department|authority|council|commissioner|minister|government|trust|agency|board|secretary\s+of\s+state|customer|buyer|purchaser|officers?|officials?|staff)\b/i;

/**
 * Protections the Covenant does not object to: the clause's object is accuracy, personal data, confidential
 * information, branding, party politics, elections, or the law (precision matters: issue 5, item 2).
 */
export const EXEMPTIONS: { cue: RegExp; reason: string }[] = [
  {
    cue: /\bfactual\w*\b|\baccura(?:te|cy)\b|\bmisleading\b|\bmisrepresent\w*\b|\bcorrections?\b/i,
    reason: 'accuracy',
  },
  {
    cue: /\bpersonal\s+(?:data|information|details)\b|\bprivacy\b|\bindividual\s+(?:cases?|service\s+users?|patients?|clients?)\b|\bdata\s+protection\b|\bu?k?\s?gdpr\b|\bspecial\s+category\b|\bidentity\s+of\s+(?:any\s+)?(?:service\s+users?|individuals?|participants?|persons?|beneficiar\w+|clients?|patients?|children)\b|\bmedical\s+information\b|\bwithout\s+(?:their|that\s+person['’]s|the\s+individual['’]s)\s+(?:\w+\s+)?consent\b/i,
    reason: 'personal data',
  },
  {
    cue: /\bconfidential\s+information\b|\bcommercially\s+sensitive\b|\btrade\s+secrets?\b|\bmarket[- ]sensitive\b|\bcriminal\s+investigations?\b|\bsub\s+judice\b|\bofficial\s+secrets?\b|\bsecurity\s+classifi\w+/i,
    reason: 'confidential information',
  },
  {
    cue: /\blogos?\b|\bbrand(?:ing)?\s+(?:guidelines|guidance|standards)\b|\btrade\s*marks?\b|\bvisual\s+identity\b|\bendorse\w*\s+(?:a|any|its|the)?\s*(?:products?|services?|goods)\b|\bhold\w*\s+(?:itself|themselves)\s+out\b/i,
    reason: 'branding',
  },
  {
    cue: /\bparty[- ]political\b|\bpolitical\s+part(?:y|ies)\s+or\s+(?:any\s+)?candidates?\b|\b(?:support|oppos|endors)\w*\s+(?:any\s+|a\s+)?(?:political\s+part(?:y|ies)|candidates?)\b|\bcandidates?\s+for\s+(?:election|office)\b|\bdonations?\s+to\s+(?:any\s+|a\s+)?political\b|\belectoral\b|\belection\s+(?:periods?|campaign\w*|material)\b|\bLobbying\s+Act\b|\bregulated\s+periods?\b|\bnon[- ]party\s+campaign\w*\b/i,
    reason: 'party politics and elections',
  },
  {
    cue: /\bimproper\w*\b|\bbrib\w*\b|\binducements?\b|\bcorrupt\w*\b|\bcanvass\w*\b|\bcollu\w+\b|\bconflicts?\s+of\s+interest\b/i,
    reason: 'bribery and procurement propriety',
  },
  {
    cue: /\bdefamat\w*\b|\blibel\w*\b|\bunlawful\w*\b|\billegal\w*\b|\bsafeguarding\b|\bhate\s+speech\b|\bextremis\w*\b/i,
    reason: 'the law',
  },
];

/** Words that keep or grant the freedom the Covenant protects. */
export const SAVING = new RegExp(
  [
    String.raw`\bnothing\s+in\s+(?:this|these|the)\s+(?:\w+\s+){0,3}?(?:shall|will|is|should|may|does|can)\s+(?:\w+\s+){0,3}?(?:prevent|restrict|limit|prohibit|stop|affect|inhibit|constrain|be\s+(?:construed|read|interpreted))`,
    String.raw`\b(?:does|shall|will|is\s+not\s+intended\s+to)\s+not\s+(?:prevent|restrict|limit|prohibit|affect)`,
    String.raw`\b(?:does|shall|will)\s+not\s+(?:\w+\s+){0,2}?(?:prevent|restrict|limit|prohibit|stop)\s+the\s+(?:grantee|recipient|provider|supplier|contractor|organisation|partner)`,
    String.raw`\b(?:remains?|is|are)\s+free\s+to\b`,
    String.raw`\b(?:right|freedom)\s+to\s+(?:campaign|speak|comment|criticis|advocat|respond|express|engage|lobby|publish)`,
    String.raw`\bnot\s+(?:be\s+)?required\s+to\s+(?:obtain|seek|get|secure)`,
    String.raw`\bno\s+(?:approval|consent|permission|clearance)\s+(?:is|will\s+be|shall\s+be)\s+(?:required|needed|necessary)`,
    String.raw`\bencouraged\s+to\b`,
    String.raw`\b(?:is|are)\s+(?:permitted|allowed|entitled)\s+to\b|\bpermitted\s+activit`,
    String.raw`\bown\s+(?:unrestricted\s+)?(?:funds|resources|money)\b`,
    String.raw`\bfor\s+information\s+only\b`,
    String.raw`\b(?:not|never)\s+(?:impose|place|seek\s+to\s+impose)\s+(?:any\s+)?restrictions?\b`,
    // "will not be penalised for campaigning", "will not withdraw funding because it has criticised…"
    String.raw`\bnot\s+(?:be\s+)?(?:penalis|penaliz|sanction|disadvantag|punish|victimis|treated\s+less\s+favourably)\w*`,
    String.raw`\bnot\s+(?:withdraw|reduce|end|cut|terminate)\w*\s+(?:\w+\s+){0,4}?(?:because|on\s+the\s+grounds|by\s+reason)`,
    String.raw`\bwithout\s+(?:seeking|needing|requiring|obtaining)\s+(?:the\s+)?(?:\w+\s+)?(?:approval|consent|permission)`,
  ].join('|'),
  'i',
);

/** Who is being bound: a clause whose subject is the funder binds the funder, not the organisation. */
export const FUNDER_SUBJECT =
  /^(?:the\s+)?(?:funder|department|authority|council|commissioner|secretary\s+of\s+state|minister|agency|government|buyer|customer|purchaser|contracting\s+authority|fund|board|trust|we)\b/i;
export const RECIPIENT_WORDS =
  /\b(?:grantee|recipient|provider|supplier|contractor|organisation|organization|partner|grant\s+holder|sub-?contractors?|you|your|its\s+staff|funded\s+(?:staff|organisations?))\b/i;
