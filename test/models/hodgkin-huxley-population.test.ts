import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hodgkinHuxleyPopulation } from "../../src/models/hodgkin-huxley-population";

describe("hodgkinHuxleyPopulation", () => {
  it("hodgkinHuxleyPopulation() reproduces Brian2's f–I population: mean 52.2 Hz, max 90 Hz", () => {
    // The model, input and integrator are Brian2's; the state is float32 (Brian2: float64), which
    // can move a spike by a step near the end of the run: ±1 spike per neuron at most, so the mean
    // within 1 Hz and the maximum within 2 Hz.
    const r = hodgkinHuxleyPopulation();
    assert.ok(Math.abs(r.meanRate - 52.244) < 1, `${r.meanRate} Hz`);
    assert.ok(Math.abs(r.maxRate - 90) <= 2, `${r.maxRate} Hz`);
    assert.ok(Math.abs(r.fractionActive - 0.973) < 0.01);
    // The f–I curve is monotone above the rheobase (allowing one spike of jitter).
    for (let i = 1; i < 1000; i++) assert.ok(r.rates[i] >= r.rates[i - 1] - 1, `neuron ${i}`);
    assert.equal(r.currents[500], Math.fround(0.35));
  });
});
