/**
 * The layer-wise spiking CNN of Tavanaei & Maida ("Bio-inspired spiking convolutional neural
 * network using layer-wise sparse coding and STDP learning", arXiv 1611.03000, 2016; "Multi-layer
 * unsupervised learning in a spiking convolutional neural network", IJCNN 2017; card E18 — the
 * review's Fig. 5), with the probabilistic LIF neurons and probabilistic STDP of Tavanaei,
 * Masquelier & Maida (IJCNN 2016, after Nessler et al. 2013).
 *
 * Pipeline, per image (pixels p ∈ [0, 1]):
 *
 *   conv   at every k × k window (stride 1, no padding), the SAILnet of models/sailnet.ts runs on
 *          the window, normalised as its training patches were (x = s·(p − mean(p))): drive
 *          b = Q·x, lateral inhibition W, thresholds θ, `steps` steps. The spikes of its M neurons
 *          are the M maps' spike trains at that position (a blank window never spikes).
 *   pool   pool × pool windows, stride pool: a pooled neuron spikes at step t when any neuron of its
 *          window and map spikes at t (max pooling of spike trains).
 *   feature probabilistic LIF neurons, F per position of a window × window × M receptive field
 *          sliding with `stride` over the pooled maps (weights shared by the positions, like a
 *          convolution). Membrane of neuron k at a position:
 *            u_k(t) = e^(−1/τ)·u_k(t−1) + Σ_{inputs i spiking at t} w_ki
 *          a leaky integration of weighted input spikes. While the position's input is active
 *          (its leaky input count A(t) = e^(−1/τ)·A(t−1) + #spikes(t) exceeds `activity`), one of
 *          neurons spikes with probability `rate` per step, neuron k with probability
 *          softmax(gain·u)_k — the stochastic winner-take-all of the probabilistic neurons (the
 *          softmax is the implicit lateral inhibition). With `groups` > 1 the F neurons form that
 *          many independent winner-take-all groups, each with its own winner at such a step.
 *   STDP   when neuron k spikes at t during learning, for every input i of its field:
 *            Δw_ki = η (e^(c − w_ki) − 1)   if input i spiked in (t − σ, t]   (LTP)
 *            Δw_ki = −η                     otherwise                       (LTD)
 *          Nessler's rule with Tavanaei's shift c: w_ki → c + log P(input i active | k spikes),
 *          kept in [0, c] (log-probabilities below −c are clipped, which also keeps e^(c − w)
 *          bounded); c cancels in the softmax.
 *   features the spike counts of the feature neurons, positions × F, for a linear classifier
 *          (training/linear-classifier.ts, an SVM as in the paper).
 *
 * Training is layer-wise and unsupervised: SAILnet first (its own `Learner`, on patches), then this
 * network, a `Learner` over images whose `learn` trains the feature layer (the conv layer is the
 * SAILnet's code, copied and fixed). `evaluate` returns `accuracy: NaN` (no labels: the readout is
 * the classifier) beside the spike counts per image. Sampling uses a generator seeded per image
 * (the network's seed and the image's index), so features do not depend on the order of calls.
 *
 * @example
 *   const patches = imagePatches(train, { size: 5, count: 50000, rng: createRng(2) });
 *   const code = sailnet({ inputs: 25, neurons: 32, rng: createRng(1) });
 *   await fit(code, patches, { epochs: 4 });
 *   const net = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, rng: createRng(3) });
 *   await fit(net, train, { samples: 5000 });
 *   const f = net.features(train, { start: 0, count: 1000 });   // spike counts, 1000 × net.featureSize
 */
import { checkRng, createRng, type Rng } from "../core/random";
import { fail, inRange, integer, mergeOptions, positive } from "../core/validate";
import { checkImageDataset, type DatasetSplit, type ImageDataset } from "../datasets/image-dataset";
import type { Learner, LearnerEvaluation, LearnOptions, LearnStep } from "../learning/learner";
import { epochSampler } from "../learning/epoch-order";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import type { LabelledFeatures } from "../training/linear-classifier";
import { sailnetDynamics, type Sailnet } from "./sailnet";

