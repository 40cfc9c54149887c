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
    String.raw`\bprohibit\w*|\bforbid\w*|\brefrain\w*|\bavoid(?:s|ed|ing)?\b(?!\s+doubt)|\babstain\w*|\bdesist\w*|\bmay\s+only\b|\bonly\s+(?:be\s+)?(?:with|after|once|if)\b|\bineligible\b|\bexclud\w*|\bbarred\s+from|\bprevent\w*\s+from|\bdisallow\w*`,
  ].join('|'),
  'i',
);

/** Prior approval or clearance by the funder. */
export const APPROVAL = new RegExp(
  [
    String.raw`\b(?:without|before|unless|until|subject\s+to|requir\w+|obtain\w*|seek\w*|need\w*|having|with)\b[^.;]{0,60}?\b(?:approval|consent|agreement|permission|sign[- ]?off|clearance|authori[sz]ation|say[- ]so)\b`,
    String.raw`\b(?:approved|cleared|signed[- ]off|authori[sz]ed|agreed|vetted)\s+(?:[\w’'-]+\s+){0,3}?(?:in\s+advance|beforehand|in\s+writing|first|by\s+the|prior)`,
    String.raw`\bmust\s+(?:first\s+)?be\s+(?:approved|cleared|signed[- ]off|vetted|agreed)`,
    String.raw`\b(?:refer|pass|direct|forward|route)\w*\s+(?:[\w’'-]+\s+){0,5}?to\s+the\s+[\w’'\s]{0,40}?(?:press|media|communications?|comms)\s+(?:office|team|unit|officers?)`,
    String.raw`\b(?:handled|dealt\s+with|answered)\s+(?:only\s+)?by\s+the\s+[\w’'\s]{0,40}?(?:press|media|communications?|comms)\s+(?:office|team|unit|officers?)`,
    String.raw`\bright\s+to\s+(?:approve|veto|vet|review\s+and\s+approve)`,
    String.raw`\bveto(?:es|ed|ing)?\b`,
    // "Any contact with the media … shall be made only through the Authority"
    String.raw`\bonly\s+(?:be\s+)?(?:made\s+|arranged\s+|conducted\s+)?(?:through|via|by)\s+the\s+(?:department|authority|council|funder|buyer|customer|commissioner|agency|fund|ministry)\b`,
    String.raw`\b(?:through|via)\s+the\s+(?:department|authority|council|funder|buyer|customer|commissioner|agency|fund|ministry)['’]s\s+(?:press|media|communications?|comms)\b`,
    // "clear any article … with the Department's communications team in advance"
    String.raw`\b(?:clear|agree)\w*\s+[^.;]{0,120}?\bwith\s+(?:the\s+)?[\w’']+(?:\s+[\w’']+){0,3}?\s+(?:in\s+advance|beforehand|first|before\b)`,
    // "send press releases to the Department for approval", "the Department's approval is needed"
    String.raw`\bfor\s+(?:its\s+|their\s+|the\s+[\w’']+\s+)?(?:prior\s+)?(?:written\s+)?(?:approval|sign[- ]?off|clearance|authori[sz]ation|consent)\b`,
    String.raw`\b(?:approval|consent|permission|sign[- ]?off|clearance|authori[sz]ation)\s+(?:is|will\s+be|shall\s+be|must\s+be)\s+(?:first\s+)?(?:needed|required|necessary|obtained|sought)`,
    String.raw`\bunless\s+(?:and\s+until\s+)?the\s+\w+\s+(?:has\s+)?(?:first\s+|previously\s+)?(?:agreed|approved|consented|authori[sz]ed|cleared)`,
    // The funder's press office as gatekeeper: consulted before, or managing, the organisation's media work.
    String.raw`\b(?:consult|check\s+with|clear\w*\s+with)\s+(?:the\s+)?[\w’'\s]{0,40}?(?:press|media|communications?|comms)\s+(?:office|team|unit|officers?)\s+(?:before|prior)`,
    String.raw`\b(?:managed|handled|controlled|dealt\s+with)\s+(?:\w+\s+)?by\s+the\s+(?:department|authority|council|funder|buyer|customer|commissioner|agency)\b`,
  ].join('|'),
  'i',
);

