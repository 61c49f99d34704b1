/**
 * The headless notebook runner: executes notebooks exactly as JupyterLab would — through a real
 * Jupyter server (127.0.0.1, random port and token) with `@jupyterlab/services` and the snnlab
 * kernel, one session per notebook, started with the notebook's path so the kernel runs in its
 * folder. Outputs are recorded as nbformat 4 outputs, with `update_display_data` and
 * `clear_output` applied as a front end would, and the notebook's `kernelspec` and
 * `language_info` are written from the live kernel, as JupyterLab writes them.
 *
 * - Parameters: values for the cell tagged `parameters` are checked against its declared types
 *   and injected after it, as papermill does (kernel/parameters.ts); quick mode is `quick = true`.
 * - Outputs: a series notebook (notebooks/NN-*.ipynb) run with its defaults is rewritten in place
 *   when it succeeds; any other run (parameters, or a notebook elsewhere) goes to
 *   test-artifacts/notebooks/ unless an output file or folder is given, and never over the notebook.
 * - Errors: any error output fails the notebook; execution stops at the failing cell unless
 *   `allowErrors`, which runs every cell and keeps the errors in the outputs.
 * - Stopping: an aborted `signal` shuts the kernel (and a server started here) down and writes the
 *   executed part as `<name>.partial.ipynb`, apart from the notebook.
 */
import fs from "node:fs";
import path from "node:path";
import { type Kernel, KernelManager, ServerConnection, SessionManager, type KernelMessage } from "@jupyterlab/services";
import WebSocket from "ws";
import { defaultCheckpointDir } from "./checkpoints";
import { type JupyterInstall, type RunningServer, findJupyter, repoRoot, startServer } from "./jupyter";
import { ParameterError, type ParameterValue, injectParameters } from "./parameters";
import { RESULTS_MIME, recordProblems, type ResultsPayload } from "./results";

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
  /** The kernel's reply status ("ok", "error", "aborted"), or "timeout" / "kernel-died" for a cell recorded as unfinished. */
  readonly status: string;
}

export interface NotebookRun {
  readonly path: string;
  /** The values injected after the parameters cell ({} for a run with the defaults). */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** Where the executed notebook was written; undefined when an in-place run failed (the notebook stays as it was). */
  readonly output?: string;
  /** Whether the run wrote (or, failing, would have written) over the notebook itself. */
  readonly inPlace: boolean;
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
  /**
   * Values for the notebook's parameters cell, checked against its declared types and injected
   * after it in a cell tagged `injected-parameters`, as papermill does (kernel/parameters.ts).
   */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Quick mode: shorthand for `parameters: { quick: true }`. */
  readonly quick?: boolean;
  /**
   * Where executed notebooks are written: "in-place" or a folder. Default: in place for a series
   * notebook (notebooks/NN-*.ipynb) run without parameters, else test-artifacts/notebooks/. A run
   * with parameters never writes in place. An in-place copy is written only when the run succeeds.
   */
  readonly outputDir?: string;
  /** The executed notebook's file, for a run of one notebook (instead of `outputDir`). */
  readonly outputPath?: string;
  /** Runs every cell and keeps errors in the outputs instead of stopping at the first; the run still fails. */
  readonly allowErrors?: boolean;
  /** Per-cell timeout, s (default 3600: notebook 13's full-mode training cell runs about 40 minutes). */
  readonly cellTimeoutSeconds?: number;
  /**
   * Time limit of all the cells together, s (default none). The cell running when it is reached
   * is stopped as by `cellTimeoutSeconds`, and the cells after it are not run.
   */
  readonly notebookTimeoutSeconds?: number;
  /**
   * What a cell that does not finish does — one that runs past its time limit, or whose kernel
   * dies: "throw" (default) rejects the run; "record" keeps an error output in that cell and goes
   * on. A cell past its limit is interrupted (ename `CellTimeout`); the run goes on with the next
   * cell as after any error (see `allowErrors`), unless the notebook's limit is spent or the kernel
   * does not answer the interrupt. A kernel that dies (out of memory, a crash, `process.exit`)
   * ends the run there (ename `KernelDied`). Untrusted notebooks (the grader's) use "record".
   */
  readonly unfinishedCells?: "throw" | "record";
  /**
   * Most bytes of output kept per cell (stream text and display data; default: all). What comes
   * after is dropped and a note on stderr says how much, so a cell that prints megabytes cannot
   * swell the executed notebook. Error outputs are always kept.
   */
  readonly outputLimitBytes?: number;
  /** Progress lines (default console.log). */
  readonly log?: (line: string) => void;
  /** A running server to use instead of starting one. */
  readonly server?: RunningServer;
  /**
   * Stops the run when aborted (the reason, e.g. "SIGTERM", names it): the kernel is interrupted
   * and shut down, a server started here is stopped, the partial executed notebook is written as
   * `<name>.partial.ipynb` beside the output (in test-artifacts/notebooks/ for an in-place run,
   * never over the notebook itself), and `runNotebooks` rejects with `RunStopped`.
   */
  readonly signal?: AbortSignal;
}

