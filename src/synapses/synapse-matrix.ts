/**
 * Weight storage of a projection, in one of four layouts (`storage`):
 *
 *   "dense"    w[post·nPre + pre], row-major [post][pre], every pair a synapse (the layout of
 *              plasticity's `denseAccess`, so rules and the dense weight matrix agree).
 *   "sparse"   a `Connectivity` (CSR by pre) with one weight per synapse, w[e] for synapse e.
 *   "uniform"  a `Connectivity` whose synapses all use the one weight w[0] (Brian2's
 *              `on_pre='ge += we'`: no per-synapse storage, 4 bytes per synapse instead of 8).
 *   "shared"   a `Connectivity` whose synapse e uses w[weightIndex[e]]: weights shared between
 *              synapses, as a convolution's kernel (`conv.ts`).
 *
 * The CSR layouts are what event-driven propagation walks (`propagate.ts`): a spike of pre neuron i
 * touches only its row. `synapseAccess(m)` gives the topology-free view that learning rules use
 * (built on first use and cached, because its by-post index costs O(synapses) memory); rules
 * update `m.w` in place through it, and propagation sees the new weights at once.
 *
 * Weights are in the unit of the projection's target (nA for a current, mV for a jump in v,
 * dimensionless for a conductance in units of the leak, …).
 *
 * @example
 *   const c = fixedProbability(1000, 1, { p: 1, rng: createRng(1) });
 *   const m = sparseSynapses(c, { weight: (pre, post) => 0.01 * ((pre * 7919) % 100) / 100 });
 *   const d = denseSynapses(3, 2, { weight: new Float32Array([1, 2, 3, 4, 5, 6]) }); // [post][pre]
 *   const u = uniformSynapses(c, { weight: 1.62 * mV });
 *   const access = synapseAccess(m);   // for stdpStep(pre, post, access, traces, p, dt)
 */
import { arrayLength, fail, finite, lengthIs, mergeOptions } from "../core/validate";
import { denseAccess, indexedAccess, sparseAccess, type SynapseAccess } from "../plasticity/synapse-access";
import { checkConnectivity, connectivityPairs, type Connectivity } from "./connectivity";
import type { ConvGeometry } from "./conv";

/** The weight layouts of a `SynapseMatrix` (file header). */
export type SynapseStorage = "dense" | "sparse" | "uniform" | "shared";

/**
 * Initial weights: one number for every synapse, an array in the layout's order, or a function
 * of the synapse's (pre, post) indices called once per synapse in CSR order.
 */
export type WeightInit = number | ArrayLike<number> | ((pre: number, post: number) => number);

/** A projection's synapses and weights; see the file header. */
export interface SynapseMatrix {
  /** The layout. */
  readonly storage: SynapseStorage;
  /** Number of presynaptic neurons. */
  readonly nPre: number;
  /** Number of postsynaptic neurons. */
  readonly nPost: number;
  /** Number of synapses (nPre·nPost for "dense"). */
  readonly nSynapses: number;
  /** The weights, in the layout's order (file header); rules and callers may update them in place. */
  readonly w: Float32Array;
  /** CSR row starts by pre neuron, length nPre + 1 (null for "dense"). */
  readonly rowStart: Int32Array | null;
  /** Postsynaptic neuron of each synapse, CSR order (null for "dense"). */
  readonly post: Int32Array | null;
  /** Weight index of each synapse ("shared" only, else null). */
  readonly weightIndex: Int32Array | null;
  /** Geometry of a convolutional projection (`convSynapses`), else null. */
  readonly conv: ConvGeometry | null;
  /**
   * True when the CSR lists every post neuron for every pre neuron, in order (an all-to-all
   * connectivity): row i is synapses i·nPost … (i + 1)·nPost − 1 and synapse e reaches post
   * e mod nPost, so propagation reads a row without its index array.
   */
  readonly completeRows: boolean;
}

const inspect = Symbol.for("nodejs.util.inspect.custom");

function describeMatrix(this: SynapseMatrix): string {
  const shape = this.conv
    ? `, conv ${this.conv.inputShape.join("×")} → ${this.conv.outputShape.join("×")}, kernel ${this.conv.kernelShape.join("×")}`
    : "";
  return `SynapseMatrix(${this.storage}, ${this.nPre} pre → ${this.nPost} post, ${this.nSynapses} synapses, ` +
    `${this.w.length} weights${shape})`;
}

/** Freezes a matrix record, working out `completeRows` (internal to synapses/). */
export function makeMatrix(m: Omit<SynapseMatrix, "completeRows">): SynapseMatrix {
  const full = { ...m, completeRows: completeRows(m) };
  Object.defineProperty(full, inspect, { value: describeMatrix, enumerable: false });
  return Object.freeze(full);
}

