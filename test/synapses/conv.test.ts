import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { stdpInit, stdpParams, stdpStep } from "../../src/plasticity/stdp";
import { indexedAccess } from "../../src/plasticity/synapse-access";
import { allToAll } from "../../src/synapses/connectivity";
import { convOutputShape, convSynapses } from "../../src/synapses/conv";
import { propagate } from "../../src/synapses/propagate";
import { sparseSynapses, synapseAccess } from "../../src/synapses/synapse-matrix";
import { expectAllClose, expectError } from "../helpers/close";

/** The textbook cross-correlation: every (o, oy, ox, c, kr, kc), input index or −1 when in the padding. */
function naiveSynapses(
  inShape: [number, number, number], outChannels: number, k: [number, number], stride: [number, number], pad: [number, number],
) {
  const [channels, height, width] = inShape;
  const [, outHeight, outWidth] = convOutputShape({ inputShape: inShape, outChannels, kernelSize: k, stride, padding: pad });
  const list: { pre: number; post: number; weight: number }[] = [];
  for (let o = 0; o < outChannels; o++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let c = 0; c < channels; c++) {
          for (let kr = 0; kr < k[0]; kr++) {
            for (let kc = 0; kc < k[1]; kc++) {
              const y = oy * stride[0] - pad[0] + kr;
              const x = ox * stride[1] - pad[1] + kc;
              if (y < 0 || y >= height || x < 0 || x >= width) continue;
              list.push({
                pre: (c * height + y) * width + x,
                post: (o * outHeight + oy) * outWidth + ox,
                weight: ((o * channels + c) * k[0] + kr) * k[1] + kc,
              });
            }
          }
        }
      }
    }
  }
  return list.sort((a, b) => a.pre - b.pre || a.post - b.post);
}

