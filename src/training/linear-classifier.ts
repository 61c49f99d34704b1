/**
 * A linear readout for learned features: a linear SVM (one-vs-rest squared hinge, as
 * scikit-learn's LinearSVC that the STDP papers use) or multinomial logistic regression, fitted
 * with TensorFlow.js (Adam on mini-batches, seeded order) — no hand-written solver.
 *
 *   scores s = x̃·W + b,   x̃ = x, or with `standardize` (x − μ)/σ per feature (μ, σ of the training
 *   features; σ = 1 where 0)
 *   "svm":      L = mean_i Σ_c max(0, 1 − y_ic·s_ic)² + ‖W‖² / (2·C·n),  y_ic = ±1 (one vs rest)
 *   "logistic": L = mean_i −log softmax(s_i)_{label_i} + ‖W‖² / (2·C·n)
 *
 * C is LinearSVC's inverse regularisation strength (the primal Σ-loss scaled by 1/n).
 * `initBackend()` must have been awaited.
 *
 * @example
 *   await initBackend();
 *   const readout = fitLinearClassifier(trainFeatures, { kind: "svm", c: 2.4, rng: createRng(1) });
 *   readout.evaluate(validationFeatures).accuracy;    // logged as a "validation" evaluation
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkRng, type Rng } from "../core/random";
import { fail, integer, mergeOptions, oneOf, positive } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import type { DatasetSplit } from "../datasets/image-dataset";

/** Feature vectors with labels, e.g. from `stdpCnn(...).features(...)`. */
export interface LabelledFeatures {
  /** count × dim, row-major. */
  readonly values: Float32Array;
  readonly count: number;
  readonly dim: number;
  /** Class labels 0 … classes − 1. */
  readonly labels: Uint8Array;
  readonly name?: string;
  readonly split?: DatasetSplit;
}

export type LinearClassifierKind = "svm" | "logistic";
const kinds: readonly LinearClassifierKind[] = ["svm", "logistic"];

/** Options of `fitLinearClassifier`. */
export interface LinearClassifierOptions {
  readonly kind: LinearClassifierKind;
  /** Inverse regularisation strength C > 0 (LinearSVC's C; Kheradpisheh/SpykeTorch: 2.4). */
  readonly c: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Number of classes (10 for MNIST). */
  readonly classes: number;
  /** Standardise each feature by the training mean and sd (for potentials; 0/1 spike features need not). */
  readonly standardize: boolean;
}

/** Defaults of `fitLinearClassifier`. */
export const linearClassifierDefaults: Readonly<LinearClassifierOptions> = Object.freeze({
  kind: "svm", c: 2.4, epochs: 50, batchSize: 128, learningRate: 0.01, classes: 10, standardize: false,
});

/** A fitted linear readout. */
export interface LinearClassifier {
  readonly kind: LinearClassifierKind;
  /** [dim, classes], on standardised features. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly mean: Float32Array;
  readonly scale: Float32Array;
  /** Predicted class of each row. */
  predict(features: Pick<LabelledFeatures, "values" | "count" | "dim">): Uint8Array;
  /** Accuracy on `features`; appends one entry to the evaluation log with their split. */
  evaluate(features: LabelledFeatures): { readonly accuracy: number; readonly predictions: Uint8Array };
}

function checkFeatures(fn: string, param: string, f: LabelledFeatures, labels: boolean): void {
  if (f === null || typeof f !== "object") fail(fn, param, "be features {values, count, dim, labels}", f);
  integer(fn, `${param}.count`, f.count, 1);
  integer(fn, `${param}.dim`, f.dim, 1);
  if (!(f.values instanceof Float32Array) || f.values.length !== f.count * f.dim) {
    fail(fn, `${param}.values`, `be a Float32Array of count·dim = ${f.count * f.dim}`, f.values);
  }
  if (labels && (!(f.labels instanceof Uint8Array) || f.labels.length !== f.count)) {
    fail(fn, `${param}.labels`, `be a Uint8Array of count = ${f.count}`, f.labels);
  }
}

/**
 * Fits a linear SVM or logistic regression to `train` (file header); deterministic for a given
 * `rng` on one backend.
 */
