import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { cifar10Available, cifar10Files, loadCifar10 } from "../../src/datasets/cifar10";

/** A CIFAR-10 binary record: label, then 1 024 red, 1 024 green, 1 024 blue bytes. */
function record(label: number, r: number, g: number, b: number): Buffer {
  const out = Buffer.alloc(3073);
  out[0] = label;
  out.fill(r, 1, 1025);
  out.fill(g, 1025, 2049);
  out.fill(b, 2049, 3073);
  return out;
}

describe("loadCifar10", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-cifar-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [k, f] of cifar10Files("train").entries()) fs.writeFileSync(path.join(dir, f), Buffer.concat([record(k, 255, 0, 0), record(9 - k, 0, 0, 255)]));

  it("reads the five training batches in order as 32 × 32 luma images (0.299 R + 0.587 G + 0.114 B)", () => {
    assert.equal(cifar10Available(dir, "train"), true);
    assert.equal(cifar10Available(dir, "test"), false);
    const d = loadCifar10({ dir });
    assert.equal(d.count, 10);
    assert.deepEqual([d.rows, d.cols, d.split, d.name], [32, 32, "train", "cifar10-luma"]);
    assert.deepEqual(Array.from(d.labels), [0, 9, 1, 8, 2, 7, 3, 6, 4, 5]);
    assert.equal(d.images[0], Math.round(0.299 * 255));
    assert.equal(d.images[1023], Math.round(0.299 * 255));
    assert.equal(d.images[1024], Math.round(0.114 * 255));
  });
  it("names the missing batch files, a truncated file and a bad label, with the standard message", () => {
    assert.throws(() => loadCifar10({ dir, split: "test" }), /^DataFileError: loadCifar10: directory .* must hold CIFAR-10's binary batches .* got no test_batch\.bin$/);
    fs.writeFileSync(path.join(dir, "test_batch.bin"), Buffer.alloc(3000));
    assert.throws(() => loadCifar10({ dir, split: "test" }), /loadCifar10: file .*test_batch\.bin must hold whole records of 3073 bytes .* got 3000 bytes/);
    fs.writeFileSync(path.join(dir, "test_batch.bin"), record(12, 1, 2, 3));
    assert.throws(() => loadCifar10({ dir, split: "test" }), /loadCifar10: file .*test_batch\.bin must hold labels 0–9, got label 12 in record 0/);
    assert.throws(() => loadCifar10({ dir: "" }), /loadCifar10: dir must be the path of the folder holding CIFAR-10's binary batches/);
    assert.throws(() => loadCifar10({ dir, split: "valid" as never }), /loadCifar10: split must be one of/);
  });
});
