import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classCounts } from "../../src/datasets/class-counts";
import { makeImageDataset } from "../../src/datasets/image-dataset";
import { loadMnist } from "../../src/datasets/mnist";
import { expectError } from "../helpers/close";
import { indexedDataset } from "./fixtures";

describe("classCounts", () => {
  it("classCounts(loadMnist({split: 'train'})) gives the known counts, e.g. 6742 ones and 5421 fives", () => {
    const counts = classCounts(loadMnist({ split: "train" }));
    assert.ok(counts instanceof Int32Array);
    assert.deepEqual(Array.from(counts), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });

  it("classCounts(dataset) counts each label and the counts sum to dataset.count", () => {
    const counts = classCounts(indexedDataset([0, 3, 3, 9, 0, 3]));
    assert.deepEqual(Array.from(counts), [2, 0, 0, 3, 0, 0, 0, 0, 0, 1]);
    assert.equal(counts.reduce((a, b) => a + b), 6);
    assert.deepEqual(Array.from(classCounts(indexedDataset([]))), new Array(10).fill(0));
  });

  it("classCounts(dataset) rejects a label of 10 or more and a malformed record", () => {
    const bad = makeImageDataset({ ...indexedDataset([1, 2]), labels: new Uint8Array([1, 10]) });
    expectError(() => classCounts(bad), "classCounts: dataset.labels[1] must be a class label in 0..9, got 10");
    expectError(() => classCounts(null as never), "classCounts: dataset must be an ImageDataset (loadMnist, loadFashionMnist, take, subset), got null");
    const short = { ...indexedDataset([1, 2]), labels: new Uint8Array(1) };
    expectError(() => classCounts(short), "classCounts: dataset.labels must have length count = 2, got 1");
    const wrongImages = { ...indexedDataset([1, 2]), images: new Uint8Array(3) };
    expectError(() => classCounts(wrongImages), "classCounts: dataset.images must have length count · rows · cols = 8, got 3");
    expectError(() => classCounts({ ...indexedDataset([1]), count: -1 }), "classCounts: dataset.count must be an integer >= 0, got -1");
  });
});
