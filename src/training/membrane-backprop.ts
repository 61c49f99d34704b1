/**
 * Backpropagation through membrane potentials (Lee, Delbruck & Pfeiffer 2016, "Training deep
 * spiking neural networks using backpropagation", Front. Neurosci. 10:508; review §III-A, Fig. 3).
 *
 * The forward pass is a real spiking simulation: every hidden weighted layer l is a population of
 * integrate-and-fire neurons (threshold θ, reset by subtraction, optional per-step leak β)
 *
 *   v_t = β·v_{t−1} + I_t,   I_t = W_l ⊛ s^{l−1}_t (+ b_l);   v_t > θ ⇒ spike s^l_t = 1, v_t ← v_t − θ
 *
 * run for T steps, giving spike counts c_l. The backward pass treats the membrane potential — the
 * integrated input, with the reset jumps regarded as noise — as the differentiable signal: with
 * r_l = c_l / T the spike rate and z_l = W_l ⊛ r_{l−1} (+ b_l) the mean input current per step, an
 * IF neuron's rate is ≈ relu(z_l)/θ, so the layer's output in the graph has
 *
 *   value    r_l = c_l / T                (the simulated spike rate, exactly)
 *   gradient ∂r_l/∂z_l = 1/θ where 0 < z_l < θ (Lee's membrane-potential derivative), 0 elsewhere
 *
 * i.e. r_l = c_l/T + (a_l − stopGradient(a_l)) with a_l = min(relu(z_l), θ)/θ: Lee's activation,
 * clipped at one spike per step, because with reset by subtraction an IF neuron cannot fire
 * faster (without the clip, saturated neurons keep receiving gradient they cannot act on; in our
 * runs the clip learnt markedly faster). The backward pass costs one
 * ANN backward pass; only the forward simulation costs T ANN forward passes (computed per layer,
 * for all T steps at once as one batched op on [T·B, …], then an IF scan over T on typed arrays).
 *
 * Spiking max pooling passes on, at each step, the spike of the unit whose cumulative count is the
 * largest in its window: pooled_t = maxpool(C_t) − maxpool(C_{t−1}), C_t the cumulative counts. It
 * emits at most one spike per step (every count grows by ≤ 1), and its total count is the maximum
 * of the window's counts, so in the graph it is simply tf.maxPool of the rates (exact value,
 * gradient to the winning unit).
 *
 * The last weighted layer is a non-spiking integrator: its accumulated membrane potential
 * V_t = Σ_{s ≤ t} I_s is the readout (prediction argmax V_T), and V_T / T = z_L are the logits of
 * the softmax cross-entropy loss. `evaluate` also reads the same pass from spikes
 * (`countReadout`): the readout layer run as IF neurons, the class with the most output spikes.
 *
 * Layers are updated in order within a step: the spikes of layer l − 1 at step t reach layer l at
 * the same step t (no synaptic delay), so every layer can fire from the first step on.
 *
 * Input: "constant" (the pixel value in [0, 1] as a current every step) or "poisson" (a spike with
 * probability x per step, from the seeded generator).
 *
 * Synaptic operations (SOPs), counted as in conversion/convert.ts: every spike of layer l−1 (after
 * pooling) costs its fan-out in layer l, summed over steps; a constant-current input costs every
 * nonzero pixel's fan-out at every step. The ANN's cost is its multiply-accumulates per sample
 * (`annMacs`).
 *
 * The network is a learner (learning/learner.ts): `fit(net, train, …)` trains it along its epoch
 * sequence (a seeded permutation per epoch, batches aligned within each epoch). Its snapshot holds
 * the weights, Adam's moments and β powers (training/optimizer-state.ts), the seeds of the epoch
 * order and of the input and evaluation spikes, the batch count and the history: a restored
 * network continues bit for bit. A schedule's rate, when `fit` passes one, replaces the per-epoch
 * `learningRateDecay` for that call.
 *
 * @example
 *   const net = membraneBackpropNetwork({ input: [784], layers: [dense(800, { bias: false }), dense(10, { bias: false })], steps: 10, rng: createRng(1) });
 *   net.train(train, { start: 0, count: 6000 });
 *   net.evaluate(test, { count: 1000 }).accuracy;
 */
import * as tf from "@tensorflow/tfjs-core";
import { createRng, checkRng, type Rng } from "../core/random";
import { fail, inRange, integer, mergeOptions, oneOf, positive } from "../core/validate";
import type { SpikeTrain } from "../encoders/spike-train";
import type { LayerSpec } from "../layers/layer-specs";
import { createModel, type Model } from "../layers/model";
import { tensor, type StoredTensor } from "../io/index";
import { logEvaluation } from "../datasets/evaluation-log";
import type { Learner, LearnOptions, LearnStep } from "../learning/learner";
import { batchEpochOrders } from "../learning/epoch-order";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import { optimizerSnapshot, readOptimizerState, setOptimizerLearningRate } from "./optimizer-state";
import { makeBatch, sampleSize, type TrainingData } from "./batches";
import { conv2dWithFeedback, matMulWithFeedback } from "./feedback-alignment";

/** Options of `membraneBackpropNetwork`. */
export interface MembraneBackpropOptions {
  /** Shape of one sample, e.g. [784] or [28, 28, 1]. */
  readonly input: readonly number[];
  /** dense, conv2d, maxPool and flatten specs (layers/layer-specs.ts); the last weighted layer is the readout. */
  readonly layers: readonly LayerSpec[];
  /** Simulation steps T per sample. Default 10. */
  readonly steps: number;
  /** Firing threshold θ (dimensionless, in units of the input current). Default 1. */
  readonly threshold: number;
  /** Membrane decay β per step, in (0, 1]; 1 = non-leaky IF. Default 1. */
  readonly leak: number;
  /** Input encoding of pixels x ∈ [0, 1]. Default "poisson". */
  readonly encoding: "constant" | "poisson";
  /** Adam's step size η. Default 1e-3. */
  readonly learningRate: number;
  /** η is multiplied by this factor after every epoch. Default 1. */
  readonly learningRateDecay: number;
  /** Samples per batch. Default 100. */
  readonly batchSize: number;
  /** Batches between history rows. Default 50. */
  readonly recordEvery: number;
  /** Seeds the weights, the epoch permutations and the Poisson input. */
  readonly rng: Rng;
}

