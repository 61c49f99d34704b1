/**
 * Projections: the synapses from one group (pre) to a population (post), with what their events
 * feed, their transmission delay and an optional learning rule.
 *
 * Target. Events add the synaptic weight into one input of the post population:
 *   - "input": the `input` argument of the model's step (a current in nA for `lif`, the
 *     excitatory conductance increment for `conductanceLif`, the current I for `izhikevich`, …),
 *     summed over all projections that feed it, for the step in which the events arrive;
 *   - the name of a Float32Array field of the post state, added in place: "gi" (inhibitory
 *     conductance of `conductanceLif`), "ge"/"gi" (the CUBA currents), "v" (a jump of the membrane
 *     potential, Brian2's `on_pre='v_post += w'`), …
 *   A jump into "v" does not survive the reset of a neuron that spikes in the step in which the
 *   jump acts: the neuron keeps its reset value, as in Brian2, where `on_pre` runs after the
 *   threshold but before the reset. (Without this rule a neuron would start its next interval at
 *   c + Σw instead of c, which can make strongly coupled networks such as Izhikevich's run away.)
 *
 * Delay, in steps (`delaySteps`): one integer for the whole projection or an Int32Array with one
 * per synapse (CSR order of the matrix). A spike of step s arrives at the start of step s + 1 + d
 * (`synapses/delays.ts`): d = 0 is Brian2's zero delay.
 *
 * Plasticity: `plasticity: stdpParams(…)` runs pair STDP (`plasticity/stdp.ts`) on the projection's
 * `synapseAccess` after propagation in every step, with the spikes of both sides as emitted (the
 * rule sees somatic spike times; delays do not shift them).
 *
 * Synaptic operations (SOPs = Σ spikes × fan-out) are counted as the events are propagated:
 * `projection.sops` is the running total since the network was built or reset.
 *
 * @example
 *   const ee = projection("exc", "exc", {
 *     synapses: uniformSynapses(fixedProbability(3200, 3200, { p: 0.02, rng }), { weight: 1.62 * mV }),
 *     target: "ge",
 *   });
 *   const plastic = projection(input, neuron, {
 *     synapses: sparseSynapses(allToAll(1000, 1), { weight: () => rng.uniform(0, 0.01) }),
 *     plasticity: stdpParams({ aPlus: 1e-4, aMinus: -1.05e-4, wMax: 0.01 }),
 *   });
 */
import { fail, integer, mergeOptions } from "../core/validate";
import { stdpInit, type StdpParams, type StdpTraces } from "../plasticity/stdp";
import { checkMatrix, synapseAccess, type SynapseMatrix } from "../synapses/synapse-matrix";
import { checkName, groupName, type Group } from "./population";

/** A projection from group `pre` to population `post`; see the file header. */
export interface Projection {
  /** Unique name within a network (default "pre→post"). */
  readonly name: string;
  /** Name of the presynaptic group. */
  readonly pre: string;
  /** Name of the postsynaptic population. */
  readonly post: string;
  /** The synapses and weights (weights in the target's unit). */
  readonly synapses: SynapseMatrix;
  /** "input" or the name of a Float32Array field of the post state. */
  readonly target: string;
  /** Delay in steps: one for the projection, or one per synapse (CSR order). */
  readonly delaySteps: number | Int32Array;
  /** The largest delay, steps. */
  readonly maxDelay: number;
  /** Pair-STDP parameters, or null for fixed weights. */
  readonly plasticity: StdpParams | null;
  /** STDP traces (pre and post), or null without plasticity. */
  readonly traces: StdpTraces | null;
  /** Synaptic operations propagated so far (since `network()` or `resetNetwork`). */
  readonly sops: number;
}

