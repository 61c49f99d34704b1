/**
 * Diehl & Cook (2015), part of `models/diehl-cook/` (the network is described in index.ts): the simulation loop: advancing the network step by step (`diehlCookAdvance`), the rest between presentations and one presentation with its retries (`diehlCookPresent`).
 */
import { checkRng, type Rng } from "../../core/random";
import { fail, lengthIs } from "../../core/validate";
import { conductanceLifReset } from "../../neurons/conductance-lif";
import { depress, potentiate } from "../../plasticity/bounds";
import { decayTrace } from "../../plasticity/traces";
import { drawSchedule } from "./input";
import { type DiehlCookNetwork, type DiehlCookSchedule, type DiehlCookWork, NEVER, REBASE_AT, diehlCookNormalize } from "./network";
import { stepPopulation } from "./population";

function rebaseClock(net: DiehlCookNetwork): void {
  const a = net.recentSpikes;
  for (let k = 0; k < a.length; k++) {
    const shifted = a[k]! - REBASE_AT;
    a[k] = shifted < NEVER ? NEVER : shifted;
  }
  net.clock -= REBASE_AT;
}

/**
 * Simulates steps `from` … `to − 1` of a presentation whose input is `schedule` (steps at or
 * after `schedule.steps` have no new input, only spikes still on their delay), in place. With
 * `learn`, θ adapts and the weights follow STDP; without, both are frozen (traces still run).
 * Excitatory spikes are added into `counts` when given. Returns the number of excitatory spikes.
 * Internal: the public entry points are `diehlCookPresent` and the functions built on it.
 */
