/**
 * The network of Diehl & Cook (2015), "Unsupervised learning of digit recognition using
 * spike-timing-dependent plasticity", Front. Comput. Neurosci. 9:99 (card E11), as library
 * functions: build it, show it digits with or without learning, label its neurons, classify.
 *
 *   784 Poisson inputs ──(w, all-to-all, plastic, delays 0–10 ms)──▶ N excitatory (conductance LIF, θ)
 *   excitatory j ──(10.4, one-to-one)──▶ inhibitory j ──(17.0, to every excitatory k ≠ j)──▶ soft WTA
 *
 * Input i fires as a Poisson process of rate pixel_i/8 Hz × intensity (intensity 2: at most
 * 63.75 Hz). One sample is shown for 350 ms, then the network rests for 150 ms; if the excitatory
 * layer fired fewer than 5 spikes, intensity grows by 1 and the sample is shown again. While
 * learning, each excitatory neuron's 784 input weights are scaled to sum to 78 before every
 * presentation, the weights follow the Diehl & Cook STDP rule (`plasticity/diehl-cook-stdp.ts`:
 * pre trace τ 20 ms, post traces 20 and 40 ms, νpre 1e−4, νpost 1e−2, w ∈ [0, 1]) and every
 * excitatory spike raises θ by 0.05 mV (τθ 10⁷ ms). At test time θ and the weights are frozen.
 * Neuron constants: `diehlCookExcitatory`, `diehlCookInhibitory` (`neurons/conductance-lif.ts`),
 * integrated with the original code's forward Euler step. dt is 0.5 ms. Units: ms, mV; rates in 1/ms (`Hz`); weights and conductances dimensionless.
 *
 * Choices, each an option of `diehlCookNetworkParams`:
 * - Rest (`rest`). "reset" (default) puts v, conductances, timers and every STDP trace back to
 *   rest instead of simulating 150 ms without input, and drops spikes still travelling on a delay.
 *   That is what the rest is for, and training runs about 1.7× faster. It is not identical: with
 *   τm = 100 ms, 150 ms of rest leaves 22 % of an excitatory neuron's deviation from vRest, and the
 *   post trace y₂ keeps 2 % (e^{−150/40}). θ still decays by e^{−150 ms/τθ}, as in the rest: over
 *   60k samples the rest's share of θ's decay sets how many spikes a sample evokes once θ has
 *   settled (without it, N = 100 needed 2.6 presentations per sample and lost 7 points of
 *   accuracy). "simulate" runs the rest, STDP on, as the original does.
 * - Delays (`delayMin`, `delayMax`). Each input→excitatory synapse gets a delay drawn uniformly in
 *   [0, 10] ms and rounded to whole steps, as Brian does. A delayed spike adds w to ge, sets the
 *   synapse's pre trace and depresses w when it arrives, which makes the pre trace a per-synapse
 *   variable (Brian's synaptic `pre`). Set both to 0 to drop the delays (about 1.4× faster).
 * - Normalisation before every presentation, retries included, as in the original code's loop;
 *   as there, the scaled weights are not clipped to wMax.
 * - Retries stop after `maxPresentations` presentations (a blank image would otherwise loop forever;
 *   the original has no limit).
 * - Integration (`excitatory.method`, `inhibitory.method`). Default "euler": the original code's
 *   forward Euler step for v, the conductances and θ (dt 0.5 ms), so ge ← ge·(1 − dt/τge) halves
 *   ge every step. "exponential-euler" (the neuron presets' own default) integrates v exactly with
 *   ge and gi held at their start-of-step values and lets them decay exactly: about 27 % more
 *   charge per input spike at dt = τge/2, so the network fires more and learns differently. Pass
 *   `excitatory: { method: "exponential-euler" }, inhibitory: { method: "exponential-euler" }` for
 *   it. After one pass over the 60k digits (N = 100, seed 1, labels from 10k training digits, 10k
 *   test digits) we measured 68.4 % test accuracy with Euler (67.2 % with the rest simulated,
 *   the original's dynamics) and 75.7 % with exponential Euler.
 * - A fresh network starts at v = vRest (the original starts 40 mV below); θ starts at 20 mV.
 * - `assignLabelsByResponse` gives a neuron that never fired no class (the original gives it class 0).
 *
 * Order within a step is Brian's: both populations integrate (as `conductanceLifStep`) with the
 * conductances received before it; then the spikes of this step are propagated: post traces decay,
 * input spikes arriving now add w to ge (acting next step) and depress w by νpre·y₁, excitatory
 * spikes potentiate their column by νpost·x·y₂ and set y₁ = y₂ = 1, excitatory spikes drive their
 * inhibitory partner and inhibitory spikes add 17 to every other excitatory gi.
 *
 * Speed. The simulation is one specialised, event-driven, allocation-free loop; it computes what
 * the generic steps compute (tests check that it equals `conductanceLifStep` + `diehlCookStep` +
 * `normalizeIncoming`, and a per-synapse oracle for mixed delays, bit for bit) at a fraction of the
 * cost:
 * - Poisson inputs are drawn as geometric inter-spike step counts, one draw per spike instead of
 *   one per input per step (the same Bernoulli-per-step process as `poissonStep`, another stream).
 * - Weights are stored [input][neuron], so an arriving spike reads and depresses one row; with
 *   mixed delays each input's neurons are pre-sorted by delay, so a step visits only the synapses
 *   whose spike arrives in it.
 * - Pre traces are lazy: with "nearest" spikes a trace is 1 at its last arrival and then decays,
 *   so it is a table lookup on the steps since the newest spike that has reached the synapse (each
 *   input keeps its last few spike steps). The table repeats the float32 rounding of the
 *   step-by-step decay, so the values are the generic rule's.
 * - Potentiation visits one column per excitatory spike; normalisation runs once per presentation.
 * - An inhibitory neuron is stepped only once it has had input since the last reset: before, it sits
 *   at an exact fixed point of its step (v = vRest, no conductance, θ = 0).
 * Measured on one core (AMD EPYC, Node 20), with Euler: about 70 training samples/s with N = 400
 * and 200 with N = 100 early in training on an idle core, 95 and 140 per CPU second over a whole
 * pass; BindsNET takes 0.77 and 2.5 (card E11). Accuracy after one pass over the first 50k training
 * digits (defaults, seed 2015, labels from 10k training digits, 10k test digits, notebook 10):
 * 89.2 % with N = 400, 72.6 % with N = 100 (77.5 % with exponential Euler). With exponential Euler
 * and 60k digits an earlier version measured 87.6 % (N = 400) and 72–76 % (N = 100, two seeds).
 *
 * @example
 *   const rng = createRng(1);
 *   const net = diehlCookNetworkInit(diehlCookNetworkParams({ neurons: 100 }), rng);
 *   const train = loadMnist({ split: "train" });
 *   diehlCookTrain(net, train, { count: 1000, rng });
 *   const { assignments } = diehlCookAssignLabels(net, train, { start: 1000, count: 1000, rng });
 *   const test = loadMnist({ split: "test" });
 *   diehlCookEvaluate(net, test, assignments, { count: 1000, rng }).accuracy;   // ≈ 0.6
 */
export { diehlCookRestModes, diehlCookNetworkDefaults, diehlCookNetworkParams } from "./params";
export type { DiehlCookRestMode, DiehlCookNetworkParams, DiehlCookNetworkOptions } from "./params";
export { diehlCookNetworkInit, diehlCookNormalize } from "./network";
export type { DiehlCookSchedule, DiehlCookNetwork } from "./network";
export { diehlCookDrawInput } from "./input";
export { diehlCookAdvance, diehlCookPresent } from "./simulate";
export type { DiehlCookPresentOptions, DiehlCookResponse } from "./simulate";
export { diehlCookTrain, diehlCookRespond, diehlCookAssignLabels, diehlCookEvaluate, diehlCookReceptiveFields } from "./run";
export type { DiehlCookProgress, DiehlCookRunOptions, DiehlCookTrainResult, DiehlCookResponses, DiehlCookAssignment, DiehlCookEvaluation } from "./run";
export { diehlCookSnapshot, diehlCookRestore, diehlCookEncode, diehlCookDecode } from "./snapshot";
export type { DiehlCookSnapshot } from "./snapshot";
