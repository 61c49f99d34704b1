/**
 * Mirrored STDP (Burbank 2015, PLoS Comput. Biol. 11:e1004566): between a visible layer v and a
 * hidden layer h, the feedforward synapses v_i → h_j learn with ordinary pair STDP, and the
 * feedback synapses h_j → v_i with the temporally reversed rule. For a pair of spikes at
 * t_v (neuron v_i) and t_h (neuron h_j), with s = t_h − t_v,
 *
 *   feedforward  (pre v_i, post h_j):   ΔW_ff[j][i] = W(s)              (STDP)
 *   feedback     (pre h_j, post v_i):   ΔW_fb[i][j] = W(t_pre − t_post) = W(s)   (reversed STDP)
 *
 * where W is the pair window of `stdp-window.ts` (A·e^{−s/τ₊} for s ≥ 0, B·e^{s/τ₋} for s < 0).
 * Both synapses of a pair see the same update, so the two rules combined are symmetric: the change
 * of W_fb is the transpose of the change of W_ff for every spike pair, and W_fb − W_ffᵀ stays as it
 * was, except where a bound clips one of the two (the "mirrored" rule).
 *
 * The step is `stdpStep`'s (`stdp.ts`) with v as pre and h as post, applied to both matrices with
 * the same amounts: decay the visible trace x (τ₊) and the hidden trace y (τ₋); add this step's
 * visible spikes to x; for each hidden spike j, ΔW_ff[j][i] = ΔW_fb[i][j] = A·xᵢ; for each visible
 * spike i, ΔW_ff[j][i] = ΔW_fb[i][j] = B·yⱼ; add this step's hidden spikes to y. Each amount passes
 * through the weight dependence and bounds of `bounds.ts` on each matrix separately.
 *
 * Layout: `ff` is [hidden][visible] (post-major, row j holds h_j's inputs), `fb` is
 * [visible][hidden] (row i holds v_i's feedback inputs), both row-major Float32Arrays.
 *
 * @example
 *   const p = stdpParams({ aPlus: 0.01, aMinus: -0.01, wMax: 4 });
 *   const w = mirroredWeights(new Float32Array(2 * 3), new Float32Array(3 * 2), 3, 2);  // 3 visible, 2 hidden
 *   const traces = mirroredStdpInit(w, p);
 *   mirroredStdpStep(new Uint8Array([1, 0, 0]), new Uint8Array([0, 0]), w, traces, p, 1);
 *   mirroredStdpStep(new Uint8Array([0, 0, 0]), new Uint8Array([1, 0]), w, traces, p, 1);
 *   // w.ff[0] === w.fb[0] === 0.01·e^{−1/20}: v_0 fired 1 ms before h_0
 */
import { arrayLength, fail, lengthIs, oneOf, positive } from "../core/validate";
import { checkWeightBounds, checkWeightsInBounds, depress, potentiate } from "./bounds";
import type { StdpParams } from "./stdp";
import { checkStdpWindowParams } from "./stdp-window";
import { addSpikes, decayTrace, traceInteractions } from "./traces";

/** The two weight matrices of a visible–hidden pair of layers (file header for the layouts). */
export interface MirroredWeights {
  /** Feedforward weights, [nHidden][nVisible] row-major. */
  readonly ff: Float32Array;
  /** Feedback weights, [nVisible][nHidden] row-major. */
  readonly fb: Float32Array;
  readonly nVisible: number;
  readonly nHidden: number;
}

/** Traces of mirrored STDP: one per visible neuron (τ₊) and one per hidden neuron (τ₋). */
export interface MirroredStdpTraces {
  readonly visible: Float32Array;
  readonly hidden: Float32Array;
}

/**
 * Bundles and checks the two matrices (no copy: the record shares `ff` and `fb`).
 *
 * @example
 *   const w = mirroredWeights(new Float32Array(6), new Float32Array(6), 3, 2);
 */
export function mirroredWeights(ff: Float32Array, fb: Float32Array, nVisible: number, nHidden: number): MirroredWeights {
  const fn = "mirroredWeights";
  arrayLength(fn, "nVisible", nVisible, 1);
  arrayLength(fn, "nHidden", nHidden, 1);
  if (!(ff instanceof Float32Array)) fail(fn, "ff", "be a Float32Array", ff);
  if (!(fb instanceof Float32Array)) fail(fn, "fb", "be a Float32Array", fb);
  lengthIs(fn, "ff", ff, nVisible * nHidden);
  lengthIs(fn, "fb", fb, nVisible * nHidden);
  return Object.freeze({ ff, fb, nVisible, nHidden });
}

function checkParams(fn: string, p: StdpParams): void {
  if (p === null || typeof p !== "object") fail(fn, "p", "be STDP parameters (stdpParams(options))", p);
  checkStdpWindowParams(fn, p);
  checkWeightBounds(fn, p);
  oneOf(fn, "interaction", p.interaction, traceInteractions);
}

