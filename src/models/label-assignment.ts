/**
 * Label assignment and classification for unsupervised networks (Diehl & Cook 2015, card E11):
 * the network learns without labels; afterwards each neuron is labelled with the class it responds
 * to most, and a sample is classified by which group of labelled neurons responds most.
 *
 *   assignment(j) = argmax_c  mean{ r_sj : label(s) = c }          (−1 if neuron j never fired)
 *   prediction(s) = argmax_c  mean{ r_sj : assignment(j) = c }     (−1 if every group mean is 0)
 *
 * with r_sj the response (spike count) of neuron j to sample s. Ties go to the smaller class. The
 * original code gives a neuron that never fires class 0, which then dilutes class 0's group mean;
 * here it gets −1 and joins no group.
 *
 * Responses are row-major [sample][neuron], as `diehlCookRespond` returns them.
 *
 * @example
 *   // 2 neurons, 3 samples: neuron 0 fires for class 1, neuron 1 for class 0.
 *   const responses = new Int32Array([0, 4,  3, 0,  5, 1]);
 *   const { assignments } = assignLabelsByResponse(responses, new Uint8Array([0, 1, 1]), { neurons: 2 });
 *   // assignments = [1, 0]
 *   classifyByAssignment(new Int32Array([0, 7]), assignments, { neurons: 2 });   // Int32Array [0]
 */
import { fail, integer, lengthIs, mergeOptions } from "../core/validate";

/** Options of `assignLabelsByResponse` and `classifyByAssignment`. */
export interface LabelAssignmentOptions {
  /** Number of neurons (columns of the response matrix). Required. */
  readonly neurons: number;
  /** Number of classes; labels are 0 … classes − 1. */
  readonly classes: number;
}

const labelAssignmentDefaults: Readonly<{ neurons: number | undefined; classes: number }> = Object.freeze({
  neurons: undefined,
  classes: 10,
});

/** Labels per neuron and the class-mean responses they were read from. */
export interface LabelAssignment {
  /** Class of each neuron, or −1 for a neuron that never responded. */
  readonly assignments: Int32Array;
  /** Mean response of each neuron to each class, row-major [class][neuron] (NaN for an absent class). */
  readonly meanResponse: Float64Array;
}

function checkOptions(fn: string, options: Partial<LabelAssignmentOptions> | undefined): LabelAssignmentOptions {
  const o = mergeOptions(fn, labelAssignmentDefaults, options as Partial<typeof labelAssignmentDefaults>);
  const neurons = integer(fn, "neurons", o.neurons, 1);
  const classes = integer(fn, "classes", o.classes, 1);
  return { neurons, classes };
}

function checkResponses(fn: string, responses: ArrayLike<number>, neurons: number): number {
  if (responses == null || typeof responses.length !== "number") fail(fn, "responses", "be an array", responses);
  if (responses.length % neurons !== 0) {
    fail(fn, "responses", `have a length that is a multiple of neurons (${neurons})`, responses.length);
  }
  return responses.length / neurons;
}

/**
 * Labels every neuron with the class of its largest mean response over the samples given (file
 * head). `responses` is row-major [sample][neuron]; `labels` has one class per sample. Neither is
 * modified. Throws the standard error for mismatched lengths or a label outside [0, classes).
 */
export function assignLabelsByResponse(
  responses: ArrayLike<number>, labels: ArrayLike<number>, options: Partial<LabelAssignmentOptions>,
): LabelAssignment {
  const fn = "assignLabelsByResponse";
  const { neurons, classes } = checkOptions(fn, options);
  const samples = checkResponses(fn, responses, neurons);
  lengthIs(fn, "labels", labels, samples);
  const perClass = new Float64Array(classes);
  const meanResponse = new Float64Array(classes * neurons);
  for (let s = 0; s < samples; s++) {
    const c = labels[s]!;
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) fail(fn, `labels[${s}]`, `be an integer in [0, ${classes - 1}]`, c);
    perClass[c]!++;
    const row = s * neurons;
    const out = c * neurons;
    for (let j = 0; j < neurons; j++) meanResponse[out + j]! += responses[row + j]!;
  }
  for (let c = 0; c < classes; c++) {
    const scale = 1 / perClass[c]!; // Infinity for an absent class: 0·∞ = NaN marks it
    for (let j = 0; j < neurons; j++) meanResponse[c * neurons + j]! *= scale;
  }
  const assignments = new Int32Array(neurons).fill(-1);
  for (let j = 0; j < neurons; j++) {
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const m = meanResponse[c * neurons + j]!;
      if (m > best) {
        best = m;
        assignments[j] = c;
      }
    }
  }
  return { assignments, meanResponse };
}

/**
 * The predicted class of every sample (file head): the class whose assigned neurons have the
 * largest mean response, −1 when no group responds at all. `responses` is row-major
 * [sample][neuron]; `assignments` comes from `assignLabelsByResponse`. Returns a new Int32Array.
 */
export function classifyByAssignment(
  responses: ArrayLike<number>, assignments: Int32Array, options: Partial<LabelAssignmentOptions>,
): Int32Array {
  const fn = "classifyByAssignment";
  const { neurons, classes } = checkOptions(fn, options);
  const samples = checkResponses(fn, responses, neurons);
  if (!(assignments instanceof Int32Array)) fail(fn, "assignments", "be an Int32Array", assignments);
  lengthIs(fn, "assignments", assignments, neurons);
  const groupSize = new Int32Array(classes);
  for (let j = 0; j < neurons; j++) {
    const c = assignments[j]!;
    if (!(c >= -1 && c < classes)) fail(fn, `assignments[${j}]`, `be an integer in [-1, ${classes - 1}]`, c);
    if (c >= 0) groupSize[c]!++;
  }
  const sums = new Float64Array(classes);
  const predictions = new Int32Array(samples);
  for (let s = 0; s < samples; s++) {
    sums.fill(0);
    const row = s * neurons;
    for (let j = 0; j < neurons; j++) {
      const c = assignments[j]!;
      if (c >= 0) sums[c]! += responses[row + j]!;
    }
    let best = -1;
    let bestMean = 0;
    for (let c = 0; c < classes; c++) {
      if (groupSize[c] === 0) continue;
      const m = sums[c]! / groupSize[c]!;
      if (m > bestMean) {
        bestMean = m;
        best = c;
      }
    }
    predictions[s] = best;
  }
  return predictions;
}
