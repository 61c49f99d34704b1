import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32, ms, nA, toHz } from "../../src/core/units";
import {
  alphaKernel, expKernel, lif, lifDefaults, lifInit, lifParams, lifRateClosedForm, lifReset, lifStep,
  type LifParams,
} from "../../src/neurons/lif";
import { expectClose, expectError } from "../helpers/close";

/** Runs one neuron for `steps` steps with the given input per step; returns v after each step and the spike steps. */
function simulate(p: LifParams, dt: number, steps: number, inputAt: (step: number) => number, iExt = 0) {
  const s = lifInit(1, p);
  s.iExt[0] = iExt;
  const input = new Float32Array(1);
  const spikes = new Uint8Array(1);
  const v: number[] = [];
  const current: number[] = [];
  const spikeSteps: number[] = [];
  for (let k = 0; k < steps; k++) {
    input[0] = inputAt(k);
    lifStep(input, s, p, dt, spikes);
    v.push(s.v[0]!);
    current.push(s.i[0]!);
    if (spikes[0]) spikeSteps.push(k);
  }
  return { v, current, spikeSteps };
}

/** Float64 RK4 of the (v, i, x) system from a state, for an independent oracle. */
function rk4Lif(p: LifParams, v0: number, i0: number, x0: number, t: number, h: number): number {
  const f = (v: number, i: number, x: number): [number, number, number] => [
    (-(v - p.vRest) + p.rMem * i) / p.tauMem, (x - i) / p.tauSyn, -x / p.tauSyn,
  ];
  let v = v0, i = i0, x = x0;
  const n = Math.round(t / h);
  for (let k = 0; k < n; k++) {
    const a = f(v, i, x);
    const b = f(v + (h / 2) * a[0], i + (h / 2) * a[1], x + (h / 2) * a[2]);
    const c = f(v + (h / 2) * b[0], i + (h / 2) * b[1], x + (h / 2) * b[2]);
    const d = f(v + h * c[0], i + h * c[1], x + h * c[2]);
    v += (h / 6) * (a[0] + 2 * b[0] + 2 * c[0] + d[0]);
    i += (h / 6) * (a[1] + 2 * b[1] + 2 * c[1] + d[1]);
    x += (h / 6) * (a[2] + 2 * b[2] + 2 * c[2] + d[2]);
  }
  return v;
}

