import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { PNG } from "pngjs";
import { createRng } from "../../src/core/random";
import { DataFileError } from "../../src/datasets/data-file-error";
import { loadNaturalImages, readGrayPng, type NaturalImage } from "../../src/datasets/natural-images";
import { checkPatchSet, datasetImages, samplePatches, zcaWhitening, type PatchSet } from "../../src/datasets/patches";
import { makeImageDataset } from "../../src/datasets/image-dataset";
import { expectClose, expectError } from "../helpers/close";

/** A 4 × 3 RGB PNG in a temporary folder, pixel k = (10k, 20k mod 256, 5k). */
function writePng(dir: string, name: string): string {
  const png = new PNG({ width: 4, height: 3 });
  for (let k = 0; k < 12; k++) {
    png.data[4 * k] = 10 * k;
    png.data[4 * k + 1] = (20 * k) % 256;
    png.data[4 * k + 2] = 5 * k;
    png.data[4 * k + 3] = 255;
  }
  const file = path.join(dir, `${name}.png`);
  fs.writeFileSync(file, PNG.sync.write(png));
  return file;
}

/** Correlated synthetic "images": a smooth random field (sum of a few low-frequency cosines). */
function smoothImage(seed: number, size = 40): NaturalImage {
  const rng = createRng(seed);
  const data = new Float32Array(size * size);
  for (let m = 0; m < 6; m++) {
    const fx = rng.uniform(-0.3, 0.3);
    const fy = rng.uniform(-0.3, 0.3);
    const ph = rng.uniform(0, 6.3);
    for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) data[r * size + c] += Math.cos(fx * c + fy * r + ph);
  }
  for (let k = 0; k < data.length; k++) data[k] += rng.normal(0, 0.2);
  return { name: `smooth-${seed}`, width: size, height: size, data };
}

describe("readGrayPng and loadNaturalImages", () => {
  it("readGrayPng(file) converts RGB to grey with the Rec. 601 weights, scaled to [0, 1]", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-png-"));
    try {
      const im = readGrayPng(writePng(dir, "tiny"));
      assert.equal(im.width, 4);
      assert.equal(im.height, 3);
      assert.equal(im.name, "tiny");
      for (let k = 0; k < 12; k++) expectClose(im.data[k]!, (0.299 * 10 * k + 0.587 * ((20 * k) % 256) + 0.114 * 5 * k) / 255, { rtol: 1e-6 });
      const images = loadNaturalImages({ dir, names: ["tiny"] });
      assert.deepEqual(images[0]!.data, im.data);
      fs.writeFileSync(path.join(dir, "bad.png"), "not a png");
      assert.throws(() => readGrayPng(path.join(dir, "bad.png")), (e: unknown) => e instanceof DataFileError && /^readGrayPng: file .*bad\.png must be a PNG image/.test(e.message));
      assert.throws(() => loadNaturalImages({ dir, names: ["tiny", "missing"] }), (e: unknown) => e instanceof DataFileError && /^loadNaturalImages: files .*missing\.png must exist/.test(e.message));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("samplePatches", () => {
  it("samplePatches(images, {size, count, rng}) cuts crops of the images, the same for the same seed", () => {
    const images = [smoothImage(1), smoothImage(2)];
    const a = samplePatches(images, { size: 5, count: 50, rng: createRng(3) });
    const b = samplePatches(images, { size: 5, count: 50, rng: createRng(3) });
    assert.deepEqual(a.patches, b.patches);
    assert.equal(a.patches.length, 50 * 25);
    // Every patch is a crop of one of the images: find it.
    for (let k = 0; k < 5; k++) {
      const p = a.patches.subarray(k * 25, (k + 1) * 25);
      const found = images.some((im) => {
        for (let r0 = 0; r0 <= im.height - 5; r0++) {
          for (let c0 = 0; c0 <= im.width - 5; c0++) {
            let same = true;
            for (let r = 0; r < 5 && same; r++) for (let c = 0; c < 5 && same; c++) same = im.data[(r0 + r) * im.width + c0 + c] === p[r * 5 + c];
            if (same) return true;
          }
        }
        return false;
      });
      assert.ok(found, `patch ${k} is a crop`);
    }
  });

  it("samplePatches rejects a patch larger than the images and a missing rng", () => {
    expectError(() => samplePatches([smoothImage(1, 10)], { size: 11, rng: createRng(1) }), "samplePatches: size must be at most the smallest image side (10), got 11");
    expectError(() => samplePatches([smoothImage(1, 10)], { size: 4 } as never), /^samplePatches: rng must be an Rng/);
    expectError(() => samplePatches([], { rng: createRng(1) }), /^samplePatches: images must be a non-empty array/);
  });

  it("datasetImages(dataset, count) scales MNIST-format pixels to [0, 1]", () => {
    const ds = makeImageDataset({ name: "toy", split: "train", count: 2, rows: 2, cols: 2, images: Uint8Array.of(0, 51, 102, 255, 1, 2, 3, 4), labels: Uint8Array.of(0, 1) });
    const ims = datasetImages(ds, 1);
    assert.deepEqual(Array.from(ims[0]!.data), [0, 0.2, 0.4, 1].map((v) => Math.fround(v)));
    expectError(() => datasetImages(ds, 3), "datasetImages: count must be at most dataset.count (2), got 3");
  });
});

describe("zcaWhitening", () => {
  it("zcaWhitening(set, {epsilon: 0}).apply(set) has identity covariance and a symmetric matrix", () => {
    const set = samplePatches([smoothImage(4), smoothImage(5)], { size: 4, count: 3000, rng: createRng(6) });
    const zca = zcaWhitening(set, { epsilon: 0 });
    const d = 16;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) assert.equal(zca.matrix[i * d + j], zca.matrix[j * d + i]);
    const white = zca.apply(set);
    const mean = new Float64Array(d);
    for (let k = 0; k < white.count; k++) for (let i = 0; i < d; i++) mean[i] += white.patches[k * d + i]! / white.count;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let c = 0;
        for (let k = 0; k < white.count; k++) c += (white.patches[k * d + i]! - mean[i]!) * (white.patches[k * d + j]! - mean[j]!);
        c /= white.count - 1;
        // float32 matrix and outputs: the covariance is exact up to ~1e-4 relative rounding.
        assert.ok(Math.abs(c - (i === j ? 1 : 0)) < 2e-3, `cov[${i}][${j}] = ${c}`);
      }
      assert.ok(Math.abs(mean[i]!) < 1e-4);
    }
    assert.ok(zca.eigenvalues[0]! >= zca.eigenvalues[d - 1]!);
    assert.equal(set.patches[0], samplePatches([smoothImage(4), smoothImage(5)], { size: 4, count: 1, rng: createRng(6) }).patches[0], "the input was left alone");
  });

  it("zcaWhitening rejects NaN pixels and apply(…) a set of another patch size", () => {
    const set = samplePatches([smoothImage(4)], { size: 3, count: 200, rng: createRng(1) });
    const bad: PatchSet = { ...set, patches: set.patches.slice() };
    bad.patches[7] = Number.NaN;
    expectError(() => zcaWhitening(bad), "zcaWhitening: set.patches[7] must be a finite number, got NaN");
    const zca = zcaWhitening(set);
    expectError(() => zca.apply(samplePatches([smoothImage(4)], { size: 4, count: 5, rng: createRng(1) })), "zcaWhitening.apply: set.size must be 3 (the size the whitening was fitted to), got 4");
    expectError(() => checkPatchSet("f", "set", { ...set, count: 3 }), "f: set.patches must have count·size² = 27 values, got 1800");
  });
});
