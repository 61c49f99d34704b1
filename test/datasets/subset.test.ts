import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { classCounts } from "../../src/datasets/class-counts";
import { loadMnist } from "../../src/datasets/mnist";
import { subset } from "../../src/datasets/subset";
import { expectError } from "../helpers/close";
import { indexedDataset, originalIndex } from "./fixtures";

/** Labels 0..9 with class k appearing k + 3 times, in a scrambled but fixed order. */
function unevenLabels(): number[] {
  const labels: number[] = [];
  for (let k = 0; k < 10; k++) for (let j = 0; j < k + 3; j++) labels.push(k);
  return labels.map((_, i) => labels[(i * 37) % labels.length]!);
}

describe("subset", () => {
  it("subset(dataset, {count, rng}) is the same for the same seed", () => {
    const train = loadMnist({ split: "train" });
    const a = subset(train, { count: 500, rng: createRng(7) });
    const b = subset(train, { count: 500, rng: createRng(7) });
    assert.deepEqual(a.labels, b.labels);
    assert.deepEqual(a.images, b.images);
  });

  it("subset(dataset, {count, rng}) differs for another seed", () => {
    const d = indexedDataset(unevenLabels());
    const a = subset(d, { count: 20, rng: createRng(1) });
    const b = subset(d, { count: 20, rng: createRng(2) });
    const ia = Array.from({ length: 20 }, (_, k) => originalIndex(a, k));
    const ib = Array.from({ length: 20 }, (_, k) => originalIndex(b, k));
    assert.notDeepEqual(ia, ib);
  });

  it("subset(dataset, {count, rng}) draws without replacement and keeps each image with its label", () => {
    const d = indexedDataset(unevenLabels());
    for (const count of [0, 1, 17, d.count]) {
      const s = subset(d, { count, rng: createRng(count) });
      assert.equal(s.count, count);
      const seen = new Set<number>();
      for (let k = 0; k < count; k++) {
        const i = originalIndex(s, k);
        assert.ok(i >= 0 && i < d.count);
        assert.ok(!seen.has(i), `index ${i} drawn twice`);
        seen.add(i);
        assert.equal(s.labels[k], d.labels[i]);
      }
    }
  });

  it("subset(dataset, {count: dataset.count, rng}) is a permutation, not the identity", () => {
    const d = indexedDataset(unevenLabels());
    const s = subset(d, { count: d.count, rng: createRng(3) });
    const order = Array.from({ length: d.count }, (_, k) => originalIndex(s, k));
    assert.deepEqual([...order].sort((x, y) => x - y), Array.from({ length: d.count }, (_, i) => i));
    assert.notDeepEqual(order, [...order].sort((x, y) => x - y));
  });

  it("subset(train, {count: 1000, rng, balanced: true}) has 100 samples of every class (the TSDoc example)", () => {
    const small = subset(loadMnist({ split: "train" }), { count: 1000, rng: createRng(1), balanced: true });
    assert.deepEqual(Array.from(classCounts(small)), new Array(10).fill(100));
    // Shuffled after drawing: the first 20 samples are not all one class.
    assert.ok(new Set(small.labels.subarray(0, 20)).size > 1);
  });

  it("subset(dataset, {balanced: true}) balances over the classes present and can take every sample of the smallest", () => {
    const d = indexedDataset([2, 2, 2, 7, 7, 9, 9, 9, 9]);
    const s = subset(d, { count: 6, rng: createRng(5), balanced: true });
    const counts = classCounts(s);
    assert.deepEqual([counts[2], counts[7], counts[9]], [2, 2, 2]);
    assert.equal(counts.reduce((a, b) => a + b), 6);
    const again = subset(d, { count: 6, rng: createRng(5), balanced: true });
    assert.deepEqual(again.images, s.images);
  });

  it("subset(dataset, {count, rng}) class frequencies follow the data set's (hypergeometric bound)", () => {
    const train = loadMnist({ split: "train" });
    const n = 6000;
    const counts = classCounts(subset(train, { count: n, rng: createRng(11) }));
    const full = classCounts(train);
    for (let k = 0; k < 10; k++) {
      const p = full[k]! / train.count;
      // Hypergeometric variance n·p·(1 − p)·(N − n)/(N − 1); 5 standard deviations.
      const sd = Math.sqrt((n * p * (1 - p) * (train.count - n)) / (train.count - 1));
      assert.ok(Math.abs(counts[k]! - n * p) <= 5 * sd, `class ${k}: ${counts[k]} vs ${n * p} ± ${5 * sd}`);
    }
  });

  it("subset(dataset, options) leaves the (cached) data set untouched", () => {
    const test = loadMnist({ split: "test" });
    const labels = test.labels.slice();
    const first = test.images.slice(0, 784 * 5);
    subset(test, { count: 300, rng: createRng(4), balanced: true });
    subset(test, { count: 300, rng: createRng(4) });
    assert.deepEqual(test.labels, labels);
    assert.deepEqual(test.images.subarray(0, 784 * 5), first);
  });

  it("subset rejects a bad count, a missing rng, unknown options and impossible balanced draws", () => {
    const d = indexedDataset([2, 2, 2, 7, 7, 9, 9, 9, 9]);
    const rng = createRng(1);
    expectError(() => subset(d, { count: 10, rng }), "subset: count must be an integer in [0, 9] (dataset.count), got 10");
    expectError(() => subset(d, { count: -1, rng }), "subset: count must be an integer >= 0, got -1");
    expectError(() => subset(d, { count: 3 } as never), "subset: rng must be an Rng (createRng(seed)), got undefined");
    expectError(() => subset(d, { count: 3, rng: 42 } as never), "subset: rng must be an Rng (createRng(seed)), got 42");
    expectError(() => subset(d, undefined as never), "subset: options must be an object with count and rng, got undefined");
    expectError(() => subset(d, { count: 3, rng, seed: 1 } as never), 'subset: options must have only the keys count, rng, balanced, got "seed"');
    expectError(() => subset(d, { count: 3, rng, balanced: "yes" } as never), 'subset: balanced must be a boolean, got "yes"');
    expectError(
      () => subset(d, { count: 4, rng, balanced: true }),
      "subset: count must be a multiple of 3 (the classes present) when balanced, got 4",
    );
    expectError(
      () => subset(d, { count: 9, rng, balanced: true }),
      "subset: count must be at most 6 when balanced (class 7 has 2 samples), got 9",
    );
  });
});
