/**
 * The 1000-neuron network of Izhikevich (2003, IEEE Trans. Neural Netw. 14:1569, Fig. 3; card E3),
 * with the library's `izhikevich` model and one parameter value per neuron:
 *
 *   - Ne = 800 excitatory neurons, re ~ U(0, 1): a = 0.02, b = 0.2, c = −65 + 15·re², d = 8 − 6·re²
 *     (regular spiking, shading into chattering);
 *   - Ni = 200 inhibitory neurons, ri ~ U(0, 1): a = 0.02 + 0.08·ri, b = 0.25 − 0.05·ri, c = −65,
 *     d = 2 (fast spiking, shading into low-threshold spiking);
 *   - all-to-all coupling, self-pairs included, weights S = [0.5·U(0, 1) for excitatory
 *     presynaptic neurons, −U(0, 1) for inhibitory ones];
 *   - thalamic input I = 5·N(0, 1) (excitatory) and 2·N(0, 1) (inhibitory), redrawn every 1 ms
 *     (`noiseInput`);
 *   - v = −65 mV, u = b·v at the start; 1000 ms.
 *
 * How a spike acts (`synapse`):
 *   "current" (the paper's MATLAB code, default): the fired neurons' column of S is added to the
 *             input current I of the next step, I = I_thalamic + Σ S(:, fired); at the paper's
 *             dt = 1 ms (two 0.5 ms half-steps of v) this moves v by about S.
 *   "jump"    (Brian2's `examples/frompapers/Izhikevich_2003.py` and the peer script
 *             `cellmodels_brian2.py`): v_post += S at once (`on_pre='v_post += w'`), independent
 *             of dt; the peer runs it at dt = 0.5 ms.
 *
 * The integration is the library's (`neurons/izhikevich.ts`): two Euler half-steps of v per step,
 * then u. The paper reports alpha and gamma rhythms; Brian2's run of the "jump" variant at
 * dt = 0.5 ms gives a mean rate of 8.4 Hz.
 *
 * @example
 *   const r = izhikevichNetwork({ seed: 3 });               // the paper: dt 1 ms, current synapses
 *   const b = izhikevichNetwork({ dt: 0.5 * ms, synapse: "jump" });   // Brian2's variant
 *   r.meanRate;   // Hz
 */
