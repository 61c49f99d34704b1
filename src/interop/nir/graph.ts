/**
 * The NIR graph in memory (Neuromorphic Intermediate Representation; Pedersen et al. 2024, Nat.
 * Commun. 15:8122; github.com/neuromorphs/NIR, `nir/ir/`): nodes by name, edges between them,
 * metadata. A node is a record whose `type` is NIR's class name and whose parameters are tensors
 * (a typed array and a row-major shape) or integers, as NIR's dataclasses hold them; field names
 * are NIR's in camelCase (`v_threshold` → `vThreshold`, `input_type` of Flatten → `inputShape`).
 *
 * Node semantics (NIR's, continuous time; S or I is the node's input, the sum over its in-edges):
 *
 *   Input, Output         the graph's boundary, shape `shape`
 *   Affine  y = W·x + b      Linear  y = W·x      Scale  y = s ⊙ x      (W: [out, in])
 *   Conv1d, Conv2d        PyTorch's convolutions: weight [Cout, Cin/groups, k…], input [Cin, …]
 *   SumPool2d, AvgPool2d  window sums / means over [C, H, W] (zero padding counted in the mean)
 *   Flatten               reshape of dims startDim…endDim of the input (no batch axis)
 *   Delay   y(t) = x(t − d)          Threshold  z = H(x − θ)
 *   I       dv/dt = R·I
 *   IF      dv/dt = R·I,                   v > θ ⇒ spike, v ← vReset
 *   LI      τ dv/dt = (vLeak − v) + R·I
 *   LIF     τ dv/dt = (vLeak − v) + R·I,    v > θ ⇒ spike, v ← vReset
 *   CubaLI  τsyn dI/dt = −I + wIn·S,  τmem dv/dt = (vLeak − v) + R·I
 *   CubaLIF the same, v > θ ⇒ spike, v ← vReset
 *   NIRGraph              a nested graph; an edge to it enters its Input, an edge from it leaves
 *                         its Output (or "graph.inputName" / "graph.outputName" when it has several)
 *
 * Neurons output their spikes (0/1) or, without a threshold (I, LI, CubaLI), their potential v.
 * Time is in NIR's unit, seconds by the convention of every exporter; voltages and currents carry
 * no unit. Shapes exclude the batch axis.
 *
 * `nirGraph(nodes, edges, metadata)` checks a graph (the checks `readNir` and `writeNir` also
 * run): every edge names a node, every node has its fields with consistent shapes, and the two
 * ends of every edge have the same number of elements (a reshape between equal sizes is allowed:
 * Rockpool writes an Output of shape [1, 1, 1] after a LIF of shape [1]). `nirShapes` infers
 * each node's input and output shape (pooling, and convolutions without `inputShape`, take theirs
 * from the node before them).
 *
 * @example
 *   const graph = nirGraph({
 *     input: { type: "Input", shape: [1] },
 *     affine: { type: "Affine", weight: nirTensor(Float32Array.of(1), [1, 1]), bias: nirTensor(Float32Array.of(0), [1]) },
 *     lif: { type: "LIF", tau: nirTensor(Float64Array.of(0.0025)), r: nirTensor(Float64Array.of(1)), vLeak: nirTensor(Float64Array.of(0)),
 *            vThreshold: nirTensor(Float64Array.of(0.1)), vReset: nirTensor(Float64Array.of(0)) },
 *     output: { type: "Output", shape: [1] },
 *   }, [["input", "affine"], ["affine", "lif"], ["lif", "output"]]);
 */
import { fail } from "../../core/validate";

/** The element types of NIR parameters. */
export type NirFloatArray = Float32Array | Float64Array;

/** A parameter: elements (row-major) and shape. */
export interface NirTensor {
  readonly data: NirFloatArray;
  readonly shape: readonly number[];
}

/** Metadata values as NIR's serialisation stores them: strings, numbers, arrays, nested groups. */
export type NirMetadataValue = string | number | NirTensor | NirMetadata;
export interface NirMetadata {
  readonly [key: string]: NirMetadataValue;
}

