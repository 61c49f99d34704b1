import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { spikeFn } from "../../src/surrogate/spike-fn";
import { atan, customSurrogate, fastSigmoid, surrogate, surrogateNames, triangle } from "../../src/surrogate/surrogate";
import { initBackend } from "../../src/training/backend";
import { expectError } from "../helpers/close";

describe("spikeFn", () => {
  before(async () => {
    await initBackend();
  });

  it("spikeFn(s)(x) is the strict Heaviside step: 1 where x > 0, 0 at x = 0 and below", () => {
    const spike = spikeFn(fastSigmoid({ slope: 25 }));
    const x = tf.tensor1d([-0.2, 0, -0, 1e-30, 0.3, -5, 5]);
    assert.deepEqual(Array.from(spike(x).dataSync()), [0, 0, 0, 1, 1, 0, 1]);
    assert.equal(spike(x).dtype, "float32");
    const m = tf.tensor2d([[0, 2], [-1, 0.5]]);
    const y = spike(m);
    assert.deepEqual(y.shape, [2, 2]);
    assert.deepEqual(Array.from(y.dataSync()), [0, 1, 0, 1]);
  });

  it("spikeFn(customSurrogate(…)) backpropagates dy·σ′(x) with the given σ′, and the true derivative gives 0", () => {
    const x = tf.tensor1d([-1, -0.25, 0, 0.25, 1]);
    const dy = tf.tensor1d([1, 2, 3, 4, 5]);
    const tent = customSurrogate({ name: "tent", smooth: (v) => Math.min(1, Math.max(0, v + 0.5)), derivative: (v) => (Math.abs(v) < 0.5 ? 1 : 0) });
    assert.deepEqual(Array.from(tf.grad((v: tf.Tensor) => spikeFn(tent)(v))(x, dy).dataSync()), [0, 2, 3, 4, 0]);
    const exact = customSurrogate({ name: "true derivative", smooth: (v) => (v > 0 ? 1 : 0), derivative: () => 0 });
    assert.deepEqual(Array.from(tf.grad((v: tf.Tensor) => spikeFn(exact)(v))(x, dy).dataSync()), [0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(spikeFn(exact)(x).dataSync()), [0, 0, 0, 1, 1]);
  });

  it("tf.grad(spikeFn(s))(x, dy) is dy·σ′(x) element by element, for every family", () => {
    const rng = createRng(11);
    const n = 64;
    const xs = new Float32Array(n);
    const dys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = rng.uniform(-2, 2);
      dys[i] = rng.uniform(-3, 3);
    }
    xs[0] = 0;
    const x = tf.tensor1d(xs);
    const dy = tf.tensor1d(dys);
    for (const name of surrogateNames) {
      const spike = spikeFn(name);
      const g = tf.grad((v: tf.Tensor) => spike(v))(x, dy).dataSync();
      const derivative = surrogate(name).derivative;
      for (let i = 0; i < n; i++) {
        // One float32 product of the float32-rounded σ′ and dy: exact equality.
        const expected = Math.fround(dys[i]! * Math.fround(derivative(xs[i]!)));
        assert.equal(g[i], expected, `${name}: element ${i} (x = ${xs[i]})`);
      }
    }
  });

  it("spikeFn(name) and spikeFn(surrogate) agree, and a bad surrogate is rejected", () => {
    const x = tf.tensor1d([-0.4, 0.1, 0.9]);
    const a = tf.grad((v: tf.Tensor) => spikeFn("atan")(v).sum())(x).dataSync();
    const b = tf.grad((v: tf.Tensor) => spikeFn(atan({ alpha: 2 }))(v).sum())(x).dataSync();
    assert.deepEqual(Array.from(a), Array.from(b));
    const t = tf.grad((v: tf.Tensor) => spikeFn(triangle({ width: 0.5 }))(v).sum())(x).dataSync();
    // σ′ = max(0, 1 − |x|/w)/w = 2·(1 − 2|x|) at the float32 inputs: 0.4, 1.6, 0.
    assert.deepEqual(Array.from(t), [-0.4, 0.1, 0.9].map((v) => Math.fround(Math.max(0, 2 * (1 - 2 * Math.abs(Math.fround(v)))))));
    expectError(() => spikeFn("nope" as never),
      'spikeFn: surrogate must be one of "fast-sigmoid", "atan", "sigmoid", "triangle", "boxcar", "straight-through", got "nope"');
  });
});
