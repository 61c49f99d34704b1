/**
 * `createModel`: a feed-forward stack of layers (layer-specs.ts) as tf variables, for ANNs and
 * SNNs alike. An ANN is the special case without `leaky` layers and with one time step.
 *
 * Activations are time-major tensors [T′·B, …features]: T′ = 1 until the first leaky layer (a
 * static input's W·x is computed once, not T times), then T. Each layer runs over all steps at once
 * (one matmul or convolution for the T·B rows, one `leakyScan` for the recursion); since the
 * network is feed-forward, that equals stepping the whole network through time, layer by layer
 * per step (tested against a step-by-step loop).
 *
 * The backward pass of every weighted layer goes through the feedback-alignment family
 * (training/feedback-alignment.ts): `feedback: "transpose"` is backprop, the other methods change
 * only the feedback matrix. Weights, fixed feedback matrices and DFA matrices are drawn from the
 * seeded `rng`: same seed, same model.
 *
 * @example
 *   const model = createModel({
 *     input: [784], steps: 25, rng: createRng(1),
 *     layers: [dense(1000), leakyLayer({ beta: 0.95 }), dense(10), leakyLayer({ beta: 0.95 })],
 *   });
 *   const out = model.forward(x, 128);   // out.output: spikes [25·128, 10], out.membrane likewise
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkRng, type Rng } from "../core/random";
import { fail, integer, mergeOptions } from "../core/validate";
import {
  captureError, checkFeedbackMethod, conv2dWithFeedback, directFeedbackTap, feedbackMatrix, matMulWithFeedback,
  type ErrorSlot, type FeedbackMethod,
} from "../training/feedback-alignment";
import { checkInit, type LayerSpec, type LayerInit } from "./layer-specs";
import { leakyLayerParams, leakyScan, type LeakyLayerParams } from "./lif-layer";

/** Options of `createModel`. */
export interface ModelOptions {
  /** Shape of one input sample: [features] for dense nets, [height, width, channels] for conv nets. */
  readonly input: readonly number[];
  readonly layers: readonly LayerSpec[];
  /** Time steps T of the leaky layers (1 for an ANN). Default 25 with leaky layers, else 1. */
  readonly steps?: number;
  /** How errors travel backwards. Default "transpose" (backprop). */
  readonly feedback?: FeedbackMethod;
  /** Distribution of the fixed feedback matrices (FA's B, random-sign's magnitudes, DFA's D); default: each layer's own init. */
  readonly feedbackInit?: LayerInit;
  /** Seeded generator for weights and feedback matrices. */
  readonly rng: Rng;
}

/** One layer of a built model. */
export interface ModelLayer {
  readonly index: number;
  readonly spec: LayerSpec;
  /** Shape of one sample at the layer's input and output. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Trainable tensors: W (and b) for dense/conv; gamma and beta for batch-norm. */
  readonly W?: tf.Variable;
  readonly b?: tf.Variable;
  readonly gamma?: tf.Variable;
  readonly beta?: tf.Variable;
  /** Batch-norm running statistics (not trainable). */
  readonly runningMean?: tf.Variable;
  readonly runningVar?: tf.Variable;
  /** FA's fixed B or random-sign's magnitudes, shaped as W. */
  readonly fixedFeedback?: tf.Tensor;
  /** DFA's D: [outputs, features of this layer's input], for weighted layers after the first. */
  readonly directFeedback?: tf.Tensor2D;
  /** Leaky parameters, T included. */
  readonly leaky?: LeakyLayerParams;
  /** Whether the gradient with respect to this layer's input is needed (a trainable layer precedes it). */
  readonly needsInputGradient: boolean;
}

/** What `forward` returns. */
export interface ForwardOutput {
  /** The last layer's output, [steps·B, …outputShape]. */
  readonly output: tf.Tensor;
  /** Time steps covered by `output` (1 or T). */
  readonly steps: number;
  readonly batch: number;
  /** The last layer's pre-reset membrane potential u_t when it is leaky, [T·B, …outputShape]. */
  readonly membrane?: tf.Tensor;
  /** Spikes of every leaky layer, [T·B, …], in layer order (for counts and SOPs). */
  readonly spikes: readonly tf.Tensor[];
}

/** Options of `forward`. */
export interface ForwardOptions {
  /** Training mode: batch-norm uses batch statistics. Default false. */
  readonly training?: boolean;
  /** Update batch-norm running statistics (training only). Default = training. */
  readonly updateStats?: boolean;
  /** Feedback method for this pass; default the model's. */
  readonly feedback?: FeedbackMethod;
  /** Whether the last leaky layer's gradient flows through its spikes (default) or its membrane (membrane losses). */
  readonly gradient?: "spikes" | "membrane";
}

