import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sweepPlot, sweepPlotDefaults } from "../../widgets/sweep-plot";
import { expectError } from "../helpers/close";
import { traceAt } from "./fixtures";

const rows = [
  { neurons: 400, seed: 1, quantity: "accuracy", ours: 88, unit: "%" },
  { neurons: 100, seed: 1, quantity: "accuracy", ours: 80, unit: "%" },
  { neurons: 100, seed: 2, quantity: "accuracy", ours: 81, unit: "%" },
  { neurons: 400, seed: 2, quantity: "accuracy", ours: 87, unit: "%" },
  { neurons: 100, seed: 1, quantity: "label", ours: "a" },
];

describe("sweepPlot", () => {
  it("sweepPlot(rows, {x}) has the expected defaults", () => {
    assert.deepEqual(sweepPlotDefaults, { title: "", height: 400, width: null, x: "", y: "ours", by: [], quantity: null, yTitle: null, logX: false });
    assert.ok(Object.isFrozen(sweepPlotDefaults));
  });

  it("sweepPlot(rows, {x, by, quantity}) draws one line per combination of `by`, points in x order", () => {
    const fig = sweepPlot(rows, { x: "neurons", by: ["seed"], quantity: "accuracy" });
    assert.deepEqual(fig.data.map((t) => [t.name, t.x, t.y]), [["seed=1", [100, 400], [80, 88]], ["seed=2", [100, 400], [81, 87]]]);
    assert.equal((fig.layout.yaxis as { title: { text: string } }).title.text, "accuracy (%)");
    assert.equal((fig.layout.xaxis as { title: { text: string } }).title.text, "neurons");
    assert.equal(fig.layout.showlegend, true);
  });

  it("sweepPlot(rows, {x}) without `by` draws one line named after y, and logX sets a log axis", () => {
    const fig = sweepPlot(rows.slice(0, 2), { x: "neurons", logX: true });
    assert.deepEqual([traceAt(fig, 0).name, traceAt(fig, 0).x], ["ours", [100, 400]]);
    assert.equal((fig.layout.xaxis as { type?: string }).type, "log");
    assert.equal(fig.layout.showlegend, false);
  });

  it("sweepPlot escapes column names and values in legends and hover text", () => {
    const fig = sweepPlot([{ n: 1, "<b>": "<i>", ours: 2 }], { x: "n", by: ["<b>"] });
    assert.equal(traceAt(fig, 0).name, "&lt;b&gt;=&lt;i&gt;");
  });

  it("sweepPlot refuses a missing x, a non-numeric x or y, and an empty selection with the standard message", () => {
    expectError(() => sweepPlot(rows, {}), 'sweepPlot: x must name a column of swept numbers, got ""');
    expectError(() => sweepPlot(rows, { x: "neurons" }), 'sweepPlot: rows[4].ours must be a finite number (the y column), got "a"');
    expectError(() => sweepPlot([{ n: "1", ours: 2 }], { x: "n" }), 'sweepPlot: rows[0].n must be a finite number (the x column), got "1"');
    expectError(() => sweepPlot(rows, { x: "neurons", quantity: "loss" }), 'sweepPlot: rows must hold at least one row of quantity "loss", got 5');
    expectError(() => sweepPlot(rows, { x: "neurons", by: "seed" as never }), 'sweepPlot: by must be an array of column names, got "seed"');
  });
});
