/**
 * kernel/bin/setup.mjs skips tsc when nothing it compiles has changed, and rebuilds when a
 * source changes, is added or removed, or dist/ is deleted. Run with `--root` on a two-file
 * project in a temporary folder (its node_modules holds the install stamp and a link to our
 * TypeScript), so each build takes a second, not the whole repository's.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "../../kernel/jupyter";

const setupScript = path.join(repoRoot, "kernel", "bin", "setup.mjs");

/** Runs the set-up on `root`; returns whether it ran tsc (from its log). */
function setup(root: string): boolean {
  const result = spawnSync(process.execPath, [setupScript, "--root", root], { encoding: "utf8" });
  assert.equal(result.status, 0, `setup failed:\n${result.stdout}${result.stderr}`);
  const built = result.stderr.includes("building (tsc)");
  assert.equal(built || result.stderr.includes("build is up to date"), true, `unexpected log:\n${result.stderr}`);
  return built;
}

describe("kernel/bin/setup.mjs", () => {
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-setup-"));
    const manifest = JSON.stringify({ name: "setup-test", private: true });
    fs.writeFileSync(path.join(root, "package.json"), manifest);
    fs.writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "commonjs", rootDir: ".", outDir: "dist", types: [], skipLibCheck: true },
      include: ["src"],
    }));
    fs.mkdirSync(path.join(root, "src"));
    fs.writeFileSync(path.join(root, "src", "a.ts"), "export const a: number = 1;\n");
    // What an installed project has: the install stamp (package.json, no lockfile), tslab, tsc.
    const modules = path.join(root, "node_modules");
    fs.mkdirSync(path.join(modules, "tslab"), { recursive: true });
    fs.writeFileSync(path.join(modules, ".snnlab-install-stamp"), createHash("sha256").update(manifest).update("").digest("hex") + "\n");
    fs.symlinkSync(path.join(repoRoot, "node_modules", "typescript"), path.join(modules, "typescript"), "junction");
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("setup.mjs --root builds once, then skips tsc while nothing changed", { timeout: 120_000 }, () => {
    assert.equal(setup(root), true);
    assert.match(fs.readFileSync(path.join(root, "dist", "src", "a.js"), "utf8"), /exports\.a = 1/);
    assert.equal(setup(root), false);
    assert.equal(setup(root), false);
  });

  it("setup.mjs --root rebuilds after a source changes, is added or is removed", { timeout: 120_000 }, () => {
    setup(root);
    fs.writeFileSync(path.join(root, "src", "a.ts"), "export const a: number = 2;\n");
    assert.equal(setup(root), true);
    assert.match(fs.readFileSync(path.join(root, "dist", "src", "a.js"), "utf8"), /exports\.a = 2/);
    fs.writeFileSync(path.join(root, "src", "b.ts"), "export const b = 'b';\n");
    assert.equal(setup(root), true);
    assert.equal(fs.existsSync(path.join(root, "dist", "src", "b.js")), true);
    assert.equal(setup(root), false);
    fs.rmSync(path.join(root, "src", "b.ts"));
    assert.equal(setup(root), true);
  });

  it("setup.mjs --root rebuilds after dist/ is deleted or tsconfig.json changes", { timeout: 120_000 }, () => {
    setup(root);
    fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
    assert.equal(setup(root), true);
    assert.equal(fs.existsSync(path.join(root, "dist", "src", "a.js")), true);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
    tsconfig.compilerOptions.removeComments = true;
    fs.writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify(tsconfig));
    assert.equal(setup(root), true);
    assert.equal(setup(root), false);
  });

  it("setup.mjs --root without a folder fails with the standard message", () => {
    const result = spawnSync(process.execPath, [setupScript, "--root"], { encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--root must be followed by a folder, got none/);
  });
});
