/**
 * Herding (O'Connor & Welling 2016), part of `training/herding/` (described in index.ts): `reluMlp`, the ReLU network that is herding's T → ∞ limit.
 */
import { fail, positive } from "../../core/validate";
import { logEvaluation } from "../../datasets/evaluation-log";
import type { LearnOptions, LearnStep } from "../../learning/learner";
import { makeSnapshot, readSnapshot, type LearnerSnapshot } from "../../learning/snapshot";
import { tensor, type StoredTensor } from "../../io/safetensors";
import { type TrainingData } from "../batches";
import { argmax, checkData, checkInput, checkOptions, inspect, readSample, learnRange } from "./common";
import { type HerdingEvaluation, type ReluMlp, type HerdingMlpOptions, type HerdingTrainRange, type HerdingTrainResult, type SampleRange } from "./types";

/**
 * The non-spiking twin (the repo's "ReLU" row): the same network, initialisation and online SGD
 * (minibatch 1), ReLU hidden and output units, no biases, squared error ½‖a_L − y‖²:
 *
 *   a_{l+1} = relu(W_lᵀ a_l),   δ_{L−1} = (a_L − y) ⊙ [u_{L−1} > 0],   δ_{l−1} = (W_l δ_l) ⊙ [u_{l−1} > 0]
 *   W_l ← W_l − η · a_l ⊗ δ_l
 *
 * It is the T → ∞ limit of `herdingMlp` with update "sgd". `steps` and `update` are ignored.
 *
 * @example
 *   const relu = reluMlp({ rng: createRng(1234) });
 *   relu.train(loadMnist({ split: "train" }));
 *   herdingMlp({ weights: relu.weights }).evaluate(loadMnist({ split: "test" }));   // ReLU weights run as spiking
 */
