/**
 * Backprop written out by hand on a tiny two-layer network, in float64 plain loops: the review's
 * Eq. 3 (the seed's Eq. 2, Bishop 1995) made executable, so a notebook can print every δ and set
 * them beside finite differences. It is a reference to read, not a trainer (`createTrainer` is).
 *
 *   a¹ = W¹x + b¹    z = g(a¹)    a² = W²z + b²    y = softmax(a²)    (y_k = e^{a²_k}/Σ_c e^{a²_c}, Eq. 3)
 *   L = −Σ_k t_k log y_k         t one-hot (the label's entry 1)
 *
 *   δ_k = ∂L/∂a²_k = y_k − t_k                         output units (softmax with cross-entropy)
 *   δ_j = ∂L/∂a¹_j = g′(a¹_j) · Σ_k B_kj δ_k           hidden units: Eq. 2 with B = W² (backprop)
 *   ∂L/∂W¹_ji = δ_j x_i    ∂L/∂b¹_j = δ_j    ∂L/∂W²_kj = δ_k z_j    ∂L/∂b²_k = δ_k
 *
 * The two problems of Eq. 2 for spiking networks are both one argument away:
 *
 * - problem 1: with `activation: tinyActivations.step` (a spike, g = H) g′ is 0 wherever it exists
 *   and undefined (NaN) at a = 0, so every δ_j and every ∂L/∂W¹ vanishes; `spikeActivation(σ)`
 *   keeps the step forward and puts the surrogate's σ′ in place of g′;
 * - problem 2 (weight transport): `feedback: B` uses a matrix other than the forward W² in the
 *   sum, as feedback alignment does (B fixed and random, Lillicrap et al. 2016).
 *
 * Shapes: W¹ is hidden × inputs, row-major (W1[j·inputs + i] = w_ji), W² is outputs × hidden
 * (W2[k·hidden + j] = w_kj), as the review indexes them. Batches are `count · inputs` values,
 * sample-major; losses and gradients are means over the batch.
 *
 * @example
 *   const net = tinyNetwork({ inputs: 2, hidden: 3, outputs: 2 }, { rng: createRng(1) });
 *   const bp = tinyBackprop(net, [1, 0], [1], { activation: tinyActivations.sigmoid });
 *   bp.deltaHidden;   // δ_j of Eq. 2, one row per sample
 *   bp.gradW1;        // equals tinyNumericalGradient(net, [1, 0], [1], …).gradW1 to ~1e-9
 */
import type { Rng } from "../core/random";
import { checkRng } from "../core/random";
import { arrayLike, fail, finite, integer, mergeOptions, positive } from "../core/validate";
import type { Surrogate } from "../surrogate/surrogate";
import { heavisideDerivative } from "../surrogate/surrogate";

