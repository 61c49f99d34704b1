import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { mean, variance } from "../../src/core/typed";
import { EPS32, Hz, ms, second } from "../../src/core/units";
import {
  diehlCookIntensity, imageToRates, imageToRatesDefaults, poissonProcess, poissonStep, poissonTrain,
} from "../../src/encoders/poisson";
import { spikeCounts } from "../../src/encoders/spike-train";
import { expectAllClose, expectClose, expectError } from "../helpers/close";

// A value computed in double and stored once in float32 is within half an ulp: rtol 2^-24 = EPS32/2.
const ONE_ROUNDING = EPS32 / 2;

describe("poissonStep", () => {
  it("poissonStep(rates, rng, dt, out) never spikes at 0 Hz", () => {
    const rng = createRng(1);
    const rates = new Float32Array(100);
    const out = new Uint8Array(100);
    let total = 0;
    for (let k = 0; k < 1000; k++) total += poissonStep(rates, rng, 0.1 * ms, out);
    assert.equal(total, 0);
  });

  it("poissonStep(rates, rng, dt, out) spikes in every step at rate = 1/dt, and rejects a rate above 1/dt naming it in Hz", () => {
    const rng = createRng(2);
    const dt = 0.1 * ms;
    const rates = new Float32Array([1 / dt, 1 / dt]);
    const out = new Uint8Array(2);
    for (let k = 0; k < 1000; k++) {
      assert.equal(poissonStep(rates, rng, dt, out), 2);
      assert.deepEqual([...out], [1, 1]);
    }
    const before = Array.from(out);
    expectError(() => poissonStep(new Float32Array([0.05, 20]), rng, dt, out),
      "poissonStep: rates[1] must be at most 1/dt = 10 per ms (10000 Hz; rates are in 1/ms, so 20 is 20000 Hz: write 20 * Hz for 20 Hz), got 20");
    assert.deepEqual(Array.from(out), before, "nothing written");
    expectError(() => poissonTrain([20], { duration: 10, dt: 0.5, rng }), /^poissonTrain: rates\[0\] must be at most 1\/dt = 2 per ms \(2000 Hz/);
  });

  it("poissonStep(rates, rng, dt, out) writes 0/1, returns the count and leaves rates unchanged", () => {
    const rng = createRng(3);
    const rates = new Float32Array([0, 50 * Hz, 500 * Hz, 5000 * Hz]);
    const copy = Float32Array.from(rates);
    const out = new Uint8Array(4);
    for (let k = 0; k < 200; k++) {
      const count = poissonStep(rates, rng, 0.1 * ms, out);
      assert.ok(out.every((s) => s === 0 || s === 1));
      assert.equal(count, out.reduce((a, b) => a + b, 0));
    }
    assert.deepEqual(rates, copy);
  });

  it("poissonStep(rates, rng, dt, out) gives a mean count r·T within 5·√(r·T)", () => {
    const rng = createRng(4);
    const n = 200;
    const r = 50 * Hz;
    const dt = 0.1 * ms;
    const steps = (1 * second) / dt;
    const rates = new Float32Array(n).fill(r);
    const out = new Uint8Array(n);
    let total = 0;
    for (let k = 0; k < steps; k++) total += poissonStep(rates, rng, dt, out);
    const expected = n * r * steps * dt; // 10 000 spikes
    // The total is binomial, variance ≤ its mean: 5 standard deviations.
    expectClose(total, expected, { atol: 5 * Math.sqrt(expected) });
  });

  it("poissonStep(rates, rng, dt, out) has a Fano factor 1 − r·dt ≈ 1 across neurons", () => {
    const rng = createRng(5);
    const n = 10_000;
    const dt = 0.5 * ms;
    const r = 50 * Hz;
    const rates = new Float32Array(n).fill(r);
    const out = new Uint8Array(n);
    const counts = new Float64Array(n);
    for (let k = 0; k < 400; k++) {
      poissonStep(rates, rng, dt, out);
      for (let i = 0; i < n; i++) counts[i] += out[i];
    }
    const fano = variance(counts) / mean(counts);
    // Bernoulli counts have Fano 1 − p; the sample Fano factor has standard error ≈ √(2/n).
    expectClose(fano, 1 - r * dt, { atol: 5 * Math.sqrt(2 / n) });
    assert.ok(fano > 0.9 && fano < 1.1, `Fano ${fano}`);
  });

  it("poissonStep(rates, rng, dt, out) rejects negative or NaN rates, dt ≤ 0 and a wrong out length before drawing", () => {
    const rng = createRng(6);
    const before = rng.clone();
    expectError(() => poissonStep(new Float32Array([1, -1]), rng, 1, new Uint8Array(2)),
      "poissonStep: rates[1] must be a finite number >= 0, got -1");
    expectError(() => poissonStep(new Float32Array([NaN]), rng, 1, new Uint8Array(1)),
      "poissonStep: rates[0] must be a finite number >= 0, got NaN");
    expectError(() => poissonStep(new Float32Array(2), rng, 0, new Uint8Array(2)),
      "poissonStep: dt must be a finite number > 0, got 0");
    expectError(() => poissonStep(new Float32Array(2), rng, 1, new Uint8Array(3)),
      "poissonStep: out must have length 2, got 3");
    expectError(() => poissonStep(new Float32Array(2), {} as never, 1, new Uint8Array(2)),
      "poissonStep: rng must be an Rng (createRng(seed)), got {}");
    assert.equal(rng.next(), before.next(), "no draw was made");
  });
});

describe("poissonTrain", () => {
  it("poissonTrain(rates, {duration, dt, rng}) is the same for the same seed and differs for another", () => {
    const rates = new Float32Array(20).fill(40 * Hz);
    const options = { duration: 500 * ms, dt: 0.5 * ms };
    const a = poissonTrain(rates, { ...options, rng: createRng(7) });
    const b = poissonTrain(rates, { ...options, rng: createRng(7) });
    const c = poissonTrain(rates, { ...options, rng: createRng(8) });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.times, c.times);
  });

  it("poissonTrain(rates, {duration, dt, rng}) stamps spikes at k·dt, sorted by time then id", () => {
    const dt = 0.5 * ms;
    const train = poissonTrain(new Float32Array(10).fill(100 * Hz), { duration: 200 * ms, dt, rng: createRng(9) });
    assert.equal(train.size, 10);
    assert.equal(train.duration, 200);
    assert.ok(train.times.length > 0);
    for (let s = 0; s < train.times.length; s++) {
      const k = Math.round(train.times[s] / dt);
      expectClose(train.times[s], k * dt, { rtol: ONE_ROUNDING });
      assert.ok(train.times[s] >= 0 && train.times[s] < 200);
      if (s > 0) {
        assert.ok(train.times[s] > train.times[s - 1] || (train.times[s] === train.times[s - 1] && train.ids[s] > train.ids[s - 1]));
      }
    }
  });

  it("poissonTrain(rates, {duration, dt, rng}) has inter-spike intervals of mean 1/r", () => {
    const r = 50 * Hz;
    const dt = 0.5 * ms;
    const train = poissonTrain([r], { duration: 200 * second, dt, rng: createRng(10) });
    const n = train.times.length;
    const isi = new Float64Array(n - 1);
    for (let s = 1; s < n; s++) isi[s - 1] = train.times[s] - train.times[s - 1];
    // Geometric ISIs in steps have mean dt/p = 1/r exactly and sd ≈ 1/r: 5 standard errors.
    expectClose(mean(isi), 1 / r, { atol: (5 / r) / Math.sqrt(n - 1) });
  });

  it("poissonTrain(rates, options) rejects a duration that is not a whole number of steps", () => {
    expectError(() => poissonTrain([1], { duration: 10.25, dt: 0.5, rng: createRng(1) }),
      "poissonTrain: duration must be a whole number of steps of dt (0.5), got 10.25");
    expectError(() => poissonTrain([1], { duration: -1, dt: 0.5, rng: createRng(1) }),
      "poissonTrain: duration must be a finite number > 0, got -1");
  });
});

