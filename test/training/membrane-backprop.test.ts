import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { EPS32 } from "../../src/core/units";
import { conv2d, dense, flatten, maxPool, relu, type LayerSpec } from "../../src/layers/layer-specs";
import { initBackend } from "../../src/training/backend";
import { arrayDataset } from "../../src/training/batches";
import { evaluationLog } from "../../src/datasets/evaluation-log";
import { membraneBackpropNetwork, type MembraneBackpropNetwork } from "../../src/training/membrane-backprop";
import { expectAllClose, expectError } from "../helpers/close";

const T = 7;
const theta = 0.6;
const W1 = new Float32Array([0.9, -0.4, 0.35, 0.1, 0.2, 0.8, -0.3, 0.25, 0.5, 0.15, 0.7, -0.6]); // [3][4]
const W2 = new Float32Array([0.3, -0.2, -0.5, 0.4, 0.6, 0.1, -0.1, 0.7]); // [4][2]
const inputs = new Float32Array([0.9, 0.2, 0.6, 0.1, 0.8, 0.0]);
const data = arrayDataset({ name: "tiny", inputs: inputs, inputShape: [3], labels: new Int32Array([1, 0]) });

/** The tiny 3-4-2 net with the weights above, constant-current input. */
function tiny(): MembraneBackpropNetwork {
  const net = membraneBackpropNetwork({
    input: [3], layers: [dense(4, { bias: false }), dense(2, { bias: false })], steps: T, threshold: theta, encoding: "constant", rng: createRng(5),
  });
  net.model.variables[0]!.assign(tf.tensor2d(W1, [3, 4]));
  net.model.variables[1]!.assign(tf.tensor2d(W2, [4, 2]));
  return net;
}

/** Oracle: the hidden layer's counts for one sample, a scalar IF scan (reset by subtraction). */
function hiddenCounts(x: ArrayLike<number>): number[] {
  const counts: number[] = [];
  for (let j = 0; j < 4; j++) {
    let current = 0;
    for (let i = 0; i < 3; i++) current = Math.fround(current + Math.fround(x[i]! * W1[i * 4 + j]!));
    let v = 0;
    let c = 0;
    for (let t = 0; t < T; t++) {
      v = Math.fround(v + current);
      if (v > theta) {
        v = Math.fround(v - theta);
        c++;
      }
    }
    counts.push(c);
  }
  return counts;
}

