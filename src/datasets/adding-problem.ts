/**
 * The adding problem (Hochreiter & Schmidhuber 1997, Experiment 4), in the form of Le, Jaitly &
 * Hinton 2015 and Arjovsky, Shah & Bengio 2016: each sequence has T steps of two channels, a value
 * channel x ~ U[0, 1) and a marker channel that is 1 at exactly two steps — one drawn uniformly in
 * the first half [0, ⌊T/2⌋), one in the second half [⌊T/2⌋, T) — and 0 elsewhere. The target is
 * the sum of the two marked values, in [0, 2).
 *
 * The target is the sum of two independent U[0, 1) draws: mean 1, variance 2/12 = 1/6, so a model
 * that always predicts 1 (the mean) has MSE 1/6 ≈ 0.167 — the baseline a model must beat. To beat
 * it, the model must carry the first marked value across at least T/2 steps.
 *
 * Hochreiter & Schmidhuber's original: values in [−1, 1], the first marker within the first 10
 * steps, target 0.5 + (X₁ + X₂)/4; a sequence counted as solved below an absolute error of 0.04.
 *
 * @example
 *   const train = addingProblem({ count: 10000, steps: 100, rng: createRng(1) });
 *   train.inputs;    // Float32Array [10000, 100, 2]: (value, marker) per step
 *   train.targets;   // Float32Array [10000]
 */
import { checkRng, type Rng } from "../core/random";
import { fail, integer, oneOf } from "../core/validate";
import type { DatasetSplit } from "./image-dataset";
import type { RegressionSequences } from "./regression-sequences";

/** Options of `addingProblem`. */
export interface AddingProblemOptions {
  /** Number of sequences N ≥ 1. */
  readonly count: number;
  /** Sequence length T ≥ 2. */
  readonly steps: number;
  /** Seeded generator: the same seed gives the same sequences. */
  readonly rng: Rng;
  /** The split these sequences are for (recorded in the evaluation log). */
  readonly split?: DatasetSplit;
}

/** The predict-the-mean baseline MSE of this variant: Var(X₁ + X₂) = 2/12. */
export const addingProblemBaseline = 1 / 6;

/**
 * N seeded sequences of the adding problem (file header).
 *
 * @example
 *   const d = addingProblem({ count: 4, steps: 50, rng: createRng(3), split: "validation" });
 */
export function addingProblem(options: AddingProblemOptions): RegressionSequences {
  const fn = "addingProblem";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {count, steps, rng, split?}", options);
  for (const key of Object.keys(options)) if (!["count", "steps", "rng", "split"].includes(key)) fail(fn, "options", "have only the keys count, steps, rng, split", key);
  const N = integer(fn, "count", options.count, 1);
  const T = integer(fn, "steps", options.steps, 2);
  const rng = checkRng(fn, "rng", options.rng);
  if (options.split !== undefined) oneOf(fn, "split", options.split, ["train", "validation", "test"] as const);
  const inputs = new Float32Array(N * T * 2);
  const targets = new Float32Array(N);
  const half = Math.floor(T / 2);
  for (let s = 0; s < N; s++) {
    const off = s * T * 2;
    for (let t = 0; t < T; t++) inputs[off + 2 * t] = rng.uniform();
    const a = rng.int(half);
    const b = half + rng.int(T - half);
    inputs[off + 2 * a + 1] = 1;
    inputs[off + 2 * b + 1] = 1;
    targets[s] = inputs[off + 2 * a]! + inputs[off + 2 * b]!;
  }
  return Object.freeze({ count: N, steps: T, features: 2, inputs, targetSize: 1, targets, name: "adding-problem", ...(options.split !== undefined ? { split: options.split } : {}) });
}
