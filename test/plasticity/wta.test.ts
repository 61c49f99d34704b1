import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { kWinnersDefaults, kWinnersTakeAll, lateralInhibition, pointwiseInhibition } from "../../src/plasticity/wta";
import { expectError } from "../helpers/close";

describe("kWinnersTakeAll", () => {
  it("kWinnersTakeAll(potentials, spikes, k) keeps exactly k winners, largest potential first", () => {
    assert.deepEqual(kWinnersDefaults, { mapShape: null, inhibitionRadius: 0 });
    const rng = createRng(1);
    const v = Float32Array.from({ length: 50 }, () => rng.uniform(0, 1));
    const copy = Float32Array.from(v);
    const spikes = new Uint8Array(50).fill(1);
    const winners = kWinnersTakeAll(v, spikes, 5);
    const expected = [...v.keys()].sort((a, b) => v[b] - v[a]).slice(0, 5);
    assert.deepEqual([...winners], expected);
    assert.equal(spikes.reduce((a, b) => a + b, 0), 5);
    for (const i of winners) assert.equal(spikes[i], 1);
    assert.deepEqual(v, copy, "potentials are read only");
  });

  it("kWinnersTakeAll(...) breaks ties by lower index and only considers spiking neurons", () => {
    const v = new Float32Array([0.2, 0.9, 0.5, 0.9, 5]);
    const spikes = new Uint8Array([1, 1, 1, 1, 0]);
    assert.deepEqual([...kWinnersTakeAll(v, spikes, 2)], [1, 3]);
    assert.deepEqual([...spikes], [0, 1, 0, 1, 0]);
  });

  it("kWinnersTakeAll(...) keeps every spike when fewer than k fired, and none when k = 0", () => {
    const spikes = new Uint8Array([0, 1, 0, 1]);
    assert.deepEqual([...kWinnersTakeAll(new Float32Array(4), spikes, 10)], [1, 3]);
    assert.deepEqual([...spikes], [0, 1, 0, 1]);
    assert.deepEqual([...kWinnersTakeAll(new Float32Array(4), spikes, 0)], []);
    assert.deepEqual([...spikes], [0, 0, 0, 0]);
  });

  it("kWinnersTakeAll(..., {mapShape, inhibitionRadius}) takes one winner per map and inhibits its neighbourhood", () => {
    // 3 maps of 1 × 6; index = c·6 + x.
    const mapShape = { channels: 3, height: 1, width: 6 };
    const v = new Float32Array([
      9, 8, 0, 0, 0, 0, // map 0: winner x = 0; x = 1 is the same map
      0, 7, 0, 0, 0, 6, // map 1: x = 1 is within radius 1 of x = 0; x = 5 wins
      0, 0, 5, 0, 0, 0, // map 2: x = 2 is outside radius 1 of x = 0, and of x = 5
    ]);
    const spikes = Uint8Array.from(v, (x) => (x > 0 ? 1 : 0));
    const winners = kWinnersTakeAll(v, spikes, 3, { mapShape, inhibitionRadius: 1 });
    assert.deepEqual([...winners], [0, 11, 14]);
    const noRadius = Uint8Array.from(v, (x) => (x > 0 ? 1 : 0));
    assert.deepEqual([...kWinnersTakeAll(v, noRadius, 3, { mapShape })], [0, 7, 14]);
  });

  it("kWinnersTakeAll(...) rejects a radius without a map shape, a wrong shape and NaN potentials", () => {
    expectError(() => kWinnersTakeAll(new Float32Array(4), new Uint8Array(4), 1, { inhibitionRadius: 2 }),
      "kWinnersTakeAll: inhibitionRadius must be 0 without a mapShape, got 2");
    expectError(() => kWinnersTakeAll(new Float32Array(4), new Uint8Array(4), 1, { mapShape: { channels: 2, height: 1, width: 3 } }),
      "kWinnersTakeAll: mapShape must cover the 4 neurons (channels·height·width), got 6");
    expectError(() => kWinnersTakeAll(new Float32Array([NaN]), new Uint8Array([1]), 1), "kWinnersTakeAll: potentials[0] must be a finite number, got NaN");
    expectError(() => kWinnersTakeAll(new Float32Array(2), new Uint8Array(2), -1), "kWinnersTakeAll: k must be an integer >= 0, got -1");
  });
});

describe("pointwiseInhibition", () => {
  it("pointwiseInhibition(potentials, spikes, mapShape) keeps the strongest spiking channel per position", () => {
    // 2 maps of 1 × 3.
    const v = new Float32Array([1, 5, 2, 3, 4, 2]);
    const spikes = new Uint8Array([1, 1, 1, 1, 0, 1]);
    assert.equal(pointwiseInhibition(v, spikes, { channels: 2, height: 1, width: 3 }), 2);
    assert.deepEqual([...spikes], [0, 1, 1, 1, 0, 0]);
  });
});

describe("lateralInhibition", () => {
  it("lateralInhibition(spikes, strength, input) subtracts strength per other spiking neuron, in place", () => {
    const input = new Float32Array([10, 10, 10, 10]);
    assert.equal(lateralInhibition(new Uint8Array([1, 0, 1, 1]), 2, input), 3);
    assert.deepEqual([...input], [6, 4, 6, 6]);
    expectError(() => lateralInhibition(new Uint8Array(2), -1, new Float32Array(2)), "lateralInhibition: strength must be a finite number >= 0, got -1");
  });
});
