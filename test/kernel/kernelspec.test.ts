/**
 * `npm run kernel:install` / `kernel:uninstall`: the kernel goes into the user's own Jupyter data
 * directory with absolute paths, and comes out again. JUPYTER_DATA_DIR points at a temporary
 * folder, so the test never touches the real user's Jupyter.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { findJupyter, repoRoot } from "../../kernel/jupyter";

const script = path.join(repoRoot, "dist", "kernel", "bin", "kernelspec.js");

describe("kernelspec install", { skip: findJupyter("notebook") ? false : "Jupyter is not installed" }, () => {
  it("kernelspec install puts an absolute-path kernel in the user's data dir; uninstall removes it", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-kernelspec-test-"));
    const env = { ...process.env, JUPYTER_DATA_DIR: dataDir, JUPYTER_PATH: "" };
    try {
      const install = spawnSync(process.execPath, [script, "install"], { env, encoding: "utf8" });
      assert.equal(install.status, 0, install.stderr);
      const spec = JSON.parse(fs.readFileSync(path.join(dataDir, "kernels", "snnlab", "kernel.json"), "utf8"));
      assert.equal(spec.argv[0], process.execPath);
      assert.equal(spec.argv[1], path.join(repoRoot, "dist", "kernel", "main.js"));
      assert.equal(spec.display_name, "TypeScript (snnlab)");
      const listed = spawnSync("/usr/bin/python3", ["-c", "from jupyter_client.kernelspec import KernelSpecManager as K; print(sorted(K().find_kernel_specs()))"], { env, encoding: "utf8" });
      if (listed.status === 0) assert.match(listed.stdout, /'snnlab'/, "Jupyter finds it");
      const uninstall = spawnSync(process.execPath, [script, "uninstall"], { env, encoding: "utf8" });
      assert.equal(uninstall.status, 0, uninstall.stderr);
      assert.equal(fs.existsSync(path.join(dataDir, "kernels", "snnlab")), false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("kernelspec with an unknown command fails with the standard message", () => {
    const r = spawnSync(process.execPath, [script, "reinstall"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /kernelspec: command must be "install" or "uninstall", got "reinstall"/);
  });
});
