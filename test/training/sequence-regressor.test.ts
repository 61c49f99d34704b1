import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { addingProblem } from "../../src/datasets/adding-problem";
import { regressionSequences } from "../../src/datasets/regression-sequences";
import { fit } from "../../src/learning/fit";
import { sequenceRegressor } from "../../src/training/sequence-regressor";
import { initBackend } from "../../src/training/backend";
import { expectError } from "../helpers/close";

describe("sequenceRegressor", () => {
  before(async () => {
    await initBackend();
  });

  it("trains through fit: the LSTM beats the predict-the-mean baseline on a short adding problem", async () => {
    const train = addingProblem({ count: 2048, steps: 10, rng: createRng(1), split: "train" });
    const validation = addingProblem({ count: 256, steps: 10, rng: createRng(2), split: "validation" });
    const net = sequenceRegressor({ cell: "lstm", inputSize: 2, hidden: 8, learningRate: 0.01, rng: createRng(3) });
    const before = net.evaluate(validation, { start: 0, count: validation.count }).loss;
    const run = await fit(net, train, { epochs: 4, validation });
    const after = net.evaluate(validation, { start: 0, count: validation.count }).loss;
    assert.equal(run.history.length, 4);
    assert.ok(after < 0.05 && after < before / 3, `validation MSE ${before} → ${after}`);
  });

  it("records per-lag gradient norms every gradientsEvery batches, and clips the global norm", () => {
    const data = addingProblem({ count: 64, steps: 12, rng: createRng(4) });
    const net = sequenceRegressor({ cell: "rnn", inputSize: 2, hidden: 6, batchSize: 16, clipNorm: 1e-3, gradientsEvery: 2, recordEvery: 2, rng: createRng(5) });
    net.learn(data, { count: 64 });
    assert.equal(net.steps, 4);
    assert.deepEqual([...new Set(net.gradients.map((g) => g.step))], [2, 4]);
    assert.equal(net.gradients.filter((g) => g.step === 2).length, 12);
    assert.deepEqual(net.gradients.filter((g) => g.step === 2).map((g) => g.lag), Array.from({ length: 12 }, (_, k) => k));
    assert.ok(net.history.every((h) => h.clipped === 1 && h.gradientNorm > 1e-3));
    const rows = net.gradientNorms(data, { start: 0, count: 8 });
    assert.equal(rows.length, 12);
    assert.ok(rows.every((r) => Number.isNaN(r.cell) && r.hidden >= 0));
  });

  it("a snapshot resumes bit for bit", () => {
    const data = addingProblem({ count: 96, steps: 8, rng: createRng(6) });
    const make = () => sequenceRegressor({ cell: "gru", inputSize: 2, hidden: 5, batchSize: 16, learningRate: 0.01, gradientsEvery: 3, rng: createRng(7) });
    const a = make();
    a.learn(data, { count: 48 });
    const snap = a.snapshot();
    a.learn(data, { count: 96 });
    const b = make();
    b.restore(snap);
    b.learn(data, { count: 96 });
    assert.deepEqual(Array.from(b.snapshot().tensors.U!.data), Array.from(a.snapshot().tensors.U!.data));
    assert.deepEqual(b.gradients, a.gradients);
    assert.equal(b.samplesSeen, a.samplesSeen);
  });

  it("the LSTM's cell states over time are readable (the carousel as a recorded state)", () => {
    const data = addingProblem({ count: 2, steps: 9, rng: createRng(8) });
    const net = sequenceRegressor({ cell: "lstm", inputSize: 2, hidden: 4, rng: createRng(9) });
    const s = net.states(data, 1);
    assert.equal(s.h.length, 9 * 4);
    assert.equal(s.c!.length, 9 * 4);
    assert.equal(net.states(data, 0).steps, 9);
  });

  it("bad input: wrong feature size, wrong target size, bad options — one clear error each", () => {
    const net = sequenceRegressor({ cell: "lstm", inputSize: 3, hidden: 4, rng: createRng(1) });
    const twoFeatures = addingProblem({ count: 4, steps: 5, rng: createRng(2) });
    expectError(() => net.learn(twoFeatures, { count: 4 }), 'sequenceRegressor.learn: data must have 3 features per step (the layer\'s inputSize), got "2 features"');
    const wide = regressionSequences({ inputs: [[[1, 2, 3]]], targets: [[1, 2]] });
    expectError(() => net.evaluate(wide, { start: 0, count: 1 }), 'sequenceRegressor.evaluate: data must have targets of size 1 (outputSize), got "size 2"');
    expectError(() => sequenceRegressor({ cell: "elman" as never, inputSize: 2, hidden: 4, rng: createRng(1) }), /^sequenceRegressor: cell must be one of/);
    expectError(() => sequenceRegressor({ cell: "rnn", inputSize: 2, hidden: 4, rng: createRng(1), clipNorm: -1 }), /^sequenceRegressor: clipNorm must be/);
    expectError(() => sequenceRegressor({ cell: "rnn", inputSize: 2, hidden: 4, rng: createRng(1), lr: 1 } as never), /^sequenceRegressor: options must have only the keys/);
  });
});
