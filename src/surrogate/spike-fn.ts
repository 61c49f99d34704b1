/**
 * The spike as a tf.js op with a surrogate backward pass (house style C6): forward the Heaviside
 * step S = H(x) (1 where x > 0, strict, as `tf.step` and `neurons/leaky.ts`), backward
 * dL/dx = dL/dS · σ′(x) with σ′ the surrogate's scalar derivative (surrogate.ts), applied
 * element by element. Using the very scalar function that the finite-difference tests check keeps
 * one definition of each surrogate.
 *
 * @example
 *   const spike = spikeFn(fastSigmoid({ slope: 25 }));
 *   const x = tf.tensor1d([-0.2, 0, 0.3]);
 *   spike(x).dataSync();                       // [0, 0, 1]
 *   tf.grad((v) => spike(v).sum())(x).dataSync(); // [σ′(−0.2), σ′(0), σ′(0.3)]
 */
import * as tf from "@tensorflow/tfjs-core";
import { surrogate as toSurrogate, type Surrogate, type SurrogateName } from "./surrogate";

/** Applies `f` to every element of `x`, returning a new float32 tensor of the same shape. */
export function mapElements(x: tf.Tensor, f: (v: number) => number): tf.Tensor {
  const src = x.dataSync() as Float32Array;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
  return tf.tensor(out, x.shape, "float32");
}

/**
 * A spike function H(x) whose gradient is the surrogate's σ′(x).
 *
 * @example
 *   const spike = spikeFn("atan");
 */
export function spikeFn(s: Surrogate | SurrogateName): (x: tf.Tensor) => tf.Tensor {
  const sur = toSurrogate(s, "spikeFn", "surrogate");
  const op = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const input = x as tf.Tensor;
    (save as tf.GradSaveFunc)([input]);
    const value = tf.cast(tf.greater(input, 0), "float32");
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, mapElements(saved[0]!, sur.derivative)),
    };
  });
  return (x: tf.Tensor) => op(x) as tf.Tensor;
}
