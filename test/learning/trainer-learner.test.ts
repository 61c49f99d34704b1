import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { batchNorm, dense, leakyLayer, relu } from "../../src/layers/layer-specs";
import { createModel, type Model } from "../../src/layers/model";
import { fit } from "../../src/learning/fit";
import { learningRateAt } from "../../src/learning/schedule";
import { decodeSnapshot, encodeSnapshot } from "../../src/learning/snapshot";
import { initBackend } from "../../src/training/backend";
import { createTrainer, type OptimizerName, type Trainer } from "../../src/training/bptt";
import type { FeedbackMethod } from "../../src/training/feedback-alignment";
import { expectError } from "../helpers/close";
import { twoClassTask } from "./tasks";

const train = twoClassTask(6, 24, 7, "train");
const validation = twoClassTask(6, 8, 8, "validation");
/** A 6-8-2 ANN with batch norm (running statistics are state too). */
const ann = (seed: number) => createModel({ input: [6], rng: createRng(seed), layers: [dense(8), batchNorm(), relu(), dense(2)] });
/** A 6-8-2 SNN of leaky layers, Poisson input (the encoding generator is state), with feedback `feedback`. */
const snn = (seed: number, feedback: FeedbackMethod = "transpose") =>
  createModel({ input: [6], steps: 4, feedback, rng: createRng(seed), layers: [dense(8, { init: "pytorch" }), leakyLayer(), dense(2, { init: "pytorch" }), leakyLayer()] });
const bytes = (t: Trainer) => encodeSnapshot(t.snapshot());

describe("createTrainer as a learner", () => {
  before(async () => {
    await initBackend();
  });

  it("fit(trainer, train, {samples, schedule}) is bit-identical to trainer.train over the same batches with the same rates", async () => {
    const schedule = { kind: "exponential", from: 0.05, to: 0.005 } as const;
    const make = () => createTrainer(snn(1), { optimizer: "adam", batchSize: 4, encoding: "poisson", recordEvery: 2, rng: createRng(2) });
    const a = make();
    await fit(a, train, { samples: 48, chunk: 8, schedule });
    const b = make();
    for (let start = 0; start < 48; start += 8) b.train(train, { start, count: 8, learningRate: learningRateAt(schedule, start, { epochSize: 24, total: 48 }) });
    assert.deepEqual(bytes(a), bytes(b));
    assert.equal(a.samplesSeen, 48);
    assert.deepEqual(a.history, b.history);
    for (const t of [a, b]) t.model.dispose();
  });

  it("fit(trainer, train, {chunk}) cuts chunks from each epoch's start, so batches are those of one long train call even when N is not a multiple of chunk", async () => {
    const odd = twoClassTask(6, 22, 11, "train"); // 22 = 5 batches of 4 and one of 2 per epoch
    const make = () => createTrainer(ann(4), { optimizer: "momentum", learningRate: 0.05, batchSize: 4, recordEvery: 1, rng: createRng(5) });
    const a = make();
    await fit(a, odd, { samples: 66, chunk: 8 });
    const b = make();
    b.train(odd, { start: 0, count: 66 });
    assert.deepEqual(bytes(a), bytes(b));
    assert.equal(a.steps, 18);
    for (const t of [a, b]) t.model.dispose();
  });

  for (const optimizer of ["sgd", "momentum", "adam", "rmsprop"] as OptimizerName[]) {
    it(`trainer (${optimizer}): stopped, snapshot → bytes → restore into a fresh trainer of another seed, resumed = never stopped`, async () => {
      const options = { epochs: 3, chunk: 4, validation, schedule: { kind: "step", from: 0.02, factor: 0.5 } } as const;
      const make = (seed: number) => createTrainer(ann(seed), { optimizer, learningRate: 0.02, batchSize: 4, recordEvery: 2, rng: createRng(seed + 100) });
      const whole = make(3);
      await fit(whole, train, options);
      const first = make(3);
      const stop = await fit(first, train, { ...options, shouldStop: () => first.samplesSeen >= 36 });
      assert.equal(stop.stopped, true);
      assert.equal(first.samplesSeen, 36);
      const fresh = make(50); // other weights, statistics, epoch order and generators
      fresh.restore(decodeSnapshot(encodeSnapshot(first.snapshot())));
      assert.deepEqual(bytes(fresh), bytes(first));
      await fit(fresh, train, options);
      assert.deepEqual(bytes(fresh), bytes(whole), "variables, statistics, optimiser slots, generators, counters and histories");
      for (const t of [whole, first, fresh]) t.model.dispose();
    });
  }

  it("trainer (SNN, Poisson input, fixed-random feedback): resumed from a snapshot = never stopped; a model with other feedback is refused", async () => {
    const make = (seed: number, model: Model = snn(9, "fixed-random")) => createTrainer(model, { optimizer: "adam", batchSize: 4, encoding: "poisson", recordEvery: 1, alignEvery: 2, rng: createRng(seed) });
    const options = { samples: 40, chunk: 4 };
    const whole = make(1);
    await fit(whole, train, options);
    const first = make(1);
    await fit(first, train, { ...options, shouldStop: () => first.samplesSeen >= 20 });
    const saved = decodeSnapshot(encodeSnapshot(first.snapshot()));
    const fresh = make(2);
    fresh.restore(saved);
    await fit(fresh, train, options);
    assert.deepEqual(bytes(fresh), bytes(whole));
    assert.deepEqual(fresh.layerAngles, whole.layerAngles);
    const other = make(1, snn(10, "fixed-random"));
    const before = bytes(other);
    expectError(() => other.restore(saved), /^trainer\.restore: snapshot\.tensors\["feedback\.layers\.0"\] must equal this model's fixed feedback \(build the model with the seed of the saved one\), got "other values"$/);
    expectError(() => other.restore(createTrainer(snn(9), { rng: createRng(1) }).snapshot()), /^trainer\.restore: snapshot\.config must match this learner's settings, got /);
    assert.deepEqual(bytes(other), before, "a refused snapshot changes nothing");
    const tensors = tf.memory().numTensors;
    fresh.restore(saved);
    assert.equal(tf.memory().numTensors, tensors, "restore allocates nothing new");
    for (const t of [whole, first, fresh, other]) t.model.dispose();
  });
});
