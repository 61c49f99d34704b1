/**
 * The NIR simulator, part of `interop/nir/simulate/` (described in index.ts): the simulator's options, methods and records (network, unit, state, run) and its compiled form.
 */
import { type NirGraph, type NirNode, type NirNodeType } from "../graph";

/** How continuous-time neurons become steps (file header). */
export type NirMethod = "exact" | "event" | "euler";

/** The methods, in the order of the union. */
export const nirMethods: readonly NirMethod[] = Object.freeze(["exact", "event", "euler"] as const);

/** Options of `nirNetwork`. */
export interface NirNetworkOptions {
  /** Time step, ms. */
  readonly dt: number;
  /** Discretisation of the neurons (file header). Default "exact". */
  readonly method: NirMethod;
}

/** A node of the compiled network (nested graphs flattened: "graph/node"). */
export interface NirUnit {
  readonly name: string;
  readonly type: NirNodeType;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Elements of the output. */
  readonly size: number;
  /** Names of the units it receives from, and whether each edge is recurrent (previous step's value). */
  readonly from: readonly { readonly name: string; readonly recurrent: boolean }[];
}

/** A compiled network (file header); its state is separate (`nirInit`). */
export interface NirNetwork {
  readonly graph: NirGraph;
  /** Time step, ms. */
  readonly dt: number;
  readonly method: NirMethod;
  /** Units in evaluation order. */
  readonly units: readonly NirUnit[];
  /** The top-level Input and Output units, by name, in the graph's order. */
  readonly inputs: readonly NirUnit[];
  readonly outputs: readonly NirUnit[];
}

/** The state of a network between steps, owned by the caller. */
export interface NirState {
  /** Steps simulated so far. */
  steps: number;
  /** Output of every unit at the last step. */
  readonly output: Readonly<Record<string, Float64Array>>;
  /** Membrane potential of every neuron unit (I, IF, LI, LIF, CubaLI, CubaLIF). */
  readonly v: Readonly<Record<string, Float64Array>>;
  /** Synaptic current of every CubaLI/CubaLIF unit. */
  readonly current: Readonly<Record<string, Float64Array>>;
  /** Memory of Delay units (ring buffers) and of spiking max pooling (spike counts); internal. */
  readonly memory: Readonly<Record<string, Float64Array>>;
}

/** The signals of one recorded unit, each [T × size], time-major. */
export interface NirRecord {
  readonly output: Float64Array;
  readonly v?: Float64Array;
  readonly current?: Float64Array;
}

/** What `nirRun` returns. */
export interface NirRun {
  readonly steps: number;
  /** Signal of each top-level Output node, [T × size]. */
  readonly outputs: Readonly<Record<string, Float64Array>>;
  readonly records: Readonly<Record<string, NirRecord>>;
  /** The state after the last step (pass it back to continue). */
  readonly state: NirState;
}

/** Options of `nirRun`. */
export interface NirRunOptions {
  /** Steps T; default the input's length / the Input's size. An input of one step is held for T steps. */
  readonly steps?: number;
  /** Units whose output (and v, synaptic current) to record, by name. */
  readonly record?: readonly string[];
  /** State to continue from; default a fresh `nirInit(net)`. It is advanced in place. */
  readonly state?: NirState;
}

export type Reset = "zero" | "subtract" | "none";

/** The compiled operation of a unit: reads `input` (its summed in-edges), writes `out`, state by name. */
export interface Op {
  readonly unit: NirUnit;
  /** Indices (in evaluation order) of the units it reads. */
  readonly sources: readonly number[];
  readonly node: NirNode;
  run(input: Float64Array, out: Float64Array, state: NirState): void;
}

export interface Compiled {
  readonly ops: readonly Op[];
  readonly neuron: ReadonlySet<string>;
  readonly cuba: ReadonlySet<string>;
  /** Length of each unit's `memory`. */
  readonly memorySizes: ReadonlyMap<string, number>;
}

export const compiled = new WeakMap<NirNetwork, Compiled>();
