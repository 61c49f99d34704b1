/**
 * Every use of tslab's internals, in one file (tslab is pinned to exactly 1.0.22 in package.json).
 *
 * Why we reach inside: stock tslab prints the value of a cell's last expression with
 * `console.log` (a `stream`, not an `execute_result`), reports type errors and exceptions on
 * stderr instead of an `error` message with ename/evalue/traceback, and has no way to send one
 * display with several MIME types. Those break the Jupyter messaging protocol that
 * `jupyter_kernel_test`, nbclient, JupyterLab and our runner rely on. We keep tslab's compiler,
 * executor and ZeroMQ transport, and replace the two places where the protocol is decided:
 *
 * 1. the executor's `console` argument: tslab's executor calls `console.log(value)` for the last
 *    expression and `console.error(...)` for diagnostics and exceptions on the object it is
 *    given (not the global console), so passing our own object captures them as structured data;
 * 2. `ZmqServer.handleExecute`: we send `execute_result` and `error` on IOPub, and put
 *    ename/evalue/traceback into the `execute_reply`.
 *
 * And three more, for daily use (kernel/DESIGN.md says why):
 *
 * 3. tslab's TypeScript module, proxied in Node's module cache before the converter loads, so
 *    that both compile steps emit inline source maps (tracebacks at cell lines);
 * 4. the converter we hand the executor compiles against declarations we keep, and a proxy of
 *    `__tslab__.exports` records what each cell sets (declarations survive a throw);
 * 5. `lastWriteDisplayData` in dist/jupyter.js, which tslab's display API calls.
 *
 * If tslab is upgraded, re-read dist/executor.js (createExecutor's use of `console`, `prevDecl`,
 * `__tslab__`, the wrapper around a cell), dist/converter.js (createWatchCompilerHost options,
 * esModuleToCommonJSModule, the `export {}` prefix, `exports.x = void 0`), dist/jupyter.js
 * (ZmqServer.handleExecute, createReply, signAndSend, connInfo, iopub, lastWriteDisplayData),
 * dist/public.js (display) and dist/main.js (ConverterSetImpl) before changing the pin.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { SourceMap } from "node:module";
import path from "node:path";
import type * as TsForTslab from "@tslab/typescript-for-tslab";
import type * as TslabConverter from "tslab/dist/converter";
import type * as TslabExecutorModule from "tslab/dist/executor";
import type * as TslabJupyter from "tslab/dist/jupyter";

/**
 * Source maps for cells (3.). tslab compiles a cell in two steps, both inside its converter: a
 * TypeScript program emits an ES module (`createWatchCompilerHost` options), then
 * `transpileModule` turns that into CommonJS. The options are literals inside tslab, and
 * TypeScript 5's module object has getters that cannot be redefined, so we hand tslab's
 * converter a proxy of the module (through Node's module cache, before the converter loads) that
 * adds `inlineSourceMap` to both steps. The two maps (CommonJS → ES module → cell) then ride in
 * the converted code, and `CellSourceMaps` takes them out.
 */
