/**
 * Leaky integrate-and-fire neuron, current-based: the RC circuit of Gerstner & Kistler (2002,
 * §4.1, Fig. 4.1), with absolute refractoriness and a choice of synaptic current kernel.
 *
 *   τm dv/dt = −(v − vRest) + rMem·(iExt + iSyn)             τm = rMem·cMem
 *   v > vThreshold  ⇒  spike, v ← vReset, and v is held at vReset for tRef
 *
 * Synaptic current for an input `w` (nA) arriving at s = 0, by `synapse` kind:
 *
 *   "delta"        iSyn = w for this one step only (a rectangular pulse of length dt; with a
 *                  constant `w` every step this is plain current injection)
 *   "exponential"  iSyn(s) = w·e^{−s/τs}                         di/dt = −i/τs,  i ← i + w
 *   "alpha"        iSyn(s) = w·(s/τs)·e^{1 − s/τs}, peak w at s = τs
 *                                       dx/dt = −x/τs,  di/dt = (x − i)/τs,  x ← x + e·w
 *
 * So for every kind `w` is the peak postsynaptic current in nA; the charge it delivers is
 * w·dt, w·τs and e·w·τs (nA·ms = pC) respectively. `alphaKernel` and `expKernel` give the
 * unit-peak shapes.
 *
 * Symbols: v membrane potential (mV); vRest leak (resting) potential (mV); rMem membrane
 * resistance (MΩ); τm = `tauMem` (ms); cMem = tauMem / rMem, the capacitance, is derived (nF),
 * so the two parameters are τm and rMem; iExt a bias current per neuron (nA, `state.iExt`);
 * τs = `tauSyn` (ms). Units: ms, mV, nA, MΩ, nF (core/units.ts).
 *
 * Integration is exact for the linear system (v, i, x) with `iExt` and the "delta" input held
 * constant over the step: a closed-form propagator, as Brian2's `method='exact'`, including
 * the degenerate case τs = τm. The threshold crossing is interpolated linearly inside the step,
 * and the refractory clock starts at the crossing rather than at the end of the step, so the
 * simulated f–I curve matches `lifRateClosedForm` to O(dt²) instead of O(dt). A spike is still
 * reported in the step that contains it, so at most one spike per step: rates near 1/dt saturate.
 *
 * @example
 *   const p = lifParams({ tauMem: 10 * ms, synapse: "exponential", tauSyn: 5 * ms });
 *   const s = lifInit(3, p);
 *   s.iExt.fill(1.2);                                  // nA of bias current
 *   const spikes = new Uint8Array(3);
 *   lifStep(new Float32Array([0.5, 0, 0]), s, p, 0.1 * ms, spikes);   // i jumps by 0.5 nA
 *   toHz(lifRateClosedForm(2, p));                     // the stationary rate at 2 nA, Hz
 */
