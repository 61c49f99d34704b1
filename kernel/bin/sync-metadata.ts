/**
 * `node dist/kernel/bin/sync-metadata.js <notebook.ipynb…>`: rewrites only `metadata.kernelspec`
 * and `metadata.language_info` of the given notebooks from a live snnlab kernel, as JupyterLab
 * would write them on opening (it marks a notebook changed when they differ), without executing
 * anything. Every other byte stays as it was: a notebook that the runner's serialisation would
 * not reproduce byte for byte is refused. Exits 1 if any notebook is refused.
 */
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../src/io/atomic-write";
import { findJupyter, HOW_TO_GET_JUPYTER, startServer } from "../jupyter";
import { type KernelMetadata, liveKernelMetadata, readNotebook, serializeNotebook, withKernelMetadata } from "../runner";

/** The new text of `file` with `metadata`'s kernel fields; throws if anything else would change. */
export function syncedText(file: string, metadata: KernelMetadata): string {
  const text = fs.readFileSync(file, "utf8");
  const nb = readNotebook(file);
  if (serializeNotebook(nb) !== text) {
    throw new Error(`sync-metadata: ${file} must be written in the runner's format (re-serialising it would change more than its metadata), got another layout`);
  }
  return serializeNotebook(withKernelMetadata(nb, metadata));
}

async function main(files: readonly string[]): Promise<number> {
  if (files.length === 0) {
    console.error("usage: node dist/kernel/bin/sync-metadata.js <notebook.ipynb…>");
    return 2;
  }
  const jupyter = findJupyter("notebook");
  if (!jupyter) {
    console.error(HOW_TO_GET_JUPYTER);
    return 1;
  }
  const server = await startServer({ jupyter, stdio: "ignore" });
  let metadata: KernelMetadata;
  try {
    metadata = await liveKernelMetadata(server);
  } finally {
    await server.stop();
  }
  let status = 0;
  for (const file of files) {
    try {
      const before = fs.readFileSync(file, "utf8");
      const after = syncedText(file, metadata);
      if (after === before) {
        console.log(`unchanged ${file}`);
        continue;
      }
      writeFileAtomic(file, after);
      console.log(`updated   ${file}`);
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      status = 1;
    }
  }
  return status;
}

if (require.main === module) {
  main(process.argv.slice(2).map((f) => path.resolve(process.env.INIT_CWD ?? process.cwd(), f))).then((code) => process.exit(code), (err: unknown) => {
    console.error(`sync-metadata: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
