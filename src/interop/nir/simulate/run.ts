/**
 * The NIR simulator, part of `interop/nir/simulate/` (described in index.ts): running a network: `nirInit`, `nirStep` and `nirRun`.
 */
import { fail, integer, mergeOptions } from "../../../core/validate";
import { type NirTensor } from "../graph";
import { type Compiled, type NirNetwork, type NirRun, type NirRunOptions, type NirState, compiled } from "./types";

function compiledOf(fn: string, net: NirNetwork): Compiled {
  const c = net && typeof net === "object" ? compiled.get(net) : undefined;
  if (!c) fail(fn, "net", "be a network from nirNetwork()", net);
  return c;
}

/**
 * A fresh state: every potential at vLeak (LI, LIF, CubaLI, CubaLIF) or 0 (I, IF), currents and
 * outputs 0.
 *
 * @example
 *   const state = nirInit(net);
 */
export function nirInit(net: NirNetwork): NirState {
  const c = compiledOf("nirInit", net);
  const output: Record<string, Float64Array> = {};
  const v: Record<string, Float64Array> = {};
  const current: Record<string, Float64Array> = {};
  const memory: Record<string, Float64Array> = {};
  for (const op of c.ops) {
    const { name, size: n } = op.unit;
    output[name] = new Float64Array(n);
    if (c.neuron.has(name)) {
      const leak = (op.node as { vLeak?: NirTensor }).vLeak;
      v[name] = leak ? Float64Array.from(leak.data) : new Float64Array(n);
    }
    if (c.cuba.has(name)) current[name] = new Float64Array(n);
    if (c.memorySizes.has(name)) memory[name] = new Float64Array(c.memorySizes.get(name)!);
  }
  return { steps: 0, output, v, current, memory };
}

/**
 * Advances `state` by one step, in place: `input` holds one step of each top-level Input (by
 * name; a single array for a graph with one Input). Returns the Output units' values (views into
 * the state, valid until the next step).
 *
 * @example
 *   const state = nirInit(net);
 *   const out = nirStep(Float64Array.of(0.5), state, net);
 */
export function nirStep(input: ArrayLike<number> | Readonly<Record<string, ArrayLike<number>>> | undefined, state: NirState, net: NirNetwork): Readonly<Record<string, Float64Array>> {
  const fn = "nirStep";
  const c = compiledOf(fn, net);
  const frames = inputFrames(fn, net, input, 1, 1);
  stepOnce(c, net, frames, 0, state);
  return Object.fromEntries(net.outputs.map((u) => [u.name, state.output[u.name]!]));
}

/** Each top-level Input's array, checked to hold `steps` frames (or one frame, held). */
function inputFrames(fn: string, net: NirNetwork, input: unknown, steps: number | undefined, fallback: number): { frames: Map<string, ArrayLike<number>>; steps: number } {
  const frames = new Map<string, ArrayLike<number>>();
  const isArray = (x: unknown): x is ArrayLike<number> => (ArrayBuffer.isView(x) && !(x instanceof DataView)) || Array.isArray(x);
  if (net.inputs.length === 0) {
    if (input !== undefined && !(isArray(input) && input.length === 0)) fail(fn, "input", "be undefined: the graph has no Input node", input);
  } else if (isArray(input)) {
    if (net.inputs.length !== 1) fail(fn, "input", `be an object of arrays by Input name (${net.inputs.map((u) => u.name).join(", ")})`, input);
    frames.set(net.inputs[0]!.name, input);
  } else if (input && typeof input === "object") {
    for (const u of net.inputs) {
      const a = (input as Record<string, unknown>)[u.name];
      if (!isArray(a)) fail(fn, `input.${u.name}`, "be an array of the Input's values, step after step", a);
      frames.set(u.name, a);
    }
  } else {
    fail(fn, "input", "be an array (one Input) or an object of arrays by Input name", input);
  }
  let T = steps;
  for (const u of net.inputs) {
    const a = frames.get(u.name)!;
    if (a.length % u.size !== 0 || a.length === 0) fail(fn, net.inputs.length === 1 ? "input" : `input.${u.name}`, `hold whole steps of the Input's ${u.size} values`, `${a.length} values`);
    const k = a.length / u.size;
    if (T === undefined && k > 1) T = k;
    if (k !== 1 && T !== undefined && k !== T) fail(fn, "input", `hold one step or ${T} steps of every Input`, `${k} steps of ${u.name}`);
  }
  if (T === undefined) T = net.inputs.length === 0 ? fallback : 1;
  return { frames, steps: T };
}