function completeRows(m: Omit<SynapseMatrix, "completeRows">): boolean {
  const { rowStart, post, nPre, nPost } = m;
  if (rowStart === null || post === null || post.length !== nPre * nPost || nPost === 0) return false;
  for (let i = 0; i <= nPre; i++) if (rowStart[i] !== i * nPost) return false;
  for (let e = 0, j = 0; e < post.length; e++) {
    if (post[e] !== j) return false;
    j = j + 1 === nPost ? 0 : j + 1;
  }
  return true;
}

/** Options of the matrix builders. */
export interface SynapseMatrixOptions {
  /** Initial weights (see `WeightInit`), weight units. */
  readonly weight: WeightInit;
}

function weightOption(fn: string, options: SynapseMatrixOptions): WeightInit {
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {weight}", options);
  const o = mergeOptions<SynapseMatrixOptions>(fn, { weight: NaN }, options);
  const w = o.weight;
  if (typeof w === "number") finite(fn, "weight", w);
  else if (typeof w !== "function" && (w == null || typeof (w as ArrayLike<number>).length !== "number")) {
    fail(fn, "weight", "be a number, an array or a function (pre, post) => number", w);
  }
  return w;
}

function fillWeights(fn: string, init: WeightInit, pre: ArrayLike<number> | null, post: ArrayLike<number> | null, out: Float32Array, denseNPre = 0): Float32Array {
  if (typeof init === "number") return out.fill(init);
  if (typeof init === "function") {
    for (let e = 0; e < out.length; e++) {
      // Dense entries are [post][pre]: entry e is pre e % nPre, post ⌊e / nPre⌋.
      const i = pre ? pre[e] : e % denseNPre;
      const j = post ? post[e] : Math.floor(e / denseNPre);
      const value = init(i, j);
      if (typeof value !== "number" || !Number.isFinite(value)) fail(fn, `weight(${i}, ${j})`, "be a finite number", value);
      out[e] = value;
    }
    return out;
  }
  lengthIs(fn, "weight", init, out.length);
  for (let e = 0; e < out.length; e++) {
    const value = init[e];
    if (typeof value !== "number" || !Number.isFinite(value)) fail(fn, `weight[${e}]`, "be a finite number", value);
    out[e] = value;
  }
  return out;
}

/**
 * A dense projection: every (pre, post) pair, weights row-major [post][pre] (an array `weight` is
 * read in that order and copied).
 *
 * @example
 *   const m = denseSynapses(784, 100, { weight: (pre, post) => 0.3 * rng.next() });
 */
export function denseSynapses(nPre: number, nPost: number, options: SynapseMatrixOptions): SynapseMatrix {
  const fn = "denseSynapses";
  arrayLength(fn, "nPre", nPre);
  arrayLength(fn, "nPost", nPost);
  if (nPre * nPost > 2 ** 31 - 1) fail(fn, "nPre·nPost", `be at most ${2 ** 31 - 1}`, nPre * nPost);
  const init = weightOption(fn, options);
  const w = fillWeights(fn, init, null, null, new Float32Array(nPre * nPost), nPre);
  return makeMatrix({
    storage: "dense", nPre, nPost, nSynapses: nPre * nPost, w, rowStart: null, post: null, weightIndex: null, conv: null,
  });
}

/**
 * A sparse projection with one weight per synapse of `connectivity` (an array `weight` is in CSR
 * order, i.e. row by row, and is copied).
 *
 * @example
 *   const m = sparseSynapses(allToAll(1000, 1), { weight: () => rng.uniform(0, 0.01) });
 */
export function sparseSynapses(connectivity: Connectivity, options: SynapseMatrixOptions): SynapseMatrix {
  const fn = "sparseSynapses";
  const c = checkConnectivity(fn, "connectivity", connectivity);
  const init = weightOption(fn, options);
  const pre = typeof init === "function" ? connectivityPairs(c).pre : null;
  const w = fillWeights(fn, init, pre, c.post, new Float32Array(c.post.length));
  return makeMatrix({
    storage: "sparse", nPre: c.nPre, nPost: c.nPost, nSynapses: c.post.length, w,
    rowStart: c.rowStart, post: c.post, weightIndex: null, conv: null,
  });
}

/**
 * A projection whose synapses all carry the one weight `weight` (a number), stored once: the
 * cheapest layout for fixed, equal weights such as the CUBA benchmark's. `m.w[0]` may be changed
 * later; a learning rule attached to it would move the one shared weight.
 *
 * @example
 *   const m = uniformSynapses(fixedProbability(3200, 4000, { p: 0.02, rng }), { weight: 1.62 * mV });
 */
