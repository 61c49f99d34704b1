/**
 * A two-layer autoencoder of integrate-and-fire neurons trained by mirrored STDP (Burbank 2015,
 * PLoS Comput. Biol. 11:e1004566): feedforward synapses (visible → hidden) learn with STDP,
 * feedback synapses (hidden → visible) with the time-reversed rule (`plasticity/mirrored-stdp.ts`),
 * so both receive the same update for every spike pair and the network follows, approximately,
 * the gradient of an autoencoder loss.
 *
 * Network. A whitened patch x of P × P pixels drives 2P² visible neurons, an ON and an OFF cell per
 * pixel (rates cannot be negative): ON cell i receives the charge g·max(xᵢ, 0) per step, OFF cell
 * g·max(−xᵢ, 0). N hidden neurons receive the visible spikes through W_ff ([hidden][visible]),
 * and the visible neurons receive the hidden spikes through W_fb ([visible][hidden]). Every neuron
 * is a non-leaky integrate-and-fire unit (`neurons/integrate-and-fire.ts`, threshold 1, reset by
 * subtraction, v = 0 at each sample). Hidden neuron j has a homeostatic threshold θⱼ, applied as
 * the gain 1/θⱼ on its input (the same spikes as a threshold θⱼ), and after every step the hidden
 * spikes inhibit the other hidden neurons by `inhibition` (`plasticity/wta.ts: lateralInhibition`),
 * which makes the code sparse. After each training sample
 *
 *   θⱼ ← θⱼ · exp(η_θ (nⱼ − n*))            (nⱼ: spikes of hidden neuron j, n*: `targetSpikes`)
 *
 * Time course of one sample. Both pathways have a conduction delay of D steps (`phaseSteps`) and
 * the stimulus lasts D steps, so a sample falls into three phases of D steps that never overlap:
 *
 *   1. data:            visible cells fire driven by the patch (counts n_x);
 *   2. encoding:        the data spikes arrive at the hidden layer, which fires (counts n_h);
 *   3. reconstruction:  the hidden spikes arrive back at the visible cells (v reset to 0), which
 *                       fire driven by W_fb only (counts n_x̂).
 *
 * This is the temporal order Burbank's argument rests on: data spikes precede hidden spikes
 * (feedforward LTP, and by the mirrored rule the same feedback LTP), hidden spikes precede
 * reconstruction spikes (LTD at both). With equal amplitudes A = −B and time constants, and
 * weighting each pair by the window, the update of a sample is approximately
 *
 *   ΔW_ff[j][i] = ΔW_fb[i][j] ≈ A·κ · n_hⱼ · (n_xᵢ − n_x̂ᵢ)
 *
 * the gradient step of the squared reconstruction error ‖n_x − W_fb n_h‖² with respect to W_fb
 * (κ the mean window weight of the pairs); W_ff follows W_fbᵀ because it receives the same
 * changes. Weights stay in [wMin, wMax] (`stdp.wMin`, default 0: excitatory synapses).
 *
 * Reconstruction error (`evaluate`, and the training loss): in spike counts, ON minus OFF per pixel,
 *
 *   E = Σ_samples ‖c_x − c_x̂‖² / Σ_samples ‖c_x‖²,    c = n_ON − n_OFF
 *
 * so 1 is "no reconstruction" and 0 is perfect. The symmetry of the two pathways is measured as
 * the Pearson correlation of the entries of W_fb and W_ffᵀ (`weightCorrelation`). The learned
 * filters are the feedforward weights of the ON cells minus those of the OFF cells (`filters`).
 *
 * The autoencoder is a learner (learning/learner.ts): `fit(net, patches, …)` trains it on sample
 * p = item p mod N of the patch set (the patches are drawn at random already); the learning rate
 * scales the amplitudes A and B (a schedule anneals them).
 *
 * @example
 *   const rng = createRng(1);
 *   const raw = samplePatches(loadNaturalImages(), { size: 8, count: 20000, rng });
 *   const patches = zcaWhitening(raw).apply(raw);
 *   const net = mirroredStdpAutoencoder({ patchSize: 8, hidden: 64, rng });
 *   await fit(net, patches, { epochs: 1 });
 *   net.evaluate(patches, { start: 0, count: 500 }).reconstructionError;
 */
