/**
 * Hodgkin–Huxley (1952) squid giant axon, the constants of their Table 3 in the modern sign
 * convention (absolute potential, rest at −65 mV).
 *
 *   C dv/dt = I − gNa·m³h·(v − ENa) − gK·n⁴·(v − EK) − gL·(v − EL)
 *   dx/dt = φ·(αx(v)·(1 − x) − βx(v)·x)            x ∈ {m, h, n},  φ = 3^{(T − 6.3 °C)/10}
 *
 *   αm = 0.1(v + 40)/(1 − e^{−(v+40)/10}) = 1/exprel(−(v + 40)/10)     βm = 4·e^{−(v+65)/18}
 *   αh = 0.07·e^{−(v+65)/20}                                           βh = 1/(1 + e^{−(v+35)/10})
 *   αn = 0.01(v + 55)/(1 − e^{−(v+55)/10}) = 0.1/exprel(−(v + 55)/10)  βn = 0.125·e^{−(v+65)/80}
 *
 * with v in mV and the rates in 1/ms; `exprel` removes the 0/0 of αm at −40 mV and of αn at
 * −55 mV. (These are the 1952 rate functions shifted by −65 mV: in the 1952 convention V is the
 * depolarisation from rest and ENa = 115, EK = −12, EL = 10.6 mV.)
 *
 * Units: everything is per unit membrane area, as in the paper: C in µF/cm², conductances in
 * mS/cm², currents and `input` in µA/cm², v in mV, t in ms (µA/cm² ÷ µF/cm² = mV/ms). For a
 * patch of area A (cm²), 1 µA/cm² is 1000·A nA of total current: 0.1 nA for (100 µm)² = 10⁻⁴ cm².
 *
 * Integration: exponential Euler. Each gate relaxes exactly towards x∞ = α/(α + β) with time
 * constant 1/(α + β), rates taken at the start of the step; then v relaxes exactly towards
 * v∞ = (gNa m³h ENa + gK n⁴ EK + gL EL + I)/g with g = gNa m³h + gK n⁴ + gL, using the new gates.
 * The scheme is first-order but unconditionally stable; use dt ≤ 0.025 ms (0.01 ms for
 * spike-shape detail). A spike is an upward crossing of `vSpike` (0 mV) between the start and
 * the end of a step, so each action potential is counted once.
 *
 * @example
 *   const p = hodgkinHuxleyParams();
 *   const s = hodgkinHuxleyInit(1, p);
 *   const spikes = new Uint8Array(1);
 *   const drive = new Float32Array([10]);               // µA/cm²
 *   let n = 0;
 *   for (let t = 0; t < 40000; t++) n += hodgkinHuxleyStep(drive, s, p, 0.025 * ms, spikes);
 *   // n ≈ 68 spikes in one second
 */
import { arrayLength, finite, mergeOptions, nonNegative, positive } from "../core/validate";
import { checkParams, checkState, checkStep } from "./check-step";
import { exprel } from "./exprel";
import type { NeuronModel, NeuronState } from "./neuron-model";

/** Parameters of `hodgkinHuxley`, per unit area. */
export interface HodgkinHuxleyParams {
  /** Membrane capacitance, µF/cm². */
  readonly cMem: number;
  /** Maximal sodium conductance, mS/cm². */
  readonly gNa: number;
  /** Maximal potassium conductance, mS/cm². */
  readonly gK: number;
  /** Leak conductance, mS/cm². */
  readonly gL: number;
  /** Sodium reversal potential, mV. */
  readonly eNa: number;
  /** Potassium reversal potential, mV. */
  readonly eK: number;
  /** Leak reversal potential, mV (−54.387 puts the rest at −65 mV). */
  readonly eL: number;
  /** Initial potential of a fresh or reset state, mV; the gates start at their steady state there. */
  readonly vInit: number;
  /** Spike detection level: an upward crossing counts as one spike, mV. */
  readonly vSpike: number;
  /** Temperature, °C; the rates scale by 3^{(T − 6.3)/10}. */
  readonly temperature: number;
}

