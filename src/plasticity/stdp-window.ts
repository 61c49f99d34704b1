/**
 * The pair-based STDP window, the corrected Eq. 1 of the review (card E4; the seed article's
 * Eq. (1) has both branches with A and the wrong exponent sign):
 *
 *   Δw = A · exp(−|t_pre − t_post| / τ₊)    if t_pre − t_post ≤ 0   (LTP, A > 0)
 *   Δw = B · exp(−|t_pre − t_post| / τ₋)    if t_pre − t_post > 0   (LTD, B < 0)
 *
 * In the library's sign convention the argument is Δt = t_post − t_pre (ms): Δt ≥ 0 (pre before
 * post, or together) potentiates, Δt < 0 depresses. A is `aPlus` (> 0) and B is `aMinus`, stored
 * signed (< 0), so the equation reads as written. τ₊ ≠ τ₋ is allowed (e.g. 16.8 and 33.7 ms, the
 * Bi & Poo fit). Simultaneous spikes (Δt = 0) fall in the LTP branch and give A, as in Eq. 1.
 *
 * This closed form is the single source of the STDP-window widget and of the test that the online
 * trace implementation (`stdp.ts`) reproduces it for isolated pairs.
 *
 * @example
 *   const p = { aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8 * ms, tauMinus: 33.7 * ms };
 *   stdpWindow(10 * ms, p);     // 0.01·e^{−10/16.8}     (pre 10 ms before post: LTP)
 *   stdpWindow(-10 * ms, p);    // −0.0105·e^{−10/33.7}  (post 10 ms before pre: LTD)
 */
import { fail, finite, positive } from "../core/validate";

/** The four parameters of the pair window. */
export interface StdpWindowParams {
  /** LTP amplitude A (> 0), weight units. */
  readonly aPlus: number;
  /** LTD amplitude B, signed (< 0), weight units. */
  readonly aMinus: number;
  /** LTP time constant τ₊ (decay of the presynaptic trace), ms. */
  readonly tauPlus: number;
  /** LTD time constant τ₋ (decay of the postsynaptic trace), ms. */
  readonly tauMinus: number;
}

/** Validates the window fields of any parameter record in the name of `fn`; returns it. */
export function checkStdpWindowParams<T extends StdpWindowParams>(fn: string, p: T): T {
  if (p === null || typeof p !== "object") fail(fn, "params", "be an object", p);
  positive(fn, "aPlus", p.aPlus);
  if (typeof p.aMinus !== "number" || !Number.isFinite(p.aMinus) || p.aMinus >= 0) {
    fail(fn, "aMinus", "be a finite number < 0", p.aMinus);
  }
  positive(fn, "tauPlus", p.tauPlus);
  positive(fn, "tauMinus", p.tauMinus);
  return p;
}

/**
 * Weight change Δw (weight units) of one isolated pre/post pair with Δt = t_post − t_pre (ms):
 * A·e^{−Δt/τ₊} for Δt ≥ 0, B·e^{Δt/τ₋} for Δt < 0. See the file header.
 */
export function stdpWindow(deltaT: number, p: StdpWindowParams): number {
  const fn = "stdpWindow";
  finite(fn, "deltaT", deltaT);
  checkStdpWindowParams(fn, p);
  return deltaT >= 0 ? p.aPlus * Math.exp(-deltaT / p.tauPlus) : p.aMinus * Math.exp(deltaT / p.tauMinus);
}
