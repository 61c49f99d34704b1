import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSpikeTrain } from "../../src/encoders/spike-train";
import { spikeRaster, spikeRasterDefaults } from "../../widgets/spike-raster";
import { expectError } from "../helpers/close";
import { largeTrain, randomTrain, snapshot, traceAt } from "./fixtures";

describe("spikeRaster", () => {
  it("spikeRaster(train) has the expected defaults", () => {
    assert.deepEqual(spikeRasterDefaults, {
      title: "", height: 400, width: null, markerSize: 2, maxPoints: 100_000, groups: [], timeUnit: "ms", xTitle: null, timeRange: null, neuronRange: null,
    });
    assert.ok(Object.isFrozen(spikeRasterDefaults));
  });

  it("spikeRaster(train) draws every spike as a scattergl marker at (time ms, id), as plain arrays", () => {
    const train = createSpikeTrain([0.1, 2.5, 4], [0, 2, 1], { size: 3, duration: 5 });
    const fig = spikeRaster(train);
    const trace = traceAt(fig, 0);
    assert.equal(trace.type, "scattergl");
    assert.equal(trace.mode, "markers");
    assert.deepEqual(trace.x, [0.1, 2.5, 4]); // float32 0.1 written back as 0.1
    assert.deepEqual(trace.y, [0, 2, 1]);
    assert.ok(Array.isArray(trace.x) && Array.isArray(trace.y));
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
    assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, [0, 5]);
  });

  it("spikeRaster(train) of 10⁶ spikes is built in < 1 s and its JSON is < 3 MB", () => {
    const train = largeTrain(1_000_000, 1000, 1000);
    const start = performance.now();
    const fig = spikeRaster(train);
    const json = JSON.stringify(fig);
    const elapsed = performance.now() - start;
    assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
    assert.ok(json.length < 3e6, `JSON is ${json.length} bytes`);
    const trace = traceAt(fig, 0);
    assert.equal(trace.x!.length, 100_000, "one spike per block of 10");
    assert.match((fig.layout.annotations![0]!).text, /showing 100,000 of 1,000,000 spikes \(1 in 10, stratified\)/);
  });

  it("spikeRaster(train, {maxPoints}) thins deterministically, one spike per block, without aliasing on synchronous spikes", () => {
    // 1000 neurons firing together at 100 times: every 10th spike would show only ids 0, 10, 20, ….
    const times: number[] = [];
    const ids: number[] = [];
    for (let k = 0; k < 100; k++) for (let id = 0; id < 1000; id++) { times.push(k); ids.push(id); }
    const train = createSpikeTrain(times, ids, { size: 1000, duration: 100 });
    const fig = spikeRaster(train, { maxPoints: 10_000 });
    const y = traceAt(fig, 0).y as number[];
    const x = traceAt(fig, 0).x as number[];
    assert.equal(y.length, 10_000);
    assert.ok(new Set(y).size > 990, `only ${new Set(y).size} distinct neurons shown`);
    for (let b = 0; b < 10_000; b++) assert.equal(x[b], Math.floor(b / 100), "block b holds spikes 10b … 10b + 9, all at time ⌊b/100⌋");
    assert.deepEqual(spikeRaster(train, { maxPoints: 10_000 }), fig, "the same train gives the same figure");
  });

  it("spikeRaster(train, {groups}) puts each group in its own trace and the rest in 'other'", () => {
    const train = createSpikeTrain([1, 2, 3, 4], [0, 5, 8, 9], { size: 10, duration: 5 });
    const fig = spikeRaster(train, { groups: [{ name: "exc", range: [0, 6] }, { name: "inh", ids: [8] }] });
    assert.deepEqual(fig.data.map((d) => [d.name, d.y]), [["exc", [0, 5]], ["inh", [8]], ["other", [9]]]);
    assert.equal(fig.layout.showlegend, true);
  });

  it("spikeRaster(train, {timeUnit, xTitle}) names the time axis and the hover text in the train's unit", () => {
    const train = createSpikeTrain([1, 2], [0, 1], { size: 2, duration: 3 });
    const title = (fig: ReturnType<typeof spikeRaster>) => JSON.stringify((fig.layout.xaxis as { title: unknown }).title);
    const ms = spikeRaster(train);
    assert.match(title(ms), /"time \(ms\)"/);
    assert.match(traceAt(ms, 0).hovertemplate as string, /^%\{x\} ms, neuron/);
    const steps = spikeRaster(train, { timeUnit: "", xTitle: "time step" });
    assert.match(title(steps), /"time step"/);
    assert.match(traceAt(steps, 0).hovertemplate as string, /^t = %\{x\}, neuron/);
    assert.match(title(spikeRaster(train, { timeUnit: "s" })), /"time \(s\)"/);
    assert.match(title(spikeRaster(train, { timeUnit: "" })), /"time"/);
    expectError(() => spikeRaster(train, { timeUnit: 3 as never }), /spikeRaster: timeUnit must be a string, got 3/);
    expectError(() => spikeRaster(train, { xTitle: 3 as never }), /spikeRaster: xTitle must be a string, got 3/);
  });

  it("spikeRaster(train, {timeRange, neuronRange}) keeps only spikes inside both", () => {
    const train = createSpikeTrain([1, 2, 3, 4], [0, 1, 2, 3], { size: 4, duration: 5 });
    const fig = spikeRaster(train, { timeRange: [1.5, 4], neuronRange: [1, 3] });
    assert.deepEqual(traceAt(fig, 0).x, [2, 3]);
    assert.deepEqual((fig.layout.yaxis as { range: number[] }).range, [0.5, 2.5]);
  });

  it("spikeRaster(train, {title, groups}) HTML-escapes the title and group names", () => {
    const train = randomTrain(1, 4, 10, 5);
    const fig = spikeRaster(train, { title: "<script>alert('x')</script>", groups: [{ name: "a&b", range: [0, 4] }] });
    assert.equal(fig.layout.title!.text, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assert.equal(traceAt(fig, 0).name, "a&amp;b");
    assert.ok(!JSON.stringify(fig).includes("<script"));
  });

  it("spikeRaster(train, options) does not mutate the train", () => {
    const train = randomTrain(4, 6, 20, 50);
    const before = snapshot(train);
    spikeRaster(train, { maxPoints: 10, groups: [{ name: "g", range: [0, 3] }] });
    assert.deepEqual(train, before);
  });

  it("spikeRaster(train, options) rejects bad input with the standard message", () => {
    const train = randomTrain(1, 4, 10, 5);
    expectError(() => spikeRaster({} as never), "spikeRaster: train.times must be a Float32Array, got undefined");
    expectError(() => spikeRaster({ ...train, ids: new Int32Array(1) }), "spikeRaster: train.ids.length must equal times.length (5), got 1");
    expectError(() => spikeRaster({ ...train, size: 2 }), /^spikeRaster: train\.ids\[\d+\] must be an integer in \[0, 1\], got \d$/);
    expectError(() => spikeRaster(train, { markerSize: 0 }), "spikeRaster: markerSize must be a finite number > 0, got 0");
    expectError(() => spikeRaster(train, { colour: "red" } as never),
      'spikeRaster: options must have only the keys title, height, width, markerSize, maxPoints, groups, timeUnit, xTitle, timeRange, neuronRange, got "colour"');
    expectError(() => spikeRaster(train, { timeRange: [5, 1] }), "spikeRaster: timeRange must be null or [lo, hi] with finite lo < hi, got Array(2)");
    expectError(() => spikeRaster(train, { groups: [{ name: "a", range: [0, 3] }, { name: "b", range: [2, 4] }] }),
      "spikeRaster: groups[1].range must not overlap groups[0], got 2");
    expectError(() => spikeRaster(train, { height: -1 }), "spikeRaster: height must be a finite number > 0, got -1");
  });

  it("the file-head @example runs", () => {
    const train = createSpikeTrain([1, 2.5, 4], [0, 2, 1], { size: 3, duration: 5 });
    const fig = spikeRaster(train, { title: "input spikes", markerSize: 4 });
    assert.equal(fig.data[0]!.type, "scattergl");
  });
});
