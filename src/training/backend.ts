/**
 * The TensorFlow.js backend for the training layer, chosen once and reported.
 *
 * Order: `tensorflow` (@tensorflow/tfjs-node, native libtensorflow; an optional dependency that
 * installs only where its download works), then `wasm` (@tensorflow/tfjs-backend-wasm with
 * SIMD/XNNPACK, its .wasm files loaded from node_modules — offline), then `cpu` (plain JS).
 * Override with `initBackend({backend})` or the environment variable `SNNLAB_TF_BACKEND`
 * (tensorflow | wasm | cpu). A requested backend that cannot start is an error, not a silent
 * fallback.
 *
 * @example
 *   const info = await initBackend();
 *   info.name;        // "wasm" on a machine without tfjs-node
 *   backend();        // the same record, once initialised
 */
import path from "node:path";
import type * as Tf from "@tensorflow/tfjs";
import { fail, oneOf } from "../core/validate";

/** tfjs, loaded on first use so that `import … from "snnlab"` stays fast for simulation-only work. */
function tfjs(): typeof Tf {
  return require("@tensorflow/tfjs") as typeof Tf;
}

export const backendNames = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof backendNames)[number];

export interface BackendInfo {
  /** The active tfjs backend. */
  readonly name: BackendName;
  /** Why it was chosen: "requested", "environment" or "best available". */
  readonly reason: "requested" | "environment" | "best available";
  /** Backends tried before it, with why each was skipped. */
  readonly skipped: readonly string[];
  /** tfjs version. */
  readonly version: string;
  /** SIMD / multithreading of the wasm backend, when it is the one. */
  readonly wasmSimd?: boolean;
  readonly wasmThreads?: boolean;
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

async function tryBackend(name: BackendName): Promise<string | undefined> {
  try {
    if (name === "tensorflow") {
      // Registers the "tensorflow" backend with the shared tfjs-core.
      require("@tensorflow/tfjs-node");
    } else if (name === "wasm") {
      const wasm = require("@tensorflow/tfjs-backend-wasm") as { setWasmPaths(prefix: string): void };
      const dist = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
      wasm.setWasmPaths(dist);
    }
    const tf = tfjs();
    const ok = await tf.setBackend(name);
    if (!ok) return `${name}: tf.setBackend returned false`;
    await tf.ready();
    return undefined;
  } catch (err) {
    return `${name}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
  }
}

/**
 * Initialises the backend (once; later calls return the same record unless `backend` asks for a
 * different one).
 */
export async function initBackend(options: { backend?: BackendName } = {}): Promise<BackendInfo> {
  const fromEnv = process.env.SNNLAB_TF_BACKEND;
  const requested = options.backend !== undefined
    ? oneOf("initBackend", "backend", options.backend, backendNames)
    : fromEnv
      ? oneOf("initBackend", "SNNLAB_TF_BACKEND", fromEnv, backendNames)
      : undefined;
  if (current && (requested === undefined || requested === current.name)) return current;
  if (pending && requested === undefined) return pending;
  pending = (async () => {
    const skipped: string[] = [];
    const order: readonly BackendName[] = requested ? [requested] : backendNames;
    for (const name of order) {
      const why = await tryBackend(name);
      if (why === undefined) {
        current = Object.freeze({
          name,
          reason: options.backend !== undefined ? "requested" : fromEnv ? "environment" : "best available",
          skipped: Object.freeze(skipped),
          version: tfjs().version.tfjs,
          ...(name === "wasm" ? { wasmSimd: tfjs().env().getBool("WASM_HAS_SIMD_SUPPORT"), wasmThreads: tfjs().env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") } : {}),
        });
        return current;
      }
      skipped.push(why);
    }
    return fail("initBackend", "backend", `be one that starts here (${skipped.join("; ")})`, requested ?? "auto");
  })();
  try {
    return await pending;
  } finally {
    pending = undefined;
  }
}

/** The active backend's record; `initBackend()` must have run. */
export function backend(): BackendInfo {
  if (!current) fail("backend", "initBackend()", "have been awaited first", undefined);
  return current;
}
