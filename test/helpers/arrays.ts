/** Small array helpers shared by the training-layer tests. */
import { createRng } from "../../src/core/random";

/** `n` seeded uniform values in [lo, hi), as float32. */
export function uniform(seed: number, n: number, lo: number, hi: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/** The largest absolute value of an array (0 for an empty one). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
