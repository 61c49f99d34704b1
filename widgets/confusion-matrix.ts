/**
 * Confusion matrix as an annotated heatmap: rows are the actual classes, columns the predicted
 * ones, each cell shows its count (or its normalised value), and the title states the accuracy
 * (trace / total). Built from a square count matrix or from `{predicted, actual}` label arrays.
 *
 * @example
 *   const fig = confusionMatrix({ predicted: [0, 1, 1, 2], actual: [0, 1, 2, 2] }, { classNames: ["a", "b", "c"] });
 *   fig.layout.title?.text;   // "accuracy 75.00 % (n = 4)"
 */
import { fail, integer, oneOf } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure } from "./figure";
import { axisTitle, baseLayout, figureConfig, isNumericArray, text, thousands, widgetOptions, type FigureOptions } from "./inputs";

/** Predicted and actual class labels (integers in [0, classes)), one per sample. */
export interface ConfusionLabels {
  readonly predicted: ArrayLike<number>;
  readonly actual: ArrayLike<number>;
}

/** A square matrix of counts, `matrix[actual][predicted]`, or labels to count. */
export type ConfusionInput = readonly (readonly number[])[] | readonly ArrayLike<number>[] | ConfusionLabels;

/** How cells are normalised: not at all, by actual class (rows sum to 1: recall), by predicted class (columns sum to 1: precision), or by the total. */
export type ConfusionNormalize = "none" | "actual" | "predicted" | "all";

/** Options of `confusionMatrix`. */
export interface ConfusionMatrixOptions extends FigureOptions {
  /** Class names, shown HTML-escaped; null: "0", "1", …. Default null. */
  readonly classNames: readonly string[] | null;
  /** Number of classes when counting labels; null: classNames.length or the largest label + 1. Default null. */
  readonly classes: number | null;
  /** Normalisation of the cells (the accuracy in the title is unaffected). Default "none". */
  readonly normalize: ConfusionNormalize;
  /**
   * A Plotly colour-scale name or `[position, colour]` stops. Default: white to dark blue
   * (Plotly's own "Blues" runs dark to light, which hides the diagonal).
   */
  readonly colorscale: string | readonly (readonly [number, string])[];
}

/** The default colour scale of `confusionMatrix`: white (0) to dark blue (the largest cell). */
const WHITE_TO_BLUE = Object.freeze([Object.freeze([0, "#f7fbff"] as const), Object.freeze([1, "#08306b"] as const)]);

/** Defaults of `confusionMatrix`: counts, white to dark blue, height 500 px. */
export const confusionMatrixDefaults: Readonly<ConfusionMatrixOptions> = Object.freeze({
  title: "", height: 500, width: null, classNames: null, classes: null, normalize: "none", colorscale: WHITE_TO_BLUE,
});

const NORMALIZE: readonly ConfusionNormalize[] = Object.freeze(["none", "actual", "predicted", "all"] as const);

/** The count matrix of `input` as plain rows, validated. */
function countsOf(fn: string, input: unknown, classes: number | null): number[][] {
  if (Array.isArray(input)) {
    const n = input.length;
    if (n === 0) fail(fn, "matrix", "have at least one row", n);
    return input.map((row: unknown, i: number) => {
      if (!isNumericArray(row) || row.length !== n) fail(fn, `matrix[${i}]`, `be an array of ${n} counts (square matrix)`, row);
      return Array.from(row, (v, j) => {
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(fn, `matrix[${i}][${j}]`, "be a finite number >= 0", v);
        return v;
      });
    });
  }
  if (input === null || typeof input !== "object") fail(fn, "input", "be a square matrix or {predicted, actual}", input);
  const { predicted, actual } = input as ConfusionLabels;
  if (!isNumericArray(predicted)) fail(fn, "predicted", "be an array of class labels", predicted);
  if (!isNumericArray(actual)) fail(fn, "actual", "be an array of class labels", actual);
  if (actual.length !== predicted.length) fail(fn, "actual.length", `equal predicted.length (${predicted.length})`, actual.length);
  let n = classes ?? 0;
  if (classes === null) {
    for (let s = 0; s < actual.length; s++) n = Math.max(n, actual[s]! + 1, predicted[s]! + 1);
  }
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const label = (param: string, v: number) => {
    if (!Number.isInteger(v) || v < 0 || v >= n) fail(fn, param, `be an integer in [0, ${n - 1}]`, v);
    return v;
  };
  for (let s = 0; s < actual.length; s++) {
    counts[label(`actual[${s}]`, actual[s]!)]![label(`predicted[${s}]`, predicted[s]!)]!++;
  }
  if (n === 0) fail(fn, "classes", "be at least 1 (no labels given)", n);
  return counts;
}

