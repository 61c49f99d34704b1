import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { EPS32, ms } from "../../src/core/units";
import { stdpInit, stdpParams, stdpStep } from "../../src/plasticity/stdp";
import { denseAccess } from "../../src/plasticity/synapse-access";
import { tripletDefaults, tripletInit, tripletParams, tripletPresets, tripletStep, type TripletParams } from "../../src/plasticity/triplet-stdp";
import { expectClose, expectError } from "../helpers/close";

const HALF_ULP = EPS32 / 2;

function randomSpikes(seed: number, steps: number, n: number, p: number): Uint8Array[] {
  const rng = createRng(seed);
  return Array.from({ length: steps }, () => Uint8Array.from({ length: n }, () => (rng.next() < p ? 1 : 0)));
}

/**
 * Scalar oracle for one synapse, in double precision: traces as explicit sums of exponentials over
 * the spike history (all-to-all), applied at each spike step in the documented order. Returns the
 * final weight and a bound on the float32 error of the implementation.
 */
function tripletOracle(preSteps: number[], postSteps: number[], steps: number, p: TripletParams, dt: number, w0: number): { w: number; atol: number } {
  const sum = (times: number[], k: number, tau: number, inclusive: boolean): number =>
    times.filter((t) => (inclusive ? t <= k : t < k)).reduce((s, t) => s + Math.exp(-((k - t) * dt) / tau), 0);
  let w = w0;
  let atol = 0;
  for (let k = 0; k < steps; k++) {
    if (postSteps.includes(k)) {
      const r1 = sum(preSteps, k, p.tauPlus, true); // includes a pre spike in the same step
      const o2 = sum(postSteps, k, p.tauY, false); // o2(t − ε)
      const dw = r1 * (p.a2Plus + p.a3Plus * o2);
      w += dw;
      atol += Math.abs(dw) * 2 * (steps + 1) * HALF_ULP + HALF_ULP; // trace roundings, then w (< 1)
    }
    if (preSteps.includes(k)) {
      const o1 = sum(postSteps, k, p.tauMinus, false); // before this step's post spikes
      const r2 = sum(preSteps, k, p.tauX, false); // r2(t − ε)
      const dw = -o1 * (p.a2Minus + p.a3Minus * r2);
      w += dw;
      atol += Math.abs(dw) * 2 * (steps + 1) * HALF_ULP + HALF_ULP;
    }
  }
  return { w, atol };
}

describe("tripletParams", () => {
  it("tripletParams() defaults to Pfister & Gerstner's minimal all-to-all visual cortex model", () => {
    assert.deepEqual(tripletPresets.visualCortexMinimal, {
      a2Plus: 0, a3Plus: 6.5e-3, a2Minus: 7.1e-3, a3Minus: 0, tauPlus: 16.8, tauMinus: 33.7, tauX: 101, tauY: 114,
    });
    assert.deepEqual(tripletParams(), { ...tripletPresets.visualCortexMinimal, wMin: 0, wMax: 1, weightDependence: "hard", mu: 1, interaction: "all-to-all" });
    assert.deepEqual(tripletParams(), tripletDefaults);
  });

  it("tripletParams(options) rejects negative amplitudes and non-positive time constants", () => {
    expectError(() => tripletParams({ a2Minus: -7.1e-3 }), "tripletParams: a2Minus must be a finite number >= 0, got -0.0071");
    expectError(() => tripletParams({ tauY: 0 }), "tripletParams: tauY must be a finite number > 0, got 0");
    expectError(() => tripletParams({ wMin: 2 }), "tripletParams: wMax must be a finite number > wMin (2), got 1");
  });
});

