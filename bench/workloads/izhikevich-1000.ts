/**
 * Izhikevich (2003) 800 + 200 network in Brian2's variant (shared/bench/cellmodels_brian2.py
 * --model izh): all-to-all coupling as jumps in v, thalamic noise every 1 ms, dt 0.5 ms, 1 s, a
 * spike monitor on every neuron. Our integration is the library's (two dt/2 half-steps of v per
 * step, the paper's scheme); Brian2's script uses one Euler step; the work per step is the same.
 */
import { izhikevichNetworkBuild } from "../../src/models/izhikevich-network";
import { spikeMonitor } from "../../src/network/monitors";
import { simulate } from "../../src/network/simulate";
import type { BenchRow, Workload } from "../workload";
import { compareWithPeer, since } from "./_common";

export const workload: Workload = {
  name: "izhikevich-1000",
  description: "Izhikevich 2003 network, 1000 neurons, 1e6 synapses, dt 0.5 ms, 1 s, vs Brian2 C++ standalone",
  async run({ quick, peers }): Promise<BenchRow[]> {
    const duration = quick ? 200 : 1000;
    const params = { dt: 0.5, synapse: "jump" as const };
    for (let k = 0; k < (quick ? 1 : 2); k++) simulate(izhikevichNetworkBuild({ ...params, seed: 99 + k }).network, { duration, dt: 0.5 }); // warm-up
    let rate = 0;
    let run = 0;
    const { rows } = compareWithPeer({
      workload: "izhikevich-1000",
      repeats: quick ? 1 : 3,
      peers,
      script: "cellmodels_brian2.py",
      args: ["--model", "izh", "--target", "cpp_standalone", "--duration", String(duration / 1000)],
      note: `${duration} ms at dt 0.5 ms, jumps in v, noise every 1 ms, simulation loop only`,
      ours: () => {
        const built = izhikevichNetworkBuild({ ...params, seed: 1 + run++ });
        const monitor = spikeMonitor(built.cortex);
        const t0 = performance.now();
        const result = simulate(built.network, { duration, dt: 0.5, monitors: [monitor] });
        const wall = since(t0);
        rate = result.spikes / built.cortex.size / (duration / 1000);
        return wall / (duration / 1000);
      },
    });
    rows.push({ workload: "izhikevich-1000", metric: "mean_rate_hz", value: rate, unit: "Hz", note: "last repeat; Brian2: 8.4 Hz" });
    return rows;
  },
};
