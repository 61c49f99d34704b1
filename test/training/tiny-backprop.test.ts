import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { atan, fastSigmoid } from "../../src/surrogate/surrogate";
import {
  smoothActivation, softmax, spikeActivation, tinyActivations, tinyBackprop, tinyLoss, tinyNetwork, tinyNumericalGradient, tinyTrain,
} from "../../src/training/tiny-backprop";
import { expectAllClose, expectClose, expectError } from "../helpers/close";

const xorInputs = [0, 0, 0, 1, 1, 0, 1, 1];
const xorLabels = [0, 1, 1, 0];

describe("tiny-backprop", () => {
  it("softmax(a) lies in (0, 1), sums to 1 and matches e^{a_i}/Σ e^{a_j}", () => {
    const y = softmax([1, 2, 3]);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expectAllClose(y, [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z], { rtol: 1e-15 });
    expectClose(y.reduce((s, v) => s + v, 0), 1, { rtol: 1e-15 });
    // Stable for large inputs: the shift by the maximum keeps exp finite.
    expectAllClose(softmax([1000, 1000]), [0.5, 0.5], { rtol: 1e-15 });
  });

  it("tinyBackprop(net, x, labels) gives Eq. 2's gradients, equal to central finite differences", () => {
    const net = tinyNetwork({ inputs: 2, hidden: 3, outputs: 2 }, { rng: createRng(1) });
    for (const activation of [tinyActivations.sigmoid, tinyActivations.tanh, smoothActivation(atan({ alpha: 2 }))]) {
      const bp = tinyBackprop(net, xorInputs, xorLabels, { activation });
      const fd = tinyNumericalGradient(net, xorInputs, xorLabels, activation, { epsilon: 1e-5 });
      // Central differences: truncation O(ε²) ≈ 1e-10 and rounding ≈ 1e-16/ε ≈ 1e-11.
      expectAllClose(bp.gradW1, fd.gradW1, { atol: 1e-8 });
      expectAllClose(bp.gradW2, fd.gradW2, { atol: 1e-8 });
    }
  });

  it("tinyBackprop(net, x, labels) has output deltas y − t with one-hot t and softmax outputs summing to 1", () => {
    const net = tinyNetwork({ inputs: 2, hidden: 4, outputs: 3 }, { rng: createRng(2) });
    const bp = tinyBackprop(net, [0.5, -1], [2]);
    assert.deepEqual(Array.from(bp.target), [0, 0, 1]);
    expectAllClose(bp.deltaOut, Array.from(bp.y, (v, k) => v - bp.target[k]!), { rtol: 1e-15 });
    expectClose(bp.y.reduce((s, v) => s + v, 0), 1, { rtol: 1e-15 });
    expectClose(bp.loss, -Math.log(bp.y[2]!), { rtol: 1e-15 });
  });

  it("tinyBackprop with the step activation has zero hidden deltas and zero W¹ gradient", () => {
    const net = tinyNetwork({ inputs: 2, hidden: 5, outputs: 2 }, { rng: createRng(3) });
    const bp = tinyBackprop(net, xorInputs, xorLabels, { activation: tinyActivations.step });
    assert.ok(bp.deltaHidden.every((d) => d === 0));
    assert.ok(bp.gradW1.every((g) => g === 0));
    // The loss is piecewise constant in W¹: finite differences agree.
    assert.ok(tinyNumericalGradient(net, xorInputs, xorLabels, tinyActivations.step).gradW1.every((g) => g === 0));
    // A surrogate gives non-zero hidden deltas with the same forward pass.
    const sur = tinyBackprop(net, xorInputs, xorLabels, { activation: spikeActivation(fastSigmoid({ slope: 25 })) });
    assert.deepEqual(Array.from(sur.z), Array.from(bp.z));
    assert.ok(sur.gradW1.some((g) => g !== 0));
  });

  it("tinyBackprop with feedback B uses B in place of W² (weight transport)", () => {
    const net = tinyNetwork({ inputs: 2, hidden: 3, outputs: 2 }, { rng: createRng(4) });
    const same = tinyBackprop(net, xorInputs, xorLabels, { feedback: net.W2.slice() });
    assert.deepEqual(Array.from(same.gradW1), Array.from(tinyBackprop(net, xorInputs, xorLabels).gradW1));
    const B = new Float64Array(net.W2.length).fill(0);
    assert.ok(tinyBackprop(net, xorInputs, xorLabels, { feedback: B }).gradW1.every((g) => g === 0));
  });

  it("tinyTrain(net, xor) learns XOR with backprop and with fixed random feedback, and leaves net untouched", () => {
    const net = tinyNetwork({ inputs: 2, hidden: 8, outputs: 2 }, { rng: createRng(1) });
    const W1 = net.W1.slice();
    const bp = tinyTrain(net, xorInputs, xorLabels, { steps: 3000, learningRate: 1, recordEvery: 500 });
    assert.equal(bp.history.at(-1)!.accuracy, 1);
    const B = createRng(51).fillUniform(new Float64Array(16), -1, 1);
    const fa = tinyTrain(net, xorInputs, xorLabels, { steps: 3000, learningRate: 1, recordEvery: 500, feedback: B });
    assert.equal(fa.history.at(-1)!.accuracy, 1);
    assert.ok(fa.history.at(-1)!.angle < 90);
    assert.deepEqual(Array.from(net.W1), Array.from(W1));
  });

  it("tinyLoss and tinyBackprop reject bad batches with the standard message", () => {
    const net = tinyNetwork({ inputs: 2, hidden: 2, outputs: 2 }, { rng: createRng(5) });
    expectError(() => tinyBackprop(net, [1, 2, 3], [0]), /tinyBackprop: x must have a positive multiple of 2 values/);
    expectError(() => tinyLoss(net, [1, 2], [2]), /labels\[0\] must be an integer in \[0, 2\)/);
    expectError(() => softmax([]), /softmax: a must have at least one value/);
  });
});
