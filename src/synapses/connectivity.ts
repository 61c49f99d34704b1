/**
 * Connectivity: which presynaptic neuron connects to which postsynaptic one, before any weight is
 * attached. A `Connectivity` lists the synapses as compressed sparse rows by presynaptic neuron
 * (CSR by pre), the layout that event-driven propagation walks: the targets of pre neuron i are
 *
 *   post[rowStart[i]], …, post[rowStart[i + 1] − 1]        (ascending within a row)
 *
 * so a spike of i costs its fan-out rowStart[i + 1] − rowStart[i], whatever the total number of
 * synapses. Synapse e (an index into `post`) is also the index of its weight and delay in the
 * synapse stores built on top (`synapse-matrix.ts`).
 *
 * Builders: `allToAll`, `oneToOne`, `fixedProbability` (every pair independently with
 * probability p, as Brian2's `connect(p=…)`), `fromPairs` (an explicit list).
 *
 * @example
 *   const c = fixedProbability(4000, 4000, { p: 0.02, rng: createRng(1) });
 *   c.post.length;                          // ≈ 320,000 synapses, ≈ 80 per post neuron
 *   fanOut(c, 7);                           // targets of pre neuron 7
 *   const { pre, post } = connectivityPairs(oneToOne(3));   // [0, 1, 2], [0, 1, 2]
 */
import { checkRng, type Rng } from "../core/random";
import { arrayLength, fail, lengthIs, mergeOptions, probability } from "../core/validate";

/** Synapses as compressed sparse rows by presynaptic neuron; see the file header. */
export interface Connectivity {
  /** Number of presynaptic neurons. */
  readonly nPre: number;
  /** Number of postsynaptic neurons. */
  readonly nPost: number;
  /** Row starts, length nPre + 1: pre neuron i owns the synapses [rowStart[i], rowStart[i + 1]). */
  readonly rowStart: Int32Array;
  /** Postsynaptic neuron of each synapse, ascending within each row (repeats are multapses). */
  readonly post: Int32Array;
}

/** The largest number of synapses an Int32 index can address. */
export const MAX_SYNAPSES = 2 ** 31 - 1;

const inspect = Symbol.for("nodejs.util.inspect.custom");

function describeConnectivity(this: Connectivity): string {
  const mean = this.nPost === 0 ? 0 : this.post.length / this.nPost;
  return `Connectivity(${this.nPre} pre → ${this.nPost} post, ${this.post.length} synapses, mean fan-in ${mean.toFixed(1)})`;
}

/** Freezes a checked CSR into a `Connectivity` (internal: the arrays are taken, not copied). */
export function makeConnectivity(nPre: number, nPost: number, rowStart: Int32Array, post: Int32Array): Connectivity {
  const c = { nPre, nPost, rowStart, post };
  Object.defineProperty(c, inspect, { value: describeConnectivity, enumerable: false });
  return Object.freeze(c);
}

function checkSizes(fn: string, nPre: number, nPost: number): void {
  arrayLength(fn, "nPre", nPre);
  arrayLength(fn, "nPost", nPost);
}

/**
 * Every pre neuron to every post neuron, nPre·nPost synapses (self-pairs i = j included, as
 * Brian2's `connect()`).
 *
 * @example
 *   allToAll(2, 3).post;   // Int32Array [0, 1, 2, 0, 1, 2]
 */
export function allToAll(nPre: number, nPost: number): Connectivity {
  const fn = "allToAll";
  checkSizes(fn, nPre, nPost);
  if (nPre * nPost > MAX_SYNAPSES) fail(fn, "nPre·nPost", `be at most ${MAX_SYNAPSES}`, nPre * nPost);
  const rowStart = new Int32Array(nPre + 1);
  const post = new Int32Array(nPre * nPost);
  for (let i = 0; i < nPre; i++) {
    rowStart[i + 1] = (i + 1) * nPost;
    for (let j = 0; j < nPost; j++) post[i * nPost + j] = j;
  }
  return makeConnectivity(nPre, nPost, rowStart, post);
}

/**
 * Pre neuron i to post neuron i, for i < size.
 *
 * @example
 *   oneToOne(3).rowStart;   // Int32Array [0, 1, 2, 3]
 */
export function oneToOne(size: number): Connectivity {
  arrayLength("oneToOne", "size", size);
  const rowStart = new Int32Array(size + 1);
  const post = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    rowStart[i + 1] = i + 1;
    post[i] = i;
  }
  return makeConnectivity(size, size, rowStart, post);
}

