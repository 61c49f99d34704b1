import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { spikeCounts } from "../../src/encoders/spike-train";
import { driveNeurons } from "../../src/network/drive";
import { izhikevich, izhikevichParams } from "../../src/neurons/izhikevich";
import { lif, lifParams, lifRateClosedForm } from "../../src/neurons/lif";
import { lifIntegrationError } from "../../src/neurons/integration-error";
import { expectClose, expectError } from "../helpers/close";

describe("driveNeurons", () => {
  it("driveNeurons(lif, p, {current}) gives the closed-form sub-threshold step response", () => {
    const p = lifParams();
    const r = driveNeurons(lif, p, { current: 1, duration: 100, dt: 0.1 });
    const v = r.traces.v!;
    assert.equal(v.times.length, 1000);
    // sample k is the state at the start of step k, i.e. after k steps
    for (const k of [10, 200, 999]) expectClose(v.values[k]!, p.vRest + p.rMem * (1 - Math.exp(-(k * 0.1) / p.tauMem)), { rtol: 256 * 2 ** -23 });
    assert.equal(r.spikes.times.length, 0);
  });

  it("driveNeurons(lif, p, {current: per neuron}) fires at the closed-form rates", () => {
    const p = lifParams();
    const currents = [2, 3, 5];
    const r = driveNeurons(lif, p, { size: 3, current: currents, duration: 2000, dt: 0.1, record: [] });
    const counts = spikeCounts(r.spikes);
    currents.forEach((i, k) => {
      const expected = lifRateClosedForm(i, p) * 2000;
      assert.ok(Math.abs(counts[k]! - expected) <= 1, `neuron ${k}: ${counts[k]} spikes, expected ${expected}`);
    });
  });

  it("driveNeurons applies a current schedule and synaptic events at their steps", () => {
    const p = izhikevichParams();
    const r = driveNeurons(izhikevich, p, { current: [{ start: 0, value: 0 }, { start: 50, value: 10 }], duration: 200, dt: 0.5, record: ["v", "u"] });
    assert.ok(r.spikes.times.length > 0 && r.spikes.times[0]! >= 50, "no spike before the step onset");
    assert.ok(r.traces.u, "u recorded");
    const psp = driveNeurons(lif, lifParams({ synapse: "exponential", tauSyn: 5 }), { events: [{ time: 10, weight: 0.5 }], duration: 60, dt: 0.1, record: ["v", "i"] });
    const i = psp.traces.i!.values;
    assert.equal(i[100], 0, "no current before the event arrives");
    expectClose(i[101]!, 0.5 * Math.exp(-0.1 / 5), { rtol: 1e-6 });
  });

  it("driveNeurons rejects unknown variables and wrong lengths with the standard message", () => {
    expectError(() => driveNeurons(lif, lifParams(), { size: 2, current: [1], duration: 10, dt: 0.1 }), "driveNeurons: current[0].value must have one value per neuron (2), got 1");
    expectError(() => driveNeurons(lif, lifParams(), { duration: 10, dt: 0.1, record: ["w"] }), /^driveNeurons: record must name Float32Array state fields of lif \(.*\), got "w"$/);
  });
});

describe("lifIntegrationError", () => {
  it("lifIntegrationError: Euler's error halves with dt, exact stays at float32 rounding", () => {
    const p = lifParams();
    const e1 = lifIntegrationError(p, { method: "euler", dt: 0.2, current: 1, duration: 100 });
    const e2 = lifIntegrationError(p, { method: "euler", dt: 0.1, current: 1, duration: 100 });
    assert.ok(e1 / e2 > 1.9 && e1 / e2 < 2.1, `first order: ratio ${e1 / e2}`);
    assert.ok(lifIntegrationError(p, { method: "exact", dt: 0.2, current: 1, duration: 100 }) < 1e-4);
    expectError(() => lifIntegrationError(p, { method: "euler", dt: 0.1, current: 5, duration: 10 }), "lifIntegrationError: current must stay below threshold (R·I < 15 mV), got 5");
  });
});
