/**
 * The agreement clause checker (issue 5, item 2; standards A1–A3 in domain.md §5). Pure TypeScript, no
 * network: split the text into clauses, score each clause on features (a restriction or an approval
 * requirement + an object that is influencing, policy input or speaking publicly, or the DWP "reputation"
 * wording), drop clauses whose object is only accuracy, personal data, confidential information, branding,
 * party politics or the law, and drop what a saving ("nothing in this clause prevents…") keeps free.
 * Offsets point into the original text: finding.text === input.slice(finding.start, finding.end).
 */
import { segmentClauses, type Segment } from './segment.ts';
import {
  APPROVAL,
  CRITICISM_OF_FUNDER,
  EXEMPTIONS,
  FUNDER_SUBJECT,
  INFLUENCE,
  INFLUENCE_TARGET,
  LOBBYING,
  NON_ADVOCACY_CAMPAIGN,
  OWN_REPUTATION,
  POLITICAL_CONTACT,
  POLICY_INPUT,
  PUBLICITY,
  RECIPIENT_WORDS,
  REPUTATION,
  RESTRICTION,
  SAVING,
  type ClauseRule,
} from './rules.ts';

export type { ClauseRule } from './rules.ts';

export interface ClauseFinding {
  rule: ClauseRule;
  start: number;
  end: number;
  text: string;
  /** Plain English: what the clause does and why it conflicts with the Covenant. */
  why: string;
  /**
   * The words that made the finding (what a results page highlights), as offsets into the input like start
   * and end; sorted, not overlapping, each inside [start, end).
   */
  matches: { start: number; end: number }[];
  /** The lead-in of the list the clause is an item of ("The following costs are not Eligible Expenditure"), or ''. */
  leadIn: string;
}

/** The largest text the checker accepts (characters): about 250 pages of agreement. */
export const MAX_CLAUSE_TEXT = 1_000_000;

const RULES: ClauseRule[] = ['A1', 'A2', 'A3'];

/** The Covenant commitment every finding conflicts with (domain.md §1.4, Recognition and value). */
const COVENANT =
  'The Covenant commits government to respect the independence of civil society, including its right to campaign, advocate and hold government to account without fear of sanction, whatever the funding relationship.';

interface Cue {
  rule: ClauseRule;
  /** The words that triggered the rule, quoted in the explanation. */
  cue: string;
  kind: 'influence' | 'lobbying' | 'policy' | 'publicity' | 'criticism' | 'reputation';
  approval: boolean;
  /** Where the quoted words are, as offsets into the clause's text. */
  start: number;
  end: number;
}

/**
 * Splits a clause at "; ", ", and shall …", " but …", ", provided that …" so an exemption stays local. Each
 * part keeps its offset in the clause.
 */
function subClauses(text: string): { part: string; offset: number }[] {
  const parts = text
    .split(
      /;\s*|,?\s+(?:but|whereas)\s+|,\s*nor\s+|,\s*(?:and|or)\s+(?=(?:(?:the|it|they|its)\s+)?(?:\w+\s+)?(?:shall|must|will|may|is|are|agrees?|undertakes?)\b)|\s+and\s+(?=(?:shall|must|will|agrees?|undertakes?)\b)|,\s*(?:provided|save|except)\s+(?:that\s+)?/i,
    )
    .filter((part) => part.trim() !== '');
  let cursor = 0;
  return parts.map((part) => {
    const offset = text.indexOf(part, cursor);
    cursor = offset + part.length;
    return { part, offset };
  });
}

/**
 * The harmless object a piece of text protects, if any. A leading "Without prejudice to the Data Protection
 * Act 2018, …" or "Subject to the law, …" names a context, not the object, so it is left out.
 */
function exemptionOf(text: string): string | undefined {
  const object = text
    // "…critical of the Department, whether or not it is accurate": a concession names no object.
    .replace(
      /\b(?:whether\s+or\s+not|whether\b[^,;]{0,200}?\bor\s+not|even\s+if|even\s+where|regardless\s+of\s+whether)\b[^,;]{0,200}/gi,
      '',
    )
    .replace(
      /^\s*(?:without\s+prejudice\s+to|subject\s+to|in\s+accordance\s+with|in\s+line\s+with|notwithstanding)\b[^,]*,/i,
      '',
    );
  return EXEMPTIONS.find((e) => e.cue.test(object))?.reason;
}

/**
 * The cue and the few words after it, up to the next comma or semicolon: "press announcement or public",
 * with its offsets in the clause (the part starts at `offset`).
 */
function quote(
  part: string,
  match: RegExpExecArray,
  offset: number,
): { cue: string; start: number; end: number } {
  const after = match.index + match[0].length;
  const tail = /^(?:\s+[^,;:.\s]+){0,5}/.exec(part.slice(after))?.[0] ?? '';
  const start = offset + match.index;
  const end = offset + after + tail.length;
  return { cue: `${match[0]}${tail}`.replace(/\s+/g, ' ').trim(), start, end };
}

