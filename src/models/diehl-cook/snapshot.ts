/**
 * Diehl & Cook (2015), part of `models/diehl-cook/` (the network is described in index.ts): the learned state as plain data (`diehlCookSnapshot`, `diehlCookRestore`) and its binary format (`diehlCookEncode`, `diehlCookDecode`).
 */
import { fail, integer, lengthIs } from "../../core/validate";
import { type DiehlCookNetwork, assemble } from "./network";
import { type DiehlCookNetworkParams, diehlCookNetworkParams } from "./params";
import { trainedSamples } from "./run";
import { checkNetwork } from "./simulate";

/** The learned state of a network, as plain data: copies, JSON-friendly apart from the typed arrays. */
export interface DiehlCookSnapshot {
  readonly params: DiehlCookNetworkParams;
  /** [input][neuron]. */
  readonly weights: Float32Array;
  /** θ of each excitatory neuron, mV. */
  readonly theta: Float64Array;
  /** Delays, steps, [input][neuron]. */
  readonly delays: Uint8Array;
  /** Labels of the excitatory neurons, or null when not yet assigned. */
  readonly assignments: Int32Array | null;
  /**
   * Training samples the network had learned from (what `evaluationLog` records for its
   * evaluations); absent: 0, an untrained network.
   */
  readonly trainedSamples?: number;
}

/**
 * Copies the learned state (weights, θ, delays, the number of training samples, and `assignments`
 * if given) out of `net`.
 *
 * @example
 *   const saved = diehlCookSnapshot(net, assignments);
 *   const copy = diehlCookRestore(saved);                       // same weights and θ, at rest
 */
export function diehlCookSnapshot(net: DiehlCookNetwork, assignments?: Int32Array): DiehlCookSnapshot {
  const fn = "diehlCookSnapshot";
  checkNetwork(fn, net);
  if (assignments !== undefined) {
    if (!(assignments instanceof Int32Array)) fail(fn, "assignments", "be an Int32Array", assignments);
    lengthIs(fn, "assignments", assignments, net.params.neurons);
  }
  return {
    params: net.params,
    weights: net.weights.slice(),
    theta: net.excitatory.theta.slice(),
    delays: net.delays.slice(),
    assignments: assignments ? assignments.slice() : null,
    trainedSamples: trainedSamples.get(net) ?? 0,
  };
}

/**
 * A new network, at rest, with the learned state of `snapshot` (copied); it counts as trained on
 * `snapshot.trainedSamples` samples in the evaluation log.
 */
export function diehlCookRestore(snapshot: DiehlCookSnapshot): DiehlCookNetwork {
  const fn = "diehlCookRestore";
  if (snapshot === null || typeof snapshot !== "object") fail(fn, "snapshot", "be a DiehlCookSnapshot", snapshot);
  const p = diehlCookNetworkParams(snapshot.params);
  const size = p.inputs * p.neurons;
  if (!(snapshot.weights instanceof Float32Array)) fail(fn, "snapshot.weights", "be a Float32Array", snapshot.weights);
  lengthIs(fn, "snapshot.weights", snapshot.weights, size);
  if (!(snapshot.theta instanceof Float64Array)) fail(fn, "snapshot.theta", "be a Float64Array", snapshot.theta);
  lengthIs(fn, "snapshot.theta", snapshot.theta, p.neurons);
  if (!(snapshot.delays instanceof Uint8Array)) fail(fn, "snapshot.delays", "be a Uint8Array", snapshot.delays);
  lengthIs(fn, "snapshot.delays", snapshot.delays, size);
  for (let k = 0; k < size; k++) {
    const v = snapshot.weights[k]!;
    if (!Number.isFinite(v)) fail(fn, `snapshot.weights[${k}]`, "be a finite number", v);
  }
  const trained = snapshot.trainedSamples === undefined ? 0 : integer(fn, "snapshot.trainedSamples", snapshot.trainedSamples, 0);
  const net = assemble(p, snapshot.weights.slice(), snapshot.delays.slice(), snapshot.theta);
  if (trained > 0) trainedSamples.set(net, trained);
  return net;
}

const MAGIC = 0x31434453; // "SDC1", little-endian