interface NodeBase {
  readonly metadata?: NirMetadata;
}
export interface NirInputNode extends NodeBase { readonly type: "Input"; readonly shape: readonly number[] }
export interface NirOutputNode extends NodeBase { readonly type: "Output"; readonly shape: readonly number[] }
export interface NirAffineNode extends NodeBase { readonly type: "Affine"; readonly weight: NirTensor; readonly bias: NirTensor }
export interface NirLinearNode extends NodeBase { readonly type: "Linear"; readonly weight: NirTensor }
export interface NirScaleNode extends NodeBase { readonly type: "Scale"; readonly scale: NirTensor }
export interface NirConv1dNode extends NodeBase {
  readonly type: "Conv1d";
  /** [Cout, Cin/groups, k]. */
  readonly weight: NirTensor;
  readonly bias: NirTensor;
  readonly stride: number;
  readonly padding: number | "same" | "valid";
  readonly dilation: number;
  readonly groups: number;
  /** Length of the input, when the file gives it. */
  readonly inputShape: number | null;
}
export interface NirConv2dNode extends NodeBase {
  readonly type: "Conv2d";
  /** [Cout, Cin/groups, kH, kW]. */
  readonly weight: NirTensor;
  readonly bias: NirTensor;
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number] | "same" | "valid";
  readonly dilation: readonly [number, number];
  readonly groups: number;
  /** [H, W] of the input, when the file gives it. */
  readonly inputShape: readonly [number, number] | null;
}
export interface NirPoolNode extends NodeBase {
  readonly type: "SumPool2d" | "AvgPool2d";
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
}
export interface NirFlattenNode extends NodeBase {
  readonly type: "Flatten";
  readonly startDim: number;
  readonly endDim: number;
  /** Shape of the input (NIR's `input_type`), when the file gives it. */
  readonly inputShape: readonly number[] | null;
}
export interface NirDelayNode extends NodeBase { readonly type: "Delay"; /** s. */ readonly delay: NirTensor }
export interface NirThresholdNode extends NodeBase { readonly type: "Threshold"; readonly threshold: NirTensor }
export interface NirINode extends NodeBase { readonly type: "I"; readonly r: NirTensor }
export interface NirIfNode extends NodeBase { readonly type: "IF"; readonly r: NirTensor; readonly vThreshold: NirTensor; readonly vReset: NirTensor }
export interface NirLiNode extends NodeBase { readonly type: "LI"; /** s. */ readonly tau: NirTensor; readonly r: NirTensor; readonly vLeak: NirTensor }
export interface NirLifNode extends NodeBase {
  readonly type: "LIF";
  /** s. */ readonly tau: NirTensor;
  readonly r: NirTensor;
  readonly vLeak: NirTensor;
  readonly vThreshold: NirTensor;
  readonly vReset: NirTensor;
}
export interface NirCubaLiNode extends NodeBase {
  readonly type: "CubaLI";
  /** s. */ readonly tauSyn: NirTensor;
  /** s. */ readonly tauMem: NirTensor;
  readonly r: NirTensor;
  readonly vLeak: NirTensor;
  readonly wIn: NirTensor;
}
export interface NirCubaLifNode extends NodeBase {
  readonly type: "CubaLIF";
  /** s. */ readonly tauSyn: NirTensor;
  /** s. */ readonly tauMem: NirTensor;
  readonly r: NirTensor;
  readonly vLeak: NirTensor;
  readonly vThreshold: NirTensor;
  readonly vReset: NirTensor;
  readonly wIn: NirTensor;
}
/** A graph (the whole file, or a node nested in another graph). */
export interface NirGraph extends NodeBase {
  readonly type: "NIRGraph";
  readonly nodes: Readonly<Record<string, NirNode>>;
  /** [source, target] node names; the target's input is the sum of its in-edges. */
  readonly edges: readonly (readonly [string, string])[];
}
export type NirNode =
  | NirInputNode | NirOutputNode | NirAffineNode | NirLinearNode | NirScaleNode | NirConv1dNode | NirConv2dNode
  | NirPoolNode | NirFlattenNode | NirDelayNode | NirThresholdNode | NirINode | NirIfNode | NirLiNode | NirLifNode
  | NirCubaLiNode | NirCubaLifNode | NirGraph;
