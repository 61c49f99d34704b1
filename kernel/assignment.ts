/**
 * Course assignments in nbgrader's format (kernel/nbgrader.ts): reading a source notebook — the
 * instructor's, with solutions — and releasing the student version of it.
 *
 * Authoring. Solution regions are marked inside code cells by lines holding `// BEGIN SOLUTION`
 * and `// END SOLUTION`, and in markdown cells by `BEGIN SOLUTION` / `END SOLUTION`; a line that
 * holds the words is a marker, as in nbgrader, so the same notebook releases the same way there.
 * A solution cell (`solution: true`) without a region is a solution as a whole. Test cells
 * (`grade: true`, with `points`) are locked and may hold `// BEGIN HIDDEN TESTS` …
 * `// END HIDDEN TESTS` regions, which the student never sees and the grader puts back.
 *
 * Release. Solution regions become a stub (`throw new Error("your code here");` in code, indented
 * as the marker; "YOUR ANSWER HERE" in markdown), hidden tests go, outputs and execution counts
 * are cleared, cell ids stay, and every grade, solution or locked cell gets nbgrader's checksum
 * and cell type plus JupyterLab's `deletable`/`editable` flags, as `nbgrader generate_assignment`
 * writes them.
 */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./jupyter";
import { computeChecksum, isGrade, isLocked, isSolution, nbgraderOf, nbgraderProblems } from "./nbgrader";
import { type Notebook, type NotebookCell, sourceOf } from "./runner";

/** The stub that replaces a solution region in a code cell. */
export const CODE_STUB = 'throw new Error("your code here");';
/** The stub that replaces a solution region in a markdown cell. */
export const TEXT_STUB = "YOUR ANSWER HERE";

/** A source notebook that breaks the rules: the message lists every problem, one per line. */
export class AssignmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssignmentError";
  }
}

/** A graded cell of an assignment: a test (autograded) or an answer graded by hand. */
export interface GradedCell {
  readonly gradeId: string;
  readonly points: number;
  /** "test": a locked code cell that passes when it runs without error; "manual": an answer (grade and solution) read by the instructor. */
  readonly kind: "test" | "manual";
  /** Its index in the source notebook. */
  readonly index: number;
}

/** An assignment read from its source notebook. */
export interface Assignment {
  /** The file name without `.ipynb`, e.g. "lif-neuron". */
  readonly name: string;
  /** The source file, absolute. */
  readonly file: string;
  /** The source notebook (with solutions and hidden tests). */
  readonly source: Notebook;
  /** The student version. */
  readonly release: Notebook;
  /** Its graded cells, in order. */
  readonly graded: readonly GradedCell[];
}

type Region = "SOLUTION" | "HIDDEN TESTS";

/**
 * Replaces each `BEGIN <region>` … `END <region>` block of `text` by `stub` (indented as the
 * BEGIN line; no stub: the block goes). Returns the new text, whether a region was found and
 * the problems (nested, unclosed or unopened regions).
 */
export function replaceRegions(text: string, region: Region, stub?: readonly string[]): { text: string; found: boolean; problems: string[] } {
  const out: string[] = [];
  const problems: string[] = [];
  let inside = false;
  let found = false;
  const lines = text.split("\n");
  lines.forEach((line, k) => {
    if (line.includes(`BEGIN ${region}`)) {
      if (inside) problems.push(`line ${k + 1}: BEGIN ${region} inside another ${region} region`);
      inside = true;
      found = true;
      const indent = /^\s*/.exec(line)![0];
      if (stub) out.push(...stub.map((s) => indent + s));
    } else if (line.includes(`END ${region}`)) {
      if (!inside) problems.push(`line ${k + 1}: END ${region} without a BEGIN ${region} before it`);
      inside = false;
    } else if (!inside) {
      out.push(line);
    }
  });
  if (inside) problems.push(`BEGIN ${region} without an END ${region} after it`);
  return { text: out.join("\n"), found, problems };
}

/** A cell's source as nbformat's list of lines (what Jupyter writes). */
function asLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

function label(cell: NotebookCell, index: number): string {
  const id = nbgraderOf(cell)?.grade_id;
  return `cell ${index}${typeof id === "string" && id ? ` (${id})` : ""}`;
}