export const membraneBackpropDefaults: Readonly<Omit<MembraneBackpropOptions, "input" | "layers" | "rng">> = Object.freeze({
  steps: 10, threshold: 1, leak: 1, encoding: "poisson" as const, learningRate: 1e-3, learningRateDecay: 1, batchSize: 100, recordEvery: 50,
});

/** One row of the training history (mean over `recordEvery` batches). */
export interface MembraneHistoryRow {
  readonly step: number;
  readonly samples: number;
  readonly epoch: number;
  readonly loss: number;
  /** Training accuracy of the spiking forward pass (argmax V_T), in [0, 1]. */
  readonly accuracy: number;
}

/** What one `train` call returns. */
export interface MembraneTrainChunk {
  readonly loss: number;
  readonly accuracy: number;
  readonly samples: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
  readonly epoch: number;
}

/**
 * The same simulation read from spikes: the readout layer run as integrate-and-fire neurons (the
 * hidden layers' θ, leak and reset by subtraction) on the currents that build V_t. The class is the
 * output neuron with the most spikes; equal counts go to the earlier first spike (still a spike
 * code); a sample whose top count is still shared, or that has no output spike, counts as wrong.
 * Its operations are those of the potential readout: output spikes drive no synapse.
 */
export interface MembraneCountReadout {
  /** Fraction correct at T. */
  readonly accuracy: number;
  /** accuracyByStep[t]: the same, reading the counts after step t + 1. */
  readonly accuracyByStep: Float64Array;
  /** Fraction of samples whose top count and first-spike step are shared by two or more classes, at T. */
  readonly ties: number;
  /** Fraction of samples without any output spike, at T. */
  readonly silent: number;
}

/** What `evaluate` returns. */
export interface MembraneEvaluation {
  /** Fraction correct, prediction argmax V_T (the non-spiking readout). */
  readonly accuracy: number;
  /** The same network with a spiking readout layer, read by spike count (same simulation pass). */
  readonly countReadout: MembraneCountReadout;
  /** Mean synaptic operations per sample over the T steps. */
  readonly sopsPerSample: number;
  /** Mean spikes per sample of the input and of every spiking layer (hidden weighted layers), in order. */
  readonly spikesPerLayer: readonly number[];
  /** Names of those entries: "input", then "conv2d(20)" / "dense(800)" …. */
  readonly layerNames: readonly string[];
  /** accuracyByStep[t]: accuracy when reading argmax V_{t+1}. */
  readonly accuracyByStep: Float64Array;
  /** sopsByStep[t]: mean SOPs per sample spent up to step t + 1. */
  readonly sopsByStep: Float64Array;
  /**
   * Mean SOPs per sample over the T steps into each weighted layer (named as in `layerNames`): the
   * spikes it receives × their fan-out, or for the first layer with constant input every nonzero
   * pixel's fan-out at every step. They sum to `sopsPerSample`.
   */
  readonly sopsPerLayer: readonly { readonly layer: string; readonly sops: number }[];
  readonly predictions: Int32Array;
  readonly count: number;
  readonly seconds: number;
}

/** The spikes of one sample, every layer stacked (ids offset per layer), times in steps. */
export interface MembraneSpikes {
  readonly train: SpikeTrain;
  /** Per layer (input first): name, its id range [start, end), and its spike count. */
  readonly layers: readonly { readonly name: string; readonly range: readonly [number, number]; readonly spikes: number }[];
  /** Output potentials V_T of the readout, and the prediction. */
  readonly output: Float32Array;
  readonly prediction: number;
}

/** What `gradient` returns. */
export interface MembraneGradient {
  readonly loss: number;
  readonly gradients: readonly Float32Array[];
  /** Values of the graph's rates after every spiking and pooling layer, [B·N] each. */
  readonly rates: readonly Float32Array[];
  /** Simulated spike counts of the same layers, [B·N] each. */
  readonly counts: readonly Float32Array[];
}

/** A network trained by membrane-potential backprop (file header); a `Learner`. */
export interface MembraneBackpropNetwork extends Learner<TrainingData, MembraneEvaluation> {
  /** "membraneBackpropNetwork": the learner's name in snapshots. */
  readonly name: "membraneBackpropNetwork";
  readonly model: Model;
  /** Samples trained so far (with `learn`: the position where the next call continues). */
  readonly samplesSeen: number;
  /** Adam's η at epoch 0 (`options.learningRate`). */
  readonly learningRate: number;
  /** Samples per batch (`options.batchSize`). */
  readonly batchSize: number;
  readonly options: Readonly<Omit<MembraneBackpropOptions, "rng">>;
  /** Batches trained so far. */
  readonly steps: number;
  readonly history: readonly MembraneHistoryRow[];
  /**
   * Trains on samples [start, start + count) of the epoch sequence (epoch e = a seeded permutation
   * of the data); η = `range.learningRate` for this call if given, else options.learningRate ·
   * learningRateDecay^epoch.
   */
  train(data: TrainingData, range: { start: number; count: number; learningRate?: number }): MembraneTrainChunk;
  /** Trains on the next `count` samples from `samplesSeen` on (the Learner contract). */
  learn(data: TrainingData, options: LearnOptions): LearnStep;
  /** Simulates samples [start, start + count) in order (no learning). */
  evaluate(data: TrainingData, range?: { start?: number; count?: number; batchSize?: number }): MembraneEvaluation;
  /** Spikes of every layer for sample `index` of `data`. */
  spikes(data: TrainingData, index: number): MembraneSpikes;
  /** The equivalent ANN's multiply-accumulates per sample. */
  annMacs(): number;
  /**
   * The loss and the membrane-potential gradients of every variable (model.variables order) on
   * samples `indices` without learning, with the graph's rates and the simulated counts of every
   * spiking and pooling layer (for inspection and tests). The Poisson input of batch k is drawn as
   * in training batch k.
   */
  gradient(data: TrainingData, indices: ArrayLike<number>, batch?: number): MembraneGradient;
  /**
   * The whole state, copied (learning/snapshot.ts): the weights and biases `layers.I.weight` and
   * `layers.I.bias` (I: the layer's index; dense weights are [in, out], conv kernels
   * [k, k, in, out]), Adam's state `optimizer.m.…`, `optimizer.v.…`, `optimizer.beta1Power`,
   * `optimizer.beta2Power`, and as JSON the seeds, the batch count and the history.
   */
  snapshot(): LearnerSnapshot;
  /**
   * The weights and biases alone, copied, for a notebook's checkpoint (kernel `checkpoint`):
   * `layers.I.weight`, `layers.I.bias` and `trained.samples` ([1], float64: the training samples
   * seen, so that the evaluation log knows how far restored weights had trained). `restore` takes it.
   */
  weightTensors(): Record<string, StoredTensor>;
  /**
   * Puts the network in the state of `snapshot()` (everything checked before anything is set).
   * Given only named weight tensors instead (`weightTensors()`, `snapshot().tensors`, or a kernel
   * checkpoint's), sets the weights and biases alone, and the count of samples trained when
   * `trained.samples` is there; the optimiser and the epoch position stay.
   */
  restore(snapshot: LearnerSnapshot | Readonly<Record<string, StoredTensor>>): void;
  /** Frees the model's variables and the optimiser. */
  dispose(): void;
}

