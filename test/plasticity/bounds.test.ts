import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkWeightsInBounds, clipWeights, depress, potentiate, weightBounds, weightBoundsDefaults } from "../../src/plasticity/bounds";
import { expectClose, expectError } from "../helpers/close";

const DOUBLE = { rtol: 1e-15 };

describe("weightBounds", () => {
  it("weightBounds() has the expected defaults: hard bounds on [0, 1]", () => {
    assert.deepEqual(weightBounds(), { wMin: 0, wMax: 1, weightDependence: "hard", mu: 1 });
    assert.deepEqual(weightBoundsDefaults, weightBounds());
  });

  it("weightBounds(options) rejects wMin ≥ wMax, NaN, a negative μ and unknown modes", () => {
    expectError(() => weightBounds({ wMin: 1, wMax: 0 }), "weightBounds: wMax must be a finite number > wMin (1), got 0");
    expectError(() => weightBounds({ wMin: NaN }), "weightBounds: wMin must be a finite number, got NaN");
    expectError(() => weightBounds({ mu: -1 }), "weightBounds: mu must be a finite number >= 0, got -1");
    expectError(() => weightBounds({ weightDependence: "multiplicative" as never }),
      'weightBounds: weightDependence must be one of "hard", "soft", "power", got "multiplicative"');
  });
});

describe("potentiate and depress", () => {
  it("potentiate(w, a, hard) adds a and clips; depress(w, a, hard) likewise", () => {
    const b = weightBounds({ wMin: -1, wMax: 2 });
    assert.equal(potentiate(0.5, 0.25, b), 0.75);
    assert.equal(potentiate(1.9, 0.25, b), 2);
    assert.equal(depress(0.5, -0.25, b), 0.25);
    assert.equal(depress(-0.9, -0.25, b), -1);
  });

  it("potentiate(w, a, soft) scales by (wMax − w)/(wMax − wMin) and depress by (w − wMin)/(wMax − wMin)", () => {
    const b = weightBounds({ wMin: -1, wMax: 3, weightDependence: "soft" });
    expectClose(potentiate(1, 0.4, b), 1 + 0.4 * (2 / 4), DOUBLE);
    expectClose(depress(1, -0.4, b), 1 - 0.4 * (2 / 4), DOUBLE);
    assert.equal(potentiate(3, 10, b), 3);
    assert.equal(depress(-1, -10, b), -1);
  });

  it("potentiate(w, a, power) raises the soft factors to μ; μ = 1 is soft and μ = 0 is hard", () => {
    const power = (mu: number) => weightBounds({ weightDependence: "power", mu });
    expectClose(potentiate(0.5, 0.1, power(2)), 0.5 + 0.1 * 0.25, DOUBLE);
    expectClose(depress(0.25, -0.1, power(0.5)), 0.25 - 0.1 * 0.5, DOUBLE);
    assert.equal(potentiate(0.3, 0.2, power(1)), potentiate(0.3, 0.2, weightBounds({ weightDependence: "soft" })));
    assert.equal(potentiate(0.3, 0.2, power(0)), potentiate(0.3, 0.2, weightBounds()));
  });

  it("potentiate and depress never leave [wMin, wMax], for any mode and step size", () => {
    for (const weightDependence of ["hard", "soft", "power"] as const) {
      const b = weightBounds({ wMin: 0.2, wMax: 0.8, weightDependence, mu: 0.3 });
      for (let w = 0.2; w <= 0.8; w += 0.05) {
        for (const a of [0.01, 0.5, 1, 100]) {
          const up = potentiate(w, a, b);
          const down = depress(w, -a, b);
          assert.ok(up >= w && up <= 0.8 && down <= w && down >= 0.2, `${weightDependence} w ${w} a ${a}`);
        }
      }
    }
  });
});

describe("checkWeightsInBounds and clipWeights", () => {
  it("checkWeightsInBounds(fn, param, w, b) accepts float32-rounded bounds and names the first bad weight", () => {
    const b = weightBounds({ wMin: 0, wMax: 0.3 });
    checkWeightsInBounds("f", "w", new Float32Array([0, 0.3]), b); // 0.3 is stored as 0.30000001192…
    expectError(() => checkWeightsInBounds("f", "w", new Float32Array([0.5, -1]), b), "f: w[0] must be a finite number in [0, 0.3], got 0.5");
  });

  it("clipWeights(w, b) clips in place and counts the weights it changed", () => {
    const w = new Float32Array([-1, 0.5, 2]);
    assert.equal(clipWeights(w, weightBounds()), 2);
    assert.deepEqual([...w], [0, 0.5, 1]);
  });
});
