/**
 * Recurrent layers for backprop through time: the vanilla (Elman) RNN, the LSTM and the GRU, each
 * as one differentiable op over the whole sequence (the fused time loop of lif-layer.ts's
 * `leakyScan`): forward runs the recursion over typed arrays, backward runs BPTT through it in
 * reverse. The input projection x·W + b of every step and the weight gradients are single matrix
 * products on the tf backend; only the step-to-step products with U run in the loop.
 *
 * Row-vector convention (x·W, as Keras): W is [I, G·H], U is [H, G·H], b is [G·H], with G the
 * number of gate blocks (1, 4, 3) in the order below. Per step, with a_t = x_t·W + b:
 *
 *   rnn    h_t = tanh(a_t + h_{t−1}·U)
 *   lstm   [i f g o] = [σ σ tanh σ](a_t + h_{t−1}·U)                  (PyTorch's gate order)
 *          c_t = f ⊙ c_{t−1} + i ⊙ g        h_t = o ⊙ tanh(c_t)
 *   gru    [z r] = σ(a_t^{zr} + h_{t−1}·U^{zr})                       (Cho et al. 2014)
 *          n = tanh(a_t^n + (r ⊙ h_{t−1})·U^n)
 *          h_t = z ⊙ h_{t−1} + (1 − z) ⊙ n
 *
 * The LSTM's cell state c is the constant error carousel (Hochreiter & Schmidhuber 1997): along
 * it ∂c_t/∂c_{t−1} = f, so with the forget gate open (f = 1) an error flows back unchanged over
 * any number of steps, where the RNN's ∂h_t/∂h_{t−1} = diag(1 − h_t²)·Uᵀ multiplies it by a
 * Jacobian at every step (Bengio, Simard & Frasconi 1994: vanishing or exploding).
 *
 * Shapes: x is [T·B, I], time-major (step t of sample b is row t·B + b, as `leakyScan`); outputs
 * h (and the LSTM's c) are [T·B, H]. Both outputs carry gradients. `onGradients` receives, after
 * each backward pass, the norms ‖∂L/∂h_t‖ (Frobenius over the batch) for t = 0 … T−1 — the
 * total derivative, through every later step — and for the LSTM ‖∂L/∂c_t‖.
 *
 * @example
 *   const w = recurrentWeights("lstm", 2, 16, { rng: createRng(1) });
 *   const W = tf.variable(tf.tensor(w.W, [2, 64])), U = …, b = …;
 *   const { h, c } = recurrentScan("lstm", x, { W, U, b }, 32);   // x [T·32, 2] → h, c [T·32, 16]
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkRng, type Rng } from "../core/random";
import { fail, finite, integer, mergeOptions, nonNegative, oneOf } from "../core/validate";

export const recurrentCells = ["rnn", "lstm", "gru"] as const;
export type RecurrentCell = (typeof recurrentCells)[number];

/** Gate blocks G of each cell: the weights are [·, G·H]. */
export const recurrentGates: Readonly<Record<RecurrentCell, number>> = Object.freeze({ rnn: 1, lstm: 4, gru: 3 });

/** The weights of a recurrent layer (file header). */
export interface RecurrentWeightTensors {
  readonly W: tf.Tensor;
  readonly U: tf.Tensor;
  readonly b: tf.Tensor;
}

/** Per-step gradient norms of one backward pass (file header). */
export interface RecurrentGradientNorms {
  /** ‖∂L/∂h_t‖ for t = 0 … T−1. */
  readonly hidden: Float64Array;
  /** ‖∂L/∂c_t‖ (LSTM only). */
  readonly cell?: Float64Array;
}

/** Options of `recurrentScan`. */
export interface RecurrentScanOptions {
  /** Initial hidden state [B, H]; default zeros. */
  readonly h0?: tf.Tensor;
  /** Initial cell state [B, H] (LSTM); default zeros. */
  readonly c0?: tf.Tensor;
  /** Called with the per-step gradient norms after each backward pass. */
  readonly onGradients?: (norms: RecurrentGradientNorms) => void;
}

