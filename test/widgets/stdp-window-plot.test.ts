import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ms } from "../../src/core/units";
import { stdpWindow } from "../../src/plasticity/stdp-window";
import { stdpWindowPlot, stdpWindowPlotDefaults } from "../../widgets/stdp-window-plot";
import { expectError } from "../helpers/close";
import { snapshot, traceAt } from "./fixtures";

const P = { aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8 * ms, tauMinus: 33.7 * ms };

describe("stdpWindowPlot", () => {
  it("stdpWindowPlot(p) has the expected defaults", () => {
    assert.deepEqual(stdpWindowPlotDefaults, {
      title: "", height: 400, width: null, deltaTRange: [-100, 100], samples: 401, measured: null, experimental: [],
      shading: true, curveName: "closed form", yTitle: "Δw",
    });
    assert.ok(Object.isFrozen(stdpWindowPlotDefaults));
  });

  it("stdpWindowPlot(p) draws exactly stdpWindow(Δt, p) at every sample, with one gap between the branches at 0", () => {
    const curve = traceAt(stdpWindowPlot(P), 0);
    const x = curve.x as (number | null)[];
    const y = curve.y as (number | null)[];
    assert.equal(x.length, 402, "401 samples and one gap");
    assert.equal(x[0], -100);
    assert.equal(x[401], 100);
    const gap = x.indexOf(null);
    assert.equal(y[gap], null);
    assert.ok(x[gap - 1]! < 0 && x[gap + 1] === 0, "the gap separates Δt < 0 from Δt = 0");
    assert.equal(x.filter((v) => v === null).length, 1);
    for (let k = 0; k < x.length; k++) if (x[k] !== null) assert.equal(y[k], stdpWindow(x[k]!, P), `Δt = ${x[k]}`);
    assert.equal(y[gap + 1], P.aPlus, "Δt = 0 potentiates by A");
  });

  it("stdpWindowPlot(p, {measured, experimental}) adds marker traces with escaped names", () => {
    const fig = stdpWindowPlot(P, {
      measured: { deltaT: [-10, 10], deltaW: [-0.008, 0.005] },
      experimental: [{ name: "Bi & Poo <1998>", deltaT: new Float64Array([5]), deltaW: [0.007] }],
    });
    assert.deepEqual(fig.data.map((d) => [d.name, d.mode]), [["closed form", "lines"], ["simulated", "markers"], ["Bi &amp; Poo &lt;1998&gt;", "markers"]]);
    assert.deepEqual(traceAt(fig, 2).x, [5]);
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
  });

  it("stdpWindowPlot(p, {shading}) shades LTP right of 0 and LTD left of it, or nothing", () => {
    const fig = stdpWindowPlot(P, { deltaTRange: [-40, 60] });
    assert.deepEqual(fig.layout.shapes!.map((s) => [s.x0, s.x1]), [[0, 60], [-40, 0]]);
    assert.deepEqual(fig.layout.annotations!.map((a) => a.text), ["LTP", "LTD"]);
    assert.equal(stdpWindowPlot(P, { shading: false }).layout.shapes, undefined);
  });

  it("stdpWindowPlot(p, options) does not mutate its inputs", () => {
    const measured = { deltaT: [-10, 10], deltaW: [-0.008, 0.005] };
    const before = snapshot(measured);
    stdpWindowPlot(P, { measured });
    assert.deepEqual(measured, before);
  });

  it("stdpWindowPlot(p, options) rejects bad input with the standard message", () => {
    expectError(() => stdpWindowPlot({ ...P, aMinus: 0.01 }), "stdpWindowPlot: aMinus must be a finite number < 0, got 0.01");
    expectError(() => stdpWindowPlot(P, { samples: 1 }), "stdpWindowPlot: samples must be an integer >= 2, got 1");
    expectError(() => stdpWindowPlot(P, { measured: { deltaT: [1, 2], deltaW: [1] } }), "stdpWindowPlot: measured.deltaW.length must equal 2, got 1");
    expectError(() => stdpWindowPlot(P, { deltaTRange: null as never }), "stdpWindowPlot: deltaTRange must be [lo, hi] with finite lo < hi, got null");
    expectError(() => stdpWindowPlot(P, { window: 1 } as never), /^stdpWindowPlot: options must have only the keys title, .*, got "window"$/);
  });

  it("the file-head @example runs", () => {
    const fig = stdpWindowPlot(P, { experimental: [{ name: "Bi & Poo 1998", deltaT: [-20, 10], deltaW: [-0.004, 0.006] }] });
    assert.equal(fig.data.length, 2);
  });
});
