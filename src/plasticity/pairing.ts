/**
 * STDP experiments on one synapse, the way the window was measured:
 *
 * - `measureStdpWindow(p, deltaTs, {dt})`: one isolated pre/post pair per Δt = t_post − t_pre
 *   through the online trace rule (`stdpStep`); returns each Δw. For pair STDP this equals the
 *   closed form `stdpWindow(Δt)` to float32 rounding — the check that the online rule and
 *   the review's Eq. 1 agree.
 * - `pairingProtocol(p, {deltaT, pairs, frequency, …})`: the protocol of Bi & Poo (1998): `pairs`
 *   pairings at `frequency` (60 at 1 Hz), each a brief current pulse into a presynaptic LIF
 *   neuron and, `deltaT` later, one into a postsynaptic LIF neuron; the synapse learns from the
 *   spikes the neurons actually fire (their latency to the pulse makes the measured Δt differ
 *   from the stimulation offset). Returns the relative weight change and the measured Δt.
 *
 * @example
 *   const p = stdpParams({ aPlus: 0.01, aMinus: -0.01, tauPlus: 16.8, tauMinus: 33.7 });
 *   measureStdpWindow(p, [-20, 10], { dt: 0.1 });         // ≈ [stdpWindow(-20, p), stdpWindow(10, p)]
 *   pairingProtocol(p, { deltaT: 10 }).relativeChange;    // ≈ 60 · stdpWindow(10, p) / w0
 */
import { arrayLike, fail, finite, integer, mergeOptions, positive } from "../core/validate";
import { lifInit, lifParams, lifStep, type LifParams } from "../neurons/lif";
import { checkWeightBounds } from "./bounds";
import { stdpInit, stdpStep, type StdpParams } from "./stdp";
import { denseAccess } from "./synapse-access";

/** Δw of one isolated pair for each Δt = t_post − t_pre (ms), through the online trace rule. */
export function measureStdpWindow(p: StdpParams, deltaTs: ArrayLike<number>, options: { dt: number; w0?: number }): Float64Array {
  const fn = "measureStdpWindow";
  checkWeightBounds(fn, p);
  arrayLike(fn, "deltaTs", deltaTs);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {dt, w0?}", options);
  const dt = positive(fn, "dt", options.dt);
  const w0 = finite(fn, "w0", options.w0 ?? (p.wMin + p.wMax) / 2);
  const out = new Float64Array(deltaTs.length);
  const pre = new Uint8Array(1);
  const post = new Uint8Array(1);
  for (let k = 0; k < deltaTs.length; k++) {
    const deltaT = finite(fn, `deltaTs[${k}]`, deltaTs[k]);
    const offset = Math.round(deltaT / dt);
    const w = new Float32Array([w0]);
    const access = denseAccess(w, 1, 1);
    const traces = stdpInit(access, p);
    const preStep = offset >= 0 ? 0 : -offset;
    const postStep = preStep + offset;
    const steps = Math.max(preStep, postStep) + 1;
    for (let s = 0; s < steps; s++) {
      pre[0] = s === preStep ? 1 : 0;
      post[0] = s === postStep ? 1 : 0;
      stdpStep(pre, post, access, traces, p, dt);
    }
    out[k] = w[0]! - w0;
  }
  return out;
}

/** Options of `pairingProtocol`. */
export interface PairingOptions {
  /** Offset of the postsynaptic stimulus after the presynaptic one, ms (negative: post first). */
  readonly deltaT: number;
  /** Number of pairings. Default 60 (Bi & Poo 1998). */
  readonly pairs: number;
  /** Pairing frequency, 1/ms. Default 1 Hz (0.001). */
  readonly frequency: number;
  /** Step, ms. Default 0.1. */
  readonly dt: number;
  /** Initial weight. Default the middle of [wMin, wMax]. */
  readonly w0: number;
  /** The two neurons. Default: LIF defaults (τm 20 ms, threshold 15 mV above rest, tRef 2 ms). */
  readonly neuron: LifParams;
  /** Stimulus pulse: amplitude (nA) and length (ms). Default 40 nA for 1 ms (R·I·(1 − e^{−1/20}) ≈ 19.5 mV: one spike, ~0.8 ms after onset). */
  readonly pulse: { readonly amplitude: number; readonly duration: number };
}

