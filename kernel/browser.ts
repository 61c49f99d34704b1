/**
 * A headless Chromium for the kernel (static figures, kernel/save-figure.ts): finding the browser
 * installed on the machine, and driving one page of it with playwright-core, which talks to it
 * over a pipe (`--remote-debugging-pipe`).
 *
 * No browser is ever downloaded (playwright-core only drives the executable it is given), and no
 * port is opened. Playwright starts the browser in its own process group, so the kernel's
 * interrupt (SIGINT) does not reach it; it is killed when the Node process exits, and while it is
 * idle it does not keep Node's event loop alive, so a script that saved a figure still ends on
 * its own.
 */
import childProcess, { type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";

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
  /** How long starting the browser, or one call into the page, may take, ms (default 60 000). */
  readonly timeoutMs?: number;
  /** Called once when the browser process ends, whatever the reason. */
  readonly onExit?: () => void;
}

/** One headless browser with one blank page, driven by playwright-core. */
export interface HeadlessPage {
  /** The browser's process id (it leads its own process group). */
  readonly pid: number;
  /** Replaces the page's document with `html` (its inline scripts run). */
  setContent(html: string): Promise<void>;
  /**
   * Evaluates a JavaScript expression in the page, awaits it if it is a promise, and returns
   * its value. An exception in the page rejects with its message.
   */
  evaluate(expression: string): Promise<unknown>;
  /** Whether the browser is still running. */
  readonly alive: boolean;
  /** Closes the browser (gracefully, then by force) and removes its profile folder. */
  close(): Promise<void>;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // The browser leads its own process group (Playwright spawns it detached): this reaches its
    // helpers too.
    if (process.platform !== "win32") process.kill(-pid, signal);
    else process.kill(pid, signal);
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
 * Playwright's own exit handler sends SIGKILL and returns at once. Blocking is for the exit
 * handler, where nothing asynchronous runs any more.
 */
function waitForGroupSync(pgid: number, timeoutMs: number): void {
  if (process.platform === "win32") return;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  for (let members = groupMembers(pgid); members?.length && Date.now() < deadline; members = groupMembers(pgid)) {
    Atomics.wait(sleeper, 0, 0, 10);
  }
}

/** The same wait without blocking the event loop, for `close()`. */
async function waitForGroup(pgid: number, timeoutMs: number): Promise<void> {
  if (process.platform === "win32") return;
  const deadline = Date.now() + timeoutMs;
  for (let members = groupMembers(pgid); members?.length && Date.now() < deadline; members = groupMembers(pgid)) {
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

type Spawn = typeof childProcess.spawn;
type SpawnWatcher = (child: ChildProcess, args: readonly unknown[]) => void;
const spawnWatchers = new Set<SpawnWatcher>();
let unwatchedSpawn: Spawn | undefined;

/**
 * Calls `watcher` with every process spawned until the returned function is called.
 *
 * Why: Playwright keeps the browser's process and its pipes referenced, so Node's event loop
 * would never end while the browser runs (a script that saved a figure would hang), and it
 * offers neither an option to unreference them nor the process (only `launchServer`, which opens
 * a port, returns it). It spawns through `require("child_process").spawn`, looked up at each
 * call, so watching that function during the launch finds the browser's ChildProcess.
 */
function watchSpawns(watcher: SpawnWatcher): () => void {
  const module = childProcess as { spawn: Spawn };
  if (spawnWatchers.size === 0) {
    const original = module.spawn;
    unwatchedSpawn = original;
    module.spawn = function (this: unknown, ...args: unknown[]): ChildProcess {
      const child = (original as (...a: unknown[]) => ChildProcess).apply(this, args);
      for (const watch of spawnWatchers) watch(child, args);
      return child;
    } as Spawn;
  }
  spawnWatchers.add(watcher);
  return () => {
    spawnWatchers.delete(watcher);
    if (spawnWatchers.size === 0 && unwatchedSpawn) {
      module.spawn = unwatchedSpawn;
      unwatchedSpawn = undefined;
    }
  };
}

type Unrefable = { ref?(): void; unref?(): void };

/** Lets Node exit while the browser idles: its process and pipes no longer hold the event loop. */
function unrefProcess(child: ChildProcess): void {
  child.unref();
  for (const stream of child.stdio) (stream as Unrefable | null)?.unref?.();
}

/**
 * Runs `call` with the event loop held (the browser's pipes are unreferenced, so without this a
 * script awaiting the page could end first), rejecting if it takes longer than `timeoutMs`.
 */
function withDeadline<T>(call: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the browser did not answer ${what} within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}

/** The first line of an error's message, without Playwright's "page.evaluate: " prefix. */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^[\w.]+: /, "").split("\n")[0]!;
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
  const removeProfile = (): void => {
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // a helper may still be writing; the OS tmp cleaner gets it
    }
  };

