/**
 * A headless Chromium for the kernel (static figures, kernel/save-figure.ts): finding the browser
 * installed on the machine, and driving one page over the DevTools protocol through a pipe
 * (`--remote-debugging-pipe`, JSON messages separated by NUL bytes on file descriptors 3 and 4).
 *
 * No browser is ever downloaded, and no port is opened. The browser runs in its own process
 * group, so the kernel's interrupt (SIGINT to the kernel's group) does not reach it; it is killed
 * when the Node process exits, and while it is idle it does not keep Node's event loop alive, so
 * a script that saved a figure still ends on its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";

/** Where Chromium or Chrome usually lives, after CHROME_PATH and before the PATH. */
export const BROWSER_CANDIDATES: readonly string[] = Object.freeze([
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/opt/google/chrome/chrome",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
]);

const PATH_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

/**
 * Flags for a headless browser that touches nothing outside the machine: no GPU, no QUIC, no
 * first-run UI, no background downloads or sync. Callers add a fresh `--user-data-dir`.
 */
export const HEADLESS_FLAGS: readonly string[] = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-extensions",
  "--disable-dev-shm-usage",
  "--hide-scrollbars",
  "--mute-audio",
]);

export interface FindBrowserOptions {
  /** Environment to read CHROME_PATH and PATH from (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Paths tried after CHROME_PATH (default: BROWSER_CANDIDATES). */
  readonly candidates?: readonly string[];
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The Chromium or Chrome executable to use: CHROME_PATH when set, else the first of
 * `candidates` that exists, else one found on the PATH; undefined when there is none.
 * @example
 *   findBrowser(); // "/usr/bin/chromium" on Debian with `apt-get install chromium`
 */
export function findBrowser(options: FindBrowserOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const chromePath = env.CHROME_PATH;
  if (chromePath) {
    if (!isExecutable(chromePath)) throw new Error(`findBrowser: CHROME_PATH must name an executable browser, got ${JSON.stringify(chromePath)}`);
    return chromePath;
  }
  for (const candidate of options.candidates ?? BROWSER_CANDIDATES) {
    if (isExecutable(candidate)) return candidate;
  }
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const name of PATH_NAMES) {
      const candidate = path.join(dir, process.platform === "win32" ? `${name}.exe` : name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface LaunchOptions {
  /** The browser executable (default: findBrowser()). */
  readonly executablePath?: string;
  /** How long one protocol call may take, ms (default 60 000). */
  readonly timeoutMs?: number;
  /** Called once when the browser process ends, whatever the reason. */
  readonly onExit?: () => void;
}

/** One headless browser with one blank page, driven over the DevTools protocol. */
export interface HeadlessPage {
  /** The browser's process id. */
  readonly pid: number;
  /** Replaces the page's document with `html` (its inline scripts run). */
  setContent(html: string): Promise<void>;
  /**
   * Evaluates a JavaScript expression in the page, awaits it if it is a promise, and returns
   * its value as JSON. An exception in the page rejects with its message.
   */
  evaluate(expression: string): Promise<unknown>;
  /** Whether the browser is still running. */
  readonly alive: boolean;
  /** Closes the browser (gracefully, then by force) and removes its profile folder. */
  close(): Promise<void>;
}

interface Pending {
  resolve(value: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

type Unrefable = { ref?(): void; unref?(): void };

/** The DevTools protocol over the browser's pipe; keeps the event loop alive only while a call is open. */
class DevToolsPipe {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private chunks: Buffer[] = [];
  private closedError: Error | undefined;

  constructor(
    private readonly output: Writable,
    private readonly input: Readable,
    private readonly timeoutMs: number,
  ) {
    input.on("data", (chunk: Buffer) => this.receive(chunk));
    input.on("close", () => this.close(new Error("the browser closed the DevTools pipe")));
    input.on("error", (err) => this.close(err));
    output.on("error", (err) => this.close(err));
    this.hold(false);
  }

  /** Refs the pipe's handles while calls are open, so Node waits for the answers, and only then. */
  private hold(busy: boolean): void {
    for (const stream of [this.output, this.input] as Unrefable[]) {
      if (busy) stream.ref?.();
      else stream.unref?.();
    }
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      this.chunks.push(chunk.subarray(start, end));
      const text = Buffer.concat(this.chunks).toString("utf8");
      this.chunks = [];
      start = end + 1;
      this.dispatch(text);
    }
    if (start < chunk.length) this.chunks.push(chunk.subarray(start));
  }

  private dispatch(text: string): void {
    let message: { id?: number; result?: Record<string, unknown>; error?: { message?: string } };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.id === undefined) return; // an event: nothing here subscribes to any
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    clearTimeout(call.timer);
    if (this.pending.size === 0) this.hold(false);
    if (message.error) call.reject(new Error(message.error.message ?? "DevTools protocol error"));
    else call.resolve(message.result ?? {});
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        if (this.pending.size === 0) this.hold(false);
        reject(new Error(`the browser did not answer ${method} within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.hold(true);
      this.output.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    });
  }

  close(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    this.pending.clear();
    this.hold(false);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The browser leads its own process group (detached): this reaches its helpers too.
    if (process.platform !== "win32") process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

/**
 * Ids of the live (not zombie) processes in process group `pgid`, from Linux's /proc; undefined
 * where there is no /proc to read.
 */
function groupMembers(pgid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone already
    }
    // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") members.push(Number(entry));
  }
  return members;
}

/**
 * Waits, blocking, until no live process is left in the browser's group, at most `timeoutMs`.
 * SIGKILL only queues the signal: a helper that is inside a system call (writing its profile to
 * a slow disk) dies when it returns, and must not outlive the folder's removal or the process.
 * Blocking is for the exit handler, where nothing asynchronous runs any more.
 */
function waitForGroupSync(child: ChildProcess, timeoutMs: number): void {
  if (child.pid === undefined || process.platform === "win32") return;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  for (let members = groupMembers(child.pid); members?.length && Date.now() < deadline; members = groupMembers(child.pid)) {
    Atomics.wait(sleeper, 0, 0, 10);
  }
}

/** The same wait without blocking the event loop, for `close()`. */
async function waitForGroup(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.pid === undefined || process.platform === "win32") return;
  const deadline = Date.now() + timeoutMs;
  for (let members = groupMembers(child.pid); members?.length && Date.now() < deadline; members = groupMembers(child.pid)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How long the browser's helpers may take to die after SIGKILL before the profile goes anyway. */
const GROUP_EXIT_MS = 5_000;

const PROFILE_PREFIX = "snnlab-chromium-";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the profile folders of processes that are gone. A process killed by a signal runs no
 * exit handler: its browser still ends (the pipe closes) but its profile stays behind.
 */
function removeStaleProfiles(): void {
  let names: string[];
  try {
    names = fs.readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const match = new RegExp(`^${PROFILE_PREFIX}(\\d+)-`).exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    try {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    } catch {
      // another user's folder, or one being removed right now
    }
  }
}

/**
 * Starts a headless browser with a fresh profile and one blank page. The browser is killed when
 * the Node process exits; call `close()` to end it sooner.
 * @example
 *   const page = await launchHeadless();
 *   await page.evaluate("1 + 1"); // 2
 *   await page.close();
 */
export async function launchHeadless(options: LaunchOptions = {}): Promise<HeadlessPage> {
  const executable = options.executablePath ?? findBrowser();
  if (!executable) throw new Error("launchHeadless: a Chromium or Chrome browser must be installed (apt-get install chromium, or set CHROME_PATH), got none");
  const timeoutMs = options.timeoutMs ?? 60_000;
  removeStaleProfiles();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  // The browser's own temporary files (its singleton socket, shared memory under
  // --disable-dev-shm-usage) go inside the profile too, so removing the profile removes
  // everything, even after a SIGKILL. Unless that folder's path is too long for the socket's
  // path (107 bytes, of which the browser adds 39).
  const tmp = path.join(profile, "t");
  const env = tmp.length <= 64 ? { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp } : process.env;
  if (env !== process.env) fs.mkdirSync(tmp);
  const child = spawn(executable, [...HEADLESS_FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-pipe", "about:blank"], {
    env,
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
    detached: process.platform !== "win32",
  });
  child.unref();
  let stderr = "";
  const errStream = child.stderr as (Readable & Unrefable) | null;
  errStream?.setEncoding("utf8");
  errStream?.on("data", (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  errStream?.unref?.();

  const removeProfile = (): void => {
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // a helper may still be writing; the OS tmp cleaner gets it
    }
  };
  const killOnExit = (): void => {
    killGroup(child, "SIGKILL");
    waitForGroupSync(child, GROUP_EXIT_MS);
    removeProfile();
  };
  process.on("exit", killOnExit);

  let alive = true;
  const exited = new Promise<void>((resolve) => {
    const done = (): void => {
      if (!alive) return;
      alive = false;
      process.off("exit", killOnExit);
      pipe.close(new Error(`the browser exited${stderr ? `: ${stderr.trim().split("\n").slice(-3).join(" | ")}` : ""}`));
      options.onExit?.();
      resolve();
    };
    child.once("exit", done);
    child.once("error", (err) => {
      stderr += `\n${err.message}`;
      done();
    });
  });
  const pipe = new DevToolsPipe(child.stdio[3] as Writable, child.stdio[4] as Readable, timeoutMs);

  const close = async (): Promise<void> => {
    if (alive) {
      await pipe.send("Browser.close").catch(() => undefined);
      const force = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(force);
    }
    // Helpers (zygote, renderers) of a browser that crashed may outlive it.
    killGroup(child, "SIGKILL");
    await waitForGroup(child, GROUP_EXIT_MS);
    removeProfile();
  };

  try {
    const { targetId } = await pipe.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await pipe.send("Target.attachToTarget", { targetId, flatten: true });
    const session = String(sessionId);
    const { frameTree } = await pipe.send("Page.getFrameTree", {}, session);
    const frameId = (frameTree as { frame: { id: string } }).frame.id;
    return {
      pid: child.pid!,
      get alive() {
        return alive;
      },
      async setContent(html: string): Promise<void> {
        await pipe.send("Page.setDocumentContent", { frameId, html }, session);
      },
      async evaluate(expression: string): Promise<unknown> {
        const reply = await pipe.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true }, session);
        const details = reply.exceptionDetails as { text?: string; exception?: { description?: string; value?: unknown } } | undefined;
        if (details) {
          const description = details.exception?.description ?? String(details.exception?.value ?? details.text ?? "error");
          throw new Error(description.split("\n")[0]);
        }
        return (reply.result as { value?: unknown } | undefined)?.value;
      },
      close,
    };
  } catch (err) {
    await close();
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`launchHeadless: the browser ${executable} must start headless, got ${reason}${stderr && !reason.includes(stderr.trim()) ? ` (${stderr.trim().split("\n").slice(-3).join(" | ")})` : ""}`);
  }
}