import { createRng } from "../core/random";
import { fail, integer, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import type { SpikeTrain } from "../encoders/spike-train";
import { noiseInput } from "../network/inputs";
import { spikeMonitor } from "../network/monitors";
import { network, type Network } from "../network/network";
import { population, type Population } from "../network/population";
import { projection } from "../network/projection";
import { simulate } from "../network/simulate";
import { izhikevich, type IzhikevichParams, type IzhikevichState } from "../neurons/izhikevich";
import { allToAll } from "../synapses/connectivity";
import { sparseSynapses } from "../synapses/synapse-matrix";
import { modelRunDefaults, type ModelRunOptions } from "./cuba";

/** How a spike acts on its targets (file header). */
export type IzhikevichSynapse = "current" | "jump";

/** The synapse modes. */
export const izhikevichSynapses: readonly IzhikevichSynapse[] = Object.freeze(["current", "jump"] as const);

/** Parameters of the network. */
export interface IzhikevichNetworkParams {
  /** Number of excitatory neurons Ne. */
  readonly excitatory: number;
  /** Number of inhibitory neurons Ni. */
  readonly inhibitory: number;
  /** Scale of excitatory weights: S ~ scale·U(0, 1), mV/ms ("current") or mV ("jump"). */
  readonly excitatoryWeight: number;
  /** Scale of inhibitory weights: S ~ −scale·U(0, 1). */
  readonly inhibitoryWeight: number;
  /** Standard deviation of the thalamic input of excitatory neurons, mV/ms. */
  readonly excitatoryNoise: number;
  /** Standard deviation of the thalamic input of inhibitory neurons, mV/ms. */
  readonly inhibitoryNoise: number;
  /** Time between thalamic draws, ms. */
  readonly noiseInterval: number;
  /** How spikes act. */
  readonly synapse: IzhikevichSynapse;
  /** Simulated time, ms. */
  readonly duration: number;
  /** Step, ms (the paper: 1 ms). */
  readonly dt: number;
  /** Seed of the heterogeneity, the weights and the thalamic input. */
  readonly seed: number;
}

/** Defaults: the paper's network, 800 + 200 neurons, 1000 ms at dt = 1 ms, current synapses, seed 1. */
export const izhikevichNetworkDefaults: Readonly<IzhikevichNetworkParams> = Object.freeze({
  excitatory: 800, inhibitory: 200, excitatoryWeight: 0.5, inhibitoryWeight: 1, excitatoryNoise: 5, inhibitoryNoise: 2,
  noiseInterval: 1, synapse: "current", duration: 1000, dt: 1, seed: 1,
});

/** Validated parameters over `izhikevichNetworkDefaults`. */
export function izhikevichNetworkParams(options: Partial<IzhikevichNetworkParams> = {}): IzhikevichNetworkParams {
  const fn = "izhikevichNetworkParams";
  const p = mergeOptions(fn, izhikevichNetworkDefaults, options);
  integer(fn, "excitatory", p.excitatory, 0);
  integer(fn, "inhibitory", p.inhibitory, 0);
  if (p.excitatory + p.inhibitory < 1) fail(fn, "excitatory + inhibitory", "be at least 1", p.excitatory + p.inhibitory);
  nonNegative(fn, "excitatoryWeight", p.excitatoryWeight);
  nonNegative(fn, "inhibitoryWeight", p.inhibitoryWeight);
  nonNegative(fn, "excitatoryNoise", p.excitatoryNoise);
  nonNegative(fn, "inhibitoryNoise", p.inhibitoryNoise);
  positive(fn, "noiseInterval", p.noiseInterval);
  oneOf(fn, "synapse", p.synapse, izhikevichSynapses);
  positive(fn, "duration", p.duration);
  positive(fn, "dt", p.dt);
  integer(fn, "seed", p.seed, 0);
  return Object.freeze(p);
}

/** The built network. */
export interface IzhikevichNetworkBuilt {
  readonly network: Network;
  /** The one population "cortex": neurons 0…Ne−1 excitatory, Ne…N−1 inhibitory. */
  readonly cortex: Population<IzhikevichParams, IzhikevichState>;
}

/** Builds the network of `params` (file header) without running it. */
export function izhikevichNetworkBuild(params: Partial<IzhikevichNetworkParams> = {}): IzhikevichNetworkBuilt {
  const p = izhikevichNetworkParams(params);
  const rng = createRng(p.seed);
  const ne = p.excitatory;
  const ni = p.inhibitory;
  const n = ne + ni;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const c = new Float32Array(n);
  const d = new Float32Array(n);
  const sd = new Float32Array(n);
  const heterogeneity = rng.fork();
  for (let k = 0; k < n; k++) {
    const r = heterogeneity.next();
    if (k < ne) {
      a[k] = 0.02;
      b[k] = 0.2;
      c[k] = -65 + 15 * r * r;
      d[k] = 8 - 6 * r * r;
      sd[k] = p.excitatoryNoise;
    } else {
      a[k] = 0.02 + 0.08 * r;
      b[k] = 0.25 - 0.05 * r;
      c[k] = -65;
      d[k] = 2;
      sd[k] = p.inhibitoryNoise;
    }
  }
  const cortex = population("cortex", izhikevich, n, { params: { a, b, c, d, vPeak: 30, vInit: -65 } });
  const weights = rng.fork();
  // All-to-all as CSR by pre (Brian2's synapse order): a spike reads its row contiguously.
  const synapses = sparseSynapses(allToAll(n, n), {
    weight: (pre) => (pre < ne ? p.excitatoryWeight * weights.next() : -p.inhibitoryWeight * weights.next()),
  });
  const coupling = projection(cortex, cortex, { synapses, target: p.synapse === "jump" ? "v" : "input", name: "S" });
  const thalamus = noiseInput(cortex, { sd, interval: p.noiseInterval, rng: rng.fork() });
  return Object.freeze({ network: network({ populations: [cortex], projections: [coupling], inputs: [thalamus] }), cortex });
}

/** What `izhikevichNetwork` returns. */
export interface IzhikevichNetworkResult {
  /** Every spike; neurons 0…Ne−1 excitatory, Ne…N−1 inhibitory. */
  readonly train: SpikeTrain;
  /** Rate of each neuron, Hz. */
  readonly rates: Float32Array;
  /** Mean rate, Hz. */
  readonly meanRate: number;
  /** Synaptic operations. */
  readonly sops: number;
  /** Steps simulated. */
  readonly steps: number;
  /** True when interrupted. */
  readonly stopped: boolean;
}

/**
 * Builds and runs the network (file header); deterministic for a seed.
 *
 * @example
 *   const { train } = izhikevichNetwork({ duration: 1000 * ms });
 */
export function izhikevichNetwork(params: Partial<IzhikevichNetworkParams> = {}, options?: Partial<ModelRunOptions>): IzhikevichNetworkResult {
  const o = mergeOptions("izhikevichNetwork", modelRunDefaults, options);
  const p = izhikevichNetworkParams(params);
  const built = izhikevichNetworkBuild(p);
  const monitor = spikeMonitor(built.cortex);
  const result = simulate(built.network, {
    duration: p.duration, dt: p.dt, monitors: [monitor], onProgress: o.onProgress, shouldStop: o.shouldStop,
  });
  const train = monitor.train();
  const n = built.cortex.size;
  const rates = new Float32Array(n);
  const seconds = result.time / 1000;
  for (let s = 0; s < train.ids.length; s++) rates[train.ids[s]] += 1;
  for (let k = 0; k < n; k++) rates[k] = seconds > 0 ? rates[k] / seconds : 0;
  return Object.freeze({
    train, rates, meanRate: seconds > 0 ? train.ids.length / n / seconds : 0, sops: result.sops, steps: result.steps, stopped: result.stopped,
  });
}
