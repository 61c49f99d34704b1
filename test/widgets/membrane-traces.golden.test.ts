import { describe, it } from "node:test";
import { createSpikeTrain } from "../../src/encoders/spike-train";
import { membraneTraces } from "../../widgets/membrane-traces";
import { smallTrace } from "./fixtures";
import { expectGolden } from "./golden";

describe("membraneTraces golden", () => {
  it("membraneTraces(trace, {threshold, spikes}) of two neurons", (t) => {
    const spikes = createSpikeTrain([6, 12.5], [3, 3], { size: 8, duration: 20 });
    expectGolden("membrane-traces", membraneTraces(smallTrace(), { title: "LIF", threshold: -50, spikes, spikeValue: -40 }), t);
  });

  it("membraneTraces(trace, {ids, maxPoints, offset}) decimates one neuron", (t) => {
    expectGolden("membrane-traces-decimated", membraneTraces(smallTrace(), { ids: [3], maxPoints: 10, offset: 5 }), t);
  });
});
