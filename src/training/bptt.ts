/**
 * `createTrainer`: minibatch training of a `createModel` network by gradient descent, through time
 * for SNNs (backprop through time with surrogate derivatives: the model's leaky layers) and with
 * any method of the feedback-alignment family (the model's `feedback`).
 *
 * Per batch: encode → forward (all T steps) → loss → gradients (tf.variableGrads; the backward
 * pass of each weighted layer uses the model's feedback matrix) → optional weight decay and
 * Batch Manhattan (Liao et al. 2016: the update uses only the sign of each gradient element) →
 * tf.train optimiser step.
 *
 * Runs are resumable by sample range: `train(data, {start, count})` trains on samples
 * [start, start + count) of the infinite sequence epoch 0, epoch 1, …, each epoch a seeded
 * permutation of the data. A notebook drives it in chunks through the kernel's progress bar
 * (`bar.loop(chunk, (s, e) => trainer.train(data, {start: s, count: e - s}))`), so Kernel →
 * Interrupt stops between chunks with the model consistent, and the next call continues. Batches
 * start at multiples of `batchSize` within each epoch, so the result does not depend on the
 * chunking as long as chunk boundaries fall on batch boundaries (chunks a multiple of `batchSize`
 * with N a multiple of it too, or chunks ending at epoch ends).
 *
 * Every `recordEvery` batches a history row {step, samples, epoch, method, loss, accuracy, angle}
 * is kept (means over the window); with `alignEvery` = k > 0, every k-th batch also computes the
 * true (backprop) gradient on the same batch and records the angle between the method's update
 * and it, over the weights of every weighted layer but the last (whose gradient is exact in every
 * method). `alignmentTable()` gives the history as an arquero table, which the
 * `feedbackAlignment` widget draws.
 *
 * The trainer is a learner (learning/learner.ts): `fit(trainer, train, …)` drives it with schedules
 * (a rate for a call replaces the optimiser's η for that call), validation and checkpoints. Its
 * snapshot holds the model's variables and batch-norm statistics, the optimiser's slots
 * (training/optimizer-state.ts), the epoch-order seed, the positions of the encoding and evaluation
 * generators, the counters and the histories; the fixed feedback matrices (FA, sign, DFA) are
 * saved too and checked on restore, since a model's feedback cannot be replaced: restore into a
 * model built with the same seed.
 *
 * @example
 *   const trainer = createTrainer(model, { optimizer: "adam", learningRate: 5e-4, loss: "cross-entropy-per-step", rng: createRng(2) });
 *   const info = trainer.train(train, { start: 0, count: 1280 });
 *   const { accuracy } = trainer.evaluate(test);
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkRng, type Rng } from "../core/random";
import { fail, finite, integer, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import { tensor, type StoredTensor } from "../io/safetensors";
import type { Model } from "../layers/model";
import type { Learner, LearnOptions, LearnStep } from "../learning/learner";
import { batchEpochOrders } from "../learning/epoch-order";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import { modelVariableNames } from "../layers/model-weights";
import { tensorAngleDegrees } from "./alignment";
import { checkTrainingData, encodingNames, isImageDataset, makeBatch, pixelStats, sampleSize, type Encoding, type PixelScale, type PixelStats, type TrainingData } from "./batches";
import { feedbackLabels } from "./feedback-alignment";
import { lossNames, lossOptions, lossValue, readout, readoutNames, type LossName, type LossOptions, type ReadoutName } from "./losses";
import { createOptimizer, optimizerSnapshot, readOptimizerState, setOptimizerLearningRate } from "./optimizer-state";

export const optimizerNames = ["sgd", "momentum", "adam", "rmsprop"] as const;
export type OptimizerName = (typeof optimizerNames)[number];

/** Options of `createTrainer`. */
export interface TrainerOptions {
  readonly optimizer: OptimizerName;
  /** Learning rate η > 0 (finite). */
  readonly learningRate: number;
  /** Momentum coefficient of the "momentum" optimiser. */
  readonly momentum: number;
  /** "gradient", or "manhattan": each gradient element replaced by its sign (Batch Manhattan). */
  readonly update: "gradient" | "manhattan";
  /** L2 weight decay λ: λ·W is added to each weight's gradient. */
  readonly weightDecay: number;
  readonly loss: LossName;
  /** Readout for the loss (where it uses one) and for accuracy; default "count" for SNNs, "output" for ANNs. */
  readonly readout?: ReadoutName;
  readonly correctRate: number;
  readonly incorrectRate: number;
  readonly batchSize: number;
  readonly encoding: Encoding;
  /** Poisson encoding: spike probability per step = gain · x. */
  readonly gain: number;
  /**
   * Pixels to [0, 1] ("unit") or standardised ("standard") with the mean and standard deviation of
   * the training set (the data of the latest `train` call; before any, each set's own), so
   * `evaluate` scales test images like the training images.
   */
  readonly scale: PixelScale;
  readonly shuffle: boolean;
  /** A history row every this many batches. */
  readonly recordEvery: number;
  /** Angle to the backprop gradient every this many batches; 0: never. */
  readonly alignEvery: number;
  /** Name of the method in the history; default from the model's feedback and `update`. */
  readonly label?: string;
  /** Seeded generator for the sample order and the input encoding. */
  readonly rng: Rng;
}

