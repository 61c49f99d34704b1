/**
 * `npm run kernel:install` / `npm run kernel:uninstall`: puts the snnlab kernel into the user's
 * own Jupyter data directory (`jupyter --data-dir`/kernels/snnlab, what
 * `jupyter kernelspec install --user` does), with absolute paths to this Node and this checkout,
 * for people who start Jupyter themselves. `npm start` does not need it: it finds the
 * committed kernelspec through a project-local JUPYTER_PATH.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { HOW_TO_GET_JUPYTER, jupyterDataDir, repoRoot } from "../jupyter";

/** The user's Jupyter data directory, as Jupyter itself reports it (`jupyter --data-dir`). */
function userDataDir(): string | undefined {
  const r = spawnSync(process.env.SNNLAB_JUPYTER ?? "jupyter", ["--data-dir"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

/** The kernel.json for a user install: absolute paths instead of {resource_dir}. */
export function userKernelJson(): Record<string, unknown> {
  const spec = JSON.parse(fs.readFileSync(path.join(jupyterDataDir, "kernels", "snnlab", "kernel.json"), "utf8"));
  spec.argv = [process.execPath, path.join(repoRoot, "dist", "kernel", "main.js"), "--config-path", "{connection_file}"];
  spec.metadata = { snnlab: `installed by npm run kernel:install from ${repoRoot}` };
  return spec;
}

function install(): number {
  const dataDir = userDataDir();
  if (!dataDir) {
    console.error(HOW_TO_GET_JUPYTER);
    return 1;
  }
  const target = path.join(dataDir, "kernels", "snnlab");
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, "kernel.json"), JSON.stringify(userKernelJson(), null, 2) + "\n");
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(tmp, target);
  console.log(`snnlab kernel installed in ${target}`);
  return 0;
}

function uninstall(): number {
  const dataDir = userDataDir();
  if (!dataDir) {
    console.error(HOW_TO_GET_JUPYTER);
    return 1;
  }
  const target = path.join(dataDir, "kernels", "snnlab");
  if (!fs.existsSync(target)) {
    console.log(`no snnlab kernel in ${path.dirname(target)}`);
    return 0;
  }
  fs.rmSync(target, { recursive: true, force: true });
  console.log(`snnlab kernel removed from ${target}`);
  return 0;
}

const command = process.argv[2];
if (command === "install") process.exit(install());
else if (command === "uninstall") process.exit(uninstall());
else {
  console.error(`kernelspec: command must be "install" or "uninstall", got ${JSON.stringify(command)}`);
  process.exit(2);
}
