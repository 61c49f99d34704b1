/**
 * NIR graphs from snnlab's networks. Each exporter returns the graph, the step `dt` it was
 * written for, and `notRepresented`: one sentence for everything of the network that the graph
 * does not hold (empty when nothing is lost). Nothing is dropped silently; what NIR cannot express
 * at all (a ReLU ANN, batch normalisation, membrane backprop's max pooling by default) is an error.
 *
 * The discrete neurons become NIR's continuous ones at `dt` (h = dt in seconds, NIR's time unit):
 * a leaky layer u_t = β·v_{t−1} + I_t with β < 1 becomes LIF (or LI without spikes) with
 * τ = −h/ln β, R = 1/(1 − β), vLeak = 0, vReset = 0; with β = 1, IF (or I) with R = 1/h. Under
 * `nirNetwork`'s "exact" method at the same dt these reproduce the discrete updates (file header
 * of simulate/); other simulators discretise in their own way (Norse and snnTorch: Euler).
 * NIR resets to vReset; snnlab's reset by subtraction (and "none") is written in the neuron's
 * metadata `snnlab.reset`, which `nirNetwork` honours and other NIR tools ignore, and listed in
 * `notRepresented`.
 *
 * Layout: NIR is channels-first. Conv kernels [k, k, Cin, Cout] become [Cout, Cin, k, k], an
 * [H, W, C] input becomes [C, H, W], and the dense layer after a Flatten has its input columns
 * permuted from our H·W·C order to NIR's C·H·W order, so the exported graph computes the same
 * function on channels-first data. Weights keep float32; neuron constants are float64.
 *
 * Max pooling of 0/1 spikes (a createModel SNN) is exactly the OR of the window: SumPool2d
 * followed by IF(θ = 0.5, R = 1/h, reset to 0), which is how it is exported. Membrane backprop's
 * spiking max pooling passes the spike of the unit with the largest count so far, which NIR
 * cannot hold: it is written the same way, with the SumPool2d's metadata `snnlab.pool` =
 * "spiking-max" (honoured by snnlab; other NIR tools run the OR, which can fire more), and listed.
 *
 * @example
 *   const { graph, notRepresented } = modelToNir(model, { dt: 1 * ms });
 *   await writeNir("snn.nir", graph);
 */
import { ms, second } from "../../core/units";
import { fail, mergeOptions, oneOf, positive } from "../../core/validate";
import type { ConvertedNetwork } from "../../conversion/convert";
import type { Model } from "../../layers/model";
import type { DiehlCookNetwork } from "../../models/diehl-cook";
import type { MembraneBackpropNetwork } from "../../training/membrane-backprop";
import { nirGraph, nirTensor, type NirGraph, type NirMetadata, type NirNode } from "./graph";

/** What an exporter returns. */
export interface NirExport {
  readonly graph: NirGraph;
  /** The step the graph's neurons were written for, ms. */
  readonly dt: number;
  /** What the graph does not hold of the network, one sentence each. */
  readonly notRepresented: readonly string[];
}

/** Options of `modelToNir`, `convertedToNir` and `membraneBackpropToNir`. */
export interface NirExportOptions {
  /** Time step, ms: one step of the discrete network. Default 1 ms. */
  readonly dt: number;
}

type Reset = "subtract" | "zero" | "none";

