/**
 * Image patches and their whitening, the input of the sparse-coding and autoencoder experiments
 * (Olshausen & Field 1996; Burbank 2015).
 *
 * `samplePatches` cuts `count` square patches of `size × size` pixels at uniformly drawn positions
 * of uniformly drawn images. `zcaWhitening` fits the ZCA ("zero-phase component analysis")
 * whitening transform to a patch set,
 *
 *   x̃ = U (Λ + ε·λ̄ I)^{−1/2} Uᵀ (x − μ)
 *
 * with μ the mean patch, C = U Λ Uᵀ the pixel covariance (eigen-decomposed by cyclic Jacobi
 * rotations, in float64), λ̄ the mean eigenvalue and ε (default 0.01) a regulariser that keeps the
 * noisiest, highest spatial frequencies from being amplified without bound. Of all whitening
 * transforms ZCA is the one closest to the identity, so whitened patches still look like
 * (edge-enhanced) patches. The whitened pixels have covariance ≈ I for ε → 0.
 *
 * @example
 *   const raw = samplePatches(loadNaturalImages(), { size: 8, count: 20000, rng: createRng(1) });
 *   const zca = zcaWhitening(raw);
 *   const white = zca.apply(raw);     // a new PatchSet, the same count and size
 */
import { checkRng, type Rng } from "../core/random";
import { allFinite, fail, integer, mergeOptions, nonNegative } from "../core/validate";
import { checkImageDataset, type DatasetSplit, type ImageDataset } from "./image-dataset";
import type { NaturalImage } from "./natural-images";

/** A set of square patches, `patches[(k · size + r) · size + c]` = pixel (r, c) of patch k. */
export interface PatchSet {
  readonly name: string;
  readonly split: DatasetSplit;
  readonly count: number;
  /** Side of a patch, pixels. */
  readonly size: number;
  readonly patches: Float32Array;
}

/** Options of `samplePatches`; `rng` is required. */
export interface SamplePatchesOptions {
  /** Side of a patch, pixels (≥ 2, at most the smallest image side). Default 8. */
  readonly size: number;
  /** Number of patches. Default 10000. */
  readonly count: number;
  /** Which split the set stands for (recorded in evaluations). Default "train". */
  readonly split: DatasetSplit;
  /** Name of the set. Default "natural-image-patches". */
  readonly name: string;
  /** The random positions come from here. */
  readonly rng: Rng;
}

/**
 * Cuts `count` patches at random positions (file header). `images` are read only.
 */
export function samplePatches(images: readonly NaturalImage[], options: Partial<SamplePatchesOptions> & { readonly rng: Rng }): PatchSet {
  const fn = "samplePatches";
  if (!Array.isArray(images) || images.length === 0) fail(fn, "images", "be a non-empty array of grey images", images);
  for (const im of images) {
    if (im === null || typeof im !== "object" || !(im.data instanceof Float32Array) || im.data.length !== im.width * im.height) {
      fail(fn, "images", "hold grey images {width, height, data: Float32Array of width·height}", im);
    }
  }
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object with an rng", options);
  const o = mergeOptions(fn, { size: 8, count: 10000, split: "train" as DatasetSplit, name: "natural-image-patches", rng: options.rng }, options);
  checkRng(fn, "rng", o.rng);
  const smallest = Math.min(...images.map((im) => Math.min(im.width, im.height)));
  const size = integer(fn, "size", o.size, 2);
  if (size > smallest) fail(fn, "size", `be at most the smallest image side (${smallest})`, size);
  const count = integer(fn, "count", o.count, 1);
  if (!["train", "validation", "test"].includes(o.split)) fail(fn, "split", "be \"train\", \"validation\" or \"test\"", o.split);
  const patches = new Float32Array(count * size * size);
  for (let k = 0; k < count; k++) {
    const im = images[o.rng.int(images.length)]!;
    const r0 = o.rng.int(im.height - size + 1);
    const c0 = o.rng.int(im.width - size + 1);
    for (let r = 0; r < size; r++) {
      const src = (r0 + r) * im.width + c0;
      patches.set(im.data.subarray(src, src + size), (k * size + r) * size);
    }
  }
  return Object.freeze({ name: o.name, split: o.split, count, size, patches });
}

/**
 * The first `count` images of an MNIST-format data set as grey images in [0, 1] (a stand-in
 * source of patches when the photographs are missing).
 */
export function datasetImages(dataset: ImageDataset, count: number): NaturalImage[] {
  const fn = "datasetImages";
  checkImageDataset(fn, "dataset", dataset);
  integer(fn, "count", count, 1);
  if (count > dataset.count) fail(fn, "count", `be at most dataset.count (${dataset.count})`, count);
  const n = dataset.rows * dataset.cols;
  return Array.from({ length: count }, (_, i) => Object.freeze({
    name: `${dataset.name}-${i}`, width: dataset.cols, height: dataset.rows,
    data: Float32Array.from(dataset.images.subarray(i * n, (i + 1) * n), (v) => v / 255),
  }));
}