describe("poissonProcess", () => {
  it("poissonProcess(rates, {duration, rng}) has mean count r·T, exponential ISIs of mean 1/r and CV 1", () => {
    const r = 80 * Hz;
    const duration = 100 * second;
    const train = poissonProcess([r, 0], { duration, rng: createRng(11) });
    const counts = spikeCounts(train);
    assert.equal(counts[1], 0, "0 Hz never spikes");
    const n = counts[0];
    expectClose(n, r * duration, { atol: 5 * Math.sqrt(r * duration) });
    const isi = new Float64Array(n - 1);
    for (let s = 1; s < n; s++) isi[s - 1] = train.times[s] - train.times[s - 1];
    expectClose(mean(isi), 1 / r, { atol: (5 / r) / Math.sqrt(n - 1) });
    // The CV of an exponential is 1; its estimate over ~8000 intervals is good to a few percent.
    expectClose(Math.sqrt(variance(isi)) / mean(isi), 1, { atol: 0.05 });
    assert.ok(train.times.every((t) => t >= 0 && t < duration));
  });

  it("poissonProcess(rates, {duration, rng}) is reproducible from the seed", () => {
    const a = poissonProcess([0.1, 0.2], { duration: 100, rng: createRng(12) });
    const b = poissonProcess([0.1, 0.2], { duration: 100, rng: createRng(12) });
    assert.deepEqual(a, b);
  });
});