import { arrayLength, fail, finite, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { checkParams, checkState, checkStep } from "./check-step";
import { exprel } from "./exprel";
import type { NeuronModel, NeuronState } from "./neuron-model";

/** How an input spike becomes a current: see the file head. */
export type LifSynapse = "delta" | "exponential" | "alpha";

/** The synapse kinds, in the order of the union. */
export const lifSynapses: readonly LifSynapse[] = Object.freeze(["delta", "exponential", "alpha"] as const);

/** Parameters of `lif`: immutable, validated by `lifParams`. */
export interface LifParams {
  /** Membrane time constant τm = rMem·cMem, ms. */
  readonly tauMem: number;
  /** Membrane resistance, MΩ (rMem · nA = mV); the capacitance is tauMem / rMem, nF. */
  readonly rMem: number;
  /** Leak (resting) potential, mV. */
  readonly vRest: number;
  /** Reset potential, mV; must be below vThreshold. */
  readonly vReset: number;
  /** Spike threshold, mV. A spike is emitted when v > vThreshold (strict). */
  readonly vThreshold: number;
  /** Absolute refractory period, ms (v is held at vReset). */
  readonly tRef: number;
  /** Synaptic current kernel applied to `input`. */
  readonly synapse: LifSynapse;
  /** Synaptic time constant τs, ms (exponential decay time; alpha peak time). */
  readonly tauSyn: number;
}

/** Defaults: τm 20 ms, R 10 MΩ (C 2 nF), rest and reset −65 mV, threshold −50 mV, tRef 2 ms, delta synapse, τs 5 ms. */
export const lifDefaults: Readonly<LifParams> = Object.freeze({
  tauMem: 20, rMem: 10, vRest: -65, vReset: -65, vThreshold: -50, tRef: 2, synapse: "delta", tauSyn: 5,
});

/**
 * Validated LIF parameters over `lifDefaults`. Unknown keys, non-finite values, τ ≤ 0, rMem ≤ 0,
 * tRef < 0, an unknown synapse kind and vThreshold ≤ vReset throw the standard error.
 *
 * @example
 *   const p = lifParams({ vThreshold: -55 * mV, tRef: 5 * ms });
 */
export function lifParams(options: Partial<LifParams> = {}): LifParams {
  const fn = "lifParams";
  const p = mergeOptions(fn, lifDefaults, options);
  positive(fn, "tauMem", p.tauMem);
  positive(fn, "rMem", p.rMem);
  finite(fn, "vRest", p.vRest);
  finite(fn, "vReset", p.vReset);
  finite(fn, "vThreshold", p.vThreshold);
  if (!(p.vThreshold > p.vReset)) fail(fn, "vThreshold", `be > vReset (${p.vReset})`, p.vThreshold);
  nonNegative(fn, "tRef", p.tRef);
  oneOf(fn, "synapse", p.synapse, lifSynapses);
  positive(fn, "tauSyn", p.tauSyn);
  return Object.freeze(p);
}

/** State of a LIF population: one element per neuron, owned by the caller. */
export interface LifState extends NeuronState {
  readonly size: number;
  /** Membrane potential, mV. */
  readonly v: Float32Array;
  /** Synaptic current, nA ("exponential" and "alpha"; stays 0 for "delta"). */
  readonly i: Float32Array;
  /** Alpha-synapse auxiliary current, nA (stays 0 for the other kinds). */
  readonly x: Float32Array;
  /** Bias current, nA, held constant over each step; set by the caller (0 after `lifInit`). */
  readonly iExt: Float32Array;
  /** Refractory time left, ms (0 when free). */
  readonly refractory: Float32Array;
}

/** A population of `size` neurons at rest (v = vRest, no current, not refractory). */
export function lifInit(size: number, p: LifParams): LifState {
  arrayLength("lifInit", "size", size);
  checkParams("lifInit", p, lifDefaults);
  const state: LifState = {
    size,
    v: new Float32Array(size),
    i: new Float32Array(size),
    x: new Float32Array(size),
    iExt: new Float32Array(size),
    refractory: new Float32Array(size),
  };
  lifReset(state, p);
  return state;
}

/**
 * Puts `state` back to rest in place: v = vRest, synaptic currents 0, not refractory.
 * `iExt` is the caller's stimulus and is left as it is.
 */
export function lifReset(state: LifState, p: LifParams): void {
  checkState("lifReset", state);
  checkParams("lifReset", p, lifDefaults);
  state.v.fill(p.vRest);
  state.i.fill(0);
  state.x.fill(0);
  state.refractory.fill(0);
}

// Exact propagator of the linear system over an interval h, written into `out`:
//   v(h) = vInf + (v0 − vInf)·ea + rMem·(pi·i0 + px·x0),   i(h) = (i0 + x0·h/τs)·eb,   x(h) = x0·eb
// with ea = e^{−h/τm}, eb = e^{−h/τs}, z = (1/τm − 1/τs)·h and
//   pi = (h/τm)·(eb − ea)/z = (h/τm)·eb·exprel(−z)
//   px = (h²/(τm τs))·(eb·(z − 1) + ea)/z² = (h²/(τm τs))·ea·g(z),  g(z) = (e^z (z − 1) + 1)/z².
// Near z = 0 (τs ≈ τm) the first forms cancel, so the exprel / series forms are used there.
function propagator(h: number, tauMem: number, tauSyn: number, out: Float64Array): Float64Array {
  const ea = Math.exp(-h / tauMem);
  const eb = Math.exp(-h / tauSyn);
  const z = (1 / tauMem - 1 / tauSyn) * h;
  const scale = (h * h) / (tauMem * tauSyn);
  out[0] = ea;
  out[1] = eb;
  if (Math.abs(z) < 0.5) {
    out[2] = (h / tauMem) * eb * exprel(-z);
    out[3] = scale * ea * seriesG(z);
  } else {
    out[2] = ((h / tauMem) * (eb - ea)) / z;
    out[3] = (scale * (eb * (z - 1) + ea)) / (z * z);
  }
  return out;
}

// g(z) = Σ_{m≥0} z^m (m+1)/(m+2)!, for |z| < 0.5 (18 terms: truncation below 1e-20).
function seriesG(z: number): number {
  let sum = 0;
  let power = 1;
  let factorial = 2;
  for (let m = 0; m < 18; m++) {
    sum += (power * (m + 1)) / factorial;
    power *= z;
    factorial *= m + 3;
  }
  return sum;
}

// Scratch buffers: the step allocates nothing.
const FULL_STEP = new Float64Array(4);
const PART_STEP = new Float64Array(4);

/**
 * Advances `state` by one step of `dt` ms, in place, and writes 0/1 into `spikes`; returns the
 * number of spikes. `input` (nA, one element per neuron) is the synaptic input arriving at the
 * start of this step, interpreted by `p.synapse` (file head); `input`, `p` are read only.
 *
 * Throws the standard error for dt ≤ 0 or non-finite, and for `input` or `spikes` whose length
 * is not `state.size`.
 */
export function lifStep(input: Float32Array, state: LifState, p: LifParams, dt: number, spikes: Uint8Array): number {
  const n = checkStep("lifStep", input, state, p, dt, spikes, lifDefaults);
  const { tauMem, rMem, vRest, vReset, vThreshold, tRef, tauSyn, synapse } = p;
  const { v, i: iSyn, x: xSyn, iExt, refractory } = state;
  const full = propagator(dt, tauMem, tauSyn, FULL_STEP);
  const ea = full[0]!, eb = full[1]!, pi = full[2]!, px = full[3]!;
  // Branch-free routing of the input to the kernel: exactly one of these is non-zero.
  const toDelta = synapse === "delta" ? 1 : 0;
  const toExp = synapse === "exponential" ? 1 : 0;
  const toAlpha = synapse === "alpha" ? Math.E : 0;
  const dtOverTauSyn = dt / tauSyn;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const w = input[k]!;
    const i0 = iSyn[k]! + toExp * w;
    const x0 = xSyn[k]! + toAlpha * w;
    const vInf = vRest + rMem * (iExt[k]! + toDelta * w);
    // The synaptic variables do not depend on v: advance them over the whole step at once.
    iSyn[k] = (i0 + x0 * dtOverTauSyn) * eb;
    xSyn[k] = x0 * eb;
    const r = refractory[k]!;
    if (r >= dt) {
      refractory[k] = r - dt;
      v[k] = vReset;
      spikes[k] = 0;
      continue;
    }
    let v0: number, v1: number, tStart: number;
    if (r > 0) {
      // The refractory period ends at r inside this step: integrate freely from vReset after it.
      refractory[k] = 0;
      const decay = Math.exp(-r / tauSyn);
      const iR = (i0 + (x0 * r) / tauSyn) * decay;
      const xR = x0 * decay;
      const part = propagator(dt - r, tauMem, tauSyn, PART_STEP);
      v0 = vReset;
      v1 = vInf + (v0 - vInf) * part[0]! + rMem * (part[2]! * iR + part[3]! * xR);
      tStart = r;
    } else {
      v0 = v[k]!;
      v1 = vInf + (v0 - vInf) * ea + rMem * (pi * i0 + px * x0);
      tStart = 0;
    }
    if (v1 > vThreshold) {
      // Linear interpolation of the crossing; v0 above threshold (set by hand) counts as t = tStart.
      let fraction = (vThreshold - v0) / (v1 - v0);
      if (!(fraction > 0)) fraction = 0;
      const sinceCrossing = (dt - tStart) * (1 - fraction);
      const left = tRef - sinceCrossing;
      if (left >= 0) {
        refractory[k] = left;
        v[k] = vReset;
      } else {
        // tRef ends before the step does: integrate the free rest of the step from vReset. A
        // second crossing in the same step (rates near 1/dt) is held at threshold and fires next step.
        const free = -left;
        const tFree = dt - free;
        const decay = Math.exp(-tFree / tauSyn);
        const iF = (i0 + (x0 * tFree) / tauSyn) * decay;
        const xF = x0 * decay;
        const part = propagator(free, tauMem, tauSyn, PART_STEP);
        const vF = vInf + (vReset - vInf) * part[0]! + rMem * (part[2]! * iF + part[3]! * xF);
        refractory[k] = 0;
        v[k] = vF > vThreshold ? vThreshold : vF;
      }
      spikes[k] = 1;
      count++;
    } else {
      v[k] = v1;
      spikes[k] = 0;
    }
  }
  return count;
}

