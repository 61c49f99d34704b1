/**
 * A cell's outputs reach the notebook while the cell still runs: `console.log` and `show` before
 * a long synchronous computation arrive long before the cell's result.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KernelManager, KernelMessage, Session, SessionManager } from "@jupyterlab/services";
import { type RunningServer, findJupyter, startServer } from "../../kernel/jupyter";
import { connectServices } from "../../kernel/runner";

const jupyter = findJupyter("notebook");

describe("live kernel output", { skip: jupyter ? false : "Jupyter is not installed", timeout: 180_000 }, () => {
  let server: RunningServer;
  let kernelManager: KernelManager;
  let sessionManager: SessionManager;
  let session: Session.ISessionConnection;

  before(async () => {
    server = await startServer({ jupyter: jupyter!, stdio: "ignore" });
    ({ kernelManager, sessionManager } = connectServices(server));
    session = await sessionManager.startNew({ path: "notebooks/live-output-test.ipynb", type: "notebook", name: "t", kernel: { name: "snnlab" } });
    await session.kernel!.info;
  });

  after(async () => {
    await session?.shutdown().catch(() => undefined);
    session?.dispose();
    sessionManager?.dispose();
    kernelManager?.dispose();
    await server?.stop();
  });

  it("console.log and show() before 3 s of synchronous work arrive before the cell ends", async () => {
    const kernel = session.kernel!;
    await kernel.requestExecute({ code: 'import { show } from "snnlab/kernel";' }).done;
    const arrivals: { type: string; at: number }[] = [];
    const future = kernel.requestExecute({
      code: [
        'console.log("started");',
        'show({ "text/plain": "a figure" });',
        "{ const until = Date.now() + 3000; while (Date.now() < until) {} }",
        '"done"',
      ].join("\n"),
    });
    future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
      if (msg.header.msg_type !== "status") arrivals.push({ type: msg.header.msg_type, at: Date.now() });
    };
    const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
    assert.equal(reply.content.status, "ok");
    const at = (type: string) => arrivals.find((a) => a.type === type)?.at;
    assert.deepEqual(arrivals.map((a) => a.type), ["execute_input", "stream", "display_data", "execute_result"]);
    assert.ok(at("execute_result")! - at("stream")! > 2000, `the log came ${at("execute_result")! - at("stream")!} ms before the result`);
    assert.ok(at("execute_result")! - at("display_data")! > 2000, "and so did the display");
  });
});
