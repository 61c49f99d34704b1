import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { EPS32 } from "../../src/core/units";
import {
  avgPool, batchNorm, conv2d, dense, flatten, identity, leakyLayer, maxPool, relu, sigmoidActivation, tanh,
} from "../../src/layers/layer-specs";
import { leakyLayerStep } from "../../src/layers/lif-layer";
import { createModel } from "../../src/layers/model";
import { spikeFn } from "../../src/surrogate/spike-fn";
import { initBackend } from "../../src/training/backend";
import { expectAllClose, expectError } from "../helpers/close";
import { maxAbs, uniform } from "../helpers/arrays";


describe("createModel", () => {
  before(async () => {
    await initBackend();
  });

  it("createModel({input, layers, rng}) infers shapes, counts parameters and summarises each layer", () => {
    const model = createModel({
      input: [6, 6, 1], rng: createRng(1),
      layers: [conv2d(4, 3), relu(), maxPool(2), conv2d(2, 1, { bias: false }), avgPool(2), flatten(), dense(5), batchNorm(), tanh(), dense(3, { bias: false })],
    });
    assert.deepEqual(model.layers.map((l) => [...l.outputShape]), [
      [4, 4, 4], [4, 4, 4], [2, 2, 4], [2, 2, 2], [1, 1, 2], [2], [5], [5], [5], [3],
    ]);
    assert.deepEqual([...model.outputShape], [3]);
    assert.equal(model.steps, 1);
    assert.equal(model.spiking, false);
    assert.equal(model.feedback, "transpose");
    // conv 3·3·1·4 + 4, conv 1·1·4·2, dense 2·5 + 5, batch norm γ, β: 5 + 5, dense 5·3.
    assert.equal(model.parameterCount, 40 + 8 + 15 + 10 + 15);
    assert.equal(model.weights.length, 4);
    assert.equal(model.variables.length, 4 + 2 + 2); // W's, two biases, γ and β
    assert.deepEqual(model.summary()[0], { layer: 0, kind: "conv2d", output: "[4, 4, 4]", parameters: 40 });
    assert.deepEqual(model.summary()[7], { layer: 7, kind: "batch-norm", output: "[5]", parameters: 10 });
    assert.deepEqual(model.layers.map((l) => l.needsInputGradient), [false, true, true, true, true, true, true, true, true, true]);
    model.dispose();
    const snn = createModel({ input: [4], rng: createRng(1), layers: [dense(3), leakyLayer(), dense(2), leakyLayer()] });
    assert.equal(snn.steps, 25);
    assert.equal(snn.spiking, true);
    assert.equal(snn.layers[1]!.leaky!.steps, 25);
    snn.dispose();
  });

  it("createModel draws the same weights for the same seed and others for another seed", () => {
    const make = (seed: number) => createModel({ input: [5], rng: createRng(seed), layers: [dense(4, { init: "pytorch" }), relu(), dense(2, { init: { normal: 0.5 } })] });
    const a = make(3);
    const b = make(3);
    const c = make(4);
    for (let i = 0; i < a.variables.length; i++) {
      assert.deepEqual(Array.from(a.variables[i]!.dataSync()), Array.from(b.variables[i]!.dataSync()));
    }
    assert.notDeepEqual(Array.from(a.weights[0]!.dataSync()), Array.from(c.weights[0]!.dataSync()));
    // pytorch: U(±1/√fan_in) for weights and biases; the others have zero biases.
    const bound = 1 / Math.sqrt(5);
    assert.ok(a.weights[0]!.dataSync().every((w) => Math.abs(w) <= bound));
    assert.ok(a.layers[0]!.b!.dataSync().some((v) => v !== 0));
    assert.ok(a.layers[2]!.b!.dataSync().every((v) => v === 0));
    for (const m of [a, b, c]) m.dispose();
  });

  it("createModel rejects bad stacks with one clear message before any tensor exists", () => {
    const rng = createRng(0);
    const before = tf.memory().numTensors;
    expectError(() => createModel({ input: [6, 6, 1], rng, layers: [conv2d(2, 3), dense(4)] }),
      'createModel: layers[1] must follow a layer with flat output (add flatten()) for dense(4), got "input shape [4, 4, 2]"');
    expectError(() => createModel({ input: [4, 4, 1], rng, layers: [conv2d(2, 5), flatten(), dense(2)] }),
      'createModel: layers[0] must fit a 5×5 kernel, got "input shape [4, 4, 1]"');
    expectError(() => createModel({ input: [3, 3, 1], rng, layers: [maxPool(4), flatten(), dense(2)] }),
      'createModel: layers[0] must fit a 4×4 window, got "input shape [3, 3, 1]"');
    expectError(() => createModel({ input: [10], rng, layers: [conv2d(2, 3)] }),
      'createModel: layers[0] must receive [height, width, channels] for conv2d, got "input shape [10]"');
    expectError(() => createModel({ input: [10], rng, layers: [relu()] }),
      'createModel: layers must contain at least one dense() or conv2d() layer, got Array(1)');
    expectError(() => createModel({ input: [], rng, layers: [dense(2)] }),
      "createModel: input must be a non-empty array of positive integers (the shape of one sample), got Array(0)");
    expectError(() => createModel({ input: [4], rng, layers: [dense(2)], feedback: "magic" as never }),
      'createModel: feedback must be one of "transpose", "fixed-random", "sign", "random-sign", "direct", got "magic"');
    expectError(() => createModel({ input: [4], rng: Math.random as never, layers: [dense(2)] }), /^createModel: rng must be/);
    expectError(() => createModel({ input: [4], rng, layers: [dense(2)], steps: 0 }), "createModel: steps must be an integer >= 1, got 0");
    expectError(() => leakyLayer({ steps: 10 } as never),
      'leakyLayer: options must not contain steps (the model\'s steps option sets T for every layer), got "steps"');
    expectError(() => dense(0), "dense: units must be an integer >= 1, got 0");
    expectError(() => conv2d(2, 3, { padding: "full" as never }), 'conv2d: padding must be one of "valid", "same", got "full"');
    expectError(() => batchNorm({ momentum: 1 }), "batchNorm: momentum must be < 1, got 1");
    expectError(() => dense(3, { init: "xavier" as never }), 'dense: init must be one of "glorot-uniform", "he-normal", "pytorch", got "xavier"');
    expectError(() => dense(3, { init: { uniform: -1 } }), "dense: init.uniform must be a finite number > 0, got -1");
    expectError(() => dense(3, { init: { laplace: 1 } as never }),
      'dense: init must be one of "glorot-uniform", "he-normal", "pytorch", {uniform: a} or {normal: sd}, got {"laplace":1}');
    assert.equal(tf.memory().numTensors, before, "no tensor was allocated");
  });

  it("model.forward(x, B) rejects an input of the wrong shape or a feedback it cannot give", () => {
    const rng = createRng(0);
    const model = createModel({ input: [4], steps: 5, rng, layers: [dense(3), leakyLayer(), dense(2), leakyLayer()] });
    expectError(() => model.forward(tf.zeros([2, 3]), 2), /^model\.forward: x must have samples of shape \[4\], got /);
    expectError(() => model.forward(tf.zeros([7, 4]), 2), /^model\.forward: x must have B = 2 or T·B = 10 rows, got /);
    expectError(() => model.forward(tf.zeros([2, 4]), 0), "model.forward: batch must be an integer >= 1, got 0");
    expectError(() => model.forward(tf.zeros([2, 4]), 2, { feedback: "direct" }),
      'model.forward: feedback must be "transpose" or the model\'s own method "transpose" (its fixed matrices are drawn at creation), got "direct"');
    expectError(() => model.forward(tf.zeros([2, 4]), 2, { feedback: "sign" }),
      'model.forward: feedback must be "transpose" or the model\'s own method "transpose" (its fixed matrices are drawn at creation), got "sign"');
    model.dispose();
    // Any model can run as backprop (the trainer's angle measurement does).
    const fa = createModel({ input: [4], steps: 5, rng, layers: [dense(3), leakyLayer(), dense(2), leakyLayer()], feedback: "fixed-random" });
    assert.deepEqual(fa.forward(tf.zeros([2, 4]), 2, { feedback: "transpose" }).output.shape, [10, 2]);
    expectError(() => fa.forward(tf.zeros([2, 4]), 2, { feedback: "direct" }),
      'model.forward: feedback must be "transpose" or the model\'s own method "fixed-random" (its fixed matrices are drawn at creation), got "direct"');
    fa.dispose();
  });

  it("model.forward(x, B) of an ANN equals the layers written out with tf ops", () => {
    const model = createModel({
      input: [5], rng: createRng(2),
      layers: [dense(4), relu(), dense(4), sigmoidActivation(), dense(3), tanh(), identity(), dense(2)],
    });
    const x = tf.tensor2d(uniform(3, 6 * 5, -1, 1), [6, 5]);
    const out = model.forward(x, 6);
    assert.equal(out.steps, 1);
    assert.equal(out.membrane, undefined);
    assert.deepEqual(out.spikes, []);
    const [l0, , l2, , l4, , , l7] = model.layers;
    let h: tf.Tensor = tf.relu(tf.add(tf.matMul(x, l0!.W! as tf.Tensor2D), l0!.b!));
    h = tf.sigmoid(tf.add(tf.matMul(h as tf.Tensor2D, l2!.W! as tf.Tensor2D), l2!.b!));
    h = tf.tanh(tf.add(tf.matMul(h as tf.Tensor2D, l4!.W! as tf.Tensor2D), l4!.b!));
    h = tf.add(tf.matMul(h as tf.Tensor2D, l7!.W! as tf.Tensor2D), l7!.b!);
    // The same ops on the same backend: identical.
    assert.deepEqual(Array.from(out.output.dataSync()), Array.from(h.dataSync()));
    model.dispose();
  });

  it("model.forward(x, B) of an SNN equals stepping the whole network through time, layer by layer per step", () => {
    const T = 12;
    const B = 3;
    const model = createModel({
      input: [6], steps: T, rng: createRng(5),
      layers: [dense(10, { init: { uniform: 0.8 } }), leakyLayer({ beta: 0.9 }), dense(4, { init: { uniform: 0.8 } }), leakyLayer({ beta: 0.8, reset: "zero" })],
    });
    const x = tf.tensor2d(uniform(6, T * B * 6, 0, 1), [T * B, 6]);
    const out = model.forward(x, B);
    assert.equal(out.steps, T);
    assert.equal(out.spikes.length, 2);
    assert.deepEqual(out.output.shape, [T * B, 4]);
    const [l0, l1, l2, l3] = model.layers;
    const s1 = spikeFn(l1!.leaky!.surrogate);
    const s3 = spikeFn(l3!.leaky!.surrogate);
    let v1 = { v: tf.zeros([B, 10]) };
    let v3 = { v: tf.zeros([B, 4]) };
    const hidden: tf.Tensor[] = [];
    const spikes: tf.Tensor[] = [];
    const membrane: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = tf.slice(x, [t * B, 0], [B, 6]) as tf.Tensor2D;
      const a = leakyLayerStep(tf.add(tf.matMul(xt, l0!.W! as tf.Tensor2D), l0!.b!), v1, l1!.leaky!, s1);
      v1 = a.state;
      hidden.push(a.spikes);
      const i3 = tf.add(tf.matMul(a.spikes as tf.Tensor2D, l2!.W! as tf.Tensor2D), l2!.b!);
      membrane.push(tf.add(tf.mul(v3.v, l3!.leaky!.beta), i3));
      const b = leakyLayerStep(i3, v3, l3!.leaky!, s3);
      v3 = b.state;
      spikes.push(b.spikes);
    }
    assert.deepEqual(Array.from(out.spikes[0]!.dataSync()), Array.from(tf.concat(hidden, 0).dataSync()), "hidden spikes");
    assert.deepEqual(Array.from(out.output.dataSync()), Array.from(tf.concat(spikes, 0).dataSync()), "output spikes");
    assert.ok(out.spikes[0]!.sum().dataSync()[0]! > 0 && out.output.sum().dataSync()[0]! > 0, "both layers spike");
    const u = out.membrane!.dataSync();
    // The scan's float64 recursion vs tf's float32 ops: ≤ 3 roundings per step, damped by β.
    expectAllClose(tf.concat(membrane, 0).dataSync(), u, { rtol: 0, atol: (3 * maxAbs(u) * EPS32) / (2 * (1 - 0.8)) });
    model.dispose();
  });

  it("model.forward of a static input given once as [B, …] equals it repeated as [T·B, …]", () => {
    const T = 6;
    const B = 2;
    const model = createModel({
      input: [5, 5, 1], steps: T, rng: createRng(7),
      layers: [conv2d(3, 3, { init: { uniform: 1 } }), leakyLayer(), avgPool(3), flatten(), dense(2), leakyLayer({ spiking: false })],
    });
    const once = uniform(8, B * 25, 0, 1);
    const repeated = new Float32Array(T * B * 25);
    for (let t = 0; t < T; t++) repeated.set(once, t * B * 25);
    const a = model.forward(tf.tensor4d(once, [B, 5, 5, 1]), B);
    const b = model.forward(tf.tensor4d(repeated, [T * B, 5, 5, 1]), B);
    assert.deepEqual(a.output.shape, [T * B, 2]);
    assert.deepEqual(Array.from(a.spikes[0]!.dataSync()), Array.from(b.spikes[0]!.dataSync()));
    assert.deepEqual(Array.from(a.output.dataSync()), Array.from(b.output.dataSync()));
    // A non-spiking last layer outputs its membrane.
    assert.deepEqual(Array.from(a.output.dataSync()), Array.from(a.membrane!.dataSync()));
    model.dispose();
  });

  it("createModel draws fixed feedback matrices for FA methods and DFA matrices [classes, features] after the first weighted layer", () => {
    const layers = [dense(6), relu(), dense(5), relu(), dense(3)];
    const fa = createModel({ input: [4], rng: createRng(1), layers, feedback: "fixed-random" });
    assert.deepEqual(fa.layers.filter((l) => l.W).map((l) => l.fixedFeedback!.shape), [[4, 6], [6, 5], [5, 3]]);
    const dfa = createModel({ input: [4], rng: createRng(1), layers, feedback: "direct" });
    assert.deepEqual(dfa.layers.map((l) => l.directFeedback?.shape), [undefined, undefined, [3, 6], undefined, [3, 5]]);
    const bp = createModel({ input: [4], rng: createRng(1), layers });
    assert.ok(bp.layers.every((l) => l.fixedFeedback === undefined && l.directFeedback === undefined));
    // The forward weights do not depend on the feedback method's draws coming first or not.
    assert.deepEqual(Array.from(fa.weights[0]!.dataSync()), Array.from(bp.weights[0]!.dataSync()));
    for (const m of [fa, dfa, bp]) m.dispose();
  });

  it("model.forward with batchNorm uses batch statistics in training and running statistics otherwise", () => {
    const model = createModel({ input: [3], rng: createRng(2), layers: [dense(4), batchNorm({ momentum: 0.5, epsilon: 1e-3 }), dense(2)] });
    const x = tf.tensor2d(uniform(9, 8 * 3, -2, 2), [8, 3]);
    const bn = model.layers[1]!;
    const a = tf.add(tf.matMul(x, model.layers[0]!.W! as tf.Tensor2D), model.layers[0]!.b!);
    const { mean, variance } = tf.moments(a, [0]);
    // Evaluation: running statistics 0 and 1, so the layer is a/√(1 + ε).
    const evalOut = model.forward(x, 8).output.dataSync();
    const evalRef = tf.add(tf.matMul(tf.div(a, Math.sqrt(1 + 1e-3)) as tf.Tensor2D, model.layers[2]!.W! as tf.Tensor2D), model.layers[2]!.b!).dataSync();
    expectAllClose(evalOut, evalRef, { rtol: 0, atol: 64 * EPS32 * maxAbs(evalRef) });
    model.forward(x, 8, { training: true, updateStats: false });
    assert.deepEqual(Array.from(bn.runningMean!.dataSync()), [0, 0, 0, 0], "updateStats: false keeps them");
    model.forward(x, 8, { training: true });
    expectAllClose(bn.runningMean!.dataSync(), tf.mul(mean, 0.5).dataSync(), { rtol: 4 * EPS32, atol: 0 });
    expectAllClose(bn.runningVar!.dataSync(), tf.add(tf.mul(variance, 0.5), 0.5).dataSync(), { rtol: 4 * EPS32, atol: 0 });
    model.dispose();
  });
  it("createModel: a hidden non-spiking leaky layer passes gradients to the layers before it", () => {
    const model = createModel({ input: [3], steps: 4, rng: createRng(11), layers: [dense(4), leakyLayer({ spiking: false }), dense(2)] });
    const x = tf.tensor2d(uniform(12, 6, 0, 1), [2, 3]);
    const { grads } = tf.variableGrads(() => tf.sum(model.forward(x, 2).output) as tf.Scalar, model.variables as tf.Variable[]);
    const g0 = grads[model.weights[0]!.name];
    assert.ok(g0 !== undefined && maxAbs(g0.dataSync()) > 0, "W0 receives a gradient");
    model.dispose();
  });
});
