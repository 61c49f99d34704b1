/**
 * Histogram of per-neuron firing rates, Hz. From a `SpikeTrain` the rate of neuron i is its spike
 * count divided by the duration (silent neurons count, at 0 Hz); rates can also be given directly.
 * The mean rate is written in an annotation.
 *
 * @example
 *   const train = createSpikeTrain([1, 2, 3, 4], [0, 0, 0, 1], { size: 3, duration: 100 });
 *   const fig = rateHistogram(train, { binWidth: 10 });   // rates 30, 10, 0 Hz
 */
import type { SpikeTrain } from "../src/encoders/spike-train";
import { spikeCounts } from "../src/encoders/spike-train";
import type { Figure } from "./figure";
import { binCounts, histogramFigure, type HistogramOptions } from "./histogram";
import { isNumericArray, numbers, spikeTrain, widgetOptions } from "./inputs";

/** Options of `rateHistogram`; `binWidth` and `range` are in Hz. */
export type RateHistogramOptions = HistogramOptions;

/** Defaults of `rateHistogram`: 20 bins over [0, max rate], height 350 px. */
export const rateHistogramDefaults: Readonly<RateHistogramOptions> = Object.freeze({
  title: "", height: 350, width: null, bins: 20, binWidth: null, range: null, color: "#1f77b4",
});

/** Per-neuron rates of `train`, Hz (count / duration). */
function ratesOf(train: SpikeTrain): number[] {
  const seconds = train.duration / 1000;
  return Array.from(spikeCounts(train), (c) => c / seconds);
}

/** A histogram of the firing rates (Hz) of the neurons of `input`, a SpikeTrain or per-neuron rates in Hz. */
export function rateHistogram(input: SpikeTrain | ArrayLike<number>, options?: Partial<RateHistogramOptions>): Figure {
  const fn = "rateHistogram";
  const rates = isNumericArray(input) ? numbers(fn, "rates", input) : ratesOf(spikeTrain(fn, "train", input));
  const o = widgetOptions(fn, rateHistogramDefaults, options);
  const { edges, counts } = binCounts(fn, rates, o, (lo, hi) => [Math.min(0, lo), hi > Math.min(0, lo) ? hi : Math.min(0, lo) + 1]);
  const fig = histogramFigure(edges, counts, o, "firing rate (Hz)", "neurons", "%{x} Hz: %{y} neurons<extra></extra>");
  const mean = rates.length === 0 ? NaN : rates.reduce((a, b) => a + b, 0) / rates.length;
  fig.layout.annotations = [{
    text: rates.length === 0 ? "no neurons" : `mean ${mean.toFixed(2)} Hz (${rates.length} neurons)`,
    xref: "paper", yref: "paper", x: 1, y: 1, xanchor: "right", yanchor: "top", showarrow: false, font: { size: 11 },
  }];
  return fig;
}
