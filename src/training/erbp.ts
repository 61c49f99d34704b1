/**
 * Event-driven random back-propagation (eRBP): Neftci, Augustine, Paul & Detorakis, "Event-driven
 * random back-propagation: enabling neuromorphic deep learning machines", Front. Neurosci. 11:324
 * (2017), doi:10.3389/fnins.2017.00324. Pure TypeScript on typed arrays, no TensorFlow.
 *
 * The network is a feed-forward stack of current-based integrate-and-fire neurons simulated in
 * discrete time (step `dt`), driven by Poisson (Bernoulli-per-step) input spikes. Each hidden and
 * output neuron i has
 *
 *   synaptic current   I_i ← αsyn·I_i + Σ_j w_ij·s_j(t)                  αsyn = exp(−dt/τsyn)
 *   membrane           V_i ← αmem·V_i + (1 − αmem)·I_i;  V_i > θ ⇒ spike, V_i ← 0, refractory tRef
 *   dendrite (U)       U_i ← αU·U_i + Σ_k g_ik·(e⁺_k(t) − e⁻_k(t))        αU = exp(−dt/τU)
 *
 * The error is carried by spiking ERROR neurons, two per class: e⁺_k integrates (output spike of k)
 * − (label spike of k) and e⁻_k the opposite, both clamped at 0 from below, and each fires once per
 * `errorThreshold` net unmatched spikes (reset by subtraction). So e⁺ spikes at about
 * max(r_out − r_label, 0) and e⁻ at max(r_label − r_out, 0): the error split into a positive and a
 * negative channel. During training the label neuron of the true class fires at `labelRate`.
 *
 * The error spikes reach the dendrite of every hidden neuron through FIXED RANDOM feedback weights
 * g (direct feedback, one matrix per hidden layer), and the output neurons through the identity:
 * T_i = U_i. The forward weights of the layers above are never read by learning — there is no
 * weight transport. The weight update is event-driven: only when presynaptic neuron j spikes,
 *
 *   Δw_ij = −η · U_i · Θ(I_i)        Θ(I) = 1 if bMin < I < bMax, else 0 (the boxcar)
 *
 * for every postsynaptic i, with U_i and I_i as they stood at the end of the previous step (one
 * multiply-add per synapse; Θ is the boxcar stand-in for the derivative of the neuron's
 * thresholded-ReLU-like rate function). Learning is switched off for the first `learnAfter` ms
 * of every sample, while the network settles, as in the authors' Auryn code (50 of 250 ms).
 *
 * Layouts: `weights[l]` holds the synapses from layer l to layer l+1 PRESYNAPTIC-major,
 * w[j·nPost + i] (row j = everything presynaptic neuron j touches, so a spike reads and updates one
 * contiguous row); `feedback[l]` holds g for hidden layer l+1 class-major, g[k·nHidden + i].
 *
 * Regularisers. `transmission` = p < 1 is the paper's synaptic blank-out: each synapse of a
 * spiking presynaptic neuron transmits, and learns, with probability p (drawn from a fixed table of
 * 2^16 Bernoulli(p) bits read at a random offset per spike, one random draw per spike; p = 1, the
 * default, is exactly the network without it). `weightBound` (ours, not the paper's) keeps every
 * learned weight in [−bound, bound]: without it a large η runs away — the error keeps pushing
 * weights until hidden neurons sit above the boxcar, where learning stops, and stay saturated.
 *
 * Input and per-layer settings. `inputCoding: "regular"` with `binarize: 0.43` is the input of
 * the authors' Auryn code (pixels above 0.43 drive input neurons at their maximum rate, the rest are
 * silent; evenly spaced spikes, here with a random phase per pixel); the default is Poisson spikes
 * at `inputRate` × grey level. `boxcar` and `weightBound` take one value per layer as well (the
 * paper widens the boxcar of its second hidden layer).
 *
 * Departures from the paper (see the notebook for the full list): discrete time with dt = 1 ms by
 * default (Auryn: 0.1 ms); state reset between samples instead of a pause; blank-out off by default
 * (the paper: p = 0.45 or 0.65); the optional weight bound; no bias units; weights initialised
 * Glorot-uniform in threshold units. The time step matters more than it seems: at dt = 1 ms a
 * boxcar wider than (−1, 3) makes the hidden layers drift above it (spikes per digit climb, accuracy
 * falls), while at dt = 0.5 ms the boxcar (−1, 6) learns stably. So does the error threshold: at 1,
 * every output spike and every label spike of the true class makes an error spike even when the two
 * rates match, and that noise holds training accuracy near 95 % however small η gets; at 6 (with η
 * six times larger, the same drive per unmatched spike) most of it cancels in the error neurons and
 * accuracy keeps climbing. Notebook 13 uses dt = 0.5 ms, the boxcar (−1, 6) on the hidden layers and
 * none to speak of on the output layer, and errorThreshold 6.
 *
 * The network is a learner (learning/learner.ts): `fit(net, train, …)` trains it along its own
 * epoch sequence (a seeded permutation per epoch, `shuffle`), with schedules, validation and
 * checkpoints. Its snapshot holds the weights, the fixed feedback, the blank-out table, the seed of
 * the epoch order and the positions of the stimulus and blank-out generators; every sample starts
 * from a reset state, so no neuron state is saved. Evaluation draws its input spikes from the
 * stimulus generator too, so evaluating between training chunks changes the later training
 * spikes (as it always has: a resumed run is bit-identical when it evaluates at the same points).
 *
 * @example
 *   const net = erbpNetwork({ sizes: [784, 200, 200, 10], rng: createRng(1) });
 *   net.train(loadMnist({ split: "train" }), { start: 0, count: 1000 });
 *   net.evaluate(loadMnist({ split: "test" }), { start: 0, count: 1000 }).accuracy;
 */
import { createRng, type Rng } from "../core/random";
import { fail, finite, integer, mergeOptions, nonNegative, positive } from "../core/validate";
import { sortedSpikeTrain, type SpikeTrain } from "../encoders/spike-train";
import { logEvaluation } from "../datasets/evaluation-log";
import { tensor, type StoredTensor } from "../io/safetensors";
import type { Learner, LearnOptions, LearnStep } from "../learning/learner";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import { checkTrainingData, isImageDataset, sampleSize, type TrainingData } from "./batches";

/** The boxcar Θ(I) = 1 for min < I < max (in units of the threshold, like I). */
export interface ErbpBoxcar {
  readonly min: number;
  readonly max: number;
}

