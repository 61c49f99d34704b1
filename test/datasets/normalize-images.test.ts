import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32 } from "../../src/core/units";
import { makeImageDataset } from "../../src/datasets/image-dataset";
import { loadMnist } from "../../src/datasets/mnist";
import { normalizeImages } from "../../src/datasets/normalize-images";
import { expectClose, expectError } from "../helpers/close";
import { indexedDataset } from "./fixtures";

function moments(x: Float32Array): { mean: number; variance: number } {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  let variance = 0;
  for (let i = 0; i < x.length; i++) variance += (x[i]! - mean) ** 2;
  return { mean, variance: variance / x.length };
}

describe("normalizeImages", () => {
  it("normalizeImages(dataset) maps pixel p to p/255 in [0, 1], with 0 and 1 reached", () => {
    const test = loadMnist({ split: "test" });
    const x = normalizeImages(test);
    assert.ok(x instanceof Float32Array);
    assert.equal(x.length, test.images.length);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < x.length; i++) {
      if (x[i]! < min) min = x[i]!;
      if (x[i]! > max) max = x[i]!;
      if (i < 784 * 10) assert.equal(x[i], Math.fround(test.images[i]! / 255));
    }
    assert.deepEqual([min, max], [0, 1]);
  });

  it("normalizeImages(dataset, {scale: 'standard'}) has mean 0 and variance 1", () => {
    const z = normalizeImages(loadMnist({ split: "test" }), { scale: "standard" });
    const { mean, variance } = moments(z);
    // Rounding to float32 moves each z by at most 2^-24·|z| = EPS32/2·|z|, with |z| < 3 for MNIST,
    // so the mean moves by at most 1.5·EPS32 and the variance (≈ 1 + 2·mean(z·δ)) by at most EPS32.
    expectClose(mean, 0, { atol: 2 * EPS32 });
    expectClose(variance, 1, { rtol: 2 * EPS32 });
  });

  it("normalizeImages(train, {scale: 'standard'}) matches the published MNIST constants 0.1307 and 0.3081", () => {
    const train = loadMnist({ split: "train" });
    const z = normalizeImages(train, { scale: "standard" });
    const zeroPixel = train.images.indexOf(0);
    const fullPixel = train.images.indexOf(255);
    // A 0 pixel becomes −μ/σ and a 255 pixel (1 − μ)/σ on the unit scale; the constants have
    // 4 decimals, so the ratio is known to about 5e-5/0.3081 relative, i.e. ±1e-3 absolute here.
    expectClose(z[zeroPixel]!, -0.1307 / 0.3081, { atol: 1e-3 });
    expectClose(z[fullPixel]!, (1 - 0.1307) / 0.3081, { atol: 1e-3 });
  });

  it("normalizeImages(dataset, options) does not modify the data set", () => {
    const d = indexedDataset([1, 2, 3, 4]);
    const before = d.images.slice();
    normalizeImages(d, { scale: "standard" });
    normalizeImages(d, { scale: "unit" });
    assert.deepEqual(d.images, before);
  });

  it("normalizeImages rejects an unknown scale or option and a constant image set for 'standard'", () => {
    const d = indexedDataset([1, 2]);
    expectError(() => normalizeImages(d, { scale: "minmax" as never }), 'normalizeImages: scale must be one of "unit", "standard", got "minmax"');
    expectError(() => normalizeImages(d, { mean: 0 } as never), 'normalizeImages: options must have only the keys scale, got "mean"');
    const flat = makeImageDataset({ ...d, images: new Uint8Array(d.images.length).fill(7) });
    expectError(
      () => normalizeImages(flat, { scale: "standard" }),
      'normalizeImages: dataset.images must hold at least two different values for scale "standard", got Uint8Array(8)',
    );
    assert.deepEqual(Array.from(normalizeImages(flat)), new Array(8).fill(Math.fround(7 / 255)));
  });
});
