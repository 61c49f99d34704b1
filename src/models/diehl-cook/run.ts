/**
 * Diehl & Cook (2015), part of `models/diehl-cook/` (the network is described in index.ts): runs over a data set: training, responses, label assignment, evaluation and the receptive fields.
 */
import { checkRng, type Rng } from "../../core/random";
import { fail, integer, lengthIs, mergeOptions } from "../../core/validate";
import { logEvaluation } from "../../datasets/evaluation-log";
import { checkImageDataset, imageClassCount, type ImageDataset } from "../../datasets/image-dataset";
import { assignLabelsByResponse, classifyByAssignment } from "../label-assignment";
import { type DiehlCookNetwork } from "./network";
import { checkNetwork, presentAt } from "./simulate";

/** Reported after each sample by `onProgress`. */
export interface DiehlCookProgress {
  /** Index of the sample in the data set. */
  readonly sample: number;
  /** Its label (never used for learning). */
  readonly label: number;
  /** Excitatory spikes in its last presentation. */
  readonly spikes: number;
  /** Intensity of its last presentation. */
  readonly intensity: number;
  /** Its number of presentations. */
  readonly presentations: number;
}

/** Options of `diehlCookTrain`, `diehlCookRespond`, `diehlCookAssignLabels` and `diehlCookEvaluate`. */
export interface DiehlCookRunOptions {
  /** The stream that draws the Poisson input. Required; it is advanced. */
  readonly rng: Rng;
  /** Number of samples (default: to the end of the data set); more than the data set cycles it. */
  readonly count?: number;
  /** Index of the first sample (default 0): sample k is `(start + k) mod dataset.count`. */
  readonly start?: number;
  /** Called after each sample with (samples done, samples asked for, what the sample did). */
  readonly onProgress?: (done: number, total: number, info: DiehlCookProgress) => void;
  /** Asked before each sample; returning true stops at that sample boundary (state stays consistent). */
  readonly shouldStop?: () => boolean;
}

const runDefaults: Readonly<Record<keyof DiehlCookRunOptions, unknown>> = Object.freeze({
  rng: undefined, count: undefined, start: undefined, onProgress: undefined, shouldStop: undefined,
});

interface RunPlan {
  readonly dataset: ImageDataset;
  readonly rng: Rng;
  readonly count: number;
  readonly start: number;
  readonly onProgress: DiehlCookRunOptions["onProgress"];
  readonly shouldStop: DiehlCookRunOptions["shouldStop"];
}

function planRun(fn: string, net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): RunPlan {
  checkNetwork(fn, net);
  const d = checkImageDataset(fn, "dataset", dataset);
  if (d.rows * d.cols !== net.params.inputs) {
    fail(fn, "dataset", `have images of ${net.params.inputs} pixels (params.inputs)`, `${d.rows}×${d.cols}`);
  }
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object with rng", options);
  const o = mergeOptions(fn, runDefaults, options as Partial<typeof runDefaults>) as unknown as DiehlCookRunOptions;
  const rng = checkRng(fn, "rng", o.rng);
  const start = o.start === undefined ? 0 : integer(fn, "start", o.start, 0);
  if (d.count === 0) fail(fn, "dataset", "hold at least one sample", d.count);
  const count = o.count === undefined ? Math.max(d.count - start, 0) : integer(fn, "count", o.count, 0);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") fail(fn, "onProgress", "be a function", o.onProgress);
  if (o.shouldStop !== undefined && typeof o.shouldStop !== "function") fail(fn, "shouldStop", "be a function", o.shouldStop);
  return { dataset: d, rng, count, start, onProgress: o.onProgress, shouldStop: o.shouldStop };
}

/** Runs `plan`; `each(k, counts)` sees the counts of sample k. Returns the number of samples done. */
function runSamples(net: DiehlCookNetwork, plan: RunPlan, learn: boolean, each: (k: number, counts: Int32Array) => void): number {
  const { dataset, rng, count, start, onProgress, shouldStop } = plan;
  const pixels = net.params.inputs;
  const counts = new Int32Array(net.params.neurons);
  for (let k = 0; k < count; k++) {
    if (shouldStop && shouldStop()) return k;
    const index = (start + k) % dataset.count;
    const { intensity, presentations } = presentAt(net, dataset.images, index * pixels, learn, rng, counts);
    each(k, counts);
    if (onProgress) {
      let spikes = 0;
      for (let j = 0; j < counts.length; j++) spikes += counts[j]!;
      onProgress(k + 1, count, { sample: index, label: dataset.labels[index]!, spikes, intensity, presentations });
    }
  }
  return count;
}

/** What `diehlCookTrain` did. */
export interface DiehlCookTrainResult {
  /** Samples processed (fewer than asked when `shouldStop` stopped the run). */
  readonly samples: number;
  /** Presentations made, retries included. */
  readonly presentations: number;
}

/**
 * Trains the network on `dataset` without labels, in place: every sample through
 * `diehlCookPresent` with learning on, in order from `start`. `shouldStop` may end the run at a
 * sample boundary; resume with `start: start + samples`.
 *
 * @example
 *   const { samples } = diehlCookTrain(net, loadMnist({ split: "train" }), {
 *     count: 60000, rng: createRng(3), onProgress: (done, total) => bar.update(done / total),
 *   });
 */
export function diehlCookTrain(net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): DiehlCookTrainResult {
  const plan = planRun("diehlCookTrain", net, dataset, options);
  let presentations = 0;
  const onProgress = plan.onProgress;
  const counted: RunPlan = {
    ...plan,
    onProgress: (done, total, info) => {
      presentations += info.presentations;
      if (onProgress) onProgress(done, total, info);
    },
  };
  const samples = runSamples(net, counted, true, () => undefined);
  trainedSamples.set(net, (trainedSamples.get(net) ?? 0) + samples);
  return { samples, presentations };
}

