import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { allToAll, fixedProbability, fromPairs, makeConnectivity } from "../../src/synapses/connectivity";
import { delayRing, deliverRing } from "../../src/synapses/delays";
import { propagate, propagateDelayed } from "../../src/synapses/propagate";
import { denseSynapses, sharedSynapses, sparseSynapses, uniformSynapses, type SynapseMatrix } from "../../src/synapses/synapse-matrix";
import { expectAllClose, expectError } from "../helpers/close";

/** The oracle: Σ over the spiking pre neurons' synapses, listed naively from the matrix. */
function naive(m: SynapseMatrix, spikes: readonly number[]): Float64Array {
  const out = new Float64Array(m.nPost);
  for (const i of spikes) {
    if (m.storage === "dense") {
      for (let j = 0; j < m.nPost; j++) out[j] += m.w[j * m.nPre + i];
    } else {
      for (let e = m.rowStart![i]; e < m.rowStart![i + 1]; e++) {
        out[m.post![e]] += m.storage === "uniform" ? m.w[0] : m.storage === "shared" ? m.w[m.weightIndex![e]] : m.w[e];
      }
    }
  }
  return out;
}

describe("propagate", () => {
  it("propagate(m, spikeIds, count, out) adds exactly w into the targets of the spiking neurons", () => {
    const { connectivity } = fromPairs([0, 0, 1, 2], [1, 2, 2, 0], { nPre: 3, nPost: 3 });
    const m = sparseSynapses(connectivity, { weight: [0.5, 0.25, 1, 2] });
    const out = new Float32Array(3);
    const sops = propagate(m, new Int32Array([0, 2]), 2, out);
    assert.deepEqual(Array.from(out), [2, 0.5, 0.25]);
    assert.equal(sops, 3);
  });

  it("propagate(...) agrees with a naive sum for every layout, and SOPs = Σ spikes × fan-out", () => {
    const rng = createRng(4);
    const c = fixedProbability(40, 30, { p: 0.2, rng });
    const layouts = [
      denseSynapses(40, 30, { weight: () => rng.uniform(-1, 1) }),
      sparseSynapses(c, { weight: () => rng.uniform(-1, 1) }),
      uniformSynapses(c, { weight: 0.75 }),
      sharedSynapses(c, Array.from({ length: c.post.length }, () => rng.int(5)), [0.1, -0.2, 0.3, -0.4, 0.5]),
      sparseSynapses(allToAll(40, 30), { weight: () => rng.uniform(-1, 1) }), // complete rows: the index-free kernel
    ];
    assert.equal(layouts[4].completeRows, true);
    assert.equal(layouts[1].completeRows, false);
    const spikes = [1, 5, 6, 20, 39];
    for (const m of layouts) {
      const out = new Float32Array(m.nPost);
      const sops = propagate(m, Int32Array.from(spikes), spikes.length, out);
      let fan = 0;
      for (const i of spikes) fan += m.storage === "dense" ? m.nPost : m.rowStart![i + 1] - m.rowStart![i];
      assert.equal(sops, fan, `${m.storage}: SOPs`);
      // Each output is a float32 sum of at most 5 terms of size ≤ 1: error ≤ 5 roundings of ≤ 5.
      expectAllClose(out, naive(m, spikes), { rtol: 0, atol: 5 * 5 * 2 ** -24, message: m.storage });
    }
  });

  it("propagate(...) writes at an offset (a delay-ring slot) and nowhere else", () => {
    const m = uniformSynapses(allToAll(2, 3), { weight: 1 });
    const out = new Float32Array(9);
    propagate(m, new Int32Array([1]), 1, out, 3);
    assert.deepEqual(Array.from(out), [0, 0, 0, 1, 1, 1, 0, 0, 0]);
  });

  it("propagate(...) costs operations on spiking rows only: silent synapses add no SOP and no write", () => {
    // Neurons 0–9 have fan-out 3; neurons 10–999 have fan-out 100 but never spike.
    const rng = createRng(9);
    const rowStart = new Int32Array(1001);
    const post: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const fan = i < 10 ? 3 : 100;
      for (let k = 0; k < fan; k++) post.push(rng.int(50));
      rowStart[i + 1] = post.length;
    }
    const big = uniformSynapses(makeConnectivity(1000, 50, rowStart, Int32Array.from(post)), { weight: 1 });
    const small = uniformSynapses(makeConnectivity(10, 50, rowStart.slice(0, 11), Int32Array.from(post.slice(0, 30))), { weight: 1 });
    const spikes = new Int32Array([2, 7]);
    const a = new Float32Array(50);
    const b = new Float32Array(50);
    assert.equal(propagate(big, spikes, 2, a), 6);
    assert.equal(propagate(small, spikes, 2, b), 6);
    assert.deepEqual(a, b);
    assert.equal(big.nSynapses, 30 + 990 * 100);
  });

  it("propagate(...) rejects spike ids out of range, a short out and a bad count", () => {
    const m = uniformSynapses(allToAll(2, 3), { weight: 1 });
    expectError(() => propagate(m, new Int32Array([2]), 1, new Float32Array(3)), "propagate: spikeIds[0] must be an integer in [0, 1], got 2");
    expectError(() => propagate(m, new Int32Array([0]), 1, new Float32Array(2)), "propagate: out must have at least offset + nPost = 3 elements, got 2");
    expectError(() => propagate(m, new Int32Array([0]), 2, new Float32Array(3)), "propagate: count must be at most spikeIds.length (1), got 2");
  });
});

describe("propagateDelayed", () => {
  it("propagateDelayed(m, delays, …) delivers each synapse's weight d steps later, to the right neuron", () => {
    const { connectivity } = fromPairs([0, 0, 0], [0, 1, 2], { nPre: 1, nPost: 3 });
    const m = sparseSynapses(connectivity, { weight: [1, 2, 3] });
    const ring = delayRing(3, 4);
    const delays = new Int32Array([0, 2, 4]);
    propagateDelayed(m, delays, new Int32Array([0]), 1, ring, 10); // spike in step 10
    const arrivals: number[][] = [];
    for (let step = 11; step <= 16; step++) {
      const target = new Float32Array(3);
      deliverRing(ring, step, target);
      arrivals.push(Array.from(target));
    }
    // Delay d arrives at the start of step 10 + 1 + d.
    assert.deepEqual(arrivals, [[1, 0, 0], [0, 0, 0], [0, 2, 0], [0, 0, 0], [0, 0, 3], [0, 0, 0]]);
  });

  it("propagateDelayed(...) rejects dense matrices and delays beyond the ring", () => {
    const ring = delayRing(2, 1);
    expectError(() => propagateDelayed(denseSynapses(1, 2, { weight: 1 }), new Int32Array(2), new Int32Array([0]), 1, ring, 0),
      'propagateDelayed: m must have a sparse, uniform or shared layout (a dense projection takes one delay), got "dense"');
    expectError(() => propagateDelayed(uniformSynapses(allToAll(1, 2), { weight: 1 }), new Int32Array([0, 2]), new Int32Array([0]), 1, ring, 0),
      "propagateDelayed: delays[1] must be an integer in [0, 1], got 2");
  });
});
