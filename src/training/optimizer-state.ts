/**
 * The state of a `tf.train` optimiser as named tensors, and back: what a learner's snapshot needs
 * so that a restored run takes the very same steps (Adam's moments and its running β powers,
 * momentum's accumulations, RMSProp's mean squares and moments).
 *
 * TensorFlow.js saves optimiser state only asynchronously (`getWeights`), and its `setWeights`
 * recomputes Adam's β powers as β^(t+1) instead of the product of t factors it keeps while
 * training, which differs in the last bits. So this file reads and writes the optimisers' slot
 * variables directly: `accumulatedFirstMoment`, `accumulatedSecondMoment`, `accBeta1`, `accBeta2`,
 * `accumulations`, `accumulatedMeanSquares`, `accumulatedMoments`, `accumulatedMeanGrads` and
 * `iterations_` of tfjs-core 4.22.0 (pinned exactly in package.json for this reason; the tests
 * of every learner's resume fail if a new version renames them). Slot i belongs to the i-th
 * variable of the gradients applied, which is `variables[i]` for our learners.
 *
 * Tensor names: `optimizer.<slot>.<variable name>` with slots m, v (Adam), accumulation
 * (momentum), meanSquare, moment, meanGrad (RMSProp), and `optimizer.beta1Power`,
 * `optimizer.beta2Power` (Adam, scalars). The JSON part is {kind, iterations, slots}.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fail } from "../core/validate";
import { tensor, type StoredTensor } from "../io/safetensors";
import type { SnapshotReader } from "../learning/snapshot";

/** The optimisers whose state we save. */
export type OptimizerKind = "sgd" | "momentum" | "adam" | "rmsprop";

/** A `tf.train` optimiser of `kind` with step size η (`momentum` only for "momentum"). */
export function createOptimizer(kind: OptimizerKind, learningRate: number, momentum = 0): tf.Optimizer {
  return kind === "sgd" ? tf.train.sgd(learningRate)
    : kind === "momentum" ? tf.train.momentum(learningRate, momentum)
    : kind === "adam" ? tf.train.adam(learningRate)
    : tf.train.rmsprop(learningRate);
}

/** Our slot name → the optimiser's field and the suffix it gives the slot's variables, per kind. */
const SLOTS: Record<OptimizerKind, readonly (readonly [string, string, string])[]> = {
  sgd: [],
  momentum: [["accumulation", "accumulations", "momentum"]],
  adam: [["m", "accumulatedFirstMoment", "m"], ["v", "accumulatedSecondMoment", "v"]],
  rmsprop: [["meanSquare", "accumulatedMeanSquares", "rms"], ["moment", "accumulatedMoments", "momentum"], ["meanGrad", "accumulatedMeanGrads", "mg"]],
};
const SCALARS: Record<OptimizerKind, readonly (readonly [string, string])[]> = {
  sgd: [], momentum: [], rmsprop: [], adam: [["beta1Power", "accBeta1"], ["beta2Power", "accBeta2"]],
};

interface SlotEntry {
  originalName: string;
  variable: tf.Variable;
}
type Internals = Record<string, SlotEntry[] | tf.Variable | number | undefined>;

/** The JSON part of an optimiser's state. */
export interface OptimizerJson {
  readonly kind: OptimizerKind;
  readonly iterations: number;
  /** The slots that exist (none before the first step). */
  readonly slots: readonly string[];
}

/**
 * Copies the state of `optimizer` (of kind `kind`) over `variables`, whose snapshot names are
 * `names` (same order).
 */
export function optimizerSnapshot(kind: OptimizerKind, optimizer: tf.Optimizer, variables: readonly tf.Variable[], names: readonly string[]): { tensors: Record<string, StoredTensor>; json: OptimizerJson } {
  const o = optimizer as unknown as Internals;
  const tensors: Record<string, StoredTensor> = {};
  const slots: string[] = [];
  for (const [slot, field] of SLOTS[kind]) {
    const entries = o[field] as SlotEntry[];
    if (!entries || entries.length === 0) continue;
    slots.push(slot);
    variables.forEach((v, i) => {
      tensors[`optimizer.${slot}.${names[i]}`] = tensor((entries[i]!.variable.dataSync() as Float32Array).slice(), v.shape);
    });
  }
  for (const [name, field] of SCALARS[kind]) tensors[`optimizer.${name}`] = tensor((o[field] as tf.Variable).dataSync().slice() as Float32Array, []);
  return { tensors, json: { kind, iterations: (o.iterations_ as number | undefined) ?? 0, slots } };
}

/**
 * Reads and checks an optimiser's state from a snapshot (nothing changes yet) and returns the
 * function that applies it to `optimizer`.
 */
export function readOptimizerState(fn: string, reader: SnapshotReader, kind: OptimizerKind, optimizer: tf.Optimizer, variables: readonly tf.Variable[], names: readonly string[]): () => void {
  const json = reader.state.optimizer as unknown as OptimizerJson | undefined;
  const known = SLOTS[kind].map(([slot]) => slot);
  if (!json || typeof json !== "object" || json.kind !== kind || !Number.isSafeInteger(json.iterations) || json.iterations < 0 ||
    !Array.isArray(json.slots) || !json.slots.every((s) => known.includes(s))) {
    fail(fn, "snapshot.state.optimizer", `be the state of the ${kind} optimiser {kind, iterations, slots}`, json);
  }
  const slotData = SLOTS[kind].map(([slot, field, suffix]) => ({
    field, suffix, data: json.slots.includes(slot) ? variables.map((v, i) => reader.tensor(`optimizer.${slot}.${names[i]}`, "F32", v.shape) as Float32Array) : undefined,
  }));
  const scalars = SCALARS[kind].map(([name, field]) => ({ field, data: reader.tensor(`optimizer.${name}`, "F32", []) as Float32Array }));
  return () => {
    const o = optimizer as unknown as Internals;
    for (const { field, suffix, data } of slotData) {
      const entries = (o[field] as SlotEntry[] | undefined) ?? [];
      if (!data) {
        for (const e of entries) e?.variable.dispose();
        o[field] = [];
        continue;
      }
      variables.forEach((v, i) => {
        const value = tf.tensor(data[i]!, v.shape, "float32");
        // A variable shares its tensor's data (reference counted): `value` can go either way.
        if (entries[i]) entries[i]!.variable.assign(value);
        else entries[i] = { originalName: `${v.name}/${suffix}`, variable: value.variable(false) };
        value.dispose();
      });
      o[field] = entries;
    }
    for (const { field, data } of scalars) tf.tidy(() => (o[field] as tf.Variable).assign(tf.scalar(data[0]!, "float32")));
    o.iterations_ = json.iterations;
  };
}

/**
 * Sets the step size η of a `tf.train` optimiser: SGD and momentum keep −η as a tensor
 * (`setLearningRate`), Adam and RMSProp read the field at every step.
 */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
  if (typeof o.setLearningRate === "function") o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}
