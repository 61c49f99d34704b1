/**
 * `npm start`: after set-up (kernel/bin/setup.mjs), opens JupyterLab — or the classic Notebook
 * when Lab is not installed — on 127.0.0.1 with a token, started from the repository root and
 * showing notebooks/, with the snnlab kernel found through the project-local JUPYTER_PATH.
 *
 *   npm start                     opens a browser when Jupyter can
 *   npm start -- --no-browser     only prints the URL
 *   npm start -- --notebook       the classic Notebook even when Lab is installed
 *   npm start -- --port 8888      a fixed port (default: a free one)
 */
import { HOW_TO_GET_JUPYTER, findJupyter, startServer } from "../jupyter";

async function main(argv: readonly string[]): Promise<void> {
  const portIndex = argv.indexOf("--port");
  const port = portIndex >= 0 ? Number(argv[portIndex + 1]) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`npm start: --port must be an integer in [1, 65535], got ${argv[portIndex + 1]}`);
    process.exit(2);
  }
  const jupyter = findJupyter(argv.includes("--notebook") ? "notebook" : undefined);
  if (!jupyter) {
    console.error(HOW_TO_GET_JUPYTER);
    process.exit(1);
  }
  console.log(`snnlab: starting Jupyter ${jupyter.frontEnd === "lab" ? "Lab" : "Notebook"} ${jupyter.version} ...`);
  const server = await startServer({ jupyter, port, openBrowser: !argv.includes("--no-browser") });
  console.log(`\nsnnlab is running. Open this URL (the kernel is "TypeScript (snnlab)"):\n\n    ${server.url}\n`);
  console.log("Press Ctrl+C to stop.");
  const stop = () => {
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.process.on("exit", (code) => process.exit(code ?? 0));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
