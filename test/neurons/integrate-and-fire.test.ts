import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32 } from "../../src/core/units";
import {
  integrateAndFire, integrateAndFireInit, integrateAndFireParams, integrateAndFireReset, integrateAndFireStep,
  type IntegrateAndFireParams,
} from "../../src/neurons/integrate-and-fire";
import { expectError } from "../helpers/close";

/** Spike counts of one neuron per input value, each driven by a constant input for T steps. */
function counts(xs: number[], p: IntegrateAndFireParams, steps: number): number[] {
  const s = integrateAndFireInit(xs.length, p);
  const input = Float32Array.from(xs);
  const spikes = new Uint8Array(xs.length);
  const out = new Array<number>(xs.length).fill(0);
  for (let t = 0; t < steps; t++) {
    integrateAndFireStep(input, s, p, 1, spikes);
    for (let j = 0; j < xs.length; j++) out[j]! += spikes[j]!;
  }
  return out;
}

describe("integrateAndFire", () => {
  it("integrateAndFireParams() defaults to threshold 1 with reset by subtraction", () => {
    assert.deepEqual({ ...integrateAndFireParams() }, { threshold: 1, reset: "subtract" });
    assert.equal(integrateAndFire.name, "integrate-and-fire");
    expectError(() => integrateAndFireParams({ threshold: 0 }), "integrateAndFireParams: threshold must be a finite number > 0, got 0");
    expectError(
      () => integrateAndFireParams({ reset: "none" as never }),
      'integrateAndFireParams: reset must be one of "subtract", "zero", got "none"',
    );
    const s = integrateAndFireInit(2, integrateAndFireParams());
    expectError(
      () => integrateAndFireStep(new Float32Array(2), s, integrateAndFireParams(), Infinity, new Uint8Array(2)),
      "integrateAndFireStep: dt must be a finite number > 0, got Infinity",
    );
    expectError(
      () => integrateAndFireStep(new Float32Array(1), s, integrateAndFireParams(), 1, new Uint8Array(2)),
      "integrateAndFireStep: input must have length 2, got 1",
    );
  });

  it("integrateAndFireStep with reset by subtraction fires at relu(x)/θ within 1/T over T steps", () => {
    const xs = [-0.4, 0, 0.013, 0.25, 0.37, 0.5, 0.731, 0.999, 1];
    for (const threshold of [1, 0.8]) {
      const p = integrateAndFireParams({ threshold });
      for (const steps of [10, 100, 1000]) {
        const n = counts(xs.map((x) => x * threshold), p, steps);
        for (let j = 0; j < xs.length; j++) {
          const rate = n[j]! / steps;
          const ideal = Math.max(0, xs[j]!); // relu(x·θ)/θ
          // N = (T·x − v_T)/θ with 0 ≤ v_T ≤ θ, so N/T ∈ [x/θ − 1/T, x/θ]; float32 sums add ≤ T·EPS32·θ to v_T
          assert.ok(rate <= ideal + steps * EPS32 && rate >= ideal - 1 / steps - steps * EPS32, `x ${xs[j]}, T ${steps}: ${rate}`);
        }
      }
    }
  });

  it('integrateAndFireStep with reset "zero" discards the residue and fires once every k steps, k the first with k·x > θ', () => {
    const p = integrateAndFireParams({ reset: "zero" });
    const steps = 1200;
    const xs = [0.3, 0.25, 0.6];
    const n = counts(xs, p, steps);
    // v climbs x, 2x, …; it fires at the first k with k·x > θ and restarts from 0
    for (let j = 0; j < xs.length; j++) {
      let k = 0;
      let v = 0;
      do {
        v = Math.fround(v + Math.fround(xs[j]!)); // the float32 sum the state holds
        k++;
      } while (!(v > 1));
      assert.equal(n[j], Math.floor(steps / k), `x ${xs[j]}`);
    }
    // subtraction keeps the residue and is faster for x = 0.3: 360 vs 300 spikes
    const subtract = counts([0.3], integrateAndFireParams(), steps)[0]!;
    assert.ok(subtract > n[0]!);
  });

  it("integrateAndFireStep fires only when v > threshold (strict) and integrateAndFireReset zeroes v", () => {
    const p = integrateAndFireParams();
    const s = integrateAndFireInit(1, p);
    const spikes = new Uint8Array(1);
    assert.equal(integrateAndFireStep(new Float32Array([1]), s, p, 1, spikes), 0); // v = θ exactly
    assert.equal(s.v[0], 1);
    assert.equal(integrateAndFireStep(new Float32Array([0.5]), s, p, 1, spikes), 1);
    assert.equal(s.v[0], 0.5);
    integrateAndFireReset(s, p);
    assert.equal(s.v[0], 0);
  });

  it("the file-head @example runs", () => {
    const p = integrateAndFireParams({ reset: "subtract" });
    const s = integrateAndFireInit(2, p);
    const spikes = new Uint8Array(2);
    assert.equal(integrateAndFireStep(new Float32Array([0.3, 1.5]), s, p, 1, spikes), 1);
    assert.deepEqual([...spikes], [0, 1]);
    assert.deepEqual([...s.v], [Math.fround(0.3), 0.5]);
  });
});