/** Every problem of a source notebook, one line each (empty when it is a sound assignment). */
export function sourceProblems(nb: Notebook): string[] {
  const problems = nbgraderProblems(nb);
  nb.cells.forEach((cell, index) => {
    const text = sourceOf(cell);
    const solution = replaceRegions(text, "SOLUTION");
    const hidden = replaceRegions(text, "HIDDEN TESTS");
    for (const p of [...solution.problems, ...hidden.problems]) problems.push(`${label(cell, index)}: ${p}`);
    if (solution.found && !isSolution(cell)) problems.push(`${label(cell, index)}: a solution region in a cell not marked as a solution cell (nbgrader: solution: true)`);
    if (hidden.found && !isGrade(cell)) problems.push(`${label(cell, index)}: a hidden-tests region in a cell that is not a grade cell`);
    if (isGrade(cell) && !isSolution(cell) && cell.cell_type !== "code") problems.push(`${label(cell, index)}: a test cell must be a code cell`);
  });
  if (!nb.cells.some(isGrade)) problems.push("the notebook has no graded cell (nbgrader: grade: true, with points)");
  return problems;
}

/** The graded cells of a (sound) source notebook. */
export function gradedCells(nb: Notebook): GradedCell[] {
  const out: GradedCell[] = [];
  nb.cells.forEach((cell, index) => {
    const meta = nbgraderOf(cell);
    if (!meta?.grade) return;
    out.push({ gradeId: meta.grade_id!, points: meta.points!, kind: meta.solution ? "manual" : "test", index });
  });
  return out;
}

/** The student version of one cell (file header); `nbgrader` metadata gains checksum and cell_type. */
export function releaseCell(cell: NotebookCell): NotebookCell {
  let text = sourceOf(cell);
  const stub = cell.cell_type === "code" ? [CODE_STUB] : [TEXT_STUB];
  if (isSolution(cell)) {
    const replaced = replaceRegions(text, "SOLUTION", stub);
    text = replaced.found ? replaced.text : stub.join("\n");
  }
  if (isGrade(cell)) text = replaceRegions(text, "HIDDEN TESTS").text;
  const metadata: NotebookCell["metadata"] = JSON.parse(JSON.stringify(cell.metadata ?? {}));
  const released: NotebookCell = { ...(cell.id !== undefined ? { id: cell.id } : {}), cell_type: cell.cell_type, metadata, source: asLines(text) };
  if (cell.cell_type === "code") {
    released.outputs = [];
    released.execution_count = null;
  }
  const attachments = (cell as { attachments?: unknown }).attachments;
  if (attachments !== undefined) (released as { attachments?: unknown }).attachments = attachments;
  const meta = nbgraderOf(released);
  if (meta && (isGrade(released) || isSolution(released) || isLocked(released))) {
    meta.checksum = computeChecksum(released);
    meta.cell_type = released.cell_type;
    // JupyterLab's own flags, as nbgrader's LockCells sets them.
    metadata.deletable = false;
    if (isLocked(released)) metadata.editable = false;
  }
  return released;
}

/** The student version of a sound source notebook (file header). */
export function releaseNotebook(source: Notebook): Notebook {
  const metadata = { ...source.metadata };
  delete metadata.celltoolbar;
  return { ...source, metadata, cells: source.cells.map(releaseCell) };
}

/** Reads a source notebook, checks it (one `AssignmentError` listing every problem) and releases it. */
export function readAssignment(file: string): Assignment {
  const absolute = path.resolve(file);
  const shown = path.relative(process.cwd(), absolute).startsWith("..") ? absolute : path.relative(process.cwd(), absolute);
  if (!absolute.endsWith(".ipynb")) throw new AssignmentError(`assignment: the source must be an .ipynb notebook, got ${shown}`);
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(absolute, "utf8")) as Notebook;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AssignmentError(`assignment: the source must be a readable notebook, got ${shown} (${code === "ENOENT" ? "no such file" : code ?? "not valid JSON"})`);
  }
  if (nb === null || typeof nb !== "object" || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new AssignmentError(`assignment: the source must be an nbformat 4 notebook, got ${shown}`);
  }
  const problems = sourceProblems(nb);
  if (problems.length > 0) throw new AssignmentError(`assignment: ${shown} is not a sound assignment source:\n  ${problems.join("\n  ")}`);
  return { name: path.basename(absolute, ".ipynb"), file: absolute, source: nb, release: releaseNotebook(nb), graded: gradedCells(nb) };
}

/** Where `npm run assignment -- release` writes by default: build/assignments/release/<name>.ipynb (git-ignored). */
export function defaultReleasePath(name: string): string {
  return path.join(repoRoot, "build", "assignments", "release", `${name}.ipynb`);
}
