import { describe, it } from "node:test";
import { stdpWindowPlot } from "../../widgets/stdp-window-plot";
import { expectGolden } from "./golden";

const BI_POO = { aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8, tauMinus: 33.7 };

describe("stdpWindowPlot golden", () => {
  it("stdpWindowPlot(p, {measured, experimental}) over ±50 ms", (t) => {
    const fig = stdpWindowPlot(BI_POO, {
      title: "pair STDP", deltaTRange: [-50, 50], samples: 21,
      measured: { deltaT: [-20, -5, 5, 20], deltaW: [-0.0059, -0.0091, 0.0074, 0.003] },
      experimental: [{ name: "Bi & Poo 1998", deltaT: [-30, -10, 10, 30], deltaW: [-0.004, -0.008, 0.006, 0.002] }],
    });
    expectGolden("stdp-window-plot", fig, t);
  });
});
