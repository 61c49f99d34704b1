/**
 * A time-stepped simulator for any NIR graph: `nirNetwork(graph, {dt, method})` compiles the graph
 * (nested graphs flattened, names joined by "/"), `nirRun(net, input, options)` runs it for T
 * steps of dt and returns the Output nodes' signals and the records asked for.
 *
 * Why a simulator of its own: `createModel` is a feed-forward stack of discrete layers with one β
 * and θ per layer, `simulateConverted` runs IF layers only, and `network/` connects populations of
 * one neuron model by projections; a NIR graph may have cycles (the Braille network's recurrent
 * Affine), per-neuron constants, CubaLIF, Delay and Threshold nodes and nested graphs, and it
 * mixes convolutions with neurons. Exported snnlab networks re-imported here compute what the
 * originals compute (test/nir/export.test.ts).
 *
 * Time. Signals are held constant over each step (zero-order hold): the value a node receives at
 * step t is its input over [t·dt, (t + 1)·dt), and a spike is a 1 held for one step (the
 * convention of the NIR paper's discrete-time platforms, not a Dirac pulse). Within a step the
 * nodes are evaluated in the order of a depth-first walk from the Input nodes (successors in edge
 * order), so a feed-forward chain passes a signal through in the same step; an edge that closes a
 * cycle (a recurrent connection) carries the value its source had at the previous step. A node's
 * input is the sum of its in-edges; Flatten, Output and the Input/Output of a nested graph pass it
 * on unchanged (every array is row-major, so a reshape moves nothing). `dt` is in ms (house
 * units); NIR's time constants and delays are in seconds, h = dt/1000 s below.
 *
 * Neurons (per element; a = R·I the driven potential; θ, vReset, vLeak, τ from the node):
 *
 *   method "exact" (default)  sub-threshold dynamics integrated exactly over the step for the held
 *       input: LI/LIF  v ← vLeak + a + (v − vLeak − a)·e^{−h/τ};  I/IF  v ← v + a·h;
 *       CubaLI/CubaLIF  I ← wIn·S + (I − wIn·S)·e^{−h/τsyn}, v from the closed form of the two
 *       coupled linear equations (the τsyn = τmem case included). The threshold is tested at the
 *       end of the step, v > θ, and a spiking neuron is reset to vReset there. With β = e^{−h/τ}
 *       this is snnlab's discrete leaky neuron u = β·v + (1 − β)·R·I (neurons/leaky.ts), which is
 *       why the exporters (export.ts) write R = 1/(1 − β) and IF's R = 1/h.
 *   method "event"  as "exact", but a neuron whose potential ends the step above threshold spikes
 *       at the instant it crossed (closed form for IF and LIF, bisection for CubaLIF), is reset
 *       there and integrates the rest of the step from vReset: the exact event-driven solution
 *       for piecewise-constant input (the NIR paper's `lif_exact_sim.py`). At most one spike per
 *       neuron per step.
 *   method "euler"  forward Euler, v ← v + (h/τ)·(vLeak − v + a), I ← I + (h/τsyn)·(wIn·S − I), both
 *       from the start-of-step values, threshold at the end of the step (what Norse's and
 *       snnTorch's NIR importers do).
 *
 * A neuron with metadata `snnlab.reset` = "subtract" (written by snnlab's exporters for its
 * reset-by-subtraction networks; other NIR tools ignore it) resets by v ← v − (θ − vReset)
 * instead, and "none" not at all; a SumPool2d with metadata `snnlab.pool` = "spiking-max" is
 * membrane backprop's spiking max pooling (the spike of the window's unit with the most spikes
 * so far; other tools sum, and the IF the exporter puts after it makes that an OR). Other nodes: Delay rounds each delay to whole steps; Threshold
 * outputs 1 where its input exceeds θ; SumPool2d/AvgPool2d pad with zeros (the mean divides by the
 * window size, PyTorch's default); Conv padding "same" pads ⌊(k − 1)·d/2⌋ before, the rest after.
 *
 * Values are float64 throughout (NIR files hold float64 parameters, and the LIF benchmark
 * compares with an exact solution); convolutions and affine maps skip zero inputs, so spike
 * inputs cost their synaptic operations.
 *
 * @example
 *   const net = nirNetwork(await readNir("lif_norse.nir"), { dt: 0.1 * ms, method: "event" });
 *   const run = nirRun(net, current, { record: ["1"] });   // current: Float32Array, one value per step
 *   run.records["1"].v;                                      // membrane potential after each step
 */
