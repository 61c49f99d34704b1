/**
 * Rhythms in population activity: the binned population rate of a spike train and its power
 * spectrum (periodogram of the mean-removed, Hann-windowed signal, by a plain DFT — exact for any
 * length; signals here are ≤ 10⁴ bins), optionally averaged over half-overlapping segments
 * (Welch's method), which trades frequency resolution for a spectrum whose peaks can be trusted: a
 * single periodogram's values scatter by a factor of a few around the true spectrum at every
 * frequency, so its largest value in a band is not evidence of a rhythm.
 *
 * @example
 *   const rate = binnedRate(train, { binWidth: 1 });          // Hz per neuron, one value per ms
 *   const spectrum = powerSpectrum(rate, { binWidth: 1 });    // frequency (Hz), power
 *   peakFrequency(spectrum, [30, 80]);                         // the largest power in the gamma band
 *   spectralPeak(powerSpectrum(rate, { binWidth: 1, segment: 1000 }), [30, 80]); // a true peak, or null
 */
import { arrayLike, fail, positive } from "../core/validate";
import { checkSpikeTrain, type SpikeTrain } from "../encoders/spike-train";

/** Population rate in bins of `binWidth` ms, Hz per neuron (over `ids` if given, else all). */
export function binnedRate(train: SpikeTrain, options: { binWidth: number; ids?: readonly [number, number] }): Float64Array {
  const fn = "binnedRate";
  checkSpikeTrain(fn, train);
  checkOptions(fn, options);
  const width = positive(fn, "binWidth", options.binWidth);
  const [lo, hi] = options.ids ?? [0, train.size];
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && hi <= train.size && lo < hi)) {
    fail(fn, "ids", `be a range [lo, hi) within [0, ${train.size}]`, options.ids);
  }
  const bins = Math.max(1, Math.ceil(train.duration / width - 1e-9));
  const out = new Float64Array(bins);
  for (let s = 0; s < train.times.length; s++) {
    const id = train.ids[s]!;
    if (id < lo || id >= hi) continue;
    out[Math.min(bins - 1, Math.floor(train.times[s]! / width))]! += 1;
  }
  const scale = 1000 / (width * (hi - lo));
  for (let b = 0; b < bins; b++) out[b]! *= scale;
  return out;
}

/** A one-sided power spectrum. */
export interface PowerSpectrum {
  /** Frequencies, Hz (0 … Nyquist). */
  readonly frequency: Float64Array;
  /** Power at each frequency (arbitrary units, comparable within one spectrum). */
  readonly power: Float64Array;
}

/**
 * Power spectrum of `signal` sampled every `binWidth` ms: the periodogram of the mean-removed,
 * Hann-windowed signal, or with `segment` (samples), the mean of the periodograms of segments of
 * that length overlapping by half (Welch), each with its own mean removed.
 */
export function powerSpectrum(signal: ArrayLike<number>, options: { binWidth: number; segment?: number }): PowerSpectrum {
  const fn = "powerSpectrum";
  arrayLike(fn, "signal", signal);
  checkOptions(fn, options);
  const width = positive(fn, "binWidth", options.binWidth);
  if (options.segment !== undefined) {
    const m = options.segment;
    if (!(Number.isInteger(m) && m >= 4 && m <= signal.length)) fail(fn, "segment", `be an integer in [4, ${signal.length}] (the signal's length)`, m);
    const step = Math.max(1, Math.floor(m / 2));
    let sum: Float64Array | undefined;
    let frequency: Float64Array | undefined;
    let count = 0;
    for (let start = 0; start + m <= signal.length; start += step) {
      const part = powerSpectrum(Array.prototype.slice.call(signal, start, start + m) as number[], { binWidth: width });
      if (!sum) {
        sum = new Float64Array(part.power.length);
        frequency = part.frequency;
      }
      for (let f = 0; f < sum.length; f++) sum[f]! += part.power[f]!;
      count++;
    }
    for (let f = 0; f < sum!.length; f++) sum![f]! /= count;
    return { frequency: frequency!, power: sum! };
  }
  const n = signal.length;
  if (n < 4) fail(fn, "signal", "have at least 4 samples", n);
  let mean = 0;
  for (let k = 0; k < n; k++) mean += signal[k]! / n;
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) x[k] = (signal[k]! - mean) * (0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (n - 1)));
  const half = Math.floor(n / 2);
  const frequency = new Float64Array(half + 1);
  const power = new Float64Array(half + 1);
  const fs = 1000 / width;
  for (let f = 0; f <= half; f++) {
    let re = 0;
    let im = 0;
    const w = (2 * Math.PI * f) / n;
    for (let k = 0; k < n; k++) {
      re += x[k]! * Math.cos(w * k);
      im -= x[k]! * Math.sin(w * k);
    }
    frequency[f] = (f * fs) / n;
    power[f] = (re * re + im * im) / n;
  }
  return { frequency, power };
}