/** Options of `projection`. */
export interface ProjectionOptions {
  /** The synapses (`denseSynapses`, `sparseSynapses`, `uniformSynapses`, `convSynapses`, …). */
  readonly synapses: SynapseMatrix;
  /** What the events feed; default "input". */
  readonly target: string;
  /** Delay in steps; default 0 (the next step). */
  readonly delaySteps: number | Int32Array;
  /** Pair-STDP parameters (`stdpParams`), or null (default) for fixed weights. */
  readonly plasticity: StdpParams | null;
  /** Name; default "pre→post". */
  readonly name: string | null;
}

/** Defaults of `projection` (the synapses must be given). */
export const projectionDefaults: Readonly<Omit<ProjectionOptions, "synapses">> = Object.freeze({
  target: "input", delaySteps: 0, plasticity: null, name: null,
});

const inspect = Symbol.for("nodejs.util.inspect.custom");

function describeProjection(this: Projection): string {
  const delay = typeof this.delaySteps === "number" ? `delay ${this.delaySteps}` : `delays ≤ ${this.maxDelay}`;
  return `Projection(${this.name}: ${this.pre} → ${this.post}.${this.target}, ${this.synapses.storage}, ` +
    `${this.synapses.nSynapses} synapses, ${delay} steps${this.plasticity ? ", STDP" : ""}, ${this.sops} SOPs)`;
}

/**
 * A projection from `pre` (a group or its name) to `post` (a population or its name). Sizes and
 * the target are checked against the populations when the network is built (`network`); the
 * weights and delays here. With `plasticity`, the weights must lie within its bounds.
 */
export function projection(pre: Group | string, post: Group | string, options: Partial<ProjectionOptions> & Pick<ProjectionOptions, "synapses">): Projection {
  const fn = "projection";
  const preName = groupName(fn, "pre", pre);
  const postName = groupName(fn, "post", post);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {synapses, …}", options);
  const o = mergeOptions<ProjectionOptions>(fn, { ...projectionDefaults, synapses: null! }, options);
  const m = checkMatrix(fn, "synapses", o.synapses);
  const target = checkName(fn, "target", o.target);
  const name = o.name === null ? `${preName}→${postName}` : checkName(fn, "name", o.name);
  let maxDelay: number;
  let delaySteps: number | Int32Array;
  if (typeof o.delaySteps === "number") {
    maxDelay = integer(fn, "delaySteps", o.delaySteps, 0);
    delaySteps = maxDelay;
  } else if (o.delaySteps instanceof Int32Array) {
    if (m.storage === "dense") fail(fn, "delaySteps", "be one number for dense synapses", o.delaySteps);
    if (o.delaySteps.length !== m.nSynapses) fail(fn, "delaySteps", `have one delay per synapse (${m.nSynapses})`, o.delaySteps.length);
    maxDelay = 0;
    for (let e = 0; e < o.delaySteps.length; e++) {
      const d = o.delaySteps[e];
      if (d < 0) fail(fn, `delaySteps[${e}]`, "be an integer >= 0", d);
      if (d > maxDelay) maxDelay = d;
    }
    delaySteps = o.delaySteps.slice();
  } else {
    fail(fn, "delaySteps", "be an integer >= 0 or an Int32Array", o.delaySteps);
  }
  let traces: StdpTraces | null = null;
  if (o.plasticity !== null) {
    if (o.plasticity === undefined || typeof o.plasticity !== "object") fail(fn, "plasticity", "be stdpParams(…) or null", o.plasticity);
    traces = stdpInit(synapseAccess(m), o.plasticity);
  }
  const proj = {
    name, pre: preName, post: postName, synapses: m, target, delaySteps, maxDelay, plasticity: o.plasticity, traces, sops: 0,
  };
  Object.defineProperty(proj, inspect, { value: describeProjection, enumerable: false });
  // Not frozen: simulate updates the `sops` counter (read-only in the public type).
  return Object.seal(proj);
}

/** Internal: adds to a projection's SOP counter (simulate, resetNetwork). */
export function addSops(p: Projection, sops: number): void {
  (p as { sops: number }).sops += sops;
}

/** Internal: sets a projection's SOP counter. */
export function setSops(p: Projection, sops: number): void {
  (p as { sops: number }).sops = sops;
}
