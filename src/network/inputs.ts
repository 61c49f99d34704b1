/**
 * External inputs of a network that are not spikes: currents added into a population's step
 * `input` (in the model's input unit: nA for `lif`, mV/ms for `izhikevich`, …).
 *
 *   currentInput   a constant (bias) current, one value or one per neuron, every step.
 *   noiseInput     a Gaussian current mean + sd·ξ, ξ ~ N(0, 1) drawn independently per neuron,
 *                  redrawn every `interval` ms and held in between: Izhikevich's (2003) thalamic
 *                  input, I = 5·randn for excitatory and 2·randn for inhibitory neurons, each 1 ms.
 *
 * Spike inputs are groups: `poissonGroup` plus a projection.
 *
 * @example
 *   const bias = currentInput("hh", ramp);                           // one value per neuron
 *   const thalamus = noiseInput("cortex", { sd, interval: 1 * ms, rng: createRng(3) });
 *   const net = network({ populations: [cortex], inputs: [thalamus] });
 */
import { checkRng, type Rng } from "../core/random";
import { fail, finite, mergeOptions, positive } from "../core/validate";
import { groupName, type Group } from "./population";

/** A constant current into a population's input. */
export interface CurrentInput {
  readonly kind: "current";
  /** Name of the population. */
  readonly population: string;
  /** One current for every neuron, or one per neuron; the model's input unit. */
  readonly values: number | Float32Array;
}

/** A held Gaussian current, redrawn every `interval` ms. */
export interface NoiseInput {
  readonly kind: "noise";
  /** Name of the population. */
  readonly population: string;
  /** Mean current, the model's input unit. */
  readonly mean: number;
  /** Standard deviation, one for every neuron or one per neuron; the model's input unit. */
  readonly sd: number | Float32Array;
  /** Time between draws, ms; a whole number of steps of the simulation's dt. */
  readonly interval: number;
  /** The random stream of the draws. */
  readonly rng: Rng;
}

/** Any external input. */
export type NetworkInput = CurrentInput | NoiseInput;

const inspect = Symbol.for("nodejs.util.inspect.custom");

function finiteValues(fn: string, param: string, values: number | ArrayLike<number>): number | Float32Array {
  if (typeof values === "number") return finite(fn, param, values);
  const length = values != null && typeof values === "object" ? values.length : undefined;
  if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) fail(fn, param, "be a number or an array", values);
  const out = new Float32Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `${param}[${i}]`, "be a finite number", v);
    out[i] = v;
  }
  return out;
}

/**
 * A constant current into `population`'s input every step: one value for all neurons or one per
 * neuron (length checked by `network`). Arrays are copied.
 *
 * @example
 *   currentInput("exc", 1.5 * nA);
 */
export function currentInput(population: Group | string, values: number | ArrayLike<number>): CurrentInput {
  const fn = "currentInput";
  const input = { kind: "current" as const, population: groupName(fn, "population", population), values: finiteValues(fn, "values", values) };
  Object.defineProperty(input, inspect, {
    value: () => `CurrentInput(→ ${input.population}, ${typeof input.values === "number" ? input.values : `${input.values.length} values`})`,
    enumerable: false,
  });
  return Object.freeze(input);
}

/** Options of `noiseInput`. */
export interface NoiseInputOptions {
  /** Mean current; default 0. */
  readonly mean: number;
  /** Standard deviation, one or one per neuron (required). */
  readonly sd: number | ArrayLike<number>;
  /** Time between draws, ms (required). */
  readonly interval: number;
  /** The random stream (required). */
  readonly rng: Rng;
}

/**
 * A Gaussian current into `population`'s input (file header), redrawn every `interval` ms, at the
 * first step and then whenever the network's step count is a multiple of interval/dt.
 *
 * @example
 *   noiseInput("cortex", { sd: 5, interval: 1 * ms, rng: createRng(2) });
 */
export function noiseInput(population: Group | string, options: Partial<NoiseInputOptions> & Pick<NoiseInputOptions, "sd" | "interval" | "rng">): NoiseInput {
  const fn = "noiseInput";
  const name = groupName(fn, "population", population);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {sd, interval, rng}", options);
  const o = mergeOptions<NoiseInputOptions>(fn, { mean: 0, sd: NaN, interval: NaN, rng: null as unknown as Rng }, options);
  const sd = finiteValues(fn, "sd", o.sd);
  const sds = typeof sd === "number" ? [sd] : sd;
  for (let i = 0; i < sds.length; i++) if (sds[i] < 0) fail(fn, typeof sd === "number" ? "sd" : `sd[${i}]`, "be a finite number >= 0", sds[i]);
  const input = {
    kind: "noise" as const, population: name, mean: finite(fn, "mean", o.mean), sd,
    interval: positive(fn, "interval", o.interval), rng: checkRng(fn, "rng", o.rng),
  };
  Object.defineProperty(input, inspect, {
    value: () => `NoiseInput(→ ${name}, mean ${input.mean}, sd ${typeof sd === "number" ? sd : `${sd.length} values`}, every ${input.interval} ms)`,
    enumerable: false,
  });
  return Object.freeze(input);
}
