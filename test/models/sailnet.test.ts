import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { loadMnist, take } from "../../src/datasets";
import { fit } from "../../src/learning/fit";
import { imagePatches, sailnet, sailnetDynamics, type SailnetPatches } from "../../src/models/sailnet";
import { tavanaeiCnn } from "../../src/models/tavanaei-cnn";
import { expectError } from "../helpers/close";

describe("sailnetDynamics", () => {
  it("one neuron under constant drive fires with the closed-form period of u(n) = b(1 − (1 − Δt/τ)^n)", () => {
    const b = new Float64Array([2]);
    const theta = new Float32Array([1.5]);
    const a = 0.1;
    // Steps from reset to the first u > θ: the least n with 2(1 − 0.9^n) > 1.5, i.e. 0.9^n < 0.25.
    let n = 1;
    while (2 * (1 - (1 - a) ** n) <= 1.5) n++;
    assert.equal(n, 14);
    const counts = new Float32Array(1);
    const times: number[] = [];
    sailnetDynamics(b, new Float32Array(1), theta, 50, a, new Float64Array(1), new Int32Array(1), counts, (t) => times.push(t));
    assert.equal(counts[0], Math.floor(50 / n));
    assert.deepEqual(times, [n - 1, 2 * n - 1, 3 * n - 1]);
  });

  it("lateral inhibition W_ij lowers neuron i's count by what neuron j's spikes subtract", () => {
    const b = new Float64Array([2, 2]);
    const theta = new Float32Array([1.5, 1.4]);
    const run = (w: number) => {
      const counts = new Float32Array(2);
      sailnetDynamics(b, new Float32Array([0, w, 0, 0]), theta, 50, 0.1, new Float64Array(2), new Int32Array(2), counts);
      return Array.from(counts);
    };
    // Alone: 0.9^n < 0.25 → 14 steps (3 spikes); 0.9^n < 0.3 → 12 steps (4 spikes).
    assert.deepEqual(run(0), [3, 4]);
    const inhibited = run(5);
    assert.equal(inhibited[1], 4, "neuron 1 receives no inhibition");
    assert.ok(inhibited[0] < 3, `neuron 0 is inhibited by neuron 1: ${inhibited[0]}`);
  });
});

describe("imagePatches", () => {
  it("draws inked patches, each of mean zero, the set of unit variance", () => {
    const mnist = take(loadMnist({ split: "train" }), 0, 200);
    const p = imagePatches(mnist, { size: 5, count: 500, rng: createRng(1) });
    assert.equal(p.values.length, 500 * 25);
    let ss = 0;
    for (let i = 0; i < p.count; i++) {
      let m = 0;
      for (let k = 0; k < 25; k++) m += p.values[i * 25 + k];
      assert.ok(Math.abs(m / 25) < 1e-5);
      let any = false;
      for (let k = 0; k < 25; k++) if (p.values[i * 25 + k] !== 0) any = true;
      assert.ok(any, "no blank patch");
    }
    for (const v of p.values) ss += v * v;
    assert.ok(Math.abs(ss / p.values.length - 1) < 1e-4);
    assert.deepEqual(imagePatches(mnist, { size: 5, count: 500, rng: createRng(1) }).values, p.values, "seeded");
  });
});