export const trainerDefaults: Readonly<Omit<TrainerOptions, "rng">> = Object.freeze({
  optimizer: "adam", learningRate: 1e-3, momentum: 0.9, update: "gradient", weightDecay: 0, loss: "cross-entropy",
  readout: undefined, correctRate: 0.8, incorrectRate: 0.2, batchSize: 128, encoding: "constant", gain: 1, scale: "unit",
  shuffle: true, recordEvery: 50, alignEvery: 0, label: undefined,
});

/** One row of the training history (the table the feedbackAlignment widget reads). */
export interface HistoryRow {
  /** Batches trained so far. */
  readonly step: number;
  readonly samples: number;
  /** Epochs trained so far (fractional). */
  readonly epoch: number;
  readonly method: string;
  /** Mean training loss over the pending. */
  readonly loss: number;
  /** Mean training accuracy (fraction) over the window; NaN without labels. */
  readonly accuracy: number;
  /** Mean angle to the backprop gradient over the window, degrees; undefined if none measured. */
  readonly angle?: number;
}

/** One per-layer angle measurement. */
export interface LayerAngleRow {
  readonly step: number;
  readonly method: string;
  /** Index of the weighted layer in the model. */
  readonly layer: number;
  readonly angle: number;
}

/** What one `train` call did. */
export interface TrainChunk {
  readonly samples: number;
  readonly batches: number;
  /** Mean loss and accuracy over the chunk's batches. */
  readonly loss: number;
  readonly accuracy: number;
  /** Training throughput of the chunk. */
  readonly samplesPerSecond: number;
  /** Epochs done after the chunk (fractional). */
  readonly epoch: number;
}

/** What `evaluate` returns. */
export interface Evaluation {
  readonly count: number;
  /** Fraction correct; NaN without labels. */
  readonly accuracy: number;
  readonly loss: number;
  /** Predicted class of each sample (argmax of the readout). */
  readonly predictions: Int32Array;
  readonly labels?: Int32Array;
  readonly samplesPerSecond: number;
}

/** A trainer of a `createModel` network; a `Learner` (file header). */
export interface Trainer extends Learner<TrainingData, Evaluation> {
  /** "trainer": the learner's name in snapshots. */
  readonly name: "trainer";
  readonly model: Model;
  readonly options: Readonly<TrainerOptions>;
  /** Name of the method in the history. */
  readonly label: string;
  /** Batches and samples trained so far. */
  readonly steps: number;
  readonly samples: number;
  /** Samples trained so far (= `samples`): with `learn`, the position where the next call continues. */
  readonly samplesSeen: number;
  /** The optimiser's η when `learn` is given none (`options.learningRate`). */
  readonly learningRate: number;
  readonly batchSize: number;
  readonly history: readonly HistoryRow[];
  readonly layerAngles: readonly LayerAngleRow[];
  /** Trains on samples [start, start + count) of the epoch sequence (file header); η = `range.learningRate` for this call if given. */
  train(data: TrainingData, range: { start: number; count: number; learningRate?: number }): TrainChunk;
  /** Trains on the next `count` samples from `samplesSeen` on (the Learner contract). */
  learn(data: TrainingData, options: LearnOptions): LearnStep;
  /** The whole state (file header; learning/snapshot.ts). */
  snapshot(): LearnerSnapshot;
  /** Puts the trainer and its model in the state of a snapshot of a trainer with the same options and model. */
  restore(snapshot: LearnerSnapshot): void;
  /** Accuracy and loss on samples [start, start + count) in order (no learning, no shuffling). */
  evaluate(data: TrainingData, range?: { start?: number; count?: number; batchSize?: number }): Evaluation;
  /** The history as an arquero table. */
  alignmentTable(): unknown;
  /** Frees the optimiser's state (the model stays). */
  dispose(): void;
}