import { fail, integer, mergeOptions, oneOf, positive } from "../../core/validate";
import { second } from "../../core/units";
import { checkNirGraph, resolveEndpoint, type NirGraph, type NirNode, type NirNodeShapes, type NirNodeType, type NirPoolNode, type NirTensor } from "./graph";

/** How continuous-time neurons become steps (file header). */
export type NirMethod = "exact" | "event" | "euler";

/** The methods, in the order of the union. */
export const nirMethods: readonly NirMethod[] = Object.freeze(["exact", "event", "euler"] as const);

/** Options of `nirNetwork`. */
export interface NirNetworkOptions {
  /** Time step, ms. */
  readonly dt: number;
  /** Discretisation of the neurons (file header). Default "exact". */
  readonly method: NirMethod;
}

/** A node of the compiled network (nested graphs flattened: "graph/node"). */
export interface NirUnit {
  readonly name: string;
  readonly type: NirNodeType;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Elements of the output. */
  readonly size: number;
  /** Names of the units it receives from, and whether each edge is recurrent (previous step's value). */
  readonly from: readonly { readonly name: string; readonly recurrent: boolean }[];
}

/** A compiled network (file header); its state is separate (`nirInit`). */
export interface NirNetwork {
  readonly graph: NirGraph;
  /** Time step, ms. */
  readonly dt: number;
  readonly method: NirMethod;
  /** Units in evaluation order. */
  readonly units: readonly NirUnit[];
  /** The top-level Input and Output units, by name, in the graph's order. */
  readonly inputs: readonly NirUnit[];
  readonly outputs: readonly NirUnit[];
}

/** The state of a network between steps, owned by the caller. */
export interface NirState {
  /** Steps simulated so far. */
  steps: number;
  /** Output of every unit at the last step. */
  readonly output: Readonly<Record<string, Float64Array>>;
  /** Membrane potential of every neuron unit (I, IF, LI, LIF, CubaLI, CubaLIF). */
  readonly v: Readonly<Record<string, Float64Array>>;
  /** Synaptic current of every CubaLI/CubaLIF unit. */
  readonly current: Readonly<Record<string, Float64Array>>;
  /** Memory of Delay units (ring buffers) and of spiking max pooling (spike counts); internal. */
  readonly memory: Readonly<Record<string, Float64Array>>;
}

/** The signals of one recorded unit, each [T × size], time-major. */
export interface NirRecord {
  readonly output: Float64Array;
  readonly v?: Float64Array;
  readonly current?: Float64Array;
}

/** What `nirRun` returns. */
export interface NirRun {
  readonly steps: number;
  /** Signal of each top-level Output node, [T × size]. */
  readonly outputs: Readonly<Record<string, Float64Array>>;
  readonly records: Readonly<Record<string, NirRecord>>;
  /** The state after the last step (pass it back to continue). */
  readonly state: NirState;
}

/** Options of `nirRun`. */
export interface NirRunOptions {
  /** Steps T; default the input's length / the Input's size. An input of one step is held for T steps. */
  readonly steps?: number;
  /** Units whose output (and v, synaptic current) to record, by name. */
  readonly record?: readonly string[];
  /** State to continue from; default a fresh `nirInit(net)`. It is advanced in place. */
  readonly state?: NirState;
}

type Reset = "zero" | "subtract" | "none";

/** The compiled operation of a unit: reads `input` (its summed in-edges), writes `out`, state by name. */
interface Op {
  readonly unit: NirUnit;
  /** Indices (in evaluation order) of the units it reads. */
  readonly sources: readonly number[];
  readonly node: NirNode;
  run(input: Float64Array, out: Float64Array, state: NirState): void;
}

