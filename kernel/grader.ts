/**
 * The autograder: runs students' notebooks of an assignment (kernel/assignment.ts) headless
 * through the runner, each in a fresh kernel — its own process, never the grader's — and scores
 * their test cells as nbgrader does: a test cell earns its points when it runs without an error.
 *
 * Before a submission runs, every locked cell (the set-up and the tests) is compared with the
 * release by nbgrader's checksum: an edited one is reported and replaced by the source's. Test
 * cells always run as in the source, so the hidden tests are back. A graded cell the student
 * deleted is put back where it was (a solution cell as its stub). Each kernel runs with a time
 * limit per cell and per notebook and a memory limit; a cell that loops forever is interrupted
 * and scored zero, a kernel that dies scores zero from there on, output past a limit is dropped,
 * and none of these stops the batch. A file that is not a notebook, or a notebook of another
 * assignment, is reported with one message and the batch goes on.
 *
 * Written per batch, in the output folder: grades.csv and grades.html (arquero), grades.json
 * (every test's result), and per student `<student>/<assignment>.ipynb` (the executed, graded
 * notebook) and `<student>/<assignment>.html` (feedback: the notebook with each test's result).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Assignment, AssignmentError, CODE_STUB, TEXT_STUB, readAssignment } from "./assignment";
import { writeFileAtomic } from "../src/io/atomic-write";
import { exportNotebookHtml, stripAnsi } from "./export";
import { type JupyterInstall, type RunningServer, findJupyter, repoRoot, startServer } from "./jupyter";
import { escapeHtml } from "./mime";
import { MEMORY_LIMIT_ENV } from "./memory-limit";
import { computeChecksum, isLocked, isSolution, nbgraderOf } from "./nbgrader";
import { injectParameters } from "./parameters";
import { type Notebook, type NotebookCell, type NotebookRun, RunStopped, runNotebook, sourceOf, writeNotebook } from "./runner";

/** Limits and choices of a grading run. */
export interface GradeOptions {
  /** Quick mode: `quick = true` in the parameters cell, as in CI. Default false. */
  readonly quick?: boolean;
  /** Time limit of one cell, s. Default 120. */
  readonly cellTimeoutSeconds?: number;
  /** Time limit of a whole notebook, s. Default 900. */
  readonly notebookTimeoutSeconds?: number;
  /** Memory limit of each kernel, MB (resident size; kernel/memory-limit.ts). Default 4096. Applies to the server the grader starts; a given `server` carries its own (see `graderServerEnv`). */
  readonly memoryMb?: number;
  /** Most bytes of output kept per cell. Default 1 000 000. */
  readonly outputLimitBytes?: number;
  /** Submissions graded at once, each in its own kernel. Default 1. */
  readonly jobs?: number;
  /** Where grades and feedback go. Default build/assignments/graded/<assignment>/. */
  readonly outDir?: string;
  /** A running Jupyter server to use instead of starting one. */
  readonly server?: RunningServer;
  /** Progress lines (default console.log). */
  readonly log?: (line: string) => void;
  /** Stops the batch: the running kernels are shut down and what was graded is written. */
  readonly signal?: AbortSignal;
}

export const gradeDefaults = Object.freeze({
  quick: false, cellTimeoutSeconds: 120, notebookTimeoutSeconds: 900, memoryMb: 4096, outputLimitBytes: 1_000_000, jobs: 1,
});

/** The result of one graded cell. */
export interface CellResult {
  readonly gradeId: string;
  readonly kind: "test" | "manual";
  readonly points: number;
  /** Points earned; null for an answer that waits for the instructor. */
  readonly score: number | null;
  /**
   * passed / failed (an error, `message` says which); timeout (interrupted at the time limit);
   * not-run (the notebook stopped before it); answered (waits for manual grading); unanswered
   * (the stub is still there: zero, as nbgrader gives).
   */
  readonly status: "passed" | "failed" | "timeout" | "not-run" | "answered" | "unanswered";
  readonly message?: string;
}

