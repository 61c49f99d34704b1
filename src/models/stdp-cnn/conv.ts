/**
 * The STDP spiking CNN (Kheradpisheh et al. 2018), part of `models/stdp-cnn/` (described in index.ts): the event-driven spiking convolution (`spikingConv`): one spike per neuron, lateral inhibition across maps, the fast paths.
 */
import { fail, integer } from "../../core/validate";
import { type SpikeWave, checkWave, objectArg } from "./wave";

/** What `spikingConv` returns. */
export interface SpikingConvResult {
  /** The layer's spikes (before pooling). */
  readonly output: SpikeWave;
  /** Final potentials, per neuron: all its input summed, or −∞ for a neuron that fired (it takes no more input). */
  readonly potentials: Float32Array;
  /** The potential of each fired neuron at the end of its fire step, aligned with `output.order`. */
  readonly firePotentials: Float32Array;
}

/** Geometry and weights of one convolution (`spikingConv`). */
export interface SpikingConvParams {
  /** [kernel, kernel, input.channels, maps], maps fastest. */
  readonly weights: Float32Array;
  readonly maps: number;
  readonly kernel: number;
  /** θ > 0; Infinity: no neuron fires (potentials only). */
  readonly threshold: number;
  /** Zero padding on each side of the input. */
  readonly padding: number;
  /**
   * Whether to record each fired neuron's potential at the end of its fire step (the k-WTA needs
   * it; default true). False is faster and gives the same fire steps.
   */
  readonly firePotentials?: boolean;
  /** Lateral inhibition across maps at each position (`StdpConvLayerSpec.inhibition`); default false. */
  readonly inhibition?: boolean;
}

/**
 * Event-driven convolution of integrate-and-fire neurons that fire at most once (file header).
 * The output has (H + 2p − k + 1) × (W + 2p − k + 1) × maps neurons.
 * @example
 *   const input = spikeWave(new Int16Array(9).fill(0), { height: 3, width: 3, channels: 1, steps: 1 });
 *   const r = spikingConv(input, { weights: new Float32Array(4).fill(0.5), maps: 1, kernel: 2, threshold: 1.5, padding: 0 });
 *   Array.from(r.output.times);   // [0, 0, 0, 0]: each neuron sums 4 · 0.5 = 2 > 1.5 at step 0
 */
export function spikingConv(input: SpikeWave, params: SpikingConvParams): SpikingConvResult {
  const fn = "spikingConv";
  checkWave(fn, "input", input);
  objectArg(fn, "params", params, "{ kernel, maps, padding, threshold, weights }");
  if (!(params.weights instanceof Float32Array)) fail(fn, "weights", "be a Float32Array", params.weights);
  const k = integer(fn, "kernel", params.kernel, 1);
  const maps = integer(fn, "maps", params.maps, 1);
  const padding = integer(fn, "padding", params.padding, 0);
  if (!(params.threshold > 0)) fail(fn, "threshold", "be > 0", params.threshold);
  if (k > input.height + 2 * padding || k > input.width + 2 * padding) {
    fail(fn, "kernel", `be at most the padded input (${input.height + 2 * padding}×${input.width + 2 * padding})`, k);
  }
  if (params.weights.length !== k * k * input.channels * maps) {
    fail(fn, "weights", `have length kernel²·channels·maps = ${k * k * input.channels * maps}`, params.weights.length);
  }
  const inhibition = params.inhibition ?? false;
  if (typeof inhibition !== "boolean") fail(fn, "inhibition", "be a boolean", inhibition);
  const state = convState(input, k, maps, padding);
  runConv(input, params.weights, k, maps, padding, params.threshold, state, params.firePotentials ?? true, undefined, inhibition);
  return finishConv(state, input.steps);
}

export interface ConvState {
  readonly height: number;
  readonly width: number;
  readonly maps: number;
  readonly potentials: Float32Array;
  readonly times: Int16Array;
  readonly order: Int32Array;
  readonly firePotentials: Float32Array;
  readonly stepStart: Int32Array;
  /** Maps not yet fired, per output position (0: the position is done). */
  readonly unfired: Int32Array;
  /** Per output position, the step's best candidate under lateral inhibition (−1: none). */
  readonly best: Int32Array;
  fired: number;
}