function prod(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function full(n: number, value: number): Float64Array {
  return new Float64Array(n).fill(value);
}

/** Builds a chain of nodes from "input" to "output". */
class Chain {
  readonly nodes: Record<string, NirNode> = {};
  readonly edges: [string, string][] = [];
  last = "input";
  /** The activation's shape in NIR's layout. */
  shape: number[];
  /** For a flat activation after Flatten: NIR index j holds our index perm[j]. */
  perm: Int32Array | null = null;

  constructor(input: readonly number[]) {
    this.shape = nirShape(input);
    this.nodes.input = { type: "Input", shape: this.shape };
  }

  add(name: string, node: NirNode, shape: readonly number[] = this.shape): void {
    this.nodes[name] = node;
    this.edges.push([this.last, name]);
    this.last = name;
    this.shape = [...shape];
  }

  finish(metadata: NirMetadata): NirGraph {
    this.nodes.output = { type: "Output", shape: this.shape };
    this.edges.push([this.last, "output"]);
    return nirGraph(this.nodes, this.edges, metadata);
  }
}

/** [H, W, C] → [C, H, W]; other shapes unchanged. */
function nirShape(shape: readonly number[]): number[] {
  return shape.length === 3 ? [shape[2]!, shape[0]!, shape[1]!] : [...shape];
}

/** Dense W [in, out] (our order) → NIR weight [out, in], columns in NIR's order. */
function denseWeight(w: Float32Array, inputs: number, outputs: number, perm: Int32Array | null): Float32Array {
  const out = new Float32Array(inputs * outputs);
  for (let o = 0; o < outputs; o++) {
    for (let j = 0; j < inputs; j++) out[o * inputs + j] = w[(perm ? perm[j]! : j) * outputs + o]!;
  }
  return out;
}

/** Conv kernel [k, k, Cin, Cout] → [Cout, Cin, k, k]. */
function convWeight(w: Float32Array, k: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) out[((co * cin + ci) * k + ky) * k + kx] = w[((ky * k + kx) * cin + ci) * cout + co]!;
      }
    }
  }
  return out;
}

/** Our H·W·C flat order as seen from NIR's C·H·W order. */
function flattenPermutation(shape: readonly number[]): Int32Array {
  const [h, w, c] = shape as [number, number, number];
  const perm = new Int32Array(h * w * c);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) perm[(ch * h + y) * w + x] = (y * w + x) * c + ch;
  return perm;
}

function addDense(chain: Chain, name: string, w: Float32Array, wShape: readonly number[], b: Float32Array | undefined): void {
  const [inputs, outputs] = wShape as [number, number];
  const weight = nirTensor(denseWeight(w, inputs, outputs, chain.perm), [outputs, inputs]);
  chain.perm = null;
  chain.add(name, b ? { type: "Affine", weight, bias: nirTensor(Float32Array.from(b), [outputs]) } : { type: "Linear", weight }, [outputs]);
}

function addConv(fn: string, where: string, chain: Chain, name: string, w: Float32Array, wShape: readonly number[], b: Float32Array | undefined, strides: number, padding: "valid" | "same", outShape: readonly number[]): void {
  const [k, , cin, cout] = wShape as [number, number, number, number];
  let pad: [number, number] | "same";
  if (padding === "valid") pad = [0, 0];
  else if (strides !== 1) return fail(fn, where, 'be a conv2d with padding "valid" or stride 1 (TensorFlow\'s "same" with stride > 1 pads unlike NIR)', `stride ${strides}`);
  else pad = (k - 1) % 2 === 0 ? [(k - 1) / 2, (k - 1) / 2] : "same";
  const [h, wIn] = [chain.shape[1]!, chain.shape[2]!];
  chain.add(name, {
    type: "Conv2d", weight: nirTensor(convWeight(w, k, cin, cout), [cout, cin, k, k]), bias: nirTensor(b ? Float32Array.from(b) : new Float32Array(cout), [cout]),
    stride: [strides, strides], padding: pad, dilation: [1, 1], groups: 1, inputShape: [h, wIn],
  }, nirShape(outShape));
}

function addFlatten(chain: Chain, name: string, ourShape: readonly number[]): void {
  const shape = chain.shape;
  if (ourShape.length === 3) chain.perm = flattenPermutation(ourShape);
  chain.add(name, { type: "Flatten", startDim: 0, endDim: -1, inputShape: shape }, [prod(shape)]);
}

