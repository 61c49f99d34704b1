/**
 * Training data as batches of tensors: image data sets (MNIST, Fashion-MNIST: pixels 0…255) or
 * plain arrays (`arrayDataset`: XOR, the linear teacher task), encoded for a network of T steps.
 *
 * Encodings of an input value x (pixels are first scaled to [0, 1], or standardised):
 *
 *   "constant"  x at every step; sent once as [B, …] (the model broadcasts it over steps)
 *   "poisson"   a spike with probability min(1, gain·x) at each step (snnTorch's spikegen.rate;
 *               a Bernoulli process, Poisson in the limit of small steps), [T·B, …]
 *   "latency"   one spike at step round((1 − x)·(T − 1)) for x > 0 (time-to-first-spike), [T·B, …]
 *
 * The random draws come from the seeded generator passed in.
 *
 * @example
 *   const b = makeBatch(loadMnist({ split: "test" }), [0, 1, 2], { shape: [784], encoding: "poisson", steps: 25, rng });
 *   b.x.shape;   // [75, 784]
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../core/random";
import { arrayLike, fail, finite, integer, oneOf, positive } from "../core/validate";
import type { DatasetSplit, ImageDataset } from "../datasets/image-dataset";

/** A labelled (or regression) data set held as float arrays. */
export interface ArrayDataset {
  readonly name: string;
  /** Which split the arrays are ("train", "validation", "test"), when the caller says; recorded by evaluations. */
  readonly split?: DatasetSplit;
  readonly count: number;
  /** Shape of one input sample. */
  readonly inputShape: readonly number[];
  /** count · prod(inputShape) values, sample-major. */
  readonly inputs: Float32Array;
  /** Class labels (classification), or undefined. */
  readonly labels?: Int32Array | Uint8Array;
  /** Real targets, count · targetSize values (regression), or undefined. */
  readonly targets?: Float32Array;
  readonly targetSize?: number;
}

/** What the trainer accepts. */
export type TrainingData = ImageDataset | ArrayDataset;

/**
 * Wraps float arrays as a data set; needs labels or targets.
 *
 * @example
 *   const xor = arrayDataset({ inputs: new Float32Array([0,0, 0,1, 1,0, 1,1]), inputShape: [2], labels: new Int32Array([0,1,1,0]) });
 */
export function arrayDataset(options: { name?: string; split?: DatasetSplit; inputs: Float32Array; inputShape: readonly number[]; labels?: Int32Array | Uint8Array; targets?: Float32Array; targetSize?: number }): ArrayDataset {
  const fn = "arrayDataset";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {inputs, inputShape, labels or targets, …}", options);
  if (!(options.inputs instanceof Float32Array)) fail(fn, "inputs", "be a Float32Array", options.inputs);
  const shape = options.inputShape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) fail(fn, "inputShape", "be a non-empty array of positive integers", shape);
  const size = shape.reduce((a, b) => a * b, 1);
  if (options.inputs.length % size !== 0) fail(fn, "inputs", `have a multiple of ${size} values`, options.inputs.length);
  const count = options.inputs.length / size;
  for (let i = 0; i < options.inputs.length; i++) if (!Number.isFinite(options.inputs[i])) fail(fn, `inputs[${i}]`, "be a finite number", options.inputs[i]);
  if (!options.labels && !options.targets) fail(fn, "labels", "be given (or targets, for regression)", undefined);
  if (options.labels && options.labels.length !== count) fail(fn, "labels", `have one label per sample (${count})`, options.labels.length);
  let targetSize: number | undefined;
  if (options.targets) {
    targetSize = integer(fn, "targetSize", options.targetSize, 1);
    if (options.targets.length !== count * targetSize) fail(fn, "targets", `have count · targetSize = ${count * targetSize} values`, options.targets.length);
    for (let i = 0; i < options.targets.length; i++) if (!Number.isFinite(options.targets[i])) fail(fn, `targets[${i}]`, "be a finite number", options.targets[i]);
  }
  if (options.split !== undefined) oneOf(fn, "split", options.split, ["train", "validation", "test"] as const);
  return Object.freeze({ name: options.name ?? "arrays", ...(options.split ? { split: options.split } : {}), count, inputShape: Object.freeze([...shape]), inputs: options.inputs, labels: options.labels, targets: options.targets, targetSize });
}