describe("imageToRates", () => {
  it("imageToRates(pixels) gives pixel/4 Hz: 255 → 63.75 Hz, Diehl & Cook's intensity 2", () => {
    assert.deepEqual(imageToRatesDefaults, { intensity: 2, ratePerLevel: Hz / 8 });
    const rates = imageToRates(new Uint8Array([0, 4, 128, 255]));
    expectAllClose(rates, [0, 1 * Hz, 32 * Hz, 63.75 * Hz], { rtol: ONE_ROUNDING });
  });

  it("imageToRates(pixels, {intensity}) adds 255/8 = 31.875 Hz at a full pixel per retry", () => {
    assert.deepEqual(diehlCookIntensity, { initial: 2, step: 1, minSpikes: 5 });
    const pixel = new Uint8Array([255]);
    const first = imageToRates(pixel, { intensity: diehlCookIntensity.initial })[0];
    const retry = imageToRates(pixel, { intensity: diehlCookIntensity.initial + diehlCookIntensity.step })[0];
    // first = 2·Δ and retry = 3·Δ are each rounded once: |error| ≤ (2 + 3)·2^-24·Δ.
    expectClose(retry - first, 31.875 * Hz, { rtol: 5 * ONE_ROUNDING });
    expectClose(retry, 95.625 * Hz, { rtol: ONE_ROUNDING });
  });

  it("imageToRates(pixels, options, out) writes into out in place and never mutates pixels", () => {
    const pixels = new Uint8Array([10, 20]);
    const out = new Float32Array(2);
    assert.equal(imageToRates(pixels, {}, out), out);
    assert.deepEqual([...pixels], [10, 20]);
    expectError(() => imageToRates(pixels, {}, new Float32Array(3)), "imageToRates: out must have length 2, got 3");
    expectError(() => imageToRates([300]), "imageToRates: pixels[0] must be a finite number in [0, 255], got 300");
    expectError(() => imageToRates([1], { intensity: -1 }), "imageToRates: intensity must be a finite number >= 0, got -1");
    expectError(() => imageToRates([1], { maxRate: 1 } as never),
      'imageToRates: options must have only the keys intensity, ratePerLevel, got "maxRate"');
  });
});
