/**
 * O'Connor & Welling (2016), "Deep spiking networks" (arXiv:1602.08323): a multi-layer perceptron
 * of rectified-linear units whose every signal — forward activations and backward errors — is
 * sent as integer spike counts made by *herding* (a first-order sigma-delta modulator), and whose
 * weights learn from outer products of those counts. Pure TypeScript over typed arrays, event
 * driven: a unit costs work only when it spikes (forward: when its count differs from the step
 * before, see `forwardStep`), and only nonzero error counts are sent back.
 *
 * Herding (sigma-delta). A quantiser keeps a residual φ per unit. Each step it adds its input v_t
 * and emits the integer n_t that brings φ back into [−½, ½]:
 *
 *   φ ← φ + v_t,   n_t = round(φ) (ties towards 0),   φ ← φ − n_t
 *
 * so Σ_{τ≤t} n_τ = Σ_{τ≤t} v_τ + φ_0 − φ_t: the count tracks the running sum of the input with an
 * error that never exceeds ½ (for φ_0 = 0). "rectified" emits only positive counts (φ > ½ ⇒ spike;
 * φ may sink without bound), i.e. an integrate-and-fire neuron with threshold ½ and reset by
 * subtraction, whose count tracks relu of the running input sum.
 *
 * The network (reference code petered/DeepSpike, SpikingMLP.java, as used by
 * petered/spiking-mlp demo_spiking_mlp_experiments.py): layer sizes n_0 … n_L, weights W_l of
 * shape [n_l, n_{l+1}], no biases. A sample x (with one-hot target y) is shown for T steps.
 * Per-sample state (reset to 0 for each sample): the quantiser residuals of the forward pass and of
 * the target, and the cumulative pre-activations u_l and counts. The backward residuals are
 * *never* reset ('noreset-herding'): with a reset most small errors would never reach ½ and the
 * network would not learn (the repo logs 87.87 % error for that variant). In step t:
 *
 *   s_0 = herd(x)                                        input spikes ('herding', signed)
 *   u_l += W_lᵀ s_l,  s_{l+1} = rectHerd(W_lᵀ s_l)       forward, l = 0 … L−1 ('rect-herding')
 *   e_L = s_L − herd(y)                                  output error (the count of output spikes
 *                                                        minus the herded target: MSE with a ReLU output)
 *   δ_l = e_{l+1} ⊙ [u_l ≥ 0]                            errors pass only through units whose
 *                                                        cumulative input is ≥ 0 (relu′)
 *   e_l = herdNoReset(W_l δ_l)                           backward, l = L−1 … 1 (signed, residual kept)
 *
 * Update ("sgd", the repo's default): after the T steps,
 *   W_l ← W_l − (η/T²) · (Σ_t s_l) ⊗ (Σ_t δ_l)
 * the outer product of the pre-synaptic forward counts and the post-synaptic error counts; both
 * sums grow like T, hence η/T², so that for T → ∞ the step is η·x_l ⊗ δ_l of the ReLU network.
 * Update "fractional" (the paper's fractional SGD, the repo's IncrementalOuterProductModule): the
 * weights change *within* the presentation, at every step, by the error spikes of that step times
 * the pre-synaptic counts so far,
 *   W_l ← W_l − (η/T²) · (Σ_{τ≤t} s_l(τ)) ⊗ δ_l(t)
 * so later steps of the same sample already see the corrected weights.
 *
 * Prediction ('rect-herding' at test time): the forward pass alone; the class is the argmax of the
 * output layer's cumulative input u_L (its mean, u_L/T, is the network's output).
 *
 * Differences from the Java reference, all deliberate: spikes move synchronously, one time step at a
 * time, layer after layer (the Java routes events one by one through a queue and herds after
 * every incoming spike; the counts per step can then differ by ±1 where a step's inputs partly
 * cancel); within a step the backward pass uses the weights of that step and the fractional update
 * is applied after it (as the Java's breadth-first router does). Initial weights w ~ N(0, initScale²)
 * (the repo's `w_init·randn`), η/T² as in SpikingMLP.java.
 *
 * Both networks are learners (learning/learner.ts): `fit(net, train, …)` trains them in order of
 * position (sample p is data item p mod N: no shuffling, as in the reference), with schedules,
 * validation and checkpoints; `snapshot()` holds the weights and the backward residuals.
 *
 * @example
 *   const net = herdingMlp({ sizes: [784, 200, 200, 10], steps: 10, rng: createRng(1234) });
 *   const train = loadMnist({ split: "train" });
 *   net.train(train, { start: 0, count: 1000 });
 *   net.evaluate(loadMnist({ split: "test" }), { start: 0, count: 1000 }).accuracy;
 */
