/**
 * Seeded pseudo-random numbers. The engine must give byte-identical output for the same input and seed
 * (issue 8: "Deterministic: same input and seed, same output"), so nothing in the core may call
 * Math.random(). Every function that needs randomness takes an `Rng` made here.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * Hashes a seed (number or string) to a 32-bit state with FNV-1a, so `--seed abc` and `--seed 42` both work
 * and nearby seeds still give unrelated streams.
 */
export function hashSeed(seed: number | string): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mulberry32: tiny, fast and good enough for sampling and seeding (not for cryptography). */
export function createRng(seed: number | string): Rng {
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher–Yates shuffle of a copy; the input is left untouched. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** `k` distinct indices from [0, n) in random order (all of them, shuffled, when k ≥ n). */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return shuffled(all, rng).slice(0, Math.min(k, n));
}
