/**
 * Rhythms in population activity: the binned population rate of a spike train and its power
 * spectrum (periodogram of the mean-removed, Hann-windowed signal, by a plain DFT — exact for any
 * length; signals here are ≤ 10⁴ bins).
 *
 * @example
 *   const rate = binnedRate(train, { binWidth: 1 });          // Hz per neuron, one value per ms
 *   const spectrum = powerSpectrum(rate, { binWidth: 1 });    // frequency (Hz), power
 *   peakFrequency(spectrum, [30, 80]);                         // the gamma peak
 */
import { fail, positive } from "../core/validate";
import type { SpikeTrain } from "../encoders/spike-train";

/** Population rate in bins of `binWidth` ms, Hz per neuron (over `ids` if given, else all). */
export function binnedRate(train: SpikeTrain, options: { binWidth: number; ids?: readonly [number, number] }): Float64Array {
  const fn = "binnedRate";
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

/** Periodogram of `signal` sampled every `binWidth` ms (mean removed, Hann window). */
export function powerSpectrum(signal: ArrayLike<number>, options: { binWidth: number }): PowerSpectrum {
  const fn = "powerSpectrum";
  const width = positive(fn, "binWidth", options.binWidth);
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
  let best = -1;
  for (let f = 0; f < spectrum.frequency.length; f++) {
    const hz = spectrum.frequency[f]!;
    if (hz < band[0] || hz > band[1]) continue;
    if (best < 0 || spectrum.power[f]! > spectrum.power[best]!) best = f;
  }
  if (best < 0) fail("peakFrequency", "band", "contain at least one frequency of the spectrum", band);
  return { frequency: spectrum.frequency[best]!, power: spectrum.power[best]! };
}