export const pairingDefaults: Readonly<Omit<PairingOptions, "deltaT" | "w0" | "neuron">> = Object.freeze({
  pairs: 60, frequency: 0.001, dt: 0.1, pulse: Object.freeze({ amplitude: 40, duration: 1 }),
});

/** What a pairing protocol did. */
export interface PairingResult {
  /** Final weight change relative to w0 (e.g. 0.2 = +20 %). */
  readonly relativeChange: number;
  /** Mean measured t_post − t_pre of the pairs' spikes, ms. */
  readonly measuredDeltaT: number;
  /** Spikes fired by the pre and post neurons. */
  readonly preSpikes: number;
  readonly postSpikes: number;
}

/** Bi & Poo's pairing protocol on two LIF neurons joined by one plastic synapse (file header). */
export function pairingProtocol(p: StdpParams, options: Partial<PairingOptions> & { deltaT: number }): PairingResult {
  const fn = "pairingProtocol";
  checkWeightBounds(fn, p);
  const o = mergeOptions(fn, { ...pairingDefaults, deltaT: NaN, w0: (p.wMin + p.wMax) / 2, neuron: lifParams() } as PairingOptions, options);
  const deltaT = finite(fn, "deltaT", o.deltaT);
  const pairs = integer(fn, "pairs", o.pairs, 1);
  const period = 1 / positive(fn, "frequency", o.frequency);
  const dt = positive(fn, "dt", o.dt);
  const amplitude = positive(fn, "pulse.amplitude", o.pulse.amplitude);
  const pulseSteps = Math.max(1, Math.round(positive(fn, "pulse.duration", o.pulse.duration) / dt));
  const w = new Float32Array([finite(fn, "w0", o.w0)]);
  const w0 = w[0]!;
  const access = denseAccess(w, 1, 1);
  const traces = stdpInit(access, p);
  const neurons = lifInit(2, o.neuron); // neuron 0: pre, neuron 1: post
  const input = new Float32Array(2);
  const spikes = new Uint8Array(2);
  const pre = new Uint8Array(1);
  const post = new Uint8Array(1);
  const lead = Math.max(0, -deltaT) + 10; // start each pairing with both stimuli inside the period
  const preOnset = Math.round(lead / dt);
  const postOnset = Math.round((lead + deltaT) / dt);
  const periodSteps = Math.round(period / dt);
  let preSpikes = 0;
  let postSpikes = 0;
  let sumDelta = 0;
  let pairsSeen = 0;
  for (let n = 0; n < pairs; n++) {
    let tPre = NaN;
    let tPost = NaN;
    for (let s = 0; s < periodSteps; s++) {
      neurons.iExt[0] = s >= preOnset && s < preOnset + pulseSteps ? amplitude : 0;
      neurons.iExt[1] = s >= postOnset && s < postOnset + pulseSteps ? amplitude : 0;
      lifStep(input, neurons, o.neuron, dt, spikes);
      pre[0] = spikes[0]!;
      post[0] = spikes[1]!;
      stdpStep(pre, post, access, traces, p, dt);
      const t = (n * periodSteps + s) * dt;
      if (spikes[0]) {
        preSpikes++;
        if (Number.isNaN(tPre)) tPre = t;
      }
      if (spikes[1]) {
        postSpikes++;
        if (Number.isNaN(tPost)) tPost = t;
      }
    }
    if (!Number.isNaN(tPre) && !Number.isNaN(tPost)) {
      sumDelta += tPost - tPre;
      pairsSeen++;
    }
  }
  return {
    relativeChange: (w[0]! - w0) / w0,
    measuredDeltaT: pairsSeen > 0 ? sumDelta / pairsSeen : NaN,
    preSpikes, postSpikes,
  };
}
