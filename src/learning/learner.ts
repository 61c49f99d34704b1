/**
 * The `Learner` contract: what a learning algorithm tells the one training loop (`fit`) about
 * itself. The algorithm owns its state and its rule; the loop owns epochs, schedules, validation,
 * progress, interrupts, checkpoints and the history (house style C11: Lightning's `LightningModule`
 * holds the step, its `Trainer` the loop).
 *
 * A learner walks one infinite, seeded sequence of training samples: epoch 0, epoch 1, …, each
 * epoch an order of the data set that the learner draws itself (so its numbers stay those of its
 * own `train(data, {start, count})`). Its position in that sequence, `samplesSeen`, is part of its
 * state: `learn` always continues from it, `snapshot` saves it, `restore` puts it back.
 *
 * Contract, in five members:
 *
 *   samplesSeen                     position in the epoch sequence (samples trained so far)
 *   learn(data, {count, learningRate?})
 *                                   trains on the next `count` samples, in place; η for this call
 *                                   only (a schedule), else the learner's own `learningRate`
 *   evaluate(data, {start, count})  no learning; accuracy plus the engine's own extras, and one
 *                                   entry in the evaluation log with the data's split
 *   snapshot() / restore(snapshot)  the whole state that decides later training, as named tensors
 *                                   plus JSON (learning/snapshot.ts): a restored learner continues
 *                                   bit for bit like the one that was saved
 *
 * The learners of the library: `herdingMlp`, `reluMlp`, `erbpNetwork`, `membraneBackpropNetwork`,
 * `lstmLearner`, `sailnet`, `tavanaeiCnn`, `mirroredStdpAutoencoder`, each layer of
 * `spikingConvAutoencoder` (`net.layer(l)`) and the trainer of `createTrainer`. A learner of your own is a plain object with these members
 * (and a `name`, a `learningRate`, and a `batchSize` when it learns in batches).
 *
 * @example
 *   const net = herdingMlp({ sizes: [784, 200, 10], rng: createRng(1) });
 *   net.learn(train, { count: 1000 });       // samples 0 … 999 of the epoch sequence
 *   net.learn(train, { count: 1000, learningRate: 0.005 });
 *   net.samplesSeen;                         // 2000
 *   net.evaluate(validation, { start: 0, count: validation.count }).accuracy;
 */
import type { LearnerSnapshot } from "./snapshot";

/** The data a learner trains on: anything with a sample count (the learner reads the samples). */
export interface LearnerData {
  readonly count: number;
}

/** Options of `learner.learn`. */
export interface LearnOptions {
  /** Samples to train on, from the learner's position on (an integer ≥ 0). */
  readonly count: number;
  /** Learning rate for this call only (a schedule's value); default the learner's `learningRate`. */
  readonly learningRate?: number;
}

/** What one `learn` call did: means over its samples; a learner that measures no loss leaves it out. */
export interface LearnStep {
  readonly samples: number;
  /** Mean training loss. */
  readonly loss?: number;
  /** Fraction of the samples classified correctly while training (before or during their update). */
  readonly accuracy?: number;
}

/** What every evaluation has; engines add their own fields (spikes, operations, predictions…). */
export interface LearnerEvaluation {
  /** Fraction correct, in [0, 1]. */
  readonly accuracy: number;
}

/** A learning algorithm as `fit` drives it (file header). */
export interface Learner<D extends LearnerData = LearnerData, E extends LearnerEvaluation = LearnerEvaluation> {
  /** The learner's kind, e.g. "herdingMlp"; snapshots carry it, and `restore` takes only its own. */
  readonly name: string;
  /** Position in the epoch sequence: samples trained so far; `learn` continues here. */
  readonly samplesSeen: number;
  /** The learning rate used when `learn` is given none. */
  readonly learningRate: number;
  /**
   * Samples per weight update (1 for online learners). Chunk boundaries of `fit` are multiples of
   * it, so that a chunked run updates exactly as one long call.
   */
  readonly batchSize?: number;
  /** Trains on the next `count` samples of the epoch sequence, in place. */
  learn(data: D, options: LearnOptions): LearnStep;
  /** Evaluates samples [start, start + count) of `data` in order, without learning. */
  evaluate(data: D, range: { readonly start: number; readonly count: number }): E;
  /** The full state as named tensors and JSON (copies: later training does not change it). */
  snapshot(): LearnerSnapshot;
  /** Puts the learner in the state of `snapshot`, in place; everything is checked before anything changes. */
  restore(snapshot: LearnerSnapshot): void;
}

/** True when `value` has the members of a `Learner`. */
export function isLearner(value: unknown): value is Learner {
  const l = value as Learner;
  return (
    typeof value === "object" && value !== null && typeof l.name === "string" && typeof l.samplesSeen === "number" &&
    typeof l.learn === "function" && typeof l.evaluate === "function" && typeof l.snapshot === "function" && typeof l.restore === "function"
  );
}
