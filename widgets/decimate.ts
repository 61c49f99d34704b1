/**
 * Min/max decimation of a sampled line (internal): the samples are cut into ⌊maxPoints / 2⌋
 * consecutive bins and each bin keeps its smallest and its largest sample, in their original
 * order. Unlike every-k-th sampling it keeps every extreme (spike peaks, resets), so the decimated
 * line looks the same at screen resolution.
 *
 * @example
 *   minMaxDecimate(new Float32Array([0, 5, 1, 1, -3, 2]), 4);   // Int32Array [0, 1, 4, 5]
 */

/** Indices (increasing) of at most `maxPoints` (≥ 2) samples of `values` that keep every bin's extremes. */
export function minMaxDecimate(values: ArrayLike<number>, maxPoints: number): Int32Array {
  const n = values.length;
  if (n <= maxPoints) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const bins = Math.max(1, Math.floor(maxPoints / 2));
  const out = new Int32Array(2 * bins);
  let m = 0;
  for (let b = 0; b < bins; b++) {
    const start = Math.floor((b * n) / bins);
    const end = Math.floor(((b + 1) * n) / bins);
    let iMin = start;
    let iMax = start;
    for (let i = start + 1; i < end; i++) {
      if (values[i]! < values[iMin]!) iMin = i;
      if (values[i]! > values[iMax]!) iMax = i;
    }
    if (iMin === iMax) out[m++] = iMin;
    else if (iMin < iMax) { out[m++] = iMin; out[m++] = iMax; }
    else { out[m++] = iMax; out[m++] = iMin; }
  }
  return out.slice(0, m);
}
