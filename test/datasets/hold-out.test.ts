import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { holdOut } from "../../src/datasets/hold-out";
import { makeImageDataset } from "../../src/datasets/image-dataset";
import { loadMnist } from "../../src/datasets/mnist";
import { expectError } from "../helpers/close";
import { indexedDataset, originalIndex } from "./fixtures";

describe("holdOut", () => {
  it("holdOut(train) holds out the last 10000 MNIST training digits, tagged validation (the TSDoc example)", () => {
    const all = loadMnist({ split: "train" });
    const { train, validation } = holdOut(all);
    assert.deepEqual([train.count, validation.count, train.split, validation.split], [50000, 10000, "train", "validation"]);
    assert.equal(train.labels[0], all.labels[0]);
    assert.equal(validation.labels[0], all.labels[50000]);
    assert.equal(validation.images[783], all.images[50000 * 784 + 783]);
  });

  it("holdOut(dataset, {count}) splits into disjoint, complete views without copying", () => {
    const d = indexedDataset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const { train, validation } = holdOut(d, { count: 3 });
    assert.deepEqual(Array.from({ length: train.count }, (_, k) => originalIndex(train, k)), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from({ length: validation.count }, (_, k) => originalIndex(validation, k)), [7, 8, 9]);
    assert.equal(validation.images.buffer, d.images.buffer);
    assert.ok(Object.isFrozen(train) && Object.isFrozen(validation));
  });

  it("holdOut(dataset, options) rejects test data, a count outside [1, count − 1] and unknown options", () => {
    const d = indexedDataset([0, 1, 2, 3]);
    const test = makeImageDataset({ ...d, split: "test" });
    expectError(() => holdOut(test), 'holdOut: dataset.split must be "train" (validation data is held out from training data, never from test data), got "test"');
    expectError(() => holdOut(d, { count: 4 }), "holdOut: count must be an integer in [1, 3] (dataset.count − 1), got 4");
    expectError(() => holdOut(d, { count: 0 }), "holdOut: count must be an integer >= 1, got 0");
    expectError(() => holdOut(d, { count: 1.5 }), "holdOut: count must be an integer >= 1, got 1.5");
    expectError(() => holdOut(d, { size: 1 } as never), "holdOut: options must have only the keys count, got \"size\"");
  });
});
