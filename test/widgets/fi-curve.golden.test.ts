import { describe, it } from "node:test";
import { toHz } from "../../src/core/units";
import { lifParams, lifRateClosedForm } from "../../src/neurons/lif";
import { fiCurve } from "../../widgets/fi-curve";
import { expectGolden } from "./golden";

describe("fiCurve golden", () => {
  it("fiCurve(points, {closedForm}) of a LIF neuron over 0–3 nA", (t) => {
    const p = lifParams();
    const current = [0.5, 1, 1.5, 2, 2.5, 3];
    const rate = current.map((i) => Math.round(toHz(lifRateClosedForm(i, p)) * 0.98 * 10) / 10);
    const fig = fiCurve({ current, rate }, { closedForm: (i) => toHz(lifRateClosedForm(i, p)), currentRange: [0, 3], samples: 16, title: "LIF f–I" });
    expectGolden("fi-curve", fig, t);
  });
});