/** A two-layer network x → g(W¹x + b¹) → softmax(W²z + b²) (file header). */
export interface TinyNetwork {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
  /** W¹, hidden × inputs, row-major. */
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  /** W², outputs × hidden, row-major. */
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

/** A hidden-unit non-linearity g with the derivative that the backward pass uses in its place. */
export interface TinyActivation {
  readonly name: string;
  /** g(a). */
  readonly value: (a: number) => number;
  /** What multiplies Σ_k B_kj δ_k in Eq. 2: g′(a), or a surrogate σ′(a). */
  readonly derivative: (a: number) => number;
}

const logistic = (a: number) => 1 / (1 + Math.exp(-a));

/**
 * The standard non-linearities and the spike. `step` is the Heaviside H(a) (1 for a > 0, strict,
 * as `tf.step`) with its true derivative: 0 for a ≠ 0, NaN at 0 (`heavisideDerivative`).
 *
 * @example
 *   tinyActivations.step.derivative(0.3);   // 0
 */
export const tinyActivations: Readonly<Record<"sigmoid" | "tanh" | "relu" | "step", TinyActivation>> = Object.freeze({
  sigmoid: Object.freeze({ name: "sigmoid", value: logistic, derivative: (a: number) => logistic(a) * (1 - logistic(a)) }),
  tanh: Object.freeze({ name: "tanh", value: Math.tanh, derivative: (a: number) => 1 - Math.tanh(a) ** 2 }),
  relu: Object.freeze({ name: "relu", value: (a: number) => Math.max(0, a), derivative: (a: number) => (a > 0 ? 1 : 0) }),
  step: Object.freeze({ name: "step", value: (a: number) => (a > 0 ? 1 : 0), derivative: heavisideDerivative }),
});

/**
 * A spike with a surrogate gradient: H(a) forward, the surrogate's σ′(a) backward.
 *
 * @example
 *   spikeActivation(fastSigmoid({ slope: 25 })).derivative(0);   // 1
 */
export function spikeActivation(s: Surrogate): TinyActivation {
  if (!s || typeof s.derivative !== "function") fail("spikeActivation", "s", "be a surrogate (fastSigmoid(), atan(), …)", s);
  return Object.freeze({ name: `spike (${s.name} surrogate)`, value: (a: number) => (a > 0 ? 1 : 0), derivative: s.derivative });
}

/**
 * The smooth network a surrogate stands for: σ(a) forward and its own derivative σ′(a) backward,
 * so its gradient is exact (finite differences of it converge to `tinyBackprop`'s).
 *
 * @example
 *   smoothActivation(atan({ alpha: 2 })).value(0);   // 0.5
 */
export function smoothActivation(s: Surrogate): TinyActivation {
  if (!s || typeof s.smooth !== "function") fail("smoothActivation", "s", "be a surrogate (fastSigmoid(), atan(), …)", s);
  return Object.freeze({ name: `smooth ${s.name}`, value: s.smooth, derivative: s.derivative });
}

/**
 * Softmax (review Eq. 3), y_i = e^{a_i}/Σ_j e^{a_j}, computed stably (the largest a subtracted
 * first). Every y_i lies in (0, 1) and they sum to 1.
 *
 * @example
 *   softmax([1, 2, 3]);   // [0.090, 0.245, 0.665]
 */
export function softmax(a: ArrayLike<number>): Float64Array {
  arrayLike("softmax", "a", a);
  if (a.length === 0) fail("softmax", "a", "have at least one value", a);
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, finite("softmax", `a[${i}]`, a[i]));
  const y = new Float64Array(a.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += y[i] = Math.exp(a[i]! - m);
  for (let i = 0; i < a.length; i++) y[i]! /= sum;
  return y;
}

/**
 * A tiny network with weights drawn uniformly from ±scale (default: ±1/√fan_in, PyTorch's
 * `nn.Linear`) and biases from the same range.
 *
 * @example
 *   tinyNetwork({ inputs: 2, hidden: 4, outputs: 2 }, { rng: createRng(3) });
 */
export function tinyNetwork(sizes: { inputs: number; hidden: number; outputs: number }, options: { rng: Rng; scale?: number }): TinyNetwork {
  const fn = "tinyNetwork";
  const inputs = integer(fn, "sizes.inputs", sizes?.inputs, 1);
  const hidden = integer(fn, "sizes.hidden", sizes?.hidden, 1);
  const outputs = integer(fn, "sizes.outputs", sizes?.outputs, 2);
  const o = mergeOptions(fn, { rng: undefined as unknown as Rng, scale: undefined as number | undefined }, options);
  const rng = checkRng(fn, "rng", o.rng);
  if (o.scale !== undefined) positive(fn, "scale", o.scale);
  const draw = (n: number, fanIn: number) => rng.fillUniform(new Float64Array(n), -(o.scale ?? 1 / Math.sqrt(fanIn)), o.scale ?? 1 / Math.sqrt(fanIn));
  return {
    inputs, hidden, outputs,
    W1: draw(hidden * inputs, inputs), b1: draw(hidden, inputs),
    W2: draw(outputs * hidden, hidden), b2: draw(outputs, hidden),
  };
}

/** A copy of `net` with new arrays (training never touches the original). */
export function cloneTinyNetwork(net: TinyNetwork): TinyNetwork {
  if (net === null || typeof net !== "object" || !([net.W1, net.b1, net.W2, net.b2] as unknown[]).every((a) => a instanceof Float64Array || a instanceof Float32Array)) {
    fail("cloneTinyNetwork", "net", "be a tiny network (tinyNetwork(options))", net);
  }
  return { ...net, W1: net.W1.slice(), b1: net.b1.slice(), W2: net.W2.slice(), b2: net.b2.slice() };
}

/** Everything `tinyBackprop` computes: per-sample rows (count × size) and batch-mean gradients. */
export interface TinyBackprop {
  readonly count: number;
  /** Hidden pre-activations a¹ and activations z = g(a¹), count × hidden. */
  readonly a1: Float64Array;
  readonly z: Float64Array;
  /** Output pre-activations a² and softmax outputs y (Eq. 3), count × outputs. */
  readonly a2: Float64Array;
  readonly y: Float64Array;
  /** One-hot targets t, count × outputs. */
  readonly target: Float64Array;
  /** Mean cross-entropy over the batch. */
  readonly loss: number;
  /** Predicted class (argmax y) of each sample. */
  readonly predictions: Int32Array;
  /** δ_k = y_k − t_k, count × outputs. */
  readonly deltaOut: Float64Array;
  /** δ_j = g′(a¹_j)·Σ_k B_kj δ_k (Eq. 2), count × hidden. */
  readonly deltaHidden: Float64Array;
  /** Batch-mean gradients (or, with a feedback matrix B ≠ W², the update direction it gives). */
  readonly gradW1: Float64Array;
  readonly gradB1: Float64Array;
  readonly gradW2: Float64Array;
  readonly gradB2: Float64Array;
}

/** Options of `tinyBackprop`. */
export interface TinyBackpropOptions {
  /** g and the derivative used for it; default `tinyActivations.sigmoid`. */
  readonly activation: TinyActivation;
  /** B in Eq. 2's sum, shaped as W² (outputs × hidden); default W² itself (backprop). */
  readonly feedback?: Float64Array;
}

function checkBatch(fn: string, net: TinyNetwork, x: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (!net || !(net.W1 instanceof Float64Array)) fail(fn, "net", "be a tinyNetwork()", net);
  if (x.length === 0 || x.length % net.inputs !== 0) fail(fn, "x", `have a positive multiple of ${net.inputs} values`, x.length);
  const count = x.length / net.inputs;
  if (labels.length !== count) fail(fn, "labels", `have one label per sample (${count})`, labels.length);
  for (let n = 0; n < count; n++) {
    const l = labels[n]!;
    if (!Number.isInteger(l) || l < 0 || l >= net.outputs) fail(fn, `labels[${n}]`, `be an integer in [0, ${net.outputs})`, l);
  }
  return count;
}

/**
 * Forward pass, Eq. 3 and Eq. 2 on a batch (file header).
 *
 * @example
 *   const bp = tinyBackprop(net, [0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], { activation: spikeActivation(atan()) });
 */
export function tinyBackprop(net: TinyNetwork, x: ArrayLike<number>, labels: ArrayLike<number>, options: Partial<TinyBackpropOptions> = {}): TinyBackprop {
  const fn = "tinyBackprop";
  const count = checkBatch(fn, net, x, labels);
  const o = mergeOptions(fn, { activation: tinyActivations.sigmoid as TinyActivation, feedback: undefined as Float64Array | undefined }, options);
  const g = o.activation;
  if (!g || typeof g.value !== "function" || typeof g.derivative !== "function") fail(fn, "activation", "be a TinyActivation (tinyActivations.sigmoid, spikeActivation(σ), …)", g);
  const { inputs: I, hidden: J, outputs: K } = net;
  const B = o.feedback ?? net.W2;
  if (!(B instanceof Float64Array) || B.length !== K * J) fail(fn, "feedback", `be a Float64Array of outputs × hidden = ${K * J} values`, B);

  const a1 = new Float64Array(count * J);
  const z = new Float64Array(count * J);
  const a2 = new Float64Array(count * K);
  const y = new Float64Array(count * K);
  const target = new Float64Array(count * K);
  const predictions = new Int32Array(count);
  const deltaOut = new Float64Array(count * K);
  const deltaHidden = new Float64Array(count * J);
  const gradW1 = new Float64Array(J * I);
  const gradB1 = new Float64Array(J);
  const gradW2 = new Float64Array(K * J);
  const gradB2 = new Float64Array(K);
  let loss = 0;
  for (let n = 0; n < count; n++) {
    for (let j = 0; j < J; j++) {
      let s = net.b1[j]!;
      for (let i = 0; i < I; i++) s += net.W1[j * I + i]! * x[n * I + i]!;
      a1[n * J + j] = s;
      z[n * J + j] = g.value(s);
    }
    for (let k = 0; k < K; k++) {
      let s = net.b2[k]!;
      for (let j = 0; j < J; j++) s += net.W2[k * J + j]! * z[n * J + j]!;
      a2[n * K + k] = s;
    }
    const yn = softmax(a2.subarray(n * K, (n + 1) * K));
    y.set(yn, n * K);
    const label = labels[n]!;
    target[n * K + label] = 1;
    loss -= Math.log(yn[label]!);
    let best = 0;
    for (let k = 1; k < K; k++) if (yn[k]! > yn[best]!) best = k;
    predictions[n] = best;
    for (let k = 0; k < K; k++) deltaOut[n * K + k] = yn[k]! - target[n * K + k]!;
    // Eq. 2: the feedback path reads B_kj — with B = W², the forward synapse w_kj (weight transport).
    for (let j = 0; j < J; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += B[k * J + j]! * deltaOut[n * K + k]!;
      deltaHidden[n * J + j] = g.derivative(a1[n * J + j]!) * s;
    }
    for (let k = 0; k < K; k++) {
      gradB2[k] += deltaOut[n * K + k]! / count;
      for (let j = 0; j < J; j++) gradW2[k * J + j] += (deltaOut[n * K + k]! * z[n * J + j]!) / count;
    }
    for (let j = 0; j < J; j++) {
      gradB1[j] += deltaHidden[n * J + j]! / count;
      for (let i = 0; i < I; i++) gradW1[j * I + i] += (deltaHidden[n * J + j]! * x[n * I + i]!) / count;
    }
  }
  return { count, a1, z, a2, y, target, loss: loss / count, predictions, deltaOut, deltaHidden, gradW1, gradB1, gradW2, gradB2 };
}

/**
 * The mean cross-entropy of `net` on a batch, forward only.
 *
 * @example
 *   tinyLoss(net, [1, 0], [1], tinyActivations.step);
 */
export function tinyLoss(net: TinyNetwork, x: ArrayLike<number>, labels: ArrayLike<number>, activation: TinyActivation = tinyActivations.sigmoid): number {
  // The derivative is not used for the loss; a constant one keeps NaN (the step at 0) out of it.
  return tinyBackprop(net, x, labels, { activation: { ...activation, derivative: () => 0 } }).loss;
}

/**
 * Central finite differences (L(w + ε) − L(w − ε))/2ε of the loss for every weight of W¹ and
 * W²: the true derivative of the network as it is, whatever `activation.derivative` claims.
 *
 * @example
 *   tinyNumericalGradient(net, [1, 0], [1], tinyActivations.sigmoid, { epsilon: 1e-6 }).gradW1;
 */
export function tinyNumericalGradient(
  net: TinyNetwork, x: ArrayLike<number>, labels: ArrayLike<number>, activation: TinyActivation = tinyActivations.sigmoid,
  options: { epsilon?: number } = {},
): { gradW1: Float64Array; gradW2: Float64Array } {
  const fn = "tinyNumericalGradient";
  checkBatch(fn, net, x, labels);
  const { epsilon } = mergeOptions(fn, { epsilon: 1e-6 }, options);
  const eps = positive(fn, "epsilon", epsilon);
  const probe = cloneTinyNetwork(net);
  const along = (w: Float64Array) => {
    const grad = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) {
      const w0 = w[i]!;
      w[i] = w0 + eps;
      const up = tinyLoss(probe, x, labels, activation);
      w[i] = w0 - eps;
      const down = tinyLoss(probe, x, labels, activation);
      w[i] = w0;
      grad[i] = (up - down) / (2 * eps);
    }
    return grad;
  };
  return { gradW1: along(probe.W1), gradW2: along(probe.W2) };
}