export function diehlCookAdvance(
  net: DiehlCookNetwork, schedule: DiehlCookSchedule, from: number, to: number, learn: boolean, counts: Int32Array | undefined,
): number {
  const p = net.params;
  const work = net.work;
  const n = p.neurons;
  const nInputs = p.inputs;
  const stdp = p.stdp;
  const hard = stdp.weightDependence === "hard";
  const { wMin, wMax, nuPre, nuPost } = stdp;
  const { decayPost1, decayPost2, inhibitoryStep, preTrace, preTraceConverged, delayPosts, delayStart } = work;
  const excStep = learn ? work.excitatoryStep : work.excitatoryFrozenStep;
  const { excitatory: exc, inhibitory: inh, weights: w, delays, recentSpikes, recentCount, post1, post2 } = net;
  const ringMask = work.recentLength - 1;
  const ringShift = Math.log2(work.recentLength);
  const { excInput, inhInput, excFired, inhFired, allNeurons, inhAwake, inhIsAwake } = work;
  let inhAwakeCount = work.inhAwakeCount;
  const traceLength = preTrace.length;
  const uniformDelay = work.uniformDelay;
  const slots = work.maxDelay + 1;
  const wExcInh = p.weightExcInh;
  const wInhExc = p.weightInhExc;
  const gi = exc.gi;
  const { start, ids } = schedule;
  const inputSteps = schedule.steps;
  const depressing = learn && nuPre !== 0;
  let total = 0;
  for (let step = from; step < to; step++) {
    if (net.clock >= REBASE_AT) rebaseClock(net);
    const clock = net.clock;
    if (step < inputSteps) {
      for (let e = start[step]!, end = start[step + 1]!; e < end; e++) {
        const i = ids[e]!;
        recentSpikes[(i << ringShift) + (recentCount[i]!++ & ringMask)] = clock;
      }
    }
    const fired = stepPopulation(excInput, exc, excStep, allNeurons, n, excFired);
    excInput.fill(0);
    const inhCount = stepPopulation(inhInput, inh, inhibitoryStep, inhAwake, inhAwakeCount, inhFired);
    inhInput.fill(0);
    if (counts) for (let f = 0; f < fired; f++) counts[excFired[f]!]!++;
    total += fired;
    decayTrace(post1, decayPost1);
    decayTrace(post2, decayPost2);

    // Input spikes arriving now: ge (next step), pre trace, depression by νpre·y₁.
    if (uniformDelay >= 0) {
      const s = step - uniformDelay;
      if (s >= 0 && s < inputSteps) {
        for (let e = start[s]!, end = start[s + 1]!; e < end; e++) {
          const row = ids[e]! * n;
          if (depressing) {
            for (let j = 0; j < n; j++) {
              const k = row + j;
              const wk = w[k]!;
              excInput[j]! += wk;
              const amount = nuPre * post1[j]!;
              if (amount !== 0) {
                if (hard) {
                  const next = wk - amount;
                  w[k] = next < wMin ? wMin : next > wMax ? wMax : next;
                } else w[k] = depress(wk, -amount, stdp);
              }
            }
          } else {
            for (let j = 0; j < n; j++) excInput[j]! += w[row + j]!;
          }
        }
      }
    } else {
      for (let d = 0; d < slots; d++) {
        const s = step - d;
        if (s < 0 || s >= inputSteps) continue;
        for (let e = start[s]!, end = start[s + 1]!; e < end; e++) {
          const i = ids[e]!;
          const row = i * n;
          const slot = i * (slots + 1) + d;
          for (let q = delayStart[slot]!, qEnd = delayStart[slot + 1]!; q < qEnd; q++) {
            const j = delayPosts[q]!;
            const k = row + j;
            const wk = w[k]!;
            excInput[j]! += wk;
            if (!depressing) continue;
            const amount = nuPre * post1[j]!;
            if (amount !== 0) {
              if (hard) {
                const next = wk - amount;
                w[k] = next < wMin ? wMin : next > wMax ? wMax : next;
              } else w[k] = depress(wk, -amount, stdp);
            }
          }
        }
      }
    }

    // Excitatory spikes: potentiation by νpost·x·y₂(before), then y₁ = y₂ = 1; drive inhibition.
    for (let f = 0; f < fired; f++) {
      const j = excFired[f]!;
      const gain = nuPost * post2[j]!;
      if (learn && gain !== 0) {
        for (let i = 0, k = j; i < nInputs; i++, k += n) {
          // The newest spike of input i that has arrived at j (at most maxDelay + 1 back).
          const arrivedBy = clock - delays[k]!;
          const base = i << ringShift;
          let r = recentCount[i]!;
          let spike = NEVER;
          for (let back = 0; back <= ringMask; back++) {
            spike = recentSpikes[base + (--r & ringMask)]!;
            if (spike <= arrivedBy) break;
          }
          const age = arrivedBy - spike;
          const x = age < traceLength ? preTrace[age]! : preTraceConverged ? 0 : preTraceTail(work, age);
          const amount = gain * x;
          if (amount === 0) continue;
          if (hard) {
            const next = w[k]! + amount;
            w[k] = next > wMax ? wMax : next < wMin ? wMin : next;
          } else w[k] = potentiate(w[k]!, amount, stdp);
        }
      }
      post1[j] = 1;
      post2[j] = 1;
      inhInput[j] = wExcInh;
      if (!inhIsAwake[j]) {
        inhIsAwake[j] = 1;
        inhAwake[inhAwakeCount++] = j;
      }
    }
    for (let f = 0; f < inhCount; f++) {
      const k = inhFired[f]!;
      for (let m = 0; m < n; m++) if (m !== k) gi[m]! += wInhExc;
    }
    net.clock = clock + 1;
  }
  work.inhAwakeCount = inhAwakeCount;
  return total;
}

/** The pre trace `age` steps after a spike, past the end of an unconverged table (very slow decay). */
function preTraceTail(work: DiehlCookWork, age: number): number {
  const table = work.preTrace;
  return table[table.length - 1]! * Math.pow(work.decayPre, age - table.length + 1);
}

/**
 * Puts the network back to rest in place ("reset" between presentations; see the file head) and
 * decays θ over the rest time, as the simulated rest would.
 */
