import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { EPS32, ms } from "../../src/core/units";
import { leakyLayerDefaults, leakyLayerParams, leakyLayerStep, leakyScan, type LeakyLayerParams } from "../../src/layers/lif-layer";
import { leakyInit, leakyParams, leakyStep } from "../../src/neurons/leaky";
import { spikeFn } from "../../src/surrogate/spike-fn";
import { atan, fastSigmoid, triangle } from "../../src/surrogate/surrogate";
import { initBackend } from "../../src/training/backend";
import { expectAllClose, expectClose, expectError } from "../helpers/close";
import { maxAbs, uniform } from "../helpers/arrays";

const resets = ["subtract", "zero", "none"] as const;


/** The explicit time loop of `leakyLayerStep` over a [T·B, F] current; returns spikes, u_t and v_t as [T·B, F]. */
function stepLoop(current: tf.Tensor, p: LeakyLayerParams, batch: number) {
  const T = p.steps;
  const F = current.shape[1]!;
  const rows = current.shape[0]!;
  const spike = spikeFn(p.surrogate);
  let state = { v: tf.zeros([batch, F]) };
  const spikes: tf.Tensor[] = [];
  const us: tf.Tensor[] = [];
  const vs: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const I = rows === batch ? current : tf.slice(current, [t * batch, 0], [batch, F]);
    // The pre-reset membrane, the same expression as inside leakyLayerStep.
    us.push(tf.add(tf.mul(state.v, p.beta), I));
    const out = leakyLayerStep(I, state, p, spike);
    spikes.push(out.spikes);
    vs.push(out.state.v);
    state = out.state;
  }
  return { spikes: tf.concat(spikes, 0), membrane: tf.concat(us, 0), v: tf.concat(vs, 0) };
}

