/**
 * The deterministic spike codes of the spiking LSTM (Shrestha et al. 2017; card E21), over a
 * window of T spike steps per input step:
 *
 *   two-channel rate code   v ∈ [−1, 1] → n = ⌊|v|·T + ½⌋ spikes on the + channel (v > 0) or the
 *                           − channel (v < 0); decoded v̂ = (n⁺ − n⁻)/T, |v̂ − v| ≤ 1/(2T).
 *                           The spikes come from an integrate-and-fire encoder (potential starts at
 *                           ½, gains |v| per step, fires and subtracts 1 on reaching 1), so the
 *                           count is exactly n and the spikes are evenly spread.
 *   burst code              c ∈ [−R, R] with L levels → a burst of k = round(|c|·(L − 1)/(2R))
 *                           spikes on the sign's channel, sent at once (one spike step);
 *                           decoded ĉ = ±k·2R/(L − 1): resolution 2R/(L − 1), |ĉ − c| ≤ R/(L − 1).
 *                           Values beyond ±R saturate at ±R.
 *
 * `signedRates` (signed.ts) gives the same two-channel layout as Poisson or regular rates in
 * physical units; these are the spike-step codes of a synchronous chip such as TrueNorth.
 *
 * @example
 *   twoChannelCount(0.3, 10);                 // 3   (decoded 0.3)
 *   twoChannelSpikes([0.3, -0.5], 10);        // Uint8Array 10 × 4: channels [+0, +1, −0, −1]
 *   burstLevel(1.26, { range: 4, levels: 81 }); // 13 → decoded 13·0.1 = 1.3
 */
import { fail, finite, integer, positive } from "../core/validate";

function checkCodeValue(fn: string, value: number, steps: number): void {
  if (typeof value !== "number" || !(value >= -1 && value <= 1)) fail(fn, "value", "be a finite number in [-1, 1]", value);
  integer(fn, "steps", steps, 1);
}

/** Spikes of the two-channel rate code of v ∈ [−1, 1] over `steps` spike steps: ⌊|v|·steps + ½⌋ (sign not included). */
export function twoChannelCount(value: number, steps: number): number {
  checkCodeValue("twoChannelCount", value, steps);
  return Math.floor(Math.abs(value) * steps + 0.5);
}

/** The decoded value of the two-channel rate code of `value`: sign(v)·⌊|v|·steps + ½⌋/steps. */
export function twoChannelDecode(value: number, steps: number): number {
  checkCodeValue("twoChannelDecode", value, steps);
  const n = Math.floor(Math.abs(value) * steps + 0.5);
  return value < 0 ? -n / steps : n / steps;
}

/**
 * The spike trains of the two-channel rate code of `values` (each in [−1, 1]) over `steps` spike
 * steps, from the integrate-and-fire encoder of the file header: a Uint8Array of steps × 2n,
 * row s holding the spikes of step s on channels [+0 … +(n−1), −0 … −(n−1)].
 */
export function twoChannelSpikes(values: ArrayLike<number>, steps: number): Uint8Array {
  const fn = "twoChannelSpikes";
  integer(fn, "steps", steps, 1);
  if (values == null || (!Array.isArray(values) && !ArrayBuffer.isView(values))) fail(fn, "values", "be an array of numbers in [-1, 1]", values);
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (typeof v !== "number" || !(v >= -1 && v <= 1)) fail(fn, `values[${i}]`, "be a finite number in [-1, 1]", v);
  }
  if (steps * 2 * n > 2 ** 30) fail(fn, "steps", `be at most ${Math.floor(2 ** 29 / Math.max(n, 1))} for ${n} values (steps·2n ≤ 2³⁰ spikes)`, steps);
  const out = new Uint8Array(steps * 2 * n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const a = Math.abs(v);
    const channel = v < 0 ? n + i : i;
    // Potential ½ + s·|v| after s steps; spike k fires at the first step where it reaches k. The
    // potential is computed, not accumulated, so that the count is ⌊|v|·T + ½⌋ without rounding drift.
    let fired = 0;
    for (let s = 0; s < steps; s++) {
      const due = Math.floor(a * (s + 1) + 0.5);
      if (due > fired) {
        out[s * 2 * n + channel] = 1;
        fired = due;
      }
    }
  }
  return out;
}

/** A burst code's settings: values in [−range, range], `levels` quantisation levels (odd, so 0 is one). */
export interface BurstCode {
  readonly range: number;
  readonly levels: number;
}

/** Checks a burst code {range > 0, levels ≥ 3 odd}. Internal to the library. */
export function checkBurstCode(fn: string, param: string, code: BurstCode): BurstCode {
  if (code === null || typeof code !== "object") fail(fn, param, "be a burst code {range, levels}", code);
  positive(fn, `${param}.range`, code.range);
  integer(fn, `${param}.levels`, code.levels, 3);
  if (code.levels % 2 !== 1) fail(fn, `${param}.levels`, "be odd (so that 0 is a level)", code.levels);
  return code;
}

/** The signed burst size k (spikes, negative on the − channel) of `value` under `code`, saturating at ±(levels − 1)/2. */
export function burstLevel(value: number, code: BurstCode): number {
  finite("burstLevel", "value", value);
  checkBurstCode("burstLevel", "code", code);
  const half = (code.levels - 1) / 2;
  const k = Math.round((value * half) / code.range);
  return k > half ? half : k < -half ? -half : k;
}

/** The decoded value of the burst code of `value`: burstLevel · range/((levels − 1)/2). */
export function burstDecode(value: number, code: BurstCode): number {
  finite("burstDecode", "value", value);
  checkBurstCode("burstDecode", "code", code);
  return (burstLevel(value, code) * code.range * 2) / (code.levels - 1);
}
