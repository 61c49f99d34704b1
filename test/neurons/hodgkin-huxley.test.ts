import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ms } from "../../src/core/units";
import {
  hodgkinHuxley, hodgkinHuxleyInit, hodgkinHuxleyParams, hodgkinHuxleyRates, hodgkinHuxleyReset, hodgkinHuxleyStep,
} from "../../src/neurons/hodgkin-huxley";
import { expectClose, expectError } from "../helpers/close";

const EPS64 = 2 ** -52;
const DT = 0.025 * ms;

/** Spike times (ms) and the trace of v for one neuron under current density I(t), µA/cm². */
function run(current: (t: number) => number, duration: number, dt = DT) {
  const p = hodgkinHuxleyParams();
  const s = hodgkinHuxleyInit(1, p);
  const input = new Float32Array(1);
  const spikes = new Uint8Array(1);
  const times: number[] = [];
  const v: number[] = [];
  const steps = Math.round(duration / dt);
  for (let k = 0; k < steps; k++) {
    input[0] = current(k * dt);
    hodgkinHuxleyStep(input, s, p, dt, spikes);
    if (spikes[0]) times.push((k + 1) * dt);
    v.push(s.v[0]!);
  }
  return { times, v };
}

/** Rate in Hz from the spikes in the second half of a `duration` ms run (steady state). */
function steadyRate(times: number[], duration: number): number {
  const late = times.filter((t) => t > duration / 2);
  return late.length < 2 ? 0 : (1000 * (late.length - 1)) / (late[late.length - 1]! - late[0]!);
}

