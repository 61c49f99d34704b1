/**
 * The columnar spike-train record shared by encoders, monitors, tables and widgets (house style C7):
 * one spike per row, `times[s]` in ms and `ids[s]` the neuron (channel) index, sorted by time and,
 * at equal times, by id. Columns are typed arrays, which is what a raster (`scattergl` x/y), an
 * arquero table and Plot's `valueof` accept without copying.
 *
 * @example
 *   const train = createSpikeTrain([2, 0.5, 2], [1, 0, 0], { size: 2, duration: 10 });
 *   train.times;              // Float32Array [0.5, 2, 2]
 *   train.ids;                // Int32Array   [0, 0, 1]
 *   spikeCounts(train);       // Int32Array   [2, 1]
 */
import { arrayLength, fail, lengthIs, positive } from "../core/validate";

/** A columnar spike train: spike `s` is neuron `ids[s]` firing at `times[s]`. */
export interface SpikeTrain {
  /** Spike times, ms, in [0, duration], non-decreasing (ties ordered by id). */
  readonly times: Float32Array;
  /** Neuron (channel) index of each spike, in [0, size). */
  readonly ids: Int32Array;
  /** Number of neurons (channels) the train covers, including silent ones. */
  readonly size: number;
  /** Length of the recording window, ms. */
  readonly duration: number;
}

/** Options of `createSpikeTrain`. */
export interface SpikeTrainOptions {
  /** Number of neurons (channels); every id must lie in [0, size). */
  readonly size: number;
  /** Length of the recording window, ms; every time must lie in [0, duration]. */
  readonly duration: number;
}

/**
 * Builds a validated `SpikeTrain` from spike times (ms) and neuron ids in any order. The inputs are
 * copied, never mutated; the result is sorted by time, then id.
 */
export function createSpikeTrain(
  times: ArrayLike<number>, ids: ArrayLike<number>, options: SpikeTrainOptions,
): SpikeTrain {
  const fn = "createSpikeTrain";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object", options);
  const size = arrayLength(fn, "size", options.size);
  const duration = positive(fn, "duration", options.duration);
  lengthIs(fn, "ids", ids, times.length);
  for (let s = 0; s < times.length; s++) {
    const t = times[s];
    if (typeof t !== "number" || !(t >= 0 && t <= duration)) fail(fn, `times[${s}]`, `be a finite number in [0, ${duration}]`, t);
    const id = ids[s];
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= size) {
      fail(fn, `ids[${s}]`, `be an integer in [0, ${size - 1}]`, id);
    }
  }
  return sortedSpikeTrain(times, ids, size, duration);
}

/**
 * Sorts unvalidated spikes into a `SpikeTrain` (for encoders, which produce valid spikes by
 * construction). Times are compared after rounding to float32, so that the stored column is
 * ordered even where two distinct doubles round to the same float.
 */
export function sortedSpikeTrain(
  times: ArrayLike<number>, ids: ArrayLike<number>, size: number, duration: number,
): SpikeTrain {
  const n = times.length;
  const t32 = Float32Array.from(times);
  const order = new Uint32Array(n);
  for (let s = 0; s < n; s++) order[s] = s;
  order.sort((a, b) => t32[a] - t32[b] || ids[a] - ids[b]);
  const outTimes = new Float32Array(n);
  const outIds = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    outTimes[s] = t32[order[s]];
    outIds[s] = ids[order[s]];
  }
  return Object.freeze({ times: outTimes, ids: outIds, size, duration });
}

/**
 * Number of steps of length dt (ms) in `duration` (ms); throws the standard error, in the name of
 * `fn`, unless duration is a whole number of steps (to 1e-9 relative).
 */
export function stepCount(fn: string, duration: number, dt: number): number {
  const steps = Math.round(duration / dt);
  if (Math.abs(steps * dt - duration) > 1e-9 * duration) {
    fail(fn, "duration", `be a whole number of steps of dt (${dt})`, duration);
  }
  return steps;
}

/**
 * Number of spikes of each neuron, an Int32Array of length `train.size`. Writes into `out` (in place)
 * when given, so that a loop over many trains need not allocate.
 */
/**
 * Throws the standard error unless `train` is a SpikeTrain: `times` (Float32Array) and `ids`
 * (Int32Array) of one length, an integer `size` and a finite `duration` ≥ 0. O(1): the spikes
 * themselves were checked when the train was made. Internal (metrics read trains through it).
 */
export function checkSpikeTrain(fn: string, train: unknown, param = "train"): SpikeTrain {
  const t = train as Partial<SpikeTrain> | null;
  if (t === null || typeof t !== "object" || !(t.times instanceof Float32Array) || !(t.ids instanceof Int32Array) || t.times.length !== t.ids.length ||
    typeof t.size !== "number" || !Number.isSafeInteger(t.size) || t.size < 0 || typeof t.duration !== "number" || !(t.duration >= 0) || !Number.isFinite(t.duration)) {
    fail(fn, param, "be a SpikeTrain (createSpikeTrain, a spike monitor's train())", train);
  }
  return t as SpikeTrain;
}

export function spikeCounts(train: SpikeTrain, out?: Int32Array): Int32Array {
  const fn = "spikeCounts";
  if (train === null || typeof train !== "object" || !(train.ids instanceof Int32Array)) {
    fail(fn, "train", "be a SpikeTrain", train);
  }
  const counts = out ?? new Int32Array(train.size);
  lengthIs(fn, "out", counts, train.size);
  counts.fill(0);
  const ids = train.ids;
  for (let s = 0; s < ids.length; s++) counts[ids[s]]++;
  return counts;
}

/** Trains stacked into one (`stackSpikeTrains`), with the id range each came from. */
export interface StackedSpikeTrains {
  readonly train: SpikeTrain;
  /** Half-open id range [start, end) of each input train in `train`, in order. */
  readonly ranges: readonly (readonly [number, number])[];
}

/**
 * Stacks trains into one: the ids of train k are shifted by the sizes of trains 0 … k−1, and the
 * duration is the longest. For one raster of several populations (pass `ranges` as groups).
 * @example
 *   const { train, ranges } = stackSpikeTrains([output, labels]);   // sizes 10 and 10
 *   ranges;   // [[0, 10], [10, 20]]
 */
export function stackSpikeTrains(trains: readonly SpikeTrain[]): StackedSpikeTrains {
  const fn = "stackSpikeTrains";
  if (!Array.isArray(trains) || trains.length === 0) fail(fn, "trains", "be a non-empty array of SpikeTrains", trains);
  let size = 0;
  let duration = 0;
  let spikes = 0;
  const ranges: (readonly [number, number])[] = [];
  trains.forEach((t, k) => {
    if (t === null || typeof t !== "object" || !(t.times instanceof Float32Array) || !(t.ids instanceof Int32Array)) fail(fn, `trains[${k}]`, "be a SpikeTrain", t);
    ranges.push([size, size + t.size] as const);
    size += t.size;
    duration = Math.max(duration, t.duration);
    spikes += t.times.length;
  });
  const times = new Float32Array(spikes);
  const ids = new Int32Array(spikes);
  let at = 0;
  trains.forEach((t, k) => {
    times.set(t.times, at);
    for (let s = 0; s < t.ids.length; s++) ids[at + s] = t.ids[s]! + ranges[k]![0];
    at += t.times.length;
  });
  return { train: sortedSpikeTrain(times, ids, size, duration), ranges };
}