/** The note for a reset NIR cannot express, or undefined. */
function resetNote(where: string, reset: Reset): string | undefined {
  if (reset === "subtract") return `${where}: reset by subtraction (v ← v − θ); NIR neurons reset to v_reset, so the graph says so only in the node's metadata "snnlab.reset" (honoured by snnlab, ignored by other NIR tools, which reset to 0)`;
  if (reset === "none") return `${where}: no reset after a spike; NIR neurons always reset, so the graph says so only in the node's metadata "snnlab.reset" (honoured by snnlab)`;
  return undefined;
}

/** A discrete leaky layer as a NIR neuron node (file header), with its reset in the metadata. */
function leakyNode(fn: string, where: string, shape: readonly number[], h: number, beta: number, threshold: number, reset: Reset, spiking: boolean): NirNode {
  const n = prod(shape);
  const t = (v: number) => nirTensor(full(n, v), shape);
  if (!(beta > 0 && beta <= 1)) fail(fn, `${where} beta`, "be in (0, 1] for NIR (β = 0 is τ = 0)", beta);
  if (!spiking) {
    return beta === 1 ? { type: "I", r: t(1 / h) } : { type: "LI", tau: t(-h / Math.log(beta)), r: t(1 / (1 - beta)), vLeak: t(0) };
  }
  const metadata = reset === "zero" ? undefined : { "snnlab.reset": reset };
  const base = beta === 1
    ? { type: "IF" as const, r: t(1 / h), vThreshold: t(threshold), vReset: t(0) }
    : { type: "LIF" as const, tau: t(-h / Math.log(beta)), r: t(1 / (1 - beta)), vLeak: t(0), vThreshold: t(threshold), vReset: t(0) };
  return metadata ? { ...base, metadata } : base;
}

/** SumPool2d + IF(θ = 0.5): the OR of each window's 0/1 spikes (the pool's metadata may ask snnlab for more). */
function addSpikeOr(chain: Chain, name: string, size: number, strides: number, h: number, metadata?: NirMetadata): void {
  const [c, hIn, wIn] = chain.shape as [number, number, number];
  const out = [c, Math.floor((hIn - size) / strides) + 1, Math.floor((wIn - size) / strides) + 1];
  chain.add(name, { type: "SumPool2d", kernelSize: [size, size], stride: [strides, strides], padding: [0, 0], ...(metadata ? { metadata } : {}) }, out);
  const n = prod(out);
  chain.add(`${name}_or`, { type: "IF", r: nirTensor(full(n, 1 / h), out), vThreshold: nirTensor(full(n, 0.5), out), vReset: nirTensor(full(n, 0), out) });
}


function layoutNote(input: readonly number[], notes: string[]): void {
  if (input.length === 3 && input[2]! > 1) notes.push(`input layout: NIR is channels-first, so the graph takes [${nirShape(input).join(", ")}], the model's [${input.join(", ")}] transposed`);
}

/**
 * A createModel SNN (dense, conv2d, avg-pool, max-pool after spiking layers, flatten, leaky layers,
 * identity) as a NIR graph (file header). The model's weights are read, not changed.
 *
 * @example
 *   const { graph, notRepresented } = modelToNir(model, { dt: 1 * ms });
 */
