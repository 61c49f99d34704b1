/**
 * Networks: populations, Poisson groups, projections, external inputs, the simulation loop and
 * monitors, plus the records monitors produce. Explicit named re-exports only.
 */
export { traceOf } from "./records";
export type { StateTrace, SpikeTrain } from "./records";
export { population, poissonGroup } from "./population";
export type { Population, PoissonGroup, Group, PopulationOptions, PoissonGroupOptions } from "./population";
export { projection, projectionDefaults } from "./projection";
export type { Projection, ProjectionOptions } from "./projection";
export { currentInput, noiseInput } from "./inputs";
export type { CurrentInput, NoiseInput, NetworkInput, NoiseInputOptions } from "./inputs";
export { network, resetNetwork, findGroup } from "./network";
export type { Network, NetworkSpec } from "./network";
export { simulate, simulateDefaults } from "./simulate";
export type { SimulateOptions, SimulationResult } from "./simulate";
export { spikeMonitor, spikeMonitorDefaults, stateMonitor, stateMonitorDefaults } from "./monitors";
export type { SpikeMonitor, SpikeMonitorOptions, StateMonitor, StateMonitorOptions, Monitor } from "./monitors";
