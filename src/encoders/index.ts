/**
 * Spike encoders: turn values, images and rates into spikes, currents or spike trains. Every
 * stochastic encoder takes an injected `Rng` (house rule 8).
 */
export { createSpikeTrain, spikeCounts, stackSpikeTrains } from "./spike-train";
export type { SpikeTrain, SpikeTrainOptions, StackedSpikeTrains } from "./spike-train";
export {
  poissonStep, poissonTrain, poissonProcess, imageToRates, imageToRatesDefaults, diehlCookIntensity,
} from "./poisson";
export type { PoissonTrainOptions, PoissonProcessOptions, ImageToRatesOptions } from "./poisson";
export { regularInit, regularStep, regularTrain, regularTrainDefaults } from "./rate";
export type { RegularTrainOptions } from "./rate";
export { latencyTrain, latencySteps, latencyFrames, latencyStepDefaults, latencyFrameDefaults } from "./latency";
export type { LatencyBinning, LatencyTrainOptions, LatencyStepOptions, LatencyFrameOptions } from "./latency";
export { constantCurrent, constantCurrentDefaults } from "./constant-current";
export type { ConstantCurrentOptions } from "./constant-current";
export { dogKernel, dogFilter, dogFilterDefaults } from "./dog";
export type { GrayImage, DogMaps, DogNormalization, DogFilterOptions } from "./dog";
export { signedRates, signedDecode, signedRatesDefaults, signedDecodeDefaults } from "./signed";
export type { SignedRatesOptions, SignedDecodeOptions } from "./signed";
export { twoChannelCount, twoChannelDecode, twoChannelSpikes, burstLevel, burstDecode } from "./two-channel-code";
export type { BurstCode } from "./two-channel-code";
