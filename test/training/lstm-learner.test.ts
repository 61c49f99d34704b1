import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { embeddedReberTask, parityTask } from "../../src/datasets/sequence-tasks";
import { lstmReference } from "../../src/models/spiking-lstm";
import { initBackend } from "../../src/training/backend";
import { lstmLearner } from "../../src/training/lstm-learner";
import { expectError } from "../helpers/close";

describe("lstmLearner (tf.layers.lstm)", () => {
  before(async () => {
    await initBackend();
  });

  it("its weights, read in the gate order i, f, c, o, give the float64 LSTM the tf model's outputs", () => {
    const data = embeddedReberTask({ count: 12, maxLength: 20, rng: createRng(4) });
    const ann = lstmLearner({ inputSize: 7, hiddenSize: 6, outputs: 7, kind: "steps", batchSize: 4, learningRate: 0.05, rng: createRng(2) });
    ann.learn(data, { count: 8 });                      // two updates, so that no weight is still at its initial value
    const tfOut = ann.evaluate(data, { start: 0, count: 12 });
    const ref = lstmReference(ann.weights()).evaluate(data, { start: 0, count: 12 });
    let worst = 0;
    for (let i = 0; i < tfOut.outputs.length; i++) worst = Math.max(worst, Math.abs(tfOut.outputs[i]! - ref.outputs[i]!));
    assert.ok(worst < 1e-5, `largest difference ${worst}`);
    assert.equal(tfOut.accuracy, ref.accuracy);
    ann.dispose();
  });

  it("learns running parity and resumes bit for bit from a snapshot", () => {
    const data = parityTask({ count: 256, length: 4, rng: createRng(8) });
    const opts = { inputSize: 1, hiddenSize: 8, outputs: 1, kind: "steps" as const, batchSize: 16, learningRate: 0.03 };
    const a = lstmLearner({ ...opts, rng: createRng(1) });
    const first = a.learn(data, { count: 512 });
    const snap = a.snapshot();
    a.learn(data, { count: 1024 });
    const b = lstmLearner({ ...opts, rng: createRng(99) });
    b.restore(snap);
    assert.equal(b.samplesSeen, 512);
    const last = b.learn(data, { count: 1024 });
    assert.deepEqual(b.weights().kernel, a.weights().kernel);
    assert.deepEqual(b.weights().recurrentKernel, a.weights().recurrentKernel);
    assert.ok(last.loss! < first.loss!, `loss ${first.loss} → ${last.loss}`);
    assert.ok(a.evaluate(data, { start: 0, count: 256 }).accuracy > 0.6);
    a.dispose();
    b.dispose();
  });

  it("rejects data of the wrong shape and bad options", () => {
    const ann = lstmLearner({ inputSize: 2, hiddenSize: 3, outputs: 1, kind: "steps", rng: createRng(1) });
    const data = parityTask({ count: 4, length: 3, rng: createRng(1) });
    expectError(() => ann.learn(data, { count: 4 }), "lstmLearner.learn: data.features must equal the LSTM's input size 2, got 1");
    expectError(() => lstmLearner({ inputSize: 2, hiddenSize: 0, outputs: 1, kind: "steps", rng: createRng(1) }), "lstmLearner: hiddenSize must be an integer >= 1, got 0");
    ann.dispose();
  });
});
