/**
 * The angle between two updates, in degrees: θ = arccos(⟨a, b⟩ / (‖a‖·‖b‖)), the cosine clipped
 * to [−1, 1] (rounding can push it just past 1, and arccos of that is NaN). Lillicrap et al.
 * (2016) plot it between the feedback-alignment update and the backprop gradient: below 90° the
 * update still descends the loss. A zero vector has no direction: the angle is NaN.
 *
 * @example
 *   angleDegrees(new Float32Array([1, 0]), new Float32Array([1, 1])); // 45
 */
import * as tf from "@tensorflow/tfjs-core";
import { arrayLike, fail } from "../core/validate";

/** Angle in degrees between two vectors of equal length (file header). */
export function angleDegrees(a: ArrayLike<number>, b: ArrayLike<number>): number {
  arrayLike("angleDegrees", "a", a);
  arrayLike("angleDegrees", "b", b);
  if (a.length !== b.length) fail("angleDegrees", "b", `have the length of a (${a.length})`, b.length);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return Number.NaN;
  const c = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
  return (Math.acos(c) * 180) / Math.PI;
}

/** The angle between two lists of tensors, taken as one long vector each. */
export function tensorAngleDegrees(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): number {
  for (const [param, ts] of [["a", a], ["b", b]] as const) {
    if (!Array.isArray(ts) || !ts.every((t) => t instanceof tf.Tensor)) fail("tensorAngleDegrees", param, "be an array of tensors", ts);
  }
  if (a.length !== b.length) fail("tensorAngleDegrees", "b", `have as many tensors as a (${a.length})`, b.length);
  const flat = (ts: readonly tf.Tensor[]) => {
    const n = ts.reduce((s, t) => s + t.size, 0);
    const out = new Float32Array(n);
    let off = 0;
    for (const t of ts) {
      out.set(t.dataSync() as Float32Array, off);
      off += t.size;
    }
    return out;
  };
  return angleDegrees(flat(a), flat(b));
}
