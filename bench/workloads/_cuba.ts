/**
 * The CUBA workloads (cuba-4000, cuba-16000, cuba-64000): Brette et al. 2007 benchmark 2 as
 * Brian2's CUBA.py and shared/bench/cuba_brian2.py, 1 s at dt 0.1 ms, 80 inputs per neuron
 * ("indegree" scaling), spike monitors on every neuron, against Brian2's C++ standalone.
 */
import v8 from "node:v8";
import { cubaNetwork } from "../../src/models/cuba";
import { spikeMonitor } from "../../src/network/monitors";
import { simulate } from "../../src/network/simulate";
import type { BenchRow, Workload } from "../workload";
import { compareWithPeer, log, since } from "./_common";

/** The CUBA workload for N neurons; `memory` adds peak RSS and heap rows. */
export function cubaWorkload(size: number, memory: boolean): Workload {
  const name = `cuba-${size}`;
  return {
    name,
    description: `CUBA network (Brette et al. 2007), N = ${size}, 1 s at dt 0.1 ms, vs Brian2 C++ standalone`,
    async run({ quick, peers }): Promise<BenchRow[]> {
      const duration = quick ? 100 : 1000;
      let peakHeap = 0;
      const sampleHeap = () => {
        const used = v8.getHeapStatistics().used_heap_size;
        if (used > peakHeap) peakHeap = used;
      };
      // Warm-up: compile the kernels (WebAssembly tiers up from Liftoff to TurboFan) and JIT the loop.
      for (let k = 0; k < (quick ? 1 : 2); k++) simulate(cubaNetwork({ size, seed: 99 + k }).network, { duration: quick ? 20 : duration, dt: 0.1 });
      let build = 0;
      let rate = 0;
      let sops = 0;
      let synapses = 0;
      const { rows } = compareWithPeer({
        workload: name,
        repeats: quick ? 1 : 3,
        peers,
        script: "cuba_brian2.py",
        args: ["--target", "cpp_standalone", "--N", String(size), "--threads", "1", "--duration", String(duration / 1000)],
        note: `N = ${size}, ${duration} ms at dt 0.1 ms, simulation loop only`,
        ours: () => {
          const t0 = performance.now();
          const built = cubaNetwork({ size, seed: 1 });
          build = since(t0);
          sampleHeap();
          synapses = built.synapses;
          const monitors = [spikeMonitor("exc"), spikeMonitor("inh")];
          const t1 = performance.now();
          const result = simulate(built.network, { duration, dt: 0.1, monitors, onProgress: sampleHeap });
          const wall = since(t1);
          rate = result.spikes / size / (duration / 1000);
          sops = result.sops / (duration / 1000);
          return wall / (duration / 1000);
        },
      });
      log(`${name}: build ${build.toFixed(3)} s, rate ${rate.toFixed(2)} Hz`);
      rows.push(
        { workload: name, metric: "build_seconds", value: build, unit: "s", note: `connectivity and state, ${synapses} synapses` },
        { workload: name, metric: "mean_rate_hz", value: rate, unit: "Hz", note: "Brian2 reference: 5.6 Hz at every N" },
        { workload: name, metric: "sops_per_simulated_second", value: sops, unit: "SOP/s", note: "Σ spikes × fan-out" },
      );
      if (memory) {
        const rss = process.resourceUsage().maxRSS / 1024;
        rows.push(
          { workload: name, metric: "peak_rss_mb", value: rss, unit: "MiB", note: "whole benchmark process (its own child), target < 1024" },
          { workload: name, metric: "peak_heap_mb", value: peakHeap / 2 ** 20, unit: "MiB", note: "V8 heap in use, sampled every 1 % of the run" },
        );
      }
      return rows;
    },
  };
}
