/**
 * Sequence tasks for recurrent networks: the two benchmarks of Shrestha et al. (ICCAD 2017, the
 * spiking LSTM on TrueNorth; card E21) — a parity check and the embedded ("extended") Reber
 * grammar — as seeded generators, and MNIST read row by row (28 steps × 28 inputs) as the larger
 * case. Every input value lies in [−1, 1], so that a two-channel rate code can carry it.
 *
 *   parity        inputs: one feature per step, the bit (0 or 1); `length` steps
 *                 target "end": the parity (XOR) of all bits, read after the last step (2 classes);
 *                 "running" (default): at every step the parity of the bits so far (1 output,
 *                 every step scored, so a sequence is right when its final parity and every
 *                 partial one are right)
 *   embedded Reber  inputs: one-hot of the 7 symbols B T P S X V E, strings padded with zero
 *                 vectors to `maxLength` (longer strings are redrawn)
 *                 target at step t: the set of symbols that may follow symbol t (7 outputs, 0/1);
 *                 `mask` marks the steps that count (every step of the string but the final E).
 *                 A string is right when every output of every counted step is right: the hard
 *                 part is the second-to-last symbol, which repeats the second one (T or P) and
 *                 must be remembered over the whole embedded string.
 *   mnist rows    inputs: row r of the image at step r, pixels / 255; target: the digit at the end
 *
 * Grammar (Reber's graph, each branch with probability ½):
 *   0 -B→ 1;  1 -T→ 2, 1 -P→ 3;  2 -S→ 2, 2 -X→ 4;  3 -T→ 3, 3 -V→ 5;  4 -X→ 3, 4 -S→ 6;
 *   5 -P→ 4, 5 -V→ 6;  6 -E→ end.   Embedded: B, T|P, a Reber string, the same T|P, E.
 *
 * @example
 *   const train = parityTask({ count: 2000, length: 8, rng: createRng(1) });
 *   train.inputs;   // Float32Array, 2000 · 8 · 1 values in {0, 1}
 *   train.labels;   // Uint8Array, 2000 parities
 *   const reber = embeddedReberTask({ count: 1000, maxLength: 30, rng: createRng(2) });
 */
import { checkRng, type Rng } from "../core/random";
import { fail, integer, mergeOptions, oneOf } from "../core/validate";
import { checkImageDataset, type DatasetSplit, type ImageDataset } from "./image-dataset";

/** How a sequence data set is scored: one class after the last step, or a 0/1 target set per step. */
export type SequenceTargetKind = "class" | "steps";

/** Sequences of equal length (padded where the task's strings are not), with their targets. */
export interface SequenceDataset {
  readonly name: string;
  readonly split: DatasetSplit;
  /** Number of sequences. */
  readonly count: number;
  /** Input steps per sequence. */
  readonly length: number;
  /** Input features per step. */
  readonly features: number;
  /** count · length · features values in [−1, 1]: step t of sequence i at (i·length + t)·features. */
  readonly inputs: Float32Array;
  readonly kind: SequenceTargetKind;
  /** Output units: classes ("class") or symbols of the target set ("steps"). */
  readonly outputs: number;
  /** "class": the class of each sequence. */
  readonly labels?: Uint8Array;
  /** "steps": count · length · outputs targets, 0 or 1. */
  readonly targets?: Float32Array;
  /** "steps": count · length flags, 1 where the step is scored. */
  readonly mask?: Uint8Array;
}

const splits: readonly DatasetSplit[] = ["train", "validation", "test"];
/** The most input values a generator makes (2²⁷ float32: 512 MB). */
const maxValues = 2 ** 27;

