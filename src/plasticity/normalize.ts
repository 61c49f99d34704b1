/**
 * Weight normalisation: each post neuron's incoming weights are scaled so that they sum to a
 * target, keeping their ratios (Diehl & Cook 2015: every excitatory neuron's 784 input weights sum
 * to 78, applied before each sample).
 *
 *   wᵢⱼ ← wᵢⱼ · target / Σᵢ wᵢⱼ
 *
 * Sums are taken in double precision; each scaled weight is then rounded to float32 once, so a
 * row of n weights sums to the target within about n·2⁻²⁴·target.
 *
 * @example
 *   const w = new Float32Array([1, 3, 2, 2]);             // 2 pre → 2 post, dense [post][pre]
 *   normalizeIncoming(denseAccess(w, 2, 2), { target: 78 });
 *   // w = [19.5, 58.5, 39, 39]: both rows sum to 78, ratios 1:3 and 1:1 kept
 */
import { fail, finite, mergeOptions } from "../core/validate";
import type { SynapseAccess } from "./synapse-access";

/** Options of `normalizeIncoming`. */
export interface NormalizeOptions {
  /** Sum of every post neuron's incoming weights after scaling, weight units. */
  readonly target: number;
}

/** Defaults: Diehl & Cook's column sum 78. */
export const normalizeDefaults: Readonly<NormalizeOptions> = Object.freeze({ target: 78 });

/**
 * Scales the incoming weights of every post neuron, in place in `access.w`, so that they sum to
 * `target`. Rows that sum to 0 (no inputs, or all weights 0) are left as they are. Throws the
 * standard error, before anything changes, if a row sums to a negative number or the access shares
 * weights between synapses (a shared kernel cannot be scaled per post neuron; normalise the kernel).
 * Returns the number of rows scaled.
 */
export function normalizeIncoming(access: SynapseAccess, options?: Partial<NormalizeOptions>): number {
  const fn = "normalizeIncoming";
  const o = mergeOptions(fn, normalizeDefaults, options);
  const target = finite(fn, "target", o.target);
  if (access === null || typeof access !== "object" || !(access.w instanceof Float32Array)) {
    fail(fn, "access", "be a SynapseAccess", access);
  }
  if (access.sharedWeights) fail(fn, "access", "not share weights between synapses", access.kind);
  const rows = access.byPost;
  const w = access.w;
  const sums = new Float64Array(access.nPost);
  for (let j = 0; j < access.nPost; j++) {
    const wb = rows.weightBase[j];
    let s = 0;
    for (let e = rows.start[j]; e < rows.end[j]; e++) s += w[wb + rows.weight[e]];
    if (!(s >= 0)) fail(fn, `sum of the weights onto post neuron ${j}`, "be a finite number >= 0", s);
    sums[j] = s;
  }
  let scaled = 0;
  for (let j = 0; j < access.nPost; j++) {
    if (sums[j] === 0) continue;
    const factor = target / sums[j];
    const wb = rows.weightBase[j];
    for (let e = rows.start[j]; e < rows.end[j]; e++) w[wb + rows.weight[e]] *= factor;
    scaled++;
  }
  return scaled;
}
