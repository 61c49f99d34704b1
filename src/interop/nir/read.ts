/**
 * `readNir(file)`: a `.nir` file (HDF5) as a checked `NirGraph`, following the layout of NIR's
 * `nir/serialization.py`: a string dataset `version`, and a group `node` holding the top graph.
 * A node is a group with a string dataset `type` (NIR's class name) and one dataset per field in
 * NIR's snake_case names (`weight`, `v_threshold`, `tau_syn`, `kernel_size`, …), an optional
 * group `metadata`; a graph holds a group `nodes` (one group per node, recursively) and a string
 * dataset `edges` of shape [n, 2].
 *
 * What older writers leave out gets NIR's defaults: `v_reset` zeros, `w_in` ones, Flatten's
 * `start_dim` 1 and `end_dim` −1, no `input_shape` (inferred from the graph). Fields that NIR's
 * newer writers add and this reader does not need (`input_type`, `output_type` groups) are
 * skipped. Parameters keep their element type (Float32Array or Float64Array); integer arrays
 * become numbers.
 *
 * Versions 0.x and 1.x are read (the shared files are 0.1.1 and 0.2.0; NIR 1.0.7 writes 1.0.7);
 * any other version, a missing field, an unknown node type, an edge to an unknown node or
 * mismatched shapes is one `SnnlabError` naming the node or edge.
 *
 * One repair, asked for by name: snnTorch's export of a nested graph (the NIR paper's
 * `braille_noDelay_bias_zero_subgraph.nir`) keys a node "lif1" but names it "lif" in the edges,
 * which NIR's own reader rejects. `{edgeNames: "match-unused"}` renames, in a graph where exactly
 * one edge name matches no node and exactly one node is named by no edge, that edge name to that
 * node; by default ("strict") it is the error, which suggests the option.
 *
 * @example
 *   const graph = await readNir("../shared/nir/cnn_sinabs.nir");
 *   nirSummary(graph);
 */
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { fail, mergeOptions, oneOf, SnnlabError } from "../../core/validate";
import { checkNirGraph, nirNodeTypes, resolveEndpoint, type NirFloatArray, type NirGraph, type NirMetadata, type NirMetadataValue, type NirNode, type NirNodeType, type NirTensor } from "./graph";
import { hdf5, type H5wasm } from "./hdf5";

type Group = InstanceType<H5wasm["Group"]>;
type Dataset = InstanceType<H5wasm["Dataset"]>;

const fn = "readNir";

/** The versions this reader knows: NIR 0.x and 1.x. */
export function supportedNirVersion(version: string): boolean {
  return /^[01]\.\d+(\.\d+)?([.+-]?\w[\w.+-]*)?$/.test(version);
}

