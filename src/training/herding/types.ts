/**
 * Herding (O'Connor & Welling 2016), part of `training/herding/` (described in index.ts): the options, ranges and results of the two MLP learners, and the shape they share (`MlpLearner`).
 */
import { type Rng } from "../../core/random";
import type { Learner, LearnOptions, LearnStep } from "../../learning/learner";
import { type LearnerSnapshot } from "../../learning/snapshot";
import { type TrainingData } from "../batches";


/** How the weights learn: after each sample ("sgd") or at every step of it ("fractional"). */
export const herdingUpdateNames = ["sgd", "fractional"] as const;
export type HerdingUpdate = (typeof herdingUpdateNames)[number];

/** Options of `herdingMlp` and `reluMlp`. */
export interface HerdingMlpOptions {
  /** Layer sizes n_0 … n_L (input first). Default [784, 200, 200, 10], the paper's network. */
  readonly sizes: readonly number[];
  /** Time steps T per sample (spiking network only). Default 10. */
  readonly steps: number;
  /** Learning rate η. Default 0.01. */
  readonly learningRate: number;
  /** Standard deviation of the initial weights, w ~ N(0, initScale²). Default 0.01. */
  readonly initScale: number;
  /** "sgd" or "fractional" (spiking network only). Default "sgd". */
  readonly update: HerdingUpdate;
  /** Draws the initial weights; needed unless `weights` is given. */
  readonly rng?: Rng;
  /** Initial weights, one Float32Array [n_l · n_{l+1}] per layer (copied), e.g. another network's. */
  readonly weights?: readonly Float32Array[];
}

/** Defaults of `herdingMlp`: the paper's 784-200-200-10, T = 10, η = 0.01, w_init = 0.01, plain SGD. */
export const herdingMlpDefaults: Readonly<HerdingMlpOptions> = Object.freeze({
  sizes: Object.freeze([784, 200, 200, 10]) as readonly number[],
  steps: 10,
  learningRate: 0.01,
  initScale: 0.01,
  update: "sgd" as HerdingUpdate,
  rng: undefined,
  weights: undefined,
});

/** A range of sample positions: position p uses sample p mod data.count (so ranges may span epochs). */
export interface SampleRange {
  /** First position. Default 0. */
  readonly start?: number;
  /** Number of samples. Default data.count. */
  readonly count?: number;
}

/** A range of `train`, and optionally the learning rate for this call only (a schedule's value). */
export interface HerdingTrainRange extends SampleRange {
  /** η for this call; default `options.learningRate`. */
  readonly learningRate?: number;
}

/** What `train` returns: means over the samples of the call. */
export interface HerdingTrainResult {
  readonly samples: number;
  /** Fraction of samples whose output argmax (before their update) was the label. */
  readonly accuracy: number;
  /** Forward spikes (input, hidden, output) per sample; 0 for the ReLU network. */
  readonly forwardSpikes: number;
  /** Backward (error) spikes per sample; 0 for the ReLU network. */
  readonly backwardSpikes: number;
}

/** What `evaluate` returns. */
export interface HerdingEvaluation {
  /** Fraction correct. */
  readonly accuracy: number;
  readonly correct: number;
  readonly count: number;
  /** Predicted class of each evaluated sample. */
  readonly predictions: Int32Array;
  /** True class of each evaluated sample. */
  readonly labels: Int32Array;
  /** Mean spikes per sample leaving each layer 0 … L (input spikes first); zeros for the ReLU network. */
  readonly spikesPerLayer: Float64Array;
  /**
   * Mean additions per sample of an event-driven spiking network: every spike of layer l adds a
   * weight row into the n_{l+1} units above (Σ_l spikes_l · n_{l+1}); for the ReLU network, the
   * multiply-adds of its nonzero activations. (Our implementation adds only the rows of units whose
   * count changed since the last step, fewer still.)
   */
  readonly synapticOperations: number;
}

/** A trainable MLP: the spiking (herding) network or its ReLU twin; a `Learner` (file header). */
/** What `herdingMlp` and `reluMlp` share: an MLP learner, spiking or ReLU (file header). */
export interface MlpLearner extends Learner<TrainingData, HerdingEvaluation> {
  /** "herdingMlp" or "reluMlp": the learner's name in snapshots. */
  readonly name: "herdingMlp" | "reluMlp";
  readonly kind: "spiking" | "relu";
  readonly sizes: readonly number[];
  /** T (1 for the ReLU network). */
  readonly steps: number;
  readonly learningRate: number;
  readonly update: HerdingUpdate;
  /** Live weights, one Float32Array [n_l · n_{l+1}] per layer, row-major (input index first). */
  readonly weights: readonly Float32Array[];
  /** The backward quantisers' residuals, layers 1 … L−1 (kept across samples); empty for ReLU. */
  readonly backwardResidual: readonly Float64Array[];
  /** Samples trained on so far (with `learn`: the position where the next call continues). */
  readonly samplesSeen: number;
  /** One online step on one sample (input of n_0 values, label < n_L). */
  trainSample(input: ArrayLike<number>, label: number): void;
  /** Trains on the samples at positions [start, start + count), in order; η = `range.learningRate` if given. */
  train(data: TrainingData, range?: HerdingTrainRange): HerdingTrainResult;
  /** Trains on the next `count` positions from `samplesSeen` on (the Learner contract; `train` with start = samplesSeen). */
  learn(data: TrainingData, options: LearnOptions): LearnStep;
  /** Weights and backward residuals, copied (learning/snapshot.ts gives the names). */
  snapshot(): LearnerSnapshot;
  /** Sets weights, residuals and position from a snapshot of a network with the same settings. */
  restore(snapshot: LearnerSnapshot): void;
  /** The output for one input: u_L/T (spiking) or the ReLU output; a new Float64Array of n_L. */
  predict(input: ArrayLike<number>): Float64Array;
  /** Accuracy (and spike counts) on the samples at positions [start, start + count); no learning. */
  evaluate(data: TrainingData, range?: SampleRange): HerdingEvaluation;
}

/** `herdingMlp`'s network: the MLP whose layers exchange herded spike counts. */
export interface HerdingMlp extends MlpLearner {
  readonly name: "herdingMlp";
  readonly kind: "spiking";
}

/** `reluMlp`'s network: the ReLU MLP (steps 1, update "sgd", no backward residuals). */
export interface ReluMlp extends MlpLearner {
  readonly name: "reluMlp";
  readonly kind: "relu";
}
