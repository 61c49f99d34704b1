import { describe, it } from "node:test";
import { rateHistogram } from "../../widgets/rate-histogram";
import { weightHistogram } from "../../widgets/weight-histogram";
import { createRng } from "../../src/core/random";
import { randomTrain } from "./fixtures";
import { expectGolden } from "./golden";

describe("rateHistogram golden", () => {
  it("rateHistogram(train, {binWidth}) of 20 neurons", (t) => {
    expectGolden("rate-histogram", rateHistogram(randomTrain(41, 20, 500, 150), { binWidth: 2, title: "rates" }), t);
  });

  it("weightHistogram(w, {bins, range}) of 500 uniform weights", (t) => {
    const w = createRng(42).fillUniform(new Float32Array(500), 0, 1);
    expectGolden("weight-histogram", weightHistogram(w, { bins: 10, range: [0, 1] }), t);
  });
});
