import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { EPS32, Hz, ms } from "../../src/core/units";
import { poissonStep } from "../../src/encoders/poisson";
import { regularInit, regularStep } from "../../src/encoders/rate";
import { signedDecode, signedRates } from "../../src/encoders/signed";
import { expectAllClose, expectClose, expectError } from "../helpers/close";

function countSpikes(rates: Float32Array, steps: number, step: (out: Uint8Array) => void): Int32Array {
  const counts = new Int32Array(rates.length);
  const out = new Uint8Array(rates.length);
  for (let k = 0; k < steps; k++) {
    step(out);
    for (let i = 0; i < out.length; i++) counts[i] += out[i];
  }
  return counts;
}

describe("signedRates", () => {
  it("signedRates(x, {maxRate}) puts max(x, 0) on channels 0…n−1 and max(−x, 0) on n…2n−1", () => {
    const rates = signedRates(new Float32Array([0.5, -0.25, 0]), { maxRate: 200 * Hz });
    expectAllClose(rates, [0.1, 0, 0, 0, 0.05, 0], { rtol: EPS32 / 2 });
    const scaled = signedRates([-3, 6], { maxRate: 0.1, scale: 6 });
    expectAllClose(scaled, [0, 0.1, 0.05, 0], { rtol: EPS32 / 2 });
  });

  it("signedRates(x, options) rejects |x| > scale and a missing maxRate", () => {
    expectError(() => signedRates([1.5], { maxRate: 0.1 }), "signedRates: x[0] must be a finite number in [-1, 1], got 1.5");
    expectError(() => signedRates([0.5], {} as never), "signedRates: maxRate must be a finite number > 0, got NaN");
  });
});

describe("signedDecode", () => {
  it("signedDecode(counts, {maxRate, duration}) inverts the example counts", () => {
    const x = signedDecode(new Int32Array([10, 0, 0, 5]), { maxRate: 200 * Hz, duration: 100 * ms });
    expectAllClose(x, [0.5, -0.25], { rtol: EPS32 / 2 });
  });

  it("signedDecode(counts) recovers x from regular spiking to within 1/T (T steps at rMax·dt = 1)", () => {
    const n = 64;
    const rng = createRng(1);
    const x = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const dt = 1 * ms;
    const maxRate = 1 / dt;
    const steps = 200;
    const rates = signedRates(x, { maxRate });
    const phase = regularInit(2 * n, 0);
    const counts = countSpikes(rates, steps, (out) => regularStep(rates, phase, dt, out));
    for (let i = 0; i < n; i++) assert.ok(counts[i] === 0 || counts[n + i] === 0, "one channel per sign");
    const decoded = signedDecode(counts, { maxRate, duration: steps * dt });
    // Each count is ⌊r·T⌋, within one spike of r·T: |x̂ − x| ≤ 1/(rMax·T) = 1/steps.
    for (let i = 0; i < n; i++) expectClose(decoded[i], x[i], { atol: 1 / steps + EPS32 });
  });

  it("signedDecode(counts) recovers x from Poisson spiking to within 5 standard errors", () => {
    const n = 32;
    const rng = createRng(2);
    const x = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const dt = 1 * ms;
    const maxRate = 100 * Hz;
    const steps = 20_000;
    const rates = signedRates(x, { maxRate });
    const counts = countSpikes(rates, steps, (out) => poissonStep(rates, rng, dt, out));
    const decoded = signedDecode(counts, { maxRate, duration: steps * dt });
    // A count c ~ Binomial(T, r·dt) has sd ≤ √(r·T), so x̂ has sd ≤ √(|x|·rMax·T)/(rMax·T).
    for (let i = 0; i < n; i++) {
      const sd = Math.sqrt(Math.abs(x[i]) * maxRate * steps * dt) / (maxRate * steps * dt);
      expectClose(decoded[i], x[i], { atol: 5 * sd + EPS32 });
    }
  });

  it("signedDecode(counts, options) rejects odd lengths and negative counts", () => {
    expectError(() => signedDecode([1, 2, 3], { maxRate: 1, duration: 1 }),
      "signedDecode: counts must have an even length (positive then negative channels), got 3");
    expectError(() => signedDecode([1, -2], { maxRate: 1, duration: 1 }), "signedDecode: counts[1] must be a finite number >= 0, got -2");
  });
});
