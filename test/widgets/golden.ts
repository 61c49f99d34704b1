/**
 * Golden figures (house style C9, rule 15; after Plot's test/plot-snapshot.js): a widget's figure is
 * normalised (numbers rounded to 6 significant digits, keys sorted) and compared with
 * `test/golden/<name>.json` in the SOURCE tree.
 *
 * - a missing golden is written, and the test passes with a note;
 * - a mismatch writes `test/golden/<name>-changed.json` next to it and fails (compare the two
 *   files; accept the change by rerunning with UPDATE_GOLDEN=1, or by renaming the file);
 * - `UPDATE_GOLDEN=1` rewrites every golden;
 * - a match removes a stale `-changed` file.
 *
 * The compiled tests run from dist/test/widgets/, so the repository root is found by walking up
 * from this file to the first folder holding package.json; SNNLAB_ROOT overrides it (for builds
 * outside the repository, e.g. `tsc --outDir /tmp/...`).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

/** Significant digits kept of every number in a golden. */
export const GOLDEN_DIGITS = 6;

/** The repository root: $SNNLAB_ROOT, else the nearest ancestor of this file with a package.json. */
export function repoRoot(): string {
  const env = process.env.SNNLAB_ROOT;
  if (env) return path.resolve(env);
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`golden: no package.json above ${__dirname}; set SNNLAB_ROOT to the repository root`);
    }
  }
}

/** The folder of the golden files, test/golden/ in the source tree. */
export function goldenDir(): string {
  return path.join(repoRoot(), "test", "golden");
}

/**
 * A normalised copy of a figure: numbers rounded to `digits` significant digits (−0 → 0), object
 * keys sorted. Throws, naming the path, on anything JSON cannot carry faithfully (typed arrays,
 * NaN, ±Infinity, undefined values, functions, class instances): a figure must be plain JSON.
 */
export function normalize(value: unknown, digits = GOLDEN_DIGITS, where = "figure"): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`golden: ${where} is ${value}, which JSON cannot carry`);
    const rounded = Number(value.toPrecision(digits));
    return rounded === 0 ? 0 : rounded;
  }
  if (Array.isArray(value)) return value.map((v, i) => normalize(v, digits, `${where}[${i}]`));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      out[key] = normalize((value as Record<string, unknown>)[key], digits, `${where}.${key}`);
    }
    return out;
  }
  const kind = ArrayBuffer.isView(value) ? value.constructor.name : value === undefined ? "undefined" : typeof value === "object" ? Object.prototype.toString.call(value) : typeof value;
  throw new Error(`golden: ${where} is ${kind}, which is not plain JSON`);
}

/** JSON with objects indented and arrays of scalars on one line (readable diffs, small files). */
export function formatJson(value: unknown, indent = ""): string {
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return "{}";
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${formatJson((value as Record<string, unknown>)[k], inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** What `expectGolden` did. */
export type GoldenOutcome = "matched" | "written" | "updated";

/**
 * Compares `figure` (normalised) with test/golden/<name>.json; see the file head. Pass the test
 * context to have a written golden reported as a diagnostic.
 */
export function expectGolden(name: string, figure: unknown, t?: { diagnostic(message: string): void }): GoldenOutcome {
  const actualText = formatJson(normalize(figure)) + "\n";
  const dir = goldenDir();
  const file = path.join(dir, `${name}.json`);
  const changed = path.join(dir, `${name}-changed.json`);
  const removeChanged = () => fs.rmSync(changed, { force: true });
  if (process.env.UPDATE_GOLDEN === "1" || !fs.existsSync(file)) {
    const outcome: GoldenOutcome = fs.existsSync(file) ? "updated" : "written";
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, actualText);
    removeChanged();
    t?.diagnostic(`golden ${name}: ${outcome} test/golden/${name}.json`);
    return outcome;
  }
  const expectedText = fs.readFileSync(file, "utf8");
  if (expectedText === actualText) {
    removeChanged();
    return "matched";
  }
  const actual = JSON.parse(actualText);
  let expected: unknown;
  try {
    expected = normalize(JSON.parse(expectedText));
  } catch {
    expected = undefined;
  }
  if (expected !== undefined && formatJson(expected) + "\n" === actualText) {
    removeChanged(); // the same figure, only formatted differently (a hand edit)
    return "matched";
  }
  fs.writeFileSync(changed, actualText);
  const message = `golden ${name}: the figure differs from test/golden/${name}.json; the new one is in ` +
    `test/golden/${name}-changed.json (compare them; rerun with UPDATE_GOLDEN=1 to accept)`;
  assert.deepStrictEqual(actual, expected, message); // throws with a structural diff
  assert.fail(message);
}
