import { describe, it } from "node:test";
import { learningCurves } from "../../widgets/learning-curves";
import { expectGolden } from "./golden";

describe("learningCurves golden", () => {
  it("learningCurves(series, {references}) of two runs and a paper's accuracy", (t) => {
    const epochs = [1, 2, 3, 4, 5];
    const fig = learningCurves([
      { name: "100 neurons", x: epochs, y: epochs.map((e) => 0.9 - 0.4 * Math.exp(-e / 1.5)) },
      { name: "400 neurons", x: epochs, y: epochs.map((e) => 0.95 - 0.5 * Math.exp(-e / 1.2)) },
    ], { title: "Diehl & Cook", yTitle: "test accuracy", references: [{ value: 0.95, label: "paper (95.0 %)" }], yRange: [0, 1] });
    expectGolden("learning-curves", fig, t);
  });
});
