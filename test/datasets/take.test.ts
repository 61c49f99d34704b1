import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadMnist } from "../../src/datasets/mnist";
import { take } from "../../src/datasets/take";
import { expectError } from "../helpers/close";
import { indexedDataset, originalIndex } from "./fixtures";

describe("take", () => {
  it("take(train, 0, 100) keeps the first 100 samples in order (the TSDoc example)", () => {
    const train = loadMnist({ split: "train" });
    const first100 = take(train, 0, 100);
    assert.equal(first100.count, 100);
    assert.equal(first100.labels[0], 5);
    assert.deepEqual(first100.labels, train.labels.slice(0, 100));
    assert.deepEqual(first100.images, train.images.slice(0, 100 * 784));
    assert.deepEqual([first100.name, first100.split, first100.rows, first100.cols], ["mnist", "train", 28, 28]);
  });

  it("take(dataset, start, count) is a contiguous slice of views, frozen, without copying", () => {
    const d = indexedDataset([0, 1, 2, 3, 4, 5, 6]);
    const s = take(d, 2, 3);
    assert.deepEqual(Array.from(s.labels), [2, 3, 4]);
    assert.deepEqual([0, 1, 2].map((k) => originalIndex(s, k)), [2, 3, 4]);
    assert.equal(s.images.buffer, d.images.buffer);
    assert.ok(Object.isFrozen(s));
  });

  it("take(dataset, start, 0) and take(dataset, count, 0) are empty data sets", () => {
    const d = indexedDataset([0, 1, 2]);
    assert.equal(take(d, 1, 0).count, 0);
    assert.equal(take(d, 3, 0).images.length, 0);
  });

  it("take(dataset, start, count) rejects a slice that runs past the end", () => {
    const d = indexedDataset([0, 1, 2, 3]);
    expectError(() => take(d, 5, 0), "take: start must be an integer in [0, 4], got 5");
    expectError(() => take(d, 1, 4), "take: count must be an integer in [0, 3] (dataset.count − start), got 4");
    expectError(() => take(d, -1, 1), "take: start must be an integer >= 0, got -1");
    expectError(() => take(d, 0, 1.5), "take: count must be an integer >= 0, got 1.5");
  });
});
