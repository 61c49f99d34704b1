/**
 * The whole lab as a measured table (issue 22, item 5): for every series notebook, its full mode's
 * wall time from the runner's record (notebooks/results.json, written by the last full-mode run,
 * with its date) and its quick mode's wall time measured now, each notebook run on its own by the
 * runner (`node dist/kernel/bin/notebooks.js NN --quick`), one at a time. The 15-minute rule is the
 * `full_within_15_min` row (1 met, 0 missed). `--quick` times the quick mode of the first three
 * notebooks only (a smoke test of the workload).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BenchRow, Workload } from "../workload";
import { log, repoRoot } from "./_common";

interface Recorded {
  readonly notebook: string;
  readonly date: string;
  readonly seconds: number;
}

export const workload: Workload = {
  name: "notebooks",
  description: "every notebook: full-mode wall time (the runner's record) and quick-mode wall time (measured), s",
  async run({ quick }): Promise<BenchRow[]> {
    const root = repoRoot();
    const dir = path.join(root, "notebooks");
    const files = fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
    const recordFile = path.join(dir, "results.json");
    const recorded: Recorded[] = fs.existsSync(recordFile) ? JSON.parse(fs.readFileSync(recordFile, "utf8")) : [];
    const runner = path.join(root, "dist", "kernel", "bin", "notebooks.js");
    const rows: BenchRow[] = [];
    let within = 0;
    for (const [k, file] of files.entries()) {
      const nb = file.slice(0, 2);
      const full = recorded.find((r) => r.notebook === file);
      if (full) {
        rows.push({ workload: "notebooks", metric: `${nb}_full_seconds`, value: full.seconds, unit: "s", note: `runner's record of ${full.date}` });
        if (full.seconds <= 900) within++;
      } else rows.push({ workload: "notebooks", metric: `${nb}_full_seconds`, value: Number.NaN, unit: "s", note: "no full-mode record" });
      if (quick && k >= 3) continue;
      log(`notebooks: ${file} in quick mode`);
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [runner, path.join(dir, file), "--quick"], { cwd: root, encoding: "utf8", timeout: 900_000 });
      const seconds = (performance.now() - t0) / 1000;
      rows.push({
        workload: "notebooks", metric: `${nb}_quick_seconds`, value: r.status === 0 ? seconds : Number.NaN, unit: "s",
        note: r.status === 0 ? "runner --quick, wall clock (server start included)" : `failed (exit ${r.status}): ${(r.stdout + r.stderr).trim().split("\n").slice(-1)[0] ?? ""}`,
      });
    }
    rows.push({ workload: "notebooks", metric: "full_within_15_min", value: within, unit: "notebooks", note: `of ${files.length}; from the runner's records` });
    return rows;
  },
};
