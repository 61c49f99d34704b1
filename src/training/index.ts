/** Training: backend, feedback-alignment family, losses and readouts, batches, the trainer, angles. */
export { initBackend, backend, backendNames } from "./backend";
export type { BackendName, BackendInfo } from "./backend";
export {
  feedbackMethods, feedbackLabels, feedbackMatrix, matMulWithFeedback, conv2dWithFeedback, conv2dFilterGradient, captureError, directFeedbackTap,
} from "./feedback-alignment";
export type { FeedbackMethod, FeedbackConvGeometry, ErrorSlot, Feedback } from "./feedback-alignment";
export { readout, lossValue, lossOptions, oneHot, readoutNames, lossNames, lossDefaults } from "./losses";
export type { ReadoutName, LossName, LossOptions } from "./losses";
export { arrayDataset, makeBatch, encodingNames, sampleSize, pixelStats } from "./batches";
export type { ArrayDataset, TrainingData, Encoding, PixelScale, PixelStats, Batch, BatchOptions } from "./batches";
export { createTrainer, optimizerNames, trainerDefaults } from "./bptt";
export type { Trainer, TrainerOptions, HistoryRow, LayerAngleRow, TrainChunk, Evaluation, OptimizerName } from "./bptt";
export { angleDegrees, tensorAngleDegrees } from "./alignment";
export { linearTeacherTask, linearTeacherDefaults } from "./linear-teacher";
export type { LinearTeacherOptions, LinearTeacherTask } from "./linear-teacher";
export { tinyNetwork, cloneTinyNetwork, tinyActivations, spikeActivation, smoothActivation, softmax, tinyBackprop, tinyLoss, tinyNumericalGradient, tinyTrain } from "./tiny-backprop";
export type { TinyNetwork, TinyActivation, TinyBackprop, TinyBackpropOptions, TinyTrainRow, TinyTrainOptions } from "./tiny-backprop";
export { herdingStep, herdSignal, herdingMlp, reluMlp, herdingModes, herdingUpdateNames, herdingMlpDefaults } from "./herding";
export type { HerdingMode, HerdingUpdate, MlpLearner, HerdingMlp, ReluMlp, HerdingMlpOptions, HerdedSignal, SampleRange, HerdingTrainRange, HerdingTrainResult, HerdingEvaluation } from "./herding";
export { membraneBackpropNetwork, membraneBackpropDefaults } from "./membrane-backprop";
export type { MembraneBackpropOptions, MembraneBackpropNetwork, MembraneHistoryRow, MembraneTrainChunk, MembraneEvaluation, MembraneSpikes, MembraneGradient } from "./membrane-backprop";
export { erbpNetwork, erbpDefaults, erbpBoxcar } from "./erbp";
export type { ErbpOptions, ErbpBoxcar, ErbpNetwork, ErbpRange, ErbpTrainRange, ErbpTrainResult, ErbpEvaluation, ErbpRecording, ErbpState, ErbpStepSpikes } from "./erbp";
export { fitLinearClassifier, linearClassifierDefaults } from "./linear-classifier";
export type { LinearClassifier, LinearClassifierOptions, LinearClassifierKind, LabelledFeatures } from "./linear-classifier";
export { lstmLearner, lstmLearnerDefaults } from "./lstm-learner";
export type { LstmLearner, LstmLearnerOptions, LstmLearnerEvaluation } from "./lstm-learner";
export { sequenceRegressor, sequenceRegressorDefaults } from "./sequence-regressor";
export type { SequenceRegressor, SequenceRegressorOptions, SequenceHistoryRow, GradientLagRow, SequenceEvaluation } from "./sequence-regressor";
