/**
 * `npm run notebooks [-- <names or paths…>] [options]`: executes notebooks headless through a
 * real Jupyter server with the snnlab kernel (kernel/runner.ts). See `usage` below.
 *
 * Outputs: a series notebook run with its defaults (full mode) is rewritten in place when it
 * succeeds, and notebooks/RESULTS.md and results.json are updated from it. A run with parameters
 * (`--quick` included) or of a notebook outside notebooks/ writes to test-artifacts/notebooks/
 * unless `-o`/`--output-dir` says where; it never overwrites the notebook and never touches the
 * results. Exit status: 0 when every cell of every notebook ran without error, 1 when any failed,
 * 2 for a bad command line or parameter, 128 + n when stopped by signal n (SIGHUP, SIGINT,
 * SIGTERM: the kernels and the server are shut down first, and the executed part is written as
 * `<name>.partial.ipynb`).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../jupyter";
import { ParameterError, splitParameterArgument } from "../parameters";
import { updateResults } from "../results-file";
import { type NotebookRun, RunStopped, isSeriesNotebook, runNotebooks } from "../runner";
import { stopOnSignals } from "./stop-signals";

export const usage = `usage: npm run notebooks -- [NAME|PATH…] [options]

  NAME                 series notebooks whose file name contains it (03, stdp); none: all of notebooks/NN-*.ipynb
  PATH                 any notebook file (ends in .ipynb)
  -p, --parameter N=V  set parameter N of the cell tagged "parameters" (repeatable); V is checked
                       against N's declared type (number, boolean or string) and injected after
                       that cell, as papermill does
  --quick              quick mode: the same as -p quick=true
  -o, --output FILE    where to write the executed notebook (one notebook only)
  --output-dir DIR     where to write the executed notebooks
  --in-place           write the executed notebook over the input (only when it succeeds; not with parameters)
  --allow-errors       run every cell, keeping errors in the outputs (the exit status is still 1)
  --cell-timeout S     seconds a cell may run before the run stops (default 3600)
  -h, --help           this message

Default output: a series notebook without parameters (full mode) is rewritten in place and
notebooks/RESULTS.md updated; anything else goes to test-artifacts/notebooks/. A run stopped by
SIGINT, SIGTERM or SIGHUP shuts its kernels and server down, writes <name>.partial.ipynb beside
the output (test-artifacts/notebooks/ for an in-place run) and exits with 128 + the signal number.`;

export function listNotebooks(filters: readonly string[]): string[] {
  const dir = path.join(repoRoot, "notebooks");
  return fs.readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f) && !f.endsWith(".partial.ipynb"))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort()
    .map((f) => `notebooks/${f}`);
}

export interface CommandLine {
  readonly files: string[];
  readonly parameters: Record<string, string>;
  readonly quick: boolean;
  readonly outputPath?: string;
  readonly outputDir?: string;
  readonly allowErrors: boolean;
  /** --cell-timeout: seconds a cell may run (default: the runner's 3600). */
  readonly cellTimeoutSeconds?: number;
  readonly help: boolean;
}

