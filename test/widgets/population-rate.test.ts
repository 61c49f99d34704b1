import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPS32 } from "../../src/core/units";
import { createSpikeTrain } from "../../src/encoders/spike-train";
import { populationRate, populationRateDefaults } from "../../widgets/population-rate";
import { expectAllClose, expectError } from "../helpers/close";
import { randomTrain, regularTrain, snapshot, traceAt } from "./fixtures";

// Rates are count / (N · width) in double precision: a few roundings, so 16·EPS32 is generous.
const RATE = { rtol: 16 * EPS32 };

describe("populationRate", () => {
  it("populationRate(train) has the expected defaults", () => {
    assert.deepEqual(populationRateDefaults, { title: "", height: 350, width: null, binWidth: 5, sigma: 0, groups: [] });
    assert.ok(Object.isFrozen(populationRateDefaults));
  });

  it("populationRate(train, {binWidth}) of neurons firing every 10 ms is 100 Hz in every bin", () => {
    const fig = populationRate(regularTrain(20, 200, 10), { binWidth: 10 });
    const line = traceAt(fig, 0);
    assert.equal((line.y as number[]).length, 20);
    expectAllClose(line.y as number[], new Array(20).fill(100), RATE);
    expectAllClose(line.x as number[], Array.from({ length: 20 }, (_, b) => 5 + 10 * b), RATE);
  });

  it("populationRate(train, {sigma}) keeps a constant rate constant, ends included", () => {
    const y = traceAt(populationRate(regularTrain(20, 200, 10), { binWidth: 10, sigma: 25 }), 0).y as number[];
    expectAllClose(y, new Array(20).fill(100), RATE);
  });

  it("populationRate(train, {groups}) gives each group its rate per neuron of the group", () => {
    // Neurons 0–7 fire every 10 ms (100 Hz); neurons 8–9 every 20 ms (50 Hz).
    const fast = regularTrain(10, 100, 10, (id) => id < 8);
    const slow = regularTrain(10, 100, 20, (id) => id >= 8);
    const train = createSpikeTrain([...fast.times, ...slow.times], [...fast.ids, ...slow.ids], { size: 10, duration: 100 });
    const fig = populationRate(train, { binWidth: 20, groups: [{ name: "exc", range: [0, 8] }, { name: "inh", range: [8, 10] }] });
    assert.deepEqual(fig.data.map((d) => d.name), ["exc", "inh"]);
    expectAllClose(traceAt(fig, 0).y as number[], [100, 100, 100, 100, 100], RATE);
    expectAllClose(traceAt(fig, 1).y as number[], [50, 50, 50, 50, 50], RATE);
  });

  it("populationRate(train, {binWidth}) divides a shorter last bin by its own width", () => {
    const train = createSpikeTrain([0.5, 12.5], [0, 0], { size: 1, duration: 15 });
    const line = traceAt(populationRate(train, { binWidth: 10 }), 0);
    assert.deepEqual(line.x, [5, 12.5]);
    expectAllClose(line.y as number[], [100, 200], RATE);
  });

  it("populationRate(train) does not mutate the train and gives plain JSON", () => {
    const train = randomTrain(3, 5, 50, 30);
    const before = snapshot(train);
    const fig = populationRate(train, { sigma: 5 });
    assert.deepEqual(train, before);
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
  });

  it("populationRate(train, options) rejects bad input with the standard message", () => {
    const train = randomTrain(3, 5, 50, 30);
    expectError(() => populationRate(train, { binWidth: 0 }), "populationRate: binWidth must be a finite number > 0, got 0");
    expectError(() => populationRate(train, { sigma: -1 }), "populationRate: sigma must be a finite number >= 0, got -1");
    expectError(() => populationRate(train, { groups: [{ name: "a", range: [0, 9] }] }), "populationRate: groups[0].range[1] must be <= size (5), got 9");
    expectError(() => populationRate(train, { groups: [{ name: "a" }] }), 'populationRate: groups[0] must have exactly one of range, ids, got {"name":"a"}');
  });
});
