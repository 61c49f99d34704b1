/**
 * A NIR graph drawn as boxes and arrows: one box per node (its name, type and output shape),
 * placed left to right by depth (the longest path from a node without inputs), arrows along the
 * edges. Takes the rows of `nirSummary(graph)` (or any records with the same fields); recurrent
 * edges (back to an earlier or the same column) are drawn as curved arrows.
 *
 * @example
 *   show(nirGraphPlot(nirSummary(await readNir("cnn_sinabs.nir")), { title: "Sinabs CNN" }));
 */
import { fail } from "../src/core/validate";
import { escapeHtml } from "./escape";
import type { Annotation, Figure, Trace } from "./figure";
import { baseLayout, figureConfig, paletteColor, text, widgetOptions, type FigureOptions } from "./inputs";

/** One node: `nirSummary`'s row (only these fields are read). */
export interface NirGraphNode {
  readonly node: string;
  readonly type: string;
  readonly output: string;
  /** The nodes feeding this one, comma-separated (as `nirSummary` writes it), or a list. */
  readonly from: string | readonly string[];
}

/** Options of `nirGraphPlot`. */
export type NirGraphPlotOptions = FigureOptions;

/** Defaults of `nirGraphPlot`. */
export const nirGraphPlotDefaults: Readonly<NirGraphPlotOptions> = Object.freeze({ title: "", height: 360, width: null });

/** The graph as a figure. */
export function nirGraphPlot(nodes: readonly NirGraphNode[], options?: Partial<NirGraphPlotOptions>): Figure {
  const fn = "nirGraphPlot";
  if (!Array.isArray(nodes) || nodes.length === 0) fail(fn, "nodes", "be a non-empty array of {node, type, output, from} (nirSummary's rows)", nodes);
  const o = widgetOptions(fn, nirGraphPlotDefaults, options);
  const names = nodes.map((n, i) => {
    if (n === null || typeof n !== "object") fail(fn, `nodes[${i}]`, "be an object {node, type, output, from}", n);
    return text(fn, `nodes[${i}].node`, n.node);
  });
  if (new Set(names).size !== names.length) fail(fn, "nodes", "have distinct names", names.join(", "));
  const inputs = nodes.map((n, i) => {
    const list: string[] = typeof n.from === "string" ? n.from.split(",").map((s: string) => s.trim()).filter((s: string) => s !== "")
      : Array.isArray(n.from) ? (n.from as string[]).map((s) => String(s)) : fail(fn, `nodes[${i}].from`, "be a comma-separated string or a list of node names", n.from);
    for (const s of list) if (!names.includes(s)) fail(fn, `nodes[${i}].from`, `name nodes of the graph (${names.join(", ")})`, s);
    return list.map((s) => names.indexOf(s));
  });
  // Depth: longest path from a source, ignoring edges that close a cycle (found by DFS order).
  const depth = new Array<number>(nodes.length).fill(-1);
  const state = new Array<number>(nodes.length).fill(0);   // 0 new, 1 on the stack, 2 done
  const back = new Set<string>();
  const visit = (i: number): number => {
    if (state[i] === 2) return depth[i]!;
    state[i] = 1;
    let d = 0;
    for (const j of inputs[i]!) {
      if (state[j] === 1) back.add(`${j}>${i}`);
      else d = Math.max(d, visit(j) + 1);
    }
    state[i] = 2;
    depth[i] = d;
    return d;
  };
  nodes.forEach((_n, i) => visit(i));
  const rowOf = new Array<number>(nodes.length);
  const perColumn = new Map<number, number>();
  nodes.forEach((_n, i) => {
    const k = perColumn.get(depth[i]!) ?? 0;
    rowOf[i] = k;
    perColumn.set(depth[i]!, k + 1);
  });
  const x = depth.map((d) => d);
  const y = rowOf.map((r, i) => -(r - ((perColumn.get(depth[i]!) ?? 1) - 1) / 2));
  const types = [...new Set(nodes.map((n) => String(n.type)))];
  const data: Trace[] = types.map((t, k) => {
    const mine = nodes.map((_n, i) => i).filter((i) => String(nodes[i]!.type) === t);
    return {
      type: "scatter", mode: "markers+text", name: escapeHtml(t),
      x: mine.map((i) => x[i]!), y: mine.map((i) => y[i]!),
      text: mine.map((i) => `${escapeHtml(names[i]!)}<br>${escapeHtml(t)}<br>${escapeHtml(String(nodes[i]!.output ?? ""))}`),
      textposition: "middle center", textfont: { size: 10 },
      marker: { symbol: "square", size: 58, color: paletteColor(k), opacity: 0.25, line: { color: paletteColor(k), width: 1.5 } },
      hoverinfo: "text",
    };
  });
  const arrows: Annotation[] = [];
  inputs.forEach((list: number[], i: number) => list.forEach((j: number) => {
    const recurrent = back.has(`${j}>${i}`) || depth[j]! >= depth[i]!;
    arrows.push({
      text: "", x: x[i]! - 0.18, y: y[i]!, ax: x[j]! + 0.18, ay: y[j]! + (recurrent ? 0.35 : 0), xref: "x", yref: "y", axref: "x", ayref: "y",
      showarrow: true, arrowhead: 2, arrowsize: 1, arrowwidth: 1.2, arrowcolor: recurrent ? "#d62728" : "#555",
    });
  }));
  const layout = baseLayout(o);
  const columns = Math.max(...depth) + 1;
  const rows = Math.max(...perColumn.values());
  layout.xaxis = { visible: false, range: [-0.6, columns - 0.4] };
  layout.yaxis = { visible: false, range: [-(rows / 2) - 0.2, rows / 2 + 0.2] };
  layout.annotations = arrows;
  layout.showlegend = true;
  layout.legend = { orientation: "h", y: -0.05 };
  if (o.width === null) layout.width = Math.max(500, 110 * columns);
  return { data, layout, config: { ...figureConfig } };
}
