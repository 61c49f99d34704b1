/**
 * Difference-of-Gaussians (DoG) ON/OFF filtering, the retina/LGN-like input stage of Kheradpisheh
 * et al. (2018) (card E17), as reimplemented in SpykeTorch.
 *
 *   g_σ(x, y) = exp(−(x² + y²)/(2σ²)) / (2π σ²)
 *   DoG(σ₁, σ₂) = g_σ₁ − g_σ₂, then made zero-mean and scaled so that its largest entry is 1
 *
 * ON cells use DoG(σc, σs) with σc < σs (excitatory centre, inhibitory surround); OFF cells use
 * DoG(σs, σc), the negated ON kernel rescaled to a peak of 1 (SpykeTorch's `DoGKernel(7, 2, 1)`).
 * Filtering is then, per map:
 *   1. cross-correlation with zero padding;
 *   2. a threshold: responses below `threshold` become 0 (so negative responses always do);
 *   3. local normalisation: each response divided by the mean ("mean") or maximum ("max") of its
 *      map over a (2R + 1)² window, R = `normalizationRadius`. The mean counts padded zeros, as
 *      SpykeTorch's `local_normalization` (box filter over zero padding, + 1e−12) does.
 * Kheradpisheh's settings, and the defaults here: 7×7 kernels, σ 1 and 2, threshold 50 on grey
 * levels 0–255, mean normalisation with R = 8. SpykeTorch pads by 6 (28×28 → 34×34 maps); the
 * default here pads by ⌊size/2⌋, which keeps the image size.
 *
 * @example
 *   const image = { data: new Uint8Array(28 * 28).fill(0), width: 28, height: 28 };
 *   image.data[14 * 28 + 14] = 255;
 *   const { on, off, width, height } = dogFilter(image);   // two 28×28 Float32Array maps
 *   const k = dogKernel(7, 1, 2);                           // 7×7 ON kernel, sum 0, centre 1
 */
