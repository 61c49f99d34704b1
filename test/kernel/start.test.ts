/**
 * `npm start` against a real Jupyter server: it binds 127.0.0.1, requires its token, lists the
 * snnlab kernel in /api/kernelspecs, and stops cleanly. Without Jupyter it prints one message
 * saying how to get it.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { findJupyter, repoRoot } from "../../kernel/jupyter";

const startJs = path.join(repoRoot, "dist", "kernel", "bin", "start.js");

describe("npm start", () => {
  const jupyter = findJupyter();

  it("npm start opens Jupyter on 127.0.0.1 with a token and the snnlab kernel listed", { skip: jupyter ? false : "Jupyter is not installed", timeout: 180_000 }, async () => {
    // The real command, set-up included (a no-op build once dist/ is fresh).
    const child = spawn(process.platform === "win32" ? "npm.cmd" : "npm", ["start", "--", "--no-browser"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, JUPYTER_RUNTIME_DIR: path.join(repoRoot, ".jupyter", "runtime-test") },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /snnlab is running[\s\S]*?(http:\/\/\S+)/.exec(output);
          if (m) {
            clearInterval(timer);
            resolve(m[1]!);
          }
        }, 100);
        void exited.then((code) => {
          clearInterval(timer);
          reject(new Error(`npm start exited (${code}) before printing a URL:\n${output}`));
        });
      });
      const parsed = new URL(url);
      assert.equal(parsed.hostname, "127.0.0.1", "bound to loopback");
      const token = parsed.searchParams.get("token");
      assert.ok(token && token.length >= 32, "a long random token");
      assert.match(parsed.pathname, jupyter!.frontEnd === "lab" ? /^\/lab\/tree\/notebooks$/ : /^\/tree\/notebooks$/);

      const base = `${parsed.protocol}//${parsed.host}`;
      const anonymous = await fetch(`${base}/api/kernelspecs`);
      assert.equal(anonymous.status, 403, "the API refuses requests without the token");

      const response = await fetch(`${base}/api/kernelspecs`, { headers: { Authorization: `token ${token}` } });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { kernelspecs: Record<string, { spec: { display_name: string; language: string; argv: string[] } }> };
      const spec = body.kernelspecs.snnlab?.spec;
      assert.ok(spec, `snnlab kernel listed among ${Object.keys(body.kernelspecs).join(", ")}`);
      assert.equal(spec.display_name, "TypeScript (snnlab)");
      assert.equal(spec.language, "typescript");

      const notebooks = await fetch(`${base}/api/contents/notebooks`, { headers: { Authorization: `token ${token}` } });
      assert.equal(notebooks.status, 200, "the server's root is the repository, so notebooks/ is there");
    } finally {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 15_000);
      await exited;
      clearTimeout(timer);
    }
  });

  it("npm start without Jupyter stops with one message saying how to get it", () => {
    const r = spawnSync(process.execPath, [startJs, "--no-browser"], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, SNNLAB_JUPYTER: path.join(repoRoot, "no-such-dir", "jupyter") },
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Jupyter was not found/);
    assert.match(r.stderr, /conda env create -f environment\.yml/);
    assert.match(r.stderr, /apt-get install jupyter-notebook/);
    assert.match(r.stderr, /pip install jupyterlab/);
  });

  it("npm start -- --port rejects a bad port with the standard message", () => {
    const r = spawnSync(process.execPath, [startJs, "--port", "99999"], { cwd: repoRoot, encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--port must be an integer in \[1, 65535\], got 99999/);
  });
});