describe("sailnet", () => {
  const mnist = take(loadMnist({ split: "train" }), 0, 2000);
  const patches = imagePatches(mnist, { size: 5, count: 5000, rng: createRng(3) });
  const held = imagePatches(take(loadMnist({ split: "train" }), 2000, 1000), { size: 5, count: 3000, rng: createRng(4) });

  it("reaches its sparseness target (mean count → p) and its decorrelation target (co-activation → p²)", async () => {
    const p = 0.05;
    const net = sailnet({ inputs: 25, neurons: 16, p, rng: createRng(5) });
    const before = net.evaluate(held, { start: 0, count: held.count });
    await fit(net, patches, { epochs: 12 });
    const e = net.evaluate(held, { start: 0, count: held.count });
    assert.ok(before.meanCount > 3 * p, `untrained: ${before.meanCount}`);
    assert.ok(Math.abs(e.meanCount - p) < 0.2 * p, `mean count ${e.meanCount} vs p = ${p}`);
    assert.ok(e.coactivation > 0.3 * p * p && e.coactivation < 1.7 * p * p, `co-activation ${e.coactivation} vs p² = ${p * p}`);
    // Every neuron's own rate is homeostatic: none silent, none dominant.
    for (const c of e.counts) assert.ok(c > 0.3 * p && c < 3 * p, `neuron count ${c}`);
    // Without the anti-Hebbian inhibition (β tiny) the same network stays correlated above p².
    const free = sailnet({ inputs: 25, neurons: 16, p, beta: 1e-9, rng: createRng(5) });
    await fit(free, patches, { epochs: 12 });
    const f = free.evaluate(held, { start: 0, count: held.count });
    assert.ok(f.coactivation > 1.5 * e.coactivation, `without inhibition ${f.coactivation} vs ${e.coactivation}`);
    assert.ok(Number.isNaN(e.accuracy));
  });

  it("ΔQ moves a firing neuron's kernel toward its inputs (Oja-like): Q → x / n for a neuron driven by one input", () => {
    const x = new Float32Array(4).fill(0.5);
    const data: SailnetPatches = { count: 1, size: 2, values: x, scale: 1 };
    const net = sailnet({ inputs: 4, neurons: 2, p: 0.5, alpha: 0.05, beta: 0.001, gamma: 0.001, threshold: 0.01, rng: createRng(1) });
    net.learn(data, { count: 3000 });
    const counts = net.respond(x);
    for (let i = 0; i < 2; i++) {
      if (counts[i] === 0) continue;
      for (let k = 0; k < 4; k++) assert.ok(Math.abs(net.weights[i * 4 + k] - 0.5 / counts[i]) < 0.1 * (0.5 / counts[i]), `Q[${i}][${k}] = ${net.weights[i * 4 + k]}, n = ${counts[i]}`);
    }
  });

  it("is deterministic, and a restored snapshot continues bit for bit", () => {
    const a = sailnet({ inputs: 25, neurons: 8, rng: createRng(9) });
    const b = sailnet({ inputs: 25, neurons: 8, rng: createRng(9) });
    a.learn(patches, { count: 700 });
    b.learn(patches, { count: 700 });
    assert.deepEqual(a.weights, b.weights);
    const saved = a.snapshot();
    a.learn(patches, { count: 500 });
    const c = sailnet({ inputs: 25, neurons: 8, rng: createRng(1) });
    c.restore(saved);
    c.learn(patches, { count: 500 });
    assert.deepEqual(c.weights, a.weights);
    assert.deepEqual(c.inhibition, a.inhibition);
    assert.deepEqual(c.thresholds, a.thresholds);
    assert.equal(c.samplesSeen, 1200);
  });

  it("rejects bad input with one clear error, before any work", () => {
    const net = sailnet({ inputs: 25, neurons: 8, rng: createRng(1) });
    const small: SailnetPatches = { count: 2, size: 4, values: new Float32Array(32), scale: 1 };
    expectError(() => net.learn(small, { count: 1 }), "sailnet.learn: data.size must be √inputs = 5 (patches of the network's size), got 4");
    expectError(() => sailnet({ p: 1, rng: createRng(1) }), "sailnet: p must be a number in (0, 1), got 1");
    expectError(() => sailnet({ p: 0, rng: createRng(1) }), "sailnet: p must be a number in (0, 1), got 0");
    const bad = new Float32Array(50);
    bad[30] = Number.NaN;
    const before = net.weights.slice();
    expectError(() => net.learn({ count: 2, size: 5, values: bad, scale: 1 }, { count: 2 }), "sailnet.learn: data.values[30] must be a finite number, got NaN");
    assert.deepEqual(net.weights, before, "nothing changed");
    assert.equal(net.samplesSeen, 0);
    expectError(() => net.respond(new Float32Array(9)), /^sailnet\.respond: x must be 25 numbers \(one patch\), got /);
    expectError(() => imagePatches(mnist, { size: 40, count: 1, rng: createRng(1) }), "imagePatches: size must be at most the image size (28×28), got 40");
  });
});

