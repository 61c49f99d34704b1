/**
 * SAILnet, the Sparse And Independent Local network of Zylberberg, Murphy & DeWeese (2011, PLoS
 * Comput Biol 7(10):e1002250): a spiking network that learns a sparse code of image patches with
 * synaptically local rules only. Its feedforward weights become the convolution kernels of
 * Tavanaei & Maida's spiking CNN (models/tavanaei-cnn.ts; card E18).
 *
 * Network, for one input x ∈ ℝ^K (a patch, normalised by `imagePatches`), M neurons:
 *
 *   drive      b_i = Σ_k Q_ik x_k                                  (feedforward weights Q, M × K)
 *   membrane   u_i(t+1) = u_i(t) + (Δt/τ)·(b_i − u_i(t) − Σ_j W_ij y_j(t))
 *   spike      y_i(t+1) = 1 and u_i ← 0 when u_i(t+1) > θ_i, else 0   (lateral inhibition W ≥ 0, W_ii = 0)
 *   count      n_i = Σ_t y_i(t) over `steps` steps (the paper: 5τ at Δt = 0.1τ, 50 steps)
 *
 * Learning after each input, local at every synapse (the paper's Eqs. for ΔW, ΔQ, Δθ):
 *
 *   ΔW_ij = β (n_i n_j − p²)       anti-Hebbian: pairs that fire together more than p² inhibit each other more;
 *                                   W_ij clipped at 0 (inhibition stays inhibition), W_ii = 0
 *   ΔQ_ik = α n_i (x_k − n_i Q_ik)  Oja-like: the kernel moves toward the inputs that make the neuron fire
 *   Δθ_i  = γ (n_i − p)            homeostasis toward the target count p per input
 *
 * At a fixed point the mean count of every neuron is p (sparseness) and the co-activation
 * E[n_i n_j] of every inhibited pair is p² (decorrelation): `evaluate` measures both.
 *
 * Differences from the paper: updates are online, after each patch (the paper averages them over
 * batches of 100 patches; a per-patch rate is the batch rate / 100); the inputs are MNIST patches,
 * mean-subtracted per patch and scaled to unit variance over the set (the paper whitens natural
 * images), not natural images.
 *
 * The network is a `Learner` (learning/learner.ts) over a `SailnetPatches`: `fit(net, patches, …)` trains
 * it. `evaluate` returns `accuracy: NaN` (an unsupervised code has no labels to score) beside its
 * own figures: the mean count (target p) and the mean co-activation (target p²).
 *
 * @example
 *   const patches = imagePatches(loadMnist({ split: "train" }), { size: 5, count: 50000, rng: createRng(1) });
 *   const net = sailnet({ inputs: 25, neurons: 32, rng: createRng(2) });
 *   await fit(net, patches, { epochs: 2 });
 *   net.evaluate(patches, { start: 0, count: 5000 }).meanCount;   // ≈ p = 0.05
 */
import { checkRng, type Rng } from "../core/random";
import { fail, inRange, integer, mergeOptions, positive } from "../core/validate";
import { checkImageDataset, type ImageDataset } from "../datasets/image-dataset";
import type { Learner, LearnerEvaluation, LearnOptions, LearnStep } from "../learning/learner";
import { epochSampler } from "../learning/epoch-order";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";

/** Image patches as SAILnet's inputs: `count` vectors of `size × size` values, row-major. */
export interface SailnetPatches {
  readonly count: number;
  /** Patch side, pixels. */
  readonly size: number;
  /** count × size², patch i at [i·size², (i+1)·size²). */
  readonly values: Float32Array;
  /** The factor that scaled the mean-subtracted pixels (pixel/255) to unit variance: apply it to new patches. */
  readonly scale: number;
}

/** Options of `imagePatches`. */
export interface ImagePatchesOptions {
  /** Patch side in pixels (the kernel size of the convolution built from the code), ≥ 2. */
  readonly size: number;
  /** Number of patches to draw. */
  readonly count: number;
  /** Least ink a patch must hold: Σ pixel/255 ≥ minInk (blank background patches are skipped). */
  readonly minInk: number;
}

