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
  /**
   * Columns the reader can sort by (a dropdown above the table, each column ascending and
   * descending; numbers before text, empty cells last); empty: no dropdown. Default [].
   */
  readonly sortable: readonly string[];
}

/** Defaults of `tableFigure`: all columns, 500 px high. */
export const tableFigureDefaults: Readonly<TableFigureOptions> = Object.freeze({
  title: "", height: 500, width: null, columns: Object.freeze([]) as readonly string[], headers: Object.freeze([]) as readonly string[], sortable: Object.freeze([]) as readonly string[],
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
  const cellOf = (r: Readonly<Record<string, unknown>>, c: string): number | string => {
    const v = r[c];
    return typeof v === "number" ? v : escapeHtml(String(v ?? ""));
  };
  const valuesIn = (order: readonly number[]) => columns.map((c) => order.map((i) => cellOf(records[i]!, c)));
  const identity = records.map((_r, i) => i);
  const values = valuesIn(identity);
  const layout = baseLayout(o);
  layout.margin = { l: 10, r: 10, t: o.title === "" ? 10 : 50, b: 10 };
  if (!Array.isArray(o.sortable)) fail(fn, "sortable", "be an array of column names", o.sortable);
  if (o.sortable.length > 0) {
    for (const c of o.sortable) if (!columns.includes(c)) fail(fn, "sortable", `name shown columns (${columns.join(", ")})`, c);
    const label = (c: string) => escapeHtml(headers[columns.indexOf(c)] ?? c);
    const buttons = [{ label: "original order", method: "restyle", args: [{ "cells.values": [values] }] }];
    for (const c of o.sortable) {
      const ascending = sortOrder(records, c);
      buttons.push({ label: `${label(c)} ↑`, method: "restyle", args: [{ "cells.values": [valuesIn(ascending)] }] });
      buttons.push({ label: `${label(c)} ↓`, method: "restyle", args: [{ "cells.values": [valuesIn(descendingOf(records, c, ascending))] }] });
    }
    layout.updatemenus = [{ type: "dropdown", direction: "down", x: 0, xanchor: "left", y: 1.0, yanchor: "bottom", showactive: true, buttons }];
    layout.margin = { l: 10, r: 10, t: o.title === "" ? 40 : 80, b: 10 };
  }
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

/** Rank of a cell for sorting: numbers first (by value), then text (by locale), empty last. */
function sortKey(v: unknown): [number, number | string] {
  if (typeof v === "number" && Number.isFinite(v)) return [0, v];
  if (typeof v === "boolean") return [0, v ? 1 : 0];
  if (v === null || v === undefined || v === "") return [2, ""];
  return [1, String(v)];
}

function compare(a: unknown, b: unknown): number {
  const [ra, ka] = sortKey(a);
  const [rb, kb] = sortKey(b);
  if (ra !== rb) return ra - rb;
  if (typeof ka === "number" && typeof kb === "number") return ka - kb;
  return String(ka).localeCompare(String(kb));
}

/** Row indices by column `c` ascending (stable). */
function sortOrder(records: readonly Readonly<Record<string, unknown>>[], c: string): number[] {
  return records.map((_r, i) => i).sort((i, j) => compare(records[i]![c], records[j]![c]) || i - j);
}

/** Row indices by column `c` descending, empty cells still last (stable). */
function descendingOf(records: readonly Readonly<Record<string, unknown>>[], c: string, ascending: readonly number[]): number[] {
  const empty = ascending.filter((i) => sortKey(records[i]![c])[0] === 2);
  const full = ascending.filter((i) => sortKey(records[i]![c])[0] !== 2);
  // Reverse the non-empty part by value, keeping equal values in their original order.
  const reversed = [...full].sort((i, j) => compare(records[j]![c], records[i]![c]) || i - j);
  return [...reversed, ...empty];
}
