/**
 * nbgrader's cell metadata, schema version 3, so that a course running nbgrader takes our
 * assignment notebooks as they are. Learned from nbgrader's sources (jupyter/nbgrader:
 * nbgrader/nbgraderformat/v3.json and v3.py, nbgrader/utils.py, the preprocessors
 * computechecksums.py and lockcells.py); the code here is ours.
 *
 * A cell's `metadata.nbgrader` holds `schema_version` (3), `grade` (a test or manually graded
 * answer, worth `points`), `solution` (the student writes here), `locked` (read-only), `task`,
 * `grade_id` (unique in the notebook) and, in a released notebook, `checksum` and `cell_type`.
 *
 * The checksum is nbgrader's `compute_checksum`: the MD5 hex digest of the UTF-8 bytes of, in
 * order, the cell's source, its cell type, Python's `str()` of whether it is a grade cell, a
 * solution cell and a locked cell ("True"/"False"), its grade_id and — for a grade cell only —
 * Python's `str(float(points))` ("1.0", "2.5"). A grade cell that is not a solution cell counts
 * as locked whatever its `locked` field says; a solution cell never does.
 */
import { createHash } from "node:crypto";
import Ajv from "ajv";
import type { Notebook, NotebookCell } from "./runner";

/** `metadata.nbgrader` of a cell, schema version 3. */
export interface NbgraderMetadata {
  schema_version: 3;
  grade: boolean;
  solution: boolean;
  locked: boolean;
  task?: boolean;
  grade_id?: string;
  points?: number;
  checksum?: string;
  cell_type?: "code" | "markdown" | "raw";
}

/**
 * nbgrader's v3 cell-metadata schema, as published in nbgrader/nbgraderformat/v3.json (draft-04
 * there; the keywords it uses mean the same in draft-07, which ajv reads by default).
 */
export const nbgraderSchemaV3 = Object.freeze({
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "nbgrader cell metadata schema, version 3",
  type: "object",
  properties: {
    schema_version: { type: "integer", minimum: 3, maximum: 3 },
    grade: { type: "boolean" },
    locked: { type: "boolean" },
    solution: { type: "boolean" },
    task: { type: "boolean" },
    grade_id: { type: "string", pattern: "^[a-zA-Z0-9_\\-]*$" },
    points: { type: "number", minimum: 0 },
    checksum: { type: "string", minLength: 32, maxLength: 32 },
    cell_type: { type: "string", enum: ["raw", "code", "markdown"] },
  },
  required: ["schema_version", "grade", "locked", "solution"],
  additionalProperties: false,
});

let validator: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null } | undefined;

/** The schema violations of one `metadata.nbgrader` value, as readable lines (empty when valid). */
export function nbgraderSchemaErrors(metadata: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(nbgraderSchemaV3);
  if (validator(metadata)) return [];
  return (validator.errors ?? []).map((e) => {
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "metadata.nbgrader";
    const extra = e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : "";
    return `${where} ${e.message ?? "is invalid"}${extra}`;
  });
}

/** The cell's nbgrader metadata, or undefined for a cell nbgrader does not manage. */
export function nbgraderOf(cell: NotebookCell): NbgraderMetadata | undefined {
  const meta = cell.metadata?.nbgrader;
  return meta !== null && typeof meta === "object" ? (meta as NbgraderMetadata) : undefined;
}

/** Whether the cell is graded (a test cell, or an answer graded by hand), as nbgrader's `is_grade`. */
export function isGrade(cell: NotebookCell): boolean {
  return nbgraderOf(cell)?.grade === true;
}

/** Whether the student writes in this cell, as nbgrader's `is_solution`. */
export function isSolution(cell: NotebookCell): boolean {
  return nbgraderOf(cell)?.solution === true;
}

/** Whether the cell is read-only for students, as nbgrader's `is_locked`: grade cells that are not solutions always are. */
export function isLocked(cell: NotebookCell): boolean {
  const meta = nbgraderOf(cell);
  if (!meta || meta.solution === true) return false;
  return meta.grade === true || meta.locked === true;
}