/** Parses the command line; paths are resolved against `cwd` (npm's INIT_CWD: where npm was run). */
export function parseCommandLine(argv: readonly string[], cwd: string): CommandLine {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      parameter: { type: "string", short: "p", multiple: true },
      quick: { type: "boolean" },
      output: { type: "string", short: "o" },
      "output-dir": { type: "string" },
      "in-place": { type: "boolean" },
      "allow-errors": { type: "boolean" },
      "cell-timeout": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const parameters: Record<string, string> = {};
  for (const item of values.parameter ?? []) {
    const split = splitParameterArgument(item);
    if (!split) throw new Error(`-p must be NAME=VALUE with NAME an identifier, got ${JSON.stringify(item)}`);
    parameters[split.name] = split.text;
  }
  const paths = positionals.filter((p) => p.endsWith(".ipynb")).map((p) => path.resolve(cwd, p));
  const names = positionals.filter((p) => !p.endsWith(".ipynb"));
  for (const file of paths) if (!fs.existsSync(file)) throw new Error(`notebook paths must exist, got ${file}`);
  const series = names.length > 0 || paths.length === 0 ? listNotebooks(names).map((f) => path.join(repoRoot, f)) : [];
  if (names.length > 0 && series.length === 0) throw new Error(`names must match notebooks/NN-*.ipynb, got ${names.join(" ")}`);
  const chosen = [...new Set([...series, ...paths])];
  const cellTimeout = values["cell-timeout"] === undefined ? undefined : Number(values["cell-timeout"]);
  if (cellTimeout !== undefined && !(Number.isFinite(cellTimeout) && cellTimeout > 0)) throw new Error(`--cell-timeout must be a number of seconds > 0, got ${JSON.stringify(values["cell-timeout"])}`);
  const outputs = [values.output, values["output-dir"], values["in-place"]].filter((v) => v !== undefined);
  if (outputs.length > 1) throw new Error(`-o, --output-dir and --in-place must not be combined, got ${outputs.length} of them`);
  if (values.output !== undefined && chosen.length !== 1) throw new Error(`-o must go with exactly one notebook, got ${chosen.length}`);
  return {
    files: chosen,
    parameters,
    quick: values.quick ?? false,
    outputPath: values.output !== undefined ? path.resolve(cwd, values.output) : undefined,
    outputDir: values["in-place"] ? "in-place" : values["output-dir"] !== undefined ? path.resolve(cwd, values["output-dir"]) : undefined,
    allowErrors: values["allow-errors"] ?? false,
    cellTimeoutSeconds: cellTimeout,
    help: values.help ?? false,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, process.env.INIT_CWD ?? process.cwd());
  } catch (err) {
    console.error(`npm run notebooks: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  if (line.help) {
    console.log(usage);
    return 0;
  }
  // A signal stops the run cleanly (kernels, server, partial notebook); a second one is not needed.
  const stop = stopOnSignals("stopping the kernels and the Jupyter server…");
  let runs: readonly NotebookRun[];
  try {
    runs = await runNotebooks(line.files, {
      parameters: line.parameters, quick: line.quick, outputPath: line.outputPath, outputDir: line.outputDir,
      allowErrors: line.allowErrors, cellTimeoutSeconds: line.cellTimeoutSeconds, signal: stop.signal,
    });
  } catch (err) {
    // A signal to the whole process group (`timeout`, a terminal's Ctrl-C) also ends the runner's
    // helpers (`jupyter --version`); the failure that follows is the stop, reported as such.
    if (!(err instanceof RunStopped)) await new Promise((resolve) => setTimeout(resolve, 100));
    if (err instanceof RunStopped) updateResultsOf(err.completed);
    if (err instanceof RunStopped || stop.signal.aborted) return stop.exitCode();
    const message = err instanceof Error ? err.message : String(err);
    console.error(`npm run notebooks: ${message}`);
    return err instanceof ParameterError ? 2 : 1;
  }
  console.log("\nnotebook                                   seconds  status");
  for (const run of runs) console.log(`${run.path.padEnd(42)} ${run.seconds.toFixed(1).padStart(7)}  ${run.ok ? "ok" : "FAILED"}`);
  updateResultsOf(runs);
  if (stop.signal.aborted) return stop.exitCode();
  return runs.every((r) => r.ok) ? 0 : 1;
}

/** Updates notebooks/RESULTS.md from the full-mode runs of the series (written in place); other runs are not results. */
function updateResultsOf(runs: readonly NotebookRun[]): void {
  const results = runs.filter((r) => r.inPlace && Object.keys(r.parameters).length === 0 && isSeriesNotebook(path.resolve(repoRoot, r.path)));
  if (results.length > 0) updateResults(results);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    console.error(`npm run notebooks: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