describe("hodgkinHuxley", () => {
  it("hodgkinHuxleyParams() has the 1952 Table 3 constants in the modern convention", () => {
    assert.deepEqual({ ...hodgkinHuxleyParams() }, {
      cMem: 1, gNa: 120, gK: 36, gL: 0.3, eNa: 50, eK: -77, eL: -54.387, vInit: -65, vSpike: 0, temperature: 6.3,
    });
    assert.equal(hodgkinHuxley.name, "hodgkin-huxley");
    expectError(() => hodgkinHuxleyParams({ cMem: 0 }), "hodgkinHuxleyParams: cMem must be a finite number > 0, got 0");
    expectError(() => hodgkinHuxleyParams({ gK: -36 }), "hodgkinHuxleyParams: gK must be a finite number >= 0, got -36");
    expectError(() => hodgkinHuxleyParams({ eNa: NaN }), "hodgkinHuxleyParams: eNa must be a finite number, got NaN");
    const s = hodgkinHuxleyInit(2, hodgkinHuxleyParams());
    expectError(
      () => hodgkinHuxleyStep(new Float32Array(2), s, hodgkinHuxleyParams(), NaN, new Uint8Array(2)),
      "hodgkinHuxleyStep: dt must be a finite number > 0, got NaN",
    );
    expectError(
      () => hodgkinHuxleyStep(new Float32Array(5), s, hodgkinHuxleyParams(), DT, new Uint8Array(2)),
      "hodgkinHuxleyStep: input must have length 2, got 5",
    );
  });

  it("hodgkinHuxleyRates(v, p) are finite and continuous at the removable singularities −40 and −55 mV", () => {
    const p = hodgkinHuxleyParams();
    const at = hodgkinHuxleyRates(-40, p);
    assert.equal(at.alphaM, 1); // 0.1·10 at the limit
    expectClose(hodgkinHuxleyRates(-55, p).alphaN, 0.1, { rtol: 4 * EPS64 });
    for (const h of [1e-7, -1e-7]) {
      // y/(1 − e^{−y}) = 1 + y/2 + O(y²): continuous through the singular point
      expectClose(hodgkinHuxleyRates(-40 + h, p).alphaM, 1 + h / 20, { rtol: 1e-13 });
      expectClose(hodgkinHuxleyRates(-55 + h, p).alphaN, 0.1 * (1 + h / 20), { rtol: 1e-13 });
    }
    // the textbook form away from the singularity
    const v = -30;
    expectClose(hodgkinHuxleyRates(v, p).alphaM, (0.1 * (v + 40)) / (1 - Math.exp(-(v + 40) / 10)), { rtol: 8 * EPS64 });
    // the Q10 = 3 factor: 10 °C warmer triples every rate
    const warm = hodgkinHuxleyRates(v, hodgkinHuxleyParams({ temperature: 16.3 }));
    expectClose(warm.betaN, 3 * hodgkinHuxleyRates(v, p).betaN, { rtol: 8 * EPS64 });
  });

  it("hodgkinHuxleyStep with zero input stays within 0.1 mV of the −65 mV rest", () => {
    const { v, times } = run(() => 0, 500);
    assert.equal(times.length, 0);
    for (const x of v) assert.ok(Math.abs(x - -65) < 0.1, `v = ${x}`);
  });

  it("hodgkinHuxleyStep fires an action potential peaking between +30 and +50 mV, counted once", () => {
    // a 1 ms pulse of 20 µA/cm² from rest
    const { v, times } = run((t) => (t < 1 ? 20 : 0), 50);
    assert.equal(times.length, 1);
    const peak = Math.max(...v);
    assert.ok(peak > 30 && peak < 50, `peak ${peak} mV`);
    const trough = Math.min(...v.slice(Math.round(times[0]! / DT)));
    assert.ok(trough < -70, `after-hyperpolarisation to ${trough} mV (EK = −77 mV)`);
  });

  it("hodgkinHuxleyStep is refractory: a second pulse 3 ms after a spike fails, one 20 ms after succeeds", () => {
    const pulses = (gap: number) => (t: number) => (t < 1 || (t >= 1 + gap && t < 2 + gap) ? 20 : 0);
    assert.equal(run(pulses(3), 60).times.length, 1);
    assert.equal(run(pulses(20), 60).times.length, 2);
  });

  it("hodgkinHuxleyStep shows a type-II onset of repetitive firing at 6–7 µA/cm², at ≈ 50 Hz", () => {
    const duration = 500;
    let onset = NaN;
    let onsetRate = 0;
    for (let i = 5; i <= 8; i += 0.1) {
      const rate = steadyRate(run(() => i, duration).times, duration);
      if (rate > 0) {
        onset = i;
        onsetRate = rate;
        break;
      }
    }
    assert.ok(onset >= 6 && onset <= 7, `onset at ${onset} µA/cm²`);
    // type II: the first sustained rate is far from zero (a class-I neuron starts near 0 Hz)
    assert.ok(onsetRate > 40, `onset rate ${onsetRate} Hz`);
  });

  it("hodgkinHuxleyStep fires at 60–75 Hz at 10 µA/cm², and the rate hardly depends on dt ≤ 0.025 ms", () => {
    const duration = 1000;
    const coarse = steadyRate(run(() => 10, duration).times, duration);
    const fine = steadyRate(run(() => 10, duration, 0.01).times, duration);
    assert.ok(coarse > 60 && coarse < 75, `${coarse} Hz`);
    assert.ok(Math.abs(coarse - fine) / fine < 0.01, `dt 0.025: ${coarse} Hz, dt 0.01: ${fine} Hz`);
  });

  it("hodgkinHuxleyReset(s, p) puts v at vInit with every gate at its steady state", () => {
    const p = hodgkinHuxleyParams();
    const s = hodgkinHuxleyInit(1, p);
    for (let k = 0; k < 400; k++) hodgkinHuxleyStep(new Float32Array([10]), s, p, DT, new Uint8Array(1));
    hodgkinHuxleyReset(s, p);
    const r = hodgkinHuxleyRates(-65, p);
    assert.equal(s.v[0], -65);
    assert.equal(s.m[0], Math.fround(r.alphaM / (r.alphaM + r.betaM)));
    assert.equal(s.h[0], Math.fround(r.alphaH / (r.alphaH + r.betaH)));
    assert.equal(s.n[0], Math.fround(r.alphaN / (r.alphaN + r.betaN)));
    expectClose(s.m[0]!, 0.0529, { rtol: 1e-2 }); // the textbook m∞(−65 mV) ≈ 0.053
  });

  it("the file-head @example runs", () => {
    const p = hodgkinHuxleyParams();
    const s = hodgkinHuxleyInit(1, p);
    const spikes = new Uint8Array(1);
    const drive = new Float32Array([10]);
    let n = 0;
    for (let t = 0; t < 40000; t++) n += hodgkinHuxleyStep(drive, s, p, 0.025 * ms, spikes);
    assert.ok(n >= 60 && n <= 75, `${n} spikes`);
  });
});
