/**
 * Two tiny neuron models for network tests: `scripted` spikes at given steps (its own step counter),
 * `probe` spikes never and keeps what arrives: `lastInput` is the step's input, `g` a state field
 * that projections can target and that decays to nothing (g ← 0 after being copied to `lastG`).
 */
import type { NeuronModel, NeuronState } from "../../src/neurons/neuron-model";

export interface ScriptedParams {
  /** For each neuron, the steps (0-based, counted from init or reset) at which it spikes. */
  readonly schedule: readonly (readonly number[])[];
}

export interface ScriptedState extends NeuronState {
  readonly v: Float32Array;
  readonly counter: Float32Array;
}

export const scripted: NeuronModel<ScriptedParams, ScriptedState> = Object.freeze({
  name: "scripted",
  defaults: Object.freeze({ schedule: [] }),
  params: (o?: Partial<ScriptedParams>) => ({ schedule: o?.schedule ?? [] }),
  init: (size: number) => ({ size, v: new Float32Array(size), counter: new Float32Array(1) }),
  reset: (s: ScriptedState) => {
    s.v.fill(0);
    s.counter[0] = 0;
  },
  step: (_input: Float32Array, s: ScriptedState, p: ScriptedParams, _dt: number, spikes: Uint8Array) => {
    const k = s.counter[0];
    let n = 0;
    for (let i = 0; i < s.size; i++) {
      const fire = (p.schedule[i] ?? []).includes(k) ? 1 : 0;
      spikes[i] = fire;
      n += fire;
      if (fire) s.v[i] += 1;
    }
    s.counter[0] = k + 1;
    return n;
  },
});

export interface ProbeState extends NeuronState {
  readonly v: Float32Array;
  readonly lastInput: Float32Array;
  readonly g: Float32Array;
  readonly lastG: Float32Array;
}

export const probe: NeuronModel<Record<string, never>, ProbeState> = Object.freeze({
  name: "probe",
  defaults: Object.freeze({}),
  params: () => ({}),
  init: (size: number) => ({
    size, v: new Float32Array(size), lastInput: new Float32Array(size), g: new Float32Array(size), lastG: new Float32Array(size),
  }),
  reset: (s: ProbeState) => {
    s.v.fill(0);
    s.lastInput.fill(0);
    s.g.fill(0);
    s.lastG.fill(0);
  },
  step: (input: Float32Array, s: ProbeState, _p: Record<string, never>, _dt: number, spikes: Uint8Array) => {
    for (let i = 0; i < s.size; i++) {
      s.lastInput[i] = input[i];
      s.lastG[i] = s.g[i];
      s.g[i] = 0;
      s.v[i] += input[i];
      spikes[i] = 0;
    }
    return 0;
  },
});

/** Spikes on a schedule like `scripted`, and then resets v to −70; otherwise v is left as it is. */
export const resetting: NeuronModel<ScriptedParams, ScriptedState> = Object.freeze({
  ...scripted,
  name: "resetting",
  step: (_input: Float32Array, s: ScriptedState, p: ScriptedParams, _dt: number, spikes: Uint8Array) => {
    const k = s.counter[0];
    let n = 0;
    for (let i = 0; i < s.size; i++) {
      const fire = (p.schedule[i] ?? []).includes(k) ? 1 : 0;
      spikes[i] = fire;
      n += fire;
      if (fire) s.v[i] = -70;
    }
    s.counter[0] = k + 1;
    return n;
  },
});