/** Checks the consistency of a `SequenceDataset` (shapes; input range on request). Internal. */
export function checkSequenceDataset(fn: string, param: string, value: unknown, checkRange = false): SequenceDataset {
  const d = value as SequenceDataset;
  if (d === null || typeof d !== "object") fail(fn, param, "be a sequence data set {count, length, features, inputs, kind, …}", d);
  integer(fn, `${param}.count`, d.count, 1);
  integer(fn, `${param}.length`, d.length, 1);
  integer(fn, `${param}.features`, d.features, 1);
  integer(fn, `${param}.outputs`, d.outputs, 1);
  oneOf(fn, `${param}.kind`, d.kind, ["class", "steps"] as const);
  if (!(d.inputs instanceof Float32Array) || d.inputs.length !== d.count * d.length * d.features) {
    fail(fn, `${param}.inputs`, `be a Float32Array of count·length·features = ${d.count * d.length * d.features}`, d.inputs);
  }
  if (d.kind === "class") {
    if (!(d.labels instanceof Uint8Array) || d.labels.length !== d.count) fail(fn, `${param}.labels`, `be a Uint8Array of count = ${d.count} labels`, d.labels);
  } else {
    if (!(d.targets instanceof Float32Array) || d.targets.length !== d.count * d.length * d.outputs) {
      fail(fn, `${param}.targets`, `be a Float32Array of count·length·outputs = ${d.count * d.length * d.outputs}`, d.targets);
    }
    if (!(d.mask instanceof Uint8Array) || d.mask.length !== d.count * d.length) fail(fn, `${param}.mask`, `be a Uint8Array of count·length = ${d.count * d.length}`, d.mask);
  }
  if (checkRange) {
    for (let i = 0; i < d.inputs.length; i++) {
      const v = d.inputs[i]!;
      if (!(v >= -1 && v <= 1)) fail(fn, `${param}.inputs[${i}]`, "be a finite number in [-1, 1]", v);
    }
  }
  return d;
}

/** The fields of `sequenceDataset`: nested arrays, sequence × step × feature. */
export interface SequenceDatasetFields {
  readonly name?: string;
  readonly split?: DatasetSplit;
  /** inputs[i][t][f]: feature f at step t of sequence i, in [−1, 1]; every sequence of one length. */
  readonly inputs: readonly (readonly (readonly number[])[])[];
  /** One class per sequence (a classification data set)… */
  readonly labels?: readonly number[];
  /** …or, per sequence and step, the 0/1 target set (all steps scored). */
  readonly targets?: readonly (readonly (readonly number[])[])[];
  /** Number of classes (default: the largest label + 1). */
  readonly classes?: number;
}

/**
 * A `SequenceDataset` from nested arrays, checked: every sequence must have the same number of
 * steps, every step the same number of features, every value lie in [−1, 1].
 */
export function sequenceDataset(fields: SequenceDatasetFields): SequenceDataset {
  const fn = "sequenceDataset";
  if (fields === null || typeof fields !== "object") fail(fn, "fields", "be an object {inputs, labels | targets}", fields);
  const seqs = fields.inputs;
  if (!Array.isArray(seqs) || seqs.length === 0) fail(fn, "inputs", "be a non-empty array of sequences", seqs);
  const first = seqs[0];
  if (!Array.isArray(first) || first.length === 0) fail(fn, "inputs[0]", "be a non-empty array of steps", first);
  const length = first.length;
  const step0 = first[0];
  if (!Array.isArray(step0) || step0.length === 0) fail(fn, "inputs[0][0]", "be a non-empty array of features", step0);
  const features = step0.length;
  const count = seqs.length;
  const inputs = new Float32Array(count * length * features);
  for (let i = 0; i < count; i++) {
    const s = seqs[i];
    if (!Array.isArray(s) || s.length !== length) fail(fn, `inputs[${i}].length`, `equal inputs[0].length = ${length} (sequences of one data set have one length: pad them)`, Array.isArray(s) ? s.length : s);
    for (let t = 0; t < length; t++) {
      const x = s[t];
      if (!Array.isArray(x) || x.length !== features) fail(fn, `inputs[${i}][${t}].length`, `equal the feature size ${features}`, Array.isArray(x) ? x.length : x);
      for (let f = 0; f < features; f++) {
        const v = x[f];
        if (typeof v !== "number" || !(v >= -1 && v <= 1)) fail(fn, `inputs[${i}][${t}][${f}]`, "be a finite number in [-1, 1]", v);
        inputs[(i * length + t) * features + f] = v;
      }
    }
  }
  const name = fields.name ?? "sequences";
  const split = fields.split === undefined ? "train" : oneOf(fn, "split", fields.split, splits);
  if ((fields.labels === undefined) === (fields.targets === undefined)) fail(fn, "fields", "have exactly one of labels and targets", Object.keys(fields).join(", "));
  if (fields.labels !== undefined) {
    const l = fields.labels;
    if (!Array.isArray(l) || l.length !== count) fail(fn, "labels", `be an array of ${count} class indices`, l);
    const labels = new Uint8Array(count);
    let max = 0;
    l.forEach((v, i) => {
      integer(fn, `labels[${i}]`, v, 0);
      if (v > 255) fail(fn, `labels[${i}]`, "be an integer in [0, 255]", v);
      labels[i] = v;
      max = Math.max(max, v);
    });
    const classes = fields.classes === undefined ? max + 1 : integer(fn, "classes", fields.classes, max + 1);
    return Object.freeze({ name, split, count, length, features, inputs, kind: "class" as const, outputs: Math.max(classes, 2), labels });
  }
  const tg = fields.targets!;
  if (!Array.isArray(tg) || tg.length !== count) fail(fn, "targets", `be an array of ${count} target sequences`, tg);
  const outputs = Array.isArray(tg[0]) && Array.isArray(tg[0][0]) ? tg[0][0].length : 0;
  if (outputs < 1) fail(fn, "targets[0][0]", "be a non-empty array of 0/1 targets", tg[0]);
  const targets = new Float32Array(count * length * outputs);
  for (let i = 0; i < count; i++) {
    if (!Array.isArray(tg[i]) || tg[i]!.length !== length) fail(fn, `targets[${i}].length`, `equal the sequence length ${length}`, Array.isArray(tg[i]) ? tg[i]!.length : tg[i]);
    for (let t = 0; t < length; t++) {
      const y = tg[i]![t];
      if (!Array.isArray(y) || y.length !== outputs) fail(fn, `targets[${i}][${t}].length`, `equal ${outputs}`, Array.isArray(y) ? y.length : y);
      for (let k = 0; k < outputs; k++) {
        if (y[k] !== 0 && y[k] !== 1) fail(fn, `targets[${i}][${t}][${k}]`, "be 0 or 1", y[k]);
        targets[(i * length + t) * outputs + k] = y[k]!;
      }
    }
  }
  return Object.freeze({ name, split, count, length, features, inputs, kind: "steps" as const, outputs, targets, mask: new Uint8Array(count * length).fill(1) });
}