import { checkRng, type Rng } from "../core/random";
import { allFinite, fail, integer, mergeOptions, nonNegative, positive } from "../core/validate";
import { logEvaluation } from "../datasets/evaluation-log";
import { checkPatchSet, type PatchSet } from "../datasets/patches";
import { tensor } from "../io/safetensors";
import type { Learner, LearnerEvaluation, LearnOptions, LearnStep } from "../learning/learner";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../learning/snapshot";
import { integrateAndFireInit, integrateAndFireParams, integrateAndFireStep } from "../neurons/integrate-and-fire";
import { checkMirroredWeights, mirroredStdpInit, mirroredStdpUpdate, mirroredWeights, type MirroredStdpTraces, type MirroredWeights } from "../plasticity/mirrored-stdp";
import { stdpParams, type StdpParams } from "../plasticity/stdp";
import { resetTraces } from "../plasticity/traces";
import { lateralInhibition } from "../plasticity/wta";

/** Settings of `mirroredStdpAutoencoder` (file header for the symbols). */
export interface MirroredStdpAutoencoderParams {
  /** Side P of the patches, pixels; 2P² visible neurons. Default 8. */
  readonly patchSize: number;
  /** Hidden neurons N. Default 64. */
  readonly hidden: number;
  /** D: steps per phase (the stimulus duration and both conduction delays). Default 20. */
  readonly phaseSteps: number;
  /** Step length, ms (sets the STDP window's decay per step). Default 1. */
  readonly dt: number;
  /** g: charge per step given to a visible cell per unit of whitened input (threshold 1). Default 0.5. */
  readonly inputGain: number;
  /** Pair STDP window and bounds, shared by both pathways (`stdpParams`). Default A = 0.0005, B = −0.0005, τ₊ = τ₋ = 20 ms, hard bounds [0, 2]. */
  readonly stdp: StdpParams;
  /** Multiplies A and B; a schedule's value replaces it per `learn` call. Default 1. */
  readonly learningRate: number;
  /** n*: target spikes per sample of each hidden neuron. Default 0.5. */
  readonly targetSpikes: number;
  /** η_θ: rate of the multiplicative threshold adaptation. Default 0.01. */
  readonly thresholdRate: number;
  /** Initial hidden threshold θ, in units of weight × visible spikes. Default 2. */
  readonly initialThreshold: number;
  /** Lateral inhibition between hidden neurons per spike, in units of their threshold. Default 1. */
  readonly inhibition: number;
  /** Initial weights are uniform in [wMin, wMin + initialWeight], drawn independently for W_ff and W_fb. Default 0.02. */
  readonly initialWeight: number;
}

/** Options: the settings plus the generator of the initial weights (required). */
export type MirroredStdpAutoencoderOptions = Partial<Omit<MirroredStdpAutoencoderParams, "stdp">> & {
  readonly stdp?: Partial<StdpParams>;
  readonly rng: Rng;
};

/** Defaults of `mirroredStdpAutoencoder` (file header). */
export const mirroredStdpAutoencoderDefaults: Readonly<MirroredStdpAutoencoderParams> = Object.freeze({
  patchSize: 8, hidden: 64, phaseSteps: 20, dt: 1, inputGain: 0.5,
  stdp: stdpParams({ aPlus: 0.0005, aMinus: -0.0005, tauPlus: 20, tauMinus: 20, wMin: 0, wMax: 2 }),
  learningRate: 1, targetSpikes: 0.5, thresholdRate: 0.01, initialThreshold: 2, inhibition: 1, initialWeight: 0.02,
});

