/**
 * 1000 unconnected Hodgkin–Huxley (Traub–Miles) neurons with I = 0.7 nA·i/N, exponential Euler at
 * dt 0.1 ms, 1 s, as Brian2's IF_curve_Hodgkin_Huxley.py (shared/bench/cellmodels_brian2.py
 * --model hh), with a spike monitor.
 */
import { currentInput } from "../../src/network/inputs";
import { spikeMonitor } from "../../src/network/monitors";
import { network } from "../../src/network/network";
import { population } from "../../src/network/population";
import { simulate } from "../../src/network/simulate";
import { traubMiles } from "../../src/models/traub-miles";
import type { BenchRow, Workload } from "../workload";
import { compareWithPeer, since } from "./_common";

function build(size: number) {
  const cells = population("hh", traubMiles, size);
  const currents = new Float32Array(size);
  for (let i = 0; i < size; i++) currents[i] = (0.7 * i) / size;
  return { cells, net: network({ populations: [cells], inputs: [currentInput(cells, currents)] }) };
}

export const workload: Workload = {
  name: "hh-1000",
  description: "1000 Hodgkin–Huxley (Traub–Miles) neurons, exponential Euler, dt 0.1 ms, 1 s, vs Brian2 C++ standalone",
  async run({ quick, peers }): Promise<BenchRow[]> {
    const duration = quick ? 100 : 1000;
    simulate(build(1000).net, { duration: quick ? 50 : 500, dt: 0.1 }); // warm-up
    let rate = 0;
    const { rows } = compareWithPeer({
      workload: "hh-1000",
      repeats: quick ? 1 : 3,
      peers,
      script: "cellmodels_brian2.py",
      args: ["--model", "hh", "--target", "cpp_standalone", "--duration", String(duration / 1000)],
      note: `${duration} ms at dt 0.1 ms, simulation loop only`,
      ours: () => {
        const { cells, net } = build(1000);
        const monitor = spikeMonitor(cells);
        const t0 = performance.now();
        const result = simulate(net, { duration, dt: 0.1, monitors: [monitor] });
        const wall = since(t0);
        rate = result.spikes / 1000 / (duration / 1000);
        return wall / (duration / 1000);
      },
    });
    rows.push({ workload: "hh-1000", metric: "mean_rate_hz", value: rate, unit: "Hz", note: "Brian2: 52.2 Hz" });
    return rows;
  },
};
