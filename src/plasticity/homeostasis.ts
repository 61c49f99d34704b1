/**
 * Adaptive threshold θ, the homeostasis of Diehl & Cook (2015) (card E11): every spike raises a
 * neuron's threshold offset, which then relaxes exponentially,
 *
 *   θ ← θ · e^{−dt/τθ};   spike ⇒ θ ← θ + θ₊           (θ and θ₊ in mV, τθ in ms)
 *
 * so that neurons that win too often fire less. The neuron model adds θ to its threshold; this
 * helper only keeps θ, as arrays in and in place, for any model. Diehl & Cook: θ₊ = 0.05 mV,
 * τθ = 10⁷ ms, θ starting at 20 mV, and θ frozen at test time (`frozen: true` makes the step a
 * no-op).
 *
 * θ may be a Float32Array or a Float64Array. With Diehl & Cook's τθ the decay per step is below
 * float32 resolution: at dt = 0.5 ms it is θ·5e−8, about half an ulp (1.9e−6 mV between 16 and
 * 32 mV), so a float32 θ of 20 mV loses a whole ulp per step (twice too fast) and one below 19 mV
 * does not decay at all. Where the slow decay matters, keep θ in a Float64Array.
 *
 * @example
 *   const p = adaptiveThresholdParams();
 *   const theta = new Float64Array(100).fill(20 * mV);
 *   adaptiveThresholdStep(new Uint8Array(100), theta, p, 0.5 * ms);   // in place
 */
import { fail, lengthIs, mergeOptions, nonNegative, positive } from "../core/validate";

/** Parameters of the adaptive threshold. */
export interface AdaptiveThresholdParams {
  /** Increment θ₊ per spike, mV. */
  readonly thetaPlus: number;
  /** Decay time constant τθ, ms. */
  readonly tauTheta: number;
  /** When true the step leaves θ unchanged (test phase). */
  readonly frozen: boolean;
}

/** Defaults: Diehl & Cook (2015), θ₊ = 0.05 mV, τθ = 10⁷ ms, learning (not frozen). */
export const adaptiveThresholdDefaults: Readonly<AdaptiveThresholdParams> = Object.freeze({
  thetaPlus: 0.05,
  tauTheta: 1e7,
  frozen: false,
});

/** Validated, frozen parameters; unknown keys and invalid values throw the standard error. */
export function adaptiveThresholdParams(options?: Partial<AdaptiveThresholdParams>): AdaptiveThresholdParams {
  const fn = "adaptiveThresholdParams";
  return Object.freeze(checkParams(fn, mergeOptions(fn, adaptiveThresholdDefaults, options)));
}

function checkParams<T extends AdaptiveThresholdParams>(fn: string, p: T): T {
  if (p === null || typeof p !== "object") fail(fn, "params", "be an object", p);
  nonNegative(fn, "thetaPlus", p.thetaPlus);
  positive(fn, "tauTheta", p.tauTheta);
  if (typeof p.frozen !== "boolean") fail(fn, "frozen", "be a boolean", p.frozen);
  return p;
}

/**
 * One step of the adaptive threshold: decays `theta` (mV) exactly, then adds θ₊ for each spike,
 * in place; nothing changes when `p.frozen`. `spikes` (0/1) and `p` are read only.
 */
export function adaptiveThresholdStep(
  spikes: Uint8Array, theta: Float32Array | Float64Array, p: AdaptiveThresholdParams, dt: number,
): void {
  const fn = "adaptiveThresholdStep";
  checkParams(fn, p);
  positive(fn, "dt", dt);
  lengthIs(fn, "theta", theta, spikes.length);
  if (p.frozen) return;
  const decay = Math.exp(-dt / p.tauTheta);
  for (let i = 0; i < theta.length; i++) theta[i] = theta[i] * decay + (spikes[i] ? p.thetaPlus : 0);
}
