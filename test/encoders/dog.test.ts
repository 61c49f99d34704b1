import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32 } from "../../src/core/units";
import { dogFilter, dogFilterDefaults, dogKernel } from "../../src/encoders/dog";
import { expectClose, expectError } from "../helpers/close";

function dotImage(size: number, value = 255): { data: Float32Array; width: number; height: number } {
  const data = new Float32Array(size * size);
  data[((size - 1) / 2) * size + (size - 1) / 2] = value;
  return { data, width: size, height: size };
}

describe("dogKernel", () => {
  it("dogKernel(7, 1, 2) sums to 0, peaks at 1 in the centre and is negative in the surround", () => {
    const k = dogKernel(7, 1, 2);
    assert.equal(k.length, 49);
    let sum = 0;
    for (const v of k) sum += v;
    // Zero-mean in double; rounding each of the 49 entries (|k| ≤ 1) to float32 moves the sum by ≤ 49·2^-24.
    expectClose(sum, 0, { atol: 49 * EPS32 / 2 });
    assert.equal(k[3 * 7 + 3], 1);
    assert.equal(Math.max(...k), 1);
    assert.ok(k[3 * 7 + 5] < 0 && k[1 * 7 + 3] < 0, "surround at distance 2 is negative");
    for (let y = 0; y < 7; y++) for (let x = 0; x < 7; x++) assert.equal(k[y * 7 + x], k[x * 7 + (6 - y)], "4-fold symmetric");
  });

  it("dogKernel(7, 2, 1) is the OFF kernel: the negated ON kernel rescaled to a peak of 1", () => {
    const on = dogKernel(7, 1, 2);
    const off = dogKernel(7, 2, 1);
    assert.ok(off[3 * 7 + 3] < 0);
    assert.equal(Math.max(...off), 1);
    const ratio = -off[0] / on[0];
    assert.ok(ratio > 0);
    // Both are rounded once from proportional doubles: ratios agree to a few float32 roundings.
    for (let i = 0; i < 49; i++) expectClose(-off[i], ratio * on[i], { rtol: 4 * EPS32, atol: 4 * EPS32 });
  });

  it("dogKernel(size, sigma1, sigma2) rejects even sizes and equal sigmas", () => {
    expectError(() => dogKernel(6, 1, 2), "dogKernel: size must be an odd integer >= 1, got 6");
    expectError(() => dogKernel(7, 1, 1), "dogKernel: sigma2 must differ from sigma1 (1), got 1");
    expectError(() => dogKernel(7, 0, 1), "dogKernel: sigma1 must be a finite number > 0, got 0");
  });
});

describe("dogFilter", () => {
  it("dogFilter(image) has the expected defaults (Kheradpisheh et al. via SpykeTorch)", () => {
    assert.deepEqual(dogFilterDefaults, {
      size: 7, sigmaCentre: 1, sigmaSurround: 2, padding: -1, threshold: 50, normalization: "mean", normalizationRadius: 8,
    });
  });

  it("dogFilter(dot, {threshold: 0}) gives an ON response at a bright dot and OFF responses around it", () => {
    const image = dotImage(15);
    const { on, off, width, height } = dogFilter(image, { threshold: 0, normalization: "none" });
    assert.equal(width, 15);
    assert.equal(height, 15);
    const centre = 7 * 15 + 7;
    const k = dogKernel(7, 1, 2);
    expectClose(on[centre], 255 * k[3 * 7 + 3], { rtol: EPS32 });
    assert.equal(off[centre], 0);
    const ring = 7 * 15 + 9; // distance 2
    assert.ok(off[ring] > 0, "OFF cells fire around the dot");
    assert.equal(on[ring], 0);
    // Far from the dot nothing responds.
    assert.equal(on[0], 0);
    assert.equal(off[0], 0);
  });

  it("dogFilter(uniform image) gives no response inside the image, where the kernel sum 0 cancels", () => {
    const data = new Float32Array(20 * 20).fill(200);
    const { on, off } = dogFilter({ data, width: 20, height: 20 }, { threshold: 0, normalization: "none" });
    // The float32 kernel sums to 0 within 49·2^-24 (see dogKernel); times the grey level 200.
    const bound = 200 * 49 * (EPS32 / 2);
    let interior = 0;
    for (let y = 3; y < 17; y++) {
      for (let x = 3; x < 17; x++) {
        assert.ok(on[y * 20 + x] <= bound && off[y * 20 + x] <= bound);
        interior++;
      }
    }
    assert.equal(interior, 196);
    assert.ok(on[0] > 100, "the corner sees an edge and responds");
  });

  it("dogFilter(image, {normalization: 'mean'}) divides by the (2R+1)² window mean, counting zeros outside", () => {
    const data = new Float32Array(12 * 10);
    for (let i = 0; i < data.length; i++) data[i] = (i * 97) % 256;
    const image = { data, width: 12, height: 10 };
    const options = { threshold: 20, normalizationRadius: 2 };
    const raw = dogFilter(image, { ...options, normalization: "none" });
    const normed = dogFilter(image, { ...options, normalization: "mean" });
    for (const name of ["on", "off"] as const) {
      for (let y = 0; y < 10; y++) {
        for (let x = 0; x < 12; x++) {
          let sum = 0;
          for (let yy = y - 2; yy <= y + 2; yy++) {
            for (let xx = x - 2; xx <= x + 2; xx++) if (yy >= 0 && yy < 10 && xx >= 0 && xx < 12) sum += raw[name][yy * 12 + xx];
          }
          const expected = raw[name][y * 12 + x] / (sum / 25 + 1e-12);
          // Window sums in double (summed-area table vs direct loop), result rounded once to float32.
          expectClose(normed[name][y * 12 + x], expected, { rtol: 4 * EPS32, atol: 1e-9 });
        }
      }
    }
  });

  it("dogFilter(image, {normalization: 'max'}) scales each response by its local maximum into [0, 1]", () => {
    const image = dotImage(21);
    const { on, off } = dogFilter(image, { threshold: 0, normalization: "max", normalizationRadius: 8 });
    expectClose(on[10 * 21 + 10], 1, { rtol: EPS32 });
    for (const v of [...on, ...off]) assert.ok(v >= 0 && v <= 1);
  });

  it("dogFilter(image, {padding}) sets the map size to width + 2·padding − size + 1", () => {
    const { width, height } = dogFilter({ data: new Uint8Array(28 * 28), width: 28, height: 28 }, { padding: 6 });
    assert.equal(width, 34);
    assert.equal(height, 34);
  });

  it("dogFilter(image, options) rejects a data length that does not match width·height", () => {
    expectError(() => dogFilter({ data: new Uint8Array(10), width: 4, height: 4 }), "dogFilter: image.data must have length width·height = 16, got 10");
    expectError(() => dogFilter(dotImage(5), { normalization: "l2" as never }),
      'dogFilter: normalization must be one of "mean", "max", "none", got "l2"');
  });

  it("dogFilter(image) never mutates the image", () => {
    const image = dotImage(9);
    const copy = Float32Array.from(image.data);
    dogFilter(image);
    assert.deepEqual(image.data, copy);
  });
});
