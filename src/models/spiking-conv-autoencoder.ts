/**
 * Spiking convolutional autoencoder trained layer by layer with regenerative learning (Panda &
 * Roy, "Unsupervised regenerative learning of hierarchical features in spiking deep networks for
 * object recognition", IJCNN 2016, pp. 299–306; arXiv:1602.01510), with the approximate
 * derivative through the membrane potential of NormAD (Anwani & Rajendran, IJCNN 2015).
 *
 * One layer ℓ, over T steps of dt, input spikes s[t] ∈ {0,1}^{C×H×W} (Poisson for the image,
 * the pooled spikes of layer ℓ − 1 above it), kernels W ∈ ℝ^{K×C×k×k}, valid convolution:
 *
 *   encoder   v[t] = β·v[t−1] + (W ⊛ s[t])          h[t] = [v[t] > θ]      v ← v − θ·h   (K × Ho × Wo)
 *   decoder   u[t] = β_d·u[t−1] + (Wᵀ ⊛ h[t])       r[t] = [u[t] > θ_d]    u ← u − θ_d·r (C × H × W)
 *   error     e[t] = s[t] − r[t]                      (the input regenerated, spike for spike)
 *
 * The decoder shares the encoder's kernels (Wᵀ ⊛ is the transposed, "full" convolution). The loss
 * E = ½ Σ_t ‖e[t]‖² is not differentiable through the threshold; NormAD's approximation keeps
 * only the membrane: without the reset, u_c[t](Y, X) = Σ_{k,a,b} W[k,c,a,b]·ĥ_k[t](Y − a, X − b)
 * with the postsynaptic-potential trace ĥ[t] = β_d·ĥ[t−1] + h[t], so ∂u_c(Y, X)/∂W[·,c,·,·] ≈
 * d̂_{cYX}(t) = the K×k×k patch of ĥ[t] under (Y, X). The update (NormAD's normalised form, per
 * decoder neuron and step, error spikes only, since e = 0 elsewhere):
 *
 *   ΔW[k,c,a,b] = η · Σ_t Σ_{(Y,X): e_c[t](Y,X) ≠ 0} e_c[t](Y,X) · ĥ_k[t](Y − a, X − b) / ‖d̂_{cYX}(t)‖
 *
 * (terms with ‖d̂‖ = 0 are skipped: no hidden spike can change that neuron). Online: one update per
 * image, after its T steps (`regenerativeUpdate` computes the sum; the layer learner applies it).
 * After each layer, p × p OR-pooling (a pooled neuron spikes at t when any of its block does) with
 * stride p feeds the next layer. Features for a readout: spike counts of the last stage.
 *
 * Convolutions run event-driven on the spikes in plain loops, not through TensorFlow.js: a spike
 * adds its kernel to the currents, so the cost follows the spike count; tfjs's wasm conv2d ran
 * single-channel spike frames at about 0.1 GFLOP/s here (measured), far slower than this.
 *
 * Layout: kernels [K][C][k][k] (map-major); maps [C][H][W], row-major. Every image draws its
 * input spikes from its own generator, seeded by the network's seed and the sample's position
 * (training) or index (evaluation, features), so results do not depend on call order.
 *
 * @example
 *   const net = spikingConvAutoencoder({ ...spikingConvAutoencoderDefaults, rng: createRng(1) });
 *   await fit(net.layer(0), train, { epochs: 1, validation });      // layer 1 learns to regenerate its input
 *   await fit(net.layer(1), train, { epochs: 1, validation });      // then layer 2, on layer 1's spikes
 *   const f = net.features(train, { start: 0, count: train.count }); // spike counts for a readout
 */
import { checkRng, createRng, type Rng } from "../core/random";
import { allFinite, fail, finite, inRange, integer, mergeOptions, positive } from "../core/validate";
import { poissonStep } from "../encoders/poisson";
import { logEvaluation } from "../datasets/evaluation-log";
import { checkImageDataset, type ImageDataset } from "../datasets/image-dataset";
import type { Learner, LearnerEvaluation, LearnOptions, LearnStep } from "../learning/learner";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import type { LabelledFeatures } from "../training/linear-classifier";

/** One learning layer of the stack. */
export interface ConvAutoencoderLayerSpec {
  /** Number of kernels (feature maps) K. */
  readonly maps: number;
  /** Kernel side k, pixels (valid convolution, stride 1). */
  readonly kernel: number;
  /** Encoder threshold θ (membrane units: a kernel weight is the jump of one input spike). */
  readonly threshold: number;
  /** Decoder threshold θ_d. */
  readonly reconstructionThreshold: number;
  /** OR-pooling block and stride p after the layer (1: none). */
  readonly pool: number;
}