export function isImageDataset(d: TrainingData): d is ImageDataset {
  return (d as ImageDataset).images instanceof Uint8Array;
}

export const encodingNames = ["constant", "poisson", "latency"] as const;
export type Encoding = (typeof encodingNames)[number];

/** How pixels are scaled: to [0, 1], or standardised by the data set's mean and sd. */
export type PixelScale = "unit" | "standard";

export interface BatchOptions {
  /** Shape each sample is given, e.g. [784] or [28, 28, 1]; its size must match the data's. */
  readonly shape: readonly number[];
  readonly encoding: Encoding;
  /** T for "poisson" and "latency". */
  readonly steps: number;
  /** "poisson": spike probability per step = min(1, gain·x). */
  readonly gain: number;
  /** Images only. */
  readonly scale: PixelScale;
  /**
   * With scale "standard": the mean and standard deviation to standardise with (a trainer passes
   * those of its training set, so test images are scaled like training images); default: the data
   * set's own (`pixelStats`).
   */
  readonly stats?: PixelStats;
  /** For "poisson". */
  readonly rng?: Rng;
}

/** A batch: the encoded input, its steps, and labels and/or targets. */
export interface Batch {
  readonly x: tf.Tensor;
  readonly steps: number;
  readonly size: number;
  readonly labels?: Int32Array;
  readonly targets?: tf.Tensor2D;
}

/** Mean and standard deviation of the pixels of an image data set, on the [0, 1] scale. */
export interface PixelStats {
  readonly mean: number;
  readonly sd: number;
}

const pixelStatsCache = new WeakMap<ImageDataset, PixelStats>();

/**
 * The mean and standard deviation of all pixels of `d` on the [0, 1] scale (cached per data set):
 * what scale "standard" subtracts and divides by.
 *
 * @example
 *   pixelStats(loadMnist({ split: "train" })); // { mean: 0.1307…, sd: 0.3081… }
 */
export function pixelStats(d: ImageDataset): PixelStats {
  if (!isImageDataset(checkTrainingData("pixelStats", d))) fail("pixelStats", "d", "be an image data set (loadMnist, loadFashionMnist)", d);
  let s = pixelStatsCache.get(d);
  if (!s) {
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < d.images.length; i++) {
      const v = d.images[i]! / 255;
      sum += v;
      sq += v * v;
    }
    const mean = sum / d.images.length;
    s = { mean, sd: Math.sqrt(Math.max(1e-12, sq / d.images.length - mean * mean)) };
    pixelStatsCache.set(d, s);
  }
  return s;
}

/** The sample size of a data set. */
export function sampleSize(d: TrainingData): number {
  checkTrainingData("sampleSize", d);
  return isImageDataset(d) ? d.rows * d.cols : d.inputShape.reduce((a, b) => a * b, 1);
}

/**
 * Throws the standard error unless `data` is a data set as `loadMnist` or `arrayDataset` make one:
 * its count, its shape, and arrays of the right types holding at least `count` samples (the
 * values themselves are not scanned: O(1), so every learner's `learn` and `evaluate` can afford it).
 */
export function checkTrainingData(fn: string, data: unknown, param = "data"): TrainingData {
  if (data === null || typeof data !== "object") fail(fn, param, "be a data set (loadMnist(), arrayDataset())", data);
  const d = data as Record<string, unknown>;
  const count = integer(fn, `${param}.count`, d.count, 0);
  let size: number;
  if (d.images instanceof Uint8Array) {
    size = integer(fn, `${param}.rows`, d.rows, 1) * integer(fn, `${param}.cols`, d.cols, 1);
    if (d.images.length < count * size) fail(fn, `${param}.images`, `hold count · rows · cols = ${count * size} pixels`, d.images.length);
  } else {
    const shape = d.inputShape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((n) => Number.isSafeInteger(n) && n > 0)) {
      fail(fn, `${param}.inputShape`, "be a non-empty array of positive integers (or the data set an image set with images)", shape);
    }
    size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!(d.inputs instanceof Float32Array)) fail(fn, `${param}.inputs`, "be a Float32Array", d.inputs);
    if (d.inputs.length < count * size) fail(fn, `${param}.inputs`, `hold count · ${size} = ${count * size} values`, d.inputs.length);
  }
  if (d.labels === undefined && d.targets === undefined) fail(fn, `${param}.labels`, "be given (or targets, for regression)", undefined);
  if (d.labels !== undefined && !((d.labels instanceof Int32Array || d.labels instanceof Uint8Array) && d.labels.length >= count)) {
    fail(fn, `${param}.labels`, `be an Int32Array or Uint8Array of ${count} labels`, d.labels);
  }
  if (d.targets !== undefined && !(d.targets instanceof Float32Array)) fail(fn, `${param}.targets`, "be a Float32Array", d.targets);
  return data as TrainingData;
}