export type NirNodeType = NirNode["type"];

/** Every node type, in NIR's order of `nir/ir/`. */
export const nirNodeTypes: readonly NirNodeType[] = Object.freeze([
  "Input", "Output", "Affine", "Linear", "Scale", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d", "Flatten",
  "Delay", "Threshold", "I", "IF", "LI", "LIF", "CubaLI", "CubaLIF", "NIRGraph",
] as const);

/** The tensor fields of each parameterised node type, in NIR's names (camelCase). */
export const tensorFields: Readonly<Record<string, readonly string[]>> = Object.freeze({
  Affine: ["weight", "bias"], Linear: ["weight"], Scale: ["scale"], Conv1d: ["weight", "bias"], Conv2d: ["weight", "bias"],
  Delay: ["delay"], Threshold: ["threshold"], I: ["r"], IF: ["r", "vThreshold", "vReset"], LI: ["tau", "r", "vLeak"],
  LIF: ["tau", "r", "vLeak", "vThreshold", "vReset"], CubaLI: ["tauSyn", "tauMem", "r", "vLeak", "wIn"],
  CubaLIF: ["tauSyn", "tauMem", "r", "vLeak", "vThreshold", "vReset", "wIn"],
});

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function shapeText(shape: readonly number[] | null | undefined): string {
  return shape ? `[${shape.join(", ")}]` : "unknown";
}

/**
 * A tensor from a typed array (shape: one axis unless given); the data is not copied.
 *
 * @example
 *   nirTensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
 */
export function nirTensor(data: NirFloatArray, shape?: readonly number[]): NirTensor {
  const fn = "nirTensor";
  if (!(data instanceof Float32Array || data instanceof Float64Array)) fail(fn, "data", "be a Float32Array or Float64Array", data);
  const dims = shape ?? [data.length];
  if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(fn, "shape", "be a list of integers >= 0", shape);
  if (size(dims) !== data.length) fail(fn, "shape", `hold data.length = ${data.length} elements`, shapeText(dims));
  return Object.freeze({ data, shape: Object.freeze([...dims]) });
}

/** Input and output shape of a node, as `nirShapes` infers them. */
export interface NirNodeShapes {
  readonly input: readonly number[];
  readonly output: readonly number[];
}

/** A reference to an endpoint of an edge, resolved: the node and, inside a nested graph, its Input/Output. */
export interface NirEndpoint {
  readonly node: string;
  /** The Input (target) or Output (source) node of a nested graph that the edge enters or leaves. */
  readonly inner?: string;
}

/** How messages name a node of the graph at `where` ("graph": the top level). */
function nodeLabel(where: string, name: string): string {
  return `${where === "graph" ? "" : where + "."}nodes[${JSON.stringify(name)}]`;
}

/** How messages name an edge of the graph at `where`. */
function edgeLabel(where: string, i: number): string {
  return `${where === "graph" ? "" : where + "."}edges[${i}]`;
}

function isTensor(value: unknown): value is NirTensor {
  return !!value && typeof value === "object" && ((value as NirTensor).data instanceof Float32Array || (value as NirTensor).data instanceof Float64Array)
    && Array.isArray((value as NirTensor).shape) && size((value as NirTensor).shape) === (value as NirTensor).data.length;
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((d) => Number.isSafeInteger(d) && d >= 0);
}

function isPair(value: unknown, min: number): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((d) => Number.isSafeInteger(d) && d >= min);
}

/**
 * Resolves one end of an edge in `graph`: a node's own name first (names may contain dots, as
 * snnTorch's "lif1.w_rec"), else "graph.inner" for a nested graph's Input/Output; a bare nested
 * graph stands for its only Input (target) or Output (source). Undefined when nothing matches.
 */
