/**
 * ANN→SNN conversion (review §III-A/B; Cao, Chen & Khosla 2015; Diehl et al. 2015; Rueckauer et
 * al. 2017): a ReLU network trained offline runs as integrate-and-fire neurons whose firing rates
 * stand in for the activations.
 *
 * `convertModel(model, data, {percentile})` reads the ANN's weights (copies; the ANN is never
 * touched) and applies data-based normalisation (Diehl et al. 2015; Rueckauer et al. 2017): with
 * λ_l the `percentile`-th percentile of layer l's positive activations on `data` (λ_0 = 1 for
 * pixels in [0, 1]),
 *
 *   W_l ← W_l · λ_{l−1} / λ_l,     b_l ← b_l / λ_l
 *
 * so that every layer's rate, relu(a)/λ_l, stays within the one-spike-per-step ceiling. A
 * percentile below 100 trades a little clipping for much faster firing (Rueckauer's robust
 * normalisation; BindsNET uses 99.9).
 *
 * `simulateConverted(net, data, {steps, input, reset})` runs the SNN (non-leaky IF neurons,
 * neurons/integrate-and-fire.ts: v ← v + W·s, spike when v > θ = 1, reset by subtraction or to
 * zero) for T steps on batches of samples, with constant-current ("constant": the pixel value
 * every step, Rueckauer's analog input) or Poisson input, and reports, after every step, the
 * accuracy of a spike readout (the most output spikes, equal counts decided by the earliest first
 * spike; no spike yet, or a full tie, is no answer; the analog tie-break by output potential is a
 * named option, "spikes+potential") and the synaptic operations spent so far: each spike of layer l−1 costs its fan-out
 * in layer l (a constant-current input costs the first layer's MACs every step). The ANN's cost is
 * its MACs per sample (`annOperations`): Neil et al.'s (2016) operations-vs-accuracy comparison.
 * Average pooling of spikes is linear, so it converts exactly; max pooling does not (rejected).
 *
 * A long evaluation runs in chunks of samples (e.g. under a notebook's progress bar, which can stop
 * between chunks); `combineConvertedRuns` merges the chunks' runs into the run of all their
 * samples, weighting each by its sample count.
 *
 * @example
 *   const net = convertModel(ann, train, { percentile: 99.9, count: 1000 });
 *   const sim = simulateConverted(net, test, { steps: 100, count: 1000 });
 *   sim.accuracy[99];     // accuracy after 100 steps
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../core/random";
import { fail, inRange, integer, mergeOptions, oneOf } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import type { Model } from "../layers/model";
import { checkTrainingData, makeBatch, sampleSize, type TrainingData } from "../training/batches";

/** One layer of a converted network. */
export interface ConvertedLayer {
  readonly kind: "dense" | "conv2d" | "avg-pool" | "flatten";
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Normalised weights (a new array), shaped as the ANN's. */
  readonly weights?: Float32Array;
  readonly weightShape?: readonly number[];
  /** Normalised biases (new array), if the layer has them. */
  readonly biases?: Float32Array;
  readonly kernel?: number;
  readonly strides?: number;
  readonly padding?: "valid" | "same";
  readonly size?: number;
  /** λ of this weighted layer (the percentile of its activations). */
  readonly scale?: number;
}

/** A converted network: layers with normalised weights, ending in the output layer. */
export interface ConvertedNetwork {
  readonly inputShape: readonly number[];
  readonly layers: readonly ConvertedLayer[];
  /** λ_l of each weighted layer, in order. */
  readonly scales: readonly number[];
  readonly percentile: number;
}

/** Options of `convertModel`. */
export interface ConvertOptions {
  /** Percentile of positive activations used as λ (100: the maximum). */
  readonly percentile: number;
  /** Samples of `data` (from 0) used for the statistics. */
  readonly count: number;
  /** "data": data-based normalisation; "none": weights as trained. */
  readonly normalize: "data" | "none";
}

export const convertDefaults: Readonly<ConvertOptions> = Object.freeze({ percentile: 99.9, count: 1000, normalize: "data" });

