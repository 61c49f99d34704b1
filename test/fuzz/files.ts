/**
 * Files: the readers get truncated, corrupted, foreign and random bytes (IDX, safetensors, learner
 * snapshots, NIR through temporary files, MNIST folders that are missing or hold bad files) and
 * must give a result or one house-shaped error; the writers (saveSnapshot, writeNir, the kernel's
 * checkpoint) given bad input leave no file behind, not even a partial one.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { createRng } from "../../src/core/random";
import { parseIdx, readIdx } from "../../src/datasets/idx";
import { loadFashionMnist, loadMnist } from "../../src/datasets/mnist";
import { nirGraph, nirTensor, type NirGraph } from "../../src/interop/nir/graph";
import { readNir } from "../../src/interop/nir/read";
import { writeNir } from "../../src/interop/nir/write";
import { decodeSafetensors, encodeSafetensors, tensor } from "../../src/io/safetensors";
import { decodeSnapshot, encodeSnapshot, loadSnapshot, makeSnapshot, saveSnapshot } from "../../src/learning/snapshot";
import { checkpoint } from "../../kernel/checkpoints";
import { badValue, outcome, runs, show } from "./harness";

/** A valid IDX file: 3 images of 2×2 unsigned bytes. */
const idxBytes = Uint8Array.from([0, 0, 0x08, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, ...Array.from({ length: 12 }, (_, i) => i * 20)]);
const safetensorsBytes = encodeSafetensors({ w: tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]), b: tensor(new Float64Array([0.5])) }, { note: "fuzz" });
const snapshot = () => makeSnapshot("toy", 4, { sizes: [2, 3] }, { rng: createRng(3).state() }, { w: tensor(new Float32Array([1, 2, 3, 4]), [2, 2]) });
const snapshotBytes = encodeSnapshot(snapshot());
const graph = (): NirGraph => nirGraph({
  input: { type: "Input", shape: [2] },
  affine: { type: "Affine", weight: nirTensor(new Float32Array([1, 0, 0, 1]), [2, 2]), bias: nirTensor(new Float32Array([0, 0]), [2]) },
  lif: { type: "LIF", tau: nirTensor(new Float32Array([0.01, 0.01]), [2]), r: nirTensor(new Float32Array([1, 1]), [2]), vLeak: nirTensor(new Float32Array([0, 0]), [2]), vThreshold: nirTensor(new Float32Array([1, 1]), [2]), vReset: nirTensor(new Float32Array([0, 0]), [2]) },
  output: { type: "Output", shape: [2] },
}, [["input", "affine"], ["affine", "lif"], ["lif", "output"]]);

/**
 * Damage done to a valid file: cut it short, flip bytes, overwrite a run with a value, append
 * junk, or replace it by random bytes. Each keeps the damage small enough to look plausible.
 */
type Damage =
  | { kind: "truncate"; at: number }
  | { kind: "flip"; at: number[]; mask: number }
  | { kind: "fill"; at: number; length: number; value: number }
  | { kind: "append"; bytes: number[] }
  | { kind: "random"; bytes: number[] };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("fill" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }), value: fc.constantFrom(0, 0xff, 0x7b, 0x22, 0x30) }),
  fc.record({ kind: fc.constant("append" as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant("random" as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }) }),
);

