/**
 * Herding (O'Connor & Welling 2016), part of `training/herding/` (described in index.ts): `herdingMlp`, the spiking MLP trained by herding (O'Connor & Welling 2016).
 */
import { fail, positive } from "../../core/validate";
import { logEvaluation } from "../../datasets/evaluation-log";
import type { LearnOptions, LearnStep } from "../../learning/learner";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../../learning/snapshot";
import { tensor, type StoredTensor } from "../../io/safetensors";
import { type TrainingData } from "../batches";
import { checkData, checkInput, checkOptions, inspect, readSample, spikeList, learnRange } from "./common";
import { quantise } from "./quantiser";
import { type HerdingEvaluation, type HerdingMlp, type HerdingMlpOptions, type HerdingTrainRange, type HerdingTrainResult, type SampleRange } from "./types";

/**
 * The spiking MLP of O'Connor & Welling (2016) trained with herded forward and backward passes
 * (file header). `options.rng` draws the initial weights (or `options.weights` gives them).
 *
 * @example
 *   const net = herdingMlp({ sizes: [784, 200, 200, 10], steps: 10, update: "fractional", rng: createRng(1) });
 *   net.train(loadMnist({ split: "train" }), { start: 0, count: 60000 });
 */
export function herdingMlp(options?: Partial<HerdingMlpOptions>): HerdingMlp {
  const fn = "herdingMlp";
  const { sizes, steps: T, learningRate, update, weights: W } = checkOptions(fn, options);
  const L = sizes.length - 1;
  let rate = learningRate / (T * T);
  const fractional = update === "fractional";

  // Per-sample state (reset for each sample).
  const inputPhi = new Float64Array(sizes[0]!);
  const forwardPhi = sizes.slice(1).map((n) => new Float64Array(n));      // φ of layer l's output quantiser
  const counts = sizes.map((n) => new Float64Array(n));                  // Σ_t s_l, l = 0 … L
  const targetPhi = new Float64Array(sizes[L]!);
  const errorSum = sizes.slice(1).map((n) => new Float64Array(n));       // Σ_t δ_l ("sgd")
  // Persistent state: the backward quantisers of layers 1 … L−1.
  const backwardPhi = sizes.slice(1, L).map((n) => new Float64Array(n));
  // Scratch.
  const stepCounts = sizes.map((n) => new Float64Array(n));             // s_l of the current step
  const changes = sizes.map((n) => spikeList(n));                       // s_l(t) − s_l(t − 1), nonzero only
  const increment = sizes.slice(1).map((n) => new Float64Array(n));     // W_lᵀ s_l(t)
  const layerSpikes = new Float64Array(L + 1);
  const errors = sizes.slice(1).map((n) => spikeList(n));               // δ_l of the current step
  const x = new Float64Array(sizes[0]!);
  const active = new Int32Array(sizes[0]!);
  const target = new Float64Array(sizes[L]!);
  let samplesSeen = 0;
  let lastForwardSpikes = 0;
  let lastBackwardSpikes = 0;

  /** u_l = φ_l + Σ_t s_{l+1}: the cumulative input of layer l's output units this sample. */
  const potential = (l: number, j: number) => forwardPhi[l]![j]! + counts[l + 1]![j]!;

  const resetSample = () => {
    inputPhi.fill(0);
    targetPhi.fill(0);
    for (const a of forwardPhi) a.fill(0);
    for (const a of counts) a.fill(0);
    for (const a of errorSum) a.fill(0);
    for (const a of stepCounts) a.fill(0);
    for (const a of increment) a.fill(0);
  };

  /**
   * One forward step: herds the input, then propagates the spikes layer by layer; returns the
   * number of spikes and adds each layer's to `layerSpikes`.
   *
   * Why differences: a layer's input in a step is Σ_i c_i(t)·W_l[i, :], and most units repeat
   * last step's count (a bright pixel spikes at every step), so the sum is kept from step to step
   * and only the rows of units whose count changed are added, times the change. The result is the
   * same sum; the work is proportional to the changes, about half the spikes on MNIST.
   */
  const forwardStep = (nActive: number): number => {
    let total = 0;
    // Input spikes ('herding', signed): only pixels with x ≠ 0 can ever spike.
    {
      const last = stepCounts[0]!;
      const cum = counts[0]!;
      const ch = changes[0]!;
      ch.length = 0;
      let n = 0;
      for (let k = 0; k < nActive; k++) {
        const i = active[k]!;
        const v = inputPhi[i]! + x[i]!;
        const c = quantise(v, true);
        inputPhi[i] = v - c;
        if (c !== 0) {
          cum[i] += c;
          n += c < 0 ? -c : c;
        }
        const d = c - last[i]!;
        if (d !== 0) {
          last[i] = c;
          ch.index[ch.length] = i;
          ch.count[ch.length++] = d;
        }
      }
      layerSpikes[0] += n;
      total += n;
    }
    for (let l = 0; l < L; l++) {
      const w = W[l]!;
      const nOut = sizes[l + 1]!;
      const inc = increment[l]!;
      const chIn = changes[l]!;
      // Event-driven: each change of an input count adds (change ×) its contiguous weight row.
      for (let k = 0; k < chIn.length; k++) {
        const c = chIn.count[k]!;
        const off = chIn.index[k]! * nOut;
        if (c === 1) for (let j = 0; j < nOut; j++) inc[j] += w[off + j]!;
        else if (c === -1) for (let j = 0; j < nOut; j++) inc[j] -= w[off + j]!;
        else for (let j = 0; j < nOut; j++) inc[j] += c * w[off + j]!;
      }
      // 'rect-herding': positive spikes only.
      const phi = forwardPhi[l]!;
      const last = stepCounts[l + 1]!;
      const cum = counts[l + 1]!;
      const chOut = changes[l + 1]!;
      chOut.length = 0;
      let n = 0;
      for (let j = 0; j < nOut; j++) {
        const v = phi[j]! + inc[j]!;
        const c = v > 0.5 ? Math.ceil(v - 0.5) : 0;
        phi[j] = v - c;
        if (c !== 0) {
          cum[j] += c;
          n += c;
        }
        const d = c - last[j]!;
        if (d !== 0) {
          last[j] = c;
          chOut.index[chOut.length] = j;
          chOut.count[chOut.length++] = d;
        }
      }
      layerSpikes[l + 1] += n;
      total += n;
    }
    return total;
  };

  /** Adds the outer-product update −rate · a ⊗ d to W_l, over the nonzero a_i > 0 and d_j. */
  const applyUpdate = (l: number, a: Float64Array, dIndex: Int32Array, dValue: Float64Array, dLength: number, now: Float64Array | null) => {
    if (dLength === 0) return;
    const w = W[l]!;
    const nOut = sizes[l + 1]!;
    const inc = increment[l]!;
    for (let i = 0; i < a.length; i++) {
      const ai = a[i]!;
      if (!(ai > 0)) continue;            // the reference multiplies by (a > 0): counts of rectified units
      const off = i * nOut;
      const g = rate * ai;
      for (let k = 0; k < dLength; k++) {
        const j = dIndex[k]!;
        w[off + j] -= g * dValue[k]!;
      }
      // Within a sample ("fractional"), keep the running input W_lᵀ s_l(t) of the next step
      // consistent with the changed rows.
      const ci = now ? now[i]! : 0;
      if (ci !== 0) for (let k = 0; k < dLength; k++) inc[dIndex[k]!] -= g * dValue[k]! * ci;
    }
  };

  const sumIndex = sizes.slice(1).map((n) => new Int32Array(n));
  const sumValue = sizes.slice(1).map((n) => new Float64Array(n));

  const trainOne = (label: number): boolean => {
    resetSample();
    const nIn = sizes[0]!;
    let nActive = 0;
    for (let i = 0; i < nIn; i++) if (x[i] !== 0) active[nActive++] = i;
    target.fill(0);
    target[label] = 1;
    let forwardTotal = 0;
    let backwardTotal = 0;
    const nOutL = sizes[L]!;
    for (let t = 0; t < T; t++) {
      forwardTotal += forwardStep(nActive);
      // Output error e_L = s_L − herd(y), filtered by u_L ≥ 0: δ_{L−1}.
      const stepOut = stepCounts[L]!;
      const errTop = errors[L - 1]!;
      errTop.length = 0;
      for (let j = 0; j < nOutL; j++) {
        const v = targetPhi[j]! + target[j]!;
        const c = quantise(v, true);
        targetPhi[j] = v - c;
        const e = stepOut[j]! - c;
        if (e !== 0 && potential(L - 1, j) >= 0) {
          errTop.index[errTop.length] = j;
          errTop.count[errTop.length++] = e;
          backwardTotal += e < 0 ? -e : e;
        }
      }
      // Backward through the layers: δ_l → e_l = herdNoReset(W_l δ_l) → δ_{l−1} = e_l ⊙ [u_{l−1} ≥ 0].
      for (let l = L - 1; l >= 0; l--) {
        const d = errors[l]!;
        if (l >= 1) {
          const w = W[l]!;
          const nOut = sizes[l + 1]!;
          const nIn2 = sizes[l]!;
          const phi = backwardPhi[l - 1]!;
          const below = errors[l - 1]!;
          below.length = 0;
          // Without error spikes every |φ| ≤ ½ stays put: nothing to do.
          if (d.length > 0) for (let i = 0; i < nIn2; i++) {
            let v = phi[i]!;
            const off = i * nOut;
            for (let k = 0; k < d.length; k++) v += w[off + d.index[k]!]! * d.count[k]!;
            const c = quantise(v, true);
            phi[i] = v - c;
            if (c !== 0) {
              backwardTotal += c < 0 ? -c : c;
              if (potential(l - 1, i) >= 0) {
                below.index[below.length] = i;
                below.count[below.length++] = c;
              }
            }
          }
        }
        if (fractional) applyUpdate(l, counts[l]!, d.index, d.count, d.length, stepCounts[l]!);
        else {
          const es = errorSum[l]!;
          for (let k = 0; k < d.length; k++) es[d.index[k]!] += d.count[k]!;
        }
      }
    }
    const correct = argmaxOutput() === label;
    if (!fractional) {
      for (let l = 0; l < L; l++) {
        const es = errorSum[l]!;
        const idx = sumIndex[l]!;
        const val = sumValue[l]!;
        let m = 0;
        for (let j = 0; j < es.length; j++) if (es[j] !== 0) { idx[m] = j; val[m++] = es[j]!; }
        applyUpdate(l, counts[l]!, idx, val, m, null);
      }
    }
    samplesSeen++;
    lastForwardSpikes = forwardTotal;
    lastBackwardSpikes = backwardTotal;
    return correct;
  };

  const argmaxOutput = (): number => {
    let best = 0;
    let bestValue = -Infinity;
    for (let j = 0; j < sizes[L]!; j++) {
      const u = potential(L - 1, j);
      if (u > bestValue) { bestValue = u; best = j; }
    }
    return best;
  };

  /** The forward pass alone over T steps; adds the spikes per layer to `layerSpikes`. */
  const runForward = (): void => {
    resetSample();
    let nActive = 0;
    for (let i = 0; i < sizes[0]!; i++) if (x[i] !== 0) active[nActive++] = i;
    for (let t = 0; t < T; t++) forwardStep(nActive);
  };

  const config = { kind: "spiking", sizes, steps: T, learningRate, update };
  const net: HerdingMlp & { [inspect](): string } = {
    name: "herdingMlp",
    kind: "spiking",
    sizes: Object.freeze([...sizes]),
    steps: T,
    learningRate,
    update,
    weights: Object.freeze(W),
    backwardResidual: Object.freeze(backwardPhi),
    get samplesSeen() { return samplesSeen; },
    trainSample(input: ArrayLike<number>, label: number): void {
      const f = "herdingMlp.trainSample";
      checkInput(f, input, sizes[0]!);
      if (!Number.isSafeInteger(label) || label < 0 || label >= sizes[L]!) fail(f, "label", `be an integer in [0, ${sizes[L]})`, label);
      for (let i = 0; i < x.length; i++) x[i] = input[i]!;
      trainOne(label);
    },
    train(data: TrainingData, range?: HerdingTrainRange): HerdingTrainResult {
      const { start, count } = checkData("herdingMlp.train", data, range, sizes);
      const eta = range?.learningRate === undefined ? learningRate : positive("herdingMlp.train", "learningRate", range.learningRate);
      let correct = 0;
      let fwd = 0;
      let bwd = 0;
      rate = eta / (T * T);
      try {
        for (let k = 0; k < count; k++) {
          const i = (start + k) % data.count;
          readSample(data, i, x);
          if (trainOne(data.labels![i]!)) correct++;
          fwd += lastForwardSpikes;
          bwd += lastBackwardSpikes;
        }
      } finally {
        rate = learningRate / (T * T);
      }
      const m = Math.max(count, 1);
      return { samples: count, accuracy: correct / m, forwardSpikes: fwd / m, backwardSpikes: bwd / m };
    },
    learn(data: TrainingData, options: LearnOptions): LearnStep {
      const r = net.train(data, { start: samplesSeen, ...learnRange("herdingMlp.learn", options) });
      return { samples: r.samples, accuracy: r.accuracy };
    },
    snapshot(): LearnerSnapshot {
      const tensors: Record<string, StoredTensor> = {};
      W.forEach((w, l) => (tensors[`weights.${l}`] = tensor(w.slice(), [sizes[l]!, sizes[l + 1]!])));
      backwardPhi.forEach((phi, l) => (tensors[`backwardResidual.${l}`] = tensor(phi.slice(), [phi.length])));
      return makeSnapshot("herdingMlp", samplesSeen, config, {}, tensors);
    },
    restore(snapshot: LearnerSnapshot): void {
      const r = readSnapshot("herdingMlp.restore", snapshot, "herdingMlp", config);
      const weights = W.map((_, l) => r.tensor(`weights.${l}`, "F32", [sizes[l]!, sizes[l + 1]!]));
      const residuals = backwardPhi.map((phi, l) => r.tensor(`backwardResidual.${l}`, "F64", [phi.length]));
      r.done();
      W.forEach((w, l) => w.set(weights[l]!));
      backwardPhi.forEach((phi, l) => phi.set(residuals[l]!));
      samplesSeen = r.samplesSeen;
    },
    predict(input: ArrayLike<number>): Float64Array {
      checkInput("herdingMlp.predict", input, sizes[0]!);
      for (let i = 0; i < x.length; i++) x[i] = input[i]!;
      runForward();
      const out = new Float64Array(sizes[L]!);
      for (let j = 0; j < out.length; j++) out[j] = potential(L - 1, j) / T;
      return out;
    },
    evaluate(data: TrainingData, range?: SampleRange): HerdingEvaluation {
      const { start, count } = checkData("herdingMlp.evaluate", data, range, sizes);
      logEvaluation("herdingMlp.evaluate", net, data, { start, count, trained: samplesSeen });
      const predictions = new Int32Array(count);
      const labels = new Int32Array(count);
      layerSpikes.fill(0);
      let correct = 0;
      for (let k = 0; k < count; k++) {
        const i = (start + k) % data.count;
        readSample(data, i, x);
        runForward();
        predictions[k] = argmaxOutput();
        labels[k] = data.labels![i]!;
        if (predictions[k] === labels[k]) correct++;
      }
      const m = Math.max(count, 1);
      const perLayer = Float64Array.from(layerSpikes, (v) => v / m);
      let ops = 0;
      for (let l = 0; l <= L; l++) {
        if (l < L) ops += perLayer[l]! * sizes[l + 1]!;
      }
      return { accuracy: correct / m, correct, count, predictions, labels, spikesPerLayer: perLayer, synapticOperations: ops };
    },
    [inspect]() {
      return `herdingMlp { sizes: [${sizes.join(", ")}], steps: ${T}, learningRate: ${learningRate}, update: "${update}", samplesSeen: ${samplesSeen} }`;
    },
  };
  return net;
}
