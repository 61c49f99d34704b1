/**
 * Triplet STDP (Pfister & Gerstner 2006, J. Neurosci. 26:9673), the rule that explains the
 * frequency dependence of STDP that the pair rule misses. Four traces:
 *
 *   r₁ (pre, τ₊), r₂ (pre, τx), o₁ (post, τ₋), o₂ (post, τy)      decaying exactly (`traces.ts`)
 *   post spike at synapse (i → j):  w ← w ⊕ r₁ᵢ · (A₂⁺ + A₃⁺ · o₂ⱼ(t − ε))
 *   pre spike at synapse (i → j):   w ← w ⊕ −o₁ⱼ · (A₂⁻ + A₃⁻ · r₂ᵢ(t − ε))
 *
 * where (t − ε) means the trace before the spike's own increment and ⊕ applies the weight
 * dependence of `bounds.ts`. The amplitudes are the paper's non-negative A₂⁺, A₃⁺, A₂⁻, A₃⁻ (Table
 * 4), with the depression sign written in the rule; note that `stdp.ts` follows the review's Eq. 1
 * instead and stores its B signed. Order within a step, as in `stdp.ts`: decay all traces; add pre
 * spikes to r₁; LTP for post spikes; LTD for pre spikes; add pre spikes to r₂ and post spikes to o₁
 * and o₂. With A₃⁺ = A₃⁻ = 0 the rule is the pair rule of `stdp.ts` with A = A₂⁺ and B = −A₂⁻,
 * step for step.
 *
 * @example
 *   const w = new Float32Array(4).fill(0.5);                   // 2 pre → 2 post
 *   const access = denseAccess(w, 2, 2);
 *   const p = tripletParams(tripletPresets.visualCortexMinimal);
 *   const traces = tripletInit(access, p);
 *   tripletStep(new Uint8Array([1, 0]), new Uint8Array([0, 1]), access, traces, p, 0.1 * ms);
 */