/** Per-layer plan, fixed at construction. */
interface Stage {
  readonly kind: "dense" | "conv2d" | "max-pool" | "flatten";
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly W?: tf.Variable;
  readonly b?: tf.Variable;
  readonly readout: boolean;
  readonly name: string;
  /** Fan-out of each input element of one sample (weighted layers). */
  readonly fan?: Float32Array;
  readonly kernel?: number;
  readonly strides?: number;
  readonly padding?: "valid" | "same";
  readonly size?: number;
}

function prod(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Number of synapses each input element of a conv layer drives: filters × kernel positions covering it. */
function convFanOut(inputShape: readonly number[], outputShape: readonly number[], kernel: number, strides: number, padding: "valid" | "same"): Float32Array {
  const [h, w, c] = inputShape as [number, number, number];
  const [oh, ow, f] = outputShape as [number, number, number];
  const padTop = padding === "same" ? Math.floor(Math.max((oh - 1) * strides + kernel - h, 0) / 2) : 0;
  const padLeft = padding === "same" ? Math.floor(Math.max((ow - 1) * strides + kernel - w, 0) / 2) : 0;
  const cover = new Float32Array(h * w);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let a = 0; a < kernel; a++) {
        const y = oy * strides + a - padTop;
        if (y < 0 || y >= h) continue;
        for (let b = 0; b < kernel; b++) {
          const x = ox * strides + b - padLeft;
          if (x >= 0 && x < w) cover[y * w + x]! += f;
        }
      }
    }
  }
  const fan = new Float32Array(h * w * c);
  for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) fan[p * c + k] = cover[p]!;
  return fan;
}

/**
 * IF scan over T steps, in place into `spikes` ([T·n], zeroed) and `counts` ([n], zeroed).
 * `current` holds one step ([n], constant input) or T steps ([T·n]). The step loop is innermost
 * so that each neuron's potential stays in a register.
 */
function ifScan(current: Float32Array, currentSteps: number, T: number, n: number, theta: number, beta: number, spikes: Float32Array, counts: Float32Array): void {
  const stride = currentSteps === 1 ? 0 : n;
  for (let k = 0; k < n; k++) {
    let v = 0;
    let c = 0;
    for (let t = 0; t < T; t++) {
      v = beta * v + current[t * stride + k]!;
      if (v > theta) {
        v -= theta;
        spikes[t * n + k] = 1;
        c++;
      }
    }
    counts[k] = c;
  }
}

/**
 * IF scan fused with spiking max pooling (file header) over windows that tile the input exactly:
 * each window's units are simulated together, and at each step the window passes on
 * max(C_t) − max(C_{t−1}) of its units' cumulative counts C. Writes the pooled spikes
 * ([T·B·outN]), the units' counts ([B·inN]) and, if given, the units' spikes ([T·B·inN]).
 */
function ifMaxPoolScan(
  current: Float32Array, currentSteps: number, T: number, B: number, inShape: readonly number[], size: number,
  theta: number, beta: number, pooled: Float32Array, counts: Float32Array, spikes: Float32Array | undefined,
): void {
  const [h, w, c] = inShape as [number, number, number];
  const oh = h / size;
  const ow = w / size;
  const inN = h * w * c;
  const outN = oh * ow * c;
  const n = B * inN;
  const stride = currentSteps === 1 ? 0 : n;
  const units = size * size;
  const index = new Int32Array(units);
  // Float32 potentials, as in ifScan: the same arithmetic as an unpooled layer.
  const v = new Float32Array(units);
  const cum = new Float64Array(units);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let k = 0; k < c; k++) {
          for (let a = 0; a < size; a++) {
            for (let d = 0; d < size; d++) index[a * size + d] = b * inN + ((oy * size + a) * w + ox * size + d) * c + k;
          }
          v.fill(0);
          cum.fill(0);
          const j = b * outN + (oy * ow + ox) * c + k;
          let before = 0;
          for (let t = 0; t < T; t++) {
            let m = 0;
            for (let u = 0; u < units; u++) {
              const i = index[u]!;
              let vu = beta * v[u]! + current[t * stride + i]!;
              if (vu > theta) {
                vu -= theta;
                cum[u]! += 1;
                if (spikes) spikes[t * n + i] = 1;
              }
              v[u] = vu;
              if (cum[u]! > m) m = cum[u]!;
            }
            pooled[t * B * outN + j] = m - before;
            before = m;
          }
          for (let u = 0; u < units; u++) counts[index[u]!] = cum[u]!;
        }
      }
    }
  }
}

/**
 * The value is the simulated spike rate; the gradient is Lee's membrane derivative 1/θ where
 * 0 < z < θ (the derivative of min(relu(z), θ)/θ: an IF neuron cannot fire more than once a step,
 * so a saturated neuron passes no gradient).
 */
function membraneRate(z: tf.Tensor, rate: tf.Tensor, theta: number): tf.Tensor {
  const op = tf.customGrad((zs: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const zi = zs as tf.Tensor;
    (save as tf.GradSaveFunc)([zi]);
    return {
      value: tf.clone(rate),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.mul(tf.mul(tf.step(saved[0]!), tf.step(tf.sub(theta, saved[0]!))), 1 / theta)),
    };
  });
  return op(z) as tf.Tensor;
}

