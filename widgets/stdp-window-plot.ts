/**
 * The STDP window Δw(Δt) of `stdpWindow` (src/plasticity/stdp-window.ts, the single source of the
 * curve), with optional measured pairs from a simulation and optional experimental points
 * (e.g. Bi & Poo 1998), over shaded LTP (Δt ≥ 0) and LTD (Δt < 0) half-planes.
 *
 * The curve is sampled on `samples` evenly spaced Δt over `deltaTRange`; the two branches are
 * separate segments joined by a gap at Δt = 0, so the jump from B to A is not drawn as a slope and
 * every drawn point is exactly `stdpWindow(Δt, params)`.
 *
 * Named `stdpWindowPlot` (house style C7) so that it does not shadow the library's `stdpWindow`.
 *
 * @example
 *   const p = { aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8 * ms, tauMinus: 33.7 * ms };
 *   const fig = stdpWindowPlot(p, {
 *     experimental: [{ name: "Bi & Poo 1998", deltaT: [-20, 10], deltaW: [-0.004, 0.006] }],
 *   });
 */
import { checkStdpWindowParams, stdpWindow, type StdpWindowParams } from "../src/plasticity/stdp-window";
import { fail, integer } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Shape, Trace } from "./figure";
import {
  axisTitle, baseLayout, figureConfig, interval, numbers, paletteColor, record, text, widgetOptions,
  type FigureOptions,
} from "./inputs";

/** Weight changes measured for pairs with the given Δt = t_post − t_pre. */
export interface StdpPoints {
  /** Legend name, shown HTML-escaped; default "simulated" (measured) or "experiment k". */
  readonly name?: string;
  /** Δt = t_post − t_pre of each pair, ms. */
  readonly deltaT: ArrayLike<number>;
  /** Weight change of each pair, in the units of the y axis. */
  readonly deltaW: ArrayLike<number>;
}

/** Options of `stdpWindowPlot`. */
export interface StdpWindowPlotOptions extends FigureOptions {
  /** Range of Δt = t_post − t_pre, ms. Default [-100, 100]. */
  readonly deltaTRange: readonly [number, number];
  /** Number of evenly spaced Δt samples of the curve over `deltaTRange`. Default 401 (0.5 ms steps). */
  readonly samples: number;
  /** Pairs measured in a simulation, drawn as filled markers; null: none. Default null. */
  readonly measured: StdpPoints | null;
  /** Experimental data sets, drawn as open markers. Default []. */
  readonly experimental: readonly StdpPoints[];
  /** Shade the LTP (Δt ≥ 0) and LTD (Δt < 0) half-planes and label them. Default true. */
  readonly shading: boolean;
  /** Legend name of the closed-form curve. Default "closed form". */
  readonly curveName: string;
  /** Title of the y axis. Default "Δw". */
  readonly yTitle: string;
}

/** Defaults of `stdpWindowPlot`: Δt ∈ [−100, 100] ms in 401 samples, shading on, height 400 px. */
export const stdpWindowPlotDefaults: Readonly<StdpWindowPlotOptions> = Object.freeze({
  title: "", height: 400, width: null, deltaTRange: Object.freeze([-100, 100]) as readonly [number, number], samples: 401,
  measured: null, experimental: Object.freeze([]) as readonly StdpPoints[], shading: true, curveName: "closed form", yTitle: "Δw",
});

function pointsTrace(fn: string, param: string, value: unknown, defaultName: string, marker: Record<string, unknown>): Trace {
  const points = record<StdpPoints>(fn, param, value);
  const name = points.name === undefined ? defaultName : text(fn, `${param}.name`, points.name);
  const x = numbers(fn, `${param}.deltaT`, points.deltaT);
  const y = numbers(fn, `${param}.deltaW`, points.deltaW, x.length);
  return {
    type: "scatter", mode: "markers", name: escapeHtml(name), x, y, marker,
    hovertemplate: `Δt = %{x} ms, Δw = %{y}<extra>${escapeHtml(name)}</extra>`,
  };
}

