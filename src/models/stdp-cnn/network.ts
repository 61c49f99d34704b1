/**
 * The STDP spiking CNN (Kheradpisheh et al. 2018), part of `models/stdp-cnn/` (described in index.ts): the network (`stdpCnn`): layer-wise STDP training, features, spikes and snapshots.
 */
import { checkRng, type Rng } from "../../core/random";
import { fail, integer, mergeOptions, oneOf, positive, inRange } from "../../core/validate";
import type { DatasetSplit, ImageDataset } from "../../datasets/image-dataset";
import { checkImageDataset } from "../../datasets/image-dataset";
import { dogFilter } from "../../encoders/dog";
import { latencySteps } from "../../encoders/latency";
import { epochOrder } from "../../learning/epoch-order";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../../learning/snapshot";
import { type ConvState, type SpikingConvResult, convState, finishConv, resetConv, runConv } from "./conv";
import { type StdpCnnOptions, featureModes, stdpCnnLearningRates, stdpCnnPresets } from "./options";
import { type PoolBuffers, spikePool } from "./pool";
import { stdpConvUpdate } from "./stdp-update";
import { type SpikeWave, spikeWave } from "./wave";
import { type WinnerPicker, winnerPicker } from "./winners";

/** Features of a range of images (`StdpCnn.features`); its shape is what `fitLinearClassifier` takes. */
export interface StdpFeatures {
  /** count × dim, row-major. */
  readonly values: Float32Array;
  readonly count: number;
  readonly dim: number;
  readonly labels: Uint8Array;
  /** The data set's name and split (the readout's evaluation log entry names them). */
  readonly name: string;
  readonly split: DatasetSplit;
}

/** A network built by `stdpCnn`. */
export interface StdpCnn {
  readonly name: "stdpCnn";
  readonly options: Readonly<Omit<StdpCnnOptions, "rng">>;
  /** Kernels, one [k, k, C_in, maps] array per layer (live: training changes them). */
  readonly weights: readonly Float32Array[];
  /** Images each layer has trained on. */
  readonly layerSamples: readonly number[];
  /** All images trained on (sum over layers). */
  readonly samplesSeen: number;
  /** Length of a feature vector. */
  readonly featureSize: number;
  /** Shapes of the stages: input (DoG spikes), then each layer's conv output and, when pooled, pooled output. */
  readonly stages: readonly { readonly name: string; readonly height: number; readonly width: number; readonly channels: number }[];
  /**
   * Trains layer `layer` (0-based) on its next `count` images of its own seeded epoch sequence of
   * `data`, in place; the layers below infer only. Returns the mean number of winners per image.
   */
  learnLayer(layer: number, data: ImageDataset, options: { readonly count: number }): { readonly samples: number; readonly winners: number };
  /** Features of images [start, start + count) of `data`, in order, without learning. */
  features(data: ImageDataset, range: { readonly start: number; readonly count: number }): StdpFeatures;
  /** Every stage's spike wave for one image (row-major pixels), for rasters and tests. */
  spikes(pixels: ArrayLike<number>): SpikeWave[];
  snapshot(): LearnerSnapshot;
  restore(snapshot: LearnerSnapshot): void;
}

/** Options of `stdpCnn`: a full configuration (start from `stdpCnnPresets`) and a generator. */
export type StdpCnnInit = Partial<StdpCnnOptions> & { readonly rng: Rng };

/**
 * Builds the network with kernels drawn from `rng` (file header). Every setting is checked here,
 * before any work.
 * @example
 *   const net = stdpCnn({ ...stdpCnnPresets.paper, rng: createRng(7) });
 *   net.featureSize;   // 100
 */
