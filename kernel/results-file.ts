/**
 * notebooks/RESULTS.md, produced by the runner from the `report(...)` outputs of full-mode runs
 * (never typed by hand). notebooks/results.json keeps every notebook's latest full-mode rows, so
 * running one notebook updates its section and keeps the others.
 */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./jupyter";
import type { EvaluationEntry } from "../src/datasets/evaluation-log";
import { type RecordedRow, type RecordedSetting, type ResultsPayload, cell, payloadMarkdown } from "./results";
import type { NotebookRun } from "./runner";
import { reproductionMarkdown, reproductionRows } from "./reproduction";

export interface ResultsEntry {
  readonly notebook: string;
  readonly date: string;
  readonly seconds: number;
  readonly node: string;
  /** The version of the reproduction record (1: before the protocol; absent in old files = 1). */
  readonly protocol?: number;
  readonly settings?: RecordedSetting[];
  readonly rows: ResultsPayload["rows"];
  /** The library's evaluation log of the run (which split every evaluation saw). */
  readonly evaluations?: EvaluationEntry[];
  readonly testSetReuse?: string[];
}

export const resultsJsonPath = path.join(repoRoot, "notebooks", "results.json");
export const resultsMarkdownPath = path.join(repoRoot, "notebooks", "RESULTS.md");
export const readmePath = path.join(repoRoot, "README.md");

