/**
 * Small typed-array utilities shared by the simulation core.
 *
 * @example
 *   const x = filled(4, -65);      // Float32Array [-65, -65, -65, -65]
 *   sum(x);                        // -260
 */
import { arrayLength, arrayLike, fail } from "./validate";

/** A new Float32Array of `size` elements, every one `value`. */
export function filled(size: number, value: number): Float32Array {
  arrayLength("filled", "size", size);
  if (typeof value !== "number") fail("filled", "value", "be a number", value);
  return new Float32Array(size).fill(value);
}

/** Sum of the elements (in double precision). */
export function sum(values: ArrayLike<number>): number {
  arrayLike("sum", "values", values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/** Arithmetic mean of the elements; NaN for an empty array. */
export function mean(values: ArrayLike<number>): number {
  arrayLike("mean", "values", values);
  return values.length === 0 ? NaN : sum(values) / values.length;
}

/** Population variance of the elements; NaN for an empty array. */
export function variance(values: ArrayLike<number>): number {
  arrayLike("variance", "values", values);
  const n = values.length;
  if (n === 0) return NaN;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - m;
    s += d * d;
  }
  return s / n;
}

/** Index of the largest element (first on ties); −1 for an empty array. */
export function argmax(values: ArrayLike<number>): number {
  arrayLike("argmax", "values", values);
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > bestValue || best < 0) {
      best = i;
      bestValue = values[i]!;
    }
  }
  return best;
}

/** `[0, 1, …, n − 1]` as an Int32Array. */
export function range(n: number): Int32Array {
  arrayLength("range", "n", n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