/**
 * The rejection of a stopped run: the executed part of the notebook that was running (if one
 * was) and where it was written, and the runs that had finished (and been written) before.
 */
export class RunStopped extends Error {
  constructor(
    readonly reason: string,
    readonly partial?: Notebook,
    readonly partialPath?: string,
    readonly completed: readonly NotebookRun[] = [],
  ) {
    super(`runner: stopped by ${reason}`);
    this.name = "RunStopped";
  }
}

export function sourceOf(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** Loads a notebook and checks it is nbformat 4. */
export function readNotebook(file: string): Notebook {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
  if (nb.nbformat !== 4 || !Array.isArray(nb.cells)) throw new Error(`runner: ${file} must be an nbformat 4 notebook`);
  return nb;
}

/** Whether `file` (absolute) is one of the series, notebooks/NN-*.ipynb. */
export function isSeriesNotebook(file: string): boolean {
  return path.dirname(file) === path.join(repoRoot, "notebooks") && /^\d\d-.*\.ipynb$/.test(path.basename(file));
}

const artifactsDir = path.join(repoRoot, "test-artifacts", "notebooks");

/** A notebook ready to run: parameters injected, output and partial-output paths decided. */
export interface PreparedNotebook {
  /** The path as given, relative to the repository root when inside it. */
  readonly path: string;
  readonly absolute: string;
  readonly notebook: Notebook;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** Where the executed copy goes. */
  readonly output: string;
  readonly inPlace: boolean;
  /** Where a stopped run's executed part goes. */
  readonly partial: string;
}

/** Reads `file`, injects the run's parameters and decides where its outputs go (throws on a bad value or output). */
export function prepareNotebook(file: string, options: RunOptions = {}): PreparedNotebook {
  const absolute = path.resolve(repoRoot, file);
  const relative = path.relative(repoRoot, absolute).split(path.sep).join("/");
  const shown = relative.startsWith("..") ? absolute : relative;
  const values = { ...(options.quick ? { quick: true } : {}), ...options.parameters };
  const { notebook, parameters } = injectParameters(readNotebook(absolute), values, shown);
  const parameterised = Object.keys(parameters).length > 0;
  let output: string;
  if (options.outputPath !== undefined) output = path.resolve(repoRoot, options.outputPath);
  else if (options.outputDir === "in-place") output = absolute;
  else if (options.outputDir !== undefined) output = path.resolve(repoRoot, options.outputDir, path.basename(absolute));
  else output = !parameterised && isSeriesNotebook(absolute) ? absolute : path.join(artifactsDir, path.basename(absolute));
  const inPlace = output === absolute;
  if (inPlace && parameterised) {
    throw new ParameterError(`runner: the output of a run with parameters must not be the notebook itself (it keeps its defaults), got ${shown} with ${Object.keys(parameters).join(", ")}`);
  }
  const partial = inPlace ? path.join(artifactsDir, path.basename(absolute, ".ipynb") + ".partial.ipynb") : output.replace(/(\.ipynb)?$/, ".partial.ipynb");
  return { path: shown, absolute, notebook, parameters, output, inPlace, partial };
}

/** Splits text into nbformat's list-of-lines form. */
function lines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

class OutputRecorder {
  readonly outputs: NotebookOutput[] = [];
  private clearPending = false;
  private kept = 0;
  private dropped = 0;

  constructor(private readonly displays: Map<string, NotebookOutput[]>, private readonly limit = Infinity) {}

  private push(output: NotebookOutput): void {
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    this.outputs.push(output);
  }

  /** Whether an output of `bytes` still fits under the limit (counting it as kept or dropped). */
  private fits(bytes: number): boolean {
    if (this.kept + bytes <= this.limit) {
      this.kept += bytes;
      return true;
    }
    this.dropped += bytes;
    return false;
  }

  /** The outputs, with a note on stderr when some were dropped for the limit. */
  finish(): NotebookOutput[] {
    if (this.dropped > 0) {
      this.outputs.push({ output_type: "stream", name: "stderr", text: [`[output limit: ${this.dropped} more bytes of output were dropped; at most ${this.limit} are kept per cell]\n`] });
      this.dropped = 0;
    }
    return this.outputs;
  }

  handle(msg: KernelMessage.IIOPubMessage): void {
    const content = msg.content as Record<string, unknown>;
    const type = msg.header.msg_type;
    if (this.limit < Infinity && (type === "stream" || type === "display_data" || type === "execute_result")) {
      const bytes = type === "stream" ? String(content.text).length : JSON.stringify(content.data ?? {}).length;
      if (!this.fits(bytes)) return;
    }
    switch (type) {
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

/** The rejection of `withTimeout`: `what` ran past its time limit. */
class TimeLimitError extends Error {}

function withTimeout<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new TimeLimitError(`${what} did not finish within ${seconds} s`)), seconds * 1000);
    }),
  ]);
}

