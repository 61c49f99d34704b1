/**
 * Plasticity: learning rules that act on spikes, traces and a topology-free `SynapseAccess`, plus
 * weight dependence, normalisation, homeostasis and competition helpers.
 */
export {
  denseAccess, sparseAccess, indexedAccess, checkSynapseAccess, checkAccessShape, forEachSynapse,
} from "./synapse-access";
export type { SynapseAccess, SynapseRows } from "./synapse-access";
export {
  weightBounds, weightBoundsDefaults, weightDependences, checkWeightBounds, checkWeightsInBounds, potentiate, depress,
  clipWeights,
} from "./bounds";
export type { WeightBounds, WeightDependence } from "./bounds";
export { traceParams, traceDefaults, traceInteractions, traceDecay, traceStep, resetTraces } from "./traces";
export type { TraceParams, TraceInteraction } from "./traces";
export { stdpWindow, checkStdpWindowParams } from "./stdp-window";
export type { StdpWindowParams } from "./stdp-window";
export { stdpParams, stdpDefaults, stdpInit, stdpStep } from "./stdp";
export type { StdpParams, StdpTraces } from "./stdp";
export { tripletParams, tripletDefaults, tripletPresets, tripletInit, tripletStep } from "./triplet-stdp";
export type { TripletConstants, TripletParams, TripletTraces } from "./triplet-stdp";
export { diehlCookParams, diehlCookDefaults, diehlCookInit, diehlCookStep } from "./diehl-cook-stdp";
export type { DiehlCookParams, DiehlCookTraces } from "./diehl-cook-stdp";
export { normalizeIncoming, normalizeDefaults } from "./normalize";
export type { NormalizeOptions } from "./normalize";
export { adaptiveThresholdParams, adaptiveThresholdDefaults, adaptiveThresholdStep } from "./homeostasis";
export type { AdaptiveThresholdParams } from "./homeostasis";
export { kWinnersTakeAll, kWinnersDefaults, pointwiseInhibition, lateralInhibition } from "./wta";
export type { MapShape, KWinnersOptions } from "./wta";
export { measureStdpWindow, pairingProtocol, pairingDefaults } from "./pairing";
export type { PairingOptions, PairingResult } from "./pairing";
export { mirroredWeights, mirroredStdpInit, mirroredStdpStep } from "./mirrored-stdp";
export type { MirroredWeights, MirroredStdpTraces } from "./mirrored-stdp";
