import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { EPS32, ms } from "../../src/core/units";
import {
  cubaNeuron, cubaNeuronDefaults, cubaNeuronInit, cubaNeuronParams, cubaNeuronReset, cubaNeuronStep, type CubaNeuronState,
} from "../../src/models/cuba-neuron";
import { wasmSimdAvailable } from "../../src/models/wasm-assembler";
import { expectClose, expectError } from "../helpers/close";

const DT = 0.1 * ms;

function plainState(size: number): CubaNeuronState {
  return { size, v: new Float32Array(size), ge: new Float32Array(size), gi: new Float32Array(size), refractory: new Float32Array(size) };
}

describe("cubaNeuron", () => {
  it("cubaNeuronParams() has Brian2's CUBA defaults", () => {
    assert.deepEqual(cubaNeuronParams(), { tauMem: 20, tauExc: 5, tauInh: 10, vRest: -49, vThreshold: -50, vReset: -60, tRef: 5 });
    assert.ok(Object.isFrozen(cubaNeuronDefaults));
    assert.equal(cubaNeuron.name, "cuba-lif");
    expectError(() => cubaNeuronParams({ vThreshold: -70 }), "cubaNeuronParams: vThreshold must be > vReset (-60), got -70");
    expectError(() => cubaNeuronParams({ tauExc: 0 }), "cubaNeuronParams: tauExc must be a finite number > 0, got 0");
  });

  for (const path of ["SIMD kernel", "plain loop"] as const) {
    it(`cubaNeuronStep(...) integrates v, ge, gi exactly (${path})`, () => {
      // Below threshold (vRest −70 mV): the closed form of the linear system.
      const p = cubaNeuronParams({ vRest: -70 });
      const s = path === "plain loop" ? plainState(3) : cubaNeuronInit(3, p);
      cubaNeuronReset(s, p);
      s.v.set([-60, -65, -55]);
      s.ge.set([3, 0, 1]);
      s.gi.set([0, -4, -2]);
      const spikes = new Uint8Array(3);
      const input = new Float32Array(3);
      const steps = 100;
      for (let k = 0; k < steps; k++) assert.equal(cubaNeuronStep(input, s, p, DT, spikes), 0);
      const t = steps * DT;
      const exact = (v0: number, ge0: number, gi0: number) =>
        -70 + (v0 + 70) * Math.exp(-t / 20) +
        ge0 * (5 / (5 - 20)) * (Math.exp(-t / 5) - Math.exp(-t / 20)) +
        gi0 * (10 / (10 - 20)) * (Math.exp(-t / 10) - Math.exp(-t / 20));
      // ≤ 3 float32 roundings per step, not amplified (the update contracts): 3·steps ulps of |v|.
      const rtol = 3 * steps * EPS32;
      expectClose(s.v[0], exact(-60, 3, 0), { rtol });
      expectClose(s.v[1], exact(-65, 0, -4), { rtol });
      expectClose(s.v[2], exact(-55, 1, -2), { rtol });
      expectClose(s.ge[0], 3 * Math.exp(-t / 5), { rtol });
      expectClose(s.gi[1], -4 * Math.exp(-t / 10), { rtol });
    });

    it(`cubaNeuronStep(...) holds v for round(tRef/dt) − 1 steps after a spike, as Brian2 (${path})`, () => {
      const p = cubaNeuronParams();
      const s = path === "plain loop" ? plainState(1) : cubaNeuronInit(1, p);
      cubaNeuronReset(s, p);
      const input = new Float32Array([100]); // drive far above threshold: fires at the first free step
      const spikes = new Uint8Array(1);
      const fired: number[] = [];
      for (let k = 0; k < 200; k++) {
        if (cubaNeuronStep(input, s, p, DT, spikes) === 1) fired.push(k);
        if (fired.length > 0 && spikes[0] === 0) assert.equal(s.v[0], -60, "held at vReset");
      }
      assert.deepEqual(fired.slice(0, 4), [0, 50, 100, 150]);
    });
  }

  it("the SIMD kernel and the plain loop agree to a few float32 ulps per step", { skip: !wasmSimdAvailable() }, () => {
    const rng = createRng(2);
    const p = cubaNeuronParams();
    const n = 1001; // not a multiple of 4: padding lanes must not count
    const a = cubaNeuronInit(n, p);
    const b = plainState(n);
    for (let k = 0; k < n; k++) {
      a.v[k] = b.v[k] = -60 + 11 * rng.next();
      a.ge[k] = b.ge[k] = 5 * rng.next();
      a.gi[k] = b.gi[k] = -10 * rng.next();
      a.refractory[k] = b.refractory[k] = rng.next() < 0.1 ? 5 * rng.next() : 0;
    }
    const input = Float32Array.from({ length: n }, () => rng.next());
    const sa = new Uint8Array(n);
    const sb = new Uint8Array(n);
    const ca = cubaNeuronStep(input, a, p, DT, sa);
    const cb = cubaNeuronStep(input, b, p, DT, sb);
    assert.equal(ca, cb);
    assert.deepEqual(sa, sb);
    assert.ok(ca > 0);
    for (let k = 0; k < n; k++) {
      // float32 arithmetic (kernel) vs float64 rounded once (loop): ≤ 4 roundings of |v| ≤ 65.
      expectClose(a.v[k], b.v[k], { rtol: 0, atol: 4 * 65 * EPS32 });
      expectClose(a.ge[k], b.ge[k], { rtol: 2 * EPS32 });
      expectClose(a.refractory[k], b.refractory[k], { rtol: 0, atol: 5 * EPS32 });
    }
  });
});
