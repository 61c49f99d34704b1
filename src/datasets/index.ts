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
export { addImageNoise } from "./image-noise";
export type { ImageNoiseKind } from "./image-noise";
export { logEvaluation, evaluationLog, clearEvaluationLog, testSetReuse } from "./evaluation-log";
export type { EvaluationEntry } from "./evaluation-log";
export { image } from "./image";
export { classCounts } from "./class-counts";
export { reviewTableOne } from "./review-table-one";
export type { ReviewTableRow, ReviewTableGroup, LearningFamily } from "./review-table-one";
export { readGrayPng, loadNaturalImages, naturalImagesAvailable, naturalImageNames, skimageDataDir } from "./natural-images";
export type { NaturalImage, LoadNaturalImagesOptions } from "./natural-images";
export { samplePatches, datasetImages, zcaWhitening } from "./patches";
export type { PatchSet, SamplePatchesOptions, Whitening, ZcaOptions } from "./patches";
export { parityTask, embeddedReberTask, imageRowSequences, sequenceDataset, sequenceSlice, reberSymbols } from "./sequence-tasks";
export type { SequenceDataset, SequenceDatasetFields, SequenceTargetKind, ParityTaskOptions, EmbeddedReberTaskOptions } from "./sequence-tasks";
export { regressionSequences } from "./regression-sequences";
export type { RegressionSequences, RegressionSequencesInput } from "./regression-sequences";
export { addingProblem, addingProblemBaseline } from "./adding-problem";
export type { AddingProblemOptions } from "./adding-problem";
export { loadCifar10, cifar10Available, cifar10Files, cifar10Classes } from "./cifar10";
export type { LoadCifar10Options } from "./cifar10";