import { fail, lengthIs, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { checkWeightBounds, checkWeightsInBounds, depress, potentiate, type WeightBounds } from "./bounds";
import { checkAccessShape, checkSynapseAccess, type SynapseAccess } from "./synapse-access";
import { addSpikes, decayTrace, traceInteractions, type TraceInteraction } from "./traces";

/** The eight constants of the triplet rule (Pfister & Gerstner 2006, Table 4). */
export interface TripletConstants {
  /** Pair LTP amplitude A₂⁺ (≥ 0), weight units. */
  readonly a2Plus: number;
  /** Triplet LTP amplitude A₃⁺ (≥ 0), weight units. */
  readonly a3Plus: number;
  /** Pair LTD amplitude A₂⁻ (≥ 0, subtracted), weight units. */
  readonly a2Minus: number;
  /** Triplet LTD amplitude A₃⁻ (≥ 0, subtracted), weight units. */
  readonly a3Minus: number;
  /** Time constant τ₊ of the fast presynaptic trace r₁, ms. */
  readonly tauPlus: number;
  /** Time constant τ₋ of the fast postsynaptic trace o₁, ms. */
  readonly tauMinus: number;
  /** Time constant τx of the slow presynaptic trace r₂, ms. */
  readonly tauX: number;
  /** Time constant τy of the slow postsynaptic trace o₂, ms. */
  readonly tauY: number;
}

/** Parameters of the triplet rule: its constants, the weight bounds, and how spikes pair up. */
export interface TripletParams extends TripletConstants, WeightBounds {
  /** "all-to-all" (traces accumulate) or "nearest" (traces reset to 1). */
  readonly interaction: TraceInteraction;
}

/**
 * Published parameter sets. `visualCortexMinimal`: the minimal all-to-all model fitted to visual
 * cortex data (Pfister & Gerstner 2006, Table 4; card E4). τx is listed although the minimal model
 * does not use r₂ (A₃⁻ = 0).
 */
export const tripletPresets: Readonly<{ visualCortexMinimal: Readonly<TripletConstants> }> = Object.freeze({
  visualCortexMinimal: Object.freeze({
    a2Plus: 0,
    a3Plus: 6.5e-3,
    a2Minus: 7.1e-3,
    a3Minus: 0,
    tauPlus: 16.8,
    tauMinus: 33.7,
    tauX: 101,
    tauY: 114,
  }),
});

/** Defaults: `tripletPresets.visualCortexMinimal`, hard bounds on [0, 1], all-to-all. */
export const tripletDefaults: Readonly<TripletParams> = Object.freeze({
  ...tripletPresets.visualCortexMinimal,
  wMin: 0,
  wMax: 1,
  weightDependence: "hard",
  mu: 1,
  interaction: "all-to-all",
});

/** Validated, frozen triplet parameters; unknown keys and invalid values throw the standard error. */
export function tripletParams(options?: Partial<TripletParams>): TripletParams {
  const fn = "tripletParams";
  return Object.freeze(checkTripletParams(fn, mergeOptions(fn, tripletDefaults, options)));
}

function checkTripletParams<T extends TripletParams>(fn: string, p: T): T {
  if (p === null || typeof p !== "object") fail(fn, "params", "be an object", p);
  nonNegative(fn, "a2Plus", p.a2Plus);
  nonNegative(fn, "a3Plus", p.a3Plus);
  nonNegative(fn, "a2Minus", p.a2Minus);
  nonNegative(fn, "a3Minus", p.a3Minus);
  positive(fn, "tauPlus", p.tauPlus);
  positive(fn, "tauMinus", p.tauMinus);
  positive(fn, "tauX", p.tauX);
  positive(fn, "tauY", p.tauY);
  checkWeightBounds(fn, p);
  oneOf(fn, "interaction", p.interaction, traceInteractions);
  return p;
}

/** The four traces of the triplet rule, dimensionless: r₁, r₂ per pre neuron, o₁, o₂ per post neuron. */
export interface TripletTraces {
  readonly r1: Float32Array;
  readonly r2: Float32Array;
  readonly o1: Float32Array;
  readonly o2: Float32Array;
}

/**
 * Checks `access` and that every weight lies in [wMin, wMax] (the standard error otherwise, before
 * anything changes), and returns zeroed traces sized for it.
 */
export function tripletInit(access: SynapseAccess, p: TripletParams): TripletTraces {
  const fn = "tripletInit";
  checkTripletParams(fn, p);
  checkSynapseAccess(fn, access);
  checkWeightsInBounds(fn, "access.w", access.w, p);
  return Object.freeze({
    r1: new Float32Array(access.nPre),
    r2: new Float32Array(access.nPre),
    o1: new Float32Array(access.nPost),
    o2: new Float32Array(access.nPost),
  });
}

/**
 * One step of triplet STDP (order of operations in the file header). Updates `traces` and
 * `access.w` in place; `pre`, `post` (0/1 spikes of this step) and `p` are read only. Returns the
 * number of synaptic updates made.
 */
export function tripletStep(
  pre: Uint8Array, post: Uint8Array, access: SynapseAccess, traces: TripletTraces, p: TripletParams, dt: number,
): number {
  const fn = "tripletStep";
  checkTripletParams(fn, p);
  positive(fn, "dt", dt);
  checkAccessShape(fn, access);
  if (traces === null || typeof traces !== "object") fail(fn, "traces", "be the record returned by tripletInit", traces);
  lengthIs(fn, "pre", pre, access.nPre);
  lengthIs(fn, "post", post, access.nPost);
  lengthIs(fn, "traces.r1", traces.r1, access.nPre);
  lengthIs(fn, "traces.r2", traces.r2, access.nPre);
  lengthIs(fn, "traces.o1", traces.o1, access.nPost);
  lengthIs(fn, "traces.o2", traces.o2, access.nPost);
  const { r1, r2, o1, o2 } = traces;
  const nearest = p.interaction === "nearest";
  decayTrace(r1, Math.exp(-dt / p.tauPlus));
  decayTrace(r2, Math.exp(-dt / p.tauX));
  decayTrace(o1, Math.exp(-dt / p.tauMinus));
  decayTrace(o2, Math.exp(-dt / p.tauY));
  addSpikes(pre, r1, nearest);
  const w = access.w;
  let updates = 0;
  const byPost = access.byPost;
  for (let j = 0; j < post.length; j++) {
    if (!post[j]) continue;
    const gain = p.a2Plus + p.a3Plus * o2[j];
    const pb = byPost.partnerBase[j];
    const wb = byPost.weightBase[j];
    const end = byPost.end[j];
    for (let e = byPost.start[j]; e < end; e++) {
      const amount = r1[pb + byPost.partner[e]] * gain;
      if (amount === 0) continue;
      const k = wb + byPost.weight[e];
      w[k] = potentiate(w[k], amount, p);
      updates++;
    }
  }
  const byPre = access.byPre;
  for (let i = 0; i < pre.length; i++) {
    if (!pre[i]) continue;
    const gain = p.a2Minus + p.a3Minus * r2[i];
    const pb = byPre.partnerBase[i];
    const wb = byPre.weightBase[i];
    const end = byPre.end[i];
    for (let e = byPre.start[i]; e < end; e++) {
      const amount = o1[pb + byPre.partner[e]] * gain;
      if (amount === 0) continue;
      const k = wb + byPre.weight[e];
      w[k] = depress(w[k], -amount, p);
      updates++;
    }
  }
  addSpikes(pre, r2, nearest);
  addSpikes(post, o1, nearest);
  addSpikes(post, o2, nearest);
  return updates;
}
