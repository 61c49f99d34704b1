/**
 * Two-channel signed rate coding (Shrestha et al. 2017, the spiking LSTM on TrueNorth; card E21):
 * a real value is carried by a positive and a negative channel, as ON/OFF cells carry contrast.
 *
 *   r⁺ᵢ = rMax · max(xᵢ, 0)/s        r⁻ᵢ = rMax · max(−xᵢ, 0)/s          |xᵢ| ≤ s
 *   x̂ᵢ = s · (c⁺ᵢ − c⁻ᵢ) / (rMax · T)                                    (decoding counts c over T ms)
 *
 * Channels are laid out as [r⁺₀ … r⁺ₙ₋₁, r⁻₀ … r⁻ₙ₋₁] (2n rates), ready for `poissonStep` or
 * `regularStep`. With regular (deterministic) spiking each count is within one spike of r·T, so
 * |x̂ − x| ≤ s/(rMax·T); with Poisson spiking the error is random, of order s·√(|x|/s)/√(rMax·T).
 *
 * @example
 *   const rates = signedRates(new Float32Array([0.5, -0.25]), { maxRate: 200 * Hz });
 *   // Float32Array [0.1, 0, 0, 0.05]  (1/ms): channel 0⁺ at 100 Hz, channel 1⁻ at 50 Hz
 *   signedDecode(new Int32Array([10, 0, 0, 5]), { maxRate: 200 * Hz, duration: 100 * ms });
 *   // Float32Array [0.5, -0.25]
 */
import { fail, lengthIs, mergeOptions, positive } from "../core/validate";

/** Options of `signedRates`. */
export interface SignedRatesOptions {
  /** Rate of a channel at |x| = scale, 1/ms. */
  readonly maxRate: number;
  /** Magnitude s of x that maps to maxRate (same unit as x); |x| must not exceed it. */
  readonly scale: number;
}

/** Options of `signedDecode`. */
export interface SignedDecodeOptions extends SignedRatesOptions {
  /** Counting window T over which the counts were taken, ms. */
  readonly duration: number;
}

/** Defaults of `signedRates`: maxRate must be given; scale 1. */
export const signedRatesDefaults: Readonly<SignedRatesOptions> = Object.freeze({ maxRate: NaN, scale: 1 });

/** Defaults of `signedDecode`: maxRate and duration must be given; scale 1. */
export const signedDecodeDefaults: Readonly<SignedDecodeOptions> = Object.freeze({ maxRate: NaN, scale: 1, duration: NaN });

/**
 * Rates (1/ms) of the 2n channels coding the n values `x` (layout in the file header). `x` is not
 * mutated; the rates go into `out` (length 2n, in place) when given, else into a new Float32Array.
 */
export function signedRates(
  x: ArrayLike<number>, options: Partial<SignedRatesOptions> & { maxRate: number }, out?: Float32Array,
): Float32Array {
  const fn = "signedRates";
  const o = mergeOptions(fn, signedRatesDefaults, options);
  const maxRate = positive(fn, "maxRate", o.maxRate);
  const scale = positive(fn, "scale", o.scale);
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!(Math.abs(v) <= scale)) fail(fn, `x[${i}]`, `be a finite number in [-${scale}, ${scale}]`, v);
  }
  const rates = out ?? new Float32Array(2 * n);
  lengthIs(fn, "out", rates, 2 * n);
  const gain = maxRate / scale;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    rates[i] = v > 0 ? gain * v : 0;
    rates[n + i] = v < 0 ? -gain * v : 0;
  }
  return rates;
}

/**
 * Recovers the n values from the spike counts of the 2n channels over `duration` ms:
 * x̂ᵢ = s·(c⁺ᵢ − c⁻ᵢ)/(rMax·T). `counts` are not mutated; the values go into `out` (length n, in
 * place) when given, else into a new Float32Array.
 */
export function signedDecode(
  counts: ArrayLike<number>, options: Partial<SignedDecodeOptions> & { maxRate: number; duration: number },
  out?: Float32Array,
): Float32Array {
  const fn = "signedDecode";
  const o = mergeOptions(fn, signedDecodeDefaults, options);
  const maxRate = positive(fn, "maxRate", o.maxRate);
  const scale = positive(fn, "scale", o.scale);
  const duration = positive(fn, "duration", o.duration);
  if (counts == null || counts.length % 2 !== 0) {
    fail(fn, "counts", "have an even length (positive then negative channels)", counts == null ? counts : counts.length);
  }
  for (let i = 0; i < counts.length; i++) {
    if (!(counts[i] >= 0) || counts[i] === Infinity) fail(fn, `counts[${i}]`, "be a finite number >= 0", counts[i]);
  }
  const n = counts.length / 2;
  const values = out ?? new Float32Array(n);
  lengthIs(fn, "out", values, n);
  const gain = scale / (maxRate * duration);
  for (let i = 0; i < n; i++) values[i] = gain * (counts[i] - counts[n + i]);
  return values;
}