interface Compiled {
  readonly ops: readonly Op[];
  readonly neuron: ReadonlySet<string>;
  readonly cuba: ReadonlySet<string>;
  /** Length of each unit's `memory`. */
  readonly memorySizes: ReadonlyMap<string, number>;
}

const compiled = new WeakMap<NirNetwork, Compiled>();

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function f64(t: NirTensor): Float64Array {
  return t.data instanceof Float64Array ? t.data : Float64Array.from(t.data);
}

function resetOf(node: NirNode): Reset {
  const r = node.metadata?.["snnlab.reset"];
  return r === "subtract" || r === "none" ? r : "zero";
}

interface FlatUnit {
  name: string;
  node: NirNode;
  shapes: NirNodeShapes;
  /** External input (a top-level Input). */
  external: boolean;
}

/** Flattens nested graphs: units with full names and edges between them. */
function flatten(graph: NirGraph, shapes: Record<string, NirNodeShapes>, prefix: string, units: FlatUnit[], edges: [string, string][], top: boolean): void {
  for (const [name, node] of Object.entries(graph.nodes)) {
    if (node.type === "NIRGraph") flatten(node, checkNirGraph("nirNetwork", node), `${prefix}${name}/`, units, edges, false);
    else units.push({ name: prefix + name, node, shapes: shapes[name]!, external: top && node.type === "Input" });
  }
  for (const [a, b] of graph.edges) {
    const src = resolveEndpoint(graph, a, "source")!;
    const dst = resolveEndpoint(graph, b, "target")!;
    edges.push([prefix + src.node + (src.inner ? "/" + src.inner : ""), prefix + dst.node + (dst.inner ? "/" + dst.inner : "")]);
  }
}

/**
 * Compiles a graph for simulation (file header). The graph is checked as `nirGraph` does.
 *
 * @example
 *   const net = nirNetwork(graph, { dt: 1 * ms });
 */
export function nirNetwork(graph: NirGraph, options: Partial<NirNetworkOptions> & Pick<NirNetworkOptions, "dt">): NirNetwork {
  const fn = "nirNetwork";
  const o = mergeOptions(fn, { dt: undefined as unknown as number, method: "exact" as NirMethod }, options);
  positive(fn, "dt", o.dt);
  oneOf(fn, "method", o.method, nirMethods);
  const shapes = checkNirGraph(fn, graph);
  const flat: FlatUnit[] = [];
  const edges: [string, string][] = [];
  flatten(graph, shapes, "", flat, edges, true);
  const byName = new Map(flat.map((u) => [u.name, u]));
  const successors = new Map<string, string[]>(flat.map((u) => [u.name, []]));
  for (const [a, b] of edges) successors.get(a)!.push(b);
  // Depth-first from the Input units; reverse post-order is a topological order of the graph
  // without its back edges, which become the one-step recurrent edges.
  const visited = new Set<string>();
  const post: string[] = [];
  const visit = (start: string) => {
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    visited.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = successors.get(top.name)!;
      if (top.next < succ.length) {
        const s = succ[top.next++]!;
        if (!visited.has(s)) {
          visited.add(s);
          stack.push({ name: s, next: 0 });
        }
      } else {
        post.push(top.name);
        stack.pop();
      }
    }
  };
  for (const u of flat) if (u.external && !visited.has(u.name)) visit(u.name);
  for (const u of flat) if (!visited.has(u.name)) visit(u.name);
  const order = post.reverse();
  const position = new Map(order.map((name, i) => [name, i]));
  const h = o.dt / second;
  const neuron = new Set<string>();
  const cuba = new Set<string>();
  const memorySizes = new Map<string, number>();
  const ops: Op[] = order.map((name, i) => {
    const u = byName.get(name)!;
    const incoming = edges.filter(([, b]) => b === name).map(([a]) => a);
    const unit: NirUnit = Object.freeze({
      name, type: u.node.type, inputShape: u.shapes.input, outputShape: u.shapes.output, size: size(u.shapes.output),
      from: Object.freeze(incoming.map((a) => Object.freeze({ name: a, recurrent: position.get(a)! >= i }))),
    });
    const op = compileOp(fn, unit, u.node, h, o.method);
    if (["I", "IF", "LI", "LIF", "CubaLI", "CubaLIF"].includes(u.node.type)) neuron.add(name);
    if (u.node.type === "CubaLI" || u.node.type === "CubaLIF") cuba.add(name);
    if (op.memory) memorySizes.set(name, op.memory);
    return { ...op, unit, sources: incoming.map((a) => position.get(a)!), node: u.node };
  });
  const units = Object.freeze(ops.map((op) => op.unit));
  const top = (type: string) => Object.freeze(Object.keys(graph.nodes).filter((k) => graph.nodes[k]!.type === type).map((k) => units.find((x) => x.name === k)!));
  const net = { graph, dt: o.dt, method: o.method, units, inputs: top("Input"), outputs: top("Output") } as NirNetwork;
  // tslab prints a cell's last value with console.log: a one-line summary, not every weight.
  Object.defineProperty(net, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `NirNetwork(dt ${o.dt} ms, ${o.method}, ${units.length} units: ${net.inputs.map((u) => `${u.name} [${u.outputShape.join(", ")}]`).join(", ") || "no input"} → ${net.outputs.map((u) => `${u.name} [${u.outputShape.join(", ")}]`).join(", ") || "no output"})`,
  });
  Object.freeze(net);
  compiled.set(net, { ops, neuron, cuba, memorySizes });
  return net;
}

