/**
 * Layer specifications: plain frozen records that `createModel` turns into tf variables. One
 * constructor per layer kind, each validating its options once (house rule 10), so a bad layer is
 * rejected before any tensor exists.
 *
 *   dense(units, {bias, init})            y = x·W (+ b)
 *   conv2d(filters, kernel, {strides, padding, bias, init})   NHWC, "valid" or "same"
 *   avgPool(size), maxPool(size)          non-overlapping by default (strides = size)
 *   flatten()                             [N, h, w, c] → [N, h·w·c]
 *   relu(), sigmoidActivation(), tanh(), identity()
 *   batchNorm({momentum, epsilon})        over every axis but the last (Ioffe & Szegedy 2015)
 *   leakyLayer({beta, threshold, reset, surrogate, detachReset, spiking})   lif-layer.ts, T from the model
 *
 * @example
 *   const layers = [dense(1000), leakyLayer({ beta: 0.95 }), dense(10), leakyLayer({ beta: 0.95 })];
 */
import { arrayLength, fail, inRange, integer, mergeOptions, oneOf, positive } from "../core/validate";
import { leakyLayerParams, type LeakyLayerOptions, type LeakyLayerParams } from "./lif-layer";

/** How weights are drawn (from the model's seeded generator). */
export type LayerInit =
  | "glorot-uniform" // U(±√(6/(fan_in + fan_out))), biases 0
  | "he-normal" // N(0, 2/fan_in), biases 0
  | "pytorch" // U(±1/√fan_in) for weights and biases: torch.nn.Linear/Conv2d's default
  | { readonly uniform: number } // U(±a), biases 0
  | { readonly normal: number }; // N(0, sd²), biases 0

export const weightInitNames = ["glorot-uniform", "he-normal", "pytorch"] as const;

/** Validates a weight initialisation. */
export function checkInit(fn: string, param: string, value: unknown): LayerInit {
  if (typeof value === "string") return oneOf(fn, param, value, weightInitNames);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && (keys[0] === "uniform" || keys[0] === "normal")) {
      positive(fn, `${param}.${keys[0]}`, o[keys[0]]);
      return value as LayerInit;
    }
  }
  return fail(fn, param, `be one of ${weightInitNames.map((n) => JSON.stringify(n)).join(", ")}, {uniform: a} or {normal: sd}`, value);
}

export interface DenseSpec {
  readonly kind: "dense";
  readonly units: number;
  readonly bias: boolean;
  readonly init: LayerInit;
}
export interface Conv2dSpec {
  readonly kind: "conv2d";
  readonly filters: number;
  readonly kernel: number;
  readonly strides: number;
  readonly padding: "valid" | "same";
  readonly bias: boolean;
  readonly init: LayerInit;
}
export interface PoolSpec {
  readonly kind: "avg-pool" | "max-pool";
  readonly size: number;
  readonly strides: number;
}
export interface FlattenSpec {
  readonly kind: "flatten";
}
export interface ActivationSpec {
  readonly kind: "relu" | "sigmoid" | "tanh" | "identity";
}
export interface BatchNormSpec {
  readonly kind: "batch-norm";
  /** Weight of the old running statistics, in [0, 1). */
  readonly momentum: number;
  readonly epsilon: number;
}
export interface LeakySpec {
  readonly kind: "leaky";
  /** Everything but `steps`, which the model supplies. */
  readonly options: Readonly<Omit<LeakyLayerParams, "steps">>;
}
export type LayerSpec = DenseSpec | Conv2dSpec | PoolSpec | FlattenSpec | ActivationSpec | BatchNormSpec | LeakySpec;

/** Layers with weights (and feedback matrices). */
export type WeightedSpec = DenseSpec | Conv2dSpec;

/**
 * A fully connected layer y = x·W (+ b).
 *
 * @example
 *   dense(10, { bias: false });
 */
export function dense(units: number, options: Partial<Omit<DenseSpec, "kind" | "units">> = {}): DenseSpec {
  const fn = "dense";
  integer(fn, "units", units, 1);
  const o = mergeOptions(fn, { bias: true, init: "glorot-uniform" as LayerInit }, options);
  if (typeof o.bias !== "boolean") fail(fn, "bias", "be a boolean", o.bias);
  return Object.freeze({ kind: "dense" as const, units, bias: o.bias, init: checkInit(fn, "init", o.init) });
}

