/**
 * Parameter sweeps over a notebook: a grid of values for parameters of its cell tagged
 * `parameters`, expanded into independent runs of the notebook runner, and the `report()` rows of
 * every run collected into one arquero table (the run's parameters as columns), a CSV, an Arrow
 * file and a figure (`sweepPlot`).
 *
 * - The grid: `-p name=v1,v2,…` per parameter, or a JSON array where a value holds a comma
 *   (`-p 'label=["a,b","c"]'`). Values are checked against the declared types before anything runs.
 * - Points are numbered row-major over the parameters in the order given (the last varies
 *   fastest): `gridPoint(grid, index)`. A local sweep and a Kubernetes Indexed Job
 *   (`JOB_COMPLETION_INDEX`, deploy/sweep-job.yaml) use the same numbering.
 * - A sweep folder holds `sweep.json` (the grid) and, per point, `runs/run-NNNN.ipynb` (the
 *   executed notebook), `runs/run-NNNN.json` (parameters, status and rows; written atomically,
 *   last) and `runs/run-NNNN.log`. A point whose JSON says it succeeded is finished: a sweep
 *   started again skips it. A failed point runs again.
 * - Every point runs in a process of its own with its own Jupyter server: a kernel or server that
 *   dies takes one point with it, never the sweep.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sweepPlot } from "../widgets/sweep-plot";
import type { Figure } from "../widgets/figure";
import { writeFileAtomic } from "../src/io/atomic-write";
import { repoRoot } from "./jupyter";
import { ParameterError, type ParameterValue, PARAMETERS_TAG, checkParameter, parameterDeclarations } from "./parameters";
import { RunStopped, readNotebook, runNotebooks, sourceOf } from "./runner";

/** The most points a grid may have. */
export const MAX_GRID_POINTS = 1000;

/** A grid: parameter names in the order given, and each one's values (checked, typed). */
export interface SweepGrid {
  readonly names: readonly string[];
  readonly values: readonly (readonly ParameterValue[])[];
}

/** The refusal of a grid, a sweep folder or an index, before anything runs. */
export class SweepError extends ParameterError {
  constructor(message: string) {
    super(message);
    this.name = "SweepError";
  }
}

function shown(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

function bad(param: string, rule: string, value: unknown): never {
  throw new SweepError(`sweep: ${param} must ${rule}, got ${shown(value)}`);
}

/**
 * The values of one `-p` item: a JSON array (`["a,b","c"]`, `[100, 400]`) when the text starts
 * with `[`, else the text split at commas (each piece as written; the notebook's declared type
 * decides later whether "400" is a number).
 */
export function parseValues(name: string, text: string): unknown[] {
  if (text.trimStart().startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      bad(`parameter ${name}`, "be a JSON array when it starts with [ (e.g. [\"a,b\",\"c\"])", text);
    }
    if (!Array.isArray(parsed) || parsed.length === 0) bad(`parameter ${name}`, "be a non-empty JSON array", text);
    parsed.forEach((v, i) => {
      if (!["number", "string", "boolean"].includes(typeof v)) bad(`parameter ${name}[${i}]`, "be a number, a string or a boolean", v);
    });
    return parsed;
  }
  const pieces = text.split(",");
  if (pieces.some((p) => p === "")) bad(`parameter ${name}`, "be a comma-separated list of non-empty values (or a JSON array)", text);
  return pieces;
}

/** The source of the notebook's cell tagged `parameters`. */
function parametersCell(file: string, where: string): string {
  const cell = readNotebook(file).cells.find((c) => c.cell_type === "code" && (c.metadata.tags ?? []).includes(PARAMETERS_TAG));
  if (!cell) bad("the notebook", `have a code cell tagged "parameters" to be swept (${where})`, where);
  return sourceOf(cell);
}

/**
 * Checks a grid against the notebook's parameters cell: every name declared there, given once,
 * every value of the declared type, at least one point and at most `MAX_GRID_POINTS`. Returns the
 * typed grid. `entries` are `[name, values]` pairs in the order given.
 */
