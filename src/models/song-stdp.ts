/**
 * Song, Miller & Abbott (2000, Nat. Neurosci. 3:919), "Competitive Hebbian learning through
 * spike-timing-dependent synaptic plasticity", exactly as Brian2's `examples/synapses/STDP.py` and
 * the peer script `shared/bench/stdp_song_brian2.py` (card E4):
 *
 *   - 1000 Poisson inputs at 15 Hz, all onto one conductance-based LIF neuron,
 *       τm dv/dt = ge·(Ee − v) + El − v,   τe dge/dt = −ge,
 *     τm 10 ms, Ee 0 mV, El −74 mV, threshold −54 mV, reset −60 mV, τe 5 ms, no refractoriness,
 *     forward Euler at dt = 0.1 ms (`conductanceLif` with method "euler");
 *   - an input spike adds its weight w (dimensionless, in units of the leak conductance) to ge;
 *     initial w ~ U(0, gmax), gmax = 0.01;
 *   - additive pair STDP with all-to-all traces (`stdpStep`), τ+ = τ− = 20 ms,
 *     A+ = 0.01·gmax, A− = −1.05·A+·τ+/τ−, weights clipped to [0, gmax].
 *
 * Because depression slightly outweighs potentiation, the synapses compete and the final weight
 * distribution is bimodal (U-shaped): most weights end near 0 or near gmax. Brian2's 100 s run
 * gives an output rate of 26.4 Hz with 23 % of the weights below 0.1·gmax and 18.5 % above
 * 0.9·gmax. (Brian2 starts v at 0 mV, which fires once at t = 0; we start at rest, El.)
 *
 * @example
 *   const r = songStdp({ duration: 100 * second, seed: 1 });
 *   r.histogram;                         // 20 bins of w/gmax
 *   r.fractionLow, r.fractionHigh;       // below 0.1·gmax, above 0.9·gmax
 */
import { createRng } from "../core/random";
import { Hz } from "../core/units";
import { fail, integer, mergeOptions, nonNegative, positive } from "../core/validate";
import type { SpikeTrain } from "../encoders/spike-train";
import { spikeMonitor, type SpikeMonitor } from "../network/monitors";
import { network } from "../network/network";
import { poissonGroup, population } from "../network/population";
import { projection } from "../network/projection";
import type { StateTrace } from "../network/records";
import { simulate } from "../network/simulate";
import { conductanceLif } from "../neurons/conductance-lif";
import { stdpParams } from "../plasticity/stdp";
import { allToAll } from "../synapses/connectivity";
import { sparseSynapses } from "../synapses/synapse-matrix";
import { modelRunDefaults, type ModelRunOptions } from "./cuba";

/** Parameters of the Song et al. experiment. */
export interface SongStdpParams {
  /** Number of Poisson inputs. */
  readonly inputs: number;
  /** Input rate, 1/ms (write `15 * Hz`). */
  readonly rate: number;
  /** Membrane time constant τm, ms. */
  readonly tauMem: number;
  /** Leak reversal El, mV. */
  readonly vRest: number;
  /** Threshold, mV. */
  readonly vThreshold: number;
  /** Reset, mV. */
  readonly vReset: number;
  /** Excitatory reversal Ee, mV. */
  readonly eExc: number;
  /** Excitatory conductance decay τe, ms. */
  readonly tauExc: number;
  /** Maximal weight gmax (dimensionless, units of the leak conductance). */
  readonly gMax: number;
  /** Potentiation per pair, in units of gmax (A+ = aPlus·gmax). */
  readonly aPlus: number;
  /** Depression dominance: A− = −ratio·A+·τ+/τ−. */
  readonly depressionRatio: number;
  /** Pre-trace time constant τ+, ms. */
  readonly tauPlus: number;
  /** Post-trace time constant τ−, ms. */
  readonly tauMinus: number;
  /** Simulated time, ms. */
  readonly duration: number;
  /** Step, ms. */
  readonly dt: number;
  /** Period of the weight samples of `weightTrace`, ms (a whole number of steps; ≤ duration). */
  readonly sampleEvery: number;
  /** Whether to record the input spikes (Brian2's example does; 15,000 spikes per second). */
  readonly recordInputs: boolean;
  /** Seed of the initial weights and the inputs. */
  readonly seed: number;
}

/** Defaults: Brian2's STDP.py (1000 inputs at 15 Hz, gmax 0.01, 100 s at 0.1 ms), seed 1. */
export const songStdpDefaults: Readonly<SongStdpParams> = Object.freeze({
  inputs: 1000, rate: 15 * Hz, tauMem: 10, vRest: -74, vThreshold: -54, vReset: -60, eExc: 0, tauExc: 5,
  gMax: 0.01, aPlus: 0.01, depressionRatio: 1.05, tauPlus: 20, tauMinus: 20,
  duration: 100_000, dt: 0.1, sampleEvery: 1000, recordInputs: false, seed: 1,
});

/** Validated parameters over `songStdpDefaults`. */
export function songStdpParams(options: Partial<SongStdpParams> = {}): SongStdpParams {
  const fn = "songStdpParams";
  const p = mergeOptions(fn, songStdpDefaults, options);
  integer(fn, "inputs", p.inputs, 1);
  nonNegative(fn, "rate", p.rate);
  for (const key of ["tauMem", "tauExc", "gMax", "aPlus", "depressionRatio", "tauPlus", "tauMinus", "duration", "dt", "sampleEvery"] as const) {
    positive(fn, key, p[key]);
  }
  if (p.sampleEvery > p.duration) fail(fn, "sampleEvery", `be at most duration (${p.duration})`, p.sampleEvery);
  if (typeof p.recordInputs !== "boolean") fail(fn, "recordInputs", "be a boolean", p.recordInputs);
  integer(fn, "seed", p.seed, 0);
  return Object.freeze(p);
}

