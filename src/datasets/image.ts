/**
 * One image of a data set, as a view.
 */
import { fail } from "../core/validate";
import { checkImageDataset, type ImageDataset } from "./image-dataset";

/**
 * The pixels of image `index` of `dataset`: a `rows · cols` Uint8Array *view* (no copy) into
 * `dataset.images`, row-major, 0 … 255. It shares the data set's memory, so it is read-only too.
 *
 * @param dataset Any `ImageDataset`.
 * @param index Sample index, an integer in [0, dataset.count).
 * @example
 *   const test = loadMnist({ split: "test" });
 *   const first = image(test, 0); // Uint8Array(784), a 7
 *   first[14 * test.cols + 14];   // pixel (14, 14)
 */
export function image(dataset: ImageDataset, index: number): Uint8Array {
  const d = checkImageDataset("image", "dataset", dataset);
  if (!Number.isSafeInteger(index) || index < 0 || index >= d.count) {
    fail("image", "index", `be an integer in [0, ${d.count - 1}]`, index);
  }
  const pixels = d.rows * d.cols;
  return d.images.subarray(index * pixels, (index + 1) * pixels);
}
