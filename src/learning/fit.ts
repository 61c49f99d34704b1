/**
 * `fit(learner, train, options)`: the one training loop. Any `Learner` (learning/learner.ts) is
 * driven the same way:
 *
 *   - the learner walks its own seeded epoch sequence, from where it stands (`samplesSeen`) to the
 *     end of the run: `epochs` epochs of `train` (or `samples` samples) counted from the start of
 *     training, so a restored learner given the same options finishes the same run;
 *   - the run is cut into chunks at multiples of `chunk` (counted from each epoch's start for a
 *     learner with batches, whose batches restart there), at evaluation points, at checkpoints
 *     and, with a "step" schedule, at epoch ends; each chunk is one `learner.learn` call with the
 *     schedule's learning rate at its start (learning/schedule.ts). A batch learner updates as in
 *     one long call when `evalEvery` and `checkpoint.every` fall on its batch boundaries (their
 *     defaults, epoch ends, always do);
 *   - at every evaluation point (every `evalEvery` samples, by default each epoch end) and at the
 *     end, the learner is evaluated on `validation` and one history row is written;
 *   - after every chunk: `progress(samplesSeen, total, figures)`, then `shouldStop()` (true: stop
 *     there, the learner consistent and usable), then control goes back to the event loop once, so
 *     that a notebook's display updates go out and Kernel → Interrupt is heard;
 *   - every `checkpoint.every` samples (default each epoch) and at the end (stopped or not),
 *     `checkpoint.save(learner.snapshot(), …)`; the snapshot resumes the run bit for bit;
 *   - with `keepBest`, the snapshot with the best validation accuracy is restored at the end.
 *
 * History rows have the same columns for every learner:
 *
 *   epoch               epochs done (samples / N), fractional
 *   samples             position in the epoch sequence at the row
 *   learningRate        η of the last chunk before the row
 *   trainLoss           mean training loss over the samples since the previous row (NaN: not reported)
 *   trainAccuracy       mean training accuracy over the same samples (NaN: not reported)
 *   validationAccuracy  accuracy on `validation` at the row (NaN: no validation)
 *   seconds             wall-clock seconds since `fit` started (training and evaluation)
 *
 * @example
 *   const net = herdingMlp({ sizes: [784, 200, 10], rng: createRng(1) });
 *   const bar = progress(2 * train.count, { label: "training", unit: "digits" });   // snnlab/kernel
 *   const run = await fit(net, train, {
 *     epochs: 2, validation, schedule: { kind: "exponential", from: 0.01, to: 0.001 },
 *     progress: bar.callback, shouldStop: bar.shouldStop, keepBest: true,
 *     checkpoint: { save: (s) => saveSnapshot("herding.safetensors", s) },
 *   });
 *   run.history;            // one row per epoch
 *   run.table();            // the same rows as an arquero table
 */
import type { ColumnTable } from "arquero";
import { fail, integer } from "../core/validate";
import { isLearner, type Learner, type LearnerData, type LearnerEvaluation } from "./learner";
import { checkSchedule, learningRateAt, type LearningRateSchedule } from "./schedule";
import type { LearnerSnapshot } from "./snapshot";

/** One row of `fit`'s history (file header). */
export interface FitRow {
  readonly epoch: number;
  readonly samples: number;
  readonly learningRate: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationAccuracy: number;
  readonly seconds: number;
}

/** Where a run stands when `checkpoint.save` is called. */
export interface FitCheckpointInfo {
  /** The learner's position (also `snapshot.samplesSeen`). */
  readonly samples: number;
  readonly epoch: number;
  /** Whether this is the last save of the run (it ended or stopped). */
  readonly final: boolean;
  /** The history so far. */
  readonly history: readonly FitRow[];
}

