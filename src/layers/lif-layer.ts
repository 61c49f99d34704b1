/**
 * The training twin of `neurons/leaky.ts` (house style C4): the same discrete leaky neuron, its
 * equations on that file's header, as tf.js ops that BPTT can differentiate. Two forms:
 *
 * - `leakyLayerStep(input, state, p, spike)`: one step, pure, `(input, state, p) → {spikes,
 *   state}` with the surrogate spike op of surrogate/spike-fn.ts — for writing the time loop by
 *   hand as in snnTorch's tutorials.
 * - `leakyScan(current, p)`: the whole time loop as one op. Forward runs the recursion over
 *   typed arrays (exactly `leakyStep`'s arithmetic); backward runs BPTT through it in reverse:
 *
 *     u_t = β·v_{t−1} + I_t        s_t = H(u_t − θ)        v_t = reset(u_t, s_t)
 *     ∂L/∂u_t = σ′(u_t − θ)·∂L/∂s_t + ∂v_t/∂u_t·(∂L/∂v_t + β·∂L/∂u_{t+1})
 *     ∂v_t/∂u_t = 1 − θσ′ (subtract), (1 − s_t) − u_tσ′ (zero), 1 (none);
 *                 the σ′ terms vanish with `detachReset` (snnTorch's `reset_mechanism` detach)
 *
 *   One op instead of ~10 tf ops per step is what makes surrogate training fast on a CPU
 *   (bench `surrogate`); a current constant in time (shape [1·B, …]) is broadcast to every step
 *   and its gradient summed over steps, so a static image's W·x is computed once, not T times.
 *
 * Shapes: `current` is [T′·B, …features] with T′ = 1 or T = p.steps, time-major (step t of
 * sample b is row t·B + b). Outputs are [T·B, …features].
 *
 * @example
 *   const p = leakyLayerParams({ beta: 0.95, steps: 25 });
 *   const { spikes, membrane } = leakyScan(tf.ones([1 * 128, 1000]).mul(0.1), p, 128);
 *   // spikes: [25·128, 1000]; membrane: the pre-reset potential u_t, same shape
 */
import * as tf from "@tensorflow/tfjs-core";
import { fail, inRange, integer, mergeOptions, oneOf, positive } from "../core/validate";
import { leakyResetModes, type LeakyResetMode } from "../neurons/leaky";
import { surrogate as toSurrogate, type Surrogate, type SurrogateName } from "../surrogate/surrogate";

/** Parameters of a leaky layer (dimensionless, as `LeakyParams`, plus training choices). */
export interface LeakyLayerParams {
  /** Decay per step β in [0, 1]. */
  readonly beta: number;
  /** Threshold θ > 0; a spike needs u > θ. */
  readonly threshold: number;
  /** Reset after a spike: subtract θ, set to 0, or none. */
  readonly reset: LeakyResetMode;
  /** The surrogate derivative of the backward pass. */
  readonly surrogate: Surrogate;
  /** Treat the reset as a constant in the backward pass (no σ′ term through it). */
  readonly detachReset: boolean;
  /** Number of time steps T. */
  readonly steps: number;
  /** false: a non-spiking leaky integrator (readout), v_t = β·v_{t−1} + I_t, no threshold. */
  readonly spiking: boolean;
}

/** What `leakyLayerParams` accepts: a surrogate may be given by name. */
export type LeakyLayerOptions = Partial<Omit<LeakyLayerParams, "surrogate">> & { surrogate?: Surrogate | SurrogateName };

/** Defaults: β 0.9, θ 1, subtract, atan surrogate (α = 2), reset detached (both as snnTorch), 25 steps. */
export const leakyLayerDefaults: Readonly<LeakyLayerOptions> = Object.freeze({
  beta: 0.9, threshold: 1, reset: "subtract", surrogate: "atan", detachReset: true, steps: 25, spiking: true,
});

/**
 * Validated leaky-layer parameters.
 *
 * @example
 *   leakyLayerParams({ beta: 0.95, surrogate: fastSigmoid({ slope: 25 }) });
 */
