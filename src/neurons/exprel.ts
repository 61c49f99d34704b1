/**
 * The relative exponential `exprel(x) = (eˣ − 1)/x`, with `exprel(0) = 1`, accurate to a few ulp
 * for every x (it is `Math.expm1(x) / x`; the quotient has no cancellation because `expm1` does
 * not). Hodgkin–Huxley rate functions of the form `y / (1 − e^{−y})` have a removable
 * singularity at y = 0; written as `1 / exprel(−y)` they are exact there (the idea of SciPy's
 * `scipy.special.exprel` and of Brian2's unit-safe functions).
 *
 * Limits: `exprel(−∞) = 0`, `exprel(+∞) = +∞`, `exprel(NaN) = NaN`; above x ≈ 709.78 the result
 * overflows to +∞.
 *
 * @example
 *   exprel(0);           // 1
 *   exprel(1e-12);       // 1.0000000000005
 *   1 / exprel(-0);      // α_m(−40 mV) = 1 /ms: the 0/0 of the textbook formula, resolved
 */
export function exprel(x: number): number {
  if (x === 0) return 1;
  if (x === Infinity) return Infinity;
  return Math.expm1(x) / x;
}
