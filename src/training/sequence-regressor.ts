/**
 * `sequenceRegressor`: one recurrent layer (rnn, lstm or gru: layers/recurrent.ts) and a linear
 * readout of its last hidden state, trained by backprop through time on the mean squared error —
 * a `Learner` (learning/learner.ts) that `fit` drives.
 *
 *   h_t = cell(x_t, h_{t−1})   t = 0 … T−1        y = h_{T−1}·V + v        L = mean over the batch and outputs of (y − target)²
 *
 * Per batch: forward over all T steps → loss → gradients (tf.variableGrads through the fused
 * recurrent op) → optional clipping of the global gradient norm to `clipNorm` (Pascanu, Mikolov &
 * Bengio 2013: g ← g·clipNorm/‖g‖ when ‖g‖ > clipNorm) → tf.train optimiser step.
 *
 * The harness records, every `recordEvery` batches, a history row {step, samples, loss,
 * gradientNorm (before clipping), clipped (fraction of clipped batches)}, and every
 * `gradientsEvery` batches (0: never) the per-step gradient norms of that batch, as rows
 * {step, lag, hidden, cell}: lag = T−1−t steps back from the readout, hidden = ‖∂L/∂h_t‖ and, for
 * the LSTM, cell = ‖∂L/∂c_t‖ (Frobenius norms over the batch) — the picture of Bengio, Simard &
 * Frasconi 1994: an RNN's error signal shrinks (or grows) geometrically with the lag, the LSTM's
 * carousel keeps it. `gradientNorms(data, range)` measures the same without learning.
 *
 * `evaluate` returns the MSE (`loss`) and, as `accuracy`, the fraction of sequences whose absolute
 * error is below `tolerance` (default 0.04, Hochreiter & Schmidhuber's criterion).
 *
 * Snapshot: tensors `W`, `U`, `b` (the recurrent layer), `V`, `v` (the readout), the optimiser's
 * state (training/optimizer-state.ts); config: every option but rng; state {orderSeed, steps,
 * pending, history, gradients, optimizer}.
 *
 * @example
 *   const net = sequenceRegressor({ cell: "lstm", inputSize: 2, hidden: 16, learningRate: 0.01, rng: createRng(1) });
 *   await fit(net, addingProblem({ count: 10000, steps: 100, rng: createRng(2) }), { epochs: 2 });
 *   net.evaluate(test, { start: 0, count: test.count }).loss;   // MSE
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkRng, type Rng } from "../core/random";
import { fail, finite, integer, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import { checkSequenceDataset, type RegressionSequences } from "../datasets/regression-sequences";
import { tensor, type StoredTensor } from "../io/safetensors";
import { recurrentCells, recurrentGates, recurrentScan, recurrentWeights, type RecurrentCell, type RecurrentGradientNorms } from "../layers/recurrent";
import type { Learner, LearnOptions, LearnStep } from "../learning/learner";
import { batchEpochOrders } from "../learning/epoch-order";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import { createOptimizer, optimizerSnapshot, readOptimizerState, setOptimizerLearningRate } from "./optimizer-state";

/** Options of `sequenceRegressor`. */
export interface SequenceRegressorOptions {
  readonly cell: RecurrentCell;
  /** Features per step I. */
  readonly inputSize: number;
  /** Hidden units H. */
  readonly hidden: number;
  /** Outputs (target size); default 1. */
  readonly outputSize: number;
  readonly optimizer: "sgd" | "momentum" | "adam" | "rmsprop";
  readonly learningRate: number;
  readonly momentum: number;
  readonly batchSize: number;
  /** Global gradient-norm clipping threshold; 0: no clipping. */
  readonly clipNorm: number;
  /** Recurrent weight scale (spectral radius of U about this; layers/recurrent.ts). */
  readonly recurrentScale: number;
  /** LSTM forget-gate bias at initialisation. */
  readonly forgetBias: number;
  /** A history row every this many batches. */
  readonly recordEvery: number;
  /** Per-step gradient norms every this many batches; 0: never. */
  readonly gradientsEvery: number;
  /** Absolute error below which a sequence counts as solved (`accuracy`). */
  readonly tolerance: number;
  /** Seeded generator for the weights and the sample order. */
  readonly rng: Rng;
}

