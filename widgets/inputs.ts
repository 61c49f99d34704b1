/**
 * Shared checks and conversions of the widgets (internal; not re-exported by `index.ts`).
 *
 * Every widget validates its data and options at the boundary with the standard message
 * (`fn: param must rule, got value`, src/core/validate.ts), copies what it reads into plain
 * arrays (typed arrays do not survive `JSON.stringify`), and never writes to its inputs.
 */
import type { SpikeTrain } from "../src/encoders/spike-train";
import { fail, integer, mergeOptions, positive } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Config, Layout } from "./figure";

/** Options every widget has. */
export interface FigureOptions {
  /** Figure title, shown HTML-escaped; "" for none. */
  readonly title: string;
  /** Figure height, px. */
  readonly height: number;
  /** Figure width, px; null fills the width of the output area. */
  readonly width: number | null;
}

/** The Plotly config of every widget's figure: no logo, resizes with the output area. */
export const figureConfig: Readonly<Config> = Object.freeze({ displaylogo: false, responsive: true });

/** The colour cycle of traces without an explicit colour (d3 category10). */
export const palette: readonly string[] = Object.freeze([
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
]);

/** The `k`-th colour of the cycle. */
export function paletteColor(k: number): string {
  return palette[k % palette.length]!;
}

/** `mergeOptions` plus the checks of the shared `title`, `height` and `width` fields. */
export function widgetOptions<T extends FigureOptions>(fn: string, defaults: Readonly<T>, options: Partial<T> | undefined): T {
  const o = mergeOptions(fn, defaults, options);
  text(fn, "title", o.title);
  positive(fn, "height", o.height);
  if (o.width !== null) positive(fn, "width", o.width);
  return o;
}

/** The layout every widget starts from: escaped title, size and margins (px). */
export function baseLayout(o: FigureOptions): Layout {
  const layout: Layout = {
    title: { text: escapeHtml(o.title) },
    height: o.height,
    margin: { l: 70, r: 30, t: o.title === "" ? 30 : 60, b: 55 },
  };
  if (o.width !== null) layout.width = o.width;
  return layout;
}

/** An axis title object with `label` escaped. */
export function axisTitle(label: string): { text: string } {
  return { text: escapeHtml(label) };
}

/** Checks that `value` is a string; returns it. */
export function text(fn: string, param: string, value: unknown): string {
  if (typeof value !== "string") fail(fn, param, "be a string", value);
  return value;
}

/** Checks that `value` is an object (not null, not an array); returns it. */
export function record<T extends object>(fn: string, param: string, value: unknown): T {
  if (value === null || typeof value !== "object" || Array.isArray(value) || ArrayBuffer.isView(value)) {
    fail(fn, param, "be an object", value);
  }
  return value as T;
}

/** Whether `value` is a plain or typed array of numbers (elements are checked by `numbers`). */
export function isNumericArray(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * A plain copy of a numeric array whose elements are all finite; with `length`, the length must
 * match. Names the first offending element.
 */
export function numbers(fn: string, param: string, value: unknown, length?: number): number[] {
  if (!isNumericArray(value) || typeof value.length !== "number") fail(fn, param, "be an array of numbers", value);
  if (length !== undefined && value.length !== length) fail(fn, `${param}.length`, `equal ${length}`, value.length);
  const out = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `${param}[${i}]`, "be a finite number", v);
    out[i] = v;
  }
  return out;
}

/** A `[lo, hi]` pair of finite numbers with lo < hi, or null. */
export function interval(fn: string, param: string, value: unknown): readonly [number, number] | null {
  if (value === null) return null;
  if (!isNumericArray(value) || value.length !== 2 || !Number.isFinite(value[0]) || !Number.isFinite(value[1]) || !(value[0]! < value[1]!)) {
    fail(fn, param, "be null or [lo, hi] with finite lo < hi", value);
  }
  return [value[0]!, value[1]!];
}

/** Checks the shape of a SpikeTrain record (typed columns of one length, ids in [0, size)); returns it. */
export function spikeTrain(fn: string, param: string, value: unknown): SpikeTrain {
  const train = record<SpikeTrain>(fn, param, value);
  if (!(train.times instanceof Float32Array)) fail(fn, `${param}.times`, "be a Float32Array", train.times);
  if (!(train.ids instanceof Int32Array)) fail(fn, `${param}.ids`, "be an Int32Array", train.ids);
  if (train.ids.length !== train.times.length) fail(fn, `${param}.ids.length`, `equal times.length (${train.times.length})`, train.ids.length);
  integer(fn, `${param}.size`, train.size, 0);
  positive(fn, `${param}.duration`, train.duration);
  const ids = train.ids;
  for (let s = 0; s < ids.length; s++) {
    if (ids[s]! < 0 || ids[s]! >= train.size) fail(fn, `${param}.ids[${s}]`, `be an integer in [0, ${train.size - 1}]`, ids[s]);
  }
  return train;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];

/**
 * The shortest decimal (as a double) that rounds to the same float32 as `v`: 0.1f is stored as
 * 0.10000000149011612 and written back as 0.1. Lossless for float32 data, and it roughly halves the
 * JSON of a figure built from Float32Array columns.
 */
export function compactFloat32(v: number): number {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) return f;
  // Fixed decimals first: fast, and enough for times on a dt grid and most recorded values.
  for (let k = 0; k < POW10.length; k++) {
    const r = Math.round(f * POW10[k]!) / POW10[k]!;
    if (Math.fround(r) === f) return r;
  }
  for (let p = 1; p < 9; p++) {
    const r = Number(f.toPrecision(p));
    if (Math.fround(r) === f) return r;
  }
  return Number(f.toPrecision(9));
}

/** `v` rounded to `digits` significant digits (display precision of large images). */
export function significant(v: number, digits: number): number {
  return v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(digits));
}

/** Formats an integer with thousands separators, locale-independent: 1234567 → "1,234,567". */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