function percentileOf(values: Float32Array, p: number): number {
  if (values.length === 0) return 1;
  const sorted = Float32Array.from(values).sort();
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Converts a ReLU ANN built by `createModel` (dense, conv2d, avg-pool, flatten, relu layers; the
 * last weighted layer is the output) into normalised IF-network weights (file header).
 *
 * @example
 *   const net = convertModel(ann, train, { percentile: 99.9 });
 */
export function convertModel(model: Model, data: TrainingData, options: Partial<ConvertOptions> = {}): ConvertedNetwork {
  const fn = "convertModel";
  if (!model || typeof model.forward !== "function") fail(fn, "model", "be a model from createModel()", model);
  const o = mergeOptions(fn, convertDefaults, options);
  inRange(fn, "percentile", o.percentile, 0, 100);
  if (o.percentile <= 0) fail(fn, "percentile", "be > 0", o.percentile);
  integer(fn, "count", o.count, 1);
  oneOf(fn, "normalize", o.normalize, ["data", "none"] as const);
  if (model.spiking) fail(fn, "model", "be an ANN (no leaky layers)", "a spiking model");
  const specs = model.layers.map((l) => l.spec);
  specs.forEach((s, i) => {
    if (!["dense", "conv2d", "avg-pool", "flatten", "relu"].includes(s.kind)) {
      fail(fn, `model.layers[${i}]`, "be dense, conv2d, avg-pool, flatten or relu (convertible layers)", s.kind);
    }
  });
  const weighted = model.layers.filter((l) => l.W !== undefined);
  const last = weighted[weighted.length - 1]!;
  model.layers.forEach((l, i) => {
    if (l.W && l !== last && model.layers[i + 1]?.spec.kind !== "relu") {
      fail(fn, `model.layers[${i + 1}]`, "be relu() after every hidden weighted layer", model.layers[i + 1]?.spec.kind ?? "nothing");
    }
  });
  if (sampleSize(data) !== model.inputShape.reduce((a, b) => a * b, 1)) {
    fail(fn, "data", `have samples of the model's input shape [${model.inputShape.join(", ")}]`, `${sampleSize(data)} values`);
  }
  const count = Math.min(o.count, data.count);

  // λ_l from the ANN's activations: the output of each weighted layer after its ReLU (the
  // output layer: its positive pre-activations).
  const scales: number[] = weighted.map(() => 1);
  if (o.normalize === "data") {
    const collected: Float32Array[][] = weighted.map(() => []);
    const bs = 250;
    for (let s = 0; s < count; s += bs) {
      const n = Math.min(bs, count - s);
      const idx = Int32Array.from({ length: n }, (_, i) => s + i);
      const batch = makeBatch(data, idx, { shape: model.inputShape, encoding: "constant", steps: 1, gain: 1, scale: "unit" });
      tf.tidy(() => {
        let h: tf.Tensor = batch.x;
        let w = 0;
        for (const layer of model.layers) {
          const spec = layer.spec;
          if (spec.kind === "dense") h = tf.matMul(h as tf.Tensor2D, layer.W as tf.Tensor as tf.Tensor2D);
          else if (spec.kind === "conv2d") h = tf.conv2d(h as tf.Tensor4D, layer.W as tf.Tensor as tf.Tensor4D, spec.strides, spec.padding);
          else if (spec.kind === "avg-pool") h = tf.avgPool(h as tf.Tensor4D, spec.size, spec.strides, "valid");
          else if (spec.kind === "flatten") h = tf.reshape(h, [n, -1]);
          else if (spec.kind === "relu") h = tf.relu(h);
          if (layer.b) h = tf.add(h, layer.b);
          if ((layer.W && layer === last) || (spec.kind === "relu" && model.layers[layer.index - 1]?.W)) {
            const values = h.dataSync() as Float32Array;
            const pos = values.filter((v) => v > 0);
            collected[w]!.push(pos);
            w++;
          }
        }
      });
      batch.x.dispose();
    }
    collected.forEach((parts, i) => {
      const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
      let off = 0;
      for (const p of parts) {
        all.set(p, off);
        off += p.length;
      }
      scales[i] = all.length > 0 ? percentileOf(all, o.percentile) : 1;
    });
  }

  let w = 0;
  let prevScale = 1;
  const layers: ConvertedLayer[] = [];
  for (const layer of model.layers) {
    const spec = layer.spec;
    const base = { inputShape: layer.inputShape, outputShape: layer.outputShape };
    if (spec.kind === "dense" || spec.kind === "conv2d") {
      const lambda = scales[w]!;
      const weights = Float32Array.from(layer.W!.dataSync() as Float32Array, (v) => (v * prevScale) / lambda);
      const biases = layer.b ? Float32Array.from(layer.b.dataSync() as Float32Array, (v) => v / lambda) : undefined;
      layers.push({
        kind: spec.kind, ...base, weights, weightShape: layer.W!.shape, biases, scale: lambda,
        ...(spec.kind === "conv2d" ? { kernel: spec.kernel, strides: spec.strides, padding: spec.padding } : {}),
      });
      prevScale = lambda;
      w++;
    } else if (spec.kind === "avg-pool") {
      layers.push({ kind: "avg-pool", ...base, size: spec.size, strides: spec.strides });
    } else if (spec.kind === "flatten") {
      layers.push({ kind: "flatten", ...base });
    }
  }
  return Object.freeze({ inputShape: model.inputShape, layers: Object.freeze(layers), scales: Object.freeze(scales), percentile: o.percentile });
}

/** Options of `simulateConverted`. */
export interface SimulateConvertedOptions {
  /** Time steps T. */
  readonly steps: number;
  /** "constant": the pixel value as input current every step; "poisson": spikes with probability x per step. */
  readonly input: "constant" | "poisson";
  readonly reset: "subtract" | "zero";
  /**
   * How the output is read. "spikes" (default): the output neuron with the most spikes, a tie
   * broken by the earliest first spike (still a spike code); a sample whose output has not spiked,
   * or whose leaders tie in count and first-spike time, has no answer (−1, counted wrong, and
   * reported in `undecided`). "spikes+potential": the same count with ties — and the time before
   * the first output spike — decided by the analog output potentials (Diehl et al. 2015's
   * toolbox style): not a spike readout, and never the basis of an operations claim.
   */
  readonly readout: "spikes" | "spikes+potential";
  /** Samples [start, start + count) of the data. */
  readonly start: number;
  readonly count: number;
  readonly batchSize: number;
  /** Needed for "poisson". */
  readonly rng?: Rng;
}

export const simulateConvertedDefaults: Readonly<Omit<SimulateConvertedOptions, "rng">> = Object.freeze({
  steps: 100, input: "constant", reset: "subtract", readout: "spikes", start: 0, count: 1000, batchSize: 250,
});

/** What `simulateConverted` returns. */
export interface ConvertedRun {
  /** accuracy[t]: fraction correct when reading the output after step t + 1. */
  readonly accuracy: Float64Array;
  /** operations[t]: mean synaptic operations per sample spent up to step t + 1. */
  readonly operations: Float64Array;
  /** Mean spikes per sample of each layer with neurons (weighted layers), over the whole run. */
  readonly spikesPerLayer: readonly number[];
  readonly count: number;
  /** undecided[t]: fraction of samples without an answer after step t + 1 (no output spike, or a tie); 0 with "spikes+potential". */
  readonly undecided: Float64Array;
  /** The readout used. */
  readonly readout: "spikes" | "spikes+potential";
  /** Predictions after the last step (−1: no answer). */
  readonly predictions: Int32Array;
}

/** Fan-out of every input element of a weighted layer (how many synapses it drives). */
function fanOut(layer: ConvertedLayer): tf.Tensor {
  if (layer.kind === "dense") return tf.fill([1, layer.inputShape[0]!], layer.outputShape[0]!);
  const [h, w, c] = layer.inputShape as [number, number, number];
  const [oh, ow, f] = layer.outputShape as [number, number, number];
  // Σ over output positions and filters of the kernel entries reading each input: a transposed
  // convolution of ones.
  return tf.conv2dTranspose(tf.ones([1, oh, ow, f]) as tf.Tensor4D, tf.ones([layer.kernel!, layer.kernel!, c, f]) as tf.Tensor4D, [1, h, w, c], layer.strides!, layer.padding!);
}

/** The ANN's multiply-accumulates per sample (the operations of one forward pass). */
export function annOperations(net: ConvertedNetwork): number {
  checkConverted("annOperations", net);
  let ops = 0;
  for (const l of net.layers) {
    if (l.kind === "dense") ops += l.inputShape[0]! * l.outputShape[0]!;
    else if (l.kind === "conv2d") ops += l.outputShape[0]! * l.outputShape[1]! * l.outputShape[2]! * l.kernel! * l.kernel! * l.inputShape[2]!;
  }
  return ops;
}

/**
 * Runs a converted network as IF neurons (file header).
 *
 * @example
 *   const run = simulateConverted(net, test, { steps: 200, input: "poisson", rng: createRng(3) });
 */
export function simulateConverted(net: ConvertedNetwork, data: TrainingData, options: Partial<SimulateConvertedOptions> = {}): ConvertedRun {
  const fn = "simulateConverted";
  checkConverted(fn, net);
  checkTrainingData(fn, data);
  const o = mergeOptions(fn, { ...simulateConvertedDefaults, rng: undefined as Rng | undefined }, options);
  integer(fn, "steps", o.steps, 1);
  oneOf(fn, "input", o.input, ["constant", "poisson"] as const);
  oneOf(fn, "reset", o.reset, ["subtract", "zero"] as const);
  oneOf(fn, "readout", o.readout, ["spikes", "spikes+potential"] as const);
  integer(fn, "start", o.start, 0);
  integer(fn, "count", o.count, 1);
  integer(fn, "batchSize", o.batchSize, 1);
  if (o.start + o.count > data.count) fail(fn, "count", `stay within the data (start + count ≤ ${data.count})`, o.count);
  if (o.input === "poisson" && !o.rng) fail(fn, "rng", "be given for Poisson input", o.rng);
  if (sampleSize(data) !== net.inputShape.reduce((a, b) => a * b, 1)) fail(fn, "data", `have samples of shape [${net.inputShape.join(", ")}]`, `${sampleSize(data)} values`);
  logEvaluation(fn, net, data, { start: o.start, count: o.count, trained: 0 });
  const T = o.steps;
  const correct = new Float64Array(T);
  const ops = new Float64Array(T);
  const undecidedSum = new Float64Array(T);
  const weightedLayers = net.layers.filter((l) => l.weights);
  const spikeTotals = weightedLayers.map(() => 0);
  const predictions = new Int32Array(o.count);
  const params = tf.tidy(() => net.layers.map((l) => (l.weights
    ? { W: tf.keep(tf.tensor(l.weights, l.weightShape as number[])), b: l.biases ? tf.keep(tf.tensor1d(l.biases)) : undefined, fan: tf.keep(fanOut(l)) }
    : undefined)));
  try {
    for (let s = 0; s < o.count; s += o.batchSize) {
      const n = Math.min(o.batchSize, o.count - s);
      const idx = Int32Array.from({ length: n }, (_, i) => o.start + s + i);
      const batch = makeBatch(data, idx, { shape: net.inputShape, encoding: "constant", steps: 1, gain: 1, scale: "unit" });
      const x = batch.x;
      const pixels = o.input === "poisson" ? (x.dataSync() as Float32Array).slice() : undefined;
      let v = net.layers.map((l) => (l.weights ? tf.zeros([n, ...l.outputShape]) : undefined));
      let counts = tf.zeros([n, ...net.layers[net.layers.length - 1]!.outputShape]);
      // Step of each output neuron's first spike (T: not yet).
      let first = tf.fill([n, ...net.layers[net.layers.length - 1]!.outputShape], T);
      // Per-step figures stay on the backend as [correct, operations, spikes of each layer…] and
      // are read once per batch, not synchronised at every step.
      const labels = tf.tensor1d(batch.labels!, "int32");
      const stats: tf.Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const next = tf.tidy(() => {
          let h: tf.Tensor;
          if (pixels) {
            const spikes = new Float32Array(pixels.length);
            for (let k = 0; k < pixels.length; k++) if (o.rng!.next() < pixels[k]!) spikes[k] = 1;
            h = tf.tensor(spikes, x.shape);
          } else {
            h = x;
          }
          const figures: tf.Scalar[] = [];
          let stepOps: tf.Scalar = tf.scalar(0);
          let w = 0;
          const newV: (tf.Tensor | undefined)[] = [];
          net.layers.forEach((l, i) => {
            const p = params[i];
            if (l.kind === "avg-pool") h = tf.avgPool(h as tf.Tensor4D, l.size!, l.strides!, "valid");
            else if (l.kind === "flatten") h = tf.reshape(h, [n, -1]);
            if (!p) {
              newV.push(undefined);
              return;
            }
            // Operations: each nonzero input element drives its fan-out (constant input: every pixel, every step).
            const active = w === 0 && !pixels ? tf.cast(tf.notEqual(h, 0), "float32") : h;
            stepOps = tf.add(stepOps, tf.sum(tf.mul(tf.reshape(active, [n, -1]), tf.reshape(p.fan, [1, -1]))));
            let z = l.kind === "dense" ? tf.matMul(h as tf.Tensor2D, p.W as tf.Tensor2D) : tf.conv2d(h as tf.Tensor4D, p.W as tf.Tensor4D, l.strides!, l.padding!);
            if (p.b) z = tf.add(z, p.b);
            const u = tf.add(v[i]!, z);
            const sp = tf.cast(tf.greater(u, 1), "float32");
            newV.push(o.reset === "subtract" ? tf.sub(u, sp) : tf.mul(u, tf.sub(1, sp)));
            figures.push(tf.sum(sp));
            h = sp;
            w++;
          });
          const c = tf.add(counts, h);
          const f = tf.where(tf.logicalAnd(tf.greater(h, 0), tf.equal(first, T)), tf.fill(first.shape, t), first);
          let pred: tf.Tensor;
          let undecided: tf.Scalar;
          if (o.readout === "spikes") {
            // Most spikes; among equal counts the earliest first spike: count·(T + 1) + (T − first) > 0 once spiked.
            const score = tf.reshape(tf.add(tf.mul(c, T + 1), tf.sub(T, f)), [n, -1]);
            const best = tf.max(score, 1, true);
            const leaders = tf.sum(tf.cast(tf.equal(score, best), "float32"), 1);
            const none = tf.logicalOr(tf.greater(leaders, 1), tf.lessEqual(tf.reshape(best, [n]), 0));
            pred = tf.where(none, tf.fill([n], -1, "int32"), tf.cast(tf.argMax(score, 1), "int32"));
            undecided = tf.sum(tf.cast(none, "float32"));
          } else {
            // The named analog option: count plus half a sigmoid of the output potential (< 1 per spike).
            const last = newV[newV.length - 1]!;
            pred = tf.cast(tf.argMax(tf.reshape(tf.add(c, tf.mul(tf.sigmoid(last), 0.5)), [n, -1]), 1), "int32");
            undecided = tf.scalar(0);
          }
          if (t === T - 1) predictions.set(pred.dataSync(), s);
          const right = tf.sum(tf.cast(tf.equal(pred, labels), "float32"));
          return { v: newV, counts: c, first: f, stats: tf.stack([right, stepOps, undecided, ...figures]) };
        }) as { v: (tf.Tensor | undefined)[]; counts: tf.Tensor; first: tf.Tensor; stats: tf.Tensor };
        v.forEach((a) => a?.dispose());
        counts.dispose();
        first.dispose();
        v = next.v;
        counts = next.counts;
        first = next.first;
        stats.push(next.stats);
      }
      // Read outside tidy: tidy would walk a returned typed array element by element.
      const stacked = tf.stack(stats);
      const all = stacked.dataSync();
      stacked.dispose();
      const width = 3 + weightedLayers.length;
      for (let t = 0; t < T; t++) {
        correct[t] += all[t * width]!;
        ops[t] += all[t * width + 1]!;
        undecidedSum[t] += all[t * width + 2]!;
        for (let l = 0; l < weightedLayers.length; l++) spikeTotals[l] += all[t * width + 3 + l]!;
      }
      stats.forEach((a) => a.dispose());
      labels.dispose();
      v.forEach((a) => a?.dispose());
      counts.dispose();
      first.dispose();
      x.dispose();
    }
  } finally {
    for (const p of params) {
      p?.W.dispose();
      p?.b?.dispose();
      p?.fan.dispose();
    }
  }
  const accuracy = new Float64Array(T);
  const operations = new Float64Array(T);
  let cum = 0;
  for (let t = 0; t < T; t++) {
    accuracy[t] = correct[t]! / o.count;
    cum += ops[t]!;
    operations[t] = cum / o.count;
  }
  const undecided = Float64Array.from(undecidedSum, (u) => u / o.count);
  return { accuracy, operations, undecided, readout: o.readout, spikesPerLayer: spikeTotals.map((s) => s / o.count), count: o.count, predictions };
}