describe("membraneBackpropNetwork", () => {
  before(async () => {
    await initBackend();
  });

  it("gradient(data, indices) has forward values equal to the simulated spike rates", () => {
    const net = tiny();
    const g = net.gradient(data, [0, 1]);
    const expected = [...hiddenCounts(inputs.subarray(0, 3)), ...hiddenCounts(inputs.subarray(3, 6))];
    assert.deepEqual(Array.from(g.counts[0]!), expected);
    assert.deepEqual(Array.from(g.rates[0]!), expected.map((c) => Math.fround(c / T)));
    net.dispose();
  });

  it("gradient(data, indices) equals the hand-computed membrane-potential gradient", () => {
    const net = tiny();
    const g = net.gradient(data, [0, 1]);
    const B = 2;
    const gW1 = new Float64Array(12);
    const gW2 = new Float64Array(8);
    let loss = 0;
    for (let b = 0; b < B; b++) {
      const x = inputs.subarray(b * 3, b * 3 + 3);
      const r = hiddenCounts(x).map((c) => c / T);
      const z = [0, 1, 2, 3].map((j) => x[0]! * W1[j]! + x[1]! * W1[4 + j]! + x[2]! * W1[8 + j]!);
      const logits = [0, 1].map((k) => r.reduce((a, rj, j) => a + rj * W2[j * 2 + k]!, 0));
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const p = e.map((v) => v / (e[0]! + e[1]!));
      const y = data.labels![b]!;
      loss -= Math.log(p[y]!) / B;
      const d = p.map((pk, k) => (pk - (k === y ? 1 : 0)) / B); // ∂L/∂logits
      for (let j = 0; j < 4; j++) {
        for (let k = 0; k < 2; k++) gW2[j * 2 + k]! += r[j]! * d[k]!;
        const dr = d[0]! * W2[j * 2]! + d[1]! * W2[j * 2 + 1]!;
        const dz = z[j]! > 0 && z[j]! < theta ? dr / theta : 0; // Lee: ∂r/∂z = 1/θ while 0 < z < θ
        for (let i = 0; i < 3; i++) gW1[i * 4 + j]! += x[i]! * dz;
      }
    }
    // float32 forward and backward over a handful of terms: a few hundred ulps at most.
    const tol = { rtol: 256 * EPS32, atol: 256 * EPS32 };
    expectAllClose([g.loss], [loss], tol);
    expectAllClose(g.gradients[0]!, gW1, tol);
    expectAllClose(g.gradients[1]!, gW2, tol);
    assert.ok(gW1.some((v) => v !== 0), "the test must exercise the hidden gradient");
    net.dispose();
  });

  it("evaluate(data) counts SOPs as spikes × fan-out (constant input: nonzero pixels × fan-out every step)", () => {
    const net = tiny();
    const e = net.evaluate(data);
    const hidden = [...hiddenCounts(inputs.subarray(0, 3)), ...hiddenCounts(inputs.subarray(3, 6))].reduce((a, c) => a + c, 0);
    const nonzero = 3 + 2; // sample 1 has one zero pixel
    const sops = (T * nonzero * 4 + hidden * 2) / 2;
    assert.equal(e.sopsPerSample, sops);
    assert.deepEqual(e.sopsPerLayer, [{ layer: "dense(4)", sops: (T * nonzero * 4) / 2 }, { layer: "dense(2)", sops: (hidden * 2) / 2 }]);
    assert.equal(e.sopsByStep[T - 1], sops);
    assert.deepEqual(e.spikesPerLayer, [0, hidden / 2]);
    assert.equal(net.annMacs(), 3 * 4 + 4 * 2);
    net.dispose();
  });

  it("evaluate(data).countReadout reads the readout layer as IF neurons: most spikes, then first spike; shared tops and silence are wrong", () => {
    const rng = createRng(17);
    const n = 40;
    const x = new Float32Array(3 * n).map(() => rng.uniform());
    const labels = Int32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1));
    const many = arrayDataset({ name: "tiny-many", inputs: x, inputShape: [3], labels: labels });
    const net = tiny();
    const e = net.evaluate(many, { batchSize: 16 });
    // Oracle: hidden IF spikes per step, the readout's accumulated potential V_t in float32, its
    // per-step increments integrated by IF neurons (θ, reset by subtraction).
    const correct = new Array<number>(T).fill(0);
    let ties = 0;
    let silent = 0;
    for (let b = 0; b < n; b++) {
      const hv = [0, 0, 0, 0];
      const V = [0, 0];
      const ov = [0, 0];
      const counts = [0, 0];
      const first = [T, T];
      for (let t = 0; t < T; t++) {
        const spikes = hv.map((_, j) => {
          let current = 0;
          for (let i = 0; i < 3; i++) current = Math.fround(current + Math.fround(x[b * 3 + i]! * W1[i * 4 + j]!));
          hv[j] = Math.fround(hv[j]! + current);
          if (hv[j]! > theta) {
            hv[j] = Math.fround(hv[j]! - theta);
            return 1;
          }
          return 0;
        });
        for (let k = 0; k < 2; k++) {
          let current = 0;
          for (let j = 0; j < 4; j++) current = Math.fround(current + spikes[j]! * W2[j * 2 + k]!);
          const before = V[k]!;
          V[k] = Math.fround(V[k]! + current);
          ov[k] = Math.fround(ov[k]! + Math.fround(V[k]! - before));
          if (ov[k]! > theta) {
            ov[k] = Math.fround(ov[k]! - theta);
            if (counts[k] === 0) first[k] = t;
            counts[k]!++;
          }
        }
        const none = counts[0] === 0 && counts[1] === 0;
        const shared = counts[0] === counts[1] && first[0] === first[1];
        const best = counts[1]! > counts[0]! || (counts[1] === counts[0] && first[1]! < first[0]!) ? 1 : 0;
        if (!none && !shared && best === labels[b]) correct[t]!++;
        if (t === T - 1) {
          if (none) silent++;
          else if (shared) ties++;
        }
      }
    }
    assert.deepEqual(Array.from(e.countReadout.accuracyByStep), correct.map((c) => c / n));
    assert.equal(e.countReadout.accuracy, correct[T - 1]! / n);
    assert.deepEqual([e.countReadout.ties, e.countReadout.silent], [ties / n, silent / n]);
    assert.ok(ties + silent > 0 && ties + silent < n, `the case must mix decided and undecided samples (${ties} ties, ${silent} silent)`);
    net.dispose();
  });

  it("weightTensors() and restore(tensors) carry the weights and the trained count to another network", () => {
    const make = (seed: number) => membraneBackpropNetwork({ input: [3], layers: [dense(6), dense(2)], steps: 5, encoding: "constant", batchSize: 2, rng: createRng(seed) });
    const a = make(11);
    a.train(data, { start: 0, count: 6 });
    const saved = a.weightTensors();
    assert.deepEqual(Object.keys(saved).sort(), ["layers.0.bias", "layers.0.weight", "layers.1.bias", "layers.1.weight", "trained.samples"]);
    assert.deepEqual(Array.from(saved["trained.samples"]!.data), [6]);
    const b = make(99);
    b.restore(saved);
    a.model.variables.forEach((v, i) => assert.deepEqual(Array.from(b.model.variables[i]!.dataSync()), Array.from(v.dataSync())));
    const [ea, eb] = [a.evaluate(data), b.evaluate(data)];
    assert.deepEqual([eb.sopsPerSample, Array.from(eb.predictions)], [ea.sopsPerSample, Array.from(ea.predictions)]);
    assert.deepEqual(evaluationLog().slice(-2).map((entry) => entry.trained), [6, 6], "the restored network has trained as far as the saved one");
    expectError(() => b.restore({ ...saved, "layers.0.weight": saved["layers.1.weight"]! }), /membraneBackpropNetwork.restore: tensors\["layers.0.weight"\].shape must be \[3, 6\]/);
    expectError(() => b.restore({ ...saved, "trained.samples": { dtype: "F64", shape: [1], data: Float64Array.of(-1) } }), /trained.samples"\] must be a float64 tensor \[1\] holding a count/);
    a.dispose();
    b.dispose();
  });

  it("spiking maxPool(2) passes on the maximum of its window's counts", () => {
    const rng = createRng(3);
    const images = new Float32Array(6 * 16);
    for (let i = 0; i < images.length; i++) images[i] = rng.uniform();
    const pics = arrayDataset({ inputs: images, inputShape: [4, 4, 1], labels: new Int32Array([0, 1, 0, 1, 1, 0]) });
    const net = membraneBackpropNetwork({
      input: [4, 4, 1], layers: [conv2d(2, 1, { bias: false, init: { uniform: 1 } }), maxPool(2), flatten(), dense(2)], steps: 9, encoding: "poisson", rng: createRng(8),
    });
    const g = net.gradient(pics, [0, 1, 2, 3, 4, 5]);
    const [conv, pooled] = g.counts as [Float32Array, Float32Array];
    let checked = 0;
    for (let b = 0; b < 6; b++) {
      for (let oy = 0; oy < 2; oy++) {
        for (let ox = 0; ox < 2; ox++) {
          for (let c = 0; c < 2; c++) {
            let m = 0;
            for (let a = 0; a < 2; a++) for (let d = 0; d < 2; d++) m = Math.max(m, conv[b * 32 + ((2 * oy + a) * 4 + 2 * ox + d) * 2 + c]!);
            assert.equal(pooled[b * 8 + (oy * 2 + ox) * 2 + c], m);
            if (m > 0) checked++;
          }
        }
      }
    }
    assert.ok(checked > 10, "the windows must hold spikes");
    // The graph's pooled rate is that count over T, exactly.
    assert.deepEqual(Array.from(g.rates[1]!), Array.from(pooled, (c) => Math.fround(c / 9)));
    net.dispose();
  });

  it("train(data, range) is deterministic and resumable in chunks", () => {
    const make = () => membraneBackpropNetwork({ input: [3], layers: [dense(6), dense(2)], steps: 5, encoding: "poisson", batchSize: 2, rng: createRng(11) });
    const a = make();
    const b = make();
    a.train(data, { start: 0, count: 8 });
    b.train(data, { start: 0, count: 4 });
    b.train(data, { start: 4, count: 4 });
    a.model.variables.forEach((v, i) => assert.deepEqual(Array.from(v.dataSync()), Array.from(b.model.variables[i]!.dataSync())));
    const [ea, eb] = [a.evaluate(data), b.evaluate(data)];
    assert.deepEqual([ea.accuracy, ea.sopsPerSample, Array.from(ea.predictions)], [eb.accuracy, eb.sopsPerSample, Array.from(eb.predictions)]);
    a.dispose();
    b.dispose();
  });

  it("train and evaluate leave no tensors behind (a per-batch leak once exhausted the wasm heap)", () => {
    const images = new Float32Array(8 * 36).map((_, i) => ((i * 7) % 11) / 10);
    const imageData = arrayDataset({ name: "tiny-images", inputs: images, inputShape: [6, 6, 1], labels: new Int32Array([0, 1, 0, 1, 1, 0, 1, 0]) });
    const net = membraneBackpropNetwork({
      input: [6, 6, 1], layers: [conv2d(2, 3, { bias: false }), maxPool(2), flatten(), dense(3), dense(2)], steps: 4, encoding: "poisson", batchSize: 2, rng: createRng(21),
    });
    net.train(imageData, { start: 0, count: 4 });   // the optimiser's slots exist from here on
    const tensors = tf.memory().numTensors;
    net.train(imageData, { start: 4, count: 8 });
    net.evaluate(imageData);
    assert.equal(tf.memory().numTensors, tensors);
    net.dispose();
  });

  it("membraneBackpropNetwork(options) rejects bad input before building anything", () => {
    const base = { input: [3], rng: createRng(1) };
    expectError(() => membraneBackpropNetwork({ ...base, layers: [dense(4), relu(), dense(2)] as LayerSpec[] }), /membraneBackpropNetwork: layers\[1\] must be dense\(\), conv2d\(\), maxPool\(\) or flatten\(\)/);
    expectError(() => membraneBackpropNetwork({ ...base, layers: [dense(2)], steps: 0 }), /membraneBackpropNetwork: steps must be an integer >= 1, got 0/);
    expectError(() => membraneBackpropNetwork({ ...base, layers: [dense(2)], threshold: -1 }), /membraneBackpropNetwork: threshold must be a finite number > 0, got -1/);
    expectError(() => membraneBackpropNetwork({ ...base, layers: [dense(2)], encoding: "latency" as never }), /encoding must be one of "constant", "poisson"/);
    expectError(() => membraneBackpropNetwork({ input: [5, 5, 1], rng: createRng(1), layers: [conv2d(2, 2), maxPool(3), flatten(), dense(2)] }), /layers\[1\] must be a max pool whose windows tile its input exactly/);
    expectError(() => membraneBackpropNetwork({ ...base, layers: [dense(4), flatten()] }), /layers\[1\] must be the readout/);
    const net = tiny();
    expectError(() => net.evaluate(data, { start: 1, count: 5 }), /membraneBackpropNetwork.evaluate: count must stay within the data/);
    expectError(() => net.gradient(data, [0, 7]), /membraneBackpropNetwork.gradient: indices\[1\] must be an integer in \[0, 2\)/);
    net.dispose();
  });

  it("train(data, range) learns XOR through spikes", () => {
    const xor = arrayDataset({ inputs: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), inputShape: [2], labels: new Int32Array([0, 1, 1, 0]) });
    const net = membraneBackpropNetwork({
      input: [2], layers: [dense(16, { init: "he-normal" }), dense(2)], steps: 10, encoding: "constant", batchSize: 4, learningRate: 0.02, recordEvery: 25, rng: createRng(2),
    });
    const before = net.evaluate(xor).accuracy;
    net.train(xor, { start: 0, count: 4 * 300 });
    const after = net.evaluate(xor);
    assert.equal(after.accuracy, 1, `XOR accuracy ${after.accuracy} (before ${before})`);
    assert.ok(net.history.length === 12 && net.history[11]!.loss < net.history[0]!.loss);
    net.dispose();
  });
});
