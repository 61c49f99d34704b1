/**
 * The runner's limits for untrusted notebooks (the grader's): with `unfinishedCells: "record"` a
 * cell past its time limit is interrupted and recorded (CellTimeout) and the run goes on; the
 * notebook's time limit stops the run; output past `outputLimitBytes` is dropped with a note.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type RunningServer, repoRoot, startServer } from "../../kernel/jupyter";
import { type NotebookCell, runNotebook, writeNotebook } from "../../kernel/runner";
import { jupyter } from "../helpers/kernel-session";

const dir = path.join(repoRoot, "test-artifacts", "runner-limits");

function notebook(name: string, sources: string[]): string {
  const cells: NotebookCell[] = sources.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null }));
  const file = path.join(dir, `${name}.ipynb`);
  writeNotebook(file, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
  return path.relative(repoRoot, file);
}

function text(cell: NotebookCell): string {
  return (cell.outputs ?? []).map((o) => (o.output_type === "stream" ? (o.text as string[]).join("") : "")).join("");
}

describe("runner limits", { skip: jupyter ? false : "Jupyter is not installed" }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ jupyter: jupyter!, stdio: "ignore" });
  });
  after(async () => {
    await server?.stop();
  });

  it("runNotebook(nb, {cellTimeoutSeconds, unfinishedCells: \"record\", outputLimitBytes}) interrupts a runaway cell, goes on, and caps output", { timeout: 120_000 }, async () => {
    const file = notebook("cell-limit", [
      "while (true) {}",
      'console.log("after the loop");',
      'for (let i = 0; i < 20; i++) console.log("y".repeat(999));',
    ]);
    const run = await runNotebook(file, server, { cellTimeoutSeconds: 3, unfinishedCells: "record", allowErrors: true, outputLimitBytes: 5000, log: () => undefined });
    assert.deepEqual(run.cells.map((c) => c.status), ["timeout", "ok", "ok"]);
    const timedOut = run.notebook.cells[0]!.outputs!.at(-1)!;
    assert.deepEqual([timedOut.ename, timedOut.evalue], ["CellTimeout", "the cell did not finish within the cell's time limit (3 s) and was interrupted"]);
    assert.equal(text(run.notebook.cells[1]!), "after the loop\n", "the kernel survived the interrupt");
    const capped = text(run.notebook.cells[2]!);
    assert.equal(capped.split("\n").filter((l) => l.startsWith("y")).length, 5, "5 lines of 1000 bytes fit in 5000");
    assert.match(capped, /\[output limit: 15000 more bytes of output were dropped; at most 5000 are kept per cell\]\n$/);
    assert.deepEqual(run.errors, ["cell 0: CellTimeout: the cell did not finish within the cell's time limit (3 s) and was interrupted"]);
  });

  it("runNotebook(nb, {notebookTimeoutSeconds}) stops the run at the notebook's limit; the cells after it do not run", { timeout: 120_000 }, async () => {
    const file = notebook("notebook-limit", ["while (true) {}", 'console.log("never");']);
    const run = await runNotebook(file, server, { cellTimeoutSeconds: 60, notebookTimeoutSeconds: 3, unfinishedCells: "record", allowErrors: true, log: () => undefined });
    assert.deepEqual(run.cells.map((c) => [c.index, c.status]), [[0, "timeout"]]);
    assert.match(String(run.notebook.cells[0]!.outputs!.at(-1)!.evalue), /^the cell did not finish within the notebook's time limit \(3 s\) and was interrupted$/);
    assert.deepEqual(run.notebook.cells[1]!.outputs, []);
  });

  it("runNotebook(nb) without unfinishedCells still rejects a cell past its limit", { timeout: 120_000 }, async () => {
    const file = notebook("throws", ["while (true) {}"]);
    await assert.rejects(runNotebook(file, server, { cellTimeoutSeconds: 2, log: () => undefined }), /cell 0 of .* did not finish within 2 s/);
  });
});
