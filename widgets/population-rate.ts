/**
 * Population firing rate over time: the spikes of a population (or of each group) counted in
 * bins of `binWidth` ms and divided by the number of neurons and the bin width, so the curve is in
 * Hz per neuron; optionally smoothed with a Gaussian kernel of standard deviation `sigma` ms.
 *
 *   r(bin) = count(bin) / (N · width(bin))            (width in s; the last bin may be shorter)
 *   r̃(b)  = Σⱼ K(t_b − t_j) r(j) / Σⱼ K(t_b − t_j),   K(u) = exp(−u² / 2σ²), |u| ≤ 4σ
 *
 * The smoothing weights are renormalised at the ends of the recording, so a constant rate stays
 * constant. N counts every neuron of the train (or group), silent ones included.
 *
 * @example
 *   const fig = populationRate(train, { binWidth: 5 * ms, sigma: 10 * ms, groups: [
 *     { name: "excitatory", range: [0, 800] }, { name: "inhibitory", range: [800, 1000] },
 *   ] });
 */
import type { SpikeTrain } from "../src/encoders/spike-train";
import { nonNegative, positive } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Trace } from "./figure";
import { axisTitle, baseLayout, figureConfig, paletteColor, spikeTrain, widgetOptions, type FigureOptions } from "./inputs";
import { resolveGroups, type SpikeGroup } from "./spike-groups";

/** Options of `populationRate`. */
export interface PopulationRateOptions extends FigureOptions {
  /** Bin width, ms. Default 5. */
  readonly binWidth: number;
  /** Standard deviation of the Gaussian smoothing kernel, ms; 0: no smoothing. Default 0. */
  readonly sigma: number;
  /** Neuron groups, each with its own line (rate per neuron of the group); []: one line for all neurons. Default []. */
  readonly groups: readonly SpikeGroup[];
}

/** Defaults of `populationRate`: 5 ms bins, no smoothing, height 350 px. */
export const populationRateDefaults: Readonly<PopulationRateOptions> = Object.freeze({
  title: "", height: 350, width: null, binWidth: 5, sigma: 0, groups: Object.freeze([]) as readonly SpikeGroup[],
});

/** Gaussian smoothing of `values` sampled at `centres` (ms) with σ = sigma ms, edge-renormalised. */
function smooth(values: number[], centres: number[], sigma: number): number[] {
  return values.map((_, b) => {
    let sum = 0;
    let norm = 0;
    for (let j = 0; j < values.length; j++) {
      const u = centres[b]! - centres[j]!;
      if (Math.abs(u) > 4 * sigma) continue;
      const k = Math.exp(-(u * u) / (2 * sigma * sigma));
      sum += k * values[j]!;
      norm += k;
    }
    return sum / norm;
  });
}

/** The population rate of `train` (Hz per neuron) over time (ms), in bins, optionally smoothed and split by groups. */
export function populationRate(train: SpikeTrain, options?: Partial<PopulationRateOptions>): Figure {
  const fn = "populationRate";
  spikeTrain(fn, "train", train);
  const o = widgetOptions(fn, populationRateDefaults, options);
  const binWidth = positive(fn, "binWidth", o.binWidth);
  const sigma = nonNegative(fn, "sigma", o.sigma);
  const groups = resolveGroups(fn, o.groups, train.size);
  const lines = groups.names.length === 0 ? 1 : groups.names.length;

  // A whole number of bins to within rounding: 100 ms in 0.1 ms bins is 1000 bins, not 1001.
  const bins = Math.max(1, Math.ceil(train.duration / binWidth - 1e-9));
  const starts = Array.from({ length: bins }, (_, b) => b * binWidth);
  const ends = starts.map((s, b) => (b === bins - 1 ? train.duration : s + binWidth));
  const centres = starts.map((s, b) => (s + ends[b]!) / 2);
  const counts = Array.from({ length: lines }, () => new Array<number>(bins).fill(0));
  for (let s = 0; s < train.times.length; s++) {
    const line = groups.names.length === 0 ? 0 : groups.groupOf[train.ids[s]!]!;
    if (line < 0) continue;
    counts[line]![Math.min(bins - 1, Math.floor(train.times[s]! / binWidth))]++;
  }

  const data: Trace[] = counts.map((c, g) => {
    const neurons = groups.names.length === 0 ? train.size : groups.sizes[g]!;
    const rates = c.map((count, b) => (neurons === 0 ? 0 : count / (neurons * ((ends[b]! - starts[b]!) / 1000))));
    const y = sigma > 0 ? smooth(rates, centres, sigma) : rates;
    const name = groups.names.length === 0 ? "all neurons" : escapeHtml(groups.names[g]!);
    const color = groups.names.length === 0 ? paletteColor(0) : groups.colors[g]!;
    return {
      type: "scatter", mode: "lines", name, x: centres, y, line: { color, width: 1.5 },
      hovertemplate: `%{x} ms: %{y} Hz<extra>${name}</extra>`,
    };
  });

  const layout = baseLayout(o);
  layout.xaxis = { title: axisTitle("time (ms)"), range: [0, train.duration] };
  layout.yaxis = { title: axisTitle("rate (Hz per neuron)"), rangemode: "tozero" };
  layout.showlegend = groups.names.length > 0;
  return { data, layout, config: { ...figureConfig } };
}
