/**
 * The simulation loop. Each step of length dt, starting at network time t:
 *
 *   1. deliver delayed events that arrive now (delay rings) and the noise currents; neurons
 *      that spiked in the last step get back their reset v if jumps into v reached them
 *      (`projection.ts`: the reset wins, Brian2's order); state monitors sample the state the
 *      step starts from (every `every` steps);
 *   2. step every group: `model.step(input, state, params, dt, spikes)` for populations, one
 *      Bernoulli draw per source for Poisson groups; collect the spiking indices;
 *   3. propagate the spikes through every projection, event-driven (`synapses/propagate.ts`):
 *      zero-delay events are added into their target at once (they act from the next step,
 *      Brian2's order), delayed ones into their ring; SOPs are counted per projection;
 *   4. plasticity: `stdpStep` on every plastic projection's `synapseAccess`;
 *   5. spike monitors append this step's spikes, stamped t.
 *
 * The loop is generic over neuron models (one `model.step` call per population per step) and has
 * no per-step allocation and no closures in its inner loops; each kernel it calls is a tight loop
 * over typed arrays. Everything is checked before the first step: dt and duration finite and > 0
 * with duration a whole number of steps, the monitors' groups, variables and ids, the Poisson
 * rates, the noise intervals (whole numbers of steps).
 *
 * Interruption: `shouldStop()` is asked before every step; when it returns true the loop stops at
 * that step boundary, every step done is complete (state, traces, monitors and counters agree),
 * and the result says how far it got. `onProgress(done, total)` is called every ~1 % of the steps
 * and at the end, e.g. to draw a progress bar; both are plain callbacks (src/ never imports the
 * kernel). Runs are deterministic: the same seeds give the same spikes.
 *
 * @example
 *   const spikes = spikeMonitor("exc");
 *   const result = simulate(net, {
 *     duration: 1000 * ms, dt: 0.1 * ms, monitors: [spikes],
 *     onProgress: (done, total) => bar.update(done / total),
 *     shouldStop: () => interrupted,
 *   });
 *   result.steps;      // 10000 unless interrupted
 */
import { fail, mergeOptions, positive } from "../core/validate";
import type { Rng } from "../core/random";
import { stepCount } from "../encoders/spike-train";
import { stdpStep } from "../plasticity/stdp";
import { deliverRing, markSlot, ringOffset } from "../synapses/delays";
import { propagateDelayedUnchecked, propagateUnchecked } from "../synapses/propagate";
import { SpikeRecorder, StateRecorder, type Monitor } from "./monitors";
import {
  runtimeOf, type GroupRuntime, type Network, type NoiseRuntime, type ProjectionRuntime, type RingRuntime, type Runtime,
} from "./network";
import { checkRates } from "../encoders/check-rates";
import { type PoissonGroup, type Population } from "./population";
import { addSops } from "./projection";
import { zigguratNormal } from "./ziggurat";

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Simulated time, ms; a whole number of steps. */
  readonly duration: number;
  /** Step length, ms. */
  readonly dt: number;
  /** Monitors to record into (`spikeMonitor`, `stateMonitor`); default none. */
  readonly monitors: readonly Monitor[];
  /** Called with (steps done, steps requested) every ~1 % of the run and at its end; default none. */
  readonly onProgress: ((done: number, total: number) => void) | null;
  /** Asked before every step; true stops the run at that step boundary; default none. */
  readonly shouldStop: (() => boolean) | null;
}

/** Defaults of `simulate` (duration and dt must be given). */
export const simulateDefaults: Readonly<Omit<SimulateOptions, "duration" | "dt">> = Object.freeze({
  monitors: Object.freeze([]) as readonly Monitor[], onProgress: null, shouldStop: null,
});

/** What one `simulate` call did. */
export interface SimulationResult {
  /** Steps simulated by this call. */
  readonly steps: number;
  /** Steps requested (duration / dt). */
  readonly requested: number;
  /** True when `shouldStop` ended the run early. */
  readonly stopped: boolean;
  /** Network time after the call, ms. */
  readonly time: number;
  /** Spikes of every group in this call. */
  readonly spikes: number;
  /** Synaptic operations (Σ spikes × fan-out) in this call, all projections. */
  readonly sops: number;
}

/**
 * Advances `net` by `duration` ms in steps of `dt` ms (or until `shouldStop`), in place, recording
 * into `monitors`; see the file header. Throws the standard error before the first step for any
 * invalid option.
 */
