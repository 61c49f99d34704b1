/**
 * Per-neuron parameters: a field typed `PerNeuron` is either one number shared by the whole
 * population or a Float32Array with one value per neuron (house style C4: heterogeneity behind
 * the same names). Used by `izhikevich.ts` for the heterogeneous 1000-neuron network.
 *
 * @example
 *   const c = perNeuronParam("izhikevichParams", "c", new Float32Array([-65, -55]));
 *   checkPerNeuronLength("izhikevichStep", "c", c, 2);
 *   perNeuronAt(c, 1);   // -55
 */
import { fail, lengthIs } from "../core/validate";

/** A scalar shared by every neuron, or one value per neuron. */
export type PerNeuron = number | Float32Array;

/**
 * Validates a per-neuron parameter: a finite number, or a Float32Array of finite numbers, which
 * is copied so that later changes to the caller's array do not leak into the parameters.
 */
export function perNeuronParam(fn: string, name: string, value: unknown): PerNeuron {
  if (value instanceof Float32Array) {
    for (let k = 0; k < value.length; k++) {
      if (!Number.isFinite(value[k])) fail(fn, `${name}[${k}]`, "be a finite number", value[k]);
    }
    return Float32Array.from(value);
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(fn, name, "be a finite number or a Float32Array", value);
  }
  return value;
}

/** Throws the standard error when an array-valued parameter does not have one value per neuron. */
export function checkPerNeuronLength(fn: string, name: string, value: PerNeuron, size: number): void {
  if (typeof value !== "number") lengthIs(fn, name, value, size);
}

/** The value for neuron `k` (not for hot loops: they hoist the type test out of the loop). */
export function perNeuronAt(value: PerNeuron, k: number): number {
  return typeof value === "number" ? value : value[k]!;
}
