/**
 * Helpers shared by the workloads (files whose name starts with "_" are not workloads): the
 * repository root, timing, and the Brian2 peer scripts of ../shared/bench.
 *
 * Peers: where Debian's python3-brian is installed (`/usr/bin/python3 -c "import brian2"`), a
 * workload runs the same model in Brian2's C++ standalone mode on one thread, in the same process
 * tree, and adds the peer's figure and our/peer ratio. The scripts print
 * `RESULT name=… metric=wall_per_sim_s value=… unit=s/s …`: the simulation loop's wall time per
 * simulated second, compile time excluded (the standalone project is compiled by the first run and
 * reused from its directory under /tmp/brian_bench_cache). Ours is measured the same way: the
 * simulation loop only, after a warm-up, median of repeats, interleaved with the peer's repeats
 * so that load from other processes hits both alike.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchRow } from "../workload";

/** The repository root: $SNNLAB_ROOT, else the first ancestor of this file with snnlab's package.json. */
export function repoRoot(): string {
  if (process.env.SNNLAB_ROOT) return path.resolve(process.env.SNNLAB_ROOT);
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, "utf8")).name === "snnlab") return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("bench: cannot find the snnlab repository root (set SNNLAB_ROOT)");
    dir = parent;
  }
}

/** ../shared/bench relative to the repository root, where the Brian2 scripts live. */
export function peerDir(): string {
  return path.resolve(repoRoot(), "..", "shared", "bench");
}

const PYTHON = "/usr/bin/python3";

let available: boolean | undefined;

/** Whether Debian's python3-brian can be imported (checked once per process). */
export function brian2Available(): boolean {
  if (available === undefined) {
    const r = spawnSync(PYTHON, ["-c", "import brian2"], { stdio: "ignore", timeout: 60_000 });
    available = r.status === 0 && fs.existsSync(path.join(peerDir(), "common.py"));
  }
  return available;
}

/** One parsed RESULT line. */
export type PeerResult = Readonly<Record<string, string>>;

/** Runs one peer script once; returns its RESULT lines, or an error message. */
export function runPeer(script: string, args: readonly string[], timeoutSeconds = 600): PeerResult[] | string {
  const file = path.join(peerDir(), script);
  const r = spawnSync(PYTHON, [file, ...args], {
    cwd: peerDir(), encoding: "utf8", timeout: timeoutSeconds * 1000, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PYTHONWARNINGS: "ignore" },
  });
  if (r.error) return `${script}: ${r.error.message}`;
  if (r.status !== 0) return `${script} exited with ${r.status}: ${(r.stderr || "").trim().split("\n").slice(-3).join(" | ")}`;
  const results: PeerResult[] = [];
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("RESULT ")) continue;
    const fields: Record<string, string> = {};
    for (const token of line.slice(7).trim().split(/\s+/)) {
      const eq = token.indexOf("=");
      if (eq > 0) fields[token.slice(0, eq)] = token.slice(eq + 1);
    }
    results.push(Object.freeze(fields));
  }
  if (results.length === 0) return `${script} printed no RESULT line`;
  return results;
}

/** The value of `metric` among a run's RESULT lines (the last such line), or NaN. */
export function peerValue(results: readonly PeerResult[], metric: string): number {
  for (let k = results.length - 1; k >= 0; k--) if (results[k].metric === metric) return Number(results[k].value);
  return NaN;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

/** Seconds since `t0` (a `performance.now()` reading). */
export function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** The 1-minute load average (2 cores: above ~1.5 another process competes). */
export function load(): string {
  return os.loadavg()[0].toFixed(2);
}

/** Logs progress to stderr (stdout carries the rows). */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Options of `compareWithPeer`. */
export interface PeerComparison {
  readonly workload: string;
  /** Repeats of each side (interleaved); the first of ours is preceded by `warmUp`. */
  readonly repeats: number;
  /** Runs our side once and returns wall seconds per simulated second. */
  readonly ours: () => number;
  /** Whether to run the peer. */
  readonly peers: boolean;
  /** The peer script and its arguments. */
  readonly script: string;
  readonly args: readonly string[];
  /** Note for our row. */
  readonly note: string;
}

/**
 * Runs our side and the peer alternately `repeats` times and returns the rows: ours
 * (seconds_per_simulated_second, median), Brian2's, and the ratio ours/Brian2 (≤ 1: we are
 * at least as fast).
 */
export function compareWithPeer(c: PeerComparison): { rows: BenchRow[]; peerResults: PeerResult[] | null } {
  const oursRuns: number[] = [];
  const peerRuns: number[] = [];
  let peerResults: PeerResult[] | null = null;
  let peerError: string | null = null;
  const loads: string[] = [load()];
  for (let r = 0; r < c.repeats; r++) {
    oursRuns.push(c.ours());
    log(`${c.workload}: ours ${oursRuns[r].toFixed(4)} s/s (load ${load()})`);
    if (c.peers && brian2Available() && peerError === null) {
      const result = runPeer(c.script, c.args);
      if (typeof result === "string") {
        peerError = result;
        log(`${c.workload}: peer failed: ${result}`);
      } else {
        peerResults = result;
        peerRuns.push(peerValue(result, "wall_per_sim_s"));
        log(`${c.workload}: brian2 ${peerRuns[peerRuns.length - 1].toFixed(4)} s/s (load ${load()})`);
      }
    }
    loads.push(load());
  }
  const ours = median(oursRuns);
  const rows: BenchRow[] = [{
    workload: c.workload, metric: "seconds_per_simulated_second", value: ours, unit: "s/s",
    note: `snnlab, ${c.note}; median of ${oursRuns.length} [${oursRuns.map((x) => x.toFixed(4)).join(", ")}]; load ${loads.join("→")}`,
  }];
  if (peerRuns.length > 0) {
    const peer = median(peerRuns);
    rows.push(
      {
        workload: c.workload, metric: "seconds_per_simulated_second", value: peer, unit: "s/s",
        note: `brian2 ${peerResults?.[0]?.target ?? "cpp_standalone"}, 1 thread; median of ${peerRuns.length} [${peerRuns.map((x) => x.toFixed(4)).join(", ")}]`,
      },
      { workload: c.workload, metric: "ratio_to_brian2", value: ours / peer, unit: "x", note: "ours / brian2 cpp_standalone (≤ 1: as fast or faster)" },
    );
  } else if (c.peers && peerError !== null) {
    rows.push({ workload: c.workload, metric: "brian2_failed", value: NaN, unit: "", note: peerError });
  }
  return { rows, peerResults };
}
