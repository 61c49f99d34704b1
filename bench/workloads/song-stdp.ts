/**
 * Song, Miller & Abbott (2000) STDP, as Brian2's examples/synapses/STDP.py and
 * shared/bench/stdp_song_brian2.py: 1000 Poisson inputs at 15 Hz onto one LIF neuron, additive
 * STDP with traces, dt 0.1 ms, with the example's monitors (input and output spikes). Timing: 10 s
 * runs (per simulated second); correctness: one 100 s run (full mode), whose final weights should
 * be U-shaped (Brian2: 23 % below 0.1 gmax, 18.5 % above 0.9 gmax, output 26.4 Hz).
 */
import { songStdp } from "../../src/models/song-stdp";
import type { BenchRow, Workload } from "../workload";
import { compareWithPeer, log, median, since } from "./_common";

/** Brian2's bimodality score (stdp_song_brian2.py): the smaller edge bin over the median middle bin. */
function edgeToMiddle(histogram: Int32Array): number {
  return Math.min(histogram[0], histogram[19]) / Math.max(1, median(Array.from(histogram.subarray(5, 15))));
}

export const workload: Workload = {
  name: "song-stdp",
  description: "Song et al. 2000 STDP: 1000 Poisson inputs → 1 LIF neuron, dt 0.1 ms, vs Brian2 C++ standalone",
  async run({ quick, peers }): Promise<BenchRow[]> {
    const seconds = quick ? 1 : 10;
    songStdp({ duration: quick ? 500 : 2000, seed: 99, recordInputs: true, sampleEvery: 500 }); // warm-up
    const { rows } = compareWithPeer({
      workload: "song-stdp",
      repeats: quick ? 1 : 3,
      peers,
      script: "stdp_song_brian2.py",
      args: ["--target", "cpp_standalone", "--duration", String(seconds)],
      note: `${seconds} s at dt 0.1 ms with input and output spike monitors (includes the < 1 ms build)`,
      ours: () => {
        const t0 = performance.now();
        songStdp({ duration: seconds * 1000, seed: 1, recordInputs: true, sampleEvery: seconds * 1000 });
        return since(t0) / seconds;
      },
    });
    const long = quick ? 2 : 100;
    const t0 = performance.now();
    const r = songStdp({ duration: long * 1000, seed: 1, recordInputs: true, sampleEvery: long * 1000 });
    log(`song-stdp: ${long} s run in ${since(t0).toFixed(2)} s`);
    const note = `one ${long} s run, seed 1`;
    rows.push(
      { workload: "song-stdp", metric: "output_rate_hz", value: r.outputRate, unit: "Hz", note: `${note}; Brian2 100 s: 26.4 Hz` },
      { workload: "song-stdp", metric: "frac_w_below_0.1gmax", value: r.fractionLow, unit: "fraction", note: `${note}; Brian2 100 s: 0.23` },
      { workload: "song-stdp", metric: "frac_w_above_0.9gmax", value: r.fractionHigh, unit: "fraction", note: `${note}; Brian2 100 s: 0.185` },
      {
        workload: "song-stdp", metric: "edge_to_middle_bin_ratio", value: edgeToMiddle(r.histogram), unit: "x",
        note: `min(first, last bin)/median(bins 5–14) of 20 (U-shaped > 2; Brian2 100 s: 4–5); counts ${Array.from(r.histogram).join(",")}`,
      },
    );
    return rows;
  },
};
