"""PyTorch peer of bench/workloads/lstm.ts: the BPTT time per batch of notebook 20's row-wise MNIST
LSTM (one nn.LSTM layer of 64 units over 28 steps of 28 inputs, a linear readout, softmax
cross-entropy, Adam), on inputs of the same shape. Prints `RESULT metric=... value=...` lines."""
import argparse
import time

import torch


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--batches", type=int, default=30)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(a.threads)
    lstm = torch.nn.LSTM(28, a.hidden, batch_first=True)
    head = torch.nn.Linear(a.hidden, 10)
    opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=0.005)
    x = torch.rand(a.batch, 28, 28)
    y = torch.randint(0, 10, (a.batch,))

    def step() -> None:
        opt.zero_grad()
        out, _ = lstm(x)
        loss = torch.nn.functional.cross_entropy(head(out[:, -1]), y)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    t0 = time.perf_counter()
    for _ in range(a.batches):
        step()
    ms = 1000 * (time.perf_counter() - t0) / a.batches
    print(f"RESULT metric=bptt_ms_per_batch value={ms:.4f}")


if __name__ == "__main__":
    main()
