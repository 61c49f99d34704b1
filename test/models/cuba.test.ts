import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cuba, cubaNetwork, cubaParams } from "../../src/models/cuba";
import { spikeCounts } from "../../src/encoders/spike-train";
import { expectError } from "../helpers/close";

describe("cuba", () => {
  it("cuba({size: 4000, duration: 1000}) fires at a mean rate in the published range", () => {
    // Brian2's runs give 5.6 Hz at every N; the rate of one 1 s run of one seed varies by a few
    // tenths of a Hz between seeds, and integration in float32 moves it little: a band of 3–9 Hz
    // catches a broken network (silent: < 1 Hz; runaway: > 50 Hz) without flaking.
    const r = cuba({ size: 4000, duration: 1000, seed: 1 });
    assert.ok(r.meanRate > 3 && r.meanRate < 9, `mean rate ${r.meanRate} Hz`);
    assert.equal(r.train.size, 4000);
    assert.equal(r.steps, 10000);
    // Every neuron has ~80 inputs (64 exc + 16 inh): 4000·80 = 320,000 synapses ± 4 sd.
    assert.ok(Math.abs(r.synapses - 320_000) < 4 * Math.sqrt(320_000), `${r.synapses} synapses`);
    // SOPs: each spike reaches its fan-out (≈ 80): SOPs/spikes within 10 % of 80.
    assert.ok(Math.abs(r.sops / r.train.ids.length / 80 - 1) < 0.1);
    // Rates are per neuron and consistent with the raster.
    const counts = spikeCounts(r.train);
    for (const k of [0, 3199, 3200, 3999]) assert.equal(r.rates[k], counts[k]);
  });

  it("cuba(params) is deterministic for a seed: identical raster, and different for another seed", () => {
    const a = cuba({ size: 1000, duration: 200, seed: 3 });
    const b = cuba({ size: 1000, duration: 200, seed: 3 });
    const c = cuba({ size: 1000, duration: 200, seed: 4 });
    assert.deepEqual(a.train, b.train);
    assert.notDeepEqual(a.train.ids, c.train.ids);
  });

  it("cubaNetwork(params) scales p with N to keep 80 inputs, or keeps p and scales the weights", () => {
    const indegree = cubaNetwork({ size: 16000 });
    assert.ok(Math.abs(indegree.probability - 0.005) < 1e-15);
    const fixed = cubaNetwork({ size: 2000, scaling: "fixed-probability" });
    assert.equal(fixed.probability, 0.02);
    const ee = fixed.network.projections[0];
    assert.equal(ee.synapses.w[0], Math.fround(1.62 * 2));
    assert.equal(fixed.excitatory.size, 1600);
  });

  it("cuba(...) stops early when asked and says so", () => {
    let calls = 0;
    const r = cuba({ size: 500, duration: 100 }, { shouldStop: () => ++calls > 20 });
    assert.equal(r.stopped, true);
    assert.equal(r.steps, 20);
  });

  it("cubaParams(options) rejects unknown keys and invalid values", () => {
    expectError(() => cubaParams({ size: 1 }), "cubaParams: size must be an integer >= 2, got 1");
    expectError(() => cubaParams({ scaling: "linear" as never }), 'cubaParams: scaling must be one of "indegree", "fixed-probability", got "linear"');
    expectError(() => cubaParams({ neuron: { tauMem: -1 } }), "cubaNeuronParams: tauMem must be a finite number > 0, got -1");
    expectError(() => cubaParams({ N: 10 } as never), /^cubaParams: options must have only the keys/);
  });
});
