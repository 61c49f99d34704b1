/**
 * Noisy copies of image data sets, for robustness tables (notebook 16, Tavanaei & Maida's noisy
 * MNIST): additive white Gaussian noise and salt-and-pepper (impulse) noise, seeded.
 *
 *   "gaussian":    p' = clip(p + 255·N(0, level²), 0, 255), rounded    (level: σ as a fraction of full scale)
 *   "saltPepper":  each pixel, with probability level, becomes 0 or 255 (even odds)   (level: density)
 */
import { checkRng, type Rng } from "../core/random";
import { fail, inRange, oneOf } from "../core/validate";
import { checkImageDataset, makeImageDataset, type ImageDataset } from "./image-dataset";

/** The kinds of `addImageNoise`. */
export type ImageNoiseKind = "gaussian" | "saltPepper";
const kinds: readonly ImageNoiseKind[] = ["gaussian", "saltPepper"];

/**
 * A copy of `data` with noise of `kind` and `level` (file header); same name, split and labels.
 * @example
 *   const noisy = addImageNoise(validation, { kind: "saltPepper", level: 0.1, rng: createRng(1) });
 */
export function addImageNoise(data: ImageDataset, options: { readonly kind: ImageNoiseKind; readonly level: number; readonly rng: Rng }): ImageDataset {
  const fn = "addImageNoise";
  const d = checkImageDataset(fn, "data", data);
  if (options === null || typeof options !== "object") fail(fn, "options", "be { kind, level, rng }", options);
  const kind = oneOf(fn, "kind", options.kind, kinds);
  const level = inRange(fn, "level", options.level, 0, kind === "saltPepper" ? 1 : 10);
  const rng = checkRng(fn, "rng", options.rng);
  const images = new Uint8Array(d.images.length);
  for (let i = 0; i < images.length; i++) {
    const p = d.images[i];
    if (kind === "gaussian") {
      const v = Math.round(p + 255 * rng.normal(0, level));
      images[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    } else images[i] = rng.next() < level ? (rng.next() < 0.5 ? 0 : 255) : p;
  }
  return makeImageDataset({ ...d, images, labels: d.labels.slice() });
}
