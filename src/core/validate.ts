/**
 * Validation at the boundary, with one message shape everywhere:
 *
 *   `<function>: <parameter> must <rule>, got <value>`
 *
 * Each helper returns the checked value, so a constructor reads
 * `const tau = positive("lifParams", "tauMem", options.tauMem)`. Errors are `SnnlabError`
 * (a `RangeError` or `TypeError` subclass would hide the shape behind the class name).
 *
 * @example
 *   positive("lifParams", "tauMem", -1);
 *   // throws SnnlabError("lifParams: tauMem must be a finite number > 0, got -1")
 */

/** The error every validation helper throws; `message` has the standard shape. */
export class SnnlabError extends Error {
  /** The function that rejected its input. */
  readonly fn: string;
  /** The offending parameter. */
  readonly param: string;

  constructor(fn: string, param: string, rule: string, value: unknown) {
    super(`${fn}: ${param} must ${rule}, got ${describe(value)}`);
    this.name = "SnnlabError";
    this.fn = fn;
    this.param = param;
  }
}

/** Throws the standard error: `fn: param must rule, got value`. */
export function fail(fn: string, param: string, rule: string, value: unknown): never {
  throw new SnnlabError(fn, param, rule, value);
}

/** A short, printable description of any value, for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? value.slice(0, 77) + "..." : value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || value === undefined || typeof value === "boolean") return String(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (typeof value === "symbol") return value.toString();
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    return "length" in value ? `${name}(${(value as unknown as { length: number }).length})` : name;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? json.slice(0, 77) + "..." : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Any finite number. */
export function finite(fn: string, param: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(fn, param, "be a finite number", value);
  return value;
}

/** A finite number > 0. */
export function positive(fn: string, param: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    fail(fn, param, "be a finite number > 0", value);
  }
  return value;
}

/** A finite number ≥ 0. */
export function nonNegative(fn: string, param: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    fail(fn, param, "be a finite number >= 0", value);
  }
  return value;
}

/** An integer ≥ `min` (default 0). */
export function integer(fn: string, param: string, value: unknown, min = 0): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    fail(fn, param, `be an integer >= ${min}`, value);
  }
  return value;
}

/**
 * The most elements of one array this library allocates: 2^30 (4 GiB of float32). A larger size
 * is a mistake (a rate in Hz where a count goes, a duration in µs), and would otherwise end in a
 * RangeError from the typed-array constructor, or in the machine swapping.
 */
export const maxArrayLength = 2 ** 30;

/** An array length: an integer in [min, maxArrayLength] (min default 0). */
export function arrayLength(fn: string, param: string, value: unknown, min = 0): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > maxArrayLength) {
    fail(fn, param, `be an integer in [${min}, 2^30]`, value);
  }
  return value;
}

/** An array or typed array: an object with a numeric `length` (the elements are not checked). */
export function arrayLike(fn: string, param: string, value: unknown): ArrayLike<number> {
  const length = value !== null && typeof value === "object" ? (value as { length?: unknown }).length : undefined;
  if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
    fail(fn, param, "be an array or typed array of numbers", value);
  }
  return value as ArrayLike<number>;
}

/** A finite number in the closed interval [lo, hi]. */
export function inRange(fn: string, param: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi) {
    fail(fn, param, `be a finite number in [${lo}, ${hi}]`, value);
  }
  return value;
}

/** A probability: a finite number in [0, 1]. */
export function probability(fn: string, param: string, value: unknown): number {
  return inRange(fn, param, value, 0, 1);
}

/** One of a fixed set of string literals (rule 10: modes are unions validated once). */
export function oneOf<T extends string>(fn: string, param: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    fail(fn, param, `be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`, value);
  }
  return value as T;
}

/** A typed or plain array of exactly `length` elements. */
export function lengthIs<A extends ArrayLike<unknown>>(fn: string, param: string, value: A, length: number): A {
  if (value == null || typeof (value as ArrayLike<unknown>).length !== "number") {
    fail(fn, param, `be an array of length ${length}`, value);
  }
  if (value.length !== length) fail(fn, param, `have length ${length}`, value.length);
  return value;
}

/** Every element of a numeric array is finite; names the first offending index. */
export function allFinite(fn: string, param: string, values: ArrayLike<number>): ArrayLike<number> {
  arrayLike(fn, param, values);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) fail(fn, `${param}[${i}]`, "be a finite number", values[i]);
  }
  return values;
}

/**
 * Merges `options` over frozen `defaults`, rejecting unknown keys, and returns a new object.
 * `options` must be a plain object: a `Date`, `Map` or typed array has no option keys of its own
 * and would silently mean "all defaults".
 * The caller validates each field afterwards.
 */
export function mergeOptions<T extends object>(fn: string, defaults: Readonly<T>, options: Partial<T> | undefined): T {
  if (options === undefined) return { ...defaults };
  if (options === null || typeof options !== "object" || !isPlainObject(options)) {
    fail(fn, "options", "be an object", options);
  }
  for (const key of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(defaults, key)) {
      fail(fn, "options", `have only the keys ${Object.keys(defaults).join(", ")}`, key);
    }
  }
  const merged = { ...defaults } as T;
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/**
 * An object whose tag is `Object` (a literal, a class instance, `Object.create(null)`): not an
 * array, `Date`, `Map`, typed array, …. The tag rather than the prototype, so that an options
 * object made in another realm (a notebook cell run in a `vm` context) still counts.
 */
function isPlainObject(value: object): boolean {
  return Object.prototype.toString.call(value) === "[object Object]";
}
