/** tf.js layers for BPTT: the leaky layer (twin of neurons/leaky) and its recurrent form, the RNN, LSTM and GRU as fused time loops, and a feed-forward model. */
export { leakyLayerParams, leakyLayerDefaults, leakyLayerStep, leakyScan } from "./lif-layer";
export type { LeakyLayerParams, LeakyLayerOptions, LeakyLayerState, LeakyScanOutput } from "./lif-layer";
export {
  dense, conv2d, avgPool, maxPool, flatten, relu, sigmoidActivation, tanh, identity, batchNorm, leakyLayer, weightInitNames,
} from "./layer-specs";
export type {
  LayerSpec, DenseSpec, Conv2dSpec, PoolSpec, FlattenSpec, ActivationSpec, BatchNormSpec, LeakySpec, LayerInit, WeightedSpec,
} from "./layer-specs";
export { createModel } from "./model";
export { modelWeightTensors, restoreModelWeights } from "./model-weights";
export type { Model, ModelOptions, ModelLayer, ForwardOutput, ForwardOptions } from "./model";
export { recurrentScan, recurrentWeights, recurrentCells, recurrentGates } from "./recurrent";
export type { RecurrentCell, RecurrentWeightTensors, RecurrentGradientNorms, RecurrentScanOptions, RecurrentScanOutput, RecurrentWeightOptions, RecurrentWeightArrays } from "./recurrent";
export { recurrentLeakyScan } from "./recurrent-leaky";
