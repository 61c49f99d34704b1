/**
 * An interactive table (Plotly `table` trace: scrolls, columns can be dragged) of records, with
 * chosen columns in order. For tables too long to read as HTML, e.g. Table I of the review.
 *
 * @example
 *   const fig = tableFigure(reviewTableOne, { columns: ["model", "learningMethod", "dataset", "accuracy"] });
 */
import { fail } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure } from "./figure";
import { baseLayout, figureConfig, widgetOptions, type FigureOptions } from "./inputs";

/** Options of `tableFigure`. */
export interface TableFigureOptions extends FigureOptions {
  /** Fields to show, in order; empty: every field of the first record. Default []. */
  readonly columns: readonly string[];
  /** Header labels (same length as columns); empty: the field names. Default []. */
  readonly headers: readonly string[];
}

/** Defaults of `tableFigure`: all columns, 500 px high. */
export const tableFigureDefaults: Readonly<TableFigureOptions> = Object.freeze({
  title: "", height: 500, width: null, columns: Object.freeze([]) as readonly string[], headers: Object.freeze([]) as readonly string[],
});

/** Records as a Plotly table with the chosen columns. */
export function tableFigure<R extends object>(input: readonly R[], options?: Partial<TableFigureOptions>): Figure {
  const fn = "tableFigure";
  if (!Array.isArray(input)) fail(fn, "records", "be an array of objects", input);
  const records = input as readonly Readonly<Record<string, unknown>>[];
  const o = widgetOptions(fn, tableFigureDefaults, options);
  const columns = o.columns.length > 0 ? [...o.columns] : Object.keys(records[0] ?? {});
  if (o.headers.length > 0 && o.headers.length !== columns.length) fail(fn, "headers", `have ${columns.length} labels`, o.headers.length);
  const headers = o.headers.length > 0 ? o.headers : columns;
  const values = columns.map((c) => records.map((r) => {
    const v = r[c];
    return typeof v === "number" ? v : escapeHtml(String(v ?? ""));
  }));
  const layout = baseLayout(o);
  layout.margin = { l: 10, r: 10, t: o.title === "" ? 10 : 50, b: 10 };
  return {
    data: [{
      type: "table",
      header: { values: headers.map((h) => `<b>${escapeHtml(h)}</b>`), align: "left", fill: { color: "#e8eef7" } },
      cells: { values, align: "left", height: 24 },
    }],
    layout,
    config: { ...figureConfig },
  };
}
