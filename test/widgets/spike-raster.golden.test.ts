import { describe, it } from "node:test";
import { spikeRaster } from "../../widgets/spike-raster";
import { randomTrain } from "./fixtures";
import { expectGolden } from "./golden";

describe("spikeRaster golden", () => {
  it("spikeRaster(train) of 60 random spikes on 12 neurons", (t) => {
    expectGolden("spike-raster", spikeRaster(randomTrain(1, 12, 100, 60), { title: "random spikes" }), t);
  });

  it("spikeRaster(train, {groups, timeRange}) colours excitatory and inhibitory neurons", (t) => {
    const fig = spikeRaster(randomTrain(2, 10, 50, 40), {
      groups: [{ name: "excitatory", range: [0, 8] }, { name: "inhibitory", range: [8, 10], color: "#d62728" }],
      timeRange: [10, 40], markerSize: 4, height: 300,
    });
    expectGolden("spike-raster-groups", fig, t);
  });

  it("spikeRaster(train, {maxPoints}) thins a train and says so", (t) => {
    expectGolden("spike-raster-thinned", spikeRaster(randomTrain(3, 5, 20, 30), { maxPoints: 8 }), t);
  });
});
