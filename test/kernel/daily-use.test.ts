/**
 * The kernel for daily use, through a live kernel: tslab's own display API, tracebacks that show
 * the cell and the library's .ts sources only, declarations kept after a cell throws, and
 * figure outputs that are byte-identical when a notebook runs again in a fresh kernel.
 */
import assert from "node:assert/strict";
import type { KernelMessage } from "@jupyterlab/services";
import { describe, it } from "node:test";
import { execute, jupyter, useKernelSession } from "../helpers/kernel-session";

type Content = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ofType(outputs: KernelMessage.IIOPubMessage[], type: string): Content[] {
  return outputs.filter((m) => m.header.msg_type === type).map((m) => m.content as Content);
}

async function ok(kernel: Parameters<typeof execute>[0], code: string): Promise<KernelMessage.IIOPubMessage[]> {
  const { reply, outputs } = await execute(kernel, code);
  assert.equal(reply.content.status, "ok", `${code}\n→ ${JSON.stringify(ofType(outputs, "error"))}`);
  return outputs;
}

async function value(kernel: Parameters<typeof execute>[0], code: string): Promise<string> {
  const results = ofType(await ok(kernel, code), "execute_result");
  assert.equal(results.length, 1, `${code} has one result`);
  return String(results[0]!.data["text/plain"]);
}

