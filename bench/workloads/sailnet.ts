/**
 * SAILnet (Zylberberg, Murphy & DeWeese 2011) and Tavanaei & Maida's layer-wise spiking CNN (card
 * E18, notebook 16) at the notebook's settings: SAILnet learning on 5 × 5 MNIST patches
 * (patches/s, 32 neurons, 50 steps per patch, online updates), then the CNN's probabilistic-STDP
 * feature-layer learning and its feature extraction (conv 24 × 24 × 32 → pool 12 × 12 × 32 →
 * 5 × 5 positions × 64 probabilistic LIF neurons), in MNIST images per second, one at a time.
 * No peer: SAILnet's and the paper's own code are MATLAB.
 */
import { createRng } from "../../src/core/random";
import { loadMnist, take } from "../../src/datasets";
import { imagePatches, sailnet } from "../../src/models/sailnet";
import { tavanaeiCnn } from "../../src/models/tavanaei-cnn";
import type { BenchRow, Workload } from "../workload";
import { load, since } from "./_common";

export const workload: Workload = {
  name: "sailnet",
  description: "SAILnet learning on 5×5 MNIST patches (patches/s); Tavanaei & Maida spiking CNN: feature-layer STDP learning and feature extraction (images/s)",
  async run({ quick }): Promise<BenchRow[]> {
    const patchCount = quick ? 5000 : 100000;
    const images = quick ? 50 : 500;
    const mnist = loadMnist({ split: "train" });
    const patches = imagePatches(take(mnist, 0, 10000), { size: 5, count: Math.min(patchCount, 50000), rng: createRng(1) });
    const code = sailnet({ inputs: 25, neurons: 32, rng: createRng(2) });
    code.learn(patches, { count: 2000 });
    let t0 = performance.now();
    code.learn(patches, { count: patchCount });
    const rates: Record<string, [number, string]> = { sailnet_learning: [patchCount / since(t0), "patches/s"] };
    const net = tavanaeiCnn({ sailnet: code, inputScale: patches.scale, rng: createRng(3) });
    const data = take(mnist, 10000, images);
    net.learn(take(mnist, 20000, 20), { count: 20 });
    t0 = performance.now();
    net.learn(data, { count: images });
    rates.feature_learning = [images / since(t0), "images/s"];
    t0 = performance.now();
    net.features(data, { start: 0, count: images });
    rates.feature_extraction = [images / since(t0), "images/s"];
    const note = `${patchCount} patches, ${images} MNIST images, one at a time; ${load()}`;
    return Object.entries(rates).map(([metric, [value, unit]]) => ({ workload: "sailnet", metric, value, unit, note }));
  },
};
