/**
 * Models: complete networks and experiments from the literature, as library functions a notebook
 * calls (a parameter record with frozen defaults, a seed, records back), plus the neuron models
 * they need that `neurons/` does not have. Explicit named re-exports only.
 */
export {
  cubaNeuron, cubaNeuronDefaults, cubaNeuronParams, cubaNeuronInit, cubaNeuronReset, cubaNeuronStep,
} from "./cuba-neuron";
export type { CubaNeuronParams, CubaNeuronState } from "./cuba-neuron";
export { cuba, cubaNetwork, cubaParams, cubaDefaults, cubaScalings, modelRunDefaults } from "./cuba";
export type { CubaParams, CubaScaling, CubaNetwork, CubaResult, ModelRunOptions } from "./cuba";
export {
  izhikevichNetwork, izhikevichNetworkBuild, izhikevichNetworkParams, izhikevichNetworkDefaults, izhikevichSynapses,
} from "./izhikevich-network";
export type {
  IzhikevichNetworkParams, IzhikevichNetworkResult, IzhikevichNetworkBuilt, IzhikevichSynapse,
} from "./izhikevich-network";
export { songStdp, songStdpParams, songStdpDefaults } from "./song-stdp";
export type { SongStdpParams, SongStdpResult } from "./song-stdp";
export {
  traubMiles, traubMilesDefaults, traubMilesParams, traubMilesInit, traubMilesReset, traubMilesStep, traubMilesRates,
  traubMilesGateModes,
} from "./traub-miles";
export type { TraubMilesParams, TraubMilesState, TraubMilesGates } from "./traub-miles";
export {
  hodgkinHuxleyPopulation, hodgkinHuxleyPopulationParams, hodgkinHuxleyPopulationDefaults,
} from "./hodgkin-huxley-population";
export type { HodgkinHuxleyPopulationParams, HodgkinHuxleyPopulationResult } from "./hodgkin-huxley-population";
export { wasmSimdAvailable } from "./wasm-assembler";
export {
  diehlCookNetworkParams, diehlCookNetworkDefaults, diehlCookRestModes, diehlCookNetworkInit, diehlCookNormalize,
  diehlCookDrawInput, diehlCookPresent, diehlCookTrain, diehlCookRespond, diehlCookAssignLabels,
  diehlCookEvaluate, diehlCookReceptiveFields, diehlCookSnapshot, diehlCookRestore, diehlCookEncode, diehlCookDecode,
} from "./diehl-cook";
export type {
  DiehlCookRestMode, DiehlCookNetworkParams, DiehlCookNetworkOptions, DiehlCookSchedule, DiehlCookNetwork,
  DiehlCookPresentOptions, DiehlCookResponse, DiehlCookProgress, DiehlCookRunOptions, DiehlCookTrainResult,
  DiehlCookResponses, DiehlCookAssignment, DiehlCookEvaluation, DiehlCookSnapshot,
} from "./diehl-cook";
export { assignLabelsByResponse, classifyByAssignment } from "./label-assignment";
export type { LabelAssignmentOptions, LabelAssignment } from "./label-assignment";
export { stdpCnn, stdpCnnPresets, stdpCnnLearningRates, spikeWave, spikingConv, spikePool, kWinners, stdpConvUpdate, stdpCnnFeatureImages, stdpCnnOperations } from "./stdp-cnn";
export type { StdpCnnOperations } from "./stdp-cnn";
export type {
  StdpCnn, StdpCnnInit, StdpCnnOptions, StdpConvLayerSpec, StdpPooling, StdpFeatureMode, StdpFeatures, SpikeWave, SpikingConvParams,
  SpikingConvResult,
} from "./stdp-cnn";
export { mirroredStdpAutoencoder, mirroredStdpAutoencoderDefaults, mirrorCorrelation } from "./mirrored-stdp-autoencoder";
export type {
  MirroredStdpAutoencoder, MirroredStdpAutoencoderParams, MirroredStdpAutoencoderOptions, MirroredStdpEvaluation,
  MirroredStdpResponse,
} from "./mirrored-stdp-autoencoder";
export { spikingConvAutoencoder, spikingConvAutoencoderDefaults, regenerativeUpdate } from "./spiking-conv-autoencoder";
export type {
  SpikingConvAutoencoder, SpikingConvAutoencoderOptions, ConvAutoencoderLayerSpec, ConvAutoencoderLayer, ConvAutoencoderEvaluation,
  ConvAutoencoderReconstruction, ConvAutoencoderOperations, RegenerativeShape,
} from "./spiking-conv-autoencoder";
export { sailnet, sailnetDefaults, imagePatches } from "./sailnet";
export type { Sailnet, SailnetOptions, SailnetEvaluation, SailnetPatches, ImagePatchesOptions } from "./sailnet";
export { tavanaeiCnn, tavanaeiCnnDefaults } from "./tavanaei-cnn";
export type { TavanaeiCnn, TavanaeiCnnOptions, TavanaeiCnnEvaluation, TavanaeiCnnActivity } from "./tavanaei-cnn";
export { spikingLstm, spikingLstmDefaults, lstmReference, burstLevelsFor } from "./spiking-lstm";
export type { LstmWeights, SpikingLstmOptions, LstmEvaluation, SpikingLstmEvaluation, LstmRunner } from "./spiking-lstm";
