import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { createSpikeTrain } from "../../src/encoders/spike-train";
import { poissonProcess, poissonTrain } from "../../src/encoders/poisson";
import { countStatistics, firingRates, isiStatistics, rankCorrelation } from "../../src/metrics/spike-statistics";
import { expectClose, expectError } from "../helpers/close";

describe("spike statistics", () => {
  it("countStatistics(trains) of Bernoulli steps has mean rT and Fano factor 1 − p", () => {
    const rng = createRng(3);
    const rate = 0.04; // 40 Hz in 1/ms
    const dt = 0.5;
    const trials = 400;
    const trains = Array.from({ length: trials }, () => poissonTrain(new Float32Array(20).fill(rate), { duration: 500, dt, rng }));
    const s = countStatistics(trains);
    let meanOfMeans = 0;
    let meanFano = 0;
    for (let i = 0; i < 20; i++) {
      meanOfMeans += s.mean[i]! / 20;
      meanFano += s.fano[i]! / 20;
    }
    // mean count rT = 20; its standard error over 20×400 samples is sqrt(20/8000) = 0.05
    expectClose(meanOfMeans, 20, { atol: 5 * 0.05 });
    // Fano of a binomial count is 1 − p = 0.98; the sd of a variance estimate is ~ sqrt(2/(n−1))
    expectClose(meanFano, 1 - rate * dt, { atol: 5 * Math.sqrt(2 / (trials - 1)) / Math.sqrt(20) });
  });

  it("isiStatistics(train) gives CV 0 for a regular train and ≈ 1 for a Poisson process", () => {
    const regular = createSpikeTrain([0, 10, 20, 30, 5, 15, 25], [0, 0, 0, 0, 1, 1, 1], { size: 2, duration: 40 });
    const r = isiStatistics(regular);
    assert.equal(r.count, 5);
    assert.equal(r.mean, 10);
    assert.equal(r.cv, 0);
    const poisson = poissonProcess(new Float32Array(10).fill(0.05), { duration: 20_000, rng: createRng(8) });
    const p = isiStatistics(poisson);
    expectClose(p.mean, 20, { rtol: 0.05 });
    expectClose(p.cv, 1, { atol: 0.05 });
  });

  it("firingRates(train) is count / duration in Hz", () => {
    const train = createSpikeTrain([1, 2, 3], [0, 0, 1], { size: 3, duration: 100 });
    assert.deepEqual([...firingRates(train)], [20, 10, 0]);
  });

  it("rankCorrelation(x, y) is ±1 for monotone relations and handles ties", () => {
    assert.equal(rankCorrelation([1, 2, 3, 4], [10, 20, 30, 40]), 1);
    assert.equal(rankCorrelation([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    expectClose(rankCorrelation([1, 1, 2, 3], [1, 2, 3, 4]), 0.9486832980505138, { rtol: 1e-12 });
  });

  it("metrics reject mismatched inputs with the standard message", () => {
    const a = createSpikeTrain([], [], { size: 2, duration: 10 });
    const b = createSpikeTrain([], [], { size: 3, duration: 10 });
    expectError(() => countStatistics([a, b]), "countStatistics: trains[1].size must equal trains[0].size (2), got 3");
    expectError(() => rankCorrelation([1, 2], [1]), "rankCorrelation: y must have length 2, got 1");
  });
});
