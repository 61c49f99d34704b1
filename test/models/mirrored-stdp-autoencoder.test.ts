import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import type { PatchSet } from "../../src/datasets/patches";
import { fit } from "../../src/learning/fit";
import { encodeSnapshot } from "../../src/learning/snapshot";
import { mirrorCorrelation, mirroredStdpAutoencoder, mirroredStdpAutoencoderDefaults } from "../../src/models/mirrored-stdp-autoencoder";
import { expectError } from "../helpers/close";

/**
 * Synthetic whitened-looking patches: oriented gratings of random orientation and phase plus a
 * little noise, 6 × 6 pixels, unit-ish amplitude.
 */
function gratings(count: number, seed: number, size = 6): PatchSet {
  const rng = createRng(seed);
  const patches = new Float32Array(count * size * size);
  for (let k = 0; k < count; k++) {
    const theta = rng.uniform(0, Math.PI);
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const u = c * Math.cos(theta) + r * Math.sin(theta);
        patches[(k * size + r) * size + c] = 1.5 * Math.cos((2 * Math.PI * u) / 4 + phase) + rng.normal(0, 0.1);
      }
    }
  }
  return { name: "gratings", split: "train", count, size, patches };
}

const small = { patchSize: 6, hidden: 12, phaseSteps: 10, initialWeight: 0.02, stdp: { aPlus: 0.002, aMinus: -0.002 } };

describe("mirroredStdpAutoencoder", () => {
  it("mirroredStdpAutoencoder({rng}) has the documented defaults", () => {
    const net = mirroredStdpAutoencoder({ rng: createRng(1) });
    assert.deepEqual(net.params, mirroredStdpAutoencoderDefaults);
    assert.equal(net.weights.nVisible, 128);
    assert.equal(net.weights.nHidden, 64);
    assert.ok(Object.isFrozen(mirroredStdpAutoencoderDefaults));
  });

  it("mirroredStdpAutoencoder(options).learn(…) is deterministic: the same seed gives the same bytes", () => {
    const data = gratings(200, 1);
    const run = (seed: number) => {
      const net = mirroredStdpAutoencoder({ ...small, rng: createRng(seed) });
      net.learn(data, { count: 150 });
      return encodeSnapshot(net.snapshot());
    };
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7), run(8));
  });

  it("mirroredStdpAutoencoder(…) keeps W_fb = W_ffᵀ exactly once they are equal (the mirrored rule's symmetry)", () => {
    const net = mirroredStdpAutoencoder({ ...small, rng: createRng(2) });
    const { ff, fb, nVisible, nHidden } = net.weights;
    for (let j = 0; j < nHidden; j++) for (let i = 0; i < nVisible; i++) fb[i * nHidden + j] = ff[j * nVisible + i]!;
    const start = ff.slice();
    net.learn(gratings(100, 2), { count: 100 });
    assert.ok(ff.some((v, k) => v !== start[k]), "the weights moved");
    for (let j = 0; j < nHidden; j++) for (let i = 0; i < nVisible; i++) assert.equal(fb[i * nHidden + j], ff[j * nVisible + i]);
    assert.equal(net.weightCorrelation(), 1);
  });

  it("fit(mirroredStdpAutoencoder(…), patches) raises corr(W_fb, W_ffᵀ) from ~0 and lowers the reconstruction error", async () => {
    const train = gratings(1500, 3);
    const validation = { ...gratings(100, 4), split: "validation" as const };
    const net = mirroredStdpAutoencoder({ ...small, rng: createRng(3) });
    const before = net.evaluate(validation, { start: 0, count: 100 });
    assert.ok(Math.abs(before.weightCorrelation) < 0.2, `initial correlation ${before.weightCorrelation}`);
    const run = await fit(net, train, { epochs: 1, evalEvery: 500, validation });
    assert.equal(run.history.length, 3);
    const after = net.evaluate(validation, { start: 0, count: 100 });
    assert.ok(after.weightCorrelation > 0.9, `final correlation ${after.weightCorrelation}`);
    assert.ok(after.reconstructionError < 0.8 * before.reconstructionError, `error ${before.reconstructionError} → ${after.reconstructionError}`);
    assert.ok(Number.isNaN(after.accuracy));
    assert.ok(after.hiddenSpikes > 0 && after.visibleSpikes > 0);
  });

  it("snapshot() and restore(…) resume training bit for bit", () => {
    const data = gratings(120, 5);
    const a = mirroredStdpAutoencoder({ ...small, rng: createRng(4) });
    a.learn(data, { count: 50 });
    const saved = a.snapshot();
    a.learn(data, { count: 50 });
    const b = mirroredStdpAutoencoder({ ...small, rng: createRng(99) });
    b.restore(saved);
    b.learn(data, { count: 50 });
    assert.deepEqual(encodeSnapshot(b.snapshot()), encodeSnapshot(a.snapshot()));
    assert.equal(b.samplesSeen, 100);
  });

  it("mirrorCorrelation(weights) is the Pearson correlation of W_fb and W_ffᵀ", () => {
    const ff = Float32Array.of(1, 2, 3, 4, 5, 6); // 2 hidden × 3 visible
    const fb = Float32Array.of(2, 8, 4, 10, 6, 12); // = 2·ff ᵀ
    assert.ok(Math.abs(mirrorCorrelation({ ff, fb, nVisible: 3, nHidden: 2 }) - 1) < 1e-12);
    const neg = Float32Array.of(-1, -4, -2, -5, -3, -6);
    assert.ok(Math.abs(mirrorCorrelation({ ff, fb: neg, nVisible: 3, nHidden: 2 }) + 1) < 1e-12);
  });

  it("mirroredStdpAutoencoder rejects a wrong patch size, NaN pixels and bad options with one clear error", () => {
    const net = mirroredStdpAutoencoder({ ...small, rng: createRng(1) });
    const data = gratings(10, 6);
    const before = encodeSnapshot(net.snapshot());
    expectError(() => net.learn(gratings(10, 6, 8), { count: 2 }), "mirroredStdpAutoencoder.train: data.size must be the network's patchSize (6), got 8");
    const nan = { ...data, patches: data.patches.slice() };
    nan.patches[40] = Number.NaN;
    expectError(() => net.learn(nan, { count: 2 }), "mirroredStdpAutoencoder.train: data.patches[40] must be a finite number, got NaN");
    expectError(() => net.evaluate(data, { start: -1, count: 2 }), /^mirroredStdpAutoencoder\.evaluate: start must be an integer/);
    expectError(() => net.learn(data, { count: 2, learningRate: 0 }), /^mirroredStdpAutoencoder\.train: learningRate must be/);
    expectError(() => net.respond(new Float32Array(35)), "mirroredStdpAutoencoder.respond: patch must have patchSize² = 36 values, got 35");
    expectError(() => mirroredStdpAutoencoder({ ...small, hidden: 0, rng: createRng(1) }), /^mirroredStdpAutoencoder: hidden must be an integer/);
    expectError(() => mirroredStdpAutoencoder({ ...small, rng: createRng(1), tau: 3 } as never), /^mirroredStdpAutoencoder: options must have only the keys/);
    expectError(() => mirroredStdpAutoencoder({ ...small } as never), /^mirroredStdpAutoencoder: rng must be/);
    expectError(() => net.restore(mirroredStdpAutoencoder({ ...small, hidden: 13, rng: createRng(1) }).snapshot()), /^mirroredStdpAutoencoder\.restore: snapshot\.config must match/);
    assert.deepEqual(encodeSnapshot(net.snapshot()), before, "rejected calls left the network as it was");
  });
});
