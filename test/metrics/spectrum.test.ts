import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSpikeTrain } from "../../src/encoders/spike-train";
import { binnedRate, peakFrequency, powerSpectrum, spectralPeak } from "../../src/metrics/spectrum";
import { createRng } from "../../src/core/random";
import { expectClose, expectError } from "../helpers/close";

describe("spectrum", () => {
  it("powerSpectrum(sine) peaks at the sine's frequency", () => {
    const x = Array.from({ length: 1000 }, (_, k) => Math.sin((2 * Math.PI * 40 * k) / 1000) + 0.5 * Math.sin((2 * Math.PI * 10 * k) / 1000));
    const s = powerSpectrum(x, { binWidth: 1 });
    assert.equal(s.frequency[s.frequency.length - 1], 500);
    assert.equal(peakFrequency(s, [20, 100]).frequency, 40);
    assert.equal(peakFrequency(s, [5, 15]).frequency, 10);
    expectClose(peakFrequency(s, [20, 100]).power / peakFrequency(s, [5, 15]).power, 4, { rtol: 0.05 });
  });

  it("binnedRate(train, {binWidth}) is spikes per bin per neuron in Hz", () => {
    const train = createSpikeTrain([0.5, 1.5, 1.7, 9.9], [0, 1, 0, 1], { size: 2, duration: 10 });
    assert.deepEqual([...binnedRate(train, { binWidth: 5 })], [300, 100]);
    assert.deepEqual([...binnedRate(train, { binWidth: 5, ids: [1, 2] })], [200, 200]);
    expectError(() => binnedRate(train, { binWidth: 0 }), "binnedRate: binWidth must be a finite number > 0, got 0");
  });

  it("powerSpectrum(x, {segment}) averages half-overlapping segments (Welch): a 1 s segment of a 10 s signal has 1 Hz bins", () => {
    const rng = createRng(5);
    const x = Array.from({ length: 10000 }, (_, k) => Math.sin((2 * Math.PI * 40 * k) / 1000) + rng.normal());
    const welch = powerSpectrum(x, { binWidth: 1, segment: 1000 });
    assert.equal(welch.frequency.length, 501);
    assert.equal(welch.frequency[1], 1);
    const first = powerSpectrum(x.slice(0, 1000), { binWidth: 1 });
    const second = powerSpectrum(x.slice(500, 1500), { binWidth: 1 });
    const exact = powerSpectrum(x.slice(0, 1500), { binWidth: 1, segment: 1000 });
    expectClose(exact.power[7]!, (first.power[7]! + second.power[7]!) / 2, { rtol: 1e-12 });
    // Noise power scatters ~100 % in one periodogram, ~1/sqrt(19) after averaging 19 segments.
    const spread = (p: Float64Array) => {
      const band = Array.from(p.slice(100, 400));
      const mean = band.reduce((a, b) => a + b, 0) / band.length;
      return Math.sqrt(band.reduce((a, b) => a + (b - mean) ** 2, 0) / band.length) / mean;
    };
    assert.ok(spread(welch.power) < 0.4 && spread(first.power) > 0.7, `${spread(welch.power)} vs ${spread(first.power)}`);
    expectError(() => powerSpectrum(x, { binWidth: 1, segment: 3 }), "powerSpectrum: segment must be an integer in [4, 10000] (the signal's length), got 3");
  });

  it("spectralPeak(spectrum, band) finds a local maximum inside the band with its prominence, and null for a monotone band", () => {
    const s = { frequency: Float64Array.from([0, 1, 2, 3, 4, 5, 6]), power: Float64Array.from([9, 4, 1, 8, 2, 4, 3]) };
    assert.deepEqual(spectralPeak(s, [1, 6]), { frequency: 3, power: 8, prominence: 4 }, "8 over the higher saddle (2, between 3 and the right edge)");
    assert.equal(spectralPeak(s, [0, 2]), null, "falling across the band: its largest value (at the edge) is no peak");
    assert.equal(peakFrequency(s, [0, 2]).frequency, 0, "whereas peakFrequency returns the largest value wherever it is");
    expectError(() => spectralPeak(s, [2.5, 3.5]), "spectralPeak: band must contain at least 3 frequencies of the spectrum, got Array(2)");
  });
});
