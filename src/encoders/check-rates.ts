/**
 * The one check of encoder rates. Rates are in the internal unit 1/ms, so `rate: 20` means
 * 20 000 Hz — a unit trap. In a stepped encoder a rate above 1/dt cannot be honoured (at most one
 * spike a step) and used to be capped silently; it is now an error that says what the number
 * means in Hz and how to write the intended rate.
 */
import { fail } from "../core/validate";

/**
 * Rejects a negative, NaN or infinite rate, naming its index (as `param[i]`); with `dt` (ms), also
 * a rate above 1/dt (to float32 rounding, so a rate meant to be exactly 1/dt passes).
 * @example
 *   checkRates("poissonStep", [20], 0.5);
 *   // SnnlabError: poissonStep: rates[0] must be at most 1/dt = 2 per ms (2000 Hz; rates are in 1/ms, so 20 is 20000 Hz: write 20 * Hz for 20 Hz), got 20
 */
export function checkRates(fn: string, rates: ArrayLike<number>, dt?: number, param = "rates"): void {
  const most = dt === undefined ? Infinity : 1 / dt;
  for (let i = 0; i < rates.length; i++) {
    const r = rates[i]!;
    if (!(r >= 0) || r === Infinity) fail(fn, `${param}[${i}]`, "be a finite number >= 0", r);
    if (r * dt! > 1 + 1e-6) {
      fail(fn, `${param}[${i}]`, `be at most 1/dt = ${Number(most.toPrecision(6))} per ms (${Number((1000 * most).toPrecision(6))} Hz; rates are in 1/ms, so ${r} is ${Number((1000 * r).toPrecision(6))} Hz: write ${r} * Hz for ${r} Hz)`, r);
    }
  }
}