/** Compiles the step of one unit. */
function compileOp(fn: string, unit: NirUnit, node: NirNode, h: number, method: NirMethod): { run: Op["run"]; memory?: number } {
  const n = unit.size;
  const copy = (input: Float64Array, out: Float64Array) => out.set(input);
  switch (node.type) {
    case "Input":
    case "Output":
    case "Flatten":
      return { run: copy };
    case "Affine":
    case "Linear": {
      const w = node.weight.shape;
      if (w.length !== 2) fail(fn, `nodes["${unit.name}"].weight`, "have 2 axes [out, in] (batched weights are not simulated)", `[${w.join(", ")}]`);
      const [rows, cols] = w as [number, number];
      // Transposed copy [in][out]: a nonzero input adds one contiguous row.
      const wt = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) wt[c * rows + r] = node.weight.data[r * cols + c]!;
      const bias = node.type === "Affine" ? f64(node.bias) : undefined;
      return {
        run: (input, out) => {
          if (bias) out.set(bias);
          else out.fill(0);
          for (let c = 0; c < cols; c++) {
            const a = input[c]!;
            if (a === 0) continue;
            const base = c * rows;
            for (let r = 0; r < rows; r++) out[r]! += a * wt[base + r]!;
          }
        },
      };
    }
    case "Scale": {
      const s = f64(node.scale);
      return { run: (input, out) => { for (let i = 0; i < n; i++) out[i] = input[i]! * s[i]!; } };
    }
    case "Conv1d":
    case "Conv2d":
      return { run: convolution(node, unit) };
    case "SumPool2d":
    case "AvgPool2d": {
      if (node.type === "SumPool2d" && node.metadata?.["snnlab.pool"] === "spiking-max") return spikingMaxPool(fn, unit, node);
      const [c, hIn, wIn] = unit.inputShape as [number, number, number];
      const [, hOut, wOut] = unit.outputShape as [number, number, number];
      const [kh, kw] = node.kernelSize;
      const [sh, sw] = node.stride;
      const [ph, pw] = node.padding;
      const scale = node.type === "AvgPool2d" ? 1 / (kh * kw) : 1;
      return {
        run: (input, out) => {
          for (let ch = 0; ch < c; ch++) {
            for (let oy = 0; oy < hOut; oy++) {
              for (let ox = 0; ox < wOut; ox++) {
                let sum = 0;
                for (let a = 0; a < kh; a++) {
                  const y = oy * sh + a - ph;
                  if (y < 0 || y >= hIn) continue;
                  for (let b = 0; b < kw; b++) {
                    const x = ox * sw + b - pw;
                    if (x >= 0 && x < wIn) sum += input[(ch * hIn + y) * wIn + x]!;
                  }
                }
                out[(ch * hOut + oy) * wOut + ox] = sum * scale;
              }
            }
          }
        },
      };
    }
    case "Threshold": {
      const th = f64(node.threshold);
      return { run: (input, out) => { for (let i = 0; i < n; i++) out[i] = input[i]! > th[i]! ? 1 : 0; } };
    }
    case "Delay": {
      const steps = Int32Array.from(node.delay.data, (d) => Math.round(d / h));
      const lineLength = steps.reduce((a, b) => Math.max(a, b), 0) + 1;
      return {
        memory: lineLength * n,
        run: (input, out, state) => {
          const line = state.memory[unit.name]!;
          const t = state.steps;
          const now = (t % lineLength) * n;
          line.set(input, now);
          for (let i = 0; i < n; i++) {
            const back = t - steps[i]!;
            out[i] = back < 0 ? 0 : line[(back % lineLength) * n + i]!;
          }
        },
      };
    }
    case "I":
    case "IF": {
      const r = f64(node.r);
      const spiking = node.type === "IF";
      const th = spiking ? f64(node.vThreshold) : undefined;
      const vr = spiking ? f64(node.vReset) : undefined;
      const reset = resetOf(node);
      return {
        run: (input, out, state) => {
          const v = state.v[unit.name]!;
          for (let i = 0; i < n; i++) {
            const a = r[i]! * input[i]!;
            const v0 = v[i]!;
            let v1 = v0 + a * h;
            if (th) {
              const theta = th[i]!;
              if (v1 > theta && reset !== "none") {
                if (method === "event" && a > 0) {
                  const crossing = v0 >= theta ? 0 : (theta - v0) / a;
                  v1 = vr![i]! + a * (h - crossing);
                } else {
                  v1 = reset === "subtract" ? v1 - (theta - vr![i]!) : vr![i]!;
                }
                out[i] = 1;
              } else {
                out[i] = v1 > theta ? 1 : 0;
              }
            } else {
              out[i] = v1;
            }
            v[i] = v1;
          }
        },
      };
    }
    case "LI":
    case "LIF": {
      const r = f64(node.r);
      const tau = f64(node.tau);
      const leak = f64(node.vLeak);
      const spiking = node.type === "LIF";
      const th = spiking ? f64(node.vThreshold) : undefined;
      const vr = spiking ? f64(node.vReset) : undefined;
      const reset = resetOf(node);
      const decay = Float64Array.from(tau, (t) => Math.exp(-h / t));
      const rate = Float64Array.from(tau, (t) => h / t);
      return {
        run: (input, out, state) => {
          const v = state.v[unit.name]!;
          for (let i = 0; i < n; i++) {
            const vInf = leak[i]! + r[i]! * input[i]!;
            const v0 = v[i]!;
            let v1 = method === "euler" ? v0 + rate[i]! * (vInf - v0) : vInf + (v0 - vInf) * decay[i]!;
            if (th) {
              const theta = th[i]!;
              if (v1 > theta && reset !== "none") {
                if (method === "event") {
                  // v(t) = vInf + (v0 − vInf)·e^{−t/τ} reaches θ at t = τ·ln((v0 − vInf)/(θ − vInf)).
                  const crossing = v0 >= theta ? 0 : tau[i]! * Math.log((v0 - vInf) / (theta - vInf));
                  v1 = vInf + (vr![i]! - vInf) * Math.exp(-(h - crossing) / tau[i]!);
                } else {
                  v1 = reset === "subtract" ? v1 - (theta - vr![i]!) : vr![i]!;
                }
                out[i] = 1;
              } else {
                out[i] = v1 > theta ? 1 : 0;
              }
            } else {
              out[i] = v1;
            }
            v[i] = v1;
          }
        },
      };
    }
    case "CubaLI":
    case "CubaLIF": {
      const r = f64(node.r);
      const tauS = f64(node.tauSyn);
      const tauM = f64(node.tauMem);
      const leak = f64(node.vLeak);
      const wIn = f64(node.wIn);
      const spiking = node.type === "CubaLIF";
      const th = spiking ? f64(node.vThreshold) : undefined;
      const vr = spiking ? f64(node.vReset) : undefined;
      const reset = resetOf(node);
      // Exact propagation over t of τs I' = −I + A, τm v' = vLeak − v + R·I from (v0, I0), A = wIn·S.
      const propagate = (i: number, v0: number, i0: number, target: number, t: number): [number, number] => {
        const ts = tauS[i]!;
        const tm = tauM[i]!;
        const ds = Math.exp(-t / ts);
        const dm = Math.exp(-t / tm);
        const b = i0 - target;
        const vInf = leak[i]! + r[i]! * target;
        let coupled: number;
        if (Math.abs(ts - tm) <= 1e-9 * Math.max(ts, tm)) coupled = r[i]! * b * (t / tm) * dm;
        else coupled = r[i]! * b * (ts / (ts - tm)) * (ds - dm);
        return [vInf + (v0 - vInf) * dm + coupled, target + b * ds];
      };
      return {
        run: (input, out, state) => {
          const v = state.v[unit.name]!;
          const cur = state.current[unit.name]!;
          for (let i = 0; i < n; i++) {
            const target = wIn[i]! * input[i]!;
            const v0 = v[i]!;
            const i0 = cur[i]!;
            let v1: number;
            let i1: number;
            if (method === "euler") {
              v1 = v0 + (h / tauM[i]!) * (leak[i]! - v0 + r[i]! * i0);
              i1 = i0 + (h / tauS[i]!) * (target - i0);
            } else {
              [v1, i1] = propagate(i, v0, i0, target, h);
            }
            if (th) {
              const theta = th[i]!;
              if (v1 > theta && reset !== "none") {
                if (method === "event") {
                  // The first crossing in [0, h], by bisection on the closed form.
                  let lo = 0;
                  let hi = h;
                  if (v0 < theta) {
                    for (let k = 0; k < 60 && hi - lo > 1e-15 * h; k++) {
                      const mid = 0.5 * (lo + hi);
                      if (propagate(i, v0, i0, target, mid)[0] > theta) hi = mid;
                      else lo = mid;
                    }
                  } else {
                    hi = 0;
                  }
                  const atCrossing = propagate(i, v0, i0, target, hi)[1];
                  [v1, i1] = propagate(i, vr![i]!, atCrossing, target, h - hi);
                } else {
                  v1 = reset === "subtract" ? v1 - (theta - vr![i]!) : vr![i]!;
                }
                out[i] = 1;
              } else {
                out[i] = v1 > theta ? 1 : 0;
              }
            } else {
              out[i] = v1;
            }
            v[i] = v1;
            cur[i] = i1;
          }
        },
      };
    }
    case "NIRGraph":
      return fail(fn, unit.name, "be flattened before compiling", "a graph");
  }
}

