import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSpikeTrain } from "../../src/encoders/spike-train";
import { rateHistogram, rateHistogramDefaults } from "../../widgets/rate-histogram";
import { expectError, expectAllClose } from "../helpers/close";
import { randomTrain, snapshot, traceAt } from "./fixtures";

describe("rateHistogram", () => {
  it("rateHistogram(train) has the expected defaults", () => {
    assert.deepEqual(rateHistogramDefaults, { title: "", height: 350, width: null, bins: 20, binWidth: null, range: null, color: "#1f77b4" });
    assert.ok(Object.isFrozen(rateHistogramDefaults));
  });

  it("rateHistogram(train, {binWidth}) counts neurons by rate = count / duration, silent ones at 0 Hz (@example)", () => {
    const train = createSpikeTrain([1, 2, 3, 4], [0, 0, 0, 1], { size: 3, duration: 100 }); // 30, 10, 0 Hz
    const fig = rateHistogram(train, { binWidth: 10 });
    const bars = traceAt(fig, 0);
    assert.equal(bars.type, "bar");
    assert.deepEqual(bars.x, [5, 15, 25]);
    assert.deepEqual(bars.y, [1, 1, 1], "0 Hz in [0, 10), 10 Hz in [10, 20), 30 Hz in the closed last bin [20, 30]");
    assert.equal(fig.layout.annotations![0]!.text, "mean 13.33 Hz (3 neurons)");
  });

  it("rateHistogram(rates, {bins, range}) bins given rates (Hz) and drops those outside the range", () => {
    const bars = traceAt(rateHistogram([0, 5, 5, 9.99, 10, 11], { bins: 2, range: [0, 10] }), 0);
    assert.deepEqual([bars.x, bars.y, bars.width], [[2.5, 7.5], [1, 4], [5, 5]]);
  });

  it("rateHistogram(train) counts every neuron once", () => {
    const train = randomTrain(9, 50, 1000, 400);
    const before = snapshot(train);
    const fig = rateHistogram(train);
    assert.equal((traceAt(fig, 0).y as number[]).reduce((a, b) => a + b, 0), 50);
    expectAllClose([(traceAt(fig, 0).x as number[]).length], [20]);
    assert.deepEqual(train, before, "the train is not mutated");
  });

  it("rateHistogram(input, options) rejects bad input with the standard message", () => {
    expectError(() => rateHistogram([1, NaN]), "rateHistogram: rates[1] must be a finite number, got NaN");
    expectError(() => rateHistogram([1], { bins: 0 }), "rateHistogram: bins must be an integer >= 1, got 0");
    expectError(() => rateHistogram([1], { binWidth: -1 }), "rateHistogram: binWidth must be a finite number > 0, got -1");
    expectError(() => rateHistogram({ times: [] } as never), "rateHistogram: train.times must be a Float32Array, got Array(0)");
  });
});
