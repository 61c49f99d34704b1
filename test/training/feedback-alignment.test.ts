import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { EPS32 } from "../../src/core/units";
import { conv2d, dense, flatten, leakyLayer, relu } from "../../src/layers/layer-specs";
import { createModel, type Model } from "../../src/layers/model";
import { angleDegrees, tensorAngleDegrees } from "../../src/training/alignment";
import { initBackend } from "../../src/training/backend";
import { arrayDataset } from "../../src/training/batches";
import { createTrainer } from "../../src/training/bptt";
import {
  conv2dWithFeedback, feedbackLabels, feedbackMatrix, feedbackMethods, matMulWithFeedback, type FeedbackMethod,
} from "../../src/training/feedback-alignment";
import { lossOptions, lossValue } from "../../src/training/losses";
import { expectAllClose, expectClose, expectError } from "../helpers/close";
import { maxAbs, uniform } from "../helpers/arrays";


/** Float64 matrix product of row-major A [n, k] and B [k, m]; with `abs`, of |A| and |B| (a rounding-error scale). */
function mm(A: ArrayLike<number>, B: ArrayLike<number>, n: number, k: number, m: number, abs = false): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += abs ? Math.abs(A[i * k + l]!) * Math.abs(B[l * m + j]!) : A[i * k + l]! * B[l * m + j]!;
      out[i * m + j] = s;
    }
  }
  return out;
}

/** Transpose of row-major A [n, m]. */
function tr(A: ArrayLike<number>, n: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = A[i * m + j]!;
  return out;
}

function addBias(A: Float64Array, b: ArrayLike<number>, n: number, m: number): Float64Array {
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) A[i * m + j] += b[j]!;
  return A;
}

/** Geometry of a float64 convolution oracle (tf.conv2d's NHWC conventions). */
interface ConvGeom {
  readonly x: readonly [number, number, number, number]; // [N, H, W, C]
  readonly k: readonly [number, number, number, number]; // [kh, kw, C, O]
  readonly s: number;
  readonly padding: "valid" | "same";
}

/** Output size and the top/left padding of tf.conv2d. */
function convLayout(g: ConvGeom) {
  const [, H, W] = g.x;
  const [kh, kw] = g.k;
  const out = (n: number, k: number) => (g.padding === "same" ? Math.ceil(n / g.s) : Math.floor((n - k) / g.s) + 1);
  const oh = out(H, kh);
  const ow = out(W, kw);
  const pad = (n: number, o: number, k: number) => (g.padding === "same" ? Math.floor(Math.max((o - 1) * g.s + k - n, 0) / 2) : 0);
  return { oh, ow, top: pad(H, oh, kh), left: pad(W, ow, kw) };
}

/**
 * Visits every term x[n, r·s + a − top, c·s + b − left, i]·k[a, b, i, o] of y[n, r, c, o] = conv2d(x, k)
 * (inside the input only), with the flat indices of x, k and y.
 */
function forEachConvTerm(g: ConvGeom, visit: (xi: number, ki: number, yi: number) => void): void {
  const [N, H, W, C] = g.x;
  const [kh, kw, , O] = g.k;
  const { oh, ow, top, left } = convLayout(g);
  for (let n = 0; n < N; n++) for (let r = 0; r < oh; r++) for (let c = 0; c < ow; c++) {
    for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
      const h = r * g.s + a - top;
      const w = c * g.s + b - left;
      if (h < 0 || h >= H || w < 0 || w >= W) continue;
      for (let i = 0; i < C; i++) for (let o = 0; o < O; o++) {
        visit(((n * H + h) * W + w) * C + i, ((a * kw + b) * C + i) * O + o, ((n * oh + r) * ow + c) * O + o);
      }
    }
  }
}

