/**
 * The STDP spiking CNN (Kheradpisheh et al. 2018), part of `models/stdp-cnn/` (described in index.ts): the network's options, the `paper` and `spykeTorch` presets and the learning-rate schedule.
 */
import { integer } from "../../core/validate";
import { dogFilterDefaults, type DogFilterOptions } from "../../encoders/dog";


/** Pooling of one layer: by earliest spike over size × size windows, or global (one value per map). */
export type StdpPooling = { readonly size: number; readonly stride: number; readonly padding: number } | "global";

/** One convolutional layer of the network. */
export interface StdpConvLayerSpec {
  /** Number of feature maps (output channels). */
  readonly maps: number;
  /** Kernel side k (pixels of the stage below). */
  readonly kernel: number;
  /** Firing threshold θ > 0 (sum of weights in [0, 1]). */
  readonly threshold: number;
  /** Winners per learning step, an integer in [1, maps]. */
  readonly k: number;
  /** Lateral inhibition radius of the k-WTA (Chebyshev distance, pixels of this layer's maps). */
  readonly radius: number;
  /** Zero padding added on each side of this layer's input. */
  readonly padding: number;
  /** Pooling after the layer; null: none. */
  readonly pool: StdpPooling | null;
  /**
   * Lateral inhibition across maps at each position (the paper's, learning and inference): the
   * first neuron of a position to fire (ties: the largest potential at that step, then the lowest
   * map) is the only one of that position that fires. Default false (SpykeTorch's inference).
   */
  readonly inhibition?: boolean;
}

/** What the network hands to a readout. */
export type StdpFeatureMode = "spikes" | "potential";

/** Options of `stdpCnn` (every field but `rng` has a preset value: `stdpCnnPresets`). */
export interface StdpCnnOptions {
  /** Image height and width, pixels. */
  readonly imageHeight: number;
  readonly imageWidth: number;
  /** DoG stage (encoders/dog.ts). */
  readonly dog: Readonly<DogFilterOptions>;
  /** Time steps T of the latency code. */
  readonly steps: number;
  readonly layers: readonly StdpConvLayerSpec[];
  /** Initial weights ~ normal(weightMean, weightSd), clipped to [0, 1]. */
  readonly weightMean: number;
  readonly weightSd: number;
  /** a⁺₀, the LTP rate at the start of each layer's training. */
  readonly aPlus: number;
  /** −a⁻/a⁺ (0.75). */
  readonly aMinusRatio: number;
  /** a⁺ cap (0.15). */
  readonly aPlusMax: number;
  /** a⁺ doubles every this many images of a layer (500). */
  readonly doubleEvery: number;
  /**
   * Features: "spikes" — 1 where a neuron of the last stage fired (SpykeTorch: its pooled map,
   * flattened); "potential" — the last layer does not fire, and each map gives the maximum of its
   * final potentials (the paper's global max pooling).
   */
  readonly features: StdpFeatureMode;
}

export const featureModes: readonly StdpFeatureMode[] = ["spikes", "potential"];

const sharedDefaults = {
  imageHeight: 28, imageWidth: 28, steps: 15, weightMean: 0.8, weightSd: 0.05,
  aPlus: 0.004, aMinusRatio: 0.75, aPlusMax: 0.15, doubleEvery: 500,
} as const;

/**
 * The two configurations of card E17.
 *
 * `spykeTorch`: SpykeTorch's KheradpishehDeep.py — DoG 7×7 (σ 1, 2) padded by 6 (34×34), threshold
 * 50, mean normalisation R 8; 15 steps; pad 2, conv1 32 maps 5×5 θ 10 k 5 r 2, pool 2×2 stride 2
 * pad 1; pad 1, conv2 150 maps 2×2 θ 1 k 8 r 1, pool 2×2 stride 2 pad 1; features: the pooled
 * spikes of conv2 (150 × 10 × 10), read by LinearSVC(C = 2.4).
 *
 * `paper`: the paper's MNIST network — DoG 7×7 (σ 1, 2) keeping 28×28; conv1 30 maps 5×5 θ 15,
 * pool 2×2 stride 2; conv2 100 maps 5×5 θ 10; global max pooling of conv2's potentials (100
 * features) read by a linear SVM; lateral inhibition across maps at each position in both conv
 * layers (learning and inference). One winner per map (k = maps) with radius 2, T = 15 and the DoG
 * threshold/normalisation are SpykeTorch's values or our reading, not checked against the paper's
 * text (notebook 17's settings table lists each).
 */
export const stdpCnnPresets: Readonly<{ spykeTorch: Readonly<StdpCnnOptions>; paper: Readonly<StdpCnnOptions> }> = Object.freeze({
  spykeTorch: Object.freeze({
    ...sharedDefaults,
    dog: Object.freeze({ ...dogFilterDefaults, padding: 6 }),
    layers: Object.freeze([
      Object.freeze({ maps: 32, kernel: 5, threshold: 10, k: 5, radius: 2, padding: 2, pool: Object.freeze({ size: 2, stride: 2, padding: 1 }) }),
      Object.freeze({ maps: 150, kernel: 2, threshold: 1, k: 8, radius: 1, padding: 1, pool: Object.freeze({ size: 2, stride: 2, padding: 1 }) }),
    ]),
    features: "spikes" as StdpFeatureMode,
  }),
  paper: Object.freeze({
    ...sharedDefaults,
    dog: Object.freeze({ ...dogFilterDefaults }),
    layers: Object.freeze([
      Object.freeze({ maps: 30, kernel: 5, threshold: 15, k: 30, radius: 2, padding: 0, pool: Object.freeze({ size: 2, stride: 2, padding: 0 }), inhibition: true }),
      Object.freeze({ maps: 100, kernel: 5, threshold: 10, k: 100, radius: 2, padding: 0, pool: "global" as const, inhibition: true }),
    ]),
    features: "potential" as StdpFeatureMode,
  }),
});

/** The learning rates of one layer after it has trained on `n` images (file header). */
export function stdpCnnLearningRates(
  n: number, schedule: Pick<StdpCnnOptions, "aPlus" | "aMinusRatio" | "aPlusMax" | "doubleEvery"> = sharedDefaults,
): { aPlus: number; aMinus: number } {
  integer("stdpCnnLearningRates", "n", n, 0);
  const aPlus = Math.min(schedule.aPlusMax, schedule.aPlus * 2 ** Math.floor(n / schedule.doubleEvery));
  return { aPlus, aMinus: -schedule.aMinusRatio * aPlus };
}
