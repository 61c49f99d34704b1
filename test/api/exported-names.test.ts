/**
 * The public surface is a decision (house style C11): the names each entry point exports are pinned
 * in test/api/exported-names.json. Adding or removing an export fails this test until the list is
 * updated on purpose (`UPDATE_API=1 npm test -- exported-names`), so that the change shows in review.
 * Types are erased at run time; the list holds the value exports.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../../kernel/jupyter";

const pinFile = path.join(repoRoot, "test", "api", "exported-names.json");
const entryPoints: Record<string, string> = {
  snnlab: path.join(repoRoot, "dist", "src", "index.js"),
  "snnlab/widgets": path.join(repoRoot, "dist", "widgets", "index.js"),
  "snnlab/kernel": path.join(repoRoot, "dist", "kernel", "index.js"),
};

function exportedNames(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(entryPoints).map(([name, file]) => [name, Object.keys(require(file) as object).sort()]));
}

describe("exported names", () => {
  it("each entry point exports exactly the pinned names (test/api/exported-names.json)", () => {
    const actual = exportedNames();
    if (process.env.UPDATE_API === "1") fs.writeFileSync(pinFile, JSON.stringify(actual, null, 1) + "\n");
    assert.ok(fs.existsSync(pinFile), `${pinFile} is missing: run UPDATE_API=1 npm test -- exported-names and review it`);
    const pinned = JSON.parse(fs.readFileSync(pinFile, "utf8")) as Record<string, string[]>;
    for (const entry of Object.keys(entryPoints)) {
      const added = actual[entry]!.filter((n) => !pinned[entry]?.includes(n));
      const removed = (pinned[entry] ?? []).filter((n) => !actual[entry]!.includes(n));
      assert.deepEqual({ added, removed }, { added: [], removed: [] },
        `${entry}: the exports changed; if on purpose, run UPDATE_API=1 npm test -- exported-names and commit the list`);
    }
  });
});
