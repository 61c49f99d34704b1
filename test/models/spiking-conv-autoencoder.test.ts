import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import type { ImageDataset } from "../../src/datasets/image-dataset";
import { fit } from "../../src/learning/fit";
import { regenerativeUpdate, spikingConvAutoencoder, spikingConvAutoencoderDefaults } from "../../src/models/spiking-conv-autoencoder";
import { expectError } from "../helpers/close";

/** Oracle: ΔW[m,c,a,b] = Σ_{(c,Y,X): e≠0} e·ĥ_m(Y−a, X−b)/‖d̂_cYX‖, written from the definition (all offsets, bounds checked per term). */
function oracle(trace: Float32Array, error: Float32Array, C: number, H: number, W: number, K: number, k: number): Float64Array {
  const Ho = H - k + 1;
  const Wo = W - k + 1;
  const at = (m: number, y: number, x: number) => (y >= 0 && y < Ho && x >= 0 && x < Wo ? trace[(m * Ho + y) * Wo + x] : 0);
  const out = new Float64Array(K * C * k * k);
  for (let c = 0; c < C; c++) for (let Y = 0; Y < H; Y++) for (let X = 0; X < W; X++) {
    const e = error[(c * H + Y) * W + X];
    if (e === 0) continue;
    let n2 = 0;
    for (let m = 0; m < K; m++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) n2 += at(m, Y - a, X - b) ** 2;
    if (n2 === 0) continue;
    for (let m = 0; m < K; m++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      out[((m * C + c) * k + a) * k + b] += (e * at(m, Y - a, X - b)) / Math.sqrt(n2);
    }
  }
  return out;
}

/** A toy data set: `count` 8×8 images, each a bright horizontal or vertical bar at a random place. */
function bars(count: number, seed: number): ImageDataset {
  const rng = createRng(seed);
  const images = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const vertical = rng.next() < 0.5;
    const at = 1 + rng.int(6);
    for (let j = 0; j < 8; j++) images[i * 64 + (vertical ? j * 8 + at : at * 8 + j)] = 255;
    labels[i] = vertical ? 1 : 0;
  }
  return { name: "bars", split: "train", count, rows: 8, cols: 8, images, labels };
}

const toy = {
  imageHeight: 8, imageWidth: 8, steps: 12, maxRate: 0.5, learningRate: 0.005, weightMean: 0.05, weightSd: 0.1, kernelNorm: 1,
  layers: [{ maps: 4, kernel: 3, threshold: 1, reconstructionThreshold: 2, pool: 2 }, { maps: 6, kernel: 2, threshold: 0.5, reconstructionThreshold: 1, pool: 1 }],
};

describe("regenerativeUpdate", () => {
  it("regenerativeUpdate(trace, error, shape, out) gives the hand-computed update on a 3×3 map with one 2×2 kernel", () => {
    const out = new Float32Array(4);
    // e = 1 at (1, 1) sees ĥ(0, 0) = 1 through (a, b) = (1, 1) only; ‖d̂‖ = 1.
    const terms = regenerativeUpdate(new Float32Array([1, 0, 0, 0]), new Float32Array([0, 0, 0, 0, 1, 0, 0, 0, 0]), { channels: 1, height: 3, width: 3, maps: 1, kernel: 2 }, out);
    assert.deepEqual(Array.from(out), [0, 0, 0, 1]);
    assert.equal(terms, 1);
    // ĥ = [3, 4; 0, 0], e = −1 at (0, 1): patch (a, b) ∈ {(0,0) → ĥ(0,1) = 4, (0,1) → ĥ(0,0) = 3}, ‖d̂‖ = 5.
    const out2 = new Float32Array(4);
    regenerativeUpdate(new Float32Array([3, 4, 0, 0]), new Float32Array([0, -1, 0, 0, 0, 0, 0, 0, 0]), { channels: 1, height: 3, width: 3, maps: 1, kernel: 2 }, out2);
    assert.deepEqual(Array.from(out2), [-4 / 5, -3 / 5, 0, 0].map(Math.fround));
  });

  it("regenerativeUpdate(trace, error, shape, out) equals the formula's oracle on random traces and errors (2 channels, 3 maps)", () => {
    const rng = createRng(5);
    const [C, H, W, K, k] = [2, 6, 5, 3, 3];
    const trace = new Float32Array(K * (H - k + 1) * (W - k + 1));
    for (let i = 0; i < trace.length; i++) trace[i] = rng.next() < 0.4 ? Math.fround(rng.uniform(0, 2)) : 0;
    const error = new Float32Array(C * H * W);
    for (let i = 0; i < error.length; i++) error[i] = rng.next() < 0.3 ? (rng.next() < 0.5 ? -1 : 1) : 0;
    const out = new Float32Array(K * C * k * k);
    regenerativeUpdate(trace, error, { channels: C, height: H, width: W, maps: K, kernel: k }, out);
    const want = oracle(trace, error, C, H, W, K, k);
    // float32 sums of at most H·W terms of magnitude ≤ 1: error ≤ H·W·2⁻²³ per weight.
    for (let i = 0; i < out.length; i++) assert.ok(Math.abs(out[i] - want[i]) <= H * W * 2 ** -23 * 4, `weight ${i}: ${out[i]} vs ${want[i]}`);
    assert.ok(want.some((v) => v !== 0));
  });

  it("regenerativeUpdate rejects a NaN trace, a wrong-size error and a kernel larger than the map, each with one message", () => {
    const shape = { channels: 1, height: 3, width: 3, maps: 1, kernel: 2 };
    expectError(() => regenerativeUpdate(new Float32Array([NaN, 0, 0, 0]), new Float32Array(9), shape, new Float32Array(4)), "regenerativeUpdate: trace[0] must be a finite number, got NaN");
    expectError(() => regenerativeUpdate(new Float32Array(4), new Float32Array(8), shape, new Float32Array(4)), /^regenerativeUpdate: error must be a Float32Array or Int8Array of C·H·W = 9, got /);
    expectError(() => regenerativeUpdate(new Float32Array(4), new Float32Array(9), { ...shape, kernel: 4 }, new Float32Array(16)), "regenerativeUpdate: shape.kernel must be at most the input map (3×3), got 4");
  });
});

