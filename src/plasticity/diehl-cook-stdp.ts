/**
 * The triplet-style STDP of Diehl & Cook (2015) (card E11), as in their original Brian code:
 *
 *   traces: x (pre, τpre = 20 ms), y₁ (post, τpost1 = 20 ms), y₂ (post, τpost2 = 40 ms)
 *   pre spike at synapse (i → j):   xᵢ ← 1;  w ← w ⊕ −νpre · y₁ⱼ
 *   post spike at synapse (i → j):  w ← w ⊕ νpost · xᵢ · y₂ⱼ(before);  y₁ⱼ ← 1;  y₂ⱼ ← 1
 *
 * with νpre = 1e−4, νpost = 1e−2 and w clipped to [0, wMax = 1] (⊕: the weight dependence of
 * `bounds.ts`, "hard" here). The traces are set to 1 at a spike, not incremented ("nearest"), as
 * in the original `pre = 1.`. Within a step the pre pathway runs before the post pathway, as Brian
 * runs them: decay all traces; for pre spikes set x = 1 and depress; for post spikes potentiate
 * with y₂ from before this step, then set y₁ = y₂ = 1. Note that the first post spike of a neuron
 * never potentiates (y₂ = 0 before it), and that a pre and a post spike in the same step give both
 * the depression (with the old y₁) and a potentiation with x = 1.
 *
 * Diehl & Cook's random 0–10 ms input delays belong to the projection: pass the delayed pre spikes.
 *
 * @example
 *   const w = new Float32Array(784 * 100);
 *   const rng = createRng(1);
 *   for (let k = 0; k < w.length; k++) w[k] = rng.uniform(0, 0.3);
 *   const access = denseAccess(w, 784, 100);
 *   const p = diehlCookParams();
 *   const traces = diehlCookInit(access, p);
 *   diehlCookStep(new Uint8Array(784), new Uint8Array(100), access, traces, p, 0.5 * ms);
 */
