/**
 * Seeded pseudo-random numbers, passed explicitly everywhere (house rule 8): no function of the
 * library ever reads `Math.random`.
 *
 * The generator is xoshiro128** (Blackman & Vigna 2018): 128-bit state, period 2^128 − 1, fast
 * with 32-bit integer arithmetic in JavaScript and free of the low-bit weaknesses of LCGs and of
 * mulberry32's short, seed-dependent cycles. Seeds are expanded with splitmix32 so that nearby
 * seeds give unrelated streams. Uniform doubles use 53 random bits.
 *
 * Draws: `uniform`, `normal` (Marsaglia polar), `poisson` (inversion for small means, the PTRS
 * transformed rejection of Hörmann 1993 for large ones), `bernoulli`, `int`, and bulk fills into
 * typed arrays. `fork()` derives an independent child stream, so that one part of a program can
 * draw without shifting every later number of another. `state()` reads the exact stream position
 * (the four state words and the cached second normal draw) as plain JSON, and `restore(state)` puts
 * a generator back there, so a checkpointed run continues with the very numbers it would have drawn.
 *
 * @example
 *   const rng = createRng(42);
 *   rng.uniform();            // in [0, 1)
 *   rng.normal(0, 1);
 *   rng.poisson(3.5);
 *   const x = rng.fillNormal(new Float32Array(100), 0, 1);
 */
import { fail, finite, integer, nonNegative, probability } from "./validate";

/** A seeded random generator. All methods advance the state. */
export interface Rng {
  /** The seed this stream was created from (forks get derived seeds). */
  readonly seed: number;
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform double in [0, 1), 53 random bits. */
  next(): number;
  /** A uniform double in [lo, hi). */
  uniform(lo?: number, hi?: number): number;
  /** A normal draw with the given mean and standard deviation. */
  normal(mean?: number, sd?: number): number;
  /** A Poisson count with the given mean (≥ 0). */
  poisson(mean: number): number;
  /** True with probability p. */
  bernoulli(p: number): boolean;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** Fills `out` with uniform draws in [lo, hi), in place, and returns it. */
  fillUniform<A extends Float32Array | Float64Array>(out: A, lo?: number, hi?: number): A;
  /** Fills `out` with normal draws, in place, and returns it. */
  fillNormal<A extends Float32Array | Float64Array>(out: A, mean?: number, sd?: number): A;
  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<A extends { length: number; [i: number]: number }>(array: A): A;
  /** A new, independent stream derived from this one (advances this one by one draw). */
  fork(): Rng;
  /** A copy with the same state: both then produce the same sequence. */
  clone(): Rng;
  /** The exact position in the stream, as plain JSON (for checkpoints). */
  state(): RngState;
  /**
   * Moves this generator, in place, to a position read by `state()`: it then draws what the
   * generator it was read from would have drawn. Every field is checked before any is set.
   */
  restore(state: RngState): void;
}

/**
 * The exact position of an `Rng`: what `rng.state()` returns and `rng.restore(state)` takes. Plain
 * JSON, so it travels in a checkpoint's metadata.
 *
 * @example
 *   const rng = createRng(7);
 *   rng.normal();
 *   const saved = rng.state();    // { generator: "xoshiro128**", seed: 7, words: [...], spareNormal: 0.53… }
 *   const a = rng.normal();
 *   rng.restore(saved);
 *   rng.normal() === a;           // true
 */
export interface RngState {
  /** The algorithm, "xoshiro128**". */
  readonly generator: string;
  /** The seed the stream was created from (kept for display; the words decide the draws). */
  readonly seed: number;
  /** The 128-bit state as four unsigned 32-bit integers. */
  readonly words: readonly number[];
  /** The second draw of the last Marsaglia pair, returned by the next `normal()`; null when none is cached. */
  readonly spareNormal: number | null;
}

const GENERATOR = "xoshiro128**";

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [state, z >>> 0];
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

class Xoshiro128 implements Rng {
  seed: number;
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal = NaN;

