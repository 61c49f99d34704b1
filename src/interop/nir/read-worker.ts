/**
 * The worker thread in which `readNir` parses files (see `readInWorker` in read.ts): for each
 * message `{file, edgeNames}` it posts back `{graph}` or `{error}` (the fields of the
 * SnnlabError; a class does not cross threads). Internal to interop/nir.
 */
import { parentPort } from "node:worker_threads";
import { SnnlabError } from "../../core/validate";
import { readNirHere, type WorkerError } from "./read";

parentPort!.on("message", ({ file, edgeNames }: { file: string; edgeNames: "strict" | "match-unused" }) => {
  readNirHere(file, edgeNames).then(
    (graph) => parentPort!.postMessage({ graph }),
    (error: unknown) => {
      const posted: WorkerError = error instanceof SnnlabError
        ? { fn: error.fn, param: error.param, message: error.message }
        : { fn: "readNir", param: "file", message: `readNir: file must be a readable HDF5 file (${error instanceof Error ? error.message : String(error)}), got ${JSON.stringify(file)}` };
      parentPort!.postMessage({ error: posted });
    },
  );
});