/** Options of `spikingConvAutoencoder` (file header for the symbols). */
export interface SpikingConvAutoencoderOptions {
  /** Image height and width, pixels. */
  readonly imageHeight: number;
  readonly imageWidth: number;
  /** Time steps T per image. */
  readonly steps: number;
  /** Step dt, ms. */
  readonly dt: number;
  /** Poisson rate of a pixel of intensity 255, 1/ms (rate ∝ intensity). */
  readonly maxRate: number;
  /** Encoder membrane decay β per step (1: no leak). */
  readonly beta: number;
  /** Decoder membrane decay β_d per step, also the decay of the trace ĥ. */
  readonly decoderBeta: number;
  /** Learning rate η. */
  readonly learningRate: number;
  /** Initial kernels: normal(weightMean, weightSd). */
  readonly weightMean: number;
  readonly weightSd: number;
  /**
   * L2 norm each kernel W[k] (all its C×k×k weights) is scaled to at the start and after every
   * update; 0: no constraint. Without it the tied decoder can silence the encoder for good:
   * extra regenerated spikes push every weight down until no hidden neuron fires, and then no
   * trace ĥ is left to learn from.
   */
  readonly kernelNorm: number;
  /** The learning layers, input side first. */
  readonly layers: readonly ConvAutoencoderLayerSpec[];
}

/** Defaults: the two learning layers of our notebook 18 on 28 × 28 MNIST (12c5-p2-64c5-p2). */
export const spikingConvAutoencoderDefaults: Readonly<SpikingConvAutoencoderOptions> = Object.freeze({
  imageHeight: 28, imageWidth: 28, steps: 16, dt: 1, maxRate: 0.5, beta: 0.9, decoderBeta: 0.9, learningRate: 2e-4,
  weightMean: 0.05, weightSd: 0.1, kernelNorm: 1,
  layers: Object.freeze([
    Object.freeze({ maps: 12, kernel: 5, threshold: 1, reconstructionThreshold: 4, pool: 2 }),
    Object.freeze({ maps: 64, kernel: 5, threshold: 1, reconstructionThreshold: 4, pool: 2 }),
  ]),
});

/** What a layer's `evaluate` returns: reconstruction figures (no labels are used). */
export interface ConvAutoencoderEvaluation extends LearnerEvaluation {
  /** Fraction of input (neuron, step) bins whose regenerated spike equals the input's: r = s. */
  readonly accuracy: number;
  /** Σ|e| / Σ s: wrong bins (missed plus extra spikes) per input spike. */
  readonly reconstructionError: number;
  /** Input spikes per image. */
  readonly inputSpikes: number;
  /** Regenerated spikes per image. */
  readonly reconstructionSpikes: number;
  /** Hidden (encoder) spikes per neuron per step. */
  readonly hiddenRate: number;
}

/** A layer of the stack as a `Learner` (its own position; layers below only infer). */
export interface ConvAutoencoderLayer extends Learner<ImageDataset, ConvAutoencoderEvaluation> {
  readonly name: "spikingConvAutoencoder";
  /** The layer's index, 0-based. */
  readonly index: number;
}

/** Spike counts over T of one image at a layer's input and of its regeneration. */
export interface ConvAutoencoderReconstruction {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** Input spike counts, [C][H][W]. */
  readonly input: Float32Array;
  /** Regenerated spike counts r, [C][H][W]. */
  readonly reconstruction: Float32Array;
}

/** A network built by `spikingConvAutoencoder`. */
export interface SpikingConvAutoencoder {
  readonly name: "spikingConvAutoencoder";
  readonly options: Readonly<SpikingConvAutoencoderOptions>;
  /** Kernels, one [K][C][k][k] array per layer (live: training changes them). */
  readonly weights: readonly Float32Array[];
  /** Images each layer has trained on. */
  readonly layerSamples: readonly number[];
  /** Shapes: the input, then each layer's conv output and, when pooled, its pooled output. */
  readonly stages: readonly { readonly name: string; readonly channels: number; readonly height: number; readonly width: number }[];
  /** Length of a feature vector (the last stage's neurons). */
  readonly featureSize: number;
  /** Layer `index` as a Learner, for `fit`. */
  layer(index: number): ConvAutoencoderLayer;
  /** Spike counts of the last stage for images [start, start + count) of `data`, in order. */
  features(data: ImageDataset, range: { readonly start: number; readonly count: number }): LabelledFeatures;
  /**
   * Operations of the feature pass over images [start, start + count) (the same pass as `features`):
   * SOPs = every input spike of a layer × its fan-out (maps × the output positions whose window covers
   * it), summed over the steps; MACs = the same convolutions run once, densely, as an ANN.
   */
  operations(data: ImageDataset, range: { readonly start: number; readonly count: number }): ConvAutoencoderOperations;
  /** Input and regenerated spike counts of layer `layer` for image `index` of `data` (no learning). */
  reconstruct(data: ImageDataset, index: number, layer: number): ConvAutoencoderReconstruction;
  snapshot(): LearnerSnapshot;
  restore(snapshot: LearnerSnapshot): void;
}

