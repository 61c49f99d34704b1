/**
 * The three assignments release and grade end to end in quick mode, on one Jupyter server whose
 * kernels carry the grader's memory limit: the solution scores full marks and the blank release
 * zero; on assignment 1 also an edited locked cell (caught, restored, graded), an infinite loop
 * (interrupted at the cell's time limit, graded), a kernel that exits (graded up to there), a
 * file that is not a notebook and another assignment's notebook (each rejected with one message),
 * none of which stops the batch.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Assignment, readAssignment } from "../../kernel/assignment";
import { type GradingOutcome, type SubmissionGrade, gradeAssignment, graderServerEnv } from "../../kernel/grader";
import { type RunningServer, findJupyter, repoRoot, startServer } from "../../kernel/jupyter";
import { type Notebook, sourceOf, writeNotebook } from "../../kernel/runner";
import { cellById, solvedRelease } from "../helpers/assignments";

const jupyter = findJupyter("notebook");
const artifacts = path.join(repoRoot, "test-artifacts", "assignments", "grading");
const sourceOfAssignment = (name: string): string => path.join(repoRoot, "notebooks", "assignments", `${name}.ipynb`);

function submit(dir: string, student: string, name: string, nb: Notebook): void {
  writeNotebook(path.join(dir, student, `${name}.ipynb`), nb);
}

function gradeOf(outcome: GradingOutcome, student: string): SubmissionGrade {
  const grade = outcome.grades.find((g) => g.student === student);
  assert.ok(grade, `a grade for ${student}`);
  return grade;
}

function assertFullAndZero(assignment: Assignment, outcome: GradingOutcome): void {
  const solution = gradeOf(outcome, "solution");
  assert.equal(solution.status, "graded");
  assert.deepEqual(solution.cells.filter((c) => c.kind === "test").map((c) => [c.gradeId, c.status, c.message]),
    assignment.graded.filter((g) => g.kind === "test").map((g) => [g.gradeId, "passed", undefined]), "every test passes");
  assert.ok(solution.maxScore > 0 && solution.score === solution.maxScore, `full marks, got ${solution.score} / ${solution.maxScore}`);
  assert.deepEqual(solution.cells.filter((c) => c.kind === "manual").map((c) => c.status), ["answered"]);
  const blank = gradeOf(outcome, "blank");
  assert.equal(blank.score, 0, "the blank release scores zero");
  for (const c of blank.cells) {
    if (c.kind === "test") assert.match(c.message ?? "", /^Error: your code here$/, `${c.gradeId} fails on the stub`);
    else assert.equal(c.status, "unanswered");
  }
  for (const g of [solution, blank]) {
    assert.ok(fs.existsSync(g.notebookPath!) && fs.existsSync(g.feedbackPath!), "the graded notebook and its feedback are written");
    const feedback = fs.readFileSync(g.feedbackPath!, "utf8");
    assert.match(feedback, new RegExp(`Autograded score: ${g.score} / ${g.maxScore} points`));
    assert.ok(!feedback.includes("HIDDEN TESTS"), "the feedback does not show the hidden tests");
  }
  const csv = fs.readFileSync(path.join(outcome.outDir, "grades.csv"), "utf8").trim().split("\n");
  assert.equal(csv[0], ["student", "status", "score", "max_score", "manual_points", ...assignment.graded.map((g) => g.gradeId), "tampered", "deleted", "seconds", "error"].join(","));
  assert.equal(csv.length, outcome.grades.length + 1);
}

describe("grading the assignments (quick mode)", { skip: jupyter ? false : "Jupyter is not installed" }, () => {
  let server: RunningServer;
  before(async () => {
    fs.rmSync(artifacts, { recursive: true, force: true });
    server = await startServer({ jupyter: jupyter!, stdio: "ignore", env: graderServerEnv(2048) });
  });
  after(async () => {
    await server?.stop();
  });
  const options = (name: string) => ({
    server, quick: true, jobs: 2, cellTimeoutSeconds: 30, outDir: path.join(artifacts, name, "graded"), log: () => undefined,
  });

  it("lif-neuron: solution full, blank zero; an edited locked cell caught, an infinite loop timed out, a dying kernel and stray files graded or rejected", { timeout: 300_000 }, async () => {
    const name = "lif-neuron";
    const assignment = readAssignment(sourceOfAssignment(name));
    const dir = path.join(artifacts, name, "submitted");
    submit(dir, "solution", name, solvedRelease(assignment));
    submit(dir, "blank", name, assignment.release);
    // Edits a test cell to pass on its own, and prints 2 MB on the way.
    const tampered = solvedRelease(assignment);
    cellById(tampered, "lif-fi-test").source = "// the test is fine, trust me\n";
    cellById(tampered, "lif-rc-answer").source = `console.log("x".repeat(2_000_000));\n${sourceOf(cellById(tampered, "lif-rc-answer"))}`;
    submit(dir, "tampered", name, tampered);
    // errorOrder never returns: only the Euler test calls it.
    const loop = solvedRelease(assignment);
    cellById(loop, "lif-euler-answer").source = sourceOf(cellById(loop, "lif-euler-answer"))
      .replace(/function errorOrder\(dts: number\[\], errors: number\[\]\): number \{/, "$&\n  while (true) {}")
      .replace(/\nconst dts[\s\S]*$/, "\nconst dts = [0.05, 0.1, 0.2, 0.5, 1];\n");
    submit(dir, "loop", name, loop);
    const crash = solvedRelease(assignment);
    cellById(crash, "lif-fi-answer").source = `${sourceOf(cellById(crash, "lif-fi-answer"))}\nprocess.exit(1);\n`;
    submit(dir, "crash", name, crash);
    fs.writeFileSync(path.join(dir, "notes.txt"), "my answers are on paper");
    submit(dir, "other", name, readAssignment(sourceOfAssignment("stdp")).release);

    const t0 = Date.now();
    const outcome = await gradeAssignment(sourceOfAssignment(name), dir, { ...options(name), cellTimeoutSeconds: 20 });
    const seconds = (Date.now() - t0) / 1000;
    assert.deepEqual(outcome.grades.map((g) => g.student), ["blank", "crash", "loop", "notes.txt", "other", "solution", "tampered"]);
    assertFullAndZero(assignment, outcome);

    const edited = gradeOf(outcome, "tampered");
    assert.deepEqual(edited.tampered, ["lif-fi-test"]);
    assert.equal(edited.score, edited.maxScore, "the restored test runs and passes");
    assert.ok(fs.statSync(edited.notebookPath!).size < 1_500_000, "the graded notebook keeps at most 1 MB of a cell's output");
    assert.match(fs.readFileSync(edited.feedbackPath!, "utf8"), /This locked cell was edited; it was put back as released/);

    const looping = gradeOf(outcome, "loop");
    assert.deepEqual(looping.cells.map((c) => [c.gradeId, c.status, c.score]),
      [["lif-rc-test", "passed", 3], ["lif-fi-test", "passed", 3], ["lif-euler-test", "timeout", 0], ["lif-euler-why", "answered", null]]);
    assert.match(looping.cells[2]!.message!, /^CellTimeout: the cell did not finish within the cell's time limit \(20 s\) and was interrupted$/);

    const crashed = gradeOf(outcome, "crash");
    assert.deepEqual(crashed.cells.map((c) => [c.gradeId, c.status, c.score]),
      [["lif-rc-test", "passed", 3], ["lif-fi-test", "not-run", 0], ["lif-euler-test", "not-run", 0], ["lif-euler-why", "answered", null]]);

    assert.deepEqual([gradeOf(outcome, "notes.txt").status, gradeOf(outcome, "notes.txt").error], ["rejected", "the file is not a notebook: it is not JSON"]);
    assert.match(gradeOf(outcome, "other").error!, /^the notebook is not a submission of lif-neuron/);
    console.log(`# lif-neuron: ${outcome.grades.length} submissions graded in ${seconds.toFixed(1)} s (${outcome.grades.map((g) => `${g.student} ${g.seconds.toFixed(1)} s`).join(", ")})`);
  });

  for (const name of ["stdp", "training"]) {
    it(`${name}: the solution scores full marks and the blank release zero`, { timeout: 240_000 }, async () => {
      const assignment = readAssignment(sourceOfAssignment(name));
      const dir = path.join(artifacts, name, "submitted");
      submit(dir, "solution", name, solvedRelease(assignment));
      submit(dir, "blank", name, assignment.release);
      const t0 = Date.now();
      const outcome = await gradeAssignment(sourceOfAssignment(name), dir, options(name));
      assertFullAndZero(assignment, outcome);
      console.log(`# ${name}: ${outcome.grades.length} submissions graded in ${((Date.now() - t0) / 1000).toFixed(1)} s (${outcome.grades.map((g) => `${g.student} ${g.seconds.toFixed(1)} s`).join(", ")})`);
    });
  }
});
