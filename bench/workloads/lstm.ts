/**
 * Notebook 20's LSTMs (card E21, Shrestha et al. 2017): the BPTT time per batch of the row-wise
 * MNIST LSTM trained with tf.layers.lstm (`lstmLearner`: 28 steps × 28 inputs, 64 units, batch
 * 64, Adam), and the time per sequence of the spiking LSTM that runs its weights (T = 32 spike
 * steps per input step, the burst-coded cell state), on MNIST digits. Beside it, where Debian's
 * python3-torch is installed, bench/peers/lstm_torch.py times the same BPTT step in PyTorch
 * (nn.LSTM, 2 threads) in the same run; the ratio row is ours / PyTorch (ms per batch: below 1,
 * we are faster).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { createRng } from "../../src/core/random";
import { holdOut, loadMnist } from "../../src/datasets";
import { imageRowSequences, sequenceSlice } from "../../src/datasets/sequence-tasks";
import { spikingLstm } from "../../src/models/spiking-lstm";
import { initBackend } from "../../src/training/backend";
import { lstmLearner } from "../../src/training/lstm-learner";
import type { BenchRow, Workload } from "../workload";
import { load, log, repoRoot, since } from "./_common";

/** Runs bench/peers/lstm_torch.py; its ms per batch, or why there is none. */
function torchPeer(batches: number, batch: number): number | string {
  const script = path.join(repoRoot(), "bench", "peers", "lstm_torch.py");
  const r = spawnSync("/usr/bin/python3", [script, "--batches", String(batches), "--batch", String(batch), "--hidden", "64"], {
    cwd: repoRoot(), encoding: "utf8", timeout: 600_000, env: { ...process.env, PYTHONWARNINGS: "ignore" },
  });
  if (r.error) return r.error.message;
  if (r.status !== 0) return `lstm_torch.py exited with ${r.status}: ${(r.stderr || "").trim().split("\n").slice(-2).join(" | ")}`;
  const m = /RESULT metric=bptt_ms_per_batch value=(\S+)/.exec(r.stdout);
  return m ? Number(m[1]) : "lstm_torch.py printed no RESULT line";
}

export const workload: Workload = {
  name: "lstm",
  description: "Notebook 20: tf.layers LSTM BPTT ms/batch (row-wise MNIST, 64 units, batch 64) and spiking LSTM ms/sequence (T = 32), vs PyTorch",
  async run({ quick, peers }): Promise<BenchRow[]> {
    const info = await initBackend();
    const batches = quick ? 3 : 30;
    const batch = 64;
    const digits = imageRowSequences(holdOut(loadMnist({ split: "train" }), { count: 10_000 }).train);
    const data = sequenceSlice(digits, 0, (batches + 2) * batch);
    const ann = lstmLearner({ inputSize: 28, hiddenSize: 64, outputs: 10, kind: "class", learningRate: 0.005, batchSize: batch, rng: createRng(1) });
    ann.learn(data, { count: 2 * batch });                       // warm-up: kernels compiled, optimiser slots made
    let t0 = performance.now();
    ann.learn(data, { count: batches * batch });
    const bptt = (1000 * since(t0)) / batches;
    const sequences = quick ? 20 : 200;
    const snn = spikingLstm(ann.weights(), { steps: 32, cellRange: 8 });
    snn.evaluate(data, { start: 0, count: 5 });
    t0 = performance.now();
    const r = snn.evaluate(data, { start: 0, count: sequences });
    const perSequence = (1000 * since(t0)) / sequences;
    const note = `backend ${info.name}; load ${load()}`;
    const rows: BenchRow[] = [
      { workload: "lstm", metric: "bptt_ms_per_batch", value: bptt, unit: "ms", note: `${batches} batches of ${batch}; ${note}` },
      { workload: "lstm", metric: "spiking_ms_per_sequence", value: perSequence, unit: "ms", note: `${sequences} digits, T = 32, ${Math.round(r.sopsPerSequence)} SOPs/sequence; ${note}` },
    ];
    ann.dispose();
    if (peers) {
      const theirs = torchPeer(batches, batch);
      if (typeof theirs === "string") log(`lstm: no PyTorch peer (${theirs})`);
      else {
        rows.push({ workload: "lstm", metric: "bptt_ms_per_batch_torch", value: theirs, unit: "ms", note: "bench/peers/lstm_torch.py (python3-torch, 2 threads)" });
        rows.push({ workload: "lstm", metric: "bptt_ratio", value: bptt / theirs, unit: "x", note: "ours / PyTorch, same run" });
      }
    }
    return rows;
  },
};