/** Settings of the network after the SAILnet conv layer (`tavanaeiCnnDefaults`). */
export interface TavanaeiCnnOptions {
  /** Image height and width, pixels. */
  readonly imageHeight: number;
  readonly imageWidth: number;
  /** The SAILnet patches' scale (`imagePatches(...).scale`): windows are normalised the same way. */
  readonly inputScale: number;
  /** Pooling window and stride on the conv maps. */
  readonly pool: number;
  /** Receptive field side of a feature neuron, in pooled pixels. */
  readonly window: number;
  /** Stride of the feature neurons' receptive fields. */
  readonly stride: number;
  /** Feature neurons F per position. */
  readonly features: number;
  /** Inverse temperature of the softmax: neuron k fires with probability ∝ e^(gain·u_k). */
  readonly gain: number;
  /** Independent winner-take-all groups the F neurons form (F/groups neurons each; one winner per group and spike event). */
  readonly groups: number;
  /** Membrane time constant τ of the feature neurons, steps. */
  readonly tau: number;
  /** Leaky input count above which a position's neurons may spike. */
  readonly activity: number;
  /** Probability per step that a position with active input emits a spike. */
  readonly rate: number;
  /** STDP window σ, steps: an input spike in (t − σ, t] counts as before the output spike at t. */
  readonly sigma: number;
  /** Learning rate η. */
  readonly eta: number;
  /** Weight shift c of the probabilistic STDP. */
  readonly shift: number;
}

/** Defaults: notebook 16's settings (file header; the paper's own values could not be read, see the notebook). */
export const tavanaeiCnnDefaults: Readonly<TavanaeiCnnOptions> = Object.freeze({
  imageHeight: 28, imageWidth: 28, inputScale: 1, pool: 2, window: 4, stride: 2, features: 64, groups: 1, gain: 4,
  tau: 10, activity: 0.5, rate: 1, sigma: 5, eta: 0.002, shift: 5,
});

/** What `evaluate` measures (no learning). */
export interface TavanaeiCnnEvaluation extends LearnerEvaluation {
  /** NaN: the network has no readout of its own (the classifier is fitted on its features). */
  readonly accuracy: number;
  /** Mean spikes per image of the conv layer, the pooled layer and the feature layer. */
  readonly convSpikes: number;
  readonly poolSpikes: number;
  readonly featureSpikes: number;
}

/** One image's activity, for figures and tests. */
export interface TavanaeiCnnActivity {
  /** Spike counts of the conv maps, convHeight × convWidth × maps (position-major, map fastest). */
  readonly conv: Float32Array;
  /** Spike counts of the pooled maps, poolHeight × poolWidth × maps. */
  readonly pooled: Float32Array;
  /** Spike counts of the feature neurons, positions × features. */
  readonly features: Float32Array;
}

/** The network (file header). */
export interface TavanaeiCnn extends Learner<ImageDataset, TavanaeiCnnEvaluation> {
  readonly name: "tavanaeiCnn";
  readonly options: Readonly<TavanaeiCnnOptions>;
  /** Conv kernels (SAILnet's Q, copied), maps × k²; kernel side `kernel`. */
  readonly kernels: Float32Array;
  readonly kernel: number;
  readonly maps: number;
  /** Shapes: conv maps, pooled maps, feature positions. */
  readonly convSize: readonly [number, number];
  readonly poolSize: readonly [number, number];
  readonly positions: readonly [number, number];
  /** Feature-layer weights, features × (window² · maps), input (dy, dx, m) at (dy·window + dx)·maps + m (live). */
  readonly weights: Float32Array;
  /** Length of a feature vector: positions × features. */
  readonly featureSize: number;
  /** Feature-layer spike counts of images [start, start + count) of `data`, in order, without learning. */
  features(data: ImageDataset, range: { readonly start: number; readonly count: number }): LabelledFeatures & { readonly name: string; readonly split: DatasetSplit };
  /** One image's spike counts at every stage (row-major pixels 0 … 255; `index` seeds the sampling). */
  activity(pixels: ArrayLike<number>, index?: number): TavanaeiCnnActivity;
}

