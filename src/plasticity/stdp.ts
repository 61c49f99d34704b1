/**
 * Online pair-based STDP with traces (Song, Miller & Abbott 2000; Morrison et al. 2008), the
 * step-wise form of the window in `stdp-window.ts`:
 *
 *   presynaptic trace  x (τ₊),  postsynaptic trace y (τ₋), each decaying exactly (`traces.ts`)
 *   post spike at synapse (i → j):  w ← w ⊕ A·xᵢ       (LTP, A = aPlus > 0)
 *   pre spike at synapse (i → j):   w ← w ⊕ B·yⱼ       (LTD, B = aMinus < 0)
 *
 * where ⊕ applies the weight dependence and bounds of `bounds.ts`. Within one step the order is
 *   1. decay x and y by e^{−dt/τ₊}, e^{−dt/τ₋};
 *   2. add this step's pre spikes to x;
 *   3. LTP for this step's post spikes (so a pre spike in the same step counts, with x = 1);
 *   4. LTD for this step's pre spikes (with y from before this step's post spikes);
 *   5. add this step's post spikes to y.
 * An isolated pair with t_post − t_pre = Δt = m·dt therefore changes the weight by exactly
 * A·e^{−Δt/τ₊} (Δt ≥ 0) or B·e^{Δt/τ₋} (Δt < 0), i.e. `stdpWindow(Δt)`; a simultaneous pair
 * (Δt = 0) gives A and no LTD, the LTP branch of Eq. 1. The only error is float32 rounding of the
 * trace, one rounding per step.
 *
 * "all-to-all" traces sum every earlier spike; "nearest" traces reset to 1, pairing each spike
 * with the nearest earlier spike of the partner only. For isolated pairs both give the window.
 *
 * @example
 *   const w = new Float32Array(2 * 3).fill(0.5);              // 3 pre → 2 post, dense [post][pre]
 *   const access = denseAccess(w, 3, 2);
 *   const p = stdpParams({ aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8 * ms, tauMinus: 33.7 * ms });
 *   const traces = stdpInit(access, p);
 *   stdpStep(new Uint8Array([1, 0, 0]), new Uint8Array([0, 0]), access, traces, p, 0.1 * ms);
 *   stdpStep(new Uint8Array([0, 0, 0]), new Uint8Array([1, 0]), access, traces, p, 0.1 * ms);
 *   // w[0] grew by 0.01·e^{−0.1/16.8}: pre 0 fired 0.1 ms before post 0
 */
import { fail, lengthIs, mergeOptions, oneOf, positive } from "../core/validate";
import { checkWeightBounds, checkWeightsInBounds, depress, potentiate, type WeightBounds } from "./bounds";
import { checkStdpWindowParams, type StdpWindowParams } from "./stdp-window";
import { checkAccessShape, checkSynapseAccess, type SynapseAccess } from "./synapse-access";
import { addSpikes, decayTrace, traceInteractions, type TraceInteraction } from "./traces";

/** Parameters of pair STDP: the window, the weight bounds, and how spikes pair up. */
export interface StdpParams extends StdpWindowParams, WeightBounds {
  /** "all-to-all" (traces accumulate) or "nearest" (traces reset to 1). */
  readonly interaction: TraceInteraction;
}

/**
 * Defaults after Song, Miller & Abbott (2000): τ₊ = τ₋ = 20 ms, A = 0.005, B = −1.05·A (slight
 * depression dominance), hard bounds on [0, 1], all-to-all pairing.
 */
export const stdpDefaults: Readonly<StdpParams> = Object.freeze({
  aPlus: 0.005,
  aMinus: -0.00525,
  tauPlus: 20,
  tauMinus: 20,
  wMin: 0,
  wMax: 1,
  weightDependence: "hard",
  mu: 1,
  interaction: "all-to-all",
});

/** Validated, frozen STDP parameters; unknown keys and invalid values throw the standard error. */
export function stdpParams(options?: Partial<StdpParams>): StdpParams {
  const fn = "stdpParams";
  return Object.freeze(checkStdpParams(fn, mergeOptions(fn, stdpDefaults, options)));
}

function checkStdpParams<T extends StdpParams>(fn: string, p: T): T {
  checkStdpWindowParams(fn, p);
  checkWeightBounds(fn, p);
  oneOf(fn, "interaction", p.interaction, traceInteractions);
  return p;
}

/** The traces of pair STDP: one per pre neuron (τ₊) and one per post neuron (τ₋), dimensionless. */
export interface StdpTraces {
  readonly pre: Float32Array;
  readonly post: Float32Array;
}

/**
 * Checks `access` and that every weight lies in [wMin, wMax] (the standard error otherwise, before
 * anything changes), and returns zeroed traces sized for it. Reset them between samples with
 * `resetTraces`.
 */
export function stdpInit(access: SynapseAccess, p: StdpParams): StdpTraces {
  const fn = "stdpInit";
  checkStdpParams(fn, p);
  checkSynapseAccess(fn, access);
  checkWeightsInBounds(fn, "access.w", access.w, p);
  return Object.freeze({ pre: new Float32Array(access.nPre), post: new Float32Array(access.nPost) });
}

/**
 * One step of pair STDP (order of operations in the file header). Updates `traces` and
 * `access.w` in place; `pre` and `post` (0/1 spikes of this step) and `p` are read only. Returns
 * the number of synaptic updates made (synapses of spiking neurons whose partner trace is not 0).
 */
export function stdpStep(
  pre: Uint8Array, post: Uint8Array, access: SynapseAccess, traces: StdpTraces, p: StdpParams, dt: number,
): number {
  const fn = "stdpStep";
  checkStdpParams(fn, p);
  positive(fn, "dt", dt);
  checkAccessShape(fn, access);
  if (traces === null || typeof traces !== "object") fail(fn, "traces", "be the record returned by stdpInit", traces);
  lengthIs(fn, "pre", pre, access.nPre);
  lengthIs(fn, "post", post, access.nPost);
  lengthIs(fn, "traces.pre", traces.pre, access.nPre);
  lengthIs(fn, "traces.post", traces.post, access.nPost);
  const x = traces.pre;
  const y = traces.post;
  const nearest = p.interaction === "nearest";
  decayTrace(x, Math.exp(-dt / p.tauPlus));
  decayTrace(y, Math.exp(-dt / p.tauMinus));
  addSpikes(pre, x, nearest);
  const w = access.w;
  let updates = 0;
  const byPost = access.byPost;
  for (let j = 0; j < post.length; j++) {
    if (!post[j]) continue;
    const pb = byPost.partnerBase[j];
    const wb = byPost.weightBase[j];
    const end = byPost.end[j];
    for (let e = byPost.start[j]; e < end; e++) {
      const xi = x[pb + byPost.partner[e]];
      if (xi === 0) continue;
      const k = wb + byPost.weight[e];
      w[k] = potentiate(w[k], p.aPlus * xi, p);
      updates++;
    }
  }
  const byPre = access.byPre;
  for (let i = 0; i < pre.length; i++) {
    if (!pre[i]) continue;
    const pb = byPre.partnerBase[i];
    const wb = byPre.weightBase[i];
    const end = byPre.end[i];
    for (let e = byPre.start[i]; e < end; e++) {
      const yj = y[pb + byPre.partner[e]];
      if (yj === 0) continue;
      const k = wb + byPre.weight[e];
      w[k] = depress(w[k], p.aMinus * yj, p);
      updates++;
    }
  }
  addSpikes(post, y, nearest);
  return updates;
}
