/**
 * The notebook runner against a real Jupyter server: quick mode and parameters (the injected
 * cell), recorded outputs (streams, in-place progress updates, figures, execute_result), results
 * collection, error detection and --allow-errors, the kernel metadata written from the live
 * kernel, and a cell boundary that falls on a deferred ZeroMQ send (the kernel queues its sends).
 * Where executed notebooks go is checked without Jupyter.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type RunningServer, findJupyter, repoRoot, startServer } from "../../kernel/jupyter";
import { RESULTS_MIME } from "../../kernel/results";
import { connectServices, kernelMetadataOf, prepareNotebook, runNotebooks, sourceOf } from "../../kernel/runner";
import { expectError } from "../helpers/close";

const jupyter = findJupyter("notebook");
const skip = jupyter ? false : "Jupyter is not installed";

describe("runner outputs", () => {
  const artifacts = path.join(repoRoot, "test-artifacts", "notebooks");
  const series = path.join(repoRoot, "notebooks", "03-izhikevich-network.ipynb");
  const fixture = "test/fixtures/notebooks/runner-smoke.ipynb";

  it("prepareNotebook(series) writes in place with the defaults, to test-artifacts/notebooks/ with parameters", () => {
    const full = prepareNotebook(series);
    assert.deepEqual([full.output, full.inPlace, full.partial], [series, true, path.join(artifacts, "03-izhikevich-network.partial.ipynb")]);
    assert.deepEqual(full.parameters, {});
    const quick = prepareNotebook(series, { quick: true });
    assert.deepEqual([quick.output, quick.inPlace], [path.join(artifacts, "03-izhikevich-network.ipynb"), false]);
    assert.deepEqual(prepareNotebook(series, { parameters: { seed: "2" } }).parameters, { seed: 2 });
    assert.equal(prepareNotebook(series, { parameters: { seed: 2 } }).output, path.join(artifacts, "03-izhikevich-network.ipynb"));
  });

  it("prepareNotebook(path) writes a notebook outside the series to test-artifacts/notebooks/, or where asked", () => {
    const other = prepareNotebook(fixture);
    assert.deepEqual([other.path, other.output, other.inPlace], [fixture, path.join(artifacts, "runner-smoke.ipynb"), false]);
    const asked = prepareNotebook(fixture, { outputPath: "/tmp/x/out.ipynb" });
    assert.deepEqual([asked.output, asked.partial], ["/tmp/x/out.ipynb", "/tmp/x/out.partial.ipynb"]);
    assert.equal(prepareNotebook(fixture, { outputDir: "/tmp/y" }).output, "/tmp/y/runner-smoke.ipynb");
    assert.equal(prepareNotebook(fixture, { outputDir: "in-place" }).output, path.join(repoRoot, fixture));
  });

  it("prepareNotebook(nb, {parameters}) refuses to write over the notebook itself", () => {
    expectError(() => prepareNotebook(series, { quick: true, outputDir: "in-place" }),
      "runner: the output of a run with parameters must not be the notebook itself (it keeps its defaults), got notebooks/03-izhikevich-network.ipynb with quick");
    expectError(() => prepareNotebook(fixture, { parameters: { n: 5 }, outputPath: fixture }), /must not be the notebook itself/);
  });

  it("runNotebooks(files, {outputPath}) needs one notebook; a bad parameter fails before any server starts", async () => {
    await assert.rejects(runNotebooks([fixture, fixture], { outputPath: "/tmp/x.ipynb" }), /^Error: runner: outputPath must go with exactly one notebook, got 2$/);
    await assert.rejects(runNotebooks([fixture], { parameters: { n: "many" } }), /^ParameterError: runner: parameter n must be a number/);
  });
});

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

  it("runNotebooks([smoke], {quick}) records every output type and collects results", async () => {
    const lines: string[] = [];
    const [run] = await runNotebooks(["test/fixtures/notebooks/runner-smoke.ipynb"], { quick: true, server, outputDir, log: (l) => lines.push(l) });
    assert.ok(run, "one run");
    assert.deepEqual(run.errors, []);
    assert.equal(run.ok, true);
    const cells = run.notebook.cells;
    assert.deepEqual(cells[2]!.metadata.tags, ["injected-parameters"]);
    assert.equal(sourceOf(cells[2]!), "// Parameters\nconst quick: boolean = true;\n// Recomputed from the parameters cell: they depend on the values above\nconst n = quick ? 3 : 1000;");
    assert.deepEqual(cells[3]!.outputs!.map((o) => [o.output_type, (o.text as string[] | undefined)?.join("")]), [["stream", "n = 3\n"]]);
    const progressOutputs = cells[4]!.outputs!;
    const display = progressOutputs.find((o) => o.output_type === "display_data")!;
    assert.match(String((display.data as Record<string, string>)["text/plain"]), /smoke: 3\/3 items \(100\.0 %\).*done/, "the bar's final state replaced earlier updates");
    const result = progressOutputs.find((o) => o.output_type === "execute_result")!;
    assert.equal((result.data as Record<string, string>)["text/plain"], "3");
    const figure = cells[5]!.outputs![0]!;
    assert.deepEqual(Object.keys(figure.data as object).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
    assert.ok((cells[6]!.outputs![0]!.data as Record<string, unknown>)[RESULTS_MIME]);
    assert.deepEqual(run.results.map((r) => [r.quantity, r.ours, (r as { pass?: boolean }).pass]), [["items processed", 3, true]]);
    assert.match(sourceOf(cells[1]!), /const quick = false;/, "the saved notebook keeps the parameters cell as written");
    assert.deepEqual(run.notebook.metadata.papermill, { parameters: { quick: true } });
    assert.deepEqual(run.parameters, { quick: true });
    assert.equal(run.output, path.join(outputDir, "runner-smoke.ipynb"));
    assert.ok(fs.existsSync(path.join(outputDir, "runner-smoke.ipynb")));
    assert.ok(lines.some((l) => /cell  4 .* ok/.test(l)), "per-cell timings are printed");
    assert.ok(lines.includes("test/fixtures/notebooks/runner-smoke.ipynb (quick mode)"));
  });

  it("runNotebooks([smoke], {parameters}) runs the notebook with typed values re-declared after the parameters cell", async () => {
    const lines: string[] = [];
    const [run] = await runNotebooks(["test/fixtures/notebooks/runner-smoke.ipynb"], { parameters: { quick: "true", n: "5" }, server, outputDir, log: (l) => lines.push(l) });
    assert.deepEqual(run!.errors, [], "tslab accepts re-declaring a const in a later cell");
    assert.equal(sourceOf(run!.notebook.cells[2]!), "// Parameters\nconst quick: boolean = true;\nconst n: number = 5;");
    assert.equal((run!.notebook.cells[3]!.outputs![0]!.text as string[]).join(""), "n = 5\n");
    assert.deepEqual(run!.notebook.metadata.papermill, { parameters: { quick: true, n: 5 } });
    assert.ok(lines.includes("test/fixtures/notebooks/runner-smoke.ipynb (parameters quick=true, n=5)"));
  });

  it("runNotebooks([nb]) writes kernelspec and language_info exactly as the kernel reports them", async () => {
    const [run] = await runNotebooks(["test/fixtures/notebooks/runner-error.ipynb"], { server, outputDir, log: () => undefined });
    const { kernelManager, sessionManager } = connectServices(server);
    const session = await sessionManager.startNew({ path: "metadata.ipynb", type: "notebook", name: "metadata.ipynb", kernel: { name: "snnlab" } });
    try {
      const info = await session.kernel!.info;
      const metadata = run!.notebook.metadata;
      assert.deepEqual(metadata.language_info, info.language_info, "kernel_info_reply.language_info");
      assert.deepEqual(metadata.language_info, (await kernelMetadataOf(session.kernel!)).language_info);
      assert.deepEqual(metadata.kernelspec, { name: "snnlab", display_name: "TypeScript (snnlab)", language: "typescript" });
      assert.deepEqual(Object.keys(metadata), ["kernelspec", "language_info"], "no other metadata, keys where they were");
    } finally {
      await session.shutdown();
      session.dispose();
      sessionManager.dispose();
      kernelManager.dispose();
    }
  });

  it("runNotebooks([failing]) reports the error and stops at the failing cell", async () => {
    const [run] = await runNotebooks(["test/fixtures/notebooks/runner-error.ipynb"], { quick: true, server, outputDir, log: () => undefined });
    assert.equal(run!.ok, false);
    assert.equal(run!.errors.length, 1);
    assert.match(run!.errors[0]!, /cell 2: Error: deliberate failure/);
    assert.deepEqual(run!.notebook.cells[3]!.outputs, [], "cells after the failure do not run");
    assert.ok(fs.existsSync(path.join(outputDir, "runner-error.ipynb")), "a failed run is written where it is not in place");
  });

  it("runNotebooks([nb]) fails a run whose reproduction record breaks the protocol (a model evaluated on test data twice)", async () => {
    const [run] = await runNotebooks(["test/fixtures/notebooks/runner-protocol.ipynb"], { quick: true, server, outputDir, log: () => undefined });
    assert.equal(run!.ok, false);
    assert.deepEqual(run!.errors, [
      "protocol: runner-protocol.ipynb: model 0 (trainer.evaluate) was evaluated on test data after 1000, 2000 training samples: the test set must be used once, at the end",
    ]);
    assert.equal(run!.record?.protocol, 2);
    assert.equal((run!.record?.rows[0] as { met?: boolean }).met, true, "the row itself is sound");
  });

  it("runNotebooks([failing], {allowErrors}) runs every cell, keeps the error in the outputs and still fails", async () => {
    const [run] = await runNotebooks(["test/fixtures/notebooks/runner-error.ipynb"], { allowErrors: true, server, outputDir, log: () => undefined });
    assert.equal(run!.ok, false);
    assert.deepEqual(run!.errors, ["cell 1: Error: deliberate failure"]);
    assert.deepEqual(run!.notebook.cells[1]!.outputs!.map((o) => [o.output_type, o.evalue]), [["error", "deliberate failure"]]);
    assert.equal((run!.notebook.cells[2]!.outputs![0]!.text as string[]).join(""), "must not run\n");
    assert.deepEqual(run!.cells.map((c) => c.status), ["ok", "error", "ok"]);
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
      const outputs = run!.notebook.cells[4]!.outputs!;
      assert.equal(outputs.length, 1);
      assert.equal((outputs[0]!.text as string[]).join(""), "last cell ran; a send threw: false\n", "no IOPub send throws EBUSY");
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings.filter((w) => /Connection lost/.test(w)), [], "the WebSocket connects at the first try");
  });
});