/** A1: influencing or lobbying, the 2016 clause's verbs. */
export const INFLUENCE =
  /\b(?:influenc\w*|lobb(?:y|ying|ies|ied)|persuad\w*|sway\w*)\b|\b(?:seek\w*|sought|attempt\w*|tr(?:y|ying|ies|ied)|efforts?|aim\w*|intend\w*|designed)\s+to\s+(?:change|alter|overturn|reverse|affect|shape|amend|block|defeat|secure\s+(?:changes?|amendments?|reforms?)\s+(?:to|in|of))\b/i;
/** A1: whom or what the influencing is aimed at. */
export const INFLUENCE_TARGET =
  /\b(?:parliament\w*|MPs?|members\s+of|ministers?|ministerial|government\w*|departments?|authorit(?:y|ies)|council\w*|officials?|officers?|civil\s+servants?|political\s+part(?:y|ies)|legislat\w*|regulat\w*|polic(?:y|ies)|decisions?|award\w*|renewal|contracts?|grants?|funding|procurement|elected|representatives?|senedd|assembly|public\s+bod(?:y|ies)|secretary\s+of\s+state|commission\w*|bills?|laws?)\b/i;
/** A1: contact with the people the 2016 clause protected from influence ("meet or write to MPs"). */
export const POLITICAL_CONTACT =
  /\b(?:communicat\w*|contact\w*|meet(?:s|ing)?|correspond\w*|writ(?:e|es|ing)\s+to|brief\w*|approach\w*|engag\w*|lobb\w*)\s+(?:with\s+)?(?:any\s+)?(?:MPs?|Members\s+of\s+(?:Parliament|the\s+(?:House|Senedd|Scottish\s+Parliament))|peers|ministers?|councillors?|elected\s+(?:members|representatives)|parliamentarians?)\b/i;
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
    String.raw`\bcriti\w+\s+(?:[\w’'-]+\s+){0,4}?(?:polic(?:y|ies)|reforms?|legislation|decisions?)\b`,
    String.raw`\bcall\w*\s+for\s+(?:[\w’'-]+\s+){0,2}?changes?\b`,
    String.raw`\b(?:recommend\w*|propos\w*|urg\w*|argu\w*\s+for|press\w*\s+for|push\w*\s+for|seek\w*)\s+(?:[\w’'-]+\s+){0,3}?(?:changes?|reforms?|amendments?)\s+(?:to|in|of)\s+(?:[\w’'-]+\s+){0,3}?(?:polic(?:y|ies)|laws?|legislation|regulations?)\b`,
    String.raw`\bchalleng\w*\s+(?:[\w’'-]+\s+){0,3}?(?:decisions?|polic(?:y|ies))\b`,
    String.raw`\bcomment\w*\s+(?:publicly\s+)?on\s+(?:[\w’'-]+\s+){0,3}?polic(?:y|ies)\b`,
    String.raw`\b(?:oppos\w*|object\w*\s+to|disagree\w*\s+with|contest\w*)\s+(?:[\w’'-]+\s+){0,4}?(?:polic(?:y|ies)|reforms?|legislation|decisions?|proposals?)\b`,
    String.raw`\bspeak\w*\s+(?:[\w’'-]+\s+){0,6}?(?:about|on)\s+(?:\w+['’]?\s+){0,3}?polic(?:y|ies)\b`,
    String.raw`\b(?:parliamentary|select\s+committee|public|government)\s+inquir(?:y|ies)\b|\bsubmissions?\s+to\s+(?:any\s+)?(?:parliament\w*|inquir\w+|committees?|consultations?|reviews?)\b`,
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
    String.raw`\bgood\s+name\b|\b(?:public\s+)?image\s+of\b|['’]s\s+(?:public\s+)?image\b`,
    String.raw`\breflect\w*\s+(?:\w+\s+)?(?:badly|negatively|poorly|adversely|unfavourably)\s+(?:up)?on\b`,
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
    String.raw`\bpublish\w*\s+(?:any\s+)?(?:[\w’'-]+\s+){0,2}?(?:reports?|articles?|materials?|information|documents?|research|findings|papers?|data|results|comments?|statements?)\b`,
    String.raw`\bannounce\w*\b`,
    String.raw`\bspeech(?:es)?\b|\bop-eds?\b|\barticles?\b(?!\s+(?:of\s+association|\d))`,
    String.raw`\bspeak\w*\s+(?:at|to)\s+(?:any\s+)?(?:conferences?|public|events?|meetings?|audiences?)\b|\bconferences?\b`,
  ].join('|'),
  'i',
);
/** A3: criticism of the funder itself (criticism of a policy is policy input, A2). */
export const CRITICISM_OF_FUNDER =
  /\b(?:critical\s+of|criti(?:ci[sz]e|ci[sz]ing|cism\s+of)|speak\w*\s+(?:ill|negatively)\s+of|negative\s+(?:comments?|statements?)\s+about)\s+(?:[\w’'-]+\s+){0,2}?(?:the\s+)?(?:funder|department|authority|council|commissioner|minister|government|trust|agency|board|secretary\s+of\s+state|customer|buyer|purchaser|officers?|officials?|staff)\b/i;

/**
 * Protections the Covenant does not object to: the clause's object is accuracy, personal data, confidential
 * information, branding, party politics, elections, or the law (precision matters: issue 5, item 2).
 */
export const EXEMPTIONS: { cue: RegExp; reason: string }[] = [
  {
    cue: /\bfactual\w*\b|\b(?:in)?accura(?:te|cy)\b|\bmisleading\b|\bmisrepresent\w*\b|\bmisstat\w*\b|\bcorrections?\b|\buntrue\b|\buntruthful\b|\btruthful\w*\b|\bfalse(?:ly|hoods?)?\b|\bincorrect\w*\b/i,
    reason: 'accuracy',
  },
  {
    cue: /\bpersonal\s+(?:data|information|details)\b|\bprivacy\b|\bindividual\s+(?:cases?|service\s+users?|patients?|clients?)\b|\bdata\s+protection\b|\bu?k?\s?gdpr\b|\bspecial\s+category\b|\bidentity\s+of\s+(?:any\s+)?(?:service\s+users?|individuals?|participants?|persons?|beneficiar\w+|clients?|patients?|children)\b|\bmedical\s+information\b|\b[\w-]*identifiable\b|\bidentif(?:y|ies|ying)\s+(?:any\s+|an?\s+|the\s+)?(?:individual|person|service\s+user|client|patient|child|young\s+person|beneficiar|participant|famil|victim|survivor|member\s+of\s+the\s+public)\w*|\b(?:information|details|records?|data)\s+(?:about|on|relating\s+to|concerning)\s+(?:any\s+|its\s+|the\s+|individual\s+)?(?:clients?|service\s+users?|individuals?|children|patients?|families|beneficiar\w+|participants?|victims?|survivors?|residents?|tenants?)\b|\b(?:client|patient|service\s+user|case|beneficiary)\s+(?:information|records|files|data|details)\b|\bwithout\s+(?:their|that\s+person['’]s|the\s+individual['’]s)\s+(?:\w+\s+)?consent\b/i,
    reason: 'personal data',
  },
  {
    cue: /\bconfidential\s+information\b|\bcommercially\s+sensitive\b|\btrade\s+secrets?\b|\bmarket[- ]sensitive\b|\bcriminal\s+investigations?\b|\bsub\s+judice\b|\bofficial\s+secrets?\b|\bsecurity\s+classifi\w+|\bofficial\s+statistics\b|\bpre-?release\s+access\b|\bprejudic\w+\s+(?:a\s+|any\s+|the\s+)?(?:live\s+|ongoing\s+)?(?:procurements?|tenders?|investigations?|legal\s+proceedings|proceedings|trials?)\b/i,
    reason: 'confidential information',
  },
  {
    cue: /\blogos?\b|\bbrand(?:ing)?\s+(?:guidelines|guidance|standards)\b|\btrade\s*marks?\b|\bvisual\s+identity\b|\bendorse\w*\s+(?:a|any|its|the)?\s*(?:products?|services?|goods)\b|\bhold\w*\s+(?:itself|themselves)\s+out\b|\bpurport\w*\b|\b(?:made|speak\w*|act\w*)\s+on\s+behalf\s+of\s+the\s+(?:department|authority|council|funder|buyer|customer|commissioner|minister|secretary\s+of\s+state)\b|\b(?:state|impl\w+|suggest\w*|represent\w*)\s+(?:[\w’'-]+\s+){0,4}?endorse\w*|\b(?:mis)?us\w*\s+(?:of\s+)?the\s+\w+['’]s\s+(?:name|crest|emblem|insignia)\b/i,
    reason: 'branding',
  },
  {
    cue: /\bparty[- ]political\b|\bpolitical\s+part(?:y|ies)\s+or\s+(?:any\s+)?candidates?\b|\b(?:support|oppos|endors)\w*\s+(?:any\s+|a\s+)?(?:political\s+part(?:y|ies)|candidates?)\b|\bcandidates?\s+for\s+(?:election|office)\b|\bdonations?\s+to\s+(?:any\s+|a\s+)?political\b|\belectoral\b|\belection\s+(?:periods?|campaign\w*|material)\b|\bLobbying\s+Act\b|\bregulated\s+periods?\b|\bnon[- ]party\s+campaign\w*\b/i,
    reason: 'party politics and elections',
  },
  {
    cue: /\bstandstill\b|\b(?:announce\w*|announcements?)\s+(?:of\s+|regarding\s+|about\s+)?(?:the\s+)?(?:award|signature|signing)\s+of\b|\bimproper\w*\b|\bbrib\w*\b|\binducements?\b|\bcorrupt\w*\b|\bcanvass\w*\b|\bcollu\w+\b|\bconflicts?\s+of\s+interest\b/i,
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
    String.raw`\bnothing\s+in\s+(?:this|these|the)\s+(?:[\w.]+\s+){0,3}?(?:(?:shall|will|is|should|may|does|can)\s+(?:[\w’'-]+\s+){0,3}?)?(?:prevent|restrict|limit|prohibit|stop|affect|inhibit|constrain|be\s+(?:construed|read|interpreted))`,
    // "The Grantee may publish … without the Department's approval" (but not "No interview may be given …").
    String.raw`(?<!\b(?:no|not|never|nor|none)\b[^.;]{0,200})\bmay\s+(?!not\b|only\b)(?:[\w’'-]+\s+){1,10}?without\s+(?:(?:the|any|its)\s+)?(?:[\w]+['’]s\s+|\w+\s+){0,3}?(?:approval|consent|permission|agreement|clearance|sign[- ]?off)`,
    String.raw`\b(?:does|shall|will|is\s+not\s+intended\s+to)\s+not\s+(?:prevent|restrict|limit|prohibit|affect)`,
    String.raw`\b(?:does|shall|will)\s+not\s+(?:[\w’'-]+\s+){0,2}?(?:prevent|restrict|limit|prohibit|stop)\s+the\s+(?:grantee|recipient|provider|supplier|contractor|organisation|partner)`,
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
    String.raw`\bnot\s+(?:withdraw|reduce|end|cut|terminate)\w*\s+(?:[\w’'-]+\s+){0,4}?(?:because|on\s+the\s+grounds|by\s+reason)`,
    String.raw`\bwithout\s+(?:seeking|needing|requiring|obtaining)\s+(?:the\s+)?(?:\w+\s+)?(?:approval|consent|permission)`,
  ].join('|'),
  'i',
);

/** Who is being bound: a clause whose subject is the funder binds the funder, not the organisation. */
export const FUNDER_SUBJECT =
  /^(?:the\s+)?(?:funder|department|authority|council|commissioner|secretary\s+of\s+state|minister|agency|government|buyer|customer|purchaser|contracting\s+authority|fund|board|trust|we)\b/i;
export const RECIPIENT_WORDS =
  /\b(?:grantee|recipient|provider|supplier|contractor|organisation|organization|partner|grant\s+holder|sub-?contractors?|you|your|its\s+staff|funded\s+(?:staff|organisations?))\b/i;
