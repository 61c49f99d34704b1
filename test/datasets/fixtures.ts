/**
 * Test fixtures for the data-set tests: an independent IDX encoder (the oracle the reader is
 * checked against), temporary folders that are removed afterwards, and small synthetic data sets.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { makeImageDataset, type ImageDataset } from "../../src/datasets/image-dataset";

/** IDX type codes and element sizes, written out again here rather than imported from the reader. */
export const typeCodes = {
  uint8: [0x08, 1],
  int8: [0x09, 1],
  int16: [0x0b, 2],
  int32: [0x0c, 4],
  float32: [0x0d, 4],
  float64: [0x0e, 8],
} as const;

export type FixtureDtype = keyof typeof typeCodes;

/** Encodes `values` as an IDX file of `dtype` and `shape`, big-endian, with a DataView. */
export function encodeIdx(dtype: FixtureDtype, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  const [code, size] = typeCodes[dtype];
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + size * values.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = code;
  bytes[3] = shape.length;
  shape.forEach((n, d) => view.setUint32(4 + 4 * d, n, false));
  for (let i = 0; i < values.length; i++) {
    const at = header + size * i;
    const v = values[i]!;
    if (dtype === "uint8") view.setUint8(at, v);
    else if (dtype === "int8") view.setInt8(at, v);
    else if (dtype === "int16") view.setInt16(at, v, false);
    else if (dtype === "int32") view.setInt32(at, v, false);
    else if (dtype === "float32") view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return bytes;
}

/** Gzip-compressed bytes. */
export function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes);
}

/** A new, empty temporary folder under os.tmpdir(). */
export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-datasets-"));
}

/** Removes a folder made by `makeTempDir`, with everything in it. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `bytes` to `dir/name` and returns the absolute path. */
export function writeFile(dir: string, name: string, bytes: Uint8Array): string {
  const file = path.resolve(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

/**
 * Pixels of a synthetic image set: image i's pixel p is (i · 7 + p · 3) mod 256, so every image
 * differs from its neighbours and the values cover 0 … 255 for enough images.
 */
export function syntheticPixels(count: number, rows: number, cols: number): Uint8Array {
  const pixels = new Uint8Array(count * rows * cols);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < rows * cols; p++) pixels[i * rows * cols + p] = (i * 7 + p * 3) % 256;
  }
  return pixels;
}

/**
 * Writes IDX image and label files for one split in `dir` (names as in MNIST, `.gz` when
 * `gzipped`) and returns the pixels and labels written.
 */
export function writeImageSet(
  dir: string,
  options: { split?: "train" | "test"; labels: readonly number[]; rows?: number; cols?: number; gzipped?: boolean },
): { images: Uint8Array; labels: Uint8Array; imagesFile: string; labelsFile: string } {
  const { split = "train", rows = 4, cols = 3, gzipped = false } = options;
  const prefix = split === "train" ? "train" : "t10k";
  const suffix = gzipped ? ".gz" : "";
  const count = options.labels.length;
  const images = syntheticPixels(count, rows, cols);
  const labels = Uint8Array.from(options.labels);
  const imagesBytes = encodeIdx("uint8", [count, rows, cols], images);
  const labelsBytes = encodeIdx("uint8", [count], labels);
  const imagesFile = writeFile(dir, `${prefix}-images-idx3-ubyte${suffix}`, gzipped ? gzip(imagesBytes) : imagesBytes);
  const labelsFile = writeFile(dir, `${prefix}-labels-idx1-ubyte${suffix}`, gzipped ? gzip(labelsBytes) : labelsBytes);
  return { images, labels, imagesFile, labelsFile };
}

/**
 * A synthetic in-memory data set whose image i holds the index i in its first three pixels
 * (little-endian base 256), so a test can recover which original sample each image came from.
 */
export function indexedDataset(labels: readonly number[], rows = 2, cols = 2): ImageDataset {
  const count = labels.length;
  const images = new Uint8Array(count * rows * cols);
  for (let i = 0; i < count; i++) {
    const at = i * rows * cols;
    images[at] = i & 0xff;
    images[at + 1] = (i >> 8) & 0xff;
    images[at + 2] = (i >> 16) & 0xff;
  }
  return makeImageDataset({ name: "synthetic", split: "train", count, rows, cols, images, labels: Uint8Array.from(labels) });
}

/** The original index encoded in image `k` of a data set derived from `indexedDataset`. */
export function originalIndex(dataset: ImageDataset, k: number): number {
  const at = k * dataset.rows * dataset.cols;
  return dataset.images[at]! + (dataset.images[at + 1]! << 8) + (dataset.images[at + 2]! << 16);
}
