/**
 * The STDP-trained spiking convolutional network of Kheradpisheh, Ganjtabesh, Thorpe & Masquelier
 * (2018, Neural Networks 99:56–67; card E17), event-driven.
 *
 * Pipeline, per image:
 *
 *   image → DoG ON/OFF maps (encoders/dog.ts) → latency coding: every map value > 0 spikes once,
 *   in one of T steps (rank binning, SpykeTorch's `Intensity2Latency`; encoders/latency.ts)
 *   → [zero padding → convolution of integrate-and-fire neurons → pooling by earliest spike] × L
 *   → features of the last layer
 *
 * Neurons integrate without leak and fire at most once: neuron i of a conv layer fires at the first
 * step t with V_i(t) > θ, where V_i(t) = Σ_{inputs j that spiked at steps ≤ t} w_ij (SpykeTorch's
 * cumulative spike waves; strict `>` as `sf.fire`). Pooling by earliest spike: a pooled neuron fires
 * at the earliest step of the neurons of its window.
 *
 * Lateral inhibition (a layer's `inhibition`, the paper's): of the neurons of one position that
 * cross θ first (the same step), the one with the largest potential fires and the position's other
 * maps never do.
 *
 * Learning, one layer at a time, on the layer's own images (the layers below only infer):
 *
 *   k-winners-take-all: fired neurons are taken by increasing fire step (ties: larger potential at
 *     that step, then lower index); a neuron is a winner unless its map already has one or it lies
 *     within `radius` (Chebyshev distance, all maps) of a winner; at most k winners.
 *   STDP, for each winner (map f, fire step t_post), on its kernel w_f (all inputs of its window):
 *     Δw = a⁺ · w(1 − w)   if the input spiked at a step ≤ t_post,
 *     Δw = a⁻ · w(1 − w)   otherwise (later, or never; a⁻ < 0),
 *     then w is clipped to [0, 1].
 *   Schedule, per layer, n = images that layer has trained on: a⁺(n) = min(a⁺_max, a⁺₀ · 2^⌊n/N⌋)
 *     with N = 500, a⁺₀ = 0.004, a⁺_max = 0.15, and a⁻(n) = −0.75 · a⁺(n) (SpykeTorch's
 *     KheradpishehDeep.py; the paper states a⁺ = 0.004, a⁻ = −0.003 and the doubling every 500
 *     images up to 0.15).
 *
 * Event-driven: each input spike adds its kernel column to the potentials it reaches, once, so the
 * work is (input spikes) × (maps) × (kernel area), not (map size) × (steps); a neuron that fired
 * leaves the sum, a position whose maps have all fired is skipped, and a learning layer stops at
 * the step where its k winners are known (STDP needs only their fire steps and the input's).
 * With "potential" features the last layer never fires, so its potentials sum every input.
 *
 * Not (yet) a `Learner` of learning/: training is layer-wise and unsupervised, and `evaluate`
 * needs a readout (training/linear-classifier.ts); `snapshot`/`restore` follow the learner
 * snapshot format ("stdpCnn": tensors layers.I.weight F32 [k, k, C_in, maps]; state {orderSeed,
 * layerSamples}) and resume bit for bit.
 *
 * Layout: activity and potentials are position-major, channel-last: neuron (y, x, c) of an
 * H × W × C stage is index (y·W + x)·C + c. Kernels are [k, k, C_in, C_out] (F32, C_out fastest).
 *
 * @example
 *   const net = stdpCnn({ ...stdpCnnPresets.spykeTorch, rng: createRng(1) });
 *   const train = take(loadMnist({ split: "train" }), 0, 2000);
 *   net.learnLayer(0, train, { count: 2000 });       // layer 1, 2000 images
 *   net.learnLayer(1, train, { count: 2000 });       // layer 2
 *   const f = net.features(train, { start: 0, count: 2000 });   // f.values: 2000 × f.dim
 */
import { checkRng, type Rng } from "../core/random";
import { fail, integer, mergeOptions, oneOf, positive, inRange } from "../core/validate";
import type { DatasetSplit, ImageDataset } from "../datasets/image-dataset";
import { checkImageDataset } from "../datasets/image-dataset";
import { dogFilter, dogFilterDefaults, dogKernel, type DogFilterOptions } from "../encoders/dog";
import { latencySteps } from "../encoders/latency";
import { epochOrder } from "../learning/epoch-order";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";

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

/** Pooling of one layer: by earliest spike over size × size windows, or global (one value per map). */
export type StdpPooling = { readonly size: number; readonly stride: number; readonly padding: number } | "global";

/** One convolutional layer of the network. */
export interface StdpConvLayerSpec {
  /** Number of feature maps (output channels). */
  readonly maps: number;
  /** Kernel side k (pixels of the stage below). */
  readonly kernel: number;
  /** Firing threshold θ > 0 (sum of weights in [0, 1]). */
  readonly threshold: number;
  /** Winners per learning step, an integer in [1, maps]. */
  readonly k: number;
  /** Lateral inhibition radius of the k-WTA (Chebyshev distance, pixels of this layer's maps). */
  readonly radius: number;
  /** Zero padding added on each side of this layer's input. */
  readonly padding: number;
  /** Pooling after the layer; null: none. */
  readonly pool: StdpPooling | null;
  /**
   * Lateral inhibition across maps at each position (the paper's, learning and inference): the
   * first neuron of a position to fire (ties: the largest potential at that step, then the lowest
   * map) is the only one of that position that fires. Default false (SpykeTorch's inference).
   */
  readonly inhibition?: boolean;
}