/** One submission's grade. */
export interface SubmissionGrade {
  readonly student: string;
  /** The submitted file, absolute. */
  readonly file: string;
  /** "graded", or "rejected" when the file could not be graded (`error` says why). */
  readonly status: "graded" | "rejected";
  readonly error?: string;
  /** Autograded points earned (0 for a rejected file). */
  readonly score: number;
  /** Autograded points available. */
  readonly maxScore: number;
  /** Points of answers that wait for the instructor. */
  readonly manualPoints: number;
  readonly cells: readonly CellResult[];
  /** grade_ids of locked cells the student edited (replaced by the source's before running). */
  readonly tampered: readonly string[];
  /** grade_ids of graded cells the student deleted (put back before running). */
  readonly deleted: readonly string[];
  /** Wall time of the run, s. */
  readonly seconds: number;
  /** The executed, graded notebook and the feedback page, when graded. */
  readonly notebookPath?: string;
  readonly feedbackPath?: string;
}

/** A submission found in the submissions folder. */
export interface Submission {
  readonly student: string;
  readonly file: string;
}

/** The environment for a Jupyter server whose kernels the grader may use: the memory limit. */
export function graderServerEnv(memoryMb: number = gradeDefaults.memoryMb): NodeJS.ProcessEnv {
  if (!(Number.isInteger(memoryMb) && memoryMb > 0)) throw new Error(`graderServerEnv: memoryMb must be a whole number > 0, got ${memoryMb}`);
  return { [MEMORY_LIMIT_ENV]: String(memoryMb) };
}

/**
 * The submissions of `assignment` in `dir`: `<dir>/<student>/<assignment>.ipynb` (nbgrader's
 * submitted layout; a student folder without that file but with one other .ipynb gives that one)
 * or `<dir>/<student>.ipynb`. Any other file is a submission too, so that it is reported; hidden
 * files and checkpoints are skipped. Sorted by student.
 */
export function findSubmissions(dir: string, assignment: string): Submission[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`grade: the submissions folder must exist, got ${dir}`);
  const out: Submission[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const named = path.join(full, `${assignment}.ipynb`);
      const notebooks = fs.readdirSync(full).filter((f) => f.endsWith(".ipynb") && !f.startsWith("."));
      const file = fs.existsSync(named) ? named : notebooks.length === 1 ? path.join(full, notebooks[0]!) : named;
      out.push({ student: entry.name, file });
    } else {
      out.push({ student: entry.name.replace(/\.ipynb$/, ""), file: full });
    }
  }
  return out.sort((a, b) => a.student.localeCompare(b.student));
}

/** A submission that cannot be graded (not a notebook, another assignment); the message says why. */
export class SubmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubmissionError";
  }
}

/** Reads a submitted file as a notebook, or throws a `SubmissionError` that says what it is instead. */
export function readSubmission(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SubmissionError(code === "ENOENT" ? "no notebook was submitted (file not found)" : `the file cannot be read (${code ?? String(err)})`);
  }
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch {
    throw new SubmissionError("the file is not a notebook: it is not JSON");
  }
  const n = nb as Notebook;
  if (n === null || typeof n !== "object" || n.nbformat !== 4 || !Array.isArray(n.cells) ||
    !n.cells.every((c) => c !== null && typeof c === "object" && ["code", "markdown", "raw"].includes(c.cell_type) && (typeof c.source === "string" || Array.isArray(c.source)))) {
    throw new SubmissionError("the file is not an nbformat 4 notebook");
  }
  return n;
}

/** What `prepareSubmission` made of a submission: the notebook to run and what it changed. */
export interface PreparedSubmission {
  readonly notebook: Notebook;
  readonly tampered: string[];
  readonly deleted: string[];
}

function cleanCell(cell: NotebookCell): NotebookCell {
  const copy: NotebookCell = JSON.parse(JSON.stringify(cell));
  if (copy.cell_type === "code") {
    copy.outputs = [];
    copy.execution_count = null;
  } else {
    delete copy.outputs;
    delete copy.execution_count;
  }
  return copy;
}

/**
 * The notebook to run for a submission (pure): outputs cleared (a saved output never counts),
 * every locked cell checked against the release's checksum and run as in the source, solution
 * cells as the student wrote them (their nbgrader metadata as released), deleted graded cells put
 * back after the graded cell that came before them. Throws a `SubmissionError` when no graded cell
 * of the assignment is there: the notebook belongs to another assignment.
 */