const patchDefaults: Readonly<ImagePatchesOptions> = Object.freeze({ size: 5, count: 10000, minInk: 1 });

/**
 * Draws `count` random `size × size` patches from random images of `data` (seeded), skipping those
 * with less ink than `minInk`; each patch is pixel/255 minus its own mean, and the whole set is then
 * scaled to unit variance (the factor is `scale`).
 * @example
 *   imagePatches(mnist, { size: 5, count: 1000, rng: createRng(1) }).values.length;   // 25000
 */
export function imagePatches(data: ImageDataset, options: Partial<ImagePatchesOptions> & { readonly rng: Rng }): SailnetPatches {
  const fn = "imagePatches";
  const d = checkImageDataset(fn, "data", data);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object", options);
  const { rng: rngIn, ...rest } = options;
  const rng = checkRng(fn, "rng", rngIn);
  const o = mergeOptions(fn, patchDefaults, rest);
  const size = integer(fn, "size", o.size, 2);
  if (size > d.rows || size > d.cols) fail(fn, "size", `be at most the image size (${d.rows}×${d.cols})`, size);
  const count = integer(fn, "count", o.count, 1);
  if (count * size * size > 2 ** 28) fail(fn, "count", `be at most ${Math.floor(2 ** 28 / (size * size))} (count·size² values)`, count);
  const minInk = inRange(fn, "minInk", o.minInk, 0, size * size);
  if (d.count === 0) fail(fn, "data", "hold at least one image", "an empty data set");
  const K = size * size;
  const values = new Float32Array(count * K);
  const pixels = d.rows * d.cols;
  let tries = 0;
  for (let n = 0; n < count;) {
    if (++tries > 1000 * count + 100000) fail(fn, "minInk", "be reachable: too few patches of the data hold that much ink", minInk);
    const img = rng.int(d.count);
    const y0 = rng.int(d.rows - size + 1);
    const x0 = rng.int(d.cols - size + 1);
    let ink = 0;
    const off = n * K;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = d.images[img * pixels + (y0 + y) * d.cols + x0 + x] / 255;
        values[off + y * size + x] = v;
        ink += v;
      }
    }
    if (ink < minInk || ink <= 0) continue;
    const mean = ink / K;
    for (let k = 0; k < K; k++) values[off + k] -= mean;
    n++;
  }
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += values[i] * values[i];
  const scale = 1 / Math.sqrt(ss / values.length || 1);
  for (let i = 0; i < values.length; i++) values[i] *= scale;
  return Object.freeze({ count, size, values, scale });
}

/** Options of `sailnet` (every field but `rng` has a default: `sailnetDefaults`). */
export interface SailnetOptions {
  /** Inputs K per patch (size², e.g. 25 for 5 × 5 patches). */
  readonly inputs: number;
  /** Neurons M (the kernels of the conv layer built from the code). */
  readonly neurons: number;
  /** Target count per input p, in (0, 1) (the paper: 0.05). */
  readonly p: number;
  /** Feedforward rate α per patch. */
  readonly alpha: number;
  /** Lateral (inhibition) rate β per patch. */
  readonly beta: number;
  /** Threshold rate γ per patch. */
  readonly gamma: number;
  /** Steps of one presentation (the paper: 50). */
  readonly steps: number;
  /** Δt/τ (the paper: 0.1). */
  readonly dtOverTau: number;
  /** Initial thresholds θ. */
  readonly threshold: number;
}

/** SAILnet's defaults (file header). */
export const sailnetDefaults: Readonly<SailnetOptions> = Object.freeze({
  inputs: 25, neurons: 32, p: 0.05, alpha: 0.01, beta: 0.1, gamma: 0.02, steps: 50, dtOverTau: 0.1, threshold: 1,
});

