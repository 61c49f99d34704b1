/**
 * The seeded order of an epoch: sample indices 0 … count−1 shuffled by a generator seeded from
 * (seed + epoch · 7919) mod 2³², the same order for the same seed, epoch and count, and a sampler
 * that keeps the current epoch's order and maps a position in the stream of samples (epoch ·
 * count + i) to a sample index. Used by the learners that draw one sample at a time (SAILnet, the
 * Tavanaei & Maida CNN, each layer of the STDP CNN with a per-layer seed).
 *
 * @example
 *   const at = epochSampler(1234);
 *   at(100, 0);     // the first sample of epoch 0 of a 100-sample data set
 *   at(100, 250);   // the 51st sample of epoch 2
 */
import { createRng } from "../core/random";

/** The order of epoch `epoch` of `count` samples under `seed`. */
export function epochOrder(seed: number, epoch: number, count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  createRng((seed + epoch * 7919) >>> 0).shuffle(order);
  return order;
}

/** A sampler over the stream of epochs: `(count, position) → sample index`, caching the current epoch's order. */
export function epochSampler(seed: number): (count: number, position: number) => number {
  let cachedEpoch = -1;
  let cachedCount = -1;
  let order: Uint32Array = new Uint32Array(0);
  return (count, position) => {
    const epoch = Math.floor(position / count);
    if (epoch !== cachedEpoch || count !== cachedCount) {
      order = epochOrder(seed, epoch, count);
      cachedEpoch = epoch;
      cachedCount = count;
    }
    return order[position % count]!;
  };
}

/**
 * The epoch order of the batch learners (`createTrainer`, `membraneBackpropNetwork`,
 * `sequenceRegressor`): indices shuffled by a generator seeded from (seed + (epoch + 1) ·
 * 0x9e3779b9) mod 2³² (32-bit product), or in data order when `shuffle` is false.
 */
export function batchEpochOrder(seed: number, epoch: number, count: number, shuffle = true): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (shuffle) createRng((seed + Math.imul(epoch + 1, 0x9e3779b9)) >>> 0).shuffle(order);
  return order;
}

/** The batch learners' epoch orders, one computed per epoch (`at`), and `reset` for after the seed changes (a restore). */
export interface BatchEpochOrders {
  at(epoch: number, count: number): Int32Array;
  reset(): void;
}

/** `batchEpochOrder` under the seed `seedOf()` returns (read when an epoch's order is first needed), keeping the current epoch's order. */
export function batchEpochOrders(seedOf: () => number, shuffle = true): BatchEpochOrders {
  let cachedEpoch = -1;
  let cached: Int32Array = new Int32Array(0);
  return {
    at(epoch, count) {
      if (epoch !== cachedEpoch || cached.length !== count) {
        cached = batchEpochOrder(seedOf(), epoch, count, shuffle);
        cachedEpoch = epoch;
      }
      return cached;
    },
    reset() {
      cachedEpoch = -1;
    },
  };
}
