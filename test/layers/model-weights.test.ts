import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { tensor } from "../../src/io/safetensors";
import { batchNorm, conv2d, dense, flatten, relu } from "../../src/layers/layer-specs";
import { createModel } from "../../src/layers/model";
import { modelVariableNames, modelWeightTensors, restoreModelWeights } from "../../src/layers/model-weights";
import { initBackend } from "../../src/training/backend";

describe("model weights as named tensors", () => {
  before(async () => {
    await initBackend();
  });
  const make = (seed: number) => createModel({ input: [6, 6, 1], layers: [conv2d(2, 3), batchNorm(), relu(), flatten(), dense(3)], rng: createRng(seed) });

  it("modelWeightTensors → restoreModelWeights makes a model built with another seed compute the same outputs", () => {
    const a = make(1);
    const b = make(2);
    const x = tf.tensor(Float32Array.from({ length: 2 * 36 }, (_v, i) => (i % 7) / 7), [2, 6, 6, 1]);
    const saved = modelWeightTensors(a);
    assert.deepEqual(Object.keys(saved).sort(), ["layers.0.bias", "layers.0.weight", "layers.1.beta", "layers.1.gamma", "layers.1.runningMean", "layers.1.runningVar", "layers.4.bias", "layers.4.weight"]);
    assert.notDeepEqual(Array.from(a.forward(x, 2).output.dataSync()), Array.from(b.forward(x, 2).output.dataSync()));
    restoreModelWeights(b, saved);
    assert.deepEqual(Array.from(b.forward(x, 2).output.dataSync()), Array.from(a.forward(x, 2).output.dataSync()));
    assert.deepEqual(modelVariableNames(a), ["layers.0.weight", "layers.0.bias", "layers.1.gamma", "layers.1.beta", "layers.4.weight", "layers.4.bias"]);
    a.dispose();
    b.dispose();
  });

  it("rejects a missing tensor, a wrong shape and a foreign name before setting anything", () => {
    const a = make(1);
    const before = modelWeightTensors(a);
    const saved = modelWeightTensors(make(3));
    const { ["layers.4.bias"]: _dropped, ...missing } = saved;
    assert.throws(() => restoreModelWeights(a, missing), /^SnnlabError: restoreModelWeights: tensors\["layers\.4\.bias"\] must be present \(every tensor of the model\), got undefined$/);
    assert.throws(() => restoreModelWeights(a, { ...saved, "layers.4.weight": tensor(new Float32Array(3), [3]) }), /restoreModelWeights: tensors\["layers\.4\.weight"\]\.shape must be \[32, 3\], got Array\(1\)/);
    assert.throws(() => restoreModelWeights(a, { ...saved, "layers.9.weight": tensor(new Float32Array(1), [1]) }), /restoreModelWeights: tensors must name only this model's tensors/);
    assert.throws(() => restoreModelWeights({} as never, saved), /restoreModelWeights: model must be a model from createModel/);
    assert.deepEqual(Array.from(modelWeightTensors(a)["layers.4.weight"]!.data), Array.from(before["layers.4.weight"]!.data), "nothing was set");
    a.dispose();
  });
});