/** What `sailnet(...).evaluate` measures (no learning). */
export interface SailnetEvaluation extends LearnerEvaluation {
  /** NaN: an unsupervised code has no labels to score. */
  readonly accuracy: number;
  /** Mean count per neuron and input (target p). */
  readonly meanCount: number;
  /** Mean over pairs i ≠ j of E[n_i n_j] (target at most p², equal for inhibited pairs). */
  readonly coactivation: number;
  /** Fraction of inputs with no spike at all. */
  readonly silent: number;
  /** Mean count of each neuron. */
  readonly counts: Float64Array;
}

/** A SAILnet (file header): a `Learner` over `SailnetPatches`s. */
export interface Sailnet extends Learner<SailnetPatches, SailnetEvaluation> {
  readonly name: "sailnet";
  readonly options: Readonly<SailnetOptions>;
  /** Feedforward weights Q, neurons × inputs (live). */
  readonly weights: Float32Array;
  /** Lateral inhibition W, neurons × neurons (live; W_ii = 0, W ≥ 0). */
  readonly inhibition: Float32Array;
  /** Thresholds θ (live). */
  readonly thresholds: Float32Array;
  /**
   * Spike counts of every neuron for input `x` (length `inputs`) into `out`; `onSpike(step, neuron)`
   * is called for each spike in time order (used by the convolution of Tavanaei & Maida's CNN).
   */
  respond(x: ArrayLike<number>, out?: Float32Array, onSpike?: (step: number, neuron: number) => void): Float32Array;
}

/**
 * Runs the SAILnet dynamics (file header) on the drive `b` (length M) into `counts`; shared with
 * the convolution layer (models/tavanaei-cnn.ts), which feeds drives of image windows. Internal:
 * not re-exported (no argument checks). Allocation-free when `spiked` has room for 2M entries
 * (the second half holds the neurons that can spike).
 */
export function sailnetDynamics(
  b: Float32Array | Float64Array, W: Float32Array, theta: Float32Array, steps: number, dtOverTau: number,
  u: Float64Array, spiked: Int32Array, counts: Float32Array, onSpike?: (step: number, neuron: number) => void,
  candidates: Int32Array = spiked.length >= 2 * theta.length ? spiked.subarray(theta.length) : new Int32Array(theta.length),
): void {
  const M = theta.length;
  counts.fill(0);
  // u never exceeds max(0, b_i) (it relaxes toward b_i from 0 and inhibition only lowers it), so
  // only neurons with max(0, b_i) > θ_i can ever spike: the others are left out, exactly.
  let nc = 0;
  for (let i = 0; i < M; i++) if ((b[i] > 0 ? b[i] : 0) > theta[i]) candidates[nc++] = i;
  if (nc === 0) return;
  for (let c = 0; c < nc; c++) u[candidates[c]] = 0;
  let nSpiked = 0;
  for (let t = 0; t < steps; t++) {
    // Inhibition from the spikes of the previous step.
    for (let s = 0; s < nSpiked; s++) {
      const j = spiked[s];
      for (let c = 0; c < nc; c++) {
        const i = candidates[c];
        u[i] -= dtOverTau * W[i * M + j];
      }
    }
    nSpiked = 0;
    for (let c = 0; c < nc; c++) {
      const i = candidates[c];
      const v = u[i] + dtOverTau * (b[i] - u[i]);
      if (v > theta[i]) {
        u[i] = 0;
        counts[i] += 1;
        spiked[nSpiked++] = i;
        if (onSpike) onSpike(t, i);
      } else u[i] = v;
    }
  }
}

/**
 * Builds a SAILnet with feedforward weights drawn from `rng` (normal rows of unit length), no
 * inhibition and thresholds `threshold` (file header). Every setting is checked first.
 * @example
 *   const net = sailnet({ inputs: 25, neurons: 32, p: 0.05, rng: createRng(1) });
 */
