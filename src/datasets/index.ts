/**
 * Data sets: an IDX reader, MNIST and Fashion-MNIST loaders over local files (never downloaded),
 * and helpers that slice, sample and scale them. Explicit named re-exports only.
 */
export { readIdx, parseIdx } from "./idx";
export type { IdxArray, IdxDtype } from "./idx";
export { DataFileError } from "./data-file-error";
export { imageClassCount } from "./image-dataset";
export type { ImageDataset, DatasetSplit } from "./image-dataset";
export { loadMnist, loadFashionMnist, fashionMnistDefaultDir } from "./mnist";
export type { LoadImageDatasetOptions } from "./mnist";
export { clearDatasetCache } from "./dataset-cache";
export { normalizeImages } from "./normalize-images";
export type { NormalizeImagesOptions } from "./normalize-images";
export { subset } from "./subset";
export type { SubsetOptions } from "./subset";
export { take } from "./take";
export { holdOut } from "./hold-out";
export type { HoldOutOptions, HeldOutSplits } from "./hold-out";
export { logEvaluation, evaluationLog, clearEvaluationLog, testSetReuse } from "./evaluation-log";
export type { EvaluationEntry } from "./evaluation-log";
export { image } from "./image";
export { classCounts } from "./class-counts";
export { reviewTableOne } from "./review-table-one";
export type { ReviewTableRow, ReviewTableGroup, LearningFamily } from "./review-table-one";
export { sequenceDataset } from "./sequence-dataset";
export type { SequenceDataset, SequenceDatasetInput } from "./sequence-dataset";
export { addingProblem, addingProblemBaseline } from "./adding-problem";
export type { AddingProblemOptions } from "./adding-problem";
