import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ms, mV } from "../../src/core/units";
import { adaptiveThresholdDefaults, adaptiveThresholdParams, adaptiveThresholdStep } from "../../src/plasticity/homeostasis";
import { expectClose, expectError } from "../helpers/close";

describe("adaptiveThresholdStep", () => {
  it("adaptiveThresholdParams() has Diehl & Cook's values: θ₊ = 0.05 mV, τθ = 10⁷ ms", () => {
    assert.deepEqual(adaptiveThresholdParams(), { thetaPlus: 0.05, tauTheta: 1e7, frozen: false });
    assert.ok(Object.isFrozen(adaptiveThresholdDefaults));
  });

  it("adaptiveThresholdStep(spikes, theta, p, dt) adds θ₊ per spike and decays as e^{−t/τθ}", () => {
    const p = adaptiveThresholdParams({ thetaPlus: 1 * mV, tauTheta: 50 * ms });
    const theta = new Float64Array([0, 0]);
    adaptiveThresholdStep(new Uint8Array([1, 0]), theta, p, 1 * ms);
    assert.deepEqual([...theta], [1, 0]);
    for (let n = 0; n < 100; n++) adaptiveThresholdStep(new Uint8Array([0, 0]), theta, p, 1 * ms);
    // Float64 state: 100 multiplications by e^{−1/50}, each correct to a double ulp.
    expectClose(theta[0], Math.exp(-100 / 50), { rtol: 1e-13 });
    adaptiveThresholdStep(new Uint8Array([1, 1]), theta, p, 1 * ms);
    expectClose(theta[0], Math.exp(-101 / 50) + 1, { rtol: 1e-13 });
    assert.equal(theta[1], 1);
  });

  it("adaptiveThresholdStep(...) leaves θ unchanged when p.frozen", () => {
    const p = adaptiveThresholdParams({ frozen: true });
    const theta = new Float32Array([20, 21]);
    adaptiveThresholdStep(new Uint8Array([1, 1]), theta, p, 0.5);
    assert.deepEqual([...theta], [20, 21]);
  });

  it("adaptiveThresholdStep(...) rejects a length mismatch and adaptiveThresholdParams a non-boolean frozen", () => {
    expectError(() => adaptiveThresholdStep(new Uint8Array(2), new Float32Array(3), adaptiveThresholdParams(), 1),
      "adaptiveThresholdStep: theta must have length 2, got 3");
    expectError(() => adaptiveThresholdParams({ frozen: 1 as never }), "adaptiveThresholdParams: frozen must be a boolean, got 1");
    expectError(() => adaptiveThresholdParams({ tauTheta: 0 }), "adaptiveThresholdParams: tauTheta must be a finite number > 0, got 0");
  });
});
