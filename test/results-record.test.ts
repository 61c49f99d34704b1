/**
 * The committed full-mode records (notebooks/results.json, written by the runner) follow the
 * reproduction protocol: every mark has a target and follows from the row's numbers, every paper
 * value has its source, every difference from the paper's settings has a reason, and each trained
 * model met the test set once. Notebooks not yet migrated are listed in test/helpers/protocol.ts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../kernel/jupyter";
import { README_TABLE_BEGIN, README_TABLE_END, notebookTitles, readmeTable, readmePath, withReadmeTable, type ResultsEntry } from "../kernel/results-file";
import { notYetMigrated, protocolProblems } from "./helpers/protocol";

const entries = JSON.parse(fs.readFileSync(path.join(repoRoot, "notebooks", "results.json"), "utf8")) as ResultsEntry[];

describe("notebooks/results.json (the committed full-mode records)", () => {
  it("holds a record for every notebook of the series", () => {
    const notebooks = fs.readdirSync(path.join(repoRoot, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
    assert.deepEqual(entries.map((e) => e.notebook).sort(), notebooks);
  });

  for (const entry of entries) {
    it(`${entry.notebook} follows the reproduction protocol${notYetMigrated.has(entry.notebook) ? " (not yet migrated)" : ""}`, () => {
      assert.deepEqual(protocolProblems(entry.notebook, { protocol: entry.protocol ?? 1, rows: entry.rows, settings: entry.settings ?? [], testSetReuse: entry.testSetReuse ?? [] }), []);
    });
  }

  it("protocolProblems names a mark without a target, a paper value without a source and test-set reuse", () => {
    const problems = protocolProblems("99-x.ipynb", {
      protocol: 2,
      rows: [
        { quantity: "a", ours: 1, met: true },
        { quantity: "b", ours: 1, paper: 2 },
        { quantity: "c", ours: 1, target: { atLeast: 2, from: "card" }, met: true },
      ],
      settings: [{ setting: "dt", paper: 1, ours: 2, differs: true }],
      testSetReuse: ["model 0 (trainer.evaluate) was evaluated on test data after 1, 2 training samples: the test set must be used once, at the end"],
    });
    assert.deepEqual(problems, [
      "99-x.ipynb row 0 (a): a mark without a target",
      "99-x.ipynb row 1 (b): a paper value without a source",
      "99-x.ipynb row 2 (c): its mark does not follow from ours and the target",
      "99-x.ipynb setting dt: differs from the paper without a reason",
      "99-x.ipynb: model 0 (trainer.evaluate) was evaluated on test data after 1, 2 training samples: the test set must be used once, at the end",
    ]);
    assert.deepEqual(protocolProblems("99-x.ipynb", { protocol: 1, rows: [] }), ["99-x.ipynb: its report must use the reproduction record (report({ settings, rows }))"]);
  });

  it("the README's notebook table is the one the runner writes from results.json (never typed by hand)", () => {
    const readme = fs.readFileSync(readmePath, "utf8");
    assert.ok(readme.includes(README_TABLE_BEGIN) && readme.includes(README_TABLE_END), "README.md holds the table markers");
    assert.equal(readme, withReadmeTable(readme, readmeTable(entries, notebookTitles())), "run `npm run notebooks -- NN` (full mode) to rewrite it");
  });
});
