import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { annOperations, combineConvertedRuns, convertModel, simulateConverted } from "../../src/conversion/convert";
import { avgPool, conv2d, dense, flatten, relu } from "../../src/layers/layer-specs";
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
    const annMax = new Float32Array(300);
    tf.tidy(() => {
      const out = readout(ann.forward(b.x, 300), "output");
      annPred.set(tf.argMax(out, 1).dataSync());
      annMax.set(tf.max(out, 1).dataSync());
    });
    // A rate code carries only positive activations: where the ANN's winning output is ≤ 0 the
    // outputs fire at most transiently and a spike readout mostly has no answer; where it is
    // positive the spike readout agrees with the ANN.
    let agree = 0;
    let positive = 0;
    let silent = 0;
    for (let i = 0; i < 300; i++) {
      if (annMax[i]! > 0) {
        positive++;
        if (annPred[i] === run.predictions[i]) agree++;
      } else if (run.predictions[i] === -1) {
        silent++;
      }
    }
    assert.ok(positive >= 30, `${positive} samples with a positive winning output`);
    assert.ok(agree >= 0.97 * positive, `agreement ${agree}/${positive}`);
    assert.ok(silent > 0.5 * (300 - positive), `mostly no answer where the ANN's winning output is not positive (${silent} of ${300 - positive})`);
  });

  it("simulateConverted reads spikes: most spikes, then the earliest first spike; no spike or a full tie is no answer (an oracle)", () => {
    // 3 inputs → 4 IF outputs (one dense layer, no normalisation), reset by subtraction, 30 steps.
    const d = data(40, 3, 21);
    const ann = createModel({ input: [3], layers: [dense(4, { bias: false })], rng: createRng(22) });
    const net = convertModel(ann, d, { normalize: "none" });
    const T = 30;
    const run = simulateConverted(net, d, { steps: T, count: 40, batchSize: 40 });
    const analog = simulateConverted(net, d, { steps: T, count: 40, batchSize: 40, readout: "spikes+potential" });
    const W = net.layers[0]!.weights!;
    const right = new Float64Array(T);
    const none = new Float64Array(T);
    const last = new Int32Array(40);
    for (let s = 0; s < 40; s++) {
      const v = new Float64Array(4);
      const count = new Int32Array(4);
      const first = new Int32Array(4).fill(T);
      for (let t = 0; t < T; t++) {
        for (let j = 0; j < 4; j++) {
          let z = 0;
          for (let i = 0; i < 3; i++) z += d.inputs[s * 3 + i]! * W[i * 4 + j]!;
          v[j] += z;
          if (v[j]! > 1) {
            v[j] -= 1;
            count[j]++;
            if (first[j] === T) first[j] = t;
          }
        }
        const score = Array.from(count, (c, j) => c * (T + 1) + (T - first[j]!));
        const best = Math.max(...score);
        const pred = best <= 0 || score.filter((x) => x === best).length > 1 ? -1 : score.indexOf(best);
        if (pred === -1) none[t]++;
        if (pred === d.labels![s]) right[t]++;
        if (t === T - 1) last[s] = pred;
      }
    }
    assert.deepEqual(Array.from(run.accuracy), Array.from(right, (r) => r / 40));
    assert.deepEqual(Array.from(run.undecided), Array.from(none, (u) => u / 40));
    assert.deepEqual(Array.from(run.predictions), Array.from(last));
    assert.equal(run.readout, "spikes");
    assert.ok(run.undecided[0]! > 0, "before any output spike there is no answer");
    assert.deepEqual(Array.from(analog.undecided), new Array(T).fill(0), "the analog option always answers");
    assert.ok(analog.accuracy[0]! >= run.accuracy[0]!, "reading potentials answers before the first spike");
    assert.throws(() => simulateConverted(net, d, { readout: "potential" as never }), /simulateConverted: readout must be one of/);
    assert.throws(() => combineConvertedRuns([run, analog]), { message: 'combineConvertedRuns: runs[1] must use the readout "spikes" like runs[0], got "spikes+potential"' });
  });

  it("convertModel: data-based normalisation scales each layer by λ_{l−1}/λ_l, λ the percentile of its ReLU outputs", () => {
    const d = data(200, 4, 11);
    const ann = createModel({ input: [4], layers: [dense(6, { bias: false }), relu(), dense(3, { bias: false })], rng: createRng(12) });
    const raw = convertModel(ann, d, { normalize: "none" });
    const net = convertModel(ann, d, { percentile: 100, count: 200 });
    // λ_1 by hand: the largest hidden ReLU output over the 200 samples.
    const W1 = raw.layers[0]!.weights!;
    let lambda1 = 0;
    for (let s = 0; s < 200; s++) {
      for (let j = 0; j < 6; j++) {
        let a = 0;
        for (let i = 0; i < 4; i++) a += d.inputs[s * 4 + i]! * W1[i * 6 + j]!;
        lambda1 = Math.max(lambda1, a);
      }
    }
    assert.ok(Math.abs(net.scales[0]! - lambda1) <= 1e-5 * lambda1, `λ1 ${net.scales[0]} vs ${lambda1}`);
    const lambda2 = net.scales[1]!;
    net.layers[0]!.weights!.forEach((w, k) => assert.ok(Math.abs(w - W1[k]! / lambda1) <= 1e-6));
    net.layers[1]!.weights!.forEach((w, k) => assert.ok(Math.abs(w - (raw.layers[1]!.weights![k]! * lambda1) / lambda2) <= 1e-5));
    // A lower percentile gives a smaller λ (more clipping, faster firing).
    assert.ok(convertModel(ann, d, { percentile: 90, count: 200 }).scales[0]! < lambda1);
  });

  it("convertModel + simulateConverted handle conv2d, avg-pool and flatten; chunked runs combine into the whole run", () => {
    const rng = createRng(13);
    const inputs = new Float32Array(60 * 36);
    for (let i = 0; i < inputs.length; i++) inputs[i] = rng.uniform(0, 1);
    const labels = Int32Array.from({ length: 60 }, (_, i) => (inputs[i * 36]! > 0.5 ? 1 : 0));
    const d = arrayDataset({ name: "toy-images", inputs, inputShape: [6, 6, 1], labels });
    const ann = createModel({ input: [6, 6, 1], layers: [conv2d(3, 3, { bias: false }), relu(), avgPool(2), flatten(), dense(2, { bias: false })], rng: createRng(14) });
    const net = convertModel(ann, d, { count: 60 });
    assert.deepEqual(net.layers.map((l) => l.kind), ["conv2d", "avg-pool", "flatten", "dense"]);
    assert.equal(annOperations(net), 4 * 4 * 3 * 9 + 12 * 2);
    const whole = simulateConverted(net, d, { steps: 20, count: 60, batchSize: 60 });
    const parts = [simulateConverted(net, d, { steps: 20, start: 0, count: 25 }), simulateConverted(net, d, { steps: 20, start: 25, count: 35 })];
    const combined = combineConvertedRuns(parts);
    assert.equal(combined.count, 60);
    assert.deepEqual(Array.from(combined.predictions), Array.from(whole.predictions));
    for (let t = 0; t < 20; t++) {
      assert.ok(Math.abs(combined.accuracy[t]! - whole.accuracy[t]!) <= 1e-12);
      assert.ok(Math.abs(combined.operations[t]! - whole.operations[t]!) <= 1e-6 * whole.operations[t]!);
    }
    whole.spikesPerLayer.forEach((v, l) => assert.ok(Math.abs(combined.spikesPerLayer[l]! - v) <= 1e-6 * Math.max(1, v)));
    assert.throws(() => combineConvertedRuns([]), /combineConvertedRuns: runs must be a non-empty array/);
    assert.throws(() => combineConvertedRuns([parts[0]!, simulateConverted(net, d, { steps: 5, count: 5 })]), { message: 'combineConvertedRuns: runs[1] must have 20 steps like runs[0], got "5 steps"' });
  });

  it("simulateConverted: reset to zero loses the residual charge, so it fires no more than reset by subtraction", () => {
    const d = data(100, 5, 15);
    const ann = createModel({ input: [5], layers: [dense(10, { bias: false }), relu(), dense(2, { bias: false })], rng: createRng(16) });
    const net = convertModel(ann, d, { count: 100 });
    const sub = simulateConverted(net, d, { steps: 60, count: 100, reset: "subtract" });
    const zero = simulateConverted(net, d, { steps: 60, count: 100, reset: "zero" });
    assert.ok(zero.spikesPerLayer[0]! <= sub.spikesPerLayer[0]! + 1e-9, `${zero.spikesPerLayer[0]} vs ${sub.spikesPerLayer[0]}`);
    assert.ok(zero.spikesPerLayer[0]! < sub.spikesPerLayer[0]!, "some residual is lost");
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
