/**
 * Exact and near-duplicate grouping. Campaign responses (the same template letter sent 2,000 times, or with a
 * sentence added) would otherwise become a "theme" of their own and push real themes out; SPEC §8 and issue 8
 * ask for duplicates to be grouped and counted once for theme discovery. Every copy still gets the theme of
 * its group, and the group size is reported.
 */

/** Canonical form for exact matching: case, punctuation and spacing do not make an answer different. */
export function duplicateKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const HASHES = 32;
const BANDS = 8;
const ROWS = HASHES / BANDS;
/** Estimated Jaccard similarity of word 3-shingles above which two answers count as near-duplicates. */
export const NEAR_DUPLICATE_JACCARD = 0.8;
/** Answers shorter than this (in words) are only matched exactly: a few words give no reliable shingles. */
const MIN_WORDS_FOR_NEAR = 8;

// Fixed per-hash salts so the signatures, and hence the groups, never change between runs.
const SALTS = Int32Array.from({ length: HASHES }, (_, i) =>
  fmix32(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)),
);

function fmix32(h0: number): number {
  let h = h0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** MinHash signature of an answer's word 3-shingles, or null when it is too short to have one. */
function minHashSignature(key: string): Int32Array | null {
  const words = key.split(' ');
  if (words.length < MIN_WORDS_FOR_NEAR) return null;
  const sig = new Int32Array(HASHES).fill(0x7fffffff);
  for (let i = 0; i + 2 < words.length; i++) {
    const h = hashString(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
    for (let k = 0; k < HASHES; k++) {
      const v = fmix32(h ^ (SALTS[k] as number));
      if (v < (sig[k] as number)) sig[k] = v;
    }
  }
  return sig;
}

function estimatedJaccard(a: Int32Array, b: Int32Array): number {
  let same = 0;
  for (let k = 0; k < HASHES; k++) if (a[k] === b[k]) same++;
  return same / HASHES;
}

export type DuplicateGroups = {
  /** For each answer, the index of its group's representative (the first answer of the group). */
  representative: Int32Array;
  /** For each answer, how many answers share its group (1 when unique). */
  groupSize: Int32Array;
  /** Indices of the representatives, in input order: the answers used for theme discovery. */
  representatives: number[];
};

/**
 * Groups answers that are the same after canonicalisation, and answers whose word 3-shingles overlap by
 * at least 80% (MinHash with banded locality-sensitive hashing, so it stays near-linear for 100,000 answers).
 * Deterministic: the representative is always the earliest answer in the group.
 */
export function groupDuplicates(texts: readonly string[]): DuplicateGroups {
  const n = texts.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r] as number;
    let c = x;
    while (parent[c] !== r) {
      const next = parent[c] as number;
      parent[c] = r;
      c = next;
    }
    return r;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    // The smaller index becomes the root, so the representative is the earliest answer.
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };

  const exact = new Map<string, number>();
  const buckets = new Map<string, number>();
  const signatures = new Map<number, Int32Array>();
  for (let i = 0; i < n; i++) {
    const key = duplicateKey(texts[i] as string);
    const seen = exact.get(key);
    if (seen !== undefined) {
      union(seen, i);
      continue;
    }
    exact.set(key, i);
    const sig = minHashSignature(key);
    if (!sig) continue;
    signatures.set(i, sig);
    for (let b = 0; b < BANDS; b++) {
      let bandKey = `${b}`;
      for (let r = 0; r < ROWS; r++) bandKey += `:${sig[b * ROWS + r] as number}`;
      const other = buckets.get(bandKey);
      if (other === undefined) {
        buckets.set(bandKey, i);
      } else if (find(other) !== find(i)) {
        // Verify against the bucket's first member; a band collision alone is only a candidate.
        const otherSig = signatures.get(other) as Int32Array;
        if (estimatedJaccard(sig, otherSig) >= NEAR_DUPLICATE_JACCARD) union(other, i);
      }
    }
  }

  const representative = new Int32Array(n);
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    representative[i] = r;
    counts[r] = (counts[r] as number) + 1;
  }
  const groupSize = new Int32Array(n);
  const representatives: number[] = [];
  for (let i = 0; i < n; i++) {
    groupSize[i] = counts[representative[i] as number] as number;
    if (representative[i] === i) representatives.push(i);
  }
  return { representative, groupSize, representatives };
}
