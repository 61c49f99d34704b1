/**
 * Izhikevich (2003) simple spiking model, "Simple model of spiking neurons", IEEE Trans.
 * Neural Netw. 14:1569.
 *
 *   v' = 0.04·v² + 5·v + 140 − u + I        u' = a·(b·v − u)
 *   v ≥ vPeak (30 mV)  ⇒  spike, v ← c, u ← u + d
 *
 * Units as in the paper: t in ms, v in mV; u and the input I are in the model's normalised
 * current units, mV/ms (I = 10 is the paper's tonic drive; they are not nA). a (1/ms), b (1/ms,
 * u per mV of v), c (mV), d (mV/ms). Each of a, b, c, d is a number or a Float32Array with one
 * value per neuron, for heterogeneous populations such as the paper's 1000-neuron network.
 *
 * Integration follows the published MATLAB exactly: v takes two forward-Euler half-steps of
 * dt/2 with u held, then u one forward-Euler step of dt using the new v,
 *
 *   v ← v + (dt/2)·f(v, u, I);  v ← v + (dt/2)·f(v, u, I);  u ← u + dt·a·(b·v − u)
 *
 * and at the end of the step v ≥ vPeak fires and resets. At dt = 1 ms these are the paper's two
 * 0.5 ms half-steps "for numerical stability"; smaller dt refines the same scheme. (MATLAB tests
 * the peak at the top of the next iteration; testing it at the end of this step gives the same
 * trajectory, with the spike reported in the step that produced it.) The peak test is v ≥ vPeak
 * as published, not the strict threshold of the other models, because vPeak is the spike's
 * apex, not a threshold. After a spike `state.v` holds c, not the peak: a membrane trace should
 * draw vPeak where `spikes[k] = 1`, as the paper's figures do.
 *
 * @example
 *   const p = izhikevichPresets.chattering;
 *   const s = izhikevichInit(1, p);
 *   const spikes = new Uint8Array(1);
 *   for (let t = 0; t < 200; t++) izhikevichStep(new Float32Array([10]), s, p, 1 * ms, spikes);
 *   // heterogeneous population: one c and d per neuron
 *   const q = izhikevichParams({ c: new Float32Array([-65, -55]), d: new Float32Array([8, 4]) });
 */
import { arrayLength, fail, finite, mergeOptions } from "../core/validate";
import { checkParams, checkState, checkStep } from "./check-step";
import type { NeuronModel, NeuronState } from "./neuron-model";
import { checkPerNeuronLength, perNeuronAt, perNeuronParam, type PerNeuron } from "./per-neuron";

/** Parameters of `izhikevich`. */
export interface IzhikevichParams {
  /** Recovery rate a, 1/ms (per neuron allowed). */
  readonly a: PerNeuron;
  /** Sensitivity of u to v, b, 1/ms (per neuron allowed). */
  readonly b: PerNeuron;
  /** After-spike reset of v, c, mV (per neuron allowed); must be below vPeak. */
  readonly c: PerNeuron;
  /** After-spike increment of u, d, mV/ms (per neuron allowed). */
  readonly d: PerNeuron;
  /** Spike apex: v ≥ vPeak fires, mV. */
  readonly vPeak: number;
  /** Initial v of a fresh or reset state, mV (u starts at b·vInit). */
  readonly vInit: number;
}

/** Defaults: regular spiking (a 0.02, b 0.2, c −65, d 8), vPeak 30 mV, vInit −65 mV. */
export const izhikevichDefaults: Readonly<IzhikevichParams> = Object.freeze({
  a: 0.02, b: 0.2, c: -65, d: 8, vPeak: 30, vInit: -65,
});

/**
 * Validated parameters over `izhikevichDefaults`. Array-valued a, b, c, d are copied (later
 * changes to the caller's arrays do not leak in); their length is checked against the
 * population in `izhikevichInit` and `izhikevichStep`. Non-finite values and c ≥ vPeak throw.
 *
 * @example
 *   const p = izhikevichParams({ a: 0.1, d: 2 });   // fast spiking
 */
