/**
 * The snnlab kernel's request handler: tslab's compiler and executor, with the Jupyter protocol
 * done properly (see tslab-internals.ts for why): `execute_input`, streams, `display_data`,
 * `execute_result` for the last expression, `error` with ename/evalue/traceback for type errors
 * and exceptions, and ipykernel's stop-on-error semantics (requests queued before a failing one
 * are aborted; later ones run).
 */
import fs from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { type DisplaySink, displaySink, setDisplaySink } from "./display";
import { clearInterrupt } from "./interrupt";
import { repoRoot } from "./jupyter";
import { toMimeBundle } from "./mime";
import {
  type IopubSender, type KernelHandler, type SnnlabExecutor, createTslabExecutor, createTslabHandler, routeTslabDisplay,
} from "./tslab-internals";

interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  stop_on_error?: boolean;
}

interface CapturedError {
  ename: string;
  evalue: string;
  traceback: string[];
}

interface Capture {
  hasValue: boolean;
  value: unknown;
  errors: CapturedError[];
}

const utf8 = new TextDecoder();

/** Where a frame of compiled cell code came from in its cell (see SnnlabExecutor.cellPosition). */
export type CellPositions = (scriptName: string, line: number, column: number) => { label: string; line: number; column: number } | undefined;

const FRAME_RE = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;
const kernelDir = path.join(repoRoot, "kernel") + path.sep;
const sourceMaps = new Map<string, SourceMap | null>();

/** The source map tsc wrote beside a compiled file (`file.js.map`), or null. */
function sourceMapOf(file: string): SourceMap | null {
  let map = sourceMaps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
    } catch {
      map = null;
    }
    sourceMaps.set(file, map);
  }
  return map;
}

/**
 * One stack frame as the user should see it, or undefined to leave it out: frames of a cell at
 * the cell's line and column, frames of the library at its `.ts` source (through tsc's source
 * maps), and nothing of the kernel's machinery (tslab, node:vm, node:internal, kernel/) or of
 * compiled code without a source map.
 */
