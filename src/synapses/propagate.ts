/**
 * Event-driven spike propagation: for each presynaptic spike, its outgoing row is added into the
 * postsynaptic input buffer,
 *
 *   out[offset + post(e)] += w(e)        for every synapse e of every spiking pre neuron,
 *
 * so the cost is Σ_spikes fan-out, the number of synaptic operations (SOPs), and never the total
 * number of synapses: silent neurons cost nothing. Every function returns the SOPs it performed.
 *
 * One kernel per storage layout (`synapse-matrix.ts`), each a plain loop over typed arrays with no
 * calls inside, so that the JIT sees one shape per loop:
 *
 *   dense    out[j] += w[j·nPre + i]  for every post j (fan-out nPost)
 *   sparse   out[post[e]] += w[e]       (out[j] += w[i·nPost + j] when every row is complete)
 *   uniform  out[post[e]] += w[0]
 *   shared   out[post[e]] += w[weightIndex[e]]
 *
 * With delays, `propagateDelayed` adds synapse e of a spike emitted in step s into the ring slot of
 * step s + 1 + delays[e] (`delays.ts`). A delay that is the same for the whole projection needs no
 * per-synapse array: pass that slot's offset to `propagate` instead.
 *
 * @example
 *   const m = sparseSynapses(fromPairs([0, 0, 1], [1, 2, 2], { nPre: 2, nPost: 3 }).connectivity,
 *                            { weight: new Float32Array([0.5, 0.25, 1]) });
 *   const out = new Float32Array(3);
 *   propagate(m, new Int32Array([0]), 1, out);     // returns 2 SOPs; out = [0, 0.5, 0.25]
 */
import { fail, integer, lengthIs } from "../core/validate";
import { markSlot, ringOffset, type DelayRing } from "./delays";
import { checkMatrix, type SynapseMatrix } from "./synapse-matrix";

function checkSpikes(fn: string, m: SynapseMatrix, spikeIds: Int32Array, count: number): void {
  if (!(spikeIds instanceof Int32Array)) fail(fn, "spikeIds", "be an Int32Array", spikeIds);
  integer(fn, "count", count, 0);
  if (count > spikeIds.length) fail(fn, "count", `be at most spikeIds.length (${spikeIds.length})`, count);
  for (let s = 0; s < count; s++) {
    const i = spikeIds[s];
    if (i < 0 || i >= m.nPre) fail(fn, `spikeIds[${s}]`, `be an integer in [0, ${m.nPre - 1}]`, i);
  }
}

/**
 * Adds the synaptic events of the `count` spiking pre neurons `spikeIds[0…count)` into
 * `out[offset + post]`, in place; returns the SOPs (Σ fan-out). `m` and `spikeIds` are read only.
 */
export function propagate(m: SynapseMatrix, spikeIds: Int32Array, count: number, out: Float32Array, offset = 0): number {
  const fn = "propagate";
  checkMatrix(fn, "m", m);
  checkSpikes(fn, m, spikeIds, count);
  if (!(out instanceof Float32Array)) fail(fn, "out", "be a Float32Array", out);
  integer(fn, "offset", offset, 0);
  if (offset + m.nPost > out.length) fail(fn, "out", `have at least offset + nPost = ${offset + m.nPost} elements`, out.length);
  return propagateUnchecked(m, spikeIds, count, out, offset);
}

/** `propagate` without the checks: for the simulation loop, whose spike lists are valid by construction. */
export function propagateUnchecked(m: SynapseMatrix, spikeIds: Int32Array, count: number, out: Float32Array, offset: number): number {
  switch (m.storage) {
    case "dense":
      return propagateDense(m.w, m.nPre, m.nPost, spikeIds, count, out, offset);
    case "sparse":
      return m.completeRows
        ? propagateCompleteRows(m.w, m.nPost, spikeIds, count, out, offset)
        : propagateSparse(m.rowStart!, m.post!, m.w, spikeIds, count, out, offset);
    case "uniform":
      return propagateUniform(m.rowStart!, m.post!, m.w[0], spikeIds, count, out, offset);
    default:
      return propagateShared(m.rowStart!, m.post!, m.weightIndex!, m.w, spikeIds, count, out, offset);
  }
}

function propagateDense(
  w: Float32Array, nPre: number, nPost: number, spikeIds: Int32Array, count: number, out: Float32Array, offset: number,
): number {
  for (let s = 0; s < count; s++) {
    const i = spikeIds[s];
    for (let j = 0, k = i; j < nPost; j++, k += nPre) out[offset + j] += w[k];
  }
  return count * nPost;
}

