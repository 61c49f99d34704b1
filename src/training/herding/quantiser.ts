/**
 * Herding (O'Connor & Welling 2016), part of `training/herding/` (described in index.ts): the herding quantiser (`herdingStep`, `herdSignal`): integer spike counts whose running sum tracks a real signal.
 */
import { arrayLike, fail, finite, oneOf } from "../../core/validate";


/** The two quantisers: "signed" (`herding`) and "rectified" (`rect-herding`, positive spikes only). */
export const herdingModes = ["signed", "rectified"] as const;
export type HerdingMode = (typeof herdingModes)[number];

/**
 * One step of herding for every unit, in place (file header): φ ← φ + input, count = round(φ)
 * with ties towards 0 ("rectified": only counts > 0), φ ← φ − count. Writes the counts into `out`
 * and returns the number of spikes, Σ|count|. `input` is read only.
 *
 * @example
 *   const phi = new Float64Array(2);
 *   const n = new Int32Array(2);
 *   herdingStep([0.3, 0.3], phi, n, "signed");   // n = [0, 0], φ = [0.3, 0.3]
 *   herdingStep([0.3, 0.3], phi, n, "signed");   // n = [1, 1], φ = [−0.4, −0.4]
 */
export function herdingStep(input: ArrayLike<number>, phi: Float64Array | Float32Array, out: Int32Array | Float64Array, mode: HerdingMode): number {
  const fn = "herdingStep";
  oneOf(fn, "mode", mode, herdingModes);
  const n = phi.length;
  if (!input || input.length !== n) fail(fn, "input", `have the length of phi (${n})`, input?.length);
  if (!out || out.length !== n) fail(fn, "out", `have the length of phi (${n})`, out?.length);
  const signed = mode === "signed";
  let spikes = 0;
  for (let i = 0; i < n; i++) {
    const v = phi[i]! + input[i]!;
    const c = quantise(v, signed);
    phi[i] = v - c;
    out[i] = c;
    spikes += c < 0 ? -c : c;
  }
  return spikes;
}

/** round(v) with ties towards 0 (the Java `while (v > 0.5) …` loop); 0 for v ≤ ½ when not signed. */
export function quantise(v: number, signed: boolean): number {
  if (v > 0.5) return Math.ceil(v - 0.5);
  if (signed && v < -0.5) return -Math.ceil(-v - 0.5);
  return 0;
}

/** A scalar signal herded over time (`herdSignal`). */
export interface HerdedSignal {
  /** The count emitted at each step. */
  readonly counts: Int32Array;
  /** The residual φ after each step (the running quantisation error, Σ input − Σ counts). */
  readonly residual: Float64Array;
  /** Σ_{τ≤t} input. */
  readonly cumulativeInput: Float64Array;
  /** Σ_{τ≤t} counts. */
  readonly cumulativeCount: Float64Array;
}

/**
 * Herds one scalar signal, step by step, from φ = 0 (for figures and tests of the quantiser).
 *
 * @example
 *   herdSignal([0.25, 0.25, 0.25, 0.25]).counts;   // [0, 0, 1, 0]: one spike for a sum of 1 (φ = ½ is a tie: no spike)
 */
export function herdSignal(values: ArrayLike<number>, mode: HerdingMode = "signed"): HerdedSignal {
  const fn = "herdSignal";
  oneOf(fn, "mode", mode, herdingModes);
  arrayLike(fn, "values", values);
  for (let t = 0; t < values.length; t++) finite(fn, `values[${t}]`, values[t]);
  const T = values.length;
  const counts = new Int32Array(T);
  const residual = new Float64Array(T);
  const cumulativeInput = new Float64Array(T);
  const cumulativeCount = new Float64Array(T);
  let phi = 0;
  let sumIn = 0;
  let sumOut = 0;
  for (let t = 0; t < T; t++) {
    phi += values[t]!;
    const c = quantise(phi, mode === "signed");
    phi -= c;
    sumIn += values[t]!;
    sumOut += c;
    counts[t] = c;
    residual[t] = phi;
    cumulativeInput[t] = sumIn;
    cumulativeCount[t] = sumOut;
  }
  return { counts, residual, cumulativeInput, cumulativeCount };
}
