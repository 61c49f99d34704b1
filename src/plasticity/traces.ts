/**
 * Synaptic traces: low-pass filtered spike trains that let pair and triplet rules act locally in
 * time (Morrison, Diesmann & Gerstner 2008). Between spikes a trace decays exactly,
 *
 *   x(t + dt) = x(t) · e^{−dt/τ}
 *
 * and at a spike it either accumulates or resets, which sets how spikes pair up:
 *   - "all-to-all": x ← x + 1, every earlier spike contributes (each pre spike pairs with every
 *     post spike);
 *   - "nearest":    x ← 1, only the most recent spike counts (symmetric nearest-spike pairing).
 *
 * @example
 *   const trace = new Float32Array(2);
 *   const spikes = new Uint8Array([1, 0]);
 *   traceStep(spikes, trace, { tau: 20 * ms, interaction: "all-to-all" }, 1 * ms); // in place
 *   traceDecay(20 * ms, 1 * ms);        // e^{−1/20}
 */
import { fail, lengthIs, mergeOptions, oneOf, positive } from "../core/validate";

/** How spikes update a trace (see the file header). */
export type TraceInteraction = "all-to-all" | "nearest";

/** Every mode of `TraceInteraction`. */
export const traceInteractions: readonly TraceInteraction[] = Object.freeze(["all-to-all", "nearest"]);

/** Parameters of one trace. */
export interface TraceParams {
  /** Decay time constant τ, ms. */
  readonly tau: number;
  /** What a spike does to the trace. */
  readonly interaction: TraceInteraction;
}

/** Defaults: τ = 20 ms, all-to-all. */
export const traceDefaults: Readonly<TraceParams> = Object.freeze({ tau: 20, interaction: "all-to-all" });

/** Validated, frozen trace parameters. */
export function traceParams(options?: Partial<TraceParams>): TraceParams {
  const fn = "traceParams";
  const p = mergeOptions(fn, traceDefaults, options);
  positive(fn, "tau", p.tau);
  oneOf(fn, "interaction", p.interaction, traceInteractions);
  return Object.freeze(p);
}

/** The exact per-step decay factor e^{−dt/τ} (τ and dt in ms). */
export function traceDecay(tau: number, dt: number): number {
  positive("traceDecay", "tau", tau);
  positive("traceDecay", "dt", dt);
  return Math.exp(-dt / tau);
}

/**
 * One step of a trace, in place: decay by e^{−dt/τ}, then add this step's spikes. `spikes` (0/1)
 * and `p` are read only.
 */
export function traceStep(spikes: Uint8Array, trace: Float32Array, p: TraceParams, dt: number): void {
  const fn = "traceStep";
  if (p === null || typeof p !== "object") fail(fn, "p", "be trace parameters (traceParams(options))", p);
  positive(fn, "tau", p.tau);
  oneOf(fn, "interaction", p.interaction, traceInteractions);
  positive(fn, "dt", dt);
  lengthIs(fn, "trace", trace, spikes.length);
  decayTrace(trace, Math.exp(-dt / p.tau));
  addSpikes(spikes, trace, p.interaction === "nearest");
}

/** Zeroes every trace array of a rule's trace record, in place (between samples). */
export function resetTraces<T extends { readonly [K in keyof T]: Float32Array }>(traces: T): void {
  if (traces === null || typeof traces !== "object") fail("resetTraces", "traces", "be a record of Float32Arrays", traces);
  for (const trace of Object.values(traces) as unknown[]) {
    if (!(trace instanceof Float32Array)) fail("resetTraces", "traces", "be a record of Float32Arrays", trace);
  }
  for (const trace of Object.values(traces) as Float32Array[]) trace.fill(0);
}

/** Unchecked building block for rules: x ← x·factor, in place. */
export function decayTrace(trace: Float32Array, factor: number): void {
  for (let i = 0; i < trace.length; i++) trace[i] *= factor;
}

/** Unchecked building block for rules: adds the spikes (all-to-all) or resets to 1 (nearest), in place. */
export function addSpikes(spikes: Uint8Array, trace: Float32Array, nearest: boolean): void {
  if (nearest) {
    for (let i = 0; i < trace.length; i++) if (spikes[i]) trace[i] = 1;
  } else {
    for (let i = 0; i < trace.length; i++) if (spikes[i]) trace[i] += 1;
  }
}
