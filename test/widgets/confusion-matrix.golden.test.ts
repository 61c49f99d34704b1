import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { confusionMatrix } from "../../widgets/confusion-matrix";
import { expectGolden } from "./golden";

describe("confusionMatrix golden", () => {
  it("confusionMatrix({predicted, actual}, {classNames}) of 200 noisy labels over 4 classes", (t) => {
    const rng = createRng(31);
    const actual = Array.from({ length: 200 }, () => rng.int(4));
    const predicted = actual.map((a) => (rng.uniform() < 0.8 ? a : rng.int(4)));
    expectGolden("confusion-matrix", confusionMatrix({ predicted, actual }, { classNames: ["zero", "one", "two", "three"], title: "test set" }), t);
  });

  it("confusionMatrix(matrix, {normalize: 'actual'}) shows per-class recall", (t) => {
    expectGolden("confusion-matrix-normalized", confusionMatrix([[8, 2, 0], [1, 7, 2], [0, 3, 7]], { normalize: "actual" }), t);
  });
});