/** What the network hands to a readout. */
export type StdpFeatureMode = "spikes" | "potential";

/** Options of `stdpCnn` (every field but `rng` has a preset value: `stdpCnnPresets`). */
export interface StdpCnnOptions {
  /** Image height and width, pixels. */
  readonly imageHeight: number;
  readonly imageWidth: number;
  /** DoG stage (encoders/dog.ts). */
  readonly dog: Readonly<DogFilterOptions>;
  /** Time steps T of the latency code. */
  readonly steps: number;
  readonly layers: readonly StdpConvLayerSpec[];
  /** Initial weights ~ normal(weightMean, weightSd), clipped to [0, 1]. */
  readonly weightMean: number;
  readonly weightSd: number;
  /** a⁺₀, the LTP rate at the start of each layer's training. */
  readonly aPlus: number;
  /** −a⁻/a⁺ (0.75). */
  readonly aMinusRatio: number;
  /** a⁺ cap (0.15). */
  readonly aPlusMax: number;
  /** a⁺ doubles every this many images of a layer (500). */
  readonly doubleEvery: number;
  /**
   * Features: "spikes" — 1 where a neuron of the last stage fired (SpykeTorch: its pooled map,
   * flattened); "potential" — the last layer does not fire, and each map gives the maximum of its
   * final potentials (the paper's global max pooling).
   */
  readonly features: StdpFeatureMode;
}

const featureModes: readonly StdpFeatureMode[] = ["spikes", "potential"];

const sharedDefaults = {
  imageHeight: 28, imageWidth: 28, steps: 15, weightMean: 0.8, weightSd: 0.05,
  aPlus: 0.004, aMinusRatio: 0.75, aPlusMax: 0.15, doubleEvery: 500,
} as const;

/**
 * The two configurations of card E17.
 *
 * `spykeTorch`: SpykeTorch's KheradpishehDeep.py — DoG 7×7 (σ 1, 2) padded by 6 (34×34), threshold
 * 50, mean normalisation R 8; 15 steps; pad 2, conv1 32 maps 5×5 θ 10 k 5 r 2, pool 2×2 stride 2
 * pad 1; pad 1, conv2 150 maps 2×2 θ 1 k 8 r 1, pool 2×2 stride 2 pad 1; features: the pooled
 * spikes of conv2 (150 × 10 × 10), read by LinearSVC(C = 2.4).
 *
 * `paper`: the paper's MNIST network — DoG 7×7 (σ 1, 2) keeping 28×28; conv1 30 maps 5×5 θ 15,
 * pool 2×2 stride 2; conv2 100 maps 5×5 θ 10; global max pooling of conv2's potentials (100
 * features) read by a linear SVM; lateral inhibition across maps at each position in both conv
 * layers (learning and inference). One winner per map (k = maps) with radius 2, T = 15 and the DoG
 * threshold/normalisation are SpykeTorch's values or our reading, not checked against the paper's
 * text (notebook 17's settings table lists each).
 */
export const stdpCnnPresets: Readonly<{ spykeTorch: Readonly<StdpCnnOptions>; paper: Readonly<StdpCnnOptions> }> = Object.freeze({
  spykeTorch: Object.freeze({
    ...sharedDefaults,
    dog: Object.freeze({ ...dogFilterDefaults, padding: 6 }),
    layers: Object.freeze([
      Object.freeze({ maps: 32, kernel: 5, threshold: 10, k: 5, radius: 2, padding: 2, pool: Object.freeze({ size: 2, stride: 2, padding: 1 }) }),
      Object.freeze({ maps: 150, kernel: 2, threshold: 1, k: 8, radius: 1, padding: 1, pool: Object.freeze({ size: 2, stride: 2, padding: 1 }) }),
    ]),
    features: "spikes" as StdpFeatureMode,
  }),
  paper: Object.freeze({
    ...sharedDefaults,
    dog: Object.freeze({ ...dogFilterDefaults }),
    layers: Object.freeze([
      Object.freeze({ maps: 30, kernel: 5, threshold: 15, k: 30, radius: 2, padding: 0, pool: Object.freeze({ size: 2, stride: 2, padding: 0 }), inhibition: true }),
      Object.freeze({ maps: 100, kernel: 5, threshold: 10, k: 100, radius: 2, padding: 0, pool: "global" as const, inhibition: true }),
    ]),
    features: "potential" as StdpFeatureMode,
  }),
});

/** The learning rates of one layer after it has trained on `n` images (file header). */
export function stdpCnnLearningRates(
  n: number, schedule: Pick<StdpCnnOptions, "aPlus" | "aMinusRatio" | "aPlusMax" | "doubleEvery"> = sharedDefaults,
): { aPlus: number; aMinus: number } {
  integer("stdpCnnLearningRates", "n", n, 0);
  const aPlus = Math.min(schedule.aPlusMax, schedule.aPlus * 2 ** Math.floor(n / schedule.doubleEvery));
  return { aPlus, aMinus: -schedule.aMinusRatio * aPlus };
}

/** Throws the standard error unless `value` is a non-null object (options, plans, results). */
function objectArg(fn: string, param: string, value: unknown, what: string): void {
  if (value === null || typeof value !== "object") fail(fn, param, `be ${what}`, value);
}

