/**
 * The STDP-trained spiking convolutional network of Kheradpisheh, Ganjtabesh, Thorpe & Masquelier
 * (2018, Neural Networks 99:56–67; card E17), event-driven.
 *
 * Pipeline, per image:
 *
 *   image → DoG ON/OFF maps (encoders/dog.ts) → latency coding: every map value > 0 spikes once,
 *   in one of T steps (rank binning, SpykeTorch's `Intensity2Latency`; encoders/latency.ts)
 *   → [zero padding → convolution of integrate-and-fire neurons → pooling by earliest spike] × L
 *   → features of the last layer
 *
 * Neurons integrate without leak and fire at most once: neuron i of a conv layer fires at the first
 * step t with V_i(t) > θ, where V_i(t) = Σ_{inputs j that spiked at steps ≤ t} w_ij (SpykeTorch's
 * cumulative spike waves; strict `>` as `sf.fire`). Pooling by earliest spike: a pooled neuron fires
 * at the earliest step of the neurons of its window.
 *
 * Lateral inhibition (a layer's `inhibition`, the paper's): of the neurons of one position that
 * cross θ first (the same step), the one with the largest potential fires and the position's other
 * maps never do.
 *
 * Learning, one layer at a time, on the layer's own images (the layers below only infer):
 *
 *   k-winners-take-all: fired neurons are taken by increasing fire step (ties: larger potential at
 *     that step, then lower index); a neuron is a winner unless its map already has one or it lies
 *     within `radius` (Chebyshev distance, all maps) of a winner; at most k winners.
 *   STDP, for each winner (map f, fire step t_post), on its kernel w_f (all inputs of its window):
 *     Δw = a⁺ · w(1 − w)   if the input spiked at a step ≤ t_post,
 *     Δw = a⁻ · w(1 − w)   otherwise (later, or never; a⁻ < 0),
 *     then w is clipped to [0, 1].
 *   Schedule, per layer, n = images that layer has trained on: a⁺(n) = min(a⁺_max, a⁺₀ · 2^⌊n/N⌋)
 *     with N = 500, a⁺₀ = 0.004, a⁺_max = 0.15, and a⁻(n) = −0.75 · a⁺(n) (SpykeTorch's
 *     KheradpishehDeep.py; the paper states a⁺ = 0.004, a⁻ = −0.003 and the doubling every 500
 *     images up to 0.15).
 *
 * Event-driven: each input spike adds its kernel column to the potentials it reaches, once, so the
 * work is (input spikes) × (maps) × (kernel area), not (map size) × (steps); a neuron that fired
 * leaves the sum, a position whose maps have all fired is skipped, and a learning layer stops at
 * the step where its k winners are known (STDP needs only their fire steps and the input's).
 * With "potential" features the last layer never fires, so its potentials sum every input.
 *
 * Not (yet) a `Learner` of learning/: training is layer-wise and unsupervised, and `evaluate`
 * needs a readout (training/linear-classifier.ts); `snapshot`/`restore` follow the learner
 * snapshot format ("stdpCnn": tensors layers.I.weight F32 [k, k, C_in, maps]; state {orderSeed,
 * layerSamples}) and resume bit for bit.
 *
 * Layout: activity and potentials are position-major, channel-last: neuron (y, x, c) of an
 * H × W × C stage is index (y·W + x)·C + c. Kernels are [k, k, C_in, C_out] (F32, C_out fastest).
 *
 * @example
 *   const net = stdpCnn({ ...stdpCnnPresets.spykeTorch, rng: createRng(1) });
 *   const train = take(loadMnist({ split: "train" }), 0, 2000);
 *   net.learnLayer(0, train, { count: 2000 });       // layer 1, 2000 images
 *   net.learnLayer(1, train, { count: 2000 });       // layer 2
 *   const f = net.features(train, { start: 0, count: 2000 });   // f.values: 2000 × f.dim
 */
export { spikeWave } from "./wave";
export type { SpikeWave } from "./wave";
export { stdpCnnPresets, stdpCnnLearningRates } from "./options";
export type { StdpPooling, StdpConvLayerSpec, StdpFeatureMode, StdpCnnOptions } from "./options";
export { spikingConv } from "./conv";
export type { SpikingConvResult, SpikingConvParams } from "./conv";
export { spikePool } from "./pool";
export { kWinners } from "./winners";
export { stdpConvUpdate } from "./stdp-update";
export { stdpCnn } from "./network";
export type { StdpFeatures, StdpCnn, StdpCnnInit } from "./network";
export { stdpCnnFeatureImages } from "./feature-images";
export type { StdpFeatureImages } from "./feature-images";
export { stdpCnnOperations } from "./operations";
export type { StdpCnnOperations } from "./operations";