/**
 * Spiking max pooling of 0/1 spikes (membrane backprop's; a SumPool2d whose metadata
 * `snnlab.pool` is "spiking-max"): each window passes max C_t − max C_{t−1} of its units'
 * cumulative spike counts C, the spike of the unit that has fired most so far.
 */
function spikingMaxPool(fn: string, unit: NirUnit, node: NirPoolNode): { run: Op["run"]; memory: number } {
  const [c, hIn, wIn] = unit.inputShape as [number, number, number];
  const [, hOut, wOut] = unit.outputShape as [number, number, number];
  const [kh, kw] = node.kernelSize;
  if (node.stride[0] !== kh || node.stride[1] !== kw || node.padding[0] !== 0 || node.padding[1] !== 0) {
    fail(fn, `nodes["${unit.name}"] (spiking max pool)`, "have stride = kernel size and no padding", `kernel [${kh}, ${kw}], stride [${node.stride.join(", ")}], padding [${node.padding.join(", ")}]`);
  }
  return {
    memory: c * hIn * wIn,
    run: (input, out, state) => {
      const counts = state.memory[unit.name]!;
      for (let ch = 0; ch < c; ch++) {
        for (let oy = 0; oy < hOut; oy++) {
          for (let ox = 0; ox < wOut; ox++) {
            let before = 0;
            let after = 0;
            for (let a = 0; a < kh; a++) {
              for (let b = 0; b < kw; b++) {
                const i = (ch * hIn + oy * kh + a) * wIn + ox * kw + b;
                before = Math.max(before, counts[i]!);
                counts[i]! += input[i]!;
                after = Math.max(after, counts[i]!);
              }
            }
            out[(ch * hOut + oy) * wOut + ox] = after - before;
          }
        }
      }
    },
  };
}