/** A fitted ZCA whitening transform (file header). */
export interface Whitening {
  /** Side of the patches it whitens, pixels. */
  readonly size: number;
  /** The mean patch μ, size² pixels. */
  readonly mean: Float32Array;
  /** The symmetric whitening matrix U (Λ + ελ̄)^{−1/2} Uᵀ, size² × size², row-major. */
  readonly matrix: Float32Array;
  /** Eigenvalues of the covariance, descending. */
  readonly eigenvalues: Float64Array;
  /** Whitens a patch set of the same size into a new set (the input is read only). */
  apply(set: PatchSet): PatchSet;
}

/** Options of `zcaWhitening`. */
export interface ZcaOptions {
  /** Regulariser ε, as a fraction of the mean eigenvalue (≥ 0). Default 0.01. */
  readonly epsilon: number;
}

/** Checks a patch set: shape and finite pixels. */
export function checkPatchSet(fn: string, param: string, set: unknown): PatchSet {
  const s = set as PatchSet;
  if (set === null || typeof set !== "object" || !(s.patches instanceof Float32Array)) fail(fn, param, "be a PatchSet (samplePatches)", set);
  integer(fn, `${param}.size`, s.size, 1);
  integer(fn, `${param}.count`, s.count, 1);
  if (s.patches.length !== s.count * s.size * s.size) fail(fn, `${param}.patches`, `have count·size² = ${s.count * s.size * s.size} values`, s.patches.length);
  allFinite(fn, `${param}.patches`, s.patches);
  return s;
}

/** Eigen-decomposition of a symmetric n × n matrix (row-major, float64) by cyclic Jacobi rotations: a in place becomes diagonal. */
function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i]! * a[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! * a[i * n + j]!;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

/** Fits ZCA whitening to `set` (file header); the set is read only. */
export function zcaWhitening(set: PatchSet, options: Partial<ZcaOptions> = {}): Whitening {
  const fn = "zcaWhitening";
  checkPatchSet(fn, "set", set);
  const o = mergeOptions(fn, { epsilon: 0.01 }, options);
  const epsilon = nonNegative(fn, "epsilon", o.epsilon);
  const d = set.size * set.size;
  if (set.count < 2) fail(fn, "set.count", "be at least 2 (a covariance needs two patches)", set.count);
  const mean = new Float64Array(d);
  const x = set.patches;
  for (let k = 0; k < set.count; k++) for (let i = 0; i < d; i++) mean[i] += x[k * d + i]!;
  for (let i = 0; i < d; i++) mean[i] /= set.count;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let k = 0; k < set.count; k++) {
    for (let i = 0; i < d; i++) centred[i] = x[k * d + i]! - mean[i]!;
    for (let i = 0; i < d; i++) {
      const ci = centred[i]!;
      for (let j = i; j < d; j++) cov[i * d + j] += ci * centred[j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i * d + j] /= set.count - 1;
      cov[j * d + i] = cov[i * d + j]!;
    }
  }
  const { values, vectors } = jacobiEigen(cov, d);
  let meanValue = 0;
  for (let i = 0; i < d; i++) meanValue += Math.max(values[i]!, 0) / d;
  const reg = epsilon * meanValue;
  if (!(meanValue > 0) || (reg === 0 && values.some((l) => !(l > 0)))) {
    fail(fn, "set", "have pixel variance in every direction (or use epsilon > 0)", `eigenvalues down to ${Math.min(...values)}`);
  }
  const matrix = new Float32Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += (vectors[i * d + k]! * vectors[j * d + k]!) / Math.sqrt(Math.max(values[k]!, 0) + reg);
      matrix[i * d + j] = sum;
      matrix[j * d + i] = sum;
    }
  }
  const order = Float64Array.from(values).sort().reverse();
  const mean32 = Float32Array.from(mean);
  const size = set.size;
  return Object.freeze({
    size, mean: mean32, matrix, eigenvalues: order,
    apply(input: PatchSet): PatchSet {
      checkPatchSet("zcaWhitening.apply", "set", input);
      if (input.size !== size) fail("zcaWhitening.apply", "set.size", `be ${size} (the size the whitening was fitted to)`, input.size);
      const out = new Float32Array(input.patches.length);
      const c = new Float64Array(d);
      for (let k = 0; k < input.count; k++) {
        for (let i = 0; i < d; i++) c[i] = input.patches[k * d + i]! - mean[i]!;
        for (let i = 0; i < d; i++) {
          let sum = 0;
          for (let j = 0; j < d; j++) sum += matrix[i * d + j]! * c[j]!;
          out[k * d + i] = sum;
        }
      }
      return Object.freeze({ name: `${input.name} (ZCA)`, split: input.split, count: input.count, size, patches: out });
    },
  });
}
