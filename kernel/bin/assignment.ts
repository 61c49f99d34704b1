/**
 * `npm run assignment -- release|grade …`: course assignments in nbgrader's format
 * (kernel/assignment.ts, kernel/grader.ts). See `usage` below.
 *
 * Exit status: 0 when the release was written, or when every submission was graded; 1 when some
 * submission could not be graded (each is listed with the reason, the others are graded); 2 for
 * a bad command line or an unsound source notebook (nothing ran); 128 + n when stopped by signal
 * n (the kernels and the server are shut down, and what was graded is written).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { AssignmentError, defaultReleasePath, readAssignment } from "../assignment";
import { defaultJobs, gradeAssignment, gradeDefaults } from "../grader";
import { RunStopped, writeNotebook } from "../runner";
import { stopOnSignals } from "./stop-signals";

export const usage = `usage: npm run assignment -- release SOURCE.ipynb [-o FILE]
       npm run assignment -- grade SOURCE.ipynb SUBMISSIONS [options]

  release              writes the student version of SOURCE: solution regions replaced by stubs,
                       hidden tests removed, outputs cleared, nbgrader's checksums on the locked
                       cells; default build/assignments/release/<name>.ipynb
  grade                runs every submission in the folder SUBMISSIONS (<student>/<name>.ipynb, as
                       nbgrader collects them, or <student>.ipynb), each in a fresh kernel, and
                       writes grades.csv, grades.html, grades.json and per student the graded
                       notebook and its feedback page; default build/assignments/graded/<name>/

  -o, --output FILE    release: where to write the student version
  --out DIR            grade: where the grades and feedback go
  --quick              grade: quick mode (quick = true in the parameters cell), as in CI
  --cell-timeout S     grade: time limit of one cell, seconds (default ${gradeDefaults.cellTimeoutSeconds})
  --notebook-timeout S grade: time limit of one notebook, seconds (default ${gradeDefaults.notebookTimeoutSeconds})
  --memory MB          grade: memory limit of each kernel (default ${gradeDefaults.memoryMb})
  -j, --jobs N         grade: submissions graded at once (default ${defaultJobs()} here: half the cores)
  -h, --help           this message`;

export interface AssignmentCommandLine {
  readonly command?: "release" | "grade";
  readonly source?: string;
  readonly submissions?: string;
  readonly output?: string;
  readonly outDir?: string;
  readonly quick: boolean;
  readonly cellTimeoutSeconds: number;
  readonly notebookTimeoutSeconds: number;
  readonly memoryMb: number;
  readonly jobs: number;
  readonly help: boolean;
}

function positiveOption(name: string, text: string | undefined, fallback: number, integer: boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? "a whole number" : "a number"} > 0, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Parses the command line; paths are resolved against `cwd` (npm's INIT_CWD: where npm was run). */
export function parseAssignmentCommandLine(argv: readonly string[], cwd: string): AssignmentCommandLine {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: "string", short: "o" },
      out: { type: "string" },
      quick: { type: "boolean" },
      "cell-timeout": { type: "string" },
      "notebook-timeout": { type: "string" },
      memory: { type: "string" },
      jobs: { type: "string", short: "j" },
      help: { type: "boolean", short: "h" },
    },
  });
  const common = {
    quick: values.quick ?? false,
    cellTimeoutSeconds: positiveOption("--cell-timeout", values["cell-timeout"], gradeDefaults.cellTimeoutSeconds, false),
    notebookTimeoutSeconds: positiveOption("--notebook-timeout", values["notebook-timeout"], gradeDefaults.notebookTimeoutSeconds, false),
    memoryMb: positiveOption("--memory", values.memory, gradeDefaults.memoryMb, true),
    jobs: positiveOption("--jobs", values.jobs, defaultJobs(), true),
    help: values.help ?? false,
  };
  if (common.help && positionals.length === 0) return common;
  const [command, ...rest] = positionals;
  if (command !== "release" && command !== "grade") throw new Error(`the command must be release or grade, got ${command === undefined ? "none" : JSON.stringify(command)}`);
  const wanted = command === "release" ? 1 : 2;
  if (rest.length !== wanted) {
    throw new Error(command === "release"
      ? `release takes one source notebook, got ${rest.length === 0 ? "none" : rest.join(" ")}`
      : `grade takes a source notebook and a submissions folder, got ${rest.length === 0 ? "none" : rest.join(" ")}`);
  }
  if (!rest[0]!.endsWith(".ipynb")) throw new Error(`the source must be an .ipynb notebook, got ${rest[0]}`);
  const gradeOnly = ["out", "quick", "cell-timeout", "notebook-timeout", "memory", "jobs"] as const;
  if (command === "release") {
    const given = gradeOnly.filter((k) => values[k] !== undefined);
    if (given.length > 0) throw new Error(`release takes no ${given.map((k) => `--${k}`).join(", ")} (grade options)`);
  } else if (values.output !== undefined) {
    throw new Error("grade takes --out DIR, not -o/--output (a release option)");
  }
  return {
    ...common, command, source: path.resolve(cwd, rest[0]!),
    submissions: command === "grade" ? path.resolve(cwd, rest[1]!) : undefined,
    output: values.output !== undefined ? path.resolve(cwd, values.output) : undefined,
    outDir: values.out !== undefined ? path.resolve(cwd, values.out) : undefined,
  };
}

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}

async function main(argv: readonly string[]): Promise<number> {
  let line: AssignmentCommandLine;
  try {
    line = parseAssignmentCommandLine(argv, process.env.INIT_CWD ?? process.cwd());
  } catch (err) {
    console.error(`npm run assignment: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  if (line.help) {
    console.log(usage);
    return 0;
  }
  if (line.command === "release") {
    try {
      const assignment = readAssignment(line.source!);
      const out = line.output ?? defaultReleasePath(assignment.name);
      writeNotebook(out, assignment.release);
      const tests = assignment.graded.filter((g) => g.kind === "test");
      console.log(`released ${assignment.name}: ${tests.length} test cells (${tests.reduce((s, g) => s + g.points, 0)} points), ` +
        `${assignment.graded.length - tests.length} ${assignment.graded.length - tests.length === 1 ? "answer" : "answers"} graded by hand → ${shown(out)}`);
      return 0;
    } catch (err) {
      console.error(`npm run assignment: ${err instanceof Error ? err.message : String(err)}`);
      return err instanceof AssignmentError ? 2 : 1;
    }
  }
  const stop = stopOnSignals("stopping the kernels and the Jupyter server…");
  // @jupyterlab/services says "Starting WebSocket: …" on console.debug for every kernel: one line per submission of noise.
  console.debug = () => undefined;
  try {
    const outcome = await gradeAssignment(line.source!, line.submissions!, {
      quick: line.quick, cellTimeoutSeconds: line.cellTimeoutSeconds, notebookTimeoutSeconds: line.notebookTimeoutSeconds,
      memoryMb: line.memoryMb, jobs: line.jobs, outDir: line.outDir, signal: stop.signal,
    });
    const rejected = outcome.grades.filter((g) => g.status === "rejected");
    console.log(`\n${outcome.grades.length - rejected.length} graded, ${rejected.length} rejected; grades and feedback in ${shown(outcome.outDir)}`);
    for (const file of outcome.files) console.log(`  ${shown(file)}`);
    return rejected.length > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof RunStopped || stop.signal.aborted) return stop.exitCode();
    console.error(`npm run assignment: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof AssignmentError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    console.error(`npm run assignment: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