/** NIR field names (snake_case) of our camelCase names. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

function toNumber(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : (value as number);
}

/** Reads the node group `group` (named `where` in messages). */
function readNode(h5: H5wasm, group: Group, where: string): NirNode {
  const keys = group.keys();
  const get = (name: string): Dataset | undefined => {
    if (!keys.includes(name)) return undefined;
    const item = group.get(name);
    return item instanceof h5.Dataset ? item : undefined;
  };
  const typeSet = get("type");
  const rawType = typeSet?.value;
  if (typeof rawType !== "string") fail(fn, `${where}.type`, "be a string dataset naming the node's NIR class", typeSet ? rawType : "no type dataset");
  if (!(nirNodeTypes as readonly string[]).includes(rawType)) fail(fn, `${where}.type`, `be one of ${nirNodeTypes.join(", ")}`, rawType);
  const type = rawType as NirNodeType;
  const at = `${where} (${type})`;
  const missing = (field: string): never => fail(fn, `${at}`, `have a dataset "${field}"`, `fields ${JSON.stringify(keys)}`);
  const tensorOf = (d: Dataset, field: string): NirTensor => {
    const value = d.value;
    const shape = (d.shape ?? []).map(Number);
    let data: NirFloatArray;
    if (value instanceof Float32Array || value instanceof Float64Array) data = value;
    else if (typeof value === "number" || typeof value === "bigint") data = Float64Array.of(toNumber(value));
    else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) data = Float64Array.from(value as unknown as ArrayLike<number | bigint>, toNumber);
    else return fail(fn, `${at}.${field}`, "be a numeric dataset", value);
    return Object.freeze({ data, shape: Object.freeze(shape) });
  };
  const tensor = (field: string): NirTensor => {
    const d = get(snakeCase(field));
    return d ? tensorOf(d, field) : missing(snakeCase(field));
  };
  const optionalTensor = (field: string, like: NirTensor, fill: number): NirTensor => {
    const d = get(snakeCase(field));
    if (d) return tensorOf(d, field);
    const data = like.data instanceof Float32Array ? new Float32Array(like.data.length) : new Float64Array(like.data.length);
    return Object.freeze({ data: data.fill(fill), shape: like.shape });
  };
  const ints = (field: string): number[] | undefined => {
    const d = get(field);
    if (!d) return undefined;
    const value = d.value;
    if (typeof value === "number" || typeof value === "bigint") return [toNumber(value)];
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number | bigint>, toNumber);
    return fail(fn, `${at}.${field}`, "be an integer dataset", value);
  };
  const int = (field: string, fallback?: number): number => {
    const v = ints(field);
    if (v === undefined) return fallback === undefined ? missing(field) : fallback;
    if (v.length !== 1) fail(fn, `${at}.${field}`, "be one integer", v);
    return v[0]!;
  };
  const pair = (field: string): [number, number] => {
    const v = ints(field);
    if (v === undefined) return missing(field);
    if (v.length === 1) return [v[0]!, v[0]!];
    if (v.length !== 2) fail(fn, `${at}.${field}`, "be one or two integers", v);
    return [v[0]!, v[1]!];
  };
  const padding = (dims: 1 | 2): number | [number, number] | "same" | "valid" => {
    const d = get("padding");
    if (d && typeof d.value === "string") return d.value as "same" | "valid";
    return dims === 1 ? int("padding") : pair("padding");
  };
  let metadata: NirMetadata | undefined;
  if (keys.includes("metadata")) {
    const m = group.get("metadata");
    if (m instanceof h5.Group) metadata = readMetadata(h5, m);
  }
  const base = metadata ? { metadata } : {};
  switch (type) {
    case "Input":
    case "Output":
      return { type, shape: ints("shape") ?? missing("shape"), ...base };
    case "Affine": return { type, weight: tensor("weight"), bias: tensor("bias"), ...base };
    case "Linear": return { type, weight: tensor("weight"), ...base };
    case "Scale": return { type, scale: tensor("scale"), ...base };
    case "Conv1d": {
      const shape = ints("input_shape");
      return {
        type, weight: tensor("weight"), bias: tensor("bias"), stride: int("stride"), padding: padding(1) as number | "same" | "valid",
        dilation: int("dilation", 1), groups: int("groups", 1), inputShape: shape ? shape[0]! : null, ...base,
      };
    }
    case "Conv2d": {
      const shape = ints("input_shape");
      if (shape && shape.length !== 2) fail(fn, `${at}.input_shape`, "be two integers [height, width]", shape);
      return {
        type, weight: tensor("weight"), bias: tensor("bias"), stride: pair("stride"), padding: padding(2) as [number, number] | "same" | "valid",
        dilation: get("dilation") ? pair("dilation") : [1, 1], groups: int("groups", 1), inputShape: shape ? [shape[0]!, shape[1]!] : null, ...base,
      };
    }
    case "SumPool2d":
    case "AvgPool2d":
      return { type, kernelSize: pair("kernel_size"), stride: pair("stride"), padding: pair("padding"), ...base };
    case "Flatten": {
      // NIR's Flatten writes `input_type` as the input shape; newer writers may nest it as input_type/input.
      let inputShape: number[] | null = ints("input_type") ?? null;
      if (!inputShape && keys.includes("input_type")) {
        const g = group.get("input_type");
        if (g instanceof h5.Group && g.keys().includes("input")) {
          const d = g.get("input");
          if (d instanceof h5.Dataset && ArrayBuffer.isView(d.value)) inputShape = Array.from(d.value as unknown as ArrayLike<number | bigint>, toNumber);
        }
      }
      return { type, startDim: int("start_dim", 1), endDim: int("end_dim", -1), inputShape, ...base };
    }
    case "Delay": return { type, delay: tensor("delay"), ...base };
    case "Threshold": return { type, threshold: tensor("threshold"), ...base };
    case "I": return { type, r: tensor("r"), ...base };
    case "IF": {
      const vThreshold = tensor("vThreshold");
      return { type, r: tensor("r"), vThreshold, vReset: optionalTensor("vReset", vThreshold, 0), ...base };
    }
    case "LI": return { type, tau: tensor("tau"), r: tensor("r"), vLeak: tensor("vLeak"), ...base };
    case "LIF": {
      const vThreshold = tensor("vThreshold");
      return { type, tau: tensor("tau"), r: tensor("r"), vLeak: tensor("vLeak"), vThreshold, vReset: optionalTensor("vReset", vThreshold, 0), ...base };
    }
    case "CubaLI": {
      const vLeak = tensor("vLeak");
      return { type, tauSyn: tensor("tauSyn"), tauMem: tensor("tauMem"), r: tensor("r"), vLeak, wIn: optionalTensor("wIn", vLeak, 1), ...base };
    }
    case "CubaLIF": {
      const vThreshold = tensor("vThreshold");
      return {
        type, tauSyn: tensor("tauSyn"), tauMem: tensor("tauMem"), r: tensor("r"), vLeak: tensor("vLeak"), vThreshold,
        vReset: optionalTensor("vReset", vThreshold, 0), wIn: optionalTensor("wIn", vThreshold, 1), ...base,
      };
    }
    case "NIRGraph": {
      const nodesGroup = keys.includes("nodes") ? group.get("nodes") : null;
      if (!(nodesGroup instanceof h5.Group)) return missing("nodes");
      const nodes: Record<string, NirNode> = {};
      for (const name of nodesGroup.keys()) {
        const child = nodesGroup.get(name);
        const label = `${where === "graph" ? "" : where + "."}nodes[${JSON.stringify(name)}]`;
        if (!(child instanceof h5.Group)) fail(fn, label, "be a group (one per node)", "a dataset");
        nodes[name] = readNode(h5, child, label);
      }
      const e = get("edges");
      if (!e) return missing("edges");
      const flat = e.value;
      const shape = e.shape ?? [];
      let edges: [string, string][] = [];
      if (shape.reduce((a, b) => a * b, 1) > 0) {
        if (!Array.isArray(flat) || !flat.every((s) => typeof s === "string") || shape[shape.length - 1] !== 2) {
          fail(fn, `${at}.edges`, "be a string dataset of shape [n, 2]", `${e.dtype} of shape [${shape.join(", ")}]`);
        }
        edges = [];
        for (let k = 0; k < flat.length; k += 2) edges.push([flat[k] as string, flat[k + 1] as string]);
      }
      return { type, nodes, edges, ...base };
    }
  }
}