/** What `evaluate` returns (no classification: `accuracy` is NaN). */
export interface MirroredStdpEvaluation extends LearnerEvaluation {
  /** E of the file header over the evaluated patches. */
  readonly reconstructionError: number;
  /** Pearson correlation of the entries of W_fb and W_ffᵀ. */
  readonly weightCorrelation: number;
  /** Mean hidden spikes per sample (all hidden neurons together). */
  readonly hiddenSpikes: number;
  /** Mean data-phase visible spikes per sample. */
  readonly visibleSpikes: number;
  /** Mean reconstruction-phase visible spikes per sample. */
  readonly reconstructionSpikes: number;
  /** Fraction of hidden neurons that fired at least once over the evaluated patches. */
  readonly activeHidden: number;
}

/** One presentation's spike counts, for inspection and figures. */
export interface MirroredStdpResponse {
  /** Data-phase counts per pixel, ON minus OFF (P² values). */
  readonly data: Int32Array;
  /** Hidden counts (N values). */
  readonly hidden: Int32Array;
  /** Reconstruction-phase counts per pixel, ON minus OFF (P² values). */
  readonly reconstruction: Int32Array;
}

/** The mirrored-STDP autoencoder as a `Learner` (file header). */
export interface MirroredStdpAutoencoder extends Learner<PatchSet, MirroredStdpEvaluation> {
  readonly params: MirroredStdpAutoencoderParams;
  /** The two weight matrices (live views: they change as the network learns). */
  readonly weights: MirroredWeights;
  /** Homeostatic thresholds θ, one per hidden neuron (a live view). */
  readonly thresholds: Float32Array;
  /** Trains on patches [start, start + count) mod N; returns the samples and the mean reconstruction error. */
  train(data: PatchSet, range: { readonly start: number; readonly count: number; readonly learningRate?: number }): LearnStep;
  /** Presents one patch (P² whitened pixels) without learning and returns the spike counts. */
  respond(patch: ArrayLike<number>): MirroredStdpResponse;
  /** Filters: W_ff of the ON cells minus W_ff of the OFF cells, [hidden][P²] (a new array). */
  filters(): Float32Array;
  /** Pearson correlation of the entries of W_fb and W_ffᵀ. */
  weightCorrelation(): number;
}

/** Pearson correlation of the entries of W_fb and W_ffᵀ. */
export function mirrorCorrelation(weights: MirroredWeights): number {
  checkMirroredWeights("mirrorCorrelation", weights);
  const { ff, fb, nVisible, nHidden } = weights;
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  const n = nVisible * nHidden;
  for (let j = 0; j < nHidden; j++) {
    for (let i = 0; i < nVisible; i++) {
      const a = ff[j * nVisible + i]!;
      const b = fb[i * nHidden + j]!;
      sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b;
    }
  }
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : Number.NaN;
}

const optionKeys = Object.keys(mirroredStdpAutoencoderDefaults).concat("rng");

