import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32, Hz, ms } from "../../src/core/units";
import { regularInit, regularStep, regularTrain } from "../../src/encoders/rate";
import { spikeCounts } from "../../src/encoders/spike-train";
import { expectAllClose, expectClose, expectError } from "../helpers/close";

describe("regularStep", () => {
  it("regularStep(rates, phase, dt, out) fires exactly ⌊φ₀ + r·dt·T⌋ spikes over T steps", () => {
    const rates = new Float32Array([0, 3 * Hz, 50 * Hz, 137 * Hz, 999 * Hz]);
    const dt = 0.1 * ms;
    const steps = 10_000;
    for (const phase0 of [0, 0.5, 0.9]) {
      const phase = regularInit(rates.length, phase0);
      const out = new Uint8Array(rates.length);
      const counts = new Array<number>(rates.length).fill(0);
      for (let k = 0; k < steps; k++) {
        regularStep(rates, phase, dt, out);
        for (let i = 0; i < rates.length; i++) counts[i] += out[i];
      }
      // Float64 phase accumulation: the expected count is exact unless φ₀ + r·dt·T sits within
      // ~1e-12 of an integer, which these rates avoid.
      assert.deepEqual(counts, [...rates].map((r) => Math.floor(phase0 + r * dt * steps)), `phase ${phase0}`);
    }
  });

  it("regularStep(rates, phase, dt, out) spaces spikes evenly and spikes every step at rate·dt = 1", () => {
    const dt = 1 * ms;
    const rates = new Float32Array([250 * Hz, 1 / dt, 1 / dt]);
    const phase = regularInit(3, 0.5);
    const out = new Uint8Array(3);
    const fired: number[][] = [[], [], []];
    for (let k = 0; k < 20; k++) {
      regularStep(rates, phase, dt, out);
      for (let i = 0; i < 3; i++) if (out[i]) fired[i].push(k);
    }
    assert.deepEqual(fired[0], [1, 5, 9, 13, 17]); // a spike every 4 ms
    assert.equal(fired[1].length, 20);
    assert.equal(fired[2].length, 20);
    assert.ok(phase.every((p) => p >= 0 && p < 1));
  });

  it("regularStep(rates, phase, dt, out) and regularInit(size, phase) reject invalid input", () => {
    expectError(() => regularStep(new Float32Array([3]), regularInit(1), 1, new Uint8Array(1)),
      "regularStep: rates[0] must be at most 1/dt = 1 per ms (1000 Hz; rates are in 1/ms, so 3 is 3000 Hz: write 3 * Hz for 3 Hz), got 3");
    expectError(() => regularInit(2, 1), "regularInit: phase must be a finite number in [0, 1), got 1");
    expectError(() => regularStep(new Float32Array(2), new Float64Array(3), 1, new Uint8Array(2)),
      "regularStep: phase must have length 2, got 3");
    expectError(() => regularStep(new Float32Array([-1]), new Float64Array(1), 1, new Uint8Array(1)),
      "regularStep: rates[0] must be a finite number >= 0, got -1");
  });
});

describe("regularTrain", () => {
  it("regularTrain(rates, {duration}) fires at t_k = (k + 1 − φ₀)/r", () => {
    const train = regularTrain([100 * Hz, 250 * Hz, 0], { duration: 20 * ms });
    assert.deepEqual([...spikeCounts(train)], [2, 5, 0]);
    const expected = [2, 5, 6, 10, 14, 15, 18]; // 250 Hz: 2, 6, 10, 14, 18; 100 Hz: 5, 15
    expectAllClose(train.times, expected, { rtol: EPS32 / 2 });
    assert.deepEqual([...train.ids], [1, 0, 1, 1, 1, 0, 1]);
  });

  it("regularTrain(rates, {duration, phase}) shifts the spikes with the phase", () => {
    const train = regularTrain([0.1], { duration: 35, phase: 0 });
    expectAllClose(train.times, [10, 20, 30], { rtol: EPS32 / 2 });
    expectClose(regularTrain([0.1], { duration: 35, phase: 0.75 }).times[0], 2.5, { rtol: EPS32 / 2 });
    expectError(() => regularTrain([0.1], { duration: 0 }), "regularTrain: duration must be a finite number > 0, got 0");
  });
});
