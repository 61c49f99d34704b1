/**
 * `npm run kernel:install` / `npm run kernel:uninstall`: puts the snnlab kernel into the user's
 * own Jupyter (`jupyter kernelspec install --user`), with absolute paths to this Node and this
 * checkout, for people who start Jupyter themselves. `npm start` does not need it: it finds the
 * committed kernelspec through a project-local JUPYTER_PATH.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HOW_TO_GET_JUPYTER, jupyterDataDir, repoRoot } from "../jupyter";

function jupyterCommand(): string {
  return process.env.SNNLAB_JUPYTER ?? "jupyter";
}

function run(args: string[]): number {
  const r = spawnSync(jupyterCommand(), args, { stdio: "inherit" });
  if (r.error) {
    console.error(HOW_TO_GET_JUPYTER);
    return 1;
  }
  return r.status ?? 1;
}

/** The kernel.json for a user install: absolute paths instead of {resource_dir}. */
export function userKernelJson(): Record<string, unknown> {
  const spec = JSON.parse(fs.readFileSync(path.join(jupyterDataDir, "kernels", "snnlab", "kernel.json"), "utf8"));
  spec.argv = [process.execPath, path.join(repoRoot, "dist", "kernel", "main.js"), "--config-path", "{connection_file}"];
  spec.metadata = { snnlab: `installed by npm run kernel:install from ${repoRoot}` };
  return spec;
}

function install(): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-kernelspec-"));
  try {
    const target = path.join(dir, "snnlab");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "kernel.json"), JSON.stringify(userKernelJson(), null, 2) + "\n");
    return run(["kernelspec", "install", "--user", "--replace", "--name", "snnlab", target]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function uninstall(): number {
  // Without our JUPYTER_PATH, `jupyter kernelspec remove` finds the user-level copy.
  return run(["kernelspec", "remove", "-f", "snnlab"]);
}

const command = process.argv[2];
if (command === "install") process.exit(install());
else if (command === "uninstall") process.exit(uninstall());
else {
  console.error(`kernelspec: command must be "install" or "uninstall", got ${JSON.stringify(command)}`);
  process.exit(2);
}
