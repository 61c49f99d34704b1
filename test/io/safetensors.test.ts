/**
 * safetensors: round trips per dtype, bytes Python reads (numpy, from the documented layout), one
 * clear error for a foreign or cut file; and the kernel's checkpoints built on it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import { decodeSafetensors, encodeSafetensors, tensor } from "../../src/io/index";
import { checkpoint, readCheckpoint } from "../../kernel/checkpoints";
import { createRng } from "../../src/core/random";
import { membraneBackpropNetwork } from "../../src/training/membrane-backprop";
import { dense } from "../../src/layers/index";
import type { ArrayDataset } from "../../src/training/batches";
import { initBackend } from "../../src/training/backend";

const tensors = () => ({
  weights: tensor(Float32Array.from([0.5, -1.25, 3, 1e-7, 2, 7]), [2, 3]),
  theta: tensor(Float64Array.from([Math.PI, -0])),
  delays: tensor(Uint8Array.from([0, 7, 255])),
  labels: tensor(Int32Array.from([-1, 9, 2147483647])),
});

describe("safetensors", () => {
  it("round-trips F32, F64, U8 and I32 tensors and string metadata, bit for bit", () => {
    const bytes = encodeSafetensors(tensors(), { epochs: "3", note: "ü" });
    const back = decodeSafetensors(bytes);
    assert.deepEqual(back.metadata, { epochs: "3", note: "ü" });
    for (const [name, t] of Object.entries(tensors())) {
      assert.equal(back.tensors[name]!.dtype, t.dtype);
      assert.deepEqual(back.tensors[name]!.shape, t.shape);
      assert.deepEqual(Array.from(back.tensors[name]!.data), Array.from(t.data), name);
    }
    assert.ok(Object.is(back.tensors.theta!.data[1], -0));
  });

  it("writes the same bytes for the same tensors, whatever the order they are given in", () => {
    const t = tensors();
    const reordered = { labels: t.labels, delays: t.delays, theta: t.theta, weights: t.weights };
    assert.deepEqual(encodeSafetensors(t, { b: "1", a: "2" }), encodeSafetensors(reordered, { a: "2", b: "1" }));
  });

  it("pads the header to 8 bytes and lays the tensors out back to back (the documented format)", () => {
    const bytes = encodeSafetensors(tensors());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal(n % 8, 0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    const spans = Object.values(header as Record<string, { data_offsets: number[] }>).map((e) => e.data_offsets).sort((a, b) => a[0]! - b[0]!);
    spans.forEach((s, i) => assert.equal(s[0], i === 0 ? 0 : spans[i - 1]![1]));
    assert.equal(8 + n + spans[spans.length - 1]![1]!, bytes.length);
  });

  it("is read by Python (numpy, from the documented layout)", (t) => {
    const python = "/usr/bin/python3";
    try {
      execFileSync(python, ["-c", "import numpy"], { stdio: "ignore" });
    } catch {
      t.skip("Debian's python3 with numpy is not installed");
      return;
    }
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-st-")), "t.safetensors");
    fs.writeFileSync(file, encodeSafetensors(tensors(), { epochs: "3" }));
    const script = [
      "import json, struct, sys, numpy as np",
      "b = open(sys.argv[1], 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8 + n])",
      "kinds = {'F32': '<f4', 'F64': '<f8', 'U8': 'u1', 'I32': '<i4'}",
      "out = {k: np.frombuffer(b[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]], kinds[v['dtype']]).reshape(v['shape']).tolist() for k, v in h.items() if k != '__metadata__'}",
      "print(json.dumps({'meta': h['__metadata__'], 'w': out['weights'], 'd': out['delays'], 'l': out['labels']}))",
    ].join("\n");
    const read = JSON.parse(execFileSync(python, ["-c", script, file], { encoding: "utf8" }));
    assert.deepEqual(read.meta, { epochs: "3" });
    assert.deepEqual(read.w, [[0.5, -1.25, 3], [Math.fround(1e-7), 2, 7]]);
    assert.deepEqual(read.d, [0, 7, 255]);
    assert.deepEqual(read.l, [-1, 9, 2147483647]);
  });

  it("gives one clear error for bytes that are not safetensors, or are cut short", () => {
    assert.throws(() => decodeSafetensors(new Uint8Array([1, 2, 3])), /^SnnlabError: decodeSafetensors: bytes must hold at least the 8-byte header length/);
    assert.throws(() => decodeSafetensors(new TextEncoder().encode("PK\u0003\u0004 this is a zip file")), /decodeSafetensors: bytes must hold the header length it announces/);
    const bytes = encodeSafetensors(tensors());
    assert.throws(() => decodeSafetensors(bytes.subarray(0, bytes.length - 3)), /decodeSafetensors: \w+\.data_offsets must be \[begin, end\] within the/);
    assert.throws(() => tensor(new Float32Array(6), [4, 2]), /tensor: shape must hold data\.length = 6 elements, got "\[4, 2\] \(8\)"/);
  });
});

describe("checkpoint (kernel)", () => {
  before(async () => {
    await initBackend();
  });
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-ckpt-"));

  it("trains when nothing is saved, saves only when asked, and loads only with equal settings", () => {
    const where = dir();
    const first = checkpoint("nb/net", { epochs: 2, sizes: [784, 10] }, { dir: where, save: false });
    assert.equal(first.loaded, false);
    assert.match(first.status, /no checkpoint at/);
    assert.match(first.save(tensors(), { minutes: 1.5 }), /^Not saved: only the runner saves checkpoints/);
    assert.equal(fs.existsSync(path.join(where, "nb", "net.safetensors")), false);

    const saving = checkpoint("nb/net", { sizes: [784, 10], epochs: 2 }, { dir: where, save: true });
    assert.match(saving.save(tensors(), { minutes: 1.5, curve: [1, 2] }), /^Saved .*net\.safetensors/);
    assert.deepEqual(fs.readdirSync(path.join(where, "nb")), ["net.safetensors"]);   // no temporary file left

    const again = checkpoint("nb/net", { epochs: 2, sizes: [784, 10] }, { dir: where });
    assert.equal(again.loaded, true);
    assert.deepEqual(again.info, { curve: [1, 2], minutes: 1.5 });
    assert.deepEqual(Array.from(again.tensors.weights!.data), Array.from(tensors().weights.data));

    const other = checkpoint("nb/net", { epochs: 3, sizes: [784, 10] }, { dir: where });
    assert.equal(other.loaded, false);
    assert.match(other.status, /other settings \(epochs: saved 2, now 3\)/);
    const retrain = checkpoint("nb/net", { epochs: 2, sizes: [784, 10] }, { dir: where, retrain: true });
    assert.equal(retrain.loaded, false);
    assert.match(retrain.status, /retrain = true/);
  });

  it("rejects a bad name, settings that are not JSON, and a foreign file, with one clear error each", () => {
    const where = dir();
    assert.throws(() => checkpoint("../escape", {}, { dir: where }), /^SnnlabError: checkpoint: name must be lower-case words joined by - \. _ and \/, got "\.\.\/escape"$/);
    assert.throws(() => checkpoint("a", { rate: Number.NaN }, { dir: where }), /checkpoint: settings must hold only JSON values .* got settings\.rate = NaN/);
    fs.writeFileSync(path.join(where, "foreign.safetensors"), encodeSafetensors(tensors(), { format: "pt" }));
    assert.throws(() => checkpoint("foreign", {}, { dir: where }), /checkpoint: the file .*foreign\.safetensors must be a snnlab-checkpoint version 1 .* got format "pt" version null/);
    fs.writeFileSync(path.join(where, "cut.safetensors"), "not a checkpoint");
    assert.throws(() => checkpoint("cut", {}, { dir: where }), /checkpoint: the file .*cut\.safetensors must be a snnlab checkpoint .* got decodeSafetensors: bytes must hold the header length/);
  });

  it("readCheckpoint reads another notebook's checkpoint whatever its settings, and names a missing or foreign file", () => {
    const where = dir();
    checkpoint("nb/net", { epochs: 2 }, { dir: where, save: true }).save(tensors(), { minutes: 1 });
    const read = readCheckpoint("nb/net", { dir: where });
    assert.deepEqual(read.settings, { epochs: 2 });
    assert.deepEqual(read.info, { minutes: 1 });
    assert.deepEqual(Array.from(read.tensors.weights!.data), Array.from(tensors().weights.data));
    assert.throws(() => readCheckpoint("nb/none", { dir: where }), /^SnnlabError: readCheckpoint: name must name a checkpoint saved by a full run .* got "nb\/none": no file /);
    fs.writeFileSync(path.join(where, "foreign.safetensors"), encodeSafetensors(tensors(), { format: "pt" }));
    assert.throws(() => readCheckpoint("foreign", { dir: where }), /readCheckpoint: the file .*foreign\.safetensors must be a snnlab-checkpoint version 1, got format "pt" version null/);
    assert.throws(() => readCheckpoint("../x", { dir: where }), /readCheckpoint: name must be lower-case words/);
  });

  it("carries a membrane-backprop network's weights into a fresh network, which then predicts the same", () => {
    const make = (seed: number) => membraneBackpropNetwork({ input: [4], layers: [dense(6, { bias: false }), dense(3, { bias: false })], steps: 4, encoding: "constant", rng: createRng(seed) });
    const data: ArrayDataset = { name: "toy", count: 10, inputShape: [4], inputs: Float32Array.from({ length: 40 }, (_, i) => ((i * 7) % 10) / 10), labels: Int32Array.from({ length: 10 }, (_, i) => i % 3) };
    const a = make(1);
    a.train(data, { start: 0, count: 10 });
    const b = make(2);
    // Weights alone (a kernel checkpoint's tensors); learning/ tests the whole learner snapshot.
    b.restore(decodeSafetensors(encodeSafetensors(a.snapshot().tensors)).tensors);
    assert.deepEqual(Array.from(b.evaluate(data).predictions), Array.from(a.evaluate(data).predictions));
    assert.deepEqual(b.snapshot().tensors["layers.0.weight"], a.snapshot().tensors["layers.0.weight"]);
    assert.throws(() => b.restore({}), /membraneBackpropNetwork\.restore: tensors\["layers\.0\.weight"\] must be a float32 tensor/);
    a.dispose();
    b.dispose();
  });
});
