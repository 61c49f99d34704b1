/**
 * A network: groups (neuron populations and Poisson sources), projections between them and
 * external inputs, checked together once, when it is built, so that `simulate` can run without
 * checks in its loop.
 *
 * `network(spec)` checks every name (unique; every projection, input and monitor refers to a group
 * of this network), every size (a projection's matrix is nPre × nPost of its groups; per-neuron
 * arrays have one value per neuron), and every target (the post group is a population, the target
 * is "input" or a Float32Array field of its state), and throws one standard error for the first
 * problem, before anything runs. It then allocates what the loop needs: one input buffer and one
 * spike buffer per group, one delay ring per (population, target) fed with a delay, noise buffers.
 * Where a model offers its own buffers (`NeuronModel.buffers`, e.g. a WebAssembly kernel's memory),
 * the network uses those, so that the step neither copies its input and spikes nor is scanned for
 * the spiking neurons.
 *
 * `resetNetwork(net)` puts a network back to the start of a sample (house style: between
 * samples, without allocating): every population's `model.reset` (which, by each model's
 * contract, leaves learned state such as an adaptive threshold alone), no pending delayed events,
 * zero STDP traces and SOP counters, inputs back to their constant part, time 0. Weights are
 * learned and are kept; monitors belong to the caller (`monitor.clear()`).
 *
 * @example
 *   const net = network({ populations: [input, exc], projections: [ff], inputs: [bias] });
 *   net;   // Network(2 groups [input 784 poisson, exc 100 conductance-lif], 1 projection (78400 synapses), 1 input; t = 0 ms, 0 SOPs)
 *   simulate(net, { duration: 350 * ms, dt: 0.5 * ms });
 *   resetNetwork(net);          // next sample
 */
import { fail } from "../core/validate";
import type { NeuronBuffers } from "../neurons/neuron-model";
import type { SynapseAccess } from "../plasticity/synapse-access";
import { resetTraces } from "../plasticity/traces";
import { clearRing, delayRing, type DelayRing } from "../synapses/delays";
import { synapseAccess, type SynapseMatrix } from "../synapses/synapse-matrix";
import type { NetworkInput, NoiseInput } from "./inputs";
import { checkGroup, type Group } from "./population";
import { setSops, type Projection } from "./projection";

/** What `network` takes. */
export interface NetworkSpec {
  /** Neuron populations and Poisson groups, with unique names. */
  readonly populations: readonly Group[];
  /** Projections between them; default none. */
  readonly projections?: readonly Projection[];
  /** Constant and noise currents; default none. */
  readonly inputs?: readonly NetworkInput[];
}

/** A checked network; see the file header. */
export interface Network {
  readonly populations: readonly Group[];
  readonly projections: readonly Projection[];
  readonly inputs: readonly NetworkInput[];
  /** Steps simulated since `network` or the last `resetNetwork`. */
  readonly steps: number;
  /** Simulated time since `network` or the last `resetNetwork`, ms. */
  readonly time: number;
  /** Synaptic operations since `network` or the last `resetNetwork`, all projections. */
  readonly sops: number;
}

/** Internal: one group's buffers. */
export interface GroupRuntime {
  readonly group: Group;
  readonly size: number;
  readonly poisson: boolean;
  /** The step input (neuron populations; length 0 for Poisson groups). */
  readonly input: Float32Array;
  /** Sum of the constant currents, or null; `input` is reset to it after each step. */
  readonly base: Float32Array | null;
  /** Whether anything writes into `input` each step (then it is reset after the step). */
  readonly clearsInput: boolean;
  /** 0/1 spikes of the last step (the model's own buffer when it has one, else padded to 8 bytes). */
  readonly spikes: Uint8Array;
  /** The padded buffer as float64 words, to skip 8 silent neurons per comparison; null for a model's buffer. */
  readonly words: Float64Array | null;
  /** Indices of the last step's spikes, ascending, in [0, spikeCount). */
  readonly spikeIds: Int32Array;
  /** True when the model's step writes `spikeIds` itself (`NeuronModel.buffers`). */
  readonly listsSpikes: boolean;
  spikeCount: number;
  /**
   * For a population that receives jumps into "v": v of the last step's spiking neurons right
   * after their reset, restored after the jumps (see `projection.ts`); else null.
   */
  readonly resetV: Float32Array | null;
}

