/**
 * The boundary checks every `xStep` runs once per call (not per neuron): `state` and `p` are the
 * records that `xInit` and `xParams` make, `dt` is a finite number > 0, and `input` and `spikes`
 * have one element per neuron. `xInit` and `xReset` run the record checks too. Internal to
 * `neurons/` (and the models that bring their own neuron).
 */
import { fail, lengthIs, positive } from "../core/validate";

/** The model's name from a function name: "lifStep" → "lif". */
const modelOf = (fn: string): string => fn.replace(/(Step|Reset|Init|Rates|RateClosedForm)$/, "");

/**
 * Throws the standard error unless `p` is a parameter record as `xParams` returns: an object with
 * every key of the model's `defaults` (a few `in` tests per call; the values were checked by `xParams`).
 */
export function checkParams(fn: string, p: unknown, defaults: object): void {
  if (p === null || typeof p !== "object" || Object.keys(defaults).some((key) => !(key in p))) {
    fail(fn, "p", `be parameters from ${modelOf(fn)}Params(options)`, p);
  }
}

/**
 * Throws the standard error unless `state` is a state record of `xInit` (its `size`, and a
 * membrane potential `v` of that many float32s, which every neuron state holds); returns its size.
 */
export function checkState(fn: string, state: unknown): number {
  const s = state !== null && typeof state === "object" ? (state as { size?: unknown; v?: unknown }) : {};
  const size = s.size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0 || !(s.v instanceof Float32Array) || s.v.length !== size) {
    fail(fn, "state", `be a state from ${modelOf(fn)}Init(size, p)`, state);
  }
  return size;
}

/** Throws the standard error for a bad `state`, `p`, `dt`, `input` or `spikes`; returns the population size. */
export function checkStep(
  fn: string, input: Float32Array, state: { readonly size: number }, p: unknown, dt: number, spikes: Uint8Array, defaults: object,
): number {
  const size = checkState(fn, state);
  checkParams(fn, p, defaults);
  positive(fn, "dt", dt);
  lengthIs(fn, "input", input, size);
  lengthIs(fn, "spikes", spikes, size);
  return size;
}
