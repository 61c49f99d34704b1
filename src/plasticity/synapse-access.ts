/**
 * How a learning rule reaches its synapses without knowing the topology (house style C5): the rule
 * sees a `SynapseAccess`, and the adapter, not the rule, knows whether the projection is dense,
 * sparse or convolutional.
 *
 * A projection from `nPre` to `nPost` neurons has `nSynapses` synapses. Each synapse has a
 * presynaptic neuron, a postsynaptic neuron and a weight index into `w`; several synapses may share
 * one weight index (a convolution's shared kernel). Two row views list the same synapses:
 *
 *   byPost: row j = the synapses onto post neuron j;  an entry's partner is a pre index
 *   byPre:  row i = the synapses from pre neuron i;   an entry's partner is a post index
 *
 * Row r owns the entries e ∈ [start[r], end[r]), and entry e stands for the synapse with
 *
 *   partner      = partnerBase[r] + partner[e]
 *   weight index = weightBase[r]  + weight[e]
 *
 * This is compressed sparse rows in the four-array form (separate row starts and ends, as in
 * MKL's CSR variant) plus one affine offset per row. The offsets let rows share one entry list, so
 * a dense matrix `w[post·nPre + pre]` is the special case with implicit indices:
 *
 *   byPost: start 0, end nPre,  partnerBase 0, weightBase j·nPre, partner[t] = t, weight[t] = t
 *   byPre:  start 0, end nPost, partnerBase 0, weightBase i,      partner[t] = t, weight[t] = t·nPre
 *
 * which costs O(nPre + nPost) index memory instead of O(nPre·nPost). A sparse (CSR) projection
 * has zero bases and explicit entries. A convolution can share entry lists between the rows of one
 * kernel and use weightBase for the output channel. Updating every synapse of one post or one pre
 * neuron is O(fan) in all cases; a rule's inner loop reads
 *
 *   const rows = access.byPost;
 *   const pb = rows.partnerBase[j], wb = rows.weightBase[j];
 *   for (let e = rows.start[j]; e < rows.end[j]; e++) {
 *     const i = pb + rows.partner[e], k = wb + rows.weight[e];
 *     access.w[k] += …;
 *   }
 *
 * The access is a view: it keeps the caller's `w` (never a copy), and rules update it in place.
 *
 * @example
 *   const w = new Float32Array(3 * 2).fill(0.5);      // 2 post × 3 pre, row-major [post][pre]
 *   const dense = denseAccess(w, 3, 2);
 *   const sparse = sparseAccess([0, 2], [1, 1], new Float32Array([0.1, 0.2]), 3, 2); // 0→1, 2→1
 *   forEachSynapse(sparse, (pre, post, k) => console.log(pre, post, sparse.w[k]));
 */
import { arrayLength, arrayLike, fail, integer, lengthIs } from "../core/validate";

/** One row view (by post or by pre neuron) of a projection's synapses; see the file header. */
export interface SynapseRows {
  /** First entry of each row. */
  readonly start: Int32Array;
  /** One past the last entry of each row. */
  readonly end: Int32Array;
  /** Added to `partner[e]` to give the partner neuron of row r's entries. */
  readonly partnerBase: Int32Array;
  /** Added to `weight[e]` to give the weight index of row r's entries. */
  readonly weightBase: Int32Array;
  /** Partner neuron of each entry, before adding the row's partnerBase. */
  readonly partner: Int32Array;
  /** Weight index of each entry, before adding the row's weightBase. */
  readonly weight: Int32Array;
}

/** The topology-free view of a projection that every learning rule uses; see the file header. */
export interface SynapseAccess {
  /** Adapter that built the view ("dense", "sparse", "indexed", …), for printing only: rules never branch on it. */
  readonly kind: string;
  /** Number of presynaptic neurons. */
  readonly nPre: number;
  /** Number of postsynaptic neurons. */
  readonly nPost: number;
  /** Number of synapses (pre/post pairs, counted with multiplicity). */
  readonly nSynapses: number;
  /** True when some weight index is used by more than one synapse (shared weights). */
  readonly sharedWeights: boolean;
  /** The weights, updated in place by the rules; weight units. */
  readonly w: Float32Array;
  /** Rows indexed by post neuron (partners are pre indices); `nPost` rows. */
  readonly byPost: SynapseRows;
  /** Rows indexed by pre neuron (partners are post indices); `nPre` rows. */
  readonly byPre: SynapseRows;
}

const inspect = Symbol.for("nodejs.util.inspect.custom");

function describeAccess(this: SynapseAccess): string {
  return `SynapseAccess(${this.kind}, ${this.nPre} pre → ${this.nPost} post, ${this.nSynapses} synapses` +
    `${this.sharedWeights ? `, ${this.w.length} shared weights` : ""})`;
}