/** `operations`' result: means per image. */
export interface ConvAutoencoderOperations {
  readonly count: number;
  /** Synaptic operations per image, all layers. */
  readonly sops: number;
  /** Per layer. */
  readonly sopsPerLayer: readonly number[];
  /** Multiply-accumulates of one dense pass of the same convolutions. */
  readonly macs: number;
}

/** Shapes of one layer's regenerative update. */
export interface RegenerativeShape {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly maps: number;
  readonly kernel: number;
}

/**
 * Adds one step's regenerative update direction to `out` [K][C][k][k], in place (file header):
 * Σ over error neurons (c, Y, X) of e·d̂/‖d̂‖, d̂ the K×k×k patch of `trace` (ĥ, [K][Ho][Wo]) under
 * (Y, X). `error` is e = s − r, [C][H][W]. Returns the number of terms added.
 * @example
 *   const out = new Float32Array(1 * 1 * 2 * 2);
 *   regenerativeUpdate(new Float32Array([1, 0, 0, 0]), new Float32Array([0, 0, 0, 0, 1, 0, 0, 0, 0]),
 *     { channels: 1, height: 3, width: 3, maps: 1, kernel: 2 }, out);
 *   out;   // [0, 0, 0, 1]: e = 1 at (1, 1) sees ĥ(0, 0) = 1 through offset (a, b) = (1, 1); ‖d̂‖ = 1
 */
export function regenerativeUpdate(trace: Float32Array, error: Float32Array | Int8Array, shape: RegenerativeShape, out: Float32Array): number {
  const fn = "regenerativeUpdate";
  const { channels: C, height: H, width: W, maps: K, kernel: k } = shape ?? ({} as RegenerativeShape);
  integer(fn, "shape.channels", C, 1);
  integer(fn, "shape.height", H, 1);
  integer(fn, "shape.width", W, 1);
  integer(fn, "shape.maps", K, 1);
  integer(fn, "shape.kernel", k, 1);
  if (k > H || k > W) fail(fn, "shape.kernel", `be at most the input map (${H}×${W})`, k);
  const Ho = H - k + 1;
  const Wo = W - k + 1;
  if (!(trace instanceof Float32Array) || trace.length !== K * Ho * Wo) fail(fn, "trace", `be a Float32Array of K·Ho·Wo = ${K * Ho * Wo}`, trace);
  if (!(error instanceof Float32Array || error instanceof Int8Array) || error.length !== C * H * W) fail(fn, "error", `be a Float32Array or Int8Array of C·H·W = ${C * H * W}`, error);
  if (!(out instanceof Float32Array) || out.length !== K * C * k * k) fail(fn, "out", `be a Float32Array of K·C·k·k = ${K * C * k * k}`, out);
  allFinite(fn, "trace", trace);
  allFinite(fn, "error", error);
  return addUpdate(trace, error, C, H, W, K, k, out);
}

function addUpdate(trace: Float32Array, error: ArrayLike<number>, C: number, H: number, W: number, K: number, k: number, out: Float32Array): number {
  const Ho = H - k + 1;
  const Wo = W - k + 1;
  const kk = k * k;
  let terms = 0;
  for (let c = 0; c < C; c++) {
    for (let Y = 0; Y < H; Y++) {
      // Kernel rows a with 0 ≤ Y − a < Ho.
      const aLo = Math.max(0, Y - Ho + 1);
      const aHi = Math.min(k - 1, Y);
      for (let X = 0; X < W; X++) {
        const e = error[(c * H + Y) * W + X];
        if (e === 0) continue;
        const bLo = Math.max(0, X - Wo + 1);
        const bHi = Math.min(k - 1, X);
        let norm2 = 0;
        for (let m = 0; m < K; m++) {
          const base = m * Ho * Wo;
          for (let a = aLo; a <= aHi; a++) {
            const row = base + (Y - a) * Wo + X;
            for (let b = bLo; b <= bHi; b++) { const v = trace[row - b]; norm2 += v * v; }
          }
        }
        if (norm2 === 0) continue;
        const g = e / Math.sqrt(norm2);
        for (let m = 0; m < K; m++) {
          const base = m * Ho * Wo;
          const wBase = (m * C + c) * kk;
          for (let a = aLo; a <= aHi; a++) {
            const row = base + (Y - a) * Wo + X;
            const wRow = wBase + a * k;
            for (let b = bLo; b <= bHi; b++) out[wRow + b] += g * trace[row - b];
          }
        }
        terms++;
      }
    }
  }
  return terms;
}