function stepOnce(c: Compiled, net: NirNetwork, input: { frames: Map<string, ArrayLike<number>> }, t: number, state: NirState): void {
  for (const op of c.ops) {
    const { name, size: n } = op.unit;
    const out = state.output[name]!;
    const frame = input.frames.get(name);
    if (frame) {
      const offset = frame.length === n ? 0 : t * n;
      for (let i = 0; i < n; i++) out[i] = frame[offset + i]!;
      continue;
    }
    let sum: Float64Array;
    if (op.sources.length === 1) {
      sum = state.output[net.units[op.sources[0]!]!.name]!;
    } else {
      sum = scratch(n);
      sum.fill(0);
      for (const s of op.sources) {
        const src = state.output[net.units[s]!.name]!;
        for (let i = 0; i < n; i++) sum[i]! += src[i]!;
      }
    }
    // A recurrent source of itself (a self-loop) must be read before being overwritten.
    if (sum === out) sum = Float64Array.from(sum);
    op.run(sum, out, state);
  }
  state.steps++;
}

let scratchBuffer = new Float64Array(0);
function scratch(n: number): Float64Array {
  if (scratchBuffer.length < n) scratchBuffer = new Float64Array(n);
  return scratchBuffer.subarray(0, n);
}

/**
 * Runs the network for T steps (file header). `input` is the Input's values step after step
 * ([T × size], time-major; an object of such arrays by name when the graph has several Inputs);
 * one step's values are held for `steps` steps.
 *
 * @example
 *   const run = nirRun(net, pixels, { steps: 10, record: ["3"] });   // pixels held for 10 steps
 *   run.outputs.output;   // [10 × 10] output spikes
 */
export function nirRun(net: NirNetwork, input?: ArrayLike<number> | Readonly<Record<string, ArrayLike<number>>>, options: NirRunOptions = {}): NirRun {
  const fn = "nirRun";
  const c = compiledOf(fn, net);
  const o = mergeOptions(fn, { steps: undefined as number | undefined, record: [] as readonly string[], state: undefined as NirState | undefined }, options);
  if (o.steps !== undefined) integer(fn, "steps", o.steps, 1);
  if (net.inputs.length === 0 && o.steps === undefined) fail(fn, "steps", "be given for a graph without Input nodes", o.steps);
  const frames = inputFrames(fn, net, input, o.steps, o.steps ?? 1);
  const T = frames.steps;
  if (!Array.isArray(o.record)) fail(fn, "record", "be an array of unit names", o.record);
  for (const name of o.record) {
    if (!net.units.some((u) => u.name === name)) fail(fn, "record", `name units of the network (${net.units.map((u) => u.name).join(", ")})`, name);
  }
  const state = o.state ?? nirInit(net);
  if (!state || typeof state !== "object" || !state.output || net.units.some((u) => !(state.output[u.name] instanceof Float64Array))) {
    fail(fn, "state", "be a state of this network (nirInit(net))", state);
  }
  const recorded = [...new Set([...o.record, ...net.outputs.map((u) => u.name)])];
  const records: Record<string, { output: Float64Array; v?: Float64Array; current?: Float64Array }> = {};
  for (const name of recorded) {
    const n = net.units.find((u) => u.name === name)!.size;
    records[name] = {
      output: new Float64Array(T * n),
      ...(c.neuron.has(name) ? { v: new Float64Array(T * n) } : {}),
      ...(c.cuba.has(name) ? { current: new Float64Array(T * n) } : {}),
    };
  }
  for (let t = 0; t < T; t++) {
    stepOnce(c, net, frames, t, state);
    for (const name of recorded) {
      const r = records[name]!;
      const n = state.output[name]!.length;
      r.output.set(state.output[name]!, t * n);
      r.v?.set(state.v[name]!, t * n);
      r.current?.set(state.current[name]!, t * n);
    }
  }
  return {
    steps: T,
    outputs: Object.fromEntries(net.outputs.map((u) => [u.name, records[u.name]!.output])),
    records: Object.fromEntries(o.record.map((name) => [name, records[name]!])),
    state,
  };
}
