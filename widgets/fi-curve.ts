/**
 * f–I curve: the firing rate (Hz) of a neuron against the injected constant current (nA, or the unit given),
 * simulated points as markers, optionally with the closed-form curve as a line, either given as
 * points or as a function of the current sampled evenly over `currentRange`.
 *
 * @example
 *   const p = lifParams();
 *   const fig = fiCurve(
 *     { current: [1, 2, 3], rate: [0, 33.1, 62.4] },
 *     { closedForm: (i) => toHz(lifRateClosedForm(i, p)), currentRange: [0, 3] },
 *   );
 */
import { fail, finite, integer } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Trace } from "./figure";
import {
  axisTitle, baseLayout, figureConfig, interval, numbers, paletteColor, record, text, widgetOptions, type FigureOptions,
} from "./inputs";

/** Rates (Hz) at given currents (nA). */
export interface FiPoints {
  /** Injected current, nA. */
  readonly current: ArrayLike<number>;
  /** Firing rate at each current, Hz. */
  readonly rate: ArrayLike<number>;
}

/** Options of `fiCurve`. */
export interface FiCurveOptions extends FigureOptions {
  /** The closed-form curve: points, or a function from current (nA) to rate (Hz); null: none. Default null. */
  readonly closedForm: FiPoints | ((current: number) => number) | null;
  /** Current range over which a closed-form function is sampled, nA; null: the range of the simulated currents. Default null. */
  readonly currentRange: readonly [number, number] | null;
  /** Number of evenly spaced samples of a closed-form function. Default 200. */
  readonly samples: number;
  /** Legend name of the simulated points, shown HTML-escaped. Default "simulated". */
  readonly name: string;
  /** Legend name of the closed-form curve, shown HTML-escaped. Default "closed form". */
  readonly closedFormName: string;
  /**
   * Unit of the current, for the axis and hover text (the numbers are drawn as given). Default
   * "nA"; a Hodgkin–Huxley sweep is in "µA/cm²" (current density).
   */
  readonly currentUnit: string;
}

/** Defaults of `fiCurve`: no closed form, 200 samples, height 400 px. */
export const fiCurveDefaults: Readonly<FiCurveOptions> = Object.freeze({
  title: "", height: 400, width: null, closedForm: null, currentRange: null, samples: 200,
  name: "simulated", closedFormName: "closed form", currentUnit: "nA",
});

/** Simulated rates (Hz) against current (nA) as markers, with an optional closed-form line. */
export function fiCurve(points: FiPoints, options?: Partial<FiCurveOptions>): Figure {
  const fn = "fiCurve";
  record<FiPoints>(fn, "points", points);
  const current = numbers(fn, "points.current", points.current);
  const rate = numbers(fn, "points.rate", points.rate, current.length);
  const o = widgetOptions(fn, fiCurveDefaults, options);
  const range = interval(fn, "currentRange", o.currentRange);
  integer(fn, "samples", o.samples, 2);
  const name = escapeHtml(text(fn, "name", o.name));
  const closedFormName = escapeHtml(text(fn, "closedFormName", o.closedFormName));
  const rawUnit = text(fn, "currentUnit", o.currentUnit);
  const unit = escapeHtml(rawUnit);

  const data: Trace[] = [];
  if (o.closedForm !== null) {
    let x: number[];
    let y: number[];
    if (typeof o.closedForm === "function") {
      const f = o.closedForm;
      const lo = range?.[0] ?? current.reduce((a, b) => Math.min(a, b), Infinity);
      const hi = range?.[1] ?? current.reduce((a, b) => Math.max(a, b), -Infinity);
      if (!(lo < hi)) fail(fn, "currentRange", "be given when the simulated currents do not span a range", range);
      x = Array.from({ length: o.samples }, (_, k) => (k === o.samples - 1 ? hi : lo + (k * (hi - lo)) / (o.samples - 1)));
      y = x.map((i) => finite(fn, `closedForm(${i})`, f(i)));
    } else {
      const curve = record<FiPoints>(fn, "closedForm", o.closedForm);
      x = numbers(fn, "closedForm.current", curve.current);
      y = numbers(fn, "closedForm.rate", curve.rate, x.length);
    }
    data.push({
      type: "scatter", mode: "lines", name: closedFormName, x, y, line: { color: paletteColor(0), width: 2 },
      hovertemplate: `%{x} ${unit}: %{y} Hz<extra>${closedFormName}</extra>`,
    });
  }
  data.push({
    type: "scatter", mode: "markers", name, x: current, y: rate, marker: { color: paletteColor(1), size: 8 },
    hovertemplate: `%{x} ${unit}: %{y} Hz<extra>${name}</extra>`,
  });

  const layout = baseLayout(o);
  layout.xaxis = range === null ? { title: axisTitle(`current (${rawUnit})`) } : { title: axisTitle(`current (${rawUnit})`), range: [range[0], range[1]] };
  layout.yaxis = { title: axisTitle("rate (Hz)"), rangemode: "tozero" };
  layout.showlegend = true;
  return { data, layout, config: { ...figureConfig } };
}
