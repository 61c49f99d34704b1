/**
 * The STDP spiking CNN (Kheradpisheh et al. 2018), part of `models/stdp-cnn/` (described in index.ts): k winners-take-all with lateral inhibition (`kWinners`).
 */
import { fail, integer } from "../../core/validate";
import { type SpikingConvResult } from "./conv";
import { checkWave, objectArg } from "./wave";

/**
 * The k-winners-take-all of a learning step (file header): indices of at most `k` output neurons,
 * in the order they won. No two share a map; no two lie within `radius` of each other.
 * @example
 *   const winners = kWinners(spikingConv(input, conv), { k: 5, radius: 2 });
 */
export function kWinners(result: SpikingConvResult, options: { readonly k: number; readonly radius: number }): Int32Array {
  const fn = "kWinners";
  objectArg(fn, "result", result, "a spikingConv result");
  checkWave(fn, "result.output", result.output);
  if (!(result.firePotentials instanceof Float32Array)) fail(fn, "result.firePotentials", "be the Float32Array of a spikingConv result", result.firePotentials);
  objectArg(fn, "options", options, "{ k, radius }");
  const { output } = result;
  const k = integer(fn, "k", options.k, 1);
  const radius = integer(fn, "radius", options.radius, 0);
  if (k > output.channels) fail(fn, "k", `be at most the number of maps (${output.channels})`, k);
  const picker = winnerPicker(k, radius, output.channels);
  for (let t = 0; t < output.steps && !picker.done(); t++) {
    picker.step(output.order, result.firePotentials, output.stepStart[t], output.stepStart[t + 1], output.width);
  }
  return picker.winners();
}

export interface WinnerPicker {
  /** Takes the winners among the neurons `order[first … last)` that fired at one step. */
  step(order: Int32Array, firePotentials: Float32Array, first: number, last: number, width: number): void;
  done(): boolean;
  winners(): Int32Array;
}

/**
 * The k-WTA, one step at a time: within a step, repeatedly the eligible neuron with the largest
 * potential (ties: lower index) — the same choices as sorting the step and taking greedily, in
 * O(k · fired) without a sort.
 */
export function winnerPicker(k: number, radius: number, maps: number): WinnerPicker {
  const chosen: number[] = [];
  const mapWon = new Uint8Array(maps);
  const wy: number[] = [];
  const wx: number[] = [];
  return {
    step(order, firePotentials, first, last, width) {
      while (chosen.length < k) {
        let best = -1;
        for (let j = first; j < last; j++) {
          const idx = order[j];
          if (best >= 0 && (firePotentials[j] < firePotentials[best] || (firePotentials[j] === firePotentials[best] && idx > order[best]))) continue;
          const f = idx % maps;
          if (mapWon[f]) continue;
          const pos = (idx - f) / maps;
          const x = pos % width;
          const y = (pos - x) / width;
          let inhibited = false;
          for (let i = 0; i < wy.length; i++) {
            if (Math.abs(y - wy[i]) <= radius && Math.abs(x - wx[i]) <= radius) {
              inhibited = true;
              break;
            }
          }
          if (!inhibited) best = j;
        }
        if (best < 0) return;
        const idx = order[best];
        const f = idx % maps;
        const pos = (idx - f) / maps;
        chosen.push(idx);
        mapWon[f] = 1;
        wx.push(pos % width);
        wy.push((pos - (pos % width)) / width);
      }
    },
    done: () => chosen.length >= k,
    winners: () => Int32Array.from(chosen),
  };
}
