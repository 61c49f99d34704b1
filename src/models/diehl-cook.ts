/**
 * The network of Diehl & Cook (2015), "Unsupervised learning of digit recognition using
 * spike-timing-dependent plasticity", Front. Comput. Neurosci. 9:99 (card E11), as library
 * functions: build it, show it digits with or without learning, label its neurons, classify.
 *
 *   784 Poisson inputs ──(w, all-to-all, plastic, delays 0–10 ms)──▶ N excitatory (conductance LIF, θ)
 *   excitatory j ──(10.4, one-to-one)──▶ inhibitory j ──(17.0, to every excitatory k ≠ j)──▶ soft WTA
 *
 * Input i fires as a Poisson process of rate pixel_i/8 Hz × intensity (intensity 2: at most
 * 63.75 Hz). One sample is shown for 350 ms, then the network rests for 150 ms; if the excitatory
 * layer fired fewer than 5 spikes, intensity grows by 1 and the sample is shown again. While
 * learning, each excitatory neuron's 784 input weights are scaled to sum to 78 before every
 * presentation, the weights follow the Diehl & Cook STDP rule (`plasticity/diehl-cook-stdp.ts`:
 * pre trace τ 20 ms, post traces 20 and 40 ms, νpre 1e−4, νpost 1e−2, w ∈ [0, 1]) and every
 * excitatory spike raises θ by 0.05 mV (τθ 10⁷ ms). At test time θ and the weights are frozen.
 * Neuron constants: `diehlCookExcitatory`, `diehlCookInhibitory` (`neurons/conductance-lif.ts`),
 * integrated with the original code's forward Euler step. dt is 0.5 ms. Units: ms, mV; rates in 1/ms (`Hz`); weights and conductances dimensionless.
 *
 * Choices, each an option of `diehlCookNetworkParams`:
 * - Rest (`rest`). "reset" (default) puts v, conductances, timers and every STDP trace back to
 *   rest instead of simulating 150 ms without input, and drops spikes still travelling on a delay.
 *   That is what the rest is for, and training runs about 1.7× faster. It is not identical: with
 *   τm = 100 ms, 150 ms of rest leaves 22 % of an excitatory neuron's deviation from vRest, and the
 *   post trace y₂ keeps 2 % (e^{−150/40}). θ still decays by e^{−150 ms/τθ}, as in the rest: over
 *   60k samples the rest's share of θ's decay sets how many spikes a sample evokes once θ has
 *   settled (without it, N = 100 needed 2.6 presentations per sample and lost 7 points of
 *   accuracy). "simulate" runs the rest, STDP on, as the original does.
 * - Delays (`delayMin`, `delayMax`). Each input→excitatory synapse gets a delay drawn uniformly in
 *   [0, 10] ms and rounded to whole steps, as Brian does. A delayed spike adds w to ge, sets the
 *   synapse's pre trace and depresses w when it arrives, which makes the pre trace a per-synapse
 *   variable (Brian's synaptic `pre`). Set both to 0 to drop the delays (about 1.4× faster).
 * - Normalisation before every presentation, retries included, as in the original code's loop;
 *   as there, the scaled weights are not clipped to wMax.
 * - Retries stop after `maxPresentations` presentations (a blank image would otherwise loop forever;
 *   the original has no limit).
 * - Integration (`excitatory.method`, `inhibitory.method`). Default "euler": the original code's
 *   forward Euler step for v, the conductances and θ (dt 0.5 ms), so ge ← ge·(1 − dt/τge) halves
 *   ge every step. "exponential-euler" (the neuron presets' own default) integrates v exactly with
 *   ge and gi held at their start-of-step values and lets them decay exactly: about 27 % more
 *   charge per input spike at dt = τge/2, so the network fires more and learns differently. Pass
 *   `excitatory: { method: "exponential-euler" }, inhibitory: { method: "exponential-euler" }` for
 *   it. After one pass over the 60k digits (N = 100, seed 1, labels from 10k training digits, 10k
 *   test digits) we measured 68.4 % test accuracy with Euler (67.2 % with the rest simulated,
 *   the original's dynamics) and 75.7 % with exponential Euler.
 * - A fresh network starts at v = vRest (the original starts 40 mV below); θ starts at 20 mV.
 * - `assignLabelsByResponse` gives a neuron that never fired no class (the original gives it class 0).
 *
 * Order within a step is Brian's: both populations integrate (as `conductanceLifStep`) with the
 * conductances received before it; then the spikes of this step are propagated: post traces decay,
 * input spikes arriving now add w to ge (acting next step) and depress w by νpre·y₁, excitatory
 * spikes potentiate their column by νpost·x·y₂ and set y₁ = y₂ = 1, excitatory spikes drive their
 * inhibitory partner and inhibitory spikes add 17 to every other excitatory gi.
 *
 * Speed. The simulation is one specialised, event-driven, allocation-free loop; it computes what
 * the generic steps compute (tests check that it equals `conductanceLifStep` + `diehlCookStep` +
 * `normalizeIncoming`, and a per-synapse oracle for mixed delays, bit for bit) at a fraction of the
 * cost:
 * - Poisson inputs are drawn as geometric inter-spike step counts, one draw per spike instead of
 *   one per input per step (the same Bernoulli-per-step process as `poissonStep`, another stream).
 * - Weights are stored [input][neuron], so an arriving spike reads and depresses one row; with
 *   mixed delays each input's neurons are pre-sorted by delay, so a step visits only the synapses
 *   whose spike arrives in it.
 * - Pre traces are lazy: with "nearest" spikes a trace is 1 at its last arrival and then decays,
 *   so it is a table lookup on the steps since the newest spike that has reached the synapse (each
 *   input keeps its last few spike steps). The table repeats the float32 rounding of the
 *   step-by-step decay, so the values are the generic rule's.
 * - Potentiation visits one column per excitatory spike; normalisation runs once per presentation.
 * - An inhibitory neuron is stepped only once it has had input since the last reset: before, it sits
 *   at an exact fixed point of its step (v = vRest, no conductance, θ = 0).
 * Measured on one core (AMD EPYC, Node 20), with Euler: about 70 training samples/s with N = 400
 * and 200 with N = 100 early in training on an idle core, 95 and 140 per CPU second over a whole
 * pass; BindsNET takes 0.77 and 2.5 (card E11). Accuracy after one pass over the first 50k training
 * digits (defaults, seed 2015, labels from 10k training digits, 10k test digits, notebook 10):
 * 89.2 % with N = 400, 72.6 % with N = 100 (77.5 % with exponential Euler). With exponential Euler
 * and 60k digits an earlier version measured 87.6 % (N = 400) and 72–76 % (N = 100, two seeds).
 *
 * @example
 *   const rng = createRng(1);
 *   const net = diehlCookNetworkInit(diehlCookNetworkParams({ neurons: 100 }), rng);
 *   const train = loadMnist({ split: "train" });
 *   diehlCookTrain(net, train, { count: 1000, rng });
 *   const { assignments } = diehlCookAssignLabels(net, train, { start: 1000, count: 1000, rng });
 *   const test = loadMnist({ split: "test" });
 *   diehlCookEvaluate(net, test, assignments, { count: 1000, rng }).accuracy;   // ≈ 0.6
 */
