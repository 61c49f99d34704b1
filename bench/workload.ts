/**
 * The shape of a benchmark workload: `npm run bench [-- <name…>]` (bench/run.ts) runs every file
 * in bench/workloads/ that exports `workload`, prints a table and writes bench/results/latest.json.
 */

/** One measured figure: `{workload: "cuba-4000", metric: "seconds_per_simulated_second", value, unit}`. */
export interface BenchRow {
  readonly workload: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** Free-form context: the peer ("brian2-cpp_standalone"), the backend, N, … */
  readonly note?: string;
}

export interface BenchOptions {
  /** A short run (for smoke tests of the harness), not the reported figures. */
  readonly quick: boolean;
  /** Whether to run peer scripts; each workload runs its peer only where its Python packages are installed (python3-brian, python3-torch). */
  readonly peers: boolean;
}

export interface Workload {
  /** Name used on the command line: `npm run bench -- <name>`. */
  readonly name: string;
  /** One line for the table header. */
  readonly description: string;
  run(options: BenchOptions): Promise<BenchRow[]>;
}
