import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSpikeTrain } from "../../src/encoders/spike-train";
import { binnedRate, peakFrequency, powerSpectrum } from "../../src/metrics/spectrum";
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
});