import { checkRng, type Rng } from "../core/random";
import { arrayLength, arrayLike, fail, finite, integer, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import type { ImageDataset } from "../datasets/image-dataset";
import type { Learner, LearnOptions, LearnStep } from "../learning/learner";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import { tensor, type StoredTensor } from "../io/safetensors";
import { checkTrainingData, isImageDataset, sampleSize, type TrainingData } from "./batches";

/** The two quantisers: "signed" (`herding`) and "rectified" (`rect-herding`, positive spikes only). */
export const herdingModes = ["signed", "rectified"] as const;
export type HerdingMode = (typeof herdingModes)[number];

/**
 * One step of herding for every unit, in place (file header): φ ← φ + input, count = round(φ)
 * with ties towards 0 ("rectified": only counts > 0), φ ← φ − count. Writes the counts into `out`
 * and returns the number of spikes, Σ|count|. `input` is read only.
 *
 * @example
 *   const phi = new Float64Array(2);
 *   const n = new Int32Array(2);
 *   herdingStep([0.3, 0.3], phi, n, "signed");   // n = [0, 0], φ = [0.3, 0.3]
 *   herdingStep([0.3, 0.3], phi, n, "signed");   // n = [1, 1], φ = [−0.4, −0.4]
 */
export function herdingStep(input: ArrayLike<number>, phi: Float64Array | Float32Array, out: Int32Array | Float64Array, mode: HerdingMode): number {
  const fn = "herdingStep";
  oneOf(fn, "mode", mode, herdingModes);
  const n = phi.length;
  if (!input || input.length !== n) fail(fn, "input", `have the length of phi (${n})`, input?.length);
  if (!out || out.length !== n) fail(fn, "out", `have the length of phi (${n})`, out?.length);
  const signed = mode === "signed";
  let spikes = 0;
  for (let i = 0; i < n; i++) {
    const v = phi[i]! + input[i]!;
    const c = quantise(v, signed);
    phi[i] = v - c;
    out[i] = c;
    spikes += c < 0 ? -c : c;
  }
  return spikes;
}

/** round(v) with ties towards 0 (the Java `while (v > 0.5) …` loop); 0 for v ≤ ½ when not signed. */
function quantise(v: number, signed: boolean): number {
  if (v > 0.5) return Math.ceil(v - 0.5);
  if (signed && v < -0.5) return -Math.ceil(-v - 0.5);
  return 0;
}

/** A scalar signal herded over time (`herdSignal`). */
export interface HerdedSignal {
  /** The count emitted at each step. */
  readonly counts: Int32Array;
  /** The residual φ after each step (the running quantisation error, Σ input − Σ counts). */
  readonly residual: Float64Array;
  /** Σ_{τ≤t} input. */
  readonly cumulativeInput: Float64Array;
  /** Σ_{τ≤t} counts. */
  readonly cumulativeCount: Float64Array;
}

/**
 * Herds one scalar signal, step by step, from φ = 0 (for figures and tests of the quantiser).
 *
 * @example
 *   herdSignal([0.25, 0.25, 0.25, 0.25]).counts;   // [0, 0, 1, 0]: one spike for a sum of 1 (φ = ½ is a tie: no spike)
 */
export function herdSignal(values: ArrayLike<number>, mode: HerdingMode = "signed"): HerdedSignal {
  const fn = "herdSignal";
  oneOf(fn, "mode", mode, herdingModes);
  arrayLike(fn, "values", values);
  for (let t = 0; t < values.length; t++) finite(fn, `values[${t}]`, values[t]);
  const T = values.length;
  const counts = new Int32Array(T);
  const residual = new Float64Array(T);
  const cumulativeInput = new Float64Array(T);
  const cumulativeCount = new Float64Array(T);
  let phi = 0;
  let sumIn = 0;
  let sumOut = 0;
  for (let t = 0; t < T; t++) {
    phi += values[t]!;
    const c = quantise(phi, mode === "signed");
    phi -= c;
    sumIn += values[t]!;
    sumOut += c;
    counts[t] = c;
    residual[t] = phi;
    cumulativeInput[t] = sumIn;
    cumulativeCount[t] = sumOut;
  }
  return { counts, residual, cumulativeInput, cumulativeCount };
}

/** How the weights learn: after each sample ("sgd") or at every step of it ("fractional"). */
export const herdingUpdateNames = ["sgd", "fractional"] as const;
export type HerdingUpdate = (typeof herdingUpdateNames)[number];

/** Options of `herdingMlp` and `reluMlp`. */
export interface HerdingMlpOptions {
  /** Layer sizes n_0 … n_L (input first). Default [784, 200, 200, 10], the paper's network. */
  readonly sizes: readonly number[];
  /** Time steps T per sample (spiking network only). Default 10. */
  readonly steps: number;
  /** Learning rate η. Default 0.01. */
  readonly learningRate: number;
  /** Standard deviation of the initial weights, w ~ N(0, initScale²). Default 0.01. */
  readonly initScale: number;
  /** "sgd" or "fractional" (spiking network only). Default "sgd". */
  readonly update: HerdingUpdate;
  /** Draws the initial weights; needed unless `weights` is given. */
  readonly rng?: Rng;
  /** Initial weights, one Float32Array [n_l · n_{l+1}] per layer (copied), e.g. another network's. */
  readonly weights?: readonly Float32Array[];
}

/** Defaults of `herdingMlp`: the paper's 784-200-200-10, T = 10, η = 0.01, w_init = 0.01, plain SGD. */
export const herdingMlpDefaults: Readonly<HerdingMlpOptions> = Object.freeze({
  sizes: Object.freeze([784, 200, 200, 10]) as readonly number[],
  steps: 10,
  learningRate: 0.01,
  initScale: 0.01,
  update: "sgd" as HerdingUpdate,
  rng: undefined,
  weights: undefined,
});

/** A range of sample positions: position p uses sample p mod data.count (so ranges may span epochs). */
export interface SampleRange {
  /** First position. Default 0. */
  readonly start?: number;
  /** Number of samples. Default data.count. */
  readonly count?: number;
}

/** A range of `train`, and optionally the learning rate for this call only (a schedule's value). */
export interface HerdingTrainRange extends SampleRange {
  /** η for this call; default `options.learningRate`. */
  readonly learningRate?: number;
}

/** What `train` returns: means over the samples of the call. */
export interface HerdingTrainResult {
  readonly samples: number;
  /** Fraction of samples whose output argmax (before their update) was the label. */
  readonly accuracy: number;
  /** Forward spikes (input, hidden, output) per sample; 0 for the ReLU network. */
  readonly forwardSpikes: number;
  /** Backward (error) spikes per sample; 0 for the ReLU network. */
  readonly backwardSpikes: number;
}

/** What `evaluate` returns. */
export interface HerdingEvaluation {
  /** Fraction correct. */
  readonly accuracy: number;
  readonly correct: number;
  readonly count: number;
  /** Predicted class of each evaluated sample. */
  readonly predictions: Int32Array;
  /** True class of each evaluated sample. */
  readonly labels: Int32Array;
  /** Mean spikes per sample leaving each layer 0 … L (input spikes first); zeros for the ReLU network. */
  readonly spikesPerLayer: Float64Array;
  /**
   * Mean additions per sample of an event-driven spiking network: every spike of layer l adds a
   * weight row into the n_{l+1} units above (Σ_l spikes_l · n_{l+1}); for the ReLU network, the
   * multiply-adds of its nonzero activations. (Our implementation adds only the rows of units whose
   * count changed since the last step, fewer still.)
   */
  readonly synapticOperations: number;
}

/** A trainable MLP: the spiking (herding) network or its ReLU twin; a `Learner` (file header). */
export interface HerdingMlp extends Learner<TrainingData, HerdingEvaluation> {
  /** "herdingMlp" or "reluMlp": the learner's name in snapshots. */
  readonly name: "herdingMlp" | "reluMlp";
  readonly kind: "spiking" | "relu";
  readonly sizes: readonly number[];
  /** T (1 for the ReLU network). */
  readonly steps: number;
  readonly learningRate: number;
  readonly update: HerdingUpdate;
  /** Live weights, one Float32Array [n_l · n_{l+1}] per layer, row-major (input index first). */
  readonly weights: readonly Float32Array[];
  /** The backward quantisers' residuals, layers 1 … L−1 (kept across samples); empty for ReLU. */
  readonly backwardResidual: readonly Float64Array[];
  /** Samples trained on so far (with `learn`: the position where the next call continues). */
  readonly samplesSeen: number;
  /** One online step on one sample (input of n_0 values, label < n_L). */
  trainSample(input: ArrayLike<number>, label: number): void;
  /** Trains on the samples at positions [start, start + count), in order; η = `range.learningRate` if given. */
  train(data: TrainingData, range?: HerdingTrainRange): HerdingTrainResult;
  /** Trains on the next `count` positions from `samplesSeen` on (the Learner contract; `train` with start = samplesSeen). */
  learn(data: TrainingData, options: LearnOptions): LearnStep;
  /** Weights and backward residuals, copied (learning/snapshot.ts gives the names). */
  snapshot(): LearnerSnapshot;
  /** Sets weights, residuals and position from a snapshot of a network with the same settings. */
  restore(snapshot: LearnerSnapshot): void;
  /** The output for one input: u_L/T (spiking) or the ReLU output; a new Float64Array of n_L. */
  predict(input: ArrayLike<number>): Float64Array;
  /** Accuracy (and spike counts) on the samples at positions [start, start + count); no learning. */
  evaluate(data: TrainingData, range?: SampleRange): HerdingEvaluation;
}

const inspect = Symbol.for("nodejs.util.inspect.custom");

interface Checked {
  sizes: number[];
  steps: number;
  learningRate: number;
  initScale: number;
  update: HerdingUpdate;
  weights: Float32Array[];
}

function checkOptions(fn: string, options: Partial<HerdingMlpOptions> | undefined): Checked {
  const o = mergeOptions(fn, herdingMlpDefaults, options);
  const sizes = o.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    fail(fn, "sizes", "be an array of at least 2 integers >= 1", sizes);
  }
  const steps = integer(fn, "steps", o.steps, 1);
  const learningRate = positive(fn, "learningRate", o.learningRate);
  const initScale = nonNegative(fn, "initScale", o.initScale);
  const update = oneOf(fn, "update", o.update, herdingUpdateNames);
  const L = sizes.length - 1;
  let weights: Float32Array[];
  if (o.weights !== undefined) {
    if (!Array.isArray(o.weights) || o.weights.length !== L) fail(fn, "weights", `be an array of ${L} Float32Arrays (one per layer)`, o.weights);
    weights = o.weights.map((w, l) => {
      const len = sizes[l]! * sizes[l + 1]!;
      if (!(w instanceof Float32Array) || w.length !== len) fail(fn, `weights[${l}]`, `be a Float32Array of ${sizes[l]} · ${sizes[l + 1]} = ${len} values`, w);
      for (let k = 0; k < w.length; k++) if (!Number.isFinite(w[k])) fail(fn, `weights[${l}][${k}]`, "be a finite number", w[k]);
      return Float32Array.from(w);
    });
  } else {
    const rng = checkRng(fn, "rng", o.rng);
    weights = [];
    for (let l = 0; l < L; l++) {
      const w = new Float32Array(sizes[l]! * sizes[l + 1]!);
      for (let k = 0; k < w.length; k++) w[k] = initScale * rng.normal(0, 1);
      weights.push(w);
    }
  }
  return { sizes: [...sizes], steps, learningRate, initScale, update, weights };
}

