import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ms } from "../../src/core/units";
import { stdpWindow } from "../../src/plasticity/stdp-window";
import { expectClose, expectError } from "../helpers/close";

const p = { aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8 * ms, tauMinus: 33.7 * ms };
// stdpWindow is double-precision arithmetic: a few ulps of a double.
const DOUBLE = { rtol: 1e-15 };

describe("stdpWindow", () => {
  it("stdpWindow(0, p) is A: simultaneous spikes fall in the LTP branch of Eq. 1", () => {
    assert.equal(stdpWindow(0, p), p.aPlus);
  });

  it("stdpWindow(τ₊, p) is A·e^{−1} and stdpWindow(−τ₋, p) is B·e^{−1}, with τ₊ ≠ τ₋", () => {
    expectClose(stdpWindow(p.tauPlus, p), p.aPlus * Math.exp(-1), DOUBLE);
    expectClose(stdpWindow(-p.tauMinus, p), p.aMinus * Math.exp(-1), DOUBLE);
    expectClose(stdpWindow(10, p), 0.01 * Math.exp(-10 / 16.8), DOUBLE);
    expectClose(stdpWindow(-10, p), -0.0105 * Math.exp(-10 / 33.7), DOUBLE);
  });

  it("stdpWindow(Δt, p) potentiates for pre before post (Δt > 0) and depresses for post before pre", () => {
    for (let dt = -100; dt <= 100; dt += 0.5) {
      const dw = stdpWindow(dt, p);
      if (dt >= 0) assert.ok(dw > 0 && dw <= p.aPlus, `Δt ${dt}`);
      else assert.ok(dw < 0 && dw > p.aMinus, `Δt ${dt}`);
    }
    // Approaching Δt = 0 from below gives B, the jump of the window at 0.
    expectClose(stdpWindow(-1e-12, p), p.aMinus, { rtol: 1e-12 });
  });

  it("stdpWindow(Δt, p) rejects A ≤ 0, B ≥ 0, τ ≤ 0 and a non-finite Δt", () => {
    expectError(() => stdpWindow(1, { ...p, aPlus: 0 }), "stdpWindow: aPlus must be a finite number > 0, got 0");
    expectError(() => stdpWindow(1, { ...p, aMinus: 0.01 }), "stdpWindow: aMinus must be a finite number < 0, got 0.01");
    expectError(() => stdpWindow(1, { ...p, aMinus: 0 }), "stdpWindow: aMinus must be a finite number < 0, got 0");
    expectError(() => stdpWindow(1, { ...p, tauMinus: -5 }), "stdpWindow: tauMinus must be a finite number > 0, got -5");
    expectError(() => stdpWindow(NaN, p), "stdpWindow: deltaT must be a finite number, got NaN");
  });
});
