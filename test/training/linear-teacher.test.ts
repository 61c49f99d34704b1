import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { linearTeacherTask, linearTeacherDefaults } from "../../src/training/linear-teacher";

describe("linearTeacherTask", () => {
  it("linearTeacherTask() has the defaults of Lillicrap et al.'s Fig. 1 (30 → 10, T ~ U[−1, 1])", () => {
    assert.deepEqual({ ...linearTeacherDefaults }, { inputs: 30, outputs: 10, train: 5000, test: 1000, teacherRange: 1 });
    assert.ok(Object.isFrozen(linearTeacherDefaults));
  });

  it("linearTeacherTask({...}) returns T with entries in [−a, a] and data sets of the asked sizes", () => {
    const task = linearTeacherTask({ inputs: 7, outputs: 3, train: 40, test: 11, teacherRange: 0.25, rng: createRng(1) });
    assert.equal(task.teacher.length, 3 * 7);
    assert.ok(task.teacher.every((t) => t >= -0.25 && t < 0.25));
    assert.equal(task.train.count, 40);
    assert.deepEqual(task.train.inputShape, [7]);
    assert.equal(task.train.targetSize, 3);
    assert.equal(task.train.targets!.length, 40 * 3);
    assert.equal(task.test!.count, 11);
  });

  it("linearTeacherTask({...}) targets equal T·x (oracle: the same float64 sum, rounded once to float32)", () => {
    const n = 30;
    const m = 10;
    const task = linearTeacherTask({ inputs: n, outputs: m, train: 25, test: 5, rng: createRng(2) });
    for (const data of [task.train, task.test!]) {
      for (let s = 0; s < data.count; s++) {
        for (let i = 0; i < m; i++) {
          let y = 0;
          for (let j = 0; j < n; j++) y += task.teacher[i * n + j]! * data.inputs[s * n + j]!;
          assert.equal(data.targets![s * m + i], Math.fround(y));
        }
      }
    }
  });

  it("linearTeacherTask({...}) draws x ~ N(0, I): mean within 4 standard errors of 0, variance near 1", () => {
    const task = linearTeacherTask({ inputs: 10, outputs: 2, train: 2000, test: 0, rng: createRng(3) });
    const x = task.train.inputs;
    const N = x.length;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < N; i++) {
      sum += x[i]!;
      sq += x[i]! * x[i]!;
    }
    const mean = sum / N;
    // Standard error of the mean is 1/√N; of the variance √(2/N) for a normal sample.
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(N), `mean ${mean}`);
    assert.ok(Math.abs(sq / N - 1) < 4 * Math.sqrt(2 / N), `variance ${sq / N}`);
  });

  it("linearTeacherTask({rng}) is reproducible: the same seed gives the same T and data; test: 0 gives no test set", () => {
    const a = linearTeacherTask({ train: 20, test: 0, rng: createRng(4) });
    const b = linearTeacherTask({ train: 20, test: 0, rng: createRng(4) });
    assert.deepEqual(a.teacher, b.teacher);
    assert.deepEqual(a.train.inputs, b.train.inputs);
    assert.equal(a.test, undefined);
  });

  it("linearTeacherTask({...}) rejects invalid options with the standard message", () => {
    assert.throws(() => linearTeacherTask({ inputs: 0, rng: createRng(1) }), /linearTeacherTask: inputs must/);
    assert.throws(() => linearTeacherTask({ teacherRange: -1, rng: createRng(1) }), /linearTeacherTask: teacherRange must/);
    assert.throws(() => linearTeacherTask({ train: 2.5, rng: createRng(1) }), /linearTeacherTask: train must/);
    assert.throws(() => linearTeacherTask({ rng: undefined as never }), /linearTeacherTask: rng must/);
    assert.throws(() => linearTeacherTask({ samples: 3, rng: createRng(1) } as never), /linearTeacherTask: options must/);
  });
});
