/**
 * Kernel → Interrupt: a long run driven by progress(...).loop stops at a chunk boundary with a
 * consistent state, a runaway synchronous loop is broken, and the kernel stays usable.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KernelMessage } from "@jupyterlab/services";
import { execute, interruptUntilDone, jupyter, useKernelSession } from "../helpers/kernel-session";

function resultText(outputs: KernelMessage.IIOPubMessage[]): string | undefined {
  const result = outputs.find((m) => m.header.msg_type === "execute_result");
  return result ? String((result.content as { data: Record<string, unknown> }).data["text/plain"]) : undefined;
}

describe("kernel interrupt", { skip: jupyter ? false : "Jupyter is not installed", timeout: 180_000 }, () => {
  const kernelOf = useKernelSession("notebooks/interrupt-test.ipynb");

  it("interrupting progress(...).loop stops at a chunk boundary and keeps the state consistent", async () => {
    const kernel = kernelOf();
    await execute(kernel, 'import { progress } from "snnlab/kernel";\nconst state = { processed: 0, chunks: 0 };\nconst bar = progress(5000, { label: "slow" });');
    // Interrupt once the loop runs (its bar is drawn), not while the cell still compiles.
    let barShown!: () => void;
    const looping = new Promise<void>((resolve) => (barShown = resolve));
    const running = execute(kernel, [
      "await bar.loop(10, (start, end) => {",
      "  const until = Date.now() + 20;",
      "  while (Date.now() < until) {}         // 20 ms of work per chunk: 10 s in all",
      "  state.processed += end - start;",
      "  state.chunks++;",
      "});",
    ].join("\n"), (msg) => {
      if (msg.header.msg_type === "display_data") barShown();
    });
    await looping;
    await new Promise((r) => setTimeout(r, 300));
    await kernel.interrupt();
    const { reply } = await running;
    assert.equal(reply.content.status, "error");
    assert.equal((reply.content as { ename?: string }).ename, "Interrupted");
    const { outputs } = await execute(kernel, "[state.processed, state.chunks * 10, bar.done]");
    const [processed, byChunks, done] = JSON.parse(resultText(outputs)!.replace(/ /g, "")) as number[];
    assert.ok(processed! > 0 && processed! < 5000, `stopped part-way (processed ${processed})`);
    assert.equal(processed, byChunks, "only whole chunks ran");
    assert.equal(processed, done, "the bar agrees with the state");
  });

  it("interrupting a runaway synchronous loop leaves the kernel usable", async () => {
    const kernel = kernelOf();
    const { reply } = await interruptUntilDone(kernel, "while (true) {}");
    assert.equal(reply.content.status, "error");
    const { reply: next, outputs } = await execute(kernel, "21 * 2");
    assert.equal(next.content.status, "ok");
    assert.equal(resultText(outputs), "42");
  });
});
