/**
 * An LSTM trained as an ANN with TensorFlow.js's own `tf.layers.lstm` (tfjs-layers), as a
 * `Learner` that `fit` drives: the network whose weights the spiking LSTM (models/spiking-lstm.ts,
 * Shrestha et al. 2017) runs with spikes.
 *
 *   model     tf.layers.lstm(hidden, σ gates — not tfjs's default hard sigmoid, since the
 *             spiking LSTM computes σ — forget-gate bias 1) → tf.layers.dense(outputs)
 *   "class"   softmax cross-entropy of the dense output after the last step
 *   "steps"   sigmoid cross-entropy of the dense output at every step (padding steps have empty
 *             target sets, so the network also learns that a string has ended)
 *   training  Adam on mini-batches of `batchSize` sequences, drawn in a seeded order per epoch;
 *             each batch one synchronous `optimizer.minimize` over the layers' variables
 *
 * `weights()` reads the trained kernel, recurrent kernel and bias (gate order i, f, c, o) and the
 * readout as `LstmWeights`. `initBackend()` must have been awaited.
 *
 * @example
 *   await initBackend();
 *   const ann = lstmLearner({ inputSize: 28, hiddenSize: 64, outputs: 10, kind: "class", rng: createRng(1) });
 *   await fit(ann, train, { epochs: 3, validation });
 *   const snn = spikingLstm(ann.weights(), { steps: 32 });
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { checkRng, createRng, type Rng } from "../core/random";
import { fail, integer, mergeOptions, oneOf, positive } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import { checkSequenceDataset, type SequenceDataset, type SequenceTargetKind } from "../datasets/sequence-tasks";
import { tensor } from "../io/safetensors";
import type { Learner, LearnOptions, LearnStep } from "../learning/learner";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import type { LstmWeights } from "../models/spiking-lstm";
import { optimizerSnapshot, readOptimizerState, setOptimizerLearningRate } from "./optimizer-state";

/** Options of `lstmLearner`. */
export interface LstmLearnerOptions {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputs: number;
  /** One class after the last step, or a target set at every step (as the data's `kind`). */
  readonly kind: SequenceTargetKind;
  /** Adam's step size. */
  readonly learningRate: number;
  /** Sequences per update. */
  readonly batchSize: number;
  readonly rng: Rng;
}

/** Defaults of `lstmLearner` (sizes, kind and rng must be given). */
export const lstmLearnerDefaults: Readonly<Omit<LstmLearnerOptions, "rng">> = Object.freeze({
  inputSize: NaN, hiddenSize: NaN, outputs: NaN, kind: "class" as SequenceTargetKind, learningRate: 0.005, batchSize: 32,
});

/** The learner (file header). */
/** What the learner's `evaluate` gives (its outputs are the tf model's: logits, or σ at every step). */
export interface LstmLearnerEvaluation {
  readonly accuracy: number;
  readonly predictions?: Uint8Array;
  readonly outputs: Float64Array;
  /** The ANN's multiply-accumulates per sequence. */
  readonly macsPerSequence: number;
}

export interface LstmLearner extends Learner<SequenceDataset, LstmLearnerEvaluation> {
  readonly batchSize: number;
  readonly options: Readonly<Omit<LstmLearnerOptions, "rng">>;
  /** The trained weights, copied, in the layout of the spiking LSTM. */
  weights(): LstmWeights;
  /** Frees the tfjs variables. */
  dispose(): void;
}

const NAMES = ["lstm.kernel", "lstm.recurrentKernel", "lstm.bias", "dense.kernel", "dense.bias"] as const;

/** Scores outputs as the spiking LSTM does (shared semantics: argmax after the last step, or every scored step's target set). */
function score(data: SequenceDataset, start: number, count: number, out: Float32Array): { accuracy: number; predictions?: Uint8Array; outputs: Float64Array } {
  const K = data.outputs, L = data.length;
  let right = 0;
  if (data.kind === "class") {
    const predictions = new Uint8Array(count);
    for (let s = 0; s < count; s++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (out[s * K + k]! > out[s * K + best]!) best = k;
      predictions[s] = best;
      if (best === data.labels![start + s]) right++;
    }
    return { accuracy: right / count, predictions, outputs: Float64Array.from(out) };
  }
  const probs = new Float64Array(out.length);
  for (let s = 0; s < count; s++) {
    let ok = true;
    for (let t = 0; t < L; t++) {
      const m = data.mask![(start + s) * L + t]!;
      for (let k = 0; k < K; k++) {
        const i = (s * L + t) * K + k;
        probs[i] = 1 / (1 + Math.exp(-out[i]!));
        if (m && (out[i]! > 0 ? 1 : 0) !== data.targets![((start + s) * L + t) * K + k]) ok = false;
      }
    }
    if (ok) right++;
  }
  return { accuracy: right / count, outputs: probs };
}

