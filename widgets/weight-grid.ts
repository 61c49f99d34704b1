/**
 * Receptive fields as a grid of image tiles, in ONE heatmap: tile k is post-synaptic neuron k's
 * incoming weights reshaped to `rows × cols` pixels (e.g. 28 × 28 for MNIST), and the tiles are
 * laid out `columns` to a row with `gap` pixels of null (drawn as background) between them. This
 * is the Diehl & Cook (2015) figure of 400 learned digits on a 20 × 20 grid.
 *
 * Placement: pixel (r, c) of tile k lands at z[gr·(rows + gap) + r][gc·(cols + gap) + c] with
 * gr = ⌊k / columns⌋ and gc = k mod columns; the y axis is reversed, so every tile reads top-down
 * like the image it came from.
 *
 * Values are rounded to `digits` significant digits (display precision), which keeps 400 tiles of
 * 28 × 28 near 2 MB of JSON; the colour range is fixed before rounding.
 *
 * @example
 *   const w = new Float32Array(4 * 9).map((_, i) => i % 9);   // 4 post neurons, 3×3 inputs each
 *   const fig = weightGrid(w, { rows: 3, cols: 3, columns: 2 });
 *   fig.data[0].z.length;   // 7 = 2 tiles of 3 rows + 1 gap row
 */
import { fail, integer, oneOf } from "../src/core/validate";
import type { Figure } from "./figure";
import {
  axisTitle, baseLayout, figureConfig, interval, isNumericArray, significant, text, widgetOptions, type FigureOptions,
} from "./inputs";

/** How `weights` is laid out: "post-major" is `[post][pre]` row-major (the library's dense projections); "pre-major" is `[pre][post]`. */
export type WeightLayout = "post-major" | "pre-major";

/** Options of `weightGrid`; `rows` and `cols` are required. */
export interface WeightGridOptions extends FigureOptions {
  /** Pixel rows of each tile (image height). Required. */
  readonly rows: number;
  /** Pixel columns of each tile (image width); rows · cols must divide weights.length. Required. */
  readonly cols: number;
  /** Number of tiles drawn (neurons 0 … tiles − 1); null: every post-synaptic neuron. Default null. */
  readonly tiles: number | null;
  /** Tiles per grid row; null: ⌈√tiles⌉. Default null. */
  readonly columns: number | null;
  /** Memory layout of `weights`. Default "post-major". */
  readonly layout: WeightLayout;
  /** A Plotly colour-scale name. Default "Viridis". */
  readonly colorscale: string;
  /** Colour range [zmin, zmax], weight units; null: min and max of the drawn weights. Default null. */
  readonly zRange: readonly [number, number] | null;
  /** Pixels of empty space between tiles. Default 1. */
  readonly gap: number;
  /** Significant digits kept of each weight. Default 3. */
  readonly digits: number;
  /** Title of the colour bar. Default "weight". */
  readonly zTitle: string;
}

/** What `weightGrid` accepts: every option is optional except `rows` and `cols`. */
export type WeightGridInput = Partial<WeightGridOptions> & Pick<WeightGridOptions, "rows" | "cols">;

/** Defaults of `weightGrid` (no defaults for `rows` and `cols`): height 600 px, Viridis, 1 px gaps, 3 digits. */
export const weightGridDefaults: Readonly<Omit<WeightGridOptions, "rows" | "cols">> = Object.freeze({
  title: "", height: 600, width: null, tiles: null, columns: null, layout: "post-major", colorscale: "Viridis",
  zRange: null, gap: 1, digits: 3, zTitle: "weight",
});

const LAYOUTS: readonly WeightLayout[] = Object.freeze(["post-major", "pre-major"] as const);

/** A heatmap of the receptive fields in `weights`, one `rows × cols` tile per post-synaptic neuron. */
export function weightGrid(weights: Float32Array | ArrayLike<number>, options: WeightGridInput): Figure {
  const fn = "weightGrid";
  if (!isNumericArray(weights)) fail(fn, "weights", "be an array of numbers", weights);
  const defaults = { ...weightGridDefaults, rows: undefined as unknown as number, cols: undefined as unknown as number };
  const o = widgetOptions<WeightGridOptions>(fn, defaults, options);
  const rows = integer(fn, "rows", o.rows, 1);
  const cols = integer(fn, "cols", o.cols, 1);
  const pre = rows * cols;
  if (weights.length === 0 || weights.length % pre !== 0) {
    fail(fn, "weights.length", `be a positive multiple of rows × cols (${pre})`, weights.length);
  }
  const post = weights.length / pre;
  const tiles = o.tiles === null ? post : integer(fn, "tiles", o.tiles, 1);
  if (tiles > post) fail(fn, "tiles", `be <= the number of post-synaptic neurons (${post})`, tiles);
  const columns = o.columns === null ? Math.ceil(Math.sqrt(tiles)) : integer(fn, "columns", o.columns, 1);
  const layoutMode = oneOf(fn, "layout", o.layout, LAYOUTS);
  text(fn, "colorscale", o.colorscale);
  const zRange = interval(fn, "zRange", o.zRange);
  const gap = integer(fn, "gap", o.gap, 0);
  const digits = integer(fn, "digits", o.digits, 1);
  if (digits > 17) fail(fn, "digits", "be an integer <= 17", digits);
  text(fn, "zTitle", o.zTitle);

  const gridRows = Math.ceil(tiles / columns);
  const height = gridRows * rows + (gridRows - 1) * gap;
  const width = Math.min(columns, tiles) * cols + (Math.min(columns, tiles) - 1) * gap;
  const z: (number | null)[][] = Array.from({ length: height }, () => new Array<number | null>(width).fill(null));
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < tiles; k++) {
    const top = Math.floor(k / columns) * (rows + gap);
    const left = (k % columns) * (cols + gap);
    for (let r = 0; r < rows; r++) {
      const line = z[top + r]!;
      for (let c = 0; c < cols; c++) {
        const p = r * cols + c;
        const w = layoutMode === "post-major" ? weights[k * pre + p]! : weights[p * post + k]!;
        if (!Number.isFinite(w)) continue;
        if (w < lo) lo = w;
        if (w > hi) hi = w;
        line[left + c] = significant(w, digits);
      }
    }
  }
  const [zmin, zmax] = zRange ?? (lo <= hi ? [lo, hi] : [0, 1]);

  const layout = baseLayout(o);
  const axis = { showgrid: false, zeroline: false, showticklabels: false, ticks: "", constrain: "domain" };
  layout.xaxis = { ...axis, scaleanchor: "y", range: [-0.5, width - 0.5] };
  layout.yaxis = { ...axis, autorange: "reversed" };
  layout.plot_bgcolor = "#ffffff";
  return {
    data: [{
      type: "heatmap", z, zmin, zmax, colorscale: o.colorscale, hoverongaps: false, zsmooth: false,
      colorbar: { title: axisTitle(o.zTitle) }, hovertemplate: "%{z}<extra></extra>",
    }],
    layout,
    config: { ...figureConfig },
  };
}
