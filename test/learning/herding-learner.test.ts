import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { clearEvaluationLog, evaluationLog } from "../../src/datasets/evaluation-log";
import { fit } from "../../src/learning/fit";
import { learningRateAt } from "../../src/learning/schedule";
import { decodeSnapshot, encodeSnapshot } from "../../src/learning/snapshot";
import { herdingMlp, reluMlp, type MlpLearner, type HerdingMlpOptions } from "../../src/training/herding";
import { expectError } from "../helpers/close";
import { twoClassTask } from "./tasks";

const train = twoClassTask(12, 100, 1, "train");
const validation = twoClassTask(12, 40, 2, "validation");
const spiking = (seed: number, extra: Partial<HerdingMlpOptions> = {}) =>
  herdingMlp({ sizes: [12, 10, 8, 2], steps: 6, learningRate: 0.1, initScale: 0.3, update: "fractional", rng: createRng(seed), ...extra });
const relu = (seed: number) => reluMlp({ sizes: [12, 10, 2], learningRate: 0.05, initScale: 0.3, rng: createRng(seed) });
/** Everything a learner would carry on with: weights, residuals, position, as file bytes. */
const bytes = (net: MlpLearner) => encodeSnapshot(net.snapshot());

describe("herdingMlp and reluMlp as learners", () => {
  for (const [name, make] of [["herdingMlp", spiking], ["reluMlp", relu]] as const) {
    it(`fit(${name}, train, {samples}) is bit-identical to ${name}.train(train, {start: 0, count}) over the same positions`, async () => {
      const a = make(3);
      const run = await fit(a, train, { samples: 250, chunk: 64 });
      const b = make(3);
      b.train(train, { start: 0, count: 250 });
      assert.deepEqual(bytes(a), bytes(b));
      assert.equal(a.samplesSeen, 250);
      assert.deepEqual(run.history.map((r) => r.samples), [100, 200, 250]);
      assert.ok(run.history.every((r) => r.trainAccuracy >= 0 && r.trainAccuracy <= 1 && Number.isNaN(r.trainLoss)));
    });
  }

  it("fit(herdingMlp, train, {validation, evalEvery, schedule}) equals the hand-written loop of train and evaluate calls; evaluations are logged as validation", async () => {
    const schedule = { kind: "exponential", from: 0.2, to: 0.02 } as const;
    clearEvaluationLog();
    const a = spiking(4);
    const run = await fit(a, train, { samples: 240, chunk: 40, evalEvery: 80, validation, schedule });
    const b = spiking(4);
    const accuracies: number[] = [];
    for (let start = 0; start < 240; start += 40) {
      b.train(train, { start, count: 40, learningRate: learningRateAt(schedule, start, { epochSize: 100, total: 240 }) });
      if ((start + 40) % 80 === 0) accuracies.push(b.evaluate(validation, { start: 0, count: validation.count }).accuracy);
    }
    assert.deepEqual(bytes(a), bytes(b));
    assert.deepEqual(run.history.map((r) => r.validationAccuracy), accuracies);
    assert.deepEqual(run.history.map((r) => r.learningRate), [40, 120, 200].map((p) => learningRateAt(schedule, p, { epochSize: 100, total: 240 })));
    const log = evaluationLog().filter((e) => e.by === "herdingMlp.evaluate");
    assert.deepEqual(log.slice(0, 3).map((e) => [e.split, e.trained, e.count]), [["validation", 80, 40], ["validation", 160, 40], ["validation", 240, 40]]);
  });

  for (const [name, make] of [["herdingMlp", spiking], ["reluMlp", relu]] as const) {
    it(`${name}: stopped at half, snapshot → safetensors bytes → restore into a fresh network, then resumed, is bit-identical to a run that never stopped`, async () => {
      const options = { epochs: 3, chunk: 50, schedule: { kind: "step", from: 0.1, factor: 0.5 } } as const;
      const whole = make(5);
      await fit(whole, train, options);
      const first = make(5);
      const stop = await fit(first, train, { ...options, shouldStop: () => first.samplesSeen >= 150 });
      assert.equal(stop.stopped, true);
      assert.equal(first.samplesSeen, 150, "at a chunk boundary");
      assert.ok(first.evaluate(validation, { start: 0, count: 10 }).accuracy >= 0, "the stopped network is usable");
      const file = encodeSnapshot(first.snapshot());
      const fresh = make(99); // other initial weights: everything must come from the snapshot
      fresh.restore(decodeSnapshot(file));
      assert.equal(fresh.samplesSeen, 150);
      const rest = await fit(fresh, train, options);
      assert.equal(rest.stopped, false);
      assert.deepEqual(bytes(fresh), bytes(whole));
    });
  }

  it("herdingMlp.restore(snapshot) rejects a foreign or mismatched snapshot with one clear error and changes nothing", () => {
    const net = spiking(6);
    net.train(train, { start: 0, count: 30 });
    const before = bytes(net);
    expectError(() => net.restore(relu(1).snapshot()), /^herdingMlp\.restore: snapshot\.learner must be "herdingMlp" \(a snapshot of another learner cannot be restored here\), got "reluMlp"$/);
    expectError(() => net.restore(spiking(1, { sizes: [12, 10, 9, 2] }).snapshot()), /^herdingMlp\.restore: snapshot\.config must match this learner's settings, got sizes: \[12,10,8,2\] here, \[12,10,9,2\] in the snapshot$/);
    expectError(() => net.restore(spiking(1, { update: "sgd" }).snapshot()), /^herdingMlp\.restore: snapshot\.config must match this learner's settings, got update: "fractional" here, "sgd" in the snapshot$/);
    const good = spiking(1).snapshot();
    const { "backwardResidual.1": _dropped, ...fewer } = good.tensors;
    expectError(() => net.restore({ ...good, tensors: fewer }), /^herdingMlp\.restore: snapshot\.tensors\["backwardResidual\.1"\] must be a tensor of dtype F64 and shape \[8\], got undefined$/);
    expectError(() => net.restore(undefined as never), /^herdingMlp\.restore: snapshot must be a learner snapshot/);
    assert.deepEqual(bytes(net), before);
    expectError(() => net.learn(train, { count: -1 }), /^herdingMlp\.learn: count must be an integer >= 0, got -1$/);
    expectError(() => net.learn(train, { count: 5, learningRate: 0 }), /^herdingMlp\.learn: learningRate must be a finite number > 0, got 0$/);
    assert.equal(net.samplesSeen, 30);
  });
});