export function prepareSubmission(assignment: Assignment, submitted: Notebook): PreparedSubmission {
  const sourceById = new Map<string, { source: NotebookCell; release: NotebookCell; order: number }>();
  assignment.source.cells.forEach((cell, k) => {
    const id = nbgraderOf(cell)?.grade_id;
    if (id) sourceById.set(id, { source: cell, release: assignment.release.cells[k]!, order: k });
  });
  const seen = new Set<string>();
  const tampered: string[] = [];
  const cells: NotebookCell[] = [];
  for (const raw of submitted.cells) {
    const cell = cleanCell(raw);
    const id = nbgraderOf(cell)?.grade_id;
    const known = typeof id === "string" ? sourceById.get(id) : undefined;
    if (!known || seen.has(id!)) {
      // A cell of the student's own (or a copy of a graded cell): it runs, but is nobody's grade.
      if (cell.metadata?.nbgrader !== undefined) delete cell.metadata.nbgrader;
      cells.push(cell);
      continue;
    }
    seen.add(id!);
    const release = known.release;
    if (isLocked(release)) {
      // The checksum of what the student has, under the released metadata (a student who unlocks a cell is still caught).
      const asReleased: NotebookCell = { ...cell, metadata: { ...cell.metadata, nbgrader: { ...nbgraderOf(release)!, checksum: undefined } } };
      // The source's own text (hidden tests and all) is no edit either: an instructor may grade the source as a submission.
      const changed = cell.cell_type !== release.cell_type ||
        (computeChecksum(asReleased) !== nbgraderOf(release)!.checksum && sourceOf(cell) !== sourceOf(known.source));
      if (changed) tampered.push(id!);
      cells.push(cleanCell(known.source));
    } else {
      cells.push({ ...cell, cell_type: release.cell_type, metadata: { ...cell.metadata, nbgrader: JSON.parse(JSON.stringify(nbgraderOf(release))) } });
    }
  }
  if (seen.size === 0) {
    throw new SubmissionError(`the notebook is not a submission of ${assignment.name}: none of its ${sourceById.size} graded or locked cells is there`);
  }
  // Put deleted cells back, in source order, after the last cell that comes before them in the source.
  const deleted: string[] = [];
  const ordered = [...sourceById.entries()].sort((a, b) => a[1].order - b[1].order);
  for (const [id, known] of ordered) {
    if (seen.has(id)) continue;
    deleted.push(id);
    let at = 0;
    cells.forEach((c, k) => {
      const other = nbgraderOf(c)?.grade_id;
      const earlier = other !== undefined ? sourceById.get(other) : undefined;
      if (earlier && earlier.order < known.order) at = k + 1;
    });
    cells.splice(at, 0, cleanCell(isSolution(known.release) ? known.release : known.source));
  }
  const { nbformat, nbformat_minor, metadata } = assignment.source;
  return { notebook: { nbformat, nbformat_minor, metadata: { ...metadata }, cells }, tampered, deleted };
}

function errorMessage(cell: NotebookCell): string | undefined {
  const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error");
  // The runner's own reason (a time limit, a dead kernel) says more than the interrupt it caused.
  const error = errors.find((o) => o.ename === "CellTimeout" || o.ename === "KernelDied") ?? errors[0];
  if (!error) return undefined;
  return stripAnsi(`${String(error.ename)}: ${String(error.evalue)}`);
}

function isUnanswered(cell: NotebookCell, release: NotebookCell): boolean {
  const text = sourceOf(cell);
  const stub = release.cell_type === "code" ? CODE_STUB : TEXT_STUB;
  return computeChecksum({ ...cell, metadata: { ...cell.metadata, nbgrader: nbgraderOf(release) } }) === nbgraderOf(release)!.checksum || text.trim() === stub;
}

/** Scores an executed submission: each graded cell of the assignment, in order (pure). */
export function scoreRun(assignment: Assignment, run: Pick<NotebookRun, "notebook" | "cells">): CellResult[] {
  const executed = new Map(run.cells.map((c) => [c.index, c]));
  const stopped = run.cells.find((c) => c.status === "timeout" || c.status === "kernel-died");
  return assignment.graded.map((g): CellResult => {
    const index = run.notebook.cells.findIndex((c) => nbgraderOf(c)?.grade_id === g.gradeId);
    const cell = run.notebook.cells[index];
    const base = { gradeId: g.gradeId, kind: g.kind, points: g.points };
    if (g.kind === "manual") {
      const release = assignment.release.cells[g.index]!;
      return cell && !isUnanswered(cell, release) ? { ...base, score: null, status: "answered" } : { ...base, score: 0, status: "unanswered", message: "not answered: the cell still holds the stub" };
    }
    const timing = executed.get(index);
    if (!cell || !timing) {
      const why = stopped ? `an earlier cell stopped the notebook (${stopped.status === "timeout" ? "time limit" : "the kernel died"})` : "an earlier cell stopped the notebook";
      return { ...base, score: 0, status: "not-run", message: `did not run: ${why}` };
    }
    const message = errorMessage(cell);
    if (timing.status === "timeout") return { ...base, score: 0, status: "timeout", message };
    if (timing.status === "ok" && !message) return { ...base, score: g.points, status: "passed" };
    return { ...base, score: 0, status: "failed", message: message ?? `the cell ended with status ${timing.status}` };
  });
}

