import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSpikeTrain } from "../../src/encoders/spike-train";
import type { StateTrace } from "../../src/network/records";
import { minMaxDecimate } from "../../widgets/decimate";
import { membraneTraces, membraneTracesDefaults } from "../../widgets/membrane-traces";
import { expectError } from "../helpers/close";
import { smallTrace, snapshot, traceAt } from "./fixtures";

describe("minMaxDecimate", () => {
  it("minMaxDecimate(values, maxPoints) keeps each bin's min and max in order (@example)", () => {
    assert.deepEqual([...minMaxDecimate(new Float32Array([0, 5, 1, 1, -3, 2]), 4)], [0, 1, 4, 5]);
  });

  it("minMaxDecimate(values, maxPoints) keeps everything when short enough", () => {
    assert.deepEqual([...minMaxDecimate([3, 2, 1], 3)], [0, 1, 2]);
  });
});

describe("membraneTraces", () => {
  it("membraneTraces(trace) has the expected defaults", () => {
    assert.deepEqual(membraneTracesDefaults, {
      title: "", height: 350, width: null, ids: null, maxPoints: 2000, threshold: null, spikes: null, spikeValue: null, offset: 0, names: null,
    });
    assert.ok(Object.isFrozen(membraneTracesDefaults));
  });

  it("membraneTraces(trace) draws one line per recorded neuron with the column's values and the unit on the y axis", () => {
    const trace = smallTrace();
    const fig = membraneTraces(trace);
    assert.equal(fig.data.length, 2);
    assert.deepEqual(fig.data.map((d) => d.name), ["neuron 3", "neuron 7"]);
    const y = traceAt(fig, 1).y as number[];
    for (let t = 0; t < trace.times.length; t++) assert.equal(Math.fround(y[t]!), trace.values[2 * t + 1]);
    assert.equal((fig.layout.yaxis as { title: { text: string } }).title.text, "v (mV)");
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
  });

  it("membraneTraces(trace, {maxPoints}) keeps ≤ maxPoints points per line and keeps the peak and the trough", () => {
    const steps = 100_000;
    const values = new Float32Array(steps).map((_, t) => -65 + Math.sin(t / 1000));
    values[54_321] = 30; // a spike peak, one sample wide
    values[77_777] = -80; // a reset trough
    const trace: StateTrace = { variable: "v", unit: "mV", times: new Float32Array(steps).map((_, t) => t * 0.1), ids: new Int32Array([0]), values };
    const fig = membraneTraces(trace, { maxPoints: 500 });
    const x = traceAt(fig, 0).x as number[];
    const y = traceAt(fig, 0).y as number[];
    assert.ok(y.length <= 500, `${y.length} points`);
    assert.equal(Math.max(...y), 30);
    assert.equal(Math.min(...y), -80);
    assert.equal(Math.fround(x[y.indexOf(30)]!), trace.times[54_321], "the peak stays at its own time");
    for (let k = 1; k < x.length; k++) assert.ok(x[k]! > x[k - 1]!, "times stay increasing");
  });

  it("membraneTraces(trace, {threshold, spikes, spikeValue}) adds a threshold line and spike markers at spikeValue", () => {
    const spikes = createSpikeTrain([6, 12.5, 3], [3, 3, 7], { size: 8, duration: 20 });
    const fig = membraneTraces(smallTrace(), { threshold: -50, spikes, spikeValue: -40 });
    const threshold = fig.data.find((d) => d.name === "threshold")!;
    assert.deepEqual(threshold.y, [-50, -50]);
    assert.deepEqual(threshold.x, [0, 20]);
    const marks3 = fig.data.find((d) => d.name === "spikes of neuron 3")!;
    assert.deepEqual([marks3.x, marks3.y], [[6, 12.5], [-40, -40]]);
    const marks7 = fig.data.find((d) => d.name === "spikes of neuron 7")!;
    assert.deepEqual(marks7.x, [3]);
  });

  it("membraneTraces(trace, {spikes}) puts the markers at the largest drawn value by default", () => {
    const spikes = createSpikeTrain([6], [3], { size: 8, duration: 20 });
    const trace = smallTrace();
    const fig = membraneTraces(trace, { spikes, ids: [3] });
    const top = Math.max(...(traceAt(fig, 0).y as number[]));
    assert.deepEqual(traceAt(fig, 1).y, [top]);
  });

  it("membraneTraces(trace, {ids, offset}) selects neurons by population id and shifts successive lines", () => {
    const trace = smallTrace();
    const fig = membraneTraces(trace, { ids: [7, 3], offset: 10 });
    assert.deepEqual(fig.data.map((d) => d.name), ["neuron 7", "neuron 3"]);
    assert.equal(Math.fround((traceAt(fig, 1).y as number[])[0]! - 10), trace.values[0]);
  });

  it("membraneTraces(trace, {names}) names the lines in drawing order (escaped) and their spike markers", () => {
    const trace = smallTrace();
    const spikes = createSpikeTrain([0.5], [7], { size: 8, duration: 20 });
    const fig = membraneTraces(trace, { ids: [7, 3], names: ["RS", "<FS>"], spikes });
    assert.deepEqual(fig.data.map((d) => d.name), ["RS", "&lt;FS&gt;", "spikes of RS", "spikes of &lt;FS&gt;"]);
    expectError(() => membraneTraces(trace, { names: ["one"] }), 'membraneTraces: names must be null or an array of 2 names (one per drawn line), got Array(1)');
  });

  it("membraneTraces(trace) draws non-finite values as gaps (null)", () => {
    const trace = { ...smallTrace(), values: new Float32Array(smallTrace().values) };
    trace.values[4] = NaN;
    assert.equal((traceAt(membraneTraces(trace), 0).y as (number | null)[])[2], null);
  });

  it("membraneTraces(trace, options) escapes the variable, unit and title, and does not mutate the trace", () => {
    const trace = { ...smallTrace(), variable: "<b>v</b>", unit: "m&V" };
    const before = snapshot(trace);
    const fig = membraneTraces(trace, { title: "<script>x</script>" });
    assert.equal((fig.layout.yaxis as { title: { text: string } }).title.text, "&lt;b&gt;v&lt;/b&gt; (m&amp;V)");
    assert.equal(fig.layout.title!.text, "&lt;script&gt;x&lt;/script&gt;");
    assert.deepEqual(trace, before);
  });

  it("membraneTraces(trace, options) rejects bad input with the standard message", () => {
    const trace = smallTrace();
    expectError(() => membraneTraces({ ...trace, values: new Float32Array(3) }),
      "membraneTraces: trace.values.length must equal times.length × ids.length (82), got 3");
    expectError(() => membraneTraces(trace, { ids: [4] }), "membraneTraces: ids[0] must be one of trace.ids, got 4");
    expectError(() => membraneTraces(trace, { maxPoints: 1 }), "membraneTraces: maxPoints must be an integer >= 2, got 1");
    expectError(() => membraneTraces(trace, { threshold: NaN }), "membraneTraces: threshold must be a finite number, got NaN");
    expectError(() => membraneTraces(null as never), "membraneTraces: trace must be an object, got null");
  });

  it("the file-head @example runs", () => {
    const trace: StateTrace = {
      variable: "v", unit: "mV", times: new Float32Array([0, 1, 2]), ids: new Int32Array([0, 1]),
      values: new Float32Array([-65, -65, -60, -64, -55, -63]),
    };
    assert.equal(membraneTraces(trace, { threshold: -50 }).data.length, 3);
  });
});
