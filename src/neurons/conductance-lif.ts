/**
 * Conductance-based leaky integrate-and-fire neuron with an adaptive threshold, as in
 * Diehl & Cook (2015, Front. Comput. Neurosci. 9:99) and their published Brian code.
 *
 *   τm dv/dt = (vRest − v) + ge·(eExc − v) + gi·(eInh − v)
 *   τge dge/dt = −ge        τgi dgi/dt = −gi        τθ dθ/dt = −θ
 *   v > vThreshold + θ − thetaOffset (and armed)  ⇒  spike, v ← vReset, θ ← θ + θ+,
 *   v held at vReset for tRef; no new spike until thresholdHoldoff has passed
 *
 * The conductances ge, gi are dimensionless, in units of the leak conductance, exactly as in the
 * original code (`I_synE = ge * nS * -v`, divided by nS): a synaptic weight w adds w to ge.
 *
 * Inputs. `input` (one element per neuron) holds the excitatory increments arriving this step
 * and is added to `state.ge` at the start of the step. Inhibitory increments go straight into
 * `state.gi` (and excitatory ones may also go into `state.ge`): both are public accumulators,
 * and a projection adds `w` into them any time before the next `conductanceLifStep`. Input added
 * before step n acts from the start of step n, which is Brian's order (synapses act after the
 * threshold of step n − 1, the integration of step n sees them).
 *
 * Adaptive threshold. The original code initialises θ at 20 mV and fires at
 * v > θ − 20 mV + vThreshold, so θ decays towards 0 and the effective threshold towards
 * vThreshold − 20 mV. `thetaInit` (20 mV) and `thetaOffset` (20 mV) keep that exactly;
 * with both 0 it is a plain adaptive threshold v > vThreshold + θ. `freezeTheta` stops both the
 * increments and the decay (test time in Diehl & Cook). θ is kept in a Float64Array because
 * its per-step decay, 1 − dt/τθ = 1 − 5·10⁻⁸ at dt 0.5 ms, is below float32 resolution.
 *
 * Refractoriness. The original code clamps v for tRef = 5 ms but blocks the threshold with a
 * timer that runs at a tenth of real time (`dtimer/dt = 0.1`, `timer > 5 ms`), so an excitatory
 * neuron cannot fire again for 50 ms; Brian2's own port (`examples/frompapers`) keeps this with
 * `timer > 50*ms`. `thresholdHoldoff` is that 50 ms. Both periods are rounded to whole steps:
 * the steps whose end lies within tRef of the spike are clamped, and the threshold is tested
 * only at step ends more than max(tRef, thresholdHoldoff) after it.
 *
 * Integration (`method`). "exponential-euler" (default): ge, gi and θ decay exactly, and v is
 * integrated exactly with ge, gi frozen at their start-of-step values, v ← v∞ + (v − v∞)·e^{−dt·(1 + ge + gi)/τm},
 * v∞ = (vRest + ge·eExc + gi·eInh)/(1 + ge + gi); it is stable for any conductance. "euler" is
 * the forward Euler update of the original Brian code (dt 0.5 ms), including ge ← ge·(1 − dt/τge),
 * for reproducing it closely; it needs dt < 2τm/(1 + ge + gi) and dt < 2τge, 2τgi.
 *
 * Units: ms, mV; conductances dimensionless. `diehlCookExcitatory` and `diehlCookInhibitory`
 * hold every constant of the paper's code.
 *
 * @example
 *   const p = diehlCookExcitatory;
 *   const s = conductanceLifInit(100, p);
 *   const spikes = new Uint8Array(100);
 *   const excitatory = new Float32Array(100);          // Σ w over input spikes this step
 *   s.gi[3] += 17;                                      // an inhibitory spike onto neuron 3
 *   conductanceLifStep(excitatory, s, p, 0.5 * ms, spikes);
 *   const testing = conductanceLifParams({ ...diehlCookExcitatory, freezeTheta: true });
 */
