/**
 * Agreement measures the engine reports about itself (SPEC §8: "It reports its own agreement with human
 * coding"): multi-label precision, recall and F1 (micro and macro), normalised mutual information between
 * themes and codes, and Cohen's kappa per code between two analysts.
 */

export type LabelScores = {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Answers that truly have the label. */
  support: number;
  tp: number;
  fp: number;
  fn: number;
};

export type MultiLabelReport = {
  /** Answers scored: those present in both prediction and truth. */
  answers: number;
  micro: { precision: number; recall: number; f1: number };
  /** Unweighted mean over labels of per-label precision, recall and F1. */
  macro: { precision: number; recall: number; f1: number };
  perLabel: LabelScores[];
};

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1Of = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Scores predicted label sets against true ones, over the ids present in both. Labels are the union of
 * true and predicted labels (as scikit-learn does), so a code the model invents counts against macro F1.
 * A label with no true and no predicted answers cannot occur; 0/0 precision or recall is taken as 0.
 */
export function multiLabelScores(
  predicted: ReadonlyMap<string, readonly string[]>,
  truth: ReadonlyMap<string, readonly string[]>,
): MultiLabelReport {
  const labels = new Set<string>();
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const ids = [...truth.keys()].filter((id) => predicted.has(id));
  for (const id of ids) {
    for (const l of truth.get(id) ?? []) labels.add(l);
    for (const l of predicted.get(id) ?? []) labels.add(l);
  }
  for (const l of labels) counts.set(l, { tp: 0, fp: 0, fn: 0 });
  for (const id of ids) {
    const t = new Set(truth.get(id));
    const p = new Set(predicted.get(id));
    for (const l of p) {
      const c = counts.get(l) as { tp: number; fp: number; fn: number };
      if (t.has(l)) c.tp++;
      else c.fp++;
    }
    for (const l of t) if (!p.has(l)) (counts.get(l) as { fn: number }).fn++;
  }
  const perLabel: LabelScores[] = [...labels].sort().map((label) => {
    const { tp, fp, fn } = counts.get(label) as { tp: number; fp: number; fn: number };
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    return { label, precision, recall, f1: f1Of(precision, recall), support: tp + fn, tp, fp, fn };
  });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of perLabel) {
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
  }
  const microP = ratio(tp, tp + fp);
  const microR = ratio(tp, tp + fn);
  const mean = (pick: (s: LabelScores) => number): number =>
    perLabel.length === 0 ? 0 : perLabel.reduce((sum, s) => sum + pick(s), 0) / perLabel.length;
  return {
    answers: ids.length,
    micro: { precision: microP, recall: microR, f1: f1Of(microP, microR) },
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    perLabel,
  };
}

/**
 * Normalised mutual information between two labelings of the same items, with the arithmetic-mean
 * normaliser (scikit-learn's default): NMI = I(A;B) / ((H(A) + H(B)) / 2). 1 when both are a single group.
 * For multi-label truth, callers pass each answer's first (primary) code: NMI is defined for partitions.
 */
export function normalisedMutualInformation(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) throw new RangeError('labelings must have the same length');
  const n = a.length;
  if (n === 0) return 0;
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
    const key = JSON.stringify([x, y]);
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const entropy = (m: Map<string, number>): number => {
    let h = 0;
    for (const c of m.values()) h -= (c / n) * Math.log(c / n);
    return h;
  };
  const ha = entropy(ca);
  const hb = entropy(cb);
  if (ha === 0 && hb === 0) return 1;
  let mi = 0;
  for (const [key, c] of joint) {
    const [x, y] = JSON.parse(key) as [string, string];
    mi += (c / n) * Math.log((c * n) / ((ca.get(x) as number) * (cb.get(y) as number)));
  }
  const denominator = (ha + hb) / 2;
  return denominator === 0 ? 0 : Math.max(0, Math.min(1, mi / denominator));
}

/**
 * Cohen's kappa for two raters' yes/no decisions on the same items: (po − pe) / (1 − pe). When chance
 * agreement is total (both raters always say the same single value) kappa is undefined; we return 1 if
 * they agree on everything, which is what an analyst would expect to see.
 */
export function cohenKappa(a: readonly boolean[], b: readonly boolean[]): number {
  if (a.length !== b.length) throw new RangeError('raters must rate the same number of items');
  const n = a.length;
  if (n === 0) return 0;
  let agree = 0;
  let aYes = 0;
  let bYes = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    if (a[i]) aYes++;
    if (b[i]) bYes++;
  }
  const po = agree / n;
  const pe = (aYes / n) * (bYes / n) + (1 - aYes / n) * (1 - bYes / n);
  if (pe === 1) return po === 1 ? 1 : 0;
  return (po - pe) / (1 - pe);
}

export type KappaByCode = { code: string; kappa: number; answers: number };

/**
 * Cohen's kappa per code for two analysts who coded the same sample (multi-label: each code is a separate
 * yes/no decision per answer). Only answers both analysts coded are compared.
 */
export function kappaPerCode(
  first: ReadonlyMap<string, readonly string[]>,
  second: ReadonlyMap<string, readonly string[]>,
): KappaByCode[] {
  const ids = [...first.keys()].filter((id) => second.has(id)).sort();
  const codes = new Set<string>();
  for (const id of ids) {
    for (const c of first.get(id) ?? []) codes.add(c);
    for (const c of second.get(id) ?? []) codes.add(c);
  }
  return [...codes].sort().map((code) => ({
    code,
    answers: ids.length,
    kappa: cohenKappa(
      ids.map((id) => (first.get(id) ?? []).includes(code)),
      ids.map((id) => (second.get(id) ?? []).includes(code)),
    ),
  }));
}