export function convState(input: SpikeWave, k: number, maps: number, padding: number): ConvState {
  const height = input.height + 2 * padding - k + 1;
  const width = input.width + 2 * padding - k + 1;
  const n = height * width * maps;
  return {
    height, width, maps, potentials: new Float32Array(n), times: new Int16Array(n).fill(-1), order: new Int32Array(n),
    firePotentials: new Float32Array(n), stepStart: new Int32Array(input.steps + 1), unfired: new Int32Array(height * width),
    best: new Int32Array(height * width).fill(-1), fired: 0,
  };
}

export function resetConv(s: ConvState): void {
  s.potentials.fill(0);
  s.times.fill(-1);
  s.stepStart.fill(0);
  s.fired = 0;
}

/**
 * The hot loop: each input spike adds its kernel column to every potential it reaches. A neuron
 * that fired leaves the sum at the end of its fire step (its potential becomes −∞, so the
 * threshold test fails without reading its fire step), and a position whose maps have all fired
 * is skipped whole.
 */
export function runConv(
  input: SpikeWave, w: Float32Array, k: number, maps: number, padding: number, threshold: number, s: ConvState, firePotentials: boolean,
  afterStep?: (first: number, last: number) => boolean, inhibition = false,
): void {
  if (threshold === Infinity && afterStep === undefined) {
    runConvPotentialsOnly(input, w, k, maps, padding, s);
    return;
  }
  if (!firePotentials && !inhibition) {
    runConvTimesOnly(input, w, k, maps, padding, threshold, s);
    return;
  }
  const { order, stepStart: inStart, width: inW, channels: inC } = input;
  const { potentials: pot, times, order: out, firePotentials: atFire, height: outH, width: outW, unfired } = s;
  unfired.fill(maps);
  let fired = s.fired;
  for (let t = 0; t < input.steps; t++) {
    const stepFirst = fired;
    for (let e = inStart[t]; e < inStart[t + 1]; e++) {
      const idx = order[e];
      const c = idx % inC;
      const pos = (idx - c) / inC;
      const x = pos % inW;
      const y = (pos - x) / inW;
      for (let ky = 0; ky < k; ky++) {
        const oy = y + padding - ky;
        if (oy < 0 || oy >= outH) continue;
        for (let kx = 0; kx < k; kx++) {
          const ox = x + padding - kx;
          if (ox < 0 || ox >= outW) continue;
          const cell = oy * outW + ox;
          if (unfired[cell] === 0) continue;
          const base = cell * maps;
          const wBase = ((ky * k + kx) * inC + c) * maps;
          for (let f = 0; f < maps; f++) {
            const v = (pot[base + f] += w[wBase + f]);
            if (v > threshold && times[base + f] < 0) {
              times[base + f] = t;
              out[fired++] = base + f;
            }
          }
        }
      }
    }
    if (inhibition) fired = inhibit(s, stepFirst, fired);
    else {
      for (let j = stepFirst; j < fired; j++) {
        const i = out[j];
        atFire[j] = pot[i];
        pot[i] = -Infinity;
        unfired[(i - (i % maps)) / maps]--;
      }
    }
    s.stepStart[t + 1] = fired;
    if (afterStep !== undefined && afterStep(stepFirst, fired)) {
      // The learning step needs nothing later (its winners are chosen): stop, the later steps empty.
      s.stepStart.fill(fired, t + 2);
      break;
    }
  }
  s.fired = fired;
}

/**
 * `runConv` when nothing can fire (θ = ∞: the potentials read as features): every input spike adds
 * its kernel column, in the same order as `runConv`, so the sums are the same to the bit.
 */