function userFrame(line: string, cellPositions: CellPositions): string | undefined {
  const m = FRAME_RE.exec(line);
  if (!m) return undefined;
  const [, name, file, lineText, columnText] = m as unknown as [string, string | undefined, string, string, string];
  // Cells reach their names through tslab's exports proxy, so V8 calls `outer()` "Proxy.outer".
  const fn = name?.replace(/^Proxy\./, "");
  const where = (text: string) => `    at ${fn ? `${fn} (${text})` : text}`;
  if (file.startsWith("snnlab-cell-")) {
    const p = cellPositions(file, Number(lineText), Number(columnText));
    return p ? where(`${p.label}:${p.line}:${p.column}`) : undefined;
  }
  let source: string | undefined;
  let position = `${lineText}:${columnText}`;
  if (file.endsWith(".ts") && !file.endsWith(".d.ts")) {
    source = file; // already mapped (node --enable-source-maps)
  } else if (path.isAbsolute(file) && file.endsWith(".js")) {
    const map = sourceMapOf(file);
    const entry = map?.findEntry(Number(lineText) - 1, Number(columnText) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (entry?.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    source = entry.originalSource.startsWith("file://") ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(file), entry.originalSource);
    position = `${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  }
  if (source === undefined || source.startsWith(kernelDir) || source.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
  const shown = source.startsWith(repoRoot + path.sep) ? path.relative(repoRoot, source) : source;
  return where(`${shown}:${position}`);
}

/**
 * The traceback of an exception: its header (`RangeError: message`) and the frames of the user's
 * cells and of the library's sources only (`userFrame`). Node puts the failing line of a vm
 * script with a caret above the header; that goes too.
 */
export function userTraceback(error: Error, cellPositions: CellPositions): string[] {
  const stack = typeof error.stack === "string" ? error.stack : "";
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((l) => FRAME_RE.test(l) || /^\s*at /.test(l));
  const head = firstFrame < 0 ? lines : lines.slice(0, firstFrame);
  const title = `${error.name}: ${error.message}`.split("\n")[0]!;
  const start = head.findIndex((l) => l === title || l.startsWith(`${error.name} `) || l.startsWith(`${error.name}:`));
  const header = start >= 0 ? head.slice(start) : `${error.name}: ${error.message}`.split("\n");
  const frames = firstFrame < 0 ? [] : lines.slice(firstFrame).map((l) => userFrame(l, cellPositions)).filter((l): l is string => l !== undefined);
  return [...header, ...frames];
}

/** Maps what tslab's executor reports on `console.error` to a Jupyter error. */
export function toCapturedError(args: readonly unknown[], cellPositions: CellPositions = () => undefined, cellLabel = "cell"): CapturedError {
  // Diagnostics: console.error("%s%d:%d - %s", fileName, line, character, message); no file name: the cell.
  if (args.length === 5 && args[0] === "%s%d:%d - %s") {
    const [, file, line, character, message] = args as [string, string, number, number, string];
    const where = `${file ? file.trimEnd() : cellLabel}:${line}:${character}`;
    return { ename: "TypeScriptError", evalue: String(message), traceback: [`${where} - ${String(message)}`] };
  }
  const value = args[0];
  if (value instanceof Error) {
    const interrupted = /interrupted by `?SIGINT`?|Interrupted asynchronously/i.test(value.message);
    return {
      ename: interrupted ? "Interrupted" : value.name || "Error",
      evalue: value.message,
      traceback: userTraceback(value, cellPositions),
    };
  }
  const text = args.map((a) => (typeof a === "string" ? a : String(a))).join(" ");
  return { ename: "Error", evalue: text, traceback: [text] };
}

export class SnnlabKernelHandler implements KernelHandler {
  private readonly executor: SnnlabExecutor;
  private readonly tslabHandler: ReturnType<typeof createTslabHandler>;
  private capture: Capture = { hasValue: false, value: undefined, errors: [] };
  private executionCount = 0;
  /** Bumped by a failing request with stop_on_error: requests queued before it are aborted. */
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** How the running cell is named in errors: "cell [3]" (its execution count). */
  private cellLabel = "cell";
  private readonly cellPositions: CellPositions = (name, line, column) => this.executor.cellPosition(name, line, column);

  constructor(rootDir: string) {
    this.executor = createTslabExecutor(rootDir, {
      log: (value: unknown) => {
        this.capture.hasValue = true;
        this.capture.value = value;
      },
      error: (...args: unknown[]) => {
        this.capture.errors.push(toCapturedError(args, this.cellPositions, this.cellLabel));
      },
    });
    this.tslabHandler = createTslabHandler(this.executor);
    // tslab.display.* goes where `show` goes.
    routeTslabDisplay((bundle, displayId, update) => displaySink()?.display(bundle, { displayId, update }));
  }

  handleKernel(): unknown {
    const info = this.tslabHandler.handleKernel();
    return {
      ...info,
      protocol_version: "5.3",
      implementation: "snnlab",
      implementation_version: "0.1.0",
      language_info: { ...info.language_info, version: "5.0" },
      banner: "TypeScript (snnlab): tslab 1.0.22 with the snnlab library — import { … } from \"snnlab\"",
      help_links: [{ text: "snnlab README", url: "https://github.com/snnlab/snnlab#readme" }],
      status: "ok",
    };
  }

  handleExecute(content: ExecuteRequest, iopub: IopubSender): Promise<Record<string, unknown>> {
    const generation = this.generation;
    const run = this.queue.then(() => this.execute(content, iopub, generation));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async execute(content: ExecuteRequest, iopub: IopubSender, generation: number): Promise<Record<string, unknown>> {
    const silent = Boolean(content.silent);
    const storeHistory = silent ? false : content.store_history !== false;
    if (generation !== this.generation) {
      return { status: "aborted", execution_count: this.executionCount };
    }
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) iopub("execute_input", { code: content.code, execution_count: count });

    // Output written after a cell finishes goes to that cell, as in IPython.
    const stream = (name: "stdout" | "stderr") => (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === "string" ? chunk : utf8.decode(chunk);
      if (!silent && text.length > 0) iopub("stream", { name, text });
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      callback?.();
      return true;
    };
    process.stdout.write = stream("stdout") as typeof process.stdout.write;
    process.stderr.write = stream("stderr") as typeof process.stderr.write;
    const sink: DisplaySink = {
      display: (bundle, options) => {
        if (silent) return;
        iopub(options.update ? "update_display_data" : "display_data", {
          data: bundle,
          metadata: {},
          transient: options.displayId ? { display_id: options.displayId } : {},
        });
      },
      clear: (wait) => {
        if (!silent) iopub("clear_output", { wait });
      },
    };
    setDisplaySink(sink);
    clearInterrupt();

    this.capture = { hasValue: false, value: undefined, errors: [] };
    let ok: boolean;
    try {
      this.cellLabel = storeHistory ? `cell [${count}]` : "cell";
      ok = await this.executor.execute(content.code, this.cellLabel);
    } catch (err) {
      this.capture.errors.push(toCapturedError([err], this.cellPositions));
      ok = false;
    }
    const { hasValue, value, errors } = this.capture;

    if (ok && errors.length === 0) {
      if (hasValue && !silent) {
        let data: Record<string, unknown>;
        try {
          data = toMimeBundle(value);
        } catch (err) {
          data = { "text/plain": `(the value could not be displayed: ${err instanceof Error ? err.message : String(err)})` };
        }
        iopub("execute_result", { execution_count: count, data, metadata: {} });
      }
      return { status: "ok", execution_count: count, payload: [], user_expressions: {} };
    }

    const error: CapturedError = errors.length === 0
      ? { ename: "Error", evalue: "execution failed", traceback: ["execution failed"] }
      : errors.length === 1
        ? errors[0]!
        : {
          ename: errors[0]!.ename,
          evalue: errors.map((e) => e.evalue).join("\n"),
          traceback: errors.flatMap((e) => e.traceback),
        };
    if (!silent) iopub("error", { ...error });
    if (content.stop_on_error !== false) this.generation++;
    return { status: "error", execution_count: count, ...error };
  }

  handleIsComplete(req: unknown): unknown {
    return this.tslabHandler.handleIsComplete(req as { code: string });
  }

  handleInspect(req: unknown): unknown {
    return this.tslabHandler.handleInspect(req as { code: string; cursor_pos: number });
  }

  handleComplete(req: unknown): unknown {
    return this.tslabHandler.handleComplete(req as { code: string; cursor_pos: number });
  }

  handleShutdown(req: { restart?: boolean }): unknown {
    return { status: "ok", restart: Boolean(req?.restart) };
  }

  interrupt(): void {
    this.executor.interrupt();
  }

  close(): void {
    this.executor.close();
  }
}