export const sequenceRegressorDefaults: Readonly<Omit<SequenceRegressorOptions, "cell" | "inputSize" | "hidden" | "rng">> = Object.freeze({
  outputSize: 1, optimizer: "adam", learningRate: 1e-3, momentum: 0.9, batchSize: 32, clipNorm: 0, recurrentScale: 1, forgetBias: 1,
  recordEvery: 10, gradientsEvery: 0, tolerance: 0.04,
});

/** One row of the training history. */
export interface SequenceHistoryRow {
  readonly step: number;
  readonly samples: number;
  /** Mean training MSE over the window. */
  readonly loss: number;
  /** Mean global gradient norm (before clipping) over the window. */
  readonly gradientNorm: number;
  /** Fraction of the window's batches whose gradient was clipped. */
  readonly clipped: number;
}

/** One per-step gradient-norm measurement (file header). */
export interface GradientLagRow {
  readonly step: number;
  /** Steps back from the readout: T−1−t. */
  readonly lag: number;
  /** ‖∂L/∂h_t‖ */
  readonly hidden: number;
  /** ‖∂L/∂c_t‖ (LSTM; NaN otherwise). */
  readonly cell: number;
}

/** What `evaluate` returns. */
export interface SequenceEvaluation {
  readonly count: number;
  /** Fraction of sequences with absolute error below `tolerance` (every output). */
  readonly accuracy: number;
  /** Mean squared error. */
  readonly loss: number;
  /** Predictions [count, outputSize]. */
  readonly predictions: Float32Array;
}

/** A recurrent regressor; a `Learner` (file header). */
export interface SequenceRegressor extends Learner<RegressionSequences, SequenceEvaluation> {
  readonly name: "sequenceRegressor";
  readonly options: Readonly<Omit<SequenceRegressorOptions, "rng">>;
  readonly samplesSeen: number;
  readonly learningRate: number;
  readonly batchSize: number;
  /** Batches trained so far. */
  readonly steps: number;
  readonly history: readonly SequenceHistoryRow[];
  readonly gradients: readonly GradientLagRow[];
  learn(data: RegressionSequences, options: LearnOptions): LearnStep;
  evaluate(data: RegressionSequences, range: { readonly start: number; readonly count: number }): SequenceEvaluation;
  /** Per-step gradient norms of the loss on samples [start, start + count), without learning (rows with step = steps so far). */
  gradientNorms(data: RegressionSequences, range: { readonly start: number; readonly count: number }): GradientLagRow[];
  /** Hidden (and LSTM cell) states of one sequence over time: [T, H] arrays, row-major. */
  states(data: RegressionSequences, index: number): { h: Float32Array; c?: Float32Array; steps: number; hidden: number };
  snapshot(): LearnerSnapshot;
  restore(snapshot: LearnerSnapshot): void;
  dispose(): void;
}

const optionKeys = ["cell", "inputSize", "hidden", "rng", ...Object.keys(sequenceRegressorDefaults)];

/**
 * A recurrent regressor (file header).
 *
 * @example
 *   const rnn = sequenceRegressor({ cell: "rnn", inputSize: 2, hidden: 32, clipNorm: 1, rng: createRng(4) });
 */
