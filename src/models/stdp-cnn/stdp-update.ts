/**
 * The STDP spiking CNN (Kheradpisheh et al. 2018), part of `models/stdp-cnn/` (described in index.ts): the paper's STDP on a winner's kernel (`stdpConvUpdate`).
 */
import { fail, integer } from "../../core/validate";
import { type SpikeWave, checkWave, objectArg } from "./wave";

/**
 * The paper's STDP on the kernels of the `winners`, in place (file header): inputs of a winner's
 * window that spiked no later than it potentiate by a⁺·w(1 − w), the others (padding included)
 * depress by a⁻·w(1 − w); weights stay in [0, 1].
 * @example
 *   stdpConvUpdate(weights, input, result.output, kWinners(result, { k: 5, radius: 2 }),
 *     { kernel: 5, padding: 2, aPlus: 0.004, aMinus: -0.003 });
 */
export function stdpConvUpdate(
  weights: Float32Array, input: SpikeWave, output: SpikeWave, winners: ArrayLike<number>,
  options: { readonly kernel: number; readonly padding: number; readonly aPlus: number; readonly aMinus: number },
): void {
  const fn = "stdpConvUpdate";
  if (!(weights instanceof Float32Array)) fail(fn, "weights", "be a Float32Array", weights);
  checkWave(fn, "input", input);
  checkWave(fn, "output", output);
  if (winners === null || typeof winners !== "object" || typeof winners.length !== "number") fail(fn, "winners", "be an array of winner indices (from kWinners)", winners);
  objectArg(fn, "options", options, "{ kernel, padding, aPlus, aMinus }");
  const k = integer(fn, "kernel", options.kernel, 1);
  const padding = integer(fn, "padding", options.padding, 0);
  const { aPlus, aMinus } = options;
  if (!Number.isFinite(aPlus) || !Number.isFinite(aMinus)) fail(fn, "aPlus and aMinus", "be finite numbers", `${aPlus}, ${aMinus}`);
  if (weights.length !== k * k * input.channels * output.channels) fail(fn, "weights", `have length kernel²·channels·maps = ${k * k * input.channels * output.channels}`, weights.length);
  for (let i = 0; i < winners.length; i++) {
    const idx = winners[i]!;
    if (!(Number.isInteger(idx) && idx >= 0 && idx < output.times.length)) fail(fn, `winners[${i}]`, `be an index in [0, ${output.times.length})`, idx);
  }
  const maps = output.channels;
  const C = input.channels;
  for (let i = 0; i < winners.length; i++) {
    const idx = winners[i];
    const f = idx % maps;
    const pos = (idx - f) / maps;
    const ox = pos % output.width;
    const oy = (pos - ox) / output.width;
    const post = output.times[idx];
    for (let ky = 0; ky < k; ky++) {
      const y = oy + ky - padding;
      for (let kx = 0; kx < k; kx++) {
        const x = ox + kx - padding;
        const inside = y >= 0 && y < input.height && x >= 0 && x < input.width;
        for (let c = 0; c < C; c++) {
          const pre = inside ? input.times[(y * input.width + x) * C + c] : -1;
          const wi = ((ky * k + kx) * C + c) * maps + f;
          const w = weights[wi];
          const next = w + (pre >= 0 && pre <= post ? aPlus : aMinus) * w * (1 - w);
          weights[wi] = next < 0 ? 0 : next > 1 ? 1 : next;
        }
      }
    }
  }
}
