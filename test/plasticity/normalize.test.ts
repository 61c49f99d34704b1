import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { EPS32 } from "../../src/core/units";
import { normalizeDefaults, normalizeIncoming } from "../../src/plasticity/normalize";
import { denseAccess, indexedAccess, sparseAccess } from "../../src/plasticity/synapse-access";
import { expectClose, expectError } from "../helpers/close";

const HALF_ULP = EPS32 / 2;

describe("normalizeIncoming", () => {
  it("normalizeIncoming(access) makes every column of a 784 × 100 matrix sum to 78, keeping ratios", () => {
    assert.deepEqual(normalizeDefaults, { target: 78 });
    const nPre = 784;
    const nPost = 100;
    const rng = createRng(1);
    const w = Float32Array.from({ length: nPre * nPost }, () => rng.uniform(0, 0.3));
    const before = Float32Array.from(w);
    assert.equal(normalizeIncoming(denseAccess(w, nPre, nPost)), nPost);
    for (let j = 0; j < nPost; j++) {
      let sum = 0;
      for (let i = 0; i < nPre; i++) sum += w[j * nPre + i];
      // Each scaled (non-negative) weight is rounded once, by ≤ 2^-24 of itself, so the row sum
      // is within Σ w'·2^-24 = 78·2^-24 of the target (the double-precision sums add ~1e-14).
      expectClose(sum, 78, { atol: 78 * HALF_ULP + 1e-12 });
      const factor = 78 / before.subarray(j * nPre, (j + 1) * nPre).reduce((a, b) => a + b, 0);
      for (let i = 0; i < nPre; i += 97) {
        // Relative weights kept: w/w_before is the row's factor to one rounding.
        expectClose(w[j * nPre + i], before[j * nPre + i] * factor, { rtol: HALF_ULP });
      }
    }
  });

  it("normalizeIncoming(access, {target}) scales sparse rows and leaves all-zero rows alone", () => {
    const w = new Float32Array([1, 3, 0, 0, 2]);
    const access = sparseAccess([0, 1, 0, 1, 2], [0, 0, 1, 1, 2], w, 3, 4); // post 3 has no inputs
    assert.equal(normalizeIncoming(access, { target: 2 }), 2);
    assert.deepEqual([...w], [0.5, 1.5, 0, 0, 2]);
  });

  it("normalizeIncoming(access) rejects shared weights and negative row sums before changing anything", () => {
    expectError(() => normalizeIncoming(indexedAccess([0, 1], [0, 0], [0, 0], new Float32Array([1]), 2, 1)),
      'normalizeIncoming: access must not share weights between synapses, got "indexed"');
    const w = new Float32Array([1, 1, -3, 1]);
    expectError(() => normalizeIncoming(denseAccess(w, 2, 2)), "normalizeIncoming: sum of the weights onto post neuron 1 must be a finite number >= 0, got -2");
    assert.deepEqual([...w], [1, 1, -3, 1]);
  });

  it("normalizeIncoming(...) @example: [1, 3, 2, 2] → [19.5, 58.5, 39, 39]", () => {
    const w = new Float32Array([1, 3, 2, 2]);
    normalizeIncoming(denseAccess(w, 2, 2), { target: 78 });
    assert.deepEqual([...w], [19.5, 58.5, 39, 39]);
  });
});
