/**
 * Populations: the groups of neurons a network is made of. A `Population` is a `NeuronModel` with
 * validated parameters and a state of `size` neurons (created by the model's `init`, owned by the
 * caller, who may set initial conditions such as a random v before simulating). A `PoissonGroup` is
 * a source of independent Poisson spike trains (the encoders' discrete-time rule: spike with
 * probability rate·dt in each step) that projections can start from, like Brian2's `PoissonGroup`.
 *
 * Names identify groups inside a network: projections, inputs and monitors refer to them by name
 * (or by the object), and `network()` checks that every name exists.
 *
 * @example
 *   const exc = population("exc", lif, 800, { params: { tauMem: 20 * ms } });
 *   exc.state.v.fill(-60);                                     // initial condition
 *   const input = poissonGroup("input", 1000, { rates: 15 * Hz, rng: createRng(1) });
 *   input.rates[3] = 40 * Hz;                                  // rates may change between runs
 */
import { checkRng, type Rng } from "../core/random";
import { arrayLength, fail, lengthIs, mergeOptions } from "../core/validate";
import { checkRates } from "../encoders/check-rates";
import type { NeuronModel, NeuronState } from "../neurons/neuron-model";

/** A population of `size` neurons of one model. */
export interface Population<P = unknown, S extends NeuronState = NeuronState> {
  readonly kind: "neurons";
  /** Unique name within a network. */
  readonly name: string;
  /** Number of neurons. */
  readonly size: number;
  /** The neuron model. */
  readonly model: NeuronModel<P, S>;
  /** Validated parameters (`model.params(options.params)`). */
  readonly params: P;
  /** The state, updated in place by `simulate`; the caller may set initial conditions. */
  readonly state: S;
}

/** A group of independent Poisson spike sources. */
export interface PoissonGroup {
  readonly kind: "poisson";
  /** Unique name within a network. */
  readonly name: string;
  /** Number of sources. */
  readonly size: number;
  /** Rate of each source, 1/ms (write `15 * Hz`); the caller may change them between runs. */
  readonly rates: Float32Array;
  /** The random stream of the draws. */
  readonly rng: Rng;
}

/** Anything that spikes in a network: a neuron population or a Poisson group. */
// `any`: a network mixes models, and each population keeps its own parameter and state types.
export type Group = Population<any, any> | PoissonGroup;

/** Options of `population`. */
export interface PopulationOptions<P> {
  /** Parameter overrides, validated by the model's `params` (defaults: the model's). */
  readonly params: Partial<P>;
}

const inspect = Symbol.for("nodejs.util.inspect.custom");

/** Checks a group name: a non-empty string. */
export function checkName(fn: string, param: string, name: unknown): string {
  if (typeof name !== "string" || name.length === 0) fail(fn, param, "be a non-empty string", name);
  return name;
}

/**
 * A population named `name` of `size` neurons of `model`, at rest (`model.init`). The state is
 * the caller's: set initial conditions on `population.state` before simulating.
 *
 * @example
 *   const p = population("hh", hodgkinHuxley, 100);
 */
export function population<P, S extends NeuronState>(
  name: string, model: NeuronModel<P, S>, size: number, options?: Partial<PopulationOptions<P>>,
): Population<P, S> {
  const fn = "population";
  checkName(fn, "name", name);
  if (model === null || typeof model !== "object" || typeof model.step !== "function" || typeof model.init !== "function" ||
    typeof model.params !== "function" || typeof model.reset !== "function") {
    fail(fn, "model", "be a NeuronModel ({name, defaults, params, init, reset, step})", model);
  }
  arrayLength(fn, "size", size);
  const o = mergeOptions<PopulationOptions<P>>(fn, { params: {} }, options);
  const params = model.params(o.params);
  const state = model.init(size, params);
  const pop = { kind: "neurons" as const, name, size, model, params, state };
  Object.defineProperty(pop, inspect, {
    value: () => `Population(${name}: ${size} × ${model.name})`, enumerable: false,
  });
  return Object.freeze(pop);
}

/** Options of `poissonGroup`. */
export interface PoissonGroupOptions {
  /** One rate for every source or one per source, 1/ms (write `15 * Hz`). */
  readonly rates: number | ArrayLike<number>;
  /** The random stream (`createRng(seed)`). */
  readonly rng: Rng;
}

/**
 * A group named `name` of `size` Poisson sources: in each step of length dt, source i spikes
 * with probability rates[i]·dt (one uniform draw per source per step, the rule of
 * `encoders/poisson.ts`'s `poissonStep`, which gives the same spikes for the same stream).
 *
 * @example
 *   const input = poissonGroup("input", 784, { rates: imageToRates(pixels), rng });
 */
export function poissonGroup(name: string, size: number, options: PoissonGroupOptions): PoissonGroup {
  const fn = "poissonGroup";
  checkName(fn, "name", name);
  arrayLength(fn, "size", size);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {rates, rng}", options);
  const o = mergeOptions<PoissonGroupOptions>(fn, { rates: NaN, rng: null as unknown as Rng }, options);
  const rng = checkRng(fn, "rng", o.rng);
  const rates = new Float32Array(size);
  if (typeof o.rates === "number") rates.fill(o.rates);
  else {
    if (o.rates == null || typeof o.rates.length !== "number") fail(fn, "rates", "be a number or an array of rates", o.rates);
    lengthIs(fn, "rates", o.rates, size);
    for (let i = 0; i < size; i++) rates[i] = o.rates[i];
  }
  checkRates(fn, rates);
  const group = { kind: "poisson" as const, name, size, rates, rng };
  Object.defineProperty(group, inspect, {
    value: () => `PoissonGroup(${name}: ${size} sources, mean rate ${(meanOf(rates) * 1000).toFixed(3)} Hz)`,
    enumerable: false,
  });
  return Object.freeze(group);
}

function meanOf(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length === 0 ? 0 : s / values.length;
}

/** Throws the standard error unless `group` is a Population or a PoissonGroup. */
export function checkGroup(fn: string, param: string, group: unknown): Group {
  if (group === null || typeof group !== "object" || ((group as Group).kind !== "neurons" && (group as Group).kind !== "poisson")) {
    fail(fn, param, "be a Population (population) or a PoissonGroup (poissonGroup)", group);
  }
  return group as Group;
}

/** The name of a group given as the object or its name. */
export function groupName(fn: string, param: string, group: Group | string): string {
  return typeof group === "string" ? checkName(fn, param, group) : checkGroup(fn, param, group).name;
}
