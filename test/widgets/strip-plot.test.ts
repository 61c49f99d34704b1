import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reviewTableOne } from "../../src/datasets/review-table-one";
import { stripPlot } from "../../widgets/strip-plot";
import { tableFigure } from "../../widgets/table-figure";
import { expectError } from "../helpers/close";
import { expectGolden } from "./golden";

const mnist = reviewTableOne.filter((r) => r.dataset === "MNIST");

describe("stripPlot", () => {
  it("stripPlot(records, {category, value, colorBy}) places one marker per record in its category", (t) => {
    const fig = stripPlot(mnist, { category: "family", value: "accuracy", label: "model", colorBy: "group", title: "Table I, MNIST" });
    const traces = fig.data as { x: number[]; y: number[]; name: string }[];
    assert.equal(traces.reduce((n, tr) => n + tr.x.length, 0), mnist.length);
    const categories = (fig.layout.xaxis as { ticktext: string[] }).ticktext;
    for (const tr of traces) {
      tr.x.forEach((x, i) => {
        const k = Math.round(x);
        assert.ok(Math.abs(x - k) <= 0.25, "jitter within ±0.25");
        assert.ok(mnist.some((r) => r.accuracy === tr.y[i] && r.family === categories[k]!.replace("&#39;", "'")), "marker in its record's category");
      });
    }
    assert.deepEqual(stripPlot(mnist, { category: "family", value: "accuracy" }), stripPlot(mnist, { category: "family", value: "accuracy" }), "deterministic");
    expectGolden("strip-plot", fig, t);
  });

  it("stripPlot rejects missing fields and non-numeric values with the standard message", () => {
    expectError(() => stripPlot(mnist, { value: "accuracy" }), 'stripPlot: category must name a field of the records, got ""');
    expectError(() => stripPlot([{ a: "x", v: "high" }], { category: "a", value: "v" }), 'stripPlot: records[0].v must be a finite number, got "high"');
  });
});

describe("tableFigure", () => {
  it("tableFigure(records, {columns}) makes one table column per field, strings escaped", () => {
    const fig = tableFigure([{ a: "<b>", n: 1 }, { a: "x", n: 2 }], { columns: ["n", "a"] });
    const trace = fig.data[0] as { type: string; cells: { values: unknown[][] } };
    assert.equal(trace.type, "table");
    assert.deepEqual(trace.cells.values, [[1, 2], ["&lt;b&gt;", "x"]]);
    expectError(() => tableFigure([{ a: 1 }], { columns: ["a"], headers: ["x", "y"] }), "tableFigure: headers must have 1 labels, got 2");
  });
});