/** The README's notebook table lies between these two lines; the runner rewrites what is between. */
export const README_TABLE_BEGIN = "<!-- notebooks table: written by the runner (npm run notebooks) from notebooks/results.json; do not edit -->";
export const README_TABLE_END = "<!-- end of the notebooks table -->";

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The entries of notebooks/results.json (the runner's record of every full-mode run). */
export function readResults(file: string = resultsJsonPath): ResultsEntry[] {
  const fn = "readResults";
  if (!fs.existsSync(file)) throw new Error(`${fn}: file must exist (run a notebook in full mode: npm run notebooks -- NN), got ${file}`);
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${fn}: file must hold a JSON array of notebook records, got ${typeof parsed}`);
  return parsed as ResultsEntry[];
}

/** Merges successful full-mode runs into results.json and rewrites RESULTS.md from it. */
export function updateResults(runs: readonly NotebookRun[], now = new Date()): ResultsEntry[] {
  const existing: ResultsEntry[] = fs.existsSync(resultsJsonPath) ? JSON.parse(fs.readFileSync(resultsJsonPath, "utf8")) : [];
  const byNotebook = new Map(existing.map((e) => [e.notebook, e]));
  for (const run of runs) {
    if (!run.ok) continue;
    const record = run.record;
    byNotebook.set(path.basename(run.path), {
      notebook: path.basename(run.path),
      date: now.toISOString().slice(0, 10),
      seconds: Math.round(run.seconds * 10) / 10,
      node: process.version,
      protocol: record?.protocol ?? 1,
      ...(record && record.protocol >= 2 ? { settings: record.settings } : {}),
      rows: run.results,
      ...(record && record.protocol >= 2 ? { evaluations: record.evaluations, testSetReuse: record.testSetReuse } : {}),
    });
  }
  const entries = [...byNotebook.values()].sort((a, b) => a.notebook.localeCompare(b.notebook));
  writeAtomic(resultsJsonPath, JSON.stringify(entries, null, 1) + "\n");
  writeAtomic(resultsMarkdownPath, resultsFileMarkdown(entries));
  if (fs.existsSync(readmePath)) {
    const readme = fs.readFileSync(readmePath, "utf8");
    const updated = withReadmeTable(readme, readmeTable(entries, notebookTitles()));
    if (updated !== readme) writeAtomic(readmePath, updated);
  }
  return entries;
}

/** Each series notebook's title (its first heading, without the "NN · " prefix), by file name. */
export function notebookTitles(dir = path.join(repoRoot, "notebooks")): Map<string, string> {
  const titles = new Map<string, string>();
  for (const file of fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort()) {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
    const first = nb.cells.find((c) => c.cell_type === "markdown");
    const text = first ? (Array.isArray(first.source) ? first.source.join("") : first.source) : "";
    const heading = /^#\s+(.*)$/m.exec(text)?.[1] ?? file;
    titles.set(file, heading.replace(/^\d\d\s*·\s*/, "").trim());
  }
  return titles;
}

/**
 * The headline of a record: its first row measured on the test set with a numeric paper value and
 * a numeric result (the number a reader looks for); else its first row with both numeric.
 */
function headline(entry: ResultsEntry): string {
  const rows = entry.rows as RecordedRow[];
  const numeric = (r: RecordedRow) => typeof r.paper === "number" && typeof r.ours === "number";
  const row = rows.find((r) => numeric(r) && r.on === "test") ?? rows.find(numeric);
  if (!row) return "—";
  const unit = row.unit ? (row.unit === "%" ? " %" : ` ${row.unit}`) : "";
  const mark = row.met === undefined ? "" : row.met ? " ✓" : " ✗";
  return `${row.quantity}: ${cell(row.ours, row.digits)}${unit} (paper ${cell(row.paper, row.digits)}${unit})${mark}`;
}

/**
 * The README's notebook table from results.json: per notebook its title, its headline (the first
 * row with the paper's number beside ours), its ✓ and ✗, and whether the test set was used once.
 * No dates or timings, so that the README changes only when a result does.
 */
export function readmeTable(entries: readonly ResultsEntry[], titles: ReadonlyMap<string, string>): string {
  const lines = entries.map((e) => {
    const c = verdictCounts(e);
    const protocol = e.protocol ?? 1;
    const testSet = protocol < 2 ? "not recorded" : (e.testSetReuse ?? []).length > 0 ? "✗ reused" : (e.evaluations ?? []).some((x) => x.split === "test") ? "once" : "not used";
    const nb = e.notebook.slice(0, 2);
    const title = (titles.get(e.notebook) ?? e.notebook).replace(/\|/g, "\\|");
    return `| ${nb} | [${title}](notebooks/${e.notebook}) | ${headline(e).replace(/\|/g, "\\|")} | ${c.met} | ${c.missed} | ${testSet} |`;
  });
  return ["| NB | Notebook | Headline: ours (paper) | ✓ | ✗ | test set |", "|---|---|---|---|---|---|", ...lines].join("\n");
}

/** `readme` with the text between the table markers replaced by `table` (the markers must be there). */
export function withReadmeTable(readme: string, table: string): string {
  const begin = readme.indexOf(README_TABLE_BEGIN);
  const end = readme.indexOf(README_TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`results: README.md must hold the notebook-table markers "${README_TABLE_BEGIN}" and "${README_TABLE_END}", in that order`);
  return readme.slice(0, begin + README_TABLE_BEGIN.length) + "\n" + table + "\n" + readme.slice(end);
}

/** Counts of a notebook's verdicts: rows with a target met (✓) and missed (✗). */
export function verdictCounts(entry: ResultsEntry): { met: number; missed: number; rows: number } {
  let met = 0;
  let missed = 0;
  for (const row of entry.rows) {
    const mark = (entry.protocol ?? 1) >= 2 ? (row as RecordedRow).met : (row as { pass?: boolean }).pass;
    if (mark === true) met++;
    else if (mark === false) missed++;
  }
  return { met, missed, rows: entry.rows.length };
}

/** RESULTS.md from the entries of results.json: a summary table, then one section per notebook. */
export function resultsFileMarkdown(entries: readonly ResultsEntry[], titles: ReadonlyMap<string, string> = notebookTitles()): string {
  const summary = entries.map((e) => {
    const c = verdictCounts(e);
    const protocol = e.protocol ?? 1;
    const testSet = protocol < 2 ? "not recorded" : (e.testSetReuse ?? []).length > 0 ? "✗ reused" : (e.evaluations ?? []).some((x) => x.split === "test") ? "used once" : "not used";
    return [e.notebook, String(protocol), String(c.rows), String(c.met), String(c.missed), testSet, String(e.seconds)];
  });
  const sections = entries.map((e) =>
    `## ${e.notebook}\n\nFull mode, run ${e.date} in ${e.seconds} s (Node ${e.node}).\n\n` +
    (e.rows.length > 0
      ? payloadMarkdown({ protocol: e.protocol ?? 1, settings: e.settings ?? [], rows: e.rows, evaluations: e.evaluations ?? [], testSetReuse: e.testSetReuse ?? [] })
      : "(this notebook reports no numbers)"));
  return [
    "# Results: the papers' numbers beside ours",
    "",
    "Written by the notebook runner (`npm run notebooks`) from each notebook's final `report(...)` in full mode;",
    "never edited by hand. Each section is the latest successful full-mode run of that notebook.",
    "Protocol 2 records carry a settings table (the paper's settings beside ours, each difference with its reason),",
    "the paper's numbers with their place in the paper, other references in a column of their own, verdicts computed",
    "from each row's numbers, and the check that each trained model met the test set once." +
      (entries.some((e) => (e.protocol ?? 1) < 2) ? " Protocol 1 records predate that protocol and are being migrated." : ""),
    "",
    "| notebook | protocol | rows | ✓ | ✗ | test set | seconds |",
    "|---|---|---|---|---|---|---|",
    ...summary.map((r) => `| ${r.join(" | ")} |`),
    "",
    "## The reproduction table",
    "",
    "Every row of every protocol-2 record, in the article's order: the paper's number beside ours, the deviation and the verdict",
    "(notebook 21 shows the same table sortable, and ours against the paper's as a figure).",
    "",
    reproductionMarkdown(reproductionRows(entries, titles, ["21-energy-latency-reproduction.ipynb"])),
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
}
