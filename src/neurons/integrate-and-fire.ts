/**
 * Non-leaky integrate-and-fire neuron, the spiking unit of ReLU-network conversion
 * (Cao et al. 2015; Diehl et al. 2015; Rueckauer et al. 2017).
 *
 *   v ← v + x                     (every step; no leak)
 *   v > threshold  ⇒  spike, and v ← v − threshold ("subtract") or v ← 0 ("zero")
 *
 * `x` is the input of the step in the units of v (for conversion: the weighted input of a
 * layer, with v and threshold dimensionless, threshold 1). `dt` is validated but does not scale
 * the input: the input already is the charge of one step. The spike condition is strict, as
 * everywhere in snnlab (`tf.step`).
 *
 * With reset by subtraction, v0 = 0 and a constant input 0 ≤ x ≤ threshold, v stays in
 * [0, threshold], so the spike count N after T steps obeys N = (T·x − v_T)/threshold and the
 * rate N/T is within 1/T of relu(x)/threshold (the bound behind rate-based conversion). Reset
 * to zero discards the residue v − threshold and fires more slowly.
 *
 * @example
 *   const p = integrateAndFireParams({ reset: "subtract" });
 *   const s = integrateAndFireInit(2, p);
 *   const spikes = new Uint8Array(2);
 *   integrateAndFireStep(new Float32Array([0.3, 1.5]), s, p, 1, spikes);
 */
import { arrayLength, mergeOptions, oneOf, positive } from "../core/validate";
import { checkParams, checkState, checkStep } from "./check-step";
import type { NeuronModel, NeuronState } from "./neuron-model";

/** What a spike does to v: subtract the threshold (keeps the residue), or set v to 0. */
export type IntegrateAndFireResetMode = "subtract" | "zero";

/** The reset modes, in the order of the union. */
export const integrateAndFireResetModes: readonly IntegrateAndFireResetMode[] = Object.freeze(["subtract", "zero"] as const);

/** Parameters of `integrateAndFire`. */
export interface IntegrateAndFireParams {
  /** Spike threshold, in the units of v (dimensionless for conversion). */
  readonly threshold: number;
  /** Reset after a spike. */
  readonly reset: IntegrateAndFireResetMode;
}

/** Defaults: threshold 1, reset by subtraction. */
export const integrateAndFireDefaults: Readonly<IntegrateAndFireParams> = Object.freeze({
  threshold: 1, reset: "subtract",
});

/**
 * Validated parameters over `integrateAndFireDefaults`: threshold must be > 0.
 *
 * @example
 *   const p = integrateAndFireParams({ threshold: 0.5, reset: "zero" });
 */
export function integrateAndFireParams(options: Partial<IntegrateAndFireParams> = {}): IntegrateAndFireParams {
  const fn = "integrateAndFireParams";
  const p = mergeOptions(fn, integrateAndFireDefaults, options);
  positive(fn, "threshold", p.threshold);
  oneOf(fn, "reset", p.reset, integrateAndFireResetModes);
  return Object.freeze(p);
}

/** State of an IF population: the potential v (units of the input), one element per neuron. */
export interface IntegrateAndFireState extends NeuronState {
  readonly size: number;
  /** Accumulated potential, units of the input (dimensionless for conversion). */
  readonly v: Float32Array;
}

/** A population of `size` neurons with v = 0. */
export function integrateAndFireInit(size: number, p: IntegrateAndFireParams): IntegrateAndFireState {
  arrayLength("integrateAndFireInit", "size", size);
  checkParams("integrateAndFireInit", p, integrateAndFireDefaults);
  const state: IntegrateAndFireState = { size, v: new Float32Array(size) };
  integrateAndFireReset(state, p);
  return state;
}

/** Sets v = 0 in place. */
export function integrateAndFireReset(state: IntegrateAndFireState, _p: IntegrateAndFireParams): void {
  checkState("integrateAndFireReset", state);
  state.v.fill(0);
}

/**
 * Adds `input` to v, in place, fires where v > threshold and resets those neurons; writes 0/1
 * into `spikes` and returns the number of spikes. `dt` (ms) is validated only (file head).
 */
export function integrateAndFireStep(
  input: Float32Array, state: IntegrateAndFireState, p: IntegrateAndFireParams, dt: number, spikes: Uint8Array,
): number {
  const n = checkStep("integrateAndFireStep", input, state, p, dt, spikes, integrateAndFireDefaults);
  const { threshold } = p;
  const v = state.v;
  // subtract: v − threshold; zero: v − v. One loop, no per-neuron branch on the mode.
  const keep = p.reset === "subtract" ? 1 : 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const vk = v[k]! + input[k]!;
    if (vk > threshold) {
      v[k] = keep * (vk - threshold);
      spikes[k] = 1;
      count++;
    } else {
      v[k] = vk;
      spikes[k] = 0;
    }
  }
  return count;
}

/** The non-leaky IF neuron as a `NeuronModel` (input: increment of v per step). */
export const integrateAndFire: NeuronModel<IntegrateAndFireParams, IntegrateAndFireState> = Object.freeze({
  name: "integrate-and-fire",
  defaults: integrateAndFireDefaults,
  params: integrateAndFireParams,
  init: integrateAndFireInit,
  reset: integrateAndFireReset,
  step: integrateAndFireStep,
});