/** Float64 conv2d and its gradients (values and Σ|terms| scales) for dy. */
function conv64(g: ConvGeom, x: ArrayLike<number>, k: ArrayLike<number>, dy?: ArrayLike<number>) {
  const { oh, ow } = convLayout(g);
  const y = new Float64Array(g.x[0] * oh * ow * g.k[3]);
  const dx = new Float64Array(x.length);
  const dxScale = new Float64Array(x.length);
  const dk = new Float64Array(k.length);
  const dkScale = new Float64Array(k.length);
  forEachConvTerm(g, (xi, ki, yi) => {
    y[yi] += x[xi]! * k[ki]!;
    if (dy) {
      dx[xi] += dy[yi]! * k[ki]!;
      dxScale[xi] += Math.abs(dy[yi]! * k[ki]!);
      dk[ki] += x[xi]! * dy[yi]!;
      dkScale[ki] += Math.abs(x[xi]! * dy[yi]!);
    }
  });
  return { y, dx, dxScale, dk, dkScale, shape: [g.x[0], oh, ow, g.k[3]] as const };
}

/** e = ∂L/∂y of the mean softmax cross-entropy: (softmax(y) − onehot)/N. */
function crossEntropyError(y: Float64Array, labels: ArrayLike<number>, n: number, c: number): Float64Array {
  const e = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, y[i * c + j]!);
    let z = 0;
    for (let j = 0; j < c; j++) z += Math.exp(y[i * c + j]! - max);
    for (let j = 0; j < c; j++) e[i * c + j] = (Math.exp(y[i * c + j]! - max) / z - (labels[i] === j ? 1 : 0)) / n;
  }
  return e;
}

/** Gradients of the mean cross-entropy of `model.forward(x)` (readout "output") with respect to its variables, by name. */
function modelGrads(model: Model, x: tf.Tensor, labels: Int32Array): Record<string, Float32Array> {
  const { grads } = tf.variableGrads(
    () => lossValue(model.forward(x, labels.length, { training: true }), labels, lossOptions("test", { loss: "cross-entropy", readout: "output" })),
    model.variables as tf.Variable[],
  );
  const out: Record<string, Float32Array> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = g.dataSync() as Float32Array;
  return out;
}