describe("spikingConvAutoencoder", () => {
  it("layer(0).learn lowers the reconstruction error on bars (toy problem)", () => {
    const data = bars(300, 1);
    const validation = { ...bars(40, 2), split: "validation" as const };
    const net = spikingConvAutoencoder({ ...toy, rng: createRng(3) });
    const before = net.layer(0).evaluate(validation, { start: 0, count: 40 });
    net.layer(0).learn(data, { count: 300 });
    const after = net.layer(0).evaluate(validation, { start: 0, count: 40 });
    assert.ok(after.reconstructionError < 0.7 * before.reconstructionError, `error ${before.reconstructionError} → ${after.reconstructionError}`);
    assert.ok(after.hiddenRate > 0, "the encoder still fires");
  });

  it("fit(net.layer(l), …) trains layer by layer; the same seed gives the same weights and features; a snapshot resumes bit for bit", async () => {
    const data = bars(60, 4);
    const make = () => spikingConvAutoencoder({ ...toy, rng: createRng(9) });
    const a = make();
    const b = make();
    await fit(a.layer(0), data, { epochs: 1 });
    await fit(a.layer(1), data, { samples: 30 });
    const saved = a.snapshot();
    await fit(a.layer(1), data, { samples: 60 });
    await fit(b.layer(0), data, { epochs: 1 });
    await fit(b.layer(1), data, { epochs: 1 });
    assert.deepEqual(a.weights.map((w) => Array.from(w)), b.weights.map((w) => Array.from(w)));
    assert.deepEqual(Array.from(a.features(data, { start: 0, count: 10 }).values), Array.from(b.features(data, { start: 0, count: 10 }).values));
    const c = make();
    c.restore(saved);
    assert.deepEqual(c.layerSamples, [60, 30]);
    await fit(c.layer(1), data, { samples: 60 });
    assert.deepEqual(c.weights.map((w) => Array.from(w)), a.weights.map((w) => Array.from(w)));
    assert.ok(a.weights[1].some((v, i) => v !== make().weights[1][i]), "layer 2 learnt");
    assert.equal(a.featureSize, 6 * 2 * 2);
  });

  it("features(data, range) counts the last stage's spikes (≤ T each) and does not depend on the call order", () => {
    const data = bars(8, 6);
    const net = spikingConvAutoencoder({ ...toy, rng: createRng(2) });
    const all = net.features(data, { start: 0, count: 8 });
    const tail = net.features(data, { start: 4, count: 4 });
    assert.deepEqual(Array.from(all.values.subarray(4 * net.featureSize)), Array.from(tail.values));
    assert.ok(all.values.every((v) => Number.isInteger(v) && v >= 0 && v <= toy.steps));
    assert.deepEqual(Array.from(all.labels), Array.from(data.labels));
    const r = net.reconstruct(data, 0, 0);
    assert.equal(r.input.length, 64);
    assert.ok(r.input.reduce((s, v) => s + v, 0) > 0);
  });

  it("bad input gives one clear error each: wrong image size, kernel larger than the map, NaN settings", () => {
    const net = spikingConvAutoencoder({ ...toy, rng: createRng(1) });
    const mnistSized = { ...bars(2, 1), rows: 28, cols: 28, images: new Uint8Array(2 * 784) };
    expectError(() => net.layer(0).learn(mnistSized, { count: 1 }), "spikingConvAutoencoder.learn: data must hold 8×8 images (the network's imageHeight × imageWidth), got \"28×28 images\"");
    expectError(() => net.features(mnistSized, { start: 0, count: 1 }), /^spikingConvAutoencoder\.features: data must hold 8×8 images/);
    expectError(() => spikingConvAutoencoder({ ...toy, layers: [{ ...toy.layers[0], kernel: 9 }], rng: createRng(1) }), "spikingConvAutoencoder: layers[0].kernel must be at most its input map (8×8), got 9");
    expectError(() => spikingConvAutoencoder({ ...toy, layers: [toy.layers[0], { ...toy.layers[1], kernel: 5 }], rng: createRng(1) }), "spikingConvAutoencoder: layers[1].kernel must be at most its input map (3×3), got 5");
    expectError(() => spikingConvAutoencoder({ ...toy, learningRate: NaN, rng: createRng(1) }), /^spikingConvAutoencoder: learningRate must be .*, got NaN$/);
    expectError(() => spikingConvAutoencoder({ ...toy, layers: [{ ...toy.layers[0], threshold: NaN }], rng: createRng(1) }), /^spikingConvAutoencoder: layers\[0\]\.threshold must be .*, got NaN$/);
    expectError(() => net.layer(0).learn(bars(2, 1), { count: 1, learningRate: NaN }), /^spikingConvAutoencoder\.learn: learningRate must be .*, got NaN$/);
    expectError(() => net.layer(2), "spikingConvAutoencoder.layer: layer must be an integer in [0, 1], got 2");
  });

  it("the defaults are the notebook's 12c5-p2-64c5-p2 stack on 28×28 images with 1 024 features", () => {
    const net = spikingConvAutoencoder({ ...spikingConvAutoencoderDefaults, rng: createRng(1) });
    assert.deepEqual(net.stages.map((s) => [s.name, s.channels, s.height, s.width]), [["input", 1, 28, 28], ["conv1", 12, 24, 24], ["pool1", 12, 12, 12], ["conv2", 64, 8, 8], ["pool2", 64, 4, 4]]);
    assert.equal(net.featureSize, 1024);
    for (let m = 0; m < 12; m++) {
      const norm = Math.hypot(...net.weights[0].subarray(m * 25, (m + 1) * 25));
      assert.ok(Math.abs(norm - 1) < 1e-5, `kernel ${m} has norm ${norm}`);
    }
  });
});

