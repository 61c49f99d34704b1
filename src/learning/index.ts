/**
 * Learning: the `Learner` contract, the one training loop `fit`, learning-rate schedules and
 * learner snapshots (checkpoints). Explicit named re-exports only.
 */
export { fit } from "./fit";
export type { FitOptions, FitResult, FitRow, FitCheckpointInfo } from "./fit";
export { isLearner } from "./learner";
export type { Learner, LearnerData, LearnOptions, LearnStep, LearnerEvaluation } from "./learner";
export { learningRateAt, scheduleKinds } from "./schedule";
export type { LearningRateSchedule } from "./schedule";
export { encodeSnapshot, decodeSnapshot, saveSnapshot, loadSnapshot, snapshotFormat } from "./snapshot";
export type { LearnerSnapshot, JsonValue, JsonObject } from "./snapshot";
