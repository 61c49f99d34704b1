import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clearInterrupt, requestInterrupt } from "../../kernel/interrupt";
import { progress } from "../../kernel/progress";
import { fit, type FitCheckpointInfo } from "../../src/learning/fit";
import { learningRateAt } from "../../src/learning/schedule";
import type { LearnerSnapshot } from "../../src/learning/snapshot";
import { expectError } from "../helpers/close";
import { scriptedLearner } from "./tasks";

const data = { count: 100 };

describe("learningRateAt", () => {
  it("learningRateAt(schedule, p, run) gives the documented rates: constant, exponential from → to, step every k epochs", () => {
    const run = { epochSize: 100, total: 400 };
    assert.equal(learningRateAt({ kind: "constant", rate: 0.3 }, 250, run), 0.3);
    const exp = { kind: "exponential", from: 0.1, to: 0.001 } as const;
    assert.equal(learningRateAt(exp, 0, run), 0.1);
    assert.equal(learningRateAt(exp, 200, run), 0.1 * Math.pow(0.01, 0.5)); // halfway: the geometric mean
    assert.equal(learningRateAt(exp, 400, run), 0.1 * Math.pow(0.01, 1));
    const step = { kind: "step", from: 1, factor: 0.5, every: 2 } as const;
    assert.deepEqual([0, 99, 100, 199, 200, 399].map((p) => learningRateAt(step, p, run)), [1, 1, 1, 1, 0.5, 0.5]);
    assert.equal(learningRateAt({ kind: "step", from: 1, factor: 0.5 }, 300, run), 0.125); // every epoch by default
    // The @example values.
    assert.equal(learningRateAt({ kind: "step", from: 1e-3, factor: 0.5, every: 2 }, 120000, { epochSize: 50000, total: 500000 }), 5e-4);
    assert.ok(Math.abs(learningRateAt({ kind: "exponential", from: 6e-3, to: 1.8e-4 }, 25000, { epochSize: 50000, total: 50000 }) - 1.0392e-3) < 1e-7);
  });

  it("learningRateAt rejects unknown kinds, stray keys and non-positive rates with the standard message", () => {
    const run = { epochSize: 10, total: 10 };
    expectError(() => learningRateAt({ kind: "cosine" } as never, 0, run), /^learningRateAt: schedule\.kind must be one of/);
    expectError(() => learningRateAt({ kind: "exponential", from: 0.1, to: 0.01, every: 2 } as never, 0, run), /^learningRateAt: schedule must have only the keys kind, from, to \(kind "exponential"\), got "every"$/);
    expectError(() => learningRateAt({ kind: "exponential", from: 0, to: 0.01 }, 0, run), /^learningRateAt: schedule\.from must be a finite number > 0, got 0$/);
    expectError(() => learningRateAt({ kind: "step", from: 1, factor: 0.5, every: 0 }, 0, run), /^learningRateAt: schedule\.every must be an integer/);
  });
});

