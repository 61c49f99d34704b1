import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nirGraphPlot } from "../../widgets/nir-graph-plot";

describe("nirGraphPlot", () => {
  it("places nodes by depth, one column per step from the input, and draws an arrow per edge", () => {
    const fig = nirGraphPlot([
      { node: "input", type: "Input", output: "[2]", from: "" },
      { node: "0", type: "Affine", output: "[3]", from: "input" },
      { node: "1", type: "LIF", output: "[3]", from: "0, 1" },
      { node: "output", type: "Output", output: "[3]", from: "1" },
    ]);
    const position = new Map<string, number>();
    for (const t of fig.data) (t.text as string[]).forEach((label, k) => position.set(label.split("<br>")[0]!, (t.x as number[])[k]!));
    assert.deepEqual([...position.entries()].sort(), [["0", 1], ["1", 2], ["input", 0], ["output", 3]]);
    const arrows = fig.layout.annotations!;
    assert.equal(arrows.length, 4);
    assert.equal(arrows.filter((a) => a.arrowcolor === "#d62728").length, 1, "the self-loop on 1 is drawn as recurrent");
    JSON.parse(JSON.stringify(fig));
  });
  it("rejects an edge from an unknown node and duplicate names with the standard message", () => {
    assert.throws(() => nirGraphPlot([{ node: "a", type: "Input", output: "", from: "b" }]), /nirGraphPlot: nodes\[0\]\.from must name nodes of the graph \(a\), got "?b"?/);
    assert.throws(() => nirGraphPlot([{ node: "a", type: "Input", output: "", from: "" }, { node: "a", type: "LIF", output: "", from: "" }]), /nirGraphPlot: nodes must have distinct names/);
    assert.throws(() => nirGraphPlot([]), /nirGraphPlot: nodes must be a non-empty array/);
  });
});
