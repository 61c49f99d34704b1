/**
 * snnlab: simulation and training of spiking neural networks.
 *
 * Explicit named re-exports, grouped by folder (no `export *` from internals).
 */

// core: units, random numbers, validation, typed-array utilities
export * from "./core/index";
