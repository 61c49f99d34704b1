/**
 * Learning: the `Learner` contract, the one training loop `fit`, learning-rate schedules and
 * learner snapshots (checkpoints). Explicit named re-exports only; the helpers learners use to
 * build and read snapshots (`makeSnapshot`, `readSnapshot`) stay inside the library.
 */
export { fit } from "./fit";
export type { FitOptions, FitResult, FitRow, FitCheckpointInfo } from "./fit";
export type { Learner, LearnerData, LearnOptions, LearnStep, LearnerEvaluation } from "./learner";
export { learningRateAt } from "./schedule";
export type { LearningRateSchedule } from "./schedule";
export { encodeSnapshot, decodeSnapshot, saveSnapshot, loadSnapshot } from "./snapshot";
export type { LearnerSnapshot, JsonValue, JsonObject } from "./snapshot";
