import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { EPS32 } from "../../src/core/units";
import type { ForwardOutput } from "../../src/layers/model";
import { initBackend } from "../../src/training/backend";
import { lossDefaults, lossNames, lossOptions, lossValue, oneHot, readout, readoutNames } from "../../src/training/losses";
import { expectAllClose, expectClose, expectError } from "../helpers/close";

/** A forward output of T steps and B samples with C classes: output[t][b][c] and membrane[t][b][c]. */
function forwardOutput(output: number[][][], membrane?: number[][][]): ForwardOutput {
  const T = output.length;
  const B = output[0]!.length;
  const C = output[0]![0]!.length;
  return {
    output: tf.tensor(output.flat(2), [T * B, C]),
    membrane: membrane ? tf.tensor(membrane.flat(2), [T * B, C]) : undefined,
    steps: T,
    batch: B,
    spikes: [],
  };
}

/** log Σ_c e^{z_c}, in float64. */
function logSumExp(z: readonly number[]): number {
  const m = Math.max(...z);
  return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
}

// T = 3 steps, B = 2 samples, C = 3 classes.
const spikes = [
  [[1, 0, 1], [0, 0, 1]],
  [[1, 0, 0], [0, 1, 1]],
  [[1, 1, 0], [0, 0, 1]],
];
const membrane = [
  [[0.5, -0.25, 1.5], [0.125, 0.75, 0.5]],
  [[1.25, 0.5, 0.25], [-1, 1.5, 2]],
  [[2, 1.75, -0.5], [0.25, 0.5, 1]],
];

