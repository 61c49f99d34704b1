/**
 * The browser of a live kernel: Kernel → Interrupt (SIGINT to the kernel's process group) neither
 * reaches the browser nor ends the kernel, the next figure reuses it, and a shut-down kernel
 * leaves no browser process and no profile behind.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { KernelMessage } from "@jupyterlab/services";
import { findBrowser } from "../../kernel/browser";
import { execute, interruptUntilDone, jupyter, useKernelSession } from "../helpers/kernel-session";
import { processStat, processesWith } from "../helpers/proc";

function browserPath(): string | undefined {
  try {
    return findBrowser();
  } catch {
    return undefined;
  }
}

const skip = !browserPath() ? "no Chromium or Chrome is installed (apt-get install chromium, or set CHROME_PATH)"
  : !jupyter ? "Jupyter is not installed"
  : !fs.existsSync("/proc") ? "the checks read Linux's /proc" : false;

function resultText(outputs: KernelMessage.IIOPubMessage[]): string | undefined {
  const result = outputs.find((m) => m.header.msg_type === "execute_result");
  return result ? String((result.content as { data: Record<string, unknown> }).data["text/plain"]) : undefined;
}

/** The kernel's browsers: main processes whose profile names the kernel's pid. */
function browserMains(kernelPid: number): number[] {
  return processesWith(`snnlab-chromium-${kernelPid}-`).filter((pid) => processStat(pid)?.ppid === kernelPid);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return condition();
}

describe("saveFigure in a live kernel", { skip, timeout: 180_000 }, () => {
  const kernelOf = useKernelSession("notebooks/kernel-browser-test.ipynb");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-kernel-browser-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let kernelPid = 0;
  let browser = 0;

  const saveCell = (name: string): string =>
    `await saveFigure({ data: [{ type: "bar", y: [1, 2, 3] }] }, ${JSON.stringify(path.join(dir, name))});`;

  it("saveFigure in a cell starts one browser in its own process group", async () => {
    const kernel = kernelOf();
    const { reply, outputs } = await execute(kernel, `import { saveFigure } from "snnlab/kernel";\n${saveCell("a.svg")}\nprocess.pid`);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    kernelPid = Number(resultText(outputs));
    assert.ok(fs.readFileSync(path.join(dir, "a.svg"), "utf8").startsWith("<svg"));
    const mains = browserMains(kernelPid);
    assert.equal(mains.length, 1, `one browser, got ${mains.join(", ")}`);
    browser = mains[0]!;
    assert.equal(processStat(browser)?.pgrp, browser, "the browser leads its own process group");
    assert.notEqual(processStat(kernelPid)?.pgrp, browser);
  });

  it("Kernel → Interrupt leaves the kernel and its browser running, and the next figure reuses the browser", async () => {
    const kernel = kernelOf();
    assert.equal((await interruptUntilDone(kernel, "while (true) {}")).reply.content.status, "error");
    // An interrupt while a cell awaits reaches the process's SIGINT listeners (a synchronous
    // loop's is taken by tslab's breakOnSigint): Playwright's default listener would close the
    // browser and exit the kernel with code 130.
    const waiting = execute(kernel, "await new Promise((resolve) => setTimeout(resolve, 1500));");
    await new Promise((r) => setTimeout(r, 700));
    await kernel.interrupt();
    await waiting;
    const { reply, outputs } = await execute(kernel, `${saveCell("b.svg")}\nprocess.pid`);
    assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
    assert.equal(Number(resultText(outputs)), kernelPid, "the same kernel process");
    assert.deepEqual(browserMains(kernelPid), [browser], "the same browser");
    assert.ok(fs.readFileSync(path.join(dir, "b.svg"), "utf8").startsWith("<svg"));
  });

  it("shutting the kernel down leaves no browser process and no profile behind", async () => {
    const kernel = kernelOf();
    const profiles = (): string[] => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`snnlab-chromium-${kernelPid}-`));
    assert.equal(profiles().length, 1, "the browser's profile exists while it runs");
    await kernel.shutdown();
    assert.ok(await until(() => processStat(kernelPid) === undefined || processStat(kernelPid)!.state === "Z", 20_000), "the kernel ended");
    assert.deepEqual(processesWith(`snnlab-chromium-${kernelPid}-`), [], "no browser process is left");
    assert.deepEqual(profiles(), [], "the profile was removed");
  });
});
