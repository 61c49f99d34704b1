/** A live snnlab kernel on a plain Jupyter server, for the tests that talk to one over the protocol. */
import { after, before } from "node:test";
import type { Kernel, KernelManager, KernelMessage, Session, SessionManager } from "@jupyterlab/services";
import { type RunningServer, findJupyter, startServer } from "../../kernel/jupyter";
import { connectServices } from "../../kernel/runner";

/** The classic Notebook server, or undefined where Jupyter is not installed (skip the suite). */
export const jupyter = findJupyter("notebook");

/**
 * Registers before/after hooks in the calling suite that start a server and an snnlab kernel
 * session for `notebookPath`, and stop them; the returned function gives the kernel.
 */
export function useKernelSession(notebookPath: string): () => Kernel.IKernelConnection {
  let server: RunningServer;
  let kernelManager: KernelManager;
  let sessionManager: SessionManager;
  let session: Session.ISessionConnection;

  before(async () => {
    server = await startServer({ jupyter: jupyter!, stdio: "ignore" });
    ({ kernelManager, sessionManager } = connectServices(server));
    session = await sessionManager.startNew({ path: notebookPath, type: "notebook", name: "t", kernel: { name: "snnlab" } });
    await session.kernel!.info;
  });

  after(async () => {
    await session?.shutdown().catch(() => undefined);
    session?.dispose();
    sessionManager?.dispose();
    kernelManager?.dispose();
    await server?.stop();
  });

  return () => session.kernel!;
}

/** Runs `code`; resolves with the reply and the IOPub messages other than status, each also passed to `onOutput` as it arrives. */
export async function execute(
  kernel: Kernel.IKernelConnection,
  code: string,
  onOutput?: (msg: KernelMessage.IIOPubMessage) => void,
): Promise<{ reply: KernelMessage.IExecuteReplyMsg; outputs: KernelMessage.IIOPubMessage[] }> {
  const outputs: KernelMessage.IIOPubMessage[] = [];
  const future = kernel.requestExecute({ code, stop_on_error: false });
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === "status") return;
    outputs.push(msg);
    onOutput?.(msg);
  };
  const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
  return { reply, outputs };
}

/**
 * Runs `code` (a loop that never ends by itself) and sends Kernel → Interrupt every 700 ms until
 * the cell ends; resolves with its reply and outputs. A cell cannot say when it starts running, and
 * an interrupt that lands while it still compiles is spent before the loop runs, hence the repeats.
 */
export async function interruptUntilDone(
  kernel: Kernel.IKernelConnection, code: string,
): Promise<{ reply: KernelMessage.IExecuteReplyMsg; outputs: KernelMessage.IIOPubMessage[] }> {
  let finished = false;
  const running = execute(kernel, code).finally(() => (finished = true));
  while (!finished) {
    await new Promise((r) => setTimeout(r, 700));
    if (!finished) await kernel.interrupt();
  }
  return running;
}
