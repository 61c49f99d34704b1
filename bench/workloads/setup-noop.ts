/**
 * The set-up that `npm start`, `npm test` and `npm run notebooks` run first
 * (kernel/bin/setup.mjs), when nothing changed since the last build: it must skip tsc and
 * finish in under 1 s (tsc -p alone takes 10-20 s even when incremental has nothing to emit).
 * Measured as a user sees it: a fresh `node setup.mjs --quiet` process, wall time.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { BenchRow, Workload } from "../workload";
import { repoRoot } from "./_common";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function runSetup(root: string): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, "kernel", "bin", "setup.mjs"), "--quiet"], { cwd: root, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (result.status !== 0) throw new Error(`setup-noop: kernel/bin/setup.mjs must succeed, got exit code ${result.status}\n${result.stderr}`);
  return ms;
}

export const workload: Workload = {
  name: "setup-noop",
  description: "kernel/bin/setup.mjs when nothing changed (target < 1000 ms)",
  async run({ quick }): Promise<BenchRow[]> {
    const root = repoRoot();
    runSetup(root); // builds if dist/ is stale, so that the runs below are the no-op
    const times: number[] = [];
    for (let i = 0; i < (quick ? 3 : 10); i++) times.push(runSetup(root));
    return [
      { workload: "setup-noop", metric: "noop_setup_ms", value: median(times), unit: "ms", note: `median of ${times.length}; target < 1000 ms` },
      { workload: "setup-noop", metric: "noop_setup_max_ms", value: Math.max(...times), unit: "ms" },
    ];
  },
};