function restReset(net: DiehlCookNetwork, learn: boolean): void {
  const p = net.params;
  // θ decays through the rest as if it were simulated (τθ is slow, but over many samples the rest
  // is 30 % of the time that balances θ's growth): one factor for restSteps steps.
  const decayTheta = (learn ? net.work.excitatoryStep : net.work.excitatoryFrozenStep).decayTheta;
  const restDecay = Math.pow(decayTheta, net.work.restSteps);
  const theta = net.excitatory.theta;
  for (let j = 0; j < theta.length; j++) theta[j]! *= restDecay;
  conductanceLifReset(net.excitatory, p.excitatory);
  conductanceLifReset(net.inhibitory, p.inhibitory);
  net.work.excInput.fill(0);
  net.work.inhInput.fill(0);
  net.post1.fill(0);
  net.post2.fill(0);
  const work = net.work;
  if (work.inhibitorySleeps) {
    for (let a = 0; a < work.inhAwakeCount; a++) work.inhIsAwake[work.inhAwake[a]!] = 0;
    work.inhAwakeCount = 0;
  }
  // Zero every pre trace: lookups past the table's end read 0 once it has converged.
  if (net.work.preTraceConverged) net.clock += net.work.preTrace.length;
  else net.recentSpikes.fill(NEVER);
}

/** Options of `diehlCookPresent`. */
export interface DiehlCookPresentOptions {
  /** True while training (STDP, θ adaptation, normalisation); false at test time. Required. */
  readonly learn: boolean;
  /** The stream that draws the Poisson input. Required; it is advanced. */
  readonly rng: Rng;
}

/** What one sample did to the excitatory layer. */
export interface DiehlCookResponse {
  /** Spike count of each excitatory neuron during the last presentation (rest excluded). */
  readonly counts: Int32Array;
  /** Intensity of the last presentation. */
  readonly intensity: number;
  /** Number of presentations (1 + retries). */
  readonly presentations: number;
}

export function presentAt(
  net: DiehlCookNetwork, images: Uint8Array, offset: number, learn: boolean, rng: Rng, counts: Int32Array,
): { intensity: number; presentations: number } {
  const p = net.params;
  const work = net.work;
  let intensity = p.intensity;
  let presentations = 0;
  for (;;) {
    if (learn) diehlCookNormalize(net);
    drawSchedule(net, images, offset, intensity, rng);
    counts.fill(0);
    const spikes = diehlCookAdvance(net, work.schedule, 0, work.presentSteps, learn, counts);
    if (p.rest === "simulate") diehlCookAdvance(net, work.schedule, work.presentSteps, work.presentSteps + work.restSteps, learn, undefined);
    else restReset(net, learn);
    presentations++;
    if (spikes >= p.minSpikes || presentations >= p.maxPresentations) break;
    intensity += p.intensityStep;
  }
  return { intensity, presentations };
}

export function checkNetwork(fn: string, net: DiehlCookNetwork): DiehlCookNetwork {
  if (net === null || typeof net !== "object" || !(net.weights instanceof Float32Array) || net.work === undefined) {
    fail(fn, "net", "be a network from diehlCookNetworkInit", net);
  }
  return net;
}

function checkFlag(fn: string, param: string, value: unknown): boolean {
  if (typeof value !== "boolean") fail(fn, param, "be a boolean", value);
  return value;
}

/**
 * Shows one image (grey levels 0–255, `inputs` of them) with Diehl & Cook's protocol, in place:
 * normalise (when learning), present for presentTime, rest, and retry at a higher intensity while
 * the excitatory layer fires fewer than minSpikes spikes. `image` is read only.
 *
 * @example
 *   const net = diehlCookNetworkInit(diehlCookNetworkParams({ neurons: 100 }), createRng(1));
 *   const digit = image(loadMnist({ split: "train" }), 0);
 *   const { counts, intensity, presentations } = diehlCookPresent(net, digit, { learn: true, rng: createRng(2) });
 */
export function diehlCookPresent(net: DiehlCookNetwork, image: Uint8Array, options: DiehlCookPresentOptions): DiehlCookResponse {
  const fn = "diehlCookPresent";
  checkNetwork(fn, net);
  if (!(image instanceof Uint8Array)) fail(fn, "image", "be a Uint8Array of grey levels", image);
  lengthIs(fn, "image", image, net.params.inputs);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object with learn and rng", options);
  const learn = checkFlag(fn, "learn", options.learn);
  const rng = checkRng(fn, "rng", options.rng);
  const counts = new Int32Array(net.params.neurons);
  const { intensity, presentations } = presentAt(net, image, 0, learn, rng, counts);
  return { counts, intensity, presentations };
}
