/**
 * The TensorFlow.js backend for the training layer, chosen once and reported.
 *
 * Order: `tensorflow` — first @tensorflow/tfjs-node-gpu (libtensorflow with CUDA; not a dependency:
 * install it on a machine with an NVIDIA GPU), then @tensorflow/tfjs-node (native libtensorflow; an
 * optional dependency that installs only where its download works); both register the backend
 * "tensorflow", and `BackendInfo.module` says which one it is — then `wasm` (@tensorflow/tfjs-backend-wasm with
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
  /** The package behind the "tensorflow" backend: "@tensorflow/tfjs-node-gpu" (CUDA) or "@tensorflow/tfjs-node". */
  readonly module?: TensorflowModule;
}

/** The packages that provide the "tensorflow" backend, in the order tried: the GPU build first. */
export const tensorflowModules = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;
export type TensorflowModule = (typeof tensorflowModules)[number];

/** `initBackend`'s options. */
export interface InitBackendOptions {
  /** The backend to start (default: the best available, or $SNNLAB_TF_BACKEND). */
  readonly backend?: BackendName;
  /**
   * Loads a backend package by name (default `require`). Tests inject it to stand in for
   * @tensorflow/tfjs-node-gpu, which installs only where CUDA is.
   */
  readonly load?: (id: string) => unknown;
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split("\n")[0]! : String(err);
}

/** Starts backend `name` (its package loaded by `load`); undefined when it runs, else why not. */
async function startBackend(name: BackendName, load: (id: string) => unknown, module?: TensorflowModule): Promise<string | undefined> {
  try {
    if (module) {
      // Registers the "tensorflow" backend with the shared tfjs-core.
      load(module);
    } else if (name === "wasm") {
      const wasm = load("@tensorflow/tfjs-backend-wasm") as { setWasmPaths(prefix: string): void };
      const dist = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
      wasm.setWasmPaths(dist);
    }
    const tf = tfjs();
    const ok = await tf.setBackend(name);
    if (!ok) return `${name}: ${module ? `${module}: ` : ""}tf.setBackend returned false`;
    await tf.ready();
    return undefined;
  } catch (err) {
    return `${name}: ${module ? `${module}: ` : ""}${firstLine(err)}`;
  }
}

/**
 * Tries a backend; "tensorflow" tries its packages in order (the GPU build first). Returns whether
 * it started, the package that started it, and why each package tried before did not.
 */
async function tryBackend(name: BackendName, load: (id: string) => unknown): Promise<{ started: boolean; module?: TensorflowModule; skipped: string[] }> {
  const skipped: string[] = [];
  for (const module of name === "tensorflow" ? tensorflowModules : [undefined]) {
    const why = await startBackend(name, load, module);
    if (why === undefined) return { started: true, module, skipped };
    skipped.push(why);
  }
  return { started: false, skipped };
}

/**
 * Initialises the backend (once; later calls return the same record unless `backend` asks for a
 * different one).
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
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
    const load = options.load ?? ((id: string) => require(id) as unknown);
    for (const name of order) {
      const tried = await tryBackend(name, load);
      skipped.push(...tried.skipped);
      if (tried.started) {
        current = Object.freeze({
          name,
          reason: options.backend !== undefined ? "requested" : fromEnv ? "environment" : "best available",
          skipped: Object.freeze(skipped),
          version: tfjs().version.tfjs,
          ...(tried.module ? { module: tried.module } : {}),
          ...(name === "wasm" ? { wasmSimd: tfjs().env().getBool("WASM_HAS_SIMD_SUPPORT"), wasmThreads: tfjs().env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") } : {}),
        });
        return current;
      }
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