  constructor(seed: number, state?: readonly number[]) {
    this.seed = seed;
    if (state) {
      [this.s0, this.s1, this.s2, this.s3] = state as [number, number, number, number];
      return;
    }
    // Fold a 53-bit integer seed into 32 bits twice, so seeds above 2^32 still differ.
    let sm = (seed | 0) ^ Math.floor(seed / TWO_POW_32);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, z] = splitmix32(sm);
      sm = next;
      words.push(z | 0);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return mean + sd * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sd * u * f;
  }

  poisson(mean: number): number {
    if (!(mean >= 0) || !Number.isFinite(mean)) nonNegative("rng.poisson", "mean", mean);
    if (mean === 0) return 0;
    if (mean < 10) {
      // Inversion by sequential search: exact, and cheap for small means.
      let k = 0;
      let p = Math.exp(-mean);
      let cdf = p;
      const u = this.next();
      while (u > cdf) {
        k++;
        p *= mean / k;
        cdf += p;
        if (p < 1e-300 && cdf >= 1 - 1e-15) break;
      }
      return k;
    }
    return this.poissonPtrs(mean);
  }

  /** Hörmann (1993), "The transformed rejection method for generating Poisson random variables". */
  private poissonPtrs(mean: number): number {
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b);
      const rhs = -mean + k * loglam - logFactorialUnchecked(k);
      if (lhs <= rhs) return k;
    }
  }

  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) probability("rng.bernoulli", "p", p);
    return this.next() < p;
  }

  int(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > TWO_POW_32) {
      fail("rng.int", "n", `be an integer in [1, ${TWO_POW_32}]`, n);
    }
    // Lemire-style rejection keeps every residue equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  fillUniform<A extends Float32Array | Float64Array>(out: A, lo = 0, hi = 1): A {
    finite("rng.fillUniform", "lo", lo);
    finite("rng.fillUniform", "hi", hi);
    const span = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + span * this.next();
    return out;
  }

  fillNormal<A extends Float32Array | Float64Array>(out: A, mean = 0, sd = 1): A {
    finite("rng.fillNormal", "mean", mean);
    nonNegative("rng.fillNormal", "sd", sd);
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, sd);
    return out;
  }

  shuffle<A extends { length: number; [i: number]: number }>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i]!;
      array[i] = array[j]!;
      array[j] = t;
    }
    return array;
  }

  fork(): Rng {
    const childSeed = this.nextUint32() * 2097152 + (this.nextUint32() >>> 11);
    return new Xoshiro128(childSeed);
  }

  clone(): Rng {
    const copy = new Xoshiro128(this.seed, [this.s0, this.s1, this.s2, this.s3]);
    copy.spareNormal = this.spareNormal;
    return copy;
  }

  state(): RngState {
    return {
      generator: GENERATOR, seed: this.seed, words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: Number.isNaN(this.spareNormal) ? null : this.spareNormal,
    };
  }

  restore(state: RngState): void {
    const fn = "rng.restore";
    if (state === null || typeof state !== "object") fail(fn, "state", "be an object from rng.state()", state);
    if (state.generator !== GENERATOR) fail(fn, "state.generator", `be "${GENERATOR}"`, state.generator);
    const w = state.words;
    if (!Array.isArray(w) || w.length !== 4 || !w.every((x) => Number.isInteger(x) && x >= 0 && x < TWO_POW_32)) {
      fail(fn, "state.words", "be four unsigned 32-bit integers", w);
    }
    if ((w[0] | w[1] | w[2] | w[3]) === 0) fail(fn, "state.words", "not be all zero (a fixed point of the generator)", `[${w.join(", ")}]`);
    if (!Number.isSafeInteger(state.seed) || state.seed < 0) fail(fn, "state.seed", "be an integer >= 0", state.seed);
    const spare = state.spareNormal;
    if (spare !== null && (typeof spare !== "number" || !Number.isFinite(spare))) fail(fn, "state.spareNormal", "be null or a finite number", spare);
    [this.s0, this.s1, this.s2, this.s3] = [w[0] | 0, w[1] | 0, w[2] | 0, w[3] | 0];
    this.seed = state.seed;
    this.spareNormal = spare === null ? NaN : spare;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Rng(xoshiro128**, seed ${this.seed})`;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const LOG_FACTORIAL_TABLE: number[] = [0];
for (let k = 1; k < 256; k++) LOG_FACTORIAL_TABLE.push(LOG_FACTORIAL_TABLE[k - 1]! + Math.log(k));

/** ln(k!), exact by table below 256 and by Stirling's series above. */
export function logFactorial(k: number): number {
  return logFactorialUnchecked(integer("logFactorial", "k", k, 0));
}

/** `logFactorial` without the check, for the Poisson sampler's inner loop (k is an integer >= 0 there). */
function logFactorialUnchecked(k: number): number {
  if (k < 256) return LOG_FACTORIAL_TABLE[k]!;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/**
 * Creates a seeded generator. The seed is any safe integer ≥ 0; the same seed always gives the
 * same sequence, on every platform.
 */
export function createRng(seed: number): Rng {
  integer("createRng", "seed", seed, 0);
  return new Xoshiro128(seed);
}

/** True when `value` looks like an `Rng` (for validating injected generators). */
export function isRng(value: unknown): value is Rng {
  return (
    typeof value === "object" && value !== null &&
    typeof (value as Rng).next === "function" && typeof (value as Rng).normal === "function" &&
    typeof (value as Rng).fork === "function"
  );
}

/** Validates an injected generator: `fn: param must be an Rng (createRng(seed)), got …`. */
export function checkRng(fn: string, param: string, value: unknown): Rng {
  if (!isRng(value)) fail(fn, param, "be an Rng (createRng(seed))", value);
  return value;
}
