/**
 * Finding Jupyter and starting a server on loopback: shared by `npm start`, the notebook runner
 * and the tests. The project's kernelspec lives in kernel/jupyter/kernels/snnlab and is found
 * through JUPYTER_PATH, so nothing outside the repository is touched.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** The repository root (this file is compiled to dist/kernel/jupyter.js). */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** The project-local Jupyter data directory that holds kernels/snnlab. */
export const jupyterDataDir = path.join(repoRoot, "kernel", "jupyter");

/** How to get Jupyter, for the one error message when it is missing. */
export const HOW_TO_GET_JUPYTER = [
  "Jupyter was not found on the PATH. Get it one of these ways, then run the command again:",
  "  conda:   conda env create -f environment.yml && conda activate snnlab   (JupyterLab 4, Node, plotly)",
  "  Debian:  sudo apt-get install jupyter-notebook jupyter-server python3-nbclient",
  "  pip:     python3 -m pip install jupyterlab",
].join("\n");

export type JupyterFrontEnd = "lab" | "notebook";

export interface JupyterInstall {
  /** The `jupyter` executable. */
  readonly command: string;
  /** What `npm start` opens: JupyterLab when installed, else the classic Notebook. */
  readonly frontEnd: JupyterFrontEnd;
  /** Version of the front end (e.g. "4.2.5" for Lab, "6.4.12" for Notebook). */
  readonly version: string;
  /** The server application class whose options apply: NotebookApp for Notebook < 7, else ServerApp. */
  readonly appClass: "ServerApp" | "NotebookApp";
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function versionOf(command: string, sub: string): string | undefined {
  const r = spawnSync(command, [sub, "--version"], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) return undefined;
  const match = /(\d+\.\d+[\w.]*)\s*$/.exec(r.stdout.trim());
  return match ? match[1] : undefined;
}

/**
 * Finds Jupyter: `jupyter lab` when installed (or when `prefer` says so), else the classic
 * `jupyter notebook`. Returns undefined when neither is there.
 */
export function findJupyter(prefer?: JupyterFrontEnd): JupyterInstall | undefined {
  const command = process.env.SNNLAB_JUPYTER ?? findOnPath("jupyter");
  if (!command) return undefined;
  const order: JupyterFrontEnd[] = prefer === "notebook" ? ["notebook", "lab"] : ["lab", "notebook"];
  for (const frontEnd of order) {
    const version = versionOf(command, frontEnd);
    if (!version) continue;
    const major = Number(version.split(".")[0]);
    const appClass = frontEnd === "notebook" && major < 7 ? "NotebookApp" : "ServerApp";
    return { command, frontEnd, version, appClass };
  }
  return undefined;
}

/** The environment for Jupyter and its kernels: our kernelspec first on JUPYTER_PATH. */
export function jupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const paths = [jupyterDataDir, ...(base.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean)];
  const binDir = path.dirname(process.execPath);
  return {
    ...base,
    JUPYTER_PATH: [...new Set(paths)].join(path.delimiter),
    // The kernelspec runs `node`: make it the Node that runs us (>= 20.19, checked by set-up).
    PATH: [binDir, base.PATH ?? ""].join(path.delimiter),
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("freePort: no port"));
      });
    });
  });
}

export interface ServerOptions {
  readonly jupyter: JupyterInstall;
  /** Port on 127.0.0.1; a free one when omitted. */
  readonly port?: number;
  /** Access token; a random one when omitted. */
  readonly token?: string;
  /** Whether Jupyter opens a browser (npm start: yes unless --no-browser). */
  readonly openBrowser?: boolean;
  /** Directory the server starts in and serves (default: the repository root). */
  readonly rootDir?: string;
  /** Where the front end opens (default: notebooks/). */
  readonly openPath?: string;
  /** Extra environment for the server and its kernels. */
  readonly env?: NodeJS.ProcessEnv;
  /** stdio for the server process (default: inherit, as for `npm start`). */
  readonly stdio?: "inherit" | "pipe" | "ignore";
}

export interface RunningServer {
  /** The URL to open: the front end at notebooks/, with the token. */
  readonly url: string;
  readonly baseUrl: string;
  readonly token: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it. */
  stop(): Promise<void>;
}

/** The command-line arguments that start `jupyter` on loopback with a token. */
export function serverArgs(options: Required<Pick<ServerOptions, "jupyter" | "port" | "token" | "openBrowser" | "rootDir" | "openPath">>): string[] {
  const { jupyter, port, token, openBrowser, rootDir, openPath } = options;
  const app = jupyter.appClass;
  const urlPath = jupyter.frontEnd === "lab" ? `/lab/tree/${openPath}` : `/tree/${openPath}`;
  const args = [
    jupyter.frontEnd,
    `--${app}.ip=127.0.0.1`,
    `--${app}.port=${port}`,
    `--${app}.port_retries=0`,
    `--${app}.token=${token}`,
    `--${app}.open_browser=${openBrowser ? "True" : "False"}`,
    `--${app}.default_url=${urlPath}`,
    `--${app}.${app === "NotebookApp" ? "notebook_dir" : "root_dir"}=${rootDir}`,
  ];
  if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root");
  return args;
}

/** Starts a Jupyter server and resolves once it answers /api/status. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const token = options.token ?? randomBytes(24).toString("hex");
  const rootDir = options.rootDir ?? repoRoot;
  const args = serverArgs({
    jupyter: options.jupyter, port, token, openBrowser: options.openBrowser ?? false, rootDir,
    openPath: options.openPath ?? "notebooks",
  });
  const child = spawn(options.jupyter.command, args, {
    cwd: rootDir,
    env: jupyterEnv({ ...process.env, ...options.env }),
    stdio: ["ignore", options.stdio ?? "inherit", options.stdio ?? "inherit"],
    detached: process.platform !== "win32",
  });
  let exited: number | null | undefined;
  child.on("exit", (code) => {
    exited = code;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`jupyter ${options.jupyter.frontEnd} exited with code ${exited} before it answered`);
    try {
      const response = await fetch(`${baseUrl}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killTree(child, "SIGKILL");
      throw new Error(`jupyter ${options.jupyter.frontEnd} did not answer on ${baseUrl} within 120 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const openPath = options.openPath ?? "notebooks";
  const urlPath = options.jupyter.frontEnd === "lab" ? `/lab/tree/${openPath}` : `/tree/${openPath}`;
  return {
    url: `${baseUrl}${urlPath}?token=${token}`,
    baseUrl,
    token,
    port,
    process: child,
    stop: () => stopProcess(child),
  };
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform !== "win32") process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killTree(child, "SIGTERM");
  const timer = setTimeout(() => killTree(child, "SIGKILL"), 10_000);
  await done;
  clearTimeout(timer);
}
