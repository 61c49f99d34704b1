/**
 * The bad-input fuzz suite's shared parts: the generators of bad values, the one definition of an
 * acceptable outcome, the seed and the case counter.
 *
 * An acceptable outcome of a call with bad input is either a result or one clear error in the house
 * shape (src/core/validate.ts): a `SnnlabError` (or a subclass such as `DataFileError`) whose
 * message reads `<function>: <parameter> must <rule>, got <value>`. A `TypeError` or `RangeError`
 * from deep inside, an error of another shape, or a call over its time budget is a finding.
 */
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { SnnlabError } from "../../src/core/validate";

/**
 * Every property runs from this seed, so a run is reproducible and a failure replays.
 * `SNNLAB_FUZZ_SEED=n npm test -- fuzz` explores from another seed (a finding there gets fixed, and
 * the default stays).
 */
export const fuzzSeed = Number(process.env.SNNLAB_FUZZ_SEED) || 20_261_208;

/**
 * The accepted message shapes, in one place. The first is the house shape; `<function>` may be a
 * dotted name (`trainer.train`, `learner.restore`). Messages may run over several lines (a list of
 * what a file holds), hence the `s` flag.
 */
export const acceptedShapes: readonly RegExp[] = [/^[A-Za-z_$][\w$]*(\.[\w$]+)*: .+ must .+, got .*/s];

/** Generated cases so far in this process (every call of `countCase`). */
let cases = 0;
export const countCase = (): number => ++cases;
export const caseCount = (): number => cases;

/** Settings of fc.assert for a property of `numRuns` runs, seeded. */
export const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: fuzzSeed, numRuns, endOnFailure: true });

/** Why `error` is not an acceptable rejection, or undefined when it is. */
export function unacceptable(error: unknown): string | undefined {
  if (!(error instanceof SnnlabError)) {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : String(error);
    return `${name} (not a SnnlabError): ${message.split("\n")[0]!.slice(0, 200)}`;
  }
  if (!acceptedShapes.some((shape) => shape.test(error.message))) return `message not in the house shape: ${error.message.slice(0, 200)}`;
  return undefined;
}

/** Time budget of one call, ms; a call over it is a finding (a hang, or work before validation). */
export const callBudgetMs = 2000;

/**
 * A call that has not returned after this long is a hang. A synchronous endless loop blocks the
 * thread that runs the tests, so a watchdog thread watches a shared heartbeat: it writes the
 * hanging call to stderr and kills the process (the test run then fails with that line).
 */
export const hangMs = Number(process.env.SNNLAB_FUZZ_HANG_MS) || 30_000;

const shared = new SharedArrayBuffer(8 + 2048);
/** [a call in flight (0/1), calls started]. */
const beat = new Int32Array(shared, 0, 2);
/** The description of the call in flight, UTF-8, zero-padded. */
const current = new Uint8Array(shared, 8);
const encoder = new TextEncoder();
let watchdog: Worker | undefined;

