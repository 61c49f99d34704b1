/**
 * Sweep plot: one numeric column of a parameter sweep's table (by default a result row's `ours`)
 * against one swept parameter, one line per combination of the other swept parameters. The table
 * comes as rows, what arquero's `table.objects()` returns and what `npm run sweep` collects: one
 * object per result row, with the run's parameters as columns.
 *
 * @example
 *   const fig = sweepPlot(
 *     [{ neurons: 100, seed: 1, quantity: "test accuracy", ours: 81.2 },
 *      { neurons: 400, seed: 1, quantity: "test accuracy", ours: 88.9 }],
 *     { x: "neurons", by: ["seed"], quantity: "test accuracy" },
 *   );
 */
import { fail } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Trace } from "./figure";
import { axisTitle, baseLayout, figureConfig, paletteColor, text, widgetOptions, type FigureOptions } from "./inputs";

/** Options of `sweepPlot`. */
export interface SweepPlotOptions extends FigureOptions {
  /** The swept parameter on the x axis (a column of numbers). Required. */
  readonly x: string;
  /** The column drawn on the y axis. Default "ours". */
  readonly y: string;
  /** Columns whose combinations make one line each; [] draws one line. Default []. */
  readonly by: readonly string[];
  /** Only rows whose `quantity` column equals it; null: every row. Default null. */
  readonly quantity: string | null;
  /** The y axis title; null: the quantity (with `unit`), else `y`. Default null. */
  readonly yTitle: string | null;
  /** Log x axis (sizes swept by factors). Default false. */
  readonly logX: boolean;
}

/** Defaults of `sweepPlot`: y = "ours", one line, every row, linear x, height 400 px. */
export const sweepPlotDefaults: Readonly<SweepPlotOptions> = Object.freeze({
  title: "", height: 400, width: null, x: "", y: "ours", by: Object.freeze([]) as readonly string[], quantity: null, yTitle: null, logX: false,
});

function label(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `y` against the swept parameter `x`, one line (markers joined in x order) per combination of `by`. */
export function sweepPlot(rows: readonly Record<string, unknown>[], options: Partial<SweepPlotOptions>): Figure {
  const fn = "sweepPlot";
  if (!Array.isArray(rows)) fail(fn, "rows", "be an array of objects", rows);
  const o = widgetOptions(fn, sweepPlotDefaults, options);
  const x = text(fn, "x", o.x);
  if (x === "") fail(fn, "x", "name a column of swept numbers", x);
  const y = text(fn, "y", o.y);
  if (!Array.isArray(o.by)) fail(fn, "by", "be an array of column names", o.by);
  o.by.forEach((c, i) => text(fn, `by[${i}]`, c));
  if (o.quantity !== null) text(fn, "quantity", o.quantity);
  if (o.yTitle !== null) text(fn, "yTitle", o.yTitle);
  if (typeof o.logX !== "boolean") fail(fn, "logX", "be a boolean", o.logX);

  const lines = new Map<string, { x: number; y: number }[]>();
  let unit: string | undefined;
  rows.forEach((row, i) => {
    if (row === null || typeof row !== "object") fail(fn, `rows[${i}]`, "be an object", row);
    if (o.quantity !== null && row.quantity !== o.quantity) return;
    const xv = row[x];
    const yv = row[y];
    if (typeof xv !== "number" || !Number.isFinite(xv)) fail(fn, `rows[${i}].${x}`, "be a finite number (the x column)", xv);
    if (typeof yv !== "number" || !Number.isFinite(yv)) fail(fn, `rows[${i}].${y}`, "be a finite number (the y column)", yv);
    if (typeof row.unit === "string" && row.unit !== "") unit ??= row.unit;
    const key = o.by.map((c) => `${c}=${label(row[c])}`).join(", ");
    const points = lines.get(key) ?? [];
    points.push({ x: xv, y: yv });
    lines.set(key, points);
  });
  if (lines.size === 0) fail(fn, "rows", `hold at least one row${o.quantity !== null ? ` of quantity ${JSON.stringify(o.quantity)}` : ""}`, rows.length);

  const data: Trace[] = [...lines].map(([key, points], k) => {
    const sorted = [...points].sort((a, b) => a.x - b.x);
    const name = escapeHtml(key === "" ? y : key);
    return {
      type: "scatter", mode: "lines+markers", name,
      x: sorted.map((p) => p.x), y: sorted.map((p) => p.y),
      line: { color: paletteColor(k) }, marker: { color: paletteColor(k), size: 7 },
      hovertemplate: `${escapeHtml(x)} = %{x}<br>${escapeHtml(y)} = %{y}<extra>${name}</extra>`,
    };
  });
  const yTitle = o.yTitle ?? (o.quantity !== null ? `${o.quantity}${unit ? ` (${unit})` : ""}` : y);
  const layout = baseLayout(o);
  layout.xaxis = { title: axisTitle(x), ...(o.logX ? { type: "log" } : {}) };
  layout.yaxis = { title: axisTitle(yTitle) };
  layout.showlegend = data.length > 1;
  return { data, layout, config: { ...figureConfig } };
}
