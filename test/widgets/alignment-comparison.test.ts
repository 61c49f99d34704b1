import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alignmentComparison, alignmentComparisonDefaults } from "../../widgets/alignment-comparison";
import { expectError } from "../helpers/close";
import { alignmentRows, snapshot } from "./fixtures";

describe("alignmentComparison", () => {
  it("alignmentComparison(rows) has the expected defaults", () => {
    assert.deepEqual(alignmentComparisonDefaults, { title: "", height: 550, width: null, metric: "loss", methods: null, xTitle: "step" });
    assert.ok(Object.isFrozen(alignmentComparisonDefaults));
  });

  it("alignmentComparison(rows) draws the metric per method on top and the angle below with a 90° line", () => {
    const rows = [
      { step: 10, method: "FA", loss: 1.5, angle: 60 }, { step: 0, method: "FA", loss: 2.3, angle: 89 },
      { step: 0, method: "backprop", loss: 2.3 }, { step: 10, method: "backprop", loss: 1.0, angle: null },
    ];
    const fig = alignmentComparison(rows);
    assert.deepEqual(fig.data.map((d) => [d.name, d.yaxis, d.x, d.y]), [
      ["FA", "y", [0, 10], [2.3, 1.5]],
      ["FA", "y2", [0, 10], [89, 60]],
      ["backprop", "y", [0, 10], [2.3, 1.0]],
    ]);
    const line = fig.layout.shapes![0]!;
    assert.deepEqual([line.yref, line.y0, line.y1], ["y2", 90, 90]);
    assert.equal((fig.layout.yaxis2 as { title: { text: string } }).title.text, "angle to backprop (°)");
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
  });

  it("alignmentComparison(columns) gives the same figure as the rows", () => {
    const rows = alignmentRows(3);
    const columns = {
      step: rows.map((r) => r.step), method: rows.map((r) => r.method), loss: rows.map((r) => r.loss ?? null),
      accuracy: new Float64Array(rows.map((r) => r.accuracy!)), angle: rows.map((r) => (r.angle === undefined ? NaN : r.angle)),
    };
    assert.deepEqual(alignmentComparison(columns), alignmentComparison(rows));
  });

  it("alignmentComparison(rows, {metric, methods}) picks the column and the methods, in order", () => {
    const fig = alignmentComparison(alignmentRows(4), { metric: "accuracy", methods: ["DFA", "backprop"] });
    assert.deepEqual(fig.data.filter((d) => d.yaxis === "y").map((d) => d.name), ["DFA", "backprop"]);
    assert.equal((fig.layout.yaxis as { title: { text: string } }).title.text, "accuracy");
  });

  it("alignmentComparison(rows) escapes method names and the title, and does not mutate the rows", () => {
    const rows = [{ step: 0, method: "<i>FA</i>", loss: 1, angle: 80 }];
    const before = snapshot(rows);
    const fig = alignmentComparison(rows, { title: "a < b" });
    assert.equal(fig.data[0]!.name, "&lt;i&gt;FA&lt;/i&gt;");
    assert.equal(fig.layout.title!.text, "a &lt; b");
    assert.deepEqual(rows, before);
  });

  it("alignmentComparison(rows, options) rejects bad input with the standard message", () => {
    expectError(() => alignmentComparison([{ step: "0", method: "FA" } as never]), 'alignmentComparison: rows[0].step must be a finite number, got "0"');
    expectError(() => alignmentComparison([{ step: 0, method: 1 } as never]), "alignmentComparison: rows[0].method must be a string, got 1");
    expectError(() => alignmentComparison([{ step: 0, method: "FA", loss: Infinity }]),
      "alignmentComparison: rows[0].loss must be a finite number, null or undefined, got Infinity");
    expectError(() => alignmentComparison({ step: [0, 1], method: ["FA"] }), "alignmentComparison: rows.method.length must equal rows.step.length (2), got 1");
    expectError(() => alignmentComparison([], { metric: "angle" as never }), 'alignmentComparison: metric must be one of "loss", "accuracy", got "angle"');
  });

  it("the file-head @example runs", () => {
    const rows = [
      { step: 0, method: "backprop", loss: 2.3 }, { step: 0, method: "FA", loss: 2.3, angle: 89 },
      { step: 100, method: "backprop", loss: 0.4 }, { step: 100, method: "FA", loss: 0.6, angle: 42 },
    ];
    assert.equal(alignmentComparison(rows, { metric: "loss" }).data.length, 3);
  });
});
