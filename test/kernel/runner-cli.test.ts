/**
 * `npm run notebooks` as a process (kernel/bin/notebooks.ts): exit statuses, --allow-errors with
 * -o, and stopping by signal: SIGTERM, SIGINT or SIGHUP in the middle of a busy cell leaves no
 * Jupyter or kernel process of the run, the notebook as it was, the executed part in
 * `<name>.partial.ipynb`, and an exit status of 128 + the signal's number.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { findJupyter, repoRoot } from "../../kernel/jupyter";
import { type Notebook, readNotebook } from "../../kernel/runner";
import { parseCommandLine } from "../../kernel/bin/notebooks";
import { processIds, processStat } from "../helpers/proc";

const cli = path.join(repoRoot, "dist", "kernel", "bin", "notebooks.js");
const slow = path.join(repoRoot, "test", "fixtures", "notebooks", "runner-slow.ipynb");
const failing = path.join(repoRoot, "test", "fixtures", "notebooks", "runner-error.ipynb");
const artifacts = path.join(repoRoot, "test-artifacts", "notebooks");
const jupyter = findJupyter("notebook");

interface Cli {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

function start(args: readonly string[]): Cli {
  const env = { ...process.env };
  delete env.INIT_CWD; // paths below are absolute; npm test may set it to wherever npm was run
  const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function waitFor(cli: Cli, pattern: RegExp, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!pattern.test(cli.output())) {
    if (cli.child.exitCode !== null) throw new Error(`the runner exited (${cli.child.exitCode}) before ${pattern}:\n${cli.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${seconds} s:\n${cli.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The processes below `root` now, through their parents (those that outlive it are re-parented). */
function descendants(root: number): number[] {
  const parents = new Map(processIds().map((pid) => [pid, processStat(pid)?.ppid]));
  const found = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (ppid !== undefined && found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(root);
  return [...found];
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

function alive(pid: number): boolean {
  const stat = processStat(pid);
  return stat !== undefined && stat.state !== "Z" && stat.state !== "X";
}

function outputsOf(nb: Notebook, index: number): string {
  return (nb.cells[index]!.outputs ?? []).map((o) => (o.text as string[] | undefined)?.join("") ?? "").join("");
}

describe("npm run notebooks", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-runner-cli-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("a parameter of the wrong type exits 2 with one message, before anything runs", async () => {
    const run = start([slow, "-p", "busySeconds=abc"]);
    assert.equal(await run.exit, 2);
    assert.match(run.output(), /^npm run notebooks: runner: parameter busySeconds must be a number \(declared in the parameters cell of test\/fixtures\/notebooks\/runner-slow\.ipynb\), got "abc"\n$/);
  });

  it("--cell-timeout S sets the time a cell may run", () => {
    assert.equal(parseCommandLine([slow, "--cell-timeout", "7200"], repoRoot).cellTimeoutSeconds, 7200);
    assert.equal(parseCommandLine([slow], repoRoot).cellTimeoutSeconds, undefined);
    assert.throws(() => parseCommandLine([slow, "--cell-timeout=-1"], repoRoot), /^Error: --cell-timeout must be a number of seconds > 0, got "-1"$/);
  });

  it("a bad command line exits 2 with the usage", async () => {
    for (const args of [["--frobnicate"], [slow, "-p", "1x=2"], [slow, failing, "-o", path.join(tmp, "x.ipynb")], ["no-such-notebook"], [slow, "--cell-timeout", "0"], [slow, "--cell-timeout", "soon"]]) {
      const run = start(args);
      assert.equal(await run.exit, 2, args.join(" "));
      assert.match(run.output(), /^npm run notebooks: .*\n\nusage: npm run notebooks/, args.join(" "));
    }
  });

  it("--allow-errors -o FILE runs every cell, writes FILE with the error kept, and exits 1", { skip: jupyter ? false : "Jupyter is not installed", timeout: 120_000 }, async () => {
    const out = path.join(tmp, "allowed.ipynb");
    const run = start([failing, "--allow-errors", "-o", out]);
    assert.equal(await run.exit, 1, run.output());
    const nb = readNotebook(out);
    assert.equal(nb.cells[1]!.outputs![0]!.output_type, "error");
    assert.equal(outputsOf(nb, 2), "must not run\n");
  });

  const signals = [
    // signal, how the output is given, the notebook to run, where the partial notebook goes
    { signal: "SIGTERM", mode: "--in-place" },
    { signal: "SIGINT", mode: "-o" },
    { signal: "SIGHUP", mode: "default" },
  ] as const;
  for (const { signal, mode } of signals) {
    it(`${signal} in the middle of a busy cell (${mode}) stops kernel and server, writes only the partial notebook, and exits ${128 + os.constants.signals[signal]}`, {
      skip: !jupyter ? "Jupyter is not installed" : !fs.existsSync("/proc") ? "needs Linux's /proc" : false,
      timeout: 120_000,
    }, async () => {
      let input = slow;
      let args: string[];
      let output: string;
      let partial: string;
      if (mode === "--in-place") {
        input = path.join(tmp, `runner-slow-${signal}.ipynb`);
        fs.copyFileSync(slow, input);
        args = [input, "--in-place"];
        output = input;
        partial = path.join(artifacts, `runner-slow-${signal}.partial.ipynb`);
      } else if (mode === "-o") {
        output = path.join(tmp, `stopped-${signal}.ipynb`);
        args = [slow, "-o", output];
        partial = path.join(tmp, `stopped-${signal}.partial.ipynb`);
      } else {
        output = path.join(artifacts, "runner-slow.ipynb");
        args = [slow];
        partial = path.join(artifacts, "runner-slow.partial.ipynb");
      }
      for (const file of [partial, ...(mode === "--in-place" ? [] : [output])]) fs.rmSync(file, { force: true });
      const before = fs.readFileSync(input);
      const run = start(args);
      try {
        await waitFor(run, /cell {2}2 .* ok/, 90); // the cell before the busy one is done
        await new Promise((r) => setTimeout(r, 1000));
        const processes = descendants(run.child.pid!);
        assert.ok(processes.some((pid) => /jupyter/.test(commandLine(pid))), `a Jupyter server runs: ${processes.map(commandLine).join("; ")}`);
        assert.ok(processes.some((pid) => /kernel\/main\.js/.test(commandLine(pid))), `a kernel runs: ${processes.map(commandLine).join("; ")}`);
        run.child.kill(signal);
        assert.equal(await run.exit, 128 + os.constants.signals[signal], run.output());
        const survivors = processes.filter(alive);
        assert.deepEqual(survivors.map(commandLine), [], "no process of the run survives");
      } finally {
        if (run.child.exitCode === null) run.child.kill("SIGKILL");
      }
      assert.deepEqual(fs.readFileSync(input), before, "the notebook is unchanged");
      if (mode !== "--in-place") assert.equal(fs.existsSync(output), false, "no complete output is written");
      const executed = readNotebook(partial);
      assert.equal(outputsOf(executed, 2), "first cell ran\n");
      assert.equal(executed.cells[3]!.execution_count ?? null, null, "the busy cell did not finish");
      assert.equal(outputsOf(executed, 4), "");
      assert.equal((executed.metadata.language_info as { name?: string }).name, "typescript");
      assert.match(run.output(), new RegExp(`${signal}: stopping the kernels and the Jupyter server`));
    });
  }
});