/** Internal: a delay ring and the array it delivers into. */
export interface RingRuntime {
  readonly ring: DelayRing;
  readonly target: Float32Array;
}

/** Internal: a projection resolved against its groups. */
export interface ProjectionRuntime {
  readonly projection: Projection;
  readonly pre: GroupRuntime;
  readonly post: GroupRuntime;
  readonly synapses: SynapseMatrix;
  /** Where zero-delay events go: the post input or the target state field. */
  readonly direct: Float32Array;
  /** The ring for delayed events, or null when the delay is 0. */
  readonly ring: DelayRing | null;
  /** The projection's delay (steps) when it has one delay. */
  readonly delay: number;
  /** Per-synapse delays (steps), or null. */
  readonly delays: Int32Array | null;
  /** The plasticity view, or null without plasticity. */
  readonly access: SynapseAccess | null;
}

/** Internal: a noise input's buffers. */
export interface NoiseRuntime {
  readonly input: NoiseInput;
  readonly group: GroupRuntime;
  /** The held draw, one per neuron. */
  readonly values: Float32Array;
  /** Per-neuron standard deviations, or null when `sdScalar` applies to all. */
  readonly sd: Float32Array | null;
  readonly sdScalar: number;
}

/** Internal: everything `simulate` needs. */
export interface Runtime {
  readonly groups: readonly GroupRuntime[];
  readonly byName: ReadonlyMap<string, GroupRuntime>;
  readonly projections: readonly ProjectionRuntime[];
  readonly plastic: readonly ProjectionRuntime[];
  readonly rings: readonly RingRuntime[];
  readonly noises: readonly NoiseRuntime[];
  steps: number;
  time: number;
}

const runtimes = new WeakMap<Network, Runtime>();
const inspect = Symbol.for("nodejs.util.inspect.custom");

