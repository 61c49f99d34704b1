import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import {
  allToAll, checkConnectivity, connectivityPairs, fanIn, fanOut, fixedProbability, fromPairs, oneToOne,
} from "../../src/synapses/connectivity";
import { expectError } from "../helpers/close";

describe("allToAll", () => {
  it("allToAll(nPre, nPost) lists every pair, row by row, posts ascending", () => {
    const c = allToAll(2, 3);
    assert.deepEqual(Array.from(c.rowStart), [0, 3, 6]);
    assert.deepEqual(Array.from(c.post), [0, 1, 2, 0, 1, 2]);
    assert.equal(fanOut(c, 1), 3);
    assert.deepEqual(Array.from(fanIn(c)), [2, 2, 2]);
  });

  it("allToAll(nPre, nPost) rejects negative and fractional sizes", () => {
    expectError(() => allToAll(-1, 3), "allToAll: nPre must be an integer in [0, 2^30], got -1");
    expectError(() => allToAll(2, 1.5), "allToAll: nPost must be an integer in [0, 2^30], got 1.5");
  });
});

describe("oneToOne", () => {
  it("oneToOne(size) connects i to i", () => {
    const { pre, post } = connectivityPairs(oneToOne(4));
    assert.deepEqual(Array.from(pre), [0, 1, 2, 3]);
    assert.deepEqual(Array.from(post), [0, 1, 2, 3]);
  });
});

describe("fixedProbability", () => {
  it("fixedProbability(nPre, nPost, {p, rng}) has mean fan-in nPre·p within 4 standard errors", () => {
    const nPre = 4000;
    const nPost = 1000;
    const p = 0.02;
    const c = fixedProbability(nPre, nPost, { p, rng: createRng(1) });
    // The total is Binomial(nPre·nPost, p): its mean over nPost neurons has sd √(nPre·p(1−p)/nPost).
    const mean = c.post.length / nPost;
    const se = Math.sqrt((nPre * p * (1 - p)) / nPost);
    assert.ok(Math.abs(mean - nPre * p) < 4 * se, `mean fan-in ${mean}, expected ${nPre * p} ± ${4 * se}`);
    // Each fan-in is Binomial(nPre, p): its variance is nPre·p·(1 − p) (sample variance within 15 %:
    // the relative sd of a variance estimate from 1000 samples is √(2/999) ≈ 4.5 %).
    const fan = fanIn(c);
    let v = 0;
    for (let j = 0; j < nPost; j++) v += (fan[j] - mean) ** 2;
    v /= nPost - 1;
    const expected = nPre * p * (1 - p);
    assert.ok(Math.abs(v / expected - 1) < 0.15, `fan-in variance ${v}, expected ${expected}`);
  });

  it("fixedProbability(...) draws every pair independently: rows are sorted, unique, in range", () => {
    const c = fixedProbability(50, 60, { p: 0.3, rng: createRng(2) });
    checkConnectivity("test", "c", c);
    for (let i = 0; i < 50; i++) {
      for (let e = c.rowStart[i] + 1; e < c.rowStart[i + 1]; e++) assert.ok(c.post[e] > c.post[e - 1]);
    }
    // Pairs are equally likely: the count per post neuron summed over rows is flat (χ² test at
    // 10 bins, 9 degrees of freedom, 99.9 % quantile 27.9).
    const big = fixedProbability(2000, 100, { p: 0.1, rng: createRng(3) });
    const bins = new Array(10).fill(0);
    for (const j of big.post) bins[Math.floor(j / 10)]++;
    const expected = big.post.length / 10;
    const chi2 = bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    assert.ok(chi2 < 27.9, `χ² ${chi2}`);
  });

  it("fixedProbability(...) is seeded: the same seed gives the same synapses, another seed others", () => {
    const a = fixedProbability(300, 300, { p: 0.05, rng: createRng(7) });
    const b = fixedProbability(300, 300, { p: 0.05, rng: createRng(7) });
    const c = fixedProbability(300, 300, { p: 0.05, rng: createRng(8) });
    assert.deepEqual(a.post, b.post);
    assert.deepEqual(a.rowStart, b.rowStart);
    assert.notDeepEqual(a.post, c.post);
  });

  it("fixedProbability(...) gives no synapse at p = 0, every pair at p = 1, and no self-pair without autapses", () => {
    assert.equal(fixedProbability(20, 20, { p: 0, rng: createRng(1) }).post.length, 0);
    assert.deepEqual(fixedProbability(3, 4, { p: 1, rng: createRng(1) }).post, allToAll(3, 4).post);
    const c = fixedProbability(30, 30, { p: 1, rng: createRng(1), autapses: false });
    assert.equal(c.post.length, 30 * 29);
    const { pre, post } = connectivityPairs(c);
    for (let e = 0; e < pre.length; e++) assert.notEqual(pre[e], post[e]);
  });

  it("fixedProbability(...) rejects a bad p, a missing rng and unknown options", () => {
    expectError(() => fixedProbability(2, 2, { p: 1.5, rng: createRng(1) }), "fixedProbability: p must be a finite number in [0, 1], got 1.5");
    expectError(() => fixedProbability(2, 2, { p: NaN, rng: createRng(1) }), "fixedProbability: p must be a finite number in [0, 1], got NaN");
    expectError(() => fixedProbability(2, 2, { p: 0.1, rng: Math.random as never }), /^fixedProbability: rng must be an Rng/);
    expectError(() => fixedProbability(2, 2, { p: 0.1, rng: createRng(1), seed: 3 } as never), /^fixedProbability: options must have only the keys/);
  });
});

describe("fromPairs", () => {
  it("fromPairs(pre, post, {nPre, nPost}) sorts by pre then post and returns the permutation", () => {
    const { connectivity, order } = fromPairs([2, 0, 2, 0], [1, 1, 0, 0], { nPre: 3, nPost: 2 });
    assert.deepEqual(Array.from(connectivity.rowStart), [0, 2, 2, 4]);
    assert.deepEqual(Array.from(connectivity.post), [0, 1, 0, 1]);
    assert.deepEqual(Array.from(order), [3, 1, 2, 0]);
  });

  it("fromPairs(...) rejects indices out of range", () => {
    expectError(() => fromPairs([0, 3], [0, 0], { nPre: 3, nPost: 1 }), "fromPairs: pre[1] must be an integer in [0, 2], got 3");
    expectError(() => fromPairs([0], [0, 1], { nPre: 3, nPost: 2 }), "fromPairs: post must have length 1, got 2");
  });
});