/**
 * Stationary firing rate of `lif` under a constant current `i` (nA), in 1/ms (multiply by 1000,
 * or use `toHz`, for Hz):
 *
 *   ν = 1 / (tRef + τm·ln((R·I − (vReset − vRest)) / (R·I − (vThreshold − vRest))))
 *
 * which for vReset = vRest is the textbook [tRef + τm ln(RI/(RI − ϑ))]⁻¹ with ϑ = vThreshold − vRest.
 * Below the rheobase (R·I ≤ vThreshold − vRest) the neuron never fires and the rate is 0.
 *
 * @example
 *   toHz(lifRateClosedForm(2 * nA, lifParams()));   // ≈ 33.6 Hz for the defaults: 1 / (2 + 20 ln 4) ms
 */
export function lifRateClosedForm(i: number, p: LifParams): number {
  finite("lifRateClosedForm", "i", i);
  checkParams("lifRateClosedForm", p, lifDefaults);
  const above = p.rMem * i - (p.vThreshold - p.vRest);
  if (!(above > 0)) return 0;
  // ln((above + vThreshold − vReset)/above) without the rounding of the quotient.
  return 1 / (p.tRef + p.tauMem * Math.log1p((p.vThreshold - p.vReset) / above));
}

/**
 * The alpha kernel with unit peak, (s/τs)·e^{1 − s/τs} for s ≥ 0 and 0 before: the current of
 * an "alpha" synapse per nA of input, s ms after the input. Its maximum, 1, is at s = τs.
 *
 * @example
 *   alphaKernel(5 * ms, 5 * ms);   // 1
 */
export function alphaKernel(s: number, tauSyn: number): number {
  finite("alphaKernel", "s", s);
  positive("alphaKernel", "tauSyn", tauSyn);
  if (s < 0) return 0;
  const u = s / tauSyn;
  return u * Math.exp(1 - u);
}

/**
 * The exponential kernel with unit peak, e^{−s/τs} for s ≥ 0 and 0 before: the current of an
 * "exponential" synapse per nA of input, s ms after the input.
 *
 * @example
 *   expKernel(5 * ms, 5 * ms);     // 1/e
 */
export function expKernel(s: number, tauSyn: number): number {
  finite("expKernel", "s", s);
  positive("expKernel", "tauSyn", tauSyn);
  return s < 0 ? 0 : Math.exp(-s / tauSyn);
}

/** The current-based LIF as a `NeuronModel` (input: synaptic input in nA, see `lifStep`). */
export const lif: NeuronModel<LifParams, LifState> = Object.freeze({
  name: "lif",
  defaults: lifDefaults,
  params: lifParams,
  init: lifInit,
  reset: lifReset,
  step: lifStep,
});