/** Defaults, Hodgkin & Huxley 1952 Table 3: C 1 µF/cm²; gNa 120, gK 36, gL 0.3 mS/cm²; ENa 50, EK −77, EL −54.387 mV; start at −65 mV; spikes at 0 mV; 6.3 °C. */
export const hodgkinHuxleyDefaults: Readonly<HodgkinHuxleyParams> = Object.freeze({
  cMem: 1, gNa: 120, gK: 36, gL: 0.3, eNa: 50, eK: -77, eL: -54.387, vInit: -65, vSpike: 0, temperature: 6.3,
});

/**
 * Validated parameters over `hodgkinHuxleyDefaults`: cMem > 0, conductances ≥ 0 (gL > 0),
 * everything finite.
 *
 * @example
 *   const warm = hodgkinHuxleyParams({ temperature: 18.5 });
 */
export function hodgkinHuxleyParams(options: Partial<HodgkinHuxleyParams> = {}): HodgkinHuxleyParams {
  const fn = "hodgkinHuxleyParams";
  const p = mergeOptions(fn, hodgkinHuxleyDefaults, options);
  positive(fn, "cMem", p.cMem);
  nonNegative(fn, "gNa", p.gNa);
  nonNegative(fn, "gK", p.gK);
  positive(fn, "gL", p.gL);
  finite(fn, "eNa", p.eNa);
  finite(fn, "eK", p.eK);
  finite(fn, "eL", p.eL);
  finite(fn, "vInit", p.vInit);
  finite(fn, "vSpike", p.vSpike);
  finite(fn, "temperature", p.temperature);
  return Object.freeze(p);
}

/** The six opening (α) and closing (β) rates at one potential, 1/ms. */
export interface HodgkinHuxleyRates {
  readonly alphaM: number;
  readonly betaM: number;
  readonly alphaH: number;
  readonly betaH: number;
  readonly alphaN: number;
  readonly betaN: number;
}

/** Q10 = 3 temperature factor of the rates (dimensionless). */
function rateFactor(temperature: number): number {
  return Math.pow(3, (temperature - 6.3) / 10);
}

/**
 * The gating rates at potential `v` (mV), in 1/ms, at `p.temperature` (for plots of the gating
 * functions and steady states x∞ = α/(α + β)).
 *
 * @example
 *   const r = hodgkinHuxleyRates(-65 * mV, hodgkinHuxleyParams());
 *   const mInf = r.alphaM / (r.alphaM + r.betaM);   // ≈ 0.053
 */
export function hodgkinHuxleyRates(v: number, p: HodgkinHuxleyParams): HodgkinHuxleyRates {
  finite("hodgkinHuxleyRates", "v", v);
  checkParams("hodgkinHuxleyRates", p, hodgkinHuxleyDefaults);
  const phi = rateFactor(p.temperature);
  return {
    alphaM: phi / exprel(-(v + 40) / 10),
    betaM: phi * 4 * Math.exp(-(v + 65) / 18),
    alphaH: phi * 0.07 * Math.exp(-(v + 65) / 20),
    betaH: phi / (1 + Math.exp(-(v + 35) / 10)),
    alphaN: (phi * 0.1) / exprel(-(v + 55) / 10),
    betaN: phi * 0.125 * Math.exp(-(v + 65) / 80),
  };
}

/** State of a Hodgkin–Huxley population. */
export interface HodgkinHuxleyState extends NeuronState {
  readonly size: number;
  /** Membrane potential, mV. */
  readonly v: Float32Array;
  /** Sodium activation m, dimensionless in [0, 1]. */
  readonly m: Float32Array;
  /** Sodium inactivation h, dimensionless in [0, 1]. */
  readonly h: Float32Array;
  /** Potassium activation n, dimensionless in [0, 1]. */
  readonly n: Float32Array;
}

