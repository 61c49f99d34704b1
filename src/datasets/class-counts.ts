/**
 * How many samples each class has.
 */
import { fail } from "../core/validate";
import { checkImageDataset, imageClassCount, type ImageDataset } from "./image-dataset";

/**
 * The number of samples of each class: element k counts the labels equal to k, for k = 0 … 9.
 * The counts sum to `dataset.count`.
 *
 * @param dataset Any `ImageDataset`; every label must be in 0 … 9.
 * @returns A new Int32Array of length 10.
 * @example
 *   const counts = classCounts(loadMnist({ split: "train" }));
 *   counts[1]; // 6742 ones
 *   counts[5]; // 5421 fives
 */
export function classCounts(dataset: ImageDataset): Int32Array {
  const d = checkImageDataset("classCounts", "dataset", dataset);
  const counts = new Int32Array(imageClassCount);
  for (let i = 0; i < d.count; i++) {
    const label = d.labels[i]!;
    if (label >= imageClassCount) fail("classCounts", `dataset.labels[${i}]`, `be a class label in 0..${imageClassCount - 1}`, label);
    counts[label]!++;
  }
  return counts;
}
