import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { makeImageDataset } from "../../src/datasets/image-dataset";
import { addImageNoise } from "../../src/datasets/image-noise";
import { expectError } from "../helpers/close";

const grey = makeImageDataset({ name: "grey", split: "validation", count: 50, rows: 20, cols: 20, images: new Uint8Array(50 * 400).fill(128), labels: new Uint8Array(50).fill(3) });

describe("addImageNoise", () => {
  it("Gaussian: additive, zero mean, standard deviation level × 255 (no clipping at mid grey)", () => {
    const noisy = addImageNoise(grey, { kind: "gaussian", level: 0.1, rng: createRng(1) });
    let sum = 0;
    let sq = 0;
    for (const v of noisy.images) {
      sum += v - 128;
      sq += (v - 128) ** 2;
    }
    const n = noisy.images.length;
    assert.ok(Math.abs(sum / n) < 0.5, `mean ${sum / n}`);
    assert.ok(Math.abs(Math.sqrt(sq / n) - 25.5) < 0.5, `sd ${Math.sqrt(sq / n)}`);
    assert.equal(noisy.split, "validation");
    assert.deepEqual(noisy.labels, grey.labels);
    assert.equal(grey.images[0], 128, "the input is not changed");
  });

  it("salt and pepper: a fraction `level` of the pixels becomes 0 or 255, in even shares", () => {
    const noisy = addImageNoise(grey, { kind: "saltPepper", level: 0.2, rng: createRng(2) });
    let black = 0;
    let white = 0;
    for (const v of noisy.images) {
      if (v === 0) black++;
      else if (v === 255) white++;
      else assert.equal(v, 128);
    }
    const n = noisy.images.length;
    assert.ok(Math.abs((black + white) / n - 0.2) < 0.015, `density ${(black + white) / n}`);
    assert.ok(Math.abs(black - white) < 0.1 * (black + white));
    assert.deepEqual(addImageNoise(grey, { kind: "saltPepper", level: 0.2, rng: createRng(2) }).images, noisy.images, "seeded");
  });

  it("rejects bad input with one clear error", () => {
    expectError(() => addImageNoise(grey, { kind: "pink" as never, level: 0.1, rng: createRng(1) }), /^addImageNoise: kind must be one of/);
    expectError(() => addImageNoise(grey, { kind: "saltPepper", level: 1.5, rng: createRng(1) }), "addImageNoise: level must be a finite number in [0, 1], got 1.5");
    expectError(() => addImageNoise(grey, { kind: "gaussian", level: Number.NaN, rng: createRng(1) }), "addImageNoise: level must be a finite number in [0, 10], got NaN");
  });
});