/** Internal: the runtime of a network built by `network` (the standard error otherwise). */
export function runtimeOf(fn: string, net: Network): Runtime {
  const rt = net !== null && typeof net === "object" ? runtimes.get(net) : undefined;
  if (rt === undefined) fail(fn, "network", "be a Network built by network({populations, …})", net);
  return rt;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Builds and checks a network (file header). The groups, projections and inputs are used, not copied. */
export function network(spec: NetworkSpec): Network {
  const fn = "network";
  if (spec === null || typeof spec !== "object") fail(fn, "spec", "be an object {populations, projections?, inputs?}", spec);
  for (const key of Object.keys(spec)) {
    if (key !== "populations" && key !== "projections" && key !== "inputs") {
      fail(fn, "spec", "have only the keys populations, projections, inputs", key);
    }
  }
  const populations = spec.populations;
  if (!Array.isArray(populations)) fail(fn, "populations", "be an array of groups", populations);
  const projections = spec.projections ?? [];
  if (!Array.isArray(projections)) fail(fn, "projections", "be an array of projections", projections);
  const inputs = spec.inputs ?? [];
  if (!Array.isArray(inputs)) fail(fn, "inputs", "be an array of inputs", inputs);

  // Groups: unique names first, so that inputs and projections can refer to them.
  const groupByName = new Map<string, Group>();
  populations.forEach((g, k) => {
    checkGroup(fn, `populations[${k}]`, g);
    if (groupByName.has(g.name)) fail(fn, `populations[${k}].name`, "be unique", g.name);
    groupByName.set(g.name, g);
  });
  const neuronGroup = (param: string, name: string): Group => {
    const g = groupByName.get(name);
    if (g === undefined) fail(fn, param, `name a group of this network (${[...groupByName.keys()].join(", ")})`, name);
    if (g.kind === "poisson") fail(fn, param, "name a neuron population (a Poisson group has no input)", name);
    return g;
  };

  // Inputs: constant currents are summed into one base per population; noise is checked here.
  const bases = new Map<string, Float32Array>();
  const inputWriters = new Set<string>();
  const jumpTargets = new Set<string>();
  inputs.forEach((input, k) => {
    if (input === null || typeof input !== "object" || (input.kind !== "current" && input.kind !== "noise")) {
      fail(fn, `inputs[${k}]`, "be a currentInput or a noiseInput", input);
    }
    const g = neuronGroup(`inputs[${k}].population`, input.population);
    const values = input.kind === "current" ? input.values : input.sd;
    if (typeof values !== "number" && values.length !== g.size) {
      fail(fn, `inputs[${k}].${input.kind === "current" ? "values" : "sd"}`, `have one value per neuron of ${g.name} (${g.size})`, values.length);
    }
    if (input.kind === "noise") {
      inputWriters.add(g.name);
      return;
    }
    let base = bases.get(g.name);
    if (base === undefined) bases.set(g.name, (base = new Float32Array(g.size)));
    for (let j = 0; j < g.size; j++) base[j] += typeof values === "number" ? values : values[j];
  });
  projections.forEach((p, k) => {
    if (p === null || typeof p !== "object" || typeof p.synapses !== "object" || typeof p.target !== "string") {
      fail(fn, `projections[${k}]`, "be a projection(pre, post, {synapses, …})", p);
    }
    if (p.target === "input") inputWriters.add(p.post);
    if (p.target === "v") jumpTargets.add(p.post);
  });

  const byName = new Map<string, GroupRuntime>();
  const groups: GroupRuntime[] = populations.map((g) => {
    // A model may offer buffers that its step uses without copying (e.g. WebAssembly memory).
    const own = g.kind === "neurons" && typeof g.model.buffers === "function" ? modelBuffers(g.model.buffers(g.state), g.size) : null;
    const padded = Math.max(8, Math.ceil(g.size / 8) * 8);
    const buffer = own === null ? new ArrayBuffer(padded) : null;
    const base = bases.get(g.name) ?? null;
    const input = own?.input ?? new Float32Array(g.kind === "poisson" ? 0 : g.size);
    input.fill(0);
    if (base !== null) input.set(base);
    const rt: GroupRuntime = {
      group: g, size: g.size, poisson: g.kind === "poisson", input, base, clearsInput: inputWriters.has(g.name),
      spikes: own?.spikes ?? new Uint8Array(buffer!, 0, g.size),
      words: buffer === null ? null : new Float64Array(buffer),
      spikeIds: own?.spikeIds ?? new Int32Array(g.size),
      listsSpikes: own !== null && own.spikeIds !== null,
      spikeCount: 0,
      resetV: jumpTargets.has(g.name) && g.kind === "neurons" ? new Float32Array(g.size) : null,
    };
    byName.set(g.name, rt);
    return rt;
  });
  const noises: NoiseRuntime[] = [];
  for (const input of inputs) {
    if (input.kind !== "noise") continue;
    const g = byName.get(input.population)!;
    noises.push({
      input, group: g, values: new Float32Array(g.size),
      sd: typeof input.sd === "number" ? null : input.sd, sdScalar: typeof input.sd === "number" ? input.sd : 0,
    });
  }

  // Projections: sizes, targets, delays.
  const names = new Set<string>();
  const rings = new Map<string, { maxDelay: number; target: Float32Array; size: number }>();
  projections.forEach((p, k) => {
    if (names.has(p.name)) fail(fn, `projections[${k}].name`, "be unique", p.name);
    names.add(p.name);
    const pre = byName.get(p.pre);
    if (pre === undefined) fail(fn, `projections[${k}].pre`, `name a group of this network (${[...byName.keys()].join(", ")})`, p.pre);
    neuronGroup(`projections[${k}].post`, p.post);
    const post = byName.get(p.post)!;
    if (p.synapses.nPre !== pre.size) fail(fn, `projections[${k}].synapses.nPre`, `be the size of ${p.pre} (${pre.size})`, p.synapses.nPre);
    if (p.synapses.nPost !== post.size) fail(fn, `projections[${k}].synapses.nPost`, `be the size of ${p.post} (${post.size})`, p.synapses.nPost);
    const target = targetArray(fn, `projections[${k}].target`, post, p.target);
    if (p.maxDelay > 0 || typeof p.delaySteps !== "number") {
      const key = `${p.post}\u0000${p.target}`;
      const r = rings.get(key);
      if (r === undefined) rings.set(key, { maxDelay: p.maxDelay, target, size: post.size });
      else r.maxDelay = Math.max(r.maxDelay, p.maxDelay);
    }
  });
  const ringOf = new Map<string, RingRuntime>();
  for (const [key, r] of rings) ringOf.set(key, { ring: delayRing(r.size, r.maxDelay), target: r.target });
  const projectionRuntimes: ProjectionRuntime[] = projections.map((p) => {
    const post = byName.get(p.post)!;
    const ring = ringOf.get(`${p.post}\u0000${p.target}`);
    const delayed = p.maxDelay > 0 || typeof p.delaySteps !== "number";
    return {
      projection: p,
      pre: byName.get(p.pre)!,
      post,
      synapses: p.synapses,
      direct: targetArray(fn, "target", post, p.target),
      ring: delayed ? ring!.ring : null,
      delay: typeof p.delaySteps === "number" ? p.delaySteps : 0,
      delays: typeof p.delaySteps === "number" ? null : p.delaySteps,
      access: p.plasticity === null ? null : synapseAccess(p.synapses),
    };
  });

  const rt: Runtime = {
    groups, byName, projections: projectionRuntimes, plastic: projectionRuntimes.filter((p) => p.access !== null),
    rings: [...ringOf.values()], noises, steps: 0, time: 0,
  };
  const net: Network = Object.freeze({
    populations: Object.freeze([...populations]),
    projections: Object.freeze([...projections]),
    inputs: Object.freeze([...inputs]),
    get steps() {
      return rt.steps;
    },
    get time() {
      return rt.time;
    },
    get sops() {
      let s = 0;
      for (const p of projections) s += p.sops;
      return s;
    },
    [inspect]() {
      const groupsText = groups.map((g) => `${g.group.name} ${g.size}${g.group.kind === "poisson" ? " poisson" : ` ${g.group.model.name}`}`).join(", ");
      let synapses = 0;
      for (const p of projections) synapses += p.synapses.nSynapses;
      return `Network(${plural(groups.length, "group")} [${groupsText}], ${plural(projections.length, "projection")} ` +
        `(${synapses} synapses), ${plural(inputs.length, "input")}; t = ${+rt.time.toFixed(6)} ms, ${this.sops} SOPs)`;
    },
  });
  runtimes.set(net, rt);
  return net;
}

/** A model's buffers when they fit the population (one element per neuron), else null. */
function modelBuffers(b: NeuronBuffers | null, size: number): NeuronBuffers | null {
  if (b === null || typeof b !== "object") return null;
  if (!(b.input instanceof Float32Array) || b.input.length !== size) return null;
  if (!(b.spikes instanceof Uint8Array) || b.spikes.length !== size) return null;
  if (b.spikeIds !== null && (!(b.spikeIds instanceof Int32Array) || b.spikeIds.length < size)) return null;
  return b;
}

/** The array a projection's events feed: the post input, or a Float32Array state field. */
function targetArray(fn: string, param: string, post: GroupRuntime, target: string): Float32Array {
  if (target === "input") return post.input;
  const state = (post.group as { state: Record<string, unknown> }).state;
  const field = state[target];
  if (!(field instanceof Float32Array) || field.length !== post.size) {
    const fields = Object.keys(state).filter((k) => state[k] instanceof Float32Array && (state[k] as Float32Array).length === post.size);
    fail(fn, param, `be "input" or a Float32Array field of the ${post.group.name} state (${fields.join(", ")})`, target);
  }
  return field;
}

/**
 * The group named `name` in `net` (the standard error if there is none).
 *
 * @example
 *   const exc = findGroup(net, "exc");
 */
export function findGroup(net: Network, name: string): Group {
  const rt = runtimeOf("findGroup", net);
  const g = rt.byName.get(name);
  if (g === undefined) fail("findGroup", "name", `name a group of this network (${[...rt.byName.keys()].join(", ")})`, name);
  return g.group;
}

/** Puts `net` back to the start of a sample, in place (file header). */
export function resetNetwork(net: Network): void {
  const rt = runtimeOf("resetNetwork", net);
  for (const g of rt.groups) {
    if (!g.poisson) {
      const pop = g.group as Exclude<Group, { kind: "poisson" }>;
      pop.model.reset(pop.state, pop.params);
      if (g.base === null) g.input.fill(0);
      else g.input.set(g.base);
    }
    g.spikes.fill(0);
    g.spikeCount = 0;
  }
  for (const r of rt.rings) clearRing(r.ring);
  for (const nz of rt.noises) nz.values.fill(0);
  for (const p of rt.projections) {
    if (p.projection.traces !== null) resetTraces(p.projection.traces);
    setSops(p.projection, 0);
  }
  rt.steps = 0;
  rt.time = 0;
}
