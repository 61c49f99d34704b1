import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { weightHistogram, weightHistogramDefaults } from "../../widgets/weight-histogram";
import { expectError } from "../helpers/close";
import { traceAt } from "./fixtures";

describe("weightHistogram", () => {
  it("weightHistogram(w) has the expected defaults", () => {
    assert.deepEqual(weightHistogramDefaults, { title: "", height: 350, width: null, bins: 50, binWidth: null, range: null, color: "#2ca02c", xTitle: "weight" });
    assert.ok(Object.isFrozen(weightHistogramDefaults));
  });

  it("weightHistogram(w, {bins, range}) counts weights per bin, the last bin closed (@example)", () => {
    const bars = traceAt(weightHistogram(new Float32Array([0, 0.25, 0.75, 1]), { bins: 4, range: [0, 1] }), 0);
    assert.deepEqual(bars.y, [1, 1, 0, 2]);
  });

  it("weightHistogram(w) spans [min, max] and skips non-finite weights", () => {
    const fig = weightHistogram([-1, 1, NaN, 0], { bins: 2 });
    assert.deepEqual([traceAt(fig, 0).x, traceAt(fig, 0).y], [[-0.5, 0.5], [1, 2]]);
    assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, [-1, 1]);
  });

  it("weightHistogram(w, options) rejects bad input with the standard message", () => {
    expectError(() => weightHistogram(null as never), "weightHistogram: weights must be an array of numbers, got null");
    expectError(() => weightHistogram([1], { range: [1, 1] }), "weightHistogram: range must be null or [lo, hi] with finite lo < hi, got Array(2)");
  });
});
