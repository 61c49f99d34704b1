/**
 * Checks for the test cells of course assignments (notebooks/assignments/): each passes quietly
 * or throws a `CheckError` whose message says what was checked, what was wrong with the student's
 * value and why the expectation holds — never the expected value itself, which would be the
 * solution. A deviation is described by its direction and size class ("too high by 10–100 %",
 * "too small by a factor of about 1000", which points at a unit slip).
 *
 * @example
 *   import { check } from "snnlab/kernel";
 *   check.close(firingRate(2), 33.6, { rel: 0.01, name: "firingRate(2 nA)", why: "the f–I closed form" });
 *   check.equal(spikeCount, 12, { name: "the number of spikes" });
 *   check.shape(weights, [10, 784], { name: "weights" });
 *   check.between(order, 0.9, 1.1, { name: "the order of Euler's error", why: "Euler is first order" });
 */

/** The error a failed check throws; a test cell that throws it scores zero. */
export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckError";
  }
}

/** What every check accepts. */
export interface CheckOptions {
  /** What is checked, as the student knows it, e.g. "firingRate(2 nA)". Default "the value". */
  readonly name?: string;
  /** Why the expectation holds (a closed form, the tolerance's derivation); shown on failure. */
  readonly why?: string;
}

/** Options of `check.close`. A value passes when |actual − expected| ≤ abs + rel·|expected|. */
export interface CloseOptions extends CheckOptions {
  /** Relative tolerance. Default 1e-9 (float64 arithmetic of a few hundred operations), or 0 when only `abs` is given. */
  readonly rel?: number;
  /** Absolute tolerance, in the value's unit. Default 0. */
  readonly abs?: number;
}

type Numbers = number | ArrayLike<number>;

function bad(fn: string, param: string, rule: string, value: unknown): never {
  throw new TypeError(`check.${fn}: ${param} must ${rule}, got ${describeValue(value)}`);
}

function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "…" : value);
  if (typeof value === "function") return "a function";
  if (isArrayLike(value)) return `an array of length ${value.length}`;
  return typeof value === "object" ? "an object" : typeof value;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** A short rendering of a number (4 significant digits). */
function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(4))) : x.toExponential(3).replace("e+", "e");
}

function fail(options: CheckOptions, problem: string, allowed?: string): never {
  const name = options.name ?? "the value";
  const parts = [`${name} ${problem}`];
  if (allowed) parts.push(`(allowed: ${allowed})`);
  let message = parts.join(" ") + ".";
  if (options.why) message += ` Why: ${options.why}`;
  throw new CheckError(message);
}

function checkCommon(fn: string, options: CheckOptions): void {
  if (options === null || typeof options !== "object") bad(fn, "options", "be an object", options);
  if (options.name !== undefined && typeof options.name !== "string") bad(fn, "name", "be a string", options.name);
  if (options.why !== undefined && typeof options.why !== "string") bad(fn, "why", "be a string", options.why);
}

function tolerance(fn: string, param: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) bad(fn, param, "be a finite number ≥ 0", value);
  return value;
}

/** How `actual` misses `expected`, without giving `expected` away. */
function deviation(actual: number, expected: number): string {
  const direction = actual > expected ? "high" : "low";
  if (expected === 0) return `is ${num(actual)}, too ${direction}`;
  if (actual !== 0 && Math.sign(actual) !== Math.sign(expected)) return `is ${num(actual)}, which has the wrong sign`;
  const ratio = Math.abs(actual / expected);
  if (ratio >= 2 || ratio <= 0.5) {
    const factor = Number((ratio >= 1 ? ratio : 1 / ratio).toPrecision(1));
    return `is ${num(actual)}, too ${ratio >= 1 ? "large" : "small"} by a factor of about ${factor}`;
  }
  const relative = Math.abs(actual - expected) / Math.abs(expected);
  return `is ${num(actual)}, too ${direction} by ${relative < 0.1 ? "less than 10 %" : "10–100 %"}`;
}

function notANumber(value: unknown): string | undefined {
  if (value === undefined) return "is undefined: does the function return its result?";
  if (typeof value !== "number") return `is ${describeValue(value)}, not a number`;
  if (Number.isNaN(value)) return "is NaN (a 0/0, or arithmetic on undefined?)";
  return undefined;
}