import { fail, lengthIs, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { checkWeightBounds, checkWeightsInBounds, depress, potentiate, type WeightBounds } from "./bounds";
import { checkAccessShape, checkSynapseAccess, type SynapseAccess } from "./synapse-access";
import { addSpikes, decayTrace, traceInteractions, type TraceInteraction } from "./traces";

/** Parameters of the Diehl & Cook rule. */
export interface DiehlCookParams extends WeightBounds {
  /** Presynaptic trace time constant, ms. */
  readonly tauPre: number;
  /** Fast postsynaptic trace time constant (depression), ms. */
  readonly tauPost1: number;
  /** Slow postsynaptic trace time constant (potentiation), ms. */
  readonly tauPost2: number;
  /** Depression rate νpre (≥ 0, subtracted), weight units. */
  readonly nuPre: number;
  /** Potentiation rate νpost (≥ 0), weight units. */
  readonly nuPost: number;
  /** "nearest" (traces set to 1, the original) or "all-to-all" (traces incremented). */
  readonly interaction: TraceInteraction;
}

/** Defaults: Diehl & Cook (2015) original code (card E11). */
export const diehlCookDefaults: Readonly<DiehlCookParams> = Object.freeze({
  tauPre: 20,
  tauPost1: 20,
  tauPost2: 40,
  nuPre: 1e-4,
  nuPost: 1e-2,
  wMin: 0,
  wMax: 1,
  weightDependence: "hard",
  mu: 1,
  interaction: "nearest",
});

/** Validated, frozen parameters; unknown keys and invalid values throw the standard error. */
export function diehlCookParams(options?: Partial<DiehlCookParams>): DiehlCookParams {
  const fn = "diehlCookParams";
  return Object.freeze(checkDiehlCookParams(fn, mergeOptions(fn, diehlCookDefaults, options)));
}

function checkDiehlCookParams<T extends DiehlCookParams>(fn: string, p: T): T {
  if (p === null || typeof p !== "object") fail(fn, "params", "be an object", p);
  positive(fn, "tauPre", p.tauPre);
  positive(fn, "tauPost1", p.tauPost1);
  positive(fn, "tauPost2", p.tauPost2);
  nonNegative(fn, "nuPre", p.nuPre);
  nonNegative(fn, "nuPost", p.nuPost);
  checkWeightBounds(fn, p);
  oneOf(fn, "interaction", p.interaction, traceInteractions);
  return p;
}

/** The traces of the Diehl & Cook rule, dimensionless: x per pre neuron, y₁ and y₂ per post neuron. */
export interface DiehlCookTraces {
  readonly pre: Float32Array;
  readonly post1: Float32Array;
  readonly post2: Float32Array;
}

/**
 * Checks `access` and that every weight lies in [wMin, wMax] (the standard error otherwise, before
 * anything changes), and returns zeroed traces sized for it.
 */
export function diehlCookInit(access: SynapseAccess, p: DiehlCookParams): DiehlCookTraces {
  const fn = "diehlCookInit";
  checkDiehlCookParams(fn, p);
  checkSynapseAccess(fn, access);
  checkWeightsInBounds(fn, "access.w", access.w, p);
  return Object.freeze({
    pre: new Float32Array(access.nPre),
    post1: new Float32Array(access.nPost),
    post2: new Float32Array(access.nPost),
  });
}

/**
 * One step of the Diehl & Cook rule (order in the file header). Updates `traces` and `access.w` in
 * place; `pre`, `post` (0/1 spikes of this step) and `p` are read only. Returns the number of
 * synaptic updates made.
 */
export function diehlCookStep(
  pre: Uint8Array, post: Uint8Array, access: SynapseAccess, traces: DiehlCookTraces, p: DiehlCookParams, dt: number,
): number {
  const fn = "diehlCookStep";
  checkDiehlCookParams(fn, p);
  positive(fn, "dt", dt);
  checkAccessShape(fn, access);
  if (traces === null || typeof traces !== "object") fail(fn, "traces", "be the record returned by diehlCookInit", traces);
  lengthIs(fn, "pre", pre, access.nPre);
  lengthIs(fn, "post", post, access.nPost);
  lengthIs(fn, "traces.pre", traces.pre, access.nPre);
  lengthIs(fn, "traces.post1", traces.post1, access.nPost);
  lengthIs(fn, "traces.post2", traces.post2, access.nPost);
  const x = traces.pre;
  const y1 = traces.post1;
  const y2 = traces.post2;
  const nearest = p.interaction === "nearest";
  decayTrace(x, Math.exp(-dt / p.tauPre));
  decayTrace(y1, Math.exp(-dt / p.tauPost1));
  decayTrace(y2, Math.exp(-dt / p.tauPost2));
  addSpikes(pre, x, nearest);
  const w = access.w;
  let updates = 0;
  const byPre = access.byPre;
  for (let i = 0; i < pre.length; i++) {
    if (!pre[i]) continue;
    const pb = byPre.partnerBase[i];
    const wb = byPre.weightBase[i];
    const end = byPre.end[i];
    for (let e = byPre.start[i]; e < end; e++) {
      const amount = p.nuPre * y1[pb + byPre.partner[e]];
      if (amount === 0) continue;
      const k = wb + byPre.weight[e];
      w[k] = depress(w[k], -amount, p);
      updates++;
    }
  }
  const byPost = access.byPost;
  for (let j = 0; j < post.length; j++) {
    if (!post[j]) continue;
    const gain = p.nuPost * y2[j];
    if (gain === 0) continue;
    const pb = byPost.partnerBase[j];
    const wb = byPost.weightBase[j];
    const end = byPost.end[j];
    for (let e = byPost.start[j]; e < end; e++) {
      const amount = gain * x[pb + byPost.partner[e]];
      if (amount === 0) continue;
      const k = wb + byPost.weight[e];
      w[k] = potentiate(w[k], amount, p);
      updates++;
    }
  }
  addSpikes(post, y1, nearest);
  addSpikes(post, y2, nearest);
  return updates;
}