/** What `songStdp` returns. */
export interface SongStdpResult {
  /** Final weights, one per input (dimensionless, in [0, gmax]). */
  readonly weights: Float32Array;
  /** Counts of w/gmax in 20 equal bins of [0, 1]. */
  readonly histogram: Int32Array;
  /** Fraction of weights below 0.1·gmax. */
  readonly fractionLow: number;
  /** Fraction of weights above 0.9·gmax. */
  readonly fractionHigh: number;
  /** Mean of w/gmax. */
  readonly meanWeight: number;
  /** Output rate over the run, Hz. */
  readonly outputRate: number;
  /** Mean input rate over the run, Hz. */
  readonly inputRate: number;
  /** The output neuron's spikes. */
  readonly outputTrain: SpikeTrain;
  /** The inputs' spikes when `recordInputs`, else null. */
  readonly inputTrain: SpikeTrain | null;
  /** w/gmax of every input every `sampleEvery` ms (ids = input indices), starting at t = 0. */
  readonly weightTrace: StateTrace;
  /** Steps simulated. */
  readonly steps: number;
  /** True when interrupted. */
  readonly stopped: boolean;
}

/**
 * Runs the experiment (file header) and returns the final weights and their distribution.
 * Deterministic for a seed.
 */
export function songStdp(params: Partial<SongStdpParams> = {}, options?: Partial<ModelRunOptions>): SongStdpResult {
  const fn = "songStdp";
  const o = mergeOptions(fn, modelRunDefaults, options);
  const p = songStdpParams(params);
  const rng = createRng(p.seed);
  const neuron = population("neuron", conductanceLif, 1, {
    params: {
      vRest: p.vRest, vReset: p.vReset, vThreshold: p.vThreshold, tauMem: p.tauMem, tRef: 0, thresholdHoldoff: 0,
      eExc: p.eExc, tauGe: p.tauExc, thetaPlus: 0, thetaInit: 0, thetaOffset: 0, method: "euler",
    },
  });
  const weightRng = rng.fork();
  const input = poissonGroup("input", p.inputs, { rates: p.rate, rng: rng.fork() });
  const aPlus = p.aPlus * p.gMax;
  const synapses = projection(input, neuron, {
    synapses: sparseSynapses(allToAll(p.inputs, 1), { weight: () => weightRng.next() * p.gMax }),
    plasticity: stdpParams({
      aPlus, aMinus: -p.depressionRatio * aPlus * p.tauPlus / p.tauMinus, tauPlus: p.tauPlus, tauMinus: p.tauMinus,
      wMin: 0, wMax: p.gMax, weightDependence: "hard", interaction: "all-to-all",
    }),
  });
  const net = network({ populations: [input, neuron], projections: [synapses] });
  const output = spikeMonitor(neuron);
  const monitors: SpikeMonitor[] = [output];
  const inputMonitor = p.recordInputs ? spikeMonitor(input) : null;
  if (inputMonitor) monitors.push(inputMonitor);

  const w = synapses.synapses.w;
  const chunks = Math.ceil(p.duration / p.sampleEvery - 1e-9);
  const times: number[] = [0];
  const samples: Float32Array[] = [scaled(w, p.gMax)];
  const total = Math.round(p.duration / p.dt);
  let done = 0;
  let stopped = false;
  for (let c = 0; c < chunks && !stopped; c++) {
    const length = Math.min(p.sampleEvery, p.duration - c * p.sampleEvery);
    const offset = done;
    const r = simulate(net, {
      duration: length, dt: p.dt, monitors,
      onProgress: o.onProgress === null ? null : (k: number) => o.onProgress!(offset + k, total),
      shouldStop: o.shouldStop,
    });
    done += r.steps;
    stopped = r.stopped;
    if (!stopped) {
      times.push(net.time);
      samples.push(scaled(w, p.gMax));
    }
  }
  const values = new Float32Array(samples.length * p.inputs);
  samples.forEach((s, k) => values.set(s, k * p.inputs));
  const ids = new Int32Array(p.inputs);
  for (let i = 0; i < ids.length; i++) ids[i] = i;
  const weights = w.slice();
  const histogram = new Int32Array(20);
  let low = 0;
  let high = 0;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const x = weights[i] / p.gMax;
    histogram[Math.min(19, Math.floor(x * 20))]++;
    if (x < 0.1) low++;
    if (x > 0.9) high++;
    sum += x;
  }
  const seconds = net.time / 1000;
  const outputTrain = output.train();
  const inputTrain = inputMonitor ? inputMonitor.train() : null;
  return Object.freeze({
    weights, histogram, fractionLow: low / weights.length, fractionHigh: high / weights.length, meanWeight: sum / weights.length,
    outputRate: seconds > 0 ? outputTrain.ids.length / seconds : 0,
    inputRate: seconds > 0 ? synapses.sops / p.inputs / seconds : 0,
    outputTrain, inputTrain,
    weightTrace: Object.freeze({ variable: "w/gmax", unit: "", times: Float32Array.from(times), ids, values }),
    steps: done, stopped,
  });
}

function scaled(w: Float32Array, gMax: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i] / gMax;
  return out;
}
