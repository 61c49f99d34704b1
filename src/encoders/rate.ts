/**
 * Deterministic regular rate coding: each channel fires evenly spaced spikes at its rate, the
 * noise-free counterpart of `poisson.ts` (an integrate-and-fire "phase" per channel, also known as
 * sigma-delta or herding coding).
 *
 *   φ ← φ + r·dt;   φ ≥ 1 ⇒ spike, φ ← φ − ⌊φ⌋          (φ: phase in cycles, r: rate in 1/ms)
 *
 * Over T steps from phase φ₀ a channel with r·dt ≤ 1 fires exactly ⌊φ₀ + r·dt·T⌋ spikes, so a
 * count estimates r·T to within one spike. At r·dt = 1 it fires every step; a rate above 1/dt is
 * an error that names it in Hz (rates are in 1/ms: `20` is 20 kHz). In continuous time (`regularTrain`) the k-th spike is at
 * t_k = (k + 1 − φ₀)/r; the default φ₀ = 1/2 centres the spikes in their periods.
 *
 * @example
 *   const rates = new Float32Array([100 * Hz, 250 * Hz]);
 *   const phase = regularInit(2);                  // Float64Array [0.5, 0.5]
 *   const out = new Uint8Array(2);
 *   regularStep(rates, phase, 1 * ms, out);         // in place: phase and out
 *   regularTrain(rates, { duration: 20 * ms }).times; // 100 Hz: 5, 15 ms; 250 Hz: 2, 6, 10, 14, 18 ms
 */
import { arrayLength, arrayLike, fail, lengthIs, mergeOptions, positive } from "../core/validate";
import { checkRates } from "./check-rates";
import { sortedSpikeTrain, type SpikeTrain } from "./spike-train";

/**
 * A fresh phase state for `size` channels, every phase `phase` (cycles, in [0, 1)). The state is a
 * Float64Array: accumulated over 10⁵ steps in float32 the phase would drift by about 10⁻³ of a
 * period, enough to move a spike by a step; in float64 spike counts stay exact.
 */
export function regularInit(size: number, phase = 0.5): Float64Array {
  arrayLength("regularInit", "size", size);
  if (typeof phase !== "number" || !(phase >= 0 && phase < 1)) fail("regularInit", "phase", "be a finite number in [0, 1)", phase);
  return new Float64Array(size).fill(phase);
}

/**
 * One step of regular rate coding, allocation-free: advances `phase` (cycles) and writes 0/1 into
 * `out`, both in place, and returns the number of spikes. `rates` (1/ms) and `dt` (ms) are read only.
 */
export function regularStep(rates: Float32Array, phase: Float64Array, dt: number, out: Uint8Array): number {
  const fn = "regularStep";
  arrayLike(fn, "rates", rates);
  positive(fn, "dt", dt);
  lengthIs(fn, "phase", phase, rates.length);
  lengthIs(fn, "out", out, rates.length);
  checkRates(fn, rates, dt);
  let count = 0;
  for (let i = 0; i < rates.length; i++) {
    let p = phase[i] + rates[i] * dt;
    let spike = 0;
    if (p >= 1) {
      spike = 1;
      p -= Math.floor(p);
    }
    phase[i] = p;
    out[i] = spike;
    count += spike;
  }
  return count;
}

/** Options of `regularTrain`. */
export interface RegularTrainOptions {
  /** Length of the train, ms. */
  readonly duration: number;
  /** Initial phase φ₀ in cycles, in [0, 1); 1/2 centres spikes in their periods. */
  readonly phase: number;
}

/** Defaults of `regularTrain` (duration must be given). */
export const regularTrainDefaults: Readonly<RegularTrainOptions> = Object.freeze({ duration: NaN, phase: 0.5 });

/**
 * Evenly spaced spikes in continuous time: channel i fires at t_k = (k + 1 − φ₀)/rᵢ ms for every
 * t_k < duration. `rates` (1/ms) are not mutated.
 */
export function regularTrain(rates: ArrayLike<number>, options: Partial<RegularTrainOptions> & { duration: number }): SpikeTrain {
  const fn = "regularTrain";
  const o = mergeOptions(fn, regularTrainDefaults, options);
  const duration = positive(fn, "duration", o.duration);
  if (!(o.phase >= 0 && o.phase < 1)) fail(fn, "phase", "be a finite number in [0, 1)", o.phase);
  checkRates(fn, rates);
  const times: number[] = [];
  const ids: number[] = [];
  for (let i = 0; i < rates.length; i++) {
    const r = rates[i];
    if (r === 0) continue;
    for (let k = 0; ; k++) {
      const t = (k + 1 - o.phase) / r;
      if (!(Math.fround(t) < duration)) break;
      times.push(t);
      ids.push(i);
    }
  }
  return sortedSpikeTrain(times, ids, rates.length, duration);
}