export function modelToNir(model: Model, options: Partial<NirExportOptions> = {}): NirExport {
  const fn = "modelToNir";
  if (!model || typeof model.forward !== "function" || !Array.isArray(model.layers)) fail(fn, "model", "be a model from createModel()", model);
  const o = mergeOptions(fn, { dt: 1 * ms }, options);
  const dt = positive(fn, "dt", o.dt);
  const h = dt / second;
  const notes: string[] = [];
  layoutNote(model.inputShape, notes);
  const chain = new Chain(model.inputShape);
  let spikesIn = false;
  let leaky = false;
  model.layers.forEach((layer, i) => {
    const spec = layer.spec;
    const where = `layers[${i}] ${spec.kind}`;
    const name = String(i);
    switch (spec.kind) {
      case "dense":
        addDense(chain, name, layer.W!.dataSync() as Float32Array, layer.W!.shape, layer.b ? layer.b.dataSync() as Float32Array : undefined);
        spikesIn = false;
        break;
      case "conv2d":
        addConv(fn, `model.${where}`, chain, name, layer.W!.dataSync() as Float32Array, layer.W!.shape, layer.b ? layer.b.dataSync() as Float32Array : undefined, spec.strides, spec.padding, layer.outputShape);
        spikesIn = false;
        break;
      case "avg-pool": {
        const out = nirShape(layer.outputShape);
        chain.add(name, { type: "AvgPool2d", kernelSize: [spec.size, spec.size], stride: [spec.strides, spec.strides], padding: [0, 0] }, out);
        spikesIn = false;
        break;
      }
      case "max-pool":
        if (!spikesIn) fail(fn, `model.layers[${i}]`, "be a max pool of spikes (after a spiking leaky layer): NIR has no max pooling, and only the max of 0/1 spikes is exact as SumPool2d + IF", "a max pool of currents");
        addSpikeOr(chain, name, spec.size, spec.strides, h);
        break;
      case "flatten":
        addFlatten(chain, name, layer.inputShape);
        break;
      case "identity":
        break;
      case "leaky": {
        const p = layer.leaky!;
        chain.add(name, leakyNode(fn, `model.${where}`, chain.shape, h, p.beta, p.threshold, p.reset, p.spiking));
        const note = p.spiking ? resetNote(where, p.reset) : undefined;
        if (note) notes.push(note);
        spikesIn = p.spiking;
        leaky = true;
        break;
      }
      case "batch-norm":
        fail(fn, `model.layers[${i}]`, "not be batch normalisation (NIR has none; fold it into the weights before export)", spec.kind);
        break;
      default:
        fail(fn, `model.layers[${i}]`, "be a layer NIR can hold (NIR has no static nonlinearity but Threshold: export an SNN, or convert a ReLU ANN with convertModel and export that)", spec.kind);
    }
  });
  if (leaky) notes.push("training choices (surrogate gradient, detached reset, feedback method) are not part of NIR");
  const graph = chain.finish({ "snnlab.source": "createModel", "snnlab.dt": h });
  return Object.freeze({ graph, dt, notRepresented: Object.freeze(notes) });
}

/**
 * A converted ANN (`convertModel`) as IF neurons (θ = 1) after every weighted layer, as
 * `simulateConverted` runs it; `reset` as there (default "subtract").
 *
 * @example
 *   const { graph } = convertedToNir(convertModel(ann, train), { dt: 1 * ms, reset: "subtract" });
 */
export function convertedToNir(net: ConvertedNetwork, options: Partial<NirExportOptions & { readonly reset: "subtract" | "zero" }> = {}): NirExport {
  const fn = "convertedToNir";
  if (!net || !Array.isArray(net.layers) || !Array.isArray(net.inputShape)) fail(fn, "net", "be a network from convertModel()", net);
  const o = mergeOptions(fn, { dt: 1 * ms, reset: "subtract" as "subtract" | "zero" }, options);
  oneOf(fn, "reset", o.reset, ["subtract", "zero"] as const);
  const dt = positive(fn, "dt", o.dt);
  const h = dt / second;
  const notes: string[] = [];
  layoutNote(net.inputShape, notes);
  const note = resetNote("every IF layer", o.reset);
  if (note) notes.push(note);
  const chain = new Chain(net.inputShape);
  net.layers.forEach((l, i) => {
    const name = String(i);
    if (l.kind === "dense" || l.kind === "conv2d") {
      if (l.kind === "dense") addDense(chain, name, l.weights!, l.weightShape!, l.biases);
      else addConv(fn, `net.layers[${i}] conv2d`, chain, name, l.weights!, l.weightShape!, l.biases, l.strides!, l.padding!, l.outputShape);
      chain.add(`${name}_if`, leakyNode(fn, `net.layers[${i}] (IF neurons)`, chain.shape, h, 1, 1, o.reset, true));
    } else if (l.kind === "avg-pool") {
      chain.add(name, { type: "AvgPool2d", kernelSize: [l.size!, l.size!], stride: [l.strides!, l.strides!], padding: [0, 0] }, nirShape(l.outputShape));
    } else if (l.kind === "flatten") {
      addFlatten(chain, name, l.inputShape);
    } else {
      fail(fn, `net.layers[${i}]`, "be dense, conv2d, avg-pool or flatten", (l as { kind: unknown }).kind);
    }
  });
  notes.push("input encoding (the pixel as a constant current, or Poisson spikes) is not part of the graph: feed it to the Input at every step");
  notes.push("readout (most output spikes, ties by the first spike) is applied to the Output's spikes outside the graph");
  const graph = chain.finish({ "snnlab.source": "convertModel", "snnlab.dt": h });
  return Object.freeze({ graph, dt, notRepresented: Object.freeze(notes) });
}

