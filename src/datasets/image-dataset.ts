/**
 * The record every image data set in snnlab is: columnar, typed, and read-only.
 *
 * Loaders (`loadMnist`, `loadFashionMnist`) cache what they return and hand the same object to
 * every caller, so no caller may write into `images` or `labels`. The helpers (`take`, `subset`,
 * `image`, `normalizeImages`, `classCounts`) never do; they return new records or new arrays.
 *
 * @example
 *   const test = loadMnist({ split: "test" });
 *   test.count;                                  // 10000
 *   test.images[(0 * test.rows + 14) * test.cols + 14]; // pixel (14, 14) of image 0, 0..255
 *   test.labels[0];                              // 7
 */
import { fail } from "../core/validate";

/**
 * Which part of a data set a record holds: training images, a validation split held out from
 * them (`holdOut`), or the test images. Loaders read `"train"` or `"test"`; only `holdOut` makes
 * `"validation"`. Evaluations record the split they saw (`evaluationLog`), so a report can show
 * that the test set was used once.
 */
export type DatasetSplit = "train" | "validation" | "test";

/** The number of classes in MNIST and Fashion-MNIST; labels are 0 … 9. */
export const imageClassCount = 10;

/** A labelled set of grey-scale images. Read-only: it may be shared through the loaders' cache. */
export interface ImageDataset {
  /** The data set's name: `"mnist"`, `"fashion-mnist"`, … */
  readonly name: string;
  /** Training, validation (held out from training) or test images. */
  readonly split: DatasetSplit;
  /** Number of images (and labels). */
  readonly count: number;
  /** Image height, pixels. */
  readonly rows: number;
  /** Image width, pixels. */
  readonly cols: number;
  /**
   * Pixel intensities 0 … 255, `count · rows · cols` of them, row-major: pixel (r, c) of image i
   * is at `(i · rows + r) · cols + c`.
   */
  readonly images: Uint8Array;
  /** Class labels 0 … 9, one per image. */
  readonly labels: Uint8Array;
}

/**
 * Validates that `value` is a consistent `ImageDataset` (O(1): shapes only, not pixel values).
 * Internal: not re-exported from the package.
 */
export function checkImageDataset(fn: string, param: string, value: unknown): ImageDataset {
  if (value === null || typeof value !== "object") {
    fail(fn, param, "be an ImageDataset (loadMnist, loadFashionMnist, take, subset)", value);
  }
  const d = value as Partial<ImageDataset>;
  for (const key of ["count", "rows", "cols"] as const) {
    if (typeof d[key] !== "number" || !Number.isSafeInteger(d[key]) || d[key] < 0) {
      fail(fn, `${param}.${key}`, "be an integer >= 0", d[key]);
    }
  }
  const { count, rows, cols } = d as ImageDataset;
  if (!(d.images instanceof Uint8Array)) fail(fn, `${param}.images`, "be a Uint8Array", d.images);
  if (d.images.length !== count * rows * cols) {
    fail(fn, `${param}.images`, `have length count · rows · cols = ${count * rows * cols}`, d.images.length);
  }
  if (!(d.labels instanceof Uint8Array)) fail(fn, `${param}.labels`, "be a Uint8Array", d.labels);
  if (d.labels.length !== count) fail(fn, `${param}.labels`, `have length count = ${count}`, d.labels.length);
  return d as ImageDataset;
}

/**
 * Builds a frozen `ImageDataset` that prints as a one-line summary (`util.inspect`, tslab's
 * display) instead of dumping its typed arrays. Internal: not re-exported from the package.
 */
export function makeImageDataset(fields: ImageDataset): ImageDataset {
  const dataset: ImageDataset = {
    name: fields.name,
    split: fields.split,
    count: fields.count,
    rows: fields.rows,
    cols: fields.cols,
    images: fields.images,
    labels: fields.labels,
  };
  Object.defineProperty(dataset, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `ImageDataset(${dataset.name} ${dataset.split}: ${dataset.count} images of ${dataset.rows}×${dataset.cols})`,
    enumerable: false,
  });
  return Object.freeze(dataset);
}

/**
 * A new data set holding the samples at `indices` of `dataset`, in that order, copied.
 * Internal: not re-exported from the package.
 */
export function selectSamples(dataset: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const pixels = dataset.rows * dataset.cols;
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    images.set(dataset.images.subarray(i * pixels, (i + 1) * pixels), k * pixels);
    labels[k] = dataset.labels[i]!;
  }
  return makeImageDataset({ ...dataset, count: indices.length, images, labels });
}
