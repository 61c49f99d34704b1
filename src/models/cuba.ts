/**
 * The CUBA network of Brette et al. (2007, J. Comput. Neurosci. 23:349, benchmark 2), exactly as
 * Brian2's `examples/CUBA.py` and the project's peer script `shared/bench/cuba_brian2.py`:
 *
 *   - N neurons (default 4000) of `cubaNeuron` (τm 20 ms, τe 5 ms, τi 10 ms, El −49 mV,
 *     threshold −50 mV, reset −60 mV, refractory 5 ms), integrated exactly at dt = 0.1 ms;
 *   - 80 % excitatory, 20 % inhibitory; every (pre, post) pair connected with probability p,
 *     autapses included, as `connect(p=…)`;
 *   - excitatory spikes add we = 60·0.27/10 mV = 1.62 mV to ge, inhibitory ones
 *     wi = −20·4.5/10 mV = −9 mV to gi, without delay;
 *   - initial v uniform in [vReset, vThreshold), ge = gi = 0.
 *
 * Scaling with N, as the peer script: "indegree" (default) keeps 80 inputs per neuron
 * (p = 0.02·4000/N) and the weights, so the dynamics and rates do not change with N and the cost
 * grows linearly; "fixed-probability" keeps p = 0.02 and scales the weights by 4000/N.
 * Brian2's run gives a mean rate of 5.6 Hz at every N (indegree scaling).
 *
 * The excitatory and inhibitory neurons are two populations ("exc", "inh") and four projections
 * with uniform weights (`uniformSynapses`); the returned raster numbers them 0…Ne−1 (exc) and
 * Ne…N−1 (inh), Brian2's order.
 *
 * @example
 *   const r = cuba({ size: 4000, duration: 1000 * ms, seed: 1 });
 *   r.meanRate;          // ≈ 5.6 Hz
 *   r.train;             // SpikeTrain of all 4000 neurons
 */
import { createRng } from "../core/random";
import { fail, integer, mergeOptions, oneOf, positive, probability } from "../core/validate";
import type { SpikeTrain } from "../encoders/spike-train";
import { spikeMonitor } from "../network/monitors";
import { network, type Network } from "../network/network";
import { population, type Population } from "../network/population";
import { projection } from "../network/projection";
import { simulate } from "../network/simulate";
import { fixedProbability } from "../synapses/connectivity";
import { uniformSynapses } from "../synapses/synapse-matrix";
import { cubaNeuron, cubaNeuronParams, type CubaNeuronParams, type CubaNeuronState } from "./cuba-neuron";

/** How the network scales with N (file header). */
export type CubaScaling = "indegree" | "fixed-probability";

/** Parameters of the CUBA network. */
export interface CubaParams {
  /** Number of neurons N. */
  readonly size: number;
  /** Fraction of excitatory neurons (Ne = ⌊fraction·N⌋). */
  readonly excitatoryFraction: number;
  /** Connection probability at N = 4000 (0.02); scaled with N by `scaling`. */
  readonly connectionProbability: number;
  /** How p and the weights scale with N. */
  readonly scaling: CubaScaling;
  /** Excitatory weight we, mV (added to ge). */
  readonly excitatoryWeight: number;
  /** Inhibitory weight wi, mV (added to gi; negative). */
  readonly inhibitoryWeight: number;
  /** Neuron parameters (`cubaNeuronParams`). */
  readonly neuron: Partial<CubaNeuronParams>;
  /** Simulated time, ms. */
  readonly duration: number;
  /** Step, ms. */
  readonly dt: number;
  /** Seed of the connectivity and the initial potentials. */
  readonly seed: number;
}

