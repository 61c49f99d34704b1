import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32, ms } from "../../src/core/units";
import {
  conductanceLif, conductanceLifInit, conductanceLifParams, conductanceLifReset, conductanceLifStep,
  diehlCookExcitatory, diehlCookInhibitory, type ConductanceLifParams,
} from "../../src/neurons/conductance-lif";
import { expectClose, expectError } from "../helpers/close";

const EPS64 = 2 ** -52;

describe("conductanceLif", () => {
  it("diehlCookExcitatory and diehlCookInhibitory hold every constant of Diehl & Cook's code", () => {
    assert.deepEqual({ ...diehlCookExcitatory }, {
      vRest: -65, vReset: -65, vThreshold: -52, tauMem: 100, tRef: 5, thresholdHoldoff: 50,
      eExc: 0, eInh: -100, tauGe: 1, tauGi: 2,
      thetaPlus: 0.05, tauTheta: 1e7, thetaInit: 20, thetaOffset: 20, freezeTheta: false,
      method: "exponential-euler",
    });
    assert.deepEqual({ ...diehlCookInhibitory }, {
      vRest: -60, vReset: -45, vThreshold: -40, tauMem: 10, tRef: 2, thresholdHoldoff: 0,
      eExc: 0, eInh: -85, tauGe: 1, tauGi: 2,
      thetaPlus: 0, tauTheta: 1e7, thetaInit: 0, thetaOffset: 0, freezeTheta: false,
      method: "exponential-euler",
    });
    assert.ok(Object.isFrozen(diehlCookExcitatory) && Object.isFrozen(diehlCookInhibitory));
    // the effective threshold of a fresh excitatory neuron is (θ − 20 mV) − 52 mV = −52 mV
    const s = conductanceLifInit(1, diehlCookExcitatory);
    assert.equal(s.theta[0], 20);
    assert.equal(s.v[0], -65);
  });

  it("conductanceLifParams() defaults to the excitatory membrane without adaptation", () => {
    assert.deepEqual({ ...conductanceLifParams() }, {
      vRest: -65, vReset: -65, vThreshold: -52, tauMem: 100, tRef: 5, thresholdHoldoff: 0,
      eExc: 0, eInh: -100, tauGe: 1, tauGi: 2,
      thetaPlus: 0, tauTheta: 1e7, thetaInit: 0, thetaOffset: 0, freezeTheta: false,
      method: "exponential-euler",
    });
    assert.equal(conductanceLif.name, "conductance-lif");
    assert.equal(conductanceLif.step, conductanceLifStep);
  });

  it("conductanceLifParams(options) and conductanceLifStep reject bad input with the standard message", () => {
    const fn = "conductanceLifParams";
    expectError(() => conductanceLifParams({ vThreshold: -70 }), `${fn}: vThreshold must be > vReset (-65), got -70`);
    expectError(() => conductanceLifParams({ tauGe: 0 }), `${fn}: tauGe must be a finite number > 0, got 0`);
    expectError(() => conductanceLifParams({ tauTheta: NaN }), `${fn}: tauTheta must be a finite number > 0, got NaN`);
    expectError(() => conductanceLifParams({ thetaPlus: -0.05 }), `${fn}: thetaPlus must be a finite number >= 0, got -0.05`);
    expectError(() => conductanceLifParams({ freezeTheta: 1 as never }), `${fn}: freezeTheta must be a boolean, got 1`);
    expectError(
      () => conductanceLifParams({ method: "rk4" as never }),
      `${fn}: method must be one of "exponential-euler", "euler", got "rk4"`,
    );
    const s = conductanceLifInit(2, diehlCookExcitatory);
    expectError(
      () => conductanceLifStep(new Float32Array(2), s, diehlCookExcitatory, 0, new Uint8Array(2)),
      "conductanceLifStep: dt must be a finite number > 0, got 0",
    );
    expectError(
      () => conductanceLifStep(new Float32Array(3), s, diehlCookExcitatory, 0.5, new Uint8Array(2)),
      "conductanceLifStep: input must have length 2, got 3",
    );
  });

  it("conductanceLifStep never fires without input and θ decays as θ0·e^{−t/τθ}", () => {
    const p = diehlCookExcitatory;
    const s = conductanceLifInit(3, p);
    const spikes = new Uint8Array(3);
    const input = new Float32Array(3);
    const dt = 0.5 * ms;
    let total = 0;
    for (let k = 0; k < 4000; k++) total += conductanceLifStep(input, s, p, dt, spikes);
    assert.equal(total, 0);
    assert.deepEqual([...s.v], [-65, -65, -65]);
    // θ is float64: one rounding per step, 4000·EPS64 relative
    expectClose(s.theta[0]!, 20 * Math.exp((-4000 * dt) / p.tauTheta), { rtol: 4000 * EPS64 });
    assert.ok(s.theta[0]! < 20, "the decay is not lost to rounding");
  });

  it("conductanceLifStep pulls v towards eInh under inhibition, exactly for a held conductance", () => {
    const p = diehlCookExcitatory;
    const s = conductanceLifInit(1, p);
    const spikes = new Uint8Array(1);
    const input = new Float32Array(1);
    const dt = 0.5 * ms;
    const g = 10;
    const vInf = (p.vRest + g * p.eInh) / (1 + g); // −96.8 mV
    const rate = (1 + g) / p.tauMem;
    for (let k = 1; k <= 200; k++) {
      s.gi[0] = g; // hold gi at g for the step (the projection refills it)
      conductanceLifStep(input, s, p, dt, spikes);
      // one float32 rounding per step (≤ 100 mV·EPS32/2), damped by e^{−dt(1+g)/τm}: ≤ 100·EPS32/(2(1 − e^{−dt·rate}))
      const atol = (100 * EPS32) / (2 * (1 - Math.exp(-dt * rate)));
      expectClose(s.v[0]!, vInf + (p.vRest - vInf) * Math.exp(-k * dt * rate), { rtol: 0, atol, message: `step ${k}` });
      assert.ok(s.v[0]! >= p.eInh);
    }
    // a single inhibitory event hyperpolarises, then v returns to rest
    const t = conductanceLifInit(1, p);
    t.gi[0] = 17;
    let lowest = 0;
    for (let k = 0; k < 4000; k++) {
      conductanceLifStep(input, t, p, dt, spikes);
      lowest = Math.min(lowest, t.v[0]!);
    }
    assert.ok(lowest < p.vRest - 0.5, `IPSP trough ${lowest} mV`);
    expectClose(t.v[0]!, p.vRest, { rtol: 1e-4 }); // 2 s later: the IPSP has decayed by e^{−20}
  });

  it("conductanceLifStep adds input to ge, which decays as e^{−t/τge}", () => {
    const p = diehlCookExcitatory;
    const s = conductanceLifInit(1, p);
    const spikes = new Uint8Array(1);
    const dt = 0.5 * ms;
    conductanceLifStep(new Float32Array([0.3]), s, p, dt, spikes);
    for (let k = 1; k <= 10; k++) {
      if (k > 1) conductanceLifStep(new Float32Array(1), s, p, dt, spikes);
      expectClose(s.ge[0]!, 0.3 * Math.exp((-k * dt) / p.tauGe), { rtol: (k + 1) * EPS32 });
    }
    assert.ok(s.v[0]! > p.vRest, "an excitatory input depolarises");
  });

  function drive(p: ConductanceLifParams, steps: number, dt: number, ge: number) {
    const s = conductanceLifInit(1, p);
    const spikes = new Uint8Array(1);
    const input = new Float32Array([ge]);
    const spikeSteps: number[] = [];
    const v: number[] = [];
    const theta: number[] = [];
    for (let k = 0; k < steps; k++) {
      conductanceLifStep(input, s, p, dt, spikes);
      if (spikes[0]) spikeSteps.push(k);
      v.push(s.v[0]!);
      theta.push(s.theta[0]!);
    }
    return { spikeSteps, v, theta, state: s };
  }

  it("conductanceLifStep raises θ by θ+ per spike and freezes it with freezeTheta", () => {
    const dt = 0.5 * ms;
    const p = diehlCookExcitatory;
    const { spikeSteps, theta } = drive(p, 2000, dt, 5);
    assert.ok(spikeSteps.length >= 15, `${spikeSteps.length} spikes`);
    // oracle: θ0·d^n + Σ θ+·d^(n − 1 − k) over spike steps k, d = e^{−dt/τθ}
    const decay = Math.exp(-dt / p.tauTheta);
    let expected = 20;
    let j = 0;
    for (let k = 0; k < 2000; k++) {
      expected *= decay;
      if (spikeSteps[j] === k) {
        expected += p.thetaPlus;
        j++;
        // at a spike: one step of decay, then exactly θ+ more (float64: two roundings)
        expectClose(theta[k]!, theta[k - 1]! * decay + p.thetaPlus, { rtol: 2 * EPS64 });
      }
    }
    expectClose(theta[1999]!, expected, { rtol: 4000 * EPS64 });

    const frozen = conductanceLifParams({ ...p, freezeTheta: true });
    const run = drive(frozen, 2000, dt, 5);
    assert.ok(run.spikeSteps.length >= 15);
    assert.ok(run.theta.every((x) => x === 20), "θ neither grows nor decays when frozen");
  });

  it("conductanceLifStep clamps v for tRef and holds the threshold off for thresholdHoldoff", () => {
    const dt = 0.5 * ms;
    const p = conductanceLifParams({ ...diehlCookExcitatory, freezeTheta: true });
    const { spikeSteps, v } = drive(p, 1000, dt, 50); // overwhelming drive: fires as soon as armed
    assert.ok(spikeSteps.length >= 8);
    for (let j = 1; j < spikeSteps.length; j++) {
      // the threshold is tested at step ends more than 50 ms after the spike: 101 steps, as
      // `timer > 50*ms` in Brian2's port of the original code
      assert.equal(spikeSteps[j]! - spikeSteps[j - 1]!, 101);
    }
    const k = spikeSteps[0]!;
    for (let m = 1; m <= 10; m++) assert.equal(v[k + m], p.vReset, `clamped ${m} steps after`); // 5 ms
    assert.ok(v[k + 11]! > p.vThreshold, "free after tRef: v rises above −52 mV but may not fire yet");

    const inhibitory = drive(diehlCookInhibitory, 400, dt, 50);
    for (let j = 1; j < inhibitory.spikeSteps.length; j++) {
      // tRef 2 ms = 4 clamped steps, then the first free step fires
      assert.equal(inhibitory.spikeSteps[j]! - inhibitory.spikeSteps[j - 1]!, 5);
    }
  });

  it('conductanceLifStep with method "euler" is the forward-Euler update of the original Brian code', () => {
    const p = conductanceLifParams({ ...diehlCookExcitatory, method: "euler" });
    const s = conductanceLifInit(2, p);
    s.v.set([-60, -55]);
    s.ge.set([0.4, 0]);
    s.gi.set([0.2, 1.5]);
    const dt = 0.5 * ms;
    const input = new Float32Array([0.1, 0.3]);
    const before = { v: [...s.v], ge: [...s.ge], gi: [...s.gi] };
    conductanceLifStep(input, s, p, dt, new Uint8Array(2));
    for (let k = 0; k < 2; k++) {
      const ge = before.ge[k]! + input[k]!;
      const gi = before.gi[k]!;
      const v = before.v[k]!;
      const vNext = v + (dt / p.tauMem) * (p.vRest - v + ge * (p.eExc - v) + gi * (p.eInh - v));
      expectClose(s.v[k]!, vNext, { rtol: EPS32 });
      expectClose(s.ge[k]!, ge * (1 - dt / p.tauGe), { rtol: EPS32 });
      expectClose(s.gi[k]!, gi * (1 - dt / p.tauGi), { rtol: EPS32 });
    }
  });

  it("conductanceLifReset(s, p) rests v, ge, gi and the timer but keeps the learned θ", () => {
    const p = diehlCookExcitatory;
    const { state } = drive(p, 400, 0.5, 5);
    assert.ok(state.theta[0]! > 20);
    const theta = state.theta[0]!;
    conductanceLifReset(state, p);
    assert.equal(state.v[0], -65);
    assert.equal(state.ge[0], 0);
    assert.equal(state.gi[0], 0);
    assert.equal(state.timer[0], Infinity);
    assert.equal(state.theta[0], theta);
  });

  it("the file-head @example runs", () => {
    const p = diehlCookExcitatory;
    const s = conductanceLifInit(100, p);
    const spikes = new Uint8Array(100);
    const excitatory = new Float32Array(100);
    s.gi[3] += 17;
    assert.equal(conductanceLifStep(excitatory, s, p, 0.5 * ms, spikes), 0);
    assert.ok(s.v[3]! < -65);
    const testing = conductanceLifParams({ ...diehlCookExcitatory, freezeTheta: true });
    assert.equal(testing.freezeTheta, true);
  });
});