/** The outputs of `recurrentScan`. */
export interface RecurrentScanOutput {
  /** Hidden states h_t, [T·B, H]. */
  readonly h: tf.Tensor;
  /** Cell states c_t, [T·B, H] (LSTM only): the constant error carousel over time. */
  readonly c?: tf.Tensor;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * out[r, j] += Σ_k a[aOff + r·K + k] · M[k·N + col0 + j] for r < rows, j < n, out's rows at
 * outOff + r·outStride. Four rows of M per pass (about 2× faster in V8 than one).
 */
function addProduct(a: Float32Array, aOff: number, rows: number, K: number, M: Float32Array, N: number, col0: number, n: number, out: Float32Array, outOff: number, outStride: number): void {
  for (let r = 0; r < rows; r++) {
    const ar = aOff + r * K;
    const or = outOff + r * outStride;
    let k = 0;
    for (; k + 3 < K; k += 4) {
      const a0 = a[ar + k]!, a1 = a[ar + k + 1]!, a2 = a[ar + k + 2]!, a3 = a[ar + k + 3]!;
      const m0 = k * N + col0, m1 = m0 + N, m2 = m1 + N, m3 = m2 + N;
      for (let j = 0; j < n; j++) out[or + j] += a0 * M[m0 + j]! + a1 * M[m1 + j]! + a2 * M[m2 + j]! + a3 * M[m3 + j]!;
    }
    for (; k < K; k++) {
      const a0 = a[ar + k]!;
      const m0 = k * N + col0;
      for (let j = 0; j < n; j++) out[or + j] += a0 * M[m0 + j]!;
    }
  }
}

/** out[r·K + k] (=, or += with `add`) Σ_j d[r·dStride + dCol + j] · M[k·N + col0 + j] for r < rows, k < K, j < n. */
function productTransposed(d: Float32Array, dStride: number, dCol: number, rows: number, M: Float32Array, K: number, N: number, col0: number, n: number, out: Float32Array, add: boolean): void {
  for (let r = 0; r < rows; r++) {
    const dr = r * dStride + dCol;
    const or = r * K;
    let k = 0;
    for (; k + 1 < K; k += 2) {
      const m0 = k * N + col0, m1 = m0 + N;
      let s0 = 0, s1 = 0;
      for (let j = 0; j < n; j++) {
        const x = d[dr + j]!;
        s0 += x * M[m0 + j]!;
        s1 += x * M[m1 + j]!;
      }
      out[or + k] = add ? out[or + k]! + s0 : s0;
      out[or + k + 1] = add ? out[or + k + 1]! + s1 : s1;
    }
    for (; k < K; k++) {
      const m0 = k * N + col0;
      let s0 = 0;
      for (let j = 0; j < n; j++) s0 += d[dr + j]! * M[m0 + j]!;
      out[or + k] = add ? out[or + k]! + s0 : s0;
    }
  }
}

function norm(a: Float32Array, off: number, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[off + k]! * a[off + k]!;
  return Math.sqrt(s);
}

/**
 * Runs a recurrent layer over all T steps as one differentiable op (file header). `batch` is B;
 * x's rows must be T·B and its columns W's rows.
 *
 * @example
 *   const { h } = recurrentScan("rnn", x, { W, U, b }, 32, { onGradients: (n) => console.log(n.hidden) });
 */
export function recurrentScan(cell: RecurrentCell, x: tf.Tensor, weights: RecurrentWeightTensors, batch: number, options: RecurrentScanOptions = {}): RecurrentScanOutput {
  const fn = "recurrentScan";
  oneOf(fn, "cell", cell, recurrentCells);
  if (!(x instanceof tf.Tensor)) fail(fn, "x", "be a tf.Tensor [T·B, I]", x);
  if (weights === null || typeof weights !== "object") fail(fn, "weights", "be {W, U, b} tensors", weights);
  const { W, U, b } = weights;
  for (const [name, t] of [["W", W], ["U", U], ["b", b]] as const) if (!(t instanceof tf.Tensor)) fail(fn, `weights.${name}`, "be a tf.Tensor", t);
  integer(fn, "batch", batch, 1);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {h0?, c0?, onGradients?}", options);
  const G = recurrentGates[cell];
  if (U.rank !== 2 || U.shape[1] !== G * U.shape[0]) fail(fn, "weights.U", `have shape [H, ${G}·H] for a ${cell} layer`, `[${U.shape.join(", ")}]`);
  const H = U.shape[0]!;
  const GH = G * H;
  if (W.rank !== 2 || W.shape[1] !== GH) fail(fn, "weights.W", `have shape [I, ${GH}] (${G}·H with H = ${H})`, `[${W.shape.join(", ")}]`);
  if (b.rank !== 1 || b.shape[0] !== GH) fail(fn, "weights.b", `have shape [${GH}]`, `[${b.shape.join(", ")}]`);
  const I = W.shape[0]!;
  if (x.rank !== 2 || x.shape[1] !== I) fail(fn, "x", `have shape [T·B, ${I}] (${I} features: the rows of W)`, `[${x.shape.join(", ")}]`);
  const rows = x.shape[0]!;
  if (rows === 0 || rows % batch !== 0) fail(fn, "x", `have a whole number of steps of B = ${batch} rows (T·B rows, T ≥ 1)`, `${rows} rows`);
  const T = rows / batch;
  const B = batch;
  for (const [name, s] of [["h0", options.h0], ["c0", options.c0]] as const) {
    if (s === undefined) continue;
    if (!(s instanceof tf.Tensor) || s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== H) fail(fn, `options.${name}`, `be a tf.Tensor [${B}, ${H}]`, s instanceof tf.Tensor ? `[${s.shape.join(", ")}]` : s);
  }
  if (options.c0 !== undefined && cell !== "lstm") fail(fn, "options.c0", "be given only for an lstm layer", cell);
  if (options.onGradients !== undefined && typeof options.onGradients !== "function") fail(fn, "options.onGradients", "be a function", options.onGradients);
  const onGradients = options.onGradients;
  const lstm = cell === "lstm";
  const n = B * H; // one step's state elements

  const h0 = options.h0 ?? tf.zeros([B, H]);
  const c0 = lstm ? options.c0 ?? tf.zeros([B, H]) : undefined;
  const inputs = lstm ? [x, W, U, b, h0, c0!] : [x, W, U, b, h0];

  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xt, Wt, Ut, bt, h0t, c0t] = args as tf.Tensor[];
    save([xt!, Wt!]);
    const A = tf.tidy(() => tf.add(tf.matMul(xt!, Wt!), bt!)).dataSync() as Float32Array; // a_t for every step, [T·B, GH]
    const Uv = Ut!.dataSync() as Float32Array;
    const hs = new Float32Array((T + 1) * n); // h_{−1} = h0, h_0 … h_{T−1}
    hs.set(h0t!.dataSync() as Float32Array, 0);
    const gates = new Float32Array(T * B * GH); // post-activation gates (rnn: h_t itself is enough)
    const cs = lstm ? new Float32Array((T + 1) * n) : undefined;
    if (lstm) cs!.set(c0t!.dataSync() as Float32Array, 0);
    const rh = cell === "gru" ? new Float32Array(T * n) : undefined; // r ⊙ h_{t−1}
    const z = new Float32Array(B * GH);
    for (let t = 0; t < T; t++) {
      const prev = t * n;
      const cur = (t + 1) * n;
      const aOff = t * B * GH;
      z.set(A.subarray(aOff, aOff + B * GH));
      if (cell === "gru") {
        // z, r blocks from h_{t−1}·U^{zr}; the n block after r is known.
        addProduct(hs, prev, B, H, Uv, GH, 0, 2 * H, z, 0, GH);
        for (let r = 0; r < B; r++) {
          const zr = r * GH;
          for (let j = 0; j < 2 * H; j++) z[zr + j] = sigmoid(z[zr + j]!);
          const rhOff = t * n + r * H;
          for (let k = 0; k < H; k++) rh![rhOff + k] = z[zr + H + k]! * hs[prev + r * H + k]!;
          addProduct(rh!, rhOff, 1, H, Uv, GH, 2 * H, H, z, zr + 2 * H, GH);
          for (let k = 0; k < H; k++) {
            const nk = Math.tanh(z[zr + 2 * H + k]!);
            z[zr + 2 * H + k] = nk;
            const zk = z[zr + k]!;
            hs[cur + r * H + k] = zk * hs[prev + r * H + k]! + (1 - zk) * nk;
          }
        }
      } else {
        addProduct(hs, prev, B, H, Uv, GH, 0, GH, z, 0, GH);
        if (cell === "rnn") {
          for (let k = 0; k < n; k++) hs[cur + k] = Math.tanh(z[k]!);
        } else {
          for (let r = 0; r < B; r++) {
            const zr = r * GH;
            for (let k = 0; k < H; k++) {
              const i = sigmoid(z[zr + k]!);
              const f = sigmoid(z[zr + H + k]!);
              const g = Math.tanh(z[zr + 2 * H + k]!);
              const o = sigmoid(z[zr + 3 * H + k]!);
              z[zr + k] = i;
              z[zr + H + k] = f;
              z[zr + 2 * H + k] = g;
              z[zr + 3 * H + k] = o;
              const c = f * cs![prev + r * H + k]! + i * g;
              cs![cur + r * H + k] = c;
              hs[cur + r * H + k] = o * Math.tanh(c);
            }
          }
        }
      }
      gates.set(z, aOff);
    }
    const outH = hs.subarray(n);
    const value = lstm
      ? tf.concat([tf.tensor(outH, [T * B, H], "float32"), tf.tensor(cs!.subarray(n), [T * B, H], "float32")], 1)
      : tf.tensor(outH, [T * B, H], "float32");

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, Ws] = saved as [tf.Tensor, tf.Tensor];
      const g = dy.dataSync() as Float32Array; // [T·B, H] or [T·B, 2H] (h | c)
      const width = lstm ? 2 * H : H;
      const dZ = new Float32Array(T * B * GH); // ∂L/∂a_t
      const dh = new Float32Array(n); // total ∂L/∂h_t
      const carryH = new Float32Array(n); // from step t+1
      const dc = lstm ? new Float32Array(n) : undefined;
      const carryC = lstm ? new Float32Array(n) : undefined;
      const normsH = new Float64Array(T);
      const normsC = lstm ? new Float64Array(T) : undefined;
      const drh = cell === "gru" ? new Float32Array(n) : undefined;
      for (let t = T - 1; t >= 0; t--) {
        const prev = t * n;
        const cur = (t + 1) * n;
        const gOff = t * B * GH;
        for (let r = 0; r < B; r++) for (let k = 0; k < H; k++) dh[r * H + k] = carryH[r * H + k]! + g[(t * B + r) * width + k]!;
        normsH[t] = norm(dh, 0, n);
        if (cell === "rnn") {
          for (let k = 0; k < n; k++) {
            const hk = hs[cur + k]!;
            dZ[gOff + k] = dh[k]! * (1 - hk * hk);
          }
          productTransposed(dZ, GH, gOff, B, Uv, H, GH, 0, GH, carryH, false);
        } else if (lstm) {
          for (let r = 0; r < B; r++) {
            const zr = gOff + r * GH;
            for (let k = 0; k < H; k++) {
              const e = r * H + k;
              const i = gates[zr + k]!;
              const f = gates[zr + H + k]!;
              const gg = gates[zr + 2 * H + k]!;
              const o = gates[zr + 3 * H + k]!;
              const tc = Math.tanh(cs![cur + e]!);
              const dce = carryC![e]! + g[(t * B + r) * width + H + k]! + dh[e]! * o * (1 - tc * tc);
              dc![e] = dce;
              dZ[zr + k] = dce * gg * i * (1 - i);
              dZ[zr + H + k] = dce * cs![prev + e]! * f * (1 - f);
              dZ[zr + 2 * H + k] = dce * i * (1 - gg * gg);
              dZ[zr + 3 * H + k] = dh[e]! * tc * o * (1 - o);
              carryC![e] = dce * f;
            }
          }
          normsC![t] = norm(dc!, 0, n);
          productTransposed(dZ, GH, gOff, B, Uv, H, GH, 0, GH, carryH, false);
        } else {
          // GRU: n block first (it needs ∂L/∂(r⊙h)), then z and r.
          for (let r = 0; r < B; r++) {
            const zr = gOff + r * GH;
            for (let k = 0; k < H; k++) {
              const e = r * H + k;
              const zk = gates[zr + k]!;
              const nk = gates[zr + 2 * H + k]!;
              dZ[zr + 2 * H + k] = dh[e]! * (1 - zk) * (1 - nk * nk);
              dZ[zr + k] = dh[e]! * (hs[prev + e]! - nk) * zk * (1 - zk);
            }
          }
          productTransposed(dZ, GH, gOff + 2 * H, B, Uv, H, GH, 2 * H, H, drh!, false);
          for (let r = 0; r < B; r++) {
            const zr = gOff + r * GH;
            for (let k = 0; k < H; k++) {
              const e = r * H + k;
              const rk = gates[zr + H + k]!;
              dZ[zr + H + k] = drh![e]! * hs[prev + e]! * rk * (1 - rk);
              carryH[e] = dh[e]! * gates[zr + k]! + drh![e]! * rk;
            }
          }
          productTransposed(dZ, GH, gOff, B, Uv, H, GH, 0, 2 * H, carryH, true);
        }
      }
      onGradients?.(lstm ? { hidden: normsH, cell: normsC! } : { hidden: normsH });
      return tf.tidy(() => {
        const dz = tf.tensor(dZ, [T * B, GH], "float32");
        const dx = tf.matMul(dz, Ws, false, true);
        const dW = tf.matMul(xs, dz, true, false);
        const db = tf.sum(dz, 0);
        const hPrev = tf.tensor(hs.subarray(0, T * n), [T * B, H], "float32");
        const dU = cell === "gru"
          ? tf.concat([
            tf.matMul(hPrev, tf.slice(dz, [0, 0], [T * B, 2 * H]), true, false),
            tf.matMul(tf.tensor(rh!, [T * B, H], "float32"), tf.slice(dz, [0, 2 * H], [T * B, H]), true, false),
          ], 1)
          : tf.matMul(hPrev, dz, true, false);
        const dh0 = tf.tensor(carryH, [B, H], "float32");
        return lstm ? [dx, dW, dU, db, dh0, tf.tensor(carryC!, [B, H], "float32")] : [dx, dW, dU, db, dh0];
      });
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const out = (op as unknown as (...a: tf.Tensor[]) => tf.Tensor)(...inputs);
  if (!lstm) return { h: out };
  return { h: tf.slice(out, [0, 0], [T * B, H]), c: tf.slice(out, [0, H], [T * B, H]) };
}

