import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { leakyLayerParams, leakyLayerStep, type LeakyLayerParams } from "../../src/layers/lif-layer";
import { recurrentLeakyScan } from "../../src/layers/recurrent-leaky";
import { spikeFn } from "../../src/surrogate/spike-fn";
import { initBackend } from "../../src/training/backend";
import { expectAllClose, expectError } from "../helpers/close";
import { uniform } from "../helpers/arrays";

/** The same layer as an explicit loop of leakyLayerStep with the spikes fed back through V (autodiff: the reference). */
function stepLoop(current: tf.Tensor, V: tf.Tensor, p: LeakyLayerParams, B: number) {
  const F = current.shape[1]!;
  const spike = spikeFn(p.surrogate);
  let state = { v: tf.zeros([B, F]) };
  let s = tf.zeros([B, F]);
  const out: tf.Tensor[] = [];
  for (let t = 0; t < p.steps; t++) {
    const I = current.shape[0] === B ? current : tf.slice(current, [t * B, 0], [B, F]);
    const step = leakyLayerStep(tf.add(I, tf.matMul(s, V)), state, p, spike);
    s = step.spikes;
    state = step.state;
    out.push(s);
  }
  return tf.concat(out, 0);
}

describe("recurrent leaky layer", () => {
  before(async () => {
    await initBackend();
  });

  const cases = [
    { reset: "subtract" as const, detachReset: true }, { reset: "subtract" as const, detachReset: false },
    { reset: "zero" as const, detachReset: true }, { reset: "zero" as const, detachReset: false }, { reset: "none" as const, detachReset: true },
  ];
  for (const c of cases) {
    for (const constant of [false, true]) {
      it(`reset ${c.reset}${c.detachReset ? " (detached)" : ""}, ${constant ? "constant" : "time-varying"} current: spikes and gradients equal the step-by-step loop`, () => {
        const B = 3, F = 5, T = 12;
        const p = leakyLayerParams({ beta: 0.8, threshold: 1, steps: T, ...c });
        const current = tf.tensor(uniform(1, (constant ? 1 : T) * B * F, -0.2, 1.2), [(constant ? 1 : T) * B, F]);
        const V = tf.tensor(uniform(2, F * F, -0.6, 0.6), [F, F]);
        const probe = tf.tensor(uniform(3, T * B * F, -1, 1), [T * B, F]);
        const fused = (x: tf.Tensor, W: tf.Tensor) => tf.sum(tf.mul(recurrentLeakyScan(x, W, p, B).spikes, probe));
        const ref = (x: tf.Tensor, W: tf.Tensor) => tf.sum(tf.mul(stepLoop(x, W, p, B), probe));
        const fusedSpikes = Array.from(recurrentLeakyScan(current, V, p, B).spikes.dataSync());
        assert.deepEqual(fusedSpikes, Array.from(stepLoop(current, V, p, B).dataSync()));
        const count = fusedSpikes.reduce((a, b) => a + b, 0);
        assert.ok(count > 0 && count < fusedSpikes.length, `${count} spikes: the case must exercise both branches`);
        const a = tf.grads(fused)([current, V]);
        const r = tf.grads(ref)([current, V]);
        expectAllClose(a[0]!.dataSync(), r[0]!.dataSync(), { rtol: 1e-4, atol: 1e-5, message: "∂L/∂I" });
        expectAllClose(a[1]!.dataSync(), r[1]!.dataSync(), { rtol: 1e-4, atol: 1e-5, message: "∂L/∂V" });
      });
    }
  }

  it("bad input: one clear error each", () => {
    const p = leakyLayerParams({ steps: 4 });
    expectError(() => recurrentLeakyScan(tf.zeros([8, 3]), tf.zeros([2, 2]), p, 2), 'recurrentLeakyScan: V must have shape [3, 3] (the layer\'s features), got "[2, 2]"');
    expectError(() => recurrentLeakyScan(tf.zeros([7, 3]), tf.zeros([3, 3]), p, 2), 'recurrentLeakyScan: current must have shape [B or T·B, F] with B = 2, T = 4, got "[7, 3]"');
    expectError(() => recurrentLeakyScan(tf.zeros([8, 3]), tf.zeros([3, 3]), leakyLayerParams({ steps: 4, spiking: false }), 2), "recurrentLeakyScan: p.spiking must be true (a recurrent layer feeds back spikes), got false");
  });
});
