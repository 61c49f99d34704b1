/**
 * A contiguous slice of a data set.
 */
import { fail, integer } from "../core/validate";
import { checkImageDataset, makeImageDataset, type ImageDataset } from "./image-dataset";

/**
 * The `count` samples of `dataset` starting at `start`, in order. The result's `images` and
 * `labels` are views (no copy) into `dataset`'s arrays, so taking a slice is free; like every
 * data set it is read-only.
 *
 * @param dataset Any `ImageDataset`.
 * @param start First sample index, an integer in [0, dataset.count].
 * @param count Number of samples, an integer in [0, dataset.count − start].
 * @example
 *   const train = loadMnist({ split: "train" });
 *   const first100 = take(train, 0, 100);
 *   first100.count;     // 100
 *   first100.labels[0]; // 5, as train.labels[0]
 */
export function take(dataset: ImageDataset, start: number, count: number): ImageDataset {
  const d = checkImageDataset("take", "dataset", dataset);
  integer("take", "start", start, 0);
  if (start > d.count) fail("take", "start", `be an integer in [0, ${d.count}]`, start);
  integer("take", "count", count, 0);
  if (start + count > d.count) {
    fail("take", "count", `be an integer in [0, ${d.count - start}] (dataset.count − start)`, count);
  }
  const pixels = d.rows * d.cols;
  return makeImageDataset({
    ...d,
    count,
    images: d.images.subarray(start * pixels, (start + count) * pixels),
    labels: d.labels.subarray(start, start + count),
  });
}