export function leakyLayerParams(options: LeakyLayerOptions = {}): LeakyLayerParams {
  const fn = "leakyLayerParams";
  const o = mergeOptions(fn, leakyLayerDefaults, options);
  inRange(fn, "beta", o.beta, 0, 1);
  positive(fn, "threshold", o.threshold);
  oneOf(fn, "reset", o.reset, leakyResetModes);
  integer(fn, "steps", o.steps, 1);
  if (typeof o.detachReset !== "boolean") fail(fn, "detachReset", "be a boolean", o.detachReset);
  if (typeof o.spiking !== "boolean") fail(fn, "spiking", "be a boolean", o.spiking);
  return Object.freeze({
    beta: o.beta!, threshold: o.threshold!, reset: o.reset!, detachReset: o.detachReset!, steps: o.steps!, spiking: o.spiking!,
    surrogate: toSurrogate(o.surrogate!, fn, "surrogate"),
  });
}

/** State of a leaky layer between steps: the potential after the last reset. */
export interface LeakyLayerState {
  readonly v: tf.Tensor;
}

/**
 * One step of the leaky layer as tf ops (differentiable through `spike`). Pure: returns new
 * tensors and never disposes its inputs.
 *
 * @example
 *   const spike = spikeFn(p.surrogate);
 *   let state = { v: tf.zeros([4]) };
 *   const out = leakyLayerStep(x, state, p, spike);
 *   state = out.state;
 */
export function leakyLayerStep(
  input: tf.Tensor, state: LeakyLayerState, p: LeakyLayerParams, spike: (x: tf.Tensor) => tf.Tensor,
): { spikes: tf.Tensor; state: LeakyLayerState } {
  const fn = "leakyLayerStep";
  if (!(input instanceof tf.Tensor)) fail(fn, "input", "be a tf.Tensor", input);
  if (state === null || typeof state !== "object" || !(state.v instanceof tf.Tensor)) fail(fn, "state", "be a layer state {v: tf.Tensor}", state);
  if (p === null || typeof p !== "object") fail(fn, "p", "be parameters from leakyLayerParams(options)", p);
  if (typeof spike !== "function") fail(fn, "spike", "be a spike function (spikeFn(surrogate))", spike);
  return tf.tidy(() => {
    const u = tf.add(tf.mul(state.v, p.beta), input);
    if (!p.spiking) return { spikes: tf.zerosLike(u), state: { v: u } };
    const s = spike(tf.sub(u, p.threshold));
    // The reset's own gradient: detached, the reset term is a constant of the backward pass.
    const sr = p.detachReset ? tf.step(tf.sub(u, p.threshold)) : s;
    const v = p.reset === "subtract" ? tf.sub(u, tf.mul(sr, p.threshold))
      : p.reset === "zero" ? tf.mul(u, tf.sub(1, sr))
      : u;
    return { spikes: s, state: { v } };
  });
}

/** The outputs of `leakyScan`, each [T·B, …features]. */
export interface LeakyScanOutput {
  /** 0/1 spikes s_t. */
  readonly spikes: tf.Tensor;
  /**
   * The membrane potential reached at each step before that step's reset, u_t = β·v_{t−1} + I_t
   * (what snnTorch's `Leaky` returns as `mem`; the post-reset v_t is u_t − θ·s_t for "subtract",
   * u_t·(1 − s_t) for "zero").
   */
  readonly membrane: tf.Tensor;
}

/** Which output of `leakyScan` carries gradients (the other is returned as a constant). */
export type ScanGradient = "spikes" | "membrane";

/**
 * Runs the layer over all T steps as one differentiable op (file header). `batch` is B; the
 * current's first dimension must be B (constant in time) or T·B. Gradients flow through the
 * output named by `gradient` (default "spikes", what the next layer reads); the other output is a
 * constant of the backward pass, so a hidden layer never pays for a second output.
 *
 * @example
 *   const { spikes } = leakyScan(current, leakyLayerParams({ steps: 25 }), 128);
 */
