/**
 * safetensors (https://huggingface.co/docs/safetensors): named tensors in one file that Python
 * (`safetensors`, or a dozen lines of numpy) and Rust read directly. The layout is an 8-byte
 * little-endian header length, a JSON header
 * `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}`
 * padded with spaces to a multiple of 8 bytes, then the tensors' little-endian bytes, back to back.
 *
 * We write it ourselves: the npm packages that read it are parts of model runtimes (transformers.js)
 * or unmaintained 0.0.x releases, and the format is the few lines below. Files are written the same
 * way every time (names sorted, metadata keys sorted), so equal tensors give equal bytes.
 */
import { fail } from "../core/validate";

/** The element types we read and write, with their typed arrays. */
export type SafetensorsDtype = "F64" | "F32" | "I32" | "U8";

export type SafetensorsData = Float64Array | Float32Array | Int32Array | Uint8Array;

/** One named tensor: its element type, its shape (row-major) and its elements. */
export interface StoredTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: SafetensorsData;
}

/** The tensors of a file by name, and its string metadata. */
export interface SafetensorsFile {
  readonly tensors: Readonly<Record<string, StoredTensor>>;
  readonly metadata: Readonly<Record<string, string>>;
}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, I32: 4, U8: 1 };

/** The dtype of a typed array. */
export function dtypeOf(data: SafetensorsData): SafetensorsDtype {
  if (data instanceof Float64Array) return "F64";
  if (data instanceof Float32Array) return "F32";
  if (data instanceof Int32Array) return "I32";
  return "U8";
}

/**
 * A stored tensor from a typed array (shape: one axis unless given); the data is not copied.
 * @example
 *   tensor(weights, [784, 100])   // { dtype: "F32", shape: [784, 100], data: weights }
 */
export function tensor(data: SafetensorsData, shape?: readonly number[]): StoredTensor {
  const fn = "tensor";
  if (!(data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array || data instanceof Uint8Array)) {
    fail(fn, "data", "be a Float64Array, Float32Array, Int32Array or Uint8Array", data);
  }
  const dims = shape ?? [data.length];
  if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d >= 0)) fail(fn, "shape", "be a list of integers ≥ 0", shape);
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) fail(fn, "shape", `hold data.length = ${data.length} elements`, `[${dims.join(", ")}] (${size})`);
  return { dtype: dtypeOf(data), shape: [...dims], data };
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesOf(data: SafetensorsData): Uint8Array {
  if (!littleEndian) throw new Error("safetensors: big-endian hosts are not supported");
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Encodes tensors and string metadata as safetensors bytes.
 * @example
 *   fs.writeFileSync("net.safetensors", encodeSafetensors({ w: tensor(w, [784, 10]) }, { epochs: "3" }));
 */
export function encodeSafetensors(tensors: Readonly<Record<string, StoredTensor>>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const fn = "encodeSafetensors";
  if (tensors === null || typeof tensors !== "object") fail(fn, "tensors", "be an object of named tensors", tensors);
  if (metadata === null || typeof metadata !== "object") fail(fn, "metadata", "be an object of strings", metadata);
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  const meta: Record<string, string> = {};
  for (const key of Object.keys(metadata).sort()) {
    if (typeof metadata[key] !== "string") fail(fn, `metadata.${key}`, "be a string", metadata[key]);
    meta[key] = metadata[key]!;
  }
  if (Object.keys(meta).length > 0) header.__metadata__ = meta;
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__" || name.length === 0) fail(fn, "tensors", "have names other than '' and '__metadata__'", name);
    const t = tensors[name]!;
    const checked = tensor(t?.data, t?.shape);
    if (t.dtype !== checked.dtype) fail(fn, `tensors.${name}.dtype`, `match its data (${checked.dtype})`, t.dtype);
    header[name] = { dtype: checked.dtype, shape: checked.shape, data_offsets: [offset, offset + checked.data.byteLength] };
    offset += checked.data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const name of names) {
    const b = bytesOf(tensors[name]!.data);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/**
 * Reads safetensors bytes (F64, F32, I32 and U8 tensors; the data is copied). A file that is not
 * safetensors, is cut short, or holds another dtype gets one error naming what is wrong.
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  const fn = "decodeSafetensors";
  if (!(bytes instanceof Uint8Array)) fail(fn, "bytes", "be a Uint8Array", bytes);
  if (bytes.length < 8) fail(fn, "bytes", "hold at least the 8-byte header length of a safetensors file", `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(bytes.length - 8)) fail(fn, "bytes", `hold the header length it announces (${length} bytes; not a safetensors file, or cut short)`, `${bytes.length} bytes`);
  const headerLength = Number(length);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    fail(fn, "bytes", "start with a safetensors JSON header", "bytes that are not JSON");
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) fail(fn, "header", "be a JSON object", header);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors: Record<string, StoredTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (entry === null || typeof entry !== "object" || !Object.values(entry).every((v) => typeof v === "string")) fail(fn, "__metadata__", "be an object of strings", entry);
      metadata = { ...(entry as Record<string, string>) };
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e?.dtype !== "string" || !(e.dtype in BYTES)) fail(fn, `${name}.dtype`, "be one of F64, F32, I32, U8", e?.dtype);
    const dtype = e.dtype as SafetensorsDtype;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) fail(fn, `${name}.shape`, "be a list of integers ≥ 0", e.shape);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1] || offsets[1] > dataLength) {
      fail(fn, `${name}.data_offsets`, `be [begin, end] within the ${dataLength} data bytes`, offsets);
    }
    const shape = e.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const [begin, end] = offsets as [number, number];
    if (end - begin !== size * BYTES[dtype]) fail(fn, `${name}.data_offsets`, `span ${size * BYTES[dtype]} bytes (shape [${shape.join(", ")}] of ${dtype})`, end - begin);
    const raw = bytes.slice(dataStart + begin, dataStart + end);
    if (!littleEndian) throw new Error("safetensors: big-endian hosts are not supported");
    const data = dtype === "F64" ? new Float64Array(raw.buffer) : dtype === "F32" ? new Float32Array(raw.buffer) : dtype === "I32" ? new Int32Array(raw.buffer) : raw;
    tensors[name] = { dtype, shape, data };
  }
  return { tensors, metadata };
}
