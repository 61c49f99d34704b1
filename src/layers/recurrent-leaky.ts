/**
 * The recurrent leaky (LIF) layer for BPTT: the leaky layer of lif-layer.ts with its own spikes fed
 * back through recurrent weights V (snnTorch's `RLeaky` with all-to-all recurrence), as one fused
 * op over the whole time loop, like `leakyScan`:
 *
 *   u_t = β·v_{t−1} + I_t + s_{t−1}·V       s_t = H(u_t − θ)        v_t = reset(u_t, s_t)
 *
 * Backward (BPTT with the surrogate σ′ in place of H′):
 *
 *   ∂L/∂s_t = g_t + ∂L/∂u_{t+1}·Vᵀ                         (the spike feeds the next step)
 *   ∂L/∂u_t = σ′(u_t − θ)·∂L/∂s_t + ∂v_t/∂u_t·β·∂L/∂u_{t+1}
 *   ∂L/∂I_t = ∂L/∂u_t          ∂L/∂V = Σ_t s_{t−1}ᵀ·∂L/∂u_t
 *
 * with ∂v_t/∂u_t as in `leakyScan` (1 with a detached reset). The forward recurrent product adds
 * a row of V per spike (spikes are sparse); the weight gradient is one matrix product on the tf
 * backend. Shapes as `leakyScan`: current [T′·B, F] (T′ = 1: constant in time, or T), V [F, F],
 * outputs [T·B, F]; gradients flow through the spikes (the membrane is returned as a constant).
 *
 * @example
 *   const p = leakyLayerParams({ beta: 0.9, steps: 50 });
 *   const V = tf.variable(tf.randomNormal([100, 100], 0, 0.1));
 *   const { spikes } = recurrentLeakyScan(current, V, p, 32);   // current [50·32, 100]
 */
import * as tf from "@tensorflow/tfjs-core";
import { fail, integer } from "../core/validate";
import type { LeakyLayerParams, LeakyScanOutput } from "./lif-layer";

/**
 * Runs the recurrent leaky layer over all T = p.steps steps as one differentiable op (file
 * header); differentiable in `current` and `V`.
 *
 * @example
 *   const { spikes, membrane } = recurrentLeakyScan(tf.ones([32, 10]), tf.zeros([10, 10]), leakyLayerParams({ steps: 5 }), 32);
 */
export function recurrentLeakyScan(current: tf.Tensor, V: tf.Tensor, p: LeakyLayerParams, batch: number): LeakyScanOutput {
  const fn = "recurrentLeakyScan";
  if (!(current instanceof tf.Tensor)) fail(fn, "current", "be a tf.Tensor [B or T·B, F]", current);
  if (!(V instanceof tf.Tensor)) fail(fn, "V", "be a tf.Tensor [F, F]", V);
  if (p === null || typeof p !== "object" || !Number.isSafeInteger(p.steps)) fail(fn, "p", "be parameters from leakyLayerParams(options)", p);
  integer(fn, "batch", batch, 1);
  const T = p.steps;
  const rows = current.shape[0] ?? 0;
  if (current.rank !== 2 || (rows !== batch && rows !== T * batch)) {
    fail(fn, "current", `have shape [B or T·B, F] with B = ${batch}, T = ${T}`, `[${current.shape.join(", ")}]`);
  }
  const F = current.shape[1]!;
  if (V.rank !== 2 || V.shape[0] !== F || V.shape[1] !== F) fail(fn, "V", `have shape [${F}, ${F}] (the layer's features)`, `[${V.shape.join(", ")}]`);
  const B = batch;
  const inputSteps = rows / B;
  const n = B * F;
  const { beta, threshold: theta, reset, detachReset, spiking } = p;
  if (!spiking) fail(fn, "p.spiking", "be true (a recurrent layer feeds back spikes)", spiking);
  const derivative = p.surrogate.derivative;
  const keep = reset === "zero" ? 0 : 1;
  const drop = reset === "subtract" ? theta : 0;
  let membrane: Float32Array | undefined;

  const op = tf.customGrad(((x: tf.Tensor, W: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, W]);
    const input = x.dataSync() as Float32Array;
    const Vv = W.dataSync() as Float32Array;
    const spikes = new Float32Array(T * n);
    const u = new Float32Array(T * n);
    const v = new Float32Array(n);
    const rec = new Float32Array(n);
    for (let t = 0; t < T; t++) {
      const off = t * n;
      const inOff = inputSteps === 1 ? 0 : off;
      rec.fill(0);
      if (t > 0) {
        const prev = off - n;
        for (let r = 0; r < B; r++) {
          for (let k = 0; k < F; k++) {
            if (spikes[prev + r * F + k] === 0) continue;
            const vk = k * F;
            const rr = r * F;
            for (let j = 0; j < F; j++) rec[rr + j] += Vv[vk + j]!;
          }
        }
      }
      for (let k = 0; k < n; k++) {
        const uk = beta * v[k]! + input[inOff + k]! + rec[k]!;
        u[off + k] = uk;
        if (uk > theta) {
          v[k] = keep * uk - drop;
          spikes[off + k] = 1;
        } else {
          v[k] = uk;
        }
      }
    }
    membrane = u;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const g = dy.dataSync() as Float32Array;
      const gu = new Float32Array(T * n); // ∂L/∂u_t for every step (the weight gradient needs them all)
      const gIn = new Float32Array(inputSteps * n);
      for (let t = T - 1; t >= 0; t--) {
        const off = t * n;
        const next = off + n;
        const inOff = inputSteps === 1 ? 0 : off;
        for (let r = 0; r < B; r++) {
          for (let k = 0; k < F; k++) {
            const e = r * F + k;
            let gs = g[off + e]!;
            let gv = 0;
            if (t < T - 1) {
              // ∂u_{t+1}/∂s_t = V (row k), ∂u_{t+1}/∂v_t = β.
              const vk = k * F;
              const gr = next + r * F;
              let s = 0;
              for (let j = 0; j < F; j++) s += gu[gr + j]! * Vv[vk + j]!;
              gs += s;
              gv = beta * gu[next + e]!;
            }
            const uk = u[off + e]!;
            const sg = derivative(uk - theta);
            const fired = uk > theta ? 1 : 0;
            const dvdu = reset === "subtract" ? (detachReset ? 1 : 1 - theta * sg)
              : reset === "zero" ? (detachReset ? 1 - fired : 1 - fired - uk * sg)
              : 1;
            const gue = sg * gs + dvdu * gv;
            gu[off + e] = gue;
            gIn[inOff + e] += gue;
          }
        }
      }
      const [xs] = saved as [tf.Tensor, tf.Tensor];
      return tf.tidy(() => {
        const prevSpikes = new Float32Array(T * n);
        prevSpikes.set(spikes.subarray(0, (T - 1) * n), n);
        const dV = tf.matMul(tf.tensor(prevSpikes, [T * B, F], "float32"), tf.tensor(gu, [T * B, F], "float32"), true, false);
        return [tf.tensor(gIn, xs.shape, "float32"), dV];
      });
    };
    return { value: tf.tensor(spikes, [T * B, F], "float32"), gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const spikes = (op as unknown as (x: tf.Tensor, W: tf.Tensor) => tf.Tensor)(current, V);
  return { spikes, membrane: tf.tensor(membrane!, [T * B, F], "float32") };
}