function close(actual: Numbers, expected: Numbers, options: CloseOptions = {}): void {
  checkCommon("close", options);
  const rel = tolerance("close", "rel", options.rel, options.abs === undefined ? 1e-9 : 0);
  const abs = tolerance("close", "abs", options.abs, 0);
  const allowed = [abs > 0 ? `±${num(abs)}` : "", rel > 0 ? `${num(rel * 100)} % of the expected value` : ""].filter(Boolean).join(" + ") || "exact";
  if (typeof expected === "number") {
    if (Number.isNaN(expected)) bad("close", "expected", "be a number other than NaN", expected);
    const problem = notANumber(actual);
    if (problem) fail(options, problem);
    const a = actual as number;
    if (!(Math.abs(a - expected) <= abs + rel * Math.abs(expected)) && a !== expected) fail(options, deviation(a, expected), allowed);
    return;
  }
  if (!isArrayLike(expected)) bad("close", "expected", "be a number or an array of numbers", expected);
  if (!isArrayLike(actual)) fail(options, `is ${describeValue(actual)}, not an array of numbers`);
  if (actual.length !== expected.length) fail(options, `has length ${actual.length}; expected length ${expected.length}`);
  const wrong: number[] = [];
  let first = "";
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i] as unknown;
    const problem = notANumber(a);
    const ok = !problem && (Math.abs((a as number) - e) <= abs + rel * Math.abs(e) || a === e);
    if (ok) continue;
    if (wrong.length === 0) first = problem ?? deviation(a as number, e);
    wrong.push(i);
  }
  if (wrong.length === 0) return;
  const others = wrong.length > 1 ? `; ${wrong.length - 1} more of the ${expected.length} elements are off too` : "";
  fail(options, `[${wrong[0]}] ${first}${others}`, allowed);
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (isArrayLike(a) && isArrayLike(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !isArrayLike(a) && !isArrayLike(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

function equal(actual: unknown, expected: unknown, options: CheckOptions = {}): void {
  checkCommon("equal", options);
  if (same(actual, expected)) return;
  if (isArrayLike(expected)) {
    if (!isArrayLike(actual)) fail(options, `is ${describeValue(actual)}, not an array`);
    if (actual.length !== expected.length) fail(options, `has length ${actual.length}; expected length ${expected.length}`);
    const wrong: number[] = [];
    for (let i = 0; i < expected.length; i++) if (!same(actual[i], expected[i])) wrong.push(i);
    const others = wrong.length > 1 ? `; ${wrong.length - 1} more of the ${expected.length} elements differ too` : "";
    fail(options, `differs from the expected value at [${wrong[0]}], where it is ${describeValue(actual[wrong[0]!])}${others}`);
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") fail(options, `is ${describeValue(actual)}, not an object`);
    const keys = Object.keys(expected);
    const missing = keys.filter((k) => !(k in (actual as object)));
    if (missing.length > 0) fail(options, `lacks the field${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
    const wrong = keys.filter((k) => !same((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
    const extra = Object.keys(actual as object).filter((k) => !keys.includes(k));
    if (wrong.length > 0) fail(options, `has the wrong value in ${wrong.join(", ")}`);
    fail(options, `has fields that do not belong: ${extra.join(", ")}`);
  }
  if (typeof actual !== typeof expected) fail(options, `is ${describeValue(actual)}, not a ${typeof expected}`);
  fail(options, `is ${describeValue(actual)}, which is not the expected value`);
}

/** The shape of nested arrays (rectangular) or of an object with a `shape` (a tensor); undefined when ragged. */
function shapeOf(value: unknown): number[] | undefined {
  if (value !== null && typeof value === "object" && !isArrayLike(value) && Array.isArray((value as { shape?: unknown }).shape)) {
    return [...(value as { shape: number[] }).shape];
  }
  if (!isArrayLike(value)) return [];
  if (value.length === 0 || !isArrayLike(value[0])) return [value.length];
  const inner = shapeOf(value[0]);
  for (let i = 1; i < value.length; i++) if (!same(shapeOf(value[i]), inner)) return undefined;
  return inner === undefined ? undefined : [value.length, ...inner];
}

function shape(value: unknown, expected: readonly number[], options: CheckOptions = {}): void {
  checkCommon("shape", options);
  if (!Array.isArray(expected) || !expected.every((n) => Number.isInteger(n) && n >= 0)) bad("shape", "expected", "be an array of whole numbers ≥ 0", expected);
  const actual = shapeOf(value);
  if (actual === undefined) fail(options, "is ragged: its rows differ in shape", `shape [${expected.join(", ")}]`);
  if (!same(actual, expected)) {
    fail(options, actual.length === 0 ? `is ${describeValue(value)}, not an array` : `has shape [${actual.join(", ")}]`, `shape [${expected.join(", ")}]`);
  }
}

function between(actual: unknown, low: number, high: number, options: CheckOptions = {}): void {
  checkCommon("between", options);
  if (typeof low !== "number" || typeof high !== "number" || Number.isNaN(low) || Number.isNaN(high) || low > high) {
    bad("between", "low and high", "be numbers with low ≤ high", [low, high]);
  }
  const problem = notANumber(actual);
  if (problem) fail(options, problem);
  const a = actual as number;
  if (a < low || a > high) fail(options, `is ${num(a)}, too ${a < low ? "low" : "high"}`, `from ${num(low)} to ${num(high)}`);
}

function that(condition: unknown, options: CheckOptions = {}): void {
  checkCommon("that", options);
  if (typeof condition !== "boolean") bad("that", "condition", "be true or false", condition);
  if (!condition) fail({ ...options, name: options.name ?? "the condition" }, "does not hold");
}

/**
 * The checks, one object so a test cell imports one name: `close(actual, expected, {rel, abs})`
 * (numbers or arrays of numbers), `equal(actual, expected)` (deep equality of numbers, strings,
 * booleans, arrays and plain objects), `shape(value, [rows, cols, …])` (nested arrays or a
 * tensor), `between(actual, low, high)` (inclusive) and `that(condition)`. Each takes
 * `{name, why}` last. Frozen: a cell cannot replace a check.
 */
export const check = Object.freeze({ close, equal, shape, between, that });