/** Checks a data set against the network and a range; returns the resolved range. */
function checkData(fn: string, data: TrainingData, range: HerdingTrainRange | undefined, sizes: readonly number[]): { start: number; count: number } {
  checkTrainingData(fn, data);
  const labels = data.labels;
  if (!labels) fail(fn, "data.labels", "be given (classification)", labels);
  if (!isImageDataset(data) && !(data.inputs instanceof Float32Array)) fail(fn, "data", "be an ImageDataset (loadMnist) or an ArrayDataset with labels", data);
  const n = sampleSize(data);
  if (n !== sizes[0]) fail(fn, "data", `have samples of ${sizes[0]} values (sizes[0])`, n);
  if (data.count < 1) fail(fn, "data.count", "be >= 1", data.count);
  if (range !== undefined && (range === null || typeof range !== "object")) fail(fn, "range", "be an object {start, count}", range);
  const start = integer(fn, "start", range?.start ?? 0, 0);
  const count = integer(fn, "count", range?.count ?? data.count, 0);
  arrayLength(fn, "count", count); // a bound before the per-sample arrays are allocated
  const classes = sizes[sizes.length - 1]!;
  const last = Math.min(count, data.count);
  for (let k = 0; k < last; k++) {
    const i = (start + k) % data.count;
    const y = labels[i]!;
    if (!Number.isSafeInteger(y) || y < 0 || y >= classes) fail(fn, `data.labels[${i}]`, `be an integer in [0, ${classes})`, y);
  }
  return { start, count };
}

