/**
 * A spiking LSTM in the manner of Shrestha et al. (ICCAD 2017, "A spike-based long short-term
 * memory on a neurosynaptic processor"; card E21): an LSTM trained as an ANN, its weights run by
 * spiking neurons. Every input step of the sequence lasts a window of T spike steps.
 *
 *   ANN (Keras order of gates i, f, c, o; K: kernel, U: recurrent kernel, b: bias)
 *     z = x_t·K + h_{t−1}·U + b;   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
 *     c_t = f·c_{t−1} + i·g;       h_t = o·tanh(c_t);   y = h·W + b_y  (after the last step, or at every step)
 *
 *   Spiking (Q_T: the two-channel rate code over T spike steps, Q_B: the burst code; both in
 *   encoders/two-channel-code.ts)
 *     x̂_t = Q_T(x_t)                           inputs: ± channels, ⌊|x|·T + ½⌋ spikes
 *     ẑ   = x̂_t·K + ĥ_{t−1}·U + b              gate neurons integrate the spikes of the window
 *                                               ("store"), every spike adding its synapse's weight
 *     î, f̂, ô = Q_T(σ(ẑ)),  ĝ = Q_T(tanh(ẑ_c))  … and fire their activation as a rate code ("release")
 *     ĉ_t = Q_B(f̂·ĉ_{t−1} + î·ĝ)               the cell state needs more precision: a burst code
 *     ĥ_t = Q_T(ô·Q_T(tanh(ĉ_t)))              product neurons: a spike train gated by a gate's rate
 *     ŷ   = ĥ·W + b_y                           output neurons integrate ĥ's spikes; the class is the
 *                                               largest potential ("class"), or a target symbol is on
 *                                               when the output neuron's rate code Q_T(σ(ŷ)) exceeds ½ ("steps")
 *
 * Gate neurons receive no spikes but those of the window and fire only after it (the paper's
 * store-and-release keeps the layers in step), so within a window a membrane is a sum of weights
 * over spikes: the simulation adds, for every input channel, (its spike count) × (its weight),
 * which is the same sum. As T → ∞ every Q_T tends to the identity and the spiking LSTM's outputs to
 * the ANN's (the burst code's resolution must follow: levels ≥ 2·range·T + 1, checked).
 *
 * Synaptic operations (SOPs) per sequence, one per spike per target synapse: input spikes × 4H,
 * ĥ spikes × (4H + outputs), gate spikes × 1 (their product neuron), ĝ and tanh(ĉ) spikes × 1,
 * burst spikes of ĉ × 2 (the tanh neuron and the f̂ product of the next step). The ANN's
 * multiply-accumulates per sequence: length · (4H·(inputs + H) + H·outputs).
 *
 * @example
 *   const net = spikingLstm(weights, { steps: 32 });              // weights from lstmLearner(...).weights()
 *   net.evaluate(test, { start: 0, count: 1000 }).accuracy;
 *   lstmReference(weights).evaluate(test, { start: 0, count: 1000 }).accuracy;   // the ANN
 */
import { fail, integer, mergeOptions, positive } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import { checkSequenceDataset, type SequenceDataset } from "../datasets/sequence-tasks";
import type { BurstCode } from "../encoders/two-channel-code";

/** Weights of a one-layer LSTM and its dense readout (row-major, Keras layouts, gates i, f, c, o). */
export interface LstmWeights {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputs: number;
  /** [inputSize, 4·hiddenSize]. */
  readonly kernel: Float32Array;
  /** [hiddenSize, 4·hiddenSize]. */
  readonly recurrentKernel: Float32Array;
  /** [4·hiddenSize]. */
  readonly bias: Float32Array;
  /** [hiddenSize, outputs]. */
  readonly outputKernel: Float32Array;
  /** [outputs]. */
  readonly outputBias: Float32Array;
}

/** Options of `spikingLstm`. */
export interface SpikingLstmOptions {
  /** Spike steps per input step, T (an integer ≥ 1). */
  readonly steps: number;
  /** Range R of the cell state's burst code: ĉ ∈ [−R, R]. */
  readonly cellRange: number;
  /** Levels of the burst code (odd, ≥ 2·R·T + 1); default the least that is enough. */
  readonly cellLevels?: number;
}