/** Checks a `MirroredWeights` record: sizes and matrix lengths (internal to the library). */
export function checkMirroredWeights(fn: string, w: MirroredWeights): void {
  if (w === null || typeof w !== "object") fail(fn, "weights", "be the record of mirroredWeights(ff, fb, nVisible, nHidden)", w);
  arrayLength(fn, "weights.nVisible", w.nVisible, 1);
  arrayLength(fn, "weights.nHidden", w.nHidden, 1);
  if (!(w.ff instanceof Float32Array) || !(w.fb instanceof Float32Array)) fail(fn, "weights", "hold Float32Arrays ff and fb", w);
  lengthIs(fn, "weights.ff", w.ff, w.nVisible * w.nHidden);
  lengthIs(fn, "weights.fb", w.fb, w.nVisible * w.nHidden);
}

/**
 * Checks the parameters and that every weight lies in [wMin, wMax], and returns zeroed traces.
 * Reset them between samples with `resetTraces`.
 */
export function mirroredStdpInit(weights: MirroredWeights, p: StdpParams): MirroredStdpTraces {
  const fn = "mirroredStdpInit";
  checkParams(fn, p);
  checkMirroredWeights(fn, weights);
  checkWeightsInBounds(fn, "weights.ff", weights.ff, p);
  checkWeightsInBounds(fn, "weights.fb", weights.fb, p);
  return Object.freeze({ visible: new Float32Array(weights.nVisible), hidden: new Float32Array(weights.nHidden) });
}

/**
 * One step of mirrored STDP (file header), in place on `traces`, `weights.ff` and `weights.fb`;
 * `visible` and `hidden` (0/1 spikes of this step) and `p` are read only. Returns the number of
 * spike pairs that changed a weight (each changes two synapses).
 */
export function mirroredStdpStep(
  visible: Uint8Array, hidden: Uint8Array, weights: MirroredWeights, traces: MirroredStdpTraces, p: StdpParams, dt: number,
): number {
  const fn = "mirroredStdpStep";
  checkParams(fn, p);
  positive(fn, "dt", dt);
  checkMirroredWeights(fn, weights);
  if (traces === null || typeof traces !== "object") fail(fn, "traces", "be the record returned by mirroredStdpInit", traces);
  lengthIs(fn, "visible", visible, weights.nVisible);
  lengthIs(fn, "hidden", hidden, weights.nHidden);
  lengthIs(fn, "traces.visible", traces.visible, weights.nVisible);
  lengthIs(fn, "traces.hidden", traces.hidden, weights.nHidden);
  return mirroredStdpUpdate(visible, hidden, weights, traces, p, Math.exp(-dt / p.tauPlus), Math.exp(-dt / p.tauMinus));
}

/**
 * Unchecked core of `mirroredStdpStep` for the simulation loop of a model that checked its
 * arguments once: the decay factors e^{−dt/τ₊}, e^{−dt/τ₋} are given. `aPlus`/`aMinus` may be
 * scaled by the caller through `p` (a learning rate).
 */
export function mirroredStdpUpdate(
  visible: Uint8Array, hidden: Uint8Array, weights: MirroredWeights, traces: MirroredStdpTraces, p: StdpParams,
  decayVisible: number, decayHidden: number,
): number {
  const { ff, fb, nVisible, nHidden } = weights;
  const x = traces.visible;
  const y = traces.hidden;
  const nearest = p.interaction === "nearest";
  decayTrace(x, decayVisible);
  decayTrace(y, decayHidden);
  addSpikes(visible, x, nearest);
  let pairs = 0;
  // LTP: a hidden spike pairs with the earlier (and simultaneous) visible spikes.
  for (let j = 0; j < nHidden; j++) {
    if (!hidden[j]) continue;
    const row = j * nVisible;
    for (let i = 0; i < nVisible; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      const a = p.aPlus * xi;
      ff[row + i] = potentiate(ff[row + i]!, a, p);
      fb[i * nHidden + j] = potentiate(fb[i * nHidden + j]!, a, p);
      pairs++;
    }
  }
  // LTD: a visible spike pairs with the earlier hidden spikes (y holds spikes before this step).
  for (let i = 0; i < nVisible; i++) {
    if (!visible[i]) continue;
    const row = i * nHidden;
    for (let j = 0; j < nHidden; j++) {
      const yj = y[j]!;
      if (yj === 0) continue;
      const a = p.aMinus * yj;
      fb[row + j] = depress(fb[row + j]!, a, p);
      ff[j * nVisible + i] = depress(ff[j * nVisible + i]!, a, p);
      pairs++;
    }
  }
  addSpikes(hidden, y, nearest);
  return pairs;
}
