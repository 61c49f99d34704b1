import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toHz } from "../../src/core/units";
import { lifParams, lifRateClosedForm } from "../../src/neurons/lif";
import { fiCurve, fiCurveDefaults } from "../../widgets/fi-curve";
import { expectError } from "../helpers/close";
import { snapshot, traceAt } from "./fixtures";

describe("fiCurve", () => {
  it("fiCurve(points) has the expected defaults", () => {
    assert.deepEqual(fiCurveDefaults, {
      title: "", height: 400, width: null, closedForm: null, currentRange: null, samples: 200, name: "simulated", closedFormName: "closed form", currentUnit: "nA",
    });
    assert.ok(Object.isFrozen(fiCurveDefaults));
  });

  it("fiCurve(points) draws the simulated rates as markers with nA and Hz axes", () => {
    const fig = fiCurve({ current: new Float64Array([1, 2]), rate: [0, 66] });
    assert.equal(fig.data.length, 1);
    assert.deepEqual([traceAt(fig, 0).mode, traceAt(fig, 0).x, traceAt(fig, 0).y], ["markers", [1, 2], [0, 66]]);
    assert.equal((fig.layout.xaxis as { title: { text: string } }).title.text, "current (nA)");
    assert.equal((fig.layout.yaxis as { title: { text: string } }).title.text, "rate (Hz)");
  });

  it("fiCurve(points, {currentUnit}) names the current's unit on the axis and in the hover text (escaped)", () => {
    const fig = fiCurve({ current: [1], rate: [2] }, { currentUnit: "µA/cm²" });
    assert.equal((fig.layout.xaxis as { title: { text: string } }).title.text, "current (µA/cm²)");
    assert.match(String(traceAt(fig, 0).hovertemplate), /^%\{x\} µA\/cm²: /);
    assert.equal((fiCurve({ current: [1], rate: [2] }, { currentUnit: "<b>" }).layout.xaxis as { title: { text: string } }).title.text, "current (&lt;b&gt;)");
    expectError(() => fiCurve({ current: [1], rate: [2] }, { currentUnit: 3 as never }), /fiCurve: currentUnit must/);
  });

  it("fiCurve(points, {closedForm: f}) samples f evenly over currentRange, equal to it at every sample", () => {
    const p = lifParams();
    const f = (i: number) => toHz(lifRateClosedForm(i, p));
    const line = traceAt(fiCurve({ current: [2], rate: [60] }, { closedForm: f, currentRange: [0, 4], samples: 9 }), 0);
    assert.deepEqual(line.x, [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
    (line.x as number[]).forEach((i, k) => assert.equal((line.y as number[])[k], f(i)));
    assert.equal((line.y as number[])[0], 0, "below rheobase (1.5 nA) the rate is 0");
  });

  it("fiCurve(points, {closedForm: f}) samples over the simulated currents without a range", () => {
    const line = traceAt(fiCurve({ current: [3, 1, 2], rate: [1, 2, 3] }, { closedForm: (i) => 2 * i, samples: 3 }), 0);
    assert.deepEqual([line.x, line.y], [[1, 2, 3], [2, 4, 6]]);
  });

  it("fiCurve(points, {closedForm: points}) draws given closed-form points and does not mutate them", () => {
    const curve = { current: [0, 1], rate: [0, 10] };
    const before = snapshot(curve);
    const fig = fiCurve({ current: [1], rate: [9] }, { closedForm: curve, closedFormName: "theory <T>" });
    assert.deepEqual([traceAt(fig, 0).x, traceAt(fig, 0).y, traceAt(fig, 0).name], [[0, 1], [0, 10], "theory &lt;T&gt;"]);
    assert.deepEqual(curve, before);
  });

  it("fiCurve(points, options) rejects bad input with the standard message", () => {
    expectError(() => fiCurve({ current: [1, 2], rate: [1] }), "fiCurve: points.rate.length must equal 2, got 1");
    expectError(() => fiCurve({ current: [1], rate: [1] }, { closedForm: (i) => i }),
      "fiCurve: currentRange must be given when the simulated currents do not span a range, got null");
    expectError(() => fiCurve({ current: [1, 2], rate: [1, 2] }, { closedForm: () => NaN, samples: 2 }), "fiCurve: closedForm(1) must be a finite number, got NaN");
    expectError(() => fiCurve({ current: [1, 2], rate: [1, 2] }, { samples: 1.5 }), "fiCurve: samples must be an integer >= 2, got 1.5");
  });

  it("the file-head @example runs", () => {
    const p = lifParams();
    const fig = fiCurve(
      { current: [1, 2, 3], rate: [0, 33.1, 62.4] },
      { closedForm: (i) => toHz(lifRateClosedForm(i, p)), currentRange: [0, 3] },
    );
    assert.equal(fig.data[0]!.x!.length, 200);
  });
});
