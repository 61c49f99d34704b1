/**
 * Kernel cold start and a trivial cell's round trip, through a real Jupyter server and
 * @jupyterlab/services exactly as a front end sees them. Targets: start ≤ 3 s after the first,
 * a trivial cell ≤ 100 ms.
 */
import { findJupyter, startServer } from "../../kernel/jupyter";
import { connectServices } from "../../kernel/runner";
import type { BenchRow, Workload } from "../workload";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const workload: Workload = {
  name: "kernel",
  description: "snnlab kernel: cold start and trivial-cell round trip (real Jupyter server)",
  async run({ quick }): Promise<BenchRow[]> {
    const jupyter = findJupyter("notebook");
    if (!jupyter) return [];
    const server = await startServer({ jupyter, stdio: "ignore" });
    const { kernelManager, sessionManager } = connectServices(server);
    const log = console.log;
    console.log = () => undefined; // @jupyterlab/services logs every websocket (re)connection
    const starts: number[] = [];
    const cells: number[] = [];
    const imports: number[] = [];
    try {
      const rounds = quick ? 2 : 4;
      for (let round = 0; round < rounds; round++) {
        const t0 = performance.now();
        const session = await sessionManager.startNew({ path: `notebooks/bench-${round}.ipynb`, type: "notebook", name: "bench", kernel: { name: "snnlab" } });
        const kernel = session.kernel!;
        await kernel.info;
        await kernel.requestExecute({ code: "0" }).done; // first cell: the compiler is warm
        starts.push((performance.now() - t0) / 1000);
        const t1 = performance.now();
        await kernel.requestExecute({ code: 'import { createRng } from "snnlab";' }).done;
        imports.push((performance.now() - t1) / 1000);
        for (let i = 0; i < (quick ? 5 : 20); i++) {
          const t = performance.now();
          await kernel.requestExecute({ code: `${i} + 1` }).done;
          cells.push(performance.now() - t);
        }
        await session.shutdown();
        session.dispose();
      }
    } finally {
      console.log = log;
      sessionManager.dispose();
      kernelManager.dispose();
      await server.stop();
    }
    const later = starts.slice(1);
    return [
      { workload: "kernel", metric: "first_start_seconds", value: starts[0]!, unit: "s", note: "start → first cell done" },
      { workload: "kernel", metric: "start_seconds_after_first", value: median(later), unit: "s", note: `median of ${later.length}; target ≤ 3 s` },
      { workload: "kernel", metric: "import_snnlab_seconds", value: median(imports), unit: "s" },
      { workload: "kernel", metric: "trivial_cell_ms", value: median(cells), unit: "ms", note: `median of ${cells.length}; target ≤ 100 ms` },
    ];
  },
};
