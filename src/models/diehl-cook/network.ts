/**
 * Diehl & Cook (2015), part of `models/diehl-cook/` (the network is described in index.ts): the network record and its scratch buffers: building one (`diehlCookNetworkInit`), the per-synapse delays and lazy pre-trace tables, and weight normalisation.
 */
import { checkRng, type Rng } from "../../core/random";
import { fail } from "../../core/validate";
import { conductanceLifInit, conductanceLifParams, type ConductanceLifState } from "../../neurons/conductance-lif";
import { type DiehlCookNetworkParams, diehlCookNetworkParams } from "./params";
import { type PopulationConstants, populationConstants } from "./population";
import { checkNetwork } from "./simulate";

/**
 * The input spikes of one presentation, by step: the inputs firing at step n are
 * `ids[start[n]] … ids[start[n + 1] − 1]`, in ascending order. Internal (tests build their own).
 */
export interface DiehlCookSchedule {
  /** Number of steps with input. */
  steps: number;
  /** Row starts, length ≥ steps + 1. */
  start: Int32Array;
  /** Input indices. */
  ids: Int32Array;
}

/** Scratch buffers and derived constants of a network. Internal: no field is part of the API. */
export interface DiehlCookWork {
  readonly presentSteps: number;
  readonly restSteps: number;
  /** Step constants: excitatory (learning), excitatory with θ frozen (test time), inhibitory. */
  readonly excitatoryStep: PopulationConstants;
  readonly excitatoryFrozenStep: PopulationConstants;
  readonly inhibitoryStep: PopulationConstants;
  /** Per-step decay factors of the traces y₁, y₂ and x. */
  readonly decayPost1: number;
  readonly decayPost2: number;
  readonly decayPre: number;
  /** Excitatory conductance increments arriving at the next step. */
  readonly excInput: Float32Array;
  /** Inhibitory-population conductance increments arriving at the next step. */
  readonly inhInput: Float32Array;
  readonly excFired: Int32Array;
  readonly inhFired: Int32Array;
  /** 0 … N − 1: the excitatory neurons, all stepped every step. */
  readonly allNeurons: Int32Array;
  /**
   * Whether inhibitory neurons without input since the last reset may be skipped: they sit at an
   * exact fixed point of the step (v = vRest, ge = gi = θ = 0, timer = ∞) when θ stays 0.
   */
  readonly inhibitorySleeps: boolean;
  /** The inhibitory neurons stepped: those that had input since the last reset (or all). */
  readonly inhAwake: Int32Array;
  readonly inhIsAwake: Uint8Array;
  inhAwakeCount: number;
  readonly sums: Float64Array;
  /** Pre trace after k steps without a spike, float32 decay repeated exactly as the eager rule does. */
  readonly preTrace: Float32Array;
  /**
   * True when `preTrace` ends at its float32 fixed point (2.8e−44, after 4007 steps at τ 20
   * ms). Later lookups give 0, which changes no float32 weight; the eager trace would stay there.
   */
  readonly preTraceConverged: boolean;
  /** Ring length of `recentSpikes` per input: a power of two > maxDelay + 1. */
  readonly recentLength: number;
  /** Largest delay, steps; 0 means no delays. */
  readonly maxDelay: number;
  /** The common delay in steps when every synapse has the same one, else −1. */
  readonly uniformDelay: number;
  /** Posts of each input, grouped by delay: input i, delay d → delayPosts[delayStart[i(D+1)+d] …]. */
  readonly delayPosts: Uint16Array | Int32Array;
  readonly delayStart: Int32Array;
  readonly schedule: DiehlCookSchedule;
  /** Spike steps drawn for the schedule before sorting (grown on demand). */
  drawnSteps: Int32Array;
  drawnIds: Int32Array;
}

