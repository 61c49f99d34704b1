/**
 * Histogram of synaptic weights, e.g. to watch STDP drive weights to their bounds (a bimodal
 * distribution) or to check a normalisation.
 *
 * @example
 *   const fig = weightHistogram(new Float32Array([0, 0.25, 0.75, 1]), { bins: 4, range: [0, 1] });
 */
import { fail } from "../src/core/validate";
import type { Figure } from "./figure";
import { binCounts, histogramFigure, type HistogramOptions } from "./histogram";
import { isNumericArray, text, widgetOptions } from "./inputs";

/** Options of `weightHistogram`; `binWidth` and `range` are in weight units. */
export interface WeightHistogramOptions extends HistogramOptions {
  /** Title of the x axis. Default "weight". */
  readonly xTitle: string;
}

/** Defaults of `weightHistogram`: 50 bins over [min, max], height 350 px. */
export const weightHistogramDefaults: Readonly<WeightHistogramOptions> = Object.freeze({
  title: "", height: 350, width: null, bins: 50, binWidth: null, range: null, color: "#2ca02c", xTitle: "weight",
});

/** A histogram of `weights` (non-finite weights are not counted). */
export function weightHistogram(weights: Float32Array | ArrayLike<number>, options?: Partial<WeightHistogramOptions>): Figure {
  const fn = "weightHistogram";
  if (!isNumericArray(weights)) fail(fn, "weights", "be an array of numbers", weights);
  const o = widgetOptions(fn, weightHistogramDefaults, options);
  text(fn, "xTitle", o.xTitle);
  const { edges, counts } = binCounts(fn, weights, o, (lo, hi) => (lo < hi ? [lo, hi] : Number.isFinite(lo) ? [lo - 0.5, lo + 0.5] : [0, 1]));
  return histogramFigure(edges, counts, o, o.xTitle, "synapses", "%{x}: %{y} synapses<extra></extra>");
}