/** The frequency of the largest power within [lo, hi] Hz, with that power. */
export function peakFrequency(spectrum: PowerSpectrum, band: readonly [number, number]): { frequency: number; power: number } {
  checkSpectrum("peakFrequency", spectrum, band);
  let best = -1;
  for (let f = 0; f < spectrum.frequency.length; f++) {
    const hz = spectrum.frequency[f]!;
    if (hz < band[0] || hz > band[1]) continue;
    if (best < 0 || spectrum.power[f]! > spectrum.power[best]!) best = f;
  }
  if (best < 0) fail("peakFrequency", "band", "contain at least one frequency of the spectrum", band);
  return { frequency: spectrum.frequency[best]!, power: spectrum.power[best]! };
}

/** A spectral peak: a local maximum inside a band that stands out from the spectrum around it. */
export interface SpectralPeak {
  /** Frequency of the peak, Hz. */
  readonly frequency: number;
  /** Power at the peak. */
  readonly power: number;
  /**
   * Peak power over the higher of the two lowest points between the peak and the band's edges
   * (topographic prominence as a ratio): 1 for a shoulder, large for an isolated peak.
   */
  readonly prominence: number;
}

/**
 * The largest local maximum of `spectrum` strictly inside `band` (not at its edges), with its
 * prominence; null when the power only rises or falls across the band (no peak in it).
 *
 * @example
 *   spectralPeak(powerSpectrum(rate, { binWidth: 1, segment: 1000 }), [5, 15]); // { frequency: 8, power: …, prominence: 12.3 } or null
 */
export function spectralPeak(spectrum: PowerSpectrum, band: readonly [number, number]): SpectralPeak | null {
  checkSpectrum("spectralPeak", spectrum, band);
  const fn = "spectralPeak";
  const inBand: number[] = [];
  for (let f = 0; f < spectrum.frequency.length; f++) {
    const hz = spectrum.frequency[f]!;
    if (hz >= band[0] && hz <= band[1]) inBand.push(f);
  }
  if (inBand.length < 3) fail(fn, "band", "contain at least 3 frequencies of the spectrum", band);
  const p = spectrum.power;
  let best = -1;
  for (let k = 1; k < inBand.length - 1; k++) {
    const f = inBand[k]!;
    if (p[f]! > p[f - 1]! && p[f]! >= p[f + 1]! && (best < 0 || p[f]! > p[best]!)) best = f;
  }
  if (best < 0) return null;
  let left = Infinity;
  for (let f = inBand[0]!; f < best; f++) left = Math.min(left, p[f]!);
  let right = Infinity;
  for (let f = best + 1; f <= inBand[inBand.length - 1]!; f++) right = Math.min(right, p[f]!);
  const floor = Math.max(left, right);
  return { frequency: spectrum.frequency[best]!, power: p[best]!, prominence: floor > 0 ? p[best]! / floor : Infinity };
}

/** Throws the standard error unless `options` is an object (its fields are checked by the caller). */
function checkOptions(fn: string, options: unknown): void {
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {binWidth, …}", options);
}

/** Throws the standard error unless `spectrum` is a PowerSpectrum and `band` a pair of numbers. */
function checkSpectrum(fn: string, spectrum: unknown, band: unknown): void {
  const s = spectrum as Partial<PowerSpectrum> | null;
  if (s === null || typeof s !== "object" || !(s.frequency instanceof Float64Array) || !(s.power instanceof Float64Array) || s.frequency.length !== s.power.length) {
    fail(fn, "spectrum", "be a PowerSpectrum (powerSpectrum(signal, options))", spectrum);
  }
  if (!Array.isArray(band) || band.length !== 2 || !band.every((x) => typeof x === "number" && !Number.isNaN(x))) {
    fail(fn, "band", "be a pair of frequencies [lo, hi], Hz", band);
  }
}