describe("fit", () => {
  it("fit(learner, train, {epochs, chunk}) learns in chunks cut at multiples of chunk and at epoch ends, from samplesSeen to the end", async () => {
    const l = scriptedLearner();
    const run = await fit(l, data, { epochs: 2, chunk: 30 });
    assert.deepEqual(l.calls.map((c) => [c.start, c.count]), [[0, 30], [30, 30], [60, 30], [90, 10], [100, 20], [120, 30], [150, 30], [180, 20]]);
    assert.ok(l.calls.every((c) => c.learningRate === undefined), "no schedule: the learner's own rate");
    assert.equal(run.samplesSeen, 200);
    assert.equal(run.stopped, false);
    // One row per epoch, with every column; no validation: NaN.
    assert.deepEqual(run.history.map((r) => [r.epoch, r.samples, r.learningRate, r.trainLoss, r.trainAccuracy]), [[1, 100, 0.1, 2, 0.25], [2, 200, 0.1, 2, 0.25]]);
    assert.ok(run.history.every((r) => Number.isNaN(r.validationAccuracy) && r.seconds >= 0));
    const table = run.table();
    assert.equal(table.numRows(), 2);
    assert.deepEqual(table.columnNames(), ["epoch", "samples", "learningRate", "trainLoss", "trainAccuracy", "validationAccuracy", "seconds"]);
    // A second call with the same options has nothing left to do.
    const again = await fit(l, data, { epochs: 2, chunk: 30 });
    assert.equal(again.history.length, 0);
    assert.equal(l.calls.length, 8);
  });

  it("fit(learner, train, {chunk}) restarts the chunk grid at every epoch for a learner with batches", async () => {
    const l = scriptedLearner(undefined, 10);
    await fit(l, data, { epochs: 2, chunk: 30, evalEvery: 1000 });
    assert.deepEqual(l.calls.map((c) => [c.start, c.count]), [[0, 30], [30, 30], [60, 30], [90, 10], [100, 30], [130, 30], [160, 30], [190, 10]]);
  });

  it("fit(learner, train, {schedule}) passes each chunk the schedule's rate at its start, and the rows report it", async () => {
    const l = scriptedLearner();
    const run = await fit(l, data, { samples: 300, chunk: 50, schedule: { kind: "step", from: 0.4, factor: 0.5 } });
    assert.deepEqual(l.calls.map((c) => c.learningRate), [0.4, 0.4, 0.2, 0.2, 0.1, 0.1]);
    assert.deepEqual(run.history.map((r) => r.learningRate), [0.4, 0.2, 0.1]);
    const e = scriptedLearner();
    await fit(e, data, { samples: 200, chunk: 100, schedule: { kind: "exponential", from: 0.1, to: 0.001 } });
    assert.deepEqual(e.calls.map((c) => c.learningRate), [0.1, 0.1 * Math.pow(0.01, 0.5)]);
  });

  it("fit(learner, train, {validation, evalEvery, keepBest}) evaluates at every point and restores the best snapshot", async () => {
    const accuracy = [0.5, 0.9, 0.7, 0.8];
    const l = scriptedLearner((seen) => accuracy[seen / 50 - 1]!);
    const seen: number[] = [];
    const run = await fit(l, data, { samples: 200, validation: { count: 10 }, evalEvery: 50, keepBest: true, onEvaluate: (_e, at) => seen.push(at) });
    assert.deepEqual(run.history.map((r) => [r.samples, r.validationAccuracy]), [[50, 0.5], [100, 0.9], [150, 0.7], [200, 0.8]]);
    assert.deepEqual(seen, [50, 100, 150, 200]);
    assert.deepEqual(run.best, { samples: 100, validationAccuracy: 0.9 });
    assert.equal(l.samplesSeen, 100, "the learner is back at its best snapshot");
    assert.equal(run.samplesSeen, 100);
    assert.ok(Math.abs(l.sum - 100 * 0.1) < 1e-12);
  });

  it("fit(learner, train, {shouldStop}) stops at a chunk boundary with the learner intact; the same call continues the run", async () => {
    const l = scriptedLearner();
    const done: number[] = [];
    const run = await fit(l, data, { epochs: 3, chunk: 40, progress: (d, total) => done.push(d, total), shouldStop: () => l.samplesSeen >= 130 });
    assert.equal(run.stopped, true);
    assert.equal(l.samplesSeen, 160, "stopped after the chunk in which it was asked");
    assert.deepEqual(done, [40, 300, 80, 300, 100, 300, 120, 300, 160, 300]);
    const rest = await fit(l, data, { epochs: 3, chunk: 40 });
    assert.equal(rest.stopped, false);
    assert.deepEqual(l.calls.map((c) => c.start + c.count), [40, 80, 100, 120, 160, 200, 240, 280, 300]);
    assert.deepEqual(rest.history.map((r) => r.samples), [200, 300]);
  });

  it("fit(learner, train, {progress: bar.callback, shouldStop: bar.shouldStop}) drives the kernel's bar and stops at Kernel → Interrupt", async () => {
    const bar = progress(300, { label: "fit", unit: "samples" });
    const l = scriptedLearner();
    try {
      const run = await fit(l, data, {
        epochs: 3, chunk: 50, shouldStop: bar.shouldStop,
        progress: (done, total, info) => {
          bar.callback(done, total, info);
          if (done === 150) requestInterrupt(); // as the kernel's SIGINT handler does
        },
      });
      assert.equal(run.stopped, true);
      assert.equal(l.samplesSeen, 150);
      assert.equal(bar.done, 150);
    } finally {
      clearInterrupt();
    }
  });

  it("fit(learner, train, {checkpoint}) saves a snapshot every `every` samples and after the last chunk", async () => {
    const l = scriptedLearner();
    const saved: [LearnerSnapshot, FitCheckpointInfo][] = [];
    await fit(l, data, { samples: 250, chunk: 100, checkpoint: { every: 100, save: (s, info) => saved.push([s, info]) } });
    assert.deepEqual(saved.map(([s, info]) => [s.samplesSeen, info.samples, info.final]), [[100, 100, false], [200, 200, false], [250, 250, true]]);
    assert.equal(saved[1]![1].history.length, 2);
    const stopped: number[] = [];
    const m = scriptedLearner();
    await fit(m, data, { samples: 250, chunk: 30, checkpoint: { save: (s, info) => stopped.push(s.samplesSeen, Number(info.final)) }, shouldStop: () => m.samplesSeen >= 110 });
    assert.deepEqual(stopped, [100, 0, 120, 1], "each epoch, and where the run stopped");
  });

  it("fit(...) rejects a non-learner and bad options with the standard message, before any learning", async () => {
    const l = scriptedLearner(undefined, 32);
    const bad: [unknown, unknown, RegExp][] = [
      [{}, {}, /^fit: learner must be a Learner/],
      [l, { chunk: 50 }, /^fit: chunk must be a multiple of the learner's batch size \(32\), got 50$/],
      [l, { keepBest: true }, /^fit: keepBest must come with validation data/],
      [l, { epochs: 0 }, /^fit: epochs must be a finite number > 0, got 0$/],
      [l, { epoch: 2 }, /^fit: options must have only the keys epochs, samples/],
      [l, { schedule: { kind: "exponential", from: 1 } }, /^fit: schedule\.to must be a finite number > 0, got undefined$/],
      [l, { checkpoint: { every: 10 } }, /^fit: checkpoint must be \{ every\?, save\(snapshot, info\) \}/],
    ];
    for (const [learner, options, message] of bad) {
      await assert.rejects(fit(learner as never, data, options as never), (err: Error) => message.test(err.message) || assert.fail(err.message));
    }
    assert.equal(l.calls.length, 0);
  });
});