/**
 * Builds the network on a trained SAILnet (its weights are copied: later SAILnet training does not
 * change this network) with feature weights drawn from `rng`. Every setting is checked first.
 * @example
 *   const net = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, features: 64, rng: createRng(3) });
 *   net.featureSize;   // 25 positions × 64 = 1600
 */
export function tavanaeiCnn(init: Partial<TavanaeiCnnOptions> & { readonly sailnet: Sailnet; readonly rng: Rng }): TavanaeiCnn {
  const fn = "tavanaeiCnn";
  if (init === null || typeof init !== "object") fail(fn, "options", "be an object", init);
  const { rng: rngIn, sailnet: code, ...rest } = init;
  const rng = checkRng(fn, "rng", rngIn);
  if (code === null || typeof code !== "object" || code.name !== "sailnet" || !(code.weights instanceof Float32Array)) fail(fn, "sailnet", "be a SAILnet (sailnet(...))", code);
  const o = mergeOptions(fn, tavanaeiCnnDefaults, rest as Partial<TavanaeiCnnOptions>);
  const H = integer(fn, "imageHeight", o.imageHeight, 1);
  const Wd = integer(fn, "imageWidth", o.imageWidth, 1);
  if (H > 1024 || Wd > 1024) fail(fn, "imageHeight", "be at most 1024 (and imageWidth too)", Math.max(H, Wd));
  positive(fn, "inputScale", o.inputScale);
  const K = code.options.inputs;
  const k = Math.round(Math.sqrt(K));
  if (k * k !== K) fail(fn, "sailnet", "have a square number of inputs (k × k patches)", K);
  if (k > H || k > Wd) fail(fn, "sailnet", `have patches no larger than the images (${H}×${Wd})`, `${k}×${k}`);
  const M = code.options.neurons;
  const pool = integer(fn, "pool", o.pool, 1);
  const CH = H - k + 1;
  const CW = Wd - k + 1;
  if (pool > CH || pool > CW) fail(fn, "pool", `be at most the conv maps (${CH}×${CW})`, pool);
  const PH = Math.floor(CH / pool);
  const PW = Math.floor(CW / pool);
  const win = integer(fn, "window", o.window, 1);
  if (win > PH || win > PW) fail(fn, "window", `be at most the pooled maps (${PH}×${PW})`, win);
  const stride = integer(fn, "stride", o.stride, 1);
  const F = integer(fn, "features", o.features, 2);
  if (F > 4096) fail(fn, "features", "be at most 4096", F);
  const groups = integer(fn, "groups", o.groups, 1);
  if (F % groups !== 0 || F / groups < 2) fail(fn, "groups", `divide features (${F}) into groups of at least 2 neurons`, groups);
  const groupSize = F / groups;
  const gain = positive(fn, "gain", o.gain);
  positive(fn, "tau", o.tau);
  inRange(fn, "activity", o.activity, 0, Infinity);
  if (!(typeof o.rate === "number" && o.rate > 0 && o.rate <= 1)) fail(fn, "rate", "be a number in (0, 1]", o.rate);
  const sigma = integer(fn, "sigma", o.sigma, 1);
  positive(fn, "eta", o.eta);
  inRange(fn, "shift", o.shift, 0.5, 20);
  const options = Object.freeze({ ...o });
  const QH = Math.floor((PH - win) / stride) + 1;
  const QW = Math.floor((PW - win) / stride) + 1;
  const P = QH * QW;
  const I = win * win * M;
  const featureSize = P * F;
  const steps = code.options.steps;
  const dtOverTau = code.options.dtOverTau;
  const decay = Math.exp(-1 / options.tau);

  const Q = code.weights.slice();
  const Wlat = code.inhibition.slice();
  const theta = code.thresholds.slice();
  const qSum = new Float64Array(M);
  for (let m = 0; m < M; m++) for (let j = 0; j < K; j++) qSum[m] += Q[m * K + j];
  const weights = new Float32Array(F * I);
  for (let i = 0; i < weights.length; i++) weights[i] = options.shift + rng.uniform(-0.5, 0);
  let orderSeed = rng.nextUint32();
  const sampleSeed = rng.nextUint32();
  let samplesSeen = 0;

  // Buffers, one image at a time.
  const b = new Float64Array(M);
  const u = new Float64Array(M);
  const spiked = new Int32Array(2 * M);
  const counts = new Float32Array(M);
  const convCounts = new Float32Array(CH * CW * M);
  const pooledCounts = new Float32Array(PH * PW * M);
  const lastStep = new Int32Array(PH * PW * M);
  const evCap = PH * PW * M * steps;
  const evUnit = new Int32Array(Math.min(evCap, 1 << 22));
  const evStep = new Int32Array(evUnit.length);
  const sortedUnit = new Int32Array(evUnit.length);
  const stepStart = new Int32Array(steps + 1);
  let nEvents = 0;
  const window = new Float64Array(K);
  const potential = new Float64Array(F);
  const expU = new Float64Array(F);
  const lastPre = new Int32Array(I);
  const featureCounts = new Float32Array(featureSize);

  /** Conv + pool of one image into the sorted event list (and the count maps). */
  function convPool(pixels: ArrayLike<number>): number {
    convCounts.fill(0);
    pooledCounts.fill(0);
    lastStep.fill(-1);
    nEvents = 0;
    let convTotal = 0;
    const scale = options.inputScale;
    for (let y = 0; y < CH; y++) {
      for (let x = 0; x < CW; x++) {
        let sum = 0;
        for (let dy = 0; dy < k; dy++) {
          for (let dx = 0; dx < k; dx++) {
            const v = pixels[(y + dy) * Wd + x + dx] / 255;
            window[dy * k + dx] = v;
            sum += v;
          }
        }
        if (sum === 0) continue;
        const mean = sum / K;
        for (let m = 0; m < M; m++) {
          let s = 0;
          const q = m * K;
          for (let j = 0; j < K; j++) s += Q[q + j] * window[j];
          b[m] = scale * (s - mean * qSum[m]);
        }
        sailnetDynamics(b, Wlat, theta, steps, dtOverTau, u, spiked, counts, (t, m) => {
          const py = Math.floor(y / pool);
          const px = Math.floor(x / pool);
          if (py >= PH || px >= PW) return;
          const unit = (py * PW + px) * M + m;
          if (lastStep[unit] === t) return;
          lastStep[unit] = t;
          pooledCounts[unit] += 1;
          if (nEvents < evUnit.length) {
            evUnit[nEvents] = unit;
            evStep[nEvents++] = t;
          }
        });
        const off = (y * CW + x) * M;
        for (let m = 0; m < M; m++) {
          convCounts[off + m] = counts[m];
          convTotal += counts[m];
        }
      }
    }
    // Counting sort of the pooled events by step.
    stepStart.fill(0);
    for (let e = 0; e < nEvents; e++) stepStart[evStep[e] + 1]++;
    for (let t = 0; t < steps; t++) stepStart[t + 1] += stepStart[t];
    const fillAt = stepStart.slice(0, steps);
    for (let e = 0; e < nEvents; e++) sortedUnit[fillAt[evStep[e]]++] = evUnit[e];
    return convTotal;
  }

  /** The feature layer on the sorted events; learns when `learn`. Returns the feature spikes. */
  function featureLayer(sampler: Rng, learn: boolean, eta: number): number {
    featureCounts.fill(0);
    let total = 0;
    const c = options.shift;
    const ltd = -eta;
    for (let qy = 0; qy < QH; qy++) {
      for (let qx = 0; qx < QW; qx++) {
        const pos = qy * QW + qx;
        const y0 = qy * stride;
        const x0 = qx * stride;
        potential.fill(0);
        lastPre.fill(-1 - sigma);
        let act = 0;
        for (let t = 0; t < steps; t++) {
          act *= decay;
          for (let f = 0; f < F; f++) potential[f] *= decay;
          for (let e = stepStart[t]; e < stepStart[t + 1]; e++) {
            const unit = sortedUnit[e];
            const m = unit % M;
            const cell = (unit - m) / M;
            const py = Math.floor(cell / PW);
            const px = cell - py * PW;
            const dy = py - y0;
            const dx = px - x0;
            if (dy < 0 || dy >= win || dx < 0 || dx >= win) continue;
            const i = (dy * win + dx) * M + m;
            lastPre[i] = t;
            act += 1;
            for (let f = 0; f < F; f++) potential[f] += weights[f * I + i];
          }
          if (act <= options.activity || sampler.next() >= options.rate) continue;
          // Stochastic winner-take-all in each group: neuron f with probability softmax(u)_f over its group.
          for (let g0 = 0; g0 < F; g0 += groupSize) {
            const g1 = g0 + groupSize;
            let max = -Infinity;
            for (let f = g0; f < g1; f++) if (potential[f] > max) max = potential[f];
            let z = 0;
            for (let f = g0; f < g1; f++) z += (expU[f] = Math.exp(gain * (potential[f] - max)));
            let r = sampler.next() * z;
            let winner = g1 - 1;
            for (let f = g0; f < g1; f++) {
              r -= expU[f];
              if (r < 0) { winner = f; break; }
            }
            featureCounts[pos * F + winner] += 1;
            total++;
            if (learn) {
              const off = winner * I;
              for (let i = 0; i < I; i++) {
                const w = weights[off + i];
                const v = t - lastPre[i] < sigma ? w + eta * (Math.exp(c - w) - 1) : w + ltd;
                weights[off + i] = v < 0 ? 0 : v > c ? c : v;
              }
            }
          }
        }
      }
    }
    return total;
  }

  function checkData(f: string, data: ImageDataset): ImageDataset {
    const d = checkImageDataset(f, "data", data);
    if (d.rows !== H || d.cols !== Wd) fail(f, "data", `hold ${H}×${Wd} images (the network's imageHeight × imageWidth)`, `${d.rows}×${d.cols} images`);
    if (d.count === 0) fail(f, "data", "hold at least one image", "an empty data set");
    return d;
  }
  const pixelsPer = H * Wd;
  const samplerFor = (index: number) => createRng((sampleSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);

  let sampleAt = epochSampler(orderSeed);   // the seeded order of each epoch (learning/epoch-order.ts)

  function checkRange(f: string, d: ImageDataset, range: { readonly start: number; readonly count: number }): [number, number] {
    if (range === null || typeof range !== "object") fail(f, "range", "be { start, count }", range);
    const start = integer(f, "start", range.start, 0);
    const count = integer(f, "count", range.count, 1);
    if (start + count > d.count) fail(f, "count", `be at most data.count − start = ${d.count - start}`, count);
    return [start, count];
  }

  const net: TavanaeiCnn = {
    name: "tavanaeiCnn",
    options,
    kernels: Q,
    kernel: k,
    maps: M,
    convSize: Object.freeze([CH, CW] as const),
    poolSize: Object.freeze([PH, PW] as const),
    positions: Object.freeze([QH, QW] as const),
    weights,
    featureSize,
    get samplesSeen() { return samplesSeen; },
    learningRate: options.eta,
    learn(data: ImageDataset, lo: LearnOptions): LearnStep {
      const f = "tavanaeiCnn.learn";
      const d = checkData(f, data);
      if (lo === null || typeof lo !== "object") fail(f, "options", "be { count, learningRate? }", lo);
      const count = integer(f, "count", lo.count, 0);
      const eta = lo.learningRate === undefined ? options.eta : positive(f, "learningRate", lo.learningRate);
      for (let s = 0; s < count; s++) {
        const idx = sampleAt(d.count, samplesSeen);
        convPool(d.images.subarray(idx * pixelsPer, (idx + 1) * pixelsPer));
        featureLayer(samplerFor(samplesSeen), true, eta);
        samplesSeen++;
      }
      return { samples: count };
    },
    evaluate(data: ImageDataset, range): TavanaeiCnnEvaluation {
      const f = "tavanaeiCnn.evaluate";
      const d = checkData(f, data);
      const [start, count] = checkRange(f, d, range);
      let conv = 0;
      let pooled = 0;
      let feat = 0;
      for (let s = 0; s < count; s++) {
        const idx = start + s;
        conv += convPool(d.images.subarray(idx * pixelsPer, (idx + 1) * pixelsPer));
        pooled += nEvents;
        feat += featureLayer(samplerFor(idx), false, 0);
      }
      return { accuracy: Number.NaN, convSpikes: conv / count, poolSpikes: pooled / count, featureSpikes: feat / count };
    },
    features(data, range) {
      const f = "tavanaeiCnn.features";
      const d = checkData(f, data);
      const [start, count] = checkRange(f, d, range);
      const values = new Float32Array(count * featureSize);
      for (let s = 0; s < count; s++) {
        const idx = start + s;
        convPool(d.images.subarray(idx * pixelsPer, (idx + 1) * pixelsPer));
        featureLayer(samplerFor(idx), false, 0);
        values.set(featureCounts, s * featureSize);
      }
      return Object.freeze({ values, count, dim: featureSize, labels: d.labels.slice(start, start + count), name: d.name, split: d.split });
    },
    activity(pixels, index = 0) {
      const f = "tavanaeiCnn.activity";
      if (pixels == null || typeof pixels.length !== "number" || pixels.length !== pixelsPer) fail(f, "pixels", `be ${pixelsPer} pixel values (one image)`, pixels);
      for (let i = 0; i < pixelsPer; i++) if (!(pixels[i] >= 0 && pixels[i] <= 255)) fail(f, `pixels[${i}]`, "be a number in [0, 255]", pixels[i]);
      integer(f, "index", index, 0);
      convPool(pixels);
      featureLayer(samplerFor(index), false, 0);
      return { conv: convCounts.slice(), pooled: pooledCounts.slice(), features: featureCounts.slice() };
    },
    snapshot(): LearnerSnapshot {
      return makeSnapshot("tavanaeiCnn", samplesSeen, config(), { orderSeed }, {
        "conv.weights": { dtype: "F32", shape: [M, K], data: Q.slice() },
        "conv.inhibition": { dtype: "F32", shape: [M, M], data: Wlat.slice() },
        "conv.thresholds": { dtype: "F32", shape: [M], data: theta.slice() },
        "feature.weights": { dtype: "F32", shape: [F, I], data: weights.slice() },
      });
    },
    restore(snapshot: LearnerSnapshot): void {
      const r = readSnapshot("tavanaeiCnn.restore", snapshot, "tavanaeiCnn", config());
      const q = r.tensor("conv.weights", "F32", [M, K]);
      const w = r.tensor("conv.inhibition", "F32", [M, M]);
      const t = r.tensor("conv.thresholds", "F32", [M]);
      const fw = r.tensor("feature.weights", "F32", [F, I]);
      const seed = r.integer("orderSeed", 0, 0xffffffff);
      r.done();
      Q.set(q);
      Wlat.set(w);
      theta.set(t);
      qSum.fill(0);
      for (let m = 0; m < M; m++) for (let j = 0; j < K; j++) qSum[m] += Q[m * K + j];
      weights.set(fw);
      orderSeed = seed;
      sampleAt = epochSampler(orderSeed);
      samplesSeen = r.samplesSeen;
    },
  };
  function config(): object {
    return { kind: "tavanaeiCnn", kernel: k, maps: M, steps, dtOverTau, sampleSeed, ...options };
  }
  Object.defineProperty(net, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `TavanaeiCnn(${H}×${Wd} → conv ${CH}×${CW}×${M} → pool ${PH}×${PW}×${M} → ${QH}×${QW}×${F} features; trained ${samplesSeen})`,
    enumerable: false,
  });
  return net;
}
