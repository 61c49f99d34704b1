/**
 * Synapses: connectivity (CSR by pre), weight storage (dense, sparse, uniform, shared/convolutional),
 * transmission delays (ring buffers) and event-driven propagation that counts synaptic operations.
 * Explicit named re-exports only.
 */
export {
  allToAll, oneToOne, fixedProbability, fixedProbabilityDefaults, fromPairs, fanOut, fanIn, connectivityPairs,
  checkConnectivity, MAX_SYNAPSES,
} from "./connectivity";
export type { Connectivity, FixedProbabilityOptions, FromPairsOptions } from "./connectivity";
export {
  denseSynapses, sparseSynapses, uniformSynapses, sharedSynapses, matrixFanOut, checkMatrix, synapseAccess,
} from "./synapse-matrix";
export type { SynapseMatrix, SynapseStorage, SynapseMatrixOptions, WeightInit } from "./synapse-matrix";
export { convSynapses, convOutputShape, convDefaults } from "./conv";
export type { ConvGeometry, ConvOptions } from "./conv";
export { delayRing, ringOffset, markSlot, deliverRing, clearRing } from "./delays";
export type { DelayRing } from "./delays";
export { propagate, propagateDelayed, delayedOffset } from "./propagate";