import { checkRng, type Rng } from "../core/random";
import { Hz } from "../core/units";
import { fail, finite, integer, lengthIs, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import { checkImageDataset, imageClassCount, type ImageDataset } from "../datasets/image-dataset";
import {
  conductanceLifInit, conductanceLifParams, conductanceLifReset, diehlCookExcitatory,
  diehlCookInhibitory, type ConductanceLifParams, type ConductanceLifState,
} from "../neurons/conductance-lif";
import { depress, potentiate } from "../plasticity/bounds";
import { diehlCookParams, type DiehlCookParams } from "../plasticity/diehl-cook-stdp";
import { decayTrace } from "../plasticity/traces";
import { assignLabelsByResponse, classifyByAssignment } from "./label-assignment";

/** What happens between two presentations (file head). */
export type DiehlCookRestMode = "simulate" | "reset";

/** The rest modes, in the order of the union. */
export const diehlCookRestModes: readonly DiehlCookRestMode[] = Object.freeze(["simulate", "reset"] as const);

/** Every constant of the network (card E11); immutable, validated by `diehlCookNetworkParams`. */
export interface DiehlCookNetworkParams {
  /** Number N of excitatory neurons (and of inhibitory ones). */
  readonly neurons: number;
  /** Number of Poisson inputs: pixels per image (28 × 28). */
  readonly inputs: number;
  /** Time step, ms. */
  readonly dt: number;
  /** Presentation of one sample, ms; a whole number of steps. */
  readonly presentTime: number;
  /** Rest after each presentation, ms (simulated only when `rest` is "simulate"). */
  readonly restTime: number;
  /** "reset" (default) or "simulate" the rest; see the file head. */
  readonly rest: DiehlCookRestMode;
  /** Input rate per grey level at intensity 1, 1/ms (Hz / 8: pixel/8 Hz). */
  readonly ratePerLevel: number;
  /** Intensity of the first presentation of a sample, dimensionless (2: pixel/4 Hz). */
  readonly intensity: number;
  /** Added to the intensity for each retry, dimensionless (1: +31.875 Hz at a full pixel). */
  readonly intensityStep: number;
  /** A presentation with fewer excitatory spikes than this is retried. */
  readonly minSpikes: number;
  /** Most presentations of one sample (a guard; the original has no limit). */
  readonly maxPresentations: number;
  /** Initial input weights are uniform in [0, weightInitMax), dimensionless. */
  readonly weightInitMax: number;
  /** Sum of each excitatory neuron's input weights after normalisation, dimensionless (78). */
  readonly weightSum: number;
  /** Excitatory → inhibitory weight, one-to-one, dimensionless (10.4). */
  readonly weightExcInh: number;
  /** Inhibitory → every other excitatory neuron, dimensionless (17.0). */
  readonly weightInhExc: number;
  /** Shortest input → excitatory delay, ms. */
  readonly delayMin: number;
  /** Longest input → excitatory delay, ms (10; 0 with delayMin 0: no delays). */
  readonly delayMax: number;
  /** Excitatory neurons: conductance LIF with adaptive θ (default `diehlCookExcitatory` with method "euler"). */
  readonly excitatory: ConductanceLifParams;
  /** Inhibitory neurons (default `diehlCookInhibitory` with method "euler"). */
  readonly inhibitory: ConductanceLifParams;
  /** Input → excitatory STDP (default `diehlCookParams()` of `plasticity/`); "nearest" traces only. */
  readonly stdp: DiehlCookParams;
}

/** Options of `diehlCookNetworkParams`: any field; the nested records may be partial. */
export type DiehlCookNetworkOptions = Partial<Omit<DiehlCookNetworkParams, "excitatory" | "inhibitory" | "stdp">> & {
  readonly excitatory?: Partial<ConductanceLifParams>;
  readonly inhibitory?: Partial<ConductanceLifParams>;
  readonly stdp?: Partial<DiehlCookParams>;
};

/**
 * Defaults: the paper's network with 400 excitatory neurons, integrated with the original code's
 * forward Euler step, reset between samples.
 */
export const diehlCookNetworkDefaults: Readonly<DiehlCookNetworkParams> = Object.freeze({
  neurons: 400,
  inputs: 784,
  dt: 0.5,
  presentTime: 350,
  restTime: 150,
  rest: "reset",
  ratePerLevel: Hz / 8,
  intensity: 2,
  intensityStep: 1,
  minSpikes: 5,
  maxPresentations: 20,
  weightInitMax: 0.3,
  weightSum: 78,
  weightExcInh: 10.4,
  weightInhExc: 17,
  delayMin: 0,
  delayMax: 10,
  excitatory: conductanceLifParams({ ...diehlCookExcitatory, method: "euler" }),
  inhibitory: conductanceLifParams({ ...diehlCookInhibitory, method: "euler" }),
  stdp: diehlCookParams(),
});

function wholeSteps(fn: string, param: string, duration: number, dt: number): number {
  const steps = Math.round(duration / dt);
  if (Math.abs(steps * dt - duration) > 1e-9 * Math.max(duration, dt)) {
    fail(fn, param, `be a whole number of steps of dt (${dt})`, duration);
  }
  return steps;
}

/**
 * Validated, frozen parameters over `diehlCookNetworkDefaults`; the nested `excitatory`,
 * `inhibitory` and `stdp` options are merged over their own defaults. Unknown keys and invalid
 * values throw the standard error.
 *
 * The neurons are integrated with the original code's forward Euler step; exponential Euler is
 * the option `method: "exponential-euler"` of both populations (file head).
 *
 * @example
 *   const quick = diehlCookNetworkParams({ neurons: 100, rest: "simulate", stdp: { nuPost: 0.02 } });
 *   const exponential = diehlCookNetworkParams({
 *     excitatory: { method: "exponential-euler" }, inhibitory: { method: "exponential-euler" },
 *   });
 */
export function diehlCookNetworkParams(options: DiehlCookNetworkOptions = {}): DiehlCookNetworkParams {
  const fn = "diehlCookNetworkParams";
  const o = mergeOptions(fn, diehlCookNetworkDefaults as DiehlCookNetworkOptions, options) as DiehlCookNetworkOptions;
  integer(fn, "neurons", o.neurons, 1);
  integer(fn, "inputs", o.inputs, 1);
  if (o.neurons! * o.inputs! > 2 ** 31 - 1) fail(fn, "neurons·inputs", `be at most ${2 ** 31 - 1}`, o.neurons! * o.inputs!);
  const dt = positive(fn, "dt", o.dt);
  positive(fn, "presentTime", o.presentTime);
  wholeSteps(fn, "presentTime", o.presentTime!, dt);
  nonNegative(fn, "restTime", o.restTime);
  wholeSteps(fn, "restTime", o.restTime!, dt);
  oneOf(fn, "rest", o.rest, diehlCookRestModes);
  nonNegative(fn, "ratePerLevel", o.ratePerLevel);
  nonNegative(fn, "intensity", o.intensity);
  nonNegative(fn, "intensityStep", o.intensityStep);
  integer(fn, "minSpikes", o.minSpikes, 0);
  integer(fn, "maxPresentations", o.maxPresentations, 1);
  nonNegative(fn, "weightInitMax", o.weightInitMax);
  positive(fn, "weightSum", o.weightSum);
  finite(fn, "weightExcInh", o.weightExcInh);
  finite(fn, "weightInhExc", o.weightInhExc);
  nonNegative(fn, "delayMin", o.delayMin);
  nonNegative(fn, "delayMax", o.delayMax);
  if (o.delayMax! < o.delayMin!) fail(fn, "delayMax", `be >= delayMin (${o.delayMin})`, o.delayMax);
  if (Math.round(o.delayMax! / dt) > 255) fail(fn, "delayMax", `be at most 255 steps (${255 * dt} ms)`, o.delayMax);
  const nested = (key: "excitatory" | "inhibitory" | "stdp"): object => {
    const value = o[key];
    if (value === null || typeof value !== "object") fail(fn, key, "be an object", value);
    return value;
  };
  const excitatory = conductanceLifParams({ ...diehlCookNetworkDefaults.excitatory, ...nested("excitatory") });
  const inhibitory = conductanceLifParams({ ...diehlCookNetworkDefaults.inhibitory, ...nested("inhibitory") });
  const stdp = diehlCookParams({ ...diehlCookNetworkDefaults.stdp, ...nested("stdp") });
  if (stdp.interaction !== "nearest") fail(fn, "stdp.interaction", 'be "nearest" (the original rule)', stdp.interaction);
  if (!(stdp.wMin <= 0 && o.weightInitMax! <= stdp.wMax)) {
    fail(fn, "weightInitMax", `lie in [stdp.wMin, stdp.wMax] = [${stdp.wMin}, ${stdp.wMax}] with wMin <= 0`, o.weightInitMax);
  }
  return Object.freeze({ ...(o as DiehlCookNetworkParams), excitatory, inhibitory, stdp });
}

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

/**
 * The per-step constants of one population, computed once (`populationConstants`) with exactly
 * the expressions of `conductanceLifStep`, so `stepPopulation` gives the same numbers.
 */
interface PopulationConstants {
  readonly euler: boolean;
  readonly vRest: number;
  readonly vReset: number;
  readonly vThreshold: number;
  readonly eExc: number;
  readonly eInh: number;
  readonly thetaOffset: number;
  readonly dt: number;
  readonly decayGe: number;
  readonly decayGi: number;
  readonly decayTheta: number;
  readonly thetaPlus: number;
  readonly clampedUntil: number;
  readonly armedAfter: number;
  readonly dtOverTauMem: number;
  readonly leakDecay: number;
}

function populationConstants(p: ConductanceLifParams, dt: number): PopulationConstants {
  const euler = p.method === "euler";
  return Object.freeze({
    euler,
    vRest: p.vRest,
    vReset: p.vReset,
    vThreshold: p.vThreshold,
    eExc: p.eExc,
    eInh: p.eInh,
    thetaOffset: p.thetaOffset,
    dt,
    decayGe: euler ? 1 - dt / p.tauGe : Math.exp(-dt / p.tauGe),
    decayGi: euler ? 1 - dt / p.tauGi : Math.exp(-dt / p.tauGi),
    decayTheta: p.freezeTheta ? 1 : euler ? 1 - dt / p.tauTheta : Math.exp(-dt / p.tauTheta),
    thetaPlus: p.freezeTheta ? 0 : p.thetaPlus,
    clampedUntil: p.tRef + 0.5 * dt,
    armedAfter: Math.max(p.tRef, p.thresholdHoldoff) + 0.5 * dt,
    dtOverTauMem: dt / p.tauMem,
    leakDecay: Math.exp(-dt / p.tauMem),
  });
}

/**
 * `conductanceLifStep` for the neurons `indices[0 … size − 1]`, without its per-call checks and
 * with its constants precomputed: the same arithmetic in the same order (a test compares the two
 * bit for bit). Calling Math.exp for the constants inside the step made V8 compile the neuron loop
 * about 4× slower, hence the split. Writes the neurons that fired into `fired`; returns their number.
 */
function stepPopulation(
  input: Float32Array, state: ConductanceLifState, c: PopulationConstants, indices: Int32Array, size: number, fired: Int32Array,
): number {
  const { v, ge, gi, theta, timer } = state;
  const { euler, vRest, vReset, vThreshold, eExc, eInh, thetaOffset, dt, decayGe, decayGi, decayTheta } = c;
  const { thetaPlus, clampedUntil, armedAfter, dtOverTauMem, leakDecay } = c;
  let count = 0;
  for (let a = 0; a < size; a++) {
    const k = indices[a]!;
    const gE = ge[k]! + input[k]!;
    const gI = gi[k]!;
    const t = timer[k]! + dt;
    let vk = v[k]!;
    if (t < clampedUntil) {
      vk = vReset;
    } else if (euler) {
      vk += dtOverTauMem * (vRest - vk + gE * (eExc - vk) + gI * (eInh - vk));
    } else if (gE === 0 && gI === 0) {
      vk = vRest + (vk - vRest) * leakDecay;
    } else {
      const gTotal = 1 + gE + gI;
      const vInf = (vRest + gE * eExc + gI * eInh) / gTotal;
      vk = vInf + (vk - vInf) * Math.exp(-dtOverTauMem * gTotal);
    }
    ge[k] = gE * decayGe;
    gi[k] = gI * decayGi;
    let th = theta[k]! * decayTheta;
    if (vk > vThreshold + th - thetaOffset && t > armedAfter) {
      vk = vReset;
      th += thetaPlus;
      timer[k] = 0;
      fired[count++] = k;
    } else {
      timer[k] = t;
    }
    theta[k] = th;
    v[k] = vk;
  }
  return count;
}

/** Scratch buffers and derived constants of a network. Internal: no field is part of the API. */
interface DiehlCookWork {
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

const NEVER = -(2 ** 31);
const REBASE_AT = 2 ** 30;
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

function assemble(p: DiehlCookNetworkParams, weights: Float32Array, delays: Uint8Array, theta: Float64Array | undefined): DiehlCookNetwork {
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

/**
 * Draws the Poisson input of one presentation into `net.work.schedule`: input i fires in each step
 * with probability p = rate·dt, rate = pixel·ratePerLevel·intensity rounded to float32 as in
 * `imageToRates`/`poissonStep`, via geometric gaps between spikes.
 */
function drawSchedule(net: DiehlCookNetwork, images: Uint8Array, offset: number, intensity: number, rng: Rng): void {
  const p = net.params;
  const work = net.work;
  const steps = work.presentSteps;
  const scale = p.ratePerLevel * intensity;
  let drawn = 0;
  for (let i = 0; i < p.inputs; i++) {
    const pixel = images[offset + i]!;
    if (pixel === 0) continue;
    const prob = Math.fround(pixel * scale) * p.dt;
    if (prob <= 0) continue;
    if (drawn + steps > work.drawnSteps.length) growDrawn(work, drawn + steps);
    if (prob >= 1) {
      for (let t = 0; t < steps; t++) {
        work.drawnSteps[drawn] = t;
        work.drawnIds[drawn++] = i;
      }
      continue;
    }
    const logQ = Math.log1p(-prob);
    // P(gap ≥ k) = (1 − p)^k: the number of silent steps before the next spike.
    let t = Math.floor(Math.log(1 - rng.next()) / logQ);
    while (t < steps) {
      work.drawnSteps[drawn] = t;
      work.drawnIds[drawn++] = i;
      t += 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
    }
  }
  const schedule = work.schedule;
  if (schedule.ids.length < drawn) schedule.ids = new Int32Array(Math.max(drawn, 2 * schedule.ids.length));
  const start = schedule.start;
  start.fill(0);
  for (let e = 0; e < drawn; e++) start[work.drawnSteps[e]! + 1]!++;
  for (let t = 0; t < steps; t++) start[t + 1]! += start[t]!;
  // Counting sort, stable: ids stay ascending within a step. `start[t]` is advanced while filling
  // and restored by the shift below.
  for (let e = 0; e < drawn; e++) schedule.ids[start[work.drawnSteps[e]!]!++] = work.drawnIds[e]!;
  for (let t = steps; t > 0; t--) start[t] = start[t - 1]!;
  start[0] = 0;
  schedule.steps = steps;
}

/**
 * The Poisson input of one presentation of `image` at `intensity`, as `diehlCookPresent` draws it:
 * a new schedule (the inputs firing at each step). For inspection and rasters; `net` is not changed.
 *
 * @example
 *   const input = diehlCookDrawInput(net, digit, 2, createRng(1));
 *   input.start[input.steps];   // number of input spikes in 350 ms
 */
export function diehlCookDrawInput(net: DiehlCookNetwork, image: Uint8Array, intensity: number, rng: Rng): DiehlCookSchedule {
  const fn = "diehlCookDrawInput";
  checkNetwork(fn, net);
  if (!(image instanceof Uint8Array)) fail(fn, "image", "be a Uint8Array of grey levels", image);
  lengthIs(fn, "image", image, net.params.inputs);
  nonNegative(fn, "intensity", intensity);
  checkRng(fn, "rng", rng);
  drawSchedule(net, image, 0, intensity, rng);
  const { steps, start, ids } = net.work.schedule;
  return { steps, start: start.slice(0, steps + 1), ids: ids.slice(0, start[steps]!) };
}

function growDrawn(work: DiehlCookWork, needed: number): void {
  const size = Math.max(needed, 2 * work.drawnSteps.length);
  const steps = new Int32Array(size);
  steps.set(work.drawnSteps);
  const ids = new Int32Array(size);
  ids.set(work.drawnIds);
  work.drawnSteps = steps;
  work.drawnIds = ids;
}

function rebaseClock(net: DiehlCookNetwork): void {
  const a = net.recentSpikes;
  for (let k = 0; k < a.length; k++) {
    const shifted = a[k]! - REBASE_AT;
    a[k] = shifted < NEVER ? NEVER : shifted;
  }
  net.clock -= REBASE_AT;
}

/**
 * Simulates steps `from` … `to − 1` of a presentation whose input is `schedule` (steps at or
 * after `schedule.steps` have no new input, only spikes still on their delay), in place. With
 * `learn`, θ adapts and the weights follow STDP; without, both are frozen (traces still run).
 * Excitatory spikes are added into `counts` when given. Returns the number of excitatory spikes.
 * Internal: the public entry points are `diehlCookPresent` and the functions built on it.
 */
export function diehlCookAdvance(
  net: DiehlCookNetwork, schedule: DiehlCookSchedule, from: number, to: number, learn: boolean, counts: Int32Array | undefined,
): number {
  const p = net.params;
  const work = net.work;
  const n = p.neurons;
  const nInputs = p.inputs;
  const stdp = p.stdp;
  const hard = stdp.weightDependence === "hard";
  const { wMin, wMax, nuPre, nuPost } = stdp;
  const { decayPost1, decayPost2, inhibitoryStep, preTrace, preTraceConverged, delayPosts, delayStart } = work;
  const excStep = learn ? work.excitatoryStep : work.excitatoryFrozenStep;
  const { excitatory: exc, inhibitory: inh, weights: w, delays, recentSpikes, recentCount, post1, post2 } = net;
  const ringMask = work.recentLength - 1;
  const ringShift = Math.log2(work.recentLength);
  const { excInput, inhInput, excFired, inhFired, allNeurons, inhAwake, inhIsAwake } = work;
  let inhAwakeCount = work.inhAwakeCount;
  const traceLength = preTrace.length;
  const uniformDelay = work.uniformDelay;
  const slots = work.maxDelay + 1;
  const wExcInh = p.weightExcInh;
  const wInhExc = p.weightInhExc;
  const gi = exc.gi;
  const { start, ids } = schedule;
  const inputSteps = schedule.steps;
  const depressing = learn && nuPre !== 0;
  let total = 0;
  for (let step = from; step < to; step++) {
    if (net.clock >= REBASE_AT) rebaseClock(net);
    const clock = net.clock;
    if (step < inputSteps) {
      for (let e = start[step]!, end = start[step + 1]!; e < end; e++) {
        const i = ids[e]!;
        recentSpikes[(i << ringShift) + (recentCount[i]!++ & ringMask)] = clock;
      }
    }
    const fired = stepPopulation(excInput, exc, excStep, allNeurons, n, excFired);
    excInput.fill(0);
    const inhCount = stepPopulation(inhInput, inh, inhibitoryStep, inhAwake, inhAwakeCount, inhFired);
    inhInput.fill(0);
    if (counts) for (let f = 0; f < fired; f++) counts[excFired[f]!]!++;
    total += fired;
    decayTrace(post1, decayPost1);
    decayTrace(post2, decayPost2);

    // Input spikes arriving now: ge (next step), pre trace, depression by νpre·y₁.
    if (uniformDelay >= 0) {
      const s = step - uniformDelay;
      if (s >= 0 && s < inputSteps) {
        for (let e = start[s]!, end = start[s + 1]!; e < end; e++) {
          const row = ids[e]! * n;
          if (depressing) {
            for (let j = 0; j < n; j++) {
              const k = row + j;
              const wk = w[k]!;
              excInput[j]! += wk;
              const amount = nuPre * post1[j]!;
              if (amount !== 0) {
                if (hard) {
                  const next = wk - amount;
                  w[k] = next < wMin ? wMin : next > wMax ? wMax : next;
                } else w[k] = depress(wk, -amount, stdp);
              }
            }
          } else {
            for (let j = 0; j < n; j++) excInput[j]! += w[row + j]!;
          }
        }
      }
    } else {
      for (let d = 0; d < slots; d++) {
        const s = step - d;
        if (s < 0 || s >= inputSteps) continue;
        for (let e = start[s]!, end = start[s + 1]!; e < end; e++) {
          const i = ids[e]!;
          const row = i * n;
          const slot = i * (slots + 1) + d;
          for (let q = delayStart[slot]!, qEnd = delayStart[slot + 1]!; q < qEnd; q++) {
            const j = delayPosts[q]!;
            const k = row + j;
            const wk = w[k]!;
            excInput[j]! += wk;
            if (!depressing) continue;
            const amount = nuPre * post1[j]!;
            if (amount !== 0) {
              if (hard) {
                const next = wk - amount;
                w[k] = next < wMin ? wMin : next > wMax ? wMax : next;
              } else w[k] = depress(wk, -amount, stdp);
            }
          }
        }
      }
    }

    // Excitatory spikes: potentiation by νpost·x·y₂(before), then y₁ = y₂ = 1; drive inhibition.
    for (let f = 0; f < fired; f++) {
      const j = excFired[f]!;
      const gain = nuPost * post2[j]!;
      if (learn && gain !== 0) {
        for (let i = 0, k = j; i < nInputs; i++, k += n) {
          // The newest spike of input i that has arrived at j (at most maxDelay + 1 back).
          const arrivedBy = clock - delays[k]!;
          const base = i << ringShift;
          let r = recentCount[i]!;
          let spike = NEVER;
          for (let back = 0; back <= ringMask; back++) {
            spike = recentSpikes[base + (--r & ringMask)]!;
            if (spike <= arrivedBy) break;
          }
          const age = arrivedBy - spike;
          const x = age < traceLength ? preTrace[age]! : preTraceConverged ? 0 : preTraceTail(work, age);
          const amount = gain * x;
          if (amount === 0) continue;
          if (hard) {
            const next = w[k]! + amount;
            w[k] = next > wMax ? wMax : next < wMin ? wMin : next;
          } else w[k] = potentiate(w[k]!, amount, stdp);
        }
      }
      post1[j] = 1;
      post2[j] = 1;
      inhInput[j] = wExcInh;
      if (!inhIsAwake[j]) {
        inhIsAwake[j] = 1;
        inhAwake[inhAwakeCount++] = j;
      }
    }
    for (let f = 0; f < inhCount; f++) {
      const k = inhFired[f]!;
      for (let m = 0; m < n; m++) if (m !== k) gi[m]! += wInhExc;
    }
    net.clock = clock + 1;
  }
  work.inhAwakeCount = inhAwakeCount;
  return total;
}

/** The pre trace `age` steps after a spike, past the end of an unconverged table (very slow decay). */
function preTraceTail(work: DiehlCookWork, age: number): number {
  const table = work.preTrace;
  return table[table.length - 1]! * Math.pow(work.decayPre, age - table.length + 1);
}

/**
 * Puts the network back to rest in place ("reset" between presentations; see the file head) and
 * decays θ over the rest time, as the simulated rest would.
 */
function restReset(net: DiehlCookNetwork, learn: boolean): void {
  const p = net.params;
  // θ decays through the rest as if it were simulated (τθ is slow, but over many samples the rest
  // is 30 % of the time that balances θ's growth): one factor for restSteps steps.
  const decayTheta = (learn ? net.work.excitatoryStep : net.work.excitatoryFrozenStep).decayTheta;
  const restDecay = Math.pow(decayTheta, net.work.restSteps);
  const theta = net.excitatory.theta;
  for (let j = 0; j < theta.length; j++) theta[j]! *= restDecay;
  conductanceLifReset(net.excitatory, p.excitatory);
  conductanceLifReset(net.inhibitory, p.inhibitory);
  net.work.excInput.fill(0);
  net.work.inhInput.fill(0);
  net.post1.fill(0);
  net.post2.fill(0);
  const work = net.work;
  if (work.inhibitorySleeps) {
    for (let a = 0; a < work.inhAwakeCount; a++) work.inhIsAwake[work.inhAwake[a]!] = 0;
    work.inhAwakeCount = 0;
  }
  // Zero every pre trace: lookups past the table's end read 0 once it has converged.
  if (net.work.preTraceConverged) net.clock += net.work.preTrace.length;
  else net.recentSpikes.fill(NEVER);
}

/** Options of `diehlCookPresent`. */
export interface DiehlCookPresentOptions {
  /** True while training (STDP, θ adaptation, normalisation); false at test time. Required. */
  readonly learn: boolean;
  /** The stream that draws the Poisson input. Required; it is advanced. */
  readonly rng: Rng;
}

/** What one sample did to the excitatory layer. */
export interface DiehlCookResponse {
  /** Spike count of each excitatory neuron during the last presentation (rest excluded). */
  readonly counts: Int32Array;
  /** Intensity of the last presentation. */
  readonly intensity: number;
  /** Number of presentations (1 + retries). */
  readonly presentations: number;
}

function presentAt(
  net: DiehlCookNetwork, images: Uint8Array, offset: number, learn: boolean, rng: Rng, counts: Int32Array,
): { intensity: number; presentations: number } {
  const p = net.params;
  const work = net.work;
  let intensity = p.intensity;
  let presentations = 0;
  for (;;) {
    if (learn) diehlCookNormalize(net);
    drawSchedule(net, images, offset, intensity, rng);
    counts.fill(0);
    const spikes = diehlCookAdvance(net, work.schedule, 0, work.presentSteps, learn, counts);
    if (p.rest === "simulate") diehlCookAdvance(net, work.schedule, work.presentSteps, work.presentSteps + work.restSteps, learn, undefined);
    else restReset(net, learn);
    presentations++;
    if (spikes >= p.minSpikes || presentations >= p.maxPresentations) break;
    intensity += p.intensityStep;
  }
  return { intensity, presentations };
}

function checkNetwork(fn: string, net: DiehlCookNetwork): DiehlCookNetwork {
  if (net === null || typeof net !== "object" || !(net.weights instanceof Float32Array) || net.work === undefined) {
    fail(fn, "net", "be a network from diehlCookNetworkInit", net);
  }
  return net;
}

function checkFlag(fn: string, param: string, value: unknown): boolean {
  if (typeof value !== "boolean") fail(fn, param, "be a boolean", value);
  return value;
}

/**
 * Shows one image (grey levels 0–255, `inputs` of them) with Diehl & Cook's protocol, in place:
 * normalise (when learning), present for presentTime, rest, and retry at a higher intensity while
 * the excitatory layer fires fewer than minSpikes spikes. `image` is read only.
 *
 * @example
 *   const net = diehlCookNetworkInit(diehlCookNetworkParams({ neurons: 100 }), createRng(1));
 *   const digit = image(loadMnist({ split: "train" }), 0);
 *   const { counts, intensity, presentations } = diehlCookPresent(net, digit, { learn: true, rng: createRng(2) });
 */
export function diehlCookPresent(net: DiehlCookNetwork, image: Uint8Array, options: DiehlCookPresentOptions): DiehlCookResponse {
  const fn = "diehlCookPresent";
  checkNetwork(fn, net);
  if (!(image instanceof Uint8Array)) fail(fn, "image", "be a Uint8Array of grey levels", image);
  lengthIs(fn, "image", image, net.params.inputs);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object with learn and rng", options);
  const learn = checkFlag(fn, "learn", options.learn);
  const rng = checkRng(fn, "rng", options.rng);
  const counts = new Int32Array(net.params.neurons);
  const { intensity, presentations } = presentAt(net, image, 0, learn, rng, counts);
  return { counts, intensity, presentations };
}

/** Reported after each sample by `onProgress`. */
export interface DiehlCookProgress {
  /** Index of the sample in the data set. */
  readonly sample: number;
  /** Its label (never used for learning). */
  readonly label: number;
  /** Excitatory spikes in its last presentation. */
  readonly spikes: number;
  /** Intensity of its last presentation. */
  readonly intensity: number;
  /** Its number of presentations. */
  readonly presentations: number;
}

/** Options of `diehlCookTrain`, `diehlCookRespond`, `diehlCookAssignLabels` and `diehlCookEvaluate`. */
export interface DiehlCookRunOptions {
  /** The stream that draws the Poisson input. Required; it is advanced. */
  readonly rng: Rng;
  /** Number of samples (default: to the end of the data set); more than the data set cycles it. */
  readonly count?: number;
  /** Index of the first sample (default 0): sample k is `(start + k) mod dataset.count`. */
  readonly start?: number;
  /** Called after each sample with (samples done, samples asked for, what the sample did). */
  readonly onProgress?: (done: number, total: number, info: DiehlCookProgress) => void;
  /** Asked before each sample; returning true stops at that sample boundary (state stays consistent). */
  readonly shouldStop?: () => boolean;
}

const runDefaults: Readonly<Record<keyof DiehlCookRunOptions, unknown>> = Object.freeze({
  rng: undefined, count: undefined, start: undefined, onProgress: undefined, shouldStop: undefined,
});

interface RunPlan {
  readonly dataset: ImageDataset;
  readonly rng: Rng;
  readonly count: number;
  readonly start: number;
  readonly onProgress: DiehlCookRunOptions["onProgress"];
  readonly shouldStop: DiehlCookRunOptions["shouldStop"];
}

function planRun(fn: string, net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): RunPlan {
  checkNetwork(fn, net);
  const d = checkImageDataset(fn, "dataset", dataset);
  if (d.rows * d.cols !== net.params.inputs) {
    fail(fn, "dataset", `have images of ${net.params.inputs} pixels (params.inputs)`, `${d.rows}×${d.cols}`);
  }
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object with rng", options);
  const o = mergeOptions(fn, runDefaults, options as Partial<typeof runDefaults>) as unknown as DiehlCookRunOptions;
  const rng = checkRng(fn, "rng", o.rng);
  const start = o.start === undefined ? 0 : integer(fn, "start", o.start, 0);
  if (d.count === 0) fail(fn, "dataset", "hold at least one sample", d.count);
  const count = o.count === undefined ? Math.max(d.count - start, 0) : integer(fn, "count", o.count, 0);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") fail(fn, "onProgress", "be a function", o.onProgress);
  if (o.shouldStop !== undefined && typeof o.shouldStop !== "function") fail(fn, "shouldStop", "be a function", o.shouldStop);
  return { dataset: d, rng, count, start, onProgress: o.onProgress, shouldStop: o.shouldStop };
}

/** Runs `plan`; `each(k, counts)` sees the counts of sample k. Returns the number of samples done. */
function runSamples(net: DiehlCookNetwork, plan: RunPlan, learn: boolean, each: (k: number, counts: Int32Array) => void): number {
  const { dataset, rng, count, start, onProgress, shouldStop } = plan;
  const pixels = net.params.inputs;
  const counts = new Int32Array(net.params.neurons);
  for (let k = 0; k < count; k++) {
    if (shouldStop && shouldStop()) return k;
    const index = (start + k) % dataset.count;
    const { intensity, presentations } = presentAt(net, dataset.images, index * pixels, learn, rng, counts);
    each(k, counts);
    if (onProgress) {
      let spikes = 0;
      for (let j = 0; j < counts.length; j++) spikes += counts[j]!;
      onProgress(k + 1, count, { sample: index, label: dataset.labels[index]!, spikes, intensity, presentations });
    }
  }
  return count;
}

/** What `diehlCookTrain` did. */
export interface DiehlCookTrainResult {
  /** Samples processed (fewer than asked when `shouldStop` stopped the run). */
  readonly samples: number;
  /** Presentations made, retries included. */
  readonly presentations: number;
}

/**
 * Trains the network on `dataset` without labels, in place: every sample through
 * `diehlCookPresent` with learning on, in order from `start`. `shouldStop` may end the run at a
 * sample boundary; resume with `start: start + samples`.
 *
 * @example
 *   const { samples } = diehlCookTrain(net, loadMnist({ split: "train" }), {
 *     count: 60000, rng: createRng(3), onProgress: (done, total) => bar.update(done / total),
 *   });
 */
export function diehlCookTrain(net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): DiehlCookTrainResult {
  const plan = planRun("diehlCookTrain", net, dataset, options);
  let presentations = 0;
  const onProgress = plan.onProgress;
  const counted: RunPlan = {
    ...plan,
    onProgress: (done, total, info) => {
      presentations += info.presentations;
      if (onProgress) onProgress(done, total, info);
    },
  };
  const samples = runSamples(net, counted, true, () => undefined);
  trainedSamples.set(net, (trainedSamples.get(net) ?? 0) + samples);
  return { samples, presentations };
}

/** Training samples each network has learned from in this process (for `evaluationLog`). */
const trainedSamples = new WeakMap<DiehlCookNetwork, number>();

/** Responses of the excitatory layer to a run of samples. */
export interface DiehlCookResponses {
  /** Spike counts, row-major [sample][neuron]. */
  readonly responses: Int32Array;
  /** Label of each sample. */
  readonly labels: Uint8Array;
  /** Samples processed. */
  readonly samples: number;
}

/**
 * The spike counts of every excitatory neuron for each sample, with learning off (θ and weights
 * frozen). The network's state (v, conductances, traces) still advances.
 */
export function diehlCookRespond(net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): DiehlCookResponses {
  return respond("diehlCookRespond", net, dataset, options);
}

function respond(fn: string, net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): DiehlCookResponses {
  const plan = planRun(fn, net, dataset, options);
  logEvaluation(fn, net, dataset, { start: plan.start, count: plan.count, trained: trainedSamples.get(net) ?? 0 });
  const n = net.params.neurons;
  const responses = new Int32Array(plan.count * n);
  const labels = new Uint8Array(plan.count);
  const samples = runSamples(net, plan, false, (k, counts) => {
    responses.set(counts, k * n);
    labels[k] = plan.dataset.labels[(plan.start + k) % plan.dataset.count]!;
  });
  return { responses: responses.subarray(0, samples * n), labels: labels.subarray(0, samples), samples };
}

/** Labels read from the network's responses. */
export interface DiehlCookAssignment extends DiehlCookResponses {
  /** Class of each excitatory neuron, −1 for one that never fired. */
  readonly assignments: Int32Array;
  /** Mean response of each neuron to each class, row-major [class][neuron]. */
  readonly meanResponse: Float64Array;
}

/**
 * Labels every excitatory neuron with the class it responds to most (mean spike count over the
 * samples; learning off). See `assignLabelsByResponse`.
 *
 * @example
 *   const { assignments } = diehlCookAssignLabels(net, train, { start: 50000, count: 10000, rng: createRng(4) });
 */
export function diehlCookAssignLabels(net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): DiehlCookAssignment {
  const r = respond("diehlCookAssignLabels", net, dataset, options);
  const { assignments, meanResponse } = assignLabelsByResponse(r.responses, r.labels, {
    neurons: net.params.neurons, classes: imageClassCount,
  });
  return { ...r, assignments, meanResponse };
}

/** Test-set performance. */
export interface DiehlCookEvaluation {
  /** Fraction of samples classified correctly (a sample with no prediction counts as wrong). */
  readonly accuracy: number;
  /** Predicted class of each sample, −1 when no labelled neuron fired. */
  readonly predictions: Int32Array;
  /** True class of each sample. */
  readonly labels: Uint8Array;
  /** Counts [true class][predicted class], 10 × 10 row-major; samples without prediction are left out. */
  readonly confusion: Int32Array;
  /** Spike counts, row-major [sample][neuron]. */
  readonly responses: Int32Array;
  /** Samples processed. */
  readonly samples: number;
}

/**
 * Classifies samples by the mean response of each class's neurons (learning off) and scores them.
 *
 * @example
 *   const { accuracy, confusion } = diehlCookEvaluate(net, loadMnist({ split: "test" }), assignments, {
 *     count: 10000, rng: createRng(5),
 *   });
 */
export function diehlCookEvaluate(
  net: DiehlCookNetwork, dataset: ImageDataset, assignments: Int32Array, options: DiehlCookRunOptions,
): DiehlCookEvaluation {
  const fn = "diehlCookEvaluate";
  checkNetwork(fn, net);
  if (!(assignments instanceof Int32Array)) fail(fn, "assignments", "be an Int32Array", assignments);
  lengthIs(fn, "assignments", assignments, net.params.neurons);
  const r = respond(fn, net, dataset, options);
  const predictions = classifyByAssignment(r.responses, assignments, { neurons: net.params.neurons, classes: imageClassCount });
  const confusion = new Int32Array(imageClassCount * imageClassCount);
  let correct = 0;
  for (let s = 0; s < r.samples; s++) {
    const truth = r.labels[s]!;
    const guess = predictions[s]!;
    if (guess === truth) correct++;
    if (guess >= 0) confusion[truth * imageClassCount + guess]!++;
  }
  return {
    accuracy: r.samples === 0 ? NaN : correct / r.samples,
    predictions, labels: r.labels, confusion, responses: r.responses, samples: r.samples,
  };
}

/**
 * The input weights of every excitatory neuron as images: a new Float32Array, row-major
 * [neuron][input], so neuron j's 28 × 28 receptive field is `subarray(j·784, (j + 1)·784)`.
 *
 * @example
 *   const fields = diehlCookReceptiveFields(net);
 *   const first = fields.subarray(0, 784);   // neuron 0, pixel (r, c) at r·28 + c
 */
export function diehlCookReceptiveFields(net: DiehlCookNetwork): Float32Array {
  checkNetwork("diehlCookReceptiveFields", net);
  const { inputs, neurons } = net.params;
  const out = new Float32Array(inputs * neurons);
  for (let i = 0; i < inputs; i++) {
    for (let j = 0; j < neurons; j++) out[j * inputs + i] = net.weights[i * neurons + j]!;
  }
  return out;
}

/** The learned state of a network, as plain data: copies, JSON-friendly apart from the typed arrays. */
export interface DiehlCookSnapshot {
  readonly params: DiehlCookNetworkParams;
  /** [input][neuron]. */
  readonly weights: Float32Array;
  /** θ of each excitatory neuron, mV. */
  readonly theta: Float64Array;
  /** Delays, steps, [input][neuron]. */
  readonly delays: Uint8Array;
  /** Labels of the excitatory neurons, or null when not yet assigned. */
  readonly assignments: Int32Array | null;
  /**
   * Training samples the network had learned from (what `evaluationLog` records for its
   * evaluations); absent: 0, an untrained network.
   */
  readonly trainedSamples?: number;
}

/**
 * Copies the learned state (weights, θ, delays, the number of training samples, and `assignments`
 * if given) out of `net`.
 *
 * @example
 *   const saved = diehlCookSnapshot(net, assignments);
 *   const copy = diehlCookRestore(saved);                       // same weights and θ, at rest
 */
export function diehlCookSnapshot(net: DiehlCookNetwork, assignments?: Int32Array): DiehlCookSnapshot {
  const fn = "diehlCookSnapshot";
  checkNetwork(fn, net);
  if (assignments !== undefined) {
    if (!(assignments instanceof Int32Array)) fail(fn, "assignments", "be an Int32Array", assignments);
    lengthIs(fn, "assignments", assignments, net.params.neurons);
  }
  return {
    params: net.params,
    weights: net.weights.slice(),
    theta: net.excitatory.theta.slice(),
    delays: net.delays.slice(),
    assignments: assignments ? assignments.slice() : null,
    trainedSamples: trainedSamples.get(net) ?? 0,
  };
}

/**
 * A new network, at rest, with the learned state of `snapshot` (copied); it counts as trained on
 * `snapshot.trainedSamples` samples in the evaluation log.
 */
export function diehlCookRestore(snapshot: DiehlCookSnapshot): DiehlCookNetwork {
  const fn = "diehlCookRestore";
  if (snapshot === null || typeof snapshot !== "object") fail(fn, "snapshot", "be a DiehlCookSnapshot", snapshot);
  const p = diehlCookNetworkParams(snapshot.params);
  const size = p.inputs * p.neurons;
  if (!(snapshot.weights instanceof Float32Array)) fail(fn, "snapshot.weights", "be a Float32Array", snapshot.weights);
  lengthIs(fn, "snapshot.weights", snapshot.weights, size);
  if (!(snapshot.theta instanceof Float64Array)) fail(fn, "snapshot.theta", "be a Float64Array", snapshot.theta);
  lengthIs(fn, "snapshot.theta", snapshot.theta, p.neurons);
  if (!(snapshot.delays instanceof Uint8Array)) fail(fn, "snapshot.delays", "be a Uint8Array", snapshot.delays);
  lengthIs(fn, "snapshot.delays", snapshot.delays, size);
  for (let k = 0; k < size; k++) {
    const v = snapshot.weights[k]!;
    if (!Number.isFinite(v)) fail(fn, `snapshot.weights[${k}]`, "be a finite number", v);
  }
  const trained = snapshot.trainedSamples === undefined ? 0 : integer(fn, "snapshot.trainedSamples", snapshot.trainedSamples, 0);
  const net = assemble(p, snapshot.weights.slice(), snapshot.delays.slice(), snapshot.theta);
  if (trained > 0) trainedSamples.set(net, trained);
  return net;
}

const MAGIC = 0x31434453; // "SDC1", little-endian

/**
 * Encodes a snapshot as bytes (for `fs.writeFileSync`): a 4-byte tag, the JSON of the parameters
 * and shapes, then the weights (float32), θ (float64), delays (uint8) and assignments (int32), all
 * little-endian. `diehlCookDecode` reads it back.
 */
export function diehlCookEncode(snapshot: DiehlCookSnapshot): Uint8Array {
  const fn = "diehlCookEncode";
  if (snapshot === null || typeof snapshot !== "object") fail(fn, "snapshot", "be a DiehlCookSnapshot", snapshot);
  if (!(snapshot.weights instanceof Float32Array) || !(snapshot.theta instanceof Float64Array) || !(snapshot.delays instanceof Uint8Array)) {
    fail(fn, "snapshot", "be a DiehlCookSnapshot (weights Float32Array, theta Float64Array, delays Uint8Array; from diehlCookSnapshot)", snapshot);
  }
  if (snapshot.assignments !== null && snapshot.assignments !== undefined && !(snapshot.assignments instanceof Int32Array)) fail(fn, "snapshot.assignments", "be an Int32Array or null", snapshot.assignments);
  const header = new TextEncoder().encode(JSON.stringify({
    params: snapshot.params, weights: snapshot.weights.length, theta: snapshot.theta.length,
    delays: snapshot.delays.length, assignments: snapshot.assignments ? snapshot.assignments.length : -1,
    trainedSamples: snapshot.trainedSamples ?? 0,
  }));
  const headerEnd = 8 + header.length;
  const weightsAt = align(headerEnd, 8);
  const thetaAt = align(weightsAt + 4 * snapshot.weights.length, 8);
  const delaysAt = thetaAt + 8 * snapshot.theta.length;
  const assignmentsAt = align(delaysAt + snapshot.delays.length, 8);
  const total = assignmentsAt + 4 * (snapshot.assignments ? snapshot.assignments.length : 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  bytes.set(header, 8);
  snapshot.weights.forEach((v, k) => view.setFloat32(weightsAt + 4 * k, v, true));
  snapshot.theta.forEach((v, k) => view.setFloat64(thetaAt + 8 * k, v, true));
  bytes.set(snapshot.delays, delaysAt);
  snapshot.assignments?.forEach((v, k) => view.setInt32(assignmentsAt + 4 * k, v, true));
  return bytes;
}

function align(offset: number, to: number): number {
  return Math.ceil(offset / to) * to;
}

/** Reads bytes written by `diehlCookEncode`; throws the standard error on anything else. */
export function diehlCookDecode(bytes: Uint8Array): DiehlCookSnapshot {
  const fn = "diehlCookDecode";
  if (!(bytes instanceof Uint8Array)) fail(fn, "bytes", "be a Uint8Array", bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0, true) !== MAGIC) fail(fn, "bytes", "start with the tag of diehlCookEncode", bytes);
  const headerLength = view.getUint32(4, true);
  let header: { params: DiehlCookNetworkParams; weights: number; theta: number; delays: number; assignments: number; trainedSamples?: number };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    fail(fn, "bytes", "hold the JSON header of diehlCookEncode", bytes);
  }
  const weightsAt = align(8 + headerLength, 8);
  const thetaAt = align(weightsAt + 4 * header.weights, 8);
  const delaysAt = thetaAt + 8 * header.theta;
  const assignmentsAt = align(delaysAt + header.delays, 8);
  const total = assignmentsAt + 4 * Math.max(header.assignments, 0);
  if (bytes.length !== total) fail(fn, "bytes", `have length ${total} (from its header)`, bytes.length);
  const weights = new Float32Array(header.weights);
  for (let k = 0; k < weights.length; k++) weights[k] = view.getFloat32(weightsAt + 4 * k, true);
  const theta = new Float64Array(header.theta);
  for (let k = 0; k < theta.length; k++) theta[k] = view.getFloat64(thetaAt + 8 * k, true);
  const delays = bytes.slice(delaysAt, delaysAt + header.delays);
  let assignments: Int32Array | null = null;
  if (header.assignments >= 0) {
    assignments = new Int32Array(header.assignments);
    for (let k = 0; k < assignments.length; k++) assignments[k] = view.getInt32(assignmentsAt + 4 * k, true);
  }
  return { params: diehlCookNetworkParams(header.params), weights, theta, delays, assignments, trainedSamples: header.trainedSamples ?? 0 };
}
