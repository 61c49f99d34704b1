/** The README's first-cell example runs in the snnlab kernel as written (house rule 12). */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { findJupyter, repoRoot } from "../kernel/jupyter";
import { runNotebooks, writeNotebook } from "../kernel/runner";

describe("README", { skip: findJupyter("notebook") ? false : "Jupyter is not installed" }, () => {
  it("the README's example cell runs in the kernel and prints the first test label", { timeout: 120_000 }, async () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const match = /```ts\n([\s\S]*?)```/.exec(readme);
    assert.ok(match, "README has a ```ts example");
    const dir = path.join(repoRoot, "test-artifacts", "readme");
    const file = path.join(dir, "readme-example.ipynb");
    writeNotebook(file, {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [
        { cell_type: "code", source: "const quick = false;", metadata: { tags: ["parameters"] }, outputs: [], execution_count: null },
        { cell_type: "code", source: match[1]!, metadata: {}, outputs: [], execution_count: null },
      ],
    });
    const [run] = await runNotebooks([path.relative(repoRoot, file)], { quick: true, outputDir: path.join(dir, "executed"), log: () => undefined });
    assert.deepEqual(run!.errors, []);
    // The last cell: the runner injects `quick = true` in a cell after the parameters cell.
    const text = (run!.notebook.cells.at(-1)!.outputs ?? []).map((o) => (o.text as string[] | undefined)?.join("") ?? "").join("");
    assert.match(text, /^label 7, \d+ input spikes\n$/);
  });
});