/**
 * Sends Kernel → Interrupt every 700 ms until `done` settles or `seconds` pass, and says how it
 * ended. An interrupt that lands while the cell still compiles is spent before its code runs,
 * hence the repeats.
 */
async function interruptUntilSettled(kernel: Kernel.IKernelConnection, done: Promise<unknown>, seconds: number): Promise<"resolved" | "rejected" | "stuck"> {
  let outcome: "resolved" | "rejected" | "stuck" = "stuck";
  const settled = done.then(() => (outcome = "resolved"), () => (outcome = "rejected"));
  const deadline = Date.now() + seconds * 1000;
  while (outcome === "stuck" && Date.now() < deadline) {
    await withTimeout(kernel.interrupt(), 5, "interrupting the kernel").catch(() => undefined);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 700))]);
  }
  return outcome;
}

/**
 * Deletes a session whose kernel died, retrying for up to `seconds`: the server restarts a dead
 * kernel, and Notebook 6 fails to delete a session while that restart is under way
 * (jupyter_client's `ready` future is not done yet: HTTP 500), which would leave the new kernel
 * running. Plain HTTP, not `session.shutdown()`, which prints the server's traceback each time.
 */
async function deleteSession(server: RunningServer, id: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const response = await fetch(`${server.baseUrl}/api/sessions/${encodeURIComponent(id)}`, {
      method: "DELETE", headers: { Authorization: `token ${server.token}` },
    }).catch(() => undefined);
    if (response && (response.ok || response.status === 404)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const DEAD_KERNEL_REJECTION = "Kernel connection disconnected";

/**
 * While a run records unfinished cells: swallows the one rejection @jupyterlab/services 7.6
 * leaves unhandled — after the server restarts a dead kernel, services reconnects in a promise
 * nobody holds (kernel/default.js), which rejects with "Kernel connection disconnected" when the
 * connection ends first — and lets every other unhandled rejection end the process, as Node's
 * default does. Returns the function that removes it, one turn of the event loop later (Node
 * reports an unhandled rejection only after the microtasks that follow the disposal).
 */
function guardDeadKernelRejection(): () => void {
  const guard = (reason: unknown): void => {
    if (reason instanceof Error && reason.message === DEAD_KERNEL_REJECTION) return;
    throw reason;
  };
  process.on("unhandledRejection", guard);
  return () => {
    setTimeout(() => process.off("unhandledRejection", guard), 100).unref();
  };
}

/** An error output as a kernel writes it, for a cell the runner stopped. */
function errorOutput(ename: string, evalue: string): NotebookOutput {
  return { output_type: "error", ename, evalue, traceback: [`${ename}: ${evalue}`] };
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

/** The notebook metadata that JupyterLab writes from a live kernel (and compares on open). */
export interface KernelMetadata {
  /** `{name, display_name, language}` from the kernel's spec. */
  readonly kernelspec: { name: string; display_name?: string; language?: string };
  /** The kernel's `kernel_info_reply.language_info`, as sent. */
  readonly language_info: Record<string, unknown>;
}

/** Reads `KernelMetadata` from a kernel connection, as JupyterLab's notebook panel does. */
export async function kernelMetadataOf(kernel: Kernel.IKernelConnection): Promise<KernelMetadata> {
  const info = await kernel.info;
  const spec = await kernel.spec;
  return {
    kernelspec: { name: kernel.name, display_name: spec?.display_name, language: spec?.language },
    language_info: info.language_info as unknown as Record<string, unknown>,
  };
}

/** Starts an snnlab kernel on `server`, reads its `KernelMetadata` and shuts it down. */
export async function liveKernelMetadata(server: RunningServer): Promise<KernelMetadata> {
  const { kernelManager, sessionManager } = connectServices(server);
  try {
    const session = await sessionManager.startNew({ path: "kernel-metadata.ipynb", type: "notebook", name: "kernel-metadata.ipynb", kernel: { name: "snnlab" } });
    try {
      return await withTimeout(kernelMetadataOf(session.kernel!), 120, "starting a kernel for its metadata");
    } finally {
      await session.shutdown().catch(() => undefined);
      session.dispose();
    }
  } finally {
    sessionManager.dispose();
    kernelManager.dispose();
  }
}

/** A copy of `nb` whose `kernelspec` and `language_info` are `metadata`'s, every other key where it was. */
export function withKernelMetadata(nb: Notebook, metadata: KernelMetadata): Notebook {
  return { ...nb, metadata: { ...nb.metadata, kernelspec: metadata.kernelspec, language_info: metadata.language_info } };
}

/** A promise that rejects with `RunStopped` once `signal` aborts (never without one), and its clean-up. */
function stopOn(signal: AbortSignal | undefined): { stopped: Promise<never>; dispose: () => void } {
  let dispose = (): void => undefined;
  const stopped = new Promise<never>((_, reject) => {
    if (!signal) return;
    const abort = (): void => reject(new RunStopped(typeof signal.reason === "string" ? signal.reason : "abort"));
    if (signal.aborted) abort();
    else {
      signal.addEventListener("abort", abort, { once: true });
      dispose = () => signal.removeEventListener("abort", abort);
    }
  });
  stopped.catch(() => undefined);
  return { stopped, dispose };
}

/** Runs one notebook (path relative to the repository root or absolute) on `server`; writes nothing. */
export async function runNotebook(file: string, server: RunningServer, options: RunOptions = {}): Promise<NotebookRun> {
  return execute(prepareNotebook(file, options), server, options);
}

async function execute(prepared: PreparedNotebook, server: RunningServer, options: RunOptions): Promise<NotebookRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const relative = prepared.path;
  const nb = prepared.notebook;
  const { stopped, dispose } = stopOn(options.signal);
  const until = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, stopped]);
  const { kernelManager, sessionManager } = connectServices(server);
  const unguard = options.unfinishedCells === "record" ? guardDeadKernelRejection() : () => undefined;
  const started = Date.now();
  const cells: CellTiming[] = [];
  const errors: string[] = [];
  const results: ResultsPayload["rows"] = [];
  let record: ResultsPayload | undefined;
  const displays = new Map<string, NotebookOutput[]>();
  // JupyterLab writes these two from the live kernel and marks the notebook changed when they differ.
  let metadata: KernelMetadata | undefined;
  const executed = (): Notebook => (metadata ? withKernelMetadata(nb, metadata) : nb);
  let interrupt = false;
  let kernelDied = false;
  try {
    const session = await until(sessionManager.startNew({
      path: relative, type: "notebook", name: path.basename(relative), kernel: { name: "snnlab" },
    }));
    try {
      const kernel = session.kernel;
      if (!kernel) throw new Error(`runner: no kernel for ${relative}`);
      metadata = await until(withTimeout(kernelMetadataOf(kernel), 120, `starting the kernel for ${relative}`));
      // Checkpoints (kernel/checkpoints.ts): the runner saves them; only a run of the notebook itself
      // (in place, its defaults) reads and writes the repository's; every other run uses test-artifacts/.
      const checkpoints = prepared.inPlace ? defaultCheckpointDir : path.join(artifactsDir, "checkpoints");
      const setup = kernel.requestExecute({ code: `process.env.SNNLAB_CHECKPOINTS = ${JSON.stringify(checkpoints)}; process.env.SNNLAB_CHECKPOINT_SAVE = "1";`, silent: true, store_history: false });
      await until(withTimeout(setup.done, 60, `setting up the kernel for ${relative}`));
      setup.dispose();
      const cellsStarted = Date.now();
      for (let index = 0; index < nb.cells.length; index++) {
        const cell = nb.cells[index]!;
        if (cell.cell_type !== "code") continue;
        const code = sourceOf(cell);
        const t0 = Date.now();
        const left = options.notebookTimeoutSeconds === undefined ? Infinity : options.notebookTimeoutSeconds - (t0 - cellsStarted) / 1000;
        const limit = Math.max(0, Math.min(options.cellTimeoutSeconds ?? 3600, left));
        const limitName = limit < (options.cellTimeoutSeconds ?? 3600) ? "the notebook's time limit" : "the cell's time limit";
        const recorder = new OutputRecorder(displays, options.outputLimitBytes);
        const future = kernel.requestExecute({ code, stop_on_error: !options.allowErrors, store_history: true });
        future.onIOPub = (msg) => recorder.handle(msg);
        let reply: KernelMessage.IExecuteReplyMsg | undefined;
        let unfinished: NotebookOutput | undefined;
        let kernelLost = false;
        try {
          reply = (await until(withTimeout(future.done, limit, `cell ${index} of ${relative}`))) as KernelMessage.IExecuteReplyMsg;
        } catch (err) {
          if (err instanceof RunStopped) {
            interrupt = true;
            cell.outputs = recorder.finish();
            log(`  cell ${String(index).padStart(2)}  stopped by ${err.reason}`);
            throw new RunStopped(err.reason, executed());
          }
          if (options.unfinishedCells !== "record") throw err;
          if (err instanceof TimeLimitError) {
            const outcome = await until(interruptUntilSettled(kernel, future.done, 15));
            kernelLost = outcome !== "resolved";
            if (outcome === "resolved") reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
            unfinished = errorOutput("CellTimeout", `the cell did not finish within ${limitName} (${+limit.toFixed(1)} s) and was ${kernelLost ? "stopped: the kernel did not answer the interrupt" : "interrupted"}`);
          } else {
            kernelLost = true;
            kernelDied = true;
            unfinished = errorOutput("KernelDied", "the kernel died while this cell ran (out of memory, a crash, or process.exit); the cells after it did not run");
          }
        } finally {
          future.dispose();
        }
        const seconds = (Date.now() - t0) / 1000;
        cell.outputs = recorder.finish();
        cell.execution_count = reply?.content.execution_count ?? null;
        if (unfinished) {
          cell.outputs.push(unfinished);
          const stopped = unfinished.ename === "CellTimeout" ? "timeout" : "kernel-died";
          cells.push({ index, seconds, status: stopped });
          errors.push(`cell ${index}: ${String(unfinished.ename)}: ${String(unfinished.evalue)}`);
          log(`  cell ${String(index).padStart(2)}  ${seconds.toFixed(2).padStart(8)} s  ${stopped}`);
          if (kernelLost || !options.allowErrors || left <= limit) break;
          continue;
        }
        const status = reply!.content.status; // every cell without a reply was unfinished
        cells.push({ index, seconds, status });
        const before = errors.length;
        for (const output of recorder.outputs) {
          if (output.output_type === "error") errors.push(`cell ${index}: ${String(output.ename)}: ${String(output.evalue)}`);
          const data = output.data as Record<string, unknown> | undefined;
          const payload = data?.[RESULTS_MIME] as ResultsPayload | undefined;
          if (payload?.rows) {
            results.push(...payload.rows);
            record = { ...payload, protocol: payload.protocol ?? 1, settings: payload.settings ?? [], evaluations: payload.evaluations ?? [], testSetReuse: payload.testSetReuse ?? [], rows: results };
          }
        }
        log(`  cell ${String(index).padStart(2)}  ${seconds.toFixed(2).padStart(8)} s  ${status}`);
        if (status !== "ok") {
          if (errors.length === before) errors.push(`cell ${index}: status ${status}`);
          if (!options.allowErrors) break;
        }
      }
    } finally {
      // A stopped cell may be busy in synchronous code, where the kernel reads no shutdown request.
      if (interrupt) await withTimeout(session.kernel?.interrupt() ?? Promise.resolve(), 10, "interrupting the kernel").catch(() => undefined);
      if (kernelDied) await deleteSession(server, session.id, 60);
      else await withTimeout(session.shutdown(), 30, "shutting the kernel down").catch(() => undefined);
      session.dispose();
    }
  } finally {
    dispose();
    sessionManager.dispose();
    kernelManager.dispose();
    unguard();
  }
  const seconds = (Date.now() - started) / 1000;
  // The reproduction protocol: a record that breaks it fails the run, so it is never written in place.
  if (record && record.protocol >= 2) errors.push(...recordProblems(path.basename(relative), record).map((p) => `protocol: ${p}`));
  return {
    path: relative, parameters: prepared.parameters, inPlace: prepared.inPlace, ok: errors.length === 0, seconds, cells, errors, results, record,
    notebook: executed(),
  };
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

function describe(parameters: Readonly<Record<string, ParameterValue>>): string {
  const entries = Object.entries(parameters);
  if (entries.length === 0) return "full mode";
  if (entries.length === 1 && parameters.quick === true) return "quick mode";
  return `parameters ${entries.map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : String(v)}`).join(", ")}`;
}

/**
 * Runs notebooks in order on one server (started here unless given), writing each executed copy
 * (see `RunOptions.outputDir`). Every notebook is read and parameterised first, so a bad value
 * fails before anything starts.
 */
export async function runNotebooks(files: readonly string[], options: RunOptions = {}): Promise<NotebookRun[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.outputPath !== undefined && files.length !== 1) {
    throw new Error(`runner: outputPath must go with exactly one notebook, got ${files.length}`);
  }
  const prepared = files.map((file) => prepareNotebook(file, options));
  let server = options.server;
  let own = false;
  const runs: NotebookRun[] = [];
  try {
    if (!server) {
      const jupyter: JupyterInstall | undefined = findJupyter("notebook");
      if (!jupyter) throw new Error("runner: Jupyter was not found on the PATH (see npm start's message for how to get it)");
      server = await startServer({ jupyter, stdio: "ignore" });
      own = true;
    }
    for (const notebook of prepared) {
      if (options.signal?.aborted) throw new RunStopped(String(options.signal.reason), undefined, undefined, runs);
      log(`${notebook.path} (${describe(notebook.parameters)})`);
      let run: NotebookRun;
      try {
        run = await execute(notebook, server, options);
      } catch (err) {
        if (!(err instanceof RunStopped)) throw err;
        if (err.partial) {
          writeNotebook(notebook.partial, err.partial);
          log(`stopped by ${err.reason}: the executed part of ${notebook.path} is in ${notebook.partial}`);
        }
        throw new RunStopped(err.reason, err.partial, err.partial ? notebook.partial : undefined, runs);
      }
      const written = !notebook.inPlace || run.ok;
      if (written) writeNotebook(notebook.output, run.notebook);
      runs.push({ ...run, output: written ? notebook.output : undefined });
      log(`${run.ok ? "ok  " : "FAIL"} ${run.path}  ${run.seconds.toFixed(1)} s${run.errors.length ? "\n  " + run.errors.join("\n  ") : ""}`);
    }
  } finally {
    if (own) await server?.stop();
  }
  return runs;
}