describe("feedback alignment", () => {
  before(async () => {
    await initBackend();
  });

  it("feedbackMethods lists the family, each with a display label", () => {
    assert.deepEqual([...feedbackMethods], ["transpose", "fixed-random", "sign", "random-sign", "direct"]);
    for (const m of feedbackMethods) assert.equal(typeof feedbackLabels[m], "string");
  });

  it("matMulWithFeedback(x, W, W) has exactly tf.matMul's gradients for x and W", () => {
    const x = tf.tensor2d(uniform(1, 5 * 7, -1, 1), [5, 7]);
    const W = tf.tensor2d(uniform(2, 7 * 4, -1, 1), [7, 4]);
    const dy = tf.tensor2d(uniform(3, 5 * 4, -1, 1), [5, 4]);
    const [gx, gW] = tf.grads((a: tf.Tensor, w: tf.Tensor) => matMulWithFeedback(a as tf.Tensor2D, w as tf.Tensor2D, w))([x, W], dy);
    const [ox, oW] = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D))([x, W], dy);
    assert.deepEqual(Array.from(matMulWithFeedback(x, W, W).dataSync()), Array.from(tf.matMul(x, W).dataSync()));
    assert.deepEqual(Array.from(gx!.dataSync()), Array.from(ox!.dataSync()));
    assert.deepEqual(Array.from(gW!.dataSync()), Array.from(oW!.dataSync()));
  });

  it("matMulWithFeedback(x, W, sign(W)) sends dy·sign(W)ᵀ to x and keeps the weight gradient xᵀ·dy", () => {
    const x = tf.tensor2d(uniform(4, 3 * 6, -1, 1), [3, 6]);
    const W = tf.tensor2d(uniform(5, 6 * 4, -1, 1), [6, 4]);
    const dy = tf.tensor2d(uniform(6, 3 * 4, -1, 1), [3, 4]);
    for (const B of [tf.sign(W), (w: tf.Tensor) => feedbackMatrix("sign", w, undefined)]) {
      const [gx, gW] = tf.grads((a: tf.Tensor, w: tf.Tensor) => matMulWithFeedback(a as tf.Tensor2D, w as tf.Tensor2D, B))([x, W], dy);
      const dyv = dy.dataSync();
      const sign = Array.from(W.dataSync(), Math.sign);
      const expected = mm(dyv, tr(sign, 6, 4), 3, 4, 6);
      // dy·sign(W)ᵀ sums 4 terms ±dy: ≤ 4 roundings of EPS32/2 on Σ|dy|.
      expectAllClose(gx!.dataSync(), expected, { rtol: 0, atol: 2 * EPS32 * 4 * maxAbs(dyv) });
      const [, oW] = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D))([x, W], dy);
      assert.deepEqual(Array.from(gW!.dataSync()), Array.from(oW!.dataSync()));
    }
    // No feedback (DFA's layers): zero input gradient.
    const [g0] = tf.grads((a: tf.Tensor, w: tf.Tensor) => matMulWithFeedback(a as tf.Tensor2D, w as tf.Tensor2D, undefined))([x, W], dy);
    assert.ok(g0!.dataSync().every((v) => v === 0));
  });

  it("feedbackMatrix(method, W, M) is W, sign(W), M, |M|⊙sign(W) or nothing", () => {
    const w = uniform(7, 40, -1, 1);
    w[3] = 0;
    const W = tf.tensor2d(w, [8, 5]);
    const M = tf.tensor2d(uniform(8, 40, -2, 2), [8, 5]);
    assert.equal(feedbackMatrix("transpose", W, undefined), W);
    assert.equal(feedbackMatrix("fixed-random", W, M), M);
    assert.equal(feedbackMatrix("direct", W, M), undefined);
    assert.deepEqual(Array.from(feedbackMatrix("sign", W, undefined)!.dataSync()), Array.from(w, Math.sign));
    const rs = feedbackMatrix("random-sign", W, M)!.dataSync();
    const m = M.dataSync();
    for (let i = 0; i < 40; i++) {
      assert.equal(Math.sign(rs[i]!), Math.sign(w[i]!), `sign of element ${i}`);
      assert.equal(Math.abs(rs[i]!), w[i] === 0 ? 0 : Math.abs(m[i]!), `magnitude of element ${i}`);
    }
    expectError(() => feedbackMatrix("fixed-random", W, undefined),
      "feedbackMatrix: fixed must be the layer's fixed random matrix for fixed-random feedback, got undefined");
    expectError(() => feedbackMatrix("random-sign", W, undefined),
      "feedbackMatrix: fixed must be the layer's fixed random magnitudes for random-sign feedback, got undefined");
  });

  it("conv2dWithFeedback(x, W, B) computes conv2d, its kernel gradient, and the input gradient through B (W or sign W)", () => {
    for (const [strides, padding] of [[1, "valid"], [2, "same"], [2, "valid"], [1, "same"]] as const) {
      const g: ConvGeom = { x: [2, 7, 7, 3], k: [3, 3, 3, 4], s: strides, padding };
      const xv = uniform(9, 2 * 7 * 7 * 3, -1, 1);
      const kv = uniform(10, 3 * 3 * 3 * 4, -1, 1);
      const x = tf.tensor4d(xv, [2, 7, 7, 3]);
      const W = tf.tensor4d(kv, [3, 3, 3, 4]);
      const y = tf.conv2d(x, W, strides, padding);
      const dyv = uniform(11, y.size, -1, 1);
      const dy = tf.tensor(dyv, y.shape) as tf.Tensor4D;
      const geometry = { strides, padding };
      const where = `strides ${strides}, ${padding}`;
      assert.deepEqual(Array.from(conv2dWithFeedback(x, W, W, geometry).dataSync()), Array.from(y.dataSync()), where);
      const ref = conv64(g, xv, kv, dyv);
      assert.deepEqual(y.shape, [...ref.shape], where);
      const [gx, gW] = tf.grads((a: tf.Tensor, w: tf.Tensor) => conv2dWithFeedback(a as tf.Tensor4D, w as tf.Tensor4D, w, geometry))([x, W], dy);
      // Sums of ≤ 2·7·7·3 float32 products in any order: ≤ (terms)·EPS32 of Σ|terms|; 64 covers the short sums here
      // (pairwise/blocked summation in the kernels keeps the growth logarithmic in practice).
      const tol = (scale: Float64Array) => (i: number) => 64 * EPS32 * scale[i]!;
      const gxv = gx!.dataSync();
      const gWv = gW!.dataSync();
      for (let i = 0; i < gxv.length; i++) expectClose(gxv[i]!, ref.dx[i]!, { rtol: 0, atol: tol(ref.dxScale)(i), message: `${where}: dx[${i}]` });
      for (let i = 0; i < gWv.length; i++) expectClose(gWv[i]!, ref.dk[i]!, { rtol: 0, atol: tol(ref.dkScale)(i), message: `${where}: dW[${i}]` });
      // The input gradient through B = W is exactly tf.conv2d's own (Conv2DBackpropInput on every backend).
      const ox = tf.grad((a: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, W, strides, padding))(x, dy);
      assert.deepEqual(Array.from(gxv), Array.from(ox.dataSync()), `${where}: dx is tf.conv2d's`);
      // B = sign(W): the input gradient of a convolution with kernel sign(W); the kernel gradient unchanged.
      const signK = Array.from(kv, Math.sign);
      const signRef = conv64(g, xv, signK, dyv);
      // B as a tensor made outside the differentiated function (it must outlive the backward pass) or as a function of W.
      for (const B of [tf.sign(W), (w: tf.Tensor) => tf.sign(w)]) {
        const [sx, sW] = tf.grads((a: tf.Tensor, w: tf.Tensor) => conv2dWithFeedback(a as tf.Tensor4D, w as tf.Tensor4D, B, geometry))([x, W], dy);
        const sxv = sx!.dataSync();
        for (let i = 0; i < sxv.length; i++) expectClose(sxv[i]!, signRef.dx[i]!, { rtol: 0, atol: tol(signRef.dxScale)(i), message: `${where}: sign dx[${i}]` });
        assert.deepEqual(Array.from(sW!.dataSync()), Array.from(gWv), `${where}: kernel gradient independent of B`);
      }
    }
  });

  it("a model with feedback \"transpose\" has the gradients of the same network computed by hand (conv and dense)", () => {
    const model = createModel({
      input: [5, 5, 2], rng: createRng(3),
      layers: [conv2d(3, 3, { padding: "same" }), relu(), conv2d(2, 2, { strides: 2 }), relu(), flatten(), dense(3)],
    });
    const N = 4;
    const xv = uniform(12, N * 50, -1, 1);
    const labels = new Int32Array([0, 2, 1, 2]);
    const got = modelGrads(model, tf.tensor4d(xv, [N, 5, 5, 2]), labels);
    const [c0, , c2, , , d5] = model.layers;
    // Forward in float64.
    const g0: ConvGeom = { x: [N, 5, 5, 2], k: [3, 3, 2, 3], s: 1, padding: "same" };
    const a0 = conv64(g0, xv, c0!.W!.dataSync());
    addBias(a0.y, c0!.b!.dataSync(), a0.y.length / 3, 3);
    const h0 = a0.y.map((v) => Math.max(0, v));
    const g2: ConvGeom = { x: [N, 5, 5, 3], k: [2, 2, 3, 2], s: 2, padding: "valid" };
    const a2 = conv64(g2, h0, c2!.W!.dataSync());
    addBias(a2.y, c2!.b!.dataSync(), a2.y.length / 2, 2);
    const h2 = a2.y.map((v) => Math.max(0, v)); // [N, 2, 2, 2] = [N, 8] flattened
    assert.ok([...a0.y, ...a2.y].every((v) => v === 0 || Math.abs(v) > 1e-4), "no pre-activation on the ReLU kink");
    const y = addBias(mm(h2, d5!.W!.dataSync(), N, 8, 3), d5!.b!.dataSync(), N, 3);
    // Backward in float64.
    const e = crossEntropyError(y, labels, N, 3);
    const gW5 = mm(tr(h2, N, 8), e, 8, N, 3);
    const gb5 = Array.from({ length: 3 }, (_, j) => e.filter((_, i) => i % 3 === j).reduce((s, v) => s + v, 0));
    const dh2 = mm(e, tr(d5!.W!.dataSync(), 8, 3), N, 3, 8);
    const da2 = dh2.map((v, i) => (a2.y[i]! > 0 ? v : 0));
    const b2 = conv64(g2, h0, c2!.W!.dataSync(), da2);
    const gb2 = [0, 1].map((j) => da2.filter((_, i) => i % 2 === j).reduce((s, v) => s + v, 0));
    const da0 = b2.dx.map((v, i) => (a0.y[i]! > 0 ? v : 0));
    const b0 = conv64(g0, xv, c0!.W!.dataSync(), da0);
    const gb0 = [0, 1, 2].map((j) => da0.filter((_, i) => i % 3 === j).reduce((s, v) => s + v, 0));
    const expected: [tf.Variable, ArrayLike<number>][] = [
      [c0!.W!, b0.dk], [c0!.b!, gb0], [c2!.W!, b2.dk], [c2!.b!, gb2], [d5!.W!, gW5], [d5!.b!, gb5],
    ];
    for (const [v, ref] of expected) {
      // Three layers of float32 sums of ≤ 100 terms each: the largest gradient sets the scale.
      expectAllClose(got[v.name]!, ref, { rtol: 0, atol: 256 * EPS32 * maxAbs(ref), message: v.name });
      assert.ok(maxAbs(ref) > 1e-3, `${v.name} is not trivially zero`);
    }
    model.dispose();
  });

  it("a model's hidden weight gradient is xᵀ·((e·Bᵀ) ⊙ relu′(a)) with B of each method (fixed-random, sign, random-sign)", () => {
    const N = 6;
    const [nIn, nHid, nOut] = [4, 5, 3];
    const x = uniform(13, N * nIn, -1, 1);
    const labels = new Int32Array([0, 1, 2, 2, 1, 0]);
    for (const method of ["transpose", "fixed-random", "sign", "random-sign"] as const) {
      const model = createModel({ input: [nIn], rng: createRng(4), feedback: method, layers: [dense(nHid), relu(), dense(nOut)] });
      const got = modelGrads(model, tf.tensor2d(x, [N, nIn]), labels);
      const [l0, , l2] = model.layers;
      const W0 = l0!.W!.dataSync();
      const W2 = l2!.W!.dataSync();
      const a = addBias(mm(x, W0, N, nIn, nHid), l0!.b!.dataSync(), N, nHid);
      const h = a.map((v) => Math.max(0, v));
      assert.ok(a.every((v) => Math.abs(v) > 1e-4), "no pre-activation on the ReLU kink");
      const e = crossEntropyError(addBias(mm(h, W2, N, nHid, nOut), l2!.b!.dataSync(), N, nOut), labels, N, nOut);
      const B = feedbackMatrix(method, l2!.W!, l2!.fixedFeedback)!.dataSync();
      const back = mm(e, tr(B, nHid, nOut), N, nOut, nHid);
      const delta = back.map((v, i) => (a[i]! > 0 ? v : 0));
      const expected = mm(tr(x, N, nIn), delta, nIn, N, nHid);
      const scale = mm(tr(x, N, nIn), mm(e, tr(B, nHid, nOut), N, nOut, nHid, true), nIn, N, nHid, true);
      // Two chained products of ≤ 6 terms and the softmax: well below 32 roundings of EPS32 on Σ|terms|.
      for (let i = 0; i < expected.length; i++) {
        expectClose(got[l0!.W!.name]![i]!, expected[i]!, { rtol: 0, atol: 32 * EPS32 * scale[i]!, message: `${method}: W0[${i}]` });
      }
      const expectedW2 = mm(tr(h, N, nHid), e, nHid, N, nOut);
      const scaleW2 = mm(tr(h, N, nHid), e, nHid, N, nOut, true);
      for (let i = 0; i < expectedW2.length; i++) {
        expectClose(got[l2!.W!.name]![i]!, expectedW2[i]!, { rtol: 0, atol: 32 * EPS32 * scaleW2[i]!, message: `${method}: W2[${i}]` });
      }
      model.dispose();
    }
  });

  it("direct feedback alignment: each hidden layer's weight gradient is xᵀ·((e·D) ⊙ relu′(a)) with its own D", () => {
    const N = 6;
    const [nIn, h1, h2, c] = [4, 5, 4, 3];
    const model = createModel({ input: [nIn], rng: createRng(3), feedback: "direct", layers: [dense(h1), relu(), dense(h2), relu(), dense(c)] });
    const x = uniform(14, N * nIn, -1, 1);
    const labels = new Int32Array([2, 0, 1, 1, 2, 0]);
    const got = modelGrads(model, tf.tensor2d(x, [N, nIn]), labels);
    const [l0, , l2, , l4] = model.layers;
    assert.equal(l0!.directFeedback, undefined);
    const D2 = l2!.directFeedback!.dataSync(); // [c, h1]
    const D4 = l4!.directFeedback!.dataSync(); // [c, h2]
    const a1 = addBias(mm(x, l0!.W!.dataSync(), N, nIn, h1), l0!.b!.dataSync(), N, h1);
    const r1 = a1.map((v) => Math.max(0, v));
    const a2 = addBias(mm(r1, l2!.W!.dataSync(), N, h1, h2), l2!.b!.dataSync(), N, h2);
    const r2 = a2.map((v) => Math.max(0, v));
    const y = addBias(mm(r2, l4!.W!.dataSync(), N, h2, c), l4!.b!.dataSync(), N, c);
    assert.ok([...a1, ...a2].every((v) => Math.abs(v) > 1e-4), "no pre-activation on the ReLU kink");
    const e = crossEntropyError(y, labels, N, c);
    const check = (name: string, input: Float64Array | Float32Array, nI: number, D: ArrayLike<number>, a: Float64Array, nO: number) => {
      const delta = mm(e, D, N, c, nO).map((v, i) => (a[i]! > 0 ? v : 0));
      const expected = mm(tr(input, N, nI), delta, nI, N, nO);
      const scale = mm(tr(input, N, nI), mm(e, D, N, c, nO, true), nI, N, nO, true);
      for (let i = 0; i < expected.length; i++) {
        // As above: two chained short products and the softmax, ≤ 32 roundings on Σ|terms|.
        expectClose(got[name]![i]!, expected[i]!, { rtol: 0, atol: 32 * EPS32 * scale[i]!, message: `${name}[${i}]` });
      }
      assert.ok(expected.some((v) => Math.abs(v) > 1e-3), `${name} is not trivially zero`);
    };
    check(l0!.W!.name, x, nIn, D2, a1, h1);
    check(l2!.W!.name, r1, h1, D4, a2, h2);
    // The output layer's gradient is exact in every method.
    const expected = mm(tr(r2, N, h2), e, h2, N, c);
    expectAllClose(got[l4!.W!.name]!, expected, { rtol: 0, atol: 32 * EPS32 * maxAbs(expected) });
    model.dispose();
  });

  it("direct feedback alignment works through leaky layers (e summed over steps for a static input)", () => {
    const model = createModel({
      input: [3], steps: 4, rng: createRng(6), feedback: "direct",
      layers: [dense(6, { init: { uniform: 1 } }), leakyLayer({ surrogate: "fast-sigmoid" }), dense(2), leakyLayer({ spiking: false })],
    });
    const { grads } = tf.variableGrads(() => {
      const out = model.forward(tf.tensor2d(uniform(15, 6, 0, 1), [2, 3]), 2, { training: true });
      return lossValue(out, [0, 1], lossOptions("test", { loss: "cross-entropy", readout: "membrane-mean" }));
    }, model.variables as tf.Variable[]);
    const g0 = grads[model.weights[0]!.name]!.dataSync();
    assert.ok(g0.every(Number.isFinite) && g0.some((v) => v !== 0));
    model.dispose();
  });

  it("angleDegrees(a, b) has the closed forms 0°, 45°, 90°, 180°, NaN for a zero vector", () => {
    const f = (a: number[], b: number[]) => angleDegrees(new Float32Array(a), new Float32Array(b));
    assert.equal(f([1, 0], [1, 0]), 0);
    expectClose(f([1, 0], [1, 1]), 45, { rtol: 4 * EPS32 });
    assert.equal(f([1, 0], [0, 3]), 90);
    assert.equal(f([1, 2, 3], [-2, -4, -6]), 180);
    expectClose(f([1, 0, 0], [1, Math.sqrt(3), 0]), 60, { rtol: 4 * EPS32 });
    assert.ok(Number.isNaN(f([0, 0], [1, 2])));
    assert.ok(Number.isNaN(f([1, 2], [0, 0])));
    // A vector with itself: the cosine may round past 1; the clip keeps arccos defined.
    const v = Array.from(uniform(16, 1000, -1, 1));
    assert.equal(f(v, v), 0);
    assert.equal(angleDegrees([0.1, 0.7, 0.3], [0.1, 0.7, 0.3]), 0);
    expectError(() => angleDegrees([1, 2], [1]), "angleDegrees: b must have the length of a (2), got 1");
    const t = tensorAngleDegrees([tf.tensor1d([1, 0]), tf.tensor2d([[0]])], [tf.tensor1d([0, 0]), tf.tensor2d([[5]])]);
    assert.equal(t, 90);
    expectError(() => tensorAngleDegrees([tf.scalar(1)], []), "tensorAngleDegrees: b must have as many tensors as a (1), got 0");
  });

  it("createTrainer with alignEvery 1 measures an angle of 0 for backprop and a positive one for feedback alignment", () => {
    const xor = arrayDataset({ inputs: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), inputShape: [2], labels: new Int32Array([0, 1, 1, 0]) });
    const angles = (feedback: FeedbackMethod) => {
      const model = createModel({ input: [2], rng: createRng(7), feedback, layers: [dense(8), relu(), dense(6), relu(), dense(2)] });
      const trainer = createTrainer(model, { optimizer: "sgd", learningRate: 0.1, batchSize: 4, alignEvery: 1, recordEvery: 1, rng: createRng(8) });
      trainer.train(xor, { start: 0, count: 20 });
      const out = { history: trainer.history.map((r) => r.angle!), layers: trainer.layerAngles.map((r) => r.angle) };
      assert.equal(trainer.history.length, 5);
      assert.equal(trainer.layerAngles.length, 5 * 3);
      trainer.dispose();
      model.dispose();
      return out;
    };
    const bp = angles("transpose");
    for (const a of [...bp.history, ...bp.layers]) expectClose(a, 0, { atol: 1e-3 });
    const fa = angles("fixed-random");
    for (const a of fa.history) assert.ok(a > 1 && a < 180, `feedback alignment angle ${a}`);
  });
});
