/**
 * The Plotly figure spec that every widget returns: plain, JSON-serialisable objects (numbers,
 * strings, booleans, null, arrays and objects; never typed arrays, NaN or undefined values), so that
 * `JSON.stringify(figure)` is the complete figure and the kernel can ship it as
 * `application/vnd.plotly.v1+json`.
 *
 * plotly.js-dist-min ships no types, so the few fields the widgets use are typed here; the index
 * signatures let a caller add any other Plotly attribute (`fig.layout.width = 600`).
 *
 * @example
 *   const fig: Figure = {
 *     data: [{ type: "scatter", mode: "lines", x: [0, 1], y: [0, 1] }],
 *     layout: { title: { text: "a line" }, height: 300 },
 *   };
 *   JSON.parse(JSON.stringify(fig));   // the same figure
 */

/** A JSON value: what a figure is made of. */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One Plotly trace (`scatter`, `scattergl`, `heatmap`, `bar`, …). */
export interface Trace {
  /** The Plotly trace type. */
  type: string;
  /** Legend name (HTML-escaped by the widgets). */
  name?: string;
  x?: (number | string | null)[];
  y?: (number | string | null)[];
  z?: (number | null)[][];
  [key: string]: unknown;
}

/** An axis title, as Plotly reads it. */
export interface AxisTitle {
  text: string;
  [key: string]: unknown;
}

/** A layout axis (`xaxis`, `yaxis2`, …). */
export interface Axis {
  title?: AxisTitle;
  range?: [number, number];
  [key: string]: unknown;
}

/** A text annotation placed on the figure. */
export interface Annotation {
  text: string;
  [key: string]: unknown;
}

/** A layout shape (reference lines, shaded regions). */
export interface Shape {
  type: "line" | "rect" | "circle" | "path";
  [key: string]: unknown;
}

/** The figure layout. */
export interface Layout {
  title?: { text: string; [key: string]: unknown };
  /** Figure height, px. */
  height?: number;
  /** Figure width, px (absent: the width of the output area). */
  width?: number;
  annotations?: Annotation[];
  shapes?: Shape[];
  [key: string]: unknown;
}

/** Plotly's `config` (mode bar, responsiveness). */
export interface Config {
  [key: string]: unknown;
}

/** A Plotly figure spec: plain JSON. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config?: Config;
}