export function leakyScan(current: tf.Tensor, p: LeakyLayerParams, batch: number, gradient: ScanGradient = "spikes"): LeakyScanOutput {
  const fn = "leakyScan";
  if (!(current instanceof tf.Tensor)) fail(fn, "current", "be a tf.Tensor", current);
  if (p === null || typeof p !== "object" || !Number.isSafeInteger(p.steps)) fail(fn, "p", "be parameters from leakyLayerParams(options)", p);
  integer(fn, "batch", batch, 1);
  oneOf(fn, "gradient", gradient, ["spikes", "membrane"] as const);
  const T = p.steps;
  const rows = current.shape[0] ?? 0;
  if (current.rank < 2 || (rows !== batch && rows !== T * batch)) {
    fail(fn, "current", `have shape [B or T·B, …features] with B = ${batch}, T = ${T}`, `[${current.shape.join(", ")}]`);
  }
  const inputSteps = rows / batch;
  const featureShape = current.shape.slice(1);
  const outShape = [T * batch, ...featureShape];
  const n = batch * featureShape.reduce((a, b) => a * b, 1); // one step's elements
  const { beta, threshold: theta, reset, detachReset, spiking } = p;
  const derivative = p.surrogate.derivative;
  const keep = reset === "zero" ? 0 : 1;
  const drop = reset === "subtract" ? theta : 0;
  const viaMembrane = gradient === "membrane";
  let other: Float32Array | undefined; // the constant output, made a tensor outside the op's scope

  const op = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => {
    const input = (x as tf.Tensor).dataSync() as Float32Array;
    const spikes = new Float32Array(T * n);
    const u = new Float32Array(T * n); // pre-reset potential: an output, and σ′'s argument backwards
    const v = new Float32Array(n);
    for (let t = 0; t < T; t++) {
      const inOff = inputSteps === 1 ? 0 : t * n;
      const off = t * n;
      for (let k = 0; k < n; k++) {
        // The same expression, in the same order, as leakyStep: identical float32 results.
        const vk = beta * v[k]! + input[inOff + k]!;
        u[off + k] = vk;
        if (spiking && vk > theta) {
          v[k] = keep * vk - drop;
          spikes[off + k] = 1;
        } else {
          v[k] = vk;
        }
      }
    }
    other = viaMembrane ? spikes : u;
    return {
      value: tf.tensor(viaMembrane ? u : spikes, outShape, "float32"),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const gIn = new Float32Array(inputSteps * n);
        const carry = new Float32Array(n); // ∂L/∂v_t = β·∂L/∂u_{t+1}
        // ∂v_t/∂u_t = 1 in the common cases (detached subtract, none, integrator): a branch-free
        // loop, about 3× faster than the general one, with the same results.
        const unitDvdu = spiking ? reset === "none" || (reset === "subtract" && detachReset) : viaMembrane;
        for (let t = T - 1; t >= 0; t--) {
          const off = t * n;
          const inOff = inputSteps === 1 ? 0 : off;
          if (unitDvdu) {
            if (viaMembrane) {
              for (let k = 0; k < n; k++) {
                const gu = carry[k]! + g[off + k]!;
                gIn[inOff + k] += gu;
                carry[k] = beta * gu;
              }
            } else {
              for (let k = 0; k < n; k++) {
                const gu = carry[k]! + derivative(u[off + k]! - theta) * g[off + k]!;
                gIn[inOff + k] += gu;
                carry[k] = beta * gu;
              }
            }
            continue;
          }
          for (let k = 0; k < n; k++) {
            const gv = carry[k]!;
            let gu: number;
            if (!spiking) {
              gu = gv;
            } else {
              const uk = u[off + k]!;
              const sg = derivative(uk - theta);
              const fired = uk > theta ? 1 : 0;
              let dvdu: number;
              if (reset === "subtract") dvdu = detachReset ? 1 : 1 - theta * sg;
              else if (reset === "zero") dvdu = detachReset ? 1 - fired : 1 - fired - uk * sg;
              else dvdu = 1;
              gu = dvdu * gv + (viaMembrane ? 0 : sg * g[off + k]!);
            }
            if (viaMembrane) gu += g[off + k]!;
            gIn[inOff + k] += gu;
            carry[k] = beta * gu;
          }
        }
        return tf.tensor(gIn, (x as tf.Tensor).shape, "float32");
      },
    };
  });
  const value = op(current) as tf.Tensor;
  const constant = tf.tensor(other!, outShape, "float32");
  return viaMembrane ? { spikes: constant, membrane: value } : { spikes: value, membrane: constant };
}