export function stdpCnn(init: StdpCnnInit): StdpCnn {
  const fn = "stdpCnn";
  if (init === null || typeof init !== "object") fail(fn, "options", "be an object", init);
  const { rng: rngIn, ...rest } = init;
  const rng = checkRng(fn, "rng", rngIn);
  const o = mergeOptions(fn, stdpCnnPresets.spykeTorch, rest as Partial<StdpCnnOptions>);
  const imageHeight = integer(fn, "imageHeight", o.imageHeight, 1);
  const imageWidth = integer(fn, "imageWidth", o.imageWidth, 1);
  const steps = integer(fn, "steps", o.steps, 1);
  if (steps > 32767) fail(fn, "steps", "be at most 32767", steps);
  inRange(fn, "weightMean", o.weightMean, 0, 1);
  inRange(fn, "weightSd", o.weightSd, 0, Infinity);
  positive(fn, "aPlus", o.aPlus);
  inRange(fn, "aMinusRatio", o.aMinusRatio, 0, Infinity);
  positive(fn, "aPlusMax", o.aPlusMax);
  integer(fn, "doubleEvery", o.doubleEvery, 1);
  oneOf(fn, "features", o.features, featureModes);
  if (!Array.isArray(o.layers) || o.layers.length === 0) fail(fn, "layers", "be a non-empty array of layer specs", o.layers);
  // DoG output size, checked by dogFilter's own rules on a blank image of the configured size.
  const dog = dogFilter({ data: new Uint8Array(imageHeight * imageWidth), width: imageWidth, height: imageHeight }, o.dog);
  const stages: { name: string; height: number; width: number; channels: number }[] = [
    { name: "input", height: dog.height, width: dog.width, channels: 2 },
  ];
  let h = dog.height;
  let w = dog.width;
  let c = 2;
  o.layers.forEach((spec, l) => {
    const p = `layers[${l}]`;
    if (spec === null || typeof spec !== "object") fail(fn, p, "be a layer spec {maps, kernel, threshold, k, radius, padding, pool}", spec);
    const maps = integer(fn, `${p}.maps`, spec.maps, 1);
    const kernel = integer(fn, `${p}.kernel`, spec.kernel, 1);
    const padding = integer(fn, `${p}.padding`, spec.padding, 0);
    if (kernel > h + 2 * padding || kernel > w + 2 * padding) {
      fail(fn, `${p}.kernel`, `be at most its padded input map (${h + 2 * padding}×${w + 2 * padding})`, kernel);
    }
    const last = l === o.layers.length - 1;
    if (!(typeof spec.threshold === "number" && spec.threshold > 0 && (spec.threshold < Infinity || (last && o.features === "potential")))) {
      fail(fn, `${p}.threshold`, "be a finite number > 0", spec.threshold);
    }
    const k = integer(fn, `${p}.k`, spec.k, 1);
    if (k > maps) fail(fn, `${p}.k`, `be at most the number of maps (${maps})`, k);
    integer(fn, `${p}.radius`, spec.radius, 0);
    if (spec.inhibition !== undefined && typeof spec.inhibition !== "boolean") fail(fn, `${p}.inhibition`, "be a boolean", spec.inhibition);
    h = h + 2 * padding - kernel + 1;
    w = w + 2 * padding - kernel + 1;
    c = maps;
    stages.push({ name: `conv${l + 1}`, height: h, width: w, channels: c });
    const pool = spec.pool;
    if (pool === "global") {
      if (!last) fail(fn, `${p}.pool`, "be \"global\" only on the last layer", pool);
      h = 1;
      w = 1;
      stages.push({ name: `pool${l + 1}`, height: 1, width: 1, channels: c });
    } else if (pool !== null) {
      if (typeof pool !== "object") fail(fn, `${p}.pool`, "be {size, stride, padding}, \"global\" or null", pool);
      const size = integer(fn, `${p}.pool.size`, pool.size, 1);
      const stride = integer(fn, `${p}.pool.stride`, pool.stride, 1);
      const pad = integer(fn, `${p}.pool.padding`, pool.padding, 0);
      if (size > h + 2 * pad || size > w + 2 * pad) fail(fn, `${p}.pool.size`, `be at most its padded input map (${h + 2 * pad}×${w + 2 * pad})`, size);
      h = Math.floor((h + 2 * pad - size) / stride) + 1;
      w = Math.floor((w + 2 * pad - size) / stride) + 1;
      stages.push({ name: `pool${l + 1}`, height: h, width: w, channels: c });
    }
  });
  const featureSize = o.features === "potential" ? c : h * w * c;
  const options = Object.freeze({ ...o, layers: Object.freeze(o.layers.map((s) => Object.freeze({ ...s }))) });
  const layers = options.layers;

  const weights = layers.map((spec, l) => {
    const inC = l === 0 ? 2 : layers[l - 1].maps;
    const layerRng = rng.fork();
    const out = new Float32Array(spec.kernel * spec.kernel * inC * spec.maps);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, layerRng.normal(o.weightMean, o.weightSd)));
    return out;
  });
  let orderSeed = rng.nextUint32();
  const layerSamples = layers.map(() => 0);

  // Preallocated per-layer buffers: one image at a time, no allocation in the loop.
  const convStates: ConvState[] = [];
  {
    let wave: { height: number; width: number; channels: number; steps: number } = { height: dog.height, width: dog.width, channels: 2, steps };
    layers.forEach((spec) => {
      const padded = { ...wave, height: wave.height, width: wave.width };
      const s = convState(padded as SpikeWave, spec.kernel, spec.maps, spec.padding);
      convStates.push(s);
      const pool = spec.pool;
      if (pool === null || pool === "global") wave = { height: s.height, width: s.width, channels: spec.maps, steps };
      else wave = { height: Math.floor((s.height + 2 * pool.padding - pool.size) / pool.stride) + 1, width: Math.floor((s.width + 2 * pool.padding - pool.size) / pool.stride) + 1, channels: spec.maps, steps };
    });
  }
  const poolBuffers: PoolBuffers[] = layers.map(() => ({
    rowLo: new Int32Array(0), rowHi: new Int32Array(0), colLo: new Int32Array(0), colHi: new Int32Array(0),
    times: new Int16Array(0), order: new Int32Array(0), stepStart: new Int32Array(0),
  }));
  const inputValues = new Float32Array(dog.height * dog.width * 2);
  const inputSteps = new Int32Array(inputValues.length);

  function encode(pixels: ArrayLike<number>): SpikeWave {
    const maps = dogFilter({ data: pixels, width: imageWidth, height: imageHeight }, options.dog);
    for (let i = 0, n = maps.on.length; i < n; i++) {
      inputValues[2 * i] = maps.on[i];
      inputValues[2 * i + 1] = maps.off[i];
    }
    latencySteps(inputValues, { steps, binning: "rank" }, inputSteps);
    return spikeWave(inputSteps, { height: maps.height, width: maps.width, channels: 2, steps });
  }

  /** Runs layers 0 … upTo; returns every stage's wave and the last conv result. */
  function forward(pixels: ArrayLike<number>, upTo: number, potentialOnly: boolean, picker?: WinnerPicker): { waves: SpikeWave[]; conv: SpikingConvResult; input: SpikeWave } {
    let wave = encode(pixels);
    const waves = [wave];
    let conv!: SpikingConvResult;
    let convInput = wave;
    for (let l = 0; l <= upTo; l++) {
      const spec = layers[l];
      const s = convStates[l];
      resetConv(s);
      convInput = wave;
      const learning = l === upTo && picker !== undefined;
      const afterStep = learning
        ? (first: number, last: number) => {
          picker.step(s.order, s.firePotentials, first, last, s.width);
          return picker.done();
        }
        : undefined;
      runConv(wave, weights[l], spec.kernel, spec.maps, spec.padding, potentialOnly && l === upTo ? Infinity : spec.threshold, s,
        learning || (potentialOnly && l === upTo), afterStep, spec.inhibition === true);
      conv = finishConv(s, steps);
      wave = conv.output;
      waves.push(wave);
      if (spec.pool !== null && spec.pool !== "global" && !learning) {
        wave = spikePool(wave, spec.pool, poolBuffers[l]);
        waves.push(wave);
      }
    }
    return { waves, conv, input: convInput };
  }

  function checkData(f: string, data: ImageDataset): ImageDataset {
    const d = checkImageDataset(f, "data", data);
    if (d.rows !== imageHeight || d.cols !== imageWidth) {
      fail(f, "data", `hold ${imageHeight}×${imageWidth} images (the network's imageHeight × imageWidth)`, `${d.rows}×${d.cols} images`);
    }
    if (d.count === 0) fail(f, "data", "hold at least one image", "an empty data set");
    return d;
  }

  const pixelsPer = imageHeight * imageWidth;
  const epochOrders = new Map<string, Uint32Array>();
  function sampleAt(layer: number, count: number, position: number): number {
    const epoch = Math.floor(position / count);
    const key = `${layer}:${epoch}:${count}`;
    let order = epochOrders.get(key);
    if (!order) {
      order = epochOrder(orderSeed + 0x9e3779b9 * (layer + 1), epoch, count);   // a stream per layer
      epochOrders.clear();
      epochOrders.set(key, order);
    }
    return order[position % count];
  }

  const net: StdpCnn = {
    name: "stdpCnn",
    options,
    weights,
    layerSamples,
    get samplesSeen() {
      return layerSamples.reduce((a, b) => a + b, 0);
    },
    featureSize,
    stages: Object.freeze(stages.map((s) => Object.freeze(s))),
    learnLayer(layer, data, { count }) {
      const f = "stdpCnn.learnLayer";
      integer(f, "layer", layer, 0);
      if (layer >= layers.length) fail(f, "layer", `be an integer in [0, ${layers.length - 1}]`, layer);
      integer(f, "count", count, 0);
      const d = checkData(f, data);
      const spec = layers[layer];
      let winnersTotal = 0;
      for (let i = 0; i < count; i++) {
        const n = layerSamples[layer];
        const index = sampleAt(layer, d.count, n);
        const picker = winnerPicker(spec.k, spec.radius, spec.maps);
        const { conv, input } = forward(d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer), layer, false, picker);
        const winners = picker.winners();
        winnersTotal += winners.length;
        const { aPlus, aMinus } = stdpCnnLearningRates(n, options);
        stdpConvUpdate(weights[layer], input, conv.output, winners, { kernel: spec.kernel, padding: spec.padding, aPlus, aMinus });
        layerSamples[layer] = n + 1;
      }
      return { samples: count, winners: count > 0 ? winnersTotal / count : 0 };
    },
    features(data, { start, count }) {
      const f = "stdpCnn.features";
      const d = checkData(f, data);
      integer(f, "start", start, 0);
      integer(f, "count", count, 1);
      if (start + count > d.count) fail(f, "count", `be at most data.count − start = ${d.count - start}`, count);
      const values = new Float32Array(count * featureSize);
      const last = layers.length - 1;
      for (let i = 0; i < count; i++) {
        const index = start + i;
        const pixels = d.images.subarray(index * pixelsPer, (index + 1) * pixelsPer);
        const row = values.subarray(i * featureSize, (i + 1) * featureSize);
        if (options.features === "potential") {
          const { conv } = forward(pixels, last, true);
          row.fill(-Infinity);
          const pot = conv.potentials;
          for (let j = 0; j < pot.length; j++) {
            const m = j % featureSize;
            if (pot[j] > row[m]) row[m] = pot[j];
          }
        } else {
          const { waves } = forward(pixels, last, false);
          const wave = waves[waves.length - 1];
          for (let j = 0; j < wave.order.length; j++) row[wave.order[j]] = 1;
        }
      }
      return Object.freeze({ values, count, dim: featureSize, labels: d.labels.slice(start, start + count), name: d.name, split: d.split });
    },
    spikes(pixels) {
      const f = "stdpCnn.spikes";
      if (pixels == null || typeof pixels.length !== "number" || pixels.length === 0) fail(f, "pixels", "be a non-empty image", pixels);
      if (pixels.length !== pixelsPer) fail(f, "pixels", `have length imageHeight·imageWidth = ${pixelsPer}`, pixels.length);
      // Copies: the network's buffers are reused by the next image.
      return forward(pixels, layers.length - 1, false).waves.map((w) => ({
        ...w, times: w.times.slice(), order: w.order.slice(), stepStart: w.stepStart.slice(),
      }));
    },
    snapshot() {
      const tensors: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }> = {};
      layers.forEach((spec, l) => {
        const inC = l === 0 ? 2 : layers[l - 1].maps;
        tensors[`layers.${l}.weight`] = { dtype: "F32", shape: [spec.kernel, spec.kernel, inC, spec.maps], data: weights[l].slice() };
      });
      return makeSnapshot("stdpCnn", net.samplesSeen, snapshotConfig(), { orderSeed, layerSamples: [...layerSamples] }, tensors);
    },
    restore(snapshot) {
      const r = readSnapshot("stdpCnn.restore", snapshot, "stdpCnn", snapshotConfig());
      const read = layers.map((spec, l) => {
        const inC = l === 0 ? 2 : layers[l - 1].maps;
        return r.tensor(`layers.${l}.weight`, "F32", [spec.kernel, spec.kernel, inC, spec.maps]) as Float32Array;
      });
      const seed = r.integer("orderSeed", 0, 0xffffffff);
      const samples = r.counts("layerSamples", layers.length);
      r.done();
      read.forEach((data, l) => weights[l].set(data));
      orderSeed = seed;
      epochOrders.clear();
      samples.forEach((v, l) => (layerSamples[l] = v));
    },
  };
  function snapshotConfig(): object {
    return { kind: "stdpCnn", ...options };
  }
  Object.defineProperty(net, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `StdpCnn(${stages.map((s) => `${s.name} ${s.height}×${s.width}×${s.channels}`).join(" → ")}; features ${featureSize}; trained ${layerSamples.join("/")})`,
    enumerable: false,
  });
  return net;
}