export function checkGrid(file: string, entries: readonly (readonly [string, readonly unknown[]])[], where = file): SweepGrid {
  if (entries.length === 0) bad("the grid", "have at least one parameter (-p name=v1,v2,…)", "no parameters");
  const declarations = parameterDeclarations(parametersCell(file, where));
  const names: string[] = [];
  const values: ParameterValue[][] = [];
  let size = 1;
  for (const [name, given] of entries) {
    if (names.includes(name)) bad(`parameter ${name}`, "be given once", `${name} twice`);
    if (given.length === 0) bad(`parameter ${name}`, "have at least one value", []);
    const typed = given.map((v) => {
      try {
        return checkParameter(name, v, declarations, where);
      } catch (err) {
        if (err instanceof ParameterError) throw new SweepError(err.message.replace(/^runner: /, "sweep: "));
        throw err;
      }
    });
    const distinct = new Set(typed);
    if (distinct.size !== typed.length) bad(`parameter ${name}`, "have distinct values", typed);
    names.push(name);
    values.push(typed);
    size *= typed.length;
  }
  if (size > MAX_GRID_POINTS) bad("the grid", `have at most ${MAX_GRID_POINTS} points (${values.map((v) => v.length).join(" × ")})`, size);
  return { names, values };
}

/** The number of points of a grid (the product of the value counts). */
export function gridSize(grid: SweepGrid): number {
  return grid.values.reduce((n, v) => n * v.length, 1);
}

/**
 * The point with number `index` (0 ≤ index < gridSize): row-major over the parameters in the
 * order given, the last varying fastest, as nested loops in that order would visit them.
 * @example
 *   gridPoint({ names: ["n", "seed"], values: [[100, 400], [1, 2, 3]] }, 4); // { n: 400, seed: 2 }
 */
export function gridPoint(grid: SweepGrid, index: number): Record<string, ParameterValue> {
  const size = gridSize(grid);
  if (!Number.isInteger(index) || index < 0 || index >= size) bad("index", `be an integer in [0, ${size - 1}] (the grid has ${size} points)`, index);
  const point: Record<string, ParameterValue> = {};
  let rest = index;
  for (let k = grid.names.length - 1; k >= 0; k--) {
    const values = grid.values[k]!;
    point[grid.names[k]!] = values[rest % values.length]!;
    rest = Math.floor(rest / values.length);
  }
  // Keys in the order given, not the reverse order of the loop above.
  return Object.fromEntries(grid.names.map((n) => [n, point[n]!]));
}

/** The name of a point's files: `run-0007` (four digits, as the grid has at most 1000 points). */
export function runId(index: number): string {
  return `run-${String(index).padStart(4, "0")}`;
}

/** A short hash of the notebook's name and the grid: the same sweep, the same folder. */
export function gridHash(notebook: string, grid: SweepGrid): string {
  const text = JSON.stringify({ notebook: path.basename(notebook), names: grid.names, values: grid.values });
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
}

/** The default sweep folder: test-artifacts/sweeps/<notebook>-<hash of grid>/. */
export function defaultSweepDir(notebook: string, grid: SweepGrid): string {
  return path.join(repoRoot, "test-artifacts", "sweeps", `${path.basename(notebook, ".ipynb")}-${gridHash(notebook, grid)}`);
}

/** The grid as `-p` arguments that reproduce it exactly (JSON arrays). */
export function gridArguments(grid: SweepGrid): string[] {
  return grid.names.flatMap((name, k) => ["-p", `${name}=${JSON.stringify(grid.values[k])}`]);
}

/** What `runs/run-NNNN.json` holds. */
export interface PointRecord {
  /** The sweep's hash (`gridHash`). */
  readonly sweep: string;
  readonly notebook: string;
  readonly index: number;
  /** The parameter names of the grid, in order. */
  readonly names: readonly string[];
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly ok: boolean;
  readonly seconds: number;
  readonly errors: readonly string[];
  /** The notebook's `report()` rows. */
  readonly rows: readonly Record<string, unknown>[];
}

