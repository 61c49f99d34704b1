/**
 * Figure element ids derive from the figure's content and its occurrence in the kernel session:
 * the same figures shown in the same order by a fresh process give byte-identical bundles (a
 * re-run notebook keeps its diff clean), and two identical figures in one session get two ids.
 * Each case runs in a child process, because the occurrence count is per process.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../../kernel/jupyter";

const mimeJs = path.join(repoRoot, "dist", "kernel", "mime.js");

/** The figure bundles of `figures`, shown in order by a fresh Node process. */
function bundlesInFreshProcess(figures: unknown[]): Record<string, unknown>[] {
  const script = `const { figureBundle } = require(${JSON.stringify(mimeJs)});
process.stdout.write(JSON.stringify(${JSON.stringify(figures)}.map((f) => figureBundle(f))));`;
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

function elementId(bundle: Record<string, unknown>): string {
  const m = /<div id="(snnlab-figure-[0-9a-f]+-\d+)"/.exec(String(bundle["text/html"]));
  assert.ok(m, "the figure HTML has an element id");
  return m[1]!;
}

describe("figure element ids", () => {
  const a = { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: { title: { text: "a" } } };
  const b = { data: [{ type: "bar", x: [1], y: [2] }], layout: { title: { text: "b" } } };

  it("figureBundle(fig) gives byte-identical bundles when a fresh session shows the same figures again", () => {
    const first = bundlesInFreshProcess([a, b, a]);
    const second = bundlesInFreshProcess([a, b, a]);
    assert.equal(JSON.stringify(second), JSON.stringify(first));
  });

  it("figureBundle(fig) gives two identical figures of one session two ids, and the script draws by that id", () => {
    const [first, other, again] = bundlesInFreshProcess([a, b, a]).map(elementId);
    assert.notEqual(first, again);
    assert.equal(first!.replace(/-\d+$/, ""), again!.replace(/-\d+$/, ""), "same content, same hash");
    assert.notEqual(first!.replace(/-\d+$/, ""), other!.replace(/-\d+$/, ""), "other content, other hash");
    const [bundle] = bundlesInFreshProcess([a]);
    assert.equal(elementId(bundle!), first);
    assert.ok(String(bundle!["text/html"]).includes(`document.querySelectorAll(${JSON.stringify(`[id="${first}"]`)})`));
  });

  it("figureBundle(fig) changes the id when the figure changes", () => {
    const changed = { ...a, layout: { title: { text: "a, changed" } } };
    assert.notEqual(elementId(bundlesInFreshProcess([changed])[0]!), elementId(bundlesInFreshProcess([a])[0]!));
  });
});