/** Metadata: datasets become strings, numbers or tensors; groups nest. */
function readMetadata(h5: H5wasm, group: Group): NirMetadata {
  const out: Record<string, NirMetadataValue> = {};
  for (const key of group.keys()) {
    const item = group.get(key);
    if (item instanceof h5.Group) out[key] = readMetadata(h5, item);
    else if (item instanceof h5.Dataset) {
      const v = item.value;
      if (typeof v === "string") out[key] = v;
      else if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") out[key] = Number(v);
      else if (v instanceof Float32Array || v instanceof Float64Array) out[key] = Object.freeze({ data: v, shape: Object.freeze((item.shape ?? []).map(Number)) });
      else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        out[key] = Object.freeze({ data: Float64Array.from(v as unknown as ArrayLike<number | bigint>, toNumber), shape: Object.freeze((item.shape ?? []).map(Number)) });
      } else if (Array.isArray(v) && v.every((s) => typeof s === "string")) out[key] = v.join("\n");
    }
  }
  return Object.freeze(out);
}

/** Options of `readNir`. */
export interface ReadNirOptions {
  /** "strict" (default): an edge naming no node is an error; "match-unused": the one repair of the file header. */
  readonly edgeNames: "strict" | "match-unused";
}

/** The single unknown edge name and single node no edge names of a graph level, if that is its state. */
function unmatchedPair(graph: NirGraph): { unknown: string; unused: string } | undefined {
  const unknown = new Set<string>();
  const named = new Set<string>();
  for (const [a, b] of graph.edges) {
    const src = resolveEndpoint(graph, a, "source");
    const dst = resolveEndpoint(graph, b, "target");
    if (src) named.add(src.node);
    else unknown.add(a);
    if (dst) named.add(dst.node);
    else unknown.add(b);
  }
  const unused = Object.keys(graph.nodes).filter((k) => !named.has(k));
  return unknown.size === 1 && unused.length === 1 ? { unknown: [...unknown][0]!, unused: unused[0]! } : undefined;
}

