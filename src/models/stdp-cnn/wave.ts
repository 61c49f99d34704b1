/**
 * The STDP spiking CNN (Kheradpisheh et al. 2018), part of `models/stdp-cnn/` (described in index.ts): the spike wave (at most one spike per neuron, in fire order) and `spikeWave`, the DoG ON/OFF latency code of an image.
 */
import { fail, integer } from "../../core/validate";


/** A stage of spiking activity: at most one spike per neuron, as fire steps and in fire order. */
export interface SpikeWave {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Time steps T. */
  readonly steps: number;
  /** Fire step of neuron (y·width + x)·channels + c, in [0, steps), or −1: never. */
  readonly times: Int16Array;
  /** Indices of the neurons that fired, by increasing fire step (within a step: in firing order). */
  readonly order: Int32Array;
  /** `order[stepStart[t] … stepStart[t + 1])` fired at step t; length steps + 1. */
  readonly stepStart: Int32Array;
}

/** Throws the standard error unless `value` is a non-null object (options, plans, results). */
export function objectArg(fn: string, param: string, value: unknown, what: string): void {
  if (value === null || typeof value !== "object") fail(fn, param, `be ${what}`, value);
}

/** Throws the standard error unless `wave` is a SpikeWave (from spikeWave, spikingConv or spikePool). */
export function checkWave(fn: string, param: string, wave: unknown): asserts wave is SpikeWave {
  const w = wave as SpikeWave | null;
  if (w === null || typeof w !== "object" || !(w.times instanceof Int16Array) || !(w.order instanceof Int32Array) || !(w.stepStart instanceof Int32Array) ||
    w.times.length !== w.height * w.width * w.channels || w.stepStart.length !== w.steps + 1) {
    fail(fn, param, "be a SpikeWave (from spikeWave, spikingConv or spikePool)", wave);
  }
}

/**
 * A spike wave from fire steps (−1: never), e.g. from `latencySteps`; `times` is copied.
 * @example
 *   const w = spikeWave(new Int16Array([1, -1, 0, 1]), { height: 2, width: 2, channels: 1, steps: 2 });
 *   Array.from(w.order);   // [2, 0, 3]
 */
export function spikeWave(
  times: ArrayLike<number>, shape: { readonly height: number; readonly width: number; readonly channels: number; readonly steps: number },
): SpikeWave {
  const fn = "spikeWave";
  if (times === null || typeof times !== "object" || typeof (times as ArrayLike<number>).length !== "number") fail(fn, "times", "be an array of first-spike steps (−1: none)", times);
  objectArg(fn, "shape", shape, "{ height, width, channels, steps }");
  const height = integer(fn, "height", shape.height, 1);
  const width = integer(fn, "width", shape.width, 1);
  const channels = integer(fn, "channels", shape.channels, 1);
  const steps = integer(fn, "steps", shape.steps, 1);
  const n = height * width * channels;
  if (times.length !== n) fail(fn, "times", `have length height·width·channels = ${n}`, times.length);
  const counts = new Int32Array(steps + 1);
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (!(Number.isInteger(t) && t >= -1 && t < steps)) fail(fn, `times[${i}]`, `be an integer in [-1, ${steps - 1}]`, t);
    if (t >= 0) counts[t + 1]++;
  }
  for (let t = 0; t < steps; t++) counts[t + 1] += counts[t];
  const order = new Int32Array(counts[steps]);
  const fill = counts.slice(0, steps);
  for (let i = 0; i < n; i++) if (times[i] >= 0) order[fill[times[i]]++] = i;
  return { height, width, channels, steps, times: Int16Array.from(times), order, stepStart: counts };
}
