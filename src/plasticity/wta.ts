/**
 * Competition between neurons: k-winner-take-all selection and lateral inhibition, the mechanisms
 * that let STDP layers learn different features (Diehl & Cook 2015, soft WTA through inhibitory
 * neurons; Kheradpisheh et al. 2018, hard k-WTA with local inhibition, card E17).
 *
 * - `kWinnersTakeAll` keeps at most k of this step's spiking neurons, those with the largest
 *   potential (ties: lower index first). With a `mapShape` (convolutional feature maps, index
 *   (c·height + y)·width + x) it follows SpykeTorch's `get_k_winners`: a winner also silences
 *   its whole feature map c and, if `inhibitionRadius` R > 0, every neuron of any map within
 *   Chebyshev distance R of its position. (SpykeTorch ranks by earliest spike first; pass the
 *   spikes of the first step in which any neuron fired to get the same effect.)
 * - `pointwiseInhibition` keeps, at each map position, only the spiking channel with the largest
 *   potential (SpykeTorch's `pointwise_inhibition`).
 * - `lateralInhibition` is the soft, rate-level form: each spike inhibits every other neuron by a
 *   fixed amount of input.
 *
 * @example
 *   const v = new Float32Array([0.2, 0.9, 0.5, 0.9]);
 *   const spikes = new Uint8Array([1, 1, 1, 1]);
 *   kWinnersTakeAll(v, spikes, 2);          // Int32Array [1, 3]; spikes = [0, 1, 0, 1]
 */
import { arrayLike, fail, integer, lengthIs, mergeOptions, nonNegative } from "../core/validate";

/** Shape of a stack of feature maps; neuron (c, y, x) has index (c·height + y)·width + x. */
export interface MapShape {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/** Options of `kWinnersTakeAll`. */
export interface KWinnersOptions {
  /** Feature-map layout; null treats the neurons as one flat population. */
  readonly mapShape: MapShape | null;
  /** Radius R (positions) of local inhibition around a winner, across all maps; needs a mapShape. */
  readonly inhibitionRadius: number;
}

/** Defaults: a flat population, no local inhibition. */
export const kWinnersDefaults: Readonly<KWinnersOptions> = Object.freeze({ mapShape: null, inhibitionRadius: 0 });

function checkMapShape(fn: string, shape: MapShape, size: number): MapShape {
  if (shape === null || typeof shape !== "object") fail(fn, "mapShape", "be an object {channels, height, width}", shape);
  integer(fn, "mapShape.channels", shape.channels, 1);
  integer(fn, "mapShape.height", shape.height, 1);
  integer(fn, "mapShape.width", shape.width, 1);
  const total = shape.channels * shape.height * shape.width;
  if (total !== size) fail(fn, "mapShape", `cover the ${size} neurons (channels·height·width)`, total);
  return shape;
}

/**
 * Keeps at most `k` of the spiking neurons (`spikes[i] = 1`): the largest `potentials` first, ties
 * by lower index, subject to the map inhibition described in the file header. Writes the result
 * into `spikes` in place (losers set to 0) and returns the winners' indices in selection order.
 * `potentials` are read only.
 */
export function kWinnersTakeAll(
  potentials: Float32Array, spikes: Uint8Array, k: number, options?: Partial<KWinnersOptions>,
): Int32Array {
  const fn = "kWinnersTakeAll";
  const o = mergeOptions(fn, kWinnersDefaults, options);
  const n = arrayLike(fn, "potentials", potentials).length;
  lengthIs(fn, "spikes", spikes, n);
  integer(fn, "k", k, 0);
  const radius = integer(fn, "inhibitionRadius", o.inhibitionRadius, 0);
  const shape = o.mapShape === null ? null : checkMapShape(fn, o.mapShape, n);
  if (shape === null && radius > 0) fail(fn, "inhibitionRadius", "be 0 without a mapShape", radius);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!spikes[i]) continue;
    if (!Number.isFinite(potentials[i])) fail(fn, `potentials[${i}]`, "be a finite number", potentials[i]);
    count++;
  }
  const candidates = new Int32Array(count);
  for (let i = 0, c = 0; i < n; i++) if (spikes[i]) candidates[c++] = i;
  candidates.sort((a, b) => potentials[b] - potentials[a] || a - b);
  const winners: number[] = [];
  const plane = shape === null ? 1 : shape.height * shape.width;
  const width = shape === null ? 1 : shape.width;
  for (let c = 0; c < count && winners.length < k; c++) {
    const i = candidates[c];
    if (shape !== null) {
      const channel = Math.floor(i / plane);
      const y = Math.floor((i % plane) / width);
      const x = i % width;
      let inhibited = false;
      for (const winner of winners) {
        if (Math.floor(winner / plane) === channel) inhibited = true;
        else if (radius > 0) {
          const wy = Math.floor((winner % plane) / width);
          const wx = winner % width;
          if (Math.abs(wy - y) <= radius && Math.abs(wx - x) <= radius) inhibited = true;
        }
        if (inhibited) break;
      }
      if (inhibited) continue;
    }
    winners.push(i);
  }
  spikes.fill(0);
  for (const i of winners) spikes[i] = 1;
  return Int32Array.from(winners);
}

/**
 * At each position (y, x) of the maps, keeps only the spiking channel with the largest potential
 * (ties: lower channel), setting the others' `spikes` to 0 in place. `potentials` are read only.
 * Returns the number of spikes removed.
 */
export function pointwiseInhibition(potentials: Float32Array, spikes: Uint8Array, mapShape: MapShape): number {
  const fn = "pointwiseInhibition";
  const n = arrayLike(fn, "potentials", potentials).length;
  lengthIs(fn, "spikes", spikes, n);
  const { channels, height, width } = checkMapShape(fn, mapShape, n);
  for (let i = 0; i < n; i++) {
    if (spikes[i] && !Number.isFinite(potentials[i])) fail(fn, `potentials[${i}]`, "be a finite number", potentials[i]);
  }
  const plane = height * width;
  let removed = 0;
  for (let pos = 0; pos < plane; pos++) {
    let best = -1;
    for (let c = 0; c < channels; c++) {
      const i = c * plane + pos;
      if (!spikes[i]) continue;
      if (best < 0 || potentials[i] > potentials[best]) {
        if (best >= 0) {
          spikes[best] = 0;
          removed++;
        }
        best = i;
      } else {
        spikes[i] = 0;
        removed++;
      }
    }
  }
  return removed;
}

/**
 * Soft lateral inhibition: subtracts, in place, `strength` (input units, e.g. nA or µS) times the
 * number of *other* neurons that spiked from each entry of `input`:
 *
 *   inputᵢ ← inputᵢ − strength · (Σⱼ sⱼ − sᵢ)
 *
 * `spikes` (0/1) are read only. Returns the number of spikes.
 */
export function lateralInhibition(spikes: Uint8Array, strength: number, input: Float32Array): number {
  const fn = "lateralInhibition";
  arrayLike(fn, "spikes", spikes);
  nonNegative(fn, "strength", strength);
  lengthIs(fn, "input", input, spikes.length);
  let count = 0;
  for (let i = 0; i < spikes.length; i++) if (spikes[i]) count++;
  if (count === 0 || strength === 0) return count;
  for (let i = 0; i < input.length; i++) input[i] -= strength * (count - (spikes[i] ? 1 : 0));
  return count;
}
