import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { EPS32 } from "../../src/core/units";
import { mirroredStdpInit, mirroredStdpStep, mirroredWeights } from "../../src/plasticity/mirrored-stdp";
import { stdpInit, stdpParams, stdpStep } from "../../src/plasticity/stdp";
import { stdpWindow } from "../../src/plasticity/stdp-window";
import { denseAccess } from "../../src/plasticity/synapse-access";
import { expectClose, expectError } from "../helpers/close";

const p = stdpParams({ aPlus: 0.01, aMinus: -0.012, tauPlus: 16.8, tauMinus: 33.7, wMin: -10, wMax: 10 });

/** Random 0/1 frames, `steps × n`. */
function frames(rng: ReturnType<typeof createRng>, steps: number, n: number, prob: number): Uint8Array[] {
  return Array.from({ length: steps }, () => Uint8Array.from({ length: n }, () => (rng.next() < prob ? 1 : 0)));
}

/** W_fb as the transpose layout of W_ff ([visible][hidden] from [hidden][visible]). */
function transpose(ff: Float32Array, nVisible: number, nHidden: number): Float32Array {
  const out = new Float32Array(ff.length);
  for (let j = 0; j < nHidden; j++) for (let i = 0; i < nVisible; i++) out[i * nHidden + j] = ff[j * nVisible + i]!;
  return out;
}

/** Runs an isolated pair (visible spike at step a, hidden spike at step b) and returns the two weight changes. */
function pair(a: number, b: number, dt: number): { ff: number; fb: number } {
  const w = mirroredWeights(new Float32Array(1), new Float32Array(1), 1, 1);
  const traces = mirroredStdpInit(w, p);
  for (let t = 0; t <= Math.max(a, b); t++) {
    mirroredStdpStep(Uint8Array.of(t === a ? 1 : 0), Uint8Array.of(t === b ? 1 : 0), w, traces, p, dt);
  }
  return { ff: w.ff[0]!, fb: w.fb[0]! };
}