describe("the kernel for daily use", { skip: jupyter ? false : "Jupyter is not installed", timeout: 300_000 }, () => {
  const kernelOf = useKernelSession("notebooks/daily-use-test.ipynb");

  it("tslab.display.html/markdown/svg/text/png/jpeg/raw send display_data messages, as show() does", async () => {
    const outputs = await ok(kernelOf(), [
      'import * as tslab from "tslab";',
      'import { show } from "snnlab/kernel";',
      'tslab.display.html("<b>x</b>");',
      'tslab.display.markdown("**m**");',
      'tslab.display.svg("<svg xmlns=\\"http://www.w3.org/2000/svg\\"></svg>");',
      'tslab.display.text("plain");',
      "tslab.display.png(new Uint8Array([137, 80, 78, 71]));",
      "tslab.display.jpeg(new Uint8Array([255, 216, 255]));",
      'tslab.display.raw("text/latex", "$x$");',
      "show(42);",
    ].join("\n"));
    const displays = ofType(outputs, "display_data").map((c) => c.data);
    assert.deepEqual(displays, [
      { "text/html": "<b>x</b>" },
      { "text/markdown": "**m**" },
      { "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
      { "text/plain": "plain" },
      { "image/png": Buffer.from([137, 80, 78, 71]).toString("base64") },
      { "image/jpeg": Buffer.from([255, 216, 255]).toString("base64") },
      { "text/latex": "$x$" },
      { "text/plain": "42" },
    ]);
  });

  it("tslab.newDisplay() updates its display in place", async () => {
    const outputs = await ok(kernelOf(), 'import * as tslab from "tslab";\nconst d = tslab.newDisplay();\nd.text("1");\nd.text("2");');
    const first = ofType(outputs, "display_data");
    const updates = ofType(outputs, "update_display_data");
    assert.equal(first.length, 1);
    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.data["text/plain"], "2");
    assert.ok(first[0]!.transient.display_id);
    assert.equal(updates[0]!.transient.display_id, first[0]!.transient.display_id);
  });

  it("a library error's traceback shows the error line, the cell line and the library's .ts frames only", async () => {
    const kernel = kernelOf();
    const { reply, outputs } = await execute(kernel, 'import { lifParams } from "snnlab";\n\nlifParams({ tauMem: -1 });');
    assert.equal(reply.content.status, "error");
    const [error] = ofType(outputs, "error");
    assert.ok(error);
    const content = reply.content as Content;
    assert.equal(error.ename, content.ename);
    assert.equal(error.evalue, content.evalue);
    assert.match(error.evalue, /^lifParams: tauMem must be /);
    const traceback = error.traceback as string[];
    assert.equal(traceback[0], `${error.ename}: ${error.evalue}`);
    const frames = traceback.slice(1);
    assert.ok(frames.length >= 2 && frames.length <= 6, `a short traceback:\n${traceback.join("\n")}`);
    assert.match(frames.at(-1)!, /^ {4}at cell \[\d+\]:3:\d+$/, "the cell's frame, at its line");
    assert.ok(frames.slice(0, -1).every((f) => /\((src|widgets)\/[\w/-]+\.ts:\d+:\d+\)$/.test(f)), `library frames at .ts sources:\n${frames.join("\n")}`);
    assert.ok(frames.some((f) => /src\/neurons\/[\w-]+\.ts:/.test(f)), "lifParams's own file");
    for (const machinery of ["tslab", "node:", "evalmachine", "kernel/", "dist/", "snnlab-cell-"]) {
      assert.ok(!traceback.some((l) => l.includes(machinery)), `no ${machinery} in the traceback:\n${traceback.join("\n")}`);
    }
  });

  it("a type error names the cell, line and column", async () => {
    const { reply, outputs } = await execute(kernelOf(), 'const fine = 1;\nconst n: number = "not a number";');
    assert.equal(reply.content.status, "error");
    const error = ofType(outputs, "error")[0]!;
    assert.equal(error.ename, "TypeScriptError");
    assert.deepEqual(error.traceback, [`cell [${(reply.content as Content).execution_count}]:2:7 - ${error.evalue}`]);
  });

  it("a traceback maps frames of functions defined in earlier cells to those cells", async () => {
    const kernel = kernelOf();
    const { reply: defined } = await execute(kernel, "function inner() {\n  throw new RangeError(\"deep\");\n}\nfunction outer() { inner(); }");
    const label = `cell [${(defined.content as Content).execution_count}]`;
    const { reply, outputs } = await execute(kernel, "\n\nouter();");
    assert.equal(reply.content.status, "error");
    const error = ofType(outputs, "error")[0]!;
    assert.equal(error.ename, "RangeError");
    assert.equal(error.evalue, "deep");
    const here = `cell [${(reply.content as Content).execution_count}]`;
    assert.deepEqual((error.traceback as string[]).map((l) => l.replace(/:\d+\)?$/, "")), [
      "RangeError: deep",
      `    at inner (${label}:2`,
      `    at outer (${label}:4`,
      `    at ${here}:3`,
    ]);
  });

  it("a cell that throws keeps the const, let, function, class and import it declared before the throw", async () => {
    const kernel = kernelOf();
    await ok(kernel, 'let later = "from before";');
    const { reply } = await execute(kernel, [
      'import { createRng } from "snnlab";',
      "const a = 1;",
      "let b = 2;",
      "function f() { return a + b; }",
      "class C { value() { return 7; } }",
      'throw new Error("midway");',
      "const after = 3;",
      "let later = 4;",
    ].join("\n"));
    assert.equal(reply.content.status, "error");
    assert.equal(await value(kernel, "a + b"), "3");
    assert.equal(await value(kernel, "f()"), "3");
    assert.equal(await value(kernel, "new C().value()"), "7");
    assert.equal(await value(kernel, "typeof createRng(1).int"), "'function'");
    assert.equal(await value(kernel, "later"), "'from before'", "a name not reached keeps its earlier value and type");
    assert.equal(await value(kernel, "later.toUpperCase()"), "'FROM BEFORE'");
    const { reply: missing, outputs } = await execute(kernel, "after");
    assert.equal(missing.content.status, "error");
    assert.match(ofType(outputs, "error")[0]!.evalue, /Cannot find name 'after'/);
    assert.equal(await value(kernel, "b = 5;\nb * 2"), "10", "and they stay assignable");
  });

  it("a cell that throws inside a top-level await keeps what it declared before", async () => {
    const kernel = kernelOf();
    const { reply } = await execute(kernel, 'const early = await Promise.resolve(11);\nawait Promise.reject(new Error("async midway"));\nconst late = 1;');
    assert.equal(reply.content.status, "error");
    assert.equal(await value(kernel, "early"), "11");
  });

  it("show(figure) outputs are byte-identical after a kernel restart runs the same cells", async () => {
    const kernel = kernelOf();
    const cells = [
      'import { show } from "snnlab/kernel";',
      'const fig = { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: { title: { text: "same" } } };',
      "show(fig);\nshow(fig);",
    ];
    const run = async () => {
      const displays: Content[] = [];
      for (const code of cells) displays.push(...ofType(await ok(kernel, code), "display_data"));
      return displays.map((d) => JSON.stringify(d.data));
    };
    await kernel.restart();
    const first = await run();
    await kernel.restart();
    const second = await run();
    assert.equal(first.length, 2);
    assert.deepEqual(second, first);
    assert.notEqual(first[0], first[1], "two identical figures in one session get two element ids");
  });
});
