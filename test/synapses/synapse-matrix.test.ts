import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forEachSynapse } from "../../src/plasticity/synapse-access";
import { allToAll, fromPairs, oneToOne } from "../../src/synapses/connectivity";
import {
  denseSynapses, matrixFanOut, sharedSynapses, sparseSynapses, synapseAccess, uniformSynapses,
} from "../../src/synapses/synapse-matrix";
import { expectError } from "../helpers/close";

describe("synapse matrices", () => {
  it("denseSynapses(nPre, nPost, {weight}) stores [post][pre] and calls weight(pre, post) per entry", () => {
    const m = denseSynapses(3, 2, { weight: (pre, post) => 10 * post + pre });
    assert.deepEqual(Array.from(m.w), [0, 1, 2, 10, 11, 12]);
    assert.equal(m.nSynapses, 6);
    assert.equal(matrixFanOut(m, 2), 2);
  });

  it("sparseSynapses(c, {weight}) keeps one weight per synapse in CSR order; the input array is copied", () => {
    const { connectivity } = fromPairs([1, 0], [0, 1], { nPre: 2, nPost: 2 });
    const weights = new Float32Array([0.5, 0.25]);
    const m = sparseSynapses(connectivity, { weight: weights });
    weights[0] = 9;
    assert.deepEqual(Array.from(m.w), [0.5, 0.25]);
    assert.equal(m.storage, "sparse");
  });

  it("uniformSynapses(c, {weight}) stores one weight for every synapse", () => {
    const m = uniformSynapses(allToAll(100, 100), { weight: 1.62 });
    assert.equal(m.w.length, 1);
    assert.equal(m.nSynapses, 10000);
    expectError(() => uniformSynapses(oneToOne(2), { weight: [1, 2] }), "uniformSynapses: weight must be a number (one weight for every synapse), got Array(2)");
  });

  it("synapseAccess(m) lists the same (pre, post, weight) triples as the matrix, for every layout", () => {
    const c = fromPairs([0, 0, 1, 2], [1, 2, 0, 2], { nPre: 3, nPost: 3 }).connectivity;
    const cases = [
      { m: denseSynapses(3, 3, { weight: (i, j) => i + 3 * j }), expect: (i: number, j: number) => i + 3 * j, count: 9 },
      { m: sparseSynapses(c, { weight: (i, j) => 10 * i + j }), expect: (i: number, j: number) => 10 * i + j, count: 4 },
      { m: uniformSynapses(c, { weight: 0.5 }), expect: () => 0.5, count: 4 },
      { m: sharedSynapses(c, [1, 0, 1, 0], [7, 8]), expect: (i: number, j: number) => ({ "0,1": 8, "0,2": 7, "1,0": 8, "2,2": 7 } as Record<string, number>)[`${i},${j}`], count: 4 },
    ];
    for (const { m, expect, count } of cases) {
      const access = synapseAccess(m);
      assert.equal(access.w, m.w, `${m.storage}: the access keeps the matrix weights`);
      let seen = 0;
      forEachSynapse(access, (pre, post, k) => {
        assert.equal(access.w[k], expect(pre, post), `${m.storage} ${pre}→${post}`);
        seen++;
      });
      assert.equal(seen, count);
      assert.equal(synapseAccess(m), access, "cached");
    }
  });

  it("sharedSynapses(c, weightIndex, w) rejects weight indices out of range", () => {
    expectError(() => sharedSynapses(oneToOne(2), [0, 2], [1, 2]), "sharedSynapses: weightIndex[1] must be an integer in [0, 1], got 2");
  });

  it("matrix builders reject non-finite weights and missing options", () => {
    expectError(() => sparseSynapses(oneToOne(2), { weight: [1, NaN] }), "sparseSynapses: weight[1] must be a finite number, got NaN");
    expectError(() => denseSynapses(2, 2, { weight: () => Infinity }), "denseSynapses: weight(0, 0) must be a finite number, got Infinity");
    expectError(() => sparseSynapses(oneToOne(2), null as never), "sparseSynapses: options must be an object {weight}, got null");
  });
});
