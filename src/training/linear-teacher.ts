/**
 * The linear teacher task of Lillicrap, Cownden, Tweed & Akerman (2016, Nat. Commun. 7:13276,
 * Fig. 1): a student network learns the map of a fixed random linear teacher,
 *
 *   y* = T·x,   x ~ N(0, I_n),   T_ij ~ U[−a, a]   (paper: n = 30 inputs, m = 10 outputs, a = 1)
 *
 * with the loss L = ½‖y − y*‖² (the trainer's "mse" loss). Training and test samples are
 * independent draws of x through the same T. All draws come from the seeded `rng`: T first, then
 * the training inputs, then the test inputs.
 *
 * @example
 *   const task = linearTeacherTask({ inputs: 30, outputs: 10, train: 2000, test: 500, rng: createRng(1) });
 *   task.teacher.length;        // 10 · 30 (row-major [outputs][inputs])
 *   task.train.targetSize;      // 10
 */
import { checkRng, type Rng } from "../core/random";
import { finite, integer, mergeOptions, positive } from "../core/validate";
import { arrayDataset, type ArrayDataset } from "./batches";

/** Options of `linearTeacherTask`. */
export interface LinearTeacherOptions {
  /** Input dimension n. Default 30. */
  readonly inputs: number;
  /** Output dimension m. Default 10. */
  readonly outputs: number;
  /** Training samples. Default 5000. */
  readonly train: number;
  /** Test samples (0: an empty test set is not made; `test` is then undefined). Default 1000. */
  readonly test: number;
  /** Half-width a of the teacher's entries, T_ij ~ U[−a, a]. Default 1. */
  readonly teacherRange: number;
  /** Seeded generator for T and the inputs. */
  readonly rng: Rng;
}

/** Defaults of `linearTeacherTask`: the paper's 30 → 10 teacher with T_ij ~ U[−1, 1]. */
export const linearTeacherDefaults: Readonly<Omit<LinearTeacherOptions, "rng">> = Object.freeze({
  inputs: 30, outputs: 10, train: 5000, test: 1000, teacherRange: 1,
});

/** What `linearTeacherTask` returns. */
export interface LinearTeacherTask {
  /** The teacher T, row-major [outputs][inputs]. */
  readonly teacher: Float32Array;
  readonly train: ArrayDataset;
  /** Undefined when `test` is 0. */
  readonly test: ArrayDataset | undefined;
}

/** count inputs x ~ N(0, I) and their targets T·x, as an ArrayDataset. */
function draw(name: string, count: number, teacher: Float32Array, n: number, m: number, rng: Rng): ArrayDataset {
  const inputs = rng.fillNormal(new Float32Array(count * n), 0, 1);
  const targets = new Float32Array(count * m);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < m; i++) {
      let y = 0;
      for (let j = 0; j < n; j++) y += teacher[i * n + j]! * inputs[s * n + j]!;
      targets[s * m + i] = y;
    }
  }
  return arrayDataset({ name, inputs, inputShape: [n], targets, targetSize: m });
}

/**
 * A random linear teacher and training/test sets drawn through it (file header).
 *
 * @example
 *   const { train, test } = linearTeacherTask({ train: 5000, test: 1000, rng: createRng(7) });
 */
export function linearTeacherTask(options: Partial<LinearTeacherOptions> & { rng: Rng }): LinearTeacherTask {
  const fn = "linearTeacherTask";
  const o = mergeOptions(fn, { ...linearTeacherDefaults, rng: undefined as unknown as Rng }, options);
  const rng = checkRng(fn, "rng", o.rng);
  const n = integer(fn, "inputs", o.inputs, 1);
  const m = integer(fn, "outputs", o.outputs, 1);
  const trainCount = integer(fn, "train", o.train, 1);
  const testCount = integer(fn, "test", o.test, 0);
  finite(fn, "teacherRange", o.teacherRange);
  positive(fn, "teacherRange", o.teacherRange);
  const a = o.teacherRange;
  const teacher = rng.fillUniform(new Float32Array(m * n), -a, a);
  const train = draw("linear teacher (train)", trainCount, teacher, n, m, rng);
  const test = testCount > 0 ? draw("linear teacher (test)", testCount, teacher, n, m, rng) : undefined;
  return Object.freeze({ teacher, train, test });
}
