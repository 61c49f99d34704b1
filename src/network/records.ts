/**
 * Columnar records that monitors produce and widgets, tables and metrics read (house style C7).
 * Records are plain data: typed-array columns plus a few scalars, never classes with behaviour.
 *
 * `SpikeTrain` (times, ids, size, duration) lives in `encoders/spike-train.ts` and is re-exported
 * here, so `network/` is the one place a reader looks for what a simulation records.
 *
 * @example
 *   const trace: StateTrace = {
 *     variable: "v", unit: "mV", times: new Float32Array([0, 0.1]), ids: new Int32Array([0, 1]),
 *     values: new Float32Array([-65, -65, -64.9, -64.8]),   // [time][neuron], row-major
 *   };
 *   traceOf(trace, 1);   // Float32Array [-65, -64.8]: neuron 1 over time
 */
import { fail } from "../core/validate";

export type { SpikeTrain } from "../encoders/spike-train";

/** A recorded state variable of chosen neurons at chosen times. */
export interface StateTrace {
  /** Name of the recorded variable, e.g. "v", "ge", "theta". */
  readonly variable: string;
  /** Unit of the values, e.g. "mV" (empty for dimensionless variables). */
  readonly unit: string;
  /** Sample times, ms, increasing. */
  readonly times: Float32Array;
  /** The recorded neurons' indices in their population, one per column. */
  readonly ids: Int32Array;
  /** Values, row-major `[time][neuron]`: `values[t * ids.length + j]` is neuron `ids[j]` at `times[t]`. */
  readonly values: Float32Array;
}

/** The time course of one recorded neuron (a column of `trace`, copied). */
export function traceOf(trace: StateTrace, column: number): Float32Array {
  if (trace === null || typeof trace !== "object" || !(trace.values instanceof Float32Array) || typeof trace.ids?.length !== "number") {
    fail("traceOf", "trace", "be a StateTrace (a state monitor's trace())", trace);
  }
  const n = trace.ids.length;
  if (!Number.isInteger(column) || column < 0 || column >= n) {
    fail("traceOf", "column", `be an integer in [0, ${n - 1}]`, column);
  }
  const out = new Float32Array(trace.times.length);
  for (let t = 0; t < out.length; t++) out[t] = trace.values[t * n + column]!;
  return out;
}
