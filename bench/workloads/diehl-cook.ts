/**
 * Diehl & Cook (2015) unsupervised STDP on MNIST (card E11): training samples per second on one
 * core, with the paper's settings (350 ms per sample at dt 0.5 ms, the original code's forward
 * Euler step, delays 0–10 ms, retries below 5 spikes, rest by state reset), for 100 and 400
 * excitatory neurons. The peer is BindsNET's
 * `eth_mnist` with the same 350 ms (batch 1, CPU, 1 thread): 2.5 samples/s at 100 neurons and
 * 0.77 samples/s at 400, measured by the project on this machine class (shared/bench/README.md).
 *
 * Rows: `diehl-cook-<N>` × {training_samples_per_second (wall clock), training_samples_per_cpu_second
 * (process CPU time, steadier when other work shares the cores), speedup_vs_bindsnet}.
 */
import { createRng } from "../../src/core/random";
import { loadMnist } from "../../src/datasets/mnist";
import { diehlCookNetworkInit, diehlCookNetworkParams, diehlCookTrain } from "../../src/models/diehl-cook";
import type { BenchRow, Workload } from "../workload";

/** BindsNET's training speed on this machine class, samples/s (not run here). */
const bindsnetSamplesPerSecond: Readonly<Record<number, number>> = Object.freeze({ 100: 2.5, 400: 0.77 });

export const workload: Workload = {
  name: "diehl-cook",
  description: "Diehl & Cook 2015 STDP on MNIST: training samples/s, N = 100 and 400, one core",
  async run({ quick }): Promise<BenchRow[]> {
    const train = loadMnist({ split: "train" });
    const rows: BenchRow[] = [];
    for (const neurons of [100, 400]) {
      const net = diehlCookNetworkInit(diehlCookNetworkParams({ neurons }), createRng(1));
      const rng = createRng(2);
      // Warm-up: JIT compilation, and past the first samples, whose weights are still uniform.
      diehlCookTrain(net, train, { count: quick ? 5 : 50, rng });
      const count = quick ? 10 : neurons === 100 ? 1000 : 300;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const { presentations } = diehlCookTrain(net, train, { start: 50, count, rng });
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const name = `diehl-cook-${neurons}`;
      const rate = count / seconds;
      const note = `N = ${neurons}, ${count} samples (${presentations} presentations), 350 ms at dt 0.5 ms, ${net.params.excitatory.method} integration, delays 0–10 ms, rest "reset"`;
      const peer = bindsnetSamplesPerSecond[neurons]!;
      rows.push(
        { workload: name, metric: "training_samples_per_second", value: rate, unit: "samples/s", note },
        { workload: name, metric: "training_samples_per_cpu_second", value: count / cpuSeconds, unit: "samples/s", note: "process CPU time" },
        {
          workload: name, metric: "speedup_vs_bindsnet", value: rate / peer, unit: "x",
          note: `bindsnet (measured by the project, not run here): ${peer} samples/s`,
        },
      );
    }
    return rows;
  },
};
