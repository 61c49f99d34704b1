/**
 * `npm run sweep -- NAME|PATH -p name=v1,v2 … [options]`: runs a notebook over a grid of
 * parameter values (kernel/sweep.ts) and collects every run's `report()` rows into one table
 * (results.csv, results.arrow) and a figure (figure.json) in the sweep folder. See `usage` below.
 *
 * Exit status: 0 when every point succeeded (or, with --index, the point did), 1 when any failed,
 * 2 for a bad command line or grid (nothing ran), 128 + n when stopped by signal n.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../jupyter";
import { ParameterError, splitParameterArgument } from "../parameters";
import { RunStopped } from "../runner";
import {
  type SweepGrid, checkGrid, collectSweep, defaultSweepDir, describePoint, gridPoint, gridSize, parseValues, runId, runPoint, runSweep,
} from "../sweep";
import { listNotebooks } from "./notebooks";
import { stopOnSignals } from "./stop-signals";

export const usage = `usage: npm run sweep -- NAME|PATH -p N=V1,V2,… [-p …] [options]
       npm run sweep -- --collect DIR

  NAME|PATH            one notebook: a series notebook whose file name contains NAME (10), or a .ipynb path
  -p, --parameter N=VALUES
                       the values of parameter N of the cell tagged "parameters": comma-separated
                       (neurons=100,400,1600), or a JSON array when a value holds a comma
                       (-p 'label=["a,b","c"]'); checked against N's declared type. The grid is
                       the Cartesian product, numbered row-major in the order given (last fastest)
  -j, --jobs N         points run at once, each a runner process with its own Jupyter server
                       (default: the number of cores, ${os.availableParallelism()} here)
  --out DIR            the sweep folder (default test-artifacts/sweeps/<notebook>-<hash of grid>/);
                       a point finished there by an earlier sweep is skipped
  --index I            run only point I of the grid, here (a Kubernetes Indexed Job passes
                       $JOB_COMPLETION_INDEX); does not collect
  --collect DIR        merge the points found in DIR into results.csv, results.arrow and figure.json
  -h, --help           this message

At most 1000 points. The table has one row per report row: run, the parameters, ok, quantity,
ours, unit, paper, source, on, target, met.`;

export interface SweepCommandLine {
  readonly file?: string;
  readonly entries: [string, unknown[]][];
  readonly jobs: number;
  readonly out?: string;
  readonly index?: number;
  readonly collect?: string;
  readonly help: boolean;
}

function bad(param: string, rule: string, value: unknown): never {
  throw new ParameterError(`sweep: ${param} must ${rule}, got ${JSON.stringify(value)}`);
}

function integerOption(param: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) bad(param, `be an integer ≥ ${min}`, text);
  return Number(text);
}

/** Parses the command line; paths are resolved against `cwd` (npm's INIT_CWD: where npm was run). */
export function parseSweepCommandLine(argv: readonly string[], cwd: string): SweepCommandLine {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      parameter: { type: "string", short: "p", multiple: true },
      jobs: { type: "string", short: "j" },
      out: { type: "string" },
      index: { type: "string" },
      collect: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const help = values.help ?? false;
  const jobs = integerOption("--jobs", values.jobs, 1) ?? os.availableParallelism();
  if (values.collect !== undefined) {
    if (positionals.length > 0 || values.parameter || values.index !== undefined || values.out !== undefined) {
      bad("--collect", "be given alone (no notebook, -p, --index or --out)", argv.join(" "));
    }
    return { entries: [], jobs, collect: path.resolve(cwd, values.collect), help };
  }
  if (help && positionals.length === 0) return { entries: [], jobs, help };
  if (positionals.length !== 1) bad("the notebook", "be one name or .ipynb path", positionals.join(" "));
  const given = positionals[0]!;
  let file: string;
  if (given.endsWith(".ipynb")) file = path.resolve(cwd, given);
  else {
    const matches = listNotebooks([given]);
    if (matches.length !== 1) bad("the notebook name", `match exactly one of notebooks/NN-*.ipynb (it matches ${matches.length})`, given);
    file = path.join(repoRoot, matches[0]!);
  }
  const entries: [string, unknown[]][] = [];
  for (const item of values.parameter ?? []) {
    const split = splitParameterArgument(item);
    if (!split) bad("-p", "be NAME=VALUES with NAME an identifier", item);
    entries.push([split.name, parseValues(split.name, split.text)]);
  }
  return {
    file, entries, jobs,
    out: values.out !== undefined ? path.resolve(cwd, values.out) : undefined,
    index: integerOption("--index", values.index, 0),
    help,
  };
}

function collect(dir: string): number {
  const collected = collectSweep(dir);
  const { records, missing, failed, files } = collected;
  console.log(`collected ${collected.table.numRows()} rows from ${records.length} points of ${records[0]!.notebook} in ${dir}`);
  if (failed.length > 0) console.log(`failed points: ${failed.map(runId).join(", ")}`);
  if (missing.length > 0) console.log(`points without a result: ${missing.map(runId).join(", ")}`);
  for (const file of files) {
    const relative = path.relative(process.cwd(), file);
    console.log(`  ${relative.startsWith("..") ? file : relative}`);
  }
  return failed.length > 0 || missing.length > 0 ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  let line: SweepCommandLine;
  let grid: SweepGrid | undefined;
  try {
    line = parseSweepCommandLine(argv, process.env.INIT_CWD ?? process.cwd());
    if (line.help) {
      console.log(usage);
      return 0;
    }
    if (line.file) {
      grid = checkGrid(line.file, line.entries, path.relative(repoRoot, line.file));
      if (line.index !== undefined) gridPoint(grid, line.index);
    }
  } catch (err) {
    console.error(`npm run sweep: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  if (line.collect !== undefined) {
    try {
      return collect(line.collect);
    } catch (err) {
      console.error(`npm run sweep: ${err instanceof Error ? err.message : String(err)}`);
      return err instanceof ParameterError ? 2 : 1;
    }
  }
  const file = line.file!;
  const dir = line.out ?? defaultSweepDir(file, grid!);
  const stop = stopOnSignals("stopping the running points…");
  try {
    if (line.index !== undefined) {
      console.log(`${runId(line.index)} of ${gridSize(grid!)}: ${describePoint(gridPoint(grid!, line.index))} → ${dir}`);
      const record = await runPoint(file, grid!, line.index, dir, { signal: stop.signal });
      return record.ok ? 0 : 1;
    }
    const outcome = await runSweep(file, grid!, { jobs: line.jobs, dir, signal: stop.signal });
    console.log(`${outcome.succeeded.length} points ran, ${outcome.failed.length} failed, ${outcome.skipped.length} skipped (done before)`);
    const collected = collect(dir);
    return outcome.failed.length > 0 ? 1 : collected;
  } catch (err) {
    if (err instanceof RunStopped || stop.signal.aborted) return stop.exitCode();
    console.error(`npm run sweep: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof ParameterError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    console.error(`npm run sweep: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