export function izhikevichParams(options: Partial<IzhikevichParams> = {}): IzhikevichParams {
  const fn = "izhikevichParams";
  const merged = mergeOptions(fn, izhikevichDefaults, options);
  const vPeak = finite(fn, "vPeak", merged.vPeak);
  const c = perNeuronParam(fn, "c", merged.c);
  const cs = typeof c === "number" ? [c] : c;
  for (let k = 0; k < cs.length; k++) {
    if (!(cs[k]! < vPeak)) fail(fn, typeof c === "number" ? "c" : `c[${k}]`, `be < vPeak (${vPeak})`, cs[k]);
  }
  return Object.freeze({
    a: perNeuronParam(fn, "a", merged.a),
    b: perNeuronParam(fn, "b", merged.b),
    c,
    d: perNeuronParam(fn, "d", merged.d),
    vPeak,
    vInit: finite(fn, "vInit", merged.vInit),
  });
}

/** Names of the seven cortical and thalamic classes of the paper's Fig. 2. */
export type IzhikevichPresetName =
  | "regularSpiking" | "intrinsicallyBursting" | "chattering" | "fastSpiking"
  | "lowThresholdSpiking" | "thalamoCortical" | "resonator";

/**
 * The paper's seven neuron classes (Fig. 2), as complete frozen parameter records:
 *
 *   | preset                 | label | a    | b    | c   | d    |
 *   |------------------------|-------|------|------|-----|------|
 *   | regularSpiking         | RS    | 0.02 | 0.2  | −65 | 8    |
 *   | intrinsicallyBursting  | IB    | 0.02 | 0.2  | −55 | 4    |
 *   | chattering             | CH    | 0.02 | 0.2  | −50 | 2    |
 *   | fastSpiking            | FS    | 0.1  | 0.2  | −65 | 2    |
 *   | lowThresholdSpiking    | LTS   | 0.02 | 0.25 | −65 | 2    |
 *   | thalamoCortical        | TC    | 0.02 | 0.25 | −65 | 0.05 |
 *   | resonator              | RZ    | 0.1  | 0.26 | −65 | 2    |
 */
export const izhikevichPresets: Readonly<Record<IzhikevichPresetName, IzhikevichParams>> = Object.freeze({
  regularSpiking: izhikevichParams({ a: 0.02, b: 0.2, c: -65, d: 8 }),
  intrinsicallyBursting: izhikevichParams({ a: 0.02, b: 0.2, c: -55, d: 4 }),
  chattering: izhikevichParams({ a: 0.02, b: 0.2, c: -50, d: 2 }),
  fastSpiking: izhikevichParams({ a: 0.1, b: 0.2, c: -65, d: 2 }),
  lowThresholdSpiking: izhikevichParams({ a: 0.02, b: 0.25, c: -65, d: 2 }),
  thalamoCortical: izhikevichParams({ a: 0.02, b: 0.25, c: -65, d: 0.05 }),
  resonator: izhikevichParams({ a: 0.1, b: 0.26, c: -65, d: 2 }),
});

/** The paper's short labels of the presets (RS, IB, CH, FS, LTS, TC, RZ), for legends. */
export const izhikevichPresetLabels: Readonly<Record<IzhikevichPresetName, string>> = Object.freeze({
  regularSpiking: "RS", intrinsicallyBursting: "IB", chattering: "CH", fastSpiking: "FS",
  lowThresholdSpiking: "LTS", thalamoCortical: "TC", resonator: "RZ",
});

/** State of an Izhikevich population. */
export interface IzhikevichState extends NeuronState {
  readonly size: number;
  /** Membrane potential, mV (c right after a spike). */
  readonly v: Float32Array;
  /** Recovery variable, mV/ms. */
  readonly u: Float32Array;
}

function checkLengths(fn: string, p: IzhikevichParams, size: number): void {
  checkPerNeuronLength(fn, "a", p.a, size);
  checkPerNeuronLength(fn, "b", p.b, size);
  checkPerNeuronLength(fn, "c", p.c, size);
  checkPerNeuronLength(fn, "d", p.d, size);
}

/** A population of `size` neurons with v = vInit and u = b·vInit. Per-neuron arrays must have length `size`. */
export function izhikevichInit(size: number, p: IzhikevichParams): IzhikevichState {
  arrayLength("izhikevichInit", "size", size);
  checkParams("izhikevichInit", p, izhikevichDefaults);
  checkLengths("izhikevichInit", p, size);
  const state: IzhikevichState = { size, v: new Float32Array(size), u: new Float32Array(size) };
  izhikevichReset(state, p);
  return state;
}