// All-to-all stored by pre: row i is w[i·nPost …], contiguous, with no index to read.
function propagateCompleteRows(
  w: Float32Array, nPost: number, spikeIds: Int32Array, count: number, out: Float32Array, offset: number,
): number {
  for (let s = 0; s < count; s++) {
    const base = spikeIds[s] * nPost;
    for (let j = 0; j < nPost; j++) out[offset + j] += w[base + j];
  }
  return count * nPost;
}

function propagateSparse(
  rowStart: Int32Array, post: Int32Array, w: Float32Array, spikeIds: Int32Array, count: number, out: Float32Array, offset: number,
): number {
  let sops = 0;
  for (let s = 0; s < count; s++) {
    const i = spikeIds[s];
    const start = rowStart[i];
    const end = rowStart[i + 1];
    for (let e = start; e < end; e++) out[offset + post[e]] += w[e];
    sops += end - start;
  }
  return sops;
}

function propagateUniform(
  rowStart: Int32Array, post: Int32Array, weight: number, spikeIds: Int32Array, count: number, out: Float32Array, offset: number,
): number {
  let sops = 0;
  for (let s = 0; s < count; s++) {
    const i = spikeIds[s];
    const start = rowStart[i];
    const end = rowStart[i + 1];
    for (let e = start; e < end; e++) out[offset + post[e]] += weight;
    sops += end - start;
  }
  return sops;
}

function propagateShared(
  rowStart: Int32Array, post: Int32Array, weightIndex: Int32Array, w: Float32Array, spikeIds: Int32Array, count: number,
  out: Float32Array, offset: number,
): number {
  let sops = 0;
  for (let s = 0; s < count; s++) {
    const i = spikeIds[s];
    const start = rowStart[i];
    const end = rowStart[i + 1];
    for (let e = start; e < end; e++) out[offset + post[e]] += w[weightIndex[e]];
    sops += end - start;
  }
  return sops;
}

/**
 * Propagation with one delay per synapse: synapse e of a spike emitted in step `step` is added into
 * the ring slot of step `step + 1 + delays[e]`, in place (`delays` in steps, CSR order, each at most
 * ring.slots − 1). Returns the SOPs. Not for "dense" matrices, whose delay is one per projection.
 */
export function propagateDelayed(
  m: SynapseMatrix, delays: Int32Array, spikeIds: Int32Array, count: number, ring: DelayRing, step: number,
): number {
  const fn = "propagateDelayed";
  checkMatrix(fn, "m", m);
  if (m.storage === "dense") fail(fn, "m", "have a sparse, uniform or shared layout (a dense projection takes one delay)", m.storage);
  if (!(delays instanceof Int32Array)) fail(fn, "delays", "be an Int32Array", delays);
  lengthIs(fn, "delays", delays, m.nSynapses);
  for (let e = 0; e < delays.length; e++) {
    if (delays[e] < 0 || delays[e] >= ring.slots) fail(fn, `delays[${e}]`, `be an integer in [0, ${ring.slots - 1}]`, delays[e]);
  }
  if (ring.size !== m.nPost) fail(fn, "ring.size", `be nPost (${m.nPost})`, ring.size);
  integer(fn, "step", step, 0);
  checkSpikes(fn, m, spikeIds, count);
  return propagateDelayedUnchecked(m, delays, spikeIds, count, ring, step);
}

/** `propagateDelayed` without the checks (simulation loop). */
export function propagateDelayedUnchecked(
  m: SynapseMatrix, delays: Int32Array, spikeIds: Int32Array, count: number, ring: DelayRing, step: number,
): number {
  if (count === 0) return 0;
  const rowStart = m.rowStart!;
  const post = m.post!;
  const w = m.w;
  const weightIndex = m.weightIndex;
  const uniform = m.storage === "uniform";
  const buffer = ring.buffer;
  const size = ring.size;
  const slots = ring.slots;
  const first = (step + 1) % slots;
  let sops = 0;
  for (let s = 0; s < count; s++) {
    const i = spikeIds[s];
    const start = rowStart[i];
    const end = rowStart[i + 1];
    for (let e = start; e < end; e++) {
      let slot = first + delays[e];
      if (slot >= slots) slot -= slots;
      buffer[slot * size + post[e]] += uniform ? w[0] : weightIndex === null ? w[e] : w[weightIndex[e]];
    }
    sops += end - start;
  }
  // Every slot may have been written: flag them all (cheap, slots ≪ size).
  for (let d = 0; d < slots; d++) markSlot(ring, step + 1 + d);
  return sops;
}

/** Offset of the ring slot that receives a spike of step `step` with delay `delay` (for `propagate`). */
export function delayedOffset(ring: DelayRing, step: number, delay: number): number {
  return ringOffset(ring, step + 1 + delay);
}