/** Applies (or, strict, reports) the edge-name repair at every level. */
function repairEdges(graph: NirGraph, mode: "strict" | "match-unused", where: string): NirGraph {
  const nodes: Record<string, NirNode> = {};
  for (const [name, node] of Object.entries(graph.nodes)) {
    nodes[name] = node.type === "NIRGraph" ? repairEdges(node, mode, `${where === "graph" ? "" : where + "."}nodes[${JSON.stringify(name)}]`) : node;
  }
  let edges = graph.edges;
  const pair = unmatchedPair({ ...graph, nodes });
  if (pair) {
    if (mode === "strict") {
      const i = edges.findIndex(([a, b]) => a === pair.unknown || b === pair.unknown);
      fail(fn, `${where === "graph" ? "" : where + "."}edges[${i}]`,
        `name nodes of the graph (${Object.keys(nodes).join(", ")}); "${pair.unknown}" matches none and only "${pair.unused}" is named by no edge: pass {edgeNames: "match-unused"} to read it as "${pair.unused}"`,
        `["${edges[i]![0]}", "${edges[i]![1]}"]`);
    }
    edges = edges.map(([a, b]) => [a === pair.unknown ? pair.unused : a, b === pair.unknown ? pair.unused : b] as const);
  }
  return { ...graph, nodes, edges };
}

/**
 * Reads a `.nir` file (file header). The graph is checked as `nirGraph` checks it.
 *
 * @example
 *   const lif = await readNir("../shared/nir/lif_norse.nir");
 *   lif.nodes["1"];   // { type: "LIF", tau: { data: Float32Array [0.0025], shape: [1] }, … }
 */
export async function readNir(file: string, options: Partial<ReadNirOptions> = {}): Promise<NirGraph> {
  const o = mergeOptions(fn, { edgeNames: "strict" as "strict" | "match-unused" }, options);
  oneOf(fn, "edgeNames", o.edgeNames, ["strict", "match-unused"] as const);
  if (typeof file !== "string" || file === "") fail(fn, "file", "be a path to a .nir file", file);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail(fn, "file", "be an existing .nir file", file);
  if (!hasHdf5Signature(file)) fail(fn, "file", "be an HDF5 file (NIR writes HDF5)", file);
  const worker = path.join(__dirname, "read-worker.js");
  return fs.existsSync(worker) ? readInWorker(worker, file, o.edgeNames) : readNirHere(file, o.edgeNames);
}

/**
 * The time a file of `bytes` bytes may take to parse, ms: generous (NIR files are small), since
 * its only job is to end the endless loops that some damaged files send the HDF5 library into.
 */
const parseLimitMs = (bytes: number): number => 20_000 + (bytes / 1e6) * 2_000;

/** Workers that finished a file and wait, unreferenced, for the next (h5wasm stays loaded in them). */
const idleWorkers: Worker[] = [];