function runConvPotentialsOnly(input: SpikeWave, w: Float32Array, k: number, maps: number, padding: number, s: ConvState): void {
  const { order, width: inW, channels: inC } = input;
  const { potentials: pot, height: outH, width: outW } = s;
  const n = input.stepStart[input.steps];
  for (let e = 0; e < n; e++) {
    const idx = order[e];
    const c = idx % inC;
    const pos = (idx - c) / inC;
    const x = pos % inW;
    const y = (pos - x) / inW;
    const kyLo = Math.max(0, y + padding - outH + 1);
    const kyHi = Math.min(k - 1, y + padding);
    const kxLo = Math.max(0, x + padding - outW + 1);
    const kxHi = Math.min(k - 1, x + padding);
    for (let ky = kyLo; ky <= kyHi; ky++) {
      const oy = y + padding - ky;
      for (let kx = kxLo; kx <= kxHi; kx++) {
        const base = (oy * outW + x + padding - kx) * maps;
        const wBase = ((ky * k + kx) * inC + c) * maps;
        for (let f = 0; f < maps; f++) pot[base + f] += w[wBase + f];
      }
    }
  }
}

/**
 * Lateral inhibition at the end of a step: of the neurons `order[first … last)` that crossed θ in
 * it, each position keeps the one with the largest potential (ties: the lowest map); the others do
 * not fire, and the position takes no more input. Returns the new fired count.
 */
function inhibit(s: ConvState, first: number, last: number): number {
  const { potentials: pot, times, order: out, firePotentials: atFire, unfired, best, maps } = s;
  for (let j = first; j < last; j++) {
    const i = out[j];
    const cell = (i - (i % maps)) / maps;
    const b = best[cell];
    if (b < 0 || pot[i] > pot[out[b]] || (pot[i] === pot[out[b]] && i < out[b])) best[cell] = j;
  }
  let kept = first;
  for (let j = first; j < last; j++) {
    const i = out[j];
    const cell = (i - (i % maps)) / maps;
    if (best[cell] === j) {
      out[kept] = i;
      atFire[kept] = pot[i];
      kept++;
    } else {
      times[i] = -1;
    }
  }
  for (let j = first; j < kept; j++) {
    const i = out[j];
    const cell = (i - (i % maps)) / maps;
    best[cell] = -1;
    unfired[cell] = 0;
    pot[i] = -Infinity;
  }
  return kept;
}

/**
 * `runConv` for inference: fire steps only. A neuron leaves the sum the moment it crosses θ (not
 * at the end of its step), which gives the same fire steps and skips more work; its fire
 * potential (needed only by the k-WTA of a learning layer) is left at θ.
 */
function runConvTimesOnly(input: SpikeWave, w: Float32Array, k: number, maps: number, padding: number, threshold: number, s: ConvState): void {
  const { order, stepStart: inStart, width: inW, channels: inC } = input;
  const { potentials: pot, times, order: out, height: outH, width: outW, unfired } = s;
  unfired.fill(maps);
  let fired = s.fired;
  for (let t = 0; t < input.steps; t++) {
    for (let e = inStart[t]; e < inStart[t + 1]; e++) {
      const idx = order[e];
      const c = idx % inC;
      const pos = (idx - c) / inC;
      const x = pos % inW;
      const y = (pos - x) / inW;
      for (let ky = 0; ky < k; ky++) {
        const oy = y + padding - ky;
        if (oy < 0 || oy >= outH) continue;
        for (let kx = 0; kx < k; kx++) {
          const ox = x + padding - kx;
          if (ox < 0 || ox >= outW) continue;
          const cell = oy * outW + ox;
          if (unfired[cell] === 0) continue;
          const base = cell * maps;
          const wBase = ((ky * k + kx) * inC + c) * maps;
          let left = 0;
          for (let f = 0; f < maps; f++) {
            if ((pot[base + f] += w[wBase + f]) > threshold) {
              times[base + f] = t;
              out[fired++] = base + f;
              pot[base + f] = -Infinity;
              left++;
            }
          }
          unfired[cell] -= left;
        }
      }
    }
    s.firePotentials.fill(threshold, s.stepStart[t], fired);
    s.stepStart[t + 1] = fired;
  }
  s.fired = fired;
}

export function finishConv(s: ConvState, steps: number): SpikingConvResult {
  const output: SpikeWave = {
    height: s.height, width: s.width, channels: s.maps, steps, times: s.times, order: s.order.subarray(0, s.fired), stepStart: s.stepStart,
  };
  return { output, potentials: s.potentials, firePotentials: s.firePotentials.subarray(0, s.fired) };
}
