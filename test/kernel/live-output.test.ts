/**
 * A cell's outputs reach the notebook while the cell still runs: `console.log` and `show` before
 * a long synchronous computation arrive long before the cell's result.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { execute, jupyter, useKernelSession } from "../helpers/kernel-session";

describe("live kernel output", { skip: jupyter ? false : "Jupyter is not installed", timeout: 180_000 }, () => {
  const kernelOf = useKernelSession("notebooks/live-output-test.ipynb");

  it("console.log and show() before 3 s of synchronous work arrive before the cell ends", async () => {
    const kernel = kernelOf();
    await execute(kernel, 'import { show } from "snnlab/kernel";');
    const arrivals: { type: string; at: number }[] = [];
    const { reply } = await execute(kernel, [
      'console.log("started");',
      'show({ "text/plain": "a figure" });',
      "{ const until = Date.now() + 3000; while (Date.now() < until) {} }",
      '"done"',
    ].join("\n"), (msg) => arrivals.push({ type: msg.header.msg_type, at: Date.now() }));
    assert.equal(reply.content.status, "ok");
    const at = (type: string) => arrivals.find((a) => a.type === type)?.at;
    assert.deepEqual(arrivals.map((a) => a.type), ["execute_input", "stream", "display_data", "execute_result"]);
    assert.ok(at("execute_result")! - at("stream")! > 2000, `the log came ${at("execute_result")! - at("stream")!} ms before the result`);
    assert.ok(at("execute_result")! - at("display_data")! > 2000, "and so did the display");
  });
});