describe("mirroredStdpStep", () => {
  it("mirroredStdpStep(…) gives W_ff the STDP window and W_fb the reversed window for an isolated pair", () => {
    const dt = 0.5;
    for (const [a, b] of [[0, 10], [10, 0], [3, 3], [0, 40], [25, 1]] as const) {
      const s = (b - a) * dt; // t_hidden − t_visible
      const { ff, fb } = pair(a, b, dt);
      // Feedforward: pre = visible, post = hidden, Δt = t_post − t_pre = s.
      expectClose(ff, stdpWindow(s, p), { rtol: 8 * EPS32 * (Math.abs(a - b) + 2) });
      // Feedback: pre = hidden, post = visible; the reversed rule is W(t_pre − t_post) = W(s).
      const tPost = a * dt;
      const tPre = b * dt;
      expectClose(fb, stdpWindow(tPre - tPost, p), { rtol: 8 * EPS32 * (Math.abs(a - b) + 2) });
      assert.equal(fb, ff);
    }
  });

  it("mirroredStdpStep(…) changes W_fb by the transpose of W_ff's change for the same spike pairs", () => {
    const rng = createRng(11);
    const nV = 7;
    const nH = 5;
    const ff = new Float32Array(nV * nH).map(() => rng.uniform(-1, 1));
    const fb = new Float32Array(nV * nH).map(() => rng.uniform(-1, 1)); // unrelated to ff
    const ff0 = ff.slice();
    const fb0 = fb.slice();
    const w = mirroredWeights(ff, fb, nV, nH);
    const traces = mirroredStdpInit(w, p);
    const vis = frames(rng, 200, nV, 0.1);
    const hid = frames(rng, 200, nH, 0.1);
    let pairs = 0;
    for (let t = 0; t < 200; t++) pairs += mirroredStdpStep(vis[t]!, hid[t]!, w, traces, p, 1);
    assert.ok(pairs > 100, `expected many pairs, got ${pairs}`);
    const dff = transpose(ff.map((v, k) => v - ff0[k]!), nV, nH);
    const dfb = fb.map((v, k) => v - fb0[k]!);
    // Each synapse adds the same amounts; only float32 rounding of the two sums differs: one
    // half-ULP of a weight ≤ ~3 in magnitude per update, and at most 2·200 updates per synapse.
    const tol = 400 * 4 * EPS32;
    let moved = 0;
    for (let k = 0; k < dfb.length; k++) {
      assert.ok(Math.abs(dfb[k]! - dff[k]!) <= tol, `synapse ${k}: ΔW_fb ${dfb[k]} vs ΔW_ffᵀ ${dff[k]}`);
      if (dfb[k] !== 0) moved++;
    }
    assert.ok(moved > dfb.length / 2);
  });

  it("mirroredStdpStep(…) keeps W_fb = W_ffᵀ exactly, bounds included, when they start equal", () => {
    const rng = createRng(3);
    const q = stdpParams({ aPlus: 0.05, aMinus: -0.06, wMin: 0, wMax: 0.3 });
    const nV = 6;
    const nH = 4;
    const ff = new Float32Array(nV * nH).map(() => rng.uniform(0, 0.3));
    const w = mirroredWeights(ff, transpose(ff, nV, nH), nV, nH);
    const traces = mirroredStdpInit(w, q);
    const vis = frames(rng, 300, nV, 0.2);
    const hid = frames(rng, 300, nH, 0.2);
    for (let t = 0; t < 300; t++) mirroredStdpStep(vis[t]!, hid[t]!, w, traces, q, 1);
    assert.ok(ff.some((v) => v === 0) && ff.some((v) => v === 0.3 || Math.abs(v - 0.3) < 1e-7), "both bounds were reached");
    assert.deepEqual(w.fb, transpose(w.ff, nV, nH));
  });

  it("mirroredStdpStep(…) updates W_ff exactly as stdpStep does with visible as pre and hidden as post", () => {
    const rng = createRng(5);
    const nV = 8;
    const nH = 3;
    const ff = new Float32Array(nV * nH).map(() => rng.uniform(0, 1));
    const q = stdpParams();
    const reference = ff.slice();
    const access = denseAccess(reference, nV, nH);
    const refTraces = stdpInit(access, q);
    const w = mirroredWeights(ff, new Float32Array(nV * nH).fill(0.5), nV, nH);
    const traces = mirroredStdpInit(w, q);
    const vis = frames(rng, 150, nV, 0.15);
    const hid = frames(rng, 150, nH, 0.15);
    for (let t = 0; t < 150; t++) {
      stdpStep(vis[t]!, hid[t]!, access, refTraces, q, 0.5);
      mirroredStdpStep(vis[t]!, hid[t]!, w, traces, q, 0.5);
    }
    assert.deepEqual(w.ff, reference);
  });

  it("mirroredStdpStep(…) rejects wrong lengths, a bad dt and parameters with one clear error", () => {
    const w = mirroredWeights(new Float32Array(6), new Float32Array(6), 3, 2);
    const traces = mirroredStdpInit(w, p);
    expectError(() => mirroredStdpStep(new Uint8Array(2), new Uint8Array(2), w, traces, p, 1), /^mirroredStdpStep: visible must have length 3/);
    expectError(() => mirroredStdpStep(new Uint8Array(3), new Uint8Array(3), w, traces, p, 1), /^mirroredStdpStep: hidden must have length 2/);
    expectError(() => mirroredStdpStep(new Uint8Array(3), new Uint8Array(2), w, traces, p, Number.NaN), /^mirroredStdpStep: dt must be/);
    expectError(() => mirroredStdpStep(new Uint8Array(3), new Uint8Array(2), w, traces, { ...p, aPlus: -1 }, 1), /^mirroredStdpStep: aPlus must be/);
    expectError(() => mirroredWeights(new Float32Array(5), new Float32Array(6), 3, 2), /^mirroredWeights: ff must have length 6/);
    expectError(() => mirroredStdpInit(mirroredWeights(new Float32Array(6).fill(2), new Float32Array(6), 3, 2), stdpParams()), /^mirroredStdpInit: weights\.ff/);
  });
});