/** Copies sample `i` of `data` into `x` (pixels scaled to [0, 1]). */
function readSample(data: TrainingData, i: number, x: Float64Array): void {
  const n = x.length;
  if (isImageDataset(data)) {
    const px = (data as ImageDataset).images;
    const off = i * n;
    for (let k = 0; k < n; k++) x[k] = px[off + k]! / 255;
  } else {
    const v = data.inputs;
    const off = i * n;
    for (let k = 0; k < n; k++) x[k] = v[off + k]!;
  }
}

/** The range of a `learn` call, checked: count, and the learning rate when given. */
function learnRange(fn: string, options: LearnOptions): HerdingTrainRange {
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {count, learningRate?}", options);
  const count = integer(fn, "count", options.count, 0);
  return options.learningRate === undefined ? { count } : { count, learningRate: positive(fn, "learningRate", options.learningRate) };
}

function checkInput(fn: string, input: ArrayLike<number>, n: number): void {
  if (!input || input.length !== n) fail(fn, "input", `have ${n} values (sizes[0])`, input?.length ?? input);
  for (let k = 0; k < n; k++) if (!Number.isFinite(input[k])) fail(fn, `input[${k}]`, "be a finite number", input[k]);
}

function argmax(v: Float64Array): number {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (v[j]! > v[best]!) best = j;
  return best;
}

/**
 * Per-layer lists of (unit, value) pairs: the count changes of a step, and the error spikes, kept
 * as lists so that loops run only over the units concerned.
 */
interface SpikeList {
  index: Int32Array;
  count: Float64Array;
  length: number;
}

function spikeList(n: number): SpikeList {
  return { index: new Int32Array(n), count: new Float64Array(n), length: 0 };
}

/**
 * The spiking MLP of O'Connor & Welling (2016) trained with herded forward and backward passes
 * (file header). `options.rng` draws the initial weights (or `options.weights` gives them).
 *
 * @example
 *   const net = herdingMlp({ sizes: [784, 200, 200, 10], steps: 10, update: "fractional", rng: createRng(1) });
 *   net.train(loadMnist({ split: "train" }), { start: 0, count: 60000 });
 */