import { arrayLength, fail, finite, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { checkParams, checkState, checkStep } from "./check-step";
import type { NeuronModel, NeuronState } from "./neuron-model";

/** Integration scheme of `conductanceLif` (file head). */
export type ConductanceLifMethod = "exponential-euler" | "euler";

/** The integration schemes, in the order of the union. */
export const conductanceLifMethods: readonly ConductanceLifMethod[] = Object.freeze(["exponential-euler", "euler"] as const);

/** Parameters of `conductanceLif`: immutable, validated by `conductanceLifParams`. */
export interface ConductanceLifParams {
  /** Leak (resting) potential, mV. */
  readonly vRest: number;
  /** Reset potential, mV; must be below vThreshold. */
  readonly vReset: number;
  /** Base threshold, mV: a spike needs v > vThreshold + θ − thetaOffset. */
  readonly vThreshold: number;
  /** Membrane time constant τm, ms. */
  readonly tauMem: number;
  /** Absolute refractory period (v clamped at vReset), ms. */
  readonly tRef: number;
  /** Time after a spike during which the threshold is not tested, ms (no effect when ≤ tRef). */
  readonly thresholdHoldoff: number;
  /** Excitatory reversal potential, mV. */
  readonly eExc: number;
  /** Inhibitory reversal potential, mV. */
  readonly eInh: number;
  /** Excitatory conductance decay time constant, ms. */
  readonly tauGe: number;
  /** Inhibitory conductance decay time constant, ms. */
  readonly tauGi: number;
  /** Threshold increment per spike θ+, mV (0: no adaptation). */
  readonly thetaPlus: number;
  /** Decay time constant of θ, ms. */
  readonly tauTheta: number;
  /** θ of a fresh state (`conductanceLifInit`), mV. */
  readonly thetaInit: number;
  /** Subtracted from θ in the threshold, mV (20 in Diehl & Cook's code, see the file head). */
  readonly thetaOffset: number;
  /** When true, θ neither grows nor decays (test time). */
  readonly freezeTheta: boolean;
  /** Integration scheme. */
  readonly method: ConductanceLifMethod;
}

/**
 * Defaults: the excitatory membrane of Diehl & Cook (rest and reset −65 mV, threshold −52 mV,
 * τm 100 ms, tRef 5 ms, eExc 0 mV, eInh −100 mV, τge 1 ms, τgi 2 ms) without threshold
 * adaptation (θ+ 0, θ 0, no offset, no hold-off), exponential Euler.
 */
export const conductanceLifDefaults: Readonly<ConductanceLifParams> = Object.freeze({
  vRest: -65, vReset: -65, vThreshold: -52, tauMem: 100, tRef: 5, thresholdHoldoff: 0,
  eExc: 0, eInh: -100, tauGe: 1, tauGi: 2,
  thetaPlus: 0, tauTheta: 1e7, thetaInit: 0, thetaOffset: 0, freezeTheta: false,
  method: "exponential-euler",
});

/**
 * Validated parameters over `conductanceLifDefaults`. Unknown keys, non-finite values, τ ≤ 0,
 * negative tRef, hold-off or θ+, an unknown method and vThreshold ≤ vReset throw the standard error.
 *
 * @example
 *   const p = conductanceLifParams({ tauMem: 20 * ms, thetaPlus: 0.1 * mV });
 */
export function conductanceLifParams(options: Partial<ConductanceLifParams> = {}): ConductanceLifParams {
  const fn = "conductanceLifParams";
  const p = mergeOptions(fn, conductanceLifDefaults, options);
  finite(fn, "vRest", p.vRest);
  finite(fn, "vReset", p.vReset);
  finite(fn, "vThreshold", p.vThreshold);
  if (!(p.vThreshold > p.vReset)) fail(fn, "vThreshold", `be > vReset (${p.vReset})`, p.vThreshold);
  positive(fn, "tauMem", p.tauMem);
  nonNegative(fn, "tRef", p.tRef);
  nonNegative(fn, "thresholdHoldoff", p.thresholdHoldoff);
  finite(fn, "eExc", p.eExc);
  finite(fn, "eInh", p.eInh);
  positive(fn, "tauGe", p.tauGe);
  positive(fn, "tauGi", p.tauGi);
  nonNegative(fn, "thetaPlus", p.thetaPlus);
  positive(fn, "tauTheta", p.tauTheta);
  finite(fn, "thetaInit", p.thetaInit);
  finite(fn, "thetaOffset", p.thetaOffset);
  if (typeof p.freezeTheta !== "boolean") fail(fn, "freezeTheta", "be a boolean", p.freezeTheta);
  oneOf(fn, "method", p.method, conductanceLifMethods);
  return Object.freeze(p);
}

/**
 * Excitatory neuron of Diehl & Cook (2015), every constant of their code: rest −65 mV, reset
 * −65 mV, threshold −52 mV + θ − 20 mV with θ starting at 20 mV, τm 100 ms, refractory 5 ms,
 * threshold hold-off 50 ms, eExc 0 mV, eInh −100 mV, τge 1 ms, τgi 2 ms, θ+ 0.05 mV, τθ 10⁷ ms.
 */
export const diehlCookExcitatory: ConductanceLifParams = conductanceLifParams({
  vRest: -65, vReset: -65, vThreshold: -52, tauMem: 100, tRef: 5, thresholdHoldoff: 50,
  eExc: 0, eInh: -100, tauGe: 1, tauGi: 2,
  thetaPlus: 0.05, tauTheta: 1e7, thetaInit: 20, thetaOffset: 20, freezeTheta: false,
});

/**
 * Inhibitory neuron of Diehl & Cook (2015): rest −60 mV, reset −45 mV, threshold −40 mV,
 * τm 10 ms, refractory 2 ms, eExc 0 mV, eInh −85 mV, τge 1 ms, τgi 2 ms, no adaptive threshold.
 */
export const diehlCookInhibitory: ConductanceLifParams = conductanceLifParams({
  vRest: -60, vReset: -45, vThreshold: -40, tauMem: 10, tRef: 2, thresholdHoldoff: 0,
  eExc: 0, eInh: -85, tauGe: 1, tauGi: 2,
  thetaPlus: 0, tauTheta: 1e7, thetaInit: 0, thetaOffset: 0, freezeTheta: false,
});

/** State of a conductance-LIF population, owned by the caller. */
export interface ConductanceLifState extends NeuronState {
  readonly size: number;
  /** Membrane potential, mV. */
  readonly v: Float32Array;
  /** Excitatory conductance, in units of the leak conductance; projections may add into it. */
  readonly ge: Float32Array;
  /** Inhibitory conductance, in units of the leak conductance; projections add into it. */
  readonly gi: Float32Array;
  /** Adaptive threshold θ, mV (Float64Array: see the file head). */
  readonly theta: Float64Array;
  /** Time since the last spike, ms (Infinity before the first one). */
  readonly timer: Float32Array;
}

/** A population of `size` neurons at rest, with θ = thetaInit. */
export function conductanceLifInit(size: number, p: ConductanceLifParams): ConductanceLifState {
  arrayLength("conductanceLifInit", "size", size);
  checkParams("conductanceLifInit", p, conductanceLifDefaults);
  const state: ConductanceLifState = {
    size,
    v: new Float32Array(size),
    ge: new Float32Array(size),
    gi: new Float32Array(size),
    theta: new Float64Array(size).fill(p.thetaInit),
    timer: new Float32Array(size),
  };
  conductanceLifReset(state, p);
  return state;
}

/**
 * Puts `state` back to rest in place (v = vRest, ge = gi = 0, not refractory) between samples.
 * θ is learned over many samples and is left as it is; `conductanceLifInit` starts it at thetaInit.
 */
export function conductanceLifReset(state: ConductanceLifState, p: ConductanceLifParams): void {
  checkState("conductanceLifReset", state);
  checkParams("conductanceLifReset", p, conductanceLifDefaults);
  state.v.fill(p.vRest);
  state.ge.fill(0);
  state.gi.fill(0);
  state.timer.fill(Infinity);
}

/**
 * Advances `state` by one step of `dt` ms, in place, and writes 0/1 into `spikes`; returns the
 * number of spikes. `input` holds the excitatory conductance increments (dimensionless) that
 * arrive at the start of this step; inhibitory increments are added into `state.gi` by the caller
 * beforehand (file head). `input` and `p` are read only.
 *
 * Throws the standard error for dt ≤ 0 or non-finite, and for `input` or `spikes` whose length
 * is not `state.size`.
 */
export function conductanceLifStep(
  input: Float32Array, state: ConductanceLifState, p: ConductanceLifParams, dt: number, spikes: Uint8Array,
): number {
  const n = checkStep("conductanceLifStep", input, state, p, dt, spikes, conductanceLifDefaults);
  const { vRest, vReset, vThreshold, tauMem, eExc, eInh, thetaOffset } = p;
  const { v, ge, gi, theta, timer } = state;
  const euler = p.method === "euler";
  const decayGe = euler ? 1 - dt / p.tauGe : Math.exp(-dt / p.tauGe);
  const decayGi = euler ? 1 - dt / p.tauGi : Math.exp(-dt / p.tauGi);
  const decayTheta = p.freezeTheta ? 1 : euler ? 1 - dt / p.tauTheta : Math.exp(-dt / p.tauTheta);
  const thetaPlus = p.freezeTheta ? 0 : p.thetaPlus;
  // Half-step margins make the period counts immune to float32 rounding of the summed timer.
  const clampedUntil = p.tRef + 0.5 * dt;
  const armedAfter = Math.max(p.tRef, p.thresholdHoldoff) + 0.5 * dt;
  const dtOverTauMem = dt / tauMem;
  const leakDecay = Math.exp(-dtOverTauMem);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const gE = ge[k]! + input[k]!;
    const gI = gi[k]!;
    const t = timer[k]! + dt;
    let vk = v[k]!;
    if (t < clampedUntil) {
      vk = vReset;
    } else if (euler) {
      vk += dtOverTauMem * (vRest - vk + gE * (eExc - vk) + gI * (eInh - vk));
    } else if (gE === 0 && gI === 0) {
      // No synaptic drive (common between inputs): the same update with the leak alone, no exp.
      vk = vRest + (vk - vRest) * leakDecay;
    } else {
      const gTotal = 1 + gE + gI;
      const vInf = (vRest + gE * eExc + gI * eInh) / gTotal;
      vk = vInf + (vk - vInf) * Math.exp(-dtOverTauMem * gTotal);
    }
    ge[k] = gE * decayGe;
    gi[k] = gI * decayGi;
    let th = theta[k]! * decayTheta;
    if (vk > vThreshold + th - thetaOffset && t > armedAfter) {
      vk = vReset;
      th += thetaPlus;
      timer[k] = 0;
      spikes[k] = 1;
      count++;
    } else {
      timer[k] = t;
      spikes[k] = 0;
    }
    theta[k] = th;
    v[k] = vk;
  }
  return count;
}

/** The conductance-based LIF as a `NeuronModel` (input: excitatory conductance increments). */
export const conductanceLif: NeuronModel<ConductanceLifParams, ConductanceLifState> = Object.freeze({
  name: "conductance-lif",
  defaults: conductanceLifDefaults,
  params: conductanceLifParams,
  init: conductanceLifInit,
  reset: conductanceLifReset,
  step: conductanceLifStep,
});
