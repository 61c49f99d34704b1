/**
 * Weight dependence of plasticity, shared by every rule through the `weightDependence` option.
 * An update proposes an amount a (a ≥ 0 to potentiate, a ≤ 0 to depress); the new weight is
 *
 *   "hard"  (additive, clipped):        w ← clip(w + a)
 *   "soft"  (multiplicative):           w ← clip(w + a·(wMax − w)/(wMax − wMin))   for a ≥ 0
 *                                       w ← clip(w + a·(w − wMin)/(wMax − wMin))   for a ≤ 0
 *   "power" (Gütig et al. 2003, μ ≥ 0): the soft factors raised to the power μ
 *
 * with clip to [wMin, wMax]. The factors are normalised by the range, so amplitudes keep weight
 * units; on the usual range [0, 1] they are the plain distances (1 − w) and w. "power" with μ = 1 is
 * "soft", and with μ = 0 it is "hard". Soft and power updates approach a bound without crossing it
 * while |a| ≤ wMax − wMin; the final clip guards larger steps and rounding.
 *
 * @example
 *   const b = weightBounds({ weightDependence: "soft" });   // [0, 1]
 *   potentiate(0.75, 0.1, b);    // 0.75 + 0.1·0.25 = 0.775
 *   depress(0.75, -0.1, b);      // 0.75 − 0.1·0.75 = 0.675
 */
import { arrayLike, fail, finite, mergeOptions, nonNegative, oneOf } from "../core/validate";

/** The weight-dependence modes (see the file header). */
export type WeightDependence = "hard" | "soft" | "power";

/** Every mode of `WeightDependence`. */
export const weightDependences: readonly WeightDependence[] = Object.freeze(["hard", "soft", "power"]);

/** Weight range and weight dependence, part of every rule's parameters. */
export interface WeightBounds {
  /** Lower weight bound, weight units. */
  readonly wMin: number;
  /** Upper weight bound, weight units; > wMin. */
  readonly wMax: number;
  /** How updates shrink near the bounds. */
  readonly weightDependence: WeightDependence;
  /** Exponent μ of the "power" dependence, dimensionless, ≥ 0; ignored by the other modes. */
  readonly mu: number;
}

/** Defaults: hard bounds on [0, 1]. */
export const weightBoundsDefaults: Readonly<WeightBounds> = Object.freeze({
  wMin: 0, wMax: 1, weightDependence: "hard", mu: 1,
});

/** Validated, frozen weight bounds; unknown keys and invalid values throw the standard error. */
export function weightBounds(options?: Partial<WeightBounds>): WeightBounds {
  const fn = "weightBounds";
  return Object.freeze(checkWeightBounds(fn, mergeOptions(fn, weightBoundsDefaults, options)));
}

/** Validates the bound fields of any parameter record in the name of `fn`; returns it. */
export function checkWeightBounds<T extends WeightBounds>(fn: string, p: T): T {
  if (p === null || typeof p !== "object") fail(fn, "p", "be weight bounds (weightBounds(options), or a rule's parameters)", p);
  finite(fn, "wMin", p.wMin);
  finite(fn, "wMax", p.wMax);
  if (!(p.wMax > p.wMin)) fail(fn, "wMax", `be a finite number > wMin (${p.wMin})`, p.wMax);
  oneOf(fn, "weightDependence", p.weightDependence, weightDependences);
  nonNegative(fn, "mu", p.mu);
  return p;
}

/**
 * Throws the standard error, before anything changes, unless every weight is finite and in
 * [wMin, wMax]. Rules call it in their `init`. The bounds are compared after rounding to float32,
 * because a weight clipped to a bound such as 0.3 is stored as the nearest float, 0.3000000119.
 */
export function checkWeightsInBounds(fn: string, param: string, w: ArrayLike<number>, b: WeightBounds): void {
  arrayLike(fn, param, w);
  checkWeightBounds(fn, b);
  const lo = Math.fround(b.wMin);
  const hi = Math.fround(b.wMax);
  for (let k = 0; k < w.length; k++) {
    const v = w[k];
    if (!(v >= lo && v <= hi)) fail(fn, `${param}[${k}]`, `be a finite number in [${b.wMin}, ${b.wMax}]`, v);
  }
}

/** The weight after a potentiation of amount `a` ≥ 0 (weight units) under `b`; see the file header. */
export function potentiate(w: number, a: number, b: WeightBounds): number {
  let next: number;
  if (b.weightDependence === "hard") next = w + a;
  else {
    const distance = Math.max(b.wMax - w, 0) / (b.wMax - b.wMin);
    next = w + a * (b.weightDependence === "soft" ? distance : Math.pow(distance, b.mu));
  }
  return next > b.wMax ? b.wMax : next < b.wMin ? b.wMin : next;
}

/** The weight after a depression of amount `a` ≤ 0 (weight units) under `b`; see the file header. */
export function depress(w: number, a: number, b: WeightBounds): number {
  let next: number;
  if (b.weightDependence === "hard") next = w + a;
  else {
    const distance = Math.max(w - b.wMin, 0) / (b.wMax - b.wMin);
    next = w + a * (b.weightDependence === "soft" ? distance : Math.pow(distance, b.mu));
  }
  return next > b.wMax ? b.wMax : next < b.wMin ? b.wMin : next;
}

/** Clips every weight into [wMin, wMax], in place; returns the number of weights changed. */
export function clipWeights(w: Float32Array, b: WeightBounds): number {
  checkWeightBounds("clipWeights", b);
  let changed = 0;
  for (let k = 0; k < w.length; k++) {
    const v = w[k];
    if (v < b.wMin) {
      w[k] = b.wMin;
      changed++;
    } else if (v > b.wMax) {
      w[k] = b.wMax;
      changed++;
    }
  }
  return changed;
}
