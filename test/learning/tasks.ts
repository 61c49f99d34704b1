/** Small labelled data sets and a scripted learner for the tests of learning/. */
import { createRng } from "../../src/core/random";
import type { DatasetSplit } from "../../src/datasets/image-dataset";
import type { Learner, LearnOptions } from "../../src/learning/learner";
import { makeSnapshot, type LearnerSnapshot } from "../../src/learning/snapshot";
import { arrayDataset, type ArrayDataset } from "../../src/training/batches";

/** `count` samples of `n` values in [0, 1]: class c has its c-th half of the inputs high, plus noise. */
export function twoClassTask(n: number, count: number, seed: number, split?: DatasetSplit): ArrayDataset {
  const rng = createRng(seed);
  const inputs = new Float32Array(count * n);
  const labels = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const c = rng.int(2);
    labels[s] = c;
    for (let j = 0; j < n; j++) {
      const on = (j < n / 2) === (c === 0);
      inputs[s * n + j] = Math.min(1, Math.max(0, (on ? 0.8 : 0.1) + 0.1 * rng.normal()));
    }
  }
  return arrayDataset({ inputs, inputShape: [n], labels, ...(split ? { split } : {}) });
}

/** What a scripted learner's `learn` was called with. */
export interface LearnCall {
  readonly start: number;
  readonly count: number;
  readonly learningRate: number | undefined;
}

/**
 * A learner whose state is a running sum of its learning rates, whose validation accuracy
 * follows `accuracyAt(samplesSeen)`, and which records every `learn` call (for `fit`'s mechanics).
 */
export function scriptedLearner(accuracyAt: (samples: number) => number = () => 0.5, batchSize = 1) {
  const calls: LearnCall[] = [];
  let seen = 0;
  let sum = 0;
  const learner: Learner<{ count: number }> & { calls: LearnCall[]; readonly sum: number } = {
    name: "scripted",
    get samplesSeen() {
      return seen;
    },
    learningRate: 0.1,
    batchSize,
    calls,
    get sum() {
      return sum;
    },
    learn(_data: { count: number }, options: LearnOptions) {
      calls.push({ start: seen, count: options.count, learningRate: options.learningRate });
      sum += options.count * (options.learningRate ?? 0.1);
      seen += options.count;
      return { samples: options.count, loss: 2, accuracy: 0.25 };
    },
    evaluate() {
      return { accuracy: accuracyAt(seen) };
    },
    snapshot(): LearnerSnapshot {
      return makeSnapshot("scripted", seen, {}, { sum }, {});
    },
    restore(snapshot: LearnerSnapshot) {
      seen = snapshot.samplesSeen;
      sum = snapshot.state.sum as number;
    },
  };
  return learner;
}
