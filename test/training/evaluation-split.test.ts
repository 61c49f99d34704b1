/**
 * Every engine's evaluate records the split it saw (the reproduction protocol's evaluation log).
 */
import assert from "node:assert/strict";
import { before, beforeEach, describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { clearEvaluationLog, evaluationLog, testSetReuse } from "../../src/datasets/evaluation-log";
import { holdOut } from "../../src/datasets/hold-out";
import { loadMnist } from "../../src/datasets/mnist";
import { take } from "../../src/datasets/take";
import { dense, relu } from "../../src/layers/layer-specs";
import { createModel } from "../../src/layers/model";
import { initBackend } from "../../src/training/backend";
import { createTrainer } from "../../src/training/bptt";
import { erbpNetwork } from "../../src/training/erbp";
import { herdingMlp } from "../../src/training/herding";

describe("evaluation log of the engines", () => {
  const { train, validation } = holdOut(take(loadMnist({ split: "train" }), 0, 300), { count: 100 });
  const test = take(loadMnist({ split: "test" }), 0, 50);
  before(async () => { await initBackend(); });
  beforeEach(() => clearEvaluationLog());

  it("trainer.evaluate records validation and test evaluations with the samples trained so far", () => {
    const model = createModel({ input: [784], rng: createRng(1), layers: [dense(16), relu(), dense(10)] });
    const trainer = createTrainer(model, { optimizer: "sgd", learningRate: 0.1, rng: createRng(2) });
    trainer.train(train, { start: 0, count: 200 });
    trainer.evaluate(validation);
    trainer.evaluate(test, { start: 0, count: 25 });
    trainer.evaluate(test, { start: 25, count: 25 });
    assert.deepEqual(evaluationLog().map((e) => [e.by, e.split, e.trained, e.start, e.count]), [
      ["trainer.evaluate", "validation", 200, 0, 100], ["trainer.evaluate", "test", 200, 0, 25], ["trainer.evaluate", "test", 200, 25, 25],
    ]);
    assert.deepEqual(testSetReuse(evaluationLog()), []);
    trainer.train(train, { start: 200, count: 10 });
    trainer.evaluate(test, { start: 0, count: 10 });
    assert.equal(testSetReuse(evaluationLog()).length, 1, "a second test evaluation after more training is a breach");
  });

  it("herdingMlp.evaluate and erbpNetwork.evaluate record their splits too", () => {
    const herd = herdingMlp({ sizes: [784, 8, 10], steps: 2, rng: createRng(3) });
    herd.train(train, { start: 0, count: 5 });
    herd.evaluate(validation, { start: 0, count: 5 });
    const erbp = erbpNetwork({ sizes: [784, 8, 10], steps: 5, rng: createRng(4) });
    erbp.evaluate(test, { start: 0, count: 2 });
    assert.deepEqual(evaluationLog().map((e) => [e.by, e.split, e.trained]), [
      ["herdingMlp.evaluate", "validation", 5], ["erbpNetwork.evaluate", "test", 0],
    ]);
  });
});