/** Result of one simulation of a batch. */
interface Simulation {
  /** Spike counts of every stage's output ([B·N]; weighted non-readout and pooling stages). */
  readonly counts: (Float32Array | undefined)[];
  /** Input rate per sample (constant: the pixels; poisson: spike count / T). */
  readonly inputRate: Float32Array;
  /** Cumulative readout potential V_t, [T, B, classes]. */
  readonly potential: Float32Array;
  readonly sopsByStep: Float64Array;
  /** SOPs into each weighted stage, summed over the batch and the steps. */
  readonly sopsByLayer: number[];
  /** Summed spikes of the input and of each spiking layer. */
  readonly spikeTotals: number[];
  /** Spike arrays ([T·B·N]) of the input and of each spiking layer, when kept. */
  readonly trains?: Float32Array[];
}

/**
 * Builds a network for membrane-potential backprop (file header). Validates everything before any
 * tensor exists.
 *
 * @example
 *   const cnn = membraneBackpropNetwork({
 *     input: [28, 28, 1],
 *     layers: [conv2d(20, 5, { bias: false }), maxPool(2), conv2d(50, 5, { bias: false }), maxPool(2), flatten(), dense(200, { bias: false }), dense(10, { bias: false })],
 *     steps: 10, rng: createRng(7),
 *   });
 */