export function sailnet(init: Partial<SailnetOptions> & { readonly rng: Rng }): Sailnet {
  const fn = "sailnet";
  if (init === null || typeof init !== "object") fail(fn, "options", "be an object", init);
  const { rng: rngIn, ...rest } = init;
  const rng = checkRng(fn, "rng", rngIn);
  const o = mergeOptions(fn, sailnetDefaults, rest as Partial<SailnetOptions>);
  const K = integer(fn, "inputs", o.inputs, 1);
  if (K > 4096) fail(fn, "inputs", "be at most 4096", K);
  const M = integer(fn, "neurons", o.neurons, 2);
  if (M > 4096) fail(fn, "neurons", "be at most 4096", M);
  if (!(typeof o.p === "number" && o.p > 0 && o.p < 1)) fail(fn, "p", "be a number in (0, 1)", o.p);
  positive(fn, "alpha", o.alpha);
  positive(fn, "beta", o.beta);
  positive(fn, "gamma", o.gamma);
  const steps = integer(fn, "steps", o.steps, 1);
  if (steps > 100000) fail(fn, "steps", "be at most 100000", steps);
  if (!(typeof o.dtOverTau === "number" && o.dtOverTau > 0 && o.dtOverTau <= 1)) fail(fn, "dtOverTau", "be a number in (0, 1]", o.dtOverTau);
  positive(fn, "threshold", o.threshold);
  const options = Object.freeze({ ...o });
  const { p, dtOverTau } = options;

  const Q = new Float32Array(M * K);
  for (let i = 0; i < M; i++) {
    let norm = 0;
    for (let k = 0; k < K; k++) {
      const v = rng.normal(0, 1);
      Q[i * K + k] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < K; k++) Q[i * K + k] /= norm;
  }
  const W = new Float32Array(M * M);
  const theta = new Float32Array(M).fill(options.threshold);
  let orderSeed = rng.nextUint32();
  let samplesSeen = 0;

  const b = new Float64Array(M);
  const u = new Float64Array(M);
  const spiked = new Int32Array(2 * M);
  const n = new Float32Array(M);

  function drive(x: ArrayLike<number>, off: number): void {
    for (let i = 0; i < M; i++) {
      let s = 0;
      const q = i * K;
      for (let k = 0; k < K; k++) s += Q[q + k] * x[off + k];
      b[i] = s;
    }
  }

  let sampleAt = epochSampler(orderSeed);   // the seeded order of each epoch (learning/epoch-order.ts)

  function checkPatches(f: string, data: SailnetPatches): SailnetPatches {
    if (data === null || typeof data !== "object") fail(f, "data", "be a SailnetPatches (imagePatches)", data);
    integer(f, "data.count", data.count, 1);
    const size = integer(f, "data.size", data.size, 1);
    if (size * size !== K) fail(f, "data.size", `be √inputs = ${Math.sqrt(K)} (patches of the network's size)`, size);
    if (!(data.values instanceof Float32Array) || data.values.length !== data.count * K) fail(f, "data.values", `be a Float32Array of count·size² = ${data.count * K}`, data.values);
    return data;
  }

  const net: Sailnet = {
    name: "sailnet",
    options,
    weights: Q,
    inhibition: W,
    thresholds: theta,
    get samplesSeen() { return samplesSeen; },
    learningRate: options.alpha,
    respond(x, out, onSpike) {
      const f = "sailnet.respond";
      if (x == null || typeof x.length !== "number" || x.length !== K) fail(f, "x", `be ${K} numbers (one patch)`, x);
      for (let k = 0; k < K; k++) if (!Number.isFinite(x[k])) fail(f, `x[${k}]`, "be a finite number", x[k]);
      const counts = out ?? new Float32Array(M);
      if (!(counts instanceof Float32Array) || counts.length !== M) fail(f, "out", `be a Float32Array of ${M}`, out);
      drive(x, 0);
      sailnetDynamics(b, W, theta, steps, dtOverTau, u, spiked, counts, onSpike);
      return counts;
    },
    learn(data: SailnetPatches, lo: LearnOptions): LearnStep {
      const f = "sailnet.learn";
      const d = checkPatches(f, data);
      if (lo === null || typeof lo !== "object") fail(f, "options", "be { count, learningRate? }", lo);
      const count = integer(f, "count", lo.count, 0);
      const alpha = lo.learningRate === undefined ? options.alpha : positive(f, "learningRate", lo.learningRate);
      const ratio = alpha / options.alpha;
      const beta = options.beta * ratio;
      const gamma = options.gamma * ratio;
      const pp = p * p;
      // The patches this call will use are checked before any weight changes.
      for (let s = 0; s < count; s++) {
        const off = sampleAt(d.count, samplesSeen + s) * K;
        for (let k = 0; k < K; k++) if (!Number.isFinite(d.values[off + k])) fail(f, `data.values[${off + k}]`, "be a finite number", d.values[off + k]);
      }
      for (let s = 0; s < count; s++) {
        const off = sampleAt(d.count, samplesSeen) * K;
        drive(d.values, off);
        sailnetDynamics(b, W, theta, steps, dtOverTau, u, spiked, n);
        for (let i = 0; i < M; i++) {
          const ni = n[i];
          const row = i * M;
          for (let j = 0; j < M; j++) {
            if (j === i) continue;
            const w = W[row + j] + beta * (ni * n[j] - pp);
            W[row + j] = w > 0 ? w : 0;
          }
          if (ni !== 0) {
            const q = i * K;
            const a = alpha * ni;
            for (let k = 0; k < K; k++) Q[q + k] += a * (d.values[off + k] - ni * Q[q + k]);
          }
          theta[i] += gamma * (ni - p);
        }
        samplesSeen++;
      }
      return { samples: count };
    },
    evaluate(data: SailnetPatches, range): SailnetEvaluation {
      const f = "sailnet.evaluate";
      const d = checkPatches(f, data);
      if (range === null || typeof range !== "object") fail(f, "range", "be { start, count }", range);
      const start = integer(f, "start", range.start, 0);
      const count = integer(f, "count", range.count, 1);
      if (start + count > d.count) fail(f, "count", `be at most data.count − start = ${d.count - start}`, count);
      for (let i = start * K; i < (start + count) * K; i++) if (!Number.isFinite(d.values[i])) fail(f, `data.values[${i}]`, "be a finite number", d.values[i]);
      const counts = new Float64Array(M);
      let co = 0;
      let silent = 0;
      for (let s = 0; s < count; s++) {
        const off = (start + s) * K;
        drive(d.values, off);
        sailnetDynamics(b, W, theta, steps, dtOverTau, u, spiked, n);
        let sum = 0;
        let sumSq = 0;
        for (let i = 0; i < M; i++) {
          counts[i] += n[i];
          sum += n[i];
          sumSq += n[i] * n[i];
        }
        co += sum * sum - sumSq;
        if (sum === 0) silent++;
      }
      let meanCount = 0;
      for (let i = 0; i < M; i++) {
        counts[i] /= count;
        meanCount += counts[i] / M;
      }
      return { accuracy: Number.NaN, meanCount, coactivation: co / (count * M * (M - 1)), silent: silent / count, counts };
    },
    snapshot(): LearnerSnapshot {
      return makeSnapshot("sailnet", samplesSeen, config(), { orderSeed }, {
        weights: { dtype: "F32", shape: [M, K], data: Q.slice() },
        inhibition: { dtype: "F32", shape: [M, M], data: W.slice() },
        thresholds: { dtype: "F32", shape: [M], data: theta.slice() },
      });
    },
    restore(snapshot: LearnerSnapshot): void {
      const r = readSnapshot("sailnet.restore", snapshot, "sailnet", config());
      const q = r.tensor("weights", "F32", [M, K]);
      const w = r.tensor("inhibition", "F32", [M, M]);
      const t = r.tensor("thresholds", "F32", [M]);
      const seed = r.integer("orderSeed", 0, 0xffffffff);
      r.done();
      Q.set(q);
      W.set(w);
      theta.set(t);
      orderSeed = seed;
      sampleAt = epochSampler(orderSeed);
      samplesSeen = r.samplesSeen;
    },
  };
  function config(): object {
    return { kind: "sailnet", ...options };
  }
  Object.defineProperty(net, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `Sailnet(${K} inputs → ${M} neurons, p = ${p}; trained ${samplesSeen})`,
    enumerable: false,
  });
  return net;
}