/** Builds the network (file header); `options.rng` draws the initial weights. */
export function mirroredStdpAutoencoder(options: MirroredStdpAutoencoderOptions): MirroredStdpAutoencoder {
  const fn = "mirroredStdpAutoencoder";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object with an rng", options);
  for (const key of Object.keys(options)) if (!optionKeys.includes(key)) fail(fn, "options", `have only the keys ${optionKeys.join(", ")}`, key);
  const rng = checkRng(fn, "rng", options.rng);
  const { rng: _rng, stdp: stdpOptions, ...rest } = options;
  const merged = mergeOptions(fn, { ...mirroredStdpAutoencoderDefaults, stdp: undefined as unknown as StdpParams }, rest as Partial<MirroredStdpAutoencoderParams>);
  const stdp = stdpParams({ ...mirroredStdpAutoencoderDefaults.stdp, ...(stdpOptions ?? {}) });
  const P = integer(fn, "patchSize", merged.patchSize, 2);
  const N = integer(fn, "hidden", merged.hidden, 1);
  const D = integer(fn, "phaseSteps", merged.phaseSteps, 1);
  positive(fn, "dt", merged.dt);
  positive(fn, "inputGain", merged.inputGain);
  positive(fn, "learningRate", merged.learningRate);
  nonNegative(fn, "targetSpikes", merged.targetSpikes);
  nonNegative(fn, "thresholdRate", merged.thresholdRate);
  positive(fn, "initialThreshold", merged.initialThreshold);
  nonNegative(fn, "inhibition", merged.inhibition);
  nonNegative(fn, "initialWeight", merged.initialWeight);
  if (stdp.wMin + merged.initialWeight > stdp.wMax) fail(fn, "initialWeight", `be at most wMax − wMin (${stdp.wMax - stdp.wMin})`, merged.initialWeight);
  const params: MirroredStdpAutoencoderParams = Object.freeze({ ...merged, stdp });
  const pixels = P * P;
  const V = 2 * pixels;

  const ff = new Float32Array(N * V);
  const fb = new Float32Array(V * N);
  for (let k = 0; k < ff.length; k++) ff[k] = stdp.wMin + rng.uniform(0, params.initialWeight);
  for (let k = 0; k < fb.length; k++) fb[k] = stdp.wMin + rng.uniform(0, params.initialWeight);
  const weights = mirroredWeights(ff, fb, V, N);
  const traces: MirroredStdpTraces = mirroredStdpInit(weights, stdp);
  const thresholds = new Float32Array(N).fill(params.initialThreshold);

  const unit = integrateAndFireParams({ threshold: 1, reset: "subtract" });
  const visibleState = integrateAndFireInit(V, unit);
  const hiddenState = integrateAndFireInit(N, unit);
  const dataRaster = new Uint8Array(D * V);
  const hiddenRaster = new Uint8Array(D * N);
  const visibleInput = new Float32Array(V);
  const hiddenInput = new Float32Array(N);
  const visibleSpikes = new Uint8Array(V);
  const hiddenSpikes = new Uint8Array(N);
  const noVisible = new Uint8Array(V);
  const noHidden = new Uint8Array(N);
  const nData = new Int32Array(V);
  const nHidden = new Int32Array(N);
  const nRecon = new Int32Array(V);
  const decayVisible = Math.exp(-params.dt / stdp.tauPlus);
  const decayHidden = Math.exp(-params.dt / stdp.tauMinus);
  let samplesSeen = 0;
  const config = { ...params, learner: "mirroredStdpAutoencoder" };

  /**
   * One presentation of the patch at `x[offset …]` (file header's three phases); learns with
   * amplitudes scaled by `rate` when `learnRule` is given. Counts land in nData, nHidden, nRecon.
   */
  function present(x: ArrayLike<number>, offset: number, learnRule: StdpParams | null): void {
    visibleState.v.fill(0);
    hiddenState.v.fill(0);
    nData.fill(0);
    nHidden.fill(0);
    nRecon.fill(0);
    if (learnRule) resetTraces(traces);
    const g = params.inputGain;
    for (let i = 0; i < pixels; i++) {
      const xi = x[offset + i]!;
      visibleInput[i] = xi > 0 ? g * xi : 0;
      visibleInput[pixels + i] = xi < 0 ? -g * xi : 0;
    }
    // Phase 1: data. The hidden layer hears nothing yet (conduction delay D).
    for (let t = 0; t < D; t++) {
      integrateAndFireStep(visibleInput, visibleState, unit, params.dt, visibleSpikes);
      dataRaster.set(visibleSpikes, t * V);
      for (let i = 0; i < V; i++) nData[i] += visibleSpikes[i]!;
      if (learnRule) mirroredStdpUpdate(visibleSpikes, noHidden, weights, traces, learnRule, decayVisible, decayHidden);
    }
    // Phase 2: encoding. Data spikes of step t − D arrive; the visible layer is silent.
    for (let t = 0; t < D; t++) {
      hiddenInput.fill(0);
      const row = t * V;
      for (let i = 0; i < V; i++) {
        if (!dataRaster[row + i]) continue;
        for (let j = 0; j < N; j++) hiddenInput[j] += ff[j * V + i]!;
      }
      for (let j = 0; j < N; j++) hiddenInput[j] /= thresholds[j]!;
      integrateAndFireStep(hiddenInput, hiddenState, unit, params.dt, hiddenSpikes);
      lateralInhibition(hiddenSpikes, params.inhibition, hiddenState.v);
      hiddenRaster.set(hiddenSpikes, t * N);
      for (let j = 0; j < N; j++) nHidden[j] += hiddenSpikes[j]!;
      if (learnRule) mirroredStdpUpdate(noVisible, hiddenSpikes, weights, traces, learnRule, decayVisible, decayHidden);
    }
    // Phase 3: reconstruction. Hidden spikes of step t − D arrive through W_fb; nothing reaches
    // the hidden layer (the visible layer was silent D steps earlier).
    visibleState.v.fill(0);
    for (let t = 0; t < D; t++) {
      visibleInput.fill(0);
      const row = t * N;
      for (let j = 0; j < N; j++) {
        if (!hiddenRaster[row + j]) continue;
        for (let i = 0; i < V; i++) visibleInput[i] += fb[i * N + j]!;
      }
      integrateAndFireStep(visibleInput, visibleState, unit, params.dt, visibleSpikes);
      for (let i = 0; i < V; i++) nRecon[i] += visibleSpikes[i]!;
      if (learnRule) mirroredStdpUpdate(visibleSpikes, noHidden, weights, traces, learnRule, decayVisible, decayHidden);
    }
  }

  /** Squared error and squared norm of the ON − OFF counts of the last presentation. */
  function errorTerms(): [number, number] {
    let err = 0;
    let norm = 0;
    for (let i = 0; i < pixels; i++) {
      const c = nData[i]! - nData[pixels + i]!;
      const r = nRecon[i]! - nRecon[pixels + i]!;
      err += (c - r) * (c - r);
      norm += c * c;
    }
    return [err, norm];
  }

  function checkRange(f: string, data: PatchSet, range: { readonly start: number; readonly count: number }): { start: number; count: number } {
    checkPatchSet(f, "data", data);
    if (data.size !== P) fail(f, "data.size", `be the network's patchSize (${P})`, data.size);
    if (range === null || typeof range !== "object") fail(f, "range", "be {start, count}", range);
    return { start: integer(f, "start", range.start, 0), count: integer(f, "count", range.count, 0) };
  }

  function scaledRule(f: string, rate: number): StdpParams {
    positive(f, "learningRate", rate);
    return rate === 1 ? stdp : { ...stdp, aPlus: stdp.aPlus * rate, aMinus: stdp.aMinus * rate };
  }

  const net: MirroredStdpAutoencoder = {
    name: "mirroredStdpAutoencoder",
    params,
    weights,
    thresholds,
    get samplesSeen() {
      return samplesSeen;
    },
    learningRate: params.learningRate,
    train(data, range) {
      const f = "mirroredStdpAutoencoder.train";
      const { start, count } = checkRange(f, data, range);
      const rule = scaledRule(f, range.learningRate ?? params.learningRate);
      let err = 0;
      let norm = 0;
      for (let k = 0; k < count; k++) {
        const item = (start + k) % data.count;
        present(data.patches, item * pixels, rule);
        const [e, n] = errorTerms();
        err += e;
        norm += n;
        if (params.thresholdRate > 0) {
          for (let j = 0; j < N; j++) thresholds[j] *= Math.exp(params.thresholdRate * (nHidden[j]! - params.targetSpikes));
        }
      }
      return { samples: count, loss: norm > 0 ? err / norm : Number.NaN };
    },
    learn(data: PatchSet, options: LearnOptions): LearnStep {
      const f = "mirroredStdpAutoencoder.learn";
      if (options === null || typeof options !== "object") fail(f, "options", "be {count, learningRate?}", options);
      const count = integer(f, "count", options.count, 0);
      const step = net.train(data, { start: samplesSeen, count, ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}) });
      samplesSeen += count;
      return step;
    },
    evaluate(data, range) {
      const f = "mirroredStdpAutoencoder.evaluate";
      const { start, count } = checkRange(f, data, range);
      logEvaluation(f, net, data, { start, count, trained: samplesSeen });
      let err = 0, norm = 0, hid = 0, vis = 0, rec = 0;
      const fired = new Uint8Array(N);
      for (let k = 0; k < count; k++) {
        present(data.patches, ((start + k) % data.count) * pixels, null);
        const [e, n] = errorTerms();
        err += e;
        norm += n;
        for (let j = 0; j < N; j++) {
          hid += nHidden[j]!;
          if (nHidden[j]! > 0) fired[j] = 1;
        }
        for (let i = 0; i < V; i++) {
          vis += nData[i]!;
          rec += nRecon[i]!;
        }
      }
      const m = Math.max(count, 1);
      let active = 0;
      for (let j = 0; j < N; j++) active += fired[j]!;
      return {
        accuracy: Number.NaN, reconstructionError: norm > 0 ? err / norm : Number.NaN, weightCorrelation: mirrorCorrelation(weights),
        hiddenSpikes: hid / m, visibleSpikes: vis / m, reconstructionSpikes: rec / m, activeHidden: active / N,
      };
    },
    respond(patch) {
      const f = "mirroredStdpAutoencoder.respond";
      if (patch === null || typeof patch !== "object" || typeof (patch as ArrayLike<number>).length !== "number") fail(f, "patch", `be ${pixels} pixel values`, patch);
      if (patch.length !== pixels) fail(f, "patch", `have patchSize² = ${pixels} values`, patch.length);
      allFinite(f, "patch", patch);
      present(patch, 0, null);
      const data = new Int32Array(pixels);
      const reconstruction = new Int32Array(pixels);
      for (let i = 0; i < pixels; i++) {
        data[i] = nData[i]! - nData[pixels + i]!;
        reconstruction[i] = nRecon[i]! - nRecon[pixels + i]!;
      }
      return { data, hidden: Int32Array.from(nHidden), reconstruction };
    },
    filters() {
      const out = new Float32Array(N * pixels);
      for (let j = 0; j < N; j++) {
        for (let i = 0; i < pixels; i++) out[j * pixels + i] = ff[j * V + i]! - ff[j * V + pixels + i]!;
      }
      return out;
    },
    weightCorrelation() {
      return mirrorCorrelation(weights);
    },
    snapshot(): LearnerSnapshot {
      return makeSnapshot("mirroredStdpAutoencoder", samplesSeen, config, {}, {
        feedforward: tensor(ff.slice(), [N, V]), feedback: tensor(fb.slice(), [V, N]), thresholds: tensor(thresholds.slice(), [N]),
      });
    },
    restore(snapshot: LearnerSnapshot): void {
      const r = readSnapshot("mirroredStdpAutoencoder.restore", snapshot, "mirroredStdpAutoencoder", config);
      const a = r.tensor("feedforward", "F32", [N, V]);
      const b = r.tensor("feedback", "F32", [V, N]);
      const th = r.tensor("thresholds", "F32", [N]);
      r.done();
      ff.set(a);
      fb.set(b);
      thresholds.set(th);
      samplesSeen = r.samplesSeen;
    },
    [Symbol.for("nodejs.util.inspect.custom")]() {
      return `mirroredStdpAutoencoder { patchSize: ${P}, visible: ${V}, hidden: ${N}, phaseSteps: ${D}, samplesSeen: ${samplesSeen} }`;
    },
  } as MirroredStdpAutoencoder;
  return net;
}
