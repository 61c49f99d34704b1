/** Tolerance helpers for numerical tests (house style C9): defaults derive from EPS32 = 2^-23. */
import assert from "node:assert/strict";
import { EPS32 } from "../../src/core/units";

export interface CloseOptions {
  /** Relative tolerance (default 64·EPS32, right for exact integrators in float32). */
  rtol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Prefix for the failure message. */
  message?: string;
}

/** Asserts |actual − expected| ≤ atol + rtol·|expected|. */
export function expectClose(actual: number, expected: number, options: CloseOptions = {}): void {
  const { rtol = 64 * EPS32, atol = 0, message = "" } = options;
  const bound = atol + rtol * Math.abs(expected);
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= bound || (Number.isNaN(actual) && Number.isNaN(expected)),
    `${message ? message + ": " : ""}expected ${expected}, got ${actual} (|error| ${error} > ${bound})`,
  );
}

/** Element-wise `expectClose` over two arrays of the same length. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, options: CloseOptions = {}): void {
  assert.equal(actual.length, expected.length, `${options.message ?? "arrays"}: length`);
  for (let i = 0; i < actual.length; i++) {
    expectClose(actual[i]!, expected[i]!, { ...options, message: `${options.message ?? "element"} [${i}]` });
  }
}

/** Asserts that `fn` throws an error whose message is exactly `message` (the standard shape). */
export function expectError(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof Error, "expected an Error");
    if (typeof message === "string") assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}