/** Defaults: Brian2's CUBA.py (N 4000, 80/20, p 0.02, we 1.62 mV, wi −9 mV, 1 s at 0.1 ms), seed 1. */
export const cubaDefaults: Readonly<CubaParams> = Object.freeze({
  size: 4000, excitatoryFraction: 0.8, connectionProbability: 0.02, scaling: "indegree",
  excitatoryWeight: 60 * 0.27 / 10, inhibitoryWeight: -20 * 4.5 / 10,
  neuron: Object.freeze({}), duration: 1000, dt: 0.1, seed: 1,
});

/** The scaling modes. */
export const cubaScalings: readonly CubaScaling[] = Object.freeze(["indegree", "fixed-probability"] as const);

/** Validated CUBA parameters over `cubaDefaults` (the standard error otherwise). */
export function cubaParams(options: Partial<CubaParams> = {}): CubaParams {
  const fn = "cubaParams";
  const p = mergeOptions(fn, cubaDefaults, options);
  integer(fn, "size", p.size, 2);
  probability(fn, "excitatoryFraction", p.excitatoryFraction);
  probability(fn, "connectionProbability", p.connectionProbability);
  oneOf(fn, "scaling", p.scaling, cubaScalings);
  if (typeof p.excitatoryWeight !== "number" || !Number.isFinite(p.excitatoryWeight)) fail(fn, "excitatoryWeight", "be a finite number", p.excitatoryWeight);
  if (typeof p.inhibitoryWeight !== "number" || !Number.isFinite(p.inhibitoryWeight)) fail(fn, "inhibitoryWeight", "be a finite number", p.inhibitoryWeight);
  cubaNeuronParams(p.neuron);
  positive(fn, "duration", p.duration);
  positive(fn, "dt", p.dt);
  integer(fn, "seed", p.seed, 0);
  const ne = Math.floor(p.excitatoryFraction * p.size);
  if (ne < 1 || ne >= p.size) fail(fn, "excitatoryFraction", `leave both populations non-empty at size ${p.size}`, p.excitatoryFraction);
  return Object.freeze({ ...p, neuron: Object.freeze({ ...p.neuron }) });
}

/** A built CUBA network, for running it step by step or with extra monitors. */
export interface CubaNetwork {
  readonly network: Network;
  readonly excitatory: Population<CubaNeuronParams, CubaNeuronState>;
  readonly inhibitory: Population<CubaNeuronParams, CubaNeuronState>;
  /** The connection probability used (after scaling). */
  readonly probability: number;
  /** Number of synapses. */
  readonly synapses: number;
}

/**
 * Builds the CUBA network of `params` (file header) with its initial potentials drawn: two
 * populations "exc" and "inh", four projections "exc→exc", "exc→inh" (target ge),
 * "inh→exc", "inh→inh" (target gi).
 */
export function cubaNetwork(params: Partial<CubaParams> = {}): CubaNetwork {
  const p = cubaParams(params);
  const rng = createRng(p.seed);
  const ne = Math.floor(p.excitatoryFraction * p.size);
  const ni = p.size - ne;
  const scale = p.scaling === "indegree" ? 1 : 4000 / p.size;
  const prob = p.scaling === "indegree" ? Math.min(1, p.connectionProbability * 4000 / p.size) : p.connectionProbability;
  const exc = population("exc", cubaNeuron, ne, { params: p.neuron });
  const inh = population("inh", cubaNeuron, ni, { params: p.neuron });
  // v uniform in [vReset, vThreshold), one draw per neuron in Brian2's order (exc first).
  const np = exc.params;
  const init = rng.fork();
  for (const pop of [exc, inh]) {
    const v = pop.state.v;
    for (let k = 0; k < v.length; k++) v[k] = np.vReset + init.next() * (np.vThreshold - np.vReset);
  }
  const connect = (pre: number, post: number) => fixedProbability(pre, post, { p: prob, rng: rng.fork() });
  const we = p.excitatoryWeight * scale;
  const wi = p.inhibitoryWeight * scale;
  const projections = [
    projection(exc, exc, { synapses: uniformSynapses(connect(ne, ne), { weight: we }), target: "ge" }),
    projection(exc, inh, { synapses: uniformSynapses(connect(ne, ni), { weight: we }), target: "ge" }),
    projection(inh, exc, { synapses: uniformSynapses(connect(ni, ne), { weight: wi }), target: "gi" }),
    projection(inh, inh, { synapses: uniformSynapses(connect(ni, ni), { weight: wi }), target: "gi" }),
  ];
  let synapses = 0;
  for (const q of projections) synapses += q.synapses.nSynapses;
  return Object.freeze({
    network: network({ populations: [exc, inh], projections }), excitatory: exc, inhibitory: inh, probability: prob, synapses,
  });
}

