import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { epochOrder, epochSampler } from "../../src/learning/epoch-order";

describe("epoch order", () => {
  it("is a permutation, the same for the same seed, epoch and count, and another for another epoch", () => {
    const a = epochOrder(42, 3, 50);
    assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_v, i) => i));
    assert.deepEqual(epochOrder(42, 3, 50), a);
    assert.notDeepEqual(epochOrder(42, 4, 50), a);
    assert.notDeepEqual(epochOrder(43, 3, 50), a);
  });
  it("the sampler maps position epoch·count + i to epochOrder(seed, epoch, count)[i], across epochs and count changes", () => {
    const at = epochSampler(7);
    for (const [count, position] of [[10, 0], [10, 9], [10, 10], [10, 35], [12, 35], [12, 0]] as const) {
      assert.equal(at(count, position), epochOrder(7, Math.floor(position / count), count)[position % count]);
    }
  });
});