/** A built model. */
export interface Model {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly steps: number;
  /** Whether it has leaky layers. */
  readonly spiking: boolean;
  readonly feedback: FeedbackMethod;
  readonly layers: readonly ModelLayer[];
  /** Trainable variables, in layer order. */
  readonly variables: readonly tf.Variable[];
  /** The weight matrices/kernels W of the weighted layers, in order. */
  readonly weights: readonly tf.Variable[];
  /** Number of trainable parameters. */
  readonly parameterCount: number;
  /** Runs the network on `x` ([T′·B, …input], T′ = 1 or T) for `batch` samples. */
  forward(x: tf.Tensor, batch: number, options?: ForwardOptions): ForwardOutput;
  /** One row per layer: index, kind, output shape, parameters. */
  summary(): { layer: number; kind: string; output: string; parameters: number }[];
  /** Frees every tensor of the model. */
  dispose(): void;
}

let modelCount = 0;

function prod(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Draws `n` values of `init` for a layer with the given fans (weights) or biases. */
function draw(init: LayerInit, n: number, fanIn: number, fanOut: number, rng: Rng, bias: boolean): Float32Array {
  const out = new Float32Array(n);
  if (init === "pytorch") {
    const a = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < n; i++) out[i] = rng.uniform(-a, a);
    return out;
  }
  if (bias) return out;
  if (init === "glorot-uniform") {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < n; i++) out[i] = rng.uniform(-a, a);
  } else if (init === "he-normal") {
    rng.fillNormal(out, 0, Math.sqrt(2 / fanIn));
  } else if ("uniform" in init) {
    for (let i = 0; i < n; i++) out[i] = rng.uniform(-init.uniform, init.uniform);
  } else {
    rng.fillNormal(out, 0, init.normal);
  }
  return out;
}

function outputShapeOf(fn: string, spec: LayerSpec, input: readonly number[], index: number): number[] {
  const where = `layers[${index}]`;
  switch (spec.kind) {
    case "dense":
      if (input.length !== 1) fail(fn, where, `follow a layer with flat output (add flatten()) for dense(${spec.units})`, `input shape [${input.join(", ")}]`);
      return [spec.units];
    case "conv2d": {
      if (input.length !== 3) fail(fn, where, "receive [height, width, channels] for conv2d", `input shape [${input.join(", ")}]`);
      const [h, w] = input as [number, number, number];
      const out = (n: number) => (spec.padding === "same" ? Math.ceil(n / spec.strides) : Math.floor((n - spec.kernel) / spec.strides) + 1);
      if (out(h) < 1 || out(w) < 1) fail(fn, where, `fit a ${spec.kernel}×${spec.kernel} kernel`, `input shape [${input.join(", ")}]`);
      return [out(h), out(w), spec.filters];
    }
    case "avg-pool":
    case "max-pool": {
      if (input.length !== 3) fail(fn, where, "receive [height, width, channels] for pooling", `input shape [${input.join(", ")}]`);
      const [h, w, c] = input as [number, number, number];
      const out = (n: number) => Math.floor((n - spec.size) / spec.strides) + 1;
      if (out(h) < 1 || out(w) < 1) fail(fn, where, `fit a ${spec.size}×${spec.size} window`, `input shape [${input.join(", ")}]`);
      return [out(h), out(w), c];
    }
    case "flatten":
      return [prod(input)];
    default:
      return [...input];
  }
}

/**
 * Builds a model (file header): validates the whole stack, then allocates variables.
 *
 * @example
 *   const mlp = createModel({ input: [784], layers: [dense(1000), relu(), dense(10)], rng: createRng(0) });
 */