/** A fence for `text` in markdown: longer than any run of backticks in it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

function markdownCell(text: string): NotebookCell {
  return { cell_type: "markdown", metadata: { snnlab: { feedback: true } }, source: text.split(/(?<=\n)/) };
}

function points(x: number): string {
  return String(Number(x.toFixed(2)));
}

/**
 * The feedback notebook (pure): the executed notebook with a summary on top and each graded
 * cell's result under it. Test cells show their released text: the hidden tests ran, but their
 * code stays with the instructor (their messages say what they checked).
 */
export function feedbackNotebook(assignment: Assignment, grade: SubmissionGrade, executed: Notebook): Notebook {
  const results = new Map(grade.cells.map((c) => [c.gradeId, c]));
  const released = new Map(assignment.release.cells.map((c) => [nbgraderOf(c)?.grade_id, c]));
  const cells: NotebookCell[] = [];
  const summary = [
    `# Feedback: ${assignment.name} — ${grade.student}`,
    "",
    `**Autograded score: ${points(grade.score)} / ${points(grade.maxScore)} points.**` +
      (grade.manualPoints > 0 ? ` ${points(grade.manualPoints)} more points wait for your instructor to read your written answers.` : ""),
    "",
    "| cell | points | result |",
    "|---|---|---|",
    ...grade.cells.map((c) => `| \`${c.gradeId}\` | ${c.score === null ? "–" : points(c.score)} / ${points(c.points)} | ${c.status} |`),
  ];
  if (grade.tampered.length > 0) summary.push("", `Locked cells you edited were put back as released before grading: ${grade.tampered.map((t) => `\`${t}\``).join(", ")}.`);
  if (grade.deleted.length > 0) summary.push("", `Cells you deleted were put back before grading: ${grade.deleted.map((t) => `\`${t}\``).join(", ")}.`);
  cells.push(markdownCell(summary.join("\n")));
  for (const cell of executed.cells) {
    const id = nbgraderOf(cell)?.grade_id;
    const release = id !== undefined ? released.get(id) : undefined;
    cells.push(release && isLocked(release) ? { ...cell, source: release.source } : cell);
    const result = id ? results.get(id) : undefined;
    const notes: string[] = [];
    if (id && grade.tampered.includes(id)) notes.push(`**This locked cell was edited; it was put back as released and run that way.**`);
    if (id && grade.deleted.includes(id)) notes.push(`**This cell had been deleted; it was put back${isSolution(cell) ? " with its stub" : ""}.**`);
    if (result) {
      const score = result.score === null ? `– / ${points(result.points)}` : `${points(result.score)} / ${points(result.points)}`;
      const mark = result.status === "passed" ? "✓" : result.status === "answered" ? "…" : "✗";
      const what = result.kind === "test" ? "Test" : "Answer";
      const text: Record<CellResult["status"], string> = {
        passed: "passed", failed: "failed", timeout: "stopped at the time limit", "not-run": "did not run",
        answered: "answered: your instructor grades it", unanswered: "not answered",
      };
      notes.push(`**${mark} ${what} \`${result.gradeId}\`: ${score} points — ${text[result.status]}.**`);
      if (result.message && result.status !== "unanswered") notes.push(fenced(result.message));
    }
    if (notes.length > 0) cells.push(markdownCell(notes.join("\n\n")));
  }
  return { ...executed, cells };
}

const SCRATCH = path.join(repoRoot, "build", "grading");

function rejected(submission: Submission, assignment: Assignment, error: string, seconds = 0): SubmissionGrade {
  const maxScore = assignment.graded.filter((g) => g.kind === "test").reduce((s, g) => s + g.points, 0);
  return {
    student: submission.student, file: submission.file, status: "rejected", error, score: 0, maxScore, manualPoints: 0,
    cells: assignment.graded.map((g) => ({ gradeId: g.gradeId, kind: g.kind, points: g.points, score: 0, status: "not-run", message: error })),
    tampered: [], deleted: [], seconds,
  };
}