/** `sweep.json`: which notebook and grid a folder holds. */
export interface SweepManifest {
  readonly sweep: string;
  readonly notebook: string;
  readonly names: readonly string[];
  readonly values: readonly (readonly ParameterValue[])[];
  readonly size: number;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/**
 * Creates the sweep folder (or checks that an existing one holds the same sweep) and writes
 * `sweep.json`. Several pods of a Job may do this at once: the content is the same, the write atomic.
 */
export function openSweepDir(dir: string, notebook: string, grid: SweepGrid): SweepManifest {
  const manifest: SweepManifest = {
    sweep: gridHash(notebook, grid), notebook: path.basename(notebook), names: grid.names, values: grid.values, size: gridSize(grid),
  };
  const existing = readJson<SweepManifest>(path.join(dir, "sweep.json"));
  if (existing && existing.sweep !== manifest.sweep) {
    bad("--out", `be empty or hold the same sweep (it holds ${existing.notebook} with ${existing.names.join(", ")}, hash ${existing.sweep})`, dir);
  }
  fs.mkdirSync(path.join(dir, "runs"), { recursive: true });
  if (!existing) writeFileAtomic(path.join(dir, "sweep.json"), JSON.stringify(manifest, null, 1) + "\n");
  return manifest;
}

/** Whether point `index` of the sweep in `dir` has finished successfully. */
export function pointDone(dir: string, index: number, sweep: string): boolean {
  const record = readJson<PointRecord>(path.join(dir, "runs", `${runId(index)}.json`));
  return record !== undefined && record.ok && record.sweep === sweep;
}

/**
 * Runs one point of the grid in this process (its own Jupyter server) and writes its executed
 * notebook and `runs/run-NNNN.json` into `dir`. Returns the record.
 */
export async function runPoint(
  file: string, grid: SweepGrid, index: number, dir: string,
  options: { signal?: AbortSignal; log?: (line: string) => void; cellTimeoutSeconds?: number } = {},
): Promise<PointRecord> {
  const parameters = gridPoint(grid, index);
  const manifest = openSweepDir(dir, file, grid);
  const id = runId(index);
  const [run] = await runNotebooks([file], {
    parameters, outputPath: path.join(dir, "runs", `${id}.ipynb`), signal: options.signal, log: options.log, cellTimeoutSeconds: options.cellTimeoutSeconds,
  });
  const record: PointRecord = {
    sweep: manifest.sweep, notebook: manifest.notebook, index, names: grid.names, parameters: run!.parameters,
    ok: run!.ok, seconds: run!.seconds, errors: run!.errors, rows: run!.results as unknown as Record<string, unknown>[],
  };
  writeFileAtomic(path.join(dir, "runs", `${id}.json`), JSON.stringify(record, null, 1) + "\n");
  return record;
}

/** How `runSweep` starts one point: a child process running `sweep.js … --index i`. */
export type PointLauncher = (index: number, logFile: string) => ChildProcess;

export interface SweepOptions {
  /** Points run at once. Default: `os.availableParallelism()`. */
  readonly jobs: number;
  /** The sweep folder. */
  readonly dir: string;
  /** Progress lines (default console.log). */
  readonly log?: (line: string) => void;
  /** Stops the sweep: running points get SIGTERM (they stop their kernels and servers), no new one starts. */
  readonly signal?: AbortSignal;
  /** Starts a point (default: this CLI with `--index`, output to the point's log file). */
  readonly launch?: PointLauncher;
}

/** The outcome of a local sweep. */
export interface SweepOutcome {
  /** Points skipped because an earlier sweep finished them. */
  readonly skipped: readonly number[];
  /** Points run now that succeeded, and that failed. */
  readonly succeeded: readonly number[];
  readonly failed: readonly number[];
}

/** The default launcher: `node dist/kernel/bin/sweep.js <notebook> -p … --index i --out dir`, output to `logFile`. */
export function cliLauncher(file: string, grid: SweepGrid, dir: string): PointLauncher {
  const cli = path.join(__dirname, "bin", "sweep.js");
  return (index, logFile) => {
    const out = fs.openSync(logFile, "w");
    try {
      return spawn(process.execPath, [cli, file, ...gridArguments(grid), "--index", String(index), "--out", dir], {
        cwd: repoRoot, stdio: ["ignore", out, out], env: { ...process.env, INIT_CWD: repoRoot },
      });
    } finally {
      fs.closeSync(out);
    }
  };
}

/**
 * Runs every unfinished point of the grid, `jobs` at a time, each in a process of its own.
 * Resolves when all have ended; a stop (signal) rejects with `RunStopped` after the running
 * points have stopped.
 */
export async function runSweep(file: string, grid: SweepGrid, options: SweepOptions): Promise<SweepOutcome> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!Number.isInteger(options.jobs) || options.jobs < 1) bad("--jobs", "be a positive integer", options.jobs);
  const manifest = openSweepDir(options.dir, file, grid);
  const size = gridSize(grid);
  const skipped: number[] = [];
  const todo: number[] = [];
  for (let i = 0; i < size; i++) (pointDone(options.dir, i, manifest.sweep) ? skipped : todo).push(i);
  log(`sweep ${manifest.notebook}: ${size} points (${grid.names.map((n, k) => `${n} × ${grid.values[k]!.length}`).join(", ")}), ${skipped.length} already done, ${Math.min(options.jobs, todo.length)} at a time, in ${options.dir}`);
  const launch = options.launch ?? cliLauncher(file, grid, options.dir);
  const succeeded: number[] = [];
  const failed: number[] = [];
  const running = new Set<ChildProcess>();
  const stop = (): void => {
    for (const child of running) child.kill("SIGTERM");
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length && !options.signal?.aborted) {
      const index = todo[next++]!;
      const id = runId(index);
      const logFile = path.join(options.dir, "runs", `${id}.log`);
      const started = Date.now();
      log(`  ${id} ${describePoint(gridPoint(grid, index))}: started`);
      const child = launch(index, logFile);
      running.add(child);
      const code = await new Promise<number>((resolve) => {
        child.once("error", () => resolve(1));
        child.once("exit", (c, s) => resolve(c ?? 128 + (s ? os.constants.signals[s] : 0)));
      });
      running.delete(child);
      const ok = code === 0 && pointDone(options.dir, index, manifest.sweep);
      (ok ? succeeded : failed).push(index);
      const status = ok ? "ok" : options.signal?.aborted ? `stopped (exit ${code})` : `FAILED (exit ${code}; see ${shownPath(logFile)})`;
      log(`  ${id}: ${status} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs, todo.length) }, worker));
  } finally {
    options.signal?.removeEventListener("abort", stop);
  }
  if (options.signal?.aborted) throw new RunStopped(String(options.signal.reason));
  return { skipped, succeeded: succeeded.sort((a, b) => a - b), failed: failed.sort((a, b) => a - b) };
}

/** A path relative to the repository root when inside it, else as is. */
function shownPath(file: string): string {
  const relative = path.relative(repoRoot, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/** `n=400, seed=2`. */
export function describePoint(point: Readonly<Record<string, ParameterValue>>): string {
  return Object.entries(point).map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : String(v)}`).join(", ");
}

