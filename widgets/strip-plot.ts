/**
 * Strip plot: one marker per record, records grouped by a categorical field on the x axis and
 * placed by a numeric field on the y axis, coloured by a second categorical field, with a
 * deterministic horizontal jitter (so reruns give the same picture) and the record's label on
 * hover. For example Table I of the review: accuracy by learning family, coloured by section.
 *
 * @example
 *   const fig = stripPlot(reviewTableOne.filter((r) => r.dataset === "MNIST"), {
 *     category: "family", value: "accuracy", label: "model", colorBy: "group", yTitle: "accuracy (%)",
 *   });
 */
import { fail } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Trace } from "./figure";
import { axisTitle, baseLayout, figureConfig, paletteColor, text, widgetOptions, type FigureOptions } from "./inputs";

/** Options of `stripPlot`. */
export interface StripPlotOptions extends FigureOptions {
  /** Field holding the category (x axis). Required. */
  readonly category: string;
  /** Field holding the numeric value (y axis). Required. */
  readonly value: string;
  /** Field shown on hover for each marker; "" for none. Default "". */
  readonly label: string;
  /** Field whose values colour the markers (one legend entry each); "" for one colour. Default "". */
  readonly colorBy: string;
  /** Half-width of the horizontal jitter, in category units (0–0.45). Default 0.25. */
  readonly jitter: number;
  /** Marker diameter, px. Default 9. */
  readonly markerSize: number;
  /** y-axis title, shown HTML-escaped. Default: the value field. */
  readonly yTitle: string;
}

/** Defaults of `stripPlot`. */
export const stripPlotDefaults: Readonly<StripPlotOptions> = Object.freeze({
  title: "", height: 450, width: null, category: "", value: "", label: "", colorBy: "", jitter: 0.25, markerSize: 9, yTitle: "",
});

/** A deterministic value in [−1, 1) from an integer (a small integer hash). */
function hashUnit(i: number): number {
  let x = (i + 1) * 0x9e3779b1;
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  return ((x >>> 0) / 4294967296) * 2 - 1;
}

/** Records as markers: category on x (with jitter), value on y, coloured by `colorBy`. */
export function stripPlot<R extends object>(input: readonly R[], options: Partial<StripPlotOptions>): Figure {
  const fn = "stripPlot";
  if (!Array.isArray(input)) fail(fn, "records", "be an array of objects", input);
  const records = input as readonly Readonly<Record<string, unknown>>[];
  const o = widgetOptions(fn, stripPlotDefaults, options);
  for (const key of ["category", "value"] as const) {
    if (text(fn, key, o[key]) === "") fail(fn, key, "name a field of the records", o[key]);
  }
  if (!(o.jitter >= 0 && o.jitter <= 0.45)) fail(fn, "jitter", "be a number in [0, 0.45]", o.jitter);
  const categories: string[] = [];
  const colours: string[] = [];
  records.forEach((r, i) => {
    if (r === null || typeof r !== "object") fail(fn, `records[${i}]`, "be an object", r);
    const v = r[o.value];
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `records[${i}].${o.value}`, "be a finite number", v);
    const c = String(r[o.category]);
    if (!categories.includes(c)) categories.push(c);
    const k = o.colorBy === "" ? "" : String(r[o.colorBy]);
    if (!colours.includes(k)) colours.push(k);
  });
  const data: Trace[] = colours.map((colour, k) => {
    const x: number[] = [];
    const y: number[] = [];
    const hover: string[] = [];
    records.forEach((r, i) => {
      if ((o.colorBy === "" ? "" : String(r[o.colorBy])) !== colour) return;
      x.push(categories.indexOf(String(r[o.category])) + o.jitter * hashUnit(i));
      y.push(r[o.value] as number);
      hover.push(escapeHtml(`${o.label === "" ? "" : `${String(r[o.label])}: `}${String(r[o.value])}`));
    });
    return {
      type: "scatter", mode: "markers", name: escapeHtml(colour === "" ? o.value : colour), x, y, text: hover,
      hoverinfo: "text", marker: { size: o.markerSize, color: paletteColor(k), opacity: 0.85 },
      showlegend: o.colorBy !== "",
    };
  });
  const layout = baseLayout(o);
  layout.xaxis = {
    tickmode: "array", tickvals: categories.map((_, i) => i), ticktext: categories.map((c) => escapeHtml(c)),
    range: [-0.6, categories.length - 0.4], zeroline: false,
  };
  layout.yaxis = { title: axisTitle(o.yTitle === "" ? o.value : o.yTitle), zeroline: false };
  return { data, layout, config: { ...figureConfig } };
}
