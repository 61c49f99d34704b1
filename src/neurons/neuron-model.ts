/**
 * The contract every neuron model fulfils, so that `network/` can run any of them
 * (Norse's `SNN(activation, state_fallback)` idea without inheritance).
 *
 * A model is a bundle of plain functions over a parameter record `P` (immutable, validated by
 * `params`) and a state record `S` of Float32Arrays created by `init` and owned by the caller.
 * `step` advances the state by `dt` **in place** and writes 0/1 into `spikes`; it returns the
 * number of spikes. Argument order: input, state, params, dt, out (house rule 1).
 *
 * `input` is the model's drive for this step: a current in nA for current-based models, or a
 * conductance increment / spike count for models that say so in their TSDoc.
 */
export interface NeuronModel<P, S extends NeuronState> {
  /** Short name, e.g. "lif". */
  readonly name: string;
  /** Frozen defaults of every parameter. */
  readonly defaults: Readonly<P>;
  /** Validated parameters: unknown keys and invalid values throw the standard error. */
  params(options?: Partial<P>): P;
  /** A fresh state for `size` neurons, at rest. */
  init(size: number, params: P): S;
  /** Puts an existing state back to rest, in place (between samples, without allocating). */
  reset(state: S, params: P): void;
  /** Advances `state` by `dt` ms in place, writes 0/1 spikes into `spikes`; returns the spike count. */
  step(input: Float32Array, state: S, params: P, dt: number, spikes: Uint8Array): number;
  /**
   * Optional fast path, used by `network/` when present: buffers of this state in which `step`
   * reads its input and writes its spikes without copying (e.g. views of WebAssembly memory), and
   * optionally where it lists the spiking neurons. Returns null when the state has none (a state
   * not made by `init`). `step` must still accept any other arrays.
   */
  buffers?(state: S): NeuronBuffers | null;
}

/** Buffers a model's `step` works in place (see `NeuronModel.buffers`). */
export interface NeuronBuffers {
  /** Pass as `input`: read without a copy. One element per neuron. */
  readonly input: Float32Array;
  /** Pass as `spikes`: written without a copy. One element per neuron. */
  readonly spikes: Uint8Array;
  /**
   * When not null, `step` (given the two buffers above) also writes the indices of the neurons that
   * spiked, ascending, into its first `count` elements (`count` = the return value of `step`).
   */
  readonly spikeIds: Int32Array | null;
}

/** What every state has: its size and a membrane potential (mV, or dimensionless for `leaky`). */
export interface NeuronState {
  readonly size: number;
  readonly v: Float32Array;
}