/** Defaults of `spikingLstm` (steps must be given). */
export const spikingLstmDefaults: Readonly<SpikingLstmOptions> = Object.freeze({ steps: NaN, cellRange: 8, cellLevels: undefined });

/** What a run over sequences gives. */
export interface LstmEvaluation {
  /** Fraction of sequences right (the class, or every scored step's target set). */
  readonly accuracy: number;
  /** "class": the predicted class of each sequence. */
  readonly predictions?: Uint8Array;
  /**
   * The outputs read: "class" count × outputs potentials after the last step; "steps"
   * count · length · outputs probabilities (the ANN's σ(y), the spiking net's decoded rate).
   */
  readonly outputs: Float64Array;
  /** The ANN's multiply-accumulates per sequence. */
  readonly macsPerSequence: number;
  /** The largest |cell state| met (before the burst code): what the burst code's range must cover. */
  readonly maxAbsCell: number;
}

/** A spiking run adds its spikes and synaptic operations. */
export interface SpikingLstmEvaluation extends LstmEvaluation {
  /** Mean synaptic operations per sequence. */
  readonly sopsPerSequence: number;
  /** Mean spikes per sequence (every channel, bursts included). */
  readonly spikesPerSequence: number;
  /** Cell-state values beyond ±cellRange, clipped by the burst code (count over all units and steps). */
  readonly cellSaturations: number;
  /** Spike steps per input step. */
  readonly steps: number;
  /** The burst code used for the cell state. */
  readonly cellCode: BurstCode;
}

/** A network that runs sequences: the ANN reference or the spiking LSTM. */
export interface LstmRunner<E extends LstmEvaluation> {
  readonly weights: LstmWeights;
  /** Runs sequences [start, start + count) of `data` and scores them (one entry in the evaluation log). */
  evaluate(data: SequenceDataset, range: { readonly start: number; readonly count: number }): E;
}

/** Checks an `LstmWeights` record. Internal to the library (the learner's `weights()` makes them). */
export function checkLstmWeights(fn: string, param: string, w: LstmWeights): LstmWeights {
  if (w === null || typeof w !== "object") fail(fn, param, "be LSTM weights {inputSize, hiddenSize, outputs, kernel, …}", w);
  const n = integer(fn, `${param}.inputSize`, w.inputSize, 1);
  const h = integer(fn, `${param}.hiddenSize`, w.hiddenSize, 1);
  const k = integer(fn, `${param}.outputs`, w.outputs, 1);
  const shapes: [keyof LstmWeights, number][] = [["kernel", n * 4 * h], ["recurrentKernel", h * 4 * h], ["bias", 4 * h], ["outputKernel", h * k], ["outputBias", k]];
  for (const [name, size] of shapes) {
    const a = w[name] as Float32Array;
    if (!(a instanceof Float32Array) || a.length !== size) fail(fn, `${param}.${name}`, `be a Float32Array of ${size} values`, a);
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) fail(fn, `${param}.${name}[${i}]`, "be finite", a[i]);
  }
  return w;
}