/** Throws the standard error unless `wave` is a SpikeWave (from spikeWave, spikingConv or spikePool). */
function checkWave(fn: string, param: string, wave: unknown): asserts wave is SpikeWave {
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

interface ConvState {
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

function convState(input: SpikeWave, k: number, maps: number, padding: number): ConvState {
  const height = input.height + 2 * padding - k + 1;
  const width = input.width + 2 * padding - k + 1;
  const n = height * width * maps;
  return {
    height, width, maps, potentials: new Float32Array(n), times: new Int16Array(n).fill(-1), order: new Int32Array(n),
    firePotentials: new Float32Array(n), stepStart: new Int32Array(input.steps + 1), unfired: new Int32Array(height * width),
    best: new Int32Array(height * width).fill(-1), fired: 0,
  };
}

function resetConv(s: ConvState): void {
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
function runConv(
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

function finishConv(s: ConvState, steps: number): SpikingConvResult {
  const output: SpikeWave = {
    height: s.height, width: s.width, channels: s.maps, steps, times: s.times, order: s.order.subarray(0, s.fired), stepStart: s.stepStart,
  };
  return { output, potentials: s.potentials, firePotentials: s.firePotentials.subarray(0, s.fired) };
}

/** Reusable arrays of `spikePool` (internal: the network keeps one per pooling layer). */
interface PoolBuffers {
  rowLo: Int32Array;
  rowHi: Int32Array;
  colLo: Int32Array;
  colHi: Int32Array;
  times: Int16Array;
  order: Int32Array;
  stepStart: Int32Array;
}

/**
 * Pooling by earliest spike over `size × size` windows with `stride` and zero `padding`
 * (padding never fires): a pooled neuron fires at the earliest step of its window. Event-driven.
 * @example
 *   const w = spikeWave(new Int16Array([1, 0, -1, 1]), { height: 2, width: 2, channels: 1, steps: 2 });
 *   Array.from(spikePool(w, { size: 2, stride: 2, padding: 0 }).times);   // [0]
 */
export function spikePool(
  input: SpikeWave, pool: { readonly size: number; readonly stride: number; readonly padding: number }, buffers?: PoolBuffers,
): SpikeWave {
  const fn = "spikePool";
  checkWave(fn, "input", input);
  objectArg(fn, "pool", pool, "{ size, stride, padding }");
  const size = integer(fn, "size", pool.size, 1);
  const stride = integer(fn, "stride", pool.stride, 1);
  const padding = integer(fn, "padding", pool.padding, 0);
  if (size > input.height + 2 * padding || size > input.width + 2 * padding) {
    fail(fn, "size", `be at most the padded input (${input.height + 2 * padding}×${input.width + 2 * padding})`, size);
  }
  const height = Math.floor((input.height + 2 * padding - size) / stride) + 1;
  const width = Math.floor((input.width + 2 * padding - size) / stride) + 1;
  const C = input.channels;
  // The pooled rows (columns) that input row y (column x) falls in: [lo, hi].
  const range = (n: number, out: number) => {
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      lo[i] = Math.max(0, Math.ceil((i + padding - size + 1) / stride));
      hi[i] = Math.min(out - 1, Math.floor((i + padding) / stride));
    }
    return [lo, hi];
  };
  let b = buffers;
  if (b === undefined || b.times.length !== height * width * C || b.rowLo.length !== input.height || b.colLo.length !== input.width) {
    const [rowLo, rowHi] = range(input.height, height);
    const [colLo, colHi] = range(input.width, width);
    b = { rowLo, rowHi, colLo, colHi, times: new Int16Array(height * width * C), order: new Int32Array(height * width * C), stepStart: new Int32Array(input.steps + 1) };
    if (buffers !== undefined) Object.assign(buffers, b);
  }
  const { rowLo, rowHi, colLo, colHi, times, order } = b;
  times.fill(-1);
  const stepStart = b.stepStart.length === input.steps + 1 ? b.stepStart : new Int32Array(input.steps + 1);
  let n = 0;
  for (let t = 0; t < input.steps; t++) {
    for (let e = input.stepStart[t]; e < input.stepStart[t + 1]; e++) {
      const idx = input.order[e];
      const c = idx % C;
      const pos = (idx - c) / C;
      const x = pos % input.width;
      const y = (pos - x) / input.width;
      const py0 = rowLo[y];
      const py1 = rowHi[y];
      const px0 = colLo[x];
      const px1 = colHi[x];
      for (let py = py0; py <= py1; py++) {
        for (let px = px0; px <= px1; px++) {
          const o = (py * width + px) * C + c;
          if (times[o] < 0) {
            times[o] = t;
            order[n++] = o;
          }
        }
      }
    }
    stepStart[t + 1] = n;
  }
  return { height, width, channels: C, steps: input.steps, times, order: order.subarray(0, n), stepStart };
}

/**
 * The k-winners-take-all of a learning step (file header): indices of at most `k` output neurons,
 * in the order they won. No two share a map; no two lie within `radius` of each other.
 * @example
 *   const winners = kWinners(spikingConv(input, conv), { k: 5, radius: 2 });
 */
export function kWinners(result: SpikingConvResult, options: { readonly k: number; readonly radius: number }): Int32Array {
  const fn = "kWinners";
  objectArg(fn, "result", result, "a spikingConv result");
  checkWave(fn, "result.output", result.output);
  if (!(result.firePotentials instanceof Float32Array)) fail(fn, "result.firePotentials", "be the Float32Array of a spikingConv result", result.firePotentials);
  objectArg(fn, "options", options, "{ k, radius }");
  const { output } = result;
  const k = integer(fn, "k", options.k, 1);
  const radius = integer(fn, "radius", options.radius, 0);
  if (k > output.channels) fail(fn, "k", `be at most the number of maps (${output.channels})`, k);
  const picker = winnerPicker(k, radius, output.channels);
  for (let t = 0; t < output.steps && !picker.done(); t++) {
    picker.step(output.order, result.firePotentials, output.stepStart[t], output.stepStart[t + 1], output.width);
  }
  return picker.winners();
}

interface WinnerPicker {
  /** Takes the winners among the neurons `order[first … last)` that fired at one step. */
  step(order: Int32Array, firePotentials: Float32Array, first: number, last: number, width: number): void;
  done(): boolean;
  winners(): Int32Array;
}

/**
 * The k-WTA, one step at a time: within a step, repeatedly the eligible neuron with the largest
 * potential (ties: lower index) — the same choices as sorting the step and taking greedily, in
 * O(k · fired) without a sort.
 */
function winnerPicker(k: number, radius: number, maps: number): WinnerPicker {
  const chosen: number[] = [];
  const mapWon = new Uint8Array(maps);
  const wy: number[] = [];
  const wx: number[] = [];
  return {
    step(order, firePotentials, first, last, width) {
      while (chosen.length < k) {
        let best = -1;
        for (let j = first; j < last; j++) {
          const idx = order[j];
          if (best >= 0 && (firePotentials[j] < firePotentials[best] || (firePotentials[j] === firePotentials[best] && idx > order[best]))) continue;
          const f = idx % maps;
          if (mapWon[f]) continue;
          const pos = (idx - f) / maps;
          const x = pos % width;
          const y = (pos - x) / width;
          let inhibited = false;
          for (let i = 0; i < wy.length; i++) {
            if (Math.abs(y - wy[i]) <= radius && Math.abs(x - wx[i]) <= radius) {
              inhibited = true;
              break;
            }
          }
          if (!inhibited) best = j;
        }
        if (best < 0) return;
        const idx = order[best];
        const f = idx % maps;
        const pos = (idx - f) / maps;
        chosen.push(idx);
        mapWon[f] = 1;
        wx.push(pos % width);
        wy.push((pos - (pos % width)) / width);
      }
    },
    done: () => chosen.length >= k,
    winners: () => Int32Array.from(chosen),
  };
}

/**
 * The paper's STDP on the kernels of the `winners`, in place (file header): inputs of a winner's
 * window that spiked no later than it potentiate by a⁺·w(1 − w), the others (padding included)
 * depress by a⁻·w(1 − w); weights stay in [0, 1].
 * @example
 *   stdpConvUpdate(weights, input, result.output, kWinners(result, { k: 5, radius: 2 }),
 *     { kernel: 5, padding: 2, aPlus: 0.004, aMinus: -0.003 });
 */
export function stdpConvUpdate(
  weights: Float32Array, input: SpikeWave, output: SpikeWave, winners: ArrayLike<number>,
  options: { readonly kernel: number; readonly padding: number; readonly aPlus: number; readonly aMinus: number },
): void {
  const fn = "stdpConvUpdate";
  if (!(weights instanceof Float32Array)) fail(fn, "weights", "be a Float32Array", weights);
  checkWave(fn, "input", input);
  checkWave(fn, "output", output);
  if (winners === null || typeof winners !== "object" || typeof winners.length !== "number") fail(fn, "winners", "be an array of winner indices (from kWinners)", winners);
  objectArg(fn, "options", options, "{ kernel, padding, aPlus, aMinus }");
  const k = integer(fn, "kernel", options.kernel, 1);
  const padding = integer(fn, "padding", options.padding, 0);
  const { aPlus, aMinus } = options;
  if (!Number.isFinite(aPlus) || !Number.isFinite(aMinus)) fail(fn, "aPlus and aMinus", "be finite numbers", `${aPlus}, ${aMinus}`);
  if (weights.length !== k * k * input.channels * output.channels) fail(fn, "weights", `have length kernel²·channels·maps = ${k * k * input.channels * output.channels}`, weights.length);
  for (let i = 0; i < winners.length; i++) {
    const idx = winners[i]!;
    if (!(Number.isInteger(idx) && idx >= 0 && idx < output.times.length)) fail(fn, `winners[${i}]`, `be an index in [0, ${output.times.length})`, idx);
  }
  const maps = output.channels;
  const C = input.channels;
  for (let i = 0; i < winners.length; i++) {
    const idx = winners[i];
    const f = idx % maps;
    const pos = (idx - f) / maps;
    const ox = pos % output.width;
    const oy = (pos - ox) / output.width;
    const post = output.times[idx];
    for (let ky = 0; ky < k; ky++) {
      const y = oy + ky - padding;
      for (let kx = 0; kx < k; kx++) {
        const x = ox + kx - padding;
        const inside = y >= 0 && y < input.height && x >= 0 && x < input.width;
        for (let c = 0; c < C; c++) {
          const pre = inside ? input.times[(y * input.width + x) * C + c] : -1;
          const wi = ((ky * k + kx) * C + c) * maps + f;
          const w = weights[wi];
          const next = w + (pre >= 0 && pre <= post ? aPlus : aMinus) * w * (1 - w);
          weights[wi] = next < 0 ? 0 : next > 1 ? 1 : next;
        }
      }
    }
  }
}

/** Features of a range of images (`StdpCnn.features`); its shape is what `fitLinearClassifier` takes. */
export interface StdpFeatures {
  /** count × dim, row-major. */
  readonly values: Float32Array;
  readonly count: number;
  readonly dim: number;
  readonly labels: Uint8Array;
  /** The data set's name and split (the readout's evaluation log entry names them). */
  readonly name: string;
  readonly split: DatasetSplit;
}

/** A network built by `stdpCnn`. */
export interface StdpCnn {
  readonly name: "stdpCnn";
  readonly options: Readonly<Omit<StdpCnnOptions, "rng">>;
  /** Kernels, one [k, k, C_in, maps] array per layer (live: training changes them). */
  readonly weights: readonly Float32Array[];
  /** Images each layer has trained on. */
  readonly layerSamples: readonly number[];
  /** All images trained on (sum over layers). */
  readonly samplesSeen: number;
  /** Length of a feature vector. */
  readonly featureSize: number;
  /** Shapes of the stages: input (DoG spikes), then each layer's conv output and, when pooled, pooled output. */
  readonly stages: readonly { readonly name: string; readonly height: number; readonly width: number; readonly channels: number }[];
  /**
   * Trains layer `layer` (0-based) on its next `count` images of its own seeded epoch sequence of
   * `data`, in place; the layers below infer only. Returns the mean number of winners per image.
   */
  learnLayer(layer: number, data: ImageDataset, options: { readonly count: number }): { readonly samples: number; readonly winners: number };
  /** Features of images [start, start + count) of `data`, in order, without learning. */
  features(data: ImageDataset, range: { readonly start: number; readonly count: number }): StdpFeatures;
  /** Every stage's spike wave for one image (row-major pixels), for rasters and tests. */
  spikes(pixels: ArrayLike<number>): SpikeWave[];
  snapshot(): LearnerSnapshot;
  restore(snapshot: LearnerSnapshot): void;
}

/** Options of `stdpCnn`: a full configuration (start from `stdpCnnPresets`) and a generator. */
export type StdpCnnInit = Partial<StdpCnnOptions> & { readonly rng: Rng };

/**
 * Builds the network with kernels drawn from `rng` (file header). Every setting is checked here,
 * before any work.
 * @example
 *   const net = stdpCnn({ ...stdpCnnPresets.paper, rng: createRng(7) });
 *   net.featureSize;   // 100
 */
export function stdpCnn(init: StdpCnnInit): StdpCnn {
  const fn = "stdpCnn";
  if (init === null || typeof init !== "object") fail(fn, "options", "be an object", init);
  const { rng: rngIn, ...rest } = init;
  const rng = checkRng(fn, "rng", rngIn);
  const o = mergeOptions(fn, stdpCnnPresets.spykeTorch, rest as Partial<StdpCnnOptions>);
  const imageHeight = integer(fn, "imageHeight", o.imageHeight, 1);
  const imageWidth = integer(fn, "imageWidth", o.imageWidth, 1);
  const steps = integer(fn, "steps", o.steps, 1);
  if (steps > 32767) fail(fn, "steps", "be at most 32767", steps);
  inRange(fn, "weightMean", o.weightMean, 0, 1);
  inRange(fn, "weightSd", o.weightSd, 0, Infinity);
  positive(fn, "aPlus", o.aPlus);
  inRange(fn, "aMinusRatio", o.aMinusRatio, 0, Infinity);
  positive(fn, "aPlusMax", o.aPlusMax);
  integer(fn, "doubleEvery", o.doubleEvery, 1);
  oneOf(fn, "features", o.features, featureModes);
  if (!Array.isArray(o.layers) || o.layers.length === 0) fail(fn, "layers", "be a non-empty array of layer specs", o.layers);
  // DoG output size, checked by dogFilter's own rules on a blank image of the configured size.
  const dog = dogFilter({ data: new Uint8Array(imageHeight * imageWidth), width: imageWidth, height: imageHeight }, o.dog);
  const stages: { name: string; height: number; width: number; channels: number }[] = [
    { name: "input", height: dog.height, width: dog.width, channels: 2 },
  ];
  let h = dog.height;
  let w = dog.width;
  let c = 2;
  o.layers.forEach((spec, l) => {
    const p = `layers[${l}]`;
    if (spec === null || typeof spec !== "object") fail(fn, p, "be a layer spec {maps, kernel, threshold, k, radius, padding, pool}", spec);
    const maps = integer(fn, `${p}.maps`, spec.maps, 1);
    const kernel = integer(fn, `${p}.kernel`, spec.kernel, 1);
    const padding = integer(fn, `${p}.padding`, spec.padding, 0);
    if (kernel > h + 2 * padding || kernel > w + 2 * padding) {
      fail(fn, `${p}.kernel`, `be at most its padded input map (${h + 2 * padding}×${w + 2 * padding})`, kernel);
    }
    const last = l === o.layers.length - 1;
    if (!(typeof spec.threshold === "number" && spec.threshold > 0 && (spec.threshold < Infinity || (last && o.features === "potential")))) {
      fail(fn, `${p}.threshold`, "be a finite number > 0", spec.threshold);
    }
    const k = integer(fn, `${p}.k`, spec.k, 1);
    if (k > maps) fail(fn, `${p}.k`, `be at most the number of maps (${maps})`, k);
    integer(fn, `${p}.radius`, spec.radius, 0);
    if (spec.inhibition !== undefined && typeof spec.inhibition !== "boolean") fail(fn, `${p}.inhibition`, "be a boolean", spec.inhibition);
    h = h + 2 * padding - kernel + 1;
    w = w + 2 * padding - kernel + 1;
    c = maps;
    stages.push({ name: `conv${l + 1}`, height: h, width: w, channels: c });
    const pool = spec.pool;
    if (pool === "global") {
      if (!last) fail(fn, `${p}.pool`, "be \"global\" only on the last layer", pool);
      h = 1;
      w = 1;
      stages.push({ name: `pool${l + 1}`, height: 1, width: 1, channels: c });
    } else if (pool !== null) {
      if (typeof pool !== "object") fail(fn, `${p}.pool`, "be {size, stride, padding}, \"global\" or null", pool);
      const size = integer(fn, `${p}.pool.size`, pool.size, 1);
      const stride = integer(fn, `${p}.pool.stride`, pool.stride, 1);
      const pad = integer(fn, `${p}.pool.padding`, pool.padding, 0);
      if (size > h + 2 * pad || size > w + 2 * pad) fail(fn, `${p}.pool.size`, `be at most its padded input map (${h + 2 * pad}×${w + 2 * pad})`, size);
      h = Math.floor((h + 2 * pad - size) / stride) + 1;
      w = Math.floor((w + 2 * pad - size) / stride) + 1;
      stages.push({ name: `pool${l + 1}`, height: h, width: w, channels: c });
    }
  });
  const featureSize = o.features === "potential" ? c : h * w * c;
  const options = Object.freeze({ ...o, layers: Object.freeze(o.layers.map((s) => Object.freeze({ ...s }))) });
  const layers = options.layers;

  const weights = layers.map((spec, l) => {
    const inC = l === 0 ? 2 : layers[l - 1].maps;
    const layerRng = rng.fork();
    const out = new Float32Array(spec.kernel * spec.kernel * inC * spec.maps);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, layerRng.normal(o.weightMean, o.weightSd)));
    return out;
  });
  let orderSeed = rng.nextUint32();
  const layerSamples = layers.map(() => 0);

  // Preallocated per-layer buffers: one image at a time, no allocation in the loop.
  const convStates: ConvState[] = [];
  {
    let wave: { height: number; width: number; channels: number; steps: number } = { height: dog.height, width: dog.width, channels: 2, steps };
    layers.forEach((spec) => {
      const padded = { ...wave, height: wave.height, width: wave.width };
      const s = convState(padded as SpikeWave, spec.kernel, spec.maps, spec.padding);
      convStates.push(s);
      const pool = spec.pool;
      if (pool === null || pool === "global") wave = { height: s.height, width: s.width, channels: spec.maps, steps };
      else wave = { height: Math.floor((s.height + 2 * pool.padding - pool.size) / pool.stride) + 1, width: Math.floor((s.width + 2 * pool.padding - pool.size) / pool.stride) + 1, channels: spec.maps, steps };
    });
  }
  const poolBuffers: PoolBuffers[] = layers.map(() => ({
    rowLo: new Int32Array(0), rowHi: new Int32Array(0), colLo: new Int32Array(0), colHi: new Int32Array(0),
    times: new Int16Array(0), order: new Int32Array(0), stepStart: new Int32Array(0),
  }));
  const inputValues = new Float32Array(dog.height * dog.width * 2);
  const inputSteps = new Int32Array(inputValues.length);

  function encode(pixels: ArrayLike<number>): SpikeWave {
    const maps = dogFilter({ data: pixels, width: imageWidth, height: imageHeight }, options.dog);
    for (let i = 0, n = maps.on.length; i < n; i++) {
      inputValues[2 * i] = maps.on[i];
      inputValues[2 * i + 1] = maps.off[i];
    }
    latencySteps(inputValues, { steps, binning: "rank" }, inputSteps);
    return spikeWave(inputSteps, { height: maps.height, width: maps.width, channels: 2, steps });
  }

  /** Runs layers 0 … upTo; returns every stage's wave and the last conv result. */
  function forward(pixels: ArrayLike<number>, upTo: number, potentialOnly: boolean, picker?: WinnerPicker): { waves: SpikeWave[]; conv: SpikingConvResult; input: SpikeWave } {
    let wave = encode(pixels);
    const waves = [wave];
    let conv!: SpikingConvResult;
    let convInput = wave;
    for (let l = 0; l <= upTo; l++) {
      const spec = layers[l];
      const s = convStates[l];
      resetConv(s);
      convInput = wave;
      const learning = l === upTo && picker !== undefined;
      const afterStep = learning
        ? (first: number, last: number) => {
          picker.step(s.order, s.firePotentials, first, last, s.width);
          return picker.done();
        }
        : undefined;
      runConv(wave, weights[l], spec.kernel, spec.maps, spec.padding, potentialOnly && l === upTo ? Infinity : spec.threshold, s,
        learning || (potentialOnly && l === upTo), afterStep, spec.inhibition === true);
      conv = finishConv(s, steps);
      wave = conv.output;
      waves.push(wave);
      if (spec.pool !== null && spec.pool !== "global" && !learning) {
        wave = spikePool(wave, spec.pool, poolBuffers[l]);
        waves.push(wave);
      }
    }
    return { waves, conv, input: convInput };
  }

  function checkData(f: string, data: ImageDataset): ImageDataset {
    const d = checkImageDataset(f, "data", data);
    if (d.rows !== imageHeight || d.cols !== imageWidth) {
      fail(f, "data", `hold ${imageHeight}×${imageWidth} images (the network's imageHeight × imageWidth)`, `${d.rows}×${d.cols} images`);
    }
    if (d.count === 0) fail(f, "data", "hold at least one image", "an empty data set");
    return d;
  }

  const pixelsPer = imageHeight * imageWidth;
  const epochOrders = new Map<string, Uint32Array>();
  function sampleAt(layer: number, count: number, position: number): number {
    const epoch = Math.floor(position / count);
    const key = `${layer}:${epoch}:${count}`;
    let order = epochOrders.get(key);
    if (!order) {
      order = epochOrder(orderSeed + 0x9e3779b9 * (layer + 1), epoch, count);   // a stream per layer
      epochOrders.clear();
      epochOrders.set(key, order);
    }
    return order[position % count];
  }

  const net: StdpCnn = {
    name: "stdpCnn",
    options,
    weights,
    layerSamples,
    get samplesSeen() {
      return layerSamples.reduce((a, b) => a + b, 0);
    },
    featureSize,
    stages: Object.freeze(stages.map((s) => Object.freeze(s))),
    learnLayer(layer, data, { count }) {
      const f = "stdpCnn.learnLayer";
      integer(f, "layer", layer, 0);
      if (layer >= layers.length) fail(f, "layer", `be an integer in [0, ${layers.length - 1}]`, layer);
      integer(f, "count", count, 0);
      const d = checkData(f, data);
      const spec = layers[layer];
      let winnersTotal = 0;
      for (let i = 0; i < count; i++) {
        const n = layerSamples[layer];
        const index = sampleAt(layer, d.count, n);
        const picker = winnerPicker(spec.k, spec.radius, spec.maps);
        const { conv, input } = forward(d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer), layer, false, picker);
        const winners = picker.winners();
        winnersTotal += winners.length;
        const { aPlus, aMinus } = stdpCnnLearningRates(n, options);
        stdpConvUpdate(weights[layer], input, conv.output, winners, { kernel: spec.kernel, padding: spec.padding, aPlus, aMinus });
        layerSamples[layer] = n + 1;
      }
      return { samples: count, winners: count > 0 ? winnersTotal / count : 0 };
    },
    features(data, { start, count }) {
      const f = "stdpCnn.features";
      const d = checkData(f, data);
      integer(f, "start", start, 0);
      integer(f, "count", count, 1);
      if (start + count > d.count) fail(f, "count", `be at most data.count − start = ${d.count - start}`, count);
      const values = new Float32Array(count * featureSize);
      const last = layers.length - 1;
      for (let i = 0; i < count; i++) {
        const index = start + i;
        const pixels = d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer);
        const row = values.subarray(i * featureSize, (i + 1) * featureSize);
        if (options.features === "potential") {
          const { conv } = forward(pixels, last, true);
          row.fill(-Infinity);
          const pot = conv.potentials;
          for (let j = 0; j < pot.length; j++) {
            const m = j % featureSize;
            if (pot[j] > row[m]) row[m] = pot[j];
          }
        } else {
          const { waves } = forward(pixels, last, false);
          const wave = waves[waves.length - 1];
          for (let j = 0; j < wave.order.length; j++) row[wave.order[j]] = 1;
        }
      }
      return Object.freeze({ values, count, dim: featureSize, labels: d.labels.slice(start, start + count), name: d.name, split: d.split });
    },
    spikes(pixels) {
      const f = "stdpCnn.spikes";
      if (pixels == null || typeof pixels.length !== "number" || pixels.length === 0) fail(f, "pixels", "be a non-empty image", pixels);
      if (pixels.length !== pixelsPer) fail(f, "pixels", `have length imageHeight·imageWidth = ${pixelsPer}`, pixels.length);
      // Copies: the network's buffers are reused by the next image.
      return forward(pixels, layers.length - 1, false).waves.map((w) => ({
        ...w, times: w.times.slice(), order: w.order.slice(), stepStart: w.stepStart.slice(),
      }));
    },
    snapshot() {
      const tensors: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }> = {};
      layers.forEach((spec, l) => {
        const inC = l === 0 ? 2 : layers[l - 1].maps;
        tensors[`layers.${l}.weight`] = { dtype: "F32", shape: [spec.kernel, spec.kernel, inC, spec.maps], data: weights[l].slice() };
      });
      return makeSnapshot("stdpCnn", net.samplesSeen, snapshotConfig(), { orderSeed, layerSamples: [...layerSamples] }, tensors);
    },
    restore(snapshot) {
      const r = readSnapshot("stdpCnn.restore", snapshot, "stdpCnn", snapshotConfig());
      const read = layers.map((spec, l) => {
        const inC = l === 0 ? 2 : layers[l - 1].maps;
        return r.tensor(`layers.${l}.weight`, "F32", [spec.kernel, spec.kernel, inC, spec.maps]) as Float32Array;
      });
      const seed = r.integer("orderSeed", 0, 0xffffffff);
      const samples = r.state.layerSamples;
      if (!Array.isArray(samples) || samples.length !== layers.length || !samples.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) {
        fail("stdpCnn.restore", "snapshot.state.layerSamples", `be ${layers.length} integers >= 0`, samples);
      }
      r.done();
      read.forEach((data, l) => weights[l].set(data));
      orderSeed = seed;
      epochOrders.clear();
      (samples as number[]).forEach((v, l) => (layerSamples[l] = v));
    },
  };
  function snapshotConfig(): object {
    return { kind: "stdpCnn", ...options };
  }
  Object.defineProperty(net, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `StdpCnn(${stages.map((s) => `${s.name} ${s.height}×${s.width}×${s.channels}`).join(" → ")}; features ${featureSize}; trained ${layerSamples.join("/")})`,
    enumerable: false,
  });
  return net;
}

