import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { orientationSelectivities, orientationSelectivity } from "../../src/metrics/orientation";
import { expectError } from "../helpers/close";

const n = 8;
const shape = { rows: n, cols: n };
const grid = (f: (r: number, c: number) => number) => Float32Array.from({ length: n * n }, (_, k) => f(Math.floor(k / n), k % n));

describe("orientationSelectivity", () => {
  it("orientationSelectivity(grating) is 1, with the grating's normal as orientation", () => {
    const vertical = orientationSelectivity(grid((_r, c) => Math.cos((2 * Math.PI * 2 * c) / n)), shape);
    assert.ok(Math.abs(vertical.index - 1) < 1e-9);
    assert.ok(Math.abs(vertical.orientation) < 1e-9);
    const horizontal = orientationSelectivity(grid((r) => Math.sin((2 * Math.PI * r) / n)), shape);
    assert.ok(Math.abs(horizontal.index - 1) < 1e-9);
    assert.ok(Math.abs(Math.abs(horizontal.orientation) - Math.PI / 2) < 1e-9);
  });

  it("orientationSelectivity(blob) is 0 for a centred Gaussian and a difference of Gaussians", () => {
    const g = (s: number) => (r: number, c: number) => Math.exp(-((r - 3.5) ** 2 + (c - 3.5) ** 2) / (2 * s * s));
    assert.ok(orientationSelectivity(grid(g(1.2)), shape).index < 1e-9);
    assert.ok(orientationSelectivity(grid((r, c) => g(1)(r, c) - 0.5 * g(2)(r, c)), shape).index < 1e-9);
  });

  it("orientationSelectivity(Gabor) is high, and white noise is low (about 1/√frequencies)", () => {
    const gabor = grid((r, c) => Math.exp(-((r - 3.5) ** 2 + (c - 3.5) ** 2) / 8) * Math.cos((2 * Math.PI * (c - 3.5 + 0.5 * (r - 3.5))) / 4));
    assert.ok(orientationSelectivity(gabor, shape).index > 0.6);
    const rng = createRng(1);
    const osi = orientationSelectivities(Float32Array.from({ length: 200 * 64 }, () => rng.normal()), shape);
    let mean = 0;
    for (const v of osi) mean += v / osi.length;
    assert.ok(mean > 0.05 && mean < 0.25, `white-noise mean OSI ${mean}`);
    assert.equal(orientationSelectivity(new Float32Array(64).fill(3), shape).index, 0);
  });

  it("orientationSelectivity rejects a wrong length, NaN and a bad shape", () => {
    expectError(() => orientationSelectivity(new Float32Array(63), shape), "orientationSelectivity: filter must have rows·cols = 64 values, got 63");
    expectError(() => orientationSelectivity(Float32Array.of(1, Number.NaN, 0, 0), { rows: 2, cols: 2 }), "orientationSelectivity: filter[1] must be a finite number, got NaN");
    expectError(() => orientationSelectivities(new Float32Array(10), shape), /^orientationSelectivities: filters must have a positive multiple/);
    expectError(() => orientationSelectivity(new Float32Array(4), { rows: 1, cols: 4 }), /^orientationSelectivity: rows must be an integer/);
  });
});
