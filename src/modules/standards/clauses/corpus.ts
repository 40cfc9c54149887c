/**
 * Precision and recall of the clause checker on a labelled corpus (test/fixtures/clauses/*.jsonl). Used by
 * the corpus test and by `npm run bench -- clauses`. A clause counts as flagged when the checker returns any
 * finding inside it; the rule is right when the expected rule is among the rules found.
 */
import { readFileSync } from 'node:fs';
import { checkClauses, type ClauseRule } from './checker.ts';

export interface LabelledClause {
  id: string;
  conflicting: boolean;
  rule: ClauseRule | null;
  text: string;
}

export interface CorpusScore {
  clauses: number;
  conflicting: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Share of true positives whose expected rule was among the rules found. */
  ruleAccuracy: number;
  mistakes: { id: string; expected: ClauseRule | null; found: ClauseRule[]; text: string }[];
}

export function readCorpus(file: string): LabelledClause[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledClause);
}

export function scoreCorpus(clauses: LabelledClause[]): CorpusScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let ruleRight = 0;
  const mistakes: CorpusScore['mistakes'] = [];
  for (const clause of clauses) {
    const found = [...new Set(checkClauses(clause.text).map((f) => f.rule))];
    const flagged = found.length > 0;
    if (flagged && clause.conflicting) {
      tp++;
      if (clause.rule && found.includes(clause.rule)) ruleRight++;
      else mistakes.push({ id: clause.id, expected: clause.rule, found, text: clause.text });
    } else if (flagged) {
      fp++;
      mistakes.push({ id: clause.id, expected: null, found, text: clause.text });
    } else if (clause.conflicting) {
      fn++;
      mistakes.push({ id: clause.id, expected: clause.rule, found, text: clause.text });
    }
  }
  return {
    clauses: clauses.length,
    conflicting: clauses.filter((c) => c.conflicting).length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    ruleAccuracy: tp === 0 ? 1 : ruleRight / tp,
    mistakes,
  };
}