/** Options of `erbpNetwork`. */
export interface ErbpOptions {
  /** Layer sizes, input first, output (classes) last, e.g. [784, 200, 200, 10]. */
  readonly sizes: readonly number[];
  /** Time steps per sample. */
  readonly steps: number;
  /** Time step, ms. */
  readonly dt: number;
  /** Synaptic current time constant τsyn, ms (paper: 4 ms). */
  readonly tauSyn: number;
  /** Membrane time constant τmem, ms. */
  readonly tauMem: number;
  /** Dendritic (learning) compartment time constant τU, ms (authors' code: 5 ms). */
  readonly tauDendrite: number;
  /** Absolute refractory period, ms (paper: 3.9 ms). */
  readonly refractory: number;
  /** Spike threshold θ (dimensionless: currents and voltages are in units of θ = 1). */
  readonly threshold: number;
  /** Learning rate η (weight change per presynaptic spike per unit of U). */
  readonly learningRate: number;
  /**
   * The boxcar Θ on the synaptic current I, in threshold units: one for every layer, or one per
   * non-input layer (hidden layers first, output last; the paper widens it in the second hidden layer).
   */
  readonly boxcar: ErbpBoxcar | readonly ErbpBoxcar[];
  /** Half-width a of the uniform distribution U(−a, a) of the random feedback weights g. */
  readonly feedbackScale: number;
  /** Factor on the Glorot-uniform bound √(6 / (fanIn + fanOut)) of the initial forward weights. */
  readonly weightScale: number;
  /** Input rate at pixel value 1 (inputs in [0, 1]), Hz. */
  readonly inputRate: number;
  /**
   * Input spike trains: "poisson" (Bernoulli per step, rate ∝ pixel) or "regular" (a phase
   * accumulator with a random start phase per pixel and sample: evenly spaced spikes at the same
   * rate, the noiseless code).
   */
  readonly inputCoding: "poisson" | "regular";
  /**
   * Binarise pixels before coding: pixels above this value become 1, the rest 0 (the authors' code
   * thresholds at 0.43); null = use grey levels (default).
   */
  readonly binarize: number | null;
  /** Rate of the true class's label neuron during training, Hz. */
  readonly labelRate: number;
  /**
   * Net unmatched spikes per error spike (error neurons' threshold), ≥ 1. Scale `learningRate` with
   * it to keep the drive per unmatched spike; larger values cancel more of the spike-timing noise
   * between output and label spikes (file header).
   */
  readonly errorThreshold: number;
  /**
   * Synaptic transmission probability p (the paper's blank-out): every synapse of a spiking
   * presynaptic neuron independently transmits, and learns, with probability p; 1 = always (default).
   */
  readonly transmission: number;
  /**
   * Learning keeps every forward weight in [−weightBound, weightBound] (threshold units): one bound
   * for all layers or one per weight layer; Infinity = unbounded (default).
   */
  readonly weightBound: number | readonly number[];
  /** Learning is off during the first `learnAfter` ms of every training sample, ms. */
  readonly learnAfter: number;
  /** Train on a fresh random permutation of the data in every epoch. */
  readonly shuffle: boolean;
  /**
   * How a prediction is read from the output layer. "spikes" (default): the most output spikes,
   * equal counts decided by the earliest first spike; no output spike, or a full tie, is no answer
   * (−1, counted wrong). "spikes+current": ties (and silent outputs) decided by the larger summed
   * output current — an analog tie-break, not a spike readout.
   */
  readonly readout: "spikes" | "spikes+current";
  /** Seeded generator: initial weights, feedback, input spikes, shuffling. Required. */
  readonly rng: Rng | undefined;
  /** Initial forward weights (presynaptic-major, see file header); copied. Default: random. */
  readonly initialWeights: readonly Float32Array[] | undefined;
  /** Fixed feedback matrices, one per hidden layer (class-major); copied. Default: random. */
  readonly feedback: readonly Float32Array[] | undefined;
}

/** Defaults of `erbpNetwork` (the notebook states which of them come from the paper). */
export const erbpDefaults: Readonly<ErbpOptions> = Object.freeze({
  sizes: Object.freeze([784, 200, 200, 10]) as readonly number[],
  steps: 100,
  dt: 1,
  tauSyn: 4,
  tauMem: 4,
  tauDendrite: 5,
  refractory: 4,
  threshold: 1,
  learningRate: 1e-3,
  boxcar: Object.freeze({ min: -1, max: 3 }),
  feedbackScale: 1,
  weightScale: 1,
  inputRate: 200,
  inputCoding: "poisson",
  binarize: null,
  labelRate: 200,
  errorThreshold: 1,
  learnAfter: 10,
  transmission: 1,
  weightBound: Infinity,
  shuffle: true,
  readout: "spikes",
  rng: undefined,
  initialWeights: undefined,
  feedback: undefined,
});

/** What one call of `train` did. */
export interface ErbpTrainResult {
  /** Samples presented. */
  readonly samples: number;
  /** Fraction of them classified correctly while training (output spike counts). */
  readonly trainAccuracy: number;
  /** Mean spikes per sample, all layers (hidden, output, error). */
  readonly spikesPerSample: number;
  /** Mean synaptic events (spike × fan-out) per sample. */
  readonly synapticEventsPerSample: number;
  /** Mean weight updates (synapses changed) per sample. */
  readonly updatesPerSample: number;
}

/** What `evaluate` returns. */
export interface ErbpEvaluation {
  /** Fraction of correctly classified samples (read as `options.readout` says; no answer counts as wrong). */
  readonly accuracy: number;
  readonly predictions: Int32Array;
  readonly labels: Int32Array;
  /** Mean spikes per sample over the hidden and output layers. */
  readonly spikesPerSample: number;
  /** Mean input spikes per sample. */
  readonly inputSpikesPerSample: number;
  /** Mean synaptic events (spike × fan-out, input spikes included) per sample: the operations. */
  readonly synapticEventsPerSample: number;
}

/** Spike trains of one sample presented with labels and error neurons but no weight change. */
export interface ErbpRecording {
  readonly label: number;
  readonly prediction: number;
  readonly input: SpikeTrain;
  /** One train per hidden layer, then the output layer. */
  readonly layers: readonly SpikeTrain[];
  readonly labelSpikes: SpikeTrain;
  readonly errorPlus: SpikeTrain;
  readonly errorMinus: SpikeTrain;
  /** The dendritic variable U of the first `traceNeurons` neurons of each hidden layer, step-major. */
  readonly dendrite: readonly Float32Array[];
  /** The synaptic current I of the same neurons, step-major. */
  readonly current: readonly Float32Array[];
  readonly traceNeurons: number;
}

