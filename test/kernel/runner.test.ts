/**
 * The notebook runner against a real Jupyter server: quick mode, recorded outputs (streams,
 * in-place progress updates, figures, execute_result), results collection, error detection, and
 * a cell boundary that falls on a deferred ZeroMQ send (the kernel queues its sends).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type RunningServer, findJupyter, startServer } from "../../kernel/jupyter";
import { RESULTS_MIME } from "../../kernel/results";
import { readNotebook, runNotebooks, sourceOf, toQuickMode } from "../../kernel/runner";

const jupyter = findJupyter("notebook");
const skip = jupyter ? false : "Jupyter is not installed";

describe("runner", { skip, timeout: 300_000 }, () => {
  let server: RunningServer;
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-runner-"));

  before(async () => {
    server = await startServer({ jupyter: jupyter!, stdio: "ignore" });
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(outputDir, { recursive: true, force: true });
  });

  it("toQuickMode(nb) sets quick = true in the parameters cell only", () => {
    const nb = readNotebook("test/fixtures/notebooks/runner-smoke.ipynb");
    const quick = toQuickMode(nb, "smoke");
    assert.match(sourceOf(quick.cells[1]!), /const quick = true;/);
    assert.match(sourceOf(nb.cells[1]!), /const quick = false;/, "the input is not mutated");
    assert.throws(() => toQuickMode({ ...nb, cells: nb.cells.filter((c) => !(c.metadata.tags ?? []).includes("parameters")) }, "x"),
      /must have a code cell tagged "parameters"/);
  });

  it("runNotebooks([smoke], {quick}) records every output type and collects results", async () => {
    const lines: string[] = [];
    const [run] = await runNotebooks(["test/fixtures/notebooks/runner-smoke.ipynb"], { quick: true, server, outputDir, log: (l) => lines.push(l) });
    assert.ok(run, "one run");
    assert.deepEqual(run.errors, []);
    assert.equal(run.ok, true);
    const cells = run.notebook.cells;
    assert.deepEqual(cells[2]!.outputs!.map((o) => [o.output_type, (o.text as string[] | undefined)?.join("")]), [["stream", "n = 3\n"]]);
    const progressOutputs = cells[3]!.outputs!;
    const display = progressOutputs.find((o) => o.output_type === "display_data")!;
    assert.match(String((display.data as Record<string, string>)["text/plain"]), /smoke: 3\/3 items \(100\.0 %\).*done/, "the bar's final state replaced earlier updates");
    const result = progressOutputs.find((o) => o.output_type === "execute_result")!;
    assert.equal((result.data as Record<string, string>)["text/plain"], "3");
    const figure = cells[4]!.outputs![0]!;
    assert.deepEqual(Object.keys(figure.data as object).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
    assert.ok((cells[5]!.outputs![0]!.data as Record<string, unknown>)[RESULTS_MIME]);
    assert.deepEqual(run.results.map((r) => [r.quantity, r.ours, (r as { pass?: boolean }).pass]), [["items processed", 3, true]]);
    assert.match(sourceOf(cells[1]!), /const quick = false;/, "the saved notebook keeps the full-mode parameters");
    assert.ok(fs.existsSync(path.join(outputDir, "runner-smoke.ipynb")));
    assert.ok(lines.some((l) => /cell  3 .* ok/.test(l)), "per-cell timings are printed");
  });

  it("runNotebooks([failing]) reports the error and stops at the failing cell", async () => {
    const [run] = await runNotebooks(["test/fixtures/notebooks/runner-error.ipynb"], { quick: true, server, outputDir, log: () => undefined });
    assert.equal(run!.ok, false);
    assert.equal(run!.errors.length, 1);
    assert.match(run!.errors[0]!, /cell 1: Error: deliberate failure/);
    assert.deepEqual(run!.notebook.cells[2]!.outputs, [], "cells after the failure do not run");
  });

  it("runNotebooks([lost-message]) runs the cell after a deferred ZeroMQ send, with one clean connection", async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      warnings.push(args.join(" "));
    };
    try {
      // Without the kernel's send queue the last cell's request is lost and this times out.
      const [run] = await runNotebooks(["test/fixtures/notebooks/runner-lost-message.ipynb"], { quick: true, server, outputDir, log: () => undefined, cellTimeoutSeconds: 60 });
      assert.deepEqual(run!.errors, []);
      const outputs = run!.notebook.cells[3]!.outputs!;
      assert.equal(outputs.length, 1);
      assert.equal((outputs[0]!.text as string[]).join(""), "last cell ran; a send threw: false\n", "no IOPub send throws EBUSY");
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings.filter((w) => /Connection lost/.test(w)), [], "the WebSocket connects at the first try");
  });
});
