import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { annEnergyCounts, energyConstants, energyEstimate, snnEnergyCounts } from "../../src/metrics/energy";

describe("energy model", () => {
  it("every constant has a positive energy, a source and says how it was read", () => {
    for (const c of energyConstants) {
      assert.ok(c.picojoules > 0 && c.source.length > 10, c.key);
      assert.ok(["original", "secondary", "not read"].includes(c.checked), c.key);
      if (c.checked !== "original") assert.ok((c.note ?? "").length > 0, `${c.key} says where it was read`);
    }
    assert.equal(new Set(energyConstants.map((c) => c.key)).size, energyConstants.length);
  });
  it("energyEstimate sums count × pJ per operation: a 32-bit float MAC costs 4.6 pJ, an add 0.9 pJ (Horowitz, 45 nm)", () => {
    const ann = energyEstimate(annEnergyCounts(1000));
    assert.ok(Math.abs(ann.picojoules - 4600) < 1e-9);
    assert.deepEqual(ann.terms.map((t) => t.key), ["fp32Mult", "fp32Add"]);
    const snn = energyEstimate(snnEnergyCounts(1000));
    assert.ok(Math.abs(snn.picojoules - 900) < 1e-9);
    // With a 5 pJ weight read per operation the per-operation gap shrinks from 4.6/0.9 to 9.6/5.9.
    const ratio = energyEstimate(annEnergyCounts(1, { memory: true })).picojoules / energyEstimate(snnEnergyCounts(1, { memory: true })).picojoules;
    assert.ok(Math.abs(ratio - 9.6 / 5.9) < 1e-12);
  });
  it("unknown operations, negative or non-finite counts get the standard error", () => {
    assert.throws(() => energyEstimate({ fp64Add: 1 }), /^SnnlabError: energyEstimate: counts must name only known operations \(fp32Add, .*\), got "?fp64Add"?$/);
    assert.throws(() => energyEstimate({ fp32Add: -1 }), /energyEstimate: counts\.fp32Add must be a finite number >= 0, got -1/);
    assert.throws(() => annEnergyCounts(Infinity), /annEnergyCounts: macs must be a finite number >= 0, got Infinity/);
    assert.throws(() => energyEstimate(null as unknown as Record<string, number>), /energyEstimate: counts must be an object of operation counts, got null/);
  });
});
