import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import {
  checkSynapseAccess, denseAccess, forEachSynapse, indexedAccess, sparseAccess, type SynapseAccess,
} from "../../src/plasticity/synapse-access";
import { expectError } from "../helpers/close";

/** Every synapse as "pre>post@k", listed from both row views, sorted. */
function synapseSets(access: SynapseAccess): { byPost: string[]; byPre: string[] } {
  const byPost: string[] = [];
  const byPre: string[] = [];
  const p = access.byPost;
  for (let j = 0; j < access.nPost; j++) {
    for (let e = p.start[j]; e < p.end[j]; e++) byPost.push(`${p.partnerBase[j] + p.partner[e]}>${j}@${p.weightBase[j] + p.weight[e]}`);
  }
  const q = access.byPre;
  for (let i = 0; i < access.nPre; i++) {
    for (let e = q.start[i]; e < q.end[i]; e++) byPre.push(`${i}>${q.partnerBase[i] + q.partner[e]}@${q.weightBase[i] + q.weight[e]}`);
  }
  return { byPost: byPost.sort(), byPre: byPre.sort() };
}

describe("denseAccess", () => {
  it("denseAccess(w, nPre, nPost) lists synapse (i → j) at weight index j·nPre + i in both row views", () => {
    const w = new Float32Array(3 * 4);
    const access = denseAccess(w, 3, 4);
    assert.equal(access.w, w, "a view, not a copy");
    assert.equal(access.nSynapses, 12);
    assert.equal(access.sharedWeights, false);
    const expected: string[] = [];
    for (let j = 0; j < 4; j++) for (let i = 0; i < 3; i++) expected.push(`${i}>${j}@${j * 3 + i}`);
    const { byPost, byPre } = synapseSets(access);
    assert.deepEqual(byPost, expected.sort());
    assert.deepEqual(byPre, expected);
    assert.equal(access.byPost.partner.length, 3, "implicit indices: O(nPre + nPost) memory");
    assert.equal(access.byPre.partner.length, 4);
    assert.equal(checkSynapseAccess("test", access), access);
  });

  it("denseAccess(w, nPre, nPost) rejects a w of the wrong length or type", () => {
    expectError(() => denseAccess(new Float32Array(5), 2, 3), "denseAccess: w must have length 6, got 5");
    expectError(() => denseAccess(new Float64Array(6) as never, 2, 3), "denseAccess: w must be a Float32Array, got Float64Array(6)");
  });

  it("denseAccess(...) prints as a compact summary", () => {
    assert.equal(inspect(denseAccess(new Float32Array(6), 2, 3)), "SynapseAccess(dense, 2 pre → 3 post, 6 synapses)");
  });
});

describe("sparseAccess", () => {
  it("sparseAccess(pre, post, w, nPre, nPost) lists each synapse s once per view, at weight index s", () => {
    const pre = [0, 2, 1, 2, 2];
    const post = [1, 1, 0, 0, 1]; // 2 → 1 twice: a multapse
    const access = sparseAccess(pre, post, new Float32Array(5), 3, 2);
    const expected = pre.map((i, s) => `${i}>${post[s]}@${s}`).sort();
    const { byPost, byPre } = synapseSets(access);
    assert.deepEqual(byPost, expected);
    assert.deepEqual(byPre, expected);
    assert.equal(access.sharedWeights, false);
    assert.equal(access.byPost.end[1] - access.byPost.start[1], 3, "post 1 has fan-in 3");
    assert.equal(access.byPre.end[1] - access.byPre.start[1], 1, "pre 1 has fan-out 1");
    checkSynapseAccess("test", access);
  });

  it("sparseAccess(...) rejects indices out of range and mismatched lengths", () => {
    expectError(() => sparseAccess([0, 3], [0, 0], new Float32Array(2), 3, 1), "sparseAccess: pre[1] must be an integer in [0, 2], got 3");
    expectError(() => sparseAccess([0], [0, 0], new Float32Array(1), 3, 1), "sparseAccess: post must have length 1, got 2");
    expectError(() => sparseAccess([0, 1], [0, 0], new Float32Array(1), 3, 1), "sparseAccess: pre must have length 1, got 2");
  });
});

describe("indexedAccess", () => {
  it("indexedAccess(pre, post, weightIndex, w, ...) lets several synapses share one weight", () => {
    // A 1-D convolution of a 4-input line with a 2-tap kernel, 3 outputs: post j sees pre j and j + 1.
    const pre = [0, 1, 1, 2, 2, 3];
    const post = [0, 0, 1, 1, 2, 2];
    const tap = [0, 1, 0, 1, 0, 1];
    const access = indexedAccess(pre, post, tap, new Float32Array(2), 4, 3);
    assert.equal(access.sharedWeights, true);
    assert.equal(access.nSynapses, 6);
    const seen: string[] = [];
    forEachSynapse(access, (i, j, k) => seen.push(`${i}>${j}@${k}`));
    assert.deepEqual(seen, ["0>0@0", "1>0@1", "1>1@0", "2>1@1", "2>2@0", "3>2@1"]);
    assert.equal(inspect(access), "SynapseAccess(indexed, 4 pre → 3 post, 6 synapses, 2 shared weights)");
  });
});

describe("checkSynapseAccess", () => {
  it("checkSynapseAccess(fn, access) rejects a hand-built view whose indices leave the ranges", () => {
    const good = denseAccess(new Float32Array(4), 2, 2);
    const bad: SynapseAccess = { ...good, byPost: { ...good.byPost, weightBase: new Int32Array([0, 3]) } };
    expectError(() => checkSynapseAccess("stdpInit", bad), "stdpInit: access.byPost row 1 weight index must be in [0, 3], got 4");
    const short: SynapseAccess = { ...good, byPre: { ...good.byPre, end: new Int32Array([2, 5]) } };
    expectError(() => checkSynapseAccess("stdpInit", short), 'stdpInit: access.byPre row 1 must span entries within [0, 2], got "[0, 5)"');
  });
});
