/**
 * An f–I curve from a population of unconnected Hodgkin–Huxley neurons, as Brian2's
 * `examples/IF_curve_Hodgkin_Huxley.py` and the peer script `cellmodels_brian2.py --model hh`:
 * N `traubMiles` neurons (default 1000), neuron i driven by the constant current
 * I = maxCurrent·i/N (0.7 nA·i/N), exponential Euler at dt = 0.1 ms, 1 s. Brian2's run gives a
 * mean rate of 52.2 Hz and a rate of 90 Hz for the most driven neuron.
 *
 * @example
 *   const r = hodgkinHuxleyPopulation({ size: 100 });
 *   r.currents, r.rates;     // the f–I curve: nA, Hz
 */
import { arrayLength, mergeOptions, nonNegative, positive } from "../core/validate";
import type { SpikeTrain } from "../encoders/spike-train";
import { currentInput } from "../network/inputs";
import { spikeMonitor } from "../network/monitors";
import { network } from "../network/network";
import { population } from "../network/population";
import { simulate } from "../network/simulate";
import { modelRunDefaults, type ModelRunOptions } from "./cuba";
import { traubMiles, traubMilesParams, type TraubMilesParams } from "./traub-miles";

/** Parameters of the f–I population. */
export interface HodgkinHuxleyPopulationParams {
  /** Number of neurons N. */
  readonly size: number;
  /** Current of the most driven neuron (neuron N would get it), nA: neuron i gets maxCurrent·i/N. */
  readonly maxCurrent: number;
  /** Neuron parameters (`traubMilesParams`). */
  readonly neuron: Partial<TraubMilesParams>;
  /** Simulated time, ms. */
  readonly duration: number;
  /** Step, ms. */
  readonly dt: number;
}

/** Defaults, Brian2's script: 1000 neurons, 0.7 nA, 1 s at 0.1 ms. */
export const hodgkinHuxleyPopulationDefaults: Readonly<HodgkinHuxleyPopulationParams> = Object.freeze({
  size: 1000, maxCurrent: 0.7, neuron: Object.freeze({}), duration: 1000, dt: 0.1,
});

/** Validated parameters over `hodgkinHuxleyPopulationDefaults`. */
export function hodgkinHuxleyPopulationParams(options: Partial<HodgkinHuxleyPopulationParams> = {}): HodgkinHuxleyPopulationParams {
  const fn = "hodgkinHuxleyPopulationParams";
  const p = mergeOptions(fn, hodgkinHuxleyPopulationDefaults, options);
  arrayLength(fn, "size", p.size, 1);
  nonNegative(fn, "maxCurrent", p.maxCurrent);
  traubMilesParams(p.neuron);
  positive(fn, "duration", p.duration);
  positive(fn, "dt", p.dt);
  return Object.freeze({ ...p, neuron: Object.freeze({ ...p.neuron }) });
}

/** What `hodgkinHuxleyPopulation` returns. */
export interface HodgkinHuxleyPopulationResult {
  /** The current of each neuron, nA. */
  readonly currents: Float32Array;
  /** The rate of each neuron, Hz. */
  readonly rates: Float32Array;
  /** Mean rate, Hz. */
  readonly meanRate: number;
  /** Largest rate, Hz. */
  readonly maxRate: number;
  /** Fraction of neurons that fired at least once. */
  readonly fractionActive: number;
  /** Every spike. */
  readonly train: SpikeTrain;
  /** Steps simulated. */
  readonly steps: number;
  /** True when interrupted. */
  readonly stopped: boolean;
}

/** Runs the population (file header). Deterministic (there is no randomness). */
export function hodgkinHuxleyPopulation(
  params: Partial<HodgkinHuxleyPopulationParams> = {}, options?: Partial<ModelRunOptions>,
): HodgkinHuxleyPopulationResult {
  const o = mergeOptions("hodgkinHuxleyPopulation", modelRunDefaults, options);
  const p = hodgkinHuxleyPopulationParams(params);
  const cells = population("hh", traubMiles, p.size, { params: p.neuron });
  const currents = new Float32Array(p.size);
  for (let i = 0; i < p.size; i++) currents[i] = (p.maxCurrent * i) / p.size;
  const net = network({ populations: [cells], inputs: [currentInput(cells, currents)] });
  const monitor = spikeMonitor(cells);
  const result = simulate(net, { duration: p.duration, dt: p.dt, monitors: [monitor], onProgress: o.onProgress, shouldStop: o.shouldStop });
  const train = monitor.train();
  const rates = new Float32Array(p.size);
  for (let s = 0; s < train.ids.length; s++) rates[train.ids[s]]++;
  const seconds = result.time / 1000;
  let max = 0;
  let active = 0;
  for (let i = 0; i < p.size; i++) {
    if (rates[i] > 0) active++;
    rates[i] = seconds > 0 ? rates[i] / seconds : 0;
    if (rates[i] > max) max = rates[i];
  }
  return Object.freeze({
    currents, rates, meanRate: seconds > 0 ? train.ids.length / p.size / seconds : 0, maxRate: max, fractionActive: active / p.size,
    train, steps: result.steps, stopped: result.stopped,
  });
}