export function resolveEndpoint(graph: NirGraph, name: string, role: "source" | "target"): NirEndpoint | undefined {
  const wanted = role === "target" ? "Input" : "Output";
  const node = graph.nodes[name];
  if (node) {
    if (node.type !== "NIRGraph") return { node: name };
    const inner = Object.keys(node.nodes).filter((k) => node.nodes[k]!.type === wanted);
    return inner.length === 1 ? { node: name, inner: inner[0]! } : undefined;
  }
  const dot = name.indexOf(".");
  for (let at = dot; at >= 0; at = name.indexOf(".", at + 1)) {
    const outer = graph.nodes[name.slice(0, at)];
    const innerName = name.slice(at + 1);
    if (outer?.type === "NIRGraph" && outer.nodes[innerName]?.type === wanted) return { node: name.slice(0, at), inner: innerName };
  }
  return undefined;
}

/** Checks one node's fields (names the node in `where`). */
function checkNode(fn: string, where: string, node: NirNode): void {
  if (!node || typeof node !== "object") fail(fn, where, "be a NIR node record", node);
  const type = (node as { type?: unknown }).type;
  if (typeof type !== "string" || !(nirNodeTypes as readonly string[]).includes(type)) {
    fail(fn, `${where}.type`, `be one of ${nirNodeTypes.join(", ")}`, type);
  }
  const at = `${where} (${type})`;
  const fields = tensorFields[type];
  if (fields) {
    for (const f of fields) {
      const value = (node as unknown as Record<string, unknown>)[f];
      if (!isTensor(value)) fail(fn, `${at}.${f}`, "be a tensor {data: Float32Array | Float64Array, shape} with as many elements as its shape", value);
    }
  }
  const t = node as unknown as Record<string, NirTensor>;
  const sameShapes = (names: readonly string[]) => {
    const first = t[names[0]!]!.shape;
    for (const f of names.slice(1)) {
      if (t[f]!.shape.length !== first.length || t[f]!.shape.some((d, i) => d !== first[i])) {
        fail(fn, `${at}.${f}`, `have the shape of ${names[0]} ${shapeText(first)}`, shapeText(t[f]!.shape));
      }
    }
  };
  switch (node.type) {
    case "Input":
    case "Output":
      if (!isShape(node.shape)) fail(fn, `${at}.shape`, "be a list of integers >= 0", node.shape);
      break;
    case "Affine":
    case "Linear": {
      const w = node.weight.shape;
      if (w.length < 2) fail(fn, `${at}.weight`, "have at least 2 axes [out, in]", shapeText(w));
      if (node.type === "Affine") {
        const expected = [...w.slice(0, -2), w[w.length - 2]!];
        if (size(node.bias.shape) !== size(expected)) fail(fn, `${at}.bias`, `have ${size(expected)} elements (weight ${shapeText(w)})`, shapeText(node.bias.shape));
      }
      break;
    }
    case "Conv1d":
    case "Conv2d": {
      const dims = node.type === "Conv1d" ? 1 : 2;
      const w = node.weight.shape;
      if (w.length !== dims + 2) fail(fn, `${at}.weight`, `have ${dims + 2} axes [Cout, Cin/groups, ${dims === 1 ? "k" : "kH, kW"}]`, shapeText(w));
      if (!Number.isSafeInteger(node.groups) || node.groups < 1 || w[0]! % node.groups !== 0) {
        fail(fn, `${at}.groups`, `be an integer >= 1 that divides Cout = ${w[0]}`, node.groups);
      }
      if (size(node.bias.shape) !== w[0]!) fail(fn, `${at}.bias`, `have Cout = ${w[0]} elements`, shapeText(node.bias.shape));
      if (node.type === "Conv1d") {
        if (!Number.isSafeInteger(node.stride) || node.stride < 1) fail(fn, `${at}.stride`, "be an integer >= 1", node.stride);
        if (!Number.isSafeInteger(node.dilation) || node.dilation < 1) fail(fn, `${at}.dilation`, "be an integer >= 1", node.dilation);
        if (!(node.padding === "same" || node.padding === "valid" || (Number.isSafeInteger(node.padding) && (node.padding as number) >= 0))) {
          fail(fn, `${at}.padding`, 'be an integer >= 0, "same" or "valid"', node.padding);
        }
        if (node.inputShape !== null && !(Number.isSafeInteger(node.inputShape) && node.inputShape >= 1)) fail(fn, `${at}.inputShape`, "be null or an integer >= 1", node.inputShape);
      } else {
        if (!isPair(node.stride, 1)) fail(fn, `${at}.stride`, "be two integers >= 1", node.stride);
        if (!isPair(node.dilation, 1)) fail(fn, `${at}.dilation`, "be two integers >= 1", node.dilation);
        if (!(node.padding === "same" || node.padding === "valid" || isPair(node.padding, 0))) fail(fn, `${at}.padding`, 'be two integers >= 0, "same" or "valid"', node.padding);
        if (node.inputShape !== null && !isPair(node.inputShape, 1)) fail(fn, `${at}.inputShape`, "be null or two integers >= 1", node.inputShape);
      }
      if (node.padding === "same" && (node.type === "Conv1d" ? node.stride !== 1 : node.stride.some((s) => s !== 1))) {
        fail(fn, `${at}.padding`, 'be numbers when stride > 1 ("same" is defined for stride 1, as in PyTorch)', "same");
      }
      break;
    }
    case "SumPool2d":
    case "AvgPool2d":
      if (!isPair(node.kernelSize, 1)) fail(fn, `${at}.kernelSize`, "be two integers >= 1", node.kernelSize);
      if (!isPair(node.stride, 1)) fail(fn, `${at}.stride`, "be two integers >= 1", node.stride);
      if (!isPair(node.padding, 0)) fail(fn, `${at}.padding`, "be two integers >= 0", node.padding);
      break;
    case "Flatten":
      if (!Number.isSafeInteger(node.startDim)) fail(fn, `${at}.startDim`, "be an integer", node.startDim);
      if (!Number.isSafeInteger(node.endDim)) fail(fn, `${at}.endDim`, "be an integer", node.endDim);
      if (node.inputShape !== null && !isShape(node.inputShape)) fail(fn, `${at}.inputShape`, "be null or a list of integers >= 0", node.inputShape);
      break;
    case "Delay":
      for (let i = 0; i < node.delay.data.length; i++) {
        if (!(node.delay.data[i]! >= 0)) fail(fn, `${at}.delay[${i}]`, "be a delay >= 0 (s)", node.delay.data[i]);
      }
      break;
    case "IF":
    case "LI":
    case "LIF":
    case "CubaLI":
    case "CubaLIF":
      sameShapes(fields!);
      break;
    case "NIRGraph":
      checkGraphStructure(fn, where, node);
      break;
    default:
      break;
  }
  if (node.metadata !== undefined && (node.metadata === null || typeof node.metadata !== "object")) fail(fn, `${at}.metadata`, "be an object", node.metadata);
}

