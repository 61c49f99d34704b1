import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { expectGolden, formatJson, normalize, repoRoot } from "./golden";

describe("golden helper", () => {
  let saved: { root?: string; update?: string };
  let tmp: string;
  beforeEach(() => {
    saved = { root: process.env.SNNLAB_ROOT, update: process.env.UPDATE_GOLDEN };
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-golden-"));
    process.env.SNNLAB_ROOT = tmp;
    delete process.env.UPDATE_GOLDEN;
  });
  afterEach(() => {
    if (saved.root === undefined) delete process.env.SNNLAB_ROOT;
    else process.env.SNNLAB_ROOT = saved.root;
    if (saved.update === undefined) delete process.env.UPDATE_GOLDEN;
    else process.env.UPDATE_GOLDEN = saved.update;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("repoRoot() honours SNNLAB_ROOT", () => {
    assert.equal(repoRoot(), tmp);
  });

  it("normalize(figure) rounds to 6 significant digits, sorts keys and maps −0 to 0", () => {
    assert.deepEqual(normalize({ b: 0.1 + 0.2, a: [-0, 1234567.89, null, "s", true] }), { a: [0, 1234570, null, "s", true], b: 0.3 });
    assert.deepEqual(Object.keys(normalize({ b: 1, a: 2 }) as object), ["a", "b"]);
  });

  it("normalize(figure) rejects typed arrays, NaN, undefined and class instances, naming the path", () => {
    assert.throws(() => normalize({ data: [{ x: new Float32Array(2) }] }), /figure\.data\[0\]\.x is Float32Array/);
    assert.throws(() => normalize({ y: [1, NaN] }), /figure\.y\[1\] is NaN/);
    assert.throws(() => normalize({ y: undefined }), /figure\.y is undefined/);
    assert.throws(() => normalize({ d: new Date(0) }), /figure\.d is \[object Date\]/);
  });

  it("formatJson(value) puts arrays of scalars on one line and parses back to the value", () => {
    const value = { z: [[1, null], [2, 3]], t: "x" };
    assert.equal(formatJson(value), '{\n  "z": [\n    [1,null],\n    [2,3]\n  ],\n  "t": "x"\n}');
    assert.deepEqual(JSON.parse(formatJson(value)), value);
  });

  it("expectGolden(name, fig) writes a missing golden, matches it, and on a change writes <name>-changed.json and fails", () => {
    const file = path.join(tmp, "test", "golden", "demo.json");
    const changed = path.join(tmp, "test", "golden", "demo-changed.json");
    assert.equal(expectGolden("demo", { data: [{ x: [1, 2] }] }), "written");
    assert.ok(fs.existsSync(file));
    assert.equal(expectGolden("demo", { data: [{ x: [1, 2.0000001] }] }), "matched"); // below 6 digits
    assert.throws(() => expectGolden("demo", { data: [{ x: [1, 3] }] }), /demo-changed\.json/);
    assert.deepEqual(JSON.parse(fs.readFileSync(changed, "utf8")), { data: [{ x: [1, 3] }] });
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), { data: [{ x: [1, 2] }] }, "the golden is kept");
    assert.equal(expectGolden("demo", { data: [{ x: [1, 2] }] }), "matched");
    assert.ok(!fs.existsSync(changed), "a match removes the stale -changed file");
  });

  it("expectGolden(name, fig) rewrites the golden under UPDATE_GOLDEN=1", () => {
    expectGolden("demo", { a: 1 });
    process.env.UPDATE_GOLDEN = "1";
    assert.equal(expectGolden("demo", { a: 2 }), "updated");
    delete process.env.UPDATE_GOLDEN;
    assert.equal(expectGolden("demo", { a: 2 }), "matched");
  });
});
