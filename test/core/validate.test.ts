import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  SnnlabError, allFinite, describe as describeValue, finite, integer, lengthIs, mergeOptions, oneOf, positive,
  probability,
} from "../../src/core/validate";
import { expectError } from "../helpers/close";

describe("validate", () => {
  it("positive(fn, param, value) returns the value or throws the standard message", () => {
    assert.equal(positive("lifParams", "tauMem", 20), 20);
    expectError(() => positive("lifParams", "tauMem", 0), "lifParams: tauMem must be a finite number > 0, got 0");
    expectError(() => positive("lifParams", "tauMem", NaN), "lifParams: tauMem must be a finite number > 0, got NaN");
    expectError(() => positive("lifParams", "tauMem", "5"), 'lifParams: tauMem must be a finite number > 0, got "5"');
  });

  it("errors are SnnlabError instances naming the function and parameter", () => {
    try {
      finite("f", "x", Infinity);
      assert.fail("did not throw");
    } catch (err) {
      assert.ok(err instanceof SnnlabError);
      assert.equal(err.fn, "f");
      assert.equal(err.param, "x");
    }
  });

  it("integer, probability and oneOf enforce their rules", () => {
    assert.equal(integer("f", "n", 3, 1), 3);
    expectError(() => integer("f", "n", 0, 1), "f: n must be an integer >= 1, got 0");
    expectError(() => probability("f", "p", -0.1), "f: p must be a finite number in [0, 1], got -0.1");
    assert.equal(oneOf("f", "mode", "hard", ["hard", "soft"] as const), "hard");
    expectError(() => oneOf("f", "mode", "medium", ["hard", "soft"]), 'f: mode must be one of "hard", "soft", got "medium"');
  });

  it("lengthIs and allFinite name the mismatch and the first bad index", () => {
    expectError(() => lengthIs("lifStep", "input", new Float32Array(3), 4), "lifStep: input must have length 4, got 3");
    expectError(() => allFinite("f", "w", [1, NaN, 2]), "f: w[1] must be a finite number, got NaN");
  });

  it("mergeOptions(fn, defaults, options) rejects unknown keys and keeps defaults", () => {
    const defaults: Readonly<{ a: number; b: number }> = Object.freeze({ a: 1, b: 2 });
    assert.deepEqual(mergeOptions("f", defaults, { b: 5 }), { a: 1, b: 5 });
    assert.deepEqual(mergeOptions("f", defaults, undefined), { a: 1, b: 2 });
    expectError(() => mergeOptions("f", defaults, { c: 1 } as never), 'f: options must have only the keys a, b, got "c"');
  });

  it("describe(value) prints typed arrays by class and length", () => {
    assert.equal(describeValue(new Float32Array(5)), "Float32Array(5)");
    assert.equal(describeValue(-0), "-0");
    assert.equal(describeValue(undefined), "undefined");
  });
});
