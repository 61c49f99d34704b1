/**
 * Transmission delays as a ring buffer of future input per postsynaptic neuron (the scheme of
 * Morrison et al. 2005 and NEST): a spike emitted in step s with a delay of d steps is added into
 * the slot of step s + 1 + d, and at the start of every step the slot of that step is delivered
 * (added into the target) and cleared. A delay of 0 therefore acts at the start of the next step,
 * Brian2's order for a zero delay (`on_pre` runs after the threshold of step s, the state update of
 * step s + 1 sees it); a delay of d steps is d·dt later.
 *
 * With slots = maxDelay + 1 every pending arrival has its own slot. Delays are in steps (integers),
 * so they are exact; a delay in ms is `Math.round(delay / dt)` steps. Each slot has a dirty flag, so
 * a step in which nothing arrives costs O(1), not O(size).
 *
 * @example
 *   const ring = delayRing(3, 2);                 // 3 neurons, delays up to 2 steps
 *   ring.buffer[ringOffset(ring, 5) + 1] += 0.5;  // arrives at neuron 1 at the start of step 5
 *   markSlot(ring, 5);
 *   const target = new Float32Array(3);
 *   deliverRing(ring, 5, target);                 // target = [0, 0.5, 0]; the slot is cleared
 */
import { arrayLength, fail } from "../core/validate";

/** A ring of `slots` future-input buffers of `size` neurons each. */
export interface DelayRing {
  /** Number of postsynaptic neurons. */
  readonly size: number;
  /** Number of slots, maxDelay + 1. */
  readonly slots: number;
  /** The buffers, slot-major: slot q holds buffer[q·size … (q + 1)·size), in the target's unit. */
  readonly buffer: Float32Array;
  /** 1 where a slot may hold events (set by `markSlot`, cleared by `deliverRing`). */
  readonly dirty: Uint8Array;
}

/** A cleared ring for `size` neurons and delays of 0…maxDelay steps. */
export function delayRing(size: number, maxDelay: number): DelayRing {
  arrayLength("delayRing", "size", size);
  arrayLength("delayRing", "maxDelay", maxDelay);
  const slots = maxDelay + 1;
  if (slots * size > 2 ** 31 - 1) fail("delayRing", "size·(maxDelay + 1)", `be at most ${2 ** 31 - 1}`, slots * size);
  return Object.freeze({ size, slots, buffer: new Float32Array(slots * size), dirty: new Uint8Array(slots) });
}

/** Offset into `ring.buffer` of the slot for events arriving at the start of step `arrival` (≥ 0). */
export function ringOffset(ring: DelayRing, arrival: number): number {
  return (arrival % ring.slots) * ring.size;
}

/** Flags the slot of step `arrival` as holding events (propagation calls it when it writes there). */
export function markSlot(ring: DelayRing, arrival: number): void {
  ring.dirty[arrival % ring.slots] = 1;
}

/**
 * Adds the events arriving at the start of `step` into `target` (one element per neuron), in
 * place, and clears their slot. Returns whether anything was delivered.
 */
export function deliverRing(ring: DelayRing, step: number, target: Float32Array | Float64Array): boolean {
  const slot = step % ring.slots;
  if (ring.dirty[slot] === 0) return false;
  const buffer = ring.buffer;
  const size = ring.size;
  const base = slot * size;
  for (let j = 0; j < size; j++) {
    target[j] += buffer[base + j];
    buffer[base + j] = 0;
  }
  ring.dirty[slot] = 0;
  return true;
}

/** Drops every pending event, in place (between samples). */
export function clearRing(ring: DelayRing): void {
  ring.buffer.fill(0);
  ring.dirty.fill(0);
}
