/**
 * Latency (time-to-first-spike) coding: each input fires at most once, brighter inputs earlier,
 * and zero inputs never.
 *
 * Continuous time: an intensity x ∈ (0, 1] fires once at
 *
 *   t = (1 − x) · tMax        (x = 1 at t = 0; x → 0⁺ just before tMax; x = 0 never)
 *
 * Discrete time (Kheradpisheh et al. 2018, 15 steps): the spike falls into one of `steps` bins,
 *   - binning "value": step = min(steps − 1, ⌊(1 − x) · steps⌋), the discretised form of t above;
 *   - binning "rank": inputs > 0 are ranked by decreasing value (ties by index) and split into
 *     `steps` bins of (nearly) equal size, step = ⌊rank · steps / count⌋. This is SpykeTorch's
 *     `Intensity2Latency` (which drops the remainder of count/steps; here every input > 0 spikes),
 *     and it needs no normalisation of x, so it takes DoG outputs as they are.
 *
 * @example
 *   const x = new Float32Array([1, 0.5, 0, 0.25]);
 *   latencySteps(x, { steps: 4 });               // Int32Array [0, 2, -1, 3]
 *   latencyTrain(x, { tMax: 10 * ms }).times;    // Float32Array [0, 5, 7.5]
 *   latencyFrames(x, { steps: 4 });              // Uint8Array, 4 frames of 4, row-major [step][input]
 */
import { arrayLike, fail, integer, lengthIs, mergeOptions, oneOf, positive } from "../core/validate";
import { sortedSpikeTrain, type SpikeTrain } from "./spike-train";

/** How intensities map to discrete spike steps (see the file header). */
export type LatencyBinning = "value" | "rank";

const binnings: readonly LatencyBinning[] = ["value", "rank"];

/** Options of `latencyTrain`. */
export interface LatencyTrainOptions {
  /** Latency of the weakest (x → 0⁺) input, ms; also the duration of the train. */
  readonly tMax: number;
}

/** Options of `latencySteps` and `latencyFrames`. */
export interface LatencyStepOptions {
  /** Number of time steps (bins), ≥ 1; Kheradpisheh et al. use 15. */
  readonly steps: number;
  /** "value" needs x ∈ [0, 1]; "rank" takes any x ≥ 0. */
  readonly binning: LatencyBinning;
}

/** Options of `latencyFrames`. */
export interface LatencyFrameOptions extends LatencyStepOptions {
  /**
   * When true, an input stays 1 in every frame after its spike (SpykeTorch's accumulated spike
   * waves, which its convolutional layers expect); when false, each input is 1 in one frame only.
   */
  readonly cumulative: boolean;
}

/** Defaults of `latencySteps`: 15 steps (Kheradpisheh et al. 2018), value binning. */
export const latencyStepDefaults: Readonly<LatencyStepOptions> = Object.freeze({ steps: 15, binning: "value" });

/** Defaults of `latencyFrames`: `latencyStepDefaults`, one spike per input. */
export const latencyFrameDefaults: Readonly<LatencyFrameOptions> = Object.freeze({
  ...latencyStepDefaults, cumulative: false,
});

function checkUnit(fn: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(x >= 0 && x <= 1)) fail(fn, `values[${i}]`, "be a finite number in [0, 1]", x);
  }
}

function checkNonNegative(fn: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(x >= 0) || x === Infinity) fail(fn, `values[${i}]`, "be a finite number >= 0", x);
  }
}

/**
 * One spike per input x ∈ (0, 1] at t = (1 − x)·tMax (ms); zeros never spike. Returns a
 * `SpikeTrain` of duration tMax, earliest (brightest) first. `values` are not mutated.
 */
export function latencyTrain(values: ArrayLike<number>, options: LatencyTrainOptions): SpikeTrain {
  const fn = "latencyTrain";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object", options);
  const tMax = positive(fn, "tMax", options.tMax);
  checkUnit(fn, values);
  const times: number[] = [];
  const ids: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] > 0) {
      times.push((1 - values[i]) * tMax);
      ids.push(i);
    }
  }
  return sortedSpikeTrain(times, ids, values.length, tMax);
}

/**
 * The discrete spike step of each input, in [0, steps), or −1 for inputs that never spike (x = 0).
 * Writes into `out` (in place) when given, else into a new Int32Array; `values` are not mutated.
 */
export function latencySteps(
  values: ArrayLike<number>, options?: Partial<LatencyStepOptions>, out?: Int32Array,
): Int32Array {
  const fn = "latencySteps";
  const o = mergeOptions(fn, latencyStepDefaults, options);
  return computeSteps(fn, values, checkStepOptions(fn, o), out);
}

function checkStepOptions<T extends LatencyStepOptions>(fn: string, o: T): T {
  integer(fn, "steps", o.steps, 1);
  oneOf(fn, "binning", o.binning, binnings);
  return o;
}

function computeSteps(fn: string, values: ArrayLike<number>, o: LatencyStepOptions, out?: Int32Array): Int32Array {
  const n = arrayLike(fn, "values", values).length;
  const result = out ?? new Int32Array(n);
  lengthIs(fn, "out", result, n);
  const steps = o.steps;
  if (o.binning === "value") {
    checkUnit(fn, values);
    for (let i = 0; i < n; i++) {
      const x = values[i];
      result[i] = x > 0 ? Math.min(steps - 1, Math.floor((1 - x) * steps)) : -1;
    }
    return result;
  }
  checkNonNegative(fn, values);
  let count = 0;
  for (let i = 0; i < n; i++) if (values[i] > 0) count++;
  const order = new Int32Array(count);
  for (let i = 0, c = 0; i < n; i++) if (values[i] > 0) order[c++] = i;
  order.sort((a, b) => values[b] - values[a] || a - b);
  result.fill(-1);
  for (let rank = 0; rank < count; rank++) result[order[rank]] = Math.floor((rank * steps) / count);
  return result;
}

/**
 * Per-step spike frames: a Uint8Array of `steps × values.length`, row-major [step][input], with a 1
 * where (or, if `cumulative`, from where) an input spikes. `values` are not mutated.
 */
export function latencyFrames(values: ArrayLike<number>, options?: Partial<LatencyFrameOptions>): Uint8Array {
  const fn = "latencyFrames";
  const o = checkStepOptions(fn, mergeOptions(fn, latencyFrameDefaults, options));
  if (typeof o.cumulative !== "boolean") fail(fn, "cumulative", "be a boolean", o.cumulative);
  const n = arrayLike(fn, "values", values).length;
  const when = computeSteps(fn, values, o);
  const frames = new Uint8Array(o.steps * n);
  for (let i = 0; i < n; i++) {
    const k = when[i];
    if (k < 0) continue;
    const last = o.cumulative ? o.steps : k + 1;
    for (let step = k; step < last; step++) frames[step * n + i] = 1;
  }
  return frames;
}