/** Conv1d / Conv2d over [Cin, (H,) W] → [Cout, (Ho,) Wo], scattering each nonzero input. */
function convolution(node: Extract<NirNode, { type: "Conv1d" | "Conv2d" }>, unit: NirUnit): Op["run"] {
  const two = node.type === "Conv2d";
  const [cout, cinGroup, kh, kw] = two ? node.weight.shape as [number, number, number, number] : [node.weight.shape[0]!, node.weight.shape[1]!, 1, node.weight.shape[2]!];
  const inShape = two ? unit.inputShape : [unit.inputShape[0]!, 1, unit.inputShape[1]!];
  const outShape = two ? unit.outputShape : [unit.outputShape[0]!, 1, unit.outputShape[1]!];
  const [cin, hIn, wIn] = inShape as [number, number, number];
  const [, hOut, wOut] = outShape as [number, number, number];
  const stride = two ? (node as typeof node & { type: "Conv2d" }).stride : [1, node.stride as number];
  const dilation = two ? (node as typeof node & { type: "Conv2d" }).dilation : [1, node.dilation as number];
  const pad = (axis: 0 | 1, k: number): number => {
    const p = node.padding;
    if (p === "valid") return 0;
    if (p === "same") return Math.floor((dilation[axis]! * (k - 1)) / 2);
    return two ? (p as readonly [number, number])[axis] : axis === 0 ? 0 : (p as number);
  };
  const [sy, sx] = stride as [number, number];
  const [dy, dx] = dilation as [number, number];
  const py = pad(0, kh);
  const px = pad(1, kw);
  const coutGroup = cout / node.groups;
  const w = node.weight.data;
  const bias = f64(node.bias);
  const plane = hOut * wOut;
  // Kernels as [Cin/groups][kH][kW][Cout] and an accumulator as [Ho][Wo][Cout]: the innermost loop,
  // over output channels, runs along contiguous memory in both.
  const wt = new Float64Array(w.length);
  for (let co = 0; co < cout; co++) {
    for (let cig = 0; cig < cinGroup; cig++) {
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) wt[((cig * kh + ky) * kw + kx) * cout + co] = w[((co * cinGroup + cig) * kh + ky) * kw + kx]!;
    }
  }
  const acc = new Float64Array(plane * cout);
  return (input, out) => {
    acc.fill(0);
    for (let ci = 0; ci < cin; ci++) {
      const g = Math.floor(ci / cinGroup);
      const cig = ci - g * cinGroup;
      const coStart = g * coutGroup;
      const coEnd = coStart + coutGroup;
      for (let y = 0; y < hIn; y++) {
        for (let x = 0; x < wIn; x++) {
          const a = input[(ci * hIn + y) * wIn + x]!;
          if (a === 0) continue;
          for (let ky = 0; ky < kh; ky++) {
            const ty = y + py - ky * dy;
            if (ty < 0 || ty % sy !== 0) continue;
            const oy = ty / sy;
            if (oy >= hOut) continue;
            for (let kx = 0; kx < kw; kx++) {
              const tx = x + px - kx * dx;
              if (tx < 0 || tx % sx !== 0) continue;
              const ox = tx / sx;
              if (ox >= wOut) continue;
              const o = (oy * wOut + ox) * cout;
              const k = ((cig * kh + ky) * kw + kx) * cout;
              for (let co = coStart; co < coEnd; co++) acc[o + co]! += a * wt[k + co]!;
            }
          }
        }
      }
    }
    for (let co = 0; co < cout; co++) {
      const b = bias[co]!;
      for (let o = 0; o < plane; o++) out[co * plane + o] = b + acc[o * cout + co]!;
    }
  };
}

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
