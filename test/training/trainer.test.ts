import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { EPS32 } from "../../src/core/units";
import { loadMnist } from "../../src/datasets/mnist";
import { take } from "../../src/datasets/take";
import { batchNorm, dense, leakyLayer, relu, type LayerSpec } from "../../src/layers/layer-specs";
import { createModel, type Model } from "../../src/layers/model";
import type { Surrogate } from "../../src/surrogate/surrogate";
import { initBackend } from "../../src/training/backend";
import { arrayDataset, pixelStats } from "../../src/training/batches";
import { createTrainer, trainerDefaults, type Trainer } from "../../src/training/bptt";
import { lossOptions, lossValue, readout } from "../../src/training/losses";
import { expectClose, expectError } from "../helpers/close";

const xor = arrayDataset({ name: "xor", inputs: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), inputShape: [2], labels: new Int32Array([0, 1, 1, 0]) });

function snapshot(model: Model): number[][] {
  return model.variables.map((v) => Array.from(v.dataSync()));
}

function ann(seed: number, layers: readonly LayerSpec[] = [dense(8), relu(), dense(2)]): Model {
  return createModel({ input: [2], rng: createRng(seed), layers });
}

/** The tiny SNN of the XOR tests: 2 → 16 leaky → 2 leaky, 10 steps. */
function snn(seed: number, surrogate?: Surrogate): Model {
  const leaky = () => leakyLayer({ beta: 0.8, ...(surrogate ? { surrogate } : {}) });
  return createModel({ input: [2], steps: 10, rng: createRng(seed), layers: [dense(16, { init: "pytorch" }), leaky(), dense(2, { init: "pytorch" }), leaky()] });
}

/** Spike counts of each XOR input, [4][2]. */
function counts(model: Model): number[][] {
  return tf.tidy(() => {
    const c = readout(model.forward(tf.tensor2d(xor.inputs, [4, 2]), 4), "count").arraySync();
    return c as number[][];
  });
}

