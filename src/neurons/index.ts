/**
 * Neuron models: one file per model, each a `NeuronModel` bundle plus its exported parameter,
 * init, reset and step functions (house style C4). Explicit named re-exports only.
 */
export type { NeuronModel, NeuronState, NeuronBuffers } from "./neuron-model";
export { exprel } from "./exprel";
export { perNeuronParam, checkPerNeuronLength, perNeuronAt } from "./per-neuron";
export type { PerNeuron } from "./per-neuron";

export {
  lif, lifDefaults, lifParams, lifInit, lifReset, lifStep, lifSynapses, lifRateClosedForm, alphaKernel, expKernel,
} from "./lif";
export type { LifParams, LifState, LifSynapse } from "./lif";

export {
  conductanceLif, conductanceLifDefaults, conductanceLifParams, conductanceLifInit, conductanceLifReset,
  conductanceLifStep, conductanceLifMethods, diehlCookExcitatory, diehlCookInhibitory,
} from "./conductance-lif";
export type { ConductanceLifParams, ConductanceLifState, ConductanceLifMethod } from "./conductance-lif";

export {
  integrateAndFire, integrateAndFireDefaults, integrateAndFireParams, integrateAndFireInit, integrateAndFireReset,
  integrateAndFireStep, integrateAndFireResetModes,
} from "./integrate-and-fire";
export type { IntegrateAndFireParams, IntegrateAndFireState, IntegrateAndFireResetMode } from "./integrate-and-fire";

export { leaky, leakyDefaults, leakyParams, leakyInit, leakyReset, leakyStep, leakyResetModes, betaFromTau } from "./leaky";
export type { LeakyParams, LeakyState, LeakyResetMode } from "./leaky";

export {
  izhikevich, izhikevichDefaults, izhikevichParams, izhikevichInit, izhikevichReset, izhikevichStep,
  izhikevichPresets, izhikevichPresetLabels,
} from "./izhikevich";
export type { IzhikevichParams, IzhikevichState, IzhikevichPresetName } from "./izhikevich";

export {
  hodgkinHuxley, hodgkinHuxleyDefaults, hodgkinHuxleyParams, hodgkinHuxleyInit, hodgkinHuxleyReset,
  hodgkinHuxleyStep, hodgkinHuxleyRates,
} from "./hodgkin-huxley";
export type { HodgkinHuxleyParams, HodgkinHuxleyState, HodgkinHuxleyRates } from "./hodgkin-huxley";
