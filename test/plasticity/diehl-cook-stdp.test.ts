import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32, ms } from "../../src/core/units";
import { diehlCookDefaults, diehlCookInit, diehlCookParams, diehlCookStep } from "../../src/plasticity/diehl-cook-stdp";
import { denseAccess } from "../../src/plasticity/synapse-access";
import { expectClose, expectError } from "../helpers/close";

const HALF_ULP = EPS32 / 2;

/** Runs one synapse through the spike steps given, at dt = 0.5 ms; returns the weight. */
function run(w0: number, preSteps: number[], postSteps: number[], steps: number): number {
  const p = diehlCookParams();
  const access = denseAccess(new Float32Array([w0]), 1, 1);
  const traces = diehlCookInit(access, p);
  for (let k = 0; k < steps; k++) {
    diehlCookStep(new Uint8Array([preSteps.includes(k) ? 1 : 0]), new Uint8Array([postSteps.includes(k) ? 1 : 0]), access, traces, p, 0.5 * ms);
  }
  return access.w[0];
}

describe("diehlCookParams", () => {
  it("diehlCookParams() has Diehl & Cook's values: τ 20/20/40 ms, ν 1e−4 and 1e−2, w in [0, 1]", () => {
    assert.deepEqual(diehlCookParams(), {
      tauPre: 20, tauPost1: 20, tauPost2: 40, nuPre: 1e-4, nuPost: 1e-2, wMin: 0, wMax: 1,
      weightDependence: "hard", mu: 1, interaction: "nearest",
    });
    assert.ok(Object.isFrozen(diehlCookDefaults));
  });

  it("diehlCookParams(options) rejects negative rates and non-positive time constants", () => {
    expectError(() => diehlCookParams({ nuPre: -1e-4 }), "diehlCookParams: nuPre must be a finite number >= 0, got -0.0001");
    expectError(() => diehlCookParams({ tauPost2: 0 }), "diehlCookParams: tauPost2 must be a finite number > 0, got 0");
  });
});

describe("diehlCookStep", () => {
  it("diehlCookStep(...) matches a hand oracle for a short spike sequence", () => {
    // dt = 0.5 ms; pre at 1, 10, 20 ms; post at 6, 15, 20, 25 ms (steps ×2).
    const w = run(0.5, [2, 20, 40], [12, 30, 40, 50], 60);
    const e = Math.exp;
    const expected = 0.5
      // t = 1: pre, y₁ = 0: nothing.   t = 6: post, y₂(before) = 0: nothing; y₁ = y₂ = 1.
      - 1e-4 * e(-4 / 20) //              t = 10: pre, x = 1, w −= νpre·y₁, y₁ from t = 6
      + 1e-2 * e(-5 / 20) * e(-9 / 40) // t = 15: post, x from t = 10, y₂ from t = 6
      - 1e-4 * e(-5 / 20) //              t = 20: pre first, y₁ from t = 15 ...
      + 1e-2 * 1 * e(-5 / 40) //          ... then post with x = 1 (same step), y₂ from t = 15
      + 1e-2 * e(-5 / 20) * e(-5 / 40); // t = 25: post, x from t = 20, y₂ from t = 20
    // Five updates of w ≈ 0.5 rounded to float32, plus traces rounded once per step (≤ 20 steps
    // between spikes) on updates of size ≤ 1e-2.
    expectClose(w, expected, { atol: 5 * 0.5 * HALF_ULP + 5 * 1e-2 * 20 * HALF_ULP });
  });

  it("diehlCookStep(...) clips w to [0, wMax]", () => {
    assert.equal(run(0.9999, [0, 10, 20, 30], [5, 11, 21, 31], 40), 1);
    assert.equal(run(0, [10, 20, 30], [5, 15, 25], 40) >= 0, true);
    assert.equal(run(0.00001, [10, 11, 12, 13], [5], 20), 0);
  });

  it("diehlCookStep(...) never potentiates on a neuron's first post spike (y₂ = 0 before it)", () => {
    assert.equal(run(0.5, [0, 1, 2], [3], 10), 0.5);
  });

  it("diehlCookInit(access, p) rejects weights above wMax", () => {
    expectError(() => diehlCookInit(denseAccess(new Float32Array([1.25]), 1, 1), diehlCookParams()),
      "diehlCookInit: access.w[0] must be a finite number in [0, 1], got 1.25");
  });
});