/**
 * A membrane-backprop network (`membraneBackpropNetwork`): IF (or LIF with its leak) neurons with
 * reset by subtraction after every hidden weighted layer, spiking max pooling as in the file
 * header, the readout as an I node (the accumulated potential V_t; predict argmax V_T).
 *
 * @example
 *   const { graph, notRepresented } = membraneBackpropToNir(cnn, { dt: 1 * ms });
 */
export function membraneBackpropToNir(net: MembraneBackpropNetwork, options: Partial<NirExportOptions> = {}): NirExport {
  const fn = "membraneBackpropToNir";
  if (!net || typeof net.snapshot !== "function" || !net.model) fail(fn, "net", "be a network from membraneBackpropNetwork()", net);
  const o = mergeOptions(fn, { dt: 1 * ms }, options);
  const dt = positive(fn, "dt", o.dt);
  const h = dt / second;
  const { threshold, leak } = net.options;
  const tensors = net.snapshot().tensors;
  const notes: string[] = [];
  layoutNote(net.model.inputShape, notes);
  notes.push(resetNote("every hidden layer's IF neurons", "subtract")!);
  const chain = new Chain(net.model.inputShape);
  const layers = net.model.layers;
  const readout = layers.map((l) => l.W !== undefined).lastIndexOf(true);
  layers.forEach((layer, i) => {
    const spec = layer.spec;
    const name = String(i);
    const w = tensors[`layers.${i}.weight`];
    const b = tensors[`layers.${i}.bias`];
    if (spec.kind === "dense" || spec.kind === "conv2d") {
      if (spec.kind === "dense") addDense(chain, name, w!.data as Float32Array, w!.shape, b?.data as Float32Array | undefined);
      else addConv(fn, `net layers[${i}] conv2d`, chain, name, w!.data as Float32Array, w!.shape, b?.data as Float32Array | undefined, spec.strides, spec.padding, layer.outputShape);
      if (i === readout) {
        const n = prod(chain.shape);
        chain.add(`${name}_readout`, { type: "I", r: nirTensor(full(n, 1 / h), chain.shape) });
      } else {
        chain.add(`${name}_if`, leakyNode(fn, `net layers[${i}] neurons`, chain.shape, h, leak, threshold, "subtract", true));
      }
    } else if (spec.kind === "max-pool") {
      addSpikeOr(chain, name, spec.size, spec.strides, h, { "snnlab.pool": "spiking-max" });
      notes.push(`layers[${i}] max-pool(${spec.size}): NIR has no max pooling; the graph has SumPool2d + IF θ 0.5, the OR of the window's spikes, which other NIR tools run (it can fire more often than membrane backprop's spiking max pooling, the spike of the unit with the largest count so far), and says "spiking-max" only in the SumPool2d's metadata "snnlab.pool" (honoured by snnlab)`);
    } else if (spec.kind === "flatten") {
      addFlatten(chain, name, layer.inputShape);
    }
  });
  notes.push(`input encoding ("${net.options.encoding}": ${net.options.encoding === "constant" ? "the pixel as a current every step" : "Poisson spikes"}) is not part of the graph: feed it to the Input at every step`);
  const graph = chain.finish({ "snnlab.source": "membraneBackpropNetwork", "snnlab.dt": h });
  return Object.freeze({ graph, dt, notRepresented: Object.freeze(notes) });
}

