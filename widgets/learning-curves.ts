/**
 * Learning curves: one line per named series (accuracy or loss against samples, steps or epochs),
 * with optional horizontal reference lines, e.g. the accuracy a paper reports. Reference lines are
 * drawn as dashed lines named in the legend, not labelled on the plot, so that their labels never
 * overprint each other however close their values are.
 *
 * @example
 *   const fig = learningCurves(
 *     [{ name: "ours", x: [1, 2, 3], y: [0.80, 0.88, 0.91] }],
 *     { yTitle: "test accuracy", references: [{ value: 0.95, label: "Diehl & Cook 2015" }] },
 *   );
 */
import { fail, finite } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Trace } from "./figure";
import {
  axisTitle, baseLayout, figureConfig, interval, numbers, paletteColor, record, text, widgetOptions, type FigureOptions,
} from "./inputs";

/** One named curve. */
export interface LearningSeries {
  /** Legend name, shown HTML-escaped. */
  readonly name: string;
  /** Abscissae (samples, steps or epochs). */
  readonly x: ArrayLike<number>;
  /** Values (accuracy, loss, …), one per x. */
  readonly y: ArrayLike<number>;
  /** CSS colour; default: the palette colour of the series' position. */
  readonly color?: string;
}

/** A horizontal (or, in `xReferences`, vertical) reference line with a label. */
export interface ReferenceLine {
  /** Position of the line, in y-axis (x-axis) units. */
  readonly value: number;
  /** Its name in the legend, shown HTML-escaped. */
  readonly label: string;
}

/** Options of `learningCurves`. */
export interface LearningCurvesOptions extends FigureOptions {
  /** Title of the x axis. Default "epoch". */
  readonly xTitle: string;
  /** Title of the y axis. Default "accuracy". */
  readonly yTitle: string;
  /** Horizontal reference lines (grey, dashed, named in the legend), across the series' x extent. Default []. */
  readonly references: readonly ReferenceLine[];
  /** Range of the y axis; null: automatic. Default null. */
  readonly yRange: readonly [number, number] | null;
  /** Draw a marker at every point as well as the line. Default true. */
  readonly markers: boolean;
  /** Scale of the x axis. Default "linear". */
  readonly xType: "linear" | "log";
  /** Scale of the y axis (a log scale for errors and spectra). Default "linear". */
  readonly yType: "linear" | "log";
  /** Vertical reference lines at x values (grey, dashed, named in the legend), e.g. an ANN's operation count. Default []. */
  readonly xReferences: readonly ReferenceLine[];
}

/** Defaults of `learningCurves`: "accuracy" against "epoch", markers on, height 400 px. */
export const learningCurvesDefaults: Readonly<LearningCurvesOptions> = Object.freeze({
  title: "", height: 400, width: null, xTitle: "epoch", yTitle: "accuracy",
  references: Object.freeze([]) as readonly ReferenceLine[], yRange: null, markers: true,
  xType: "linear", yType: "linear", xReferences: Object.freeze([]) as readonly ReferenceLine[],
});

