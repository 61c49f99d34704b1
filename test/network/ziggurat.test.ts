import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { zigguratNormal } from "../../src/network/ziggurat";

describe("zigguratNormal", () => {
  it("zigguratNormal(rng) has the moments and tails of N(0, 1)", () => {
    const rng = createRng(17);
    const n = 400_000;
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    let beyond2 = 0;
    let beyond35 = 0;
    for (let k = 0; k < n; k++) {
      const x = zigguratNormal(rng);
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
      if (Math.abs(x) > 2) beyond2++;
      if (Math.abs(x) > 3.5) beyond35++;
    }
    m1 /= n;
    m2 /= n;
    m4 /= n;
    // Standard errors: mean 1/√n, variance √(2/n), fourth moment √(96/n); 5 of them.
    assert.ok(Math.abs(m1) < 5 / Math.sqrt(n), `mean ${m1}`);
    assert.ok(Math.abs(m2 - 1) < 5 * Math.sqrt(2 / n), `variance ${m2}`);
    assert.ok(Math.abs(m4 - 3) < 5 * Math.sqrt(96 / n), `fourth moment ${m4}`);
    // P(|x| > 2) = 0.0455, P(|x| > 3.5) = 4.65e−4 (the tail beyond the ziggurat's base r = 3.44).
    const p2 = beyond2 / n;
    const p35 = beyond35 / n;
    assert.ok(Math.abs(p2 - 0.0455) < 5 * Math.sqrt(0.0455 / n), `P(|x| > 2) = ${p2}`);
    assert.ok(Math.abs(p35 - 4.65e-4) < 5 * Math.sqrt(4.65e-4 / n), `P(|x| > 3.5) = ${p35}`);
  });

  it("zigguratNormal(rng) is deterministic for a seed", () => {
    const a = createRng(3);
    const b = createRng(3);
    for (let k = 0; k < 1000; k++) assert.equal(zigguratNormal(a), zigguratNormal(b));
  });
});
