/**
 * The record of which split every evaluation saw. Each learning engine's `evaluate` (and the
 * conversion and Diehl & Cook read-outs) appends one entry: which model, how far it had trained,
 * which data and split, which samples. A notebook's `report(...)` carries the log, and the
 * notebook runner checks the reproduction protocol on it: a trained model meets the test set
 * once, at the end — never at two stages of training, never on the same test samples twice.
 *
 * The log is per process (a kernel runs one notebook); it lives on `globalThis` so that every copy
 * of this module in a process (a kernel and the notebook it runs) shares it.
 */
import { fail } from "../core/validate";
import type { DatasetSplit } from "./image-dataset";

/** One evaluation. */
export interface EvaluationEntry {
  /** The engine's function, e.g. "trainer.evaluate". */
  readonly by: string;
  /** The evaluated model: a number unique within the process, in order of first evaluation. */
  readonly model: number;
  /** Training samples the model had seen (its progress) when evaluated; 0 for an untrained model. */
  readonly trained: number;
  /** The data set's name ("mnist", …) or "arrays". */
  readonly dataset: string;
  /** The split of the evaluated data: "train", "validation", "test", or "unknown" for plain arrays. */
  readonly split: DatasetSplit | "unknown";
  /** First sample and number of samples evaluated. */
  readonly start: number;
  readonly count: number;
}

interface LogState {
  entries: EvaluationEntry[];
  ids: WeakMap<object, number>;
  next: number;
}

const key = Symbol.for("snnlab.evaluationLog");

function state(): LogState {
  const g = globalThis as unknown as Record<symbol, LogState | undefined>;
  let s = g[key];
  if (!s) {
    s = { entries: [], ids: new WeakMap(), next: 0 };
    g[key] = s;
  }
  return s;
}

/**
 * Appends an evaluation to the log (called by the library's engines; a learner of your own calls it
 * from its `evaluate`). `data` is the evaluated data set: its `split` and `name` are read when
 * present.
 */
export function logEvaluation(
  by: string, model: object, data: { readonly name?: string; readonly split?: DatasetSplit },
  range: { readonly start: number; readonly count: number; readonly trained: number },
): void {
  const fn = "logEvaluation";
  if (model === null || (typeof model !== "object" && typeof model !== "function")) fail(fn, "model", "be an object (the model evaluated)", model);
  if (data === null || typeof data !== "object") fail(fn, "data", "be a data set", data);
  if (range === null || typeof range !== "object") fail(fn, "range", "be an object {start, count, trained}", range);
  const s = state();
  let id = s.ids.get(model);
  if (id === undefined) {
    id = s.next++;
    s.ids.set(model, id);
  }
  s.entries.push(Object.freeze({
    by, model: id, trained: range.trained, dataset: data.name ?? "arrays", split: data.split ?? "unknown",
    start: range.start, count: range.count,
  }));
}

/** Every evaluation of this process so far, in order (a copy). */
export function evaluationLog(): EvaluationEntry[] {
  return [...state().entries];
}

/** Empties the log (tests; a notebook never needs it). */
export function clearEvaluationLog(): void {
  const s = state();
  s.entries = [];
  s.ids = new WeakMap();
  s.next = 0;
}

/**
 * The protocol's breaches in a log: for each model, test-set evaluations at two different stages
 * of training, or test samples evaluated twice at one stage. Returns one sentence per breach
 * (empty when the test set was used once per model).
 *
 * @example
 *   testSetReuse(evaluationLog()); // [] when every trained model met the test set once
 */
export function testSetReuse(entries: readonly EvaluationEntry[]): string[] {
  if (!Array.isArray(entries)) fail("testSetReuse", "entries", "be an array of evaluation-log entries (evaluationLog())", entries);
  const problems: string[] = [];
  const byModel = new Map<number, EvaluationEntry[]>();
  for (const e of entries) {
    if (e.split !== "test") continue;
    byModel.set(e.model, [...(byModel.get(e.model) ?? []), e]);
  }
  for (const [model, tests] of byModel) {
    const stages = [...new Set(tests.map((e) => e.trained))];
    if (stages.length > 1) {
      problems.push(`model ${model} (${tests[0]!.by}) was evaluated on test data after ${stages.join(", ")} training samples: the test set must be used once, at the end`);
      continue;
    }
    const sorted = [...tests].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      if (sorted[i]!.start < prev.start + prev.count && sorted[i]!.dataset === prev.dataset) {
        problems.push(`model ${model} (${tests[0]!.by}) was evaluated twice on test samples from ${sorted[i]!.start}: the test set must be used once`);
        break;
      }
    }
  }
  return problems;
}