/** Options of `diehlCookToNir`. */
export interface DiehlCookNirOptions {
  /** Time step, ms; default the network's dt (0.5 ms). */
  readonly dt?: number;
  /** Class of each excitatory neuron (`diehlCookAssignLabels`), stored in the graph's metadata `snnlab.assignments`. */
  readonly assignments?: Int32Array;
}

/**
 * The Diehl & Cook (2015) network's learned state as a NIR graph:
 *
 *   input [784] ─Linear(w)→ excitatory LIF [N] ─Linear(10.4·I)→ inhibitory LIF [N] ─Linear(−w_inh·(1 − I))→ excitatory
 *
 * with the Output on the excitatory spikes (and a Delay after the input when every synapse has the
 * same delay). What NIR cannot hold is listed, starting with the adaptive threshold: its present
 * value is folded into each excitatory neuron's v_threshold (vThreshold + θ − thetaOffset, frozen,
 * as at test time), its growth and decay are lost. The conductance synapses become current
 * synapses linearised at rest: a spike through weight w moves v by w·(E − vRest)·τg/τm, the charge
 * it brings at rest (R = (eExc − vRest)·τge/h, inhibitory weights scaled by
 * (vRest − eInh)·τgi / ((eExc − vRest)·τge)). Voltages stay in mV.
 *
 * @example
 *   const { graph, notRepresented } = diehlCookToNir(net, { assignments });
 */
