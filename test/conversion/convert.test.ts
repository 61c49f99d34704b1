import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { annOperations, convertModel, simulateConverted } from "../../src/conversion/convert";
import { dense, relu } from "../../src/layers/layer-specs";
import { createModel } from "../../src/layers/model";
import { integrateAndFireInit, integrateAndFireParams, integrateAndFireStep } from "../../src/neurons/integrate-and-fire";
import { arrayDataset } from "../../src/training/batches";
import { initBackend } from "../../src/training/backend";

/** Inputs in [0, 1] with labels; the same generator every time. */
function data(count: number, features: number, seed: number) {
  const rng = createRng(seed);
  const inputs = new Float32Array(count * features);
  for (let i = 0; i < inputs.length; i++) inputs[i] = rng.uniform(0, 1);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = inputs[i * features]! > inputs[i * features + 1]! ? 0 : 1;
  return arrayDataset({ name: "toy", inputs, inputShape: [features], labels });
}

describe("conversion", () => {
  before(async () => {
    await initBackend();
  });

  it("integrateAndFireStep with reset by subtraction: rate approaches relu(x)/θ within 1/T", () => {
    const T = 200;
    const theta = 1.5;
    const xs = new Float32Array([-0.4, 0, 0.01, 0.3, 0.77, 1.2, 1.5]);
    const p = integrateAndFireParams({ threshold: theta, reset: "subtract" });
    const s = integrateAndFireInit(xs.length, p);
    const spikes = new Uint8Array(xs.length);
    const counts = new Float64Array(xs.length);
    for (let t = 0; t < T; t++) {
      integrateAndFireStep(xs, s, p, 1, spikes);
      for (let k = 0; k < xs.length; k++) counts[k] += spikes[k]!;
    }
    for (let k = 0; k < xs.length; k++) {
      const target = Math.max(0, xs[k]!) / theta;
      assert.ok(Math.abs(counts[k]! / T - target) <= 1 / T + 1e-12, `x = ${xs[k]}: rate ${counts[k]! / T}, relu(x)/θ = ${target}`);
    }
  });

  it("convertModel(ann, data) returns new normalised weights and never mutates the ANN", () => {
    const d = data(200, 4, 1);
    const ann = createModel({ input: [4], layers: [dense(6, { bias: false }), relu(), dense(2, { bias: false })], rng: createRng(2) });
    const before = ann.weights.map((w) => Float32Array.from(w.dataSync() as Float32Array));
    const net = convertModel(ann, d, { percentile: 100, count: 200 });
    ann.weights.forEach((w, i) => assert.deepEqual(Float32Array.from(w.dataSync() as Float32Array), before[i]));
    const [l1, l2] = net.layers.filter((l) => l.weights);
    assert.notEqual(l1!.weights!.buffer, ann.weights[0]!.dataSync().buffer);
    // W1 / λ1 and W2 · λ1 / λ2, elementwise.
    l1!.weights!.forEach((v, i) => assert.ok(Math.abs(v - before[0]![i]! / net.scales[0]!) <= 1e-6 * Math.abs(v) + 1e-9));
    l2!.weights!.forEach((v, i) => assert.ok(Math.abs(v - (before[1]![i]! * net.scales[0]!) / net.scales[1]!) <= 1e-6 * Math.abs(v) + 1e-9));
    assert.equal(annOperations(net), 4 * 6 + 6 * 2);
  });

  it("convertModel with percentile 100: λ of the hidden layer is its largest activation, so no hidden rate exceeds 1", () => {
    const d = data(100, 5, 3);
    const ann = createModel({ input: [5], layers: [dense(8, { bias: false }), relu(), dense(2, { bias: false })], rng: createRng(4) });
    const net = convertModel(ann, d, { percentile: 100, count: 100 });
    const run = simulateConverted(net, d, { steps: 50, count: 100, batchSize: 50 });
    // Spikes per sample of the hidden layer ≤ 8 neurons · 50 steps · (max rate 1).
    assert.ok(run.spikesPerLayer[0]! <= 8 * 50);
    assert.equal(run.accuracy.length, 50);
    assert.ok(run.operations[49]! > run.operations[0]!);
  });

  it("simulateConverted: the converted net predicts what the ANN predicts, given enough steps", () => {
    const d = data(300, 6, 5);
    const ann = createModel({ input: [6], layers: [dense(12, { bias: false }), relu(), dense(2, { bias: false })], rng: createRng(6) });
    const net = convertModel(ann, d, { percentile: 99.9, count: 300 });
    const run = simulateConverted(net, d, { steps: 400, count: 300, batchSize: 300 });
    // The ANN's own predictions as labels: the SNN should agree on nearly all samples.
    const annPred = new Int32Array(300);
    const { readout } = require("../../src/training/losses");
    const { makeBatch } = require("../../src/training/batches");
    const tf = require("@tensorflow/tfjs-core");
    const b = makeBatch(d, Int32Array.from({ length: 300 }, (_: unknown, i: number) => i), { shape: [6], encoding: "constant", steps: 1, gain: 1, scale: "unit" });
    tf.tidy(() => annPred.set(tf.argMax(readout(ann.forward(b.x, 300), "output"), 1).dataSync()));
    let agree = 0;
    for (let i = 0; i < 300; i++) if (annPred[i] === run.predictions[i]) agree++;
    assert.ok(agree >= 0.97 * 300, `agreement ${agree}/300`);
  });

  it("convertModel rejects non-convertible layers and simulateConverted bad options, with the standard message", () => {
    const d = data(10, 3, 7);
    const ann = createModel({ input: [3], layers: [dense(4)], rng: createRng(8) });
    assert.throws(() => convertModel(ann, d, { percentile: 0 }), { message: "convertModel: percentile must be > 0, got 0" });
    const withTanh = createModel({ input: [3], layers: [dense(4), { kind: "tanh" }, dense(2)], rng: createRng(8) });
    assert.throws(() => convertModel(withTanh, d), /convertModel: model.layers\[1\] must be dense, conv2d, avg-pool, flatten or relu/);
    const net = convertModel(ann, d, { normalize: "none" });
    assert.throws(() => simulateConverted(net, d, { input: "poisson", count: 5 }), { message: "simulateConverted: rng must be given for Poisson input, got undefined" });
    assert.throws(() => simulateConverted(net, d, { count: 11 }), /simulateConverted: count must stay within the data/);
  });
});
