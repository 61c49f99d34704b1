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
 * If tslab is upgraded, re-read dist/executor.js (createExecutor's use of `console`),
 * dist/jupyter.js (ZmqServer.handleExecute, createReply, signAndSend, connInfo, iopub) and
 * dist/main.js (ConverterSetImpl) before changing the pin.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { createConverter } from "tslab/dist/converter";
import { createExecutor } from "tslab/dist/executor";
import { JupyterHandlerImpl, ZmqServer } from "tslab/dist/jupyter";
import { TaskCanceledError, TaskQueue } from "tslab/dist/util";

export { TaskCanceledError, TaskQueue };

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

/** The converters tslab's executor needs (node and browser), created lazily as in tslab's main. */
class ConverterSet {
  private nodeConverter: ReturnType<typeof createConverter> | undefined;
  private browserConverter: ReturnType<typeof createConverter> | undefined;

  get node() {
    this.nodeConverter ??= createConverter({ isJS: false, isBrowser: false });
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
export function createTslabExecutor(rootDir: string, console: ExecutorConsole): TslabExecutor {
  const converters = new ConverterSet();
  void converters.node; // warm the TypeScript compiler before the first cell, as tslab does
  return createExecutor(rootDir, converters as any, console as any) as unknown as TslabExecutor;
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
