/**
 * A random sample of a data set, drawn without replacement by a seeded generator.
 */
import { checkRng, type Rng } from "../core/random";
import { fail, integer, mergeOptions } from "../core/validate";
import { classCounts } from "./class-counts";
import { checkImageDataset, imageClassCount, selectSamples, type ImageDataset } from "./image-dataset";

/** Options of `subset`. */
export interface SubsetOptions {
  /** Number of samples to draw, an integer in [0, dataset.count]. Required. */
  readonly count: number;
  /** The generator that draws them (`createRng(seed)`). Required; it is advanced. */
  readonly rng: Rng;
  /**
   * When true, draw `count / k` samples from each of the k classes present in `dataset`, so every
   * class is equally frequent; `count` must then be a multiple of k, and no larger than k times
   * the smallest class. Default false: a uniform sample, whose class frequencies follow the data
   * set's.
   */
  readonly balanced?: boolean;
}

const defaults: Readonly<{ count: number | undefined; rng: Rng | undefined; balanced: boolean }> = Object.freeze({
  count: undefined,
  rng: undefined,
  balanced: false,
});

/**
 * A new data set of `count` samples of `dataset`, drawn without replacement, in random order,
 * copied. The same seed gives the same subset; `dataset` is not modified.
 *
 * @example
 *   const train = loadMnist({ split: "train" });
 *   const small = subset(train, { count: 1000, rng: createRng(1), balanced: true });
 *   classCounts(small); // Int32Array [100, 100, 100, 100, 100, 100, 100, 100, 100, 100]
 */
export function subset(dataset: ImageDataset, options: SubsetOptions): ImageDataset {
  const fn = "subset";
  const d = checkImageDataset(fn, "dataset", dataset);
  const merged = mergeSubsetOptions(options);
  const count = integer(fn, "count", merged.count, 0);
  if (count > d.count) fail(fn, "count", `be an integer in [0, ${d.count}] (dataset.count)`, count);
  const rng = checkRng(fn, "rng", merged.rng);
  if (typeof merged.balanced !== "boolean") fail(fn, "balanced", "be a boolean", merged.balanced);

  if (!merged.balanced) {
    const order = Int32Array.from({ length: d.count }, (_, i) => i);
    return selectSamples(d, partialShuffle(order, count, rng).subarray(0, count));
  }

  const counts = classCounts(d);
  const present: number[] = [];
  for (let k = 0; k < imageClassCount; k++) if (counts[k]! > 0) present.push(k);
  if (present.length === 0) return selectSamples(d, []);
  if (count % present.length !== 0) {
    fail(fn, "count", `be a multiple of ${present.length} (the classes present) when balanced`, count);
  }
  const perClass = count / present.length;
  const smallest = present.reduce((a, b) => (counts[b]! < counts[a]! ? b : a));
  if (perClass > counts[smallest]!) {
    fail(
      fn, "count",
      `be at most ${present.length * counts[smallest]!} when balanced (class ${smallest} has ${counts[smallest]!} samples)`,
      count,
    );
  }

  // Indices of each class in ascending order, so the draw depends only on the data and the seed.
  const byClass = Array.from({ length: imageClassCount }, (_, k) => new Int32Array(counts[k]!));
  const filled = new Int32Array(imageClassCount);
  for (let i = 0; i < d.count; i++) {
    const k = d.labels[i]!;
    byClass[k]![filled[k]!++] = i;
  }
  const picked = new Int32Array(count);
  present.forEach((k, s) => picked.set(partialShuffle(byClass[k]!, perClass, rng).subarray(0, perClass), s * perClass));
  // Without this shuffle the subset would come grouped by class, which biases minibatches.
  return selectSamples(d, rng.shuffle(picked));
}

function mergeSubsetOptions(options: SubsetOptions): typeof defaults {
  if (options === undefined) fail("subset", "options", "be an object with count and rng", options);
  return mergeOptions("subset", defaults, options);
}

/**
 * Fisher–Yates stopped after `k` swaps: the first `k` entries of `array` become a uniform random
 * sample without replacement, in random order. In place; returns `array`.
 */
function partialShuffle(array: Int32Array, k: number, rng: Rng): Int32Array {
  const n = array.length;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = array[i]!;
    array[i] = array[j]!;
    array[j] = t;
  }
  return array;
}