export function fitLinearClassifier(train: LabelledFeatures, options: Partial<LinearClassifierOptions> & { readonly rng: Rng }): LinearClassifier {
  const fn = "fitLinearClassifier";
  checkFeatures(fn, "train", train, true);
  const { rng: rngIn, ...rest } = options ?? ({} as never);
  const rng = checkRng(fn, "rng", rngIn);
  const o = mergeOptions(fn, linearClassifierDefaults, rest);
  const kind = oneOf(fn, "kind", o.kind, kinds);
  const c = positive(fn, "c", o.c);
  const epochs = integer(fn, "epochs", o.epochs, 1);
  const batchSize = integer(fn, "batchSize", o.batchSize, 1);
  const learningRate = positive(fn, "learningRate", o.learningRate);
  const classes = integer(fn, "classes", o.classes, 2);
  const { count: n, dim } = train;
  for (let i = 0; i < n; i++) if (train.labels[i] >= classes) fail(fn, `train.labels[${i}]`, `be < classes (${classes})`, train.labels[i]);

  const mean = new Float32Array(dim);
  const scale = new Float32Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += train.values[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) scale[j] += (train.values[i * dim + j] - mean[j]) ** 2;
  for (let j = 0; j < dim; j++) scale[j] = Math.sqrt(scale[j] / n) || 1;
  if (typeof o.standardize !== "boolean") fail(fn, "standardize", "be a boolean", o.standardize);
  if (!o.standardize) {
    mean.fill(0);
    scale.fill(1);
  }
  const x = standardize(train.values, n, dim, mean, scale);

  const W = tf.variable(tf.zeros([dim, classes]));
  const b = tf.variable(tf.zeros([classes]));
  const optimizer = tf.train.adam(learningRate);
  const penalty = 1 / (2 * c * n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const batchX = new Float32Array(batchSize * dim);
  const batchY = new Float32Array(batchSize * classes);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(order);
      for (let start = 0; start < n; start += batchSize) {
        const m = Math.min(batchSize, n - start);
        batchY.fill(kind === "svm" ? -1 : 0);
        for (let r = 0; r < m; r++) {
          const i = order[start + r];
          batchX.set(x.subarray(i * dim, (i + 1) * dim), r * dim);
          batchY[r * classes + train.labels[i]] = 1;
        }
        tf.tidy(() => {
          const xs = tf.tensor2d(batchX.subarray(0, m * dim), [m, dim]);
          const ys = tf.tensor2d(batchY.subarray(0, m * classes), [m, classes]);
          optimizer.minimize(() => {
            const s = tf.add(tf.matMul(xs, W), b);
            const data = kind === "svm"
              ? tf.mean(tf.sum(tf.square(tf.relu(tf.sub(1, tf.mul(ys, s)))), 1))
              : tf.losses.softmaxCrossEntropy(ys, s);
            return tf.add(data, tf.mul(penalty, tf.sum(tf.square(W)))) as tf.Scalar;
          });
        });
      }
    }
    const weights = W.dataSync().slice() as Float32Array;
    const bias = b.dataSync().slice() as Float32Array;
    return makeClassifier(kind, weights, bias, mean, scale, classes);
  } finally {
    W.dispose();
    b.dispose();
    optimizer.dispose();
  }
}

function standardize(values: Float32Array, n: number, dim: number, mean: Float32Array, scale: Float32Array): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = (values[i * dim + j] - mean[j]) / scale[j];
  return out;
}

function makeClassifier(
  kind: LinearClassifierKind, weights: Float32Array, bias: Float32Array, mean: Float32Array, scale: Float32Array, classes: number,
): LinearClassifier {
  const dim = mean.length;
  const classifier: LinearClassifier = {
    kind, weights, bias, mean, scale,
    predict(features) {
      const fn = "linearClassifier.predict";
      checkFeatures(fn, "features", features as LabelledFeatures, false);
      if (features.dim !== dim) fail(fn, "features.dim", `be the training dim ${dim}`, features.dim);
      const out = new Uint8Array(features.count);
      const scores = new Float64Array(classes);
      for (let i = 0; i < features.count; i++) {
        scores.set(bias);
        for (let j = 0; j < dim; j++) {
          const v = (features.values[i * dim + j] - mean[j]) / scale[j];
          if (v === 0) continue;
          for (let k = 0; k < classes; k++) scores[k] += v * weights[j * classes + k];
        }
        let best = 0;
        for (let k = 1; k < classes; k++) if (scores[k] > scores[best]) best = k;
        out[i] = best;
      }
      return out;
    },
    evaluate(features) {
      checkFeatures("linearClassifier.evaluate", "features", features, true);
      const predictions = classifier.predict(features);
      let correct = 0;
      for (let i = 0; i < features.count; i++) if (predictions[i] === features.labels[i]) correct++;
      logEvaluation("linearClassifier.evaluate", classifier, features, { start: 0, count: features.count, trained: 0 });
      return { accuracy: correct / features.count, predictions };
    },
  };
  return classifier;
}
