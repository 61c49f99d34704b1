/**
 * Driving single neurons: `driveNeurons(model, params, options)` runs `size` neurons of any model
 * for a duration under a chosen current — constant, per neuron, or a step/pulse schedule — plus
 * optional synaptic events, and records spikes and state variables. It is the single-neuron bench
 * of the notebooks (step responses, PSPs, f–I curves, firing classes, costs), so that no cell
 * needs a loop over time steps.
 *
 * Current goes where the model takes it: into the state's `iExt` bias field when the model has
 * one (LIF: exact integration of a held current), else into the step's `input` array (nA for
 * current-based models, µA/cm² for Hodgkin–Huxley, the model's own units for Izhikevich).
 * Synaptic events add their weight to `input` at the step they arrive (for LIF with exponential
 * or alpha synapses, the peak of the synaptic current, nA).
 *
 * @example
 *   const r = driveNeurons(lif, lifParams(), { size: 3, current: [1, 2, 3], duration: 1000 * ms, dt: 0.1 * ms });
 *   spikeCounts(r.spikes);                 // spikes per neuron
 *   r.traces.v.values;                      // v of every neuron, every step (mV)
 */
import { arrayLength, fail, finite, integer, mergeOptions, positive } from "../core/validate";
import { sortedSpikeTrain, stepCount, type SpikeTrain } from "../encoders/spike-train";
import type { NeuronModel, NeuronState } from "../neurons/neuron-model";
import type { StateTrace } from "./records";

/** A current that changes at given times: `value` from `start` (ms) until the next segment. */
export interface CurrentSegment {
  readonly start: number;
  readonly value: number | ArrayLike<number>;
}

/** A synaptic event: `weight` arrives at `neuron` (default 0) at `time` ms. */
export interface SynapticEvent {
  readonly time: number;
  readonly weight: number;
  readonly neuron?: number;
}

/** Options of `driveNeurons`. */
export interface DriveOptions {
  /** Simulated time, ms (a whole number of steps). */
  readonly duration: number;
  /** Step, ms. */
  readonly dt: number;
  /** Number of neurons. Default 1. */
  readonly size: number;
  /** Current: one number for all, one per neuron, or a schedule of segments. Default 0. */
  readonly current: number | ArrayLike<number> | readonly CurrentSegment[];
  /** Synaptic events. Default none. */
  readonly events: readonly SynapticEvent[];
  /** State variables to record (Float32Array fields of the state). Default ["v"]. */
  readonly record: readonly string[];
  /** Record every `every` steps. Default 1. */
  readonly every: number;
}

/** Defaults of `driveNeurons`. */
export const driveDefaults: Readonly<Omit<DriveOptions, "duration" | "dt">> = Object.freeze({
  size: 1, current: 0, events: Object.freeze([]) as readonly SynapticEvent[], record: Object.freeze(["v"]) as readonly string[], every: 1,
});

/** What `driveNeurons` recorded. */
export interface DriveResult {
  readonly spikes: SpikeTrain;
  /** One trace per recorded variable; values row-major [time][neuron]. */
  readonly traces: Readonly<Record<string, StateTrace>>;
  /** Steps simulated. */
  readonly steps: number;
}

const UNITS: Readonly<Record<string, string>> = Object.freeze({ v: "mV", i: "nA", x: "nA", u: "", theta: "mV", ge: "", gi: "", m: "", h: "", n: "" });

function perNeuron(fn: string, param: string, value: number | ArrayLike<number>, size: number, out: Float32Array): void {
  if (typeof value === "number") {
    finite(fn, param, value);
    out.fill(value);
    return;
  }
  if (value.length !== size) fail(fn, param, `have one value per neuron (${size})`, value.length);
  for (let k = 0; k < size; k++) out[k] = finite(fn, `${param}[${k}]`, value[k]);
}