export function reluMlp(options?: Partial<HerdingMlpOptions>): ReluMlp {
  const fn = "reluMlp";
  const { sizes, learningRate, weights: W } = checkOptions(fn, options);
  const L = sizes.length - 1;
  let eta = learningRate;
  const acts = sizes.map((n) => new Float64Array(n));        // a_0 … a_L
  const pre = sizes.slice(1).map((n) => new Float64Array(n)); // u_0 … u_{L−1}
  const deltas = sizes.slice(1).map((n) => new Float64Array(n));
  let samplesSeen = 0;

  const forward = (): void => {
    for (let l = 0; l < L; l++) {
      const a = acts[l]!;
      const u = pre[l]!;
      const w = W[l]!;
      const nOut = sizes[l + 1]!;
      u.fill(0);
      for (let i = 0; i < a.length; i++) {
        const ai = a[i]!;
        if (ai === 0) continue;          // sparse inputs and silent ReLUs cost nothing
        const off = i * nOut;
        for (let j = 0; j < nOut; j++) u[j] += ai * w[off + j]!;
      }
      const next = acts[l + 1]!;
      for (let j = 0; j < nOut; j++) next[j] = u[j]! > 0 ? u[j]! : 0;
    }
  };

  const trainOne = (label: number): boolean => {
    forward();
    const out = acts[L]!;
    const correct = argmax(out) === label;
    const top = deltas[L - 1]!;
    const uTop = pre[L - 1]!;
    for (let j = 0; j < out.length; j++) top[j] = uTop[j]! > 0 ? out[j]! - (j === label ? 1 : 0) : 0;
    for (let l = L - 1; l >= 0; l--) {
      const d = deltas[l]!;
      const w = W[l]!;
      const nOut = sizes[l + 1]!;
      const a = acts[l]!;
      if (l >= 1) {
        const below = deltas[l - 1]!;
        const uBelow = pre[l - 1]!;
        for (let i = 0; i < sizes[l]!; i++) {
          if (!(uBelow[i]! > 0)) { below[i] = 0; continue; }
          const off = i * nOut;
          let s = 0;
          for (let j = 0; j < nOut; j++) s += w[off + j]! * d[j]!;
          below[i] = s;
        }
      }
      for (let i = 0; i < a.length; i++) {
        const ai = a[i]!;
        if (ai === 0) continue;
        const off = i * nOut;
        const g = eta * ai;
        for (let j = 0; j < nOut; j++) w[off + j] -= g * d[j]!;
      }
    }
    samplesSeen++;
    return correct;
  };

  const load = (input: ArrayLike<number>) => {
    const a = acts[0]!;
    for (let i = 0; i < a.length; i++) a[i] = input[i]!;
  };

  const config = { kind: "relu", sizes, learningRate };
  const net: ReluMlp & { [inspect](): string } = {
    name: "reluMlp",
    kind: "relu",
    sizes: Object.freeze([...sizes]),
    steps: 1,
    learningRate,
    update: "sgd",
    weights: Object.freeze(W),
    backwardResidual: Object.freeze([]),
    get samplesSeen() { return samplesSeen; },
    trainSample(input: ArrayLike<number>, label: number): void {
      const f = "reluMlp.trainSample";
      checkInput(f, input, sizes[0]!);
      if (!Number.isSafeInteger(label) || label < 0 || label >= sizes[L]!) fail(f, "label", `be an integer in [0, ${sizes[L]})`, label);
      load(input);
      trainOne(label);
    },
    train(data: TrainingData, range?: HerdingTrainRange): HerdingTrainResult {
      const { start, count } = checkData("reluMlp.train", data, range, sizes);
      const rate = range?.learningRate === undefined ? learningRate : positive("reluMlp.train", "learningRate", range.learningRate);
      let correct = 0;
      eta = rate;
      try {
        for (let k = 0; k < count; k++) {
          const i = (start + k) % data.count;
          readSample(data, i, acts[0]!);
          if (trainOne(data.labels![i]!)) correct++;
        }
      } finally {
        eta = learningRate;
      }
      return { samples: count, accuracy: correct / Math.max(count, 1), forwardSpikes: 0, backwardSpikes: 0 };
    },
    learn(data: TrainingData, options: LearnOptions): LearnStep {
      const r = net.train(data, { start: samplesSeen, ...learnRange("reluMlp.learn", options) });
      return { samples: r.samples, accuracy: r.accuracy };
    },
    snapshot(): LearnerSnapshot {
      const tensors: Record<string, StoredTensor> = {};
      W.forEach((w, l) => (tensors[`weights.${l}`] = tensor(w.slice(), [sizes[l]!, sizes[l + 1]!])));
      return makeSnapshot("reluMlp", samplesSeen, config, {}, tensors);
    },
    restore(snapshot: LearnerSnapshot): void {
      const r = readSnapshot("reluMlp.restore", snapshot, "reluMlp", config);
      const weights = W.map((_, l) => r.tensor(`weights.${l}`, "F32", [sizes[l]!, sizes[l + 1]!]));
      r.done();
      W.forEach((w, l) => w.set(weights[l]!));
      samplesSeen = r.samplesSeen;
    },
    predict(input: ArrayLike<number>): Float64Array {
      checkInput("reluMlp.predict", input, sizes[0]!);
      load(input);
      forward();
      return Float64Array.from(acts[L]!);
    },
    evaluate(data: TrainingData, range?: SampleRange): HerdingEvaluation {
      const { start, count } = checkData("reluMlp.evaluate", data, range, sizes);
      logEvaluation("reluMlp.evaluate", net, data, { start, count, trained: samplesSeen });
      const predictions = new Int32Array(count);
      const labels = new Int32Array(count);
      let correct = 0;
      let ops = 0;
      for (let k = 0; k < count; k++) {
        const i = (start + k) % data.count;
        readSample(data, i, acts[0]!);
        forward();
        // Argmax of u_L rather than relu(u_L), so that ties among silent outputs break as in the
        // spiking network.
        predictions[k] = argmax(pre[L - 1]!);
        labels[k] = data.labels![i]!;
        if (predictions[k] === labels[k]) correct++;
        for (let l = 0; l < L; l++) {
          const a = acts[l]!;
          let nz = 0;
          for (let j = 0; j < a.length; j++) if (a[j] !== 0) nz++;
          ops += nz * sizes[l + 1]!;
        }
      }
      const m = Math.max(count, 1);
      return { accuracy: correct / m, correct, count, predictions, labels, spikesPerLayer: new Float64Array(L + 1), synapticOperations: ops / m };
    },
    [inspect]() {
      return `reluMlp { sizes: [${sizes.join(", ")}], learningRate: ${learningRate}, samplesSeen: ${samplesSeen} }`;
    },
  };
  return net;
}
