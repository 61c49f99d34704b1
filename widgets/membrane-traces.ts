/**
 * Membrane (or any recorded state) traces: one line per recorded neuron over time, with an
 * optional threshold line and optional spike markers from a `SpikeTrain`.
 *
 * Long traces are min/max decimated to at most `maxPoints` points per line (each of
 * ⌊maxPoints/2⌋ consecutive bins keeps its smallest and largest sample), which keeps every peak
 * and reset visible. Non-finite values are drawn as gaps.
 *
 * @example
 *   const trace: StateTrace = {
 *     variable: "v", unit: "mV", times: new Float32Array([0, 1, 2]), ids: new Int32Array([0, 1]),
 *     values: new Float32Array([-65, -65, -60, -64, -55, -63]),
 *   };
 *   const fig = membraneTraces(trace, { threshold: -50 });
 *   fig.data.length;   // 3: neuron 0, neuron 1 and the threshold
 */
import type { SpikeTrain } from "../src/encoders/spike-train";
import type { StateTrace } from "../src/network/records";
import { fail, finite, integer } from "../src/core/validate";
import { escapeHtml } from "./escape";
import { minMaxDecimate } from "./decimate";
import type { Figure, Trace } from "./figure";
import {
  axisTitle, baseLayout, compactFloat32, figureConfig, isNumericArray, paletteColor, record, spikeTrain, text,
  widgetOptions, type FigureOptions,
} from "./inputs";

/** Options of `membraneTraces`. Values such as `threshold` are in the trace's unit (e.g. mV). */
export interface MembraneTracesOptions extends FigureOptions {
  /** Recorded neurons to draw, by population id (must be in `trace.ids`); null: all. Default null. */
  readonly ids: readonly number[] | null;
  /** Most points per line; longer traces are min/max decimated. Default 2000. */
  readonly maxPoints: number;
  /** Threshold drawn as a dashed horizontal line, trace unit; null: none. Default null. */
  readonly threshold: number | null;
  /** Spikes to mark (ids are population ids, as in `trace.ids`); null: none. Default null. */
  readonly spikes: SpikeTrain | null;
  /** Height of the spike markers, trace unit; null: the largest drawn value (or the threshold, if larger). Default null. */
  readonly spikeValue: number | null;
  /** Vertical offset between successive lines, trace unit (0 overlays them). Default 0. */
  readonly offset: number;
  /** Legend names of the drawn lines, one per line in drawing order, shown HTML-escaped; null: "neuron <id>". Default null. */
  readonly names: readonly string[] | null;
}

/** Defaults of `membraneTraces`: height 350 px, 2000 points per line, no threshold, no spikes. */
export const membraneTracesDefaults: Readonly<MembraneTracesOptions> = Object.freeze({
  title: "", height: 350, width: null, ids: null, maxPoints: 2000, threshold: null, spikes: null, spikeValue: null, offset: 0,
  names: null,
});

