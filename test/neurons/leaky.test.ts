import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32, ms } from "../../src/core/units";
import { betaFromTau, leaky, leakyInit, leakyParams, leakyReset, leakyStep, type LeakyParams } from "../../src/neurons/leaky";
import { createRng } from "../../src/core/random";
import { expectClose, expectError } from "../helpers/close";

/** Scalar float64 oracle of the documented update, one neuron. */
function oracle(xs: number[], p: LeakyParams): { v: number[]; s: number[] } {
  let v = 0;
  const vs: number[] = [];
  const ss: number[] = [];
  for (const x of xs) {
    v = p.beta * v + x;
    const spike = v > p.threshold ? 1 : 0;
    if (spike) v = p.reset === "subtract" ? v - p.threshold : p.reset === "zero" ? 0 : v;
    vs.push(v);
    ss.push(spike);
  }
  return { v: vs, s: ss };
}

describe("leaky", () => {
  it("leakyParams() defaults to β 0.9, threshold 1, reset by subtraction", () => {
    assert.deepEqual({ ...leakyParams() }, { beta: 0.9, threshold: 1, reset: "subtract" });
    assert.equal(leaky.name, "leaky");
    expectError(() => leakyParams({ beta: 1.5 }), "leakyParams: beta must be a finite number in [0, 1], got 1.5");
    expectError(() => leakyParams({ threshold: -1 }), "leakyParams: threshold must be a finite number > 0, got -1");
    expectError(() => leakyParams({ reset: "soft" as never }), 'leakyParams: reset must be one of "subtract", "zero", "none", got "soft"');
    const s = leakyInit(4, leakyParams());
    expectError(() => leakyStep(new Float32Array(4), s, leakyParams(), 0, new Uint8Array(4)), "leakyStep: dt must be a finite number > 0, got 0");
    expectError(() => leakyStep(new Float32Array(4), s, leakyParams(), 1, new Uint8Array(3)), "leakyStep: spikes must have length 4, got 3");
  });

  it("leakyStep(input, s, p, dt, spikes) matches a scalar oracle for every reset mode", () => {
    const rng = createRng(7);
    const size = 16;
    const steps = 300;
    const inputs = Array.from({ length: size }, () => Array.from({ length: steps }, () => Math.fround(rng.uniform(-0.2, 0.6))));
    for (const reset of ["subtract", "zero", "none"] as const) {
      const p = leakyParams({ beta: 0.93, threshold: 1.1, reset });
      const s = leakyInit(size, p);
      const spikes = new Uint8Array(size);
      const x = new Float32Array(size);
      const expected = inputs.map((xs) => oracle(xs, p));
      let spikeTotal = 0;
      for (let t = 0; t < steps; t++) {
        for (let j = 0; j < size; j++) x[j] = inputs[j]![t]!;
        spikeTotal += leakyStep(x, s, p, 1 * ms, spikes);
        for (let j = 0; j < size; j++) {
          assert.equal(spikes[j], expected[j]!.s[t], `${reset}: spike of neuron ${j} at step ${t}`);
          // float32 storage: one rounding per step, damped by β: ≤ |v|·EPS32/(2(1 − β)); |v| ≤ 10
          expectClose(s.v[j]!, expected[j]!.v[t]!, { rtol: 0, atol: (10 * EPS32) / (2 * (1 - p.beta)) });
        }
      }
      assert.ok(spikeTotal > 0, `${reset}: some spikes`);
    }
  });

  it("betaFromTau(tau, dt) is e^{−dt/τ} and validates its arguments", () => {
    expectClose(betaFromTau(20 * ms, 1 * ms), Math.exp(-1 / 20), { rtol: EPS32 });
    assert.equal(betaFromTau(5, 5), Math.exp(-1));
    expectError(() => betaFromTau(0, 1), "betaFromTau: tau must be a finite number > 0, got 0");
    expectError(() => betaFromTau(10, -1), "betaFromTau: dt must be a finite number > 0, got -1");
  });

  it("leakyStep with β = betaFromTau(τ, dt) and no input decays like the continuous leak", () => {
    const p = leakyParams({ beta: betaFromTau(10 * ms, 1 * ms) });
    const s = leakyInit(1, p);
    s.v[0] = 0.8;
    const spikes = new Uint8Array(1);
    for (let t = 1; t <= 50; t++) {
      leakyStep(new Float32Array(1), s, p, 1 * ms, spikes);
      expectClose(s.v[0]!, 0.8 * Math.exp(-t / 10), { rtol: (t + 1) * EPS32 }); // one rounding per step
    }
    leakyReset(s, p);
    assert.equal(s.v[0], 0);
  });

  it("the file-head @example runs", () => {
    const p = leakyParams({ beta: betaFromTau(20 * ms, 1 * ms), threshold: 1 });
    const s = leakyInit(4, p);
    const spikes = new Uint8Array(4);
    assert.equal(leakyStep(new Float32Array([0.2, 0.5, 1.2, 0]), s, p, 1 * ms, spikes), 1);
    assert.deepEqual([...spikes], [0, 0, 1, 0]);
    expectClose(s.v[2]!, 0.2, { rtol: 2 * EPS32 });
  });
});