/** What `stdpCnnFeatureImages` returns: one image patch per feature map of a layer. */
export interface StdpFeatureImages {
  /** count × height × width, row-major; each patch scaled to a largest |value| of 1 (all-zero patches stay 0). */
  readonly values: Float32Array;
  readonly count: number;
  /** Patch side, image pixels: the layer's receptive field. */
  readonly height: number;
  readonly width: number;
}

/**
 * The features of layer `layer` reconstructed to input space, as the paper's figures show them:
 * the preferred stimulus of each input channel is its DoG kernel (ON: DoG(σc, σs), OFF: DoG(σs, σc));
 * a conv feature is the weighted sum of the preferred stimuli of its kernel's inputs, each placed
 * at its offset in the receptive field, and a pooled unit is the mean of its window's patches, so
 *
 *   P_input,c = K_c (size s, jump J = 1);
 *   conv (kernel k):  P'_f = Σ_{ky, kx, c} w[ky, kx, c, f] · shift(P_c, ky·J, kx·J), side s + (k − 1)·J;
 *   pool (size q, stride r): P'_f = mean_{dy, dx < q} shift(P_f, dy·J, dx·J), side s + (q − 1)·J, J' = J·r.
 *
 * Global pooling is not a patch (it covers the whole map), so the last layer is shown before it.
 * @example
 *   const r = stdpCnnFeatureImages(net, 0);   // paper preset: 30 patches of 11 × 11 pixels
 *   weightGrid(r.values, { rows: r.height, cols: r.width });
 */