/** Options of `train`, `evaluate`, `alignment`: a range of samples. */
export interface ErbpRange {
  readonly start: number;
  readonly count: number;
}

/** Options of `train`: a range of samples and, optionally, the learning rate for this call (a schedule). */
export interface ErbpTrainRange extends ErbpRange {
  /** η for this call only; default `options.learningRate`. */
  readonly learningRate?: number;
}

/** Read-only view of the simulation state (after the last step). */
export interface ErbpState {
  /** Synaptic current I of each non-input layer. */
  readonly current: readonly Float32Array[];
  /** Membrane potential V of each non-input layer. */
  readonly voltage: readonly Float32Array[];
  /** Dendritic learning variable U of each non-input layer. */
  readonly dendrite: readonly Float32Array[];
  /** Membrane potentials of the error neurons e⁺ and e⁻. */
  readonly errorPlus: Float32Array;
  readonly errorMinus: Float32Array;
}

/** Spikes of one `step`. */
export interface ErbpStepSpikes {
  /** 0/1 per neuron, one array per non-input layer. */
  readonly layers: readonly Uint8Array[];
  readonly errorPlus: Uint8Array;
  readonly errorMinus: Uint8Array;
  /** Synapses changed in this step. */
  readonly updates: number;
}

/** An eRBP network: weights, fixed feedback, state, and the training / test loops; a `Learner` (file header). */
export interface ErbpNetwork extends Learner<TrainingData, ErbpEvaluation> {
  /** "erbpNetwork": the learner's name in snapshots. */
  readonly name: "erbpNetwork";
  readonly options: Readonly<ErbpOptions>;
  /** η when `train` or `learn` is given none (`options.learningRate`). */
  readonly learningRate: number;
  readonly sizes: readonly number[];
  /** Forward weights, layer l → l+1, presynaptic-major (read-only by convention: learning owns them). */
  readonly weights: readonly Float32Array[];
  /** Fixed random feedback g of each hidden layer, class-major. Never changes. */
  readonly feedback: readonly Float32Array[];
  /** Samples trained so far (the next `train` call usually starts here). */
  readonly samplesSeen: number;
  readonly state: ErbpState;
  /** Trains on samples start … start+count−1 of the (per-epoch shuffled) sequence; sample s is data item perm_e[s mod N], e = ⌊s / N⌋. */
  train(data: TrainingData, range: ErbpTrainRange): ErbpTrainResult;
  /** Trains on the next `count` samples of the epoch sequence from `samplesSeen` on (the Learner contract). */
  learn(data: TrainingData, options: LearnOptions): LearnStep;
  /** Classifies samples start … start+count−1 in order, learning off, no labels shown. */
  evaluate(data: TrainingData, range: ErbpRange): ErbpEvaluation;
  /** Weights, feedback, blank-out table, epoch-order seed and generator positions (learning/snapshot.ts). */
  snapshot(): LearnerSnapshot;
  /** Sets that state from a snapshot of a network with the same options. */
  restore(snapshot: LearnerSnapshot): void;
  /** Presents sample `index` with labels and error neurons but no weight change, and records its spikes. */
  record(data: TrainingData, index: number, options?: { traceNeurons?: number }): ErbpRecording;
  /**
   * For each hidden layer, the mean angle (degrees) over the samples between eRBP's learning signal
   * (g·e)⊙Θ and the back-propagated one (Wᵀ…)⊙Θ that backprop would use, with e the rate error of
   * each sample (output − label spikes per step) and Θ the fraction of steps in the boxcar. A
   * diagnostic only: it is the single place where the upper forward weights are read besides the
   * forward pass.
   */
  alignment(data: TrainingData, range: ErbpRange): number[];
  /** Advances the current state by one step with the given input spikes (0/1) and label (−1: none; else its label neuron fires at labelRate and the error neurons run); for tests. */
  step(input: Uint8Array, label: number, learn: boolean): ErbpStepSpikes;
  /** Sets every state variable to 0. */
  reset(): void;
}

const FN = "erbpNetwork";
/** Blank-out table: 2^16 random bits (+ one row), read at a random offset per spike. */
const BLANK_MASK = 0xffff;

