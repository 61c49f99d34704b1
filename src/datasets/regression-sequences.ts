/**
 * Sequence data sets: N sequences of T steps with F features each, and a target vector per
 * sequence (regression). Every sequence has the same length T: a ragged set is rejected with one
 * error naming the first sequence whose length differs.
 *
 * Storage: `inputs` is a Float32Array [N, T, F] (sample-major, step, feature), `targets` a
 * Float32Array [N, targetSize].
 *
 * @example
 *   const d = regressionSequences({ inputs: [[[0.1, 0], [0.5, 1]], [[0.2, 1], [0.3, 0]]], targets: [[0.5], [0.2]] });
 *   d.steps;      // 2
 *   d.features;   // 2
 */
import { fail } from "../core/validate";
import type { DatasetSplit } from "./image-dataset";

/** N sequences of T steps and F features, with targets (file header). */
export interface RegressionSequences {
  /** N, the number of sequences. */
  readonly count: number;
  /** T, the length of every sequence. */
  readonly steps: number;
  /** F, features per step. */
  readonly features: number;
  /** [N, T, F] */
  readonly inputs: Float32Array;
  /** Values per target. */
  readonly targetSize: number;
  /** [N, targetSize] */
  readonly targets: Float32Array;
  /** Name of the data set, e.g. "adding-problem" (the evaluation log's `dataset`). */
  readonly name?: string;
  /** Which split this is (the evaluation log's `split`). */
  readonly split?: DatasetSplit;
}

/** What `regressionSequences` accepts: nested arrays (sequence, step, feature) and one target row per sequence. */
export interface RegressionSequencesInput {
  readonly inputs: ArrayLike<ArrayLike<ArrayLike<number>>>;
  readonly targets: ArrayLike<ArrayLike<number> | number>;
  readonly name?: string;
  readonly split?: DatasetSplit;
}

/**
 * A sequence data set from nested arrays; checks that all sequences have one length, all steps one
 * feature count, all targets one size, and that every value is finite.
 *
 * @example
 *   regressionSequences({ inputs: [[[1], [2]], [[3]]], targets: [1, 2] });
 *   // throws: regressionSequences: inputs must have sequences of one length (T = 2), got sequence 1 of length 1
 */
export function regressionSequences(data: RegressionSequencesInput): RegressionSequences {
  const fn = "regressionSequences";
  if (data === null || typeof data !== "object") fail(fn, "data", "be {inputs, targets}", data);
  const seqs = data.inputs;
  if (seqs === null || typeof seqs !== "object" || typeof seqs.length !== "number" || seqs.length < 1) fail(fn, "inputs", "be a non-empty array of sequences (arrays of steps)", seqs);
  const N = seqs.length;
  const first = seqs[0]!;
  if (first === null || typeof first !== "object" || typeof first.length !== "number" || first.length < 1) fail(fn, "inputs[0]", "be a non-empty array of steps", first);
  const T = first.length;
  const step0 = first[0]!;
  if (step0 === null || typeof step0 !== "object" || typeof step0.length !== "number" || step0.length < 1) fail(fn, "inputs[0][0]", "be a non-empty array of features", step0);
  const F = step0.length;
  for (let s = 0; s < N; s++) {
    const q = seqs[s];
    if (q === null || typeof q !== "object" || typeof q.length !== "number") fail(fn, `inputs[${s}]`, "be an array of steps", q);
    if (q.length !== T) fail(fn, "inputs", `have sequences of one length (T = ${T})`, `sequence ${s} of length ${q.length}`);
  }
  const inputs = new Float32Array(N * T * F);
  for (let s = 0; s < N; s++) {
    for (let t = 0; t < T; t++) {
      const v = seqs[s]![t];
      if (v === null || typeof v !== "object" || typeof v.length !== "number") fail(fn, `inputs[${s}][${t}]`, "be an array of features", v);
      if (v.length !== F) fail(fn, "inputs", `have ${F} features at every step`, `${v.length} at sequence ${s}, step ${t}`);
      for (let f = 0; f < F; f++) {
        const x = v[f];
        if (typeof x !== "number" || !Number.isFinite(x)) fail(fn, `inputs[${s}][${t}][${f}]`, "be a finite number", x);
        inputs[(s * T + t) * F + f] = x;
      }
    }
  }
  const tg = data.targets;
  if (tg === null || typeof tg !== "object" || typeof tg.length !== "number") fail(fn, "targets", "be an array with one target per sequence", tg);
  if (tg.length !== N) fail(fn, "targets", `have one target per sequence (${N})`, `${tg.length} targets`);
  const rowOf = (v: ArrayLike<number> | number): ArrayLike<number> => (typeof v === "number" ? [v] : v);
  const size = typeof tg[0] === "number" ? 1 : rowOf(tg[0]!).length;
  if (!(size >= 1)) fail(fn, "targets[0]", "be a number or a non-empty array", tg[0]);
  const targets = new Float32Array(N * size);
  for (let s = 0; s < N; s++) {
    const v = tg[s]!;
    if (v === null || (typeof v !== "number" && typeof v !== "object")) fail(fn, `targets[${s}]`, "be a number or an array", v);
    const row = rowOf(v);
    if (row.length !== size) fail(fn, "targets", `have targets of one size (${size})`, `size ${row.length} at sequence ${s}`);
    for (let k = 0; k < size; k++) {
      const x = row[k];
      if (typeof x !== "number" || !Number.isFinite(x)) fail(fn, `targets[${s}][${k}]`, "be a finite number", x);
      targets[s * size + k] = x;
    }
  }
  return Object.freeze({ count: N, steps: T, features: F, inputs, targetSize: size, targets, ...(data.name !== undefined ? { name: data.name } : {}), ...(data.split !== undefined ? { split: data.split } : {}) });
}

/** Checks the fields of a `RegressionSequences` (a learner's entry check); returns it. */
export function checkSequenceDataset(fn: string, param: string, d: unknown): RegressionSequences {
  const s = d as RegressionSequences;
  if (s === null || typeof s !== "object") fail(fn, param, "be a sequence data set (regressionSequences, addingProblem)", d);
  for (const k of ["count", "steps", "features", "targetSize"] as const) {
    if (!Number.isSafeInteger(s[k]) || s[k] < (k === "count" ? 0 : 1)) fail(fn, `${param}.${k}`, `be an integer ≥ ${k === "count" ? 0 : 1}`, s[k]);
  }
  if (!(s.inputs instanceof Float32Array) || s.inputs.length !== s.count * s.steps * s.features) {
    fail(fn, `${param}.inputs`, `be a Float32Array of count·steps·features = ${s.count * s.steps * s.features} values`, s.inputs);
  }
  if (!(s.targets instanceof Float32Array) || s.targets.length !== s.count * s.targetSize) {
    fail(fn, `${param}.targets`, `be a Float32Array of count·targetSize = ${s.count * s.targetSize} values`, s.targets);
  }
  return s;
}
