/**
 * Pixel intensities as floating-point network inputs.
 */
import { fail, mergeOptions, oneOf } from "../core/validate";
import { checkImageDataset, type ImageDataset } from "./image-dataset";

/** Options of `normalizeImages`. */
export interface NormalizeImagesOptions {
  /**
   * `"unit"` (default): x = pixel / 255, in [0, 1] — the usual input of rate and latency
   * encoders. `"standard"`: x = (pixel − μ) / σ with the mean μ and standard deviation σ of all
   * pixels of `dataset` (one pair for the whole set, as in the common MNIST preprocessing
   * 0.1307 / 0.3081 on the unit scale), so that x has mean 0 and variance 1.
   */
  readonly scale?: "unit" | "standard";
}

const defaults: Readonly<Required<NormalizeImagesOptions>> = Object.freeze({ scale: "unit" });

/**
 * The pixels of `dataset` as a new Float32Array of `count · rows · cols` values in the same
 * row-major order, scaled as `scale` says. The data set is not modified.
 *
 * @example
 *   const test = loadMnist({ split: "test" });
 *   const x = normalizeImages(test);                          // every value in [0, 1]
 *   const z = normalizeImages(test, { scale: "standard" });   // mean 0, variance 1
 */
export function normalizeImages(dataset: ImageDataset, options?: NormalizeImagesOptions): Float32Array {
  const d = checkImageDataset("normalizeImages", "dataset", dataset);
  const { scale } = mergeOptions("normalizeImages", defaults, options);
  oneOf("normalizeImages", "scale", scale, ["unit", "standard"] as const);
  const pixels = d.images;
  const out = new Float32Array(pixels.length);
  if (scale === "unit") {
    for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 255;
    return out;
  }
  // Two passes in double precision: a histogram of the 256 possible values gives μ and σ exactly,
  // with no cancellation, in one cheap sweep.
  const histogram = new Float64Array(256);
  for (let i = 0; i < pixels.length; i++) histogram[pixels[i]!]!++;
  let mean = 0;
  for (let v = 0; v < 256; v++) mean += v * histogram[v]!;
  mean /= pixels.length;
  let variance = 0;
  for (let v = 0; v < 256; v++) variance += (v - mean) * (v - mean) * histogram[v]!;
  variance /= pixels.length;
  if (!(variance > 0)) {
    fail("normalizeImages", "dataset.images", 'hold at least two different values for scale "standard"', pixels);
  }
  const sd = Math.sqrt(variance);
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = (v - mean) / sd;
  for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]!]!;
  return out;
}
