/**
 * Learning-rate schedules as data. `fit` asks for the rate at the start of every chunk of samples
 * and passes it to `learner.learn`, so a rate is constant within a chunk; position p counts the
 * samples of the epoch sequence before the chunk, N is the number of samples per epoch and P the
 * position at which the run ends:
 *
 *   { kind: "constant", rate }                η = rate
 *   { kind: "exponential", from, to }         η = from · (to / from)^(p / P)     from at p = 0, → to at P
 *   { kind: "step", from, factor, every }     η = from · factor^⌊⌊p / N⌋ / every⌋   (×factor every `every` epochs)
 *
 * The exponential schedule is continuous in p, so its values depend on the chunk size; "step"
 * changes only at epoch boundaries, which are always chunk boundaries, so it does not.
 *
 * @example
 *   learningRateAt({ kind: "exponential", from: 6e-3, to: 1.8e-4 }, 25000, { epochSize: 50000, total: 50000 });   // 6e-3 · 0.03^0.5 ≈ 1.04e-3
 *   learningRateAt({ kind: "step", from: 1e-3, factor: 0.5, every: 2 }, 120000, { epochSize: 50000, total: 500000 });   // epoch 2 → 5e-4
 */
import { fail, integer, nonNegative, oneOf, positive } from "../core/validate";

/** A learning-rate schedule (file header). */
export type LearningRateSchedule =
  | { readonly kind: "constant"; readonly rate: number }
  | { readonly kind: "exponential"; readonly from: number; readonly to: number }
  | { readonly kind: "step"; readonly from: number; readonly factor: number; readonly every?: number };

/** The schedule kinds. */
export const scheduleKinds = ["constant", "exponential", "step"] as const;

/** Checks a schedule; throws the standard error naming the field. */
export function checkSchedule(fn: string, param: string, schedule: unknown): LearningRateSchedule {
  if (schedule === null || typeof schedule !== "object") fail(fn, param, 'be a schedule such as { kind: "exponential", from, to }', schedule);
  const s = schedule as Record<string, unknown>;
  const kind = oneOf(fn, `${param}.kind`, s.kind, scheduleKinds);
  const allowed = { constant: ["kind", "rate"], exponential: ["kind", "from", "to"], step: ["kind", "from", "factor", "every"] }[kind];
  for (const key of Object.keys(s)) if (!allowed.includes(key)) fail(fn, param, `have only the keys ${allowed.join(", ")} (kind "${kind}")`, key);
  if (kind === "constant") nonNegative(fn, `${param}.rate`, s.rate);
  if (kind === "exponential") {
    positive(fn, `${param}.from`, s.from);
    positive(fn, `${param}.to`, s.to);
  }
  if (kind === "step") {
    positive(fn, `${param}.from`, s.from);
    positive(fn, `${param}.factor`, s.factor);
    if (s.every !== undefined) integer(fn, `${param}.every`, s.every, 1);
  }
  return s as unknown as LearningRateSchedule;
}

/**
 * The learning rate of `schedule` for a chunk that starts at position `position` of a run that
 * ends at `total`, with `epochSize` samples per epoch (file header).
 */
export function learningRateAt(schedule: LearningRateSchedule, position: number, run: { readonly epochSize: number; readonly total: number }): number {
  const fn = "learningRateAt";
  const s = checkSchedule(fn, "schedule", schedule);
  integer(fn, "position", position, 0);
  integer(fn, "run.epochSize", run?.epochSize, 1);
  integer(fn, "run.total", run?.total, 1);
  if (s.kind === "constant") return s.rate;
  if (s.kind === "exponential") return s.from * Math.pow(s.to / s.from, position / run.total);
  const epoch = Math.floor(position / run.epochSize);
  return s.from * s.factor ** Math.floor(epoch / (s.every ?? 1));
}