/** Options of `recurrentWeights`. */
export interface RecurrentWeightOptions {
  /** Seeded generator for the draws. */
  readonly rng: Rng;
  /**
   * Recurrent weights U ~ N(0, (scale²/H)): the spectral radius of U is then about `scale` (the
   * circular law) — below 1 gradients of an RNN vanish with the time lag, above 1 they can explode.
   * Default 1.
   */
  readonly recurrentScale?: number;
  /** Input weights and biases ~ U(−s, s) with s = 1/√H (PyTorch's default) times this; default 1. */
  readonly inputScale?: number;
  /** LSTM forget-gate bias (Gers et al. 2000; default 1: the carousel starts open). */
  readonly forgetBias?: number;
}

/** Initial weights of a recurrent layer as arrays (row-major, the shapes of the file header). */
export interface RecurrentWeightArrays {
  readonly cell: RecurrentCell;
  readonly inputSize: number;
  readonly hidden: number;
  readonly W: Float32Array;
  readonly U: Float32Array;
  readonly b: Float32Array;
}

/**
 * Seeded initial weights for a recurrent layer (options above).
 *
 * @example
 *   const w = recurrentWeights("lstm", 2, 16, { rng: createRng(1), forgetBias: 1 });
 *   w.W.length;   // 2 · 64
 */