describe("tavanaeiCnn", () => {
  const mnist = take(loadMnist({ split: "train" }), 0, 300);
  const patches = imagePatches(mnist, { size: 5, count: 3000, rng: createRng(3) });
  const code = sailnet({ inputs: 25, neurons: 8, rng: createRng(5) });
  code.learn(patches, { count: 6000 });

  it("its conv layer is the SAILnet run on every normalised window; pooling is the union of spike trains", () => {
    const net = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, features: 4, rng: createRng(1) });
    const img = mnist.images.subarray(0, 784);
    const act = net.activity(img);
    const [CH, CW] = net.convSize;
    assert.deepEqual([CH, CW, ...net.poolSize, ...net.positions], [24, 24, 12, 12, 5, 5]);
    let checked = 0;
    for (let y = 0; y < CH; y += 3) {
      for (let x = 0; x < CW; x += 2) {
        const w = new Float64Array(25);
        let sum = 0;
        for (let dy = 0; dy < 5; dy++) for (let dx = 0; dx < 5; dx++) sum += (w[dy * 5 + dx] = img[(y + dy) * 28 + x + dx] / 255);
        if (sum === 0) continue;
        for (let k = 0; k < 25; k++) w[k] = patches.scale * (w[k] - sum / 25);
        const want = code.respond(w);
        for (let m = 0; m < 8; m++) assert.equal(act.conv[(y * CW + x) * 8 + m], want[m], `conv (${y}, ${x}, ${m})`);
        checked++;
      }
    }
    assert.ok(checked > 20);
    for (let py = 0; py < 12; py++) for (let px = 0; px < 12; px++) for (let m = 0; m < 8; m++) {
      let max = 0;
      let sum = 0;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) {
        const c = act.conv[((2 * py + dy) * CW + 2 * px + dx) * 8 + m];
        max = Math.max(max, c);
        sum += c;
      }
      const v = act.pooled[(py * 12 + px) * 8 + m];
      assert.ok(v >= max && v <= sum, `pooled (${py}, ${px}, ${m}) = ${v} in [${max}, ${sum}]`);
    }
  });

  it("probabilistic STDP drives the weights of a winner toward c + log P(input active), within [0, c]", () => {
    const net = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, features: 4, eta: 0.01, rng: createRng(2) });
    net.learn(mnist, { count: 100 });
    let low = 0;
    for (const w of net.weights) {
      assert.ok(w >= 0 && w <= net.options.shift);
      if (w < net.options.shift - 2) low++;
    }
    // Most inputs are inactive at most output spikes: their weights fell well below c.
    assert.ok(low > 0.5 * net.weights.length, `${low} of ${net.weights.length}`);
  });

  it("with groups, every spike event has one winner in each group", () => {
    const net = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, features: 6, groups: 3, rng: createRng(4) });
    const f = net.activity(mnist.images.subarray(784, 2 * 784), 1).features;
    let total = 0;
    for (let pos = 0; pos < 25; pos++) {
      const sums = [0, 1, 2].map((g) => f[pos * 6 + 2 * g] + f[pos * 6 + 2 * g + 1]);
      assert.equal(sums[1], sums[0]);
      assert.equal(sums[2], sums[0]);
      total += sums[0];
    }
    assert.ok(total > 0);
    expectError(() => tavanaeiCnn({ sailnet: code, features: 6, groups: 4, rng: createRng(1) }), "tavanaeiCnn: groups must divide features (6) into groups of at least 2 neurons, got 4");
  });

  it("is deterministic (features do not depend on the order of calls) and restores bit for bit", () => {
    const a = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, features: 4, rng: createRng(7) });
    const b = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, features: 4, rng: createRng(7) });
    a.learn(mnist, { count: 20 });
    b.learn(mnist, { count: 20 });
    assert.deepEqual(a.weights, b.weights);
    const f1 = a.features(mnist, { start: 10, count: 3 }).values;
    a.features(mnist, { start: 0, count: 5 });
    assert.deepEqual(a.features(mnist, { start: 10, count: 3 }).values, f1);
    const saved = a.snapshot();
    a.learn(mnist, { count: 10 });
    b.restore(saved);
    b.learn(mnist, { count: 10 });
    assert.deepEqual(b.weights, a.weights);
  });

  it("rejects bad input with one clear error", () => {
    const net = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, features: 4, rng: createRng(7) });
    expectError(() => tavanaeiCnn({ sailnet: code, rate: 2, rng: createRng(1) }), "tavanaeiCnn: rate must be a number in (0, 1], got 2");
    expectError(() => tavanaeiCnn({ sailnet: {} as never, rng: createRng(1) }), /^tavanaeiCnn: sailnet must be a SAILnet/);
    expectError(() => net.activity(new Uint8Array(10)), /^tavanaeiCnn\.activity: pixels must be 784 pixel values/);
    const nan = new Float64Array(784);
    nan[3] = Number.NaN;
    expectError(() => net.activity(nan), "tavanaeiCnn.activity: pixels[3] must be a number in [0, 255], got NaN");
  });
});