function checkOptions(options: Partial<ErbpOptions> | undefined): ErbpOptions {
  const o = mergeOptions(FN, erbpDefaults, options);
  if (!Array.isArray(o.sizes) || o.sizes.length < 2) fail(FN, "sizes", "be an array of at least 2 layer sizes", o.sizes);
  o.sizes.forEach((s, l) => integer(FN, `sizes[${l}]`, s, 1));
  integer(FN, "steps", o.steps, 1);
  for (const key of ["dt", "tauSyn", "tauMem", "tauDendrite", "threshold"] as const) positive(FN, key, o[key]);
  for (const key of ["refractory", "learningRate", "feedbackScale", "weightScale", "inputRate", "labelRate", "learnAfter"] as const) nonNegative(FN, key, o[key]);
  for (const key of ["inputRate", "labelRate"] as const) {
    if ((o[key] * o.dt) / 1000 > 1 + 1e-6) fail(FN, key, `be at most 1/dt = ${Number((1000 / o.dt).toPrecision(6))} Hz (one spike a step at dt = ${o.dt} ms; this rate is in Hz)`, o[key]);
  }
  const perLayerBound = Array.isArray(o.weightBound);
  if (perLayerBound && o.weightBound.length !== o.sizes.length - 1) fail(FN, "weightBound", `be one positive number or an array of ${o.sizes.length - 1} (one per weight layer)`, o.weightBound);
  (perLayerBound ? (o.weightBound as readonly number[]) : [o.weightBound]).forEach((x, l) => {
    if (typeof x !== "number" || Number.isNaN(x) || !(x > 0)) fail(FN, perLayerBound ? `weightBound[${l}]` : "weightBound", "be a positive number (Infinity: unbounded)", x);
  });
  if (typeof o.transmission !== "number" || !(o.transmission > 0 && o.transmission <= 1)) fail(FN, "transmission", "be a number in (0, 1]", o.transmission);
  if (typeof o.errorThreshold !== "number" || !Number.isFinite(o.errorThreshold) || o.errorThreshold < 1) fail(FN, "errorThreshold", "be a finite number >= 1", o.errorThreshold);
  const nLayers = o.sizes.length - 1;
  const boxes = Array.isArray(o.boxcar) ? (o.boxcar as readonly ErbpBoxcar[]) : [o.boxcar as ErbpBoxcar];
  if (Array.isArray(o.boxcar) && boxes.length !== nLayers) fail(FN, "boxcar", `be one {min, max} or an array of ${nLayers} (one per non-input layer)`, o.boxcar);
  const checked = boxes.map((b, l) => {
    const name = Array.isArray(o.boxcar) ? `boxcar[${l}]` : "boxcar";
    if (b === null || typeof b !== "object") fail(FN, name, "be an object {min, max}", b);
    finite(FN, `${name}.min`, b.min);
    finite(FN, `${name}.max`, b.max);
    if (!(b.max > b.min)) fail(FN, `${name}.max`, `be > ${name}.min (${b.min})`, b.max);
    return Object.freeze({ min: b.min, max: b.max });
  });
  if (o.inputCoding !== "poisson" && o.inputCoding !== "regular") fail(FN, "inputCoding", 'be "poisson" or "regular"', o.inputCoding);
  if (o.binarize !== null && !(typeof o.binarize === "number" && o.binarize >= 0 && o.binarize < 1)) fail(FN, "binarize", "be null or a number in [0, 1)", o.binarize);
  if (typeof o.shuffle !== "boolean") fail(FN, "shuffle", "be a boolean", o.shuffle);
  if (o.readout !== "spikes" && o.readout !== "spikes+current") fail(FN, "readout", 'be "spikes" or "spikes+current"', o.readout);
  if (!o.rng || typeof (o.rng as Rng).next !== "function") fail(FN, "rng", "be a seeded Rng (createRng(seed))", o.rng);
  const L = o.sizes.length - 1;
  if (o.initialWeights !== undefined) {
    if (!Array.isArray(o.initialWeights) || o.initialWeights.length !== L) fail(FN, "initialWeights", `be an array of ${L} Float32Arrays`, o.initialWeights);
    o.initialWeights.forEach((w, l) => {
      const n = o.sizes[l]! * o.sizes[l + 1]!;
      if (!(w instanceof Float32Array) || w.length !== n) fail(FN, `initialWeights[${l}]`, `be a Float32Array of ${n} values`, w);
      for (let i = 0; i < n; i++) if (!Number.isFinite(w[i])) fail(FN, `initialWeights[${l}][${i}]`, "be a finite number", w[i]);
    });
  }
  if (o.feedback !== undefined) {
    if (!Array.isArray(o.feedback) || o.feedback.length !== L - 1) fail(FN, "feedback", `be an array of ${L - 1} Float32Arrays (one per hidden layer)`, o.feedback);
    o.feedback.forEach((g, l) => {
      const n = o.sizes[L]! * o.sizes[l + 1]!;
      if (!(g instanceof Float32Array) || g.length !== n) fail(FN, `feedback[${l}]`, `be a Float32Array of ${n} values`, g);
      for (let i = 0; i < n; i++) if (!Number.isFinite(g[i])) fail(FN, `feedback[${l}][${i}]`, "be a finite number", g[i]);
    });
  }
  return Object.freeze({ ...o, sizes: Object.freeze([...o.sizes]), boxcar: Array.isArray(o.boxcar) ? Object.freeze(checked) : checked[0]!, weightBound: Array.isArray(o.weightBound) ? Object.freeze([...o.weightBound]) : o.weightBound });
}

function checkData(fn: string, data: TrainingData, nIn: number): Uint8Array | Int32Array {
  checkTrainingData(fn, data);
  if (sampleSize(data) !== nIn) fail(fn, "data", `have samples of ${nIn} values (sizes[0])`, sampleSize(data));
  const labels = data.labels;
  if (!labels) fail(fn, "data.labels", "be given (eRBP classifies)", labels);
  return labels;
}

function checkRange(fn: string, range: ErbpRange, count: number, wrap: boolean): { start: number; count: number } {
  if (range === null || typeof range !== "object") fail(fn, "range", "be an object {start, count}", range);
  const start = integer(fn, "start", range.start, 0);
  const n = integer(fn, "count", range.count, 0);
  if (!wrap && start + n > count) fail(fn, "start + count", `be <= the data set's ${count} samples`, start + n);
  return { start, count: n };
}

/**
 * Creates an eRBP network (file header): forward weights Glorot-uniform × `weightScale`, feedback
 * g ~ U(−a, a) with each hidden neuron's g centred over the classes (so a uniform error over all
 * classes leaves it alone, as in the authors' code), all from `rng`.
 *
 * @example
 *   const net = erbpNetwork({ sizes: [2, 4, 2], steps: 50, rng: createRng(3) });
 *   net.weights.length;   // 2
 *   net.feedback[0].length; // 2 classes × 4 hidden = 8
 */
