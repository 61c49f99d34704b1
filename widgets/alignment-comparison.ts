/**
 * Feedback alignment versus backprop: the training metric (loss or accuracy) of each method over
 * training steps, and below it the angle between each method's weight update and the backprop
 * gradient (degrees), with a dashed reference at 90° (orthogonal, i.e. no alignment).
 *
 * Reads the table that `src/training` writes, `{step, method, loss, accuracy, angle}`, as an array
 * of rows (what arquero's `table.objects()` returns) or as columns (`{step: [...], method: [...],
 * ...}`, what `table.columnNames()`/`array()` give). Missing values (undefined, null or NaN) are
 * skipped, so backprop rows without an angle are fine; without any angle the figure has one panel.
 * Rows need not be sorted: each method's points are drawn in order of step.
 *
 * @example
 *   const rows = [
 *     { step: 0, method: "backprop", loss: 2.3 }, { step: 0, method: "FA", loss: 2.3, angle: 89 },
 *     { step: 100, method: "backprop", loss: 0.4 }, { step: 100, method: "FA", loss: 0.6, angle: 42 },
 *   ];
 *   const fig = alignmentComparison(rows, { metric: "loss" });
 */
import { fail, oneOf } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Trace } from "./figure";
import { axisTitle, baseLayout, figureConfig, isNumericArray, paletteColor, text, widgetOptions, type FigureOptions } from "./inputs";

/** One row of the comparison table. */
export interface AlignmentRow {
  /** Training step (or epoch, or sample count). */
  readonly step: number;
  /** Method name, e.g. "backprop", "FA", "DFA" (shown HTML-escaped). */
  readonly method: string;
  /** Training loss; missing if undefined, null or NaN. */
  readonly loss?: number | null;
  /** Accuracy, a fraction in [0, 1] or a percentage; missing if undefined, null or NaN. */
  readonly accuracy?: number | null;
  /** Angle between the method's update and the backprop gradient, degrees; missing if undefined, null or NaN. */
  readonly angle?: number | null;
}

/** The same table as columns of equal length. */
export interface AlignmentColumns {
  readonly step: ArrayLike<number>;
  readonly method: ArrayLike<string>;
  readonly loss?: ArrayLike<number | null>;
  readonly accuracy?: ArrayLike<number | null>;
  readonly angle?: ArrayLike<number | null>;
}

/** The metric of the upper panel. */
export type AlignmentMetric = "loss" | "accuracy";

/** Options of `alignmentComparison`. */
export interface AlignmentComparisonOptions extends FigureOptions {
  /** Column drawn in the upper panel. Default "loss". */
  readonly metric: AlignmentMetric;
  /** Order (and selection) of the methods; null: order of first appearance. Default null. */
  readonly methods: readonly string[] | null;
  /** Title of the shared x axis. Default "step". */
  readonly xTitle: string;
}

/** Defaults of `alignmentComparison`: loss over "step", height 550 px. */
export const alignmentComparisonDefaults: Readonly<AlignmentComparisonOptions> = Object.freeze({
  title: "", height: 550, width: null, metric: "loss", methods: null, xTitle: "step",
});

const METRICS: readonly AlignmentMetric[] = Object.freeze(["loss", "accuracy"] as const);

/** The table as plain columns, validated; missing values become null. */
function columnsOf(fn: string, table: unknown): { step: number[]; method: string[]; loss: (number | null)[]; accuracy: (number | null)[]; angle: (number | null)[] } {
  const value = (param: string, v: unknown): number | null => {
    if (v === undefined || v === null || (typeof v === "number" && Number.isNaN(v))) return null;
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, param, "be a finite number, null or undefined", v);
    return v;
  };
  const step = (param: string, v: unknown): number => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, param, "be a finite number", v);
    return v;
  };
  if (Array.isArray(table)) {
    const out = { step: [] as number[], method: [] as string[], loss: [] as (number | null)[], accuracy: [] as (number | null)[], angle: [] as (number | null)[] };
    table.forEach((row: unknown, i: number) => {
      if (row === null || typeof row !== "object") fail(fn, `rows[${i}]`, "be an object {step, method, ...}", row);
      const r = row as Record<string, unknown>;
      out.step.push(step(`rows[${i}].step`, r.step));
      out.method.push(text(fn, `rows[${i}].method`, r.method));
      out.loss.push(value(`rows[${i}].loss`, r.loss));
      out.accuracy.push(value(`rows[${i}].accuracy`, r.accuracy));
      out.angle.push(value(`rows[${i}].angle`, r.angle));
    });
    return out;
  }
  if (table === null || typeof table !== "object") fail(fn, "rows", "be an array of rows or an object of columns", table);
  const c = table as Record<string, unknown>;
  const column = (name: string, required: boolean): ArrayLike<unknown> | undefined => {
    const col = c[name];
    if (col === undefined && !required) return undefined;
    if (!Array.isArray(col) && !isNumericArray(col)) fail(fn, `rows.${name}`, "be an array", col);
    return col as ArrayLike<unknown>;
  };
  const steps = column("step", true)!;
  const n = steps.length;
  const methods = column("method", true)!;
  if (methods.length !== n) fail(fn, "rows.method.length", `equal rows.step.length (${n})`, methods.length);
  const optional = (name: string): (number | null)[] => {
    const col = column(name, false);
    if (col === undefined) return new Array<number | null>(n).fill(null);
    if (col.length !== n) fail(fn, `rows.${name}.length`, `equal rows.step.length (${n})`, col.length);
    return Array.from({ length: n }, (_, i) => value(`rows.${name}[${i}]`, col[i]));
  };
  return {
    step: Array.from({ length: n }, (_, i) => step(`rows.step[${i}]`, steps[i])),
    method: Array.from({ length: n }, (_, i) => text(fn, `rows.method[${i}]`, methods[i])),
    loss: optional("loss"), accuracy: optional("accuracy"), angle: optional("angle"),
  };
}