/** A population of `size` neurons at v = vInit with every gate at its steady state there. */
export function hodgkinHuxleyInit(size: number, p: HodgkinHuxleyParams): HodgkinHuxleyState {
  arrayLength("hodgkinHuxleyInit", "size", size);
  checkParams("hodgkinHuxleyInit", p, hodgkinHuxleyDefaults);
  const state: HodgkinHuxleyState = {
    size,
    v: new Float32Array(size),
    m: new Float32Array(size),
    h: new Float32Array(size),
    n: new Float32Array(size),
  };
  hodgkinHuxleyReset(state, p);
  return state;
}

/** Puts `state` back to v = vInit with steady-state gates, in place. */
export function hodgkinHuxleyReset(state: HodgkinHuxleyState, p: HodgkinHuxleyParams): void {
  checkState("hodgkinHuxleyReset", state);
  checkParams("hodgkinHuxleyReset", p, hodgkinHuxleyDefaults);
  const r = hodgkinHuxleyRates(p.vInit, p);
  state.v.fill(p.vInit);
  state.m.fill(r.alphaM / (r.alphaM + r.betaM));
  state.h.fill(r.alphaH / (r.alphaH + r.betaH));
  state.n.fill(r.alphaN / (r.alphaN + r.betaN));
}

/**
 * Advances `state` by `dt` ms with exponential Euler (file head), in place; writes 0/1 into
 * `spikes` (upward crossings of vSpike) and returns the number of spikes. `input` is the
 * injected current density of this step, µA/cm², held over the step.
 */
export function hodgkinHuxleyStep(
  input: Float32Array, state: HodgkinHuxleyState, p: HodgkinHuxleyParams, dt: number, spikes: Uint8Array,
): number {
  const size = checkStep("hodgkinHuxleyStep", input, state, p, dt, spikes, hodgkinHuxleyDefaults);
  const { gNa, gK, gL, eNa, eK, eL, vSpike } = p;
  const { v, m, h, n } = state;
  const phi = rateFactor(p.temperature);
  const dtOverC = dt / p.cMem;
  const gLeL = gL * eL;
  let count = 0;
  for (let k = 0; k < size; k++) {
    const v0 = v[k]!;
    const am = phi / exprel(-(v0 + 40) / 10);
    const bm = phi * 4 * Math.exp(-(v0 + 65) / 18);
    const ah = phi * 0.07 * Math.exp(-(v0 + 65) / 20);
    const bh = phi / (1 + Math.exp(-(v0 + 35) / 10));
    const an = (phi * 0.1) / exprel(-(v0 + 55) / 10);
    const bn = phi * 0.125 * Math.exp(-(v0 + 65) / 80);
    // x ← x∞ + (x − x∞)·e^{−dt(α+β)}
    const sm = am + bm, sh = ah + bh, sn = an + bn;
    const mInf = am / sm, hInf = ah / sh, nInf = an / sn;
    const mk = mInf + (m[k]! - mInf) * Math.exp(-dt * sm);
    const hk = hInf + (h[k]! - hInf) * Math.exp(-dt * sh);
    const nk = nInf + (n[k]! - nInf) * Math.exp(-dt * sn);
    const n2 = nk * nk;
    const gNaNow = gNa * mk * mk * mk * hk;
    const gKNow = gK * n2 * n2;
    const gTotal = gNaNow + gKNow + gL;
    const vInf = (gNaNow * eNa + gKNow * eK + gLeL + input[k]!) / gTotal;
    const v1 = vInf + (v0 - vInf) * Math.exp(-dtOverC * gTotal);
    m[k] = mk;
    h[k] = hk;
    n[k] = nk;
    v[k] = v1;
    if (v0 <= vSpike && v1 > vSpike) {
      spikes[k] = 1;
      count++;
    } else {
      spikes[k] = 0;
    }
  }
  return count;
}

/** The Hodgkin–Huxley model as a `NeuronModel` (input: current density, µA/cm²). */
export const hodgkinHuxley: NeuronModel<HodgkinHuxleyParams, HodgkinHuxleyState> = Object.freeze({
  name: "hodgkin-huxley",
  defaults: hodgkinHuxleyDefaults,
  params: hodgkinHuxleyParams,
  init: hodgkinHuxleyInit,
  reset: hodgkinHuxleyReset,
  step: hodgkinHuxleyStep,
});