describe("leaky layer", () => {
  before(async () => {
    await initBackend();
  });

  it("leakyLayerParams() has the documented defaults and rejects bad options with the standard message", () => {
    const p = leakyLayerParams();
    assert.deepEqual({ ...p, surrogate: p.surrogate.name }, {
      beta: 0.9, threshold: 1, reset: "subtract", surrogate: "atan", detachReset: true, steps: 25, spiking: true,
    });
    assert.deepEqual({ ...p.surrogate.params }, { alpha: 2 });
    assert.equal(leakyLayerDefaults.surrogate, "atan");
    assert.ok(Object.isFrozen(p));
    const s = fastSigmoid({ slope: 5 });
    assert.equal(leakyLayerParams({ surrogate: s }).surrogate, s);
    expectError(() => leakyLayerParams({ beta: 1.5 }), "leakyLayerParams: beta must be a finite number in [0, 1], got 1.5");
    expectError(() => leakyLayerParams({ threshold: 0 }), "leakyLayerParams: threshold must be a finite number > 0, got 0");
    expectError(() => leakyLayerParams({ reset: "soft" as never }), 'leakyLayerParams: reset must be one of "subtract", "zero", "none", got "soft"');
    expectError(() => leakyLayerParams({ steps: 2.5 }), "leakyLayerParams: steps must be an integer >= 1, got 2.5");
    expectError(() => leakyLayerParams({ detachReset: 1 as never }), "leakyLayerParams: detachReset must be a boolean, got 1");
    expectError(() => leakyLayerParams({ spiking: "no" as never }), 'leakyLayerParams: spiking must be a boolean, got "no"');
    expectError(() => leakyLayerParams({ surrogate: "nope" as never }),
      'leakyLayerParams: surrogate must be one of "fast-sigmoid", "atan", "sigmoid", "triangle", "boxcar", "straight-through", got "nope"');
    expectError(() => leakyLayerParams({ tau: 5 } as never), 'leakyLayerParams: options must have only the keys beta, threshold, reset, surrogate, detachReset, steps, spiking, got "tau"');
  });

  it("leakyScan(current, p, B) rejects a current whose rows are neither B nor T·B", () => {
    const p = leakyLayerParams({ steps: 4 });
    // The value part describes the offending shape (describe() prints arrays as Array(n)).
    expectError(() => leakyScan(tf.zeros([6, 3]), p, 2), /^leakyScan: current must have shape \[B or T·B, …features\] with B = 2, T = 4, got /);
    expectError(() => leakyScan(tf.zeros([8]), p, 2), /^leakyScan: current must have shape \[B or T·B, …features\] with B = 2, T = 4, got /);
    expectError(() => leakyScan(tf.zeros([2, 3]), p, 0), "leakyScan: batch must be an integer >= 1, got 0");
    expectError(() => leakyScan(tf.zeros([2, 3]), p, 2, "voltage" as never), 'leakyScan: gradient must be one of "spikes", "membrane", got "voltage"');
  });

  it("leakyScan(current, p, B) equals leakyStep of neurons/leaky step by step, for every reset mode", () => {
    const T = 40;
    const B = 3;
    const F = 7;
    const n = B * F;
    const x = uniform(1, T * n, -0.3, 0.7);
    for (const reset of resets) {
      for (const theta of [1, 0.75]) {
        const p = leakyLayerParams({ beta: 0.93, threshold: theta, reset, steps: T });
        const out = leakyScan(tf.tensor2d(x, [T * B, F]), p, B);
        const spikes = out.spikes.dataSync();
        const u = out.membrane.dataSync();
        assert.deepEqual(out.spikes.shape, [T * B, F]);
        assert.deepEqual(out.membrane.shape, [T * B, F]);
        const lp = leakyParams({ beta: 0.93, threshold: theta, reset });
        const state = leakyInit(n, lp);
        const s = new Uint8Array(n);
        let fired = 0;
        for (let t = 0; t < T; t++) {
          const input = x.subarray(t * n, (t + 1) * n);
          // The pre-reset potential, leakyStep's own expression on its own state.
          const expectedU = Array.from(state.v, (v, k) => Math.fround(0.93 * v + input[k]!));
          leakyStep(input, state, lp, 1 * ms, s);
          for (let k = 0; k < n; k++) {
            const i = t * n + k;
            const where = `${reset}, θ ${theta}, step ${t}, element ${k}`;
            assert.equal(spikes[i], s[k], `spike: ${where}`);
            assert.equal(u[i], expectedU[k], `u: ${where}`);
            const recovered = reset === "subtract" ? u[i]! - theta * spikes[i]! : reset === "zero" ? u[i]! * (1 - spikes[i]!) : u[i]!;
            if (s[k] === 1 && reset === "subtract") {
              // Both keep v = fl32(β·v + x − θ) from the same double; recovering it from the
              // float32-rounded u adds at most half an ulp of u: |Δ| ≤ |u|·EPS32/2.
              expectClose(recovered, state.v[k]!, { rtol: 0, atol: (Math.abs(u[i]!) * EPS32) / 2, message: `v: ${where}` });
            } else {
              assert.equal(recovered, state.v[k], `v: ${where}`);
            }
            fired += s[k]!;
          }
        }
        assert.ok(fired > T, `${reset}: ${fired} spikes`);
      }
    }
  });

  it("leakyLayerStep(input, state, p, spike) gives leakyScan's spikes and potentials within float32 rounding", () => {
    const T = 30;
    const B = 2;
    const F = 10;
    const x = uniform(2, T * B * F, -0.3, 0.7);
    for (const reset of resets) {
      const p = leakyLayerParams({ beta: 0.9, reset, steps: T });
      const current = tf.tensor2d(x, [T * B, F]);
      const scan = leakyScan(current, p, B);
      const loop = stepLoop(current, p, B);
      assert.deepEqual(Array.from(loop.spikes.dataSync()), Array.from(scan.spikes.dataSync()), `${reset}: spikes`);
      const u = scan.membrane.dataSync();
      const bound = maxAbs(u);
      // tf rounds β to float32 and each product and sum (≤ 3 roundings of EPS32/2 relative per
      // step); the errors decay with β, so they stay below 3·max|u|·EPS32/(2(1 − β)).
      const atol = (3 * bound * EPS32) / (2 * (1 - p.beta));
      expectAllClose(loop.membrane.dataSync(), u, { rtol: 0, atol, message: `${reset}: u` });
      const s = scan.spikes.dataSync();
      const v = Array.from(u, (uk, i) => (reset === "subtract" ? uk - p.threshold * s[i]! : reset === "zero" ? uk * (1 - s[i]!) : uk));
      expectAllClose(loop.v.dataSync(), v, { rtol: 0, atol, message: `${reset}: v` });
    }
  });

  it("leakyScan with spiking: false is the leaky integrator u_t = β·u_{t−1} + I_t, no spikes", () => {
    const T = 12;
    const x = uniform(3, T * 2, -1, 3);
    const p = leakyLayerParams({ beta: 0.8, steps: T, spiking: false });
    const out = leakyScan(tf.tensor2d(x, [T * 2, 1]), p, 2);
    assert.ok(out.spikes.dataSync().every((s) => s === 0));
    const u = out.membrane.dataSync();
    for (let b = 0; b < 2; b++) {
      let ref = 0;
      for (let t = 0; t < T; t++) {
        ref = 0.8 * ref + x[t * 2 + b]!;
        // One float32 rounding of u per step, damped by β: ≤ max|u|·EPS32/(2(1 − β)).
        expectClose(u[t * 2 + b]!, ref, { rtol: 0, atol: (15 * EPS32) / (2 * 0.2), message: `b ${b} t ${t}` });
      }
    }
  });

  it("leakyScan of a current given once as [B, F] equals the current repeated as [T·B, F], values and gradients", () => {
    const T = 9;
    const B = 4;
    const F = 5;
    const once = uniform(4, B * F, 0, 0.6);
    const repeated = new Float32Array(T * B * F);
    for (let t = 0; t < T; t++) repeated.set(once, t * B * F);
    const w = tf.tensor2d(uniform(5, T * B * F, -1, 1), [T * B, F]);
    for (const gradient of ["spikes", "membrane"] as const) {
      for (const reset of resets) {
        const p = leakyLayerParams({ beta: 0.95, reset, steps: T, surrogate: fastSigmoid({ slope: 5 }), detachReset: false });
        const a = leakyScan(tf.tensor2d(once, [B, F]), p, B, gradient);
        const b = leakyScan(tf.tensor2d(repeated, [T * B, F]), p, B, gradient);
        assert.deepEqual(Array.from(a.spikes.dataSync()), Array.from(b.spikes.dataSync()));
        assert.deepEqual(Array.from(a.membrane.dataSync()), Array.from(b.membrane.dataSync()));
        const loss = (c: tf.Tensor) => tf.sum(tf.mul(leakyScan(c, p, B, gradient)[gradient], w));
        const gOnce = tf.grad(loss)(tf.tensor2d(once, [B, F])).dataSync();
        const gRep = tf.grad(loss)(tf.tensor2d(repeated, [T * B, F]));
        const summed = tf.sum(tf.reshape(gRep, [T, B, F]), 0).dataSync();
        const scale = maxAbs(gRep.dataSync());
        // Summing T float32 terms in two orders: ≤ T·max|g|·EPS32 apart.
        expectAllClose(gOnce, summed, { rtol: 0, atol: T * scale * EPS32, message: `${gradient}, ${reset}` });
      }
    }
  });

  it("tf.grad through leakyScan equals tf.grad through a leakyLayerStep loop (BPTT), every reset and gradient", () => {
    const T = 16;
    const B = 3;
    const F = 6;
    const x = uniform(6, T * B * F, -0.2, 0.6);
    const w = tf.tensor2d(uniform(7, T * B * F, -1, 1), [T * B, F]);
    let compared = 0;
    for (const surrogate of [atan({ alpha: 2 }), triangle({ width: 1.5 })]) {
      for (const reset of resets) {
        for (const detachReset of [true, false]) {
          for (const gradient of ["spikes", "membrane"] as const) {
            const p = leakyLayerParams({ beta: 0.85, reset, detachReset, steps: T, surrogate });
            const current = tf.tensor2d(x, [T * B, F]);
            const gScan = tf.grad((c: tf.Tensor) => tf.sum(tf.mul(leakyScan(c, p, B, gradient)[gradient], w)))(current);
            const gLoop = tf.grad((c: tf.Tensor) => tf.sum(tf.mul(stepLoop(c, p, B)[gradient], w)))(current);
            const expected = gLoop.dataSync();
            const scale = maxAbs(expected);
            assert.ok(scale > 0.1, "the gradient is not trivially zero");
            // The loop runs in float32 (β rounded, ≤ 4 roundings of EPS32/2 per step) and σ′ is
            // evaluated at a u − θ that differs by the forward rounding; the perturbations are
            // relative EPS32 per step and accumulate over at most T steps: ≤ 4·T·max|g|·EPS32.
            expectAllClose(gScan.dataSync(), expected, {
              rtol: 0, atol: 4 * T * scale * EPS32, message: `${surrogate.name}, ${reset}, detach ${detachReset}, ${gradient}`,
            });
            compared++;
          }
        }
      }
    }
    assert.equal(compared, 24);
  });

  it("tf.grad of Σ w_t·u_t through a non-spiking leakyScan is Σ_{s≥t} β^{s−t}·w_s", () => {
    const T = 20;
    const B = 2;
    const beta = 0.9;
    const p = leakyLayerParams({ beta, steps: T, spiking: false });
    const wt = uniform(8, T * B, -1, 1);
    const w = tf.tensor2d(wt, [T * B, 1]);
    const x = tf.tensor2d(uniform(9, T * B, -1, 1), [T * B, 1]);
    const g = tf.grad((c: tf.Tensor) => tf.sum(tf.mul(leakyScan(c, p, B, "membrane").membrane, w)))(x).dataSync();
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        let ref = 0;
        let abs = 0;
        for (let s = t; s < T; s++) {
          ref += beta ** (s - t) * wt[s * B + b]!;
          abs += beta ** (s - t) * Math.abs(wt[s * B + b]!);
        }
        // One float32 rounding per step of the reverse recursion, on partial sums ≤ Σ|terms|.
        expectClose(g[t * B + b]!, ref, { rtol: 0, atol: T * abs * EPS32, message: `b ${b} t ${t}` });
      }
    }
  });

  it("leakyScan(current, p, B, gradient): the other output is a constant of the backward pass", () => {
    const T = 5;
    const p = leakyLayerParams({ steps: T, surrogate: fastSigmoid({ slope: 2 }) });
    const x = tf.tensor2d(uniform(10, T * 4, 0, 1), [T * 2, 2]);
    for (const [gradient, other] of [["spikes", "membrane"], ["membrane", "spikes"]] as const) {
      const alone = tf.grad((c: tf.Tensor) => tf.sum(leakyScan(c, p, 2, gradient)[gradient]))(x).dataSync();
      const both = tf.grad((c: tf.Tensor) => {
        const out = leakyScan(c, p, 2, gradient);
        return tf.add(tf.sum(out[gradient]), tf.mul(tf.sum(out[other]), 1000));
      })(x).dataSync();
      assert.deepEqual(Array.from(both), Array.from(alone), gradient);
      assert.ok(alone.some((g) => g !== 0));
    }
  });

  it("leakyScan(current, p, B) works on [T·B, h, w, c] currents and keeps the shape", () => {
    const T = 3;
    const B = 2;
    const p = leakyLayerParams({ steps: T, beta: 0.5 });
    const x = uniform(12, T * B * 2 * 2 * 3, 0, 1.5);
    const a = leakyScan(tf.tensor4d(x, [T * B, 2, 2, 3]), p, B);
    const b = leakyScan(tf.tensor2d(x, [T * B, 12]), p, B);
    assert.deepEqual(a.spikes.shape, [T * B, 2, 2, 3]);
    assert.deepEqual(Array.from(a.spikes.dataSync()), Array.from(b.spikes.dataSync()));
    assert.deepEqual(Array.from(a.membrane.dataSync()), Array.from(b.membrane.dataSync()));
  });
});
