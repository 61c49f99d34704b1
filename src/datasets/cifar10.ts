/**
 * CIFAR-10 from its binary distribution (`cifar-10-batches-bin/`: `data_batch_1.bin` …
 * `data_batch_5.bin` for training, `test_batch.bin` for testing; each record is one label byte
 * and 3 072 pixel bytes, the 1 024 red, then green, then blue values of a 32 × 32 image, rows
 * first). CIFAR-10 is not on these machines and is never downloaded: a user who has it passes its
 * folder. `ImageDataset` holds one channel, so the images are read as luma (ITU-R BT.601:
 * 0.299 R + 0.587 G + 0.114 B, rounded), which is what single-channel networks such as notebook
 * 18's autoencoder take; the colour is dropped, and the loader says so in the data set's name.
 *
 * @example
 *   const train = loadCifar10({ dir: "/data/cifar-10-batches-bin", split: "train" });
 *   train.count;   // 50000
 *   train.rows;    // 32
 */
import fs from "node:fs";
import path from "node:path";
import { fail, mergeOptions, oneOf } from "../core/validate";
import { DataFileError } from "./data-file-error";
import type { ImageDataset } from "./image-dataset";

/** Options of `loadCifar10`. */
export interface LoadCifar10Options {
  /** The folder holding the binary batches (`cifar-10-batches-bin`). Required. */
  readonly dir: string;
  /** "train" (the five data batches, 50 000 images) or "test" (10 000). Default "train". */
  readonly split: "train" | "test";
}

const RECORD = 1 + 3 * 1024;
const LABEL_NAMES = Object.freeze(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]);

/** CIFAR-10's class names, by label. */
export const cifar10Classes: readonly string[] = LABEL_NAMES;

/** The batch files of a split. */
export function cifar10Files(split: "train" | "test"): string[] {
  return split === "train" ? [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`) : ["test_batch.bin"];
}

/** Whether `dir` holds every batch file of `split`. */
export function cifar10Available(dir: string, split: "train" | "test" = "train"): boolean {
  return typeof dir === "string" && dir !== "" && cifar10Files(split).every((f) => fs.existsSync(path.join(dir, f)));
}

/** Reads a split of CIFAR-10 (binary version) from `dir` as a 32 × 32 single-channel (luma) `ImageDataset`. */
export function loadCifar10(options: Partial<LoadCifar10Options> & Pick<LoadCifar10Options, "dir">): ImageDataset {
  const fn = "loadCifar10";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {dir, split}", options);
  const o = mergeOptions(fn, { dir: "", split: "train" as const }, options);
  if (typeof o.dir !== "string" || o.dir === "") fail(fn, "dir", "be the path of the folder holding CIFAR-10's binary batches (cifar-10-batches-bin)", o.dir);
  const split = oneOf(fn, "split", o.split, ["train", "test"] as const);
  const dir = path.resolve(o.dir);
  const files = cifar10Files(split).map((f) => path.join(dir, f));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new DataFileError(fn, `directory ${dir}`, `hold CIFAR-10's binary batches (${cifar10Files(split).join(", ")}; the "binary version" from the CIFAR-10 page)`, `no ${missing.map((f) => path.basename(f)).join(", ")}`, [dir]);
  }
  const chunks = files.map((f) => {
    const bytes = fs.readFileSync(f);
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new DataFileError(fn, `file ${f}`, `hold whole records of ${RECORD} bytes (a label and 3 072 pixels)`, `${bytes.length} bytes`, [f]);
    }
    return bytes;
  });
  const count = chunks.reduce((a, b) => a + b.length / RECORD, 0);
  const images = new Uint8Array(count * 1024);
  const labels = new Uint8Array(count);
  let k = 0;
  for (const [c, bytes] of chunks.entries()) {
    for (let r = 0; r < bytes.length; r += RECORD, k++) {
      const label = bytes[r]!;
      if (label > 9) throw new DataFileError(fn, `file ${files[c]}`, "hold labels 0–9", `label ${label} in record ${r / RECORD}`, [files[c]!]);
      labels[k] = label;
      const red = r + 1;
      const out = k * 1024;
      for (let p = 0; p < 1024; p++) {
        images[out + p] = Math.round(0.299 * bytes[red + p]! + 0.587 * bytes[red + 1024 + p]! + 0.114 * bytes[red + 2048 + p]!);
      }
    }
  }
  return { name: "cifar10-luma", split, count, rows: 32, cols: 32, images, labels };
}