/** Checks names, nodes and edges (not shapes). */
function checkGraphStructure(fn: string, where: string, graph: NirGraph): void {
  if (!graph || typeof graph !== "object" || graph.type !== "NIRGraph") fail(fn, where, 'be a graph {type: "NIRGraph", nodes, edges}', graph);
  if (!graph.nodes || typeof graph.nodes !== "object") fail(fn, `${where}.nodes`, "be an object of named nodes", graph.nodes);
  for (const name of Object.keys(graph.nodes)) {
    if (name === "" || name.includes("/")) fail(fn, `${where} node name`, 'be a non-empty name without "/"', name);
    checkNode(fn, nodeLabel(where, name), graph.nodes[name]!);
  }
  if (!Array.isArray(graph.edges)) fail(fn, where === "graph" ? "edges" : `${where}.edges`, "be an array of [source, target] pairs", graph.edges);
  const known = Object.keys(graph.nodes).join(", ");
  graph.edges.forEach((e, i) => {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== "string" || typeof e[1] !== "string") {
      fail(fn, edgeLabel(where, i), "be a [source, target] pair of node names", e);
    }
    if (!resolveEndpoint(graph, e[0], "source")) fail(fn, edgeLabel(where, i), `start at a node of the graph (${known})`, `["${e[0]}", "${e[1]}"]`);
    if (!resolveEndpoint(graph, e[1], "target")) fail(fn, edgeLabel(where, i), `end at a node of the graph (${known})`, `["${e[0]}", "${e[1]}"]`);
  });
}