/** Options of `fit`. */
export interface FitOptions<D extends LearnerData, E extends LearnerEvaluation> {
  /** Epochs of `train` from the start of training (fractional allowed: rounded to whole samples). Default 1. */
  readonly epochs?: number;
  /** The run's end as a sample position; overrides `epochs`. */
  readonly samples?: number;
  /** Held-out data, evaluated at every evaluation point. */
  readonly validation?: D;
  /** Learning-rate schedule; default none: the learner's own rate. */
  readonly schedule?: LearningRateSchedule;
  /** Samples between evaluation points (history rows); default: one epoch (at epoch ends). */
  readonly evalEvery?: number;
  /** Samples per `learn` call at most, a multiple of the learner's batch size; default 1000 rounded up to one. */
  readonly chunk?: number;
  /** Called after every chunk with the learner's position, the run's end and the latest figures (fractions). */
  readonly progress?: (done: number, total: number, info: Readonly<Record<string, number>>) => void;
  /** Asked after every chunk: true stops the run there (the learner stays consistent). */
  readonly shouldStop?: () => boolean;
  /** Periodic snapshots: `save` receives each one (write it with `saveSnapshot`, or keep it). */
  readonly checkpoint?: {
    /** Samples between saves; default one epoch. A save also follows the last chunk. */
    readonly every?: number;
    save(snapshot: LearnerSnapshot, info: FitCheckpointInfo): void;
  };
  /** Restore the snapshot with the best validation accuracy at the end (needs `validation`). Default false. */
  readonly keepBest?: boolean;
  /** Called with each validation evaluation, for the engine's own extras (spikes, operations…). */
  readonly onEvaluate?: (evaluation: E, samples: number) => void;
}

/** What `fit` returns. */
export interface FitResult {
  /** One row per evaluation point (file header). */
  readonly history: readonly FitRow[];
  /** The history as an arquero table (same columns). */
  table(): ColumnTable;
  /** Whether `shouldStop` ended the run before its end. */
  readonly stopped: boolean;
  /** The learner's position when `fit` returned (after `keepBest`'s restore). */
  readonly samplesSeen: number;
  /** The kept snapshot's position and validation accuracy (with `keepBest`). */
  readonly best?: { readonly samples: number; readonly validationAccuracy: number };
  /** Wall-clock seconds of the whole call. */
  readonly seconds: number;
}

const fitOptionKeys = ["epochs", "samples", "validation", "schedule", "evalEvery", "chunk", "progress", "shouldStop", "checkpoint", "keepBest", "onEvaluate"];

/** The first multiple of `step` above `p`. */
function nextMultiple(p: number, step: number): number {
  return (Math.floor(p / step) + 1) * step;
}

/** Lets the event loop run once (display updates, the kernel's interrupt handler). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Trains `learner` on `train` (file header). Resolves when the run has reached its end, or when
 * `shouldStop` stopped it; the learner is left at a chunk boundary either way.
 */
