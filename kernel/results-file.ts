/**
 * notebooks/RESULTS.md, produced by the runner from the `report(...)` outputs of full-mode runs
 * (never typed by hand). notebooks/results.json keeps every notebook's latest full-mode rows, so
 * running one notebook updates its section and keeps the others.
 */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./jupyter";
import { type ResultRow, resultsMarkdown } from "./results";
import type { NotebookRun } from "./runner";

export interface ResultsEntry {
  readonly notebook: string;
  readonly date: string;
  readonly seconds: number;
  readonly node: string;
  readonly rows: ResultRow[];
}

export const resultsJsonPath = path.join(repoRoot, "notebooks", "results.json");
export const resultsMarkdownPath = path.join(repoRoot, "notebooks", "RESULTS.md");

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Merges successful full-mode runs into results.json and rewrites RESULTS.md from it. */
export function updateResults(runs: readonly NotebookRun[], now = new Date()): ResultsEntry[] {
  const existing: ResultsEntry[] = fs.existsSync(resultsJsonPath) ? JSON.parse(fs.readFileSync(resultsJsonPath, "utf8")) : [];
  const byNotebook = new Map(existing.map((e) => [e.notebook, e]));
  for (const run of runs) {
    if (!run.ok) continue;
    byNotebook.set(path.basename(run.path), {
      notebook: path.basename(run.path),
      date: now.toISOString().slice(0, 10),
      seconds: Math.round(run.seconds * 10) / 10,
      node: process.version,
      rows: run.results,
    });
  }
  const entries = [...byNotebook.values()].sort((a, b) => a.notebook.localeCompare(b.notebook));
  writeAtomic(resultsJsonPath, JSON.stringify(entries, null, 1) + "\n");
  const sections = entries.map((e) =>
    `## ${e.notebook}\n\nFull mode, run ${e.date} in ${e.seconds} s (Node ${e.node}).\n\n` +
    (e.rows.length > 0 ? resultsMarkdown(e.rows) : "(this notebook reports no numbers)"));
  writeAtomic(resultsMarkdownPath, [
    "# Results: the papers' numbers beside ours",
    "",
    "Written by the notebook runner (`npm run notebooks`) from each notebook's final `report(...)` in full mode;",
    "never edited by hand. Each section is the latest successful full-mode run of that notebook.",
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n"));
  return entries;
}
