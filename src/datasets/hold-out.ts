/**
 * A validation split carved from the training data, so that hyper-parameters, epochs and
 * checkpoints are chosen without looking at the test set (the reproduction protocol: the test set
 * is used once, at the end).
 */
import { fail, integer, mergeOptions } from "../core/validate";
import { checkImageDataset, makeImageDataset, type ImageDataset } from "./image-dataset";

/** Options of `holdOut`. */
export interface HoldOutOptions {
  /**
   * Number of samples held out for validation: the *last* `count` samples of `dataset`, an integer
   * in [1, dataset.count − 1]. Default 10000, the usual MNIST split (training 0 … 49999,
   * validation 50000 … 59999).
   */
  readonly count: number;
}

const defaults: Readonly<HoldOutOptions> = Object.freeze({ count: 10000 });

/** What `holdOut` returns: two views of the training data, tagged with their split. */
export interface HeldOutSplits {
  /** The first `dataset.count − count` samples, split `"train"`. */
  readonly train: ImageDataset;
  /** The last `count` samples, split `"validation"`. */
  readonly validation: ImageDataset;
}

/**
 * Splits training data into a training part and a validation part (the last `count` samples), as
 * views without copying. The validation part is tagged `split: "validation"`, so evaluations on it
 * are recorded as such (`evaluationLog`); the test set stays untouched until the final evaluation.
 *
 * @param dataset Training data (`split` must be `"train"`: holding out from test data would choose
 *   settings on the test set).
 * @example
 *   const { train, validation } = holdOut(loadMnist({ split: "train" }));
 *   [train.count, validation.count, validation.split]; // [50000, 10000, "validation"]
 */
export function holdOut(dataset: ImageDataset, options: Partial<HoldOutOptions> = {}): HeldOutSplits {
  const fn = "holdOut";
  const d = checkImageDataset(fn, "dataset", dataset);
  if (d.split !== "train") fail(fn, "dataset.split", "be \"train\" (validation data is held out from training data, never from test data)", d.split);
  const { count } = mergeOptions(fn, defaults, options);
  integer(fn, "count", count, 1);
  if (count >= d.count) fail(fn, "count", `be an integer in [1, ${d.count - 1}] (dataset.count − 1)`, count);
  const pixels = d.rows * d.cols;
  const cut = d.count - count;
  return Object.freeze({
    train: makeImageDataset({
      ...d, count: cut, images: d.images.subarray(0, cut * pixels), labels: d.labels.subarray(0, cut),
    }),
    validation: makeImageDataset({
      ...d, split: "validation", count, images: d.images.subarray(cut * pixels), labels: d.labels.subarray(cut),
    }),
  });
}
