/**
 * Statistics of spike trains, as pure functions over records (house style C2: metrics read
 * records and never mutate them).
 *
 * - `countStatistics(trains)`: per neuron, the mean and (unbiased) variance of the spike count
 *   over repeated trials, and their ratio, the Fano factor F = Var[n] / E[n] (1 for a Poisson
 *   process; 1 − p for Bernoulli steps with probability p per step).
 * - `isiStatistics(train)`: inter-spike intervals pooled over neurons: mean, and the coefficient of
 *   variation CV = sd / mean (1 for a Poisson process, 0 for a regular train).
 * - `firingRates(train)`: per-neuron rates in Hz over the train's duration.
 * - `rankCorrelation(x, y)`: Spearman's ρ (average ranks for ties), e.g. to check that a latency
 *   code fires brighter inputs earlier (ρ(intensity, latency) = −1).
 *
 * @example
 *   const trains = [poissonTrain(rates, { duration: 1000, dt: 0.1, rng }), poissonTrain(rates, { duration: 1000, dt: 0.1, rng })];
 *   const s = countStatistics(trains);   // s.mean[k], s.variance[k], s.fano[k]
 */
import { arrayLike, fail, integer } from "../core/validate";
import { checkSpikeTrain, spikeCounts, type SpikeTrain } from "../encoders/spike-train";

/** Per-neuron count statistics over trials. */
export interface CountStatistics {
  /** Number of trials. */
  readonly trials: number;
  /** Mean spike count per neuron. */
  readonly mean: Float64Array;
  /** Unbiased variance of the count per neuron (n − 1 in the denominator). */
  readonly variance: Float64Array;
  /** Fano factor per neuron (NaN where the mean is 0). */
  readonly fano: Float64Array;
}

/** Count statistics over repeated trials of the same neurons (every train must have the same size). */
export function countStatistics(trains: readonly SpikeTrain[]): CountStatistics {
  const fn = "countStatistics";
  if (!Array.isArray(trains) || trains.length < 2) fail(fn, "trains", "be an array of at least 2 spike trains", trains);
  const size = trains[0]!.size;
  const sum = new Float64Array(size);
  const sumSq = new Float64Array(size);
  const counts = new Int32Array(size);
  trains.forEach((train, k) => {
    if (train.size !== size) fail(fn, `trains[${k}].size`, `equal trains[0].size (${size})`, train.size);
    spikeCounts(train, counts);
    for (let i = 0; i < size; i++) {
      const c = counts[i]!;
      sum[i]! += c;
      sumSq[i]! += c * c;
    }
  });
  const n = trains.length;
  const mean = new Float64Array(size);
  const variance = new Float64Array(size);
  const fano = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    mean[i] = sum[i]! / n;
    variance[i] = Math.max(0, (sumSq[i]! - n * mean[i]! * mean[i]!) / (n - 1));
    fano[i] = mean[i]! > 0 ? variance[i]! / mean[i]! : NaN;
  }
  return { trials: n, mean, variance, fano };
}

/** Inter-spike-interval statistics, pooled over the neurons of a train. */
export interface IsiStatistics {
  /** Number of intervals. */
  readonly count: number;
  /** Mean interval, ms (NaN without intervals). */
  readonly mean: number;
  /** Coefficient of variation sd / mean (NaN with fewer than 2 intervals). */
  readonly cv: number;
}

/** ISI statistics of `train`, pooled over its neurons (or of the neurons in `ids` only). */
export function isiStatistics(train: SpikeTrain, ids?: ArrayLike<number>): IsiStatistics {
  checkSpikeTrain("isiStatistics", train);
  if (ids != null) arrayLike("isiStatistics", "ids", ids);
  const last = new Float64Array(train.size).fill(NaN);
  const include = new Uint8Array(train.size);
  if (ids) {
    for (let k = 0; k < ids.length; k++) {
      const id = integer("isiStatistics", `ids[${k}]`, ids[k], 0);
      if (id >= train.size) fail("isiStatistics", `ids[${k}]`, `be < size ${train.size}`, id);
      include[id] = 1;
    }
  } else include.fill(1);
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  for (let s = 0; s < train.times.length; s++) {
    const id = train.ids[s]!;
    if (!include[id]) continue;
    const t = train.times[s]!;
    if (!Number.isNaN(last[id]!)) {
      const isi = t - last[id]!;
      count++;
      sum += isi;
      sumSq += isi * isi;
    }
    last[id] = t;
  }
  const mean = count > 0 ? sum / count : NaN;
  const variance = count > 1 ? (sumSq - count * mean * mean) / (count - 1) : NaN;
  return { count, mean, cv: count > 1 ? Math.sqrt(Math.max(0, variance)) / mean : NaN };
}

/** Per-neuron firing rates of `train`, Hz (count / duration). */
export function firingRates(train: SpikeTrain): Float64Array {
  const counts = spikeCounts(train);
  const out = new Float64Array(train.size);
  for (let i = 0; i < train.size; i++) out[i] = (counts[i]! / train.duration) * 1000;
  return out;
}

function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Float64Array(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const rank = (start + end) / 2;
    for (let k = start; k <= end; k++) out[order[k]!] = rank;
    start = end + 1;
  }
  return out;
}

/** Spearman's rank correlation of two equally long arrays (average ranks for ties). */
export function rankCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  arrayLike("rankCorrelation", "x", x);
  arrayLike("rankCorrelation", "y", y);
  if (x.length !== y.length) fail("rankCorrelation", "y", `have length ${x.length}`, y.length);
  if (x.length < 2) fail("rankCorrelation", "x", "have at least 2 elements", x.length);
  const rx = ranks(x);
  const ry = ranks(y);
  const n = x.length;
  const m = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i]! - m;
    const dy = ry[i]! - m;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}
