import { describe, it } from "node:test";
import { alignmentComparison } from "../../widgets/alignment-comparison";
import { alignmentRows } from "./fixtures";
import { expectGolden } from "./golden";

describe("alignmentComparison golden", () => {
  it("alignmentComparison(rows) of backprop, FA and DFA", (t) => {
    expectGolden("alignment-comparison", alignmentComparison(alignmentRows(11), { title: "feedback alignment" }), t);
  });

  it("alignmentComparison(rows, {metric: 'accuracy'}) without angles has one panel", (t) => {
    const rows = alignmentRows(12).map(({ angle: _angle, ...rest }) => rest);
    expectGolden("alignment-comparison-accuracy", alignmentComparison(rows, { metric: "accuracy" }), t);
  });
});
