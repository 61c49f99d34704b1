/**
 * The feedback-alignment family (review §II-B3a, problem 2: weight transport). Backprop sends the
 * error of layer l+1 back to layer l through the transpose of the forward weights,
 * δ_l = g′(a_l) ⊙ (W_{l+1}ᵀ δ_{l+1}) (review Eq. 3). Every method below changes one thing only,
 * the matrix B_{l+1} that stands where W_{l+1} stands in that product:
 *
 *   "transpose"    B = W                       backprop (symmetric feedback)
 *   "fixed-random" B fixed, random             feedback alignment (Lillicrap et al. 2016)
 *   "sign"         B = sign(W)                 uniform sign-concordant (Liao, Leibo & Poggio 2016)
 *   "random-sign"  B = M ⊙ sign(W), M > 0 fixed random-magnitude sign-concordant (Liao et al.)
 *   "direct"       δ_l = g′(a_l) ⊙ (D_l e)     direct feedback alignment (Nøkland 2016): the output
 *                                               error e goes straight to every hidden layer
 *
 * The weight gradient keeps its local form, ∂L/∂W = xᵀ·δ, in every method. Dense and
 * convolutional layers both route their input gradient through `feedbackMatrix`; the single line
 * that differs from backprop is marked in `matMulWithFeedback` and `conv2dWithFeedback`.
 *
 * DFA needs the output error at hidden layers that autograd reaches later, so the model places two
 * identity ops: `captureError` at the output layer's pre-activation (its backward stores
 * e = ∂L/∂a_L) and `directFeedbackTap` at the input of each later weighted layer (its backward
 * discards what comes from above and returns D·e instead). The backward pass visits the capture
 * first, as autograd runs in reverse topological order.
 *
 * @example
 *   const B = feedbackMatrix("sign", W, undefined);          // sign(W)
 *   const y = matMulWithFeedback(x, W, B);                   // x·W; ∂L/∂x = δ·Bᵀ
 */
import * as tf from "@tensorflow/tfjs-core";
import { fail, integer, oneOf } from "../core/validate";

/** The methods of the family (file header). */
export const feedbackMethods = ["transpose", "fixed-random", "sign", "random-sign", "direct"] as const;
export type FeedbackMethod = (typeof feedbackMethods)[number];

/** Display names, for tables and legends. */
export const feedbackLabels: Readonly<Record<FeedbackMethod, string>> = Object.freeze({
  "transpose": "backprop (B = Wᵀ)",
  "fixed-random": "feedback alignment (random B)",
  "sign": "sign-concordant (B = sign W)",
  "random-sign": "random-magnitude sign-concordant",
  "direct": "direct feedback alignment",
});

/** Validates a method name. */
export function checkFeedbackMethod(fn: string, param: string, value: unknown): FeedbackMethod {
  return oneOf(fn, param, value, feedbackMethods);
}

/**
 * The feedback matrix B of one weighted layer for `method`, from the forward weights `W` and the
 * layer's fixed random matrix `fixed` (FA: B itself; random-sign: the magnitudes M, used as |M|).
 * "transpose" returns W itself, so backprop is the same code path with B = W. "direct" layers
 * receive no feedback through their weights (returns undefined).
 */
export function feedbackMatrix(method: FeedbackMethod, W: tf.Tensor, fixed: tf.Tensor | undefined): tf.Tensor | undefined {
  switch (method) {
    case "transpose": return W;
    case "sign": return tf.sign(W);
    case "fixed-random":
      if (!fixed) fail("feedbackMatrix", "fixed", "be the layer's fixed random matrix for fixed-random feedback", fixed);
      return fixed;
    case "random-sign":
      if (!fixed) fail("feedbackMatrix", "fixed", "be the layer's fixed random magnitudes for random-sign feedback", fixed);
      return tf.mul(tf.abs(fixed), tf.sign(W));
    case "direct": return undefined;
  }
}

/**
 * y = x·W with the input gradient sent back through B: ∂L/∂x = δ·Bᵀ, ∂L/∂W = xᵀ·δ. With B = W
 * this is exactly `tf.matMul`'s gradient (tested). With B undefined (DFA) the input gradient is
 * zero: a direct-feedback tap replaces it.
 *
 * @example
 *   const y = matMulWithFeedback(x, W, tf.sign(W));
 */