const labelCheck = new WeakMap<object, number>();

function maxLabel(data: TrainingData): number {
  let m = labelCheck.get(data);
  if (m === undefined) {
    m = -1;
    const labels = data.labels;
    if (labels) for (let i = 0; i < labels.length; i++) if (labels[i]! > m) m = labels[i]!;
    labelCheck.set(data, m);
  }
  return m;
}

/**
 * A trainer for `model` (file header).
 *
 * @example
 *   const trainer = createTrainer(model, { optimizer: "sgd", learningRate: 0.1, rng: createRng(1) });
 */
export function createTrainer(model: Model, options: Partial<TrainerOptions> & { rng: Rng }): Trainer {
  const fn = "createTrainer";
  if (!model || typeof model.forward !== "function") fail(fn, "model", "be a model from createModel()", model);
  const o = mergeOptions(fn, { ...trainerDefaults, rng: undefined as unknown as Rng }, options);
  const rng = checkRng(fn, "rng", o.rng);
  oneOf(fn, "optimizer", o.optimizer, optimizerNames);
  finite(fn, "learningRate", o.learningRate);
  positive(fn, "learningRate", o.learningRate);
  finite(fn, "momentum", o.momentum);
  nonNegative(fn, "momentum", o.momentum);
  oneOf(fn, "update", o.update, ["gradient", "manhattan"] as const);
  nonNegative(fn, "weightDecay", o.weightDecay);
  oneOf(fn, "loss", o.loss, lossNames);
  const readoutKind = o.readout ?? (model.spiking ? "count" : "output");
  oneOf(fn, "readout", readoutKind, readoutNames);
  const lossOpts: LossOptions = lossOptions(fn, { loss: o.loss, readout: readoutKind, correctRate: o.correctRate, incorrectRate: o.incorrectRate });
  integer(fn, "batchSize", o.batchSize, 1);
  oneOf(fn, "encoding", o.encoding, encodingNames);
  positive(fn, "gain", o.gain);
  oneOf(fn, "scale", o.scale, ["unit", "standard"] as const);
  integer(fn, "recordEvery", o.recordEvery, 1);
  integer(fn, "alignEvery", o.alignEvery, 0);
  if (o.encoding !== "constant" && !model.spiking) fail(fn, "encoding", "be \"constant\" for a model without leaky layers", o.encoding);
  if (o.loss === "cross-entropy-per-step" && !model.layers[model.layers.length - 1]!.leaky) {
    fail(fn, "loss", "be cross-entropy-per-step only for a model whose last layer is leaky", o.loss);
  }
  const label = o.label ?? `${feedbackLabels[model.feedback]}${o.update === "manhattan" ? " + Batch Manhattan" : ""}`;
  const classes = model.outputShape.reduce((a, b) => a * b, 1);

  const optimizer = createOptimizer(o.optimizer, o.learningRate, o.momentum);
  let orderSeed = rng.nextUint32();
  const encodeRng = rng.fork();
  const evalRng = rng.fork();
  const epochOrders = batchEpochOrders(() => orderSeed, o.shuffle);   // the seeded order of each epoch (learning/epoch-order.ts)
  const orderOf = epochOrders.at;

  let steps = 0;
  let samples = 0;
  const history: HistoryRow[] = [];
  const layerAngles: LayerAngleRow[] = [];
  let pending = { loss: 0, accuracy: 0, batches: 0, angle: 0, angles: 0 };
  const hidden = model.weights.length > 1 ? model.weights.slice(0, -1) : model.weights;
  const weightedLayers = model.layers.filter((l) => l.W !== undefined);
  const bnLayers = model.layers.filter((l) => l.runningMean !== undefined);

  const checkData = (f: string, data: TrainingData) => {
    checkTrainingData(f, data);
    const n = sampleSize(data);
    const want = model.inputShape.reduce((a, b) => a * b, 1);
    if (n !== want) fail(f, "data", `have samples of ${want} values (the model's input [${model.inputShape.join(", ")}])`, `${n} values per sample`);
    const m = maxLabel(data);
    if (m >= classes) fail(f, "data", `have labels below the model's ${classes} outputs`, `label ${m}`);
    if (o.loss === "mse" && !isImageDataset(data) && data.targets && data.targetSize !== classes) {
      fail(f, "data", `have targets of size ${classes}`, data.targetSize);
    }
  };

  // Membrane losses and readouts differentiate the last layer's membrane, the others its spikes.
  const gradient = o.loss === "cross-entropy-per-step" || (o.loss !== "mse-count" && readoutKind.startsWith("membrane")) ? "membrane" : "spikes";
  // Scale "standard": the training set's pixel statistics, shared by every later evaluation.
  let trainStats: PixelStats | undefined;
  const batchOptions = (r: Rng) => ({ shape: model.inputShape, encoding: o.encoding, steps: model.steps, gain: o.gain, scale: o.scale, stats: trainStats, rng: r });

  /** Loss and gradients of one batch under `feedback`; the readout is kept for accuracy. */
  const gradientsOf = (x: tf.Tensor, size: number, targets: Int32Array | tf.Tensor2D, feedback: Model["feedback"], updateStats: boolean) => {
    let kept: tf.Tensor2D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward(x, size, { training: true, updateStats, feedback, gradient });
      const loss = lossValue(out, targets, lossOpts);
      kept = tf.keep(readout(out, readoutKind));
      return loss;
    }, model.variables as tf.Variable[]);
    return { value, grads, readout: kept! };
  };

  const trainBatch = (data: TrainingData, indices: Int32Array) => {
    const batch = makeBatch(data, indices, batchOptions(encodeRng));
    const size = indices.length;
    const targets = batch.targets ?? batch.labels!;
    let loss = Number.NaN;
    let correct = Number.NaN;
    const measureAngle = o.alignEvery > 0 && (steps + 1) % o.alignEvery === 0;
    tf.tidy(() => {
      // Batch-norm running statistics before this batch, restored if its loss is not finite.
      const stats = bnLayers.map((l) => [tf.clone(l.runningMean!), tf.clone(l.runningVar!)] as const);
      const { value, grads, readout: r } = gradientsOf(batch.x, size, targets, model.feedback, true);
      loss = value.dataSync()[0]!;
      if (!Number.isFinite(loss)) {
        bnLayers.forEach((l, i) => {
          l.runningMean!.assign(stats[i]![0]);
          l.runningVar!.assign(stats[i]![1]);
        });
        r.dispose();
        batch.x.dispose();
        batch.targets?.dispose();
        fail("trainer.train", "loss", `stay finite (it became ${loss} at batch ${steps + 1}; lower the learning rate); the model keeps its weights and statistics from before this batch`, loss);
      }
      if (batch.labels) {
        const pred = tf.argMax(r, 1).dataSync();
        correct = 0;
        for (let i = 0; i < size; i++) if (pred[i] === batch.labels[i]) correct++;
      }
      r.dispose();
      for (const v of model.variables) {
        let g = grads[v.name]!;
        if (o.weightDecay > 0 && model.weights.includes(v)) g = tf.add(g, tf.mul(v, o.weightDecay));
        if (o.update === "manhattan") g = tf.sign(g);
        grads[v.name] = g;
      }
      if (measureAngle) {
        const truth = gradientsOf(batch.x, size, targets, "transpose", false);
        truth.readout.dispose();
        const angle = tensorAngleDegrees(hidden.map((w) => grads[w.name]!), hidden.map((w) => truth.grads[w.name]!));
        pending.angle += angle;
        pending.angles++;
        for (const l of weightedLayers) {
          layerAngles.push({ step: steps + 1, method: label, layer: l.index, angle: tensorAngleDegrees([grads[l.W!.name]!], [truth.grads[l.W!.name]!]) });
        }
      }
      optimizer.applyGradients(grads);
    });
    batch.x.dispose();
    batch.targets?.dispose();
    steps++;
    samples += size;
    return { loss, correct };
  };

  // Snapshot names of the model's state: trainable variables (the optimiser's slot order), then
  // batch-norm statistics; fixed feedback is saved and checked, never replaced.
  const variableNames = modelVariableNames(model);
  const statistics = bnLayers.flatMap((l) => [[l.runningMean!, `layers.${l.index}.runningMean`], [l.runningVar!, `layers.${l.index}.runningVar`]] as [tf.Variable, string][]);
  const fixed = model.layers.flatMap((l) => [
    ...(l.fixedFeedback ? [[l.fixedFeedback, `feedback.layers.${l.index}`]] : []),
    ...(l.directFeedback ? [[l.directFeedback, `directFeedback.layers.${l.index}`]] : []),
  ] as [tf.Tensor, string][]);
  const config = {
    ...o, rng: undefined, readout: readoutKind, label,
    model: { input: model.inputShape, steps: model.steps, feedback: model.feedback, layers: model.layers.map((l) => l.spec) },
  };
  const copy = (t: tf.Tensor, name: string, into: Record<string, StoredTensor>) => (into[name] = tensor((t.dataSync() as Float32Array).slice(), t.shape));

  const trainer: Trainer = {
    name: "trainer",
    model,
    options: Object.freeze({ ...o, readout: readoutKind, label }),
    label,
    get steps() {
      return steps;
    },
    get samples() {
      return samples;
    },
    get samplesSeen() {
      return samples;
    },
    learningRate: o.learningRate,
    batchSize: o.batchSize,
    history,
    layerAngles,
    train(data, range) {
      const f = "trainer.train";
      checkData(f, data);
      const start = integer(f, "start", range?.start, 0);
      const count = integer(f, "count", range?.count, 0);
      const N = data.count;
      if (N === 0) fail(f, "data", "have at least one sample", N);
      if (o.scale === "standard" && isImageDataset(data)) trainStats = pixelStats(data);
      const rate = range.learningRate === undefined ? undefined : positive(f, "learningRate", range.learningRate);
      const t0 = performance.now();
      let lossSum = 0;
      let correctSum = 0;
      let batches = 0;
      let done = 0;
      let pos = start;
      const end = start + count;
      if (rate !== undefined) setOptimizerLearningRate(optimizer, rate);
      try {
        while (pos < end) {
          const epoch = Math.floor(pos / N);
          const inEpoch = pos - epoch * N;
          // Batches are aligned to multiples of batchSize within each epoch.
          const batchEnd = Math.min(end, epoch * N + Math.min(N, (Math.floor(inEpoch / o.batchSize) + 1) * o.batchSize));
          const order = orderOf(epoch, N);
          const indices = order.slice(inEpoch, inEpoch + (batchEnd - pos));
          const { loss, correct } = trainBatch(data, indices);
          lossSum += loss;
          correctSum += correct / indices.length;
          batches++;
          done += indices.length;
          pos = batchEnd;
          pending.loss += loss;
          pending.accuracy += correct / indices.length;
          pending.batches++;
          if (steps % o.recordEvery === 0) {
            history.push({
              step: steps, samples, epoch: pos / N, method: label,
              loss: pending.loss / pending.batches, accuracy: pending.accuracy / pending.batches,
              ...(pending.angles > 0 ? { angle: pending.angle / pending.angles } : {}),
            });
            pending = { loss: 0, accuracy: 0, batches: 0, angle: 0, angles: 0 };
          }
        }
      } finally {
        if (rate !== undefined) setOptimizerLearningRate(optimizer, o.learningRate);
      }
      const seconds = (performance.now() - t0) / 1000;
      return {
        samples: done, batches, loss: lossSum / Math.max(1, batches), accuracy: correctSum / Math.max(1, batches),
        samplesPerSecond: seconds > 0 ? done / seconds : Number.NaN, epoch: end / N,
      };
    },
    evaluate(data, range = {}) {
      const f = "trainer.evaluate";
      checkData(f, data);
      if (range === null || typeof range !== "object") fail(f, "range", "be an object {start?, count?, batchSize?}", range);
      const start = integer(f, "start", range.start ?? 0, 0);
      const count = integer(f, "count", range.count ?? data.count - start, 0);
      if (start + count > data.count) fail(f, "count", `stay within the data (start + count ≤ ${data.count})`, count);
      const bs = integer(f, "batchSize", range.batchSize ?? Math.max(o.batchSize, 256), 1);
      logEvaluation(f, model, data, { start, count, trained: samples });
      const t0 = performance.now();
      const predictions = new Int32Array(count);
      const labels = data.labels ? new Int32Array(count) : undefined;
      let lossSum = 0;
      let correct = 0;
      for (let s = 0; s < count; s += bs) {
        const n = Math.min(bs, count - s);
        const indices = new Int32Array(n);
        for (let i = 0; i < n; i++) indices[i] = start + s + i;
        const batch = makeBatch(data, indices, batchOptions(evalRng));
        tf.tidy(() => {
          const out = model.forward(batch.x, n, { training: false });
          lossSum += lossValue(out, batch.targets ?? batch.labels!, lossOpts).dataSync()[0]! * n;
          const pred = tf.argMax(readout(out, readoutKind), 1).dataSync();
          for (let i = 0; i < n; i++) {
            predictions[s + i] = pred[i]!;
            if (labels && batch.labels) {
              labels[s + i] = batch.labels[i]!;
              if (pred[i] === batch.labels[i]) correct++;
            }
          }
        });
        batch.x.dispose();
        batch.targets?.dispose();
      }
      const seconds = (performance.now() - t0) / 1000;
      return { count, accuracy: labels ? correct / Math.max(1, count) : Number.NaN, loss: lossSum / Math.max(1, count), predictions, labels, samplesPerSecond: count / seconds };
    },
    learn(data, options) {
      const f = "trainer.learn";
      if (options === null || typeof options !== "object") fail(f, "options", "be an object {count, learningRate?}", options);
      const r = trainer.train(data, { start: samples, count: integer(f, "count", options.count, 0), learningRate: options.learningRate });
      return { samples: r.samples, loss: r.loss, accuracy: r.accuracy };
    },
    snapshot() {
      const tensors: Record<string, StoredTensor> = {};
      model.variables.forEach((v, i) => copy(v, variableNames[i]!, tensors));
      for (const [t, name] of [...statistics, ...fixed]) copy(t, name, tensors);
      const opt = optimizerSnapshot(o.optimizer, optimizer, model.variables, variableNames);
      const state = {
        orderSeed, encoding: encodeRng.state(), evaluation: evalRng.state(), steps, pending: [pending], history, layerAngles,
        ...(trainStats ? { trainStats: [trainStats] } : {}), optimizer: opt.json,
      };
      return makeSnapshot("trainer", samples, config, state, { ...tensors, ...opt.tensors });
    },
    restore(snapshot) {
      const f = "trainer.restore";
      const r = readSnapshot(f, snapshot, "trainer", config);
      const values = model.variables.map((v, i) => r.tensor(variableNames[i]!, "F32", v.shape) as Float32Array);
      const stats = statistics.map(([v, name]) => r.tensor(name, "F32", v.shape) as Float32Array);
      for (const [t, name] of fixed) {
        const saved = r.tensor(name, "F32", t.shape);
        const own = t.dataSync();
        if (saved.some((x, k) => !Object.is(x, own[k]))) fail(f, `snapshot.tensors["${name}"]`, "equal this model's fixed feedback (build the model with the seed of the saved one)", "other values");
      }
      const applyOptimizer = readOptimizerState(f, r, o.optimizer, optimizer, model.variables, variableNames);
      const seed = r.integer("orderSeed", 0, 0xffffffff);
      const encoding = r.rng("encoding");
      const evaluation = r.rng("evaluation");
      const restoredSteps = r.integer("steps", 0, Number.MAX_SAFE_INTEGER);
      const [p, ...extra] = r.rows("pending", ["loss", "accuracy", "batches", "angle", "angles"]);
      if (!p || extra.length > 0) fail(f, "snapshot.state.pending", "be one row {loss, accuracy, batches, angle, angles}", r.state.pending);
      const rows = r.rows("history", ["step", "samples", "epoch", "loss", "accuracy", "angle"], ["method"], ["angle"]) as unknown as HistoryRow[];
      const angles = r.rows("layerAngles", ["step", "layer", "angle"], ["method"]) as unknown as LayerAngleRow[];
      const statsRows = r.state.trainStats === undefined ? [] : r.rows("trainStats", ["mean", "sd"]);
      r.done();
      tf.tidy(() => {
        model.variables.forEach((v, i) => v.assign(tf.tensor(values[i]!, v.shape, "float32")));
        statistics.forEach(([v], i) => v.assign(tf.tensor(stats[i]!, v.shape, "float32")));
      });
      applyOptimizer();
      orderSeed = seed;
      epochOrders.reset();
      encodeRng.restore(encoding);
      evalRng.restore(evaluation);
      steps = restoredSteps;
      samples = r.samplesSeen;
      pending = p as typeof pending;
      history.splice(0, history.length, ...rows);
      layerAngles.splice(0, layerAngles.length, ...angles);
      trainStats = statsRows[0] as unknown as PixelStats | undefined;
    },
    alignmentTable() {
      const aq = require("arquero") as { from(rows: readonly object[]): unknown };
      return aq.from(history.map((r) => ({ ...r, angle: r.angle ?? Number.NaN })));
    },
    dispose() {
      optimizer.dispose();
    },
  };
  return trainer;
}
