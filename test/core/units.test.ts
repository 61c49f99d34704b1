import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Hz, Mohm, ms, mV, nA, nF, pA, second, toHz, uS } from "../../src/core/units";

describe("units", () => {
  it("the base units are consistent: nA·MΩ = mV, MΩ·nF = ms, µS·mV = nA", () => {
    assert.equal(1 * nA * (1 * Mohm), 1 * mV);
    assert.equal(1 * Mohm * (1 * nF), 1 * ms);
    assert.equal(1 * uS * (1 * mV), 1 * nA);
  });

  it("Hz converts to the internal 1/ms and back", () => {
    assert.equal(50 * Hz * second, 50);
    assert.equal(toHz(50 * Hz), 50);
    assert.equal(250 * pA, 0.25 * nA);
  });
});
