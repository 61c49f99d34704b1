/**
 * initBackend's GPU branch: @tensorflow/tfjs-node-gpu (which installs only where CUDA is) comes
 * first, and the record says which package gave the "tensorflow" backend. The package is stood in
 * for by an injected loader that registers a backend named "tensorflow", as the real package does
 * (here the plain JS backend under that name: what is tested is the choice, not CUDA).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/training/backend";

const notInstalled = (id: string): Error => Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });

describe("initBackend with tfjs-node-gpu", () => {
  it("initBackend({load}) falls back past a missing tfjs-node-gpu and tfjs-node to wasm, saying why for each", async () => {
    const asked: string[] = [];
    const info = await initBackend({
      load: (id) => {
        asked.push(id);
        if (id.startsWith("@tensorflow/tfjs-node")) throw notInstalled(id);
        return require(id) as unknown;
      },
    });
    assert.equal(info.name, "wasm");
    assert.deepEqual(asked, ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node", "@tensorflow/tfjs-backend-wasm"]);
    assert.deepEqual(info.skipped, [
      "tensorflow: @tensorflow/tfjs-node-gpu: Cannot find module '@tensorflow/tfjs-node-gpu'",
      "tensorflow: @tensorflow/tfjs-node: Cannot find module '@tensorflow/tfjs-node'",
    ]);
    assert.equal(info.module, undefined);
  });

  it("initBackend({backend: 'tensorflow', load}) picks tfjs-node-gpu first when it is installed, and says so", async () => {
    const asked: string[] = [];
    const info = await initBackend({
      backend: "tensorflow",
      load: (id) => {
        asked.push(id);
        if (id !== "@tensorflow/tfjs-node-gpu") throw new Error(`${id} must not be loaded once the GPU build started`);
        tf.registerBackend("tensorflow", tf.findBackendFactory("cpu")!);
        return {};
      },
    });
    assert.deepEqual([info.name, info.module, info.skipped], ["tensorflow", "@tensorflow/tfjs-node-gpu", []]);
    assert.deepEqual(asked, ["@tensorflow/tfjs-node-gpu"]);
    assert.equal(tf.getBackend(), "tensorflow");
  });
});
