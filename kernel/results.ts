/**
 * `report(rows)`: the last cell of every notebook shows the paper's numbers beside ours. The
 * display carries an HTML table for readers and a JSON part
 * (`application/vnd.snnlab.results+json`) that the notebook runner collects into
 * notebooks/RESULTS.md — so no number there is ever typed by hand.
 */
import { show } from "./display";
import { escapeHtml } from "./mime";

export const RESULTS_MIME = "application/vnd.snnlab.results+json";

/** One reproduced quantity. */
export interface ResultRow {
  /** What is measured, e.g. "test accuracy (N = 400)". */
  readonly quantity: string;
  /** The paper's number (or a short text such as "qualitative"); null when it reports none. */
  readonly paper: number | string | null;
  /** Our number, computed in this run. */
  readonly ours: number | string;
  /** Unit, e.g. "%", "Hz", "s". */
  readonly unit?: string;
  /** The target this run must meet, as text (e.g. "≥ 87 %"). */
  readonly target?: string;
  /** Whether `ours` meets the target. */
  readonly pass?: boolean;
}

interface TableLike {
  objects(): Record<string, unknown>[];
}

function rowsOf(input: readonly ResultRow[] | TableLike): ResultRow[] {
  const raw = Array.isArray(input) ? input : (input as TableLike).objects();
  return raw.map((r, i) => {
    const row = r as Partial<ResultRow>;
    if (typeof row.quantity !== "string" || row.quantity.length === 0) {
      throw new Error(`report: rows[${i}].quantity must be a non-empty string, got ${JSON.stringify(row.quantity)}`);
    }
    if (!(typeof row.ours === "number" || typeof row.ours === "string")) {
      throw new Error(`report: rows[${i}].ours must be a number or a string, got ${JSON.stringify(row.ours)}`);
    }
    return row as ResultRow;
  });
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return String(value);
}

/** The results table as Markdown (used by the runner for RESULTS.md). */
export function resultsMarkdown(rows: readonly ResultRow[]): string {
  const lines = ["| quantity | paper | ours | unit | target | met |", "|---|---|---|---|---|---|"];
  for (const r of rows) {
    lines.push(`| ${[r.quantity, cell(r.paper), cell(r.ours), r.unit ?? "", r.target ?? "", r.pass === undefined ? "" : cell(r.pass)].map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Displays the paper-versus-ours table (rows, or an arquero table with those columns). */
export function report(input: readonly ResultRow[] | TableLike): void {
  const rows = rowsOf(input);
  const header = ["quantity", "paper", "ours", "unit", "target", "met"];
  const html = `<table class="snnlab-results"><thead><tr>${header.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${[r.quantity, cell(r.paper), cell(r.ours), r.unit ?? "", r.target ?? "", r.pass === undefined ? "" : cell(r.pass)]
      .map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("") + "</tbody></table>";
  show({
    toMimeBundle: () => ({ [RESULTS_MIME]: { rows }, "text/html": html, "text/plain": resultsMarkdown(rows) }),
  });
}
