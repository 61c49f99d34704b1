/**
 * `npm run docs` works: TypeDoc reads the three entry points (typedoc.json) and reports no error
 * (broken {@link}s included). Emits nothing; the type check is tsc's, so TypeDoc skips it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../../kernel/jupyter";

describe("API documentation (TypeDoc)", () => {
  it("typedoc.json's entry points convert with 0 errors", { timeout: 300_000 }, () => {
    const bin = path.join(repoRoot, "node_modules", "typedoc", "bin", "typedoc");
    const r = spawnSync(process.execPath, [bin, "--emit", "none", "--skipErrorChecking"], { cwd: repoRoot, encoding: "utf8" });
    const out = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, out.slice(-2000));
    assert.doesNotMatch(out, /\[error\]|Found [1-9]\d* errors/);
  });
});
