import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { EPS32, ms } from "../../src/core/units";
import { depress, potentiate } from "../../src/plasticity/bounds";
import { stdpDefaults, stdpInit, stdpParams, stdpStep, type StdpParams } from "../../src/plasticity/stdp";
import { stdpWindow } from "../../src/plasticity/stdp-window";
import { denseAccess, indexedAccess, sparseAccess } from "../../src/plasticity/synapse-access";
import { resetTraces } from "../../src/plasticity/traces";
import { expectClose, expectError } from "../helpers/close";

const HALF_ULP = EPS32 / 2; // 2^-24: the relative error of one rounding to float32

/** Random 0/1 spike frames, `steps × n`, with probability `p` per entry. */
function randomSpikes(seed: number, steps: number, n: number, p: number): Uint8Array[] {
  const rng = createRng(seed);
  return Array.from({ length: steps }, () => Uint8Array.from({ length: n }, () => (rng.next() < p ? 1 : 0)));
}

describe("stdpParams", () => {
  it("stdpParams() has the expected defaults (Song, Miller & Abbott 2000)", () => {
    assert.deepEqual(stdpParams(), {
      aPlus: 0.005, aMinus: -0.00525, tauPlus: 20, tauMinus: 20, wMin: 0, wMax: 1,
      weightDependence: "hard", mu: 1, interaction: "all-to-all",
    });
    assert.ok(Object.isFrozen(stdpDefaults) && Object.isFrozen(stdpParams()));
  });

  it("stdpParams(options) rejects wrong signs, non-positive τ, NaN, wMin ≥ wMax and unknown keys", () => {
    expectError(() => stdpParams({ aPlus: -0.01 }), "stdpParams: aPlus must be a finite number > 0, got -0.01");
    expectError(() => stdpParams({ aMinus: 0.01 }), "stdpParams: aMinus must be a finite number < 0, got 0.01");
    expectError(() => stdpParams({ tauPlus: 0 }), "stdpParams: tauPlus must be a finite number > 0, got 0");
    expectError(() => stdpParams({ tauMinus: NaN }), "stdpParams: tauMinus must be a finite number > 0, got NaN");
    expectError(() => stdpParams({ wMin: 1, wMax: 1 }), "stdpParams: wMax must be a finite number > wMin (1), got 1");
    expectError(() => stdpParams({ interaction: "pairs" as never }), 'stdpParams: interaction must be one of "all-to-all", "nearest", got "pairs"');
    expectError(() => stdpParams({ bounds: "hard" } as never), /^stdpParams: options must have only the keys .*, got "bounds"$/);
  });
});