function freezeAccess(access: SynapseAccess): SynapseAccess {
  Object.defineProperty(access, inspect, { value: describeAccess, enumerable: false });
  return Object.freeze(access);
}

const MAX_INDEX = 2 ** 31 - 1;

/**
 * A view of the dense weight matrix `w` (row-major [post][pre], length nPre·nPost), with implicit
 * indices. `w` is kept, not copied: rules update it in place.
 */
export function denseAccess(w: Float32Array, nPre: number, nPost: number): SynapseAccess {
  const fn = "denseAccess";
  if (!(w instanceof Float32Array)) fail(fn, "w", "be a Float32Array", w);
  arrayLength(fn, "nPre", nPre);
  arrayLength(fn, "nPost", nPost);
  if (nPre * nPost > MAX_INDEX) fail(fn, "nPre·nPost", `be at most ${MAX_INDEX}`, nPre * nPost);
  lengthIs(fn, "w", w, nPre * nPost);
  const byPost: SynapseRows = {
    start: new Int32Array(nPost),
    end: new Int32Array(nPost).fill(nPre),
    partnerBase: new Int32Array(nPost),
    weightBase: new Int32Array(nPost),
    partner: new Int32Array(nPre),
    weight: new Int32Array(nPre),
  };
  for (let j = 0; j < nPost; j++) byPost.weightBase[j] = j * nPre;
  for (let t = 0; t < nPre; t++) byPost.partner[t] = byPost.weight[t] = t;
  const byPre: SynapseRows = {
    start: new Int32Array(nPre),
    end: new Int32Array(nPre).fill(nPost),
    partnerBase: new Int32Array(nPre),
    weightBase: new Int32Array(nPre),
    partner: new Int32Array(nPost),
    weight: new Int32Array(nPost),
  };
  for (let i = 0; i < nPre; i++) byPre.weightBase[i] = i;
  for (let t = 0; t < nPost; t++) {
    byPre.partner[t] = t;
    byPre.weight[t] = t * nPre;
  }
  return freezeAccess({
    kind: "dense", nPre, nPost, nSynapses: nPre * nPost, sharedWeights: false, w, byPost, byPre,
  });
}

/**
 * A view of a sparse projection given as a synapse list: synapse s connects `pre[s]` to `post[s]`
 * with weight `w[s]`. Pairs may repeat (multapses). Index arrays are copied; `w` is kept.
 */
export function sparseAccess(
  pre: ArrayLike<number>, post: ArrayLike<number>, w: Float32Array, nPre: number, nPost: number,
): SynapseAccess {
  const fn = "sparseAccess";
  if (!(w instanceof Float32Array)) fail(fn, "w", "be a Float32Array", w);
  lengthIs(fn, "pre", pre, w.length);
  const identity = new Int32Array(w.length);
  for (let s = 0; s < identity.length; s++) identity[s] = s;
  return buildIndexed(fn, "sparse", pre, post, identity, w, nPre, nPost);
}

/**
 * The general explicit view: synapse s connects `pre[s]` to `post[s]` and uses the weight
 * `w[weightIndex[s]]`; weight indices may repeat (shared weights, e.g. a convolution listed
 * synapse by synapse). Index arrays are copied; `w` is kept.
 */
export function indexedAccess(
  pre: ArrayLike<number>, post: ArrayLike<number>, weightIndex: ArrayLike<number>, w: Float32Array,
  nPre: number, nPost: number,
): SynapseAccess {
  const fn = "indexedAccess";
  if (!(w instanceof Float32Array)) fail(fn, "w", "be a Float32Array", w);
  return buildIndexed(fn, "indexed", pre, post, weightIndex, w, nPre, nPost);
}

function buildIndexed(
  fn: string, kind: string, pre: ArrayLike<number>, post: ArrayLike<number>, weightIndex: ArrayLike<number>,
  w: Float32Array, nPre: number, nPost: number,
): SynapseAccess {
  arrayLength(fn, "nPre", nPre);
  arrayLength(fn, "nPost", nPost);
  arrayLike(fn, "pre", pre);
  arrayLike(fn, "post", post);
  arrayLike(fn, "weightIndex", weightIndex);
  const n = pre.length;
  lengthIs(fn, "post", post, n);
  lengthIs(fn, "weightIndex", weightIndex, n);
  checkIndices(fn, "pre", pre, nPre);
  checkIndices(fn, "post", post, nPost);
  checkIndices(fn, "weightIndex", weightIndex, w.length);
  const uses = new Uint8Array(w.length);
  let sharedWeights = false;
  for (let s = 0; s < n; s++) {
    if (uses[weightIndex[s]]) sharedWeights = true;
    uses[weightIndex[s]] = 1;
  }
  return freezeAccess({
    kind, nPre, nPost, nSynapses: n, sharedWeights, w,
    byPost: csrRows(post, pre, weightIndex, nPost),
    byPre: csrRows(pre, post, weightIndex, nPre),
  });
}

