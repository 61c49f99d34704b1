/**
 * Herding (O'Connor & Welling 2016), part of `training/herding/` (described in index.ts): the helpers the two learners share: option and data checks, sample reading, argmax and spike lists.
 */
import { checkRng } from "../../core/random";
import { arrayLength, fail, integer, mergeOptions, nonNegative, oneOf, positive } from "../../core/validate";
import type { ImageDataset } from "../../datasets/image-dataset";
import type { LearnOptions } from "../../learning/learner";
import { checkTrainingData, isImageDataset, sampleSize, type TrainingData } from "../batches";
import { type HerdingMlpOptions, type HerdingTrainRange, type HerdingUpdate, herdingMlpDefaults, herdingUpdateNames } from "./types";

export const inspect = Symbol.for("nodejs.util.inspect.custom");

interface Checked {
  sizes: number[];
  steps: number;
  learningRate: number;
  initScale: number;
  update: HerdingUpdate;
  weights: Float32Array[];
}

export function checkOptions(fn: string, options: Partial<HerdingMlpOptions> | undefined): Checked {
  const o = mergeOptions(fn, herdingMlpDefaults, options);
  const sizes = o.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    fail(fn, "sizes", "be an array of at least 2 integers >= 1", sizes);
  }
  const steps = integer(fn, "steps", o.steps, 1);
  const learningRate = positive(fn, "learningRate", o.learningRate);
  const initScale = nonNegative(fn, "initScale", o.initScale);
  const update = oneOf(fn, "update", o.update, herdingUpdateNames);
  const L = sizes.length - 1;
  let weights: Float32Array[];
  if (o.weights !== undefined) {
    if (!Array.isArray(o.weights) || o.weights.length !== L) fail(fn, "weights", `be an array of ${L} Float32Arrays (one per layer)`, o.weights);
    weights = o.weights.map((w, l) => {
      const len = sizes[l]! * sizes[l + 1]!;
      if (!(w instanceof Float32Array) || w.length !== len) fail(fn, `weights[${l}]`, `be a Float32Array of ${sizes[l]} · ${sizes[l + 1]} = ${len} values`, w);
      for (let k = 0; k < w.length; k++) if (!Number.isFinite(w[k])) fail(fn, `weights[${l}][${k}]`, "be a finite number", w[k]);
      return Float32Array.from(w);
    });
  } else {
    const rng = checkRng(fn, "rng", o.rng);
    weights = [];
    for (let l = 0; l < L; l++) {
      const w = new Float32Array(sizes[l]! * sizes[l + 1]!);
      for (let k = 0; k < w.length; k++) w[k] = initScale * rng.normal(0, 1);
      weights.push(w);
    }
  }
  return { sizes: [...sizes], steps, learningRate, initScale, update, weights };
}

/** Checks a data set against the network and a range; returns the resolved range. */
export function checkData(fn: string, data: TrainingData, range: HerdingTrainRange | undefined, sizes: readonly number[]): { start: number; count: number } {
  checkTrainingData(fn, data);
  const labels = data.labels;
  if (!labels) fail(fn, "data.labels", "be given (classification)", labels);
  if (!isImageDataset(data) && !(data.inputs instanceof Float32Array)) fail(fn, "data", "be an ImageDataset (loadMnist) or an ArrayDataset with labels", data);
  const n = sampleSize(data);
  if (n !== sizes[0]) fail(fn, "data", `have samples of ${sizes[0]} values (sizes[0])`, n);
  if (data.count < 1) fail(fn, "data.count", "be >= 1", data.count);
  if (range !== undefined && (range === null || typeof range !== "object")) fail(fn, "range", "be an object {start, count}", range);
  const start = integer(fn, "start", range?.start ?? 0, 0);
  const count = integer(fn, "count", range?.count ?? data.count, 0);
  arrayLength(fn, "count", count); // a bound before the per-sample arrays are allocated
  const classes = sizes[sizes.length - 1]!;
  const last = Math.min(count, data.count);
  for (let k = 0; k < last; k++) {
    const i = (start + k) % data.count;
    const y = labels[i]!;
    if (!Number.isSafeInteger(y) || y < 0 || y >= classes) fail(fn, `data.labels[${i}]`, `be an integer in [0, ${classes})`, y);
  }
  return { start, count };
}

/** Copies sample `i` of `data` into `x` (pixels scaled to [0, 1]). */
export function readSample(data: TrainingData, i: number, x: Float64Array): void {
  const n = x.length;
  if (isImageDataset(data)) {
    const px = (data as ImageDataset).images;
    const off = i * n;
    for (let k = 0; k < n; k++) x[k] = px[off + k]! / 255;
  } else {
    const v = data.inputs;
    const off = i * n;
    for (let k = 0; k < n; k++) x[k] = v[off + k]!;
  }
}

/** The range of a `learn` call, checked: count, and the learning rate when given. */
export function learnRange(fn: string, options: LearnOptions): HerdingTrainRange {
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {count, learningRate?}", options);
  const count = integer(fn, "count", options.count, 0);
  return options.learningRate === undefined ? { count } : { count, learningRate: positive(fn, "learningRate", options.learningRate) };
}

export function checkInput(fn: string, input: ArrayLike<number>, n: number): void {
  if (!input || input.length !== n) fail(fn, "input", `have ${n} values (sizes[0])`, input?.length ?? input);
  for (let k = 0; k < n; k++) if (!Number.isFinite(input[k])) fail(fn, `input[${k}]`, "be a finite number", input[k]);
}

export function argmax(v: Float64Array): number {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (v[j]! > v[best]!) best = j;
  return best;
}

/**
 * Per-layer lists of (unit, value) pairs: the count changes of a step, and the error spikes, kept
 * as lists so that loops run only over the units concerned.
 */
interface SpikeList {
  index: Int32Array;
  count: Float64Array;
  length: number;
}

export function spikeList(n: number): SpikeList {
  return { index: new Int32Array(n), count: new Float64Array(n), length: 0 };
}
