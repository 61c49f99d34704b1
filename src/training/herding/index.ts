/**
 * O'Connor & Welling (2016), "Deep spiking networks" (arXiv:1602.08323): a multi-layer perceptron
 * of rectified-linear units whose every signal — forward activations and backward errors — is
 * sent as integer spike counts made by *herding* (a first-order sigma-delta modulator), and whose
 * weights learn from outer products of those counts. Pure TypeScript over typed arrays, event
 * driven: a unit costs work only when it spikes (forward: when its count differs from the step
 * before, see `forwardStep`), and only nonzero error counts are sent back.
 *
 * Herding (sigma-delta). A quantiser keeps a residual φ per unit. Each step it adds its input v_t
 * and emits the integer n_t that brings φ back into [−½, ½]:
 *
 *   φ ← φ + v_t,   n_t = round(φ) (ties towards 0),   φ ← φ − n_t
 *
 * so Σ_{τ≤t} n_τ = Σ_{τ≤t} v_τ + φ_0 − φ_t: the count tracks the running sum of the input with an
 * error that never exceeds ½ (for φ_0 = 0). "rectified" emits only positive counts (φ > ½ ⇒ spike;
 * φ may sink without bound), i.e. an integrate-and-fire neuron with threshold ½ and reset by
 * subtraction, whose count tracks relu of the running input sum.
 *
 * The network (reference code petered/DeepSpike, SpikingMLP.java, as used by
 * petered/spiking-mlp demo_spiking_mlp_experiments.py): layer sizes n_0 … n_L, weights W_l of
 * shape [n_l, n_{l+1}], no biases. A sample x (with one-hot target y) is shown for T steps.
 * Per-sample state (reset to 0 for each sample): the quantiser residuals of the forward pass and of
 * the target, and the cumulative pre-activations u_l and counts. The backward residuals are
 * *never* reset ('noreset-herding'): with a reset most small errors would never reach ½ and the
 * network would not learn (the repo logs 87.87 % error for that variant). In step t:
 *
 *   s_0 = herd(x)                                        input spikes ('herding', signed)
 *   u_l += W_lᵀ s_l,  s_{l+1} = rectHerd(W_lᵀ s_l)       forward, l = 0 … L−1 ('rect-herding')
 *   e_L = s_L − herd(y)                                  output error (the count of output spikes
 *                                                        minus the herded target: MSE with a ReLU output)
 *   δ_l = e_{l+1} ⊙ [u_l ≥ 0]                            errors pass only through units whose
 *                                                        cumulative input is ≥ 0 (relu′)
 *   e_l = herdNoReset(W_l δ_l)                           backward, l = L−1 … 1 (signed, residual kept)
 *
 * Update ("sgd", the repo's default): after the T steps,
 *   W_l ← W_l − (η/T²) · (Σ_t s_l) ⊗ (Σ_t δ_l)
 * the outer product of the pre-synaptic forward counts and the post-synaptic error counts; both
 * sums grow like T, hence η/T², so that for T → ∞ the step is η·x_l ⊗ δ_l of the ReLU network.
 * Update "fractional" (the paper's fractional SGD, the repo's IncrementalOuterProductModule): the
 * weights change *within* the presentation, at every step, by the error spikes of that step times
 * the pre-synaptic counts so far,
 *   W_l ← W_l − (η/T²) · (Σ_{τ≤t} s_l(τ)) ⊗ δ_l(t)
 * so later steps of the same sample already see the corrected weights.
 *
 * Prediction ('rect-herding' at test time): the forward pass alone; the class is the argmax of the
 * output layer's cumulative input u_L (its mean, u_L/T, is the network's output).
 *
 * Differences from the Java reference, all deliberate: spikes move synchronously, one time step at a
 * time, layer after layer (the Java routes events one by one through a queue and herds after
 * every incoming spike; the counts per step can then differ by ±1 where a step's inputs partly
 * cancel); within a step the backward pass uses the weights of that step and the fractional update
 * is applied after it (as the Java's breadth-first router does). Initial weights w ~ N(0, initScale²)
 * (the repo's `w_init·randn`), η/T² as in SpikingMLP.java.
 *
 * Both networks are learners (learning/learner.ts): `fit(net, train, …)` trains them in order of
 * position (sample p is data item p mod N: no shuffling, as in the reference), with schedules,
 * validation and checkpoints; `snapshot()` holds the weights and the backward residuals.
 *
 * @example
 *   const net = herdingMlp({ sizes: [784, 200, 200, 10], steps: 10, rng: createRng(1234) });
 *   const train = loadMnist({ split: "train" });
 *   net.train(train, { start: 0, count: 1000 });
 *   net.evaluate(loadMnist({ split: "test" }), { start: 0, count: 1000 }).accuracy;
 */
export { herdingModes, herdingStep, herdSignal } from "./quantiser";
export type { HerdingMode, HerdedSignal } from "./quantiser";
export { herdingUpdateNames, herdingMlpDefaults } from "./types";
export type { HerdingUpdate, HerdingMlpOptions, SampleRange, HerdingTrainRange, HerdingTrainResult, HerdingEvaluation, MlpLearner, HerdingMlp, ReluMlp } from "./types";
export { herdingMlp } from "./herding-mlp";
export { reluMlp } from "./relu-mlp";
