/**
 * Runs the standard kernel conformance suite (python3-jupyter-kernel-test) against the snnlab
 * kernel, through Debian's Python, with the project-local kernelspec on JUPYTER_PATH.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { jupyterEnv, repoRoot } from "../../kernel/jupyter";

const python = "/usr/bin/python3";

function hasKernelTest(): boolean {
  const r = spawnSync(python, ["-c", "import jupyter_kernel_test"], { encoding: "utf8" });
  return r.status === 0;
}

describe("kernel conformance", () => {
  it("jupyter_kernel_test passes for the snnlab kernel", { skip: hasKernelTest() ? false : "python3-jupyter-kernel-test is not installed", timeout: 300_000 }, () => {
    const r = spawnSync(python, ["-m", "unittest", "-v", "conformance_test"], {
      cwd: path.join(repoRoot, "notebooks"),
      encoding: "utf8",
      env: { ...jupyterEnv(), PYTHONPATH: path.join(repoRoot, "test", "kernel") },
      timeout: 280_000,
    });
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, output);
    assert.match(output, /\nOK/);
    assert.doesNotMatch(output, /skipped=\d*[1-9].*test_(execute_result|error|display_data)/);
  });
});
