import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nA, pA } from "../../src/core/units";
import { constantCurrent, constantCurrentDefaults } from "../../src/encoders/constant-current";
import { expectAllClose, expectError } from "../helpers/close";

describe("constantCurrent", () => {
  it("constantCurrent(values) has the expected defaults: 1 nA per unit, no offset", () => {
    assert.deepEqual(constantCurrentDefaults, { gain: 1 * nA, offset: 0 });
    assert.deepEqual([...constantCurrent([0, 0.5, 2])], [0, 0.5, 2]);
  });

  it("constantCurrent(values, {gain, offset}, out) gives offset + gain·x in nA, in place in out", () => {
    const values = new Float32Array([0, 0.5, 1]);
    const out = new Float32Array(3);
    assert.equal(constantCurrent(values, { gain: 2 * nA, offset: 100 * pA }, out), out);
    // One float32 rounding of a double result: rtol 2^-24.
    expectAllClose(out, [0.1, 1.1, 2.1], { rtol: 2 ** -24 });
    assert.deepEqual([...values], [0, 0.5, 1]);
  });

  it("constantCurrent(values, options) rejects non-finite values and options", () => {
    expectError(() => constantCurrent([1, Infinity]), "constantCurrent: values[1] must be a finite number, got Infinity");
    expectError(() => constantCurrent([1], { gain: NaN }), "constantCurrent: gain must be a finite number, got NaN");
    expectError(() => constantCurrent([1], {}, new Float32Array(2)), "constantCurrent: out must have length 1, got 2");
  });
});