export async function fit<D extends LearnerData, E extends LearnerEvaluation>(learner: Learner<D, E>, train: D, options: FitOptions<D, E> = {}): Promise<FitResult> {
  const fn = "fit";
  if (!isLearner(learner)) fail(fn, "learner", "be a Learner (name, samplesSeen, learn, evaluate, snapshot, restore)", learner);
  if (train === null || typeof train !== "object") fail(fn, "train", "be a data set", train);
  const N = integer(fn, "train.count", train.count, 1);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object", options);
  for (const key of Object.keys(options)) if (!fitOptionKeys.includes(key)) fail(fn, "options", `have only the keys ${fitOptionKeys.join(", ")}`, key);
  const o = options;
  if (o.epochs !== undefined && !(typeof o.epochs === "number" && Number.isFinite(o.epochs) && o.epochs > 0)) fail(fn, "epochs", "be a finite number > 0", o.epochs);
  const end = o.samples !== undefined ? integer(fn, "samples", o.samples, 0) : Math.round((o.epochs ?? 1) * N);
  const batchSize = integer(fn, "learner.batchSize", learner.batchSize ?? 1, 1);
  const chunk = o.chunk !== undefined ? integer(fn, "chunk", o.chunk, 1) : Math.ceil(1000 / batchSize) * batchSize;
  if (chunk % batchSize !== 0) fail(fn, "chunk", `be a multiple of the learner's batch size (${batchSize})`, chunk);
  const evalEvery = o.evalEvery !== undefined ? integer(fn, "evalEvery", o.evalEvery, 1) : N;
  const schedule = o.schedule !== undefined ? checkSchedule(fn, "schedule", o.schedule) : undefined;
  if (o.validation !== undefined && (o.validation === null || typeof o.validation !== "object")) fail(fn, "validation", "be a data set", o.validation);
  if (o.keepBest !== undefined && typeof o.keepBest !== "boolean") fail(fn, "keepBest", "be true or false", o.keepBest);
  if (o.keepBest && o.validation === undefined) fail(fn, "keepBest", "come with validation data (the best is chosen on it)", o.keepBest);
  for (const key of ["progress", "shouldStop", "onEvaluate"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "function") fail(fn, key, "be a function", o[key]);
  }
  const ck = o.checkpoint;
  if (ck !== undefined && (ck === null || typeof ck !== "object" || typeof ck.save !== "function")) fail(fn, "checkpoint", "be { every?, save(snapshot, info) }", ck);
  const checkpointEvery = ck?.every !== undefined ? integer(fn, "checkpoint.every", ck.every, 1) : N;

  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const history: FitRow[] = [];
  let best: { samples: number; validationAccuracy: number; snapshot: LearnerSnapshot } | undefined;
  let segment = { samples: 0, loss: 0, accuracy: 0, hasLoss: true, hasAccuracy: true };
  let learningRate = learner.learningRate;
  let stopped = false;
  const start = learner.samplesSeen;

  const save = (final: boolean) => {
    ck!.save(learner.snapshot(), { samples: learner.samplesSeen, epoch: learner.samplesSeen / N, final, history: [...history] });
  };

  let pos = start;
  while (pos < end) {
    // Batch learners align their batches within each epoch, so their chunks restart at every
    // epoch start; online learners' chunks are those of a plain loop over multiples of `chunk`
    // (as the notebooks' progress loops cut them). A step schedule changes η at epoch ends.
    const epochStart = Math.floor(pos / N) * N;
    const chunkEnd = batchSize > 1 ? Math.min(epochStart + nextMultiple(pos - epochStart, chunk), epochStart + N) : nextMultiple(pos, chunk);
    const to = Math.min(end, chunkEnd, nextMultiple(pos, evalEvery), ck ? nextMultiple(pos, checkpointEvery) : end, schedule?.kind === "step" ? nextMultiple(pos, N) : end);
    learningRate = schedule ? learningRateAt(schedule, pos, { epochSize: N, total: end }) : learner.learningRate;
    const step = learner.learn(train, schedule ? { count: to - pos, learningRate } : { count: to - pos });
    if (learner.samplesSeen !== to) fail(`${learner.name}.learn`, "samplesSeen", `advance to ${to} after learning ${to - pos} samples from ${pos} (the Learner contract)`, learner.samplesSeen);
    const n = to - pos;
    segment.samples += n;
    if (typeof step?.loss === "number") segment.loss += step.loss * n;
    else segment.hasLoss = false;
    if (typeof step?.accuracy === "number") segment.accuracy += step.accuracy * n;
    else segment.hasAccuracy = false;
    pos = to;
    const info: Record<string, number> = { epoch: pos / N, learningRate };
    if (pos % evalEvery === 0 || pos === end) {
      let validationAccuracy = Number.NaN;
      if (o.validation !== undefined) {
        const e = learner.evaluate(o.validation, { start: 0, count: o.validation.count });
        validationAccuracy = e.accuracy;
        o.onEvaluate?.(e, pos);
        if (o.keepBest && (best === undefined || validationAccuracy > best.validationAccuracy)) best = { samples: pos, validationAccuracy, snapshot: learner.snapshot() };
      }
      const row: FitRow = {
        epoch: pos / N, samples: pos, learningRate,
        trainLoss: segment.hasLoss && segment.samples > 0 ? segment.loss / segment.samples : Number.NaN,
        trainAccuracy: segment.hasAccuracy && segment.samples > 0 ? segment.accuracy / segment.samples : Number.NaN,
        validationAccuracy, seconds: seconds(),
      };
      history.push(Object.freeze(row));
      segment = { samples: 0, loss: 0, accuracy: 0, hasLoss: true, hasAccuracy: true };
      for (const key of ["trainLoss", "trainAccuracy", "validationAccuracy"] as const) if (!Number.isNaN(row[key])) info[key] = row[key];
    }
    o.progress?.(pos, end, info);
    stopped = pos < end && o.shouldStop?.() === true;
    const final = pos === end || stopped;
    if (ck && (final || pos % checkpointEvery === 0)) save(final);
    if (stopped) break;
    await yieldToEventLoop();
  }
  if (best && best.samples !== learner.samplesSeen) learner.restore(best.snapshot);
  const rows = Object.freeze([...history]);
  return Object.freeze({
    history: rows,
    table: () => (require("arquero") as { from(rows: readonly object[]): ColumnTable }).from(rows as FitRow[]),
    stopped,
    samplesSeen: learner.samplesSeen,
    ...(best ? { best: Object.freeze({ samples: best.samples, validationAccuracy: best.validationAccuracy }) } : {}),
    seconds: seconds(),
  });
}