describe("tripletStep", () => {
  for (const weightDependence of ["hard", "soft"] as const) {
    it(`tripletStep(...) with A₃± = 0 is the pair rule stdpStep(...) step for step (${weightDependence} bounds)`, () => {
      const nPre = 5;
      const nPost = 4;
      const rng = createRng(1);
      const w0 = Float32Array.from({ length: nPre * nPost }, () => rng.uniform(0.1, 0.9));
      const tp = tripletParams({ a2Plus: 0.02, a3Plus: 0, a2Minus: 0.025, a3Minus: 0, tauPlus: 16.8, tauMinus: 33.7, weightDependence });
      const pp = stdpParams({ aPlus: 0.02, aMinus: -0.025, tauPlus: 16.8, tauMinus: 33.7, weightDependence });
      const triplet = denseAccess(Float32Array.from(w0), nPre, nPost);
      const pair = denseAccess(Float32Array.from(w0), nPre, nPost);
      const tt = tripletInit(triplet, tp);
      const pt = stdpInit(pair, pp);
      const pre = randomSpikes(2, 500, nPre, 0.05);
      const post = randomSpikes(3, 500, nPost, 0.05);
      for (let k = 0; k < 500; k++) {
        tripletStep(pre[k], post[k], triplet, tt, tp, 0.5);
        stdpStep(pre[k], post[k], pair, pt, pp, 0.5);
      }
      assert.deepEqual(triplet.w, pair.w);
      assert.notDeepEqual(triplet.w, w0);
    });
  }

  for (const a3 of [0, 1] as const) {
    it(`tripletStep(...) matches a scalar oracle on a random spike train (A₃± ${a3 ? "≠" : "="} 0)`, () => {
      const dt = 0.5 * ms;
      const steps = 600;
      const p = tripletParams({
        a2Plus: 5e-3, a3Plus: a3 * 6.2e-3, a2Minus: 7e-3, a3Minus: a3 * 2.3e-3,
        tauPlus: 16.8, tauMinus: 33.7, tauX: 101, tauY: 125,
      });
      const pre = randomSpikes(4, steps, 1, 0.03);
      const post = randomSpikes(5, steps, 1, 0.03);
      const access = denseAccess(new Float32Array([0.5]), 1, 1);
      const traces = tripletInit(access, p);
      for (let k = 0; k < steps; k++) tripletStep(pre[k], post[k], access, traces, p, dt);
      const preSteps = pre.flatMap((s, k) => (s[0] ? [k] : []));
      const postSteps = post.flatMap((s, k) => (s[0] ? [k] : []));
      assert.ok(preSteps.length > 5 && postSteps.length > 5);
      const oracle = tripletOracle(preSteps, postSteps, steps, p, dt, 0.5);
      expectClose(access.w[0], oracle.w, { atol: oracle.atol });
      assert.notEqual(access.w[0], 0.5);
    });
  }

  it("tripletStep(...) with the visual cortex preset needs high pairing rates for LTP (Sjöström protocol)", () => {
    // Pfister & Gerstner's key result: 60 pairings at 1 Hz potentiate almost nothing for
    // Δt = +10 ms (o₂ has decayed since the previous post spike) but depress for Δt = −10 ms,
    // while at 50 Hz pairing potentiates.
    const dt = 0.5 * ms;
    const p = tripletParams(tripletPresets.visualCortexMinimal);
    const change = (periodMs: number, deltaT: number): number => {
      const access = denseAccess(new Float32Array([0.5]), 1, 1);
      const traces = tripletInit(access, p);
      const period = Math.round(periodMs / dt);
      const first = Math.round(Math.abs(deltaT) / dt);
      const spike = new Uint8Array([1]);
      const none = new Uint8Array([0]);
      for (let k = 0; k < 60 * period + first + 1; k++) {
        const phase = k % period;
        const preNow = deltaT >= 0 ? phase === 0 : phase === first;
        const postNow = deltaT >= 0 ? phase === first : phase === 0;
        tripletStep(preNow ? spike : none, postNow ? spike : none, access, traces, p, dt);
      }
      return access.w[0] - 0.5;
    };
    const highRate = change(20, 10);
    assert.ok(highRate > 0, "50 Hz, Δt = +10 ms: LTP");
    assert.ok(Math.abs(change(1000, 10)) < 0.01 * highRate, "1 Hz, Δt = +10 ms: almost no change");
    assert.ok(change(1000, -10) < 0, "1 Hz, Δt = −10 ms: LTD");
  });

  it("tripletInit(access, p) rejects weights out of bounds and tripletStep(...) mismatched traces", () => {
    const p = tripletParams();
    expectError(() => tripletInit(denseAccess(new Float32Array([-0.25]), 1, 1), p), "tripletInit: access.w[0] must be a finite number in [0, 1], got -0.25");
    const access = denseAccess(new Float32Array([0.5, 0.5]), 2, 1);
    const traces = tripletInit(access, p);
    expectError(() => tripletStep(new Uint8Array(2), new Uint8Array(2), access, traces, p, 1), "tripletStep: post must have length 1, got 2");
  });
});
