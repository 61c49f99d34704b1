/**
 * A model's learned values as named tensors — the weights and biases, batch-norm's scale and
 * shift and its running statistics — and back. The names are the ones trainer snapshots use
 * (`layers.<index>.weight`, `.bias`, `.gamma`, `.beta`, `.runningMean`, `.runningVar`), so that
 * a notebook checkpoint holds the tensors of the network it trained and a later notebook (or
 * Python, through safetensors) can rebuild it. Fixed feedback matrices are not included: they
 * come from the model's seed.
 *
 * @example
 *   const saved = checkpoint("14-ann-snn-conversion/mlp", settings);
 *   if (saved.loaded) restoreModelWeights(model, saved.tensors);
 *   else { train(); saved.save(modelWeightTensors(model)); }
 */
import * as tf from "@tensorflow/tfjs-core";
import { fail } from "../core/validate";
import { tensor, type StoredTensor } from "../io/safetensors";
import type { Model } from "./model";

const PARTS = ["W", "b", "gamma", "beta", "runningMean", "runningVar"] as const;
const PART_NAMES: Record<(typeof PARTS)[number], string> = { W: "weight", b: "bias", gamma: "gamma", beta: "beta", runningMean: "runningMean", runningVar: "runningVar" };

/** Every learned tensor of `model` with its name, in layer order. */
export function modelStateNames(model: Model): [tf.Variable, string][] {
  const out: [tf.Variable, string][] = [];
  for (const l of model.layers) for (const part of PARTS) {
    const v = l[part];
    if (v !== undefined) out.push([v, `layers.${l.index}.${PART_NAMES[part]}`]);
  }
  return out;
}

/** The snapshot name of each of `model.variables` (the trainable ones), in their order. */
export function modelVariableNames(model: Model): string[] {
  const names = new Map(modelStateNames(model));
  return model.variables.map((v) => names.get(v)!);
}

function checkModel(fn: string, model: unknown): Model {
  if (model === null || typeof model !== "object" || !Array.isArray((model as Model).layers) || !Array.isArray((model as Model).variables)) {
    fail(fn, "model", "be a model from createModel", model);
  }
  return model as Model;
}

/** Copies of the model's learned tensors, by name (float32). */
export function modelWeightTensors(model: Model): Record<string, StoredTensor> {
  const m = checkModel("modelWeightTensors", model);
  const out: Record<string, StoredTensor> = {};
  for (const [v, name] of modelStateNames(m)) out[name] = tensor((v.dataSync() as Float32Array).slice(), v.shape);
  return out;
}

/**
 * Sets the model's learned tensors from `tensors` (names as `modelWeightTensors` writes them).
 * Every tensor of the model must be there with its shape; extra names are an error too (a
 * checkpoint of another network). Everything is checked before anything is set.
 */
export function restoreModelWeights(model: Model, tensors: Readonly<Record<string, StoredTensor>>): void {
  const fn = "restoreModelWeights";
  const m = checkModel(fn, model);
  if (tensors === null || typeof tensors !== "object") fail(fn, "tensors", "be an object of named tensors (modelWeightTensors)", tensors);
  const state = modelStateNames(m);
  const own = new Set(state.map(([, name]) => name));
  for (const name of Object.keys(tensors)) if (!own.has(name)) fail(fn, "tensors", `name only this model's tensors (${[...own].join(", ")})`, name);
  const plan: [tf.Variable, Float32Array][] = state.map(([v, name]) => {
    const t = tensors[name];
    if (t === undefined) fail(fn, `tensors["${name}"]`, "be present (every tensor of the model)", t);
    const shape = Array.from(t.shape);
    if (shape.length !== v.shape.length || shape.some((d, k) => d !== v.shape[k])) fail(fn, `tensors["${name}"].shape`, `be [${v.shape.join(", ")}]`, shape);
    if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) fail(fn, `tensors["${name}"]`, "hold float32 or float64 values", t.dtype);
    return [v, Float32Array.from(t.data as ArrayLike<number>)];
  });
  for (const [v, data] of plan) tf.tidy(() => v.assign(tf.tensor(data, v.shape, "float32")));
}
