/**
 * Constant-current coding: an input value x becomes a current held for the whole presentation,
 *
 *   I = offset + gain · x          (nA; gain in nA per unit of x)
 *
 * the input that rate-based conversion (E15) and first-layer "analog" inputs use. The current does
 * not change between steps, so the caller computes it once and passes the same array every step.
 *
 * @example
 *   const current = constantCurrent(new Float32Array([0, 0.5, 1]), { gain: 2 * nA });
 *   // Float32Array [0, 1, 2] nA, to pass as `input` to lifStep(input, state, p, dt, spikes)
 */
import { allFinite, finite, lengthIs, mergeOptions } from "../core/validate";

/** Options of `constantCurrent`. */
export interface ConstantCurrentOptions {
  /** Current per unit of input, nA. */
  readonly gain: number;
  /** Current added to every input, nA. */
  readonly offset: number;
}

/** Defaults of `constantCurrent`: 1 nA per unit, no offset. */
export const constantCurrentDefaults: Readonly<ConstantCurrentOptions> = Object.freeze({ gain: 1, offset: 0 });

/**
 * The current I = offset + gain·x (nA) for every input. `values` are not mutated; the currents go
 * into `out` (in place) when given, else into a new Float32Array.
 */
export function constantCurrent(
  values: ArrayLike<number>, options?: Partial<ConstantCurrentOptions>, out?: Float32Array,
): Float32Array {
  const fn = "constantCurrent";
  const o = mergeOptions(fn, constantCurrentDefaults, options);
  finite(fn, "gain", o.gain);
  finite(fn, "offset", o.offset);
  allFinite(fn, "values", values);
  const current = out ?? new Float32Array(values.length);
  lengthIs(fn, "out", current, values.length);
  for (let i = 0; i < values.length; i++) current[i] = o.offset + o.gain * values[i];
  return current;
}