describe("createTrainer", () => {
  let mnist: ReturnType<typeof take>;
  before(async () => {
    await initBackend();
    mnist = take(loadMnist({ split: "test" }), 0, 500);
  });

  it("createTrainer(model, options) rejects bad options with one clear message", () => {
    const model = ann(1);
    const rng = createRng(0);
    expectError(() => createTrainer(model, { learningRate: Number.NaN, rng }), "createTrainer: learningRate must be a finite number, got NaN");
    expectError(() => createTrainer(model, { learningRate: -1, rng }), "createTrainer: learningRate must be a finite number > 0, got -1");
    expectError(() => createTrainer(model, { optimizer: "lbfgs" as never, rng }), 'createTrainer: optimizer must be one of "sgd", "momentum", "adam", "rmsprop", got "lbfgs"');
    expectError(() => createTrainer(model, { loss: "hinge" as never, rng }),
      'createTrainer: loss must be one of "cross-entropy", "cross-entropy-per-step", "mse", "mse-count", got "hinge"');
    expectError(() => createTrainer(model, { readout: "spikes" as never, rng }),
      'createTrainer: readout must be one of "output", "count", "rate", "membrane-last", "membrane-max", "membrane-mean", got "spikes"');
    expectError(() => createTrainer(model, { update: "sign" as never, rng }), 'createTrainer: update must be one of "gradient", "manhattan", got "sign"');
    expectError(() => createTrainer(model, { batchSize: 0, rng }), "createTrainer: batchSize must be an integer >= 1, got 0");
    expectError(() => createTrainer(model, { encoding: "poisson", rng }), 'createTrainer: encoding must be "constant" for a model without leaky layers, got "poisson"');
    expectError(() => createTrainer(model, { loss: "cross-entropy-per-step", rng }),
      'createTrainer: loss must be cross-entropy-per-step only for a model whose last layer is leaky, got "cross-entropy-per-step"');
    expectError(() => createTrainer(model, { epochs: 3, rng } as never), /^createTrainer: options must have only the keys optimizer, learningRate, .*, got "epochs"$/);
    expectError(() => createTrainer(model, { rng: undefined as never }), /^createTrainer: rng must be/);
    expectError(() => createTrainer({} as never, { rng }), "createTrainer: model must be a model from createModel(), got {}");
    // Names checked where they are given: feedback by createModel, surrogate by leakyLayer.
    expectError(() => createModel({ input: [2], rng, layers: [dense(2)], feedback: "dfa" as never }),
      'createModel: feedback must be one of "transpose", "fixed-random", "sign", "random-sign", "direct", got "dfa"');
    expectError(() => leakyLayer({ surrogate: "erf" as never }),
      'leakyLayerParams: surrogate must be one of "fast-sigmoid", "atan", "sigmoid", "triangle", "boxcar", "straight-through", got "erf"');
    const t = createTrainer(model, { rng });
    assert.equal(t.options.optimizer, trainerDefaults.optimizer);
    assert.equal(t.options.readout, "output");
    assert.equal(t.label, "backprop (B = Wᵀ)");
    assert.equal(createTrainer(snn(1), { rng, update: "manhattan" }).options.readout, "count");
    assert.equal(createTrainer(model, { rng, update: "manhattan" }).label, "backprop (B = Wᵀ) + Batch Manhattan");
    model.dispose();
  });

  it("trainer.train rejects data that does not fit the model before any work", () => {
    const model = ann(2);
    const trainer = createTrainer(model, { rng: createRng(1) });
    const w0 = snapshot(model);
    const three = arrayDataset({ inputs: new Float32Array(12), inputShape: [3], labels: new Int32Array(4) });
    expectError(() => trainer.train(three, { start: 0, count: 4 }), 'trainer.train: data must have samples of 2 values (the model\'s input [2]), got "3 values per sample"');
    const label2 = arrayDataset({ inputs: new Float32Array(8), inputShape: [2], labels: new Int32Array([0, 1, 2, 0]) });
    expectError(() => trainer.train(label2, { start: 0, count: 4 }), 'trainer.train: data must have labels below the model\'s 2 outputs, got "label 2"');
    expectError(() => trainer.train(xor, { start: 0, count: -4 }), "trainer.train: count must be an integer >= 0, got -4");
    expectError(() => trainer.train(xor, { start: 0.5, count: 4 }), "trainer.train: start must be an integer >= 0, got 0.5");
    expectError(() => trainer.train(mnist as never, { start: 0, count: 4 }), 'trainer.train: data must have samples of 2 values (the model\'s input [2]), got "784 values per sample"');
    expectError(() => trainer.evaluate(xor, { start: 2, count: 3 }), "trainer.evaluate: count must stay within the data (start + count ≤ 4), got 3");
    expectError(() => model.forward(tf.zeros([4, 3]), 4), /^model\.forward: x must have samples of shape \[2\], got /);
    assert.equal(trainer.steps, 0);
    assert.deepEqual(snapshot(model), w0);
    model.dispose();
  });

  it("createTrainer with the same seeds gives identical losses and weights (SNN, Poisson input, 500 MNIST digits)", () => {
    const run = () => {
      const model = createModel({ input: [784], steps: 5, rng: createRng(1), layers: [dense(32), leakyLayer(), dense(10), leakyLayer()] });
      const trainer = createTrainer(model, { batchSize: 64, encoding: "poisson", recordEvery: 2, rng: createRng(2) });
      const chunk = trainer.train(mnist, { start: 0, count: 256 });
      return { model, trainer, chunk };
    };
    const a = run();
    const b = run();
    assert.equal(a.chunk.loss, b.chunk.loss);
    assert.equal(a.chunk.batches, 4);
    assert.deepEqual(a.trainer.history, b.trainer.history);
    assert.equal(a.trainer.history.length, 2);
    assert.deepEqual(snapshot(a.model), snapshot(b.model));
    for (const r of [a, b]) r.model.dispose();
  });

  it("createTrainer with scale \"standard\" evaluates test images with the training set's statistics, not their own", () => {
    const train = take(mnist, 0, 200);
    const few = take(mnist, 0, 20); // the same first 20 digits, in a set whose own statistics differ
    assert.notEqual(pixelStats(few).mean, pixelStats(train).mean);
    const model = createModel({ input: [784], rng: createRng(4), layers: [dense(16), relu(), dense(10)] });
    const trainer = createTrainer(model, { batchSize: 50, scale: "standard", rng: createRng(5) });
    const untrained = trainer.evaluate(few, { start: 0, count: 20 }).loss; // before any training: the set's own statistics
    trainer.train(train, { start: 0, count: 100 });
    const inTrain = trainer.evaluate(train, { start: 0, count: 20 });
    const alone = trainer.evaluate(few, { start: 0, count: 20 });
    assert.equal(alone.loss, inTrain.loss);
    assert.deepEqual(alone.predictions, inTrain.predictions);
    assert.ok(Number.isFinite(untrained));
    model.dispose();
  });

  it("trainer.train in chunks that are multiples of batchSize equals one call, across an epoch boundary", () => {
    const make = () => {
      const model = createModel({ input: [784], steps: 4, rng: createRng(3), layers: [dense(16), leakyLayer(), dense(10), leakyLayer()] });
      return { model, trainer: createTrainer(model, { batchSize: 64, encoding: "poisson", recordEvery: 1, rng: createRng(4) }) };
    };
    const one = make();
    const whole = one.trainer.train(mnist, { start: 0, count: 512 });
    const two = make();
    const first = two.trainer.train(mnist, { start: 0, count: 256 });
    const second = two.trainer.train(mnist, { start: 256, count: 256 });
    // 500 digits: batches 0–64, …, 448–500 (52), then epoch 1 starts a new order at 500.
    assert.equal(whole.batches, 9);
    assert.equal(first.batches + second.batches, 9);
    assert.equal(whole.epoch, 512 / 500);
    assert.equal(second.epoch, 512 / 500);
    assert.deepEqual(snapshot(two.model), snapshot(one.model));
    assert.deepEqual(two.trainer.history, one.trainer.history);
    assert.equal(two.trainer.steps, 9);
    assert.equal(two.trainer.samples, 512);
    for (const r of [one, two]) r.model.dispose();
  });

  it("trainer.train resumes across epochs: epoch by epoch equals two epochs at once", () => {
    const make = () => {
      const model = ann(5);
      return { model, trainer: createTrainer(model, { batchSize: 3, optimizer: "momentum", learningRate: 0.05, recordEvery: 1, rng: createRng(6) }) };
    };
    const one = make();
    const two = make();
    one.trainer.train(xor, { start: 0, count: 12 });
    for (let e = 0; e < 3; e++) two.trainer.train(xor, { start: 4 * e, count: 4 });
    // 4 samples, batches of 3: 3 + 1 per epoch, each epoch its own seeded order.
    assert.equal(one.trainer.steps, 6);
    assert.deepEqual(snapshot(two.model), snapshot(one.model));
    assert.deepEqual(two.trainer.history.map((r) => r.loss), one.trainer.history.map((r) => r.loss));
    assert.deepEqual(one.trainer.history.map((r) => r.epoch), [0.75, 1, 1.75, 2, 2.75, 3]);
    for (const r of [one, two]) r.model.dispose();
  });

  it("createTrainer with adam teaches a 2-8-2 ReLU network XOR, 4 of 4", () => {
    const model = ann(3);
    const trainer = createTrainer(model, { optimizer: "adam", learningRate: 0.05, batchSize: 4, rng: createRng(1) });
    const first = trainer.train(xor, { start: 0, count: 4 }).loss;
    const last = trainer.train(xor, { start: 4, count: 4 * 150 }).loss;
    const ev = trainer.evaluate(xor);
    assert.equal(ev.accuracy, 1, `predictions ${Array.from(ev.predictions)}`);
    assert.deepEqual(Array.from(ev.labels!), [0, 1, 1, 0]);
    assert.equal(ev.count, 4);
    assert.ok(last < first / 4, `loss ${first} → ${last}`);
    // evaluate's loss is lossValue on the whole set.
    const L = tf.tidy(() => lossValue(model.forward(tf.tensor2d(xor.inputs, [4, 2]), 4), [0, 1, 1, 0], lossOptions("t", {})).dataSync()[0]!);
    expectClose(ev.loss, L, { rtol: 4 * EPS32 });
    model.dispose();
  });

  it("createTrainer teaches a tiny SNN XOR through its surrogate; with σ′ = 0 every gradient is 0 and nothing changes", () => {
    for (const loss of ["cross-entropy", "mse-count"] as const) {
      const model = snn(1);
      const trainer = createTrainer(model, { optimizer: "adam", learningRate: 0.05, batchSize: 4, loss, readout: "count", rng: createRng(11) });
      trainer.train(xor, { start: 0, count: 4 * 100 });
      const c = counts(model);
      // Every input's labelled output fires more than the other one (no ties decided by argmax order).
      [0, 1, 1, 0].forEach((label, i) => assert.ok(c[i]![label]! > c[i]![1 - label]!, `${loss}: counts of input ${i}: ${c[i]}`));
      model.dispose();
    }
    const zero: Surrogate = { name: "atan", params: {}, smooth: (x) => (x > 0 ? 1 : 0), derivative: () => 0 };
    const model = snn(1, zero);
    const { grads } = tf.variableGrads(() => {
      const out = model.forward(tf.tensor2d(xor.inputs, [4, 2]), 4, { training: true });
      return lossValue(out, [0, 1, 1, 0], lossOptions("t", { readout: "count" }));
    }, model.variables as tf.Variable[]);
    for (const v of model.variables) assert.ok(grads[v.name]!.dataSync().every((g) => g === 0), `${v.name}: zero gradient`);
    const w0 = snapshot(model);
    const trainer = createTrainer(model, { optimizer: "adam", learningRate: 0.05, batchSize: 4, rng: createRng(11) });
    trainer.train(xor, { start: 0, count: 40 });
    assert.deepEqual(snapshot(model), w0);
    model.dispose();
  });

  it("trainer.train stops with an error at a non-finite loss and keeps the weights from before that batch", () => {
    const model = ann(4);
    // Finite targets whose squared error overflows float32: the loss is Infinity.
    const huge = arrayDataset({ inputs: xor.inputs, inputShape: [2], targets: new Float32Array(8).fill(1e20), targetSize: 2 });
    const trainer = createTrainer(model, { loss: "mse", optimizer: "sgd", learningRate: 0.1, batchSize: 2, rng: createRng(1) });
    const w0 = snapshot(model);
    const before = tf.memory().numTensors;
    expectError(() => trainer.train(huge, { start: 0, count: 4 }),
      "trainer.train: loss must stay finite (it became Infinity at batch 1; lower the learning rate); the model keeps its weights and statistics from before this batch, got Infinity");
    assert.deepEqual(snapshot(model), w0);
    assert.equal(trainer.steps, 0);
    assert.equal(tf.memory().numTensors, before, "no tensor leaks from the failed batch");
    model.dispose();
  });

  it("createTrainer with update \"manhattan\" and sgd moves each parameter by exactly ±η, or not at all where its gradient is 0", () => {
    const model = ann(7, [dense(6), relu(), dense(2)]);
    const eta = 0.01;
    const w0 = snapshot(model);
    const trainer = createTrainer(model, { optimizer: "sgd", learningRate: eta, update: "manhattan", batchSize: 4, rng: createRng(2) });
    trainer.train(xor, { start: 0, count: 4 });
    const w1 = snapshot(model);
    let moved = 0;
    let still = 0;
    w0.forEach((before, v) => before.forEach((w, i) => {
      const d = Math.abs(w1[v]![i]! - w);
      if (d === 0) {
        still++;
        return;
      }
      moved++;
      // w − η·sign(g) rounded to float32: within half an ulp of the larger of |w| and |w ∓ η|, plus η's own rounding.
      expectClose(d, eta, { rtol: 0, atol: (Math.abs(w) + 2 * eta) * EPS32, message: `variable ${v}, element ${i}` });
    }));
    assert.ok(moved > 10, `${moved} parameters moved`);
    assert.ok(still > 0, "dead ReLUs and their zero gradients leave some parameters in place");
    model.dispose();
  });

  it("createTrainer with weightDecay λ adds λ·W to each weight's gradient (biases untouched)", () => {
    const eta = 0.5;
    const lambda = 0.1;
    const a = ann(8);
    const b = ann(8);
    const W = snapshot(a);
    createTrainer(a, { optimizer: "sgd", learningRate: eta, batchSize: 4, rng: createRng(3) }).train(xor, { start: 0, count: 4 });
    createTrainer(b, { optimizer: "sgd", learningRate: eta, weightDecay: lambda, batchSize: 4, rng: createRng(3) }).train(xor, { start: 0, count: 4 });
    const pa = snapshot(a);
    const pb = snapshot(b);
    a.variables.forEach((v, k) => {
      const isWeight = a.weights.includes(v);
      pa[k]!.forEach((x, i) => {
        // Two float32 updates: each within an ulp of its value (≤ 2 in magnitude here).
        const expected = isWeight ? -eta * lambda * W[k]![i]! : 0;
        expectClose(pb[k]![i]! - x, expected, { rtol: 0, atol: 4 * EPS32 * (Math.abs(x) + 1), message: `${v.name}[${i}]` });
      });
    });
    for (const m of [a, b]) m.dispose();
  });

  it("createTrainer trains a batch-norm model: loss falls and the running statistics move", () => {
    const model = ann(9, [dense(8), batchNorm({ momentum: 0.8 }), relu(), dense(2)]);
    const bn = model.layers[1]!;
    const trainer = createTrainer(model, { optimizer: "adam", learningRate: 0.05, batchSize: 4, rng: createRng(4) });
    const first = trainer.train(xor, { start: 0, count: 4 }).loss;
    const last = trainer.train(xor, { start: 4, count: 4 * 60 }).loss;
    assert.ok(last < first, `loss ${first} → ${last}`);
    assert.ok(bn.runningMean!.dataSync().some((m) => Math.abs(m) > 1e-3), "running mean moved from 0");
    assert.ok(bn.runningVar!.dataSync().some((v) => Math.abs(v - 1) > 1e-3), "running variance moved from 1");
    assert.ok(bn.gamma!.dataSync().some((g) => g !== 1), "γ is trained");
    model.dispose();
  });

  it("trainer.train frees every tensor it makes, and alignmentTable() has one row per history entry", () => {
    const model = createModel({ input: [2], steps: 4, rng: createRng(5), feedback: "sign", layers: [dense(6), leakyLayer(), dense(4), leakyLayer(), dense(2), leakyLayer({ spiking: false })] });
    const trainer: Trainer = createTrainer(model, { batchSize: 2, encoding: "latency", loss: "cross-entropy-per-step", alignEvery: 2, recordEvery: 2, rng: createRng(6) });
    trainer.train(xor, { start: 0, count: 4 }); // the optimiser allocates its state on the first batch
    const before = tf.memory().numTensors;
    const chunk = trainer.train(xor, { start: 4, count: 8 });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(chunk.batches, 4);
    assert.ok(Number.isFinite(chunk.loss) && chunk.samplesPerSecond > 0);
    const table = trainer.alignmentTable() as { numRows(): number; columnNames(): string[] };
    assert.equal(table.numRows(), trainer.history.length);
    assert.equal(trainer.history.length, 3);
    for (const name of ["step", "samples", "epoch", "method", "loss", "accuracy", "angle"]) assert.ok(table.columnNames().includes(name), name);
    assert.ok(trainer.history.every((r) => r.angle! >= 0 && r.angle! <= 180 && r.method === "sign-concordant (B = sign W)"));
    model.dispose();
  });
});
