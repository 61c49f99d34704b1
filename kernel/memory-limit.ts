/**
 * A hard memory limit for a kernel that runs untrusted code (the grader's): when the environment
 * variable `SNNLAB_KERNEL_MEMORY_MB` is set, a worker thread reads the kernel process's resident
 * set size every 100 ms and, past the limit, writes one line on stderr and kills the process
 * (SIGKILL), which Jupyter reports as a dead kernel.
 *
 * Why a worker: a synchronous loop in a cell keeps the main thread's timers from ever running.
 * Why the resident set and not V8's `--max-old-space-size`: V8's limit covers the JavaScript heap
 * only, not typed arrays or WebAssembly memory, where a network's weights live.
 */
import { Worker } from "node:worker_threads";

/** The environment variable that sets a kernel's memory limit, MB (unset: no limit). */
export const MEMORY_LIMIT_ENV = "SNNLAB_KERNEL_MEMORY_MB";

// Plain CommonJS for `new Worker(…, { eval: true })`. It writes with fs.writeSync: the main
// thread, which would carry a worker's process.stderr, may be stuck in the very loop that grows.
const WATCHDOG = `
const fs = require("node:fs");
const { workerData } = require("node:worker_threads");
setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss <= workerData.limit) return;
  try { fs.writeSync(2, "snnlab kernel: " + Math.round(rss / 2 ** 20) + " MB resident is over the memory limit of " + workerData.limitMb + " MB; stopping\\n"); } catch {}
  process.kill(process.pid, "SIGKILL");
}, workerData.intervalMs);
`;

/** Parses the limit (MB) from `env`; undefined when unset; throws on a value that is not a positive integer. */
export function memoryLimitOf(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env[MEMORY_LIMIT_ENV];
  if (text === undefined || text === "") return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) <= 0) {
    throw new Error(`snnlab kernel: ${MEMORY_LIMIT_ENV} must be a positive whole number of MB, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/**
 * Starts the watchdog for `limitMb` (it does not keep the process alive) and returns its worker.
 * @example
 *   const limit = memoryLimitOf();
 *   if (limit !== undefined) startMemoryWatchdog(limit);
 */
export function startMemoryWatchdog(limitMb: number, intervalMs = 100): Worker {
  if (!(Number.isFinite(limitMb) && limitMb > 0)) throw new Error(`startMemoryWatchdog: limitMb must be a positive number, got ${limitMb}`);
  const worker = new Worker(WATCHDOG, { eval: true, workerData: { limit: limitMb * 2 ** 20, limitMb, intervalMs } });
  worker.unref();
  return worker;
}