/** Options of `fixedProbability`. */
export interface FixedProbabilityOptions {
  /** Probability that a given (pre, post) pair is connected, in [0, 1]. */
  readonly p: number;
  /** The random stream (`createRng(seed)`). */
  readonly rng: Rng;
  /** Whether pairs with equal indices (i = j) may connect; true as in Brian2 (set false for a recurrent population without autapses). */
  readonly autapses: boolean;
}

/** Defaults of `fixedProbability` (p and rng have none and must be given). */
export const fixedProbabilityDefaults: Readonly<Omit<FixedProbabilityOptions, "p" | "rng">> = Object.freeze({ autapses: true });

/**
 * Every (pre, post) pair connects independently with probability `p` (Brian2's
 * `connect(p=…)`, PyNN's FixedProbabilityConnector): the fan-in is Binomial(nPre, p), mean nPre·p.
 *
 * Rows are drawn in order with geometric skips (the gap to the next connected post neuron is
 * Geometric(p)), so the cost is O(synapses), not O(nPre·nPost): a 64,000-neuron network at
 * p = 0.00125 is built from 5 million draws, not 4 billion. The same seed gives the same synapses.
 *
 * @example
 *   const c = fixedProbability(3200, 4000, { p: 0.02, rng: createRng(7) });
 */
export function fixedProbability(nPre: number, nPost: number, options: Partial<FixedProbabilityOptions> & Pick<FixedProbabilityOptions, "p" | "rng">): Connectivity {
  const fn = "fixedProbability";
  checkSizes(fn, nPre, nPost);
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {p, rng}", options);
  const o = mergeOptions<FixedProbabilityOptions>(fn, { p: NaN, rng: null as unknown as Rng, autapses: true }, options);
  const p = probability(fn, "p", o.p);
  const rng = checkRng(fn, "rng", o.rng);
  if (typeof o.autapses !== "boolean") fail(fn, "autapses", "be a boolean", o.autapses);
  const expected = nPre * nPost * p;
  if (expected > MAX_SYNAPSES / 2) fail(fn, "nPre·nPost·p", `be at most ${MAX_SYNAPSES / 2}`, expected);
  const rowStart = new Int32Array(nPre + 1);
  let post: Int32Array = new Int32Array(Math.max(16, Math.ceil(expected + 6 * Math.sqrt(expected + 1))));
  let n = 0;
  const logQ = Math.log1p(-p);
  for (let i = 0; i < nPre; i++) {
    if (p > 0) {
      let j = -1;
      for (;;) {
        // Gap to the next success of Bernoulli(p) trials: 1 + floor(ln(1 − u)/ln(1 − p)); p = 1 gives 1.
        j += p === 1 ? 1 : 1 + Math.floor(Math.log1p(-rng.next()) / logQ);
        if (j >= nPost) break;
        if (j === i && !o.autapses) continue;
        if (n === post.length) post = grow(post);
        post[n++] = j;
      }
    }
    rowStart[i + 1] = n;
  }
  return makeConnectivity(nPre, nPost, rowStart, post.slice(0, n));
}

function grow(a: Int32Array): Int32Array {
  const bigger = new Int32Array(Math.min(MAX_SYNAPSES, a.length * 2));
  bigger.set(a);
  return bigger;
}

/** Options of `fromPairs`. */
export interface FromPairsOptions {
  /** Number of presynaptic neurons. */
  readonly nPre: number;
  /** Number of postsynaptic neurons. */
  readonly nPost: number;
}

/**
 * Connectivity from an explicit list: synapse s connects `pre[s]` to `post[s]`. Pairs are sorted
 * by pre, then post (stable, so repeated pairs keep their order); the inputs are not mutated.
 * The returned `order` maps each CSR synapse e to the list index s it came from, so per-synapse
 * weights given in list order can be permuted with `w[e] = listWeights[order[e]]`.
 *
 * @example
 *   const { connectivity, order } = fromPairs([2, 0, 2], [1, 1, 0], { nPre: 3, nPost: 2 });
 *   connectivity.post;   // Int32Array [1, 0, 1]   (0→1, 2→0, 2→1)
 *   order;               // Int32Array [1, 2, 0]
 */
