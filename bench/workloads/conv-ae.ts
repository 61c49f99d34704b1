/**
 * Panda & Roy (2016) spiking convolutional autoencoder (card E19; `spikingConvAutoencoder` with
 * the notebook's defaults, 12c5-p2-64c5-p2, T = 16): regenerative training of layer 1 and of
 * layer 2, and feature extraction through both layers, in MNIST images per second, one image at a
 * time (event-driven convolutions). No peer: the paper's code is not public.
 */
import { createRng } from "../../src/core/random";
import { loadMnist, take } from "../../src/datasets";
import { spikingConvAutoencoder, spikingConvAutoencoderDefaults } from "../../src/models/spiking-conv-autoencoder";
import type { BenchRow, Workload } from "../workload";
import { load, since } from "./_common";

export const workload: Workload = {
  name: "conv-ae",
  description: "Panda & Roy 2016 spiking conv autoencoder (12c5-p2-64c5-p2, T = 16): layer-1/2 regenerative training and feature extraction, images/s",
  async run({ quick }): Promise<BenchRow[]> {
    const images = quick ? 30 : 300;
    const mnist = loadMnist({ split: "train" });
    const data = take(mnist, 0, images);
    const warm = take(mnist, images, 20);
    const net = spikingConvAutoencoder({ ...spikingConvAutoencoderDefaults, rng: createRng(1) });
    // Warm-up (JIT), then layer 1 trained on more images so that layer 2 sees learnt spikes.
    net.layer(0).learn(warm, { count: 20 });
    net.layer(1).learn(warm, { count: 20 });
    net.features(warm, { start: 0, count: 20 });
    const rates: Record<string, number> = {};
    let t0 = performance.now();
    net.layer(0).learn(data, { count: images });
    rates.layer1_training = images / since(t0);
    t0 = performance.now();
    net.layer(1).learn(data, { count: images });
    rates.layer2_training = images / since(t0);
    t0 = performance.now();
    net.features(data, { start: 0, count: images });
    rates.feature_extraction = images / since(t0);
    const note = `${images} MNIST images, one at a time, T = ${spikingConvAutoencoderDefaults.steps}; ${load()}`;
    return Object.entries(rates).map(([metric, value]) => ({ workload: "conv-ae", metric, value, unit: "images/s", note }));
  },
};