const watchdogSource = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const beat = new Int32Array(workerData.shared, 0, 2);
const current = new Uint8Array(workerData.shared, 8);
const sleep = new Int32Array(new SharedArrayBuffer(4));
let seen = -1;
let since = Date.now();
for (;;) {
  Atomics.wait(sleep, 0, 0, 500);
  const calls = Atomics.load(beat, 1);
  if (calls !== seen || Atomics.load(beat, 0) === 0) { seen = calls; since = Date.now(); continue; }
  if (Date.now() - since > workerData.hangMs) {
    const end = current.indexOf(0);
    const what = Buffer.from(current.slice(0, end < 0 ? current.length : end)).toString();
    fs.writeSync(2, "fuzz: HANG: no return after " + workerData.hangMs + " ms from " + what + "\\n");
    process.kill(process.pid, "SIGKILL");
  }
}`;

function startWatchdog(): void {
  if (watchdog !== undefined) return;
  watchdog = new Worker(watchdogSource, { eval: true, workerData: { shared, hangMs } });
  watchdog.unref();
}

/**
 * Calls `thunk` (sync or async) and returns "result" or "rejected"; fails the property with a
 * readable description when it throws an unacceptable error or runs over `budgetMs`.
 */
export async function outcome(what: string, thunk: () => unknown, budgetMs = callBudgetMs): Promise<"result" | "rejected"> {
  countCase();
  startWatchdog();
  current.fill(0);
  encoder.encodeInto(what.slice(0, 600), current);
  Atomics.add(beat, 1, 1);
  Atomics.store(beat, 0, 1);
  const t0 = performance.now();
  let kind: "result" | "rejected" = "result";
  try {
    const value = thunk();
    if (value !== null && typeof value === "object" && typeof (value as Promise<unknown>).then === "function") await value;
  } catch (error) {
    const why = unacceptable(error);
    if (why !== undefined) assert.fail(`${what}: ${why}`);
    kind = "rejected";
  } finally {
    Atomics.store(beat, 0, 0);
  }
  const ms = performance.now() - t0;
  assert.ok(ms <= budgetMs, `${what}: took ${ms.toFixed(0)} ms, over the budget of ${budgetMs} ms`);
  return kind;
}

/** Bad numbers: non-finite, negative, zero, fractional where integers go, huge. */
export const badNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, -0, 0, 0.5, -0.5, 1e12, 2 ** 53, -(2 ** 31), 1e308, Number.MIN_VALUE),
  fc.double({ min: -1e9, max: -Number.MIN_VALUE, noNaN: true }),
  fc.integer({ min: -1000, max: -1 }),
);

/** Small, plausible numbers, so that a call gets past its first check and meets the next one. */
export const plausibleNumber: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0.1, 1, 2));

/** Typed arrays, right and wrong dtypes, small, sometimes holding NaN or ±Infinity. */
export const typedArray: fc.Arbitrary<ArrayLike<number>> = fc
  .tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom("f32", "f64", "u8", "i32", "plain"), fc.constantFrom(0, 1, 0.5, NaN, Infinity, -3))
  .map(([n, dtype, fill]) => {
    const values = Array.from({ length: n }, (_, i) => (i === 0 ? fill : 1));
    switch (dtype) {
      case "f32": return Float32Array.from(values);
      case "f64": return Float64Array.from(values);
      case "u8": return Uint8Array.from(values);
      case "i32": return Int32Array.from(values);
      default: return values;
    }
  });

/** Values of the wrong kind in any position: strings, objects, null, undefined, functions, … */
export const wrongKind: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  undefined, null, "", "x", "NaN", true, {}, [], [[]], { length: -1 }, { size: 3 }, () => 1, Symbol.iterator, 1n,
  new Map(), new Date(0), new ArrayBuffer(4),
);

/** Any bad value. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(badNumber, wrongKind, typedArray);

/** An argument as a caller might pass it by mistake: mostly bad, sometimes plausible. */
export const anyArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: badValue },
  { weight: 1, arbitrary: plausibleNumber },
  { weight: 1, arbitrary: fc.constantFrom<unknown>({ size: 2 }, { split: "train" }, { duration: 1, dt: 0.1 }) },
);

/** A describable form of generated arguments, for failure messages (typed arrays summarised). */
export function show(args: readonly unknown[]): string {
  const typed = (a: ArrayBufferView): string => {
    const values = Array.from(a as unknown as ArrayLike<number>);
    return values.length <= 6 ? `${a.constructor.name}[${values.join(",")}]` : `${a.constructor.name}(${values.length})`;
  };
  return args.map((a) => {
    if (typeof a === "bigint") return `${a}n`;
    if (typeof a === "symbol" || typeof a === "function") return String(a).slice(0, 30);
    if (ArrayBuffer.isView(a)) return typed(a);
    try {
      const text = JSON.stringify(a, (_k, v: unknown) => {
        if (typeof v === "number" && !Number.isFinite(v)) return String(v);
        if (typeof v === "bigint") return `${v}n`;
        if (typeof v === "symbol" || typeof v === "function") return String(v).slice(0, 30);
        return ArrayBuffer.isView(v) ? typed(v) : v;
      }) ?? String(a);
      return text.length > 240 ? text.slice(0, 237) + "..." : text;
    } catch {
      return String(a);
    }
  }).join(", ");
}
