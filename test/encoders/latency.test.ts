import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32, ms } from "../../src/core/units";
import { latencyFrameDefaults, latencyFrames, latencySteps, latencyStepDefaults, latencyTrain } from "../../src/encoders/latency";
import { spikeCounts } from "../../src/encoders/spike-train";
import { expectAllClose, expectError } from "../helpers/close";

describe("latencyTrain", () => {
  it("latencyTrain(values, {tMax}) fires once at (1 − x)·tMax, brighter first, zeros never", () => {
    const x = new Float32Array([1, 0.5, 0, 0.25]);
    const train = latencyTrain(x, { tMax: 10 * ms });
    // (1 − x)·tMax in double, stored once in float32.
    expectAllClose(train.times, [0, 5, 7.5], { rtol: EPS32 / 2 });
    assert.deepEqual([...train.ids], [0, 1, 3]);
    assert.deepEqual([...spikeCounts(train)], [1, 1, 0, 1]);
    assert.equal(train.duration, 10);
  });

  it("latencyTrain(values, {tMax}) orders spikes by decreasing intensity", () => {
    const x = Float32Array.from({ length: 50 }, (_, i) => ((i * 37) % 50) / 49);
    const train = latencyTrain(x, { tMax: 100 });
    for (let s = 1; s < train.ids.length; s++) assert.ok(x[train.ids[s - 1]] >= x[train.ids[s]]);
    assert.equal(train.ids.length, 49); // one zero
  });

  it("latencyTrain(values, options) rejects values outside [0, 1] and tMax ≤ 0", () => {
    expectError(() => latencyTrain([1.5], { tMax: 1 }), "latencyTrain: values[0] must be a finite number in [0, 1], got 1.5");
    expectError(() => latencyTrain([0.5], { tMax: 0 }), "latencyTrain: tMax must be a finite number > 0, got 0");
  });
});

describe("latencySteps", () => {
  it("latencySteps(values) has the expected defaults: 15 steps, value binning", () => {
    assert.deepEqual(latencyStepDefaults, { steps: 15, binning: "value" });
    assert.deepEqual(latencyFrameDefaults, { steps: 15, binning: "value", cumulative: false });
  });

  it("latencySteps(values, {steps}) puts x into step ⌊(1 − x)·steps⌋, x = 1 first, zeros at −1", () => {
    assert.deepEqual([...latencySteps(new Float32Array([1, 0.5, 0, 0.25]), { steps: 4 })], [0, 2, -1, 3]);
    const x = Float32Array.from({ length: 101 }, (_, i) => i / 100);
    const steps = latencySteps(x);
    for (let i = 2; i <= 100; i++) assert.ok(steps[i] <= steps[i - 1], "brighter never later");
    assert.equal(steps[0], -1);
    assert.equal(steps[1], 14);
    assert.equal(steps[100], 0);
  });

  it("latencySteps(values, {binning: 'rank'}) splits the non-zero inputs into equal bins by rank", () => {
    const x = [5, 0, 3, 9, 3, 7, 1, 2];
    // Ranks by decreasing value (ties by index): 9(3) 7(5) 5(0) 3(2) 3(4) 2(7) 1(6): 7 inputs in 7 steps.
    assert.deepEqual([...latencySteps(x, { steps: 7, binning: "rank" })], [2, -1, 3, 0, 4, 1, 6, 5]);
    // 7 inputs in 2 steps: ranks 0–3 → step 0, ranks 4–6 → step 1.
    assert.deepEqual([...latencySteps(x, { steps: 2, binning: "rank" })], [0, -1, 0, 0, 1, 0, 1, 1]);
    assert.deepEqual(x, [5, 0, 3, 9, 3, 7, 1, 2]);
  });

  it("latencySteps(values, options) rejects invalid options", () => {
    expectError(() => latencySteps([0.5], { steps: 0 }), "latencySteps: steps must be an integer >= 1, got 0");
    expectError(() => latencySteps([0.5], { binning: "time" as never }), 'latencySteps: binning must be one of "value", "rank", got "time"');
    expectError(() => latencySteps([-1], { binning: "rank" }), "latencySteps: values[0] must be a finite number >= 0, got -1");
  });
});

describe("latencyFrames", () => {
  it("latencyFrames(values, {steps}) has one 1 per non-zero input, in its step's frame", () => {
    const x = new Float32Array([1, 0.5, 0, 0.25]);
    const frames = latencyFrames(x, { steps: 4 });
    assert.deepEqual([...frames], [
      1, 0, 0, 0,
      0, 0, 0, 0,
      0, 1, 0, 0,
      0, 0, 0, 1,
    ]);
  });

  it("latencyFrames(values, {cumulative: true}) keeps an input at 1 after its spike", () => {
    const frames = latencyFrames([1, 0.5, 0, 0.25], { steps: 4, cumulative: true });
    assert.deepEqual([...frames], [
      1, 0, 0, 0,
      1, 0, 0, 0,
      1, 1, 0, 0,
      1, 1, 0, 1,
    ]);
  });
});