describe("convSynapses", () => {
  it("convSynapses(...) maps input pixel (r, c) to the output positions whose window covers it", () => {
    const m = convSynapses({ inputShape: [1, 5, 5], outChannels: 1, kernelSize: 3, weight: (k) => k });
    assert.deepEqual(m.conv!.outputShape, [1, 3, 3]);
    // The centre pixel (2, 2) is in every window, at kernel offset (2 − oy, 2 − ox).
    const out = new Float32Array(9);
    propagate(m, new Int32Array([2 * 5 + 2]), 1, out);
    assert.deepEqual(Array.from(out), [8, 7, 6, 5, 4, 3, 2, 1, 0]);
    // The corner (0, 0) is only in the window of output (0, 0), at kernel offset (0, 0).
    out.fill(0);
    propagate(m, new Int32Array([0]), 1, out);
    assert.deepEqual(Array.from(out), new Array(9).fill(0), "kernel entry 0 is 0");
    const row = m.rowStart![1] - m.rowStart![0];
    assert.equal(row, 1);
    assert.equal(m.post![m.rowStart![0]], 0);
    assert.equal(m.weightIndex![m.rowStart![0]], 0);
    // Pixel (4, 3): windows with oy = 2 (kr = 2) and ox ∈ {1, 2} (kc = 2, 1).
    out.fill(0);
    propagate(m, new Int32Array([4 * 5 + 3]), 1, out);
    assert.deepEqual(Array.from(out), [0, 0, 0, 0, 0, 0, 0, 8, 7]);
  });

  it("convSynapses(...) propagates a spike image exactly like the cross-correlation (channels, stride, padding)", () => {
    const rng = createRng(3);
    const inShape: [number, number, number] = [2, 7, 6];
    const m = convSynapses({ inputShape: inShape, outChannels: 3, kernelSize: [3, 2], stride: [2, 1], padding: [1, 0], weight: () => rng.uniform(-1, 1) });
    const list = naiveSynapses(inShape, 3, [3, 2], [2, 1], [1, 0]);
    assert.equal(m.nSynapses, list.length);
    const spikes = Int32Array.from([0, 5, 13, 20, 41, 42, 60, 83]);
    const out = new Float32Array(m.nPost);
    const sops = propagate(m, spikes, spikes.length, out);
    const expected = new Float64Array(m.nPost);
    let count = 0;
    for (const s of list) {
      if (spikes.includes(s.pre)) {
        expected[s.post] += m.w[s.weight];
        count++;
      }
    }
    assert.equal(sops, count);
    // ≤ 8 terms of size ≤ 1 per output: ≤ 8 float32 roundings of ≤ 8.
    expectAllClose(out, expected, { rtol: 0, atol: 8 * 8 * 2 ** -24 });
  });

  it("synapseAccess(conv) gives the same STDP result as the equivalent explicit synapse list", () => {
    const rng = createRng(5);
    const inShape: [number, number, number] = [1, 6, 6];
    const m = convSynapses({ inputShape: inShape, outChannels: 2, kernelSize: 3, stride: 1, padding: 1, weight: () => rng.uniform(0.3, 0.7) });
    const list = naiveSynapses(inShape, 2, [3, 3], [1, 1], [1, 1]);
    const initial = m.w.slice();
    const explicitW = m.w.slice();
    const explicit = indexedAccess(list.map((s) => s.pre), list.map((s) => s.post), list.map((s) => s.weight), explicitW, m.nPre, m.nPost);
    const p = stdpParams({ aPlus: 0.002, aMinus: -0.0021, tauPlus: 5, tauMinus: 5 });
    const convAccess = synapseAccess(m);
    const t1 = stdpInit(convAccess, p);
    const t2 = stdpInit(explicit, p);
    const pre = new Uint8Array(m.nPre);
    const post = new Uint8Array(m.nPost);
    for (let step = 0; step < 300; step++) {
      for (let i = 0; i < pre.length; i++) pre[i] = rng.next() < 0.05 ? 1 : 0;
      for (let j = 0; j < post.length; j++) post[j] = rng.next() < 0.05 ? 1 : 0;
      stdpStep(pre, post, convAccess, t1, p, 1);
      stdpStep(pre, post, explicit, t2, p, 1);
    }
    assert.deepEqual(m.w, explicitW);
    assert.ok(m.w.some((w, k) => w !== initial[k]), "the weights moved");
  });

  it("a kernel as large as the input (no sharing) learns exactly like a dense all-to-all sparse projection", () => {
    const rng = createRng(6);
    const m = convSynapses({ inputShape: [1, 3, 3], outChannels: 4, kernelSize: 3, weight: () => rng.uniform(0.2, 0.8) });
    // Output o sees input (y, x) through kernel entry o·9 + y·3 + x: post o, pre y·3 + x.
    const s = sparseSynapses(allToAll(9, 4), { weight: (pre, post) => m.w[post * 9 + pre] });
    const p = stdpParams({ aPlus: 0.01, aMinus: -0.0105 });
    const a = synapseAccess(m);
    const b = synapseAccess(s);
    const ta = stdpInit(a, p);
    const tb = stdpInit(b, p);
    for (let step = 0; step < 200; step++) {
      const pre = Uint8Array.from({ length: 9 }, () => (rng.next() < 0.1 ? 1 : 0));
      const post = Uint8Array.from({ length: 4 }, () => (rng.next() < 0.1 ? 1 : 0));
      stdpStep(pre, post, a, ta, p, 1);
      stdpStep(pre, post, b, tb, p, 1);
    }
    for (let i = 0; i < 9; i++) for (let o = 0; o < 4; o++) assert.equal(m.w[o * 9 + i], s.w[i * 4 + o]);
  });

  it("convSynapses(...) rejects a kernel larger than the padded input and bad shapes", () => {
    expectError(() => convSynapses({ inputShape: [1, 2, 2], outChannels: 1, kernelSize: 3, weight: 1 }), "convSynapses: kernelSize must fit the padded input (2×2), got \"3×3\"");
    expectError(() => convSynapses({ inputShape: [1, 2], outChannels: 1, kernelSize: 1, weight: 1 } as never), "convSynapses: inputShape must be [channels, height, width], got Array(2)");
    expectError(() => convSynapses({ inputShape: [1, 4, 4], outChannels: 1, kernelSize: 2, stride: 0, weight: 1 } as never), "convSynapses: stride must be an integer >= 1, got 0");
  });
});