/** An LSTM learner on tf.layers (file header). */
export function lstmLearner(options: Partial<LstmLearnerOptions> & { rng: Rng }): LstmLearner {
  const fn = "lstmLearner";
  const o = mergeOptions(fn, { ...lstmLearnerDefaults, rng: undefined as unknown as Rng }, options);
  const rng = checkRng(fn, "rng", o.rng);
  const inputSize = integer(fn, "inputSize", o.inputSize, 1);
  const hiddenSize = integer(fn, "hiddenSize", o.hiddenSize, 1);
  const outputs = integer(fn, "outputs", o.outputs, 1);
  const kind = oneOf(fn, "kind", o.kind, ["class", "steps"] as const);
  const learningRate = positive(fn, "learningRate", o.learningRate);
  const batchSize = integer(fn, "batchSize", o.batchSize, 1);
  for (const [name, v, max] of [["inputSize", inputSize, 65536], ["hiddenSize", hiddenSize, 4096], ["outputs", outputs, 65536], ["batchSize", batchSize, 65536]] as const) {
    if (v > max) fail(fn, name, `be an integer in [1, ${max}]`, v);
  }
  const config = Object.freeze({ inputSize, hiddenSize, outputs, kind, learningRate, batchSize });
  const seed = (): number => rng.int(2 ** 31);
  const model = tfl.sequential();
  model.add(tfl.layers.lstm({
    units: hiddenSize, inputShape: [null, inputSize], returnSequences: kind === "steps", recurrentActivation: "sigmoid", unitForgetBias: true,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seed() }), recurrentInitializer: tfl.initializers.orthogonal({ seed: seed() }),
  }));
  model.add(tfl.layers.dense({ units: outputs, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed() }) }));
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const shapes = [[inputSize, 4 * hiddenSize], [hiddenSize, 4 * hiddenSize], [4 * hiddenSize], [hiddenSize, outputs], [outputs]];
  if (variables.length !== 5 || variables.some((v, i) => v.shape.join(",") !== shapes[i]!.join(","))) {
    fail(fn, "model", "have the variables kernel, recurrent kernel, bias, dense kernel, dense bias (tfjs-layers changed?)", variables.map((v) => v.name).join(", "));
  }
  const optimizer = tf.train.adam(learningRate);
  let orderSeed = seed();
  let samplesSeen = 0;
  let orderEpoch = -1;
  let order = new Int32Array(0);

  const checkData = (f: string, data: SequenceDataset): SequenceDataset => {
    const d = checkSequenceDataset(f, "data", data);
    if (d.features !== inputSize) fail(f, "data.features", `equal the LSTM's input size ${inputSize}`, d.features);
    if (d.outputs !== outputs) fail(f, "data.outputs", `equal the LSTM's outputs ${outputs}`, d.outputs);
    if (d.kind !== kind) fail(f, "data.kind", `be "${kind}" (the learner's kind)`, d.kind);
    return d;
  };
  const epochOrder = (epoch: number, n: number): Int32Array => {
    if (epoch !== orderEpoch || order.length !== n) {
      const r = createRng((orderSeed + epoch) % 2 ** 31);
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = r.int(i + 1);
        const t = order[i]!; order[i] = order[j]!; order[j] = t;
      }
      orderEpoch = epoch;
    }
    return order;
  };
  const batchTensors = (data: SequenceDataset, indices: ArrayLike<number>): { x: tf.Tensor3D; y: tf.Tensor } => {
    const B = indices.length, L = data.length, N = data.features, K = outputs;
    const xs = new Float32Array(B * L * N);
    const ys = new Float32Array(kind === "class" ? B * K : B * L * K);
    for (let b = 0; b < B; b++) {
      const i = indices[b]!;
      xs.set(data.inputs.subarray(i * L * N, (i + 1) * L * N), b * L * N);
      if (kind === "class") ys[b * K + data.labels![i]!] = 1;
      else ys.set(data.targets!.subarray(i * L * K, (i + 1) * L * K), b * L * K);
    }
    return { x: tf.tensor3d(xs, [B, L, N]), y: kind === "class" ? tf.tensor2d(ys, [B, K]) : tf.tensor3d(ys, [B, L, K]) };
  };
  const forward = (x: tf.Tensor3D, training: boolean): tf.Tensor => model.apply(x, { training }) as tf.Tensor;

  const learner: LstmLearner = {
    name: "lstmLearner",
    get samplesSeen() { return samplesSeen; },
    learningRate,
    batchSize,
    options: config,
    learn(data: SequenceDataset, opts: LearnOptions): LearnStep {
      const f = `${fn}.learn`;
      const d = checkData(f, data);
      if (opts === null || typeof opts !== "object") fail(f, "options", "be {count, learningRate?}", opts);
      const count = integer(f, "options.count", opts.count, 0);
      setOptimizerLearningRate(optimizer, opts.learningRate === undefined ? learningRate : positive(f, "options.learningRate", opts.learningRate));
      let lossSum = 0;
      let done = 0;
      while (done < count) {
        const B = Math.min(batchSize, count - done);
        const indices = new Int32Array(B);
        for (let b = 0; b < B; b++) {
          const p = samplesSeen + done + b;
          indices[b] = epochOrder(Math.floor(p / d.count), d.count)[p % d.count]!;
        }
        const { x, y } = batchTensors(d, indices);
        const cost = optimizer.minimize(() => {
          const out = forward(x, true);
          return (kind === "class" ? tf.losses.softmaxCrossEntropy(y, out) : tf.losses.sigmoidCrossEntropy(y, out)) as tf.Scalar;
        }, true, variables);
        lossSum += cost!.dataSync()[0]! * B;
        tf.dispose([x, y, cost!]);
        done += B;
      }
      samplesSeen += count;
      return count > 0 ? { samples: count, loss: lossSum / count } : { samples: 0 };
    },
    evaluate(data: SequenceDataset, range: { readonly start: number; readonly count: number }): LstmLearnerEvaluation {
      const f = `${fn}.evaluate`;
      const d = checkData(f, data);
      if (range === null || typeof range !== "object") fail(f, "range", "be {start, count}", range);
      const start = integer(f, "range.start", range.start, 0);
      const count = integer(f, "range.count", range.count, 1);
      if (start + count > d.count) fail(f, "range.count", `be at most data.count − start = ${d.count - start}`, count);
      const per = kind === "class" ? outputs : d.length * outputs;
      const out = new Float32Array(count * per);
      for (let s = 0; s < count; s += 256) {
        const B = Math.min(256, count - s);
        const idx = Int32Array.from({ length: B }, (_, b) => start + s + b);
        const { x, y } = batchTensors(d, idx);
        const o = tf.tidy(() => forward(x, false));
        out.set(o.dataSync() as Float32Array, s * per);
        tf.dispose([x, y, o]);
      }
      const r = score(d, start, count, out);
      logEvaluation("lstmLearner", learner, d, { start, count, trained: samplesSeen });
      const G = 4 * hiddenSize;
      return Object.freeze({ ...r, macsPerSequence: d.length * (G * (inputSize + hiddenSize) + hiddenSize * outputs) });
    },
    weights(): LstmWeights {
      const a = variables.map((v) => (v.dataSync() as Float32Array).slice());
      return Object.freeze({ inputSize, hiddenSize, outputs, kernel: a[0]!, recurrentKernel: a[1]!, bias: a[2]!, outputKernel: a[3]!, outputBias: a[4]! });
    },
    snapshot(): LearnerSnapshot {
      const tensors: Record<string, ReturnType<typeof tensor>> = {};
      variables.forEach((v, i) => { tensors[NAMES[i]!] = tensor((v.dataSync() as Float32Array).slice(), v.shape); });
      const opt = optimizerSnapshot("adam", optimizer, variables, NAMES);
      Object.assign(tensors, opt.tensors);
      return makeSnapshot("lstmLearner", samplesSeen, config, { orderSeed, optimizer: opt.json }, tensors);
    },
    restore(snapshot: LearnerSnapshot): void {
      const f = `${fn}.restore`;
      const reader = readSnapshot(f, snapshot, "lstmLearner", config);
      const values = variables.map((v, i) => reader.tensor(NAMES[i]!, "F32", v.shape) as Float32Array);
      const applyOptimizer = readOptimizerState(f, reader, "adam", optimizer, variables, NAMES);
      const newSeed = reader.integer("orderSeed", 0, 2 ** 31 - 1);
      reader.done();
      variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape, "float32"))));
      applyOptimizer();
      orderSeed = newSeed;
      orderEpoch = -1;
      samplesSeen = reader.samplesSeen;
    },
    dispose(): void {
      model.dispose();
      optimizer.dispose();
    },
  };
  return learner;
}
