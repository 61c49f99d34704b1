import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { EPS32 } from "../../src/core/units";
import { makeImageDataset } from "../../src/datasets/image-dataset";
import { initBackend } from "../../src/training/backend";
import { arrayDataset, makeBatch, pixelStats, sampleSize, type BatchOptions } from "../../src/training/batches";
import { expectClose, expectError } from "../helpers/close";

/** A synthetic image data set of `count` 4×3 images with seeded pixels and labels i mod 10. */
function images(count: number, seed: number) {
  const rng = createRng(seed);
  const px = new Uint8Array(count * 12);
  for (let i = 0; i < px.length; i++) px[i] = rng.int(256);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % 10;
  return makeImageDataset({ name: "synthetic", split: "test", count, rows: 4, cols: 3, images: px, labels });
}

const base: BatchOptions = { shape: [12], encoding: "constant", steps: 1, gain: 1, scale: "unit" };

describe("batches", () => {
  before(async () => {
    await initBackend();
  });

  it("arrayDataset(options) wraps arrays and rejects inconsistent ones with the standard message", () => {
    const xor = arrayDataset({ inputs: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), inputShape: [2], labels: new Int32Array([0, 1, 1, 0]) });
    assert.equal(xor.count, 4);
    assert.equal(xor.name, "arrays");
    assert.equal(sampleSize(xor), 2);
    assert.ok(Object.isFrozen(xor));
    const f = (o: object) => () => arrayDataset(o as never);
    expectError(f({ inputs: [0, 1], inputShape: [2], labels: new Int32Array(1) }), "arrayDataset: inputs must be a Float32Array, got Array(2)");
    expectError(f({ inputs: new Float32Array(4), inputShape: [0], labels: new Int32Array(1) }),
      "arrayDataset: inputShape must be a non-empty array of positive integers, got Array(1)");
    expectError(f({ inputs: new Float32Array(5), inputShape: [2], labels: new Int32Array(2) }), "arrayDataset: inputs must have a multiple of 2 values, got 5");
    expectError(f({ inputs: new Float32Array([0, Number.NaN]), inputShape: [2], labels: new Int32Array(1) }),
      "arrayDataset: inputs[1] must be a finite number, got NaN");
    expectError(f({ inputs: new Float32Array(4), inputShape: [2] }), "arrayDataset: labels must be given (or targets, for regression), got undefined");
    expectError(f({ inputs: new Float32Array(4), inputShape: [2], labels: new Int32Array(3) }), "arrayDataset: labels must have one label per sample (2), got 3");
    expectError(f({ inputs: new Float32Array(4), inputShape: [2], targets: new Float32Array(4) }), "arrayDataset: targetSize must be an integer >= 1, got undefined");
    expectError(f({ inputs: new Float32Array(4), inputShape: [2], targets: new Float32Array(5), targetSize: 2 }),
      "arrayDataset: targets must have count · targetSize = 4 values, got 5");
  });

  it("makeBatch(data, indices, {encoding: \"constant\"}) sends x once as [B, …shape] with labels and targets", () => {
    const data = images(5, 1);
    const b = makeBatch(data, [4, 0, 2], { ...base, shape: [4, 3, 1] });
    assert.deepEqual(b.x.shape, [3, 4, 3, 1]);
    assert.equal(b.steps, 1);
    assert.equal(b.size, 3);
    assert.deepEqual(Array.from(b.labels!), [4, 0, 2]);
    const x = b.x.dataSync();
    for (let k = 0; k < 12; k++) assert.equal(x[k], Math.fround(data.images[4 * 12 + k]! / 255));
    const reg = arrayDataset({ inputs: new Float32Array([1, 2, 3, 4]), inputShape: [1], targets: new Float32Array([10, 11, 20, 21, 30, 31, 40, 41]), targetSize: 2 });
    const r = makeBatch(reg, [2, 3], { ...base, shape: [1] });
    assert.deepEqual(Array.from(r.x.dataSync()), [3, 4]);
    assert.deepEqual(Array.from(r.targets!.dataSync()), [30, 31, 40, 41]);
    assert.deepEqual(r.targets!.shape, [2, 2]);
    assert.equal(r.labels, undefined);
  });

  it("makeBatch with encoding \"poisson\" spikes with probability min(1, gain·x) per step, the same for the same seed", () => {
    const levels = [0, 0.1, 0.5, 0.9, 1, 3];
    const perLevel = 20;
    const inputs = new Float32Array(levels.length * perLevel);
    for (let i = 0; i < inputs.length; i++) inputs[i] = levels[i % levels.length]!;
    const data = arrayDataset({ inputs, inputShape: [1], labels: new Int32Array(inputs.length) });
    const T = 200;
    const gain = 0.5;
    const indices = Array.from({ length: inputs.length }, (_, i) => i);
    const options: BatchOptions = { ...base, shape: [1], encoding: "poisson", steps: T, gain, rng: createRng(3) };
    const b = makeBatch(data, indices, options);
    assert.deepEqual(b.x.shape, [T * inputs.length, 1]);
    assert.equal(b.steps, T);
    const x = b.x.dataSync();
    levels.forEach((level, li) => {
      let k = 0;
      for (let t = 0; t < T; t++) for (let i = li; i < inputs.length; i += levels.length) k += x[t * inputs.length + i]!;
      const n = T * perLevel;
      const p = Math.min(1, gain * Math.fround(level));
      // Binomial(n, p): within 5 standard deviations (exact at p = 0 and p = 1).
      assert.ok(Math.abs(k - n * p) <= 5 * Math.sqrt(n * p * (1 - p)), `level ${level}: ${k} spikes of ${n}, expected ${n * p}`);
    });
    assert.ok(x.every((v) => v === 0 || v === 1));
    const again = makeBatch(data, indices, { ...options, rng: createRng(3) }).x.dataSync();
    assert.deepEqual(Array.from(again), Array.from(x));
    const other = makeBatch(data, indices, { ...options, rng: createRng(4) }).x.dataSync();
    assert.notDeepEqual(Array.from(other), Array.from(x));
    expectError(() => makeBatch(data, [0], { ...options, rng: undefined }), "makeBatch: rng must be given for the poisson encoding, got undefined");
  });

  it("makeBatch with encoding \"latency\" puts one spike at step round((1 − x)·(T − 1)) for x > 0", () => {
    const xs = [0, 0.25, 0.5, 1, 2, -0.5, 0.9];
    const data = arrayDataset({ inputs: new Float32Array(xs), inputShape: [1], labels: new Int32Array(xs.length) });
    const T = 5;
    const b = makeBatch(data, xs.map((_, i) => i), { ...base, shape: [1], encoding: "latency", steps: T });
    assert.deepEqual(b.x.shape, [T * xs.length, 1]);
    const x = b.x.dataSync();
    const expectedStep = [undefined, 3, 2, 0, 0, undefined, 0];
    xs.forEach((_, i) => {
      const fired: number[] = [];
      for (let t = 0; t < T; t++) if (x[t * xs.length + i] === 1) fired.push(t);
      assert.deepEqual(fired, expectedStep[i] === undefined ? [] : [expectedStep[i]], `x = ${xs[i]}`);
    });
  });

  it("makeBatch with scale \"standard\" gives pixels of mean 0 and standard deviation 1 over the data set", () => {
    const data = images(40, 2);
    const all = Array.from({ length: 40 }, (_, i) => i);
    const x = makeBatch(data, all, { ...base, scale: "standard" }).x.dataSync();
    let sum = 0;
    let sq = 0;
    let max = 0;
    for (const v of x) {
      sum += v;
      sq += v * v;
      max = Math.max(max, Math.abs(v));
    }
    const mean = sum / x.length;
    // Each value rounds to float32 (relative EPS32/2), and the data set's mean and sd were summed
    // in float64: the moments are exact up to max|x|·EPS32.
    expectClose(mean, 0, { atol: max * EPS32 });
    expectClose(Math.sqrt(sq / x.length - mean * mean), 1, { atol: 2 * max * EPS32 });
    // Given statistics (a trainer's training set) replace the data set's own.
    const given = makeBatch(data, [0, 1], { ...base, scale: "standard", stats: { mean: 0.25, sd: 0.5 } }).x.dataSync();
    given.forEach((v, k) => expectClose(v, (data.images[k]! / 255 - 0.25) / 0.5, { atol: 4 * EPS32 }));
    const own = pixelStats(data);
    expectClose(x[0]!, (data.images[0]! / 255 - own.mean) / own.sd, { atol: max * EPS32 });
    // "unit" scales to [0, 1].
    const u = makeBatch(data, all, base).x.dataSync();
    assert.ok(u.every((v) => v >= 0 && v <= 1));
  });

  it("makeBatch rejects a shape of the wrong size, bad indices and bad options", () => {
    const data = images(3, 3);
    expectError(() => makeBatch(data, [0], { ...base, shape: [28, 28] }), 'makeBatch: shape must have 12 elements (one sample of synthetic), got "[28, 28]"');
    expectError(() => makeBatch(data, [3], base), "makeBatch: indices[0] must be an integer in [0, 3), got 3");
    expectError(() => makeBatch(data, [], base), "makeBatch: indices.length must be an integer >= 1, got 0");
    expectError(() => makeBatch(data, [0], { ...base, encoding: "burst" as never }), 'makeBatch: encoding must be one of "constant", "poisson", "latency", got "burst"');
    expectError(() => makeBatch(data, [0], { ...base, gain: 0 }), "makeBatch: gain must be a finite number > 0, got 0");
    expectError(() => makeBatch(data, [0], { ...base, scale: "standard", stats: { mean: 0.1, sd: 0 } }), "makeBatch: stats.sd must be a finite number > 0, got 0");
    expectError(() => makeBatch(data, [0], { ...base, scale: "standard", stats: { mean: Number.NaN, sd: 1 } }), "makeBatch: stats.mean must be a finite number, got NaN");
  });
});