/** Lines of y against x for every series, plus labelled horizontal (and vertical) reference lines. */
export function learningCurves(series: readonly LearningSeries[], options?: Partial<LearningCurvesOptions>): Figure {
  const fn = "learningCurves";
  if (!Array.isArray(series)) fail(fn, "series", "be an array of {name, x, y}", series);
  const o = widgetOptions(fn, learningCurvesDefaults, options);
  text(fn, "xTitle", o.xTitle);
  text(fn, "yTitle", o.yTitle);
  const yRange = interval(fn, "yRange", o.yRange);
  if (typeof o.markers !== "boolean") fail(fn, "markers", "be a boolean", o.markers);
  if (!Array.isArray(o.references)) fail(fn, "references", "be an array of {value, label}", o.references);
  if (!Array.isArray(o.xReferences)) fail(fn, "xReferences", "be an array of {value, label}", o.xReferences);
  if (o.xType !== "linear" && o.xType !== "log") fail(fn, "xType", 'be "linear" or "log"', o.xType);
  if (o.yType !== "linear" && o.yType !== "log") fail(fn, "yType", 'be "linear" or "log"', o.yType);
  if (o.yType === "log" && yRange !== null && !(yRange[0] > 0)) fail(fn, "yRange", "be > 0 on a log axis", yRange);

  const data: Trace[] = series.map((s, k) => {
    record<LearningSeries>(fn, `series[${k}]`, s);
    const name = escapeHtml(text(fn, `series[${k}].name`, s.name));
    const x = numbers(fn, `series[${k}].x`, s.x);
    const y = numbers(fn, `series[${k}].y`, s.y, x.length);
    const color = s.color === undefined ? paletteColor(k) : text(fn, `series[${k}].color`, s.color);
    return {
      type: "scatter", mode: o.markers ? "lines+markers" : "lines", name, x, y,
      line: { color, width: 2 }, marker: { color, size: 6 },
    };
  });
  // The extent the reference lines span: the series' (and the other references'), or [0, 1].
  const extent = (values: number[]): [number, number] => {
    const finiteValues = values.filter((v) => Number.isFinite(v));
    return finiteValues.length === 0 ? [0, 1] : [Math.min(...finiteValues), Math.max(...finiteValues)];
  };
  const xs = data.flatMap((d) => d.x as number[]);
  const ys = data.flatMap((d) => d.y as number[]);
  const dashes = ["dot", "dash", "dashdot", "longdash"] as const;
  const greys = ["#555555", "#7f7f7f", "#999999", "#444444"] as const;
  const referenceTrace = (name: string, x: number[], y: number[], k: number): Trace => ({
    type: "scatter", mode: "lines", name, x, y, line: { color: greys[k % greys.length]!, width: 1.5, dash: dashes[k % dashes.length]! },
    hovertemplate: `%{${x[0] === x[1] ? "x" : "y"}}<extra>${name}</extra>`,
  });
  const horizontal = o.references.map((r, k) => {
    record<ReferenceLine>(fn, `references[${k}]`, r);
    finite(fn, `references[${k}].value`, r.value);
    if (o.yType === "log" && !(r.value > 0)) fail(fn, `references[${k}].value`, "be > 0 on a log axis", r.value);
    return { value: r.value, label: escapeHtml(text(fn, `references[${k}].label`, r.label)) };
  });
  const vertical = o.xReferences.map((r, k) => {
    record<ReferenceLine>(fn, `xReferences[${k}]`, r);
    finite(fn, `xReferences[${k}].value`, r.value);
    if (o.xType === "log" && !(r.value > 0)) fail(fn, `xReferences[${k}].value`, "be > 0 on a log axis", r.value);
    return { value: r.value, label: escapeHtml(text(fn, `xReferences[${k}].label`, r.label)) };
  });
  const [x0, x1] = extent([...xs, ...vertical.map((r) => r.value)]);
  const [y0, y1] = yRange ?? extent([...ys, ...horizontal.map((r) => r.value)]);
  horizontal.forEach((r, k) => data.push(referenceTrace(r.label, [x0, x1], [r.value, r.value], k)));
  vertical.forEach((r, k) => data.push(referenceTrace(r.label, [r.value, r.value], [y0, y1], horizontal.length + k)));

  const layout = baseLayout(o);
  layout.xaxis = o.xType === "log" ? { title: axisTitle(o.xTitle), type: "log" } : { title: axisTitle(o.xTitle) };
  const yAxis: Record<string, unknown> = { title: axisTitle(o.yTitle) };
  if (o.yType === "log") yAxis.type = "log";
  // Plotly takes a log axis's range in log10 units.
  if (yRange !== null) yAxis.range = o.yType === "log" ? [Math.log10(yRange[0]), Math.log10(yRange[1])] : [yRange[0], yRange[1]];
  layout.yaxis = yAxis;
  layout.showlegend = true;
  return { data, layout, config: { ...figureConfig } };
}
