import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { dense } from "../../src/layers/layer-specs";
import { fit } from "../../src/learning/fit";
import { decodeSnapshot, encodeSnapshot } from "../../src/learning/snapshot";
import { initBackend } from "../../src/training/backend";
import { herdingMlp } from "../../src/training/herding";
import { membraneBackpropNetwork, type MembraneBackpropNetwork, type MembraneBackpropOptions } from "../../src/training/membrane-backprop";
import { expectError } from "../helpers/close";
import { twoClassTask } from "./tasks";

const train = twoClassTask(6, 20, 5, "train");
const validation = twoClassTask(6, 8, 6, "validation");
const make = (seed: number, extra: Partial<MembraneBackpropOptions> = {}) =>
  membraneBackpropNetwork({ input: [6], layers: [dense(8), dense(2)], steps: 5, encoding: "poisson", batchSize: 4, learningRate: 0.01, learningRateDecay: 0.7, recordEvery: 2, rng: createRng(seed), ...extra });
/** Weights, Adam's moments and β powers, seeds, position, history: everything, as file bytes. */
const bytes = (net: MembraneBackpropNetwork) => encodeSnapshot(net.snapshot());

describe("membraneBackpropNetwork as a learner", () => {
  before(async () => {
    await initBackend();
  });

  it("fit(membraneBackpropNetwork, train, {samples}) is bit-identical to train(train, {start: 0, count}), Adam's moments included", async () => {
    const a = make(1);
    await fit(a, train, { samples: 48, chunk: 8 });
    const b = make(1);
    b.train(train, { start: 0, count: 48 });
    assert.deepEqual(bytes(a), bytes(b));
    assert.equal(a.samplesSeen, 48);
    assert.ok(Object.keys(a.snapshot().tensors).includes("optimizer.m.layers.0.weight"));
    a.dispose();
    b.dispose();
  });

  for (const schedule of [undefined, { kind: "exponential", from: 0.02, to: 0.002 } as const]) {
    it(`membraneBackpropNetwork: stopped, snapshot → bytes → restore into another seed's network, resumed = never stopped (${schedule ? "exponential schedule" : "its own per-epoch decay"})`, async () => {
      const options = { epochs: 3, chunk: 4, validation, ...(schedule ? { schedule } : {}) };
      const whole = make(2);
      await fit(whole, train, options);
      const first = make(2);
      const stop = await fit(first, train, { ...options, shouldStop: () => first.samplesSeen >= 28 });
      assert.equal(stop.stopped, true);
      assert.equal(first.samplesSeen, 28);
      const fresh = make(40);
      fresh.restore(decodeSnapshot(encodeSnapshot(first.snapshot())));
      assert.deepEqual(bytes(fresh), bytes(first));
      await fit(fresh, train, options);
      assert.deepEqual(bytes(fresh), bytes(whole));
      assert.deepEqual(fresh.history, whole.history);
      for (const net of [whole, first, fresh]) net.dispose();
    });
  }

  it("membraneBackpropNetwork.restore(snapshot) rejects a foreign or mismatched snapshot, changes nothing, and leaks no tensors", () => {
    const net = make(3);
    net.train(train, { start: 0, count: 8 });
    const before = bytes(net);
    expectError(() => net.restore(herdingMlp({ sizes: [6, 8, 2], rng: createRng(1) }).snapshot()), /^membraneBackpropNetwork\.restore: snapshot\.learner must be "membraneBackpropNetwork"/);
    const other = make(1, { layers: [dense(9), dense(2)] });
    expectError(() => net.restore(other.snapshot()), /^membraneBackpropNetwork\.restore: snapshot\.config must match this learner's settings, got layers: /);
    const good = make(4);
    good.train(train, { start: 0, count: 4 });
    const s = good.snapshot();
    const { "optimizer.v.layers.1.bias": _dropped, ...fewer } = s.tensors;
    expectError(() => net.restore({ ...s, tensors: fewer }), /^membraneBackpropNetwork\.restore: snapshot\.tensors\["optimizer\.v\.layers\.1\.bias"\] must be a tensor of dtype F32 and shape \[2\], got undefined$/);
    expectError(() => net.restore({ ...s, state: { ...s.state, optimizer: { kind: "sgd", iterations: 1, slots: [] } } }), /^membraneBackpropNetwork\.restore: snapshot\.state\.optimizer must be the state of the adam optimiser/);
    assert.deepEqual(bytes(net), before);
    const tensors = tf.memory().numTensors;
    net.restore(s);
    net.restore(decodeSnapshot(encodeSnapshot(s)));
    assert.equal(tf.memory().numTensors, tensors, "restoring twice allocates nothing new");
    for (const n of [net, other, good]) n.dispose();
  });
});