describe("stdpStep", () => {
  for (const interaction of ["all-to-all", "nearest"] as const) {
    it(`stdpStep(...) reproduces stdpWindow(Δt) for an isolated pair, Δt in −100…100 ms at dt 0.1 ms (${interaction})`, () => {
      const dt = 0.1 * ms;
      // τ₊ ≠ τ₋ (Bi & Poo fit); bounds far away so that nothing clips; w starts at 0 so that the
      // stored weight is the update itself, rounded once.
      const p = stdpParams({ aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8, tauMinus: 33.7, wMin: -1, wMax: 1, interaction });
      const w = new Float32Array(1);
      const access = denseAccess(w, 1, 1);
      const traces = stdpInit(access, p);
      const spike = new Uint8Array([1]);
      const none = new Uint8Array([0]);
      let worst = 0;
      for (let m = -1000; m <= 1000; m++) {
        w[0] = 0;
        resetTraces(traces);
        const first = m >= 0 ? "pre" : "post";
        const steps = Math.abs(m);
        for (let k = 0; k <= steps; k++) {
          const isFirst = k === 0;
          const isLast = k === steps;
          const pre = (first === "pre" ? isFirst : isLast) ? spike : none;
          const post = (first === "post" ? isFirst : isLast) ? spike : none;
          stdpStep(pre, post, access, traces, p, dt);
        }
        const expected = stdpWindow(m * dt, p);
        // The partner trace is rounded to float32 once per step (|m| roundings), the weight once:
        // relative error ≤ (|m| + 1)·2^-24 (plus double-precision noise, far smaller).
        const rtol = (steps + 1) * HALF_ULP;
        expectClose(w[0], expected, { rtol, message: `Δt = ${(m * dt).toFixed(1)} ms` });
        worst = Math.max(worst, Math.abs(w[0] - expected) / Math.abs(expected));
      }
      // The per-step roundings mostly cancel: the worst case measured over the sweep is 8.0e-7.
      assert.ok(worst < 2e-6, `worst relative error ${worst}`);
    });
  }

  it("stdpStep(...) gives A and no depression for a pre and a post spike in the same step", () => {
    const p = stdpParams({ aPlus: 0.01, aMinus: -0.02, wMin: -1 });
    const w = new Float32Array(1);
    const access = denseAccess(w, 1, 1);
    const traces = stdpInit(access, p);
    stdpStep(new Uint8Array([1]), new Uint8Array([1]), access, traces, p, 0.1);
    assert.equal(w[0], Math.fround(0.01));
  });

  for (const interaction of ["all-to-all", "nearest"] as const) {
    it(`stdpStep(...) matches a spike-pair oracle on random trains (${interaction})`, () => {
      // Oracle: all-to-all additive STDP changes w_ij by Σ over all (pre, post) pairs of the window;
      // nearest-spike pairs each post spike with the latest pre spike at or before it and each pre
      // spike with the latest post spike strictly before it.
      const dt = 0.5 * ms;
      const nPre = 4;
      const nPost = 3;
      const steps = 400;
      const p = stdpParams({ aPlus: 1e-3, aMinus: -1.2e-3, tauPlus: 16.8, tauMinus: 33.7, interaction });
      const w = new Float32Array(nPre * nPost).fill(0.5);
      const access = denseAccess(w, nPre, nPost);
      const traces = stdpInit(access, p);
      const pre = randomSpikes(1, steps, nPre, 0.02);
      const post = randomSpikes(2, steps, nPost, 0.02);
      for (let k = 0; k < steps; k++) stdpStep(pre[k], post[k], access, traces, p, dt);
      for (let j = 0; j < nPost; j++) {
        for (let i = 0; i < nPre; i++) {
          const preTimes = pre.flatMap((s, k) => (s[i] ? [k] : []));
          const postTimes = post.flatMap((s, k) => (s[j] ? [k] : []));
          let dw = 0;
          let bound = 0;
          if (interaction === "all-to-all") {
            for (const a of preTimes) {
              for (const b of postTimes) {
                const d = stdpWindow((b - a) * dt, p);
                dw += d;
                bound += Math.abs(d) * (Math.abs(b - a) + 1) * HALF_ULP;
              }
            }
          } else {
            for (const b of postTimes) {
              const last = preTimes.filter((a) => a <= b).pop();
              if (last !== undefined) dw += stdpWindow((b - last) * dt, p);
            }
            for (const a of preTimes) {
              const last = postTimes.filter((b) => b < a).pop();
              if (last !== undefined) dw += stdpWindow((last - a) * dt, p);
            }
            bound = Math.abs(dw) * (steps + 1) * HALF_ULP;
          }
          // Trace roundings (bounded per pair above) plus one rounding of w ≈ 0.5 per update.
          const updates = preTimes.length + postTimes.length;
          const atol = bound + updates * 0.5 * HALF_ULP + 1e-12;
          expectClose(w[j * nPre + i], 0.5 + dw, { atol, message: `w[${j}][${i}]` });
        }
      }
    });
  }

  it("stdpStep(...) gives the same weights through dense and sparse access (rules ignore topology)", () => {
    const nPre = 6;
    const nPost = 5;
    const rng = createRng(3);
    const w0 = Float32Array.from({ length: nPre * nPost }, () => rng.uniform(0.2, 0.8));
    // The same all-to-all connectivity listed as a shuffled synapse list.
    const order = rng.shuffle(Int32Array.from({ length: nPre * nPost }, (_, s) => s));
    const pre = Array.from(order, (s) => s % nPre);
    const post = Array.from(order, (s) => Math.floor(s / nPre));
    for (const weightDependence of ["hard", "soft", "power"] as const) {
      const p = stdpParams({ aPlus: 0.05, aMinus: -0.06, weightDependence, mu: 0.7 });
      const dense = denseAccess(Float32Array.from(w0), nPre, nPost);
      const sparse = sparseAccess(pre, post, Float32Array.from(order, (s) => w0[s]), nPre, nPost);
      const td = stdpInit(dense, p);
      const ts = stdpInit(sparse, p);
      const preSpikes = randomSpikes(4, 300, nPre, 0.05);
      const postSpikes = randomSpikes(5, 300, nPost, 0.05);
      for (let k = 0; k < 300; k++) {
        stdpStep(preSpikes[k], postSpikes[k], dense, td, p, 1);
        stdpStep(preSpikes[k], postSpikes[k], sparse, ts, p, 1);
      }
      for (let s = 0; s < order.length; s++) assert.equal(sparse.w[s], dense.w[order[s]], `${weightDependence} synapse ${s}`);
      assert.notDeepEqual(dense.w, w0, "weights did change");
    }
  });

  it("stdpStep(...) sums the updates of synapses that share one weight", () => {
    // Two synapses 0 → 0 and 1 → 0 share weight 0; pre 0 and pre 1 fire, then post 0.
    const p = stdpParams({ aPlus: 0.01, aMinus: -0.01 });
    const access = indexedAccess([0, 1], [0, 0], [0, 0], new Float32Array([0.5]), 2, 1);
    const traces = stdpInit(access, p);
    stdpStep(new Uint8Array([1, 1]), new Uint8Array([0]), access, traces, p, 1);
    stdpStep(new Uint8Array([0, 0]), new Uint8Array([1]), access, traces, p, 1);
    expectClose(access.w[0], 0.5 + 2 * stdpWindow(1, p), { atol: 2 * 0.5 * HALF_ULP + 1e-9 });
  });

  it("stdpStep(...) with hard bounds keeps every weight in [wMin, wMax] under many random spikes", () => {
    const p = stdpParams({ aPlus: 0.3, aMinus: -0.3, wMin: 0.25, wMax: 0.75 });
    const rng = createRng(6);
    const w = Float32Array.from({ length: 20 * 10 }, () => rng.uniform(0.25, 0.75));
    const access = denseAccess(w, 20, 10);
    const traces = stdpInit(access, p);
    const preSpikes = randomSpikes(7, 2000, 20, 0.1);
    const postSpikes = randomSpikes(8, 2000, 10, 0.1);
    let atMin = 0;
    let atMax = 0;
    for (let k = 0; k < 2000; k++) {
      stdpStep(preSpikes[k], postSpikes[k], access, traces, p, 1);
      for (const v of w) {
        assert.ok(v >= 0.25 && v <= 0.75, `${v}`);
        if (v === 0.25) atMin++;
        if (v === 0.75) atMax++;
      }
    }
    assert.ok(atMin > 0 && atMax > 0, "both bounds were reached");
  });

  it("stdpStep(...) with soft bounds never overshoots and slows down near the bounds", () => {
    const p = stdpParams({ aPlus: 0.9, aMinus: -0.9, weightDependence: "soft" });
    const w = new Float32Array([0, 1, 0.5, 0.999]);
    const access = denseAccess(w, 4, 1);
    const traces = stdpInit(access, p);
    const preSpikes = randomSpikes(9, 3000, 4, 0.2);
    const postSpikes = randomSpikes(10, 3000, 1, 0.2);
    for (let k = 0; k < 3000; k++) {
      stdpStep(preSpikes[k], postSpikes[k], access, traces, p, 1);
      for (const v of w) assert.ok(v >= 0 && v <= 1, `${v}`);
    }
    // The soft factor vanishes at the bounds: no potentiation at wMax, no depression at wMin.
    assert.equal(potentiate(1, 0.5, p), 1);
    assert.equal(depress(0, -0.5, p), 0);
    assert.equal(potentiate(0.5, 0.5, p), 0.75);
  });

  it("stdpInit(access, p) rejects weights outside [wMin, wMax] before anything is created", () => {
    const p = stdpParams();
    const w = new Float32Array([0.5, 1.5]);
    expectError(() => stdpInit(denseAccess(w, 2, 1), p), "stdpInit: access.w[1] must be a finite number in [0, 1], got 1.5");
    expectError(() => stdpInit(denseAccess(new Float32Array([NaN]), 1, 1), p), "stdpInit: access.w[0] must be a finite number in [0, 1], got NaN");
  });

  it("stdpStep(...) rejects mismatched sizes, dt ≤ 0 and bad params before changing traces or weights", () => {
    const p = stdpParams();
    const w = new Float32Array([0.5, 0.5]);
    const access = denseAccess(w, 2, 1);
    const traces = stdpInit(access, p);
    stdpStep(new Uint8Array([1, 1]), new Uint8Array([0]), access, traces, p, 1);
    const snapshot = [Float32Array.from(traces.pre), Float32Array.from(traces.post), Float32Array.from(w)];
    expectError(() => stdpStep(new Uint8Array(3), new Uint8Array(1), access, traces, p, 1), "stdpStep: pre must have length 2, got 3");
    expectError(() => stdpStep(new Uint8Array(2), new Uint8Array([1]), access, traces, p, 0), "stdpStep: dt must be a finite number > 0, got 0");
    expectError(() => stdpStep(new Uint8Array(2), new Uint8Array([1]), access, traces, { ...p, aMinus: 0.1 } as StdpParams, 1),
      "stdpStep: aMinus must be a finite number < 0, got 0.1");
    expectError(() => stdpStep(new Uint8Array(2), new Uint8Array([1]), access, { pre: new Float32Array(2), post: new Float32Array(2) }, p, 1),
      "stdpStep: traces.post must have length 1, got 2");
    expectError(() => stdpStep(new Uint8Array(2), new Uint8Array([1]), null as never, traces, p, 1), "stdpStep: access must be a SynapseAccess, got null");
    expectError(() => stdpStep(new Uint8Array(2), new Uint8Array([1]), access, null as never, p, 1),
      "stdpStep: traces must be the record returned by stdpInit, got null");
    assert.deepEqual([Float32Array.from(traces.pre), Float32Array.from(traces.post), Float32Array.from(w)], snapshot);
  });

  it("stdpStep(...) @example: w[0] grows by 0.01·e^{−0.1/16.8} when pre 0 fires 0.1 ms before post 0", () => {
    const w = new Float32Array(2 * 3).fill(0.5);
    const access = denseAccess(w, 3, 2);
    const p = stdpParams({ aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8 * ms, tauMinus: 33.7 * ms });
    const traces = stdpInit(access, p);
    stdpStep(new Uint8Array([1, 0, 0]), new Uint8Array([0, 0]), access, traces, p, 0.1 * ms);
    stdpStep(new Uint8Array([0, 0, 0]), new Uint8Array([1, 0]), access, traces, p, 0.1 * ms);
    expectClose(w[0], 0.5 + 0.01 * Math.exp(-0.1 / 16.8), { atol: 2 * HALF_ULP });
    assert.deepEqual([...w.subarray(1)], [0.5, 0.5, 0.5, 0.5, 0.5]);
    assert.equal(stdpDefaults.interaction, "all-to-all");
  });
});
