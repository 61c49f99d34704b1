import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { decodeSafetensors, encodeSafetensors, tensor } from "../../src/io/safetensors";
import { decodeSnapshot, encodeSnapshot, loadSnapshot, makeSnapshot, readSnapshot, saveSnapshot, toJson } from "../../src/learning/snapshot";
import { expectError } from "../helpers/close";

const sample = () => makeSnapshot("toy", 42, { sizes: [2, 3], bound: Infinity }, { rng: createRng(5).state(), seed: 7 }, {
  "weights.0": tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]),
  residual: tensor(new Float64Array([0.25, -0.5])),
});

describe("learner snapshots", () => {
  it("encodeSnapshot(s) is a safetensors file with format, version, learner, samplesSeen, config and state in its metadata", () => {
    const bytes = encodeSnapshot(sample());
    const file = decodeSafetensors(bytes);
    assert.deepEqual(Object.keys(file.metadata).sort(), ["config", "format", "learner", "samplesSeen", "state", "version"]);
    assert.equal(file.metadata.format, "snnlab-learner");
    assert.equal(file.metadata.version, "1");
    assert.equal(file.metadata.learner, "toy");
    assert.equal(file.metadata.samplesSeen, "42");
    assert.equal(file.metadata.config, '{"bound":"Infinity","sizes":[2,3]}', "sorted keys, non-finite numbers as strings");
    assert.deepEqual(JSON.parse(file.metadata.state!).rng.generator, "xoshiro128**");
    assert.deepEqual(Array.from(file.tensors["weights.0"]!.data), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(file.tensors["weights.0"]!.shape, [2, 3]);
  });

  it("decodeSnapshot(encodeSnapshot(s)) gives s back, and equal snapshots give equal bytes", () => {
    const s = sample();
    const back = decodeSnapshot(encodeSnapshot(s));
    assert.equal(back.learner, "toy");
    assert.equal(back.samplesSeen, 42);
    assert.deepEqual(back.config, s.config);
    assert.deepEqual(back.state, s.state);
    assert.deepEqual(Array.from(back.tensors.residual!.data), [0.25, -0.5]);
    assert.deepEqual(encodeSnapshot(back), encodeSnapshot(s));
  });

  it("saveSnapshot(file, s) writes atomically and loadSnapshot(file) reads it back", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-snapshot-"));
    try {
      const file = path.join(dir, "run.safetensors");
      saveSnapshot(file, sample());
      saveSnapshot(file, sample());
      assert.deepEqual(fs.readdirSync(dir), ["run.safetensors"], "no temporary file left behind");
      assert.equal(loadSnapshot(file).samplesSeen, 42);
      expectError(() => loadSnapshot(path.join(dir, "missing.safetensors")), /^loadSnapshot: file must be an existing snapshot file, got ".*missing\.safetensors"$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("decodeSnapshot(bytes) rejects corrupt, truncated and foreign files with one clear error", () => {
    const bytes = encodeSnapshot(sample());
    expectError(() => decodeSnapshot(bytes.subarray(0, 20)), /^decodeSnapshot: bytes must be a snnlab-learner snapshot file \(safetensors\), got bytes that safetensors rejects \(decodeSafetensors: /);
    expectError(() => decodeSnapshot(new Uint8Array(3)), /^decodeSnapshot: bytes must be a snnlab-learner snapshot file/);
    const garbled = bytes.slice();
    garbled[9] = 0x7b; // '{' inside the header: no longer JSON
    garbled[10] = 0x7b;
    expectError(() => decodeSnapshot(garbled), /^decodeSnapshot: bytes must be a snnlab-learner snapshot file/);
    const checkpoint = encodeSafetensors({ w: tensor(new Float32Array(2)) }, { format: "snnlab-checkpoint", version: "1" });
    expectError(() => decodeSnapshot(checkpoint), /^decodeSnapshot: bytes must be a snnlab-learner snapshot, version 1, got format "snnlab-checkpoint", version "1"$/);
    const future = encodeSafetensors({}, { format: "snnlab-learner", version: "2", learner: "toy", samplesSeen: "1", config: "{}", state: "{}" });
    expectError(() => decodeSnapshot(future), /^decodeSnapshot: bytes must be a snnlab-learner snapshot, version 1, got format "snnlab-learner", version "2"$/);
    const badState = encodeSafetensors({}, { format: "snnlab-learner", version: "1", learner: "toy", samplesSeen: "1", config: "{}", state: "{oops" });
    expectError(() => decodeSnapshot(badState), /^decodeSnapshot: metadata\.state must be JSON, got "\{oops"$/);
    const badPosition = encodeSafetensors({}, { format: "snnlab-learner", version: "1", learner: "toy", samplesSeen: "-3", config: "{}", state: "{}" });
    expectError(() => decodeSnapshot(badPosition), /^decodeSnapshot: snapshot\.samplesSeen must be an integer >= 0, got NaN$/);
  });

  it("readSnapshot(fn, s, learner, config) rejects another learner, other settings, missing, misshapen and extra tensors", () => {
    const s = sample();
    const config = { sizes: [2, 3], bound: Infinity };
    expectError(() => readSnapshot("toy.restore", s, "other", config), /^toy\.restore: snapshot\.learner must be "other" \(a snapshot of another learner cannot be restored here\), got "toy"$/);
    expectError(() => readSnapshot("toy.restore", s, "toy", { ...config, sizes: [2, 4] }), /^toy\.restore: snapshot\.config must match this learner's settings, got sizes: \[2,4\] here, \[2,3\] in the snapshot$/);
    expectError(() => readSnapshot("toy.restore", { ...s, samplesSeen: 1.5 }, "toy", config), /^toy\.restore: snapshot\.samplesSeen must be an integer >= 0, got 1\.5$/);
    expectError(() => readSnapshot("toy.restore", "not a snapshot", "toy", config), /^toy\.restore: snapshot must be a learner snapshot/);
    const r = readSnapshot("toy.restore", s, "toy", config);
    expectError(() => r.tensor("weights.1", "F32", [2, 3]), /^toy\.restore: snapshot\.tensors\["weights\.1"\] must be a tensor of dtype F32 and shape \[2, 3\], got undefined$/);
    expectError(() => r.tensor("weights.0", "F32", [3, 2]), /^toy\.restore: snapshot\.tensors\["weights\.0"\] must be a tensor of dtype F32 and shape \[3, 2\], got "F32" \[2, 3\]$/);
    expectError(() => r.tensor("residual", "F32", [2]), /^toy\.restore: snapshot\.tensors\["residual"\] must be a tensor of dtype F32 and shape \[2\], got "F64" \[2\]$/);
    expectError(() => r.rng("seed"), /^toy\.restore: snapshot\.state\.seed must be a generator state \(rng\.state\(\)\), got rng\.restore: state must be an object/);
    assert.equal(r.rng("rng").generator, "xoshiro128**");
    assert.equal(r.integer("seed", 0, 10), 7);
    expectError(() => r.integer("seed", 8, 10), /^toy\.restore: snapshot\.state\.seed must be an integer in \[8, 10\], got 7$/);
    const partial = readSnapshot("toy.restore", s, "toy", config);
    partial.tensor("weights.0", "F32", [2, 3]);
    expectError(() => partial.done(), /^toy\.restore: snapshot\.tensors must hold only this learner's tensors \(weights\.0\), got also residual$/);
  });

  it("toJson(value) turns non-finite numbers into strings and drops undefined fields (the @example)", () => {
    assert.deepEqual(toJson({ bound: Infinity, sizes: [2, 3], gone: undefined, low: -Infinity, nan: NaN }), { bound: "Infinity", sizes: [2, 3], low: "-Infinity", nan: "NaN" });
  });
});