/**
 * Python's `repr(float(x))` (= `str`), which nbgrader hashes for points: the shortest digits
 * that read back as x (as JavaScript's), positional for exponents −4…15 with ".0" on whole
 * numbers, else `d.dde±XX`.
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  let text: string;
  if (exponent < 0) text = "0." + "0".repeat(-exponent - 1) + digits;
  else if (digits.length <= exponent + 1) text = digits + "0".repeat(exponent + 1 - digits.length) + ".0";
  else text = digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1);
  return (negative ? "-" : "") + text;
}

function sourceText(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * nbgrader's checksum of a cell (file header): what a released notebook stores for its grade,
 * solution and locked cells, and what the grader recomputes to catch an edited locked cell.
 * @example
 *   computeChecksum({ cell_type: "code", source: "check.that(true);", metadata: { nbgrader: {
 *     schema_version: 3, grade: true, solution: false, locked: true, grade_id: "t1", points: 1 } } });
 *   // md5("check.that(true);" + "code" + "True" + "False" + "True" + "t1" + "1.0")
 */
export function computeChecksum(cell: NotebookCell): string {
  const meta = nbgraderOf(cell);
  if (!meta || typeof meta.grade_id !== "string") throw new Error("computeChecksum: cell must have nbgrader metadata with a grade_id");
  const python = (b: boolean): string => (b ? "True" : "False");
  const md5 = createHash("md5");
  md5.update(sourceText(cell), "utf8");
  md5.update(cell.cell_type, "utf8");
  md5.update(python(isGrade(cell)), "utf8");
  md5.update(python(isSolution(cell)), "utf8");
  md5.update(python(isLocked(cell)), "utf8");
  md5.update(meta.grade_id, "utf8");
  if (isGrade(cell)) {
    if (typeof meta.points !== "number") throw new Error(`computeChecksum: grade cell ${meta.grade_id} must have points`);
    md5.update(pythonFloat(meta.points), "utf8");
  }
  return md5.digest("hex");
}

/**
 * Every way `nb`'s nbgrader metadata breaks nbgrader's rules, one line each (empty when sound):
 * the v3 schema, then the checks nbgrader's validator adds — a grade_id on every grade, solution
 * or locked cell, points on every grade cell, markdown cells graded only as solutions (and
 * solutions only graded), task cells in markdown, and no grade_id twice.
 */
export function nbgraderProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  nb.cells.forEach((cell, index) => {
    const meta = nbgraderOf(cell);
    if (cell.metadata?.nbgrader === undefined) return;
    const at = `cell ${index}${meta && typeof meta.grade_id === "string" ? ` (${meta.grade_id})` : ""}`;
    const schema = nbgraderSchemaErrors(cell.metadata.nbgrader);
    if (schema.length > 0) {
      problems.push(...schema.map((e) => `${at}: ${e}`));
      return;
    }
    const m = meta!;
    if ((m.grade || m.solution || m.locked) && !m.grade_id) problems.push(`${at}: a grade, solution or locked cell must have a non-empty grade_id`);
    if (m.grade && m.points === undefined) problems.push(`${at}: a grade cell must have points`);
    if (m.task) {
      if (cell.cell_type !== "markdown") problems.push(`${at}: a task cell must be a markdown cell`);
    } else if (cell.cell_type === "markdown" && m.grade !== m.solution) {
      problems.push(`${at}: a markdown cell that is graded must be a solution cell, and the reverse (a written answer graded by hand)`);
    }
    if ((m.grade || m.solution || m.locked) && m.grade_id) {
      const first = seen.get(m.grade_id);
      if (first !== undefined) problems.push(`${at}: grade_id ${m.grade_id} is used twice (first in cell ${first})`);
      else seen.set(m.grade_id, index);
    }
  });
  return problems;
}
