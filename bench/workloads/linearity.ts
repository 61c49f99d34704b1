/**
 * Event-driven propagation scales with spikes × fan-out (SOPs), not with N or with the number of
 * synapses: the propagation kernel alone, timed per synaptic operation
 *   - across N = 4000, 16000, 64000 at fan-out 80 with CUBA's spike count per step (5.6 Hz);
 *   - across fan-out 20, 80, 320 at N = 16000;
 *   - with 9× more synapses on neurons that never spike (same spikes, same SOPs).
 * Rows: ns per SOP for each case, the max/min ratio over all cases (1 = perfectly linear) and the
 * time ratio with/without the silent synapses (1 = silent synapses cost nothing).
 */
import { createRng, type Rng } from "../../src/core/random";
import { fixedProbability, makeConnectivity, type Connectivity } from "../../src/synapses/connectivity";
import { propagate } from "../../src/synapses/propagate";
import { uniformSynapses, type SynapseMatrix } from "../../src/synapses/synapse-matrix";
import type { BenchRow, Workload } from "../workload";
import { log, median } from "./_common";

interface Case {
  readonly metric: string;
  readonly m: SynapseMatrix;
  readonly spikesPerStep: number;
  /** Spikes are drawn among neurons [0, active). */
  readonly active: number;
  readonly note: string;
  readonly runs: number[];
}

/** ns per SOP of one case: propagation of random spike sets until `targetSops` operations. */
function nsPerSop(c: Case, targetSops: number, rng: Rng): number {
  const out = new Float32Array(c.m.nPost);
  const ids = new Int32Array(Math.max(1, c.spikesPerStep));
  let sops = 0;
  let elapsed = 0;
  while (sops < targetSops) {
    for (let s = 0; s < c.spikesPerStep; s++) ids[s] = rng.int(c.active);
    ids.subarray(0, c.spikesPerStep).sort();
    const t0 = performance.now();
    for (let k = 0; k < 100; k++) sops += propagate(c.m, ids, c.spikesPerStep, out);
    elapsed += performance.now() - t0;
  }
  return (elapsed * 1e6) / sops;
}

/** Rows 0…active−1 keep their fan-out; the rows of silent neurons get `silentFanOut` more synapses. */
function withSilentSynapses(c: Connectivity, active: number, silentFanOut: number, rng: Rng): Connectivity {
  const extra = (c.nPre - active) * silentFanOut;
  const rowStart = new Int32Array(c.nPre + 1);
  const post = new Int32Array(c.post.length + extra);
  let e = 0;
  for (let i = 0; i < c.nPre; i++) {
    for (let k = c.rowStart[i]; k < c.rowStart[i + 1]; k++) post[e++] = c.post[k];
    if (i >= active) for (let k = 0; k < silentFanOut; k++) post[e++] = rng.int(c.nPost);
    rowStart[i + 1] = e;
  }
  return makeConnectivity(c.nPre, c.nPost, rowStart, post);
}

export const workload: Workload = {
  name: "linearity",
  description: "propagation cost per synaptic operation across N, fan-out and silent synapses (event-driven ⇒ flat)",
  async run({ quick }): Promise<BenchRow[]> {
    const rng = createRng(5);
    const target = quick ? 1e6 : 5e6;
    const cases: Case[] = [];
    for (const n of [4000, 16000, 64000]) {
      const m = uniformSynapses(fixedProbability(n, n, { p: 80 / n, rng }), { weight: 1.62 });
      const spikes = Math.max(1, Math.round(5.6e-3 * 0.1 * n));
      cases.push({ metric: `ns_per_sop_N${n}`, m, spikesPerStep: spikes, active: n, note: `fan-out 80, ${spikes} spikes/step, ${m.nSynapses} synapses`, runs: [] });
    }
    for (const fan of [20, 320]) {
      const n = 16000;
      const m = uniformSynapses(fixedProbability(n, n, { p: fan / n, rng }), { weight: 1.62 });
      cases.push({ metric: `ns_per_sop_fanout${fan}`, m, spikesPerStep: 9, active: n, note: `N ${n}, 9 spikes/step`, runs: [] });
    }
    const linear = cases.length;
    const n = 16000;
    const active = 1000;
    const base = fixedProbability(n, n, { p: 80 / n, rng });
    const plain = uniformSynapses(base, { weight: 1.62 });
    const padded = uniformSynapses(withSilentSynapses(base, active, 720, rng), { weight: 1.62 });
    cases.push({ metric: "plain", m: plain, spikesPerStep: 9, active, note: "", runs: [] });
    cases.push({ metric: "padded", m: padded, spikesPerStep: 9, active, note: "", runs: [] });
    // Rounds over all cases, so that load from other processes hits every case alike; the first
    // round warms up and is dropped.
    const rounds = quick ? 3 : 7;
    for (let round = 0; round < rounds; round++) {
      for (const c of cases) {
        const ns = nsPerSop(c, target, rng);
        if (round > 0) c.runs.push(ns);
      }
    }
    const rows: BenchRow[] = [];
    const medians = cases.map((c) => median(c.runs));
    for (let k = 0; k < linear; k++) {
      log(`linearity: ${cases[k].metric}: ${medians[k].toFixed(3)} ns/SOP`);
      rows.push({ workload: "linearity", metric: cases[k].metric, value: medians[k], unit: "ns", note: `${cases[k].note}; median of ${rounds - 1}` });
    }
    const lin = medians.slice(0, linear);
    rows.push({
      workload: "linearity", metric: "ns_per_sop_max_over_min", value: Math.max(...lin) / Math.min(...lin), unit: "x",
      note: "over the cases above; 1 = cost exactly proportional to SOPs",
    });
    const ratios = cases[linear + 1].runs.map((b, k) => b / cases[linear].runs[k]);
    rows.push({
      workload: "linearity", metric: "silent_synapses_time_ratio", value: median(ratios), unit: "x",
      note: `same spikes (among ${active} neurons) and SOPs, ${padded.nSynapses} vs ${plain.nSynapses} synapses; 1 = silent synapses are free`,
    });
    return rows;
  },
};