/** Output shape of a convolution or pooling along one axis (PyTorch's formula). */
export function convLength(n: number, kernel: number, stride: number, padding: number | "same" | "valid", dilation: number): number {
  if (padding === "same") return n;
  const p = padding === "valid" ? 0 : padding;
  return Math.floor((n + 2 * p - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Output shape of a Flatten (NIR's `calc_flatten_output`: dims of the input, no batch axis; negative dims count from the end). */
export function flattenShape(input: readonly number[], startDim: number, endDim: number): number[] {
  const n = input.length;
  const start = startDim < 0 ? startDim + n : startDim;
  const end = endDim < 0 ? endDim + n : endDim;
  if (start < 0 || end >= n || start > end) return [];
  return [...input.slice(0, start), size(input.slice(start, end + 1)), ...input.slice(end + 1)];
}

/** The shapes a node fixes by itself (its parameters), or undefined parts where it needs its input. */
function ownShapes(node: NirNode): { input?: readonly number[]; output?: readonly number[] } {
  switch (node.type) {
    case "Input": return { input: node.shape, output: node.shape };
    case "Output": return { input: node.shape, output: node.shape };
    case "Affine":
    case "Linear": {
      const w = node.weight.shape;
      return { input: [...w.slice(0, -2), w[w.length - 1]!], output: [...w.slice(0, -2), w[w.length - 2]!] };
    }
    case "Scale": return { input: node.scale.shape, output: node.scale.shape };
    case "Delay": return { input: node.delay.shape, output: node.delay.shape };
    case "Threshold": return { input: node.threshold.shape, output: node.threshold.shape };
    case "I":
    case "IF":
    case "LI":
    case "LIF":
    case "CubaLI":
    case "CubaLIF": return { input: node.r.shape, output: node.r.shape };
    case "Conv1d":
      return node.inputShape === null ? {} : conv1dShapes(node, [node.weight.shape[1]! * node.groups, node.inputShape]);
    case "Conv2d":
      return node.inputShape === null ? {} : conv2dShapes(node, [node.weight.shape[1]! * node.groups, ...node.inputShape]);
    case "Flatten":
      return node.inputShape === null ? {} : { input: node.inputShape, output: flattenShape(node.inputShape, node.startDim, node.endDim) };
    default: return {};
  }
}

function conv1dShapes(node: NirConv1dNode, input: readonly number[]): NirNodeShapes {
  const [cout, , k] = node.weight.shape as [number, number, number];
  return { input, output: [cout, convLength(input[1]!, k, node.stride, node.padding, node.dilation)] };
}

function conv2dShapes(node: NirConv2dNode, input: readonly number[]): NirNodeShapes {
  const [cout, , kh, kw] = node.weight.shape as [number, number, number, number];
  const pad = (a: 0 | 1) => (typeof node.padding === "string" ? node.padding : node.padding[a]);
  return {
    input,
    output: [cout, convLength(input[1]!, kh, node.stride[0], pad(0), node.dilation[0]), convLength(input[2]!, kw, node.stride[1], pad(1), node.dilation[1])],
  };
}

/** Shapes of a node given the output shape of the node before it (for nodes that need it). */
function shapesFrom(fn: string, at: string, node: NirNode, incoming: readonly number[]): NirNodeShapes {
  switch (node.type) {
    case "Conv1d":
      if (incoming.length !== 2) fail(fn, at, "receive [channels, length] (a Conv1d without inputShape takes it from the node before it)", shapeText(incoming));
      return conv1dShapes(node, incoming);
    case "Conv2d":
      if (incoming.length !== 3) fail(fn, at, "receive [channels, height, width] (a Conv2d without inputShape takes it from the node before it)", shapeText(incoming));
      return conv2dShapes(node, incoming);
    case "SumPool2d":
    case "AvgPool2d": {
      if (incoming.length !== 3) fail(fn, at, "receive [channels, height, width]", shapeText(incoming));
      const out = [incoming[0]!, convLength(incoming[1]!, node.kernelSize[0], node.stride[0], node.padding[0], 1), convLength(incoming[2]!, node.kernelSize[1], node.stride[1], node.padding[1], 1)];
      return { input: incoming, output: out };
    }
    case "Flatten":
      return { input: incoming, output: flattenShape(incoming, node.startDim, node.endDim) };
    default:
      return ownShapes(node) as NirNodeShapes;
  }
}

/** Input and output shapes of a nested graph: its (only) Input and Output, or undefined. */
function graphShapes(fn: string, where: string, graph: NirGraph): { input?: readonly number[]; output?: readonly number[]; inner: Record<string, NirNodeShapes> } {
  const inner = inferShapes(fn, where, graph);
  const inputs = Object.keys(graph.nodes).filter((k) => graph.nodes[k]!.type === "Input");
  const outputs = Object.keys(graph.nodes).filter((k) => graph.nodes[k]!.type === "Output");
  return { input: inputs.length === 1 ? inner[inputs[0]!]!.input : undefined, output: outputs.length === 1 ? inner[outputs[0]!]!.output : undefined, inner };
}

/** Shape inference over one graph level (nested graphs recursively); also checks each edge. */
function inferShapes(fn: string, where: string, graph: NirGraph): Record<string, NirNodeShapes> {
  const names = Object.keys(graph.nodes);
  const known: Record<string, { input?: readonly number[]; output?: readonly number[] }> = {};
  const innerShapes: Record<string, Record<string, NirNodeShapes>> = {};
  const label = (name: string) => `${nodeLabel(where, name)} (${graph.nodes[name]!.type})`;
  for (const name of names) {
    const node = graph.nodes[name]!;
    if (node.type === "NIRGraph") {
      const g = graphShapes(fn, nodeLabel(where, name), node);
      innerShapes[name] = g.inner;
      known[name] = { input: g.input, output: g.output };
    } else {
      known[name] = ownShapes(node);
    }
  }
  // The shape an endpoint delivers (source) or expects (target).
  const endShape = (end: NirEndpoint, role: "source" | "target"): readonly number[] | undefined => {
    if (end.inner) {
      const s = innerShapes[end.node]![end.inner]!;
      return role === "source" ? s.output : s.input;
    }
    return role === "source" ? known[end.node]!.output : known[end.node]!.input;
  };
  const resolved = graph.edges.map(([a, b]) => [resolveEndpoint(graph, a, "source")!, resolveEndpoint(graph, b, "target")!] as const);
  // Nodes that take their shape from their input: propagate until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const [src, dst] of resolved) {
      if (dst.inner || known[dst.node]!.output !== undefined) continue;
      const incoming = endShape(src, "source");
      if (!incoming) continue;
      known[dst.node] = shapesFrom(fn, label(dst.node), graph.nodes[dst.node]!, incoming);
      changed = true;
    }
  }
  for (const name of names) {
    const s = known[name]!;
    if (!s.input || !s.output) fail(fn, label(name), "have a shape NIR can infer (give Conv inputShape, or an Input before it)", "no incoming shape");
    if (s.output.some((d) => d < 1)) fail(fn, label(name), "have an output of positive size", shapeText(s.output));
  }
  resolved.forEach(([src, dst], i) => {
    const out = endShape(src, "source")!;
    const input = endShape(dst, "target")!;
    if (size(out) !== size(input)) {
      const [a, b] = graph.edges[i]!;
      fail(fn, `${edgeLabel(where, i)} ("${a}" → "${b}")`, "join a source and a target of equal sizes", `${shapeText(out)} → ${shapeText(input)}`);
    }
  });
  const out: Record<string, NirNodeShapes> = {};
  for (const name of names) out[name] = { input: known[name]!.input!, output: known[name]!.output! };
  return out;
}

/**
 * Checks a graph (file header) and returns it frozen; nodes and tensors are not copied.
 *
 * @example
 *   const g = nirGraph({ input: { type: "Input", shape: [2] }, output: { type: "Output", shape: [2] } }, [["input", "output"]]);
 */
export function nirGraph(nodes: Readonly<Record<string, NirNode>>, edges: readonly (readonly [string, string])[], metadata?: NirMetadata): NirGraph {
  if (nodes === null || typeof nodes !== "object" || Array.isArray(nodes) || ArrayBuffer.isView(nodes)) fail("nirGraph", "nodes", "be an object of named nodes", nodes);
  if (!Array.isArray(edges)) fail("nirGraph", "edges", "be an array of [from, to] pairs", edges);
  const graph: NirGraph = Object.freeze({
    type: "NIRGraph" as const,
    nodes: Object.freeze({ ...nodes }),
    edges: Object.freeze(Array.isArray(edges) ? edges.map((e) => (Array.isArray(e) ? Object.freeze([e[0], e[1]] as const) : e)) : edges),
    ...(metadata === undefined ? {} : { metadata }),
  });
  checkNirGraph("nirGraph", graph);
  return graph;
}

/** Checks a graph's structure and shapes, reporting as `fn`; internal to the NIR files. */
export function checkNirGraph(fn: string, graph: NirGraph): Record<string, NirNodeShapes> {
  checkGraphStructure(fn, "graph", graph);
  return inferShapes(fn, "graph", graph);
}

/**
 * The input and output shape of every node of the graph's top level (nested graphs: their
 * Input's and Output's), inferred as NIR does.
 *
 * @example
 *   nirShapes(graph)["0"];   // { input: [2, 34, 34], output: [16, 16, 16] } for Sinabs's first Conv2d
 */
export function nirShapes(graph: NirGraph): Readonly<Record<string, NirNodeShapes>> {
  return checkNirGraph("nirShapes", graph);
}

/** One row of `nirSummary`. */
export interface NirSummaryRow {
  readonly node: string;
  readonly type: NirNodeType;
  readonly input: string;
  readonly output: string;
  /** Number of parameter elements (weights, biases, neuron constants). */
  readonly parameters: number;
  /** Names of the nodes feeding this one. */
  readonly from: string;
}

/**
 * One row per node of the top level, in the graph's order: type, shapes, parameter count and
 * the nodes it receives from (for printing a graph, as a table).
 *
 * @example
 *   nirSummary(await readNir("cnn_sinabs.nir"));
 */
export function nirSummary(graph: NirGraph): NirSummaryRow[] {
  const shapes = checkNirGraph("nirSummary", graph);
  const count = (node: NirNode): number => {
    if (node.type === "NIRGraph") return Object.values(node.nodes).reduce((a, n) => a + count(n), 0);
    return (tensorFields[node.type] ?? []).reduce((a, f) => a + (node as unknown as Record<string, NirTensor>)[f]!.data.length, 0);
  };
  return Object.keys(graph.nodes).map((name) => ({
    node: name,
    type: graph.nodes[name]!.type,
    input: shapeText(shapes[name]!.input),
    output: shapeText(shapes[name]!.output),
    parameters: count(graph.nodes[name]!),
    from: graph.edges.filter(([, b]) => resolveEndpoint(graph, b, "target")?.node === name).map(([a]) => a).join(", "),
  }));
}