/**
 * Encodes a snapshot as bytes (for `fs.writeFileSync`): a 4-byte tag, the JSON of the parameters
 * and shapes, then the weights (float32), θ (float64), delays (uint8) and assignments (int32), all
 * little-endian. `diehlCookDecode` reads it back.
 */
export function diehlCookEncode(snapshot: DiehlCookSnapshot): Uint8Array {
  const fn = "diehlCookEncode";
  if (snapshot === null || typeof snapshot !== "object") fail(fn, "snapshot", "be a DiehlCookSnapshot", snapshot);
  if (!(snapshot.weights instanceof Float32Array) || !(snapshot.theta instanceof Float64Array) || !(snapshot.delays instanceof Uint8Array)) {
    fail(fn, "snapshot", "be a DiehlCookSnapshot (weights Float32Array, theta Float64Array, delays Uint8Array; from diehlCookSnapshot)", snapshot);
  }
  if (snapshot.assignments !== null && snapshot.assignments !== undefined && !(snapshot.assignments instanceof Int32Array)) fail(fn, "snapshot.assignments", "be an Int32Array or null", snapshot.assignments);
  const header = new TextEncoder().encode(JSON.stringify({
    params: snapshot.params, weights: snapshot.weights.length, theta: snapshot.theta.length,
    delays: snapshot.delays.length, assignments: snapshot.assignments ? snapshot.assignments.length : -1,
    trainedSamples: snapshot.trainedSamples ?? 0,
  }));
  const headerEnd = 8 + header.length;
  const weightsAt = align(headerEnd, 8);
  const thetaAt = align(weightsAt + 4 * snapshot.weights.length, 8);
  const delaysAt = thetaAt + 8 * snapshot.theta.length;
  const assignmentsAt = align(delaysAt + snapshot.delays.length, 8);
  const total = assignmentsAt + 4 * (snapshot.assignments ? snapshot.assignments.length : 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  bytes.set(header, 8);
  snapshot.weights.forEach((v, k) => view.setFloat32(weightsAt + 4 * k, v, true));
  snapshot.theta.forEach((v, k) => view.setFloat64(thetaAt + 8 * k, v, true));
  bytes.set(snapshot.delays, delaysAt);
  snapshot.assignments?.forEach((v, k) => view.setInt32(assignmentsAt + 4 * k, v, true));
  return bytes;
}

function align(offset: number, to: number): number {
  return Math.ceil(offset / to) * to;
}

/** Reads bytes written by `diehlCookEncode`; throws the standard error on anything else. */
export function diehlCookDecode(bytes: Uint8Array): DiehlCookSnapshot {
  const fn = "diehlCookDecode";
  if (!(bytes instanceof Uint8Array)) fail(fn, "bytes", "be a Uint8Array", bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0, true) !== MAGIC) fail(fn, "bytes", "start with the tag of diehlCookEncode", bytes);
  const headerLength = view.getUint32(4, true);
  let header: { params: DiehlCookNetworkParams; weights: number; theta: number; delays: number; assignments: number; trainedSamples?: number };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    fail(fn, "bytes", "hold the JSON header of diehlCookEncode", bytes);
  }
  const weightsAt = align(8 + headerLength, 8);
  const thetaAt = align(weightsAt + 4 * header.weights, 8);
  const delaysAt = thetaAt + 8 * header.theta;
  const assignmentsAt = align(delaysAt + header.delays, 8);
  const total = assignmentsAt + 4 * Math.max(header.assignments, 0);
  if (bytes.length !== total) fail(fn, "bytes", `have length ${total} (from its header)`, bytes.length);
  const weights = new Float32Array(header.weights);
  for (let k = 0; k < weights.length; k++) weights[k] = view.getFloat32(weightsAt + 4 * k, true);
  const theta = new Float64Array(header.theta);
  for (let k = 0; k < theta.length; k++) theta[k] = view.getFloat64(thetaAt + 8 * k, true);
  const delays = bytes.slice(delaysAt, delaysAt + header.delays);
  let assignments: Int32Array | null = null;
  if (header.assignments >= 0) {
    assignments = new Int32Array(header.assignments);
    for (let k = 0; k < assignments.length; k++) assignments[k] = view.getInt32(assignmentsAt + 4 * k, true);
  }
  return { params: diehlCookNetworkParams(header.params), weights, theta, delays, assignments, trainedSamples: header.trainedSamples ?? 0 };
}
