/**
 * Poisson rate coding: each input channel fires as an independent Poisson process of a given rate.
 *
 * Discrete time (Brian2's `PoissonGroup`): in every step of length dt, neuron i spikes with
 * probability p_i = r_i·dt, one Bernoulli draw per neuron per step. For p_i ≪ 1 this approximates a
 * Poisson process of rate r_i (counts over T have mean r·T and variance r·T·(1 − p), Fano factor
 * 1 − p); at r_i·dt ≥ 1 the neuron spikes in every step, at most one spike per step.
 *
 * Continuous time (`poissonProcess`): inter-spike intervals drawn from the exponential
 * distribution with mean 1/r, spike times not tied to a grid.
 *
 * Rates are in the internal unit 1/ms: write `50 * Hz`. Pixels become rates with `imageToRates`,
 * following Diehl & Cook (2015) (card E11).
 *
 * @example
 *   const rng = createRng(1);
 *   const rates = imageToRates(new Uint8Array([0, 128, 255]));   // 0, 32, 63.75 Hz (in 1/ms)
 *   const out = new Uint8Array(3);
 *   poissonStep(rates, rng, 0.5 * ms, out);                        // one step, in place
 *   const train = poissonTrain(rates, { duration: 350 * ms, dt: 0.5 * ms, rng });
 */
import { Hz } from "../core/units";
import { checkRng, type Rng } from "../core/random";
import { arrayLike, fail, finite, lengthIs, mergeOptions, nonNegative, positive } from "../core/validate";
import { checkRates } from "./check-rates";
import { sortedSpikeTrain, stepCount, type SpikeTrain } from "./spike-train";

/**
 * One step of Poisson spiking, allocation-free: writes 0/1 into `out` (in place) with probability
 * `rates[i]·dt` and returns the number of spikes. `rates` (1/ms) and `dt` (ms) are read only.
 *
 * Exactly one uniform draw is made per neuron per step, whatever its rate (also at 0 Hz and at
 * rate = 1/dt, which always spikes), so changing one channel's rate never shifts the random
 * stream seen by the others. A rate above 1/dt is an error that names it in Hz (rates are in 1/ms:
 * `rate: 20` is 20 kHz; write `20 * Hz`).
 */
export function poissonStep(rates: Float32Array, rng: Rng, dt: number, out: Uint8Array): number {
  const fn = "poissonStep";
  checkRng(fn, "rng", rng);
  positive(fn, "dt", dt);
  lengthIs(fn, "out", out, rates.length);
  checkRates(fn, rates, dt);
  return bernoulliStep(rates, rng, dt, out);
}

function bernoulliStep(rates: Float32Array, rng: Rng, dt: number, out: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < rates.length; i++) {
    const spike = rng.next() < rates[i] * dt ? 1 : 0;
    out[i] = spike;
    count += spike;
  }
  return count;
}

/** Options of `poissonTrain`. */
export interface PoissonTrainOptions {
  /** Length of the train, ms; a whole number of steps. */
  readonly duration: number;
  /** Step length, ms; spikes are stamped at the step start k·dt. */
  readonly dt: number;
  /** The random stream (`createRng(seed)`). */
  readonly rng: Rng;
}

/**
 * A whole discrete-time Poisson train: `poissonStep` repeated over duration/dt steps, the spike of
 * step k stamped at k·dt. `rates` are in 1/ms and are not mutated.
 */
export function poissonTrain(rates: ArrayLike<number>, options: PoissonTrainOptions): SpikeTrain {
  const fn = "poissonTrain";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object", options);
  const { duration, dt, rng } = options;
  positive(fn, "duration", duration);
  positive(fn, "dt", dt);
  checkRng(fn, "rng", rng);
  checkRates(fn, rates, dt);
  const steps = stepCount(fn, duration, dt);
  const r32 = Float32Array.from(rates);
  const spikes = new Uint8Array(r32.length);
  const times: number[] = [];
  const ids: number[] = [];
  for (let k = 0; k < steps; k++) {
    if (bernoulliStep(r32, rng, dt, spikes) === 0) continue;
    for (let i = 0; i < spikes.length; i++) {
      if (spikes[i]) {
        times.push(k * dt);
        ids.push(i);
      }
    }
  }
  return sortedSpikeTrain(times, ids, r32.length, duration);
}

