/**
 * The reproduction table: every row of every notebook's latest full-mode report (from
 * notebooks/results.json), in the article's order, with the paper's number beside ours, the
 * deviation and the verdict. Notebook 21 shows it (as a sortable table and as a paper-against-ours
 * figure); the runner writes it at the top of notebooks/RESULTS.md.
 */
import { cell, type RecordedRow } from "./results";
import type { ResultsEntry } from "./results-file";

/** One row of the reproduction table. */
export interface ReproductionRow {
  /** The notebook's two-digit number, e.g. "12". */
  readonly notebook: string;
  /** The notebook's title (the experiment). */
  readonly experiment: string;
  readonly quantity: string;
  /** The paper's number or claim; null when the paper reports none. */
  readonly paper: number | string | null;
  /** Where in the paper. */
  readonly source: string | null;
  readonly ours: number | string | boolean;
  readonly unit: string;
  readonly digits?: number;
  /** The split it was measured on. */
  readonly on: string | null;
  /** The target in words, and whose it is. */
  readonly target: string | null;
  /** ✓ met, ✗ missed, null without a target. */
  readonly met: boolean | null;
  /** ours − paper when both are numbers; else null. */
  readonly deviation: number | null;
  /** (ours − paper) / |paper| in %, when both are numbers and paper ≠ 0; else null. */
  readonly relativeDeviation: number | null;
}

/** The counts under the table. */
export interface ReproductionSummary {
  readonly notebooks: number;
  readonly rows: number;
  readonly met: number;
  readonly missed: number;
  /** Rows with a paper number beside ours. */
  readonly withPaper: number;
}

/**
 * The table's rows: protocol-2 records only (older ones carry no verdicts to trust), in notebook
 * order, each notebook's rows in its report's order. `exclude` leaves out notebooks by file name
 * (notebook 21 leaves itself out).
 */
export function reproductionRows(entries: readonly ResultsEntry[], titles: ReadonlyMap<string, string> = new Map(), exclude: readonly string[] = []): ReproductionRow[] {
  const rows: ReproductionRow[] = [];
  const sorted = [...entries].sort((a, b) => a.notebook.localeCompare(b.notebook));
  for (const entry of sorted) {
    if ((entry.protocol ?? 1) < 2 || exclude.includes(entry.notebook)) continue;
    for (const r of entry.rows as RecordedRow[]) {
      const paper = r.paper === undefined ? null : r.paper;
      const numeric = typeof paper === "number" && typeof r.ours === "number" && Number.isFinite(paper) && Number.isFinite(r.ours);
      const deviation = numeric ? (r.ours as number) - (paper as number) : null;
      rows.push({
        notebook: entry.notebook.slice(0, 2),
        experiment: titles.get(entry.notebook) ?? entry.notebook,
        quantity: r.quantity,
        paper,
        source: r.source ?? null,
        ours: r.ours,
        unit: r.unit ?? "",
        ...(r.digits === undefined ? {} : { digits: r.digits }),
        on: r.on ?? null,
        target: r.targetText ?? null,
        met: r.met === undefined ? null : r.met,
        deviation,
        relativeDeviation: deviation !== null && paper !== 0 ? (100 * deviation) / Math.abs(paper as number) : null,
      });
    }
  }
  return rows;
}

/** The counts of a reproduction table. */
export function reproductionSummary(rows: readonly ReproductionRow[]): ReproductionSummary {
  return {
    notebooks: new Set(rows.map((r) => r.notebook)).size,
    rows: rows.length,
    met: rows.filter((r) => r.met === true).length,
    missed: rows.filter((r) => r.met === false).length,
    withPaper: rows.filter((r) => r.paper !== null).length,
  };
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The reproduction table as Markdown, grouped by experiment, with its counts first. */
export function reproductionMarkdown(rows: readonly ReproductionRow[]): string {
  const s = reproductionSummary(rows);
  const lines = [
    `${s.rows} rows from ${s.notebooks} notebooks; ${s.withPaper} with the paper's number beside ours; ` +
      `${s.met} targets met (✓), ${s.missed} missed (✗), ${s.rows - s.met - s.missed} rows without a target.`,
    "",
    "| NB | quantity | paper | ours | ours − paper | target | ✓/✗ |",
    "|---|---|---|---|---|---|---|",
  ];
  let current = "";
  for (const r of rows) {
    if (r.experiment !== current) {
      current = r.experiment;
      lines.push(`| **${r.notebook}** | **${escapeCell(r.experiment)}** | | | | | |`);
    }
    const unit = r.unit === "" ? "" : r.unit === "%" ? " %" : ` ${r.unit}`;
    const paper = r.paper === null ? "—" : `${cell(r.paper, r.digits)}${typeof r.paper === "number" ? unit : ""}`;
    const deviation = r.deviation === null ? "" : `${r.deviation >= 0 ? "+" : ""}${cell(r.deviation, r.digits)}${unit}`;
    const mark = r.met === null ? "" : r.met ? "✓" : "✗";
    lines.push(`| ${r.notebook} | ${escapeCell(r.quantity)} | ${escapeCell(paper)} | ${escapeCell(`${cell(r.ours, r.digits)}${typeof r.ours === "number" ? unit : ""}`)} | ${deviation} | ${escapeCell(r.target ?? "")} | ${mark} |`);
  }
  return lines.join("\n");
}