export function createModel(options: ModelOptions): Model {
  const fn = "createModel";
  const o = mergeOptions(fn, { input: [] as readonly number[], layers: [] as readonly LayerSpec[], steps: undefined as number | undefined, feedback: "transpose" as FeedbackMethod, feedbackInit: undefined as LayerInit | undefined, rng: undefined as unknown as Rng }, options);
  const rng = checkRng(fn, "rng", o.rng);
  if (!Array.isArray(o.input) || o.input.length === 0 || !o.input.every((d) => Number.isSafeInteger(d) && d > 0)) {
    fail(fn, "input", "be a non-empty array of positive integers (the shape of one sample)", o.input);
  }
  if (!Array.isArray(o.layers) || o.layers.length === 0) fail(fn, "layers", "be a non-empty array of layers (dense(), leakyLayer(), …)", o.layers);
  const feedback = checkFeedbackMethod(fn, "feedback", o.feedback);
  if (o.feedbackInit !== undefined) checkInit(fn, "feedbackInit", o.feedbackInit);
  const spiking = o.layers.some((l) => l && l.kind === "leaky");
  const steps = o.steps ?? (spiking ? 25 : 1);
  integer(fn, "steps", steps, 1);

  // Shapes first: every error before any tensor exists.
  const shapes: number[][] = [[...o.input]];
  o.layers.forEach((spec, i) => {
    if (!spec || typeof spec !== "object" || typeof (spec as { kind?: unknown }).kind !== "string") {
      fail(fn, `layers[${i}]`, "be a layer (dense(), conv2d(), leakyLayer(), …)", spec);
    }
    shapes.push(outputShapeOf(fn, spec, shapes[i]!, i));
  });
  const weightedIdx = o.layers.map((l, i) => (l.kind === "dense" || l.kind === "conv2d" ? i : -1)).filter((i) => i >= 0);
  if (weightedIdx.length === 0) fail(fn, "layers", "contain at least one dense() or conv2d() layer", o.layers.map((l) => l.kind));
  const lastWeighted = weightedIdx[weightedIdx.length - 1]!;
  const classes = prod(shapes[lastWeighted + 1]!);
  const firstTrainable = o.layers.findIndex((l) => l.kind === "dense" || l.kind === "conv2d" || l.kind === "batch-norm");

  // tf.js variable names are global: prefix them with the model's number.
  const id = `model${++modelCount}`;
  const variables: tf.Variable[] = [];
  const weights: tf.Variable[] = [];
  const owned: tf.Tensor[] = [];
  const layers: ModelLayer[] = o.layers.map((spec, index) => {
    const inputShape = shapes[index]!;
    const outputShape = shapes[index + 1]!;
    const needsInputGradient = firstTrainable >= 0 && index > firstTrainable;
    const base = { index, spec, inputShape, outputShape, needsInputGradient };
    if (spec.kind === "dense" || spec.kind === "conv2d") {
      const wShape = spec.kind === "dense" ? [inputShape[0]!, spec.units] : [spec.kernel, spec.kernel, inputShape[2]!, spec.filters];
      const fanIn = spec.kind === "dense" ? inputShape[0]! : spec.kernel * spec.kernel * inputShape[2]!;
      const fanOut = spec.kind === "dense" ? spec.units : spec.kernel * spec.kernel * spec.filters;
      const W = tf.variable(tf.tensor(draw(spec.init, prod(wShape), fanIn, fanOut, rng, false), wShape), true, `${id}/W${index}`);
      variables.push(W);
      weights.push(W);
      let b: tf.Variable | undefined;
      if (spec.bias) {
        const n = wShape[wShape.length - 1]!;
        b = tf.variable(tf.tensor(draw(spec.init, n, fanIn, fanOut, rng, true), [n]), true, `${id}/b${index}`);
        variables.push(b);
      }
      const fbInit = o.feedbackInit ?? spec.init;
      let fixedFeedback: tf.Tensor | undefined;
      if (feedback === "fixed-random" || feedback === "random-sign") {
        fixedFeedback = tf.tensor(draw(fbInit, prod(wShape), fanIn, fanOut, rng, false), wShape);
        owned.push(fixedFeedback);
      }
      let directFeedback: tf.Tensor2D | undefined;
      if (feedback === "direct" && needsInputGradient) {
        const features = prod(inputShape);
        directFeedback = tf.tensor2d(draw(fbInit === "pytorch" ? { uniform: 1 / Math.sqrt(classes) } : fbInit, classes * features, classes, features, rng, false), [classes, features]);
        owned.push(directFeedback);
      }
      return { ...base, W, b, fixedFeedback, directFeedback };
    }
    if (spec.kind === "batch-norm") {
      const c = outputShape[outputShape.length - 1]!;
      const gamma = tf.variable(tf.ones([c]), true, `${id}/gamma${index}`);
      const beta = tf.variable(tf.zeros([c]), true, `${id}/beta${index}`);
      const runningMean = tf.variable(tf.zeros([c]), false, `${id}/mean${index}`);
      const runningVar = tf.variable(tf.ones([c]), false, `${id}/var${index}`);
      variables.push(gamma, beta);
      owned.push(runningMean, runningVar);
      return { ...base, gamma, beta, runningMean, runningVar };
    }
    if (spec.kind === "leaky") return { ...base, leaky: leakyLayerParams({ ...spec.options, steps }) };
    return base;
  });
  const parameterCount = variables.reduce((s, v) => s + v.size, 0);

  const forward = (x: tf.Tensor, batch: number, fo: ForwardOptions = {}): ForwardOutput => {
    const ff = "model.forward";
    integer(ff, "batch", batch, 1);
    const method = fo.feedback === undefined ? feedback : checkFeedbackMethod(ff, "feedback", fo.feedback);
    if (method !== "transpose" && method !== feedback && (method === "direct" || feedback === "transpose" || ((method === "fixed-random" || method === "random-sign") && !(feedback === "fixed-random" || feedback === "random-sign")))) {
      fail(ff, "feedback", `be "transpose" or the model's own method "${feedback}" (its fixed matrices are drawn at creation)`, method);
    }
    const rows = x.shape[0] ?? 0;
    const sampleShape = x.shape.slice(1);
    if (rows !== batch && rows !== steps * batch) fail(ff, "x", `have B = ${batch} or T·B = ${steps * batch} rows`, `[${x.shape.join(", ")}]`);
    if (sampleShape.length !== o.input.length || sampleShape.some((d, i) => d !== o.input[i])) {
      fail(ff, "x", `have samples of shape [${o.input.join(", ")}]`, `[${x.shape.join(", ")}]`);
    }
    const training = fo.training ?? false;
    const updateStats = fo.updateStats ?? training;
    const slot: ErrorSlot = {};
    return tf.tidy(() => {
      let h = x;
      let T = rows / batch;
      let membrane: tf.Tensor | undefined;
      const spikes: tf.Tensor[] = [];
      for (const layer of layers) {
        const { spec } = layer;
        membrane = undefined;
        if (spec.kind === "dense" || spec.kind === "conv2d") {
          if (method === "direct" && layer.directFeedback) h = directFeedbackTap(h, layer.directFeedback, slot, batch);
          // sign(W) and friends are built in the backward pass from the W saved by the forward one.
          const B = method === "direct" || !layer.needsInputGradient ? undefined : (w: tf.Tensor) => feedbackMatrix(method, w, layer.fixedFeedback);
          let y: tf.Tensor = spec.kind === "dense"
            ? matMulWithFeedback(h as tf.Tensor2D, layer.W as tf.Tensor as tf.Tensor2D, B)
            : conv2dWithFeedback(h as tf.Tensor4D, layer.W as tf.Tensor as tf.Tensor4D, B, { strides: spec.strides, padding: spec.padding });
          if (layer.b) y = tf.add(y, layer.b);
          if (method === "direct" && layer.index === lastWeighted) y = captureError(y, slot);
          h = y;
        } else if (spec.kind === "avg-pool") {
          h = tf.avgPool(h as tf.Tensor4D, spec.size, spec.strides, "valid");
        } else if (spec.kind === "max-pool") {
          h = tf.maxPool(h as tf.Tensor4D, spec.size, spec.strides, "valid");
        } else if (spec.kind === "flatten") {
          h = tf.reshape(h, [h.shape[0]!, prod(layer.outputShape)]);
        } else if (spec.kind === "relu") {
          h = tf.relu(h);
        } else if (spec.kind === "sigmoid") {
          h = tf.sigmoid(h);
        } else if (spec.kind === "tanh") {
          h = tf.tanh(h);
        } else if (spec.kind === "batch-norm") {
          const axes = [...Array(h.rank - 1).keys()];
          let mean: tf.Tensor;
          let variance: tf.Tensor;
          if (training) {
            ({ mean, variance } = tf.moments(h, axes));
            if (updateStats) {
              const m = spec.momentum;
              layer.runningMean!.assign(tf.add(tf.mul(layer.runningMean!, m), tf.mul(mean, 1 - m)));
              layer.runningVar!.assign(tf.add(tf.mul(layer.runningVar!, m), tf.mul(variance, 1 - m)));
            }
          } else {
            mean = layer.runningMean!;
            variance = layer.runningVar!;
          }
          h = tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, spec.epsilon))), layer.gamma!), layer.beta!);
        } else if (spec.kind === "leaky") {
          const last = layer.index === layers.length - 1;
          const out = leakyScan(h, layer.leaky!, batch, !layer.leaky!.spiking ? "membrane" : last ? (fo.gradient ?? "spikes") : "spikes");
          T = steps;
          if (layer.leaky!.spiking) {
            spikes.push(out.spikes);
            h = out.spikes;
          } else {
            h = out.membrane;
          }
          membrane = out.membrane;
        }
      }
      return { output: h, steps: T, batch, membrane, spikes };
    }) as ForwardOutput;
  };

  const model: Model = {
    inputShape: Object.freeze([...o.input]),
    outputShape: Object.freeze(shapes[shapes.length - 1]!),
    steps,
    spiking,
    feedback,
    layers: Object.freeze(layers),
    variables: Object.freeze(variables),
    weights: Object.freeze(weights),
    parameterCount,
    forward,
    summary: () => layers.map((l) => ({
      layer: l.index,
      kind: l.spec.kind,
      output: `[${l.outputShape.join(", ")}]`,
      parameters: (l.W?.size ?? 0) + (l.b?.size ?? 0) + (l.gamma?.size ?? 0) + (l.beta?.size ?? 0),
    })),
    dispose: () => {
      for (const v of variables) v.dispose();
      for (const t of owned) t.dispose();
    },
  };
  return model;
}