/**
 * Grades one submission on `server` (its kernel is the limit's: see `graderServerEnv`) and writes
 * its graded notebook and feedback page under `outDir/<student>/`. Never throws for a bad
 * submission: it comes back "rejected" with the reason. A stopped batch rejects with `RunStopped`.
 */
export async function gradeSubmission(assignment: Assignment, submission: Submission, server: RunningServer, options: GradeOptions & { outDir: string }): Promise<SubmissionGrade> {
  const o = { ...gradeDefaults, ...options };
  const t0 = Date.now();
  let prepared: PreparedSubmission;
  try {
    prepared = prepareSubmission(assignment, readSubmission(submission.file));
  } catch (err) {
    if (err instanceof SubmissionError) return rejected(submission, assignment, err.message);
    throw err;
  }
  // The kernel runs in a folder inside the repository, where `snnlab` resolves (kernel/DESIGN.md).
  const safe = submission.student.replace(/[^\w.-]+/g, "_");
  const work = path.join(SCRATCH, `${assignment.name}-${process.pid}`, safe, `${assignment.name}.ipynb`);
  writeNotebook(work, prepared.notebook);
  let run: NotebookRun;
  try {
    run = await runNotebook(path.relative(repoRoot, work), server, {
      quick: o.quick, allowErrors: true, unfinishedCells: "record", cellTimeoutSeconds: o.cellTimeoutSeconds,
      notebookTimeoutSeconds: o.notebookTimeoutSeconds, outputLimitBytes: o.outputLimitBytes, log: () => undefined, signal: o.signal,
    });
  } catch (err) {
    if (err instanceof RunStopped) throw err;
    return rejected(submission, assignment, `the notebook could not be run: ${err instanceof Error ? err.message : String(err)}`, (Date.now() - t0) / 1000);
  } finally {
    fs.rmSync(path.dirname(work), { recursive: true, force: true });
  }
  const cells = scoreRun(assignment, run);
  const tests = cells.filter((c) => c.kind === "test");
  const grade: SubmissionGrade = {
    student: submission.student, file: submission.file, status: "graded",
    score: tests.reduce((s, c) => s + (c.score ?? 0), 0),
    maxScore: tests.reduce((s, c) => s + c.points, 0),
    manualPoints: cells.filter((c) => c.status === "answered").reduce((s, c) => s + c.points, 0),
    cells, tampered: prepared.tampered, deleted: prepared.deleted, seconds: (Date.now() - t0) / 1000,
  };
  const dir = path.join(o.outDir, safe);
  const notebookPath = path.join(dir, `${assignment.name}.ipynb`);
  const feedbackPath = path.join(dir, `${assignment.name}.html`);
  writeNotebook(notebookPath, run.notebook);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(feedbackPath, exportNotebookHtml(feedbackNotebook(assignment, grade, run.notebook), { title: `${assignment.name}: feedback for ${submission.student}` }));
  return { ...grade, notebookPath, feedbackPath };
}

interface Arquero {
  from(rows: readonly object[], names?: readonly string[]): { numRows(): number; toHTML(options?: object): string };
  toCSV(table: unknown): string;
}

/** One row per submission: student, status, score, max_score, manual_points, one column per graded cell, tampered, deleted, seconds, error. */
export function gradeRows(grades: readonly SubmissionGrade[]): Record<string, unknown>[] {
  return grades.map((g) => ({
    student: g.student, status: g.status, score: g.score, max_score: g.maxScore, manual_points: g.manualPoints,
    ...Object.fromEntries(g.cells.map((c) => [c.gradeId, c.score])),
    tampered: g.tampered.join(" "), deleted: g.deleted.join(" "), seconds: Number(g.seconds.toFixed(1)), error: g.error ?? "",
  }));
}

