/**
 * The headless notebook runner: executes notebooks exactly as JupyterLab would — through a real
 * Jupyter server (127.0.0.1, random port and token) with `@jupyterlab/services` and the snnlab
 * kernel, one session per notebook, started with the notebook's path so the kernel runs in its
 * folder. Quick mode rewrites `quick = false` to `quick = true` in the cell tagged `parameters`.
 * Any error output fails the notebook. Outputs are recorded as nbformat 4 outputs, with
 * `update_display_data` and `clear_output` applied as a front end would.
 */
import fs from "node:fs";
import path from "node:path";
import { KernelManager, ServerConnection, SessionManager, type KernelMessage } from "@jupyterlab/services";
import WebSocket from "ws";
import { type JupyterInstall, type RunningServer, findJupyter, repoRoot, startServer } from "./jupyter";
import { RESULTS_MIME, type ResultsPayload } from "./results";

/** A notebook cell as stored (nbformat 4). */
export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  id?: string;
}

export type NotebookOutput = Record<string, unknown> & { output_type: string };

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export interface CellTiming {
  readonly index: number;
  readonly seconds: number;
  readonly status: string;
}

export interface NotebookRun {
  readonly path: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly cells: CellTiming[];
  readonly errors: string[];
  /** The rows of the notebook's `report(...)` (empty when it reported nothing). */
  readonly results: ResultsPayload["rows"];
  /** The notebook's reproduction record, as `report(...)` sent it; undefined when it reported nothing. */
  readonly record?: ResultsPayload;
  readonly notebook: Notebook;
}

export interface RunOptions {
  /** Quick mode: the parameters cell gets `quick = true`. */
  readonly quick: boolean;
  /** Where executed notebooks are written: "in-place" or a folder (default: in place when full). */
  readonly outputDir?: string;
  /** Per-cell timeout, s (default 3600: notebook 13's full-mode training cell runs about 40 minutes). */
  readonly cellTimeoutSeconds?: number;
  /** Progress lines (default console.log). */
  readonly log?: (line: string) => void;
  /** A running server to use instead of starting one. */
  readonly server?: RunningServer;
}

const QUICK_RE = /\bquick(\s*(?::\s*boolean)?\s*=\s*)false\b/;