function checkData(fn: string, w: LstmWeights, data: SequenceDataset, range: { start: number; count: number }): void {
  checkSequenceDataset(fn, "data", data);
  if (data.features !== w.inputSize) fail(fn, "data.features", `equal the LSTM's input size ${w.inputSize}`, data.features);
  if (data.outputs !== w.outputs) fail(fn, "data.outputs", `equal the LSTM's outputs ${w.outputs}`, data.outputs);
  if (range === null || typeof range !== "object") fail(fn, "range", "be {start, count}", range);
  integer(fn, "range.start", range.start, 0);
  integer(fn, "range.count", range.count, 1);
  if (range.start + range.count > data.count) fail(fn, "range.count", `be at most data.count − start = ${data.count - range.start}`, range.count);
  const from = range.start * data.length * data.features;
  const to = (range.start + range.count) * data.length * data.features;
  for (let i = from; i < to; i++) {
    const v = data.inputs[i]!;
    if (!(v >= -1 && v <= 1)) fail(fn, `data.inputs[${i}]`, "be a finite number in [-1, 1] (the two-channel code's range)", v);
  }
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

interface RunTotals { sops: number; spikes: number; saturations: number; maxAbsCell: number }

/**
 * The one loop of both networks: runs sequences [start, start + count) and scores them; with
 * steps = 0 every code is the identity (the ANN), else the spike codes of the file header.
 */
function run(
  w: LstmWeights, data: SequenceDataset, start: number, count: number, steps: number, cellCode: BurstCode | undefined, totals: RunTotals,
): { accuracy: number; predictions?: Uint8Array; outputs: Float64Array } {
  const H = w.hiddenSize, N = w.inputSize, K = w.outputs, G = 4 * H, L = data.length;
  const spiking = steps > 0;
  const T = steps;
  const rate = (v: number): number => {
    if (!spiking) return v;
    const n = Math.floor(Math.abs(v) * T + 0.5);
    totals.spikes += n;
    return v < 0 ? -n / T : n / T;
  };
  const half = cellCode ? (cellCode.levels - 1) / 2 : 0;
  const unit = cellCode ? cellCode.range / half : 0;
  const x = new Float64Array(N);
  const h = new Float64Array(H);
  const c = new Float64Array(H);
  const z = new Float64Array(G);
  const y = new Float64Array(K);
  const perStep = data.kind === "steps";
  const outputs = new Float64Array(perStep ? count * L * K : count * K);
  const predictions = perStep ? undefined : new Uint8Array(count);
  let right = 0;
  for (let s = 0; s < count; s++) {
    const seq = start + s;
    h.fill(0);
    c.fill(0);
    let allSteps = true;
    for (let t = 0; t < L; t++) {
      // Gate membranes: bias, then the spikes of the inputs and of ĥ_{t−1} (event-driven: zero channels add nothing).
      for (let j = 0; j < G; j++) z[j] = w.bias[j]!;
      const xo = (seq * L + t) * N;
      for (let i = 0; i < N; i++) {
        const v = rate(data.inputs[xo + i]!);
        x[i] = v;
        if (v === 0) continue;
        if (spiking) totals.sops += Math.round(Math.abs(v) * T) * G;
        const row = i * G;
        for (let j = 0; j < G; j++) z[j] += v * w.kernel[row + j]!;
      }
      for (let i = 0; i < H; i++) {
        const v = h[i]!;
        if (v === 0) continue;
        const row = i * G;
        for (let j = 0; j < G; j++) z[j] += v * w.recurrentKernel[row + j]!;
      }
      for (let u = 0; u < H; u++) {
        const ig = rate(sigmoid(z[u]!));
        const fg = rate(sigmoid(z[H + u]!));
        const g = rate(Math.tanh(z[2 * H + u]!));
        const og = rate(sigmoid(z[3 * H + u]!));
        let cu = fg * c[u]! + ig * g;
        if (Math.abs(cu) > totals.maxAbsCell) totals.maxAbsCell = Math.abs(cu);
        if (cellCode) {
          let k = Math.round(cu / unit);
          if (k > half) { k = half; totals.saturations++; } else if (k < -half) { k = -half; totals.saturations++; }
          cu = k * unit;
          totals.spikes += Math.abs(k);
          // Gate spikes → their product neurons (1 each); ĝ → i·g; bursts → tanh neuron and next f·c.
          totals.sops += Math.round((ig + fg + og) * T) + Math.round(Math.abs(g) * T) + 2 * Math.abs(k);
        }
        c[u] = cu;
        const th = rate(Math.tanh(cu));
        if (spiking) totals.sops += Math.round(Math.abs(th) * T);
        h[u] = rate(og * th);
      }
      if (spiking) {
        let hs = 0;
        for (let u = 0; u < H; u++) hs += Math.round(Math.abs(h[u]!) * T);
        // ĥ_t's spikes reach the recurrent synapses of the next step (if any) and the output neurons.
        totals.sops += hs * ((t < L - 1 ? G : 0) + (perStep || t === L - 1 ? K : 0));
      }
      if (perStep || t === L - 1) {
        for (let k = 0; k < K; k++) y[k] = w.outputBias[k]!;
        for (let u = 0; u < H; u++) {
          const v = h[u]!;
          if (v === 0) continue;
          const row = u * K;
          for (let k = 0; k < K; k++) y[k] += v * w.outputKernel[row + k]!;
        }
      }
      if (perStep) {
        const m = data.mask![seq * L + t]!;
        const o = (s * L + t) * K;
        for (let k = 0; k < K; k++) {
          const p = rate(sigmoid(y[k]!));
          outputs[o + k] = p;
          if (m && (p > 0.5 ? 1 : 0) !== data.targets![(seq * L + t) * K + k]) allSteps = false;
        }
      }
    }
    if (perStep) {
      if (allSteps) right++;
    } else {
      let best = 0;
      for (let k = 0; k < K; k++) {
        outputs[s * K + k] = y[k]!;
        if (y[k]! > y[best]!) best = k;
      }
      predictions![s] = best;
      if (best === data.labels![seq]) right++;
    }
  }
  return { accuracy: right / count, predictions, outputs };
}

function macs(w: LstmWeights, data: SequenceDataset): number {
  const G = 4 * w.hiddenSize;
  return data.length * (G * (w.inputSize + w.hiddenSize) + w.hiddenSize * w.outputs);
}

/** The ANN LSTM of `weights` in float64 (the reference the spiking LSTM converges to). */
export function lstmReference(weights: LstmWeights): LstmRunner<LstmEvaluation> {
  const fn = "lstmReference";
  const w = checkLstmWeights(fn, "weights", weights);
  const runner: LstmRunner<LstmEvaluation> = {
    weights: w,
    evaluate(data, range) {
      checkData(`${fn}.evaluate`, w, data, range);
      const totals = { sops: 0, spikes: 0, saturations: 0, maxAbsCell: 0 };
      const r = run(w, data, range.start, range.count, 0, undefined, totals);
      logEvaluation("lstmReference", runner, data, { start: range.start, count: range.count, trained: 0 });
      return Object.freeze({ ...r, macsPerSequence: macs(w, data), maxAbsCell: totals.maxAbsCell });
    },
  };
  return Object.freeze(runner);
}

/** The least odd number of burst levels whose resolution 2R/(levels − 1) is no coarser than 1/T. */
export function burstLevelsFor(cellRange: number, steps: number): number {
  positive("burstLevelsFor", "cellRange", cellRange);
  integer("burstLevelsFor", "steps", steps, 1);
  return 2 * Math.ceil(cellRange * steps) + 1;
}

/** The spiking LSTM of `weights` (file header). */
export function spikingLstm(weights: LstmWeights, options: Partial<SpikingLstmOptions> & { steps: number }): LstmRunner<SpikingLstmEvaluation> & { readonly options: Readonly<Required<SpikingLstmOptions>> } {
  const fn = "spikingLstm";
  const w = checkLstmWeights(fn, "weights", weights);
  const o = mergeOptions(fn, spikingLstmDefaults, options);
  const steps = integer(fn, "steps", o.steps, 1);
  const range = positive(fn, "cellRange", o.cellRange);
  const least = burstLevelsFor(range, steps);
  const levels = o.cellLevels === undefined ? least : integer(fn, "cellLevels", o.cellLevels, 3);
  if (levels < least) {
    fail(fn, "cellLevels", `be at least 2·cellRange·steps + 1 = ${least} (a burst code for the cell state's range [−${range}, ${range}] no coarser than the rate code's 1/${steps})`, levels);
  }
  if (levels % 2 !== 1) fail(fn, "cellLevels", "be odd (so that 0 is a level of the burst code)", levels);
  const cellCode: BurstCode = Object.freeze({ range, levels });
  const settings = Object.freeze({ steps, cellRange: range, cellLevels: cellCode.levels });
  const runner = {
    weights: w,
    options: settings,
    evaluate(data: SequenceDataset, r: { readonly start: number; readonly count: number }): SpikingLstmEvaluation {
      checkData(`${fn}.evaluate`, w, data, r);
      const totals = { sops: 0, spikes: 0, saturations: 0, maxAbsCell: 0 };
      const res = run(w, data, r.start, r.count, steps, cellCode, totals);
      logEvaluation("spikingLstm", runner, data, { start: r.start, count: r.count, trained: 0 });
      return Object.freeze({
        ...res, macsPerSequence: macs(w, data), maxAbsCell: totals.maxAbsCell, sopsPerSequence: totals.sops / r.count, spikesPerSequence: totals.spikes / r.count,
        cellSaturations: totals.saturations, steps, cellCode,
      });
    },
  };
  return Object.freeze(runner);
}
