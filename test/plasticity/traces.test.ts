import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32, ms } from "../../src/core/units";
import { resetTraces, traceDecay, traceDefaults, traceParams, traceStep } from "../../src/plasticity/traces";
import { expectClose, expectError } from "../helpers/close";

const HALF_ULP = EPS32 / 2;

describe("traceStep", () => {
  it("traceStep(spikes, trace, p, dt) decays exactly: x(n·dt) = e^{−n·dt/τ} after one spike", () => {
    const p = traceParams({ tau: 20 * ms });
    const trace = new Float32Array(1);
    traceStep(new Uint8Array([1]), trace, p, 0.1 * ms);
    assert.equal(trace[0], 1);
    const none = new Uint8Array(1);
    for (let n = 1; n <= 1000; n++) {
      traceStep(none, trace, p, 0.1 * ms);
      // One float32 rounding per step: relative error ≤ n·2^-24.
      if (n % 100 === 0) expectClose(trace[0], Math.exp(-(n * 0.1) / 20), { rtol: n * HALF_ULP });
    }
  });

  it("traceStep(...) accumulates all-to-all and resets to 1 for nearest-spike interaction", () => {
    const dt = 5 * ms;
    const spike = new Uint8Array([1]);
    const all = new Float32Array(1);
    const nearest = new Float32Array(1);
    for (const [trace, interaction] of [[all, "all-to-all"], [nearest, "nearest"]] as const) {
      traceStep(spike, trace, { tau: 10, interaction }, dt);
      traceStep(spike, trace, { tau: 10, interaction }, dt);
    }
    expectClose(all[0], 1 + Math.exp(-0.5), { rtol: 2 * HALF_ULP });
    assert.equal(nearest[0], 1);
  });

  it("traceDecay(tau, dt) is e^{−dt/τ} and traceParams() defaults to τ = 20 ms, all-to-all", () => {
    assert.equal(traceDecay(20, 1), Math.exp(-1 / 20));
    assert.deepEqual(traceParams(), { tau: 20, interaction: "all-to-all" });
    assert.deepEqual(traceDefaults, traceParams());
  });

  it("traceStep(...) and traceParams(...) reject τ ≤ 0, dt ≤ 0 and a length mismatch", () => {
    expectError(() => traceParams({ tau: -1 }), "traceParams: tau must be a finite number > 0, got -1");
    expectError(() => traceStep(new Uint8Array(2), new Float32Array(3), traceDefaults, 1), "traceStep: trace must have length 2, got 3");
    expectError(() => traceStep(new Uint8Array(2), new Float32Array(2), traceDefaults, 0), "traceStep: dt must be a finite number > 0, got 0");
  });
});

describe("resetTraces", () => {
  it("resetTraces(traces) zeroes every array of a trace record in place", () => {
    const traces = { pre: new Float32Array([1, 2]), post: new Float32Array([3]) };
    resetTraces(traces);
    assert.deepEqual([...traces.pre, ...traces.post], [0, 0, 0]);
    expectError(() => resetTraces({ pre: [1] } as never), "resetTraces: traces must be a record of Float32Arrays, got Array(1)");
  });
});
