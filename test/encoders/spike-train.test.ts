import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSpikeTrain, spikeCounts, stackSpikeTrains } from "../../src/encoders/spike-train";
import { expectError } from "../helpers/close";

describe("createSpikeTrain", () => {
  it("createSpikeTrain(times, ids, {size, duration}) sorts by time, then id, without mutating its inputs", () => {
    const times = [2, 0.5, 2];
    const ids = [1, 0, 0];
    const train = createSpikeTrain(times, ids, { size: 3, duration: 10 });
    assert.deepEqual([...train.times], [0.5, 2, 2]);
    assert.deepEqual([...train.ids], [0, 0, 1]);
    assert.equal(train.size, 3);
    assert.equal(train.duration, 10);
    assert.deepEqual(times, [2, 0.5, 2]);
    assert.deepEqual(ids, [1, 0, 0]);
    assert.ok(train.times instanceof Float32Array && train.ids instanceof Int32Array);
  });

  it("createSpikeTrain(times, ids, options) rejects ids out of range and times outside the window", () => {
    expectError(() => createSpikeTrain([1], [3], { size: 3, duration: 10 }), "createSpikeTrain: ids[0] must be an integer in [0, 2], got 3");
    expectError(() => createSpikeTrain([11], [0], { size: 3, duration: 10 }), "createSpikeTrain: times[0] must be a finite number in [0, 10], got 11");
    expectError(() => createSpikeTrain([1, 2], [0], { size: 3, duration: 10 }), "createSpikeTrain: ids must have length 2, got 1");
  });
});

describe("spikeCounts", () => {
  it("spikeCounts(train, out) counts spikes per neuron, silent neurons included, in place in out", () => {
    const train = createSpikeTrain([1, 2, 3, 4], [0, 2, 2, 2], { size: 4, duration: 5 });
    const out = new Int32Array(4).fill(9);
    assert.equal(spikeCounts(train, out), out);
    assert.deepEqual([...out], [1, 0, 3, 0]);
    expectError(() => spikeCounts(train, new Int32Array(2)), "spikeCounts: out must have length 4, got 2");
  });
});

describe("stackSpikeTrains", () => {
  it("shifts each train's ids by the sizes before it, keeps time order, and gives the ranges", () => {
    const a = createSpikeTrain([1, 3], [1, 0], { size: 2, duration: 5 });
    const b = createSpikeTrain([0.5, 3], [2, 0], { size: 3, duration: 8 });
    const { train, ranges } = stackSpikeTrains([a, b]);
    assert.deepEqual(ranges, [[0, 2], [2, 5]]);
    assert.equal(train.size, 5);
    assert.equal(train.duration, 8);
    assert.deepEqual(Array.from(train.times), [0.5, 1, 3, 3]);
    assert.deepEqual(Array.from(train.ids), [4, 1, 0, 2]);
  });

  it("rejects an empty list and a non-train with the standard error", () => {
    assert.throws(() => stackSpikeTrains([]), /^SnnlabError: stackSpikeTrains: trains must be a non-empty array of SpikeTrains, got/);
    assert.throws(() => stackSpikeTrains([{ times: [1], ids: [0], size: 1, duration: 2 } as never]), /stackSpikeTrains: trains\[0\] must be a SpikeTrain/);
  });
});