/**
 * Encodes the samples `indices` of `data` as one batch (file header).
 *
 * @example
 *   makeBatch(train, [5, 9], { shape: [28, 28, 1], encoding: "constant", steps: 1, gain: 1, scale: "unit" });
 */
export function makeBatch(data: TrainingData, indices: ArrayLike<number>, options: BatchOptions): Batch {
  const fn = "makeBatch";
  checkTrainingData(fn, data);
  const B = arrayLike(fn, "indices", indices).length;
  if (options === null || typeof options !== "object") fail(fn, "options", "be batch options {shape, encoding, steps, …}", options);
  integer(fn, "indices.length", B, 1);
  oneOf(fn, "encoding", options.encoding, encodingNames);
  integer(fn, "steps", options.steps, 1);
  positive(fn, "gain", options.gain);
  const n = sampleSize(data);
  const shapeSize = options.shape.reduce((a, b) => a * b, 1);
  if (shapeSize !== n) fail(fn, "shape", `have ${n} elements (one sample of ${data.name})`, Array.isArray(options.shape) ? `[${options.shape.join(", ")}]` : options.shape);
  const x = new Float32Array(B * n);
  const image = isImageDataset(data);
  if (options.stats !== undefined) {
    const st = options.stats;
    if (st === null || typeof st !== "object") fail(fn, "stats", "be an object {mean, sd}", st);
    finite(fn, "stats.mean", st.mean);
    positive(fn, "stats.sd", st.sd);
  }
  const std = image && options.scale === "standard" ? options.stats ?? pixelStats(data) : undefined;
  for (let b = 0; b < B; b++) {
    const i = indices[b]!;
    if (!Number.isSafeInteger(i) || i < 0 || i >= data.count) fail(fn, `indices[${b}]`, `be an integer in [0, ${data.count})`, i);
    const off = i * n;
    if (image) {
      const px = data.images;
      if (std) for (let k = 0; k < n; k++) x[b * n + k] = (px[off + k]! / 255 - std.mean) / std.sd;
      else for (let k = 0; k < n; k++) x[b * n + k] = px[off + k]! / 255;
    } else {
      x.set(data.inputs.subarray(off, off + n), b * n);
    }
  }
  let labels: Int32Array | undefined;
  const lab = data.labels;
  if (lab) {
    labels = new Int32Array(B);
    for (let b = 0; b < B; b++) labels[b] = lab[indices[b]!]!;
  }
  let targets: tf.Tensor2D | undefined;
  if (!image && data.targets) {
    const m = data.targetSize!;
    const t = new Float32Array(B * m);
    for (let b = 0; b < B; b++) t.set(data.targets.subarray(indices[b]! * m, (indices[b]! + 1) * m), b * m);
    targets = tf.tensor2d(t, [B, m]);
  }
  if (options.encoding === "constant") {
    return { x: tf.tensor(x, [B, ...options.shape]), steps: 1, size: B, labels, targets };
  }
  const T = options.steps;
  const out = new Float32Array(T * B * n);
  if (options.encoding === "poisson") {
    const rng = options.rng;
    if (!rng) fail(fn, "rng", "be given for the poisson encoding", rng);
    const g = options.gain;
    for (let t = 0; t < T; t++) {
      const off = t * B * n;
      for (let k = 0; k < B * n; k++) if (rng.next() < g * x[k]!) out[off + k] = 1;
    }
  } else {
    for (let k = 0; k < B * n; k++) {
      const v = Math.min(1, x[k]!);
      if (v > 0) out[Math.round((1 - v) * (T - 1)) * B * n + k] = 1;
    }
  }
  return { x: tf.tensor(out, [T * B, ...options.shape]), steps: T, size: B, labels, targets };
}