/** Lines of `trace` over time (ms), one per recorded neuron, y in `trace.unit`. */
export function membraneTraces(trace: StateTrace, options?: Partial<MembraneTracesOptions>): Figure {
  const fn = "membraneTraces";
  record<StateTrace>(fn, "trace", trace);
  text(fn, "trace.variable", trace.variable);
  text(fn, "trace.unit", trace.unit);
  if (!isNumericArray(trace.times)) fail(fn, "trace.times", "be an array of times (ms)", trace.times);
  if (!isNumericArray(trace.ids)) fail(fn, "trace.ids", "be an array of neuron ids", trace.ids);
  if (!isNumericArray(trace.values)) fail(fn, "trace.values", "be an array of values", trace.values);
  const steps = trace.times.length;
  const width = trace.ids.length;
  if (trace.values.length !== steps * width) {
    fail(fn, "trace.values.length", `equal times.length × ids.length (${steps * width})`, trace.values.length);
  }
  const o = widgetOptions(fn, membraneTracesDefaults, options);
  integer(fn, "maxPoints", o.maxPoints, 2);
  if (o.threshold !== null) finite(fn, "threshold", o.threshold);
  if (o.spikeValue !== null) finite(fn, "spikeValue", o.spikeValue);
  finite(fn, "offset", o.offset);
  const spikes = o.spikes === null ? null : spikeTrain(fn, "spikes", o.spikes);

  let columns: number[];
  if (o.ids === null) {
    columns = Array.from({ length: width }, (_, j) => j);
  } else {
    if (!Array.isArray(o.ids)) fail(fn, "ids", "be null or an array of recorded neuron ids", o.ids);
    columns = o.ids.map((id, k) => {
      const j = Array.prototype.indexOf.call(trace.ids, id);
      if (j < 0) fail(fn, `ids[${k}]`, "be one of trace.ids", id);
      return j;
    });
  }

  if (o.names !== null) {
    if (!Array.isArray(o.names) || o.names.length !== columns.length) fail(fn, "names", `be null or an array of ${columns.length} names (one per drawn line)`, o.names);
    o.names.forEach((n, k) => text(fn, `names[${k}]`, n));
  }
  const nameOf = (k: number, id: number) => (o.names === null ? `neuron ${id}` : escapeHtml(o.names[k]!));

  const data: Trace[] = [];
  const column = new Float32Array(steps);
  let top = -Infinity;
  columns.forEach((j, k) => {
    for (let t = 0; t < steps; t++) column[t] = trace.values[t * width + j]!;
    const shift = k * o.offset;
    const x: number[] = [];
    const y: (number | null)[] = [];
    for (const t of minMaxDecimate(column, o.maxPoints)) {
      const v = column[t]!;
      x.push(compactFloat32(trace.times[t]!));
      if (!Number.isFinite(v)) {
        y.push(null);
        continue;
      }
      const drawn = compactFloat32(v) + shift;
      y.push(drawn);
      if (drawn > top) top = drawn;
    }
    const id = trace.ids[j]!;
    data.push({
      type: "scatter", mode: "lines", name: nameOf(k, id), x, y, legendgroup: `neuron ${id}`,
      line: { color: paletteColor(k), width: 1.5 },
    });
  });
  const t0 = steps > 0 ? compactFloat32(trace.times[0]!) : 0;
  const t1 = steps > 0 ? compactFloat32(trace.times[steps - 1]!) : 0;
  if (o.threshold !== null) {
    data.push({
      type: "scatter", mode: "lines", name: "threshold", x: [t0, t1], y: [o.threshold, o.threshold],
      line: { color: "#444444", width: 1, dash: "dash" }, hoverinfo: "skip",
    });
    top = Math.max(top, o.threshold);
  }
  if (spikes !== null) {
    const peak = o.spikeValue ?? (Number.isFinite(top) ? top : 0);
    columns.forEach((j, k) => {
      const id = trace.ids[j]!;
      const x: number[] = [];
      for (let s = 0; s < spikes.ids.length; s++) {
        const t = spikes.times[s]!;
        if (spikes.ids[s] === id && t >= t0 && t <= t1) x.push(compactFloat32(t));
      }
      data.push({
        type: "scatter", mode: "markers", name: `spikes of ${nameOf(k, id)}`, x, y: x.map(() => peak + k * o.offset),
        legendgroup: `neuron ${id}`, showlegend: false, marker: { color: paletteColor(k), size: 7, symbol: "triangle-down" },
        hovertemplate: `spike at %{x} ms<extra>${nameOf(k, id)}</extra>`,
      });
    });
  }

  const layout = baseLayout(o);
  const unit = trace.unit === "" ? "" : ` (${trace.unit})`;
  layout.xaxis = { title: axisTitle("time (ms)"), zeroline: false };
  layout.yaxis = { title: axisTitle(`${trace.variable}${unit}`), zeroline: false };
  layout.showlegend = true;
  return { data, layout, config: { ...figureConfig } };
}