export function sequenceRegressor(options: Partial<SequenceRegressorOptions> & Pick<SequenceRegressorOptions, "cell" | "inputSize" | "hidden" | "rng">): SequenceRegressor {
  const fn = "sequenceRegressor";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {cell, inputSize, hidden, rng, …}", options);
  for (const key of Object.keys(options)) if (!optionKeys.includes(key)) fail(fn, "options", `have only the keys ${optionKeys.join(", ")}`, key);
  const o = mergeOptions(fn, { ...sequenceRegressorDefaults, cell: undefined as unknown as RecurrentCell, inputSize: 0, hidden: 0, rng: undefined as unknown as Rng }, options);
  oneOf(fn, "cell", o.cell, recurrentCells);
  integer(fn, "inputSize", o.inputSize, 1);
  integer(fn, "hidden", o.hidden, 1);
  integer(fn, "outputSize", o.outputSize, 1);
  oneOf(fn, "optimizer", o.optimizer, ["sgd", "momentum", "adam", "rmsprop"] as const);
  positive(fn, "learningRate", finite(fn, "learningRate", o.learningRate));
  nonNegative(fn, "momentum", finite(fn, "momentum", o.momentum));
  integer(fn, "batchSize", o.batchSize, 1);
  nonNegative(fn, "clipNorm", finite(fn, "clipNorm", o.clipNorm));
  nonNegative(fn, "recurrentScale", finite(fn, "recurrentScale", o.recurrentScale));
  finite(fn, "forgetBias", o.forgetBias);
  integer(fn, "recordEvery", o.recordEvery, 1);
  integer(fn, "gradientsEvery", o.gradientsEvery, 0);
  positive(fn, "tolerance", finite(fn, "tolerance", o.tolerance));
  const rng = checkRng(fn, "rng", o.rng);
  const { cell, inputSize: I, hidden: H, outputSize: O } = o;
  const GH = recurrentGates[cell] * H;

  const w = recurrentWeights(cell, I, H, { rng, recurrentScale: o.recurrentScale, forgetBias: o.forgetBias });
  const s = 1 / Math.sqrt(H);
  const V0 = new Float32Array(H * O);
  for (let k = 0; k < V0.length; k++) V0[k] = rng.uniform(-s, s);
  const W = tf.variable(tf.tensor(w.W, [I, GH], "float32"));
  const U = tf.variable(tf.tensor(w.U, [H, GH], "float32"));
  const b = tf.variable(tf.tensor(w.b, [GH], "float32"));
  const V = tf.variable(tf.tensor(V0, [H, O], "float32"));
  const v = tf.variable(tf.zeros([O]));
  const variables = [W, U, b, V, v];
  const names = ["W", "U", "b", "V", "v"];
  const optimizer = createOptimizer(o.optimizer, o.learningRate, o.momentum);
  let orderSeed = rng.nextUint32();
  const epochOrders = batchEpochOrders(() => orderSeed);   // the seeded order of each epoch (learning/epoch-order.ts)
  const orderOf = epochOrders.at;
  let steps = 0;
  let samples = 0;
  const history: SequenceHistoryRow[] = [];
  const gradients: GradientLagRow[] = [];
  let pending = { loss: 0, norm: 0, clipped: 0, batches: 0 };

  const checkData = (f: string, data: RegressionSequences) => {
    checkSequenceDataset(f, "data", data);
    if (data.features !== I) fail(f, "data", `have ${I} features per step (the layer's inputSize)`, `${data.features} features`);
    if (data.targetSize !== O) fail(f, "data", `have targets of size ${O} (outputSize)`, `size ${data.targetSize}`);
    return data;
  };

  /** The batch as time-major x [T·B, I] and targets [B, O]. */
  const batchOf = (data: RegressionSequences, indices: ArrayLike<number>) => {
    const B = indices.length;
    const T = data.steps;
    const x = new Float32Array(T * B * I);
    const y = new Float32Array(B * O);
    for (let r = 0; r < B; r++) {
      const s0 = indices[r]!;
      for (let t = 0; t < T; t++) {
        const src = (s0 * T + t) * I;
        const dst = (t * B + r) * I;
        for (let f = 0; f < I; f++) x[dst + f] = data.inputs[src + f]!;
      }
      for (let k = 0; k < O; k++) y[r * O + k] = data.targets[s0 * O + k]!;
    }
    return { x: tf.tensor(x, [T * B, I], "float32"), y: tf.tensor(y, [B, O], "float32"), B, T };
  };

  const predict = (x: tf.Tensor, B: number, T: number, onGradients?: (n: RecurrentGradientNorms) => void) => {
    const { h } = recurrentScan(cell, x, { W, U, b }, B, onGradients ? { onGradients } : {});
    const last = tf.slice(h, [(T - 1) * B, 0], [B, H]);
    return tf.add(tf.matMul(last, V), v);
  };

  /** Loss and gradients of one batch; the per-step norms are kept if asked. */
  const lossAndGrads = (data: RegressionSequences, indices: ArrayLike<number>, record: boolean) => {
    const { x, y, B, T } = batchOf(data, indices);
    let norms: RecurrentGradientNorms | undefined;
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(predict(x, B, T, record ? (n) => (norms = n) : undefined), y))) as tf.Scalar, variables);
    x.dispose();
    y.dispose();
    return { value, grads, norms, T };
  };

  const lagRows = (norms: RecurrentGradientNorms, T: number, step: number): GradientLagRow[] => {
    const rows: GradientLagRow[] = [];
    for (let t = T - 1; t >= 0; t--) rows.push({ step, lag: T - 1 - t, hidden: norms.hidden[t]!, cell: norms.cell ? norms.cell[t]! : Number.NaN });
    return rows;
  };

  const trainBatch = (data: RegressionSequences, indices: Int32Array) => {
    const record = o.gradientsEvery > 0 && (steps + 1) % o.gradientsEvery === 0;
    const { value, grads, norms, T } = lossAndGrads(data, indices, record);
    const loss = value.dataSync()[0]!;
    value.dispose();
    const list = variables.map((x) => grads[x.name]!);
    const total = Math.sqrt(tf.tidy(() => tf.addN(list.map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
    if (!Number.isFinite(loss) || !Number.isFinite(total)) {
      list.forEach((g) => g.dispose());
      fail("sequenceRegressor.learn", "loss", `stay finite (it became ${loss}, gradient norm ${total}, at batch ${steps + 1}; lower the learning rate or clip the gradient); the weights are those from before this batch`, loss);
    }
    const clip = o.clipNorm > 0 && total > o.clipNorm;
    tf.tidy(() => {
      const scaled: Record<string, tf.Tensor> = {};
      variables.forEach((x, i) => (scaled[x.name] = clip ? tf.mul(list[i]!, o.clipNorm / total) : list[i]!));
      optimizer.applyGradients(scaled);
    });
    list.forEach((g) => g.dispose());
    steps++;
    samples += indices.length;
    if (norms) gradients.push(...lagRows(norms, T, steps));
    pending.loss += loss;
    pending.norm += total;
    pending.clipped += clip ? 1 : 0;
    pending.batches++;
    if (steps % o.recordEvery === 0) {
      history.push({ step: steps, samples, loss: pending.loss / pending.batches, gradientNorm: pending.norm / pending.batches, clipped: pending.clipped / pending.batches });
      pending = { loss: 0, norm: 0, clipped: 0, batches: 0 };
    }
    return loss;
  };

  const config = { ...o, rng: undefined, kind: "sequenceRegressor" };
  const net: SequenceRegressor = {
    name: "sequenceRegressor",
    options: Object.freeze({ ...o, rng: undefined }) as Readonly<Omit<SequenceRegressorOptions, "rng">>,
    get samplesSeen() {
      return samples;
    },
    learningRate: o.learningRate,
    batchSize: o.batchSize,
    get steps() {
      return steps;
    },
    history,
    gradients,
    learn(data, options) {
      const f = "sequenceRegressor.learn";
      checkData(f, data);
      if (options === null || typeof options !== "object") fail(f, "options", "be an object {count, learningRate?}", options);
      const count = integer(f, "count", options.count, 0);
      const rate = options.learningRate === undefined ? undefined : positive(f, "learningRate", finite(f, "learningRate", options.learningRate));
      const N = data.count;
      if (N === 0) fail(f, "data", "have at least one sequence", N);
      let pos = samples;
      const end = samples + count;
      let lossSum = 0;
      let batches = 0;
      if (rate !== undefined) setOptimizerLearningRate(optimizer, rate);
      try {
        while (pos < end) {
          const epoch = Math.floor(pos / N);
          const inEpoch = pos - epoch * N;
          const batchEnd = Math.min(end, epoch * N + Math.min(N, (Math.floor(inEpoch / o.batchSize) + 1) * o.batchSize));
          const indices = orderOf(epoch, N).slice(inEpoch, inEpoch + (batchEnd - pos));
          lossSum += trainBatch(data, indices);
          batches++;
          pos = batchEnd;
        }
      } finally {
        if (rate !== undefined) setOptimizerLearningRate(optimizer, o.learningRate);
      }
      return { samples: count, loss: batches > 0 ? lossSum / batches : Number.NaN };
    },
    evaluate(data, range) {
      const f = "sequenceRegressor.evaluate";
      checkData(f, data);
      if (range === null || typeof range !== "object") fail(f, "range", "be an object {start, count}", range);
      const start = integer(f, "start", range.start ?? 0, 0);
      const count = integer(f, "count", range.count ?? data.count - start, 0);
      if (start + count > data.count) fail(f, "count", `stay within the data (start + count ≤ ${data.count})`, count);
      logEvaluation(f, net, data, { start, count, trained: samples });
      const predictions = new Float32Array(count * O);
      let se = 0;
      let solved = 0;
      const bs = Math.max(o.batchSize, 256);
      for (let s0 = 0; s0 < count; s0 += bs) {
        const n = Math.min(bs, count - s0);
        const idx = Array.from({ length: n }, (_, i) => start + s0 + i);
        const { x, y, B, T } = batchOf(data, idx);
        const p = tf.tidy(() => predict(x, B, T)).dataSync() as Float32Array;
        x.dispose();
        y.dispose();
        for (let r = 0; r < n; r++) {
          let ok = true;
          for (let k = 0; k < O; k++) {
            const e = p[r * O + k]! - data.targets[(start + s0 + r) * O + k]!;
            se += e * e;
            if (!(Math.abs(e) < o.tolerance)) ok = false;
            predictions[(s0 + r) * O + k] = p[r * O + k]!;
          }
          if (ok) solved++;
        }
      }
      return { count, accuracy: count > 0 ? solved / count : Number.NaN, loss: count > 0 ? se / (count * O) : Number.NaN, predictions };
    },
    gradientNorms(data, range) {
      const f = "sequenceRegressor.gradientNorms";
      checkData(f, data);
      if (range === null || typeof range !== "object") fail(f, "range", "be an object {start, count}", range);
      const start = integer(f, "start", range.start, 0);
      const count = integer(f, "count", range.count, 1);
      if (start + count > data.count) fail(f, "count", `stay within the data (start + count ≤ ${data.count})`, count);
      const idx = Array.from({ length: count }, (_, i) => start + i);
      const { value, grads, norms, T } = lossAndGrads(data, idx, true);
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
      return lagRows(norms!, T, steps);
    },
    states(data, index) {
      const f = "sequenceRegressor.states";
      checkData(f, data);
      integer(f, "index", index, 0);
      if (index >= data.count) fail(f, "index", `be below the data's ${data.count} sequences`, index);
      const { x, y, T } = batchOf(data, [index]);
      const out = tf.tidy(() => {
        const r = recurrentScan(cell, x, { W, U, b }, 1);
        return { h: r.h.dataSync() as Float32Array, c: r.c ? (r.c.dataSync() as Float32Array) : undefined };
      });
      x.dispose();
      y.dispose();
      return { h: out.h, ...(out.c ? { c: out.c } : {}), steps: T, hidden: H };
    },
    snapshot() {
      const tensors: Record<string, StoredTensor> = {};
      variables.forEach((x, i) => (tensors[names[i]!] = tensor((x.dataSync() as Float32Array).slice(), x.shape)));
      const opt = optimizerSnapshot(o.optimizer, optimizer, variables, names);
      return makeSnapshot("sequenceRegressor", samples, config, { orderSeed, steps, pending: [pending], history, gradients, optimizer: opt.json }, { ...tensors, ...opt.tensors });
    },
    restore(snapshot) {
      const f = "sequenceRegressor.restore";
      const r = readSnapshot(f, snapshot, "sequenceRegressor", config);
      const values = variables.map((x, i) => r.tensor(names[i]!, "F32", x.shape) as Float32Array);
      const applyOptimizer = readOptimizerState(f, r, o.optimizer, optimizer, variables, names);
      const seed = r.integer("orderSeed", 0, 0xffffffff);
      const restoredSteps = r.integer("steps", 0, Number.MAX_SAFE_INTEGER);
      const [p, ...extra] = r.rows("pending", ["loss", "norm", "clipped", "batches"]);
      if (!p || extra.length > 0) fail(f, "snapshot.state.pending", "be one row {loss, norm, clipped, batches}", r.state.pending);
      const rows = r.rows("history", ["step", "samples", "loss", "gradientNorm", "clipped"]) as unknown as SequenceHistoryRow[];
      const lags = r.rows("gradients", ["step", "lag", "hidden", "cell"]) as unknown as GradientLagRow[];
      r.done();
      tf.tidy(() => variables.forEach((x, i) => x.assign(tf.tensor(values[i]!, x.shape, "float32"))));
      applyOptimizer();
      orderSeed = seed;
      epochOrders.reset();
      steps = restoredSteps;
      samples = r.samplesSeen;
      pending = p as unknown as typeof pending;
      history.splice(0, history.length, ...rows);
      gradients.splice(0, gradients.length, ...lags);
    },
    dispose() {
      optimizer.dispose();
      variables.forEach((x) => x.dispose());
    },
  };
  return net;
}