function damaged(valid: Uint8Array, d: Damage): Uint8Array {
  const out = Uint8Array.from(valid);
  switch (d.kind) {
    case "truncate": return valid.slice(0, d.at % valid.length);
    case "flip": for (const i of d.at) out[i % out.length] ^= d.mask; return out;
    case "fill": out.fill(d.value, d.at % out.length, Math.min(out.length, (d.at % out.length) + d.length)); return out;
    case "append": return Uint8Array.from([...valid, ...d.bytes]);
    case "random": return Uint8Array.from(d.bytes);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-fuzz-files-"));
let counter = 0;
/** A fresh empty folder inside the suite's temporary folder. */
const freshDir = (): string => fs.mkdtempSync(path.join(tmp, `d${counter++}-`));

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("file readers with truncated, corrupt and foreign files", () => {
  it("decodeSafetensors(damaged bytes)", async () => {
    await fc.assert(fc.asyncProperty(damage, async (d) => {
      await outcome(`decodeSafetensors(${JSON.stringify(d)})`, () => decodeSafetensors(damaged(safetensorsBytes, d)));
    }), runs(1000));
  });

  it("decodeSafetensors and decodeSnapshot with a bad argument instead of bytes", async () => {
    await fc.assert(fc.asyncProperty(badValue, async (v) => {
      await outcome(`decodeSafetensors(${show([v])})`, () => decodeSafetensors(v as Uint8Array));
      await outcome(`decodeSnapshot(${show([v])})`, () => decodeSnapshot(v as Uint8Array));
      await outcome(`parseIdx(${show([v])})`, () => parseIdx(v as Uint8Array));
    }), runs(100));
  });

  it("decodeSnapshot(damaged bytes) and loadSnapshot(damaged file)", async () => {
    const dir = freshDir();
    await fc.assert(fc.asyncProperty(damage, async (d) => {
      const bytes = damaged(snapshotBytes, d);
      await outcome(`decodeSnapshot(${JSON.stringify(d)})`, () => decodeSnapshot(bytes));
      const file = path.join(dir, "s.safetensors");
      fs.writeFileSync(file, bytes);
      await outcome(`loadSnapshot(file with ${JSON.stringify(d)})`, () => loadSnapshot(file));
    }), runs(1000));
  });

  it("parseIdx(damaged bytes), plain and gzipped, and readIdx(damaged file)", async () => {
    const dir = freshDir();
    await fc.assert(fc.asyncProperty(damage, fc.boolean(), async (d, gz) => {
      const bytes = damaged(gz ? gzipSync(idxBytes) : idxBytes, d);
      await outcome(`parseIdx(${gz ? "gzip, " : ""}${JSON.stringify(d)})`, () => parseIdx(bytes));
      const file = path.join(dir, gz ? "x-idx3-ubyte.gz" : "x-idx3-ubyte");
      fs.writeFileSync(file, bytes);
      await outcome(`readIdx(file with ${JSON.stringify(d)})`, () => readIdx(file));
    }), runs(1000));
  });

  // A damaged file can send h5wasm into an endless loop inside WebAssembly (SNNLAB_FUZZ_SEED=3
  // found one: bytes 2305, 14208 and 13784 of a small valid file XORed with 7). readNir parses in a
  // worker thread under a time limit (20 s + 2 s/MB), so that case is now one clear error; the
  // budget here is that limit and a margin.
  it("readNir(damaged .nir file)", async () => {
    const dir = freshDir();
    const valid = path.join(dir, "valid.nir");
    await writeNir(valid, graph());
    const bytes = new Uint8Array(fs.readFileSync(valid));
    await fc.assert(fc.asyncProperty(damage, async (d) => {
      const file = path.join(dir, "bad.nir");
      fs.writeFileSync(file, damaged(bytes, d));
      await outcome(`readNir(file with ${JSON.stringify(d)})`, () => readNir(file), 25_000);
    }), runs(150));
  });

  it("loadMnist and loadFashionMnist with a missing folder, an empty one, or one of damaged files", async () => {
    const good = freshDir();
    fs.writeFileSync(path.join(good, "images"), idxBytes);
    await fc.assert(fc.asyncProperty(fc.constantFrom("missing", "empty", "damaged"), fc.constantFrom("train", "test"), damage, async (where, split, d) => {
      const dir = where === "missing" ? path.join(tmp, "no-such-folder") : freshDir();
      if (where === "damaged") {
        const prefix = split === "train" ? "train" : "t10k";
        fs.writeFileSync(path.join(dir, `${prefix}-images-idx3-ubyte`), damaged(idxBytes, d));
        fs.writeFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte`), damaged(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]), d));
      }
      await outcome(`loadMnist({split: ${split}, dir: ${where}})`, () => loadMnist({ split: split as "train", dir }));
      await outcome(`loadFashionMnist({split: ${split}, dir: ${where}})`, () => loadFashionMnist({ split: split as "train", dir }));
    }), runs(150));
  });
});

describe("file writers given bad input leave no file behind", () => {
  it("saveSnapshot(file, bad snapshot)", async () => {
    const badSnapshot = fc.oneof(badValue, badValue.map((v) => ({ ...snapshot(), samplesSeen: v })), badValue.map((v) => ({ ...snapshot(), tensors: { w: v } })),
      badValue.map((v) => ({ ...snapshot(), learner: v })));
    await fc.assert(fc.asyncProperty(badSnapshot, async (s) => {
      const dir = freshDir();
      const kind = await outcome(`saveSnapshot(file, ${show([s])})`, () => saveSnapshot(path.join(dir, "s.safetensors"), s as never));
      if (kind === "rejected") assert.deepEqual(fs.readdirSync(dir), [], `saveSnapshot(file, ${show([s])}) was rejected but left a file`);
    }), runs(150));
  });

  it("writeNir(file, bad graph)", async () => {
    const badGraph = fc.oneof(
      badValue,
      badValue.map((v) => ({ ...graph(), edges: v })),
      badValue.map((v) => ({ ...graph(), nodes: { ...graph().nodes, lif: { ...graph().nodes.lif!, tau: v } } })),
      badValue.map((v) => ({ ...graph(), nodes: { ...graph().nodes, affine: { type: "Affine", weight: nirTensor(new Float32Array([1, 2, 3]), [3]), bias: v } } })),
    );
    await fc.assert(fc.asyncProperty(badGraph, async (g) => {
      const dir = freshDir();
      const kind = await outcome(`writeNir(file, ${show([g]).slice(0, 200)})`, () => writeNir(path.join(dir, "g.nir"), g as NirGraph), 5000);
      if (kind === "rejected") assert.deepEqual(fs.readdirSync(dir), [], "writeNir was rejected but left a file");
    }), runs(150));
  });

  it("the kernel's checkpoint(name, bad settings) and checkpoint(...).save(bad tensors, bad info)", async () => {
    const badTensors = fc.oneof(badValue, badValue.map((v) => ({ w: v })), badValue.map((v) => ({ w: { ...tensor(new Float32Array(4), [2, 2]), shape: v } })));
    await fc.assert(fc.asyncProperty(badValue, badTensors, badValue, async (setting, tensors, info) => {
      const dir = freshDir();
      const open = () => checkpoint("fuzz", { n: setting } as never, { dir, save: true });
      const kind = await outcome(`checkpoint("fuzz", {n: ${show([setting])}}, {dir, save: true})`, open);
      if (kind === "rejected") {
        assert.deepEqual(fs.readdirSync(dir), [], "a rejected checkpoint left a file");
        return;
      }
      const cp = open();
      const what = `checkpoint("fuzz", {n: ${show([setting])}}).save(${show([tensors, info])})`;
      if ((await outcome(what, () => cp.save(tensors as never, info as never))) === "rejected") {
        assert.deepEqual(fs.readdirSync(dir, { recursive: true }), [], `${what} was rejected but left a file`);
      }
    }), runs(100));
  });
});
