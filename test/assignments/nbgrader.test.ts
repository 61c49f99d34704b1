/**
 * nbgrader's format (kernel/nbgrader.ts): the checksum against values worked out by hand from
 * nbgrader's description of `compute_checksum`, Python's float text, and the v3 schema — which
 * every source and released assignment notebook must satisfy.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { readAssignment } from "../../kernel/assignment";
import { repoRoot } from "../../kernel/jupyter";
import { computeChecksum, isLocked, nbgraderProblems, nbgraderSchemaErrors, pythonFloat } from "../../kernel/nbgrader";
import type { Notebook, NotebookCell } from "../../kernel/runner";

const assignmentsDir = path.join(repoRoot, "notebooks", "assignments");
const assignmentFiles = fs.readdirSync(assignmentsDir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(assignmentsDir, f));

function cell(cell_type: NotebookCell["cell_type"], source: string, nbgrader: Record<string, unknown>): NotebookCell {
  return { cell_type, source, metadata: { nbgrader: { schema_version: 3, grade: false, solution: false, locked: false, ...nbgrader } } };
}

describe("nbgrader format", () => {
  // Each expected digest is md5 of the UTF-8 concatenation nbgrader's compute_checksum hashes:
  // source + cell_type + str(is_grade) + str(is_solution) + str(is_locked) + grade_id [+ str(float(points)) for grade cells],
  // computed once outside this code (Python's hashlib.md5 over the string written in each comment).
  it("computeChecksum(test cell) hashes source, type, True/False flags, grade_id and str(float(points))", () => {
    const source = 'check.close(rate(2), 33.6, { rel: 0.01, why: "ν = 1/(t_ref + τm·ln(RI/(RI − ϑ)))" });';
    // source + "code" + "True" + "False" + "True" + "rate-test" + "2.0"  (a grade cell is locked whatever `locked` says)
    const c = cell("code", source, { grade: true, locked: false, grade_id: "rate-test", points: 2 });
    assert.equal(computeChecksum(c), "f2aa130fe9b1ad3a9edfea7cd474c0ea");
  });

  it("computeChecksum(solution cell) leaves points out and counts the cell as unlocked", () => {
    // 'throw new Error("your code here");' + "code" + "False" + "True" + "False" + "rate-answer"
    const c = cell("code", ['throw new Error(', '"your code here");'] as unknown as string, { solution: true, locked: true, grade_id: "rate-answer" });
    assert.equal(computeChecksum(c), "0c98673337e8b495e70ace63dc869959");
  });

  it("computeChecksum(markdown answer) writes fractional points as Python does (2.5)", () => {
    // "YOUR ANSWER HERE" + "markdown" + "True" + "True" + "False" + "why" + "2.5"
    assert.equal(computeChecksum(cell("markdown", "YOUR ANSWER HERE", { grade: true, solution: true, grade_id: "why", points: 2.5 })), "f661449b98879e62260c3dc0fc27acac");
  });

  it("computeChecksum(locked cell) hashes locked = True without points", () => {
    // 'import { check } from "snnlab/kernel";' + "code" + "False" + "False" + "True" + "setup"
    const c = cell("code", 'import { check } from "snnlab/kernel";', { locked: true, grade_id: "setup" });
    assert.equal(isLocked(c), true);
    assert.equal(computeChecksum(c), "e737af89c060a3589ff7679608e8392e");
  });

  it("pythonFloat(x) writes Python's repr of a float", () => {
    // Python: [repr(float(x)) for x in (1, 2.5, 0.1, 1e-05, 0.0001, 1e16, 1.5e16, 1e15, 100, -3)]
    assert.deepEqual([1, 2.5, 0.1, 1e-5, 1e-4, 1e16, 1.5e16, 1e15, 100, -3].map(pythonFloat),
      ["1.0", "2.5", "0.1", "1e-05", "0.0001", "1e+16", "1.5e+16", "1000000000000000.0", "100.0", "-3.0"]);
  });

  it("nbgraderSchemaErrors(metadata) names each violation of the v3 schema", () => {
    assert.deepEqual(nbgraderSchemaErrors({ schema_version: 3, grade: true, solution: false, locked: true, grade_id: "ok-id", points: 1 }), []);
    const errors = nbgraderSchemaErrors({ schema_version: 2, grade: "yes", solution: false, grade_id: "has space", points: -1, extra: 1 });
    for (const expected of [/schema_version/, /grade must be boolean/, /locked/, /grade_id must match pattern/, /points must be >= 0/, /additional properties \(extra\)/]) {
      assert.ok(errors.some((e) => expected.test(e)), `${expected} in ${errors.join("; ")}`);
    }
    assert.match(nbgraderSchemaErrors({ schema_version: 3, grade: false, solution: false, locked: true, checksum: "abc" })[0]!, /checksum must NOT have fewer than 32 characters/);
  });

  it("nbgraderProblems(nb) applies nbgrader's checks beyond the schema", () => {
    const nb: Notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [
        cell("code", "a", { grade: true, grade_id: "t1" }),
        cell("code", "b", { grade: true, grade_id: "t1", points: 1 }),
        cell("markdown", "c", { grade: true, grade_id: "m1", points: 1 }),
        cell("code", "d", { solution: true }),
        cell("code", "e", { task: true, grade_id: "task1" }),
      ],
    };
    const problems = nbgraderProblems(nb);
    assert.deepEqual(problems, [
      "cell 0 (t1): a grade cell must have points",
      "cell 1 (t1): grade_id t1 is used twice (first in cell 0)",
      "cell 2 (m1): a markdown cell that is graded must be a solution cell, and the reverse (a written answer graded by hand)",
      "cell 3: a grade, solution or locked cell must have a non-empty grade_id",
      "cell 4 (task1): a task cell must be a markdown cell",
    ]);
  });

  it("the three assignments exist", () => {
    assert.deepEqual(assignmentFiles.map((f) => path.basename(f)), ["lif-neuron.ipynb", "stdp.ipynb", "training.ipynb"]);
  });

  for (const file of assignmentFiles) {
    it(`${path.basename(file)}: source and release satisfy nbgrader's v3 schema and checks, with checksums nbgrader would accept`, () => {
      const assignment = readAssignment(file);
      for (const nb of [assignment.source, assignment.release]) {
        for (const c of nb.cells) if (c.metadata.nbgrader !== undefined) assert.deepEqual(nbgraderSchemaErrors(c.metadata.nbgrader), []);
        assert.deepEqual(nbgraderProblems(nb), []);
      }
      for (const c of assignment.release.cells) {
        const meta = c.metadata.nbgrader as { checksum?: string; grade_id?: string } | undefined;
        if (!meta?.grade_id) continue;
        assert.equal(meta.checksum, computeChecksum(c), `${meta.grade_id}: the stored checksum is the cell's`);
      }
    });
  }
});