/**
 * Merges runs of the same network and step count on disjoint sample ranges (chunks) into one run
 * over all their samples: accuracies, operations and spike counts are sample-weighted means, and
 * predictions are concatenated in the order given.
 *
 * @example
 *   const a = simulateConverted(net, test, { start: 0, count: 500 });
 *   const b = simulateConverted(net, test, { start: 500, count: 500 });
 *   combineConvertedRuns([a, b]).accuracy;   // as one run over 1000 samples
 */
export function combineConvertedRuns(runs: readonly ConvertedRun[]): ConvertedRun {
  const fn = "combineConvertedRuns";
  if (!Array.isArray(runs) || runs.length === 0) fail(fn, "runs", "be a non-empty array of simulateConverted() runs", runs);
  runs.forEach((r, i) => {
    if (!r || !(r.accuracy instanceof Float64Array) || !(r.operations instanceof Float64Array) || !(r.predictions instanceof Int32Array)) {
      fail(fn, `runs[${i}]`, "be a simulateConverted() run", r);
    }
  });
  const T = runs[0]!.accuracy.length;
  const layers = runs[0]!.spikesPerLayer.length;
  runs.forEach((r, i) => {
    if (r.accuracy.length !== T) fail(fn, `runs[${i}]`, `have ${T} steps like runs[0]`, `${r.accuracy.length} steps`);
    if (r.spikesPerLayer.length !== layers) fail(fn, `runs[${i}]`, `have ${layers} layers like runs[0]`, `${r.spikesPerLayer.length} layers`);
    if (r.readout !== runs[0]!.readout) fail(fn, `runs[${i}]`, `use the readout "${runs[0]!.readout}" like runs[0]`, r.readout);
  });
  const count = runs.reduce((a, r) => a + r.count, 0);
  const accuracy = new Float64Array(T);
  const operations = new Float64Array(T);
  const undecided = new Float64Array(T);
  const spikes = new Array<number>(layers).fill(0);
  const predictions = new Int32Array(count);
  let offset = 0;
  for (const r of runs) {
    const share = r.count / count;
    for (let t = 0; t < T; t++) {
      accuracy[t] += r.accuracy[t]! * share;
      operations[t] += r.operations[t]! * share;
      undecided[t] += r.undecided[t]! * share;
    }
    r.spikesPerLayer.forEach((v: number, l: number) => { spikes[l] += v * share; });
    predictions.set(r.predictions, offset);
    offset += r.count;
  }
  return { accuracy, operations, undecided, readout: runs[0]!.readout, spikesPerLayer: spikes, count, predictions };
}

/** Throws the standard error unless `net` is a converted network (its `layers` a list). */
function checkConverted(fn: string, net: unknown): void {
  if (net === null || typeof net !== "object" || !Array.isArray((net as { layers?: unknown }).layers)) {
    fail(fn, "net", "be a converted network (convertModel(model, data))", net);
  }
}
