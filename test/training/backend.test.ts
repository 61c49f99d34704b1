import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { backend, initBackend } from "../../src/training/backend";

function hasTfjsNode(): boolean {
  try {
    require.resolve("@tensorflow/tfjs-node");
    return true;
  } catch {
    return false;
  }
}

describe("initBackend", () => {
  it("initBackend() picks the best backend present: tensorflow if installed, else wasm", async () => {
    const info = await initBackend();
    assert.equal(info.name, hasTfjsNode() ? "tensorflow" : "wasm");
    assert.equal(tf.getBackend(), info.name);
    assert.equal(backend(), info);
    if (info.name === "wasm") {
      assert.ok(info.skipped.some((s) => s.startsWith("tensorflow:")), "says why tfjs-node was skipped");
    }
    const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync();
    assert.equal(y[0], 11);
  });

  it("initBackend({backend: 'cpu'}) switches when asked, and back", async () => {
    const cpu = await initBackend({ backend: "cpu" });
    assert.equal(cpu.name, "cpu");
    assert.equal(cpu.reason, "requested");
    assert.equal(tf.getBackend(), "cpu");
    const again = await initBackend({ backend: hasTfjsNode() ? "tensorflow" : "wasm" });
    assert.equal(tf.getBackend(), again.name);
  });

  it("initBackend rejects unknown names with the standard message", async () => {
    await assert.rejects(() => initBackend({ backend: "gpu" as never }), {
      message: 'initBackend: backend must be one of "tensorflow", "wasm", "cpu", got "gpu"',
    });
    process.env.SNNLAB_TF_BACKEND = "tpu";
    try {
      await assert.rejects(() => initBackend(), { message: 'initBackend: SNNLAB_TF_BACKEND must be one of "tensorflow", "wasm", "cpu", got "tpu"' });
    } finally {
      delete process.env.SNNLAB_TF_BACKEND;
    }
  });
});