/**
 * Two stacked panels sharing the step axis: `metric` per method (top) and the angle to backprop in
 * degrees per method (bottom, with a 90° reference line).
 */
export function alignmentComparison(rows: readonly AlignmentRow[] | AlignmentColumns, options?: Partial<AlignmentComparisonOptions>): Figure {
  const fn = "alignmentComparison";
  const table = columnsOf(fn, rows);
  const o = widgetOptions(fn, alignmentComparisonDefaults, options);
  oneOf(fn, "metric", o.metric, METRICS);
  text(fn, "xTitle", o.xTitle);
  let methods: string[];
  if (o.methods === null) {
    methods = [...new Set(table.method)];
  } else {
    if (!Array.isArray(o.methods)) fail(fn, "methods", "be null or an array of method names", o.methods);
    methods = o.methods.map((m, k) => text(fn, `methods[${k}]`, m));
  }

  /** One method's (step, value) points of `column`, sorted by step (ties keep table order). */
  const series = (method: string, column: (number | null)[]): { x: number[]; y: number[] } => {
    const rowsOf: number[] = [];
    for (let i = 0; i < table.step.length; i++) if (table.method[i] === method && column[i] !== null) rowsOf.push(i);
    rowsOf.sort((a, b) => table.step[a]! - table.step[b]! || a - b);
    return { x: rowsOf.map((i) => table.step[i]!), y: rowsOf.map((i) => column[i]!) };
  };
  const hasAngle = table.angle.some((a) => a !== null);
  const data: Trace[] = [];
  methods.forEach((method, k) => {
    const name = escapeHtml(method);
    const color = paletteColor(k);
    data.push({
      type: "scatter", mode: "lines", name, legendgroup: name, ...series(method, table[o.metric]),
      xaxis: "x", yaxis: "y", line: { color, width: 2 },
    });
    if (hasAngle) {
      const angles = series(method, table.angle);
      if (angles.x.length > 0) {
        data.push({
          type: "scatter", mode: "lines", name, legendgroup: name, showlegend: false, ...angles,
          xaxis: "x2", yaxis: "y2", line: { color, width: 2 }, hovertemplate: `%{y}°<extra>${name}</extra>`,
        });
      }
    }
  });

  const layout = baseLayout(o);
  layout.showlegend = true;
  if (hasAngle) {
    layout.xaxis = { anchor: "y", matches: "x2", showticklabels: false, domain: [0, 1] };
    layout.yaxis = { title: axisTitle(o.metric), domain: [0.56, 1] };
    layout.xaxis2 = { anchor: "y2", title: axisTitle(o.xTitle), domain: [0, 1] };
    layout.yaxis2 = { title: axisTitle("angle to backprop (°)"), domain: [0, 0.44], rangemode: "tozero" };
    layout.shapes = [{
      type: "line", xref: "x2 domain", yref: "y2", x0: 0, x1: 1, y0: 90, y1: 90, line: { color: "#444444", width: 1, dash: "dash" },
    }];
    layout.annotations = [{
      text: "90° (orthogonal)", xref: "x2 domain", yref: "y2", x: 1, y: 90, xanchor: "right", yanchor: "bottom", showarrow: false, font: { size: 11 },
    }];
  } else {
    layout.xaxis = { title: axisTitle(o.xTitle) };
    layout.yaxis = { title: axisTitle(o.metric) };
  }
  return { data, layout, config: { ...figureConfig } };
}