/**
 * A 2-D convolution (NHWC), square kernel.
 *
 * @example
 *   conv2d(20, 5);                      // 20 filters of 5×5, "valid", stride 1
 */
export function conv2d(filters: number, kernel: number, options: Partial<Omit<Conv2dSpec, "kind" | "filters" | "kernel">> = {}): Conv2dSpec {
  const fn = "conv2d";
  integer(fn, "filters", filters, 1);
  integer(fn, "kernel", kernel, 1);
  const o = mergeOptions(fn, { strides: 1, padding: "valid" as "valid" | "same", bias: true, init: "glorot-uniform" as LayerInit }, options);
  integer(fn, "strides", o.strides, 1);
  oneOf(fn, "padding", o.padding, ["valid", "same"] as const);
  if (typeof o.bias !== "boolean") fail(fn, "bias", "be a boolean", o.bias);
  return Object.freeze({ kind: "conv2d" as const, filters, kernel, strides: o.strides, padding: o.padding, bias: o.bias, init: checkInit(fn, "init", o.init) });
}

function pool(kind: "avg-pool" | "max-pool", fn: string, size: number, options: { strides?: number }): PoolSpec {
  arrayLength(fn, "size", size, 1);
  const o = mergeOptions(fn, { strides: size }, options);
  integer(fn, "strides", o.strides, 1);
  return Object.freeze({ kind, size, strides: o.strides });
}

/** Average pooling over size×size windows (the pooling that ANN→SNN conversion keeps exact). */
export function avgPool(size: number, options: { strides?: number } = {}): PoolSpec {
  return pool("avg-pool", "avgPool", size, options);
}

/** Max pooling over size×size windows. */
export function maxPool(size: number, options: { strides?: number } = {}): PoolSpec {
  return pool("max-pool", "maxPool", size, options);
}

/** Flattens every axis but the first. */
export function flatten(): FlattenSpec {
  return Object.freeze({ kind: "flatten" as const });
}

/** ReLU, max(0, x). */
export function relu(): ActivationSpec {
  return Object.freeze({ kind: "relu" as const });
}

/** Logistic sigmoid 1/(1 + e^{−x}) (Lillicrap et al.'s hidden units). */
export function sigmoidActivation(): ActivationSpec {
  return Object.freeze({ kind: "sigmoid" as const });
}

/** tanh. */
export function tanh(): ActivationSpec {
  return Object.freeze({ kind: "tanh" as const });
}

/** The identity (a linear layer's "activation"). */
export function identity(): ActivationSpec {
  return Object.freeze({ kind: "identity" as const });
}

/**
 * Batch normalisation: batch statistics in training, running statistics in evaluation, learned
 * scale γ and shift β.
 *
 * @example
 *   batchNorm({ momentum: 0.9 });
 */
export function batchNorm(options: Partial<Omit<BatchNormSpec, "kind">> = {}): BatchNormSpec {
  const fn = "batchNorm";
  const o = mergeOptions(fn, { momentum: 0.9, epsilon: 1e-3 }, options);
  inRange(fn, "momentum", o.momentum, 0, 1);
  if (o.momentum >= 1) fail(fn, "momentum", "be < 1", o.momentum);
  positive(fn, "epsilon", o.epsilon);
  return Object.freeze({ kind: "batch-norm" as const, momentum: o.momentum, epsilon: o.epsilon });
}

/**
 * A layer of leaky neurons (lif-layer.ts); its number of steps is the model's.
 *
 * @example
 *   leakyLayer({ beta: 0.95, surrogate: fastSigmoid({ slope: 25 }) });
 */
export function leakyLayer(options: Omit<LeakyLayerOptions, "steps"> = {}): LeakySpec {
  if (options && typeof options === "object" && "steps" in options) {
    fail("leakyLayer", "options", "not contain steps (the model's steps option sets T for every layer)", "steps");
  }
  const p = leakyLayerParams(options);
  const { steps: _steps, ...rest } = p;
  return Object.freeze({ kind: "leaky" as const, options: Object.freeze(rest) });
}