/** Scales each of the `maps` kernels of `w` to L2 norm `norm`, in place (0: leaves them). */
function normalizeKernels(w: Float32Array, maps: number, norm: number): void {
  if (norm === 0) return;
  const size = w.length / maps;
  for (let m = 0; m < maps; m++) {
    let s = 0;
    for (let i = m * size; i < (m + 1) * size; i++) s += w[i] * w[i];
    if (s === 0) continue;
    const f = norm / Math.sqrt(s);
    for (let i = m * size; i < (m + 1) * size; i++) w[i] *= f;
  }
}

/** Per-layer buffers, allocated once. */
interface LayerBuffers {
  readonly C: number; readonly H: number; readonly W: number; readonly K: number; readonly k: number;
  readonly Ho: number; readonly Wo: number; readonly p: number; readonly Hp: number; readonly Wp: number;
  readonly v: Float32Array; readonly current: Float32Array; readonly hidden: Uint8Array; readonly hiddenList: Int32Array;
  readonly pooled: Uint8Array; readonly counts: Float32Array;
  readonly u: Float32Array; readonly decoded: Float32Array; readonly trace: Float32Array; readonly error: Int8Array;
  readonly update: Float32Array; readonly inputCounts: Float32Array; readonly reconCounts: Float32Array;
}

