/**
 * Ours against the paper's: one marker per reproduced number, x the paper's value, y ours, the
 * diagonal y = x drawn, markers coloured by verdict (target met, missed, no target). Points above
 * the diagonal beat the paper. Put only numbers of one unit on one figure (accuracies in %).
 *
 * @example
 *   show(paperVsOurs(rows.filter((r) => r.unit === "%" && typeof r.paper === "number")
 *     .map((r) => ({ label: `${r.notebook} ${r.quantity}`, paper: r.paper, ours: r.ours, met: r.met }))));
 */
import { fail, finite } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Figure, Trace } from "./figure";
import { axisTitle, baseLayout, figureConfig, text, widgetOptions, type FigureOptions } from "./inputs";

/** One reproduced number. */
export interface PaperVsOursPoint {
  /** Hover label (HTML-escaped), e.g. "12 · CNN test accuracy". */
  readonly label: string;
  readonly paper: number;
  readonly ours: number;
  /** The verdict: true met, false missed, null/absent without a target. */
  readonly met?: boolean | null;
}

/** Options of `paperVsOurs`. */
export interface PaperVsOursOptions extends FigureOptions {
  /** The unit shown in the axis titles, e.g. "%". Default "%". */
  readonly unit: string;
}

/** Defaults of `paperVsOurs`. */
export const paperVsOursDefaults: Readonly<PaperVsOursOptions> = Object.freeze({ title: "", height: 520, width: 620, unit: "%" });

const GROUPS = [
  { met: true as boolean | null, name: "target met ✓", color: "#2ca02c", symbol: "circle" },
  { met: false as boolean | null, name: "target missed ✗", color: "#d62728", symbol: "x" },
  { met: null as boolean | null, name: "no target", color: "#7f7f7f", symbol: "circle-open" },
];

/** The paper-against-ours scatter with its diagonal. */
export function paperVsOurs(points: readonly PaperVsOursPoint[], options?: Partial<PaperVsOursOptions>): Figure {
  const fn = "paperVsOurs";
  if (!Array.isArray(points)) fail(fn, "points", "be an array of {label, paper, ours, met}", points);
  const o = widgetOptions(fn, paperVsOursDefaults, options);
  text(fn, "unit", o.unit);
  const checked = points.map((p, i) => {
    if (p === null || typeof p !== "object") fail(fn, `points[${i}]`, "be an object {label, paper, ours, met}", p);
    const met = p.met === undefined || p.met === null ? null : p.met;
    if (met !== null && typeof met !== "boolean") fail(fn, `points[${i}].met`, "be true, false or null", p.met);
    return { label: escapeHtml(text(fn, `points[${i}].label`, p.label)), paper: finite(fn, `points[${i}].paper`, p.paper), ours: finite(fn, `points[${i}].ours`, p.ours), met };
  });
  const all = checked.flatMap((p) => [p.paper, p.ours]);
  const lo = all.length === 0 ? 0 : Math.min(...all);
  const hi = all.length === 0 ? 1 : Math.max(...all);
  const pad = Math.max((hi - lo) * 0.05, 1e-9);
  const range: [number, number] = [lo - pad, hi + pad];
  const data: Trace[] = GROUPS.map((g) => {
    const mine = checked.filter((p) => p.met === g.met);
    return {
      type: "scatter", mode: "markers", name: g.name,
      x: mine.map((p) => p.paper), y: mine.map((p) => p.ours), text: mine.map((p) => p.label),
      hovertemplate: "%{text}<br>paper %{x}<br>ours %{y}<extra></extra>",
      marker: { color: g.color, symbol: g.symbol, size: 9 },
    };
  }).filter((t) => (t.x as number[]).length > 0);
  const unit = o.unit === "" ? "" : ` (${o.unit})`;
  const layout = baseLayout(o);
  layout.xaxis = { title: axisTitle(`the paper's number${unit}`), range, zeroline: false };
  layout.yaxis = { title: axisTitle(`ours${unit}`), range, zeroline: false, scaleanchor: "x" };
  layout.shapes = [{ type: "line", x0: range[0], y0: range[0], x1: range[1], y1: range[1], line: { color: "#444", dash: "dot", width: 1 } }];
  layout.annotations = [{ text: "ours = paper", x: range[1], y: range[1], xanchor: "right", yanchor: "bottom", showarrow: false, font: { size: 11, color: "#444" } }];
  return { data, layout, config: { ...figureConfig } };
}
