/**
 * Orientation selectivity of a receptive field from its Fourier energy: how much of a filter's
 * spatial-frequency energy lies along one orientation. It tells oriented, V1-like filters (Gabors,
 * edges, bars) from isotropic ones (blobs, centre–surround) and from noise.
 *
 * For a filter f of `rows × cols` pixels, its mean removed, with 2-D discrete Fourier transform
 * F(k) and energy E(k) = |F(k)|² at the frequencies k = (k_x, k_y) ≠ 0 (k_x in cycles per `cols`,
 * k_y in cycles per `rows`, both folded into [−n/2, n/2)), each at angle θ_k = atan2(k_y, k_x),
 *
 *   OSI = | Σ_k E(k) · e^{2iθ_k} | / Σ_k E(k)                 0 ≤ OSI ≤ 1
 *
 * the length of the mean doubled-angle vector (orientation is defined modulo π, hence 2θ). A
 * grating along an axis has all its energy at ±k₀ and OSI = 1; a filter whose energy is the same
 * under quarter turns and reflections (a centred Gaussian blob, a difference of Gaussians) has
 * OSI = 0 exactly; white noise gives about 1/√(number of frequencies). `orientation` is the
 * preferred orientation of the Fourier energy, ½·arg(Σ E e^{2iθ}), in radians (the orientation of
 * the stripes' *normal*: a vertical grating has 0).
 *
 * @example
 *   const grating = Float32Array.from({ length: 64 }, (_, k) => Math.cos((2 * Math.PI * 2 * (k % 8)) / 8));
 *   orientationSelectivity(grating, { rows: 8, cols: 8 }).index;   // 1
 */
import { arrayLike, allFinite, fail, integer } from "../core/validate";

/** Shape of the filter(s) given to `orientationSelectivity`. */
export interface FilterShape {
  /** Pixel rows of a filter. */
  readonly rows: number;
  /** Pixel columns of a filter. */
  readonly cols: number;
}

/** What `orientationSelectivity` returns for one filter (file header). */
export interface OrientationSelectivity {
  /** OSI in [0, 1]; 0 for a constant filter (no energy). */
  readonly index: number;
  /** Preferred orientation of the Fourier energy, radians in (−π/2, π/2]. */
  readonly orientation: number;
}

/** OSI and preferred orientation of one filter of `rows × cols` pixels (file header); `filter` is read only. */
export function orientationSelectivity(filter: ArrayLike<number>, shape: FilterShape): OrientationSelectivity {
  const fn = "orientationSelectivity";
  arrayLike(fn, "filter", filter);
  if (shape === null || typeof shape !== "object") fail(fn, "shape", "be {rows, cols}", shape);
  const rows = integer(fn, "rows", shape.rows, 2);
  const cols = integer(fn, "cols", shape.cols, 2);
  if (filter.length !== rows * cols) fail(fn, "filter", `have rows·cols = ${rows * cols} values`, filter.length);
  allFinite(fn, "filter", filter);
  return selectivity(filter, 0, rows, cols);
}

/**
 * The OSI of every filter in `filters` (`count` filters of rows·cols values each, back to back),
 * e.g. the rows of a [hidden][pixels] weight matrix.
 */
export function orientationSelectivities(filters: ArrayLike<number>, shape: FilterShape): Float64Array {
  const fn = "orientationSelectivities";
  arrayLike(fn, "filters", filters);
  if (shape === null || typeof shape !== "object") fail(fn, "shape", "be {rows, cols}", shape);
  const rows = integer(fn, "rows", shape.rows, 2);
  const cols = integer(fn, "cols", shape.cols, 2);
  const n = rows * cols;
  if (filters.length === 0 || filters.length % n !== 0) fail(fn, "filters", `have a positive multiple of rows·cols = ${n} values`, filters.length);
  allFinite(fn, "filters", filters);
  const out = new Float64Array(filters.length / n);
  for (let k = 0; k < out.length; k++) out[k] = selectivity(filters, k * n, rows, cols).index;
  return out;
}

function selectivity(f: ArrayLike<number>, offset: number, rows: number, cols: number): OrientationSelectivity {
  const n = rows * cols;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += f[offset + k]!;
  mean /= n;
  let total = 0;
  let re2 = 0;
  let im2 = 0;
  // Direct DFT: filters are small (8 × 8 to 28 × 28), so O(n²) is cheaper than an FFT's bookkeeping.
  for (let u = 0; u < rows; u++) {
    const ky = u < rows / 2 ? u : u - rows;
    for (let v = 0; v < cols; v++) {
      const kx = v < cols / 2 ? v : v - cols;
      if (kx === 0 && ky === 0) continue;
      let re = 0;
      let im = 0;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const phase = -2 * Math.PI * ((u * r) / rows + (v * c) / cols);
          const x = f[offset + r * cols + c]! - mean;
          re += x * Math.cos(phase);
          im += x * Math.sin(phase);
        }
      }
      const e = re * re + im * im;
      const theta = Math.atan2(ky / rows, kx / cols);
      total += e;
      re2 += e * Math.cos(2 * theta);
      im2 += e * Math.sin(2 * theta);
    }
  }
  if (!(total > 0)) return { index: 0, orientation: 0 };
  return { index: Math.min(1, Math.hypot(re2, im2) / total), orientation: Math.atan2(im2, re2) / 2 };
}