/** The columns of a result row kept in the table (nested fields such as `target` become `target` text). */
const ROW_COLUMNS = ["quantity", "ours", "unit", "paper", "source", "on", "target", "met"] as const;

/** One table row per report row: `run`, the parameters, `ok`, then the row's flat fields. */
function tableRows(records: readonly PointRecord[], names: readonly string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const record of records) {
    const base: Record<string, unknown> = { run: record.index };
    for (const name of names) base[name] = record.parameters[name] ?? null;
    base.ok = record.ok;
    for (const row of record.rows) {
      const flat: Record<string, unknown> = { ...base };
      for (const column of ROW_COLUMNS) {
        let value: unknown = row[column];
        if (column === "target") value = row.targetText ?? (typeof row.target === "string" ? row.target : undefined);
        if (column === "met") value = row.met ?? row.pass;
        flat[column] = value === undefined ? null : value;
      }
      out.push(flat);
    }
  }
  return out;
}

/**
 * The rows with every column of mixed types (`ours` holds numbers and text when a notebook
 * reports both) as text: an Arrow column has one type. CSV and the arquero table keep the values.
 */
function arrowRows(rows: readonly Record<string, unknown>[], columns: readonly string[]): Record<string, unknown>[] {
  const mixed = columns.filter((c) => new Set(rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined).map((v) => typeof v)).size > 1);
  if (mixed.length === 0) return [...rows];
  return rows.map((r) => {
    const copy = { ...r };
    for (const c of mixed) if (copy[c] !== null && copy[c] !== undefined) copy[c] = String(copy[c]);
    return copy;
  });
}

