/**
 * The grader's pure parts (kernel/grader.ts), on assignment 1: preparing a submission (edited
 * locked cells caught and restored, hidden tests back, deleted cells put back, other notebooks
 * refused), scoring an executed run, the feedback notebook and the grades table.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { CODE_STUB, readAssignment } from "../../kernel/assignment";
import {
  type SubmissionGrade, SubmissionError, feedbackNotebook, findSubmissions, gradeRows, prepareSubmission, readSubmission, scoreRun, writeGrades,
} from "../../kernel/grader";
import { repoRoot } from "../../kernel/jupyter";
import { nbgraderOf } from "../../kernel/nbgrader";
import { type CellTiming, type Notebook, type NotebookCell, sourceOf } from "../../kernel/runner";
import { cellById as byId, solvedRelease } from "../helpers/assignments";

const dir = path.join(repoRoot, "test-artifacts", "assignments", "grader");
const lif = readAssignment(path.join(repoRoot, "notebooks", "assignments", "lif-neuron.ipynb"));

function ids(nb: Notebook): (string | undefined)[] {
  return nb.cells.map((c) => nbgraderOf(c)?.grade_id);
}

describe("grader", () => {
  it("prepareSubmission(solved release) runs the tests as in the source (hidden tests back) and clears saved outputs", () => {
    const submitted = solvedRelease(lif);
    byId(submitted, "lif-rc-test").outputs = [{ output_type: "stream", name: "stdout", text: ["saved\n"] }];
    const prepared = prepareSubmission(lif, submitted);
    assert.deepEqual([prepared.tampered, prepared.deleted], [[], []]);
    assert.match(sourceOf(byId(prepared.notebook, "lif-rc-test")), /BEGIN HIDDEN TESTS/);
    assert.deepEqual(byId(prepared.notebook, "lif-rc-test").outputs, []);
    assert.equal(sourceOf(byId(prepared.notebook, "lif-fi-answer")), sourceOf(byId(submitted, "lif-fi-answer")));
  });

  it("prepareSubmission catches an edited locked cell — also one unlocked in its metadata or turned into markdown — and restores it", () => {
    const submitted = solvedRelease(lif);
    byId(submitted, "lif-fi-test").source = "// all good\n";
    const unlocked = byId(submitted, "lif-euler-test");
    unlocked.source = "1";
    unlocked.metadata.nbgrader = { ...(unlocked.metadata.nbgrader as object), grade: false, locked: false };
    byId(submitted, "lif-setup").cell_type = "markdown";
    const prepared = prepareSubmission(lif, submitted);
    assert.deepEqual(prepared.tampered, ["lif-setup", "lif-fi-test", "lif-euler-test"]);
    assert.equal(sourceOf(byId(prepared.notebook, "lif-fi-test")), sourceOf(byId(lif.source, "lif-fi-test")));
    assert.equal(byId(prepared.notebook, "lif-setup").cell_type, "code");
    assert.equal(byId(prepared.notebook, "lif-euler-test").metadata.nbgrader && (byId(prepared.notebook, "lif-euler-test").metadata.nbgrader as { grade: boolean }).grade, true);
  });

  it("prepareSubmission(source) does not count the source's own hidden tests as an edit", () => {
    assert.deepEqual(prepareSubmission(lif, lif.source).tampered, []);
  });

  it("prepareSubmission puts deleted cells back in their place, a solution cell with its stub", () => {
    const submitted = solvedRelease(lif);
    submitted.cells = submitted.cells.filter((c) => !["lif-fi-answer", "lif-fi-test"].includes(nbgraderOf(c)?.grade_id ?? ""));
    const prepared = prepareSubmission(lif, submitted);
    assert.deepEqual(prepared.deleted, ["lif-fi-answer", "lif-fi-test"]);
    assert.deepEqual(ids(prepared.notebook).filter(Boolean), ids(lif.source).filter(Boolean));
    assert.match(sourceOf(byId(prepared.notebook, "lif-fi-answer")), new RegExp(CODE_STUB.replace(/[()]/g, "\\$&")));
  });

  it("prepareSubmission keeps the student's own cells, and a copied graded cell is nobody's grade", () => {
    const submitted = solvedRelease(lif);
    const copy: NotebookCell = JSON.parse(JSON.stringify(byId(submitted, "lif-rc-test")));
    submitted.cells.splice(5, 0, { cell_type: "code", source: "const mine = 1;", metadata: {}, outputs: [], execution_count: null }, copy);
    const prepared = prepareSubmission(lif, submitted);
    assert.equal(prepared.notebook.cells.length, lif.source.cells.length + 2);
    assert.equal(ids(prepared.notebook).filter((id) => id === "lif-rc-test").length, 1);
    assert.ok(prepared.notebook.cells.some((c) => sourceOf(c) === "const mine = 1;"));
  });

  it("prepareSubmission(another assignment's notebook) refuses it with one message", () => {
    const other = readAssignment(path.join(repoRoot, "notebooks", "assignments", "stdp.ipynb"));
    assert.throws(() => prepareSubmission(lif, other.release), (err: Error) => err instanceof SubmissionError &&
      /^the notebook is not a submission of lif-neuron: none of its \d+ graded or locked cells is there$/.test(err.message));
  });

  it("readSubmission(file) says what a file that is not a notebook is", () => {
    fs.mkdirSync(dir, { recursive: true });
    const cases: [string, string, RegExp][] = [
      ["notes.txt", "my answers", /the file is not a notebook: it is not JSON/],
      ["old.ipynb", JSON.stringify({ nbformat: 3, worksheets: [] }), /the file is not an nbformat 4 notebook/],
      ["odd.ipynb", JSON.stringify({ nbformat: 4, cells: [{ cell_type: "code" }] }), /the file is not an nbformat 4 notebook/],
    ];
    for (const [name, text, message] of cases) {
      fs.writeFileSync(path.join(dir, name), text);
      assert.throws(() => readSubmission(path.join(dir, name)), message, name);
    }
    assert.throws(() => readSubmission(path.join(dir, "absent.ipynb")), /no notebook was submitted \(file not found\)/);
  });

  it("findSubmissions(dir, name) reads nbgrader's <student>/<name>.ipynb and flat <student>.ipynb, and lists stray files", () => {
    const root = path.join(dir, "submitted");
    fs.rmSync(root, { recursive: true, force: true });
    for (const file of ["ann/lif-neuron.ipynb", "ben/my-work.ipynb", "cat.ipynb", "dan.pdf", ".hidden.ipynb", "eve/notes.txt"]) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), "{}");
    }
    assert.deepEqual(findSubmissions(root, "lif-neuron").map((s) => [s.student, path.relative(root, s.file)]), [
      ["ann", "ann/lif-neuron.ipynb"], ["ben", "ben/my-work.ipynb"], ["cat", "cat.ipynb"], ["dan.pdf", "dan.pdf"], ["eve", "eve/lif-neuron.ipynb"],
    ]);
    assert.throws(() => findSubmissions(path.join(root, "nowhere"), "x"), /the submissions folder must exist/);
  });

  /** A run of the prepared notebook where `status` says how each test cell ended. */
  function run(status: Record<string, { status: string; error?: [string, string][] } | undefined>): { notebook: Notebook; cells: CellTiming[] } {
    const notebook = prepareSubmission(lif, solvedRelease(lif)).notebook;
    const cells: CellTiming[] = [];
    notebook.cells.forEach((c, index) => {
      if (c.cell_type !== "code") return;
      const id = nbgraderOf(c)?.grade_id ?? "";
      const outcome = id in status ? status[id] : { status: "ok" };
      if (!outcome) return;
      cells.push({ index, seconds: 0.1, status: outcome.status });
      c.outputs = (outcome.error ?? []).map(([ename, evalue]) => ({ output_type: "error", ename, evalue, traceback: [] }));
    });
    return { notebook, cells };
  }

  it("scoreRun(assignment, run) scores passed, failed, timed-out and not-run tests, and answers to be read", () => {
    const results = scoreRun(lif, run({
      "lif-rc-test": { status: "error", error: [["CheckError", "rcVoltage(0, 1.2) is −60, too high by less than 10 %."]] },
      "lif-fi-test": { status: "timeout", error: [["Interrupted", "Script execution was interrupted"], ["CellTimeout", "the cell did not finish within the cell's time limit (5 s) and was interrupted"]] },
      "lif-euler-test": undefined,
    }));
    assert.deepEqual(results.map((r) => [r.gradeId, r.status, r.score, r.message]), [
      ["lif-rc-test", "failed", 0, "CheckError: rcVoltage(0, 1.2) is −60, too high by less than 10 %."],
      ["lif-fi-test", "timeout", 0, "CellTimeout: the cell did not finish within the cell's time limit (5 s) and was interrupted"],
      ["lif-euler-test", "not-run", 0, "did not run: an earlier cell stopped the notebook (time limit)"],
      ["lif-euler-why", "answered", null, undefined],
    ]);
    assert.deepEqual(scoreRun(lif, run({})).map((r) => r.score), [3, 3, 3, null]);
    const blank = prepareSubmission(lif, lif.release).notebook;
    assert.deepEqual(scoreRun(lif, { notebook: blank, cells: [] }).at(-1), {
      gradeId: "lif-euler-why", kind: "manual", points: 2, score: 0, status: "unanswered", message: "not answered: the cell still holds the stub",
    });
  });

  it("feedbackNotebook shows each result under its cell and the tests as released, without the hidden tests' code", () => {
    const executed = run({ "lif-fi-test": { status: "error", error: [["CheckError", "firingRate(1) is 12, which is not the expected value. Why: below the rheobase"]] } });
    const cells = scoreRun(lif, executed);
    const grade: SubmissionGrade = {
      student: "ann", file: "ann.ipynb", status: "graded", score: 6, maxScore: 9, manualPoints: 2, cells, tampered: ["lif-rc-test"], deleted: [], seconds: 1,
    };
    const feedback = feedbackNotebook(lif, grade, executed.notebook);
    const text = feedback.cells.map(sourceOf).join("\n");
    assert.ok(!text.includes("HIDDEN TESTS") && !text.includes("hiddenCurrents"), "no hidden test code");
    assert.match(sourceOf(feedback.cells[0]!), /^# Feedback: lif-neuron — ann\n\n\*\*Autograded score: 6 \/ 9 points\.\*\* 2 more points wait/);
    assert.match(text, /\*\*✗ Test `lif-fi-test`: 0 \/ 3 points — failed\.\*\*\n\n```text\nCheckError: firingRate\(1\) is 12/);
    assert.match(text, /\*\*This locked cell was edited; it was put back as released and run that way\.\*\*\n\n\*\*✓ Test `lif-rc-test`: 3 \/ 3 points — passed\.\*\*/);
  });

  it("writeGrades writes one CSV row per submission with a column per graded cell", () => {
    const grade: SubmissionGrade = {
      student: "ann, jr.", file: "x", status: "graded", score: 9, maxScore: 9, manualPoints: 2, tampered: [], deleted: [], seconds: 12.34,
      cells: lif.graded.map((g) => ({ gradeId: g.gradeId, kind: g.kind, points: g.points, score: g.kind === "test" ? g.points : null, status: g.kind === "test" ? "passed" : "answered" })),
    };
    assert.deepEqual(gradeRows([grade])[0], {
      student: "ann, jr.", status: "graded", score: 9, max_score: 9, manual_points: 2, "lif-rc-test": 3, "lif-fi-test": 3, "lif-euler-test": 3, "lif-euler-why": null,
      tampered: "", deleted: "", seconds: 12.3, error: "",
    });
    const files = writeGrades(lif, [grade], path.join(dir, "grades"));
    assert.deepEqual(files.map((f) => path.basename(f)), ["grades.csv", "grades.html", "grades.json"]);
    assert.equal(fs.readFileSync(files[0]!, "utf8"),
      "student,status,score,max_score,manual_points,lif-rc-test,lif-fi-test,lif-euler-test,lif-euler-why,tampered,deleted,seconds,error\n" +
      '"ann, jr.",graded,9,9,2,3,3,3,,,,12.3,\n');
    assert.match(fs.readFileSync(files[1]!, "utf8"), /<table>[\s\S]*ann, jr\./);
  });
});