/** The network: parameters, learned variables and simulation state, owned by the caller. */
export interface DiehlCookNetwork {
  readonly params: DiehlCookNetworkParams;
  /** Input → excitatory weights, [input][neuron]: `weights[i·N + j]`, dimensionless. */
  readonly weights: Float32Array;
  /** Delay of each input → excitatory synapse, steps of dt, [input][neuron]. */
  readonly delays: Uint8Array;
  /** Excitatory population (θ in `excitatory.theta`, mV). */
  readonly excitatory: ConductanceLifState;
  /** Inhibitory population. */
  readonly inhibitory: ConductanceLifState;
  /** Fast post trace y₁ of each excitatory neuron (depression), dimensionless. */
  readonly post1: Float32Array;
  /** Slow post trace y₂ of each excitatory neuron (potentiation), dimensionless. */
  readonly post2: Float32Array;
  /**
   * The last L = `work.recentLength` spike steps (on `clock`) of each input, a ring per input:
   * `recentSpikes[i·L + (r mod L)]`, newest at r = recentCount[i] − 1.
   * A synapse's pre trace is read from the newest spike that has arrived over its delay.
   */
  readonly recentSpikes: Int32Array;
  /** Spikes recorded per input (ring position). */
  readonly recentCount: Int32Array;
  /** Steps simulated, the clock of `recentSpikes` (rebased now and then to stay within int32). */
  clock: number;
  /** Scratch buffers; internal. */
  readonly work: DiehlCookWork;
}

export const NEVER = -(2 ** 31);
export const REBASE_AT = 2 ** 30;
const PRE_TRACE_TABLE_MAX = 1 << 20;

function preTraceTable(decay: number): { table: Float32Array; converged: boolean } {
  const values: number[] = [1];
  let x = 1;
  while (values.length < PRE_TRACE_TABLE_MAX) {
    const next = Math.fround(x * decay);
    if (next === x) return { table: Float32Array.from(values), converged: true };
    values.push(next);
    x = next;
  }
  return { table: Float32Array.from(values), converged: false };
}

/**
 * Spikes at most one per step, so at most maxDelay of an input's spikes can still be on their way
 * to a synapse: the newest arrived one is among the last maxDelay + 1.
 */
function recentLengthFor(delays: Uint8Array): number {
  let maxDelay = 0;
  for (let k = 0; k < delays.length; k++) if (delays[k]! > maxDelay) maxDelay = delays[k]!;
  let length = 2;
  while (length < maxDelay + 2) length *= 2;
  return length;
}

function buildWork(p: DiehlCookNetworkParams, delays: Uint8Array): DiehlCookWork {
  const n = p.neurons;
  const presentSteps = Math.round(p.presentTime / p.dt);
  const restSteps = Math.round(p.restTime / p.dt);
  let maxDelay = 0;
  let minDelay = 255;
  for (let k = 0; k < delays.length; k++) {
    if (delays[k]! > maxDelay) maxDelay = delays[k]!;
    if (delays[k]! < minDelay) minDelay = delays[k]!;
  }
  const uniformDelay = maxDelay === minDelay ? maxDelay : -1;
  const slots = maxDelay + 1;
  let delayPosts: Uint16Array | Int32Array = new Uint16Array(0);
  let delayStart = new Int32Array(0);
  if (uniformDelay < 0) {
    // Counting sort of each input's posts by delay (stable: ascending post within a delay).
    // 16-bit post indices halve the memory this loop streams through, for N ≤ 65536.
    delayPosts = n <= 65536 ? new Uint16Array(p.inputs * n) : new Int32Array(p.inputs * n);
    delayStart = new Int32Array(p.inputs * (slots + 1));
    for (let i = 0; i < p.inputs; i++) {
      const base = i * (slots + 1);
      const row = i * n;
      for (let j = 0; j < n; j++) delayStart[base + delays[row + j]! + 1]!++;
      delayStart[base] = row;
      for (let d = 0; d < slots; d++) delayStart[base + d + 1]! += delayStart[base + d]!;
      const fill = delayStart.slice(base, base + slots);
      for (let j = 0; j < n; j++) delayPosts[fill[delays[row + j]!]!++] = j;
    }
  }
  const { table, converged } = preTraceTable(Math.exp(-p.dt / p.stdp.tauPre));
  const identity = new Int32Array(n);
  for (let j = 0; j < n; j++) identity[j] = j;
  const inh = p.inhibitory;
  const sleeps = inh.thetaInit === 0 && inh.thetaPlus === 0 && !(inh.vRest > inh.vThreshold - inh.thetaOffset);
  return {
    presentSteps,
    restSteps,
    excitatoryStep: populationConstants(p.excitatory, p.dt),
    excitatoryFrozenStep: populationConstants(conductanceLifParams({ ...p.excitatory, freezeTheta: true }), p.dt),
    inhibitoryStep: populationConstants(p.inhibitory, p.dt),
    decayPost1: Math.exp(-p.dt / p.stdp.tauPost1),
    decayPost2: Math.exp(-p.dt / p.stdp.tauPost2),
    decayPre: Math.exp(-p.dt / p.stdp.tauPre),
    excInput: new Float32Array(n),
    inhInput: new Float32Array(n),
    excFired: new Int32Array(n),
    inhFired: new Int32Array(n),
    allNeurons: identity,
    inhibitorySleeps: sleeps,
    inhAwake: sleeps ? new Int32Array(n) : identity,
    inhIsAwake: new Uint8Array(n).fill(sleeps ? 0 : 1),
    inhAwakeCount: sleeps ? 0 : n,
    sums: new Float64Array(n),
    preTrace: table,
    preTraceConverged: converged,
    maxDelay,
    recentLength: recentLengthFor(delays),
    uniformDelay,
    delayPosts,
    delayStart,
    schedule: { steps: 0, start: new Int32Array(presentSteps + 1), ids: new Int32Array(4096) },
    drawnSteps: new Int32Array(4096),
    drawnIds: new Int32Array(4096),
  };
}