/** A 32-bit mix of a seed and a position (splitmix-style), for per-image generators. */
function mixSeed(seed: number, position: number, salt: number): number {
  let z = (seed ^ Math.imul(position + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Builds the stack with kernels drawn from `rng` (file header). Every setting is checked here,
 * before any work.
 * @example
 *   const net = spikingConvAutoencoder({ ...spikingConvAutoencoderDefaults, rng: createRng(1) });
 *   net.featureSize;   // 1024 (64 maps × 4 × 4)
 */
export function spikingConvAutoencoder(init: Partial<SpikingConvAutoencoderOptions> & { readonly rng: Rng }): SpikingConvAutoencoder {
  const fn = "spikingConvAutoencoder";
  if (init === null || typeof init !== "object") fail(fn, "options", "be an object", init);
  const { rng: rngIn, ...rest } = init;
  const rng = checkRng(fn, "rng", rngIn);
  const o = mergeOptions(fn, spikingConvAutoencoderDefaults, rest as Partial<SpikingConvAutoencoderOptions>);
  const imageHeight = integer(fn, "imageHeight", o.imageHeight, 1);
  const imageWidth = integer(fn, "imageWidth", o.imageWidth, 1);
  const steps = integer(fn, "steps", o.steps, 1);
  const dt = positive(fn, "dt", o.dt);
  const maxRate = positive(fn, "maxRate", o.maxRate);
  if (maxRate * dt > 1) fail(fn, "maxRate", `be at most 1/dt = ${1 / dt} per ms (a spike per step)`, maxRate);
  inRange(fn, "beta", o.beta, 0, 1);
  inRange(fn, "decoderBeta", o.decoderBeta, 0, 1);
  positive(fn, "learningRate", o.learningRate);
  finite(fn, "weightMean", o.weightMean);
  inRange(fn, "weightSd", o.weightSd, 0, Infinity);
  inRange(fn, "kernelNorm", o.kernelNorm, 0, Infinity);
  if (!Array.isArray(o.layers) || o.layers.length === 0) fail(fn, "layers", "be a non-empty array of layer specs", o.layers);
  const stages: { name: string; channels: number; height: number; width: number }[] = [{ name: "input", channels: 1, height: imageHeight, width: imageWidth }];
  const buffers: LayerBuffers[] = [];
  let C = 1;
  let H = imageHeight;
  let W = imageWidth;
  o.layers.forEach((spec, l) => {
    const p = `layers[${l}]`;
    if (spec === null || typeof spec !== "object") fail(fn, p, "be a layer spec {maps, kernel, threshold, reconstructionThreshold, pool}", spec);
    const K = integer(fn, `${p}.maps`, spec.maps, 1);
    const k = integer(fn, `${p}.kernel`, spec.kernel, 1);
    if (k > H || k > W) fail(fn, `${p}.kernel`, `be at most its input map (${H}×${W})`, k);
    positive(fn, `${p}.threshold`, spec.threshold);
    if (!Number.isFinite(spec.threshold)) fail(fn, `${p}.threshold`, "be a finite number > 0", spec.threshold);
    positive(fn, `${p}.reconstructionThreshold`, spec.reconstructionThreshold);
    if (!Number.isFinite(spec.reconstructionThreshold)) fail(fn, `${p}.reconstructionThreshold`, "be a finite number > 0", spec.reconstructionThreshold);
    const pool = integer(fn, `${p}.pool`, spec.pool, 1);
    const Ho = H - k + 1;
    const Wo = W - k + 1;
    if (pool > Ho || pool > Wo) fail(fn, `${p}.pool`, `be at most its conv map (${Ho}×${Wo})`, pool);
    stages.push({ name: `conv${l + 1}`, channels: K, height: Ho, width: Wo });
    const Hp = Math.floor(Ho / pool);
    const Wp = Math.floor(Wo / pool);
    if (pool > 1) stages.push({ name: `pool${l + 1}`, channels: K, height: Hp, width: Wp });
    buffers.push({
      C, H, W, K, k, Ho, Wo, p: pool, Hp, Wp,
      v: new Float32Array(K * Ho * Wo), current: new Float32Array(K * Ho * Wo), hidden: new Uint8Array(K * Ho * Wo),
      hiddenList: new Int32Array(K * Ho * Wo), pooled: new Uint8Array(K * Hp * Wp), counts: new Float32Array(K * Hp * Wp),
      u: new Float32Array(C * H * W), decoded: new Float32Array(C * H * W), trace: new Float32Array(K * Ho * Wo),
      error: new Int8Array(C * H * W), update: new Float32Array(K * C * k * k),
      inputCounts: new Float32Array(C * H * W), reconCounts: new Float32Array(C * H * W),
    });
    C = K;
    H = Hp;
    W = Wp;
  });
  const featureSize = C * H * W;
  const options: Readonly<SpikingConvAutoencoderOptions> = Object.freeze({ ...o, layers: Object.freeze(o.layers.map((s) => Object.freeze({ ...s }))) });
  const layers = options.layers;
  const weights = buffers.map((b) => {
    const layerRng = rng.fork();
    const w = new Float32Array(b.K * b.C * b.k * b.k);
    for (let i = 0; i < w.length; i++) w[i] = layerRng.normal(o.weightMean, o.weightSd);
    normalizeKernels(w, b.K, o.kernelNorm);
    return w;
  });
  let seed = rng.nextUint32();
  const layerSamples = layers.map(() => 0);
  const pixelsPer = imageHeight * imageWidth;
  const rates = new Float32Array(pixelsPer);
  const inputSpikes = new Uint8Array(pixelsPer);
  const layerInputs: Uint8Array[] = [inputSpikes];
  const layerInputList: Int32Array[] = [new Int32Array(pixelsPer)];
  buffers.forEach((b) => {
    layerInputs.push(b.p > 1 ? b.pooled : b.hidden);
    layerInputList.push(new Int32Array(b.p > 1 ? b.pooled.length : b.hidden.length));
  });

  /** Totals of one image's pass (the layer that regenerates). */
  const totals = { input: 0, recon: 0, wrong: 0, hidden: 0 };

  /**
   * Runs image `pixels` through layers 0 … upTo for T steps with spikes from `imageRng`. Layer
   * `upTo` also regenerates its input when `decode` (and accumulates the update when `learn`);
   * `counting` sums the last stage's spikes into its counts buffer.
   */
  function run(pixels: Uint8Array, imageRng: Rng, upTo: number, decode: boolean, learn: boolean, counting: boolean, recordCounts: boolean): void {
    for (let i = 0; i < pixelsPer; i++) rates[i] = (pixels[i] / 255) * maxRate;
    for (let l = 0; l <= upTo; l++) {
      const b = buffers[l];
      b.v.fill(0);
      if (counting && l === upTo) b.counts.fill(0);
      if (decode && l === upTo) {
        b.u.fill(0);
        b.trace.fill(0);
        b.update.fill(0);
        if (recordCounts) { b.inputCounts.fill(0); b.reconCounts.fill(0); }
      }
    }
    totals.input = 0; totals.recon = 0; totals.wrong = 0; totals.hidden = 0;
    for (let t = 0; t < steps; t++) {
      poissonStep(rates, imageRng, dt, inputSpikes);
      for (let l = 0; l <= upTo; l++) {
        const b = buffers[l];
        const spec = layers[l];
        const w = weights[l];
        const input = layerInputs[l];
        const list = layerInputList[l];
        let n = 0;
        for (let i = 0; i < input.length; i++) if (input[i] !== 0) list[n++] = i;
        if (opsCount !== null) opsCount[l] += fanOut(b, list, n);
        const spikes = encodeStep(b, w, list, n, spec.threshold, options.beta);
        if (l === upTo) totals.hidden += spikes;
        if (b.p > 1) pool(b);
        if (l === upTo) {
          if (counting) {
            const out = b.p > 1 ? b.pooled : b.hidden;
            const counts = b.counts;
            for (let i = 0; i < out.length; i++) counts[i] += out[i];
          }
          if (decode) decodeStep(b, w, input, spec.reconstructionThreshold, options.decoderBeta, learn, recordCounts);
        }
      }
    }
  }

  /** Counting SOPs per layer during `operations` (null otherwise). */
  let opsCount: Float64Array | null = null;

  /** Σ over the n input spikes in `list` of maps × the output positions whose window covers the spike (valid convolution). */
  function fanOut(b: LayerBuffers, list: Int32Array, n: number): number {
    const { H, W, K, k, Ho, Wo } = b;
    let total = 0;
    for (let s = 0; s < n; s++) {
      const idx = list[s];
      const rem = idx % (H * W);
      const y = Math.floor(rem / W);
      const x = rem - y * W;
      const rows = Math.min(k - 1, y) - Math.max(0, y - Ho + 1) + 1;
      const cols = Math.min(k - 1, x) - Math.max(0, x - Wo + 1) + 1;
      total += K * rows * cols;
    }
    return total;
  }

  function encodeStep(b: LayerBuffers, w: Float32Array, list: Int32Array, n: number, threshold: number, beta: number): number {
    const { C, H, W, K, k, Ho, Wo } = b;
    const cur = b.current;
    cur.fill(0);
    const kk = k * k;
    const plane = Ho * Wo;
    for (let s = 0; s < n; s++) {
      const idx = list[s];
      const c = Math.floor(idx / (H * W));
      const rem = idx - c * H * W;
      const y = Math.floor(rem / W);
      const x = rem - y * W;
      // Output (oy, ox) = (y − a, x − b) for kernel offsets with the output inside the map.
      const aLo = Math.max(0, y - Ho + 1);
      const aHi = Math.min(k - 1, y);
      const bLo = Math.max(0, x - Wo + 1);
      const bHi = Math.min(k - 1, x);
      for (let m = 0; m < K; m++) {
        const wBase = (m * C + c) * kk;
        const oBase = m * plane;
        for (let a = aLo; a <= aHi; a++) {
          const row = oBase + (y - a) * Wo + x;
          const wRow = wBase + a * k;
          for (let bb = bLo; bb <= bHi; bb++) cur[row - bb] += w[wRow + bb];
        }
      }
    }
    const v = b.v;
    const hidden = b.hidden;
    let spikes = 0;
    for (let i = 0; i < v.length; i++) {
      const vi = beta * v[i] + cur[i];
      if (vi > threshold) { hidden[i] = 1; v[i] = vi - threshold; spikes++; }
      else { hidden[i] = 0; v[i] = vi; }
    }
    return spikes;
  }

  function pool(b: LayerBuffers): void {
    const { K, Ho, Wo, p, Hp, Wp } = b;
    const h = b.hidden;
    const out = b.pooled;
    for (let m = 0; m < K; m++) {
      for (let py = 0; py < Hp; py++) {
        for (let px = 0; px < Wp; px++) {
          let any = 0;
          for (let dy = 0; dy < p && !any; dy++) {
            const row = (m * Ho + py * p + dy) * Wo + px * p;
            for (let dx = 0; dx < p; dx++) if (h[row + dx]) { any = 1; break; }
          }
          out[(m * Hp + py) * Wp + px] = any;
        }
      }
    }
  }

  function decodeStep(b: LayerBuffers, w: Float32Array, input: Uint8Array, threshold: number, beta: number, learn: boolean, recordCounts: boolean): void {
    const { C, H, W, K, k, Ho, Wo } = b;
    const dec = b.decoded;
    dec.fill(0);
    const kk = k * k;
    const hidden = b.hidden;
    const trace = b.trace;
    const list = b.hiddenList;
    let n = 0;
    for (let i = 0; i < hidden.length; i++) {
      trace[i] = beta * trace[i] + hidden[i];
      if (hidden[i]) list[n++] = i;
    }
    const plane = Ho * Wo;
    for (let s = 0; s < n; s++) {
      const idx = list[s];
      const m = Math.floor(idx / plane);
      const rem = idx - m * plane;
      const oy = Math.floor(rem / Wo);
      const ox = rem - oy * Wo;
      for (let c = 0; c < C; c++) {
        const wBase = (m * C + c) * kk;
        const dBase = c * H * W;
        for (let a = 0; a < k; a++) {
          const row = dBase + (oy + a) * W + ox;
          const wRow = wBase + a * k;
          for (let bb = 0; bb < k; bb++) dec[row + bb] += w[wRow + bb];
        }
      }
    }
    const u = b.u;
    const err = b.error;
    let recon = 0;
    let inputs = 0;
    let wrong = 0;
    for (let i = 0; i < u.length; i++) {
      const ui = beta * u[i] + dec[i];
      let r = 0;
      if (ui > threshold) { r = 1; u[i] = ui - threshold; }
      else u[i] = ui;
      const e = input[i] - r;
      err[i] = e;
      recon += r;
      inputs += input[i];
      if (e !== 0) wrong++;
      if (recordCounts) { b.inputCounts[i] += input[i]; b.reconCounts[i] += r; }
    }
    totals.recon += recon;
    totals.input += inputs;
    totals.wrong += wrong;
    if (learn && wrong > 0) addUpdate(trace, err, C, H, W, K, k, b.update);
  }

  function checkData(f: string, data: ImageDataset): ImageDataset {
    const d = checkImageDataset(f, "data", data);
    if (d.rows !== imageHeight || d.cols !== imageWidth) {
      fail(f, "data", `hold ${imageHeight}×${imageWidth} images (the network's imageHeight × imageWidth)`, `${d.rows}×${d.cols} images`);
    }
    if (d.count === 0) fail(f, "data", "hold at least one image", "an empty data set");
    return d;
  }

  function checkLayer(f: string, index: number): number {
    integer(f, "layer", index, 0);
    if (index >= layers.length) fail(f, "layer", `be an integer in [0, ${layers.length - 1}]`, index);
    return index;
  }

  const epochOrders = new Map<string, Uint32Array>();
  function sampleAt(layer: number, count: number, position: number): number {
    const epoch = Math.floor(position / count);
    const key = `${layer}:${epoch}:${count}`;
    let order = epochOrders.get(key);
    if (!order) {
      order = new Uint32Array(count);
      for (let i = 0; i < count; i++) order[i] = i;
      createRng(mixSeed(seed, epoch, 101 + layer)).shuffle(order);
      epochOrders.clear();
      epochOrders.set(key, order);
    }
    return order[position % count];
  }

  const layerLearners = layers.map((_, l) => {
    const learner: ConvAutoencoderLayer = {
      name: "spikingConvAutoencoder",
      index: l,
      get samplesSeen() {
        return layerSamples[l];
      },
      get learningRate() {
        return options.learningRate;
      },
      learn(data: ImageDataset, opts: LearnOptions): LearnStep {
        const f = "spikingConvAutoencoder.learn";
        const d = checkData(f, data);
        if (opts === null || typeof opts !== "object") fail(f, "options", "be {count, learningRate?}", opts);
        const count = integer(f, "count", opts.count, 0);
        const eta = opts.learningRate === undefined ? options.learningRate : positive(f, "learningRate", opts.learningRate);
        const w = weights[l];
        const b = buffers[l];
        let loss = 0;
        for (let i = 0; i < count; i++) {
          const position = layerSamples[l];
          const index = sampleAt(l, d.count, position);
          run(d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer), createRng(mixSeed(seed, position, 1 + l)), l, true, true, false, false);
          const upd = b.update;
          for (let j = 0; j < w.length; j++) w[j] += eta * upd[j];
          normalizeKernels(w, b.K, options.kernelNorm);
          loss += totals.input > 0 ? totals.wrong / totals.input : 0;
          layerSamples[l] = position + 1;
        }
        return count > 0 ? { samples: count, loss: loss / count } : { samples: 0 };
      },
      evaluate(data: ImageDataset, range: { readonly start: number; readonly count: number }): ConvAutoencoderEvaluation {
        const f = "spikingConvAutoencoder.evaluate";
        const d = checkData(f, data);
        const { start, count } = checkRange(f, d, range);
        let inputs = 0;
        let recon = 0;
        let wrong = 0;
        let hidden = 0;
        for (let i = 0; i < count; i++) {
          const index = start + i;
          run(d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer), createRng(mixSeed(seed, index, 1000 + l)), l, true, false, false, false);
          inputs += totals.input;
          recon += totals.recon;
          wrong += totals.wrong;
          hidden += totals.hidden;
        }
        logEvaluation(f, net, d, { start, count, trained: layerSamples[l] });
        const b = buffers[l];
        const bins = count * steps * b.C * b.H * b.W;
        return Object.freeze({
          accuracy: 1 - wrong / bins,
          reconstructionError: inputs > 0 ? wrong / inputs : 0,
          inputSpikes: inputs / count,
          reconstructionSpikes: recon / count,
          hiddenRate: hidden / (count * steps * b.hidden.length),
        });
      },
      snapshot: () => net.snapshot(),
      restore: (s: LearnerSnapshot) => net.restore(s),
    };
    return Object.freeze(learner);
  });

  function checkRange(f: string, d: ImageDataset, range: { readonly start: number; readonly count: number }) {
    if (range === null || typeof range !== "object") fail(f, "range", "be {start, count}", range);
    const start = integer(f, "start", range.start, 0);
    const count = integer(f, "count", range.count, 1);
    if (start + count > d.count) fail(f, "count", `be at most data.count − start = ${d.count - start}`, count);
    return { start, count };
  }

  const net: SpikingConvAutoencoder = {
    name: "spikingConvAutoencoder",
    options,
    weights,
    layerSamples,
    stages: Object.freeze(stages.map((s) => Object.freeze(s))),
    featureSize,
    layer(index) {
      return layerLearners[checkLayer("spikingConvAutoencoder.layer", index)];
    },
    features(data, range) {
      const f = "spikingConvAutoencoder.features";
      const d = checkData(f, data);
      const { start, count } = checkRange(f, d, range);
      const last = layers.length - 1;
      const values = new Float32Array(count * featureSize);
      const counts = buffers[last].counts;
      for (let i = 0; i < count; i++) {
        const index = start + i;
        run(d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer), createRng(mixSeed(seed, index, 2000)), last, false, false, true, false);
        values.set(counts, i * featureSize);
      }
      return Object.freeze({ values, count, dim: featureSize, labels: d.labels.slice(start, start + count), name: d.name, split: d.split });
    },
    operations(data, range) {
      const f = "spikingConvAutoencoder.operations";
      const d = checkData(f, data);
      const { start, count } = checkRange(f, d, range);
      const last = layers.length - 1;
      const counted = new Float64Array(layers.length);
      opsCount = counted;
      try {
        for (let i = 0; i < count; i++) {
          const index = start + i;
          run(d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer), createRng(mixSeed(seed, index, 2000)), last, false, false, true, false);
        }
      } finally {
        opsCount = null;
      }
      const sopsPerLayer = Array.from(counted, (v) => v / count);
      const macs = buffers.reduce((a, b) => a + b.Ho * b.Wo * b.K * b.k * b.k * b.C, 0);
      return Object.freeze({ count, sops: sopsPerLayer.reduce((a, b) => a + b, 0), sopsPerLayer: Object.freeze(sopsPerLayer), macs });
    },
    reconstruct(data, index, layer) {
      const f = "spikingConvAutoencoder.reconstruct";
      const d = checkData(f, data);
      integer(f, "index", index, 0);
      if (index >= d.count) fail(f, "index", `be below data.count = ${d.count}`, index);
      const l = checkLayer(f, layer);
      run(d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer), createRng(mixSeed(seed, index, 1000 + l)), l, true, false, false, true);
      const b = buffers[l];
      return Object.freeze({ channels: b.C, height: b.H, width: b.W, input: b.inputCounts.slice(), reconstruction: b.reconCounts.slice() });
    },
    snapshot() {
      const tensors: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }> = {};
      buffers.forEach((b, l) => {
        tensors[`layers.${l}.weight`] = { dtype: "F32", shape: [b.K, b.C, b.k, b.k], data: weights[l].slice() };
      });
      return makeSnapshot("spikingConvAutoencoder", layerSamples.reduce((a, b) => a + b, 0), snapshotConfig(), { seed, layerSamples: [...layerSamples] }, tensors);
    },
    restore(snapshot) {
      const f = "spikingConvAutoencoder.restore";
      const r = readSnapshot(f, snapshot, "spikingConvAutoencoder", snapshotConfig());
      const read = buffers.map((b, l) => r.tensor(`layers.${l}.weight`, "F32", [b.K, b.C, b.k, b.k]) as Float32Array);
      const s = r.integer("seed", 0, 0xffffffff);
      const samples = r.counts("layerSamples", layers.length);
      r.done();
      read.forEach((data, l) => weights[l].set(data));
      seed = s;
      epochOrders.clear();
      samples.forEach((v, l) => (layerSamples[l] = v));
    },
  };
  function snapshotConfig(): object {
    return { kind: "spikingConvAutoencoder", ...options };
  }
  Object.defineProperty(net, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `SpikingConvAutoencoder(${stages.map((s) => `${s.name} ${s.channels}×${s.height}×${s.width}`).join(" → ")}; features ${featureSize}; trained ${layerSamples.join("/")})`,
    enumerable: false,
  });
  return net;
}