export function diehlCookToNir(net: DiehlCookNetwork, options: DiehlCookNirOptions = {}): NirExport {
  const fn = "diehlCookToNir";
  if (!net || !net.params || !(net.weights instanceof Float32Array) || !net.excitatory) fail(fn, "net", "be a network from diehlCookNetworkInit()", net);
  const p = net.params;
  const o = mergeOptions(fn, { dt: p.dt, assignments: undefined as Int32Array | undefined }, options);
  positive(fn, "dt", o.dt);
  const h = o.dt / second;
  const n = p.neurons;
  const inputs = p.inputs;
  if (o.assignments !== undefined && !(o.assignments instanceof Int32Array && o.assignments.length === n)) fail(fn, "assignments", `be an Int32Array of ${n} classes`, o.assignments);
  const e = p.excitatory;
  const inh = p.inhibitory;
  const notes: string[] = [];
  const shape = [n];
  const t = (values: Float64Array) => nirTensor(values, shape);
  const nodes: Record<string, NirNode> = { input: { type: "Input", shape: [inputs] } };
  const edges: [string, string][] = [];
  // Delays: one Delay node when every synapse has the same delay.
  let minDelay = 255;
  let maxDelay = 0;
  for (let k = 0; k < net.delays.length; k++) {
    minDelay = Math.min(minDelay, net.delays[k]!);
    maxDelay = Math.max(maxDelay, net.delays[k]!);
  }
  let from = "input";
  if (maxDelay > 0 && minDelay === maxDelay) {
    nodes.delay = { type: "Delay", delay: nirTensor(full(inputs, (minDelay * p.dt) / second), [inputs]) };
    edges.push(["input", "delay"]);
    from = "delay";
  } else if (maxDelay > 0) {
    notes.push(`input → excitatory delays (per synapse, ${minDelay * p.dt}–${maxDelay * p.dt} ms): NIR's Delay delays a signal, not a synapse; left out`);
  }
  const w = new Float32Array(n * inputs);
  for (let i = 0; i < inputs; i++) for (let j = 0; j < n; j++) w[j * inputs + i] = net.weights[i * n + j]!;
  const excCharge = (e.eExc - e.vRest) * e.tauGe;
  const inhScale = ((e.vRest - e.eInh) * e.tauGi) / excCharge;
  nodes.input_to_excitatory = { type: "Linear", weight: nirTensor(w, [n, inputs]) };
  const theta = Float64Array.from(net.excitatory.theta, (th) => e.vThreshold + th - e.thetaOffset);
  nodes.excitatory = {
    type: "LIF", tau: t(full(n, e.tauMem / second)), r: t(full(n, excCharge / o.dt)), vLeak: t(full(n, e.vRest)),
    vThreshold: t(theta), vReset: t(full(n, e.vReset)),
  };
  const excInh = new Float32Array(n * n);
  const inhExc = new Float32Array(n * n);
  for (let j = 0; j < n; j++) {
    excInh[j * n + j] = p.weightExcInh;
    for (let k = 0; k < n; k++) if (k !== j) inhExc[k * n + j] = -p.weightInhExc * inhScale;
  }
  nodes.excitatory_to_inhibitory = { type: "Linear", weight: nirTensor(excInh, [n, n]) };
  nodes.inhibitory = {
    type: "LIF", tau: t(full(n, inh.tauMem / second)), r: t(full(n, ((inh.eExc - inh.vRest) * inh.tauGe) / o.dt)), vLeak: t(full(n, inh.vRest)),
    vThreshold: t(full(n, inh.vThreshold)), vReset: t(full(n, inh.vReset)),
  };
  nodes.inhibitory_to_excitatory = { type: "Linear", weight: nirTensor(inhExc, [n, n]) };
  nodes.output = { type: "Output", shape };
  edges.push([from, "input_to_excitatory"], ["input_to_excitatory", "excitatory"], ["excitatory", "excitatory_to_inhibitory"],
    ["excitatory_to_inhibitory", "inhibitory"], ["inhibitory", "inhibitory_to_excitatory"], ["inhibitory_to_excitatory", "excitatory"], ["excitatory", "output"]);
  notes.unshift(
    `adaptive threshold θ (θ+ = ${e.thetaPlus} mV per spike, τθ = ${e.tauTheta} ms): NIR thresholds are constants, so θ's present value is folded into each excitatory neuron's v_threshold (vThreshold + θ − thetaOffset) and its growth and decay are lost`,
    `conductance synapses (ge, gi with τge = ${e.tauGe} ms, τgi = ${e.tauGi} ms, reversal potentials ${e.eExc} and ${e.eInh} mV): NIR has current-based neurons only, so they are linearised at rest (a spike through w moves v by w·(E − vRest)·τg/τm) and the synaptic time course is lost`,
    `refractoriness (tRef ${e.tRef} and ${inh.tRef} ms, the ${e.thresholdHoldoff} ms threshold hold-off of the excitatory neurons): NIR neurons have none`,
  );
  notes.push(
    "learning: the STDP rule and the normalisation of each neuron's input weights to a fixed sum (NIR holds a trained network, not its learning rule)",
    "input: the Poisson encoding of the pixels (rate pixel/8 Hz × intensity) and the retries at higher intensity are not part of the graph: feed spikes to the Input",
  );
  if (!o.assignments) notes.push("readout: the neurons' class assignments are not part of the graph (pass assignments to store them in the metadata)");
  const metadata: Record<string, NirMetadata[string]> = { "snnlab.source": "diehlCook", "snnlab.dt": h };
  if (o.assignments) metadata["snnlab.assignments"] = nirTensor(Float64Array.from(o.assignments), [n]);
  const graph = nirGraph(nodes, edges, metadata);
  return Object.freeze({ graph, dt: o.dt, notRepresented: Object.freeze(notes) });
}