export function simulate(net: Network, options: Partial<SimulateOptions> & Pick<SimulateOptions, "duration" | "dt">): SimulationResult {
  const fn = "simulate";
  const rt = runtimeOf(fn, net);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {duration, dt, …}", options);
  const o = mergeOptions<SimulateOptions>(fn, { ...simulateDefaults, duration: NaN, dt: NaN }, options);
  const dt = positive(fn, "dt", o.dt);
  const duration = positive(fn, "duration", o.duration);
  const total = stepCount(fn, duration, dt);
  if (o.onProgress !== null && typeof o.onProgress !== "function") fail(fn, "onProgress", "be a function or null", o.onProgress);
  if (o.shouldStop !== null && typeof o.shouldStop !== "function") fail(fn, "shouldStop", "be a function or null", o.shouldStop);
  if (!Array.isArray(o.monitors)) fail(fn, "monitors", "be an array of monitors", o.monitors);

  // Monitors: resolve groups, variables and ids now.
  const spikeMonitors: { recorder: SpikeRecorder; group: GroupRuntime }[] = [];
  const stateMonitors: StateRecorder[] = [];
  o.monitors.forEach((m, k) => {
    if (!(m instanceof SpikeRecorder || m instanceof StateRecorder)) fail(fn, `monitors[${k}]`, "be a spikeMonitor or a stateMonitor", m);
    const g = rt.byName.get(m.population);
    if (g === undefined) fail(fn, `monitors[${k}].population`, `name a group of this network (${[...rt.byName.keys()].join(", ")})`, m.population);
    if (m instanceof SpikeRecorder) {
      m.bind(fn, g.size);
      spikeMonitors.push({ recorder: m, group: g });
    } else {
      if (g.poisson) fail(fn, `monitors[${k}].population`, "name a neuron population (a Poisson group has no state)", m.population);
      m.bind(fn, (g.group as Population).state as unknown as Record<string, unknown>, g.size);
      stateMonitors.push(m);
    }
  });
  for (const g of rt.groups) if (g.poisson) checkRates(fn, (g.group as PoissonGroup).rates, dt, `${g.group.name}.rates`);
  const noiseSteps = rt.noises.map((nz) => {
    const steps = Math.round(nz.input.interval / dt);
    if (steps < 1 || Math.abs(steps * dt - nz.input.interval) > 1e-9 * nz.input.interval) {
      fail(fn, `noiseInput(${nz.input.population}).interval`, `be a whole number of steps of dt (${dt})`, nz.input.interval);
    }
    return steps;
  });

  const loop = new StepLoop(rt, dt, noiseSteps, stateMonitors, spikeMonitors);
  const onProgress = o.onProgress;
  const shouldStop = o.shouldStop;
  const progressEvery = Math.max(1, Math.ceil(total / 100));
  const t0 = rt.time;
  let done = 0;
  let stopped = false;
  for (; done < total; done++) {
    if (shouldStop !== null && shouldStop()) {
      stopped = true;
      break;
    }
    loop.step(rt.steps, t0 + done * dt);
    rt.steps++;
    if (onProgress !== null && (done + 1) % progressEvery === 0 && done + 1 < total) onProgress(done + 1, total);
  }
  rt.time = t0 + done * dt;
  for (const { recorder } of spikeMonitors) recorder.finish(rt.time);
  if (onProgress !== null) onProgress(done, total);
  return Object.freeze({ steps: done, requested: total, stopped, time: rt.time, spikes: loop.spikes, sops: loop.sops });
}

/**
 * One step of the loop (file header), as a method called once per step rather than the body of one
 * long loop: the JIT then optimises it as an ordinary function instead of on-stack replacement.
 */
class StepLoop {
  spikes = 0;
  sops = 0;
  private readonly groups: readonly GroupRuntime[];
  private readonly projections: readonly ProjectionRuntime[];
  private readonly plastic: readonly ProjectionRuntime[];
  private readonly rings: readonly RingRuntime[];
  private readonly noises: readonly NoiseRuntime[];
  private readonly recorders: readonly SpikeRecorder[];
  private readonly recorded: readonly GroupRuntime[];

  constructor(
    rt: Runtime, private readonly dt: number, private readonly noiseSteps: readonly number[],
    private readonly stateMonitors: readonly StateRecorder[], spikeMonitors: readonly { recorder: SpikeRecorder; group: GroupRuntime }[],
  ) {
    this.groups = rt.groups;
    this.projections = rt.projections;
    this.plastic = rt.plastic;
    this.rings = rt.rings;
    this.noises = rt.noises;
    this.recorders = spikeMonitors.map((m) => m.recorder);
    this.recorded = spikeMonitors.map((m) => m.group);
  }