export function stdpCnnFeatureImages(net: StdpCnn, layer: number): StdpFeatureImages {
  const fn = "stdpCnnFeatureImages";
  if (net === null || typeof net !== "object" || net.name !== "stdpCnn" || !Array.isArray(net.weights) || net.options === null || typeof net.options !== "object") {
    fail(fn, "net", "be a network from stdpCnn", net);
  }
  const layers = net.options.layers;
  integer(fn, "layer", layer, 0);
  if (layer >= layers.length) fail(fn, "layer", `be an integer in [0, ${layers.length - 1}]`, layer);
  const dog = net.options.dog;
  let side = dog.size;
  let jump = 1;
  let channels = 2;
  let patches: Float32Array[] = [dogKernel(dog.size, dog.sigmaCentre, dog.sigmaSurround), dogKernel(dog.size, dog.sigmaSurround, dog.sigmaCentre)];
  for (let l = 0; l <= layer; l++) {
    const spec = layers[l];
    const k = spec.kernel;
    const maps = spec.maps;
    const w = net.weights[l];
    const next = side + (k - 1) * jump;
    const out: Float32Array[] = [];
    for (let f = 0; f < maps; f++) {
      const p = new Float32Array(next * next);
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++) {
          for (let c = 0; c < channels; c++) {
            const weight = w[((ky * k + kx) * channels + c) * maps + f];
            if (weight === 0) continue;
            const src = patches[c];
            const oy = ky * jump;
            const ox = kx * jump;
            for (let y = 0; y < side; y++) {
              const row = (oy + y) * next + ox;
              for (let x = 0; x < side; x++) p[row + x] += weight * src[y * side + x];
            }
          }
        }
      }
      out.push(p);
    }
    patches = out;
    side = next;
    channels = maps;
    const pool = spec.pool;
    if (l < layer && pool !== null && pool !== "global") {
      const q = pool.size;
      const pooled = side + (q - 1) * jump;
      patches = patches.map((src) => {
        const p = new Float32Array(pooled * pooled);
        for (let dy = 0; dy < q; dy++) {
          for (let dx = 0; dx < q; dx++) {
            for (let y = 0; y < side; y++) {
              const row = (dy * jump + y) * pooled + dx * jump;
              for (let x = 0; x < side; x++) p[row + x] += src[y * side + x] / (q * q);
            }
          }
        }
        return p;
      });
      side = pooled;
      jump *= pool.stride;
    }
  }
  const values = new Float32Array(channels * side * side);
  patches.forEach((p, f) => {
    let max = 0;
    for (let i = 0; i < p.length; i++) max = Math.max(max, Math.abs(p[i]));
    for (let i = 0; i < p.length; i++) values[f * side * side + i] = max > 0 ? p[i] / max : 0;
  });
  return { values, count: channels, height: side, width: side };
}
