/**
 * Authoring and release (kernel/assignment.ts) and the `npm run assignment` command line: a
 * malformed source gets one clear message per problem; the student version has stubs, no hidden
 * tests, no outputs, the same cell ids and nbgrader's checksums.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { AssignmentError, CODE_STUB, TEXT_STUB, readAssignment, releaseNotebook, replaceRegions, sourceProblems } from "../../kernel/assignment";
import { parseAssignmentCommandLine } from "../../kernel/bin/assignment";
import { repoRoot } from "../../kernel/jupyter";
import { computeChecksum } from "../../kernel/nbgrader";
import { type Notebook, type NotebookCell, sourceOf, writeNotebook } from "../../kernel/runner";

const dir = path.join(repoRoot, "test-artifacts", "assignments", "release");

function nbgrader(kind: "solution" | "test" | "locked" | "manual", id: string, points = 1): Record<string, unknown> {
  const base = { schema_version: 3, grade: false, solution: false, locked: false, grade_id: id };
  if (kind === "solution") return { ...base, solution: true };
  if (kind === "test") return { ...base, grade: true, locked: true, points };
  if (kind === "manual") return { ...base, grade: true, solution: true, points };
  return { ...base, locked: true };
}

function code(source: string, meta?: Record<string, unknown>, id?: string): NotebookCell {
  return { cell_type: "code", id, source, metadata: meta ? { nbgrader: meta } : {}, outputs: [{ output_type: "stream", name: "stdout", text: ["old\n"] }], execution_count: 3 };
}

function notebook(cells: NotebookCell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "snnlab" } }, cells };
}

const sound = notebook([
  code("import { check } from \"snnlab/kernel\";", nbgrader("locked", "setup"), "setup"),
  code("function f(x: number): number {\n  // BEGIN SOLUTION\n  return 2 * x;\n  // END SOLUTION\n}", nbgrader("solution", "f-answer"), "f-answer"),
  code("check.equal(f(1), 2);\n// BEGIN HIDDEN TESTS\ncheck.equal(f(3), 6);\n// END HIDDEN TESTS\n", nbgrader("test", "f-test", 2), "f-test"),
  code("const g = 1;", nbgrader("solution", "g-answer"), "g-answer"),
  { cell_type: "markdown", id: "why", source: "Why?\nBEGIN SOLUTION\nBecause.\nEND SOLUTION", metadata: { nbgrader: nbgrader("manual", "why", 2) } },
  { cell_type: "markdown", id: "text", source: "Plain text.", metadata: {} },
]);

describe("assignment release", () => {
  it("replaceRegions(text, SOLUTION, stub) puts the stub at the marker's indent", () => {
    const r = replaceRegions("a\n  // BEGIN SOLUTION\n  x\n  // END SOLUTION\nb", "SOLUTION", [CODE_STUB]);
    assert.deepEqual(r, { text: `a\n  ${CODE_STUB}\nb`, found: true, problems: [] });
  });

  it("replaceRegions reports a BEGIN without END, a nested BEGIN and an END without BEGIN", () => {
    assert.deepEqual(replaceRegions("// BEGIN SOLUTION\nx", "SOLUTION").problems, ["BEGIN SOLUTION without an END SOLUTION after it"]);
    assert.deepEqual(replaceRegions("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "SOLUTION").problems, ["line 2: BEGIN SOLUTION inside another SOLUTION region"]);
    assert.deepEqual(replaceRegions("x\n// END HIDDEN TESTS", "HIDDEN TESTS").problems, ["line 2: END HIDDEN TESTS without a BEGIN HIDDEN TESTS before it"]);
  });

  it("sourceProblems(nb) is empty for a sound source and names each problem of a malformed one", () => {
    assert.deepEqual(sourceProblems(sound), []);
    const bad = notebook([
      code("// BEGIN SOLUTION\nx", nbgrader("solution", "a")),
      code("check.that(true);", nbgrader("test", "a")),
      code("check.that(true);", { ...nbgrader("test", "b"), points: undefined }),
      code("// BEGIN SOLUTION\nx\n// END SOLUTION", nbgrader("locked", "c")),
      code("// BEGIN HIDDEN TESTS\nx\n// END HIDDEN TESTS", nbgrader("solution", "d")),
    ]);
    assert.deepEqual(sourceProblems(bad), [
      "cell 1 (a): grade_id a is used twice (first in cell 0)",
      "cell 2 (b): a grade cell must have points",
      "cell 0 (a): BEGIN SOLUTION without an END SOLUTION after it",
      "cell 3 (c): a solution region in a cell not marked as a solution cell (nbgrader: solution: true)",
      "cell 4 (d): a hidden-tests region in a cell that is not a grade cell",
    ]);
    assert.deepEqual(sourceProblems(notebook([code("1")])), ["the notebook has no graded cell (nbgrader: grade: true, with points)"]);
  });

  it("releaseNotebook(source) replaces solutions by stubs, drops hidden tests and outputs, keeps ids, adds checksums and locks", () => {
    const release = releaseNotebook(sound);
    const text = release.cells.map(sourceOf);
    assert.deepEqual(text, [
      "import { check } from \"snnlab/kernel\";",
      `function f(x: number): number {\n  ${CODE_STUB}\n}`,
      "check.equal(f(1), 2);\n",
      CODE_STUB,
      `Why?\n${TEXT_STUB}`,
      "Plain text.",
    ]);
    assert.deepEqual(release.cells.map((c) => c.id), ["setup", "f-answer", "f-test", "g-answer", "why", "text"]);
    for (const c of release.cells.filter((c) => c.cell_type === "code")) {
      assert.deepEqual(c.outputs, []);
      assert.equal(c.execution_count, null);
    }
    for (const c of release.cells.slice(0, 5)) {
      const meta = c.metadata.nbgrader as { checksum: string; cell_type: string };
      assert.equal(meta.checksum, computeChecksum(c));
      assert.equal(meta.cell_type, c.cell_type);
      assert.equal(c.metadata.deletable, false);
    }
    assert.deepEqual(release.cells.map((c) => c.metadata.editable), [false, undefined, false, undefined, undefined, undefined]);
    assert.equal(sourceOf(sound.cells[2]!).includes("HIDDEN"), true, "the source is not changed");
  });

  it("readAssignment(file) throws one AssignmentError listing every problem of a malformed source", () => {
    const file = path.join(dir, "malformed.ipynb");
    writeNotebook(file, notebook([code("// BEGIN SOLUTION\nx", nbgrader("solution", "a")), code("1", nbgrader("test", "a"))]));
    assert.throws(() => readAssignment(file), (err: Error) => {
      assert.ok(err instanceof AssignmentError);
      assert.match(err.message, /is not a sound assignment source:\n {2}cell 1 \(a\): grade_id a is used twice \(first in cell 0\)\n {2}cell 0 \(a\): BEGIN SOLUTION without an END SOLUTION after it$/);
      return true;
    });
    fs.writeFileSync(path.join(dir, "broken.ipynb"), "{ not json");
    assert.throws(() => readAssignment(path.join(dir, "broken.ipynb")), /the source must be a readable notebook, got .*broken\.ipynb \(not valid JSON\)/);
    assert.throws(() => readAssignment(path.join(dir, "missing.ipynb")), /\(no such file\)/);
  });

  it("parseAssignmentCommandLine gives one clear error per bad argument", () => {
    const cwd = repoRoot;
    const line = parseAssignmentCommandLine(["grade", "notebooks/assignments/stdp.ipynb", "subs", "--quick", "--cell-timeout", "5", "-j", "2"], cwd);
    assert.equal(line.command, "grade");
    assert.equal(line.submissions, path.join(repoRoot, "subs"));
    assert.equal(line.cellTimeoutSeconds, 5);
    assert.equal(line.jobs, 2);
    const bad: [string[], RegExp][] = [
      [[], /the command must be release or grade, got none/],
      [["publish", "a.ipynb"], /the command must be release or grade, got "publish"/],
      [["release"], /release takes one source notebook, got none/],
      [["release", "a.ipynb", "b.ipynb"], /release takes one source notebook, got a\.ipynb b\.ipynb/],
      [["grade", "a.ipynb"], /grade takes a source notebook and a submissions folder, got a\.ipynb/],
      [["release", "a.txt"], /the source must be an \.ipynb notebook, got a\.txt/],
      [["release", "a.ipynb", "--quick"], /release takes no --quick \(grade options\)/],
      [["grade", "a.ipynb", "subs", "-o", "x"], /grade takes --out DIR, not -o\/--output/],
      [["grade", "a.ipynb", "subs", "--cell-timeout", "0"], /--cell-timeout must be a number > 0, got "0"/],
      [["grade", "a.ipynb", "subs", "--jobs", "1.5"], /--jobs must be a whole number > 0, got "1\.5"/],
      [["grade", "a.ipynb", "subs", "--memory", "lots"], /--memory must be a whole number > 0, got "lots"/],
      [["grade", "a.ipynb", "subs", "--colour"], /Unknown option '--colour'/],
    ];
    for (const [argv, message] of bad) assert.throws(() => parseAssignmentCommandLine(argv, cwd), message, argv.join(" "));
  });

  it("npm run assignment -- release writes the student version; a malformed source or a bad command line exits 2 with one message", () => {
    const cli = path.join(repoRoot, "dist", "kernel", "bin", "assignment.js");
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, INIT_CWD: repoRoot } });
    const out = path.join(dir, "released", "stdp.ipynb");
    const ok = run("release", "notebooks/assignments/stdp.ipynb", "-o", out);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^released stdp: 3 test cells \(9 points\), 1 answer graded by hand → /);
    assert.deepEqual(JSON.parse(fs.readFileSync(out, "utf8")), JSON.parse(JSON.stringify(readAssignment(path.join(repoRoot, "notebooks", "assignments", "stdp.ipynb")).release)));
    const malformed = path.join(dir, "malformed-cli.ipynb");
    writeNotebook(malformed, notebook([code("1", nbgrader("test", "t", 1)), code("2", nbgrader("test", "t", 1))]));
    const bad = run("release", malformed);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^npm run assignment: assignment: .*malformed-cli\.ipynb is not a sound assignment source:\n {2}cell 1 \(t\): grade_id t is used twice/);
    const usage = run("grade", "notebooks/assignments/stdp.ipynb");
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^npm run assignment: grade takes a source notebook and a submissions folder, got .*stdp\.ipynb\n\nusage: npm run assignment/);
  });
});