/** One row of `tinyTrain`'s history. */
export interface TinyTrainRow {
  readonly step: number;
  readonly loss: number;
  /** Fraction of the batch classified correctly. */
  readonly accuracy: number;
  /** Angle between the W¹ update and the true (B = W²) gradient, degrees; NaN if either is 0. */
  readonly angle: number;
}

/** Options of `tinyTrain`. */
export interface TinyTrainOptions {
  readonly activation: TinyActivation;
  /** B in Eq. 2; default W² as it is at each step (backprop). */
  readonly feedback?: Float64Array;
  /** Plain gradient descent step η. Default 0.5. */
  readonly learningRate: number;
  /** Full-batch steps. Default 1000. */
  readonly steps: number;
  /** A history row every this many steps. Default 10. */
  readonly recordEvery: number;
}

/**
 * Full-batch gradient descent of a copy of `net` with the δ of Eq. 2 (feedback B, or W²), which
 * records the loss, accuracy and angle to the backprop gradient of W¹ as it goes.
 *
 * @example
 *   const run = tinyTrain(net, xorInputs, xorLabels, { activation: tinyActivations.sigmoid, feedback: B, steps: 2000 });
 *   run.history.at(-1).accuracy;   // 1 once XOR is learned
 */
export function tinyTrain(
  net: TinyNetwork, x: ArrayLike<number>, labels: ArrayLike<number>, options: Partial<TinyTrainOptions> = {},
): { network: TinyNetwork; history: TinyTrainRow[] } {
  const fn = "tinyTrain";
  checkBatch(fn, net, x, labels);
  const o = mergeOptions(fn, { activation: tinyActivations.sigmoid as TinyActivation, feedback: undefined as Float64Array | undefined, learningRate: 0.5, steps: 1000, recordEvery: 10 }, options);
  positive(fn, "learningRate", o.learningRate);
  integer(fn, "steps", o.steps, 0);
  integer(fn, "recordEvery", o.recordEvery, 1);
  const w = cloneTinyNetwork(net);
  const history: TinyTrainRow[] = [];
  for (let step = 0; step <= o.steps; step++) {
    const update = tinyBackprop(w, x, labels, { activation: o.activation, feedback: o.feedback });
    if (step % o.recordEvery === 0 || step === o.steps) {
      const truth = o.feedback ? tinyBackprop(w, x, labels, { activation: o.activation }).gradW1 : update.gradW1;
      let dot = 0, na = 0, nb = 0;
      for (let i = 0; i < truth.length; i++) {
        dot += update.gradW1[i]! * truth[i]!;
        na += update.gradW1[i]! ** 2;
        nb += truth[i]! ** 2;
      }
      const angle = na > 0 && nb > 0 ? (Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)))) * 180) / Math.PI : Number.NaN;
      let correct = 0;
      for (let n = 0; n < update.count; n++) if (update.predictions[n] === labels[n]) correct++;
      history.push({ step, loss: update.loss, accuracy: correct / update.count, angle });
    }
    if (step === o.steps) break;
    const eta = o.learningRate;
    for (let i = 0; i < w.W1.length; i++) w.W1[i]! -= eta * update.gradW1[i]!;
    for (let i = 0; i < w.b1.length; i++) w.b1[i]! -= eta * update.gradB1[i]!;
    for (let i = 0; i < w.W2.length; i++) w.W2[i]! -= eta * update.gradW2[i]!;
    for (let i = 0; i < w.b2.length; i++) w.b2[i]! -= eta * update.gradB2[i]!;
  }
  return { network: w, history };
}
