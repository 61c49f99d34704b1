/**
 * The snnlab Jupyter kernel: tslab 1.0.22 (pinned exactly in package.json) started for the
 * notebook's folder, so that `import { … } from "snnlab"` resolves through node_modules/snnlab.
 *
 * Usage (from a kernelspec): node dist/kernel/main.js --config-path {connection_file}
 */
import { startKernel } from "tslab/dist/main";

function main(argv: readonly string[]): void {
  const i = argv.indexOf("--config-path");
  const configPath = i >= 0 ? argv[i + 1] : undefined;
  if (!configPath) {
    console.error("snnlab kernel: --config-path <connection file> is required (Jupyter passes it)");
    process.exit(2);
  }
  // enableFindLocal would look for another tslab above the cwd; ours is the one we tested.
  startKernel({ configPath, enableFindLocal: false, jsKernel: false, globalVersion: "" });
}

main(process.argv.slice(2));
