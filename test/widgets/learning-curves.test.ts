import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { learningCurves, learningCurvesDefaults } from "../../widgets/learning-curves";
import { expectError } from "../helpers/close";
import { snapshot, traceAt } from "./fixtures";

describe("learningCurves", () => {
  it("learningCurves(series) has the expected defaults", () => {
    assert.deepEqual(learningCurvesDefaults, { title: "", height: 400, width: null, xTitle: "epoch", yTitle: "accuracy", references: [], yRange: null, markers: true, xType: "linear", yType: "linear", xReferences: [] });
    assert.ok(Object.isFrozen(learningCurvesDefaults));
  });

  it("learningCurves(series) draws one line per series with plain-array copies of x and y", () => {
    const fig = learningCurves([{ name: "a", x: new Float64Array([1, 2]), y: [0.5, 0.7] }, { name: "b", x: [1], y: new Float32Array([0.25]) }]);
    assert.deepEqual(fig.data.map((d) => [d.name, d.x, d.y, d.mode]), [["a", [1, 2], [0.5, 0.7], "lines+markers"], ["b", [1], [0.25], "lines+markers"]]);
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
    assert.equal(learningCurves([{ name: "a", x: [1], y: [1] }], { markers: false }).data[0]!.mode, "lines");
  });

  it("learningCurves(series, {references}) draws a dashed line at each value across the series, named in the legend (escaped)", () => {
    const fig = learningCurves([{ name: "run", x: [2, 9], y: [0.4, 0.9] }], { references: [{ value: 0.95, label: "Diehl & Cook <2015>" }, { value: 0.951, label: "Brian2" }] });
    assert.deepEqual(fig.data.slice(1).map((d) => [d.name, d.x, d.y, d.mode]), [
      ["Diehl &amp; Cook &lt;2015&gt;", [2, 9], [0.95, 0.95], "lines"], ["Brian2", [2, 9], [0.951, 0.951], "lines"],
    ]);
    assert.equal(fig.layout.annotations, undefined, "no labels on the plot: two close values cannot overprint each other");
    assert.notEqual((fig.data[1]!.line as { dash: string }).dash, (fig.data[2]!.line as { dash: string }).dash);
    assert.deepEqual(learningCurves([], { references: [{ value: 3, label: "alone" }] }).data[0]!.x, [0, 1], "without series: across [0, 1]");
  });

  it("learningCurves(series, {yType: 'log', yRange}) draws a log y axis with its range in log10 units", () => {
    const fig = learningCurves([{ name: "error", x: [0.1, 1], y: [1e-3, 1e-1] }], { yType: "log", yRange: [1e-4, 1] });
    assert.deepEqual(fig.layout.yaxis, { title: { text: "accuracy" }, type: "log", range: [-4, 0] });
    expectError(() => learningCurves([], { yType: "log", references: [{ value: 0, label: "zero" }] }), "learningCurves: references[0].value must be > 0 on a log axis, got 0");
    expectError(() => learningCurves([], { yType: "ln" as never }), 'learningCurves: yType must be "linear" or "log", got "ln"');
  });

  it("learningCurves(series, {xTitle, yTitle}) escapes the axis titles and leaves the series alone", () => {
    const series = [{ name: "<b>run</b>", x: [1, 2], y: [3, 4] }];
    const before = snapshot(series);
    const fig = learningCurves(series, { xTitle: "samples (×10<sup>3</sup>)" });
    assert.equal((fig.layout.xaxis as { title: { text: string } }).title.text, "samples (×10&lt;sup&gt;3&lt;/sup&gt;)");
    assert.equal(traceAt(fig, 0).name, "&lt;b&gt;run&lt;/b&gt;");
    assert.deepEqual(series, before);
  });

  it("learningCurves(series, options) rejects bad input with the standard message", () => {
    expectError(() => learningCurves([{ name: "a", x: [1, 2], y: [1] }]), "learningCurves: series[0].y.length must equal 2, got 1");
    expectError(() => learningCurves([{ name: "a", x: [1, NaN], y: [1, 2] }]), "learningCurves: series[0].x[1] must be a finite number, got NaN");
    expectError(() => learningCurves({} as never), "learningCurves: series must be an array of {name, x, y}, got {}");
    expectError(() => learningCurves([], { references: [{ value: "high", label: "x" } as never] }), 'learningCurves: references[0].value must be a finite number, got "high"');
  });

  it("learningCurves(series, {xType: 'log', xReferences}) draws a log x axis and vertical lines at data values across the series' y extent", () => {
    const fig = learningCurves([{ name: "snn", x: [1e3, 1e5], y: [0.5, 0.98] }], { xType: "log", xReferences: [{ value: 1e4, label: "ANN <MACs>" }] });
    assert.equal((fig.layout.xaxis as { type?: string }).type, "log");
    assert.deepEqual([fig.data[1]!.name, fig.data[1]!.x, fig.data[1]!.y], ["ANN &lt;MACs&gt;", [1e4, 1e4], [0.5, 0.98]]);
    assert.deepEqual(learningCurves([{ name: "a", x: [1], y: [1] }], { xReferences: [{ value: 7, label: "x" }], yRange: [0, 2] }).data[1]!.y, [0, 2]);
    assert.equal((learningCurves([{ name: "a", x: [1], y: [1] }]).layout.xaxis as { type?: string }).type, undefined);
    expectError(() => learningCurves([], { xType: "ln" as never }), 'learningCurves: xType must be "linear" or "log", got "ln"');
    expectError(() => learningCurves([], { xType: "log", xReferences: [{ value: 0, label: "zero" }] }), "learningCurves: xReferences[0].value must be > 0 on a log axis, got 0");
  });

  it("the file-head @example runs", () => {
    const fig = learningCurves(
      [{ name: "ours", x: [1, 2, 3], y: [0.80, 0.88, 0.91] }],
      { yTitle: "test accuracy", references: [{ value: 0.95, label: "Diehl & Cook 2015" }] },
    );
    assert.equal(fig.data.length, 2);
  });
});
