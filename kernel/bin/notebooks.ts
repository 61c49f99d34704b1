/**
 * `npm run notebooks [-- <names…>] [--quick]`: executes notebooks/*.ipynb (or those whose file
 * name contains one of the names) headless through a real Jupyter server with the snnlab kernel.
 * Full mode writes the executed notebooks back into notebooks/ and updates notebooks/RESULTS.md;
 * quick mode writes them to test-artifacts/notebooks/. Exits 1 if any notebook fails.
 */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../jupyter";
import { updateResults } from "../results-file";
import { runNotebooks } from "../runner";

export function listNotebooks(filters: readonly string[]): string[] {
  const dir = path.join(repoRoot, "notebooks");
  return fs.readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort()
    .map((f) => `notebooks/${f}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const quick = argv.includes("--quick");
  const filters = argv.filter((a) => !a.startsWith("--"));
  const files = listNotebooks(filters);
  if (files.length === 0) {
    console.error(`npm run notebooks: names must match notebooks/NN-*.ipynb, got ${filters.join(" ") || "(none)"}`);
    return 2;
  }
  const runs = await runNotebooks(files, { quick });
  console.log("\nnotebook                                   seconds  status");
  for (const run of runs) console.log(`${run.path.padEnd(42)} ${run.seconds.toFixed(1).padStart(7)}  ${run.ok ? "ok" : "FAILED"}`);
  if (!quick) updateResults(runs);
  return runs.every((r) => r.ok) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    console.error(`npm run notebooks: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
