/**
 * Binning shared by `rateHistogram` and `weightHistogram` (internal). The counts are computed here
 * rather than by Plotly's `histogram` trace so that the figure stores `bins` numbers instead of
 * every value, and so that the bins are pinned by the golden tests.
 */
import { fail, integer, positive } from "../src/core/validate";
import type { Figure } from "./figure";
import { axisTitle, baseLayout, figureConfig, interval, text, type FigureOptions } from "./inputs";

/** Options of the histogram widgets. */
export interface HistogramOptions extends FigureOptions {
  /** Number of equal bins over the range (ignored when `binWidth` is given). */
  readonly bins: number;
  /** Bin width, in the units of the values; null: from `bins`. */
  readonly binWidth: number | null;
  /** Range [lo, hi] binned, in the units of the values; values outside it are not counted; null: automatic. */
  readonly range: readonly [number, number] | null;
  /** CSS colour of the bars. */
  readonly color: string;
}

/** Bin edges (bins + 1, increasing) and counts; the last bin is closed, [lo, hi]. */
export function binCounts(
  fn: string, values: ArrayLike<number>, o: HistogramOptions, automatic: (lo: number, hi: number) => [number, number],
): { edges: number[]; counts: number[] } {
  integer(fn, "bins", o.bins, 1);
  if (o.binWidth !== null) positive(fn, "binWidth", o.binWidth);
  text(fn, "color", o.color);
  let range = interval(fn, "range", o.range);
  if (range === null) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    range = automatic(lo, hi);
  }
  const [lo, hi] = range;
  const bins = o.binWidth === null ? o.bins : Math.max(1, Math.ceil((hi - lo) / o.binWidth - 1e-9));
  const width = o.binWidth ?? (hi - lo) / bins;
  if (bins > 1e6) fail(fn, "binWidth", `give at most 1e6 bins over [${lo}, ${hi}]`, o.binWidth);
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * width);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= lo && v <= edges[bins]!)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { edges, counts };
}

/** A bar chart of `counts` over the bins between `edges`. */
export function histogramFigure(
  edges: number[], counts: number[], o: HistogramOptions, xTitle: string, yTitle: string, hover: string,
): Figure {
  const x = counts.map((_, k) => (edges[k]! + edges[k + 1]!) / 2);
  const widths = counts.map((_, k) => edges[k + 1]! - edges[k]!);
  const layout = baseLayout(o);
  layout.xaxis = { title: axisTitle(xTitle), range: [edges[0]!, edges[edges.length - 1]!] };
  layout.yaxis = { title: axisTitle(yTitle), rangemode: "tozero" };
  layout.bargap = 0;
  layout.showlegend = false;
  return {
    data: [{
      type: "bar", x, y: counts, width: widths, marker: { color: o.color, line: { color: "#ffffff", width: 0.5 } },
      hovertemplate: hover,
    }],
    layout,
    config: { ...figureConfig },
  };
}
