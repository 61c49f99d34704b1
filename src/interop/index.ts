/** Interoperability with other tools: NIR graphs (`nir/`). Explicit named re-exports only. */
export {
  nirGraph, nirTensor, nirShapes, nirSummary, nirNodeTypes, readNir, writeNir, nirVersion,
  nirNetwork, nirInit, nirStep, nirRun, nirMethods, modelToNir, convertedToNir, membraneBackpropToNir, diehlCookToNir,
} from "./nir/index";
export type {
  NirGraph, NirNode, NirNodeType, NirTensor, NirFloatArray, NirMetadata, NirMetadataValue, NirNodeShapes, NirSummaryRow,
  NirInputNode, NirOutputNode, NirAffineNode, NirLinearNode, NirScaleNode, NirConv1dNode, NirConv2dNode, NirPoolNode, NirFlattenNode,
  NirDelayNode, NirThresholdNode, NirINode, NirIfNode, NirLiNode, NirLifNode, NirCubaLiNode, NirCubaLifNode,
  ReadNirOptions, NirMethod, NirNetworkOptions, NirNetwork, NirUnit, NirState, NirRecord, NirRun, NirRunOptions, NirExport, NirExportOptions, DiehlCookNirOptions,
} from "./nir/index";