export function uniformSynapses(connectivity: Connectivity, options: SynapseMatrixOptions): SynapseMatrix {
  const fn = "uniformSynapses";
  const c = checkConnectivity(fn, "connectivity", connectivity);
  const init = weightOption(fn, options);
  if (typeof init !== "number") fail(fn, "weight", "be a number (one weight for every synapse)", init);
  return makeMatrix({
    storage: "uniform", nPre: c.nPre, nPost: c.nPost, nSynapses: c.post.length, w: new Float32Array([init]),
    rowStart: c.rowStart, post: c.post, weightIndex: null, conv: null,
  });
}

/**
 * A projection whose synapse e (CSR order of `connectivity`) uses the weight `w[weightIndex[e]]`;
 * several synapses may share one weight. `weightIndex` is copied; `w` is copied too (the matrix
 * owns its weights). The general form behind `convSynapses`.
 *
 * @example
 *   const m = sharedSynapses(oneToOne(4), new Int32Array([0, 0, 1, 1]), new Float32Array([0.5, -0.5]));
 */
export function sharedSynapses(
  connectivity: Connectivity, weightIndex: ArrayLike<number>, w: ArrayLike<number>, conv: ConvGeometry | null = null,
): SynapseMatrix {
  const fn = "sharedSynapses";
  const c = checkConnectivity(fn, "connectivity", connectivity);
  lengthIs(fn, "weightIndex", weightIndex, c.post.length);
  if (w == null || typeof w.length !== "number") fail(fn, "w", "be an array of weights", w);
  const weights = fillWeights(fn, w, null, null, new Float32Array(w.length));
  const index = new Int32Array(c.post.length);
  for (let e = 0; e < index.length; e++) {
    const k = weightIndex[e];
    if (!Number.isInteger(k) || k < 0 || k >= weights.length) fail(fn, `weightIndex[${e}]`, `be an integer in [0, ${weights.length - 1}]`, k);
    index[e] = k;
  }
  return makeMatrix({
    storage: "shared", nPre: c.nPre, nPost: c.nPost, nSynapses: c.post.length, w: weights,
    rowStart: c.rowStart, post: c.post, weightIndex: index, conv,
  });
}

/** Fan-out of pre neuron `i` in `m` (nPost for "dense"). */
export function matrixFanOut(m: SynapseMatrix, i: number): number {
  checkMatrix("matrixFanOut", "m", m);
  if (!Number.isInteger(i) || i < 0 || i >= m.nPre) fail("matrixFanOut", "i", `be an integer in [0, ${m.nPre - 1}]`, i);
  return m.rowStart === null ? m.nPost : m.rowStart[i + 1] - m.rowStart[i];
}

/** Throws the standard error unless `m` is a SynapseMatrix (O(1) shape check). */
export function checkMatrix(fn: string, param: string, m: SynapseMatrix): SynapseMatrix {
  if (m === null || typeof m !== "object" || !(m.w instanceof Float32Array) ||
    !["dense", "sparse", "uniform", "shared"].includes(m.storage)) {
    fail(fn, param, "be a SynapseMatrix (denseSynapses, sparseSynapses, uniformSynapses, convSynapses)", m);
  }
  return m;
}

const accessCache = new WeakMap<SynapseMatrix, SynapseAccess>();

/**
 * The topology-free view of `m` for learning rules (`plasticity/synapse-access.ts`), built on
 * first use and cached: "dense" is `denseAccess` (no index memory), "sparse" a `sparseAccess`
 * over the CSR synapses, "uniform" and "shared" an `indexedAccess` whose weight indices point
 * into the shared `m.w`. The view keeps `m.w` itself, so updates through it change `m`.
 *
 * @example
 *   const traces = stdpInit(synapseAccess(m), p);
 */
export function synapseAccess(m: SynapseMatrix): SynapseAccess {
  checkMatrix("synapseAccess", "m", m);
  const cached = accessCache.get(m);
  if (cached) return cached;
  let access: SynapseAccess;
  if (m.storage === "dense") {
    access = denseAccess(m.w, m.nPre, m.nPost);
  } else {
    const { pre, post } = connectivityPairs({ nPre: m.nPre, nPost: m.nPost, rowStart: m.rowStart!, post: m.post! });
    if (m.storage === "sparse") access = sparseAccess(pre, post, m.w, m.nPre, m.nPost);
    else {
      const index = m.storage === "uniform" ? new Int32Array(post.length) : m.weightIndex!;
      access = indexedAccess(pre, post, index, m.w, m.nPre, m.nPost);
    }
  }
  accessCache.set(m, access);
  return access;
}
