/**
 * The NIR simulator, part of `interop/nir/simulate/` (described in index.ts): `nirNetwork`: a graph flattened (nested graphs inlined) and compiled.
 */
import { mergeOptions, oneOf, positive } from "../../../core/validate";
import { second } from "../../../core/units";
import { checkNirGraph, resolveEndpoint, type NirGraph, type NirNode, type NirNodeShapes } from "../graph";
import { compileOp, size } from "./compile";
import { type NirMethod, type NirNetwork, type NirNetworkOptions, type NirUnit, type Op, compiled, nirMethods } from "./types";

interface FlatUnit {
  name: string;
  node: NirNode;
  shapes: NirNodeShapes;
  /** External input (a top-level Input). */
  external: boolean;
}

/** Flattens nested graphs: units with full names and edges between them. */
function flatten(graph: NirGraph, shapes: Record<string, NirNodeShapes>, prefix: string, units: FlatUnit[], edges: [string, string][], top: boolean): void {
  for (const [name, node] of Object.entries(graph.nodes)) {
    if (node.type === "NIRGraph") flatten(node, checkNirGraph("nirNetwork", node), `${prefix}${name}/`, units, edges, false);
    else units.push({ name: prefix + name, node, shapes: shapes[name]!, external: top && node.type === "Input" });
  }
  for (const [a, b] of graph.edges) {
    const src = resolveEndpoint(graph, a, "source")!;
    const dst = resolveEndpoint(graph, b, "target")!;
    edges.push([prefix + src.node + (src.inner ? "/" + src.inner : ""), prefix + dst.node + (dst.inner ? "/" + dst.inner : "")]);
  }
}

/**
 * Compiles a graph for simulation (file header). The graph is checked as `nirGraph` does.
 *
 * @example
 *   const net = nirNetwork(graph, { dt: 1 * ms });
 */
export function nirNetwork(graph: NirGraph, options: Partial<NirNetworkOptions> & Pick<NirNetworkOptions, "dt">): NirNetwork {
  const fn = "nirNetwork";
  const o = mergeOptions(fn, { dt: undefined as unknown as number, method: "exact" as NirMethod }, options);
  positive(fn, "dt", o.dt);
  oneOf(fn, "method", o.method, nirMethods);
  const shapes = checkNirGraph(fn, graph);
  const flat: FlatUnit[] = [];
  const edges: [string, string][] = [];
  flatten(graph, shapes, "", flat, edges, true);
  const byName = new Map(flat.map((u) => [u.name, u]));
  const successors = new Map<string, string[]>(flat.map((u) => [u.name, []]));
  for (const [a, b] of edges) successors.get(a)!.push(b);
  // Depth-first from the Input units; reverse post-order is a topological order of the graph
  // without its back edges, which become the one-step recurrent edges.
  const visited = new Set<string>();
  const post: string[] = [];
  const visit = (start: string) => {
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    visited.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = successors.get(top.name)!;
      if (top.next < succ.length) {
        const s = succ[top.next++]!;
        if (!visited.has(s)) {
          visited.add(s);
          stack.push({ name: s, next: 0 });
        }
      } else {
        post.push(top.name);
        stack.pop();
      }
    }
  };
  for (const u of flat) if (u.external && !visited.has(u.name)) visit(u.name);
  for (const u of flat) if (!visited.has(u.name)) visit(u.name);
  const order = post.reverse();
  const position = new Map(order.map((name, i) => [name, i]));
  const h = o.dt / second;
  const neuron = new Set<string>();
  const cuba = new Set<string>();
  const memorySizes = new Map<string, number>();
  const ops: Op[] = order.map((name, i) => {
    const u = byName.get(name)!;
    const incoming = edges.filter(([, b]) => b === name).map(([a]) => a);
    const unit: NirUnit = Object.freeze({
      name, type: u.node.type, inputShape: u.shapes.input, outputShape: u.shapes.output, size: size(u.shapes.output),
      from: Object.freeze(incoming.map((a) => Object.freeze({ name: a, recurrent: position.get(a)! >= i }))),
    });
    const op = compileOp(fn, unit, u.node, h, o.method);
    if (["I", "IF", "LI", "LIF", "CubaLI", "CubaLIF"].includes(u.node.type)) neuron.add(name);
    if (u.node.type === "CubaLI" || u.node.type === "CubaLIF") cuba.add(name);
    if (op.memory) memorySizes.set(name, op.memory);
    return { ...op, unit, sources: incoming.map((a) => position.get(a)!), node: u.node };
  });
  const units = Object.freeze(ops.map((op) => op.unit));
  const top = (type: string) => Object.freeze(Object.keys(graph.nodes).filter((k) => graph.nodes[k]!.type === type).map((k) => units.find((x) => x.name === k)!));
  const net = { graph, dt: o.dt, method: o.method, units, inputs: top("Input"), outputs: top("Output") } as NirNetwork;
  // tslab prints a cell's last value with console.log: a one-line summary, not every weight.
  Object.defineProperty(net, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `NirNetwork(dt ${o.dt} ms, ${o.method}, ${units.length} units: ${net.inputs.map((u) => `${u.name} [${u.outputShape.join(", ")}]`).join(", ") || "no input"} → ${net.outputs.map((u) => `${u.name} [${u.outputShape.join(", ")}]`).join(", ") || "no output"})`,
  });
  Object.freeze(net);
  compiled.set(net, { ops, neuron, cuba, memorySizes });
  return net;
}