export function fromPairs(
  pre: ArrayLike<number>, post: ArrayLike<number>, options: FromPairsOptions,
): { readonly connectivity: Connectivity; readonly order: Int32Array } {
  const fn = "fromPairs";
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object {nPre, nPost}", options);
  const { nPre, nPost } = options;
  checkSizes(fn, nPre, nPost);
  if (pre == null || typeof pre.length !== "number") fail(fn, "pre", "be an array of indices", pre);
  lengthIs(fn, "post", post, pre.length);
  const n = pre.length;
  if (n > MAX_SYNAPSES) fail(fn, "pre.length", `be at most ${MAX_SYNAPSES}`, n);
  for (let s = 0; s < n; s++) {
    const i = pre[s];
    if (!Number.isInteger(i) || i < 0 || i >= nPre) fail(fn, `pre[${s}]`, `be an integer in [0, ${nPre - 1}]`, i);
    const j = post[s];
    if (!Number.isInteger(j) || j < 0 || j >= nPost) fail(fn, `post[${s}]`, `be an integer in [0, ${nPost - 1}]`, j);
  }
  const order = new Int32Array(n);
  for (let s = 0; s < n; s++) order[s] = s;
  order.sort((a, b) => pre[a] - pre[b] || post[a] - post[b] || a - b);
  const rowStart = new Int32Array(nPre + 1);
  const targets = new Int32Array(n);
  for (let e = 0; e < n; e++) {
    targets[e] = post[order[e]];
    rowStart[pre[order[e]] + 1]++;
  }
  for (let i = 0; i < nPre; i++) rowStart[i + 1] += rowStart[i];
  return Object.freeze({ connectivity: makeConnectivity(nPre, nPost, rowStart, targets), order });
}

/** Fan-out of pre neuron `i`: the number of its synapses. */
export function fanOut(c: Connectivity, i: number): number {
  checkConnectivity("fanOut", "c", c);
  if (!Number.isInteger(i) || i < 0 || i >= c.nPre) fail("fanOut", "i", `be an integer in [0, ${c.nPre - 1}]`, i);
  return c.rowStart[i + 1] - c.rowStart[i];
}

/** Fan-in of every post neuron (the number of synapses onto it), an Int32Array of length nPost. */
export function fanIn(c: Connectivity): Int32Array {
  checkConnectivity("fanIn", "c", c);
  const counts = new Int32Array(c.nPost);
  const post = c.post;
  for (let e = 0; e < post.length; e++) counts[post[e]]++;
  return counts;
}

/** The synapses as two parallel lists in CSR order: synapse e connects pre[e] to post[e] (post is copied). */
export function connectivityPairs(c: Connectivity): { readonly pre: Int32Array; readonly post: Int32Array } {
  checkConnectivity("connectivityPairs", "c", c);
  const pre = new Int32Array(c.post.length);
  for (let i = 0; i < c.nPre; i++) pre.fill(i, c.rowStart[i], c.rowStart[i + 1]);
  return Object.freeze({ pre, post: c.post.slice() });
}

/** Throws the standard error unless `c` is a well-formed Connectivity (O(synapses)). */
export function checkConnectivity(fn: string, param: string, c: Connectivity): Connectivity {
  if (c === null || typeof c !== "object" || !(c.rowStart instanceof Int32Array) || !(c.post instanceof Int32Array)) {
    fail(fn, param, "be a Connectivity (allToAll, oneToOne, fixedProbability, fromPairs)", c);
  }
  checkSizes(fn, c.nPre, c.nPost);
  lengthIs(fn, `${param}.rowStart`, c.rowStart, c.nPre + 1);
  if (c.rowStart[0] !== 0 || c.rowStart[c.nPre] !== c.post.length) {
    fail(fn, `${param}.rowStart`, `run from 0 to ${c.post.length}`, `[${c.rowStart[0]}, …, ${c.rowStart[c.nPre]}]`);
  }
  for (let i = 0; i < c.nPre; i++) {
    if (c.rowStart[i + 1] < c.rowStart[i]) fail(fn, `${param}.rowStart[${i + 1}]`, `be >= rowStart[${i}]`, c.rowStart[i + 1]);
  }
  for (let e = 0; e < c.post.length; e++) {
    const j = c.post[e];
    if (j < 0 || j >= c.nPost) fail(fn, `${param}.post[${e}]`, `be an integer in [0, ${c.nPost - 1}]`, j);
  }
  return c;
}