export function membraneBackpropNetwork(options: Partial<MembraneBackpropOptions> & Pick<MembraneBackpropOptions, "input" | "layers" | "rng">): MembraneBackpropNetwork {
  const fn = "membraneBackpropNetwork";
  const o = mergeOptions(fn, { ...membraneBackpropDefaults, input: [] as readonly number[], layers: [] as readonly LayerSpec[], rng: undefined as unknown as Rng }, options);
  const rng = checkRng(fn, "rng", o.rng);
  const T = integer(fn, "steps", o.steps, 1);
  const theta = positive(fn, "threshold", o.threshold);
  const beta = inRange(fn, "leak", o.leak, 0, 1);
  if (beta <= 0) fail(fn, "leak", "be > 0 (a decay factor in (0, 1])", o.leak);
  oneOf(fn, "encoding", o.encoding, ["constant", "poisson"] as const);
  positive(fn, "learningRate", o.learningRate);
  inRange(fn, "learningRateDecay", o.learningRateDecay, 0, 1);
  if (o.learningRateDecay <= 0) fail(fn, "learningRateDecay", "be > 0", o.learningRateDecay);
  integer(fn, "batchSize", o.batchSize, 1);
  integer(fn, "recordEvery", o.recordEvery, 1);
  if (!Array.isArray(o.layers) || o.layers.length === 0) fail(fn, "layers", "be a non-empty array of dense(), conv2d(), maxPool() and flatten() specs", o.layers);
  const allowed = ["dense", "conv2d", "max-pool", "flatten"];
  o.layers.forEach((spec, i) => {
    const kind = spec && typeof spec === "object" ? (spec as { kind?: unknown }).kind : undefined;
    if (typeof kind !== "string" || !allowed.includes(kind)) fail(fn, `layers[${i}]`, "be dense(), conv2d(), maxPool() or flatten() (the IF neurons are implied)", kind ?? spec);
    if (kind === "max-pool" && o.layers[i - 1]?.kind !== "conv2d") fail(fn, `layers[${i}]`, "follow a conv2d() layer (max pooling acts on spikes)", o.layers[i - 1]?.kind ?? "the input");
  });
  const lastWeighted = o.layers.map((l) => l.kind === "dense" || l.kind === "conv2d").lastIndexOf(true);
  if (lastWeighted < 0) fail(fn, "layers", "contain a dense() or conv2d() readout layer", o.layers.map((l) => l.kind));
  if (lastWeighted !== o.layers.length - 1) fail(fn, `layers[${o.layers.length - 1}]`, "be the readout: a dense() or conv2d() layer", o.layers[o.layers.length - 1]!.kind);
  // createModel validates the shapes and draws the weights from rng (before our own streams fork).
  const model = createModel({ input: o.input, layers: o.layers, rng: rng });
  model.layers.forEach((l, i) => {
    const spec = l.spec;
    if (spec.kind === "max-pool" && (spec.strides !== spec.size || l.inputShape[0]! % spec.size !== 0 || l.inputShape[1]! % spec.size !== 0)) {
      model.dispose();
      fail(fn, `layers[${i}]`, "be a max pool whose windows tile its input exactly (strides = size, dividing height and width)", `maxPool(${spec.size}, {strides: ${spec.strides}}) on [${l.inputShape.join(", ")}]`);
    }
  });
  let orderSeed = rng.nextUint32();
  let inputSeed = rng.nextUint32();
  let evalSeed = rng.nextUint32();

  const stages: Stage[] = model.layers.map((l, i) => {
    const spec = l.spec;
    const base = { inputShape: l.inputShape, outputShape: l.outputShape, readout: i === lastWeighted };
    if (spec.kind === "dense") {
      return { ...base, kind: "dense" as const, W: l.W, b: l.b, name: `dense(${spec.units})`, fan: new Float32Array(prod(l.inputShape)).fill(spec.units) };
    }
    if (spec.kind === "conv2d") {
      return {
        ...base, kind: "conv2d" as const, W: l.W, b: l.b, name: `conv2d(${spec.filters}, ${spec.kernel})`, kernel: spec.kernel, strides: spec.strides, padding: spec.padding,
        fan: convFanOut(l.inputShape, l.outputShape, spec.kernel, spec.strides, spec.padding),
      };
    }
    if (spec.kind === "max-pool") return { ...base, kind: "max-pool" as const, name: `maxPool(${spec.size})`, size: spec.size, strides: spec.strides };
    return { ...base, kind: "flatten" as const, name: "flatten" };
  });
  const spikingNames = ["input", ...stages.filter((s) => (s.kind === "dense" || s.kind === "conv2d") && !s.readout).map((s) => s.name)];
  const weightedNames = stages.filter((s) => s.kind === "dense" || s.kind === "conv2d").map((s) => s.name);
  const classes = prod(stages[lastWeighted]!.outputShape);
  const inputSize = prod(o.input);

  let learningRate = o.learningRate;
  const optimizer = tf.train.adam(learningRate);
  const history: MembraneHistoryRow[] = [];
  let batches = 0;
  let pending = { loss: 0, correct: 0, samples: 0, batches: 0 };
  let trainedSamples = 0;
  const epochOrders = batchEpochOrders(() => orderSeed);   // the seeded order of each epoch (learning/epoch-order.ts)
  let epochsSeen = 0;

  const checkData = (f: string, data: TrainingData) => {
    if (!data || typeof data !== "object" || !(data as { count?: unknown }).count) fail(f, "data", "be a data set (loadMnist(), arrayDataset())", data);
    if (sampleSize(data) !== inputSize) fail(f, "data", `have samples of the input shape [${o.input.join(", ")}]`, `${sampleSize(data)} values`);
    if (!data.labels) fail(f, "data", "have class labels", "no labels");
  };

  /** Runs the spiking network on pixels x ([B·inputSize], in [0, 1]). */
  const simulate = (x: Float32Array, B: number, inputRng: Rng | undefined, keepTrains: boolean): Simulation => {
    let h: Float32Array;
    let hSteps: number;
    const inputRate = new Float32Array(B * inputSize);
    const spikeTotals: number[] = [];
    const trains: Float32Array[] = [];
    const sopsByStep = new Float64Array(T);
    const sopsByLayer: number[] = [];
    if (o.encoding === "poisson") {
      h = new Float32Array(T * B * inputSize);
      for (let t = 0; t < T; t++) {
        const off = t * B * inputSize;
        for (let k = 0; k < B * inputSize; k++) {
          if (inputRng!.next() < x[k]!) {
            h[off + k] = 1;
            inputRate[k]! += 1 / T;
          }
        }
      }
      hSteps = T;
      spikeTotals.push(h.reduce((a, v) => a + v, 0));
    } else {
      h = x;
      inputRate.set(x);
      hSteps = 1;
      spikeTotals.push(0);
    }
    if (keepTrains) trains.push(h);
    const counts: (Float32Array | undefined)[] = [];
    let potential = new Float32Array(0);
    let pooledNext: Float32Array | undefined; // spikes of a conv layer already max-pooled by ifMaxPoolScan
    stages.forEach((s, si) => {
      const inN = prod(s.inputShape);
      const outN = prod(s.outputShape);
      if (s.kind === "flatten") {
        counts.push(undefined);
        return;
      }
      if (s.kind === "max-pool") {
        h = pooledNext!;
        const c = new Float32Array(B * outN);
        for (let t = 0; t < T; t++) for (let k = 0; k < B * outN; k++) c[k]! += h[t * B * outN + k]!;
        counts.push(c);
        return;
      }
      // Operations: each input spike costs its fan-out; a constant (analog) input costs every
      // nonzero element's fan-out at every step.
      const fan = s.fan!;
      let layerOps = 0;
      for (let t = 0; t < T; t++) {
        const off = hSteps === 1 ? 0 : t * B * inN;
        let ops = 0;
        for (let b = 0; b < B; b++) {
          const row = off + b * inN;
          for (let k = 0; k < inN; k++) if (h[row + k] !== 0) ops += fan[k]! * (hSteps === 1 ? 1 : h[row + k]!);
        }
        sopsByStep[t]! += ops;
        layerOps += ops;
      }
      sopsByLayer.push(layerOps);
      const currentTensor = tf.tidy(() => {
        const xin = tf.tensor(h, [hSteps * B, ...s.inputShape]);
        const z = s.kind === "dense"
          ? tf.matMul(xin as tf.Tensor2D, s.W as tf.Tensor as tf.Tensor2D)
          : tf.conv2d(xin as tf.Tensor4D, s.W as tf.Tensor as tf.Tensor4D, s.strides!, s.padding!);
        return s.b ? tf.add(z, s.b) : z;
      });
      // Read outside tidy: tidy walks a returned typed array element by element.
      const current = currentTensor.dataSync() as Float32Array;
      currentTensor.dispose();
        if (s.readout) {
        potential = new Float32Array(T * B * outN);
        const acc = new Float32Array(B * outN);
        for (let t = 0; t < T; t++) {
          const off = hSteps === 1 ? 0 : t * B * outN;
          for (let k = 0; k < B * outN; k++) {
            acc[k]! += current[off + k]!;
            potential[t * B * outN + k] = acc[k]!;
          }
        }
        counts.push(undefined);
        return;
      }
      const c = new Float32Array(B * outN);
      const next = stages[si + 1];
      if (next?.kind === "max-pool") {
        // Fused: the conv layer's own spikes are only materialised for a raster.
        pooledNext = new Float32Array(T * B * prod(next.outputShape));
        const spikes = keepTrains ? new Float32Array(T * B * outN) : undefined;
        ifMaxPoolScan(current, hSteps, T, B, s.outputShape, next.size!, theta, beta, pooledNext, c, spikes);
        if (spikes) trains.push(spikes);
      } else {
        const spikes = new Float32Array(T * B * outN);
        ifScan(current, hSteps, T, B * outN, theta, beta, spikes, c);
        if (keepTrains) trains.push(spikes);
        h = spikes;
      }
      counts.push(c);
      spikeTotals.push(c.reduce((a, v) => a + v, 0));
      hSteps = T;
    });
    return { counts, inputRate, potential, sopsByStep, sopsByLayer, spikeTotals, trains: keepTrains ? trains : undefined };
  };

  const predictionsAt = (potential: Float32Array, t: number, B: number, out: Int32Array, offset = 0) => {
    for (let b = 0; b < B; b++) {
      const row = t * B * classes + b * classes;
      let best = 0;
      for (let k = 1; k < classes; k++) if (potential[row + k]! > potential[row + best]!) best = k;
      out[offset + b] = best;
    }
  };

  /**
   * The spike-count readout (MembraneCountReadout) of a batch: the readout neurons integrate the
   * per-step increments of V_t as IF neurons. Adds the correct answers after every step to
   * `correctByStep`; returns the ties and silent samples at T.
   */
  const countReadout = (potential: Float32Array, B: number, labels: Int32Array, correctByStep: Float64Array) => {
    const v = new Float32Array(classes);
    const counts = new Int32Array(classes);
    const first = new Int32Array(classes);
    let ties = 0;
    let silent = 0;
    for (let b = 0; b < B; b++) {
      v.fill(0);
      counts.fill(0);
      first.fill(T);
      for (let t = 0; t < T; t++) {
        const row = t * B * classes + b * classes;
        const before = t === 0 ? -1 : (t - 1) * B * classes + b * classes;
        for (let k = 0; k < classes; k++) {
          // The step's current is the increment of the readout's accumulated potential.
          const current = before < 0 ? potential[row + k]! : potential[row + k]! - potential[before + k]!;
          let vk = beta * v[k]! + current;
          if (vk > theta) {
            vk -= theta;
            if (counts[k] === 0) first[k] = t;
            counts[k]! += 1;
          }
          v[k] = vk;
        }
        let best = 0;
        let shared = false;
        for (let k = 1; k < classes; k++) {
          if (counts[k]! > counts[best]! || (counts[k] === counts[best] && first[k]! < first[best]!)) {
            best = k;
            shared = false;
          } else if (counts[k] === counts[best] && first[k] === first[best]) shared = true;
        }
        const none = counts[best] === 0;
        if (!none && !shared && best === labels[b]) correctByStep[t]! += 1;
        if (t === T - 1) {
          if (none) silent++;
          else if (shared) ties++;
        }
      }
    }
    return { ties, silent };
  };

  const pixelsOf = (data: TrainingData, indices: Int32Array): { x: Float32Array; labels: Int32Array } => {
    const batch = makeBatch(data, indices, { shape: [inputSize], encoding: "constant", steps: 1, gain: 1, scale: "unit" });
    const x = batch.x.dataSync() as Float32Array;
    batch.x.dispose();
    return { x: x, labels: batch.labels! };
  };

  /**
   * One batch: the spiking simulation, then the graph whose values are the simulated rates and
   * whose gradients are the membrane-potential ones. `apply`: take an Adam step; otherwise return
   * the gradients and the graph's rates (for tests).
   */
  const batchStep = (data: TrainingData, indices: Int32Array, inputRng: Rng, apply: boolean) => {
    const B = indices.length;
    const { x, labels } = pixelsOf(data, indices);
    const sim = simulate(x, B, inputRng, false);
    const pred = new Int32Array(B);
    predictionsAt(sim.potential, T - 1, B, pred);
    let correct = 0;
    for (let b = 0; b < B; b++) if (pred[b] === labels[b]) correct++;
    // Every intermediate tensor is disposed here (tidy) or below: a leak of one count tensor per
    // batch exhausted the wasm heap within an epoch of the CNN.
    const rates = sim.counts.map((c, i) => (c ? tf.tidy(() => tf.div(tf.tensor(c, [B, ...stages[i]!.outputShape]), T)) : undefined));
    const r0 = tf.tensor(sim.inputRate, [B, ...o.input]);
    const target = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), classes));
    const graphRates: Float32Array[] = [];
    const { value, grads } = tf.variableGrads(() => {
      let r: tf.Tensor = r0;
      let logits: tf.Tensor | undefined;
      let firstWeighted = true;
      stages.forEach((s, i) => {
        if (s.kind === "flatten") {
          r = tf.reshape(r, [B, -1]);
          return;
        }
        if (s.kind === "max-pool") {
          // Exact: max-pool of the rates = the pooled spike count / T (file header).
          r = tf.maxPool(r as tf.Tensor4D, s.size!, s.strides!, "valid");
          if (!apply) graphRates.push(r.dataSync() as Float32Array);
          return;
        }
        // Input gradients are not needed below the first weighted layer: feedback undefined.
        const feedback = firstWeighted ? undefined : s.W;
        firstWeighted = false;
        let z = s.kind === "dense"
          ? matMulWithFeedback(r as tf.Tensor2D, s.W as tf.Tensor as tf.Tensor2D, feedback)
          : conv2dWithFeedback(r as tf.Tensor4D, s.W as tf.Tensor as tf.Tensor4D, feedback, { strides: s.strides!, padding: s.padding! });
        if (s.b) z = tf.add(z, s.b);
        if (s.readout) {
          logits = tf.reshape(z, [B, classes]);
        } else {
          r = membraneRate(z, rates[i]!, theta);
          if (!apply) graphRates.push(r.dataSync() as Float32Array);
        }
      });
      return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits!)), 1))) as tf.Scalar;
    }, model.variables as tf.Variable[]);
    const loss = value.dataSync()[0]!;
    value.dispose();
    let gradients: Float32Array[] = [];
    if (apply) optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
    else gradients = model.variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
    Object.values(grads).forEach((g) => g.dispose());
    rates.forEach((t) => t?.dispose());
    r0.dispose();
    target.dispose();
    return { loss: loss, correct: correct, gradients: gradients, rates: graphRates, counts: sim.counts.filter((c): c is Float32Array => c !== undefined) };
  };

  /** The Poisson input of the k-th batch of the epoch sequence: independent of how training is chunked. */
  const inputRngOf = (k: number): Rng => createRng((inputSeed ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0);

  const orderOf = epochOrders.at;

  /** Weights and biases with their snapshot names, in model.variables order (the optimiser's slot order). */
  const weightNames: [tf.Variable, string][] = model.variables.map((v) => {
    const i = stages.findIndex((st) => st.W === v || st.b === v);
    return [v, `layers.${i}.${stages[i]!.W === v ? "weight" : "bias"}`];
  });
  const config = { ...o, rng: undefined };

  /** Sets the weights and biases alone from named tensors (every one checked before any is set). */
  const restoreWeights = (f: string, tensors: Readonly<Record<string, StoredTensor>>) => {
    const plan: [tf.Variable, Float32Array][] = [];
    for (const [v, key] of weightNames) {
      const t = tensors[key];
      if (!t || !(t.data instanceof Float32Array)) fail(f, `tensors["${key}"]`, "be a float32 tensor (from snapshot())", t);
      if (t.shape.join(",") !== v.shape.join(",")) fail(f, `tensors["${key}"].shape`, `be [${v.shape.join(", ")}]`, `[${t.shape.join(", ")}]`);
      plan.push([v, t.data]);
    }
    const trained = tensors["trained.samples"];
    if (trained !== undefined && !(trained.data instanceof Float64Array && trained.data.length === 1 && Number.isSafeInteger(trained.data[0]) && trained.data[0]! >= 0)) {
      fail(f, 'tensors["trained.samples"]', "be a float64 tensor [1] holding a count (from weightTensors())", trained);
    }
    for (const [v, data] of plan) tf.tidy(() => v.assign(tf.tensor(data, v.shape, "float32")));
    if (trained !== undefined) trainedSamples = trained.data[0]!;
  };

  const network: MembraneBackpropNetwork = {
    model: model,
    options: Object.freeze({ ...o, rng: undefined }) as unknown as Readonly<Omit<MembraneBackpropOptions, "rng">>,
    name: "membraneBackpropNetwork",
    get steps() {
      return batches;
    },
    get samplesSeen() {
      return trainedSamples;
    },
    learningRate: o.learningRate,
    batchSize: o.batchSize,
    history: history,
    learn(data, options) {
      const f = "membraneBackpropNetwork.learn";
      if (options === null || typeof options !== "object") fail(f, "options", "be an object {count, learningRate?}", options);
      const count = integer(f, "count", options.count, 0);
      if (count === 0) return { samples: 0 };
      const r = network.train(data, { start: trainedSamples, count, learningRate: options.learningRate });
      return { samples: r.samples, loss: r.loss, accuracy: r.accuracy };
    },
    train(data, range) {
      const f = "membraneBackpropNetwork.train";
      checkData(f, data);
      const start = integer(f, "start", range?.start, 0);
      const count = integer(f, "count", range?.count, 1);
      const override = range.learningRate === undefined ? undefined : positive(f, "learningRate", range.learningRate);
      const N = data.count;
      const t0 = performance.now();
      let pos = start;
      const end = start + count;
      let lossSum = 0;
      let correctSum = 0;
      let done = 0;
      if (override !== undefined) {
        // A schedule's rate for this call; the next call without one recomputes the decayed rate.
        learningRate = override;
        setOptimizerLearningRate(optimizer, learningRate);
        epochsSeen = -1;
      }
      while (pos < end) {
        const epoch = Math.floor(pos / N);
        // Adam's η decays per epoch; recomputed from the epoch so that resumed runs agree.
        if (override === undefined && epoch !== epochsSeen) {
          epochsSeen = epoch;
          learningRate = o.learningRate * o.learningRateDecay ** epoch;
          setOptimizerLearningRate(optimizer, learningRate);
        }
        const inEpoch = pos - epoch * N;
        // Batches are aligned to multiples of batchSize within each epoch.
        const batchEnd = Math.min(end, epoch * N + Math.min(N, (Math.floor(inEpoch / o.batchSize) + 1) * o.batchSize));
        const order = orderOf(epoch, N);
        const indices = order.slice(inEpoch, batchEnd - epoch * N);
        const inputRng = inputRngOf(Math.floor(pos / o.batchSize));
        const r = batchStep(data, indices, inputRng, true);
        batches++;
        lossSum += r.loss * indices.length;
        correctSum += r.correct;
        done += indices.length;
        trainedSamples += indices.length;
        pending = { loss: pending.loss + r.loss * indices.length, correct: pending.correct + r.correct, samples: pending.samples + indices.length, batches: pending.batches + 1 };
        pos = batchEnd;
        if (pending.batches >= o.recordEvery) {
          history.push({ step: batches, samples: pos, epoch: pos / N, loss: pending.loss / pending.samples, accuracy: pending.correct / pending.samples });
          pending = { loss: 0, correct: 0, samples: 0, batches: 0 };
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      return { loss: lossSum / done, accuracy: correctSum / done, samples: done, seconds: seconds, samplesPerSecond: done / seconds, epoch: end / N };
    },
    evaluate(data, range = {}) {
      const f = "membraneBackpropNetwork.evaluate";
      checkData(f, data);
      if (range === null || typeof range !== "object") fail(f, "range", "be an object { start?, count?, batchSize? }", range);
      const start = integer(f, "start", range.start ?? 0, 0);
      const count = integer(f, "count", range.count ?? data.count - start, 1);
      const batchSize = integer(f, "batchSize", range.batchSize ?? 250, 1);
      if (start + count > data.count) fail(f, "count", `stay within the data (start + count ≤ ${data.count})`, count);
      logEvaluation(f, network, data, { start, count, trained: trainedSamples });
      const t0 = performance.now();
      const correctByStep = new Float64Array(T);
      const countCorrectByStep = new Float64Array(T);
      let ties = 0;
      let silent = 0;
      const sopsByStep = new Float64Array(T);
      const totals = spikingNames.map(() => 0);
      const layerSops = weightedNames.map(() => 0);
      const predictions = new Int32Array(count);
      const pred = new Int32Array(batchSize);
      for (let s = 0; s < count; s += batchSize) {
        const n = Math.min(batchSize, count - s);
        const indices = Int32Array.from({ length: n }, (_, i) => start + s + i);
        const { x, labels } = pixelsOf(data, indices);
        // The Poisson draws of a sample depend on its batch's position only: evaluation is repeatable.
        const sim = simulate(x, n, createRng((evalSeed ^ Math.imul(start + s + 1, 0x27d4eb2d)) >>> 0), false);
        for (let t = 0; t < T; t++) {
          predictionsAt(sim.potential, t, n, pred);
          for (let b = 0; b < n; b++) if (pred[b] === labels[b]) correctByStep[t]! += 1;
          sopsByStep[t]! += sim.sopsByStep[t]!;
        }
        const spikeRead = countReadout(sim.potential, n, labels, countCorrectByStep);
        ties += spikeRead.ties;
        silent += spikeRead.silent;
        predictions.set(pred.subarray(0, n), s);
        sim.spikeTotals.forEach((v, i) => (totals[i]! += v));
        sim.sopsByLayer.forEach((v, i) => (layerSops[i]! += v));
      }
      const accuracyByStep = new Float64Array(T);
      const countAccuracyByStep = new Float64Array(T);
      const cumulative = new Float64Array(T);
      let acc = 0;
      for (let t = 0; t < T; t++) {
        accuracyByStep[t] = correctByStep[t]! / count;
        countAccuracyByStep[t] = countCorrectByStep[t]! / count;
        acc += sopsByStep[t]!;
        cumulative[t] = acc / count;
      }
      return {
        accuracy: accuracyByStep[T - 1]!,
        countReadout: { accuracy: countAccuracyByStep[T - 1]!, accuracyByStep: countAccuracyByStep, ties: ties / count, silent: silent / count },
        sopsPerSample: cumulative[T - 1]!, sopsPerLayer: weightedNames.map((layer, i) => ({ layer: layer, sops: layerSops[i]! / count })), spikesPerLayer: totals.map((v) => v / count), layerNames: spikingNames,
        accuracyByStep: accuracyByStep, sopsByStep: cumulative, predictions: predictions, count: count, seconds: (performance.now() - t0) / 1000,
      };
    },
    spikes(data, index) {
      const f = "membraneBackpropNetwork.spikes";
      checkData(f, data);
      if (!Number.isSafeInteger(index) || index < 0 || index >= data.count) fail(f, "index", `be an integer in [0, ${data.count})`, index);
      const { x } = pixelsOf(data, Int32Array.of(index));
      const sim = simulate(x, 1, createRng((evalSeed ^ Math.imul(index + 1, 0x27d4eb2d)) >>> 0), true);
      const times: number[] = [];
      const ids: number[] = [];
      const layers: { name: string; range: readonly [number, number]; spikes: number }[] = [];
      let offset = 0;
      sim.trains!.forEach((train, l) => {
        const n = train.length / (l === 0 && o.encoding === "constant" ? 1 : T);
        let spikes = 0;
        if (!(l === 0 && o.encoding === "constant")) {
          for (let t = 0; t < T; t++) {
            for (let k = 0; k < n; k++) {
              if (train[t * n + k]! > 0) {
                times.push(t + 1);
                ids.push(offset + k);
                spikes++;
              }
            }
          }
        }
        layers.push({ name: spikingNames[l]!, range: [offset, offset + n] as const, spikes: spikes });
        offset += n;
      });
      const output = sim.potential.slice((T - 1) * classes, T * classes);
      let prediction = 0;
      for (let k = 1; k < classes; k++) if (output[k]! > output[prediction]!) prediction = k;
      // Already valid and in time order (then id): built directly.
      const train: SpikeTrain = { times: Float32Array.from(times), ids: Int32Array.from(ids), size: offset, duration: T + 1 };
      return { train: train, layers: layers, output: output, prediction: prediction };
    },
    gradient(data, indices, batch = 0) {
      const f = "membraneBackpropNetwork.gradient";
      checkData(f, data);
      if (!indices || typeof indices.length !== "number" || indices.length === 0) fail(f, "indices", "be a non-empty array of sample indices", indices);
      const idx = Int32Array.from(indices);
      idx.forEach((i, k) => {
        if (i < 0 || i >= data.count || i !== indices[k]) fail(f, `indices[${k}]`, `be an integer in [0, ${data.count})`, indices[k]);
      });
      const r = batchStep(data, idx, inputRngOf(integer(f, "batch", batch, 0)), false);
      return { loss: r.loss, gradients: r.gradients, rates: r.rates, counts: r.counts };
    },
    weightTensors() {
      const out: Record<string, StoredTensor> = {};
      weightNames.forEach(([v, name]) => (out[name] = tensor((v.dataSync() as Float32Array).slice(), v.shape)));
      out["trained.samples"] = tensor(Float64Array.of(trainedSamples), [1]);
      return out;
    },
    snapshot() {
      const tensors: Record<string, StoredTensor> = {};
      weightNames.forEach(([v, name]) => (tensors[name] = tensor((v.dataSync() as Float32Array).slice(), v.shape)));
      const opt = optimizerSnapshot("adam", optimizer, weightNames.map(([v]) => v), weightNames.map(([, name]) => name));
      const state = { orderSeed, inputSeed, evalSeed, batches, history, pending: [pending], optimizer: opt.json };
      return makeSnapshot("membraneBackpropNetwork", trainedSamples, config, state, { ...tensors, ...opt.tensors });
    },
    restore(snapshot) {
      const f = "membraneBackpropNetwork.restore";
      if (snapshot === null || typeof snapshot !== "object") fail(f, "snapshot", "be a snapshot() or its tensors", snapshot);
      if (typeof (snapshot as LearnerSnapshot).learner !== "string") {
        restoreWeights(f, snapshot as Readonly<Record<string, StoredTensor>>);
        return;
      }
      const r = readSnapshot(f, snapshot, "membraneBackpropNetwork", config);
      const values = weightNames.map(([v, name]) => r.tensor(name, "F32", v.shape) as Float32Array);
      const applyOptimizer = readOptimizerState(f, r, "adam", optimizer, weightNames.map(([v]) => v), weightNames.map(([, name]) => name));
      const seeds = ["orderSeed", "inputSeed", "evalSeed"].map((key) => r.integer(key, 0, 0xffffffff));
      const restoredBatches = r.integer("batches", 0, Number.MAX_SAFE_INTEGER);
      const rows = r.rows("history", ["step", "samples", "epoch", "loss", "accuracy"]) as unknown as MembraneHistoryRow[];
      // The history window in progress, as a one-row list.
      const [p, ...extra] = r.rows("pending", ["loss", "correct", "samples", "batches"]);
      if (!p || extra.length > 0) fail(f, "snapshot.state.pending", "be one row {loss, correct, samples, batches}", r.state.pending);
      r.done();
      weightNames.forEach(([v], i) => tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape, "float32"))));
      applyOptimizer();
      [orderSeed, inputSeed, evalSeed] = seeds as [number, number, number];
      epochOrders.reset();
      epochsSeen = -1;
      batches = restoredBatches;
      history.splice(0, history.length, ...rows);
      pending = p as typeof pending;
      trainedSamples = r.samplesSeen;
    },
    annMacs() {
      let macs = 0;
      for (const s of stages) {
        if (s.kind === "dense") macs += prod(s.inputShape) * prod(s.outputShape);
        else if (s.kind === "conv2d") macs += prod(s.outputShape) * s.kernel! * s.kernel! * s.inputShape[2]!;
      }
      return macs;
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
    },
  };
  return network;
}