export function matMulWithFeedback(x: tf.Tensor2D, W: tf.Tensor2D, B: Feedback): tf.Tensor2D {
  checkTensors("matMulWithFeedback", { x, W });
  checkFeedback("matMulWithFeedback", B);
  const op = tf.customGrad((xs: tf.Tensor | tf.GradSaveFunc, ws: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const xi = xs as tf.Tensor2D;
    const wi = ws as tf.Tensor2D;
    (save as tf.GradSaveFunc)([xi, wi]);
    return {
      value: tf.matMul(xi, wi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs0, ws0] = saved as [tf.Tensor2D, tf.Tensor2D];
        const b = typeof B === "function" ? B(ws0) : B;
        // Explicit transposes: the wasm backend's matMul with a transpose flag is 4–13× slower.
        return [
          // All of feedback alignment is in this line: Bᵀ where backprop has Wᵀ.
          b ? tf.matMul(dy as tf.Tensor2D, tf.transpose(b as tf.Tensor2D)) : tf.zerosLike(xs0),
          tf.matMul(tf.transpose(xs0), dy as tf.Tensor2D),
        ];
      },
    };
  });
  return op(x, W) as tf.Tensor2D;
}

/**
 * The feedback of a weighted layer: a tensor B (which must outlive the backward pass), a function
 * of the forward weights W evaluated in the backward pass (how models pass sign(W)), or undefined
 * (no gradient to the input).
 */
export type Feedback = tf.Tensor | ((W: tf.Tensor) => tf.Tensor | undefined) | undefined;

/** Options of `conv2dWithFeedback`, as `tf.conv2d`'s. */
export interface FeedbackConvGeometry {
  readonly strides: number;
  readonly padding: "valid" | "same";
}

/**
 * y = conv2d(x, W) with the input gradient through the kernel B (conv2dTranspose(δ, B)); the kernel
 * gradient is conv2d's own. B = W is exactly backprop (tested).
 *
 * @example
 *   const y = conv2dWithFeedback(x, W, tf.sign(W), { strides: 1, padding: "valid" });
 */
export function conv2dWithFeedback(x: tf.Tensor4D, W: tf.Tensor4D, B: Feedback, geometry: FeedbackConvGeometry): tf.Tensor4D {
  checkTensors("conv2dWithFeedback", { x, W });
  checkFeedback("conv2dWithFeedback", B);
  checkGeometry("conv2dWithFeedback", geometry);
  const { strides, padding } = geometry;
  const op = tf.customGrad((xs: tf.Tensor | tf.GradSaveFunc, ws: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const xi = xs as tf.Tensor4D;
    const wi = ws as tf.Tensor4D;
    (save as tf.GradSaveFunc)([xi, wi]);
    return {
      value: tf.conv2d(xi, wi, strides, padding),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs0, ws0] = saved as [tf.Tensor4D, tf.Tensor4D];
        const d = dy as tf.Tensor4D;
        const gW = conv2dFilterGradient(xs0, d, ws0.shape, geometry);
        const b = typeof B === "function" ? B(ws0) : B;
        return [
          // As in matMulWithFeedback: the kernel B where backprop has W.
          b ? tf.conv2dTranspose(d, b as tf.Tensor4D, xs0.shape, strides, padding) : tf.zerosLike(xs0),
          gW!,
        ];
      },
    };
  });
  return op(x, W) as tf.Tensor4D;
}

/**
 * ∂L/∂W of y = conv2d(x, W) given dy = ∂L/∂y, as a convolution of x with dy: the wasm backend has
 * no Conv2DBackpropFilter kernel, and this form runs on any backend's (fast) conv2d.
 *
 *   ∂L/∂W[a, b, i, o] = Σ_{n, r, c} x[n, r·s + a, c·s + b, i] · dy[n, r, c, o]
 *
 * i.e. conv2d of x with channels and batch swapped ([i, H, W, n]) by dy as a filter
 * ([oh, ow, n, o]) dilated by the stride s. "same" padding pads x as tf.conv2d does.
 *
 * @example
 *   const gW = conv2dFilterGradient(x, dy, W.shape, { strides: 1, padding: "valid" });
 */