/** Writes grades.csv, grades.html and grades.json to `outDir`; returns their paths. */
export function writeGrades(assignment: Assignment, grades: readonly SubmissionGrade[], outDir: string): string[] {
  // arquero 8 is ESM-only; Node ≥ 20.19 loads it through require(esm).
  const aq = require("arquero") as Arquero;
  const columns = ["student", "status", "score", "max_score", "manual_points", ...assignment.graded.map((g) => g.gradeId), "tampered", "deleted", "seconds", "error"];
  const table = aq.from(gradeRows(grades), columns);
  fs.mkdirSync(outDir, { recursive: true });
  const csv = path.join(outDir, "grades.csv");
  const html = path.join(outDir, "grades.html");
  const json = path.join(outDir, "grades.json");
  writeFileAtomic(csv, aq.toCSV(table));
  writeFileAtomic(html, [
    "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', `<title>${escapeHtml(assignment.name)}: grades</title>`,
    "<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}</style>",
    "</head>", "<body>", `<h1>${escapeHtml(assignment.name)}: grades</h1>`,
    `<p>${grades.length} submissions; autograded points out of ${escapeHtml(String(grades[0]?.maxScore ?? 0))}.</p>`,
    table.toHTML({ limit: Infinity }), "</body>", "</html>", "",
  ].join("\n"));
  writeFileAtomic(json, JSON.stringify({ assignment: assignment.name, grades: grades.map((g) => ({ ...g, file: g.file })) }, null, 1) + "\n");
  return [csv, html, json];
}

/** What `gradeAssignment` did. */
export interface GradingOutcome {
  readonly assignment: Assignment;
  readonly grades: readonly SubmissionGrade[];
  readonly outDir: string;
  /** grades.csv, grades.html, grades.json. */
  readonly files: readonly string[];
}

/**
 * Grades every submission of `sourceFile`'s assignment in `submissionsDir` (see
 * `findSubmissions`), `jobs` at a time on one Jupyter server (started here, with the memory
 * limit, unless given), and writes the grades and feedback (file header). A malformed source
 * throws an `AssignmentError` before anything runs.
 */
export async function gradeAssignment(sourceFile: string, submissionsDir: string, options: GradeOptions = {}): Promise<GradingOutcome> {
  const o = { ...gradeDefaults, ...options };
  const log = options.log ?? ((line: string) => console.log(line));
  for (const key of ["cellTimeoutSeconds", "notebookTimeoutSeconds", "outputLimitBytes", "jobs", "memoryMb"] as const) {
    if (!(typeof o[key] === "number" && o[key] > 0 && Number.isFinite(o[key]))) throw new Error(`grade: ${key} must be a number > 0, got ${String(o[key])}`);
  }
  const assignment = readAssignment(sourceFile);
  if (o.quick) {
    try {
      injectParameters(assignment.source, { quick: true }, path.basename(sourceFile));
    } catch (err) {
      throw new AssignmentError(`grade: quick mode needs a cell tagged "parameters" that declares quick: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const submissions = findSubmissions(submissionsDir, assignment.name);
  const outDir = options.outDir ?? path.join(repoRoot, "build", "assignments", "graded", assignment.name);
  let server = options.server;
  let own = false;
  const grades: SubmissionGrade[] = [];
  try {
    if (!server) {
      const jupyter: JupyterInstall | undefined = findJupyter("notebook");
      if (!jupyter) throw new Error("grade: Jupyter was not found on the PATH (see npm start's message for how to get it)");
      server = await startServer({ jupyter, stdio: "ignore", env: graderServerEnv(o.memoryMb) });
      own = true;
    }
    const running = server;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < submissions.length) {
        const submission = submissions[next++]!;
        if (options.signal?.aborted) return;
        const grade = await gradeSubmission(assignment, submission, running, { ...o, outDir });
        grades.push(grade);
        const detail = grade.status === "rejected" ? `rejected: ${grade.error}`
          : `${points(grade.score)} / ${points(grade.maxScore)}${grade.tampered.length ? `, edited locked cells: ${grade.tampered.join(" ")}` : ""}${grade.deleted.length ? `, deleted: ${grade.deleted.join(" ")}` : ""}`;
        log(`${submission.student.padEnd(24)} ${detail}  (${grade.seconds.toFixed(1)} s)`);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(o.jobs, Math.max(1, submissions.length)) }, worker));
    } catch (err) {
      if (err instanceof RunStopped) writeGrades(assignment, sorted(grades), outDir);
      throw err;
    }
  } finally {
    if (own) await server?.stop();
    fs.rmSync(path.join(SCRATCH, `${assignment.name}-${process.pid}`), { recursive: true, force: true });
  }
  const all = sorted(grades);
  const files = writeGrades(assignment, all, outDir);
  return { assignment, grades: all, outDir, files };
}

function sorted(grades: readonly SubmissionGrade[]): SubmissionGrade[] {
  return [...grades].sort((a, b) => a.student.localeCompare(b.student));
}

/** Default `jobs` for the command line: half the cores (each kernel wants one, the server another). */
export function defaultJobs(): number {
  return Math.max(1, Math.floor(os.availableParallelism() / 2));
}