/** Training samples each network has learned from in this process (for `evaluationLog`). */
export const trainedSamples = new WeakMap<DiehlCookNetwork, number>();

/** Responses of the excitatory layer to a run of samples. */
export interface DiehlCookResponses {
  /** Spike counts, row-major [sample][neuron]. */
  readonly responses: Int32Array;
  /** Label of each sample. */
  readonly labels: Uint8Array;
  /** Samples processed. */
  readonly samples: number;
}

/**
 * The spike counts of every excitatory neuron for each sample, with learning off (θ and weights
 * frozen). The network's state (v, conductances, traces) still advances.
 */
export function diehlCookRespond(net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): DiehlCookResponses {
  return respond("diehlCookRespond", net, dataset, options);
}

function respond(fn: string, net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): DiehlCookResponses {
  const plan = planRun(fn, net, dataset, options);
  logEvaluation(fn, net, dataset, { start: plan.start, count: plan.count, trained: trainedSamples.get(net) ?? 0 });
  const n = net.params.neurons;
  const responses = new Int32Array(plan.count * n);
  const labels = new Uint8Array(plan.count);
  const samples = runSamples(net, plan, false, (k, counts) => {
    responses.set(counts, k * n);
    labels[k] = plan.dataset.labels[(plan.start + k) % plan.dataset.count]!;
  });
  return { responses: responses.subarray(0, samples * n), labels: labels.subarray(0, samples), samples };
}

/** Labels read from the network's responses. */
export interface DiehlCookAssignment extends DiehlCookResponses {
  /** Class of each excitatory neuron, −1 for one that never fired. */
  readonly assignments: Int32Array;
  /** Mean response of each neuron to each class, row-major [class][neuron]. */
  readonly meanResponse: Float64Array;
}

/**
 * Labels every excitatory neuron with the class it responds to most (mean spike count over the
 * samples; learning off). See `assignLabelsByResponse`.
 *
 * @example
 *   const { assignments } = diehlCookAssignLabels(net, train, { start: 50000, count: 10000, rng: createRng(4) });
 */
export function diehlCookAssignLabels(net: DiehlCookNetwork, dataset: ImageDataset, options: DiehlCookRunOptions): DiehlCookAssignment {
  const r = respond("diehlCookAssignLabels", net, dataset, options);
  const { assignments, meanResponse } = assignLabelsByResponse(r.responses, r.labels, {
    neurons: net.params.neurons, classes: imageClassCount,
  });
  return { ...r, assignments, meanResponse };
}

/** Test-set performance. */
export interface DiehlCookEvaluation {
  /** Fraction of samples classified correctly (a sample with no prediction counts as wrong). */
  readonly accuracy: number;
  /** Predicted class of each sample, −1 when no labelled neuron fired. */
  readonly predictions: Int32Array;
  /** True class of each sample. */
  readonly labels: Uint8Array;
  /** Counts [true class][predicted class], 10 × 10 row-major; samples without prediction are left out. */
  readonly confusion: Int32Array;
  /** Spike counts, row-major [sample][neuron]. */
  readonly responses: Int32Array;
  /** Samples processed. */
  readonly samples: number;
}

/**
 * Classifies samples by the mean response of each class's neurons (learning off) and scores them.
 *
 * @example
 *   const { accuracy, confusion } = diehlCookEvaluate(net, loadMnist({ split: "test" }), assignments, {
 *     count: 10000, rng: createRng(5),
 *   });
 */
export function diehlCookEvaluate(
  net: DiehlCookNetwork, dataset: ImageDataset, assignments: Int32Array, options: DiehlCookRunOptions,
): DiehlCookEvaluation {
  const fn = "diehlCookEvaluate";
  checkNetwork(fn, net);
  if (!(assignments instanceof Int32Array)) fail(fn, "assignments", "be an Int32Array", assignments);
  lengthIs(fn, "assignments", assignments, net.params.neurons);
  const r = respond(fn, net, dataset, options);
  const predictions = classifyByAssignment(r.responses, assignments, { neurons: net.params.neurons, classes: imageClassCount });
  const confusion = new Int32Array(imageClassCount * imageClassCount);
  let correct = 0;
  for (let s = 0; s < r.samples; s++) {
    const truth = r.labels[s]!;
    const guess = predictions[s]!;
    if (guess === truth) correct++;
    if (guess >= 0) confusion[truth * imageClassCount + guess]!++;
  }
  return {
    accuracy: r.samples === 0 ? NaN : correct / r.samples,
    predictions, labels: r.labels, confusion, responses: r.responses, samples: r.samples,
  };
}

/**
 * The input weights of every excitatory neuron as images: a new Float32Array, row-major
 * [neuron][input], so neuron j's 28 × 28 receptive field is `subarray(j·784, (j + 1)·784)`.
 *
 * @example
 *   const fields = diehlCookReceptiveFields(net);
 *   const first = fields.subarray(0, 784);   // neuron 0, pixel (r, c) at r·28 + c
 */
export function diehlCookReceptiveFields(net: DiehlCookNetwork): Float32Array {
  checkNetwork("diehlCookReceptiveFields", net);
  const { inputs, neurons } = net.params;
  const out = new Float32Array(inputs * neurons);
  for (let i = 0; i < inputs; i++) {
    for (let j = 0; j < neurons; j++) out[j * inputs + i] = net.weights[i * neurons + j]!;
  }
  return out;
}
