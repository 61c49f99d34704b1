import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exprel } from "../../src/neurons/exprel";
import { expectClose } from "../helpers/close";

const EPS64 = 2 ** -52;

/** Taylor series of (e^x − 1)/x = Σ x^k/(k+1)!, accurate for |x| ≤ 1e-2 with 12 terms. */
function series(x: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < 12; k++) {
    sum += term;
    term *= x / (k + 2);
  }
  return sum;
}

describe("exprel", () => {
  it("exprel(x) is 1 at 0 and accurate to a few EPS64 near 0, where (e^x − 1)/x cancels", () => {
    assert.equal(exprel(0), 1);
    assert.equal(exprel(-0), 1);
    for (const x of [1e-300, 1e-16, -1e-12, 1e-9, -1e-6, 3e-4, -0.01, 0.01]) {
      expectClose(exprel(x), series(x), { rtol: 4 * EPS64, message: `x = ${x}` });
    }
    // the naive formula is off by ~1e-4 relative at 1e-12 (and by 11 % at 1e-15): what exprel avoids
    const naive = (Math.exp(1e-12) - 1) / 1e-12;
    assert.ok(Math.abs(naive - 1) > 1e-5);
    expectClose(exprel(1e-12), 1 + 5e-13, { rtol: 2 * EPS64 });
  });

  it("exprel(x) equals (e^x − 1)/x away from 0 and has the right limits", () => {
    for (const x of [-30, -2.5, -1, 0.5, 1, 7, 50]) {
      expectClose(exprel(x), (Math.exp(x) - 1) / x, { rtol: 16 * EPS64, message: `x = ${x}` });
    }
    assert.equal(exprel(-Infinity), 0);
    assert.equal(exprel(Infinity), Infinity);
    assert.equal(exprel(1000), Infinity);
    assert.ok(Number.isNaN(exprel(NaN)));
  });

  it("1/exprel(−y) resolves the Hodgkin–Huxley rate y/(1 − e^{−y}) at its removable singularity", () => {
    // αm(v) = 0.1(v + 40)/(1 − e^{−(v+40)/10}) → 1 /ms at v = −40 mV
    assert.equal(1 / exprel(-0), 1);
    const v = -40 + 1e-9;
    expectClose(1 / exprel(-(v + 40) / 10), 1 + (v + 40) / 20, { rtol: 4 * EPS64 });
  });
});