const tslabDir = path.dirname(require.resolve("tslab/package.json"));
const tsModulePath = require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] });
const ts = require(tsModulePath) as typeof TsForTslab;
const tsCacheEntry = require.cache[tsModulePath];
if (tsCacheEntry && tsCacheEntry.exports === ts) {
  tsCacheEntry.exports = new Proxy(ts, {
    get(target, key, receiver) {
      if (key === "createWatchCompilerHost") {
        return (rootFiles: unknown, options: Record<string, unknown>, ...rest: unknown[]) =>
          (target.createWatchCompilerHost as any)(rootFiles, { ...options, inlineSourceMap: true }, ...rest);
      }
      if (key === "transpileModule") {
        return (input: string, options: TsForTslab.TranspileOptions) =>
          target.transpileModule(input, options.fileName === "custom.js"
            ? { ...options, compilerOptions: { ...options.compilerOptions, inlineSourceMap: true } }
            : options);
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

const { createConverter } = require("tslab/dist/converter") as typeof TslabConverter;
const { createExecutor } = require("tslab/dist/executor") as typeof TslabExecutorModule;
const tslabJupyter = require("tslab/dist/jupyter") as typeof TslabJupyter;
const { JupyterHandlerImpl, ZmqServer } = tslabJupyter;

/** What tslab's executor reports through the `console` we inject. */
export interface ExecutorConsole {
  log(value: unknown): void;
  error(...args: unknown[]): void;
}

/** The subset of tslab's Executor we use. */
export interface TslabExecutor {
  execute(src: string): Promise<boolean>;
  inspect(src: string, position: number): unknown;
  complete(src: string, position: number): unknown;
  interrupt(): void;
  reset(): void;
  close(): void;
}

/** The executor the kernel uses: tslab's, with declarations kept after a throw and cell source maps. */
export interface SnnlabExecutor extends TslabExecutor {
  /** Runs a cell; `label` names it in tracebacks (e.g. "cell [3]"). */
  execute(src: string, label?: string): Promise<boolean>;
  /** Where a frame of compiled cell code (`snnlab-cell-N`, line, column; 1-based) came from in its cell. */
  cellPosition(scriptName: string, line: number, column: number): { label: string; line: number; column: number } | undefined;
}

type Converter = ReturnType<typeof createConverter>;
type Converted = ReturnType<Converter["convert"]>;

/** The lines tslab's converter puts before a cell ("export {};" + newline). */
const CELL_PREFIX_LINES = 1;
const INLINE_MAP_RE = /^\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/gm;

/** The two source maps of each converted cell, by the script name the cell runs under. */
class CellSourceMaps {
  private next = 0;
  private readonly cells = new Map<string, { label: string; toModule: SourceMap; toCell: SourceMap }>();
  label = "cell";

  /** Takes the inline maps out of `output` and names the script; returns the code to run. */
  register(output: string): string {
    const maps: SourceMap[] = [];
    const code = output.replace(INLINE_MAP_RE, (_, base64: string) => {
      maps.push(new SourceMap(JSON.parse(Buffer.from(base64, "base64").toString("utf8"))));
      return "";
    });
    const name = `snnlab-cell-${++this.next}`;
    // The ES module's map comes first (transpileModule keeps it as a comment), the CommonJS one last.
    if (maps.length === 2) this.cells.set(name, { label: this.label, toCell: maps[0]!, toModule: maps[1]! });
    return `${code.trimEnd()}\n//# sourceURL=${name}\n`;
  }

  position(scriptName: string, line: number, column: number): { label: string; line: number; column: number } | undefined {
    const cell = this.cells.get(scriptName);
    if (!cell) return undefined;
    // findEntry gives the nearest mapping at or before the position; a line without one of its
    // own is code tslab added (the call of the cell's wrapper function), not the cell's.
    const inModule = cell.toModule.findEntry(line - 1, column - 1) as Partial<SourceMapEntry>;
    if (inModule.generatedLine !== line - 1 || inModule.originalLine === undefined || inModule.originalColumn === undefined) return undefined;
    const inCell = cell.toCell.findEntry(inModule.originalLine, inModule.originalColumn) as Partial<SourceMapEntry>;
    if (inCell.originalLine === undefined || inCell.originalColumn === undefined) return undefined;
    const cellLine = inCell.originalLine - CELL_PREFIX_LINES + 1;
    return cellLine >= 1 ? { label: cell.label, line: cellLine, column: inCell.originalColumn + 1 } : undefined;
  }
}

interface SourceMapEntry {
  generatedLine: number;
  originalLine: number;
  originalColumn: number;
}

/**
 * The declarations (a .d.ts text) that later cells compile against, kept by us rather than by
 * tslab's executor, which keeps its own only when a cell succeeds: after `const a = 1; throw …`
 * the next cell could not see `a`, although the cell had set it. We keep what a failing cell
 * set before it threw (as IPython keeps assigned names), and nothing it did not reach: a name
 * the cell declared but never set gets its earlier value and declaration back, or goes.
 *
 * How a cell sets names: tslab compiles `const a = 1` to `exports.a = void 0` at the top, then
 * `exports.a = a` after the declaration (imports, functions and classes likewise), on the
 * `__tslab__.exports` object. We record those writes through a proxy of that object.
 */
class Declarations {
  current = "";
  /** The last successful conversion of the running cell (undefined: type errors, or no conversion). */
  converted: Converted | undefined;
  private writes = new Map<string, { count: number; value: unknown }>();
  private before = new Map<string, unknown>();
  /** tslab's exports object (the executor's `locals`), where cells keep their names. */
  private locals: Record<string, unknown> = {};

  /** Takes tslab's exports object; returns a proxy of it that records what a cell writes. */
  attach(locals: Record<string, unknown>): Record<string, unknown> {
    this.locals = locals;
    const record = (name: string, value: unknown) => {
      const seen = this.writes.get(name);
      this.writes.set(name, { count: (seen?.count ?? 0) + 1, value });
    };
    return new Proxy(this.locals, {
      set: (target, key, value) => {
        if (typeof key === "string") record(key, value);
        return Reflect.set(target, key, value);
      },
      defineProperty: (target, key, attributes) => {
        if (typeof key === "string" && key !== "__esModule") record(key, attributes.get ? attributes.get() : attributes.value);
        return Reflect.defineProperty(target, key, attributes);
      },
    });
  }

  beginCell(): void {
    this.converted = undefined;
    this.writes = new Map();
    this.before = new Map(Object.entries(this.locals));
  }

  endCell(ok: boolean): void {
    const converted = this.converted;
    this.converted = undefined;
    if (!converted) return; // type errors, or nothing converted (browser or module cells): unchanged
    if (ok) {
      this.current = converted.declOutput || "";
      return;
    }
    // Threw at run time. A name written only by the `exports.x = void 0` preamble was not reached.
    const unreached = new Set<string>();
    for (const [name, { count, value }] of this.writes) {
      if (count === 1 && value === undefined) unreached.add(name);
    }
    for (const name of unreached) {
      if (this.before.has(name)) this.locals[name] = this.before.get(name);
      else delete this.locals[name];
    }
    const restored = new Set([...unreached].filter((name) => this.before.has(name)));
    const kept = statements(converted.declOutput || "").filter((st) => !st.names.some((n) => unreached.has(n)));
    const back = statements(this.current).filter((st) => st.names.length > 0 && st.names.every((n) => restored.has(n)));
    this.current = [...kept, ...back].map((st) => st.text).join("\n");
  }
}

/** The top-level statements of a declaration file, with the names each declares. */
function statements(declarations: string): { text: string; names: string[] }[] {
  const file = ts.createSourceFile("__prev__.d.ts", declarations, ts.ScriptTarget.Latest, true);
  return file.statements.map((st) => ({ text: st.getText(file), names: declaredNames(st) }));
}

function declaredNames(st: TsForTslab.Statement): string[] {
  if (ts.isVariableStatement(st)) {
    return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  if (ts.isImportDeclaration(st)) {
    const clause = st.importClause;
    if (!clause) return [];
    const names = clause.name ? [clause.name.text] : [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name.text));
    return names;
  }
  const name = (st as { name?: TsForTslab.Node }).name;
  return name && ts.isIdentifier(name) ? [name.text] : [];
}

/** The converters tslab's executor needs (node and browser), created lazily as in tslab's main. */
class ConverterSet {
  private nodeConverter: Converter | undefined;
  private browserConverter: ReturnType<typeof createConverter> | undefined;

  constructor(private readonly declarations: Declarations, private readonly maps: CellSourceMaps) {}

  /** tslab's node converter, compiling against our declarations and naming each cell's script. */
  get node(): Converter {
    if (this.nodeConverter === undefined) {
      const converter = createConverter({ isJS: false, isBrowser: false });
      const declarations = this.declarations;
      const maps = this.maps;
      this.nodeConverter = {
        ...converter,
        convert(_prevDecl: string, src: string): Converted {
          const converted = converter.convert(declarations.current, src);
          if (converted.diagnostics.length > 0) return converted;
          declarations.converted = converted;
          return converted.output ? { ...converted, output: maps.register(converted.output) } : converted;
        },
        inspect: (_prevDecl: string, src: string, position: number) => converter.inspect(declarations.current, src, position),
        complete: (_prevDecl: string, src: string, position: number) => converter.complete(declarations.current, src, position),
      };
    }
    return this.nodeConverter;
  }

  get browser() {
    this.browserConverter ??= createConverter({ isJS: false, isBrowser: true });
    return this.browserConverter;
  }

  close(): void {
    this.nodeConverter?.close();
    this.browserConverter?.close();
  }
}

/** tslab's executor for `rootDir` (the notebook's folder), reporting through `console`. */
export function createTslabExecutor(rootDir: string, console: ExecutorConsole): SnnlabExecutor {
  const maps = new CellSourceMaps();
  const decls = new Declarations();
  const converters = new ConverterSet(decls, maps);
  const executor = createExecutor(rootDir, converters as any, console as any) as unknown as TslabExecutor & { locals: Record<string, unknown> };
  // Cells run as `(function (exports, require) {…})(__tslab__.exports, __tslab__.require)`.
  (globalThis as any).__tslab__.exports = decls.attach(executor.locals);
  void converters.node; // warm the TypeScript compiler before the first cell, as tslab does
  return {
    async execute(src: string, label = "cell"): Promise<boolean> {
      maps.label = label;
      decls.beginCell();
      let ok = false;
      try {
        ok = await executor.execute(src);
      } finally {
        decls.endCell(ok);
      }
      return ok;
    },
    cellPosition: (scriptName, line, column) => maps.position(scriptName, line, column),
    inspect: (src, position) => executor.inspect(src, position),
    complete: (src, position) => executor.complete(src, position),
    interrupt: () => executor.interrupt(),
    reset: () => {
      decls.current = "";
      executor.reset();
    },
    close: () => executor.close(),
  };
}

/**
 * Routes tslab's own display API (`import * as tslab from "tslab"; tslab.display.html(…)`) to
 * `display`. tslab's `display` calls `lastWriteDisplayData`, which only tslab's own handler sets
 * (and which we replace), so without this it throws "Not ready".
 */
export function routeTslabDisplay(display: (bundle: Record<string, unknown>, displayId: string | undefined, update: boolean) => void): void {
  (tslabJupyter as any).lastWriteDisplayData = (message: { data: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) => {
    display(message.data, message.transient?.display_id, Boolean(update));
  };
}

/** tslab's handler, used for what it does right: completion, inspection, is_complete. */
export function createTslabHandler(executor: TslabExecutor): {
  handleKernel(): Record<string, any>;
  handleIsComplete(req: { code: string }): unknown;
  handleInspect(req: { code: string; cursor_pos: number }): unknown;
  handleComplete(req: { code: string; cursor_pos: number }): unknown;
} {
  return new JupyterHandlerImpl(executor as any, false) as any;
}

/** A message as tslab's ZmqServer passes it to handlers. */
export interface ZmqMessageLike {
  header: { msg_type: string; msg_id: string; session: string; username: string };
  content: any;
  metadata: any;
  createReply(): ZmqMessageLike;
  signAndSend(key: string, socket: unknown): void;
}

/** Sends one IOPub message of `msgType` with `content` as a child of `parent`. */
export type IopubSender = (msgType: string, content: Record<string, unknown>) => void;

/** What our handler implements: tslab's handler interface with a richer execute. */
export interface KernelHandler {
  handleKernel(): unknown;
  handleExecute(content: any, iopub: IopubSender): Promise<Record<string, unknown>>;
  handleIsComplete(req: any): unknown;
  handleInspect(req: any): unknown;
  handleComplete(req: any): unknown;
  handleShutdown(req: any): unknown;
  close(): void;
}

/** The kernel's own stderr, captured before a cell redirects `process.stderr.write` to IOPub. */
const kernelStderr = process.stderr.write.bind(process.stderr);

interface ZmqSocket {
  send(parts: unknown): Promise<void>;
  close(): void;
}

/**
 * A socket that never refuses a send: it hands each message to ZeroMQ at once when it can, and
 * queues it, in order, when the socket is busy.
 *
 * zeromq.js 6 allows one send in flight per socket. It hands a send to ZeroMQ at once, except
 * every 513th operation in a row, which it defers to the next turn of the event loop so as not
 * to starve it; until then any other send on that socket throws EBUSY ("Socket is busy
 * writing"). tslab calls `send` without awaiting it, and sends several IOPub messages in one turn
 * (status busy, execute_input; a cell's last output, execute_result, status idle), so about once
 * per 513 IOPub messages one was lost — and when it fell at the start or end of a cell, the
 * exception ended tslab's shell handler: no execute_reply, no idle status, the next cell never
 * ran. Sending at once whenever nothing waits keeps outputs live: a cell's `console.log` and
 * `show` reach the notebook while the cell's synchronous code still runs, as they must for a
 * progress bar fed by a library's `onProgress`. (The sockets are sealed, so this wraps them
 * rather than patching `send`.)
 */
export class QueuedSocket implements ZmqSocket {
  /** The last send handed over or queued; queued sends chain on it. */
  private last: Promise<void> = Promise.resolve();
  /** Sends queued behind a busy socket and not yet settled. */
  private waiting = 0;

  constructor(private readonly socket: ZmqSocket) {}

  send(parts: unknown): Promise<void> {
    if (this.waiting === 0) {
      try {
        this.last = this.socket.send(parts).catch(reportSendError);
        return this.last;
      } catch (err) {
        // EBUSY: the send before this one was deferred; queue behind it. Anything else is lost.
        if ((err as { code?: unknown } | null)?.code !== "EBUSY") {
          reportSendError(err);
          return Promise.resolve();
        }
      }
    }
    this.waiting++;
    this.last = this.last
      .then(() => this.socket.send(parts))
      .catch(reportSendError)
      .finally(() => {
        this.waiting--;
      });
    return this.last;
  }

  /** Closes the socket once the queued sends are out (tslab closes right after `shutdown_reply`). */
  close(): void {
    void this.last.then(() => this.socket.close());
  }
}

function reportSendError(err: unknown): void {
  kernelStderr(`snnlab kernel: a ZeroMQ send failed: ${err instanceof Error ? err.message : String(err)}\n`);
}

/**
 * tslab's ZeroMQ server with `handleExecute` replaced, so our handler can send any IOPub message
 * (stream, display_data, update_display_data, execute_result, error), with sends queued per
 * socket (`QueuedSocket`), and with a process exit after `shutdown_request` (tslab closes its
 * sockets but TypeScript's file watchers keep Node alive, so Jupyter would have to kill the
 * kernel).
 */
export class SnnlabZmqServer extends (ZmqServer as any) {
  constructor(handler: KernelHandler, configPath: string) {
    super(handler, configPath);
  }

  async init(): Promise<void> {
    const self = this as any;
    await super.init();
    // tslab's receive loops hold the sockets themselves; everything that sends reads these fields.
    for (const name of ["iopub", "shell", "control", "stdin"]) self[name] = new QueuedSocket(self[name] as ZmqSocket);
  }

  async handleExecute(sock: unknown, msg: ZmqMessageLike): Promise<void> {
    const self = this as any;
    const iopub: IopubSender = (msgType, content) => {
      const out = msg.createReply();
      out.header.msg_type = msgType;
      out.content = content;
      out.signAndSend(self.connInfo.key, self.iopub);
    };
    const reply = msg.createReply();
    reply.header.msg_type = "execute_reply";
    reply.content = await (self.handler as KernelHandler).handleExecute(msg.content, iopub);
    reply.signAndSend(self.connInfo.key, sock);
  }

  /** tslab answers comm_info_request with msg_type "complete_reply"; the protocol says comm_info_reply. */
  handleCommInfoRequest(sock: unknown, msg: ZmqMessageLike): void {
    const self = this as any;
    const reply = msg.createReply();
    reply.header.msg_type = "comm_info_reply";
    reply.content = { status: "ok", comms: {} };
    reply.signAndSend(self.connInfo.key, sock);
  }

  handleShutdown(sock: unknown, msg: ZmqMessageLike): void {
    const self = this as any;
    const reply = msg.createReply();
    reply.header.msg_type = "shutdown_reply";
    reply.content = { status: "ok", restart: Boolean(msg.content?.restart) };
    reply.signAndSend(self.connInfo.key, sock);
    // Let ZeroMQ flush the reply and the final idle status, then leave.
    setTimeout(() => process.exit(0), 300).unref();
  }
}