/** Options of `parityTask`. */
export interface ParityTaskOptions {
  readonly count: number;
  /** Bits per sequence. */
  readonly length: number;
  readonly split: DatasetSplit;
  /** "running": the parity so far at every step; "end": one class after the last step. */
  readonly target: "running" | "end";
  readonly rng: Rng;
}
const parityDefaults: Readonly<ParityTaskOptions> = Object.freeze({ count: 1000, length: 8, split: "train" as DatasetSplit, target: "running" as const, rng: undefined as unknown as Rng });

/** Random bit strings and their parity (file header). */
export function parityTask(options: Partial<ParityTaskOptions> & { rng: Rng }): SequenceDataset {
  const fn = "parityTask";
  const o = mergeOptions(fn, parityDefaults, options);
  const rng = checkRng(fn, "rng", o.rng);
  const count = integer(fn, "count", o.count, 1);
  const length = integer(fn, "length", o.length, 1);
  if (count * length > maxValues) fail(fn, "count", `be at most ${Math.floor(maxValues / length)} (count·length ≤ ${maxValues})`, count);
  const split = oneOf(fn, "split", o.split, splits);
  const target = oneOf(fn, "target", o.target, ["running", "end"] as const);
  const inputs = new Float32Array(count * length);
  const labels = new Uint8Array(count);
  const targets = new Float32Array(count * length);
  for (let i = 0; i < count; i++) {
    let p = 0;
    for (let t = 0; t < length; t++) {
      const b = rng.bernoulli(0.5) ? 1 : 0;
      inputs[i * length + t] = b;
      p ^= b;
      targets[i * length + t] = p;
    }
    labels[i] = p;
  }
  const name = `parity-${length}`;
  if (target === "end") return Object.freeze({ name, split, count, length, features: 1, inputs, kind: "class" as const, outputs: 2, labels });
  return Object.freeze({ name, split, count, length, features: 1, inputs, kind: "steps" as const, outputs: 1, targets, mask: new Uint8Array(count * length).fill(1) });
}

/** The symbols of the Reber grammar, in the order of the one-hot code. */
export const reberSymbols = Object.freeze(["B", "T", "P", "S", "X", "V", "E"] as const);
const [B, T, P, S, X, V, E] = [0, 1, 2, 3, 4, 5, 6];
/** Reber's graph: per state, the two (symbol, next state) branches; state 6 ends with E. */
const graph: readonly (readonly (readonly [number, number])[])[] = [
  [[B, 1]], [[T, 2], [P, 3]], [[S, 2], [X, 4]], [[T, 3], [V, 5]], [[X, 3], [S, 6]], [[P, 4], [V, 6]], [[E, -1]],
];