/** What `collectSweep` found and wrote. */
export interface Collected {
  /** The arquero table: one row per report row, with `run`, the parameters and `ok` as columns. */
  readonly table: { numRows(): number; objects(): Record<string, unknown>[]; columnNames(): string[] };
  readonly records: readonly PointRecord[];
  /** Grid points without a record (not run yet, or lost), when sweep.json gives the grid size. */
  readonly missing: readonly number[];
  /** Points whose run failed. */
  readonly failed: readonly number[];
  /** The files written: results.csv, results.arrow, figure.json (absent when no row has a numeric `ours` and a numeric swept parameter). */
  readonly files: readonly string[];
  readonly figure?: Figure;
}

interface Arquero {
  from(rows: readonly object[], names?: readonly string[]): Collected["table"];
  toCSV(table: unknown): string;
  toArrowIPC(table: unknown): Uint8Array;
}

/**
 * The figure of a sweep: the first quantity with a numeric `ours` against the first swept
 * parameter with several numeric values, one line per combination of the other parameters.
 */
export function sweepFigure(rows: readonly Record<string, unknown>[], names: readonly string[], title: string): Figure | undefined {
  const x = names.find((n) => {
    const values = new Set(rows.map((r) => r[n]));
    return values.size > 1 && [...values].every((v) => typeof v === "number");
  });
  const quantity = rows.find((r) => typeof r.ours === "number" && Number.isFinite(r.ours))?.quantity;
  if (x === undefined || typeof quantity !== "string") return undefined;
  const by = names.filter((n) => n !== x && new Set(rows.map((r) => r[n])).size > 1);
  return sweepPlot(rows.filter((r) => r.quantity === quantity && typeof r.ours === "number"), { x, by, quantity, title });
}

/**
 * Merges the point records found in `dir/runs/` (a local sweep's folder, or a Kubernetes Job's
 * volume) into one arquero table, written as `results.csv` and `results.arrow` (Arrow IPC; a
 * column of mixed types, such as `ours` with numbers and text, is written as text there), and
 * draws `figure.json`. Every record must belong to one sweep. (Parquet: arquero 8 has no Parquet
 * writer; Arrow is what it writes without another package.)
 */
export function collectSweep(dir: string): Collected {
  const runsDir = path.join(dir, "runs");
  if (!fs.existsSync(runsDir)) bad("--collect", "be a sweep folder (with runs/)", dir);
  const records: PointRecord[] = [];
  for (const name of fs.readdirSync(runsDir).filter((f) => /^run-\d+\.json$/.test(f)).sort()) {
    const record = readJson<PointRecord>(path.join(runsDir, name));
    if (!record || typeof record.sweep !== "string" || !Array.isArray(record.rows)) bad(`runs/${name}`, "be a point record written by the sweep", path.join(runsDir, name));
    records.push(record);
  }
  if (records.length === 0) bad("--collect", "hold at least one finished point (runs/run-NNNN.json)", dir);
  const sweeps = [...new Set(records.map((r) => r.sweep))];
  if (sweeps.length > 1) bad("--collect", "hold the points of one sweep", `${dir} with ${sweeps.join(", ")}`);
  records.sort((a, b) => a.index - b.index);
  const manifest = readJson<SweepManifest>(path.join(dir, "sweep.json"));
  const names = manifest?.names ?? records[0]!.names;
  const seen = new Set(records.map((r) => r.index));
  const missing = manifest ? Array.from({ length: manifest.size }, (_, i) => i).filter((i) => !seen.has(i)) : [];
  const rows = tableRows(records, names);
  const columns = ["run", ...names, "ok", ...ROW_COLUMNS];
  // arquero 8 is ESM-only; Node ≥ 20.19 loads it through require(esm).
  const aq = require("arquero") as Arquero;
  const table = aq.from(rows, columns);
  const files: string[] = [];
  const csv = path.join(dir, "results.csv");
  writeFileAtomic(csv, aq.toCSV(table));
  files.push(csv);
  const arrow = path.join(dir, "results.arrow");
  writeFileAtomic(arrow, aq.toArrowIPC(aq.from(arrowRows(rows, columns), columns)));
  files.push(arrow);
  const figure = sweepFigure(rows.filter((r) => r.ok === true), names, `${records[0]!.notebook}: sweep`);
  if (figure) {
    const file = path.join(dir, "figure.json");
    writeFileAtomic(file, JSON.stringify(figure) + "\n");
    files.push(file);
  }
  return { table, records, missing, failed: records.filter((r) => !r.ok).map((r) => r.index), files, figure };
}
