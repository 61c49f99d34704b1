/**
 * Readouts (a network's output over time → one score per class) and losses.
 *
 * Readouts, from `forward`'s output y_t (spikes of a spiking last layer, activations of an ANN)
 * and the last leaky layer's membrane v_t:
 *
 *   "output"          y of a one-step net; the mean over steps otherwise
 *   "count"           Σ_t y_t (spike count)           "rate"  Σ_t y_t / T
 *   "membrane-last"   v_T      "membrane-max"  max_t v_t      "membrane-mean"  Σ_t v_t / T
 *
 * Losses (mean over the batch; one-hot targets t for labels, as in the review's Eq. 3):
 *
 *   "cross-entropy"           −Σ_c t_c log softmax(r)_c of the readout r (softmax: review Eq. 3)
 *   "cross-entropy-per-step"  Σ_t of the same on each step's membrane v_t (snnTorch tutorial 5)
 *   "mse"                     ½ Σ_c (r_c − t_c)²  (Lillicrap's ½eᵀe; regression targets allowed)
 *   "mse-count"               mean over classes of (count_c − T·rate_c)² with rate_c =
 *                             correctRate for the label, incorrectRate for the others
 *                             (snnTorch's mse_count_loss)
 *
 * @example
 *   const r = readout(out, "count");
 *   const L = lossValue(out, labels, { loss: "cross-entropy", readout: "count" });
 */
import * as tf from "@tensorflow/tfjs-core";
import { arrayLike, fail, inRange, integer, mergeOptions, oneOf } from "../core/validate";
import type { ForwardOutput } from "../layers/model";

export const readoutNames = ["output", "count", "rate", "membrane-last", "membrane-max", "membrane-mean"] as const;
export type ReadoutName = (typeof readoutNames)[number];
export const lossNames = ["cross-entropy", "cross-entropy-per-step", "mse", "mse-count"] as const;
export type LossName = (typeof lossNames)[number];

/** How a batch's loss is computed. */
export interface LossOptions {
  readonly loss: LossName;
  readonly readout: ReadoutName;
  /** mse-count: target rate of the labelled class (fraction of steps). */
  readonly correctRate: number;
  /** mse-count: target rate of the other classes. */
  readonly incorrectRate: number;
}

export const lossDefaults: Readonly<LossOptions> = Object.freeze({ loss: "cross-entropy", readout: "output", correctRate: 0.8, incorrectRate: 0.2 });

/** Validated loss options. */
export function lossOptions(fn: string, options: Partial<LossOptions> = {}): LossOptions {
  const o = mergeOptions(fn, lossDefaults, options);
  oneOf(fn, "loss", o.loss, lossNames);
  oneOf(fn, "readout", o.readout, readoutNames);
  inRange(fn, "correctRate", o.correctRate, 0, 1);
  inRange(fn, "incorrectRate", o.incorrectRate, 0, 1);
  return Object.freeze(o);
}

function perStep(t: tf.Tensor, steps: number, batch: number): tf.Tensor3D {
  return tf.reshape(t, [steps, batch, t.size / (steps * batch)]) as tf.Tensor3D;
}

/**
 * The readout [B, classes] of a forward pass (file header).
 *
 * @example
 *   readout(out, "count");
 */
export function readout(out: ForwardOutput, kind: ReadoutName): tf.Tensor2D {
  const fn = "readout";
  oneOf(fn, "kind", kind, readoutNames);
  const { steps, batch } = out;
  if (kind.startsWith("membrane") && !out.membrane) {
    fail(fn, "kind", "be a membrane readout only for a model whose last layer is leaky", kind);
  }
  return tf.tidy(() => {
    if (kind === "output") return (steps === 1 ? tf.reshape(out.output, [batch, -1]) : tf.mean(perStep(out.output, steps, batch), 0)) as tf.Tensor2D;
    if (kind === "count") return tf.sum(perStep(out.output, steps, batch), 0) as tf.Tensor2D;
    if (kind === "rate") return tf.mean(perStep(out.output, steps, batch), 0) as tf.Tensor2D;
    const v = perStep(out.membrane!, steps, batch);
    if (kind === "membrane-last") return tf.reshape(tf.slice(v, [steps - 1, 0, 0], [1, -1, -1]), [batch, -1]) as tf.Tensor2D;
    if (kind === "membrane-max") return tf.max(v, 0) as tf.Tensor2D;
    return tf.mean(v, 0) as tf.Tensor2D;
  });
}

/** Labels → one-hot [B, classes]. */
export function oneHot(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  arrayLike("oneHot", "labels", labels);
  for (let i = 0; i < labels.length; i++) integer("oneHot", `labels[${i}]`, labels[i], 0);
  integer("oneHot", "classes", classes, 2);
  return tf.oneHot(tf.tensor1d(Array.from(labels), "int32"), classes) as tf.Tensor2D;
}

/** Mean softmax cross-entropy of logits [N, C] against one-hot targets [N, C], times `scale`. */
function softmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/**
 * The loss of a batch (file header). `targets` are class labels (one per sample) or, for "mse",
 * a [B, classes] tensor of real targets.
 *
 * @example
 *   lossValue(out, labels, lossOptions("fit", { loss: "mse-count", readout: "count" }));
 */
export function lossValue(out: ForwardOutput, targets: ArrayLike<number> | tf.Tensor2D, options: LossOptions): tf.Scalar {
  const fn = "lossValue";
  if (out === null || typeof out !== "object" || !(out.output instanceof tf.Tensor) || !Number.isSafeInteger(out.steps) || !Number.isSafeInteger(out.batch)) {
    fail(fn, "out", "be a forward pass's output {output, steps, batch} (model.forward)", out);
  }
  if (options === null || typeof options !== "object") fail(fn, "options", "be loss options (lossOptions(fn, options))", options);
  const { steps, batch } = out;
  return tf.tidy(() => {
    const classes = out.output.size / (out.steps * batch);
    const isTensor = targets instanceof tf.Tensor;
    if (!isTensor && (targets as ArrayLike<number>).length !== batch) fail(fn, "targets", `have one label per sample (${batch})`, (targets as ArrayLike<number>).length);
    if (isTensor && (targets.shape[0] !== batch || targets.shape[1] !== classes)) fail(fn, "targets", `have shape [${batch}, ${classes}]`, `[${targets.shape.join(", ")}]`);
    if (isTensor && options.loss !== "mse") fail(fn, "targets", `be class labels for the ${options.loss} loss`, "a tensor");
    const t = isTensor ? targets : oneHot(targets as ArrayLike<number>, classes);
    switch (options.loss) {
      case "cross-entropy":
        return softmaxCrossEntropy(readout(out, options.readout), t);
      case "cross-entropy-per-step": {
        if (!out.membrane) fail(fn, "loss", "be cross-entropy-per-step only for a model whose last layer is leaky", options.loss);
        const logits = tf.reshape(out.membrane, [steps * batch, classes]) as tf.Tensor2D;
        return tf.mul(softmaxCrossEntropy(logits, tf.tile(t, [steps, 1]) as tf.Tensor2D), steps) as tf.Scalar;
      }
      case "mse": {
        const e = tf.sub(readout(out, options.readout), t);
        return tf.mul(tf.mean(tf.sum(tf.square(e), 1)), 0.5) as tf.Scalar;
      }
      case "mse-count": {
        const count = readout(out, "count");
        const target = tf.mul(tf.add(tf.mul(t, options.correctRate - options.incorrectRate), options.incorrectRate), steps);
        return tf.mean(tf.square(tf.sub(count, target))) as tf.Scalar;
      }
    }
  });
}
