/**
 * The snnlab Jupyter kernel: tslab 1.0.22's compiler and executor with our protocol handling
 * (kernel/handler.ts, kernel/tslab-internals.ts), started in the notebook's folder so that
 * `import { … } from "snnlab"` resolves through node_modules/snnlab.
 *
 * Usage (from a kernelspec): node dist/kernel/main.js --config-path {connection_file}
 * With SNNLAB_KERNEL_MEMORY_MB set, the kernel stops itself past that resident size (kernel/memory-limit.ts).
 */
import { SnnlabKernelHandler } from "./handler";
import { requestInterrupt } from "./interrupt";
import { memoryLimitOf, startMemoryWatchdog } from "./memory-limit";
import { SnnlabZmqServer } from "./tslab-internals";

function main(argv: readonly string[]): void {
  const i = argv.indexOf("--config-path");
  const configPath = i >= 0 ? argv[i + 1] : undefined;
  if (!configPath) {
    console.error("snnlab kernel: --config-path <connection file> is required (Jupyter passes it)");
    process.exit(2);
  }
  let memoryLimit: number | undefined;
  try {
    memoryLimit = memoryLimitOf();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  if (memoryLimit !== undefined) startMemoryWatchdog(memoryLimit);
  const handler = new SnnlabKernelHandler(process.cwd());
  const server = new SnnlabZmqServer(handler, configPath) as unknown as { init(): Promise<void> };
  process.on("SIGINT", () => {
    requestInterrupt();
    handler.interrupt();
  });
  process.on("uncaughtException", (err) => {
    console.error("Uncaught exception:", err);
  });
  process.on("unhandledRejection", (reason) => {
    console.error("Unhandled promise rejection:", reason);
  });
  server.init().catch((err: unknown) => {
    console.error("snnlab kernel: could not start:", err);
    process.exit(1);
  });
}

main(process.argv.slice(2));