/**
 * Parses in a worker thread (read-worker.ts) under a time limit. h5wasm runs synchronously in
 * WebAssembly, and a damaged file can make it loop forever (found by the fuzz suite); a loop in
 * the calling thread could not be stopped, one in a worker is ended by `terminate`. Each call has
 * a worker of its own; a worker that answered is kept for the next call.
 */
function readInWorker(script: string, file: string, edgeNames: "strict" | "match-unused"): Promise<NirGraph> {
  const limit = parseLimitMs(fs.statSync(file).size);
  const worker = idleWorkers.pop() ?? new Worker(script);
  worker.ref();
  return new Promise<NirGraph>((resolve, reject) => {
    const unreadable = (why: string): SnnlabError => errorOf({ fn, param: "file", message: `${fn}: file must be a readable HDF5 file (${why}), got ${JSON.stringify(file)}` });
    const finish = (settle: () => void, reusable: boolean) => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (reusable) {
        worker.unref();
        idleWorkers.push(worker);
      } else void worker.terminate();
      settle();
    };
    const onMessage = (m: { graph?: NirGraph; error?: WorkerError }) => finish(() => (m.error ? reject(errorOf(m.error)) : resolve(deepFreeze(m.graph!))), true);
    const onError = (err: Error) => finish(() => reject(unreadable(err.message)), false);
    const onExit = (code: number) => finish(() => reject(unreadable(`the reader stopped with exit code ${code}`)), false);
    const timer = setTimeout(() => finish(() => reject(unreadable(`the HDF5 library gave no answer in ${Math.round(limit / 1000)} s: a damaged file can make it loop`)), false), limit);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.postMessage({ file, edgeNames });
  });
}

/** An error as the worker posts it: the fields of a SnnlabError (a class does not cross threads). */
export interface WorkerError { readonly fn: string; readonly param: string; readonly message: string }

/** The SnnlabError a worker reported, with its message as it was. */
function errorOf(e: WorkerError): SnnlabError {
  const error = new SnnlabError(e.fn, e.param, "", "");
  error.message = e.message;
  return error;
}

/** `readNir` after its argument checks, in the calling thread (read-worker.ts runs it). */
export async function readNirHere(file: string, edgeNames: "strict" | "match-unused"): Promise<NirGraph> {
  const o = { edgeNames };
  const h5 = await hdf5();
  let f: InstanceType<H5wasm["File"]>;
  try {
    f = new h5.File(file, "r");
  } catch (err) {
    return fail(fn, "file", `be a readable HDF5 file (${(err as Error).message})`, file);
  }
  try {
    if (!f.keys().includes("version")) fail(fn, "version", 'be a string dataset "version" at the root of the file', `no version in ${file}`);
    const versionSet = f.get("version");
    const version = versionSet instanceof h5.Dataset ? versionSet.value : undefined;
    if (typeof version !== "string" || !supportedNirVersion(version)) {
      fail(fn, "version", "be a NIR version 0.x or 1.x (the layouts this reader knows)", typeof version === "string" ? version : String(version));
    }
    const root = f.keys().includes("node") ? f.get("node") : null;
    if (!(root instanceof h5.Group)) fail(fn, "node", 'be the group "node" holding the graph', `none in ${file}`);
    const node = readNode(h5, root, "graph");
    if (node.type !== "NIRGraph") fail(fn, "node", "hold a NIRGraph", node.type);
    const graph = repairEdges(node, o.edgeNames, "graph");
    checkNirGraph(fn, graph);
    return deepFreeze(graph) as NirGraph;
  } catch (err) {
    if (err instanceof SnnlabError) throw err;
    return fail(fn, "file", `be a readable HDF5 file (${(err as Error).message})`, file);
  } finally {
    f.close();
  }
}

/** HDF5's format signature, at byte 0 or after a user block of 512·2^k bytes. */
function hasHdf5Signature(file: string): boolean {
  const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(8);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      fs.readSync(fd, buf, 0, 8, at);
      if (signature.every((b, i) => buf[i] === b)) return true;
    }
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
