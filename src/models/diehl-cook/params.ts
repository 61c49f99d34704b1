/**
 * Diehl & Cook (2015), part of `models/diehl-cook/` (the network is described in index.ts): the network's constants (card E11): `diehlCookNetworkParams`, its defaults and the rest modes.
 */
import { Hz } from "../../core/units";
import { fail, finite, integer, mergeOptions, nonNegative, oneOf, positive } from "../../core/validate";
import { conductanceLifParams, diehlCookExcitatory, diehlCookInhibitory, type ConductanceLifParams } from "../../neurons/conductance-lif";
import { diehlCookParams, type DiehlCookParams } from "../../plasticity/diehl-cook-stdp";


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