/** The objects (A1–A3 categories) a piece of text speaks about, without asking whether it restricts them. */
function objectsIn(text: string): Set<ClauseRule> {
  const found = new Set<ClauseRule>();
  if (
    (INFLUENCE.test(text) && INFLUENCE_TARGET.test(text)) ||
    LOBBYING.test(text) ||
    POLITICAL_CONTACT.test(text)
  )
    found.add('A1');
  if (POLICY_INPUT.test(text) || /\bspeak|express|comment/i.test(text)) found.add('A2');
  if (PUBLICITY.test(text) || REPUTATION.test(text) || /\bspeak|express|comment/i.test(text)) found.add('A3');
  return found;
}

/** The subject of the clause: the words before its first verb of obligation. */
function subjectOf(text: string): string {
  const m = /\b(?:shall|must|will|may|can|agrees?|undertakes?|is|are|should)\b/i.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** Scores one clause and returns its cues, before block-level savings are applied. */
function scoreClause(segment: Segment): { cues: Cue[]; saved: Set<ClauseRule> } {
  const cues: Cue[] = [];
  const saved = new Set<ClauseRule>();
  const whole = segment.leadIn ? `${segment.leadIn} ${segment.text}` : segment.text;

  // A saving keeps free what it names ("nothing in this clause prevents the Grantee from campaigning"); a
  // saving that names nothing in particular keeps everything in its block free.
  const savingMatch = SAVING.exec(segment.text);
  let restrictive = segment.text;
  if (savingMatch) {
    const kept = objectsIn(segment.text.slice(savingMatch.index));
    for (const rule of kept.size > 0 ? kept : new Set(RULES)) saved.add(rule);
    restrictive = segment.text.slice(0, savingMatch.index);
    if (kept.size > 0 && kept.has('A2')) saved.add('A1');
  }
  const restrictiveWhole = segment.leadIn ? `${segment.leadIn} ${restrictive}` : restrictive;
  // A "not" in a purpose clause ("… so that Ministers are not taken by surprise") restricts nothing.
  const negated = RESTRICTION.test(
    restrictiveWhole.replace(/\b(?:so\s+that|in\s+order\s+that)\b[\s\S]*$/i, ''),
  );
  const approvalMatch = APPROVAL.exec(restrictiveWhole);
  const subject = subjectOf(segment.text);
  // Only a plain noun phrase counts: "Without prejudice to the Data Protection Act 2018, the Grantee …" has
  // a comma and is not about personal data.
  const subjectExempt = subject.length <= 80 && !subject.includes(',') && exemptionOf(subject) !== undefined;
  // "The Department shall not make any statement about the Grantee" binds the funder, not the organisation;
  // "The Department will not fund lobbying" still restricts what the organisation may spend the grant on.
  const bindsFunder = FUNDER_SUBJECT.test(subject.trim()) && !RECIPIENT_WORDS.test(subject);
  const aboutMoney = /\b(?:fund|pay|grant|money|monies|expenditure|costs?|spend\w*|eligible)\b/i.test(whole);
  const restrictsAction = negated && (!bindsFunder || aboutMoney);
  const restricts = restrictsAction || approvalMatch !== null;
  const hasDuty = /\b(?:shall|must|will|agrees?|undertakes?|should|is\s+required|are\s+required)\b/i.test(
    whole,
  );

  let previousExempt = false;
  for (const { part, offset } of subClauses(restrictive)) {
    // The exempt object may be the clause's subject rather than in this part: "Personal data … must be
    // stored securely and must not be shared with the media".
    // "…keep information about clients confidential and must not discuss it with the press": a part that
    // only refers back to an exempt object ("it", "such information") is exempt with it.
    const refersBack =
      /\b(?:discuss|disclos|shar|publish|releas|reveal|pass|giv|divulg)\w*\s+(?:it|them|such|this|that|the\s+same)\b/i;
    if (exemptionOf(part) || subjectExempt || (previousExempt && refersBack.test(part))) {
      previousExempt = true;
      continue;
    }
    previousExempt = false;
    const partApproval = APPROVAL.test(part) || (approvalMatch !== null && !RESTRICTION.test(part));
    if (restricts) {
      const influence = INFLUENCE.exec(part);
      if (influence && INFLUENCE_TARGET.test(part.slice(influence.index))) {
        cues.push({
          rule: 'A1',
          ...quote(part, influence, offset),
          kind: 'influence',
          approval: partApproval,
        });
      } else {
        const lobbying = LOBBYING.exec(part) ?? POLITICAL_CONTACT.exec(part);
        if (lobbying)
          cues.push({
            rule: 'A1',
            ...quote(part, lobbying, offset),
            kind: 'lobbying',
            approval: partApproval,
          });
      }
      const policy = POLICY_INPUT.exec(part);
      const onlyNonAdvocacy =
        policy !== null && /campaign/i.test(policy[0]) && NON_ADVOCACY_CAMPAIGN.test(part);
      if (policy && !onlyNonAdvocacy) {
        cues.push({ rule: 'A2', ...quote(part, policy, offset), kind: 'policy', approval: partApproval });
      }
      const criticism = CRITICISM_OF_FUNDER.exec(part);
      if (criticism) {
        cues.push({
          rule: 'A3',
          ...quote(part, criticism, offset),
          kind: 'criticism',
          approval: partApproval,
        });
      } else if (restrictsAction || approvalMatch) {
        const publicity = PUBLICITY.exec(part);
        // Funder-bound clauses count here only when they give the funder a say over what is published.
        if (publicity && (!bindsFunder || approvalMatch)) {
          cues.push({
            rule: 'A3',
            ...quote(part, publicity, offset),
            kind: 'publicity',
            approval: partApproval,
          });
        }
      }
    }
    const reputation = REPUTATION.exec(part);
    const repStart = reputation ? offset + reputation.index : -1;
    const overlaps = cues.some((c) => c.rule === 'A3' && repStart >= c.start && repStart < c.end);
    if (reputation && hasDuty && !OWN_REPUTATION.test(part) && !overlaps) {
      cues.push({ rule: 'A3', ...quote(part, reputation, offset), kind: 'reputation', approval: false });
    }
  }
  return { cues, saved };
}

const EXPLAIN: Record<Cue['kind'], (cue: Cue) => string> = {
  influence: (c) =>
    `The clause stops the organisation spending the grant on activity meant to influence government, Parliament, legislation, regulation or funding decisions (“${c.cue}”). This is the 2016 anti-advocacy clause or a variant of it, which government abandoned.`,
  lobbying: (c) =>
    c.approval
      ? `The clause makes the organisation's lobbying of, or contact with, Parliament or government (“${c.cue}”) depend on the funder's approval, a variant of the 2016 anti-advocacy clause, which government abandoned.`
      : `The clause bars lobbying of, or contact with, Parliament or government (“${c.cue}”) as a condition of the funding, a variant of the 2016 anti-advocacy clause, which government abandoned.`,
  policy: (c) =>
    c.approval
      ? `The clause makes the organisation's policy input (“${c.cue}”) depend on the funder's approval. The December 2016 grant standards allow evidence-based policy recommendations and input to consultations and debate within a grant.`
      : `The clause stops the organisation giving policy input (“${c.cue}”). The December 2016 grant standards allow evidence-based policy recommendations and input to consultations and debate within a grant.`,
  publicity: (c) =>
    c.approval
      ? `The clause requires the funder's approval before the organisation speaks publicly or to the media (“${c.cue}”). A publicity-approval clause lets the funder control what the organisation says.`
      : `The clause stops the organisation speaking publicly or to the media (“${c.cue}”).`,
  criticism: (c) =>
    `The clause stops the organisation criticising the funder in public (“${c.cue}”), a gagging clause.`,
  reputation: (c) =>
    `The clause protects the funder's reputation or standing (“${c.cue}”), the wording of the DWP contract gagging clauses: it can be used to silence criticism.`,
};

/**
 * Checks agreement text for clauses that conflict with the Covenant (rules A1–A3). Returns findings in the
 * order of the text; one finding per clause and rule.
 */
export function checkClauses(input: string): ClauseFinding[] {
  const segments = segmentClauses(input);
  const scored = segments.map((segment) => ({ segment, ...scoreClause(segment) }));
  // "Nothing in this clause prevents…" reaches the whole paragraph or numbered clause it sits in.
  const savedByBlock = new Map<number, Set<ClauseRule>>();
  for (const { segment, saved } of scored) {
    const set = savedByBlock.get(segment.block) ?? new Set<ClauseRule>();
    for (const rule of saved) set.add(rule);
    savedByBlock.set(segment.block, set);
  }
  const findings: ClauseFinding[] = [];
  for (const { segment, cues } of scored) {
    const saved = savedByBlock.get(segment.block) ?? new Set<ClauseRule>();
    for (const rule of RULES) {
      if (saved.has(rule)) continue;
      const ruleCues = cues.filter((c) => c.rule === rule);
      if (ruleCues.length === 0) continue;
      const reasons = [...new Set(ruleCues.map((c) => EXPLAIN[c.kind](c)))];
      const matches: ClauseFinding['matches'] = [];
      for (const c of [...ruleCues].sort((a, b) => a.start - b.start)) {
        const last = matches[matches.length - 1];
        const span = { start: segment.start + c.start, end: segment.start + c.end };
        if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
        else matches.push(span);
      }
      findings.push({
        rule,
        start: segment.start,
        end: segment.end,
        text: segment.text,
        why: `${reasons.join(' ')} ${COVENANT}`,
        matches,
        leadIn: segment.leadIn,
      });
    }
  }
  return findings;
}
