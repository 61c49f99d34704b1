/**
 * Natural photographs as grey-scale images, read from local PNG files (decoded by `pngjs`). The
 * default source is the sample photographs that scikit-image ships in its data folder (Debian
 * package `python3-skimage`, installed by `.ci/run`): the camera man, the astronaut, the cat
 * Chelsea, a cup of coffee, a motorcycle, and the textures grass, gravel and brick. Nothing is
 * downloaded. Colour images become grey by the Rec. 601 luma weights 0.299 R + 0.587 G + 0.114 B;
 * intensities are scaled to [0, 1].
 *
 * @example
 *   if (naturalImagesAvailable()) {
 *     const images = loadNaturalImages();          // the eight default photographs
 *     images[0].width;                             // 512 (camera.png)
 *   }
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { fail } from "../core/validate";
import { DataFileError } from "./data-file-error";

/** A grey-scale image: `data[r · width + c]` in [0, 1], row-major. */
export interface NaturalImage {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** Where Debian's `python3-skimage` keeps its sample images. */
export const skimageDataDir = "/usr/lib/python3/dist-packages/skimage/data";

/** The photographs of natural scenes and textures used by default (files `<name>.png` in `skimageDataDir`). */
export const naturalImageNames: readonly string[] = Object.freeze([
  "camera", "astronaut", "chelsea", "coffee", "motorcycle_left", "grass", "gravel", "brick",
]);

/** Options of `loadNaturalImages`. */
export interface LoadNaturalImagesOptions {
  /** Folder of the PNG files. Default `skimageDataDir`. */
  readonly dir: string;
  /** File names without `.png`. Default `naturalImageNames`. */
  readonly names: readonly string[];
}

/** True when every default photograph is present (the notebook falls back to MNIST otherwise). */
export function naturalImagesAvailable(dir: string = skimageDataDir): boolean {
  if (typeof dir !== "string" || dir.length === 0) fail("naturalImagesAvailable", "dir", "be a folder path", dir);
  return naturalImageNames.every((n) => existsSync(join(dir, `${n}.png`)));
}

/**
 * Decodes one PNG file into a grey image (file header). A missing or corrupt file throws a
 * `DataFileError` naming it.
 */
export function readGrayPng(file: string): NaturalImage {
  const fn = "readGrayPng";
  if (typeof file !== "string" || file.length === 0) fail(fn, "file", "be a path to a PNG file", file);
  if (!existsSync(file)) throw new DataFileError(fn, `file ${file}`, "exist (install the Debian package python3-skimage for the default photographs)", "no such file", [file]);
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(file));
  } catch (error) {
    throw new DataFileError(fn, `file ${file}`, "be a PNG image", String((error as Error).message), [file]);
  }
  // pngjs always hands back 8-bit RGBA, whatever the file's colour type and depth.
  const { width, height, data } = png;
  const pixels = new Float32Array(width * height);
  for (let k = 0; k < pixels.length; k++) {
    pixels[k] = (0.299 * data[4 * k]! + 0.587 * data[4 * k + 1]! + 0.114 * data[4 * k + 2]!) / 255;
  }
  const base = file.split("/").pop()!.replace(/\.png$/i, "");
  return Object.freeze({ name: base, width, height, data: pixels });
}

/** Reads the photographs (file header); every file is checked to exist before any is decoded. */
export function loadNaturalImages(options: Partial<LoadNaturalImagesOptions> = {}): NaturalImage[] {
  const fn = "loadNaturalImages";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object", options);
  for (const key of Object.keys(options)) if (key !== "dir" && key !== "names") fail(fn, "options", "have only the keys dir, names", key);
  const dir = options.dir ?? skimageDataDir;
  const names = options.names ?? naturalImageNames;
  if (typeof dir !== "string") fail(fn, "dir", "be a folder path", dir);
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== "string" || n.length === 0)) {
    fail(fn, "names", "be a non-empty list of file names", names);
  }
  const files = names.map((n) => join(dir, `${n}.png`));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new DataFileError(fn, `files ${missing.join(", ")}`, "exist (install the Debian package python3-skimage)", "missing files", missing);
  }
  return files.map((f) => readGrayPng(f));
}