export function conv2dFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: readonly number[], geometry: FeedbackConvGeometry): tf.Tensor4D {
  checkTensors("conv2dFilterGradient", { x, dy });
  if (!Array.isArray(filterShape) || filterShape.length !== 4 || !filterShape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    fail("conv2dFilterGradient", "filterShape", "be 4 positive integers [kh, kw, inChannels, outChannels]", filterShape);
  }
  checkGeometry("conv2dFilterGradient", geometry);
  const { strides: s, padding } = geometry;
  const [kh, kw] = filterShape as [number, number, number, number];
  return tf.tidy(() => {
    let xp = x;
    if (padding === "same") {
      const [, h, w] = x.shape;
      const [, oh, ow] = dy.shape;
      const padH = Math.max((oh - 1) * s + kh - h, 0);
      const padW = Math.max((ow - 1) * s + kw - w, 0);
      const top = Math.floor(padH / 2);
      const left = Math.floor(padW / 2);
      xp = tf.pad(x, [[0, 0], [top, padH - top], [left, padW - left], [0, 0]]);
    }
    const xt = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D; // [in, H, W, batch]
    const dyt = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [oh, ow, batch, out]
    const r = tf.conv2d(xt, dyt, 1, "valid", "NHWC", [s, s]); // [in, ≥kh, ≥kw, out]
    const cut = tf.slice(r, [0, 0, 0, 0], [-1, kh, kw, -1]);
    return tf.transpose(cut, [1, 2, 0, 3]) as tf.Tensor4D; // [kh, kw, in, out]
  });
}

/** Where the output error of one backward pass is kept for the direct-feedback taps. */
export interface ErrorSlot {
  error?: tf.Tensor;
}

/**
 * Identity whose backward pass stores the incoming gradient e = ∂L/∂a_L in `slot` (and passes it
 * on unchanged).
 */
export function captureError(a: tf.Tensor, slot: ErrorSlot): tf.Tensor {
  checkTensors("captureError", { a });
  if (slot === null || typeof slot !== "object") fail("captureError", "slot", "be an object {error?} to receive the error", slot);
  const op = tf.customGrad((xs: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.clone(xs as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => {
      slot.error = tf.clone(dy);
      return tf.clone(dy);
    },
  }));
  return op(a) as tf.Tensor;
}

/**
 * Identity at the input h of a weighted layer whose backward pass returns D·e (reshaped to h) in
 * place of the gradient from above: direct feedback alignment. `D` is [outputs, features of one
 * row of h]. e and h are time-major with `batch` samples; if they cover different numbers of steps
 * (one is constant in time), e is summed over its steps or broadcast to h's.
 */
export function directFeedbackTap(h: tf.Tensor, D: tf.Tensor2D, slot: ErrorSlot, batch: number): tf.Tensor {
  checkTensors("directFeedbackTap", { h, D });
  if (slot === null || typeof slot !== "object") fail("directFeedbackTap", "slot", "be an object {error?} holding the output error", slot);
  integer("directFeedbackTap", "batch", batch, 1);
  const op = tf.customGrad((xs: tf.Tensor | tf.GradSaveFunc) => {
    const hi = xs as tf.Tensor;
    return {
      value: tf.clone(hi),
      gradFunc: () => {
        const e = slot.error;
        if (!e) fail("directFeedbackTap", "error", "have been captured at the output layer before the taps", e);
        const hSteps = (hi.shape[0] ?? 0) / batch;
        const eSteps = (e.shape[0] ?? 0) / batch;
        const classes = e.size / (eSteps * batch);
        let e2 = tf.reshape(e, [eSteps * batch, classes]) as tf.Tensor2D;
        if (eSteps !== hSteps) {
          const perSample = tf.sum(tf.reshape(e2, [eSteps, batch, classes]), 0) as tf.Tensor2D;
          e2 = (hSteps === 1 ? perSample : tf.tile(perSample, [hSteps, 1])) as tf.Tensor2D;
        }
        return tf.reshape(tf.matMul(e2, D), hi.shape);
      },
    };
  });
  return op(h) as tf.Tensor;
}

/** Throws the standard error unless every value of `tensors` is a tf.Tensor (keys are parameter names). */
function checkTensors(fn: string, tensors: Readonly<Record<string, unknown>>): void {
  for (const [param, t] of Object.entries(tensors)) if (!(t instanceof tf.Tensor)) fail(fn, param, "be a tf.Tensor", t);
}

/** Throws the standard error unless `B` is a Feedback: a tensor, a function of W, or undefined. */
function checkFeedback(fn: string, B: unknown): void {
  if (B !== undefined && !(B instanceof tf.Tensor) && typeof B !== "function") fail(fn, "B", "be a feedback tensor, a function of W, or undefined", B);
}

function checkGeometry(fn: string, geometry: unknown): void {
  if (geometry === null || typeof geometry !== "object") fail(fn, "geometry", "be an object {strides, padding}", geometry);
}
