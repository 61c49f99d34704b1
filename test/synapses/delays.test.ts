import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clearRing, delayRing, deliverRing, markSlot, ringOffset } from "../../src/synapses/delays";
import { expectError } from "../helpers/close";

describe("delay rings", () => {
  it("deliverRing(ring, step, target) adds the slot of that step once and clears it", () => {
    const ring = delayRing(2, 3);
    ring.buffer[ringOffset(ring, 6) + 1] = 4; // arrives at the start of step 6
    markSlot(ring, 6);
    const target = new Float32Array([1, 1]);
    assert.equal(deliverRing(ring, 5, target), false);
    assert.equal(deliverRing(ring, 6, target), true);
    assert.deepEqual(Array.from(target), [1, 5]);
    assert.equal(deliverRing(ring, 10, target), false, "slot 6 mod 4 = 2 again at step 10, now empty");
    assert.deepEqual(Array.from(target), [1, 5]);
  });

  it("a ring of maxDelay + 1 slots keeps every pending arrival separate", () => {
    const ring = delayRing(1, 3);
    // Step 0 emits with delays 0…3: arrivals at steps 1…4, four different slots.
    for (let d = 0; d <= 3; d++) {
      ring.buffer[ringOffset(ring, 1 + d)] += d + 1;
      markSlot(ring, 1 + d);
    }
    const seen: number[] = [];
    for (let step = 1; step <= 4; step++) {
      const t = new Float32Array(1);
      deliverRing(ring, step, t);
      seen.push(t[0]);
    }
    assert.deepEqual(seen, [1, 2, 3, 4]);
  });

  it("clearRing(ring) drops pending events", () => {
    const ring = delayRing(2, 1);
    ring.buffer.fill(3);
    markSlot(ring, 0);
    clearRing(ring);
    const t = new Float32Array(2);
    deliverRing(ring, 0, t);
    assert.deepEqual(Array.from(t), [0, 0]);
  });

  it("delayRing(size, maxDelay) rejects negative delays", () => {
    expectError(() => delayRing(2, -1), "delayRing: maxDelay must be an integer in [0, 2^30], got -1");
  });
});
