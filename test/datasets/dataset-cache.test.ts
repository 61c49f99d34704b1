import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { clearDatasetCache } from "../../src/datasets/dataset-cache";
import { loadMnist } from "../../src/datasets/mnist";
import { makeTempDir, removeTempDir, writeImageSet } from "./fixtures";

describe("clearDatasetCache", () => {
  let dir = "";
  before(() => {
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  it("loadMnist({split, dir}) twice returns the same object until clearDatasetCache() is called", () => {
    writeImageSet(dir, { labels: [0, 1, 2] });
    const a = loadMnist({ split: "train", dir });
    assert.equal(loadMnist({ split: "train", dir }), a);
    clearDatasetCache();
    const b = loadMnist({ split: "train", dir });
    assert.notEqual(b, a);
    assert.deepEqual(b.images, a.images);
    assert.deepEqual(b.labels, a.labels);
  });

  it("loadMnist({split, dir}) reads again, without clearDatasetCache(), when a file has changed", () => {
    const first = writeImageSet(dir, { split: "test", labels: [4, 4] });
    const a = loadMnist({ split: "test", dir });
    const second = writeImageSet(dir, { split: "test", labels: [5, 6, 7] });
    // Keep the change visible even on file systems with coarse time stamps: the sizes differ too.
    assert.notEqual(fs.statSync(second.imagesFile).size, 0);
    const b = loadMnist({ split: "test", dir });
    assert.notEqual(b, a);
    assert.deepEqual(a.labels, first.labels);
    assert.deepEqual(b.labels, second.labels);
  });

  it("loadMnist({split: 'test'}) after clearDatasetCache() reads the real files again with equal contents", () => {
    const a = loadMnist({ split: "test" });
    clearDatasetCache();
    const b = loadMnist({ split: "test" });
    assert.notEqual(b, a);
    assert.equal(b.count, a.count);
    assert.deepEqual(b.labels, a.labels);
  });
});