export function erbpNetwork(options: Partial<ErbpOptions>): ErbpNetwork {
  const o = checkOptions(options);
  const rng = o.rng!;
  const sizes = o.sizes;
  const L = sizes.length - 1; // weight layers; non-input layers 1 … L
  const nOut = sizes[L]!;
  const weights: Float32Array[] = [];
  for (let l = 0; l < L; l++) {
    const n = sizes[l]! * sizes[l + 1]!;
    if (o.initialWeights) weights.push(Float32Array.from(o.initialWeights[l]!));
    else {
      const a = o.weightScale * Math.sqrt(6 / (sizes[l]! + sizes[l + 1]!));
      weights.push(rng.fillUniform(new Float32Array(n), -a, a));
    }
  }
  const feedback: Float32Array[] = [];
  for (let l = 1; l < L; l++) {
    const n = sizes[l]!;
    if (o.feedback) feedback.push(Float32Array.from(o.feedback[l - 1]!));
    else {
      const g = rng.fillUniform(new Float32Array(nOut * n), -o.feedbackScale, o.feedbackScale);
      for (let i = 0; i < n; i++) {
        let m = 0;
        for (let k = 0; k < nOut; k++) m += g[k * n + i]!;
        m /= nOut;
        for (let k = 0; k < nOut; k++) g[k * n + i] = g[k * n + i]! - m;
      }
      feedback.push(g);
    }
  }
  let shuffleSeed = rng.nextUint32();
  const stimRng = rng.fork();
  // Blank-out: a table of Bernoulli(p) bits read at a random offset per spike (one draw per spike).
  const blankRng = o.transmission < 1 ? rng.fork() : undefined;
  const blank = blankRng ? Float32Array.from({ length: BLANK_MASK + 1 + Math.max(...sizes) }, () => (blankRng.next() < o.transmission ? 1 : 0)) : undefined;
  const blankCount = blank ? new Int32Array(blank.length + 1) : undefined;
  if (blank) for (let q = 0; q < blank.length; q++) blankCount![q + 1] = blankCount![q]! + blank[q]!;

  // State of non-input layers 1 … L, stored at index l − 1.
  const I = sizes.slice(1).map((n) => new Float32Array(n));
  const V = sizes.slice(1).map((n) => new Float32Array(n));
  const U = sizes.slice(1).map((n) => new Float32Array(n));
  const ref = sizes.slice(1).map((n) => new Int32Array(n));
  const mod = sizes.slice(1).map((n) => new Float32Array(n));
  const modIdx = sizes.slice(1).map((n) => new Int32Array(n));
  const spikes = sizes.map((n) => new Uint8Array(n)); // layer 0 = input
  const spikeList = sizes.map((n) => new Int32Array(n));
  const spikeCount = new Int32Array(sizes.length);
  const ePlusV = new Float32Array(nOut);
  const eMinusV = new Float32Array(nOut);
  const ePlus = new Uint8Array(nOut);
  const eMinus = new Uint8Array(nOut);
  const labelSpike = new Uint8Array(nOut);
  const outCount = new Float64Array(nOut);
  const outCurrent = new Float64Array(nOut);
  const outFirst = new Int32Array(nOut);

  const aSyn = Math.exp(-o.dt / o.tauSyn);
  const aMem = Math.exp(-o.dt / o.tauMem);
  const aU = Math.exp(-o.dt / o.tauDendrite);
  const refSteps = Math.round(o.refractory / o.dt);
  const theta = o.threshold;
  // Boxcar bounds of each non-input layer.
  const boxAt = (l: number): ErbpBoxcar => (Array.isArray(o.boxcar) ? (o.boxcar as readonly ErbpBoxcar[])[l]! : (o.boxcar as ErbpBoxcar));
  const bMins = Float64Array.from({ length: L }, (_, l) => boxAt(l).min);
  const bMaxs = Float64Array.from({ length: L }, (_, l) => boxAt(l).max);
  let eta = o.learningRate;
  const eTh = o.errorThreshold;
  const learnAfterSteps = Math.ceil(o.learnAfter / o.dt - 1e-9);
  const pLabel = Math.min(1, (o.labelRate * o.dt) / 1000);
  const pInputScale = (o.inputRate * o.dt) / 1000;
  const T = o.steps;

  let samplesSeen = 0;
  let permEpoch = -1;
  let perm: Int32Array = new Int32Array(0);

  // Input spike schedule of one sample: CSR by step.
  let schedIds = new Int32Array(4096);
  const schedStart = new Int32Array(T + 1);
  const schedFill = new Int32Array(T);
  let pairT = new Int32Array(4096);
  let pairJ = new Int32Array(4096);
  const pixel = new Float32Array(sizes[0]!);

  function reset(): void {
    for (let l = 0; l < L; l++) {
      I[l]!.fill(0);
      V[l]!.fill(0);
      U[l]!.fill(0);
      ref[l]!.fill(0);
    }
    ePlusV.fill(0);
    eMinusV.fill(0);
  }

  function loadPixels(data: TrainingData, index: number): void {
    const n = sizes[0]!;
    if (isImageDataset(data)) {
      const px = data.images;
      const off = index * n;
      for (let j = 0; j < n; j++) pixel[j] = px[off + j]! / 255;
    } else {
      const x = data.inputs;
      const off = index * n;
      for (let j = 0; j < n; j++) pixel[j] = Math.min(1, Math.max(0, x[off + j]!));
    }
    const cut = o.binarize;
    if (cut !== null) for (let j = 0; j < n; j++) pixel[j] = pixel[j]! > cut ? 1 : 0;
  }

  /**
   * The input spikes of one sample. Poisson: Bernoulli per step, drawn event by event with
   * geometric gaps. Regular: an accumulator a + p·(t + 1) with a ~ U(0, 1) fires at each step where
   * it crosses an integer.
   */
  function schedule(): number {
    const n = sizes[0]!;
    const regular = o.inputCoding === "regular";
    let m = 0;
    for (let j = 0; j < n; j++) {
      const p = pixel[j]! * pInputScale;
      if (p <= 0) continue;
      if (p >= 1) {
        for (let t = 0; t < T; t++) m = pushPair(m, t, j);
        continue;
      }
      if (regular) {
        const a = stimRng.next();
        for (let k = 1; ; k++) {
          const t = Math.ceil((k - a) / p) - 1;
          if (t >= T) break;
          m = pushPair(m, t, j);
        }
        continue;
      }
      const logq = Math.log1p(-p);
      let t = Math.floor(Math.log(1 - stimRng.next()) / logq);
      while (t < T) {
        m = pushPair(m, t, j);
        t += 1 + Math.floor(Math.log(1 - stimRng.next()) / logq);
      }
    }
    schedStart.fill(0);
    for (let s = 0; s < m; s++) schedStart[pairT[s]! + 1]++;
    for (let t = 0; t < T; t++) schedStart[t + 1] += schedStart[t]!;
    if (schedIds.length < m) schedIds = new Int32Array(Math.max(m, 2 * schedIds.length));
    schedFill.set(schedStart.subarray(0, T));
    for (let s = 0; s < m; s++) schedIds[schedFill[pairT[s]!]++] = pairJ[s]!;
    return m;
  }

  function pushPair(m: number, t: number, j: number): number {
    if (m === pairT.length) {
      const t2 = new Int32Array(2 * m);
      t2.set(pairT);
      pairT = t2;
      const j2 = new Int32Array(2 * m);
      j2.set(pairJ);
      pairJ = j2;
    }
    pairT[m] = t;
    pairJ[m] = j;
    return m + 1;
  }

  const counters = { events: 0, updates: 0, spikes: 0 };
  const wBounds = Float64Array.from({ length: L }, (_, l) => (Array.isArray(o.weightBound) ? (o.weightBound as readonly number[])[l]! : (o.weightBound as number)));

  /**
   * One step. Input spikes are in spikeList[0] / spikeCount[0]. `label` < 0: no label, no error
   * neurons. Returns nothing; spikes are left in spikes/spikeList, error spikes in ePlus/eMinus.
   */
  function advance(label: number, learn: boolean, errors: boolean): void {
    for (let l = 0; l < L; l++) {
      const nPost = sizes[l + 1]!;
      const w = weights[l]!;
      const cur = I[l]!;
      const u = U[l]!;
      const m = mod[l]!;
      const idx = modIdx[l]!;
      const bMin = bMins[l]!;
      const bMax = bMaxs[l]!;
      const wb = wBounds[l]!; // learned weights stay in [−wb, wb]
      // Modulation −η·U·Θ(I) from the state at the end of the previous step.
      let nMod = 0;
      if (learn && eta > 0) {
        for (let i = 0; i < nPost; i++) {
          const c = cur[i]!;
          const ui = u[i]!;
          if (ui !== 0 && c > bMin && c < bMax) {
            m[i] = -eta * ui;
            idx[nMod++] = i;
          } else m[i] = 0;
        }
      }
      for (let i = 0; i < nPost; i++) cur[i] = cur[i]! * aSyn;
      const list = spikeList[l]!;
      const ns = spikeCount[l]!;
      if (blank) {
        // Synaptic blank-out: each synapse of the spiking row transmits (and learns) with probability p.
        const mt = blank;
        for (let s = 0; s < ns; s++) {
          const off = list[s]! * nPost;
          const mo = blankRng!.nextUint32() & BLANK_MASK;
          if (nMod > 0) {
            for (let i = 0; i < nPost; i++) {
              const b = mt[mo + i]!;
              const wi = w[off + i]!;
              cur[i] += b * wi;
              w[off + i] = clamp(wi + b * m[i]!, wb);
            }
          } else for (let i = 0; i < nPost; i++) cur[i] += mt[mo + i]! * w[off + i]!;
          const sent = blankCount![mo + nPost]! - blankCount![mo]!;
          counters.events += sent;
          if (nMod > 0) counters.updates += sent;
        }
      } else if (nMod === 0) {
        counters.events += ns * nPost;
        for (let s = 0; s < ns; s++) {
          const off = list[s]! * nPost;
          for (let i = 0; i < nPost; i++) cur[i] += w[off + i]!;
        }
      } else if (nMod * 4 >= nPost) {
        counters.events += ns * nPost;
        // Dense row update: transmit with the old weight, then change it (as in Auryn).
        for (let s = 0; s < ns; s++) {
          const off = list[s]! * nPost;
          for (let i = 0; i < nPost; i++) {
            const wi = w[off + i]!;
            cur[i] += wi;
            w[off + i] = clamp(wi + m[i]!, wb);
          }
        }
        counters.updates += ns * nMod;
      } else {
        counters.events += ns * nPost;
        for (let s = 0; s < ns; s++) {
          const off = list[s]! * nPost;
          for (let i = 0; i < nPost; i++) cur[i] += w[off + i]!;
          for (let q = 0; q < nMod; q++) {
            const i = idx[q]!;
            w[off + i] = clamp(w[off + i]! + m[i]!, wb);
          }
        }
        counters.updates += ns * nMod;
      }
      // Membranes.
      const v = V[l]!;
      const r = ref[l]!;
      const sp = spikes[l + 1]!;
      const outList = spikeList[l + 1]!;
      let count = 0;
      for (let i = 0; i < nPost; i++) {
        if (r[i]! > 0) {
          r[i]--;
          v[i] = 0;
          sp[i] = 0;
          continue;
        }
        const vi = aMem * v[i]! + (1 - aMem) * cur[i]!;
        if (vi > theta) {
          v[i] = 0;
          r[i] = refSteps;
          sp[i] = 1;
          outList[count++] = i;
        } else {
          v[i] = vi;
          sp[i] = 0;
        }
      }
      spikeCount[l + 1] = count;
      counters.spikes += count;
    }
    // Error neurons and dendrites.
    ePlus.fill(0);
    eMinus.fill(0);
    if (!errors) return;
    const out = spikes[L]!;
    for (let k = 0; k < nOut; k++) {
      labelSpike[k] = k === label && pLabel > 0 && (pLabel >= 1 || stimRng.next() < pLabel) ? 1 : 0;
      const d = out[k]! - labelSpike[k]!;
      let vp = Math.max(0, ePlusV[k]! + d);
      let vm = Math.max(0, eMinusV[k]! - d);
      if (vp >= eTh) {
        vp -= eTh;
        ePlus[k] = 1;
      }
      if (vm >= eTh) {
        vm -= eTh;
        eMinus[k] = 1;
      }
      ePlusV[k] = vp;
      eMinusV[k] = vm;
      counters.spikes += ePlus[k]! + eMinus[k]!;
    }
    for (let l = 0; l < L; l++) {
      const u = U[l]!;
      const n = sizes[l + 1]!;
      for (let i = 0; i < n; i++) u[i] = u[i]! * aU;
      if (l === L - 1) {
        // Output layer: the error itself (g = identity).
        for (let k = 0; k < nOut; k++) u[k] += ePlus[k]! - eMinus[k]!;
      } else {
        const g = feedback[l]!;
        for (let k = 0; k < nOut; k++) {
          const sgn = ePlus[k]! - eMinus[k]!;
          if (sgn === 0) continue;
          const off = k * n;
          if (sgn > 0) for (let i = 0; i < n; i++) u[i] += g[off + i]!;
          else for (let i = 0; i < n; i++) u[i] -= g[off + i]!;
          counters.events += n;
        }
      }
    }
  }

  function setInputStep(t: number): void {
    const a = schedStart[t]!;
    const b = schedStart[t + 1]!;
    const list = spikeList[0]!;
    for (let s = a; s < b; s++) list[s - a] = schedIds[s]!;
    spikeCount[0] = b - a;
  }

  /** Presents one sample; returns the predicted class. */
  function present(data: TrainingData, index: number, label: number, learn: boolean, rec?: (t: number) => void): number {
    reset();
    loadPixels(data, index);
    schedule();
    outCount.fill(0);
    outCurrent.fill(0);
    outFirst.fill(T);
    const out = L - 1;
    for (let t = 0; t < T; t++) {
      setInputStep(t);
      advance(label, learn && t >= learnAfterSteps, label >= 0);
      const sp = spikes[L]!;
      const c = I[out]!;
      for (let k = 0; k < nOut; k++) {
        outCount[k] += sp[k]!;
        outCurrent[k] += c[k]!;
        if (sp[k] && outFirst[k] === T) outFirst[k] = t;
      }
      if (rec) rec(t);
    }
    let best = 0;
    if (o.readout === "spikes+current") {
      for (let k = 1; k < nOut; k++) {
        if (outCount[k]! > outCount[best]! || (outCount[k] === outCount[best] && outCurrent[k]! > outCurrent[best]!)) best = k;
      }
      return best;
    }
    // Most spikes, then the earliest first spike; silence or a full tie is no answer.
    let tied = false;
    for (let k = 1; k < nOut; k++) {
      const more = outCount[k]! > outCount[best]! || (outCount[k] === outCount[best] && outFirst[k]! < outFirst[best]!);
      if (more) {
        best = k;
        tied = false;
      } else if (outCount[k] === outCount[best] && outFirst[k] === outFirst[best]) {
        tied = true;
      }
    }
    return outCount[best] === 0 || tied ? -1 : best;
  }

  function dataIndex(s: number, count: number): number {
    if (!o.shuffle) return s % count;
    const epoch = Math.floor(s / count);
    if (epoch !== permEpoch || perm.length !== count) {
      perm = new Int32Array(count);
      for (let i = 0; i < count; i++) perm[i] = i;
      createRng((shuffleSeed + epoch * 0x9e3779b1) >>> 0).shuffle(perm);
      permEpoch = epoch;
    }
    return perm[s % count]!;
  }

  const config = { ...o, rng: undefined, initialWeights: undefined, feedback: undefined };
  const blankShape = blank ? [blank.length] : [];

  const net: ErbpNetwork = {
    name: "erbpNetwork",
    options: o,
    learningRate: o.learningRate,
    sizes,
    weights,
    feedback,
    get samplesSeen() {
      return samplesSeen;
    },
    state: Object.freeze({ current: I, voltage: V, dendrite: U, errorPlus: ePlusV, errorMinus: eMinusV }),
    train(data, range) {
      const fn = "erbpNetwork.train";
      const labels = checkData(fn, data, sizes[0]!);
      if (data.count === 0) fail(fn, "data.count", "be >= 1", 0);
      const r = checkRange(fn, range, data.count, true);
      const rate = range.learningRate === undefined ? o.learningRate : nonNegative(fn, "learningRate", range.learningRate);
      for (let s = r.start; s < r.start + r.count; s++) {
        const lab = labels[dataIndex(s, data.count)]!;
        if (!(lab >= 0 && lab < nOut)) fail(fn, "data.labels", `be integers in [0, ${nOut - 1}]`, lab);
      }
      counters.events = 0;
      counters.updates = 0;
      counters.spikes = 0;
      let correct = 0;
      eta = rate;
      try {
        for (let s = r.start; s < r.start + r.count; s++) {
          const index = dataIndex(s, data.count);
          const label = labels[index]!;
          if (present(data, index, label, true) === label) correct++;
        }
      } finally {
        eta = o.learningRate;
      }
      samplesSeen = Math.max(samplesSeen, r.start + r.count);
      const n = Math.max(1, r.count);
      return { samples: r.count, trainAccuracy: correct / n, spikesPerSample: counters.spikes / n, synapticEventsPerSample: counters.events / n, updatesPerSample: counters.updates / n };
    },
    learn(data, options) {
      const fn = "erbpNetwork.learn";
      if (options === null || typeof options !== "object") fail(fn, "options", "be an object {count, learningRate?}", options);
      const r = net.train(data, { start: samplesSeen, count: integer(fn, "count", options.count, 0), learningRate: options.learningRate });
      return { samples: r.samples, accuracy: r.trainAccuracy };
    },
    snapshot() {
      const tensors: Record<string, StoredTensor> = {};
      weights.forEach((w, l) => (tensors[`weights.${l}`] = tensor(w.slice(), [sizes[l]!, sizes[l + 1]!])));
      feedback.forEach((g, l) => (tensors[`feedback.${l}`] = tensor(g.slice(), [nOut, sizes[l + 1]!])));
      if (blank) tensors.blankout = tensor(Uint8Array.from(blank), blankShape);
      const state = { shuffleSeed, stimulus: stimRng.state(), ...(blankRng ? { blankout: blankRng.state() } : {}) };
      return makeSnapshot("erbpNetwork", samplesSeen, config, state, tensors);
    },
    restore(snapshot) {
      const r = readSnapshot("erbpNetwork.restore", snapshot, "erbpNetwork", config);
      const w = weights.map((_, l) => r.tensor(`weights.${l}`, "F32", [sizes[l]!, sizes[l + 1]!]));
      const g = feedback.map((_, l) => r.tensor(`feedback.${l}`, "F32", [nOut, sizes[l + 1]!]));
      const table = blank ? r.tensor("blankout", "U8", blankShape) : undefined;
      if (table && !table.every((b) => b === 0 || b === 1)) fail("erbpNetwork.restore", 'snapshot.tensors["blankout"]', "hold only zeros and ones", "other values");
      const seed = r.integer("shuffleSeed", 0, 0xffffffff);
      const stimulus = r.rng("stimulus");
      const blankout = blankRng ? r.rng("blankout") : undefined;
      r.done();
      weights.forEach((x, l) => x.set(w[l]!));
      feedback.forEach((x, l) => x.set(g[l]!));
      if (blank && table) {
        blank.set(table);
        for (let q = 0; q < blank.length; q++) blankCount![q + 1] = blankCount![q]! + blank[q]!;
      }
      shuffleSeed = seed;
      permEpoch = -1;
      stimRng.restore(stimulus);
      if (blankRng && blankout) blankRng.restore(blankout);
      samplesSeen = r.samplesSeen;
      reset();
    },
    evaluate(data, range) {
      const fn = "erbpNetwork.evaluate";
      const labels = checkData(fn, data, sizes[0]!);
      const r = checkRange(fn, range, data.count, false);
      logEvaluation(fn, net, data, { start: r.start, count: r.count, trained: samplesSeen });
      counters.events = 0;
      counters.spikes = 0;
      const predictions = new Int32Array(r.count);
      const truth = new Int32Array(r.count);
      let correct = 0;
      let inputSpikes = 0;
      for (let s = 0; s < r.count; s++) {
        const index = r.start + s;
        const p = present(data, index, -1, false);
        inputSpikes += schedStart[T]!;
        predictions[s] = p;
        truth[s] = labels[index]!;
        if (p === truth[s]) correct++;
      }
      const n = Math.max(1, r.count);
      return { accuracy: r.count ? correct / r.count : Number.NaN, predictions, labels: truth, spikesPerSample: counters.spikes / n, inputSpikesPerSample: inputSpikes / n, synapticEventsPerSample: counters.events / n };
    },
    record(data, index, recOptions = {}) {
      const fn = "erbpNetwork.record";
      const labels = checkData(fn, data, sizes[0]!);
      integer(fn, "index", index, 0);
      if (index >= data.count) fail(fn, "index", `be < the data set's ${data.count} samples`, index);
      const traceNeurons = integer(fn, "traceNeurons", recOptions.traceNeurons ?? 10, 0);
      const label = labels[index]!;
      const trains = sizes.map(() => ({ t: [] as number[], id: [] as number[] }));
      const lab = { t: [] as number[], id: [] as number[] };
      const ep = { t: [] as number[], id: [] as number[] };
      const em = { t: [] as number[], id: [] as number[] };
      const hidden = L - 1;
      const dendrite = Array.from({ length: hidden }, (_, l) => new Float32Array(T * Math.min(traceNeurons, sizes[l + 1]!)));
      const current = Array.from({ length: hidden }, (_, l) => new Float32Array(T * Math.min(traceNeurons, sizes[l + 1]!)));
      const prediction = present(data, index, label, false, (t) => {
        const time = t * o.dt;
        for (let l = 0; l <= L; l++) for (let s = 0; s < spikeCount[l]!; s++) {
          trains[l]!.t.push(time);
          trains[l]!.id.push(spikeList[l]![s]!);
        }
        for (let k = 0; k < nOut; k++) {
          if (labelSpike[k]) { lab.t.push(time); lab.id.push(k); }
          if (ePlus[k]) { ep.t.push(time); ep.id.push(k); }
          if (eMinus[k]) { em.t.push(time); em.id.push(k); }
        }
        for (let l = 0; l < hidden; l++) {
          const n = Math.min(traceNeurons, sizes[l + 1]!);
          for (let i = 0; i < n; i++) {
            dendrite[l]![t * n + i] = U[l]![i]!;
            current[l]![t * n + i] = I[l]![i]!;
          }
        }
      });
      const duration = T * o.dt;
      const train = (x: { t: number[]; id: number[] }, size: number) => sortedSpikeTrain(x.t, x.id, size, duration);
      return {
        label, prediction, input: train(trains[0]!, sizes[0]!), layers: trains.slice(1).map((x, l) => train(x, sizes[l + 1]!)),
        labelSpikes: train(lab, nOut), errorPlus: train(ep, nOut), errorMinus: train(em, nOut), dendrite, current, traceNeurons,
      };
    },
    alignment(data, range) {
      const fn = "erbpNetwork.alignment";
      const labels = checkData(fn, data, sizes[0]!);
      const r = checkRange(fn, range, data.count, false);
      const hidden = L - 1;
      const sums = new Float64Array(hidden);
      const counts = new Float64Array(hidden);
      const gate = sizes.slice(1).map((n) => new Float64Array(n));
      const labCount = new Float64Array(nOut);
      for (let s = 0; s < r.count; s++) {
        const index = r.start + s;
        gate.forEach((g) => g.fill(0));
        labCount.fill(0);
        present(data, index, labels[index]!, false, () => {
          for (let l = 0; l < L; l++) {
            const c = I[l]!;
            const g = gate[l]!;
            const lo = bMins[l]!;
            const hi = bMaxs[l]!;
            for (let i = 0; i < c.length; i++) if (c[i]! > lo && c[i]! < hi) g[i]++;
          }
          for (let k = 0; k < nOut; k++) labCount[k] += labelSpike[k]!;
        });
        const e = new Float64Array(nOut);
        for (let k = 0; k < nOut; k++) e[k] = (outCount[k]! - labCount[k]!) / T;
        // Backprop: δ_L = e ⊙ Θ_L; δ_l = (W_l δ_{l+1}) ⊙ Θ_l (W presynaptic-major: row i of layer l).
        let delta = Float64Array.from(e, (x, k) => (x * gate[L - 1]![k]!) / T);
        for (let l = L - 1; l >= 1; l--) {
          const n = sizes[l]!;
          const nPost = sizes[l + 1]!;
          const w = weights[l]!;
          const bp = new Float64Array(n);
          const rbp = new Float64Array(n);
          const g = feedback[l - 1]!;
          for (let i = 0; i < n; i++) {
            let sum = 0;
            for (let q = 0; q < nPost; q++) sum += w[i * nPost + q]! * delta[q]!;
            const th = gate[l - 1]![i]! / T;
            bp[i] = sum * th;
            let fb = 0;
            for (let k = 0; k < nOut; k++) fb += g[k * n + i]! * e[k]!;
            rbp[i] = fb * th;
          }
          const angle = angleOf(bp, rbp);
          if (Number.isFinite(angle)) {
            sums[l - 1] += angle;
            counts[l - 1]++;
          }
          delta = bp;
        }
      }
      return Array.from(sums, (x, l) => (counts[l] ? x / counts[l]! : Number.NaN));
    },
    step(input, label, learn) {
      const fn = "erbpNetwork.step";
      if (!(input instanceof Uint8Array) || input.length !== sizes[0]) fail(fn, "input", `be a Uint8Array of ${sizes[0]} zeros and ones`, input);
      if (!(Number.isInteger(label) && label >= -1 && label < nOut)) fail(fn, "label", `be an integer in [-1, ${nOut - 1}]`, label);
      const list = spikeList[0]!;
      let c = 0;
      for (let j = 0; j < input.length; j++) if (input[j]) list[c++] = j;
      spikeCount[0] = c;
      counters.updates = 0;
      advance(label, learn, label >= 0);
      return { layers: spikes.slice(1).map((s) => Uint8Array.from(s)), errorPlus: Uint8Array.from(ePlus), errorMinus: Uint8Array.from(eMinus), updates: counters.updates };
    },
    reset,
  };
  return net;
}

