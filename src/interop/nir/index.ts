/**
 * NIR (Neuromorphic Intermediate Representation): read and write `.nir` files (HDF5 through
 * h5wasm), simulate any NIR graph, export snnlab's networks. Explicit named re-exports only.
 */
export { nirGraph, nirTensor, nirShapes, nirSummary, nirNodeTypes } from "./graph";
export type {
  NirGraph, NirNode, NirNodeType, NirTensor, NirFloatArray, NirMetadata, NirMetadataValue, NirNodeShapes, NirSummaryRow,
  NirInputNode, NirOutputNode, NirAffineNode, NirLinearNode, NirScaleNode, NirConv1dNode, NirConv2dNode, NirPoolNode, NirFlattenNode,
  NirDelayNode, NirThresholdNode, NirINode, NirIfNode, NirLiNode, NirLifNode, NirCubaLiNode, NirCubaLifNode,
} from "./graph";
export { readNir } from "./read";
export type { ReadNirOptions } from "./read";
export { writeNir, nirVersion } from "./write";
export { nirNetwork, nirInit, nirStep, nirRun, nirMethods } from "./simulate";
export type { NirMethod, NirNetworkOptions, NirNetwork, NirUnit, NirState, NirRecord, NirRun, NirRunOptions } from "./simulate";
export { modelToNir, convertedToNir, membraneBackpropToNir, diehlCookToNir } from "./export";
export type { NirExport, NirExportOptions, DiehlCookNirOptions } from "./export";
