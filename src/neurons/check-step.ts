/**
 * The boundary checks every `xStep` runs once per call (not per neuron): `dt` is a finite
 * number > 0, and `input` and `spikes` have one element per neuron. Internal to `neurons/`.
 */
import { lengthIs, positive } from "../core/validate";

/** Throws the standard error for a bad `dt`, `input` or `spikes`; returns the population size. */
export function checkStep(fn: string, input: Float32Array, size: number, dt: number, spikes: Uint8Array): number {
  positive(fn, "dt", dt);
  lengthIs(fn, "input", input, size);
  lengthIs(fn, "spikes", spikes, size);
  return size;
}
