import { describe, it } from "node:test";
import { sweepPlot } from "../../widgets/sweep-plot";
import { expectGolden } from "./golden";

describe("sweepPlot golden", () => {
  it("sweepPlot(rows, {x, by, quantity}) of a 3 × 2 sweep (accuracy against neurons, one line per seed)", (t) => {
    const rows = [100, 400, 1600].flatMap((neurons, i) => [1, 2].map((seed) => ({
      run: 2 * i + seed - 1, neurons, seed, ok: true, quantity: "test accuracy", ours: 80 + 4 * i + seed / 3, unit: "%",
    })));
    const fig = sweepPlot(rows, { x: "neurons", by: ["seed"], quantity: "test accuracy", logX: true, title: "Diehl & Cook: accuracy against size" });
    expectGolden("sweep-plot", fig, t);
  });
});