/** A validated plain copy of a colour scale: a name, or stops [position in [0, 1], colour]. */
function colorscaleOf(fn: string, value: unknown): string | [number, string][] {
  if (typeof value === "string") return value;
  if (!Array.isArray(value) || value.length < 2) fail(fn, "colorscale", "be a name or at least two [position, colour] stops", value);
  return value.map((stop: unknown, k: number) => {
    if (!Array.isArray(stop) || stop.length !== 2 || typeof stop[0] !== "number" || !(stop[0] >= 0 && stop[0] <= 1) || typeof stop[1] !== "string") {
      fail(fn, `colorscale[${k}]`, "be [position in [0, 1], colour]", stop);
    }
    return [stop[0], stop[1]];
  });
}

/** A heatmap of the confusion matrix with the count in every cell and the accuracy in the title. */
export function confusionMatrix(input: ConfusionInput, options?: Partial<ConfusionMatrixOptions>): Figure {
  const fn = "confusionMatrix";
  const o = widgetOptions(fn, confusionMatrixDefaults, options);
  if (o.classes !== null) integer(fn, "classes", o.classes, 1);
  if (o.classNames !== null && !Array.isArray(o.classNames)) fail(fn, "classNames", "be null or an array of strings", o.classNames);
  const classes = o.classes ?? (o.classNames !== null && !Array.isArray(input) ? o.classNames.length : null);
  const counts = countsOf(fn, input, classes);
  const n = counts.length;
  const normalize = oneOf(fn, "normalize", o.normalize, NORMALIZE);
  const colorscale = colorscaleOf(fn, o.colorscale);
  let names: string[];
  if (o.classNames === null) {
    names = Array.from({ length: n }, (_, i) => String(i));
  } else {
    if (o.classNames.length !== n) fail(fn, "classNames.length", `equal the number of classes (${n})`, o.classNames.length);
    names = o.classNames.map((name, i) => escapeHtml(text(fn, `classNames[${i}]`, name)));
    if (new Set(names).size !== n) fail(fn, "classNames", "be distinct", o.classNames);
  }

  let total = 0;
  let correct = 0;
  const rowSums = new Array<number>(n).fill(0);
  const colSums = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = counts[i]![j]!;
      total += v;
      rowSums[i] += v;
      colSums[j] += v;
      if (i === j) correct += v;
    }
  }
  const divisor = (i: number, j: number) =>
    normalize === "actual" ? rowSums[i]! : normalize === "predicted" ? colSums[j]! : normalize === "all" ? total : 1;
  const z = counts.map((row, i) => row.map((v, j) => (divisor(i, j) === 0 ? 0 : v / divisor(i, j))));
  const cellText = z.map((row, i) => row.map((v, j) => (normalize === "none" ? String(counts[i]![j]) : v.toFixed(2))));

  const accuracy = total === 0 ? "accuracy — (no samples)" : `accuracy ${((100 * correct) / total).toFixed(2)} % (n = ${thousands(total)})`;
  const layout = baseLayout(o);
  layout.title = { text: o.title === "" ? accuracy : `${escapeHtml(o.title)} — ${accuracy}` };
  layout.margin = { l: 70, r: 30, t: 60, b: 55 }; // the title always holds the accuracy
  layout.xaxis = { title: axisTitle("predicted"), type: "category", side: "bottom", constrain: "domain" };
  layout.yaxis = { title: axisTitle("actual"), type: "category", autorange: "reversed", scaleanchor: "x", constrain: "domain" };
  return {
    data: [{
      type: "heatmap", x: names, y: names, z, text: cellText, texttemplate: "%{text}", colorscale,
      zmin: 0, hovertemplate: "actual %{y}, predicted %{x}: %{text}<extra></extra>",
      colorbar: { title: axisTitle(normalize === "none" ? "count" : "fraction") },
    }],
    layout,
    config: { ...figureConfig },
  };
}