function checkIndices(fn: string, param: string, values: ArrayLike<number>, bound: number): void {
  for (let s = 0; s < values.length; s++) {
    const v = values[s];
    if (!Number.isInteger(v) || v < 0 || v >= bound) fail(fn, `${param}[${s}]`, `be an integer in [0, ${bound - 1}]`, v);
  }
}

/** Counting sort of the synapses by `row`, stable in synapse order. */
function csrRows(row: ArrayLike<number>, partnerOf: ArrayLike<number>, weightIndex: ArrayLike<number>, rows: number): SynapseRows {
  const n = row.length;
  const start = new Int32Array(rows);
  const end = new Int32Array(rows);
  for (let s = 0; s < n; s++) end[row[s]]++;
  let offset = 0;
  for (let r = 0; r < rows; r++) {
    start[r] = offset;
    offset += end[r];
    end[r] = start[r];
  }
  const partner = new Int32Array(n);
  const weight = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const e = end[row[s]]++;
    partner[e] = partnerOf[s];
    weight[e] = weightIndex[s];
  }
  return { start, end, partnerBase: new Int32Array(rows), weightBase: new Int32Array(rows), partner, weight };
}

/**
 * Checks that `access` is a well-formed view: sizes, row arrays, and every partner and weight index
 * in range (O(number of entries), so rules call it once, in their `init`, not every step).
 */
export function checkSynapseAccess(fn: string, access: SynapseAccess): SynapseAccess {
  if (access === null || typeof access !== "object") fail(fn, "access", "be a SynapseAccess", access);
  if (!(access.w instanceof Float32Array)) fail(fn, "access.w", "be a Float32Array", access.w);
  integer(fn, "access.nPre", access.nPre, 0);
  integer(fn, "access.nPost", access.nPost, 0);
  checkRows(fn, "access.byPost", access.byPost, access.nPost, access.nPre, access.w.length);
  checkRows(fn, "access.byPre", access.byPre, access.nPre, access.nPost, access.w.length);
  return access;
}

function checkRows(fn: string, name: string, rows: SynapseRows, count: number, partners: number, weights: number): void {
  if (rows === null || typeof rows !== "object") fail(fn, name, "be a SynapseRows view", rows);
  for (const key of ["start", "end", "partnerBase", "weightBase"] as const) {
    if (!(rows[key] instanceof Int32Array)) fail(fn, `${name}.${key}`, "be an Int32Array", rows[key]);
    lengthIs(fn, `${name}.${key}`, rows[key], count);
  }
  for (const key of ["partner", "weight"] as const) {
    if (!(rows[key] instanceof Int32Array)) fail(fn, `${name}.${key}`, "be an Int32Array", rows[key]);
  }
  lengthIs(fn, `${name}.weight`, rows.weight, rows.partner.length);
  for (let r = 0; r < count; r++) {
    const s = rows.start[r];
    const e = rows.end[r];
    if (s < 0 || e < s || e > rows.partner.length) {
      fail(fn, `${name} row ${r}`, `span entries within [0, ${rows.partner.length}]`, `[${s}, ${e})`);
    }
    const pb = rows.partnerBase[r];
    const wb = rows.weightBase[r];
    for (let k = s; k < e; k++) {
      const partner = pb + rows.partner[k];
      if (partner < 0 || partner >= partners) fail(fn, `${name} row ${r} partner`, `be in [0, ${partners - 1}]`, partner);
      const weight = wb + rows.weight[k];
      if (weight < 0 || weight >= weights) fail(fn, `${name} row ${r} weight index`, `be in [0, ${weights - 1}]`, weight);
    }
  }
}

/**
 * The cheap per-step check that `access` is a SynapseAccess (O(1); the full O(entries) check is
 * `checkSynapseAccess`, which rules run in their `init`).
 */
export function checkAccessShape(fn: string, access: SynapseAccess): void {
  if (access === null || typeof access !== "object" || !(access.w instanceof Float32Array) ||
    access.byPost == null || access.byPre == null) {
    fail(fn, "access", "be a SynapseAccess", access);
  }
}

/**
 * Calls `visit(pre, post, weightIndex)` for every synapse, post neuron by post neuron. A
 * convenience for analysis and tests; rules loop over rows directly (see the file header).
 */
export function forEachSynapse(access: SynapseAccess, visit: (pre: number, post: number, weightIndex: number) => void): void {
  checkSynapseAccess("forEachSynapse", access);
  if (typeof visit !== "function") fail("forEachSynapse", "visit", "be a function (pre, post, weightIndex) => void", visit);
  const rows = access.byPost;
  for (let j = 0; j < access.nPost; j++) {
    const pb = rows.partnerBase[j];
    const wb = rows.weightBase[j];
    for (let e = rows.start[j]; e < rows.end[j]; e++) visit(pb + rows.partner[e], j, wb + rows.weight[e]);
  }
}