/** Options of `poissonProcess`. */
export interface PoissonProcessOptions {
  /** Length of the train, ms. */
  readonly duration: number;
  /** The random stream (`createRng(seed)`). */
  readonly rng: Rng;
}

/**
 * Event-driven Poisson trains in continuous time: for each neuron, inter-spike intervals are drawn
 * as −ln(1 − u)/r (exponential with mean 1/r ms), until the window [0, duration) ends. Neurons are
 * drawn in index order, so the same seed gives the same trains. `rates` are in 1/ms.
 */
export function poissonProcess(rates: ArrayLike<number>, options: PoissonProcessOptions): SpikeTrain {
  const fn = "poissonProcess";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object", options);
  const { duration, rng } = options;
  positive(fn, "duration", duration);
  checkRng(fn, "rng", rng);
  checkRates(fn, rates);
  const times: number[] = [];
  const ids: number[] = [];
  for (let i = 0; i < rates.length; i++) {
    const r = rates[i];
    if (r === 0) continue;
    let t = -Math.log(1 - rng.next()) / r;
    while (t < duration) {
      // float32 rounding could lift a time just below `duration` onto it; keep the window half-open.
      if (Math.fround(t) < duration) {
        times.push(t);
        ids.push(i);
      }
      t += -Math.log(1 - rng.next()) / r;
    }
  }
  return sortedSpikeTrain(times, ids, rates.length, duration);
}

/** Options of `imageToRates`. */
export interface ImageToRatesOptions {
  /** Multiplier of the rate; Diehl & Cook start at 2 and add 1 per retry. Dimensionless, ≥ 0. */
  readonly intensity: number;
  /** Rate per grey level at intensity 1, 1/ms; Diehl & Cook use 1/8 Hz (pixel/8 Hz). */
  readonly ratePerLevel: number;
}

/** Defaults of `imageToRates`: Diehl & Cook (2015), rate = pixel/8 Hz × 2 = pixel/4 Hz. */
export const imageToRatesDefaults: Readonly<ImageToRatesOptions> = Object.freeze({
  intensity: 2,
  ratePerLevel: Hz / 8,
});

/**
 * Diehl & Cook's retry protocol (card E11): a sample is shown at `initial` intensity; while the
 * excitatory layer fires fewer than `minSpikes` spikes, intensity grows by `step` and the sample is
 * shown again. At a full pixel (255) each retry adds 255/8 = 31.875 Hz ("+32 Hz").
 */
export const diehlCookIntensity = Object.freeze({ initial: 2, step: 1, minSpikes: 5 });

/**
 * Converts grey levels (0–255) to Poisson rates (1/ms), Diehl & Cook's input coding:
 *
 *   rate = pixel · ratePerLevel · intensity        (default: pixel/8 Hz × 2 = pixel/4 Hz)
 *
 * so a full pixel (255) gives 63.75 Hz at the default intensity 2, and each retry with
 * intensity + 1 adds 31.875 Hz (see `diehlCookIntensity`). `pixels` are not mutated; the rates go
 * into `out` (in place) when given, else into a new Float32Array.
 */
export function imageToRates(
  pixels: ArrayLike<number>, options?: Partial<ImageToRatesOptions>, out?: Float32Array,
): Float32Array {
  const fn = "imageToRates";
  const o = mergeOptions(fn, imageToRatesDefaults, options);
  nonNegative(fn, "intensity", o.intensity);
  nonNegative(fn, "ratePerLevel", o.ratePerLevel);
  arrayLike(fn, "pixels", pixels);
  const rates = out ?? new Float32Array(pixels.length);
  lengthIs(fn, "out", rates, pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const x = pixels[i];
    if (!(x >= 0 && x <= 255)) fail(fn, `pixels[${i}]`, "be a finite number in [0, 255]", x);
  }
  const scale = o.ratePerLevel * o.intensity;
  finite(fn, "ratePerLevel·intensity", scale);
  for (let i = 0; i < pixels.length; i++) rates[i] = pixels[i] * scale;
  return rates;
}