/** Runs `size` neurons of `model` under a current and synaptic events; records spikes and state. */
export function driveNeurons<P, S extends NeuronState>(
  model: NeuronModel<P, S>, params: P, options: Partial<DriveOptions> & { duration: number; dt: number },
): DriveResult {
  const fn = "driveNeurons";
  if (model === null || typeof model !== "object" || typeof model.init !== "function" || typeof model.step !== "function") {
    fail(fn, "model", "be a neuron model (lif, izhikevich, …)", model);
  }
  const o = mergeOptions(fn, { ...driveDefaults, duration: NaN, dt: NaN } as DriveOptions, options);
  const dt = positive(fn, "dt", o.dt);
  positive(fn, "duration", o.duration);
  const steps = stepCount(fn, o.duration, dt);
  const size = arrayLength(fn, "size", o.size, 1);
  const every = integer(fn, "every", o.every, 1);
  const state = model.init(size, params);
  const fields = state as unknown as Record<string, unknown>;
  const bias = fields.iExt instanceof Float32Array ? (fields.iExt as Float32Array) : undefined;

  // Current schedule: segments sorted by start; a plain value is one segment from 0.
  const segments: { step: number; value: Float32Array }[] = [];
  const schedule = Array.isArray(o.current) && o.current.length > 0 && typeof o.current[0] === "object"
    ? (o.current as readonly CurrentSegment[])
    : [{ start: 0, value: o.current as number | ArrayLike<number> }];
  schedule.forEach((segment, k) => {
    const start = finite(fn, `current[${k}].start`, segment.start);
    const value = new Float32Array(size);
    perNeuron(fn, `current[${k}].value`, segment.value, size, value);
    segments.push({ step: Math.round(start / dt), value });
  });
  segments.sort((a, b) => a.step - b.step);

  const eventsAt = new Map<number, { neuron: number; weight: number }[]>();
  o.events.forEach((event, k) => {
    const step = Math.round(finite(fn, `events[${k}].time`, event.time) / dt);
    const neuron = integer(fn, `events[${k}].neuron`, event.neuron ?? 0, 0);
    if (neuron >= size) fail(fn, `events[${k}].neuron`, `be < size ${size}`, neuron);
    const list = eventsAt.get(step) ?? [];
    list.push({ neuron, weight: finite(fn, `events[${k}].weight`, event.weight) });
    eventsAt.set(step, list);
  });

  const recorded = o.record.map((name) => {
    const field = fields[name];
    if (!(field instanceof Float32Array || field instanceof Float64Array) || field.length !== size) {
      fail(fn, "record", `name Float32Array state fields of ${model.name} (${Object.keys(fields).filter((k) => fields[k] instanceof Float32Array).join(", ")})`, name);
    }
    return { name, field: field as Float32Array | Float64Array };
  });
  const samples = Math.floor((steps - 1) / every) + 1;
  const times = new Float32Array(samples);
  const values = recorded.map(() => new Float32Array(samples * size));

  const input = new Float32Array(size);
  const spikes = new Uint8Array(size);
  const spikeTimes: number[] = [];
  const spikeIds: number[] = [];
  let segment = -1;
  let current: Float32Array = new Float32Array(size);
  for (let step = 0; step < steps; step++) {
    while (segment + 1 < segments.length && segments[segment + 1]!.step <= step) {
      segment++;
      current = segments[segment]!.value;
      if (bias) bias.set(current);
    }
    if (step % every === 0) {
      const row = step / every;
      times[row] = step * dt;
      for (let r = 0; r < recorded.length; r++) values[r]!.set(recorded[r]!.field, row * size);
    }
    if (bias) input.fill(0);
    else input.set(current);
    const events = eventsAt.get(step);
    if (events) for (const e of events) input[e.neuron]! += e.weight;
    const count = model.step(input, state, params, dt, spikes);
    if (count > 0) {
      for (let k = 0; k < size; k++) {
        if (spikes[k]) {
          spikeTimes.push(step * dt);
          spikeIds.push(k);
        }
      }
    }
  }
  const ids = Int32Array.from({ length: size }, (_, k) => k);
  const traces: Record<string, StateTrace> = {};
  recorded.forEach((r, k) => {
    traces[r.name] = { variable: r.name, unit: UNITS[r.name] ?? "", times, ids, values: values[k]! };
  });
  return { spikes: sortedSpikeTrain(spikeTimes, spikeIds, size, steps * dt), traces, steps };
}