function describeNetwork(this: DiehlCookNetwork): string {
  const p = this.params;
  return `DiehlCookNetwork(${p.inputs} inputs → ${p.neurons} excitatory + ${p.neurons} inhibitory, ` +
    `delays ${p.delayMin}–${p.delayMax} ms, rest "${p.rest}", ${this.clock} steps)`;
}

export function assemble(p: DiehlCookNetworkParams, weights: Float32Array, delays: Uint8Array, theta: Float64Array | undefined): DiehlCookNetwork {
  const excitatory = conductanceLifInit(p.neurons, p.excitatory);
  if (theta) excitatory.theta.set(theta);
  const net: DiehlCookNetwork = {
    params: p,
    weights,
    delays,
    excitatory,
    inhibitory: conductanceLifInit(p.neurons, p.inhibitory),
    post1: new Float32Array(p.neurons),
    post2: new Float32Array(p.neurons),
    recentSpikes: new Int32Array(p.inputs * recentLengthFor(delays)).fill(NEVER),
    recentCount: new Int32Array(p.inputs),
    clock: 0,
    work: buildWork(p, delays),
  };
  Object.defineProperty(net, Symbol.for("nodejs.util.inspect.custom"), { value: describeNetwork, enumerable: false });
  return net;
}

/**
 * A new network at rest: weights uniform in [0, weightInitMax), drawn in [input][neuron] order,
 * then delays uniform in [delayMin, delayMax] ms rounded to steps, both from `rng`; θ at thetaInit.
 *
 * @example
 *   const net = diehlCookNetworkInit(diehlCookNetworkParams({ neurons: 100 }), createRng(7));
 *   net.weights.length;   // 78400
 */
export function diehlCookNetworkInit(params: DiehlCookNetworkParams, rng: Rng): DiehlCookNetwork {
  const fn = "diehlCookNetworkInit";
  if (params === null || typeof params !== "object") fail(fn, "params", "be the record of diehlCookNetworkParams", params);
  const p = diehlCookNetworkParams(params);
  checkRng(fn, "rng", rng);
  const size = p.inputs * p.neurons;
  const weights = new Float32Array(size);
  for (let k = 0; k < size; k++) weights[k] = rng.uniform(0, p.weightInitMax);
  const delays = new Uint8Array(size);
  const lo = p.delayMin / p.dt;
  const span = (p.delayMax - p.delayMin) / p.dt;
  if (span === 0) delays.fill(Math.round(lo));
  else for (let k = 0; k < size; k++) delays[k] = Math.round(lo + span * rng.next());
  return assemble(p, weights, delays, undefined);
}

/**
 * Scales each excitatory neuron's input weights to sum to `weightSum`, in place; what
 * `normalizeIncoming` does on the [input][neuron] layout, with the same double-precision sums and
 * one float32 rounding per weight. A neuron whose weights sum to 0 is left alone.
 */
export function diehlCookNormalize(net: DiehlCookNetwork): void {
  checkNetwork("diehlCookNormalize", net);
  const { weights: w, params: p } = net;
  const n = p.neurons;
  const sums = net.work.sums;
  sums.fill(0);
  for (let i = 0, row = 0; i < p.inputs; i++, row += n) {
    for (let j = 0; j < n; j++) sums[j]! += w[row + j]!;
  }
  for (let j = 0; j < n; j++) sums[j] = sums[j] === 0 ? 1 : p.weightSum / sums[j]!;
  for (let i = 0, row = 0; i < p.inputs; i++, row += n) {
    for (let j = 0; j < n; j++) w[row + j]! *= sums[j]!;
  }
}
