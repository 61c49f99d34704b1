/**
 * Spike raster: one marker per spike at (time, neuron id), drawn with WebGL (`scattergl`) so that
 * rasters of 10⁶ spikes stay interactive.
 *
 * Large trains are thinned deterministically, because every point is stored in the notebook:
 * when more than `maxPoints` spikes fall in the shown window, the spikes (in time order) are cut
 * into consecutive blocks of k = ⌈n / maxPoints⌉ and one spike per block is kept, at an offset
 * within the block given by a fixed integer hash of the block index. This is stratified
 * sampling: the density of the raster is preserved at the scale of a few spikes, the same train
 * always gives the same figure, and unlike "every k-th spike" it does not alias with synchronous
 * activity (where every k-th spike would always pick the same neurons). The figure then says
 * "showing m of n spikes" in an annotation. Each kept point costs about 10–12 bytes of JSON, so
 * the default of 100,000 points keeps a raster near 1 MB.
 *
 * @example
 *   const train = createSpikeTrain([1, 2.5, 4], [0, 2, 1], { size: 3, duration: 5 });
 *   const fig = spikeRaster(train, { title: "input spikes", markerSize: 4 });
 *   fig.data[0].type;   // "scattergl"
 */
import type { SpikeTrain } from "../src/encoders/spike-train";
import { fail, integer, positive } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Trace } from "./figure";
import {
  axisTitle, baseLayout, compactFloat32, figureConfig, interval, paletteColor, spikeTrain, text, thousands, widgetOptions,
  type FigureOptions,
} from "./inputs";
import { resolveGroups, type SpikeGroup } from "./spike-groups";

/** Options of `spikeRaster`. */
export interface SpikeRasterOptions extends FigureOptions {
  /** Marker diameter, px. Default 2. */
  readonly markerSize: number;
  /** Most spikes drawn; larger trains are thinned as described in the file head. Default 100000. */
  readonly maxPoints: number;
  /** Neuron groups, each drawn in its own colour with a legend entry; neurons in no group form "other". Default []. */
  readonly groups: readonly SpikeGroup[];
  /**
   * Unit of the train's spike times, shown in the hover text ("12 ms") and the default axis title;
   * "" for dimensionless times such as simulation steps (hover "t = 12"). Default "ms".
   */
  readonly timeUnit: string;
  /** Title of the time axis; null: "time (<timeUnit>)", or "time" without a unit. Default null. */
  readonly xTitle: string | null;
  /** Shown time window [t0, t1], in the train's time unit (spikes with t0 ≤ t ≤ t1); null: [0, duration]. Default null. */
  readonly timeRange: readonly [number, number] | null;
  /** Shown neurons, the half-open id range [lo, hi); null: all. Default null. */
  readonly neuronRange: readonly [number, number] | null;
}

/** Defaults of `spikeRaster`: height 400 px, 2 px markers, at most 100000 points, times in ms. */
export const spikeRasterDefaults: Readonly<SpikeRasterOptions> = Object.freeze({
  title: "", height: 400, width: null, markerSize: 2, maxPoints: 100_000, groups: Object.freeze([]) as readonly SpikeGroup[],
  timeUnit: "ms", xTitle: null, timeRange: null, neuronRange: null,
});

/** A 32-bit integer hash (lowbias32), for the deterministic choice within each block. */
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A raster of `train`: x = spike time (ms, or `timeUnit`), y = neuron id, one `scattergl` trace per group
 * (a single trace without groups). See the file head for the thinning of large trains.
 */
export function spikeRaster(train: SpikeTrain, options?: Partial<SpikeRasterOptions>): Figure {
  const fn = "spikeRaster";
  spikeTrain(fn, "train", train);
  const o = widgetOptions(fn, spikeRasterDefaults, options);
  positive(fn, "markerSize", o.markerSize);
  integer(fn, "maxPoints", o.maxPoints, 1);
  const unit = text(fn, "timeUnit", o.timeUnit);
  const xTitle = o.xTitle === null ? (unit === "" ? "time" : `time (${unit})`) : text(fn, "xTitle", o.xTitle);
  const hoverTime = unit === "" ? "t = %{x}" : `%{x} ${escapeHtml(unit)}`;
  const [t0, t1] = interval(fn, "timeRange", o.timeRange) ?? [0, train.duration];
  const neuronRange = interval(fn, "neuronRange", o.neuronRange);
  let lo = 0;
  let hi = train.size;
  if (neuronRange !== null) {
    lo = integer(fn, "neuronRange[0]", neuronRange[0], 0);
    hi = integer(fn, "neuronRange[1]", neuronRange[1], lo + 1);
    if (hi > train.size) fail(fn, "neuronRange[1]", `be <= train.size (${train.size})`, hi);
  }
  const groups = resolveGroups(fn, o.groups, train.size);

  const { times, ids } = train;
  const kept = new Int32Array(times.length);
  let n = 0;
  for (let s = 0; s < times.length; s++) {
    const t = times[s]!;
    const id = ids[s]!;
    if (t >= t0 && t <= t1 && id >= lo && id < hi) kept[n++] = s;
  }
  let shown = kept.subarray(0, n);
  let step = 1;
  if (n > o.maxPoints) {
    step = Math.ceil(n / o.maxPoints);
    const blocks = Math.ceil(n / step);
    const sample = new Int32Array(blocks);
    for (let b = 0; b < blocks; b++) {
      const width = Math.min(step, n - b * step);
      sample[b] = kept[b * step + (hash32(b) % width)]!;
    }
    shown = sample;
  }

  const groupCount = groups.names.length;
  const hasOther = groups.sizes.reduce((a, b) => a + b, 0) < train.size;
  const traceCount = groupCount === 0 ? 1 : groupCount + (hasOther ? 1 : 0);
  const xs: number[][] = Array.from({ length: traceCount }, () => []);
  const ys: number[][] = Array.from({ length: traceCount }, () => []);
  for (let j = 0; j < shown.length; j++) {
    const s = shown[j]!;
    const id = ids[s]!;
    const g = groupCount === 0 ? 0 : groups.groupOf[id] === -1 ? groupCount : groups.groupOf[id]!;
    xs[g]!.push(compactFloat32(times[s]!));
    ys[g]!.push(id);
  }

  const data: Trace[] = [];
  for (let g = 0; g < traceCount; g++) {
    const name = groupCount === 0 ? "spikes" : g < groupCount ? escapeHtml(groups.names[g]!) : "other";
    const color = groupCount === 0 ? paletteColor(0) : g < groupCount ? groups.colors[g]! : "#7f7f7f";
    data.push({
      type: "scattergl", mode: "markers", name, x: xs[g]!, y: ys[g]!,
      marker: { size: o.markerSize, color },
      hovertemplate: `${hoverTime}, neuron %{y}<extra>${name}</extra>`,
    });
  }

  const layout = baseLayout(o);
  layout.xaxis = { title: axisTitle(xTitle), range: [t0, t1], zeroline: false };
  layout.yaxis = { title: axisTitle("neuron"), range: [lo - 0.5, hi - 0.5], zeroline: false };
  layout.showlegend = groupCount > 0;
  layout.legend = { itemsizing: "constant" };
  if (step > 1) {
    layout.annotations = [{
      text: `showing ${thousands(shown.length)} of ${thousands(n)} spikes (1 in ${step}, stratified)`,
      xref: "paper", yref: "paper", x: 1, y: 1, xanchor: "right", yanchor: "bottom", showarrow: false, font: { size: 11 },
    }];
  }
  return { data, layout, config: { ...figureConfig } };
}
