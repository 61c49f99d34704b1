import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { image } from "../../src/datasets/image";
import { loadMnist } from "../../src/datasets/mnist";
import { expectError } from "../helpers/close";
import { indexedDataset, originalIndex } from "./fixtures";

describe("image", () => {
  it("image(dataset, i) is a rows·cols view of image i, sharing the data set's memory", () => {
    const test = loadMnist({ split: "test" });
    const first = image(test, 0);
    assert.equal(first.length, 784);
    assert.equal(first.buffer, test.images.buffer);
    assert.deepEqual(first, test.images.slice(0, 784));
    const last = image(test, test.count - 1);
    assert.deepEqual(last, test.images.slice(-784));
  });

  it("image(dataset, i) picks image i of a synthetic set", () => {
    const d = indexedDataset([1, 2, 3, 4, 5], 3, 2);
    for (let i = 0; i < d.count; i++) {
      const pixels = image(d, i);
      assert.equal(pixels.length, 6);
      assert.equal(pixels[0]! + (pixels[1]! << 8), i);
      assert.equal(originalIndex(d, i), i);
    }
  });

  it("image(dataset, i) rejects an index outside [0, count) or not an integer", () => {
    const d = indexedDataset([1, 2, 3]);
    expectError(() => image(d, 3), "image: index must be an integer in [0, 2], got 3");
    expectError(() => image(d, -1), "image: index must be an integer in [0, 2], got -1");
    expectError(() => image(d, 1.5), "image: index must be an integer in [0, 2], got 1.5");
    expectError(() => image(d, "0" as never), 'image: index must be an integer in [0, 2], got "0"');
  });
});