export function herdingMlp(options?: Partial<HerdingMlpOptions>): HerdingMlp {
  const fn = "herdingMlp";
  const { sizes, steps: T, learningRate, update, weights: W } = checkOptions(fn, options);
  const L = sizes.length - 1;
  let rate = learningRate / (T * T);
  const fractional = update === "fractional";

  // Per-sample state (reset for each sample).
  const inputPhi = new Float64Array(sizes[0]!);
  const forwardPhi = sizes.slice(1).map((n) => new Float64Array(n));      // φ of layer l's output quantiser
  const counts = sizes.map((n) => new Float64Array(n));                  // Σ_t s_l, l = 0 … L
  const targetPhi = new Float64Array(sizes[L]!);
  const errorSum = sizes.slice(1).map((n) => new Float64Array(n));       // Σ_t δ_l ("sgd")
  // Persistent state: the backward quantisers of layers 1 … L−1.
  const backwardPhi = sizes.slice(1, L).map((n) => new Float64Array(n));
  // Scratch.
  const stepCounts = sizes.map((n) => new Float64Array(n));             // s_l of the current step
  const changes = sizes.map((n) => spikeList(n));                       // s_l(t) − s_l(t − 1), nonzero only
  const increment = sizes.slice(1).map((n) => new Float64Array(n));     // W_lᵀ s_l(t)
  const layerSpikes = new Float64Array(L + 1);
  const errors = sizes.slice(1).map((n) => spikeList(n));               // δ_l of the current step
  const x = new Float64Array(sizes[0]!);
  const active = new Int32Array(sizes[0]!);
  const target = new Float64Array(sizes[L]!);
  let samplesSeen = 0;
  let lastForwardSpikes = 0;
  let lastBackwardSpikes = 0;

  /** u_l = φ_l + Σ_t s_{l+1}: the cumulative input of layer l's output units this sample. */
  const potential = (l: number, j: number) => forwardPhi[l]![j]! + counts[l + 1]![j]!;

  const resetSample = () => {
    inputPhi.fill(0);
    targetPhi.fill(0);
    for (const a of forwardPhi) a.fill(0);
    for (const a of counts) a.fill(0);
    for (const a of errorSum) a.fill(0);
    for (const a of stepCounts) a.fill(0);
    for (const a of increment) a.fill(0);
  };

  /**
   * One forward step: herds the input, then propagates the spikes layer by layer; returns the
   * number of spikes and adds each layer's to `layerSpikes`.
   *
   * Why differences: a layer's input in a step is Σ_i c_i(t)·W_l[i, :], and most units repeat
   * last step's count (a bright pixel spikes at every step), so the sum is kept from step to step
   * and only the rows of units whose count changed are added, times the change. The result is the
   * same sum; the work is proportional to the changes, about half the spikes on MNIST.
   */
  const forwardStep = (nActive: number): number => {
    let total = 0;
    // Input spikes ('herding', signed): only pixels with x ≠ 0 can ever spike.
    {
      const last = stepCounts[0]!;
      const cum = counts[0]!;
      const ch = changes[0]!;
      ch.length = 0;
      let n = 0;
      for (let k = 0; k < nActive; k++) {
        const i = active[k]!;
        const v = inputPhi[i]! + x[i]!;
        const c = quantise(v, true);
        inputPhi[i] = v - c;
        if (c !== 0) {
          cum[i] += c;
          n += c < 0 ? -c : c;
        }
        const d = c - last[i]!;
        if (d !== 0) {
          last[i] = c;
          ch.index[ch.length] = i;
          ch.count[ch.length++] = d;
        }
      }
      layerSpikes[0] += n;
      total += n;
    }
    for (let l = 0; l < L; l++) {
      const w = W[l]!;
      const nOut = sizes[l + 1]!;
      const inc = increment[l]!;
      const chIn = changes[l]!;
      // Event-driven: each change of an input count adds (change ×) its contiguous weight row.
      for (let k = 0; k < chIn.length; k++) {
        const c = chIn.count[k]!;
        const off = chIn.index[k]! * nOut;
        if (c === 1) for (let j = 0; j < nOut; j++) inc[j] += w[off + j]!;
        else if (c === -1) for (let j = 0; j < nOut; j++) inc[j] -= w[off + j]!;
        else for (let j = 0; j < nOut; j++) inc[j] += c * w[off + j]!;
      }
      // 'rect-herding': positive spikes only.
      const phi = forwardPhi[l]!;
      const last = stepCounts[l + 1]!;
      const cum = counts[l + 1]!;
      const chOut = changes[l + 1]!;
      chOut.length = 0;
      let n = 0;
      for (let j = 0; j < nOut; j++) {
        const v = phi[j]! + inc[j]!;
        const c = v > 0.5 ? Math.ceil(v - 0.5) : 0;
        phi[j] = v - c;
        if (c !== 0) {
          cum[j] += c;
          n += c;
        }
        const d = c - last[j]!;
        if (d !== 0) {
          last[j] = c;
          chOut.index[chOut.length] = j;
          chOut.count[chOut.length++] = d;
        }
      }
      layerSpikes[l + 1] += n;
      total += n;
    }
    return total;
  };

  /** Adds the outer-product update −rate · a ⊗ d to W_l, over the nonzero a_i > 0 and d_j. */
  const applyUpdate = (l: number, a: Float64Array, dIndex: Int32Array, dValue: Float64Array, dLength: number, now: Float64Array | null) => {
    if (dLength === 0) return;
    const w = W[l]!;
    const nOut = sizes[l + 1]!;
    const inc = increment[l]!;
    for (let i = 0; i < a.length; i++) {
      const ai = a[i]!;
      if (!(ai > 0)) continue;            // the reference multiplies by (a > 0): counts of rectified units
      const off = i * nOut;
      const g = rate * ai;
      for (let k = 0; k < dLength; k++) {
        const j = dIndex[k]!;
        w[off + j] -= g * dValue[k]!;
      }
      // Within a sample ("fractional"), keep the running input W_lᵀ s_l(t) of the next step
      // consistent with the changed rows.
      const ci = now ? now[i]! : 0;
      if (ci !== 0) for (let k = 0; k < dLength; k++) inc[dIndex[k]!] -= g * dValue[k]! * ci;
    }
  };

  const sumIndex = sizes.slice(1).map((n) => new Int32Array(n));
  const sumValue = sizes.slice(1).map((n) => new Float64Array(n));

  const trainOne = (label: number): boolean => {
    resetSample();
    const nIn = sizes[0]!;
    let nActive = 0;
    for (let i = 0; i < nIn; i++) if (x[i] !== 0) active[nActive++] = i;
    target.fill(0);
    target[label] = 1;
    let forwardTotal = 0;
    let backwardTotal = 0;
    const nOutL = sizes[L]!;
    for (let t = 0; t < T; t++) {
      forwardTotal += forwardStep(nActive);
      // Output error e_L = s_L − herd(y), filtered by u_L ≥ 0: δ_{L−1}.
      const stepOut = stepCounts[L]!;
      const errTop = errors[L - 1]!;
      errTop.length = 0;
      for (let j = 0; j < nOutL; j++) {
        const v = targetPhi[j]! + target[j]!;
        const c = quantise(v, true);
        targetPhi[j] = v - c;
        const e = stepOut[j]! - c;
        if (e !== 0 && potential(L - 1, j) >= 0) {
          errTop.index[errTop.length] = j;
          errTop.count[errTop.length++] = e;
          backwardTotal += e < 0 ? -e : e;
        }
      }
      // Backward through the layers: δ_l → e_l = herdNoReset(W_l δ_l) → δ_{l−1} = e_l ⊙ [u_{l−1} ≥ 0].
      for (let l = L - 1; l >= 0; l--) {
        const d = errors[l]!;
        if (l >= 1) {
          const w = W[l]!;
          const nOut = sizes[l + 1]!;
          const nIn2 = sizes[l]!;
          const phi = backwardPhi[l - 1]!;
          const below = errors[l - 1]!;
          below.length = 0;
          // Without error spikes every |φ| ≤ ½ stays put: nothing to do.
          if (d.length > 0) for (let i = 0; i < nIn2; i++) {
            let v = phi[i]!;
            const off = i * nOut;
            for (let k = 0; k < d.length; k++) v += w[off + d.index[k]!]! * d.count[k]!;
            const c = quantise(v, true);
            phi[i] = v - c;
            if (c !== 0) {
              backwardTotal += c < 0 ? -c : c;
              if (potential(l - 1, i) >= 0) {
                below.index[below.length] = i;
                below.count[below.length++] = c;
              }
            }
          }
        }
        if (fractional) applyUpdate(l, counts[l]!, d.index, d.count, d.length, stepCounts[l]!);
        else {
          const es = errorSum[l]!;
          for (let k = 0; k < d.length; k++) es[d.index[k]!] += d.count[k]!;
        }
      }
    }
    const correct = argmaxOutput() === label;
    if (!fractional) {
      for (let l = 0; l < L; l++) {
        const es = errorSum[l]!;
        const idx = sumIndex[l]!;
        const val = sumValue[l]!;
        let m = 0;
        for (let j = 0; j < es.length; j++) if (es[j] !== 0) { idx[m] = j; val[m++] = es[j]!; }
        applyUpdate(l, counts[l]!, idx, val, m, null);
      }
    }
    samplesSeen++;
    lastForwardSpikes = forwardTotal;
    lastBackwardSpikes = backwardTotal;
    return correct;
  };

  const argmaxOutput = (): number => {
    let best = 0;
    let bestValue = -Infinity;
    for (let j = 0; j < sizes[L]!; j++) {
      const u = potential(L - 1, j);
      if (u > bestValue) { bestValue = u; best = j; }
    }
    return best;
  };

  /** The forward pass alone over T steps; adds the spikes per layer to `layerSpikes`. */
  const runForward = (): void => {
    resetSample();
    let nActive = 0;
    for (let i = 0; i < sizes[0]!; i++) if (x[i] !== 0) active[nActive++] = i;
    for (let t = 0; t < T; t++) forwardStep(nActive);
  };

  const config = { kind: "spiking", sizes, steps: T, learningRate, update };
  const net: HerdingMlp & { [inspect](): string } = {
    name: "herdingMlp",
    kind: "spiking",
    sizes: Object.freeze([...sizes]),
    steps: T,
    learningRate,
    update,
    weights: Object.freeze(W),
    backwardResidual: Object.freeze(backwardPhi),
    get samplesSeen() { return samplesSeen; },
    trainSample(input: ArrayLike<number>, label: number): void {
      const f = "herdingMlp.trainSample";
      checkInput(f, input, sizes[0]!);
      if (!Number.isSafeInteger(label) || label < 0 || label >= sizes[L]!) fail(f, "label", `be an integer in [0, ${sizes[L]})`, label);
      for (let i = 0; i < x.length; i++) x[i] = input[i]!;
      trainOne(label);
    },
    train(data: TrainingData, range?: HerdingTrainRange): HerdingTrainResult {
      const { start, count } = checkData("herdingMlp.train", data, range, sizes);
      const eta = range?.learningRate === undefined ? learningRate : positive("herdingMlp.train", "learningRate", range.learningRate);
      let correct = 0;
      let fwd = 0;
      let bwd = 0;
      rate = eta / (T * T);
      try {
        for (let k = 0; k < count; k++) {
          const i = (start + k) % data.count;
          readSample(data, i, x);
          if (trainOne(data.labels![i]!)) correct++;
          fwd += lastForwardSpikes;
          bwd += lastBackwardSpikes;
        }
      } finally {
        rate = learningRate / (T * T);
      }
      const m = Math.max(count, 1);
      return { samples: count, accuracy: correct / m, forwardSpikes: fwd / m, backwardSpikes: bwd / m };
    },
    learn(data: TrainingData, options: LearnOptions): LearnStep {
      const r = net.train(data, { start: samplesSeen, ...learnRange("herdingMlp.learn", options) });
      return { samples: r.samples, accuracy: r.accuracy };
    },
    snapshot(): LearnerSnapshot {
      const tensors: Record<string, StoredTensor> = {};
      W.forEach((w, l) => (tensors[`weights.${l}`] = tensor(w.slice(), [sizes[l]!, sizes[l + 1]!])));
      backwardPhi.forEach((phi, l) => (tensors[`backwardResidual.${l}`] = tensor(phi.slice(), [phi.length])));
      return makeSnapshot("herdingMlp", samplesSeen, config, {}, tensors);
    },
    restore(snapshot: LearnerSnapshot): void {
      const r = readSnapshot("herdingMlp.restore", snapshot, "herdingMlp", config);
      const weights = W.map((_, l) => r.tensor(`weights.${l}`, "F32", [sizes[l]!, sizes[l + 1]!]));
      const residuals = backwardPhi.map((phi, l) => r.tensor(`backwardResidual.${l}`, "F64", [phi.length]));
      r.done();
      W.forEach((w, l) => w.set(weights[l]!));
      backwardPhi.forEach((phi, l) => phi.set(residuals[l]!));
      samplesSeen = r.samplesSeen;
    },
    predict(input: ArrayLike<number>): Float64Array {
      checkInput("herdingMlp.predict", input, sizes[0]!);
      for (let i = 0; i < x.length; i++) x[i] = input[i]!;
      runForward();
      const out = new Float64Array(sizes[L]!);
      for (let j = 0; j < out.length; j++) out[j] = potential(L - 1, j) / T;
      return out;
    },
    evaluate(data: TrainingData, range?: SampleRange): HerdingEvaluation {
      const { start, count } = checkData("herdingMlp.evaluate", data, range, sizes);
      logEvaluation("herdingMlp.evaluate", net, data, { start, count, trained: samplesSeen });
      const predictions = new Int32Array(count);
      const labels = new Int32Array(count);
      layerSpikes.fill(0);
      let correct = 0;
      for (let k = 0; k < count; k++) {
        const i = (start + k) % data.count;
        readSample(data, i, x);
        runForward();
        predictions[k] = argmaxOutput();
        labels[k] = data.labels![i]!;
        if (predictions[k] === labels[k]) correct++;
      }
      const m = Math.max(count, 1);
      const perLayer = Float64Array.from(layerSpikes, (v) => v / m);
      let ops = 0;
      for (let l = 0; l <= L; l++) {
        if (l < L) ops += perLayer[l]! * sizes[l + 1]!;
      }
      return { accuracy: correct / m, correct, count, predictions, labels, spikesPerLayer: perLayer, synapticOperations: ops };
    },
    [inspect]() {
      return `herdingMlp { sizes: [${sizes.join(", ")}], steps: ${T}, learningRate: ${learningRate}, update: "${update}", samplesSeen: ${samplesSeen} }`;
    },
  };
  return net;
}

