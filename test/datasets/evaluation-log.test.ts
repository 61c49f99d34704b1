import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { clearEvaluationLog, evaluationLog, logEvaluation, testSetReuse } from "../../src/datasets/evaluation-log";
import { holdOut } from "../../src/datasets/hold-out";
import { makeImageDataset } from "../../src/datasets/image-dataset";
import { indexedDataset } from "./fixtures";

const train = indexedDataset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
const test = makeImageDataset({ ...train, split: "test" });

describe("evaluationLog", () => {
  beforeEach(() => clearEvaluationLog());

  it("logEvaluation(by, model, data, range) records the split the data carries, one model id per object", () => {
    const a = {};
    const b = {};
    const { validation } = holdOut(train, { count: 2 });
    logEvaluation("x.evaluate", a, validation, { start: 0, count: 2, trained: 5 });
    logEvaluation("x.evaluate", b, test, { start: 0, count: 10, trained: 7 });
    logEvaluation("x.evaluate", a, { name: "arrays" }, { start: 0, count: 1, trained: 5 });
    assert.deepEqual(evaluationLog().map((e) => [e.model, e.split, e.dataset, e.start, e.count, e.trained]), [
      [0, "validation", "synthetic", 0, 2, 5], [1, "test", "synthetic", 0, 10, 7], [0, "unknown", "arrays", 0, 1, 5],
    ]);
  });

  it("evaluationLog() is shared through globalThis, so every copy of the module sees one log", () => {
    logEvaluation("x.evaluate", {}, test, { start: 0, count: 1, trained: 0 });
    const shared = (globalThis as unknown as Record<symbol, { entries: unknown[] }>)[Symbol.for("snnlab.evaluationLog")];
    assert.equal(shared?.entries.length, 1);
  });

  it("testSetReuse(log) is empty when each model met the test set once, in any number of chunks", () => {
    const m = {};
    logEvaluation("x.evaluate", m, train, { start: 0, count: 10, trained: 10 });
    logEvaluation("x.evaluate", m, train, { start: 0, count: 10, trained: 20 });
    logEvaluation("x.evaluate", m, test, { start: 0, count: 5, trained: 20 });
    logEvaluation("x.evaluate", m, test, { start: 5, count: 5, trained: 20 });
    logEvaluation("x.evaluate", {}, test, { start: 0, count: 10, trained: 3 });
    assert.deepEqual(testSetReuse(evaluationLog()), []);
  });

  it("testSetReuse(log) names a model evaluated on test data at two stages of training", () => {
    const m = {};
    logEvaluation("trainer.evaluate", m, test, { start: 0, count: 10, trained: 10 });
    logEvaluation("trainer.evaluate", m, test, { start: 0, count: 10, trained: 20 });
    assert.deepEqual(testSetReuse(evaluationLog()), [
      "model 0 (trainer.evaluate) was evaluated on test data after 10, 20 training samples: the test set must be used once, at the end",
    ]);
  });

  it("testSetReuse(log) names a model evaluated twice on the same test samples", () => {
    const m = {};
    logEvaluation("trainer.evaluate", m, test, { start: 0, count: 6, trained: 10 });
    logEvaluation("trainer.evaluate", m, test, { start: 4, count: 6, trained: 10 });
    assert.deepEqual(testSetReuse(evaluationLog()), [
      "model 0 (trainer.evaluate) was evaluated twice on test samples from 4: the test set must be used once",
    ]);
  });
});
