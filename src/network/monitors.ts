/**
 * Monitors record what a simulation does, into pre-allocated, growable typed arrays (capacity
 * doubles when full, so recording costs amortised O(1) per value and nothing per silent step):
 *
 *   spikeMonitor(population)                    every spike → a columnar `SpikeTrain`
 *   stateMonitor(population, variable, {ids, every})
 *                                               one state variable of chosen neurons every
 *                                               `every` steps → a `StateTrace`
 *
 * Times follow Brian2: a spike produced by the step that starts at t is stamped t (as the
 * encoders stamp Poisson spikes), and a state sample taken at t is the state that step starts
 * from (after the arrival of delayed events), so the first sample is the initial condition.
 * Monitors are passed to `simulate` and keep recording across calls until `clear()`.
 *
 * @example
 *   const spikes = spikeMonitor("exc");
 *   const v = stateMonitor("exc", "v", { ids: [0, 1, 2], every: 10 });
 *   simulate(net, { duration: 1000 * ms, dt: 0.1 * ms, monitors: [spikes, v] });
 *   spikes.train();   // {times, ids, size, duration}
 *   v.trace();        // {variable: "v", unit: "mV", times, ids, values}
 */
import { fail, integer, mergeOptions } from "../core/validate";
import type { SpikeTrain } from "../encoders/spike-train";
import { checkName, groupName, type Group } from "./population";
import type { StateTrace } from "./records";

const inspect = Symbol.for("nodejs.util.inspect.custom");

/** Records every spike of one group. */
export interface SpikeMonitor {
  readonly kind: "spikes";
  /** Name of the recorded group. */
  readonly population: string;
  /** Number of spikes recorded so far. */
  readonly count: number;
  /** The spikes recorded so far, as a SpikeTrain (columns copied; duration = end of the last recorded step, ms). */
  train(): SpikeTrain;
  /** Forgets everything recorded (capacity is kept). */
  clear(): void;
}

/** Records one state variable of chosen neurons every `every` steps. */
export interface StateMonitor {
  readonly kind: "state";
  /** Name of the recorded population. */
  readonly population: string;
  /** Name of the state field, e.g. "v". */
  readonly variable: string;
  /** Recorded neurons, or null for all of them. */
  readonly ids: Int32Array | null;
  /** Sampling period, steps. */
  readonly every: number;
  /** Unit written into the trace. */
  readonly unit: string;
  /** Number of samples recorded so far. */
  readonly count: number;
  /** The samples so far, as a StateTrace (copied). */
  trace(): StateTrace;
  /** Forgets everything recorded. */
  clear(): void;
}

/** Any monitor. */
export type Monitor = SpikeMonitor | StateMonitor;

function growFloat(a: Float32Array, need: number): Float32Array {
  let size = Math.max(64, a.length);
  while (size < need) size *= 2;
  const b = new Float32Array(size);
  b.set(a);
  return b;
}