/**
 * The non-spiking twin (the repo's "ReLU" row): the same network, initialisation and online SGD
 * (minibatch 1), ReLU hidden and output units, no biases, squared error ½‖a_L − y‖²:
 *
 *   a_{l+1} = relu(W_lᵀ a_l),   δ_{L−1} = (a_L − y) ⊙ [u_{L−1} > 0],   δ_{l−1} = (W_l δ_l) ⊙ [u_{l−1} > 0]
 *   W_l ← W_l − η · a_l ⊗ δ_l
 *
 * It is the T → ∞ limit of `herdingMlp` with update "sgd". `steps` and `update` are ignored.
 *
 * @example
 *   const relu = reluMlp({ rng: createRng(1234) });
 *   relu.train(loadMnist({ split: "train" }));
 *   herdingMlp({ weights: relu.weights }).evaluate(loadMnist({ split: "test" }));   // ReLU weights run as spiking
 */
export function reluMlp(options?: Partial<HerdingMlpOptions>): HerdingMlp {
  const fn = "reluMlp";
  const { sizes, learningRate, weights: W } = checkOptions(fn, options);
  const L = sizes.length - 1;
  let eta = learningRate;
  const acts = sizes.map((n) => new Float64Array(n));        // a_0 … a_L
  const pre = sizes.slice(1).map((n) => new Float64Array(n)); // u_0 … u_{L−1}
  const deltas = sizes.slice(1).map((n) => new Float64Array(n));
  let samplesSeen = 0;

  const forward = (): void => {
    for (let l = 0; l < L; l++) {
      const a = acts[l]!;
      const u = pre[l]!;
      const w = W[l]!;
      const nOut = sizes[l + 1]!;
      u.fill(0);
      for (let i = 0; i < a.length; i++) {
        const ai = a[i]!;
        if (ai === 0) continue;          // sparse inputs and silent ReLUs cost nothing
        const off = i * nOut;
        for (let j = 0; j < nOut; j++) u[j] += ai * w[off + j]!;
      }
      const next = acts[l + 1]!;
      for (let j = 0; j < nOut; j++) next[j] = u[j]! > 0 ? u[j]! : 0;
    }
  };

  const trainOne = (label: number): boolean => {
    forward();
    const out = acts[L]!;
    const correct = argmax(out) === label;
    const top = deltas[L - 1]!;
    const uTop = pre[L - 1]!;
    for (let j = 0; j < out.length; j++) top[j] = uTop[j]! > 0 ? out[j]! - (j === label ? 1 : 0) : 0;
    for (let l = L - 1; l >= 0; l--) {
      const d = deltas[l]!;
      const w = W[l]!;
      const nOut = sizes[l + 1]!;
      const a = acts[l]!;
      if (l >= 1) {
        const below = deltas[l - 1]!;
        const uBelow = pre[l - 1]!;
        for (let i = 0; i < sizes[l]!; i++) {
          if (!(uBelow[i]! > 0)) { below[i] = 0; continue; }
          const off = i * nOut;
          let s = 0;
          for (let j = 0; j < nOut; j++) s += w[off + j]! * d[j]!;
          below[i] = s;
        }
      }
      for (let i = 0; i < a.length; i++) {
        const ai = a[i]!;
        if (ai === 0) continue;
        const off = i * nOut;
        const g = eta * ai;
        for (let j = 0; j < nOut; j++) w[off + j] -= g * d[j]!;
      }
    }
    samplesSeen++;
    return correct;
  };

  const load = (input: ArrayLike<number>) => {
    const a = acts[0]!;
    for (let i = 0; i < a.length; i++) a[i] = input[i]!;
  };

  const config = { kind: "relu", sizes, learningRate };
  const net: HerdingMlp & { [inspect](): string } = {
    name: "reluMlp",
    kind: "relu",
    sizes: Object.freeze([...sizes]),
    steps: 1,
    learningRate,
    update: "sgd",
    weights: Object.freeze(W),
    backwardResidual: Object.freeze([]),
    get samplesSeen() { return samplesSeen; },
    trainSample(input: ArrayLike<number>, label: number): void {
      const f = "reluMlp.trainSample";
      checkInput(f, input, sizes[0]!);
      if (!Number.isSafeInteger(label) || label < 0 || label >= sizes[L]!) fail(f, "label", `be an integer in [0, ${sizes[L]})`, label);
      load(input);
      trainOne(label);
    },
    train(data: TrainingData, range?: HerdingTrainRange): HerdingTrainResult {
      const { start, count } = checkData("reluMlp.train", data, range, sizes);
      const rate = range?.learningRate === undefined ? learningRate : positive("reluMlp.train", "learningRate", range.learningRate);
      let correct = 0;
      eta = rate;
      try {
        for (let k = 0; k < count; k++) {
          const i = (start + k) % data.count;
          readSample(data, i, acts[0]!);
          if (trainOne(data.labels![i]!)) correct++;
        }
      } finally {
        eta = learningRate;
      }
      return { samples: count, accuracy: correct / Math.max(count, 1), forwardSpikes: 0, backwardSpikes: 0 };
    },
    learn(data: TrainingData, options: LearnOptions): LearnStep {
      const r = net.train(data, { start: samplesSeen, ...learnRange("reluMlp.learn", options) });
      return { samples: r.samples, accuracy: r.accuracy };
    },
    snapshot(): LearnerSnapshot {
      const tensors: Record<string, StoredTensor> = {};
      W.forEach((w, l) => (tensors[`weights.${l}`] = tensor(w.slice(), [sizes[l]!, sizes[l + 1]!])));
      return makeSnapshot("reluMlp", samplesSeen, config, {}, tensors);
    },
    restore(snapshot: LearnerSnapshot): void {
      const r = readSnapshot("reluMlp.restore", snapshot, "reluMlp", config);
      const weights = W.map((_, l) => r.tensor(`weights.${l}`, "F32", [sizes[l]!, sizes[l + 1]!]));
      r.done();
      W.forEach((w, l) => w.set(weights[l]!));
      samplesSeen = r.samplesSeen;
    },
    predict(input: ArrayLike<number>): Float64Array {
      checkInput("reluMlp.predict", input, sizes[0]!);
      load(input);
      forward();
      return Float64Array.from(acts[L]!);
    },
    evaluate(data: TrainingData, range?: SampleRange): HerdingEvaluation {
      const { start, count } = checkData("reluMlp.evaluate", data, range, sizes);
      logEvaluation("reluMlp.evaluate", net, data, { start, count, trained: samplesSeen });
      const predictions = new Int32Array(count);
      const labels = new Int32Array(count);
      let correct = 0;
      let ops = 0;
      for (let k = 0; k < count; k++) {
        const i = (start + k) % data.count;
        readSample(data, i, acts[0]!);
        forward();
        // Argmax of u_L rather than relu(u_L), so that ties among silent outputs break as in the
        // spiking network.
        predictions[k] = argmax(pre[L - 1]!);
        labels[k] = data.labels![i]!;
        if (predictions[k] === labels[k]) correct++;
        for (let l = 0; l < L; l++) {
          const a = acts[l]!;
          let nz = 0;
          for (let j = 0; j < a.length; j++) if (a[j] !== 0) nz++;
          ops += nz * sizes[l + 1]!;
        }
      }
      const m = Math.max(count, 1);
      return { accuracy: correct / m, correct, count, predictions, labels, spikesPerLayer: new Float64Array(L + 1), synapticOperations: ops / m };
    },
    [inspect]() {
      return `reluMlp { sizes: [${sizes.join(", ")}], learningRate: ${learningRate}, samplesSeen: ${samplesSeen} }`;
    },
  };
  return net;
}
