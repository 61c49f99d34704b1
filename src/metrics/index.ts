/** Metrics: pure functions over records (spike trains, counts). Explicit named re-exports only. */
export { countStatistics, isiStatistics, firingRates, rankCorrelation } from "./spike-statistics";
export type { CountStatistics, IsiStatistics } from "./spike-statistics";
export { binnedRate, powerSpectrum, peakFrequency, spectralPeak } from "./spectrum";
export type { PowerSpectrum, SpectralPeak } from "./spectrum";
export { energyConstants, energyEstimate, annEnergyCounts, snnEnergyCounts } from "./energy";
export type { EnergyConstant, EnergySourceCheck, EnergyTerm, EnergyEstimate, EnergyCountOptions } from "./energy";
export { orientationSelectivity, orientationSelectivities } from "./orientation";
export type { FilterShape, OrientationSelectivity } from "./orientation";
