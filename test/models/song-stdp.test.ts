import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { second } from "../../src/core/units";
import { songStdp, songStdpParams } from "../../src/models/song-stdp";
import { expectError } from "../helpers/close";

describe("songStdp", () => {
  it("songStdp({duration: 20 s}) drives the weights towards a U shape at a sensible output rate", () => {
    // A 20 s run instead of 100 s (the test budget). The initial weights are U(0, gmax): 10 % of them
    // below 0.1·gmax (sd √(0.1·0.9/1000) = 0.95 %), 10 % above 0.9·gmax, 50 % in [0.25, 0.75]
    // (sd 1.6 %). Brian2 reaches 14 % / 12 % after 10 s and 23 % / 18.5 % after 100 s; ours
    // 17–20 % / 13–16 % after 30 s. Asserting > 14 % and > 12 % at both ends (4 and 2 sd above
    // uniform) and < 44 % in the middle (3.8 sd below) says the distribution has split, whatever
    // the seed. The output rate falls from ~36 Hz (10 s) to 26.4 Hz (100 s) in Brian2: 20–45 Hz.
    const r = songStdp({ duration: 20 * second, seed: 1 });
    assert.ok(r.fractionLow > 0.14, `below 0.1 gmax: ${r.fractionLow}`);
    assert.ok(r.fractionHigh > 0.12, `above 0.9 gmax: ${r.fractionHigh}`);
    let middle = 0;
    for (let b = 5; b < 15; b++) middle += r.histogram[b];
    assert.ok(middle / 1000 < 0.44, `middle: ${middle / 1000}`);
    assert.ok(r.outputRate > 20 && r.outputRate < 45, `output ${r.outputRate} Hz`);
    // The inputs fire at 15 Hz: 1000 × 15 × 20 = 300,000 spikes, sd √300000 ≈ 548 (4 sd: 0.15 Hz).
    assert.ok(Math.abs(r.inputRate - 15) < 0.15, `input ${r.inputRate} Hz`);
    assert.ok(r.weights.every((w) => w >= 0 && w <= Math.fround(0.01)));
    assert.equal(r.weightTrace.times.length, 21);
    assert.equal(r.weightTrace.values.length, 21 * 1000);
  });

  it("songStdp(params) is deterministic for a seed", () => {
    const a = songStdp({ duration: 500, seed: 2, sampleEvery: 500 });
    const b = songStdp({ duration: 500, seed: 2, sampleEvery: 500 });
    assert.deepEqual(a.weights, b.weights);
    assert.deepEqual(a.outputTrain, b.outputTrain);
  });

  it("songStdpParams(options) rejects invalid values", () => {
    expectError(() => songStdpParams({ gMax: 0 }), "songStdpParams: gMax must be a finite number > 0, got 0");
    expectError(() => songStdpParams({ duration: 100, sampleEvery: 200 }), "songStdpParams: sampleEvery must be at most duration (100), got 200");
  });
});