/** The closed-form STDP window of `params` over Δt (ms), plus optional measured and experimental points. */
export function stdpWindowPlot(params: StdpWindowParams, options?: Partial<StdpWindowPlotOptions>): Figure {
  const fn = "stdpWindowPlot";
  checkStdpWindowParams(fn, params);
  const o = widgetOptions(fn, stdpWindowPlotDefaults, options);
  const range = interval(fn, "deltaTRange", o.deltaTRange);
  if (range === null) fail(fn, "deltaTRange", "be [lo, hi] with finite lo < hi", range);
  const [lo, hi] = range;
  integer(fn, "samples", o.samples, 2);
  if (typeof o.shading !== "boolean") fail(fn, "shading", "be a boolean", o.shading);
  text(fn, "curveName", o.curveName);
  text(fn, "yTitle", o.yTitle);
  if (!Array.isArray(o.experimental)) fail(fn, "experimental", "be an array of {name, deltaT, deltaW}", o.experimental);

  const x: (number | null)[] = [];
  const y: (number | null)[] = [];
  let gap = false;
  for (let k = 0; k < o.samples; k++) {
    // The last sample is hi itself, not lo + (samples − 1)·step with its rounding error.
    const deltaT = k === o.samples - 1 ? hi : lo + (k * (hi - lo)) / (o.samples - 1);
    if (deltaT >= 0 && !gap && x.length > 0) {
      x.push(null);
      y.push(null);
    }
    if (deltaT >= 0) gap = true;
    x.push(deltaT);
    y.push(stdpWindow(deltaT, params));
  }
  const data: Trace[] = [{
    type: "scatter", mode: "lines", name: escapeHtml(o.curveName), x, y, connectgaps: false,
    line: { color: paletteColor(0), width: 2 }, hovertemplate: `Δt = %{x} ms, Δw = %{y}<extra></extra>`,
  }];
  if (o.measured !== null) {
    data.push(pointsTrace(fn, "measured", o.measured, "simulated", { color: paletteColor(1), size: 7, symbol: "circle" }));
  }
  o.experimental.forEach((points, k) => {
    data.push(pointsTrace(fn, `experimental[${k}]`, points, `experiment ${k + 1}`,
      { color: paletteColor(2 + k), size: 8, symbol: "circle-open", line: { width: 1.5 } }));
  });

  const layout = baseLayout(o);
  layout.xaxis = { title: axisTitle("Δt = t_post − t_pre (ms)"), range: [lo, hi], zeroline: true };
  layout.yaxis = { title: axisTitle(o.yTitle), zeroline: true, zerolinecolor: "#444444" };
  layout.showlegend = true;
  if (o.shading) {
    const shapes: Shape[] = [];
    const annotations = [];
    if (hi > 0) {
      shapes.push({ type: "rect", xref: "x", yref: "paper", x0: Math.max(lo, 0), x1: hi, y0: 0, y1: 1, fillcolor: "rgba(214,39,40,0.07)", line: { width: 0 }, layer: "below" });
      annotations.push({ text: "LTP", xref: "x", yref: "paper", x: (Math.max(lo, 0) + hi) / 2, y: 1, yanchor: "top", showarrow: false, font: { color: "#d62728" } });
    }
    if (lo < 0) {
      shapes.push({ type: "rect", xref: "x", yref: "paper", x0: lo, x1: Math.min(hi, 0), y0: 0, y1: 1, fillcolor: "rgba(31,119,180,0.07)", line: { width: 0 }, layer: "below" });
      annotations.push({ text: "LTD", xref: "x", yref: "paper", x: (lo + Math.min(hi, 0)) / 2, y: 0, yanchor: "bottom", showarrow: false, font: { color: "#1f77b4" } });
    }
    layout.shapes = shapes;
    layout.annotations = annotations;
  }
  return { data, layout, config: { ...figureConfig } };
}