  let child: ChildProcess | undefined;
  const unwatch = watchSpawns((spawned, args) => {
    if (!child && (args[1] as unknown[] | undefined)?.some((arg) => arg === `--user-data-dir=${profile}`)) child = spawned;
  });
  let context: BrowserContext;
  try {
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(profile, {
      executablePath: executable,
      headless: true,
      args: [...HEADLESS_FLAGS],
      env: env as Record<string, string>,
      timeout: timeoutMs,
      // Playwright's signal handlers would end the kernel: its SIGINT handler (the Jupyter
      // interrupt) closes every browser and exits with 130, and its SIGTERM and SIGHUP handlers
      // replace Node's default exit with a browser close. The exit handler below covers exits.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    removeProfile();
    throw new Error(`launchHeadless: the browser ${executable} must start headless, got ${reasonOf(err)}`);
  } finally {
    unwatch();
  }
  if (!child?.pid) {
    await context.close().catch(() => undefined);
    removeProfile();
    throw new Error(`launchHeadless: the browser ${executable} must start as a process of this one, got none with profile ${profile}`);
  }
  const browser = child;
  const pid = child.pid;
  unrefProcess(browser);

  // Runs after Playwright's own exit handler (registered at its launch), which sends SIGKILL
  // and does not wait for it to land.
  const killOnExit = (): void => {
    killGroup(pid, "SIGKILL");
    waitForGroupSync(pid, GROUP_EXIT_MS);
    removeProfile();
  };
  process.on("exit", killOnExit);

  let alive = browser.exitCode === null && browser.signalCode === null;
  const exited = new Promise<void>((resolve) => {
    const done = (): void => {
      if (!alive) return;
      alive = false;
      process.off("exit", killOnExit);
      options.onExit?.();
      resolve();
    };
    if (!alive) done();
    browser.once("exit", done);
  });
  const closed = (): Error => new Error("the browser exited");

  const close = async (): Promise<void> => {
    if (alive) {
      const force = setTimeout(() => killGroup(pid, "SIGKILL"), 5_000);
      await context.close().catch(() => undefined);
      await exited;
      clearTimeout(force);
    }
    // Helpers (zygote, renderers) may outlive the browser's main process for a moment.
    killGroup(pid, "SIGKILL");
    await waitForGroup(pid, GROUP_EXIT_MS);
    removeProfile();
  };

  try {
    const page = context.pages()[0] ?? await withDeadline(context.newPage(), timeoutMs, "newPage");
    page.setDefaultTimeout(timeoutMs);
    return {
      pid,
      get alive() {
        return alive;
      },
      async setContent(html: string): Promise<void> {
        if (!alive) throw closed();
        await withDeadline(page.setContent(html), timeoutMs, "setContent").catch((err: unknown) => {
          throw alive ? new Error(`the browser could not set the page's content: ${reasonOf(err)}`) : closed();
        });
      },
      async evaluate(expression: string): Promise<unknown> {
        if (!alive) throw closed();
        // The page catches its own exceptions, so they come back apart from Playwright's errors.
        const outcome = await withDeadline(page.evaluate(async (source: string) => {
          try {
            return { value: (await (0, eval)(source)) as unknown };
          } catch (err) {
            return { error: String(err) };
          }
        }, expression), timeoutMs, "evaluate").catch((err: unknown) => {
          throw alive ? new Error(`the browser could not evaluate the expression: ${reasonOf(err)}`) : closed();
        });
        if (typeof outcome.error === "string") throw new Error(outcome.error.split("\n")[0]);
        return outcome.value;
      },
      close,
    };
  } catch (err) {
    await close();
    throw new Error(`launchHeadless: the browser ${executable} must open a page, got ${reasonOf(err)}`);
  }
}