export function sourceOf(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** Loads a notebook and checks it is nbformat 4. */
export function readNotebook(file: string): Notebook {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
  if (nb.nbformat !== 4 || !Array.isArray(nb.cells)) throw new Error(`runner: ${file} must be an nbformat 4 notebook`);
  return nb;
}

/** Returns a copy with the parameters cell switched to quick mode (throws if it has none). */
export function toQuickMode(nb: Notebook, file: string): Notebook {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  const cell = copy.cells.find((c) => c.cell_type === "code" && (c.metadata.tags ?? []).includes("parameters"));
  if (!cell) throw new Error(`runner: ${file} must have a code cell tagged "parameters"`);
  const source = sourceOf(cell);
  if (!QUICK_RE.test(source)) throw new Error(`runner: the parameters cell of ${file} must declare \`const quick = false\``);
  cell.source = source.replace(QUICK_RE, "quick$1true");
  return copy;
}

/** Splits text into nbformat's list-of-lines form. */
function lines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

class OutputRecorder {
  readonly outputs: NotebookOutput[] = [];
  private clearPending = false;

  constructor(private readonly displays: Map<string, NotebookOutput[]>) {}

  private push(output: NotebookOutput): void {
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    this.outputs.push(output);
  }

  handle(msg: KernelMessage.IIOPubMessage): void {
    const content = msg.content as Record<string, unknown>;
    switch (msg.header.msg_type) {
      case "stream": {
        const last = this.outputs[this.outputs.length - 1];
        if (!this.clearPending && last && last.output_type === "stream" && last.name === content.name) {
          last.text = lines((last.text as string[]).join("") + String(content.text));
        } else {
          this.push({ output_type: "stream", name: content.name, text: lines(String(content.text)) });
        }
        break;
      }
      case "display_data":
      case "execute_result": {
        const output: NotebookOutput = msg.header.msg_type === "execute_result"
          ? { output_type: "execute_result", data: content.data, metadata: content.metadata ?? {}, execution_count: content.execution_count }
          : { output_type: "display_data", data: content.data, metadata: content.metadata ?? {} };
        this.push(output);
        const id = (content.transient as { display_id?: string } | undefined)?.display_id;
        if (id) this.displays.set(id, [...(this.displays.get(id) ?? []), output]);
        break;
      }
      case "update_display_data": {
        const id = (content.transient as { display_id?: string } | undefined)?.display_id;
        for (const output of (id && this.displays.get(id)) || []) {
          output.data = content.data;
          output.metadata = content.metadata ?? {};
        }
        break;
      }
      case "error":
        this.push({ output_type: "error", ename: content.ename, evalue: content.evalue, traceback: content.traceback });
        break;
      case "clear_output":
        if (content.wait) this.clearPending = true;
        else this.outputs.length = 0;
        break;
      default:
        break;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${seconds} s`)), seconds * 1000);
    }),
  ]);
}

/**
 * `ws` for @jupyterlab/services, asking for no WebSocket subprotocol. Services offers the kernel
 * protocol v1.kernel.websocket.jupyter.org; the classic Notebook server (6.x, which `findJupyter`
 * prefers for the runner) answers without a subprotocol, which a browser accepts but `ws` fails
 * ("Server sent no subprotocol"), so every kernel connection began with a failed handshake and
 * "Connection lost, reconnecting in 0 seconds". Without one, every server (Jupyter Server too)
 * speaks the default JSON protocol.
 */
class KernelWebSocket extends WebSocket {
  constructor(url: string | URL) {
    super(url);
  }
}

/** @jupyterlab/services managers for a running server (Node: `ws` for WebSockets); dispose both when done. */
export function connectServices(server: RunningServer): { kernelManager: KernelManager; sessionManager: SessionManager } {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: `${server.baseUrl}/`,
    wsUrl: server.baseUrl.replace(/^http/, "ws") + "/",
    token: server.token,
    appendToken: true,
    WebSocket: KernelWebSocket as unknown as typeof globalThis.WebSocket,
  });
  const kernelManager = new KernelManager({ serverSettings });
  return { kernelManager, sessionManager: new SessionManager({ kernelManager, serverSettings }) };
}

/** Runs one notebook (path relative to the repository root or absolute) on `server`. */
export async function runNotebook(file: string, server: RunningServer, options: RunOptions): Promise<NotebookRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const absolute = path.resolve(repoRoot, file);
  const relative = path.relative(repoRoot, absolute).split(path.sep).join("/");
  const original = readNotebook(absolute);
  const nb = options.quick ? toQuickMode(original, relative) : (JSON.parse(JSON.stringify(original)) as Notebook);
  const { kernelManager, sessionManager } = connectServices(server);
  const started = Date.now();
  const cells: CellTiming[] = [];
  const errors: string[] = [];
  const results: ResultsPayload["rows"] = [];
  let record: ResultsPayload | undefined;
  const displays = new Map<string, NotebookOutput[]>();
  try {
    const session = await sessionManager.startNew({
      path: relative, type: "notebook", name: path.basename(relative), kernel: { name: "snnlab" },
    });
    try {
      const kernel = session.kernel;
      if (!kernel) throw new Error(`runner: no kernel for ${relative}`);
      await withTimeout(kernel.info, 120, `starting the kernel for ${relative}`);
      for (let index = 0; index < nb.cells.length; index++) {
        const cell = nb.cells[index]!;
        if (cell.cell_type !== "code") continue;
        const code = sourceOf(cell);
        const t0 = Date.now();
        const recorder = new OutputRecorder(displays);
        const future = kernel.requestExecute({ code, stop_on_error: true, store_history: true });
        future.onIOPub = (msg) => recorder.handle(msg);
        const reply = (await withTimeout(future.done, options.cellTimeoutSeconds ?? 3600, `cell ${index} of ${relative}`)) as KernelMessage.IExecuteReplyMsg;
        future.dispose();
        const seconds = (Date.now() - t0) / 1000;
        cell.outputs = recorder.outputs;
        cell.execution_count = reply.content.execution_count ?? null;
        cells.push({ index, seconds, status: reply.content.status });
        for (const output of recorder.outputs) {
          if (output.output_type === "error") errors.push(`cell ${index}: ${String(output.ename)}: ${String(output.evalue)}`);
          const data = output.data as Record<string, unknown> | undefined;
          const payload = data?.[RESULTS_MIME] as ResultsPayload | undefined;
          if (payload?.rows) {
            results.push(...payload.rows);
            record = { ...payload, protocol: payload.protocol ?? 1, settings: payload.settings ?? [], evaluations: payload.evaluations ?? [], testSetReuse: payload.testSetReuse ?? [], rows: results };
          }
        }
        log(`  cell ${String(index).padStart(2)}  ${seconds.toFixed(2).padStart(8)} s  ${reply.content.status}`);
        if (reply.content.status !== "ok") {
          if (errors.length === 0) errors.push(`cell ${index}: status ${reply.content.status}`);
          break;
        }
      }
    } finally {
      await session.shutdown().catch(() => undefined);
      session.dispose();
    }
  } finally {
    sessionManager.dispose();
    kernelManager.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  // Executed notebooks are saved with the original (full-mode) parameters cell source.
  const saved: Notebook = { ...nb, cells: nb.cells.map((c, i) => ({ ...c, source: original.cells[i]!.source })) };
  return { path: relative, ok: errors.length === 0, seconds, cells, errors, results, record, notebook: saved };
}

/**
 * Serialises a notebook as Jupyter does (1-space indent) except output data, which is written
 * compactly: an indented figure puts every number on a line of its own and triples the file.
 */
export function serializeNotebook(nb: Notebook): string {
  const compact: string[] = [];
  const text = JSON.stringify(nb, (key, value: unknown) => {
    if (key === "data" && value !== null && typeof value === "object" && !Array.isArray(value)) {
      compact.push(JSON.stringify(value));
      return `\u0000snnlab-data-${compact.length - 1}\u0000`;
    }
    return value;
  }, 1);
  return text.replace(/"\\u0000snnlab-data-(\d+)\\u0000"/g, (_, k: string) => compact[Number(k)]!) + "\n";
}

/** Writes a notebook (`serializeNotebook`) atomically: no partial file if anything fails. */
export function writeNotebook(file: string, nb: Notebook): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, serializeNotebook(nb));
  fs.renameSync(tmp, file);
}

/** Runs notebooks in order on one server (started here unless given), writing each executed copy. */
export async function runNotebooks(files: readonly string[], options: RunOptions): Promise<NotebookRun[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  let server = options.server;
  let own = false;
  if (!server) {
    const jupyter: JupyterInstall | undefined = findJupyter("notebook");
    if (!jupyter) throw new Error("runner: Jupyter was not found on the PATH (see npm start's message for how to get it)");
    server = await startServer({ jupyter, stdio: "ignore" });
    own = true;
  }
  const runs: NotebookRun[] = [];
  try {
    for (const file of files) {
      log(`${file} (${options.quick ? "quick" : "full"} mode)`);
      const run = await runNotebook(file, server, options);
      runs.push(run);
      log(`${run.ok ? "ok  " : "FAIL"} ${run.path}  ${run.seconds.toFixed(1)} s${run.errors.length ? "\n  " + run.errors.join("\n  ") : ""}`);
      const outputDir = options.outputDir ?? (options.quick ? path.join(repoRoot, "test-artifacts", "notebooks") : "in-place");
      const target = outputDir === "in-place" ? path.resolve(repoRoot, file) : path.join(outputDir, path.basename(file));
      if (outputDir !== "in-place" || run.ok) writeNotebook(target, run.notebook);
    }
  } finally {
    if (own) await server.stop();
  }
  return runs;
}