/** One embedded Reber string: symbols, and for each the set of symbols that may follow it. */
function embeddedReberString(rng: Rng): { symbols: number[]; next: number[][] } {
  const outer = rng.bernoulli(0.5) ? T : P;
  const symbols = [B, outer];
  const next: number[][] = [[T, P], [B]];
  let state = 0;
  while (state !== -1) {
    const branches = graph[state]!;
    const [sym, to] = branches.length === 1 ? branches[0]! : branches[rng.bernoulli(0.5) ? 0 : 1]!;
    symbols.push(sym);
    next.push(to === -1 ? [outer] : graph[to]!.map(([s]) => s));
    state = to;
  }
  symbols.push(outer, E);
  next.push([E], []);
  return { symbols, next };
}

/** Options of `embeddedReberTask`. */
export interface EmbeddedReberTaskOptions {
  readonly count: number;
  /** Steps of every sequence: strings are padded to it; longer ones are redrawn (≥ 9, the shortest string). */
  readonly maxLength: number;
  readonly split: DatasetSplit;
  readonly rng: Rng;
}
const reberDefaults: Readonly<EmbeddedReberTaskOptions> = Object.freeze({ count: 1000, maxLength: 30, split: "train" as DatasetSplit, rng: undefined as unknown as Rng });

/** Embedded Reber strings with next-symbol target sets (file header). */
export function embeddedReberTask(options: Partial<EmbeddedReberTaskOptions> & { rng: Rng }): SequenceDataset {
  const fn = "embeddedReberTask";
  const o = mergeOptions(fn, reberDefaults, options);
  const rng = checkRng(fn, "rng", o.rng);
  const count = integer(fn, "count", o.count, 1);
  const length = integer(fn, "maxLength", o.maxLength, 9);
  if (count * length * reberSymbols.length > maxValues) fail(fn, "count", `be at most ${Math.floor(maxValues / (7 * length))} (count·maxLength·7 ≤ ${maxValues})`, count);
  const split = oneOf(fn, "split", o.split, splits);
  const n = reberSymbols.length;
  const inputs = new Float32Array(count * length * n);
  const targets = new Float32Array(count * length * n);
  const mask = new Uint8Array(count * length);
  for (let i = 0; i < count; i++) {
    let s = embeddedReberString(rng);
    while (s.symbols.length > length) s = embeddedReberString(rng);
    s.symbols.forEach((sym, t) => {
      inputs[(i * length + t) * n + sym] = 1;
      for (const k of s.next[t]!) targets[(i * length + t) * n + k] = 1;
      mask[i * length + t] = t < s.symbols.length - 1 ? 1 : 0;
    });
  }
  return Object.freeze({ name: "embedded-reber", split, count, length, features: n, inputs, kind: "steps" as const, outputs: n, targets, mask });
}

/** MNIST (or any image set) read row by row: `rows` steps of `cols` inputs, pixels / 255, the class at the end. */
export function imageRowSequences(dataset: ImageDataset): SequenceDataset {
  const fn = "imageRowSequences";
  const d = checkImageDataset(fn, "dataset", dataset);
  const inputs = new Float32Array(d.images.length);
  for (let i = 0; i < inputs.length; i++) inputs[i] = d.images[i]! / 255;
  return Object.freeze({
    name: `${d.name}-rows`, split: d.split, count: d.count, length: d.rows, features: d.cols, inputs, kind: "class" as const, outputs: 10, labels: d.labels,
  });
}

/** Sequences [start, start + count) of `data`, with another split (e.g. a validation hold-out). */
export function sequenceSlice(data: SequenceDataset, start: number, count: number, split?: DatasetSplit): SequenceDataset {
  const fn = "sequenceSlice";
  const d = checkSequenceDataset(fn, "data", data);
  integer(fn, "start", start, 0);
  integer(fn, "count", count, 1);
  if (start + count > d.count) fail(fn, "count", `be at most data.count − start = ${d.count - start}`, count);
  const sp = split === undefined ? d.split : oneOf(fn, "split", split, splits);
  const step = d.length * d.features;
  return Object.freeze({
    ...d, split: sp, count,
    inputs: d.inputs.subarray(start * step, (start + count) * step),
    labels: d.labels?.subarray(start, start + count),
    targets: d.targets?.subarray(start * d.length * d.outputs, (start + count) * d.length * d.outputs),
    mask: d.mask?.subarray(start * d.length, (start + count) * d.length),
  });
}
