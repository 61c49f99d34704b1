/**
 * How much integrating the LIF membrane equation by forward Euler costs in accuracy, against the
 * exact exponential update the library uses (house style C3):
 *
 *   closed form (constant current I from v(0) = vRest):  v(t) = vRest + R·I·(1 − e^{−t/τm})
 *   forward Euler:   v ← v + (dt/τm)·(−(v − vRest) + R·I)          global error O(dt)
 *   exact:           v ← vRest + R·I + (v − vRest − R·I)·e^{−dt/τm}  (lifStep)   error ~ float32 rounding
 *
 * `lifIntegrationError` returns the largest |v − v_closed| over a sub-threshold run.
 *
 * @example
 *   lifIntegrationError(lifParams(), { method: "euler", dt: 1, current: 1, duration: 100 });   // ≈ 0.46 mV
 *   lifIntegrationError(lifParams(), { method: "exact", dt: 1, current: 1, duration: 100 });   // ≈ 1e-5 mV
 */
import { fail, finite, oneOf, positive } from "../core/validate";
import { stepCount } from "../encoders/spike-train";
import { type LifParams, lifInit, lifStep } from "./lif";

export interface IntegrationErrorOptions {
  /** "euler" (forward Euler) or "exact" (the library's lifStep). */
  readonly method: "euler" | "exact";
  /** Step, ms. */
  readonly dt: number;
  /** Constant input current, nA; must stay below threshold. */
  readonly current: number;
  /** Simulated time, ms. */
  readonly duration: number;
}

/** Largest |v − closed form| (mV) of one neuron under a constant sub-threshold current. */
export function lifIntegrationError(p: LifParams, options: IntegrationErrorOptions): number {
  const fn = "lifIntegrationError";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {method, dt, …}", options);
  const method = oneOf(fn, "method", options.method, ["euler", "exact"] as const);
  const dt = positive(fn, "dt", options.dt);
  const current = finite(fn, "current", options.current);
  const steps = stepCount(fn, positive(fn, "duration", options.duration), dt);
  const drive = p.rMem * current;
  if (p.vRest + drive >= p.vThreshold) {
    fail(fn, "current", `stay below threshold (R·I < ${p.vThreshold - p.vRest} mV)`, current);
  }
  let worst = 0;
  if (method === "exact") {
    const state = lifInit(1, p);
    state.iExt[0] = current;
    const input = new Float32Array(1);
    const spikes = new Uint8Array(1);
    for (let k = 1; k <= steps; k++) {
      lifStep(input, state, p, dt, spikes);
      const exact = p.vRest + drive * (1 - Math.exp((-k * dt) / p.tauMem));
      worst = Math.max(worst, Math.abs(state.v[0]! - exact));
    }
    return worst;
  }
  let v = p.vRest;
  for (let k = 1; k <= steps; k++) {
    v += (dt / p.tauMem) * (-(v - p.vRest) + drive);
    const exact = p.vRest + drive * (1 - Math.exp((-k * dt) / p.tauMem));
    worst = Math.max(worst, Math.abs(v - exact));
  }
  return worst;
}