describe("lif", () => {
  it("lifParams() has the documented defaults and the model object bundles the functions", () => {
    const p = lifParams();
    assert.deepEqual({ ...p }, {
      tauMem: 20, rMem: 10, vRest: -65, vReset: -65, vThreshold: -50, tRef: 2, synapse: "delta", tauSyn: 5,
    });
    assert.ok(Object.isFrozen(p) && Object.isFrozen(lifDefaults));
    assert.equal(lif.name, "lif");
    assert.equal(lif.step, lifStep);
    assert.equal(lif.params, lifParams);
    assert.deepEqual({ ...lif.defaults }, { ...p });
  });

  it("lifParams(options) rejects bad values with the standard message", () => {
    expectError(() => lifParams({ tauMem: 0 }), "lifParams: tauMem must be a finite number > 0, got 0");
    expectError(() => lifParams({ tauMem: NaN }), "lifParams: tauMem must be a finite number > 0, got NaN");
    expectError(() => lifParams({ tauSyn: -1 }), "lifParams: tauSyn must be a finite number > 0, got -1");
    expectError(() => lifParams({ tRef: -1 }), "lifParams: tRef must be a finite number >= 0, got -1");
    expectError(() => lifParams({ vThreshold: -70 }), "lifParams: vThreshold must be > vReset (-65), got -70");
    expectError(() => lifParams({ vThreshold: -65 }), "lifParams: vThreshold must be > vReset (-65), got -65");
    expectError(
      () => lifParams({ synapse: "gamma" as never }),
      'lifParams: synapse must be one of "delta", "exponential", "alpha", got "gamma"',
    );
    expectError(() => lifParams({ tau: 5 } as never), /^lifParams: options must have only the keys tauMem, /);
  });

  it("lifStep(input, s, p, dt, spikes) rejects a bad dt and mismatched lengths before running", () => {
    const p = lifParams();
    const s = lifInit(3, p);
    const before = Float32Array.from(s.v);
    expectError(() => lifStep(new Float32Array(3), s, p, 0, new Uint8Array(3)), "lifStep: dt must be a finite number > 0, got 0");
    expectError(() => lifStep(new Float32Array(3), s, p, -0.1, new Uint8Array(3)), "lifStep: dt must be a finite number > 0, got -0.1");
    expectError(() => lifStep(new Float32Array(3), s, p, NaN, new Uint8Array(3)), "lifStep: dt must be a finite number > 0, got NaN");
    expectError(() => lifStep(new Float32Array(2), s, p, 0.1, new Uint8Array(3)), "lifStep: input must have length 3, got 2");
    expectError(() => lifStep(new Float32Array(3), s, p, 0.1, new Uint8Array(4)), "lifStep: spikes must have length 3, got 4");
    expectError(() => lifInit(-1, p), "lifInit: size must be an integer in [0, 2^30], got -1");
    expectError(() => lifInit(1e12, p), "lifInit: size must be an integer in [0, 2^30], got 1000000000000");
    expectError(() => lifInit(2, undefined as never), "lifInit: p must be parameters from lifParams(options), got undefined");
    expectError(() => lifStep(new Float32Array(1), null as never, p, 0.1, new Uint8Array(1)), "lifStep: state must be a state from lifInit(size, p), got null");
    expectError(() => lifReset(lifInit(1, p), null as never), "lifReset: p must be parameters from lifParams(options), got null");
    assert.deepEqual(s.v, before);
  });

  it("lifStep(input, s, p, dt) follows v(t) = vRest + R·I·(1 − e^{−t/τ}) below threshold", () => {
    const p = lifParams();
    const dt = 0.1 * ms;
    const current = 1.2 * nA; // R·I = 12 mV < 15 mV: never reaches threshold
    const { v, spikeSteps } = simulate(p, dt, 2000, () => 0, current);
    assert.equal(spikeSteps.length, 0);
    // Exact update, one float32 rounding (≤ EPS32/2 relative) per step, damped by e^{−dt/τ}:
    // accumulated error ≤ (EPS32/2)/(1 − e^{−dt/τ}) ≈ (τ/dt)·EPS32/2 = 100·EPS32 relative.
    const rtol = (0.5 * p.tauMem / dt) * EPS32;
    for (let k = 0; k < v.length; k++) {
      const t = (k + 1) * dt;
      expectClose(v[k]!, p.vRest + p.rMem * current * (1 - Math.exp(-t / p.tauMem)), { rtol, message: `t = ${t}` });
    }
  });

  it("lifStep is exact where forward Euler has O(dt) error that halves with dt", () => {
    const p = lifParams();
    const current = 1.2 * nA;
    const tEnd = 10 * ms;
    const expected = p.vRest + p.rMem * current * (1 - Math.exp(-tEnd / p.tauMem));
    const eulerError = (dt: number): number => {
      let v = p.vRest;
      for (let k = 0; k < Math.round(tEnd / dt); k++) v += (dt / p.tauMem) * (-(v - p.vRest) + p.rMem * current);
      return Math.abs(v - expected);
    };
    const exactError = (dt: number): number => {
      const { v } = simulate(p, dt, Math.round(tEnd / dt), () => 0, current);
      return Math.abs(v[v.length - 1]! - expected);
    };
    for (const dt of [0.5, 0.25, 0.125]) {
      // float32 bound as in the trajectory test, in mV: (τ/dt)·EPS32/2 relative to |v| ≤ 65 mV
      assert.ok(exactError(dt) <= 65 * (0.5 * p.tauMem / dt) * EPS32, `exact error at dt ${dt}`);
      assert.ok(eulerError(dt) > 1e-3, `Euler error at dt ${dt} is visible`);
    }
    const ratio = eulerError(0.5) / eulerError(0.25);
    // first order: the ratio tends to 2; at dt/τ = 1/40 the next term shifts it by < 5 %
    assert.ok(ratio > 1.9 && ratio < 2.1, `Euler error ratio ${ratio}`);
  });

  it("lifStep reproduces the f–I curve lifRateClosedForm(i, p) to 1e-4 (target 1 %) at dt = 0.1 ms", () => {
    const dt = 0.1 * ms;
    const currents = [1.6, 2, 3, 5, 10, 30].map((x) => x * nA); // 17 Hz … 330 Hz for the defaults
    const sets = [
      lifParams(),
      // refractory not a multiple of dt (partial-step path), vReset below vRest, τm 10 ms
      lifParams({ tRef: 2.05 * ms, vReset: -70, tauMem: 10 * ms }),
      // no refractory period: the free rest of the spike's step is integrated (up to 975 Hz)
      lifParams({ tRef: 0 }),
    ];
    for (const p of sets) {
      const s = lifInit(currents.length, p);
      s.iExt.set(currents);
      const spikes = new Uint8Array(currents.length);
      const input = new Float32Array(currents.length);
      const first = new Array<number>(currents.length).fill(-1);
      const last = new Array<number>(currents.length).fill(-1);
      const counts = new Array<number>(currents.length).fill(0);
      const steps = Math.round((5 * 1000 * ms) / dt); // 5 s
      for (let k = 0; k < steps; k++) {
        lifStep(input, s, p, dt, spikes);
        for (let j = 0; j < currents.length; j++) {
          if (!spikes[j]) continue;
          if (first[j]! < 0) first[j] = k;
          last[j] = k;
          counts[j]!++;
        }
      }
      for (let j = 0; j < currents.length; j++) {
        const expected = lifRateClosedForm(currents[j]!, p);
        const window = (last[j]! - first[j]!) * dt;
        const rate = (counts[j]! - 1) / window;
        // Error budget, relative: the reported steps quantise the first and last crossing by < dt
        // each, dt/window; linear interpolation of the crossing of the concave v(t)
        // (v'' = −v'/τm) misplaces it by ≤ dt²/(8τm) per period T = 1/rate. Twice their sum:
        const rtol = 2 * (dt / window + (dt * dt * expected) / (8 * p.tauMem));
        assert.ok(rtol < 1e-3);
        expectClose(rate, expected, { rtol, message: `${currents[j]} nA, tRef ${p.tRef}` });
      }
    }
  });

  it("lifRateClosedForm(i, p) is 0 up to the rheobase and the textbook value above it", () => {
    const p = lifParams();
    assert.equal(lifRateClosedForm(0, p), 0);
    assert.equal(lifRateClosedForm(1.5 * nA, p), 0); // R·I = ϑ exactly: never fires
    const rate = lifRateClosedForm(2 * nA, p);
    expectClose(rate, 1 / (2 + 20 * Math.log(20 / 5)), { rtol: 4 * EPS32 }); // vReset = vRest form
    expectClose(toHz(rate), 1000 / (2 + 20 * Math.log(4)), { rtol: 4 * EPS32 });
    expectError(() => lifRateClosedForm(NaN, p), "lifRateClosedForm: i must be a finite number, got NaN");
  });

  it("lifStep keeps v at vReset for tRef after a spike and never fires within tRef", () => {
    const p = lifParams({ tRef: 3 * ms });
    const dt = 0.1 * ms;
    const { v, spikeSteps } = simulate(p, dt, 3000, () => 0, 100 * nA); // R·I = 1 V: fires as soon as allowed
    assert.ok(spikeSteps.length > 50);
    const refractorySteps = Math.round(p.tRef / dt);
    for (let j = 1; j < spikeSteps.length; j++) {
      assert.ok(spikeSteps[j]! - spikeSteps[j - 1]! >= refractorySteps, `gap ${spikeSteps[j]! - spikeSteps[j - 1]!}`);
    }
    for (const k of spikeSteps) {
      // steps that end at least one step inside the refractory period are clamped exactly
      for (let m = k; m < k + refractorySteps - 1 && m < v.length; m++) assert.equal(v[m], p.vReset);
    }
  });

  it("lifStep spike times with synaptic input agree between dt = 0.1 ms and dt = 0.001 ms", () => {
    // Inputs every 1 ms lie on both grids, and the integration between them is exact, so the
    // grids differ only by the reporting step (the coarse spike is reported up to dt late) and
    // by the linear interpolation of each crossing, O(dt²·v''/v'): ≤ 0.015 ms measured here,
    // larger for grazing crossings than the constant-current bound; 0.05 ms of margin.
    for (const synapse of ["exponential", "alpha"] as const) {
      const p = lifParams({ synapse, tauSyn: 3 * ms, tRef: 2.05 * ms });
      const times = (dt: number): number[] => {
        const every = Math.round(1 / dt);
        const { spikeSteps } = simulate(p, dt, Math.round(500 / dt), (k) => (k % every === 0 ? 1.2 * nA : 0), 1 * nA);
        return spikeSteps.map((k) => (k + 1) * dt);
      };
      const coarse = times(0.1), fine = times(0.001);
      assert.ok(fine.length > 40, `${synapse}: ${fine.length} spikes`);
      assert.equal(coarse.length, fine.length, synapse);
      for (let j = 0; j < fine.length; j++) {
        const lag = coarse[j]! - fine[j]!;
        assert.ok(lag > -0.001 - 0.05 && lag < 0.1 + 0.05, `${synapse}: spike ${j} lags by ${lag} ms`);
      }
    }
  });

  it("lifStep leaves v ≤ vThreshold and spikes ∈ {0, 1} after every step, even without refractoriness", () => {
    const p = lifParams({ tRef: 0, synapse: "exponential" });
    const s = lifInit(4, p);
    s.iExt.set([0, 2, 50, 5000]); // up to one spike per step
    const spikes = new Uint8Array(4);
    const input = new Float32Array([3, 0, 1, 0]);
    let total = 0;
    for (let k = 0; k < 2000; k++) {
      total += lifStep(input, s, p, 0.1, spikes);
      for (let j = 0; j < 4; j++) {
        assert.ok(s.v[j]! <= p.vThreshold, `v ${s.v[j]} of neuron ${j}`);
        assert.ok(spikes[j] === 0 || spikes[j] === 1);
      }
    }
    assert.ok(total > 2000, "the strongest neuron fires nearly every step");
  });

  it("lifStep does not fire at v exactly equal to vThreshold (strict threshold)", () => {
    const p = lifParams();
    // R·I = vThreshold − vRest: v tends to −50 mV from below; with e^{−dt/τ} = e^{−1} < 1/2 a
    // one-ulp gap shrinks below half an ulp, so v reaches −50 mV exactly in float32
    const { v, spikeSteps } = simulate(p, 20 * ms, 100, () => 0, 1.5 * nA);
    assert.equal(v[v.length - 1], p.vThreshold);
    assert.equal(spikeSteps.length, 0);
    const s = lifInit(1, p);
    s.v[0] = p.vThreshold;
    const spikes = new Uint8Array(1);
    s.iExt[0] = 1.5 * nA;
    assert.equal(lifStep(new Float32Array(1), s, p, 0.1, spikes), 0);
    s.iExt[0] = 1.5001 * nA; // just above: the next step crosses
    assert.equal(lifStep(new Float32Array(1), s, p, 0.1, spikes), 1);
    assert.equal(s.v[0], p.vReset);
  });

  it("lifStep with an exponential synapse: a single input decays as w·e^{−t/τs}", () => {
    const p = lifParams({ synapse: "exponential", tauSyn: 5 * ms });
    const dt = 0.1 * ms;
    const w = 0.8 * nA;
    const { current } = simulate(p, dt, 500, (k) => (k === 0 ? w : 0));
    for (let k = 0; k < current.length; k++) {
      // one float32 rounding per step, each ≤ EPS32/2 relative: (k + 1)·EPS32/2, plus e^{−dt/τ} to 1 ulp
      expectClose(current[k]!, w * expKernel((k + 1) * dt, p.tauSyn), { rtol: (k + 2) * EPS32, message: `step ${k}` });
    }
  });

  it("lifStep with an alpha synapse: the current peaks at s = τs with peak value w", () => {
    const p = lifParams({ synapse: "alpha", tauSyn: 4 * ms });
    const dt = 0.1 * ms;
    const w = 0.5 * nA;
    const { current } = simulate(p, dt, 400, (k) => (k === 0 ? w : 0));
    let peak = 0;
    for (let k = 1; k < current.length; k++) if (current[k]! > current[peak]!) peak = k;
    assert.ok(Math.abs((peak + 1) * dt - p.tauSyn) <= dt, `peak at ${(peak + 1) * dt} ms`);
    // 40 steps of two roundings each (i and x) to the peak: ≤ 80·EPS32/2 relative, doubled for margin
    expectClose(current[peak]!, w, { rtol: 80 * EPS32 });
    for (let k = 0; k < current.length; k++) {
      expectClose(current[k]!, w * alphaKernel((k + 1) * dt, p.tauSyn), { rtol: 2 * (k + 2) * EPS32, atol: 1e-12 });
    }
  });

  it("lifStep gives the closed-form exponential PSP R·w·τs/(τs − τm)·(e^{−t/τs} − e^{−t/τm})", () => {
    const dt = 0.1 * ms;
    const w = 1 * nA;
    for (const tauSyn of [5, 20]) {
      // 20 ms = τm: the degenerate case, R·w·(t/τ)·e^{−t/τ}
      const p = lifParams({ synapse: "exponential", tauSyn });
      const { v } = simulate(p, dt, 1000, (k) => (k === 0 ? w : 0));
      let peak = 0;
      for (let k = 0; k < v.length; k++) {
        const t = (k + 1) * dt;
        const psp = tauSyn === p.tauMem
          ? p.rMem * w * (t / p.tauMem) * Math.exp(-t / p.tauMem)
          : ((p.rMem * w * tauSyn) / (tauSyn - p.tauMem)) * (Math.exp(-t / tauSyn) - Math.exp(-t / p.tauMem));
        peak = Math.max(peak, psp);
        // v carries float32 rounding of |v| ≈ 65 mV per step, damped with τm: (τm/dt)·EPS32/2·65 mV
        expectClose(v[k]!, p.vRest + psp, { atol: 65 * (0.5 * p.tauMem / dt) * EPS32, rtol: 0, message: `τs ${tauSyn}, t ${t}` });
      }
      assert.ok(peak > 1, "the PSP is a visible depolarisation (mV)");
    }
  });

  it("lifStep gives the alpha PSP of an independent RK4 oracle, including τs = τm", () => {
    const dt = 0.1 * ms;
    const w = 0.4 * nA;
    for (const tauSyn of [2, 20, 19.9999]) {
      const p = lifParams({ synapse: "alpha", tauSyn });
      const { v } = simulate(p, dt, 600, (k) => (k === 0 ? w : 0));
      for (const k of [9, 49, 199, 599]) {
        const t = (k + 1) * dt;
        // RK4 with h = 0.01 ms has global error ~ (h/τ)^4 ≈ 1e-10 relative: negligible against float32
        const oracle = rk4Lif(p, p.vRest, 0, Math.E * w, t, 0.01);
        expectClose(v[k]!, oracle, { atol: 65 * (0.5 * p.tauMem / dt) * EPS32, rtol: 0, message: `τs ${tauSyn}, t ${t}` });
      }
      if (tauSyn === 20) {
        // τs = τm closed form: R·e·w·t²/(2τ²)·e^{−t/τ}
        const t = 600 * dt;
        const psp = p.rMem * Math.E * w * (t * t) / (2 * 20 * 20) * Math.exp(-t / 20);
        expectClose(v[599]!, p.vRest + psp, { atol: 65 * (0.5 * p.tauMem / dt) * EPS32, rtol: 0 });
      }
    }
  });

  it("lifStep with a delta synapse treats input as a current held for one step", () => {
    const p = lifParams();
    const dt = 0.5 * ms;
    const w = 2 * nA;
    const { v } = simulate(p, dt, 40, (k) => (k === 0 ? w : 0));
    const jump = p.rMem * w * (1 - Math.exp(-dt / p.tauMem));
    expectClose(v[0]! - p.vRest, jump, { rtol: 0, atol: 65 * EPS32 });
    for (let k = 1; k < v.length; k++) {
      expectClose(v[k]! - p.vRest, jump * Math.exp((-k * dt) / p.tauMem), { rtol: 0, atol: 65 * (k + 1) * EPS32 });
    }
  });

  it("alphaKernel(s, τs) and expKernel(s, τs) have unit peaks and vanish before the input", () => {
    expectClose(alphaKernel(3, 3), 1, { rtol: 2 * EPS32 });
    assert.equal(alphaKernel(-1, 3), 0);
    assert.equal(alphaKernel(0, 3), 0);
    assert.ok(alphaKernel(2.9, 3) < 1 && alphaKernel(3.1, 3) < 1);
    expectClose(expKernel(5, 5), Math.exp(-1), { rtol: 2 * EPS32 });
    assert.equal(expKernel(0, 5), 1);
    assert.equal(expKernel(-0.1, 5), 0);
    expectError(() => alphaKernel(1, 0), "alphaKernel: tauSyn must be a finite number > 0, got 0");
  });

  it("lifReset(s, p) returns v, currents and refractoriness to rest but keeps iExt", () => {
    const p = lifParams({ synapse: "alpha" });
    const s = lifInit(2, p);
    s.iExt.fill(3);
    const spikes = new Uint8Array(2);
    for (let k = 0; k < 200; k++) lifStep(new Float32Array([1, 1]), s, p, 0.1, spikes);
    assert.ok(s.i[0]! > 0 && s.x[0]! > 0);
    lifReset(s, p);
    assert.deepEqual([...s.v], [-65, -65]);
    assert.deepEqual([...s.i, ...s.x, ...s.refractory], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...s.iExt], [3, 3]);
  });

  it("the file-head @example runs", () => {
    const p = lifParams({ tauMem: 10 * ms, synapse: "exponential", tauSyn: 5 * ms });
    const s = lifInit(3, p);
    s.iExt.fill(1.2);
    const spikes = new Uint8Array(3);
    assert.equal(lifStep(new Float32Array([0.5, 0, 0]), s, p, 0.1 * ms, spikes), 0);
    expectClose(s.i[0]!, 0.5 * Math.exp(-0.1 / 5), { rtol: 2 * EPS32 });
    expectClose(toHz(lifRateClosedForm(2, p)), 1000 / (2 + 10 * Math.log(4)), { rtol: 4 * EPS32 });
  });
});