  step(step: number, t: number): void {
    const { groups, projections, plastic, rings, noises, stateMonitors, recorders, recorded, dt } = this;
    // 1. Arrivals, noise, state samples.
    for (let r = 0; r < rings.length; r++) deliverRing(rings[r].ring, step, rings[r].target);
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k];
      if (g.resetV !== null && g.spikeCount > 0) restore((g.group as Population).state.v, g.resetV, g.spikeIds, g.spikeCount);
    }
    for (let q = 0; q < noises.length; q++) {
      const nz = noises[q];
      if (step % this.noiseSteps[q] === 0) drawNoise(nz, nz.input.rng);
      addInto(nz.group.input, nz.values);
    }
    for (let s = 0; s < stateMonitors.length; s++) {
      if (step % stateMonitors[s].every === 0) stateMonitors[s].record(t);
    }
    // 2. Neurons and sources.
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k];
      if (g.poisson) {
        const pg = g.group as PoissonGroup;
        g.spikeCount = poissonDraw(pg.rates, pg.rng, dt, g.spikes, g.spikeIds);
      } else {
        const pop = g.group as Population;
        const n = pop.model.step(g.input, pop.state, pop.params, dt, g.spikes);
        g.spikeCount = n === 0 ? 0 : g.listsSpikes ? n : g.words !== null ? collectSpikes(g.words, g.spikes, g.spikeIds) : collectBytes(g.spikes, g.spikeIds);
        if (g.resetV !== null && g.spikeCount > 0) save(pop.state.v, g.resetV, g.spikeIds, g.spikeCount);
        if (g.clearsInput) {
          if (g.base === null) g.input.fill(0);
          else g.input.set(g.base);
        }
      }
      this.spikes += g.spikeCount;
    }
    // 3. Event-driven propagation.
    for (let k = 0; k < projections.length; k++) {
      const p = projections[k];
      const count = p.pre.spikeCount;
      if (count === 0) continue;
      let sops: number;
      if (p.ring === null) {
        sops = propagateUnchecked(p.synapses, p.pre.spikeIds, count, p.direct, 0);
      } else if (p.delays === null) {
        sops = propagateUnchecked(p.synapses, p.pre.spikeIds, count, p.ring.buffer, ringOffset(p.ring, step + 1 + p.delay));
        markSlot(p.ring, step + 1 + p.delay);
      } else {
        sops = propagateDelayedUnchecked(p.synapses, p.delays, p.pre.spikeIds, count, p.ring, step);
      }
      addSops(p.projection, sops);
      this.sops += sops;
    }
    // 4. Plasticity.
    for (let k = 0; k < plastic.length; k++) {
      const p = plastic[k];
      stdpStep(p.pre.spikes, p.post.spikes, p.access!, p.projection.traces!, p.projection.plasticity!, dt);
    }
    // 5. Spike monitors.
    for (let s = 0; s < recorders.length; s++) {
      const g = recorded[s];
      if (g.spikeCount > 0) recorders[s].record(g.spikeIds, g.spikeCount, t);
    }
  }
}

/**
 * Indices of the 1s in `spikes` into `ids`, ascending; returns their number. Reads eight neurons at
 * a time through the float64 view of the padded buffer: a word is 0 exactly when its eight bytes
 * are (spike bytes are 0 or 1, so no word is −0).
 */
function collectSpikes(words: Float64Array, spikes: Uint8Array, ids: Int32Array): number {
  let n = 0;
  const size = spikes.length;
  for (let w = 0; w < words.length; w++) {
    if (words[w] === 0) continue;
    const end = Math.min(size, (w + 1) * 8);
    for (let i = w * 8; i < end; i++) if (spikes[i] !== 0) ids[n++] = i;
  }
  return n;
}

/** Indices of the 1s in `spikes` into `ids`, ascending, byte by byte; returns their number. */
function collectBytes(spikes: Uint8Array, ids: Int32Array): number {
  let n = 0;
  for (let i = 0; i < spikes.length; i++) if (spikes[i] !== 0) ids[n++] = i;
  return n;
}

/** Bernoulli draws with p = rate·dt, the rule and the stream of `poissonStep`; also lists the spiking indices. */
function poissonDraw(rates: Float32Array, rng: Rng, dt: number, spikes: Uint8Array, ids: Int32Array): number {
  let n = 0;
  for (let i = 0; i < rates.length; i++) {
    if (rng.next() < rates[i] * dt) {
      spikes[i] = 1;
      ids[n++] = i;
    } else {
      spikes[i] = 0;
    }
  }
  return n;
}

function drawNoise(nz: NoiseRuntime, rng: Rng): void {
  const values = nz.values;
  const mean = nz.input.mean;
  const sd = nz.sd;
  if (sd === null) {
    const s = nz.sdScalar;
    for (let j = 0; j < values.length; j++) values[j] = mean + s * zigguratNormal(rng);
  } else {
    for (let j = 0; j < values.length; j++) values[j] = mean + sd[j] * zigguratNormal(rng);
  }
}

function save(v: Float32Array, saved: Float32Array, ids: Int32Array, count: number): void {
  for (let s = 0; s < count; s++) saved[s] = v[ids[s]];
}

function restore(v: Float32Array, saved: Float32Array, ids: Int32Array, count: number): void {
  for (let s = 0; s < count; s++) v[ids[s]] = saved[s];
}

function addInto(target: Float32Array, values: Float32Array): void {
  for (let j = 0; j < target.length; j++) target[j] += values[j];
}