describe("losses", () => {
  before(async () => {
    await initBackend();
  });

  it("readout(out, kind) gives count, rate, output, membrane-last, -max and -mean of a hand-made output", () => {
    const out = forwardOutput(spikes, membrane);
    const r = (kind: (typeof readoutNames)[number]) => {
      const t = readout(out, kind);
      assert.deepEqual(t.shape, [2, 3], kind);
      return Array.from(t.dataSync());
    };
    assert.deepEqual(r("count"), [3, 1, 1, 0, 1, 3]);
    expectAllClose(r("rate"), [1, 1 / 3, 1 / 3, 0, 1 / 3, 1], { rtol: EPS32 });
    expectAllClose(r("output"), [1, 1 / 3, 1 / 3, 0, 1 / 3, 1], { rtol: EPS32 });
    assert.deepEqual(r("membrane-last"), [2, 1.75, -0.5, 0.25, 0.5, 1]);
    assert.deepEqual(r("membrane-max"), [2, 1.75, 1.5, 0.25, 1.5, 2]);
    expectAllClose(r("membrane-mean"), [3.75 / 3, 2 / 3, 1.25 / 3, -0.625 / 3, 2.75 / 3, 3.5 / 3], { rtol: EPS32 });
    // A one-step output is its own readout.
    const ann = forwardOutput([[[0.5, -2, 3], [1, 2, 4]]]);
    assert.deepEqual(Array.from(readout(ann, "output").dataSync()), [0.5, -2, 3, 1, 2, 4]);
    expectError(() => readout(forwardOutput(spikes), "membrane-last"),
      'readout: kind must be a membrane readout only for a model whose last layer is leaky, got "membrane-last"');
    expectError(() => readout(out, "sum" as never),
      'readout: kind must be one of "output", "count", "rate", "membrane-last", "membrane-max", "membrane-mean", got "sum"');
  });

  it("lossValue with cross-entropy is −log softmax(readout) at the label, averaged over the batch", () => {
    const out = forwardOutput(spikes, membrane);
    const labels = [0, 2];
    const counts = [[3, 1, 1], [0, 1, 3]];
    const expected = counts.reduce((s, z, b) => s + logSumExp(z) - z[labels[b]!]!, 0) / 2;
    const L = lossValue(out, labels, lossOptions("test", { loss: "cross-entropy", readout: "count" })).dataSync()[0]!;
    // log-softmax in float32 of values ≤ 3: a few roundings of EPS32 on terms ≤ 4.
    expectClose(L, expected, { rtol: 0, atol: 16 * 4 * EPS32 });
    // Uniform logits: log C.
    const flat = forwardOutput([[[2, 2, 2, 2]]]);
    expectClose(lossValue(flat, [3], lossOptions("test", { loss: "cross-entropy" })).dataSync()[0]!, Math.log(4), { rtol: 8 * EPS32 });
  });

  it("lossValue with cross-entropy-per-step is the sum over steps of each step's membrane cross-entropy", () => {
    const out = forwardOutput(spikes, membrane);
    const labels = [1, 2];
    let expected = 0;
    for (let t = 0; t < 3; t++) {
      for (let b = 0; b < 2; b++) expected += (logSumExp(membrane[t]![b]!) - membrane[t]![b]![labels[b]!]!) / 2;
    }
    const L = lossValue(out, labels, lossOptions("test", { loss: "cross-entropy-per-step" })).dataSync()[0]!;
    // Six log-softmax terms ≤ 3.5, a mean and a product by T: ≤ 64 roundings of EPS32 on 3·3.5.
    expectClose(L, expected, { rtol: 0, atol: 64 * EPS32 * 3 * 3.5 });
    expectError(() => lossValue(forwardOutput(spikes), labels, lossOptions("test", { loss: "cross-entropy-per-step" })),
      'lossValue: loss must be cross-entropy-per-step only for a model whose last layer is leaky, got "cross-entropy-per-step"');
  });

  it("lossValue with mse is ½Σ_c (r_c − t_c)² averaged over the batch, for labels or real targets", () => {
    const out = forwardOutput(spikes, membrane);
    // Labels: one-hot targets against the counts [3, 1, 1] and [0, 1, 3].
    const L = lossValue(out, [0, 2], lossOptions("test", { loss: "mse", readout: "count" })).dataSync()[0]!;
    assert.equal(L, (0.5 * ((3 - 1) ** 2 + 1 + 1) + 0.5 * (0 + 1 + (3 - 1) ** 2)) / 2);
    const targets = tf.tensor2d([[0.5, 0, 2], [1, 1, 1]]);
    const last = [[2, 1.75, -0.5], [0.25, 0.5, 1]];
    const tv = [[0.5, 0, 2], [1, 1, 1]];
    let expected = 0;
    for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) expected += (0.5 * (last[b]![c]! - tv[b]![c]!) ** 2) / 2;
    const Lt = lossValue(out, targets, lossOptions("test", { loss: "mse", readout: "membrane-last" })).dataSync()[0]!;
    expectClose(Lt, expected, { rtol: 8 * EPS32 });
    expectError(() => lossValue(out, targets, lossOptions("test", { loss: "cross-entropy" })),
      'lossValue: targets must be class labels for the cross-entropy loss, got "a tensor"');
    expectError(() => lossValue(out, tf.zeros([2, 4]) as tf.Tensor2D, lossOptions("test", { loss: "mse" })), /^lossValue: targets must have shape \[2, 3\], got /);
    expectError(() => lossValue(out, [0, 1, 2], lossOptions("test", {})), "lossValue: targets must have one label per sample (2), got 3");
  });

  it("lossValue with mse-count targets T·correctRate spikes for the label and T·incorrectRate for the others", () => {
    const out = forwardOutput(spikes, membrane);
    const o = lossOptions("test", { loss: "mse-count", correctRate: 1, incorrectRate: 0 });
    // Labels 0 and 2: targets [3, 0, 0] and [0, 0, 3]; counts [3, 1, 1] and [0, 1, 3].
    expectClose(lossValue(out, [0, 2], o).dataSync()[0]!, (0 + 1 + 1 + 0 + 1 + 0) / 6, { rtol: EPS32 });
    const o2 = lossOptions("test", { loss: "mse-count", correctRate: 0.8, incorrectRate: 0.2 });
    const target = (c: number, label: number) => 3 * (c === label ? 0.8 : 0.2);
    const counts = [[3, 1, 1], [0, 1, 3]];
    let expected = 0;
    for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) expected += (counts[b]![c]! - target(c, [1, 1][b]!)) ** 2 / 6;
    // Targets 0.6 and 2.4 rounded to float32: errors ≤ 8 EPS32 of squares ≤ 9.
    expectClose(lossValue(out, [1, 1], o2).dataSync()[0]!, expected, { rtol: 0, atol: 8 * EPS32 * 9 });
  });

  it("lossOptions(fn, options) validates names and rates; oneHot(labels, C) is one-hot", () => {
    assert.deepEqual([...lossNames], ["cross-entropy", "cross-entropy-per-step", "mse", "mse-count"]);
    assert.deepEqual({ ...lossDefaults }, { loss: "cross-entropy", readout: "output", correctRate: 0.8, incorrectRate: 0.2 });
    expectError(() => lossOptions("fit", { loss: "hinge" as never }),
      'fit: loss must be one of "cross-entropy", "cross-entropy-per-step", "mse", "mse-count", got "hinge"');
    expectError(() => lossOptions("fit", { correctRate: 1.5 }), "fit: correctRate must be a finite number in [0, 1], got 1.5");
    expectError(() => lossOptions("fit", { margin: 1 } as never), 'fit: options must have only the keys loss, readout, correctRate, incorrectRate, got "margin"');
    assert.deepEqual(Array.from(oneHot([2, 0], 3).dataSync()), [0, 0, 1, 1, 0, 0]);
  });

  it("tf.grad of lossValue with cross-entropy is (softmax(r) − onehot)/B", () => {
    const logits = [[0.5, -1, 2], [1, 1, 0]];
    const labels = [2, 0];
    const g = tf.grad((r: tf.Tensor) => lossValue({ output: r, steps: 1, batch: 2, spikes: [] }, labels, lossOptions("test", {})))(tf.tensor2d(logits)).dataSync();
    const expected: number[] = [];
    for (let b = 0; b < 2; b++) {
      const lse = logSumExp(logits[b]!);
      for (let c = 0; c < 3; c++) expected.push((Math.exp(logits[b]![c]! - lse) - (labels[b] === c ? 1 : 0)) / 2);
    }
    expectAllClose(g, expected, { rtol: 0, atol: 16 * EPS32 });
  });
});