describe("spikingConvAutoencoder.operations", () => {
  it("counts layer 1's SOPs in closed form when every pixel spikes at every step: T × the layer's dense MACs", () => {
    const T = 3;
    const net = spikingConvAutoencoder({
      ...spikingConvAutoencoderDefaults, imageHeight: 8, imageWidth: 8, steps: T, dt: 1, maxRate: 1,
      layers: [{ maps: 2, kernel: 3, threshold: 1, reconstructionThreshold: 4, pool: 1 }], rng: createRng(4),
    });
    const white: ImageDataset = { name: "white", split: "test", count: 2, rows: 8, cols: 8, images: new Uint8Array(128).fill(255), labels: new Uint8Array(2) };
    const ops = net.operations(white, { start: 0, count: 2 });
    const macs = 6 * 6 * 2 * 3 * 3 * 1;
    assert.equal(ops.macs, macs);
    assert.deepEqual(ops.sopsPerLayer, [T * macs]);
    assert.equal(ops.sops, T * macs);
  });
  it("sees the spikes of the feature pass (deeper layers count the pooled spikes of the layer below) and rejects a bad range", () => {
    const net = spikingConvAutoencoder({ ...spikingConvAutoencoderDefaults, imageHeight: 8, imageWidth: 8, layers: [{ maps: 3, kernel: 3, threshold: 0.5, reconstructionThreshold: 4, pool: 2 }, { maps: 2, kernel: 2, threshold: 0.5, reconstructionThreshold: 4, pool: 1 }], rng: createRng(5) });
    const data = bars(4, 9);
    const ops = net.operations(data, { start: 0, count: 4 });
    assert.equal(ops.sopsPerLayer.length, 2);
    assert.ok(ops.sopsPerLayer[0]! > 0);
    assert.deepEqual(net.operations(data, { start: 0, count: 4 }), ops, "the same pass, the same counts");
    expectError(() => net.operations(data, { start: 3, count: 2 }), /^spikingConvAutoencoder.operations: count must be at most data.count − start = 1, got 2$/);
  });
});