export function recurrentWeights(cell: RecurrentCell, inputSize: number, hidden: number, options: RecurrentWeightOptions): RecurrentWeightArrays {
  const fn = "recurrentWeights";
  oneOf(fn, "cell", cell, recurrentCells);
  integer(fn, "inputSize", inputSize, 1);
  integer(fn, "hidden", hidden, 1);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {rng, recurrentScale?, inputScale?, forgetBias?}", options);
  const o = mergeOptions(fn, { rng: undefined as unknown as Rng, recurrentScale: 1, inputScale: 1, forgetBias: 1 }, options);
  const rng = checkRng(fn, "rng", o.rng);
  nonNegative(fn, "recurrentScale", finite(fn, "recurrentScale", o.recurrentScale));
  nonNegative(fn, "inputScale", finite(fn, "inputScale", o.inputScale));
  finite(fn, "forgetBias", o.forgetBias);
  const GH = recurrentGates[cell] * hidden;
  const s = o.inputScale / Math.sqrt(hidden);
  const W = new Float32Array(inputSize * GH);
  const U = new Float32Array(hidden * GH);
  const b = new Float32Array(GH);
  for (let k = 0; k < W.length; k++) W[k] = rng.uniform(-s, s);
  const sd = o.recurrentScale / Math.sqrt(hidden);
  for (let k = 0; k < U.length; k++) U[k] = rng.normal(0, sd);
  for (let k = 0; k < GH; k++) b[k] = rng.uniform(-s, s);
  if (cell === "lstm") for (let k = hidden; k < 2 * hidden; k++) b[k] = o.forgetBias;
  return Object.freeze({ cell, inputSize, hidden, W, U, b });
}
