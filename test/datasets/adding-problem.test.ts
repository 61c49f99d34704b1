import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { addingProblem, addingProblemBaseline } from "../../src/datasets/adding-problem";
import { regressionSequences } from "../../src/datasets/regression-sequences";
import { expectError } from "../helpers/close";

describe("adding problem", () => {
  it("two markers, one in each half; the target is the sum of the marked values", () => {
    const T = 37;
    const d = addingProblem({ count: 200, steps: T, rng: createRng(3) });
    assert.equal(d.features, 2);
    assert.equal(d.inputs.length, 200 * T * 2);
    for (let s = 0; s < d.count; s++) {
      const marked: number[] = [];
      for (let t = 0; t < T; t++) {
        const v = d.inputs[(s * T + t) * 2]!;
        assert.ok(v >= 0 && v < 1);
        if (d.inputs[(s * T + t) * 2 + 1] === 1) marked.push(t);
        else assert.equal(d.inputs[(s * T + t) * 2 + 1], 0);
      }
      assert.equal(marked.length, 2);
      assert.ok(marked[0]! < Math.floor(T / 2) && marked[1]! >= Math.floor(T / 2));
      assert.equal(d.targets[s], Math.fround(d.inputs[(s * T + marked[0]!) * 2]! + d.inputs[(s * T + marked[1]!) * 2]!));
    }
  });

  it("the predict-the-mean baseline: MSE of predicting 1 is 1/6 ≈ 0.167 (within sampling error)", () => {
    const d = addingProblem({ count: 20000, steps: 10, rng: createRng(4) });
    let se = 0;
    for (const y of d.targets) se += (y - 1) ** 2;
    // Var of (X1+X2−1)² over 20 000 draws: the standard error of the mean is about 0.0013.
    assert.ok(Math.abs(se / d.count - addingProblemBaseline) < 0.006, `${se / d.count}`);
    assert.equal(addingProblemBaseline, 1 / 6);
  });

  it("is seeded: the same seed gives the same bytes, another seed other sequences", () => {
    const a = addingProblem({ count: 5, steps: 20, rng: createRng(9) });
    const b = addingProblem({ count: 5, steps: 20, rng: createRng(9) });
    const c = addingProblem({ count: 5, steps: 20, rng: createRng(10) });
    assert.deepEqual(a.inputs, b.inputs);
    assert.notDeepEqual(a.inputs, c.inputs);
  });

  it("bad options: one clear error each", () => {
    expectError(() => addingProblem({ count: 0, steps: 10, rng: createRng(1) }), /^addingProblem: count must be an integer/);
    expectError(() => addingProblem({ count: 2, steps: 1, rng: createRng(1) }), /^addingProblem: steps must be an integer/);
    expectError(() => addingProblem({ count: 2, steps: 10, rng: 3 as never }), /^addingProblem: rng must/);
    expectError(() => addingProblem({ count: 2, steps: 10, rng: createRng(1), length: 3 } as never), 'addingProblem: options must have only the keys count, steps, rng, split, got "length"');
  });
});

describe("sequence data sets", () => {
  it("packs nested arrays as [N, T, F] and targets as [N, size]", () => {
    const d = regressionSequences({ inputs: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], targets: [[0.5], [1.5]] });
    assert.deepEqual([d.count, d.steps, d.features, d.targetSize], [2, 2, 2, 1]);
    assert.deepEqual(Array.from(d.inputs), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(Array.from(d.targets), [0.5, 1.5]);
  });

  it("ragged sequence lengths and ragged feature sizes: one clear error each", () => {
    expectError(() => regressionSequences({ inputs: [[[1], [2]], [[3]]], targets: [1, 2] }), 'regressionSequences: inputs must have sequences of one length (T = 2), got "sequence 1 of length 1"');
    expectError(() => regressionSequences({ inputs: [[[1, 2], [3]]], targets: [1] }), 'regressionSequences: inputs must have 2 features at every step, got "1 at sequence 0, step 1"');
    expectError(() => regressionSequences({ inputs: [[[1]]], targets: [1, 2] }), 'regressionSequences: targets must have one target per sequence (1), got "2 targets"');
    expectError(() => regressionSequences({ inputs: [[[Number.NaN]]], targets: [1] }), "regressionSequences: inputs[0][0][0] must be a finite number, got NaN");
  });
});
