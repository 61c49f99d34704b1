/**
 * The discrete "leaky" neuron of surrogate-gradient training (snnTorch's `Leaky`, Norse's
 * discrete LIF): a dimensionless LIF with a decay factor β per step.
 *
 *   v[t+1] = β·v[t] + x[t]
 *   v[t+1] > threshold  ⇒  spike, then v[t+1] ← v[t+1] − threshold ("subtract"),
 *                                      v[t+1] ← 0 ("zero") or unchanged ("none")
 *
 * The reset acts in the step of the spike, so v[t] above is always the potential after the
 * previous step's reset. (snnTorch subtracts the previous step's spike after the decay,
 * β·v + x − θ·s[t−1]; here it is β·(v − θ·s[t−1]) + x. The tf.js twin `layers/lif-layer.ts`
 * follows this file.) `betaFromTau(τ, dt) = e^{−dt/τ}` maps a continuous LIF onto β. `dt` is
 * validated but does not enter the update: β already is the decay of one step.
 *
 * @example
 *   const p = leakyParams({ beta: betaFromTau(20 * ms, 1 * ms), threshold: 1 });
 *   const s = leakyInit(4, p);
 *   const spikes = new Uint8Array(4);
 *   leakyStep(new Float32Array([0.2, 0.5, 1.2, 0]), s, p, 1 * ms, spikes);
 */
import { arrayLength, inRange, mergeOptions, oneOf, positive } from "../core/validate";
import { checkParams, checkState, checkStep } from "./check-step";
import type { NeuronModel, NeuronState } from "./neuron-model";

/** What a spike does to v: subtract the threshold, set v to 0, or nothing. */
export type LeakyResetMode = "subtract" | "zero" | "none";

/** The reset modes, in the order of the union. */
export const leakyResetModes: readonly LeakyResetMode[] = Object.freeze(["subtract", "zero", "none"] as const);

/** Parameters of `leaky` (all dimensionless). */
export interface LeakyParams {
  /** Decay factor per step β, in [0, 1]; `betaFromTau(tau, dt)` converts a time constant. */
  readonly beta: number;
  /** Spike threshold (dimensionless); a spike needs v > threshold. */
  readonly threshold: number;
  /** Reset after a spike. */
  readonly reset: LeakyResetMode;
}

/** Defaults: β 0.9, threshold 1, reset by subtraction. */
export const leakyDefaults: Readonly<LeakyParams> = Object.freeze({ beta: 0.9, threshold: 1, reset: "subtract" });

/**
 * Validated parameters over `leakyDefaults`: β in [0, 1], threshold > 0.
 *
 * @example
 *   const p = leakyParams({ beta: 0.95, reset: "zero" });
 */
export function leakyParams(options: Partial<LeakyParams> = {}): LeakyParams {
  const fn = "leakyParams";
  const p = mergeOptions(fn, leakyDefaults, options);
  inRange(fn, "beta", p.beta, 0, 1);
  positive(fn, "threshold", p.threshold);
  oneOf(fn, "reset", p.reset, leakyResetModes);
  return Object.freeze(p);
}

/** State of a leaky population: the dimensionless potential v. */
export interface LeakyState extends NeuronState {
  readonly size: number;
  /** Membrane potential, dimensionless (in units of the threshold's scale). */
  readonly v: Float32Array;
}

/** A population of `size` neurons with v = 0. */
export function leakyInit(size: number, p: LeakyParams): LeakyState {
  arrayLength("leakyInit", "size", size);
  checkParams("leakyInit", p, leakyDefaults);
  const state: LeakyState = { size, v: new Float32Array(size) };
  leakyReset(state, p);
  return state;
}

/** Sets v = 0 in place. */
export function leakyReset(state: LeakyState, _p: LeakyParams): void {
  checkState("leakyReset", state);
  state.v.fill(0);
}

/**
 * One step v ← β·v + x with threshold and reset, in place; writes 0/1 into `spikes` and returns
 * the number of spikes. `dt` (ms) is validated only (file head).
 */
export function leakyStep(input: Float32Array, state: LeakyState, p: LeakyParams, dt: number, spikes: Uint8Array): number {
  const n = checkStep("leakyStep", input, state, p, dt, spikes, leakyDefaults);
  const { beta, threshold, reset } = p;
  const v = state.v;
  // After a spike v ← keep·v − drop: subtract (1, θ), zero (0, 0), none (1, 0).
  const keep = reset === "zero" ? 0 : 1;
  const drop = reset === "subtract" ? threshold : 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const vk = beta * v[k]! + input[k]!;
    if (vk > threshold) {
      v[k] = keep * vk - drop;
      spikes[k] = 1;
      count++;
    } else {
      v[k] = vk;
      spikes[k] = 0;
    }
  }
  return count;
}

/**
 * The decay factor per step of a continuous leak with time constant `tau` (ms) sampled every
 * `dt` (ms): β = e^{−dt/τ}.
 *
 * @example
 *   betaFromTau(20 * ms, 1 * ms);   // 0.951229…
 */
export function betaFromTau(tau: number, dt: number): number {
  positive("betaFromTau", "tau", tau);
  positive("betaFromTau", "dt", dt);
  return Math.exp(-dt / tau);
}

/** The discrete leaky neuron as a `NeuronModel` (input: dimensionless increment per step). */
export const leaky: NeuronModel<LeakyParams, LeakyState> = Object.freeze({
  name: "leaky",
  defaults: leakyDefaults,
  params: leakyParams,
  init: leakyInit,
  reset: leakyReset,
  step: leakyStep,
});
