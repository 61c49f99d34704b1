import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { fit } from "../../src/learning/fit";
import { learningRateAt } from "../../src/learning/schedule";
import { decodeSnapshot, encodeSnapshot } from "../../src/learning/snapshot";
import { erbpNetwork, type ErbpNetwork, type ErbpOptions } from "../../src/training/erbp";
import { herdingMlp } from "../../src/training/herding";
import { expectError } from "../helpers/close";
import { twoClassTask } from "./tasks";

const train = twoClassTask(16, 60, 3, "train");
const validation = twoClassTask(16, 20, 4, "validation");
/** Blank-out on (transmission < 1), so its table and generator are part of the state too. */
const make = (seed: number, extra: Partial<ErbpOptions> = {}) =>
  erbpNetwork({ sizes: [16, 8, 2], steps: 25, learningRate: 0.02, transmission: 0.8, weightBound: 1, rng: createRng(seed), ...extra });
const bytes = (net: ErbpNetwork) => encodeSnapshot(net.snapshot());

describe("erbpNetwork as a learner", () => {
  it("fit(erbpNetwork, train, {samples}) is bit-identical to erbpNetwork.train(train, {start: 0, count}) over the same shuffled epochs", async () => {
    const a = make(1);
    await fit(a, train, { samples: 150, chunk: 25 });
    const b = make(1);
    b.train(train, { start: 0, count: 150 });
    assert.deepEqual(bytes(a), bytes(b));
    assert.equal(a.samplesSeen, 150);
    assert.notDeepEqual(Array.from(a.weights[0]!), Array.from(make(1).weights[0]!), "it learned");
  });

  it("fit(erbpNetwork, train, {validation, evalEvery, schedule}) equals the notebook's loop of train and evaluate calls", async () => {
    const schedule = { kind: "exponential", from: 0.03, to: 0.003 } as const;
    const a = make(2);
    const run = await fit(a, train, { samples: 120, chunk: 20, evalEvery: 40, validation, schedule });
    const b = make(2);
    const accuracies: number[] = [];
    for (let start = 0; start < 120; start += 20) {
      b.train(train, { start, count: 20, learningRate: learningRateAt(schedule, start, { epochSize: 60, total: 120 }) });
      if ((start + 20) % 40 === 0) accuracies.push(b.evaluate(validation, { start: 0, count: validation.count }).accuracy);
    }
    // Evaluation draws from the stimulus generator: equal only because both evaluate at the same points.
    assert.deepEqual(bytes(a), bytes(b));
    assert.deepEqual(run.history.map((r) => r.validationAccuracy), accuracies);
    assert.deepEqual(run.history.map((r) => r.samples), [40, 80, 120]);
  });

  it("erbpNetwork: stopped at half, snapshot → safetensors bytes → restore into a network of another seed, then resumed, is bit-identical to a run that never stopped", async () => {
    const options = { epochs: 3, chunk: 30, validation, schedule: { kind: "exponential", from: 0.03, to: 0.005 } } as const;
    const whole = make(3);
    const wholeRun = await fit(whole, train, options);
    const first = make(3);
    const stop = await fit(first, train, { ...options, shouldStop: () => first.samplesSeen >= 90 });
    assert.equal(stop.stopped, true);
    assert.equal(first.samplesSeen, 90);
    const fresh = make(77); // other weights, feedback, blank-out table, epoch order and generators
    assert.notDeepEqual(bytes(fresh), bytes(first));
    fresh.restore(decodeSnapshot(encodeSnapshot(first.snapshot())));
    assert.deepEqual(bytes(fresh), bytes(first));
    const rest = await fit(fresh, train, options);
    assert.deepEqual(bytes(fresh), bytes(whole), "weights, generator positions and position all equal");
    assert.deepEqual([...stop.history, ...rest.history].map((r) => r.validationAccuracy), wholeRun.history.map((r) => r.validationAccuracy));
    assert.deepEqual(fresh.snapshot().state, whole.snapshot().state);
  });

  it("erbpNetwork.restore(snapshot) rejects a foreign or mismatched snapshot with one clear error and changes nothing", () => {
    const net = make(4);
    net.train(train, { start: 0, count: 10 });
    const before = bytes(net);
    const herding = herdingMlp({ sizes: [16, 8, 2], rng: createRng(1) });
    expectError(() => net.restore(herding.snapshot()), /^erbpNetwork\.restore: snapshot\.learner must be "erbpNetwork" \(a snapshot of another learner cannot be restored here\), got "herdingMlp"$/);
    expectError(() => net.restore(make(1, { transmission: 1 }).snapshot()), /^erbpNetwork\.restore: snapshot\.config must match this learner's settings, got transmission: 0\.8 here, 1 in the snapshot$/);
    expectError(() => net.restore(make(1, { weightBound: Infinity }).snapshot()), /^erbpNetwork\.restore: snapshot\.config must match this learner's settings, got weightBound: 1 here, "Infinity" in the snapshot$/);
    const good = make(1).snapshot();
    expectError(() => net.restore({ ...good, state: { ...good.state, stimulus: { generator: "xoshiro128**", seed: 1, words: [0, 0, 0, 0], spareNormal: null } } }),
      /^erbpNetwork\.restore: snapshot\.state\.stimulus must be a generator state \(rng\.state\(\)\), got rng\.restore: state\.words must not be all zero/);
    const flipped = new Uint8Array(good.tensors.blankout!.data as Uint8Array);
    flipped[3] = 7;
    expectError(() => net.restore({ ...good, tensors: { ...good.tensors, blankout: { ...good.tensors.blankout!, data: flipped } } }), /^erbpNetwork\.restore: snapshot\.tensors\["blankout"\] must hold only zeros and ones/);
    const corrupt = encodeSnapshot(good).subarray(0, 100);
    expectError(() => net.restore(decodeSnapshot(corrupt)), /^decodeSnapshot: bytes must be a snnlab-learner snapshot file/);
    assert.deepEqual(bytes(net), before);
  });
});