/** Sets v = vInit and u = b·vInit in place (the paper's initial condition). */
export function izhikevichReset(state: IzhikevichState, p: IzhikevichParams): void {
  checkState("izhikevichReset", state);
  checkParams("izhikevichReset", p, izhikevichDefaults);
  const { v, u, size } = state;
  for (let k = 0; k < size; k++) {
    v[k] = p.vInit;
    u[k] = perNeuronAt(p.b, k) * p.vInit;
  }
}

/**
 * Advances `state` by `dt` ms with the paper's scheme (file head), in place; writes 0/1 into
 * `spikes` and returns the number of spikes. `input` is the current I of this step, mV/ms,
 * held over the step. Throws the standard error for a bad dt, for `input` or `spikes` of the
 * wrong length, and for per-neuron parameter arrays whose length is not `state.size`.
 */
export function izhikevichStep(
  input: Float32Array, state: IzhikevichState, p: IzhikevichParams, dt: number, spikes: Uint8Array,
): number {
  const fn = "izhikevichStep";
  const n = checkStep(fn, input, state, p, dt, spikes, izhikevichDefaults);
  checkLengths(fn, p, n);
  const { v, u } = state;
  const vPeak = p.vPeak;
  if (typeof p.a !== "number" && typeof p.b !== "number" && typeof p.c !== "number" && typeof p.d !== "number") {
    return stepHeterogeneous(input, v, u, p.a, p.b, p.c, p.d, n, vPeak, dt, spikes);
  }
  // A scalar is read once; an array per neuron (a predictable branch, no allocation).
  const aArray = typeof p.a === "number" ? null : p.a;
  const bArray = typeof p.b === "number" ? null : p.b;
  const cArray = typeof p.c === "number" ? null : p.c;
  const dArray = typeof p.d === "number" ? null : p.d;
  const aScalar = typeof p.a === "number" ? p.a : 0;
  const bScalar = typeof p.b === "number" ? p.b : 0;
  const cScalar = typeof p.c === "number" ? p.c : 0;
  const dScalar = typeof p.d === "number" ? p.d : 0;
  const half = 0.5 * dt;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const current = input[k]!;
    let vk = v[k]!;
    let uk = u[k]!;
    vk += half * (0.04 * vk * vk + 5 * vk + 140 - uk + current);
    vk += half * (0.04 * vk * vk + 5 * vk + 140 - uk + current);
    const a = aArray === null ? aScalar : aArray[k]!;
    const b = bArray === null ? bScalar : bArray[k]!;
    uk += dt * a * (b * vk - uk);
    if (vk >= vPeak) {
      vk = cArray === null ? cScalar : cArray[k]!;
      uk += dArray === null ? dScalar : dArray[k]!;
      spikes[k] = 1;
      count++;
    } else {
      spikes[k] = 0;
    }
    v[k] = vk;
    u[k] = uk;
  }
  return count;
}

// The same arithmetic as the general loop, specialised for a fully heterogeneous population (the
// 1000-neuron network): with every parameter an array the loop has no per-neuron type tests, which
// halves its cost.
function stepHeterogeneous(
  input: Float32Array, v: Float32Array, u: Float32Array, a: Float32Array, b: Float32Array, c: Float32Array, d: Float32Array,
  n: number, vPeak: number, dt: number, spikes: Uint8Array,
): number {
  const half = 0.5 * dt;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const current = input[k];
    let vk = v[k];
    let uk = u[k];
    vk += half * (0.04 * vk * vk + 5 * vk + 140 - uk + current);
    vk += half * (0.04 * vk * vk + 5 * vk + 140 - uk + current);
    uk += dt * a[k] * (b[k] * vk - uk);
    if (vk >= vPeak) {
      vk = c[k];
      uk += d[k];
      spikes[k] = 1;
      count++;
    } else {
      spikes[k] = 0;
    }
    v[k] = vk;
    u[k] = uk;
  }
  return count;
}

/** The Izhikevich model as a `NeuronModel` (input: current I, mV/ms). */
export const izhikevich: NeuronModel<IzhikevichParams, IzhikevichState> = Object.freeze({
  name: "izhikevich",
  defaults: izhikevichDefaults,
  params: izhikevichParams,
  init: izhikevichInit,
  reset: izhikevichReset,
  step: izhikevichStep,
});
