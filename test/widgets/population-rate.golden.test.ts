import { describe, it } from "node:test";
import { populationRate } from "../../widgets/population-rate";
import { randomTrain } from "./fixtures";
import { expectGolden } from "./golden";

describe("populationRate golden", () => {
  it("populationRate(train, {binWidth, sigma, groups}) of excitatory and inhibitory neurons", (t) => {
    const fig = populationRate(randomTrain(51, 10, 100, 120), {
      binWidth: 10, sigma: 10, groups: [{ name: "exc", range: [0, 8] }, { name: "inh", range: [8, 10] }], title: "population rate",
    });
    expectGolden("population-rate", fig, t);
  });
});
