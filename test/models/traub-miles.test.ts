import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32, ms } from "../../src/core/units";
import {
  traubMiles, traubMilesInit, traubMilesParams, traubMilesRates, traubMilesReset, traubMilesStep, type TraubMilesState,
} from "../../src/models/traub-miles";
import { wasmSimdAvailable } from "../../src/models/wasm-assembler";
import { expectClose, expectError } from "../helpers/close";

const DT = 0.1 * ms;

function plainState(size: number): TraubMilesState {
  const f = () => new Float32Array(size);
  return { size, v: f(), m: f(), n: f(), h: f(), refractory: f() };
}

/** Oracle: one exponential-Euler step of Brian2's equations for one neuron, written out. */
function oracleStep(v: number, m: number, n: number, h: number, current: number, dt: number) {
  const VT = -63;
  const exprel = (x: number) => (x === 0 ? 1 : Math.expm1(x) / x);
  const am = (0.32 * 4) / exprel((13 - v + VT) / 4);
  const bm = (0.28 * 5) / exprel((v - VT - 40) / 5);
  const an = (0.032 * 5) / exprel((15 - v + VT) / 5);
  const bn = 0.5 * Math.exp((10 - v + VT) / 40);
  const ah = 0.128 * Math.exp((17 - v + VT) / 18);
  const bh = 4 / (1 + Math.exp((40 - v + VT) / 5));
  const euler = (x: number, A: number, B: number) => -A / B + (x + A / B) * Math.exp(B * dt);
  const C = 0.2;
  const A = (0.01 * -65 + 20 * m ** 3 * h * 50 + 6 * n ** 4 * -90 + current) / C;
  const B = -(0.01 + 20 * m ** 3 * h + 6 * n ** 4) / C;
  return [euler(v, A, B), euler(m, am, -(am + bm)), euler(n, an, -(an + bn)), euler(h, ah, -(ah + bh))];
}

describe("traubMiles", () => {
  it("traubMilesParams() has the values of Brian2's IF_curve_Hodgkin_Huxley.py (20,000 µm²)", () => {
    assert.deepEqual(traubMilesParams(), {
      cMem: 0.2, gLeak: 0.01, gNa: 20, gK: 6, eLeak: -65, eNa: 50, eK: -90, vT: -63, vSpike: -40, vInit: -65, gates: "zero",
    });
    assert.equal(traubMiles.name, "traub-miles");
    expectError(() => traubMilesParams({ gates: "rest" as never }), 'traubMilesParams: gates must be one of "zero", "steady-state", got "rest"');
  });

  it("traubMilesRates(v) is finite at the removable singularities (v = VT + 13, VT + 40, VT + 15)", () => {
    const p = traubMilesParams();
    for (const v of [-50, -23, -48]) {
      const rates = traubMilesRates(v, p);
      assert.ok(rates.every(Number.isFinite));
      const near = traubMilesRates(v + 1e-7, p);
      rates.forEach((r, k) => expectClose(near[k], r, { rtol: 1e-6 }));
    }
  });

  for (const path of ["SIMD kernel", "plain loop"] as const) {
    it(`traubMilesStep(...) is one exponential-Euler step of Brian2's equations (${path})`, () => {
      const p = traubMilesParams();
      const start: [number, number, number, number][] = [[-65, 0, 0, 0], [-50, 0.1, 0.3, 0.6], [-23, 0.9, 0.5, 0.2], [10, 0.95, 0.7, 0.05]];
      const s = path === "plain loop" ? plainState(4) : traubMilesInit(4, p);
      start.forEach(([v, m, n, h], k) => {
        s.v[k] = v;
        s.m[k] = m;
        s.n[k] = n;
        s.h[k] = h;
      });
      const current = new Float32Array([0, 0.3, 0.5, 0.7]);
      traubMilesStep(current, s, p, DT, new Uint8Array(4));
      start.forEach(([v, m, n, h], k) => {
        const [v1, m1, n1, h1] = oracleStep(Math.fround(v), Math.fround(m), Math.fround(n), Math.fround(h), current[k], DT);
        // Double-precision arithmetic rounded once to float32: ≤ 1 ulp (plus 1e−13 from the
        // kernel's polynomial exponential).
        expectClose(s.v[k], v1, { rtol: 2 * EPS32, message: `v[${k}]` });
        expectClose(s.m[k], m1, { rtol: 2 * EPS32, atol: 1e-12, message: `m[${k}]` });
        expectClose(s.n[k], n1, { rtol: 2 * EPS32, atol: 1e-12, message: `n[${k}]` });
        expectClose(s.h[k], h1, { rtol: 2 * EPS32, atol: 1e-12, message: `h[${k}]` });
      });
    });
  }

  it("the SIMD kernel and the plain loop give the same spikes over 100 ms of 51 driven neurons", { skip: !wasmSimdAvailable() }, () => {
    const p = traubMilesParams();
    const n = 51; // odd: one padding lane
    const a = traubMilesInit(n, p);
    const b = plainState(n);
    traubMilesReset(b, p);
    const current = Float32Array.from({ length: n }, (_, i) => (0.7 * i) / n);
    const sa = new Uint8Array(n);
    const sb = new Uint8Array(n);
    let ca = 0;
    let cb = 0;
    for (let k = 0; k < 1000; k++) {
      ca += traubMilesStep(current, a, p, DT, sa);
      cb += traubMilesStep(current, b, p, DT, sb);
      assert.deepEqual(sa, sb, `step ${k}`);
    }
    assert.equal(ca, cb);
    assert.ok(ca > 100);
    for (let i = 0; i < n; i++) expectClose(a.v[i], b.v[i], { rtol: 0, atol: 1e-3, message: `v[${i}]` });
  });

  it("traubMilesStep(...) counts each action potential once and stays silent without input", () => {
    const p = traubMilesParams({ gates: "steady-state" });
    const s = traubMilesInit(2, p);
    const spikes = new Uint8Array(2);
    const current = new Float32Array([0, 0.5]);
    let silent = 0;
    let driven = 0;
    let above = 0;
    for (let k = 0; k < 10000; k++) {
      traubMilesStep(current, s, p, DT, spikes);
      silent += spikes[0];
      driven += spikes[1];
      if (s.v[1] > -40) above++;
    }
    assert.equal(silent, 0);
    // Each spike keeps v above −40 mV for several steps, but counts once.
    assert.ok(driven > 10 && above > 2 * driven, `${driven} spikes, ${above} steps above −40 mV`);
  });
});