import { arrayLength, fail, integer, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";

/** A grey-level image, row-major: pixel (x, y) is `data[y·width + x]`. */
export interface GrayImage {
  readonly data: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
}

/** The ON and OFF response maps of `dogFilter`, row-major, `width × height` each. */
export interface DogMaps {
  readonly on: Float32Array;
  readonly off: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** How `dogFilter` normalises responses locally. */
export type DogNormalization = "mean" | "max" | "none";

const normalizations: readonly DogNormalization[] = ["mean", "max", "none"];

/** Options of `dogFilter`. */
export interface DogFilterOptions {
  /** Kernel side, an odd integer ≥ 1 (pixels). */
  readonly size: number;
  /** Centre standard deviation σc, pixels. */
  readonly sigmaCentre: number;
  /** Surround standard deviation σs, pixels; must differ from σc. */
  readonly sigmaSurround: number;
  /** Zero padding on each side, pixels; −1 means ⌊size/2⌋ (output as large as the input). */
  readonly padding: number;
  /** Responses below this become 0, in the image's grey-level units. */
  readonly threshold: number;
  /** Local normalisation applied after the threshold. */
  readonly normalization: DogNormalization;
  /** Radius R of the (2R + 1)² normalisation window, pixels. */
  readonly normalizationRadius: number;
}

/** Defaults of `dogFilter`: Kheradpisheh et al. (2018) via SpykeTorch's `KheradpishehDeep.py`. */
export const dogFilterDefaults: Readonly<DogFilterOptions> = Object.freeze({
  size: 7,
  sigmaCentre: 1,
  sigmaSurround: 2,
  padding: -1,
  threshold: 50,
  normalization: "mean",
  normalizationRadius: 8,
});

/**
 * A `size × size` DoG kernel (row-major Float32Array): g_σ1 − g_σ2 made zero-mean and scaled to a
 * maximum of 1. σ1 < σ2 gives an ON (centre-positive) kernel, σ1 > σ2 an OFF one. Pixels.
 */
export function dogKernel(size: number, sigma1: number, sigma2: number): Float32Array {
  const fn = "dogKernel";
  arrayLength(fn, "size", size, 1);
  if (size % 2 !== 1) fail(fn, "size", "be an odd integer >= 1", size);
  positive(fn, "sigma1", sigma1);
  positive(fn, "sigma2", sigma2);
  if (sigma1 === sigma2) fail(fn, "sigma2", `differ from sigma1 (${sigma1})`, sigma2);
  const half = (size - 1) / 2;
  const k = new Float64Array(size * size);
  let mean = 0;
  for (let y = -half; y <= half; y++) {
    for (let x = -half; x <= half; x++) {
      const r2 = x * x + y * y;
      const g1 = Math.exp(-r2 / (2 * sigma1 * sigma1)) / (sigma1 * sigma1);
      const g2 = Math.exp(-r2 / (2 * sigma2 * sigma2)) / (sigma2 * sigma2);
      const value = (g1 - g2) / (2 * Math.PI);
      k[(y + half) * size + x + half] = value;
      mean += value;
    }
  }
  mean /= k.length;
  let max = -Infinity;
  for (let i = 0; i < k.length; i++) {
    k[i] -= mean;
    if (k[i] > max) max = k[i];
  }
  if (!(max > 0)) fail(fn, "size", "be large enough for the kernel to have a positive entry", size);
  const out = new Float32Array(k.length);
  for (let i = 0; i < k.length; i++) out[i] = k[i] / max;
  return out;
}

/**
 * ON and OFF DoG maps of a grey-level image (see the file header for the three stages). The image
 * is not mutated; the maps are new Float32Arrays of (height + 2·padding − size + 1) ×
 * (width + 2·padding − size + 1).
 */
export function dogFilter(image: GrayImage, options?: Partial<DogFilterOptions>): DogMaps {
  const fn = "dogFilter";
  if (image === null || typeof image !== "object") fail(fn, "image", "be an object {data, width, height}", image);
  const width = integer(fn, "image.width", image.width, 1);
  const height = integer(fn, "image.height", image.height, 1);
  const data = image.data;
  if (data == null || data.length !== width * height) {
    fail(fn, "image.data", `have length width·height = ${width * height}`, data == null ? data : data.length);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) fail(fn, `image.data[${i}]`, "be a finite number", data[i]);
  }
  const o = mergeOptions(fn, dogFilterDefaults, options);
  const onKernel = dogKernel(o.size, o.sigmaCentre, o.sigmaSurround);
  const offKernel = dogKernel(o.size, o.sigmaSurround, o.sigmaCentre);
  const padding = o.padding === -1 ? (o.size - 1) / 2 : integer(fn, "padding", o.padding, 0);
  const threshold = nonNegative(fn, "threshold", o.threshold);
  const normalization = oneOf(fn, "normalization", o.normalization, normalizations);
  const radius = integer(fn, "normalizationRadius", o.normalizationRadius, 0);
  const outWidth = width + 2 * padding - o.size + 1;
  const outHeight = height + 2 * padding - o.size + 1;
  if (outWidth < 1 || outHeight < 1) fail(fn, "size", `fit the padded image (${width}×${height} + ${padding})`, o.size);
  const maps = [onKernel, offKernel].map((kernel) => {
    const map = correlate(data, width, height, kernel, o.size, padding, outWidth, outHeight);
    for (let i = 0; i < map.length; i++) if (map[i] < threshold) map[i] = 0;
    if (normalization === "mean") normalizeByLocalMean(map, outWidth, outHeight, radius);
    else if (normalization === "max") normalizeByLocalMax(map, outWidth, outHeight, radius);
    return map;
  });
  return Object.freeze({ on: maps[0], off: maps[1], width: outWidth, height: outHeight });
}

function correlate(
  data: ArrayLike<number>, width: number, height: number, kernel: Float32Array, size: number,
  padding: number, outWidth: number, outHeight: number,
): Float32Array {
  // Scattered from the non-zero pixels (most of a digit is background): each output receives its
  // terms in the same order (pixel rows, then columns) as the direct sum over the kernel, and zero
  // terms change no sum, so the result is the same to the bit.
  const acc = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x];
      if (v === 0) continue;
      const oy0 = Math.max(0, y + padding - size + 1);
      const oy1 = Math.min(outHeight - 1, y + padding);
      const ox0 = Math.max(0, x + padding - size + 1);
      const ox1 = Math.min(outWidth - 1, x + padding);
      for (let oy = oy0; oy <= oy1; oy++) {
        const kRow = (y + padding - oy) * size + padding + x;
        const row = oy * outWidth;
        for (let ox = ox0; ox <= ox1; ox++) acc[row + ox] += v * kernel[kRow - ox];
      }
    }
  }
  return Float32Array.from(acc);
}

/** Divides each value by the mean of the (2R+1)² window around it (zeros outside the map), in place. */
function normalizeByLocalMean(map: Float32Array, width: number, height: number, radius: number): void {
  // Summed-area table: O(1) per window instead of O(R²).
  const stride = width + 1;
  const table = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += map[y * width + x];
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + row;
    }
  }
  const area = (2 * radius + 1) ** 2;
  const source = Float32Array.from(map);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const sum = table[y1 * stride + x1] - table[y0 * stride + x1] - table[y1 * stride + x0] + table[y0 * stride + x0];
      map[y * width + x] = source[y * width + x] / (sum / area + 1e-12);
    }
  }
}

/** Divides each value by the maximum of the (2R+1)² window around it (inside the map), in place. */
function normalizeByLocalMax(map: Float32Array, width: number, height: number, radius: number): void {
  const source = Float32Array.from(map);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      let max = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) if (source[yy * width + xx] > max) max = source[yy * width + xx];
      }
      map[y * width + x] = source[y * width + x] / (max + 1e-12);
    }
  }
}