function growInt(a: Int32Array, need: number): Int32Array {
  let size = Math.max(64, a.length);
  while (size < need) size *= 2;
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Internal recorder behind `spikeMonitor` (simulate calls bind, record, finish). */
export class SpikeRecorder implements SpikeMonitor {
  readonly kind = "spikes" as const;
  readonly population: string;
  private times: Float32Array = new Float32Array(0);
  private ids: Int32Array = new Int32Array(0);
  private n = 0;
  private size = -1;
  private until = 0;

  constructor(population: string, capacity: number) {
    this.population = population;
    this.times = new Float32Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get count(): number {
    return this.n;
  }

  /** Checks that the group matches earlier runs (sizes agree). */
  bind(fn: string, size: number): void {
    if (this.size >= 0 && this.size !== size) {
      fail(fn, `monitor of ${this.population}`, `record a group of ${this.size} neurons, as before`, size);
    }
    this.size = size;
  }

  /** Appends `count` spikes, all at time `t` (ms). */
  record(spikeIds: Int32Array, count: number, t: number): void {
    const need = this.n + count;
    if (need > this.ids.length) {
      this.ids = growInt(this.ids, need);
      this.times = growFloat(this.times, need);
    }
    const times = this.times;
    const ids = this.ids;
    for (let s = 0, k = this.n; s < count; s++, k++) {
      times[k] = t;
      ids[k] = spikeIds[s];
    }
    this.n = need;
  }

  /** Notes the end time (ms) of the recording. */
  finish(t: number): void {
    if (t > this.until) this.until = t;
  }

  train(): SpikeTrain {
    return Object.freeze({
      times: this.times.slice(0, this.n), ids: this.ids.slice(0, this.n), size: Math.max(this.size, 0), duration: this.until,
    });
  }

  clear(): void {
    this.n = 0;
    this.until = 0;
  }

  [inspect](): string {
    return `SpikeMonitor(${this.population}: ${this.n} spikes over ${this.until} ms)`;
  }
}

/** Options of `stateMonitor`. */
export interface StateMonitorOptions {
  /** Neurons to record (indices into the population), or null (default) for all. */
  readonly ids: ArrayLike<number> | null;
  /** Sampling period in steps, ≥ 1; default 1. */
  readonly every: number;
  /** Unit of the variable for the trace; default "mV" for "v", else "". */
  readonly unit: string | null;
}

/** Defaults of `stateMonitor`. */
export const stateMonitorDefaults: Readonly<StateMonitorOptions> = Object.freeze({ ids: null, every: 1, unit: null });

/** Internal recorder behind `stateMonitor`. */
export class StateRecorder implements StateMonitor {
  readonly kind = "state" as const;
  readonly population: string;
  readonly variable: string;
  readonly ids: Int32Array | null;
  readonly every: number;
  readonly unit: string;
  private times: Float32Array = new Float32Array(0);
  private values: Float32Array = new Float32Array(0);
  private columns: Int32Array | null = null;
  private n = 0;
  private source: Float32Array | Float64Array | null = null;

  constructor(population: string, variable: string, ids: Int32Array | null, every: number, unit: string) {
    this.population = population;
    this.variable = variable;
    this.ids = ids;
    this.every = every;
    this.unit = unit;
  }

  get count(): number {
    return this.n;
  }

  /** Resolves the recorded array of `state` (a population of `size`), checking the variable and ids. */
  bind(fn: string, state: Record<string, unknown>, size: number): void {
    const source = state[this.variable];
    if (!(source instanceof Float32Array || source instanceof Float64Array) || source.length !== size) {
      const fields = Object.keys(state).filter((k) => {
        const f = state[k];
        return (f instanceof Float32Array || f instanceof Float64Array) && f.length === size;
      });
      fail(fn, `stateMonitor(${this.population}).variable`, `be a state field with one value per neuron (${fields.join(", ")})`, this.variable);
    }
    let columns = this.ids;
    if (columns === null) {
      columns = new Int32Array(size);
      for (let i = 0; i < size; i++) columns[i] = i;
    } else {
      for (let c = 0; c < columns.length; c++) {
        if (columns[c] >= size) fail(fn, `stateMonitor(${this.population}).ids[${c}]`, `be an integer in [0, ${size - 1}]`, columns[c]);
      }
    }
    if (this.columns !== null && this.columns.length !== columns.length) {
      fail(fn, `stateMonitor(${this.population})`, `record ${this.columns.length} neurons, as before`, columns.length);
    }
    this.columns = columns;
    this.source = source;
  }

  /** Appends one sample of the bound variable at time `t` (ms). */
  record(t: number): void {
    const columns = this.columns!;
    const source = this.source!;
    const width = columns.length;
    if (this.n >= this.times.length) this.times = growFloat(this.times, this.n + 1);
    const base = this.n * width;
    if (base + width > this.values.length) this.values = growFloat(this.values, base + width);
    const values = this.values;
    for (let c = 0; c < width; c++) values[base + c] = source[columns[c]];
    this.times[this.n] = t;
    this.n++;
  }

  trace(): StateTrace {
    const width = this.columns?.length ?? this.ids?.length ?? 0;
    return Object.freeze({
      variable: this.variable,
      unit: this.unit,
      times: this.times.slice(0, this.n),
      ids: (this.columns ?? this.ids ?? new Int32Array(0)).slice(),
      values: this.values.slice(0, this.n * width),
    });
  }

  clear(): void {
    this.n = 0;
  }

  [inspect](): string {
    const who = this.ids === null ? "all neurons" : `${this.ids.length} neurons`;
    return `StateMonitor(${this.population}.${this.variable}: ${who} every ${this.every} steps, ${this.n} samples)`;
  }
}

/** Options of `spikeMonitor`. */
export interface SpikeMonitorOptions {
  /** Spikes to allocate room for at once (the arrays double when full); default 4096. */
  readonly capacity: number;
}

/** Defaults of `spikeMonitor`. */
export const spikeMonitorDefaults: Readonly<SpikeMonitorOptions> = Object.freeze({ capacity: 4096 });

/**
 * A monitor of every spike of `population` (a group or its name).
 *
 * @example
 *   const m = spikeMonitor(exc, { capacity: 100_000 });
 */
export function spikeMonitor(population: Group | string, options?: Partial<SpikeMonitorOptions>): SpikeMonitor {
  const fn = "spikeMonitor";
  const o = mergeOptions(fn, spikeMonitorDefaults, options);
  return new SpikeRecorder(groupName(fn, "population", population), integer(fn, "capacity", o.capacity, 0));
}

/**
 * A monitor of the state field `variable` of `population` (a population or its name), for the
 * neurons `ids` (default all) every `every` steps. The variable and ids are checked when the
 * monitor is first used by `simulate`.
 *
 * @example
 *   const m = stateMonitor("exc", "v", { ids: [0, 10], every: 5 });
 */
export function stateMonitor(population: Group | string, variable: string, options?: Partial<StateMonitorOptions>): StateMonitor {
  const fn = "stateMonitor";
  const name = groupName(fn, "population", population);
  checkName(fn, "variable", variable);
  const o = mergeOptions(fn, stateMonitorDefaults, options);
  const every = integer(fn, "every", o.every, 1);
  let ids: Int32Array | null = null;
  if (o.ids !== null) {
    if (typeof o.ids !== "object" || typeof o.ids.length !== "number") fail(fn, "ids", "be an array of neuron indices or null", o.ids);
    ids = new Int32Array(o.ids.length);
    for (let c = 0; c < ids.length; c++) ids[c] = integer(fn, `ids[${c}]`, o.ids[c], 0);
  }
  const unit = o.unit === null ? (variable === "v" ? "mV" : "") : o.unit;
  if (typeof unit !== "string") fail(fn, "unit", "be a string or null", unit);
  return new StateRecorder(name, variable, ids, every, unit);
}