/** x limited to [−bound, bound]. */
function clamp(x: number, bound: number): number {
  return x > bound ? bound : x < -bound ? -bound : x;
}

function angleOf(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return Number.NaN;
  return (Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)))) * 180) / Math.PI;
}

/**
 * The boxcar Θ(I) = 1 for min < I < max, else 0: eRBP's stand-in for the derivative of the
 * neuron's rate function (for figures and tests). Given a per-layer list (`options.boxcar` of a
 * network built with one boxcar per layer), `layer` picks the non-input layer (default 0, the first
 * hidden layer).
 *
 * @example
 *   erbpBoxcar(0.5, { min: -1, max: 3 }); // 1
 *   erbpBoxcar(5, [{ min: -1, max: 3 }, { min: -1, max: 20 }], 1); // 1
 */
export function erbpBoxcar(current: number, boxcar: ErbpBoxcar | readonly ErbpBoxcar[], layer = 0): number {
  finite("erbpBoxcar", "current", current);
  if (boxcar === null || typeof boxcar !== "object") fail("erbpBoxcar", "boxcar", "be a boxcar {min, max} or one per layer", boxcar);
  let box = boxcar as ErbpBoxcar;
  if (Array.isArray(boxcar)) {
    integer("erbpBoxcar", "layer", layer, 0);
    if (layer >= boxcar.length) fail("erbpBoxcar", "layer", `be < the ${boxcar.length} boxcars given`, layer);
    box = boxcar[layer]!;
  }
  return current > box.min && current < box.max ? 1 : 0;
}
