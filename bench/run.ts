/**
 * `npm run bench [-- <workload…>] [--quick] [--no-peers]`: runs benchmark workloads one at a time,
 * prints a table and writes bench/results/latest.json (an array of BenchRow).
 *
 * Workloads are discovered, not listed: every compiled module in dist/bench/workloads/ (this
 * file's sibling folder) whose name does not start with "_" and that exports `workload: Workload`.
 * A workload is named on the command line by its file name (cuba-4000.js → cuba-4000) or its
 * `workload.name`; with no names every workload runs.
 *
 * Each workload runs in its own Node process (this script with `--child`), so that its timings
 * start from a clean heap and JIT, its peak RSS is its own, and a crash stays contained. Where
 * Debian's python3-brian is installed the workloads also run their Brian2 peer scripts from
 * ../shared/bench (see workloads/_common.ts); `--no-peers` skips them. `--quick` makes every
 * workload short, to smoke-test the harness; its figures are not the reported ones.
 *
 * Rows already in latest.json from workloads not run this time are kept.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BenchRow, Workload } from "./workload";
import { brian2Available, load, repoRoot } from "./workloads/_common";

const ROWS_MARK = "BENCH_ROWS ";

interface Entry {
  readonly file: string;
  readonly base: string;
}

function discover(): Entry[] {
  const dir = path.join(__dirname, "workloads");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith(".js") && !f.startsWith("_"))
    .sort()
    .map((f) => ({ file: path.join(dir, f), base: f.slice(0, -3) }));
}

function loadWorkload(file: string): Workload | null {
  const mod = require(file) as { workload?: Workload };
  const w = mod.workload;
  if (!w || typeof w.run !== "function" || typeof w.name !== "string") return null;
  return w;
}

async function child(file: string, quick: boolean, peers: boolean): Promise<void> {
  const w = loadWorkload(file);
  if (w === null) throw new Error(`${file} does not export a Workload named "workload"`);
  const rows = await w.run({ quick, peers });
  process.stdout.write(`${ROWS_MARK}${JSON.stringify(rows)}\n`);
}

function format(value: number): string {
  if (!Number.isFinite(value)) return "—";
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

function table(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => [r.workload, r.metric, format(r.value), r.unit, (r.note ?? "").slice(0, 110)]);
  const header = ["workload", "metric", "value", "unit", "note"];
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k].length)));
  const line = (c: string[]) => c.map((x, k) => (k === 2 ? x.padStart(widths[k]) : x.padEnd(widths[k]))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const noPeers = args.includes("--no-peers");
  const childAt = args.indexOf("--child");
  if (childAt >= 0) {
    await child(args[childAt + 1], quick, !noPeers);
    return;
  }
  const names = args.filter((a) => !a.startsWith("--"));
  const entries = discover();
  const selected: Entry[] = [];
  for (const name of names) {
    let entry = entries.find((e) => e.base === name);
    if (!entry) {
      // Fall back to the declared names (a file may name its workload differently).
      entry = entries.find((e) => {
        try {
          return loadWorkload(e.file)?.name === name;
        } catch {
          return false;
        }
      });
    }
    if (!entry) {
      console.error(`bench: unknown workload "${name}"; known: ${entries.map((e) => e.base).join(", ")}`);
      process.exit(2);
    }
    selected.push(entry);
  }
  if (names.length === 0) selected.push(...entries);
  // Each workload checks its own peer (Brian2, PyTorch); this only reports a missing Brian2.
  if (!noPeers && !brian2Available()) console.error("bench: python3-brian not found (/usr/bin/python3 -c 'import brian2'): no Brian2 peer rows");
  const all: BenchRow[] = [];
  const ran = new Set<string>();
  for (const entry of selected) {
    console.error(`bench: ${entry.base} (load ${load()}) ...`);
    const t0 = performance.now();
    const result = spawnSync(process.execPath, [__filename, "--child", entry.file, ...(quick ? ["--quick"] : []), ...(noPeers ? ["--no-peers"] : [])], {
      stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, SNNLAB_ROOT: repoRoot() },
    });
    const marked = (result.stdout ?? "").split("\n").find((l) => l.startsWith(ROWS_MARK));
    if (result.status !== 0 || marked === undefined) {
      all.push({ workload: entry.base, metric: "failed", value: NaN, unit: "", note: `exit ${result.status}${result.error ? `: ${result.error.message}` : ""}` });
    } else {
      const rows = JSON.parse(marked.slice(ROWS_MARK.length)) as BenchRow[];
      for (const r of rows) all.push({ ...r, value: r.value === null ? NaN : r.value });
    }
    ran.add(entry.base);
    console.error(`bench: ${entry.base} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(table(all));
  const out = path.join(repoRoot(), "bench", "results", "latest.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  let previous: BenchRow[] = [];
  try {
    previous = JSON.parse(fs.readFileSync(out, "utf8")) as BenchRow[];
  } catch {
    previous = [];
  }
  const kept = previous.filter((r) => ![...ran].some((base) => r.workload === base || r.workload.startsWith(`${base}-`)));
  fs.writeFileSync(out, JSON.stringify([...kept, ...all], null, 2) + "\n");
  console.error(`bench: wrote ${path.relative(process.cwd(), out) || out}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