/** What `cuba` returns. */
export interface CubaResult {
  /** Every spike, neurons 0…Ne−1 excitatory and Ne…N−1 inhibitory. */
  readonly train: SpikeTrain;
  /** Firing rate of each neuron over the run, Hz. */
  readonly rates: Float32Array;
  /** Mean firing rate, Hz. */
  readonly meanRate: number;
  /** Number of synapses. */
  readonly synapses: number;
  /** Synaptic operations (Σ spikes × fan-out). */
  readonly sops: number;
  /** Steps simulated (fewer than requested when interrupted). */
  readonly steps: number;
  /** True when `shouldStop` ended the run early. */
  readonly stopped: boolean;
}

/** Run options of the model functions (the kernel's progress bar and interrupt). */
export interface ModelRunOptions {
  /** Called with (steps done, steps requested) every ~1 % of the run. */
  readonly onProgress: ((done: number, total: number) => void) | null;
  /** Asked before every step; true stops the run. */
  readonly shouldStop: (() => boolean) | null;
}

/** Defaults of the run options: no callbacks. */
export const modelRunDefaults: Readonly<ModelRunOptions> = Object.freeze({ onProgress: null, shouldStop: null });

/**
 * Builds and runs the CUBA network (file header) for `params.duration` and returns the raster and
 * rates. Deterministic for a seed.
 */
export function cuba(params: Partial<CubaParams> = {}, options?: Partial<ModelRunOptions>): CubaResult {
  const o = mergeOptions("cuba", modelRunDefaults, options);
  const p = cubaParams(params);
  const built = cubaNetwork(p);
  const excMonitor = spikeMonitor("exc");
  const inhMonitor = spikeMonitor("inh");
  const result = simulate(built.network, {
    duration: p.duration, dt: p.dt, monitors: [excMonitor, inhMonitor], onProgress: o.onProgress, shouldStop: o.shouldStop,
  });
  const ne = built.excitatory.size;
  const train = mergeTrains(excMonitor.train(), inhMonitor.train(), ne, p.size, result.time);
  const rates = new Float32Array(p.size);
  const seconds = result.time / 1000;
  for (let s = 0; s < train.ids.length; s++) rates[train.ids[s]] += 1;
  let total = 0;
  for (let k = 0; k < rates.length; k++) {
    total += rates[k];
    rates[k] = seconds > 0 ? rates[k] / seconds : 0;
  }
  return Object.freeze({
    train, rates, meanRate: seconds > 0 ? total / p.size / seconds : 0, synapses: built.synapses, sops: result.sops,
    steps: result.steps, stopped: result.stopped,
  });
}

/** Merges two time-sorted trains; ids of `b` are shifted by `offset` (ties: a before b, so ids stay ascending). */
export function mergeTrains(a: SpikeTrain, b: SpikeTrain, offset: number, size: number, duration: number): SpikeTrain {
  const n = a.times.length + b.times.length;
  const times = new Float32Array(n);
  const ids = new Int32Array(n);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (j >= b.times.length || (i < a.times.length && a.times[i] <= b.times[j])) {
      times[k] = a.times[i];
      ids[k] = a.ids[i++];
    } else {
      times[k] = b.times[j];
      ids[k] = b.ids[j++] + offset;
    }
  }
  return Object.freeze({ times, ids, size, duration });
}
