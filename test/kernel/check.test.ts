/**
 * check.* (kernel/check.ts): passes quietly within tolerance; a failure says what was checked,
 * how the value misses and why — and never prints the expected value.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CheckError, check } from "../../kernel/check";

/** The message of the CheckError `fn` throws. */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CheckError, `a CheckError, got ${String(err)}`);
    assert.equal(err.name, "CheckError");
    return err.message;
  }
  assert.fail("the check passed");
}

describe("check", () => {
  it("check.close(actual, expected, {rel, abs}) passes within abs + rel·|expected|", () => {
    check.close(33.7, 33.6, { rel: 0.01 });
    check.close(-65.0004, -65, { abs: 1e-3, rel: 0 });
    check.close([1, 2, 3], Float64Array.from([1, 2, 3 + 1e-12]));
    check.close(0, 0);
  });

  it("check.close(…) says how far and which way, with the name and why, never the expected value", () => {
    const expected = 33.64071163018211;
    const tooHigh = failure(() => check.close(36, expected, { rel: 0.001, name: "firingRate(2)", why: "the f–I closed form" }));
    assert.equal(tooHigh, "firingRate(2) is 36, too high by less than 10 % (allowed: 0.1 % of the expected value). Why: the f–I closed form");
    assert.ok(!tooHigh.includes("33.6"), "the expected value is not in the message");
    assert.match(failure(() => check.close(0.0336, expected, { rel: 0.01 })), /^the value is 0\.0336, too small by a factor of about 1000 \(allowed/);
    assert.match(failure(() => check.close(50, expected, { rel: 0.01 })), /too high by 10–100 %/);
    assert.match(failure(() => check.close(-30, expected)), /which has the wrong sign/);
    assert.match(failure(() => check.close(0.5, 0, { abs: 0.1 })), /is 0\.5, too high \(allowed: ±0\.1\)/);
  });

  it("check.close(…) names undefined, NaN and non-numbers for what they are", () => {
    assert.match(failure(() => check.close(undefined as unknown as number, 1)), /is undefined: does the function return its result\?/);
    assert.match(failure(() => check.close(Number.NaN, 1)), /is NaN/);
    assert.match(failure(() => check.close("1" as unknown as number, 1)), /is "1", not a number/);
  });

  it("check.close(array, array) points at the first element off and counts the others", () => {
    const message = failure(() => check.close([1, 2.5, 3, 9], [1, 2, 3, 4], { rel: 1e-6, name: "rates" }));
    assert.match(message, /^rates \[1\] is 2\.5, too high by 10–100 %; 1 more of the 4 elements are off too/);
    assert.match(failure(() => check.close([1, 2], [1, 2, 3])), /has length 2; expected length 3/);
  });

  it("check.equal(actual, expected) compares numbers, arrays and plain objects deeply", () => {
    check.equal(4, 4);
    check.equal([1, [2, 3]], [1, [2, 3]]);
    check.equal({ a: 1, b: [true] }, { b: [true], a: 1 });
    assert.equal(failure(() => check.equal(3, 4, { name: "correct", why: "XOR has four patterns" })), "correct is 3, which is not the expected value. Why: XOR has four patterns");
    assert.match(failure(() => check.equal([1, 2, 3], [1, 5, 6])), /differs from the expected value at \[1\], where it is 2; 1 more of the 3 elements differ too/);
    assert.match(failure(() => check.equal({ a: 1 }, { a: 1, b: 2 })), /lacks the field b/);
    assert.match(failure(() => check.equal("3", 3)), /is "3", not a number/);
  });

  it("check.shape(value, shape) reads nested arrays and tensors' .shape", () => {
    check.shape([[1, 2, 3], [4, 5, 6]], [2, 3]);
    check.shape({ shape: [10, 784] }, [10, 784]);
    check.shape(new Float32Array(5), [5]);
    assert.equal(failure(() => check.shape([[1, 2], [3, 4]], [4], { name: "w" })), "w has shape [2, 2] (allowed: shape [4]).");
    assert.match(failure(() => check.shape([[1, 2], [3]], [2, 2])), /is ragged/);
    assert.match(failure(() => check.shape(7, [1])), /is 7, not an array/);
  });

  it("check.between(actual, low, high) and check.that(condition) show the bounds, not a solution", () => {
    check.between(1, 0.9, 1.1);
    assert.equal(failure(() => check.between(2.1, 0.9, 1.1, { name: "the order" })), "the order is 2.1, too high (allowed: from 0.9 to 1.1).");
    check.that(true);
    assert.equal(failure(() => check.that(false, { name: "w > 0", why: "potentiation" })), "w > 0 does not hold. Why: potentiation");
  });

  it("check.* validate their own arguments with the standard message", () => {
    assert.throws(() => check.close(1, 1, { rel: -1 }), /^TypeError: check\.close: rel must be a finite number ≥ 0, got -1$/);
    assert.throws(() => check.between(1, 2, 1), /check\.between: low and high must be numbers with low ≤ high/);
    assert.throws(() => check.that(1 as unknown as boolean), /check\.that: condition must be true or false, got 1/);
    assert.throws(() => check.shape([1], [1.5]), /check\.shape: expected must be an array of whole numbers ≥ 0/);
  });

  it("check is frozen: a cell cannot replace a check", () => {
    assert.ok(Object.isFrozen(check));
  });
});
