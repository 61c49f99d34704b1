/**
 * NIR files: every node type, a nested graph and metadata round-trip through writeNir/readNir;
 * h5py (when installed) reads what we write as NIR's layout; each kind of bad file is one clear
 * error; a failed write leaves no file behind.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { nirGraph, nirNodeTypes, nirShapes, nirSummary, nirTensor, type NirGraph, type NirNode } from "../../src/interop/nir/graph";
import { hdf5 } from "../../src/interop/nir/hdf5";
import { readNir } from "../../src/interop/nir/read";
import { nirNetwork, nirRun } from "../../src/interop/nir/simulate";
import { nirVersion, writeNir } from "../../src/interop/nir/write";

const f32 = (shape: number[], f: (i: number) => number) => nirTensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)), shape);
const f64 = (shape: number[], f: (i: number) => number) => nirTensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)), shape);
const same = (shape: number[], v: number) => f64(shape, () => v);

/** A graph holding every node type, chained so that every shape checks. */
function everyType(): NirGraph {
  const n4 = [4];
  const sub: NirGraph = nirGraph({
    input: { type: "Input", shape: n4 },
    cuba: { type: "CubaLIF", tauSyn: same(n4, 0.005), tauMem: same(n4, 0.01), r: same(n4, 2), vLeak: same(n4, 0), vThreshold: same(n4, 0.5), vReset: same(n4, -0.1), wIn: same(n4, 1.5) },
    output: { type: "Output", shape: n4 },
  }, [["input", "cuba"], ["cuba", "output"]], { role: "nested" });
  const nodes: Record<string, NirNode> = {
    input: { type: "Input", shape: [2, 6, 6], metadata: { note: "pixels", scale: 0.5, count: 3, table: f64([2], (i) => i + 0.25), nested: { unit: "s" } } },
    conv2: { type: "Conv2d", weight: f32([3, 2, 3, 3], (i) => Math.sin(i)), bias: f32([3], (i) => 0.1 * i), stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, inputShape: [6, 6] },
    if: { type: "IF", r: same([3, 6, 6], 1), vThreshold: same([3, 6, 6], 0.5), vReset: same([3, 6, 6], 0), metadata: { "snnlab.reset": "subtract" } },
    sum: { type: "SumPool2d", kernelSize: [2, 2], stride: [2, 2], padding: [0, 0] },
    avg: { type: "AvgPool2d", kernelSize: [1, 1], stride: [1, 1], padding: [0, 0] },
    flatten: { type: "Flatten", startDim: 0, endDim: -1, inputShape: [3, 3, 3] },
    affine: { type: "Affine", weight: f32([4, 27], (i) => Math.cos(i) * 0.3), bias: f32([4], (i) => 0.05 * i) },
    lif: { type: "LIF", tau: same(n4, 0.02), r: same(n4, 1), vLeak: same(n4, 0), vThreshold: same(n4, 0.2), vReset: same(n4, 0) },
    linear: { type: "Linear", weight: f64([4, 4], (i) => (i % 5 === 0 ? 1 : 0.1)) },
    li: { type: "LI", tau: same(n4, 0.01), r: same(n4, 1), vLeak: same(n4, 0) },
    scale: { type: "Scale", scale: f32(n4, (i) => 1 + i) },
    delay: { type: "Delay", delay: f64(n4, (i) => 0.001 * i) },
    threshold: { type: "Threshold", threshold: f64(n4, () => 0.01) },
    i: { type: "I", r: same(n4, 100) },
    cubali: { type: "CubaLI", tauSyn: same(n4, 0.002), tauMem: same(n4, 0.002), r: same(n4, 1), vLeak: same(n4, 0), wIn: same(n4, 1) },
    sub,
    conv1: { type: "Conv1d", weight: f32([2, 1, 3], (i) => i - 2), bias: f32([2], () => 0), stride: 1, padding: "same", dilation: 1, groups: 1, inputShape: 4 },
    output: { type: "Output", shape: [2, 4] },
  };
  const chain = Object.keys(nodes);
  const edges = chain.slice(1).map((name, k) => [chain[k]!, name] as [string, string]);
  return nirGraph(nodes, edges, { "snnlab.dt": 0.001, source: "test" });
}

describe("NIR files", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-nir-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const file = (name: string) => path.join(tmp, name);

  it("writeNir(file, graph) then readNir(file) gives back every node type, the nested graph, edges and metadata", async () => {
    const graph = everyType();
    const types = new Set<string>();
    const collect = (g: NirGraph) => Object.values(g.nodes).forEach((n) => {
      types.add(n.type);
      if (n.type === "NIRGraph") collect(n);
    });
    collect(graph);
    assert.deepEqual([...types].sort(), [...nirNodeTypes].sort());
    await writeNir(file("every.nir"), graph);
    const back = await readNir(file("every.nir"));
    assert.deepStrictEqual(back, graph);
    assert.ok((back.nodes.conv2 as { weight: { data: unknown } }).weight.data instanceof Float32Array);
    assert.ok((back.nodes.linear as { weight: { data: unknown } }).weight.data instanceof Float64Array);
    assert.deepEqual(nirShapes(back).conv1, { input: [1, 4], output: [2, 4] });
    assert.deepEqual(nirSummary(back).find((r) => r.node === "sum"), { node: "sum", type: "SumPool2d", input: "[3, 6, 6]", output: "[3, 3, 3]", parameters: 0, from: "if" });
  });

  it("nirRun runs the graph of every node type", async () => {
    const net = nirNetwork(await readNir(file("every.nir")), { dt: 1 });
    const input = Float64Array.from({ length: 5 * 72 }, (_, i) => (i % 7) / 7);
    const run = nirRun(net, input, { record: ["sub/cuba", "delay"] });
    assert.equal(run.outputs.output!.length, 5 * 8);
    assert.ok(run.outputs.output!.every(Number.isFinite));
    assert.equal(run.records["sub/cuba"]!.current!.length, 5 * 4);
  });

  it("h5py reads what writeNir writes as NIR's layout: version, vlen UTF-8 strings, gzip float datasets, int64 integers, [n, 2] edges", { skip: hasH5py() ? false : "python3 with h5py is not installed (apt-get install python3-h5py)" }, async () => {
    const script = [
      "import h5py, json, sys",
      "f = h5py.File(sys.argv[1], 'r')",
      "out = {}",
      "def visit(name, o):",
      "    if isinstance(o, h5py.Dataset):",
      "        v = o[()]",
      "        out[name] = [o.dtype.str if o.dtype.kind != 'O' else 'vlen-' + str(h5py.check_string_dtype(o.dtype).encoding), list(o.shape), o.compression,",
      "                     v.decode() if isinstance(v, bytes) else None]",
      "f.visititems(visit)",
      "print(json.dumps(out))",
    ].join("\n");
    const out = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, file("every.nir")], { encoding: "utf8" })) as Record<string, [string, number[], string | null, string | null]>;
    assert.deepEqual(out.version, ["vlen-utf-8", [], null, nirVersion]);
    assert.deepEqual(out["node/type"], ["vlen-utf-8", [], null, "NIRGraph"]);
    assert.deepEqual(out["node/edges"]!.slice(0, 2), ["vlen-utf-8", [17, 2]]);
    assert.deepEqual(out["node/nodes/conv2/weight"]!.slice(0, 3), ["<f4", [3, 2, 3, 3], "gzip"]);
    assert.deepEqual(out["node/nodes/lif/tau"]!.slice(0, 3), ["<f8", [4], "gzip"]);
    assert.deepEqual(out["node/nodes/conv2/stride"]!.slice(0, 2), ["<i8", [2]]);
    assert.deepEqual(out["node/nodes/conv2/groups"]!.slice(0, 2), ["<i8", []]);
    assert.deepEqual(out["node/nodes/conv1/padding"], ["vlen-utf-8", [], null, "same"]);
    assert.deepEqual(out["node/nodes/sub/nodes/cuba/type"]!.slice(3), ["CubaLIF"]);
    assert.deepEqual(out["node/nodes/input/metadata/nested/unit"]!.slice(3), ["s"]);
  });

  /** Writes a small LIF graph file by hand, with `edit` changing it first. */
  async function handWritten(name: string, edit: (root: { version: string; lifFields: string[]; edges: string[]; affineRows: number; type: string }) => void): Promise<string> {
    const h5 = await hdf5();
    const spec = { version: "0.2.0", lifFields: ["tau", "r", "v_leak", "v_threshold"], edges: ["input", "0", "0", "1", "1", "output"], affineRows: 1, type: "LIF" };
    edit(spec);
    const f = new h5.File(file(name), "w");
    if (spec.version) f.create_dataset({ name: "version", data: spec.version });
    const node = f.create_group("node");
    node.create_dataset({ name: "type", data: "NIRGraph" });
    node.create_dataset({ name: "edges", data: spec.edges, shape: [spec.edges.length / 2, 2] });
    const nodes = node.create_group("nodes");
    const input = nodes.create_group("input");
    input.create_dataset({ name: "type", data: "Input" });
    input.create_dataset({ name: "shape", data: BigInt64Array.of(1n), shape: [1], dtype: "<q" });
    const affine = nodes.create_group("0");
    affine.create_dataset({ name: "type", data: "Affine" });
    affine.create_dataset({ name: "weight", data: new Float32Array(spec.affineRows).fill(1), shape: [spec.affineRows, 1], dtype: "<f" });
    affine.create_dataset({ name: "bias", data: new Float32Array(spec.affineRows), shape: [spec.affineRows], dtype: "<f" });
    const lif = nodes.create_group("1");
    lif.create_dataset({ name: "type", data: spec.type });
    // NIR 1.x's writer adds the derived types as groups; the reader skips them.
    lif.create_group("input_type").create_dataset({ name: "input", data: BigInt64Array.of(1n), shape: [1], dtype: "<q" });
    lif.create_group("output_type").create_dataset({ name: "output", data: BigInt64Array.of(1n), shape: [1], dtype: "<q" });
    for (const field of spec.lifFields) lif.create_dataset({ name: field, data: Float32Array.of(field === "tau" ? 0.0025 : field === "v_threshold" ? 0.1 : 1), shape: [1], dtype: "<f" });
    const output = nodes.create_group("output");
    output.create_dataset({ name: "type", data: "Output" });
    output.create_dataset({ name: "shape", data: BigInt64Array.of(1n), shape: [1], dtype: "<q" });
    f.close();
    return file(name);
  }

  it("readNir(hand-written file) reads the layout NIR's writer produces (the check that the bad files below differ in one thing only)", async () => {
    const g = await readNir(await handWritten("good.nir", () => undefined));
    assert.deepEqual(Object.keys(g.nodes).sort(), ["0", "1", "input", "output"]);
    assert.deepEqual(Array.from((g.nodes["1"] as { vReset: { data: Float32Array } }).vReset.data), [0]);
  });

  it("readNir(bad file) throws one clear error for each defect", async () => {
    const cases: [string, (s: { version: string; lifFields: string[]; edges: string[]; affineRows: number; type: string }) => void, RegExp][] = [
      ["version.nir", (s) => { s.version = "2.0.0"; }, /^SnnlabError: readNir: version must be a NIR version 0\.x or 1\.x \(the layouts this reader knows\), got "2\.0\.0"$/],
      ["no-version.nir", (s) => { s.version = ""; }, /^SnnlabError: readNir: version must be a string dataset "version" at the root of the file, got "no version in .*no-version\.nir"$/],
      ["missing-field.nir", (s) => { s.lifFields = ["r", "v_leak", "v_threshold"]; }, /^SnnlabError: readNir: nodes\["1"\] \(LIF\) must have a dataset "tau", got "fields \[\\"input_type\\",\\"output_type\\",\\"r\\",\\"type\\",\\"v_leak\\",\\"v_threshold\\"\]"$/],
      ["unknown-edge.nir", (s) => { s.edges = [...s.edges, "1", "ghost"]; }, /^SnnlabError: readNir: edges\[3\] must end at a node of the graph \(0, 1, input, output\), got "\[\\"1\\", \\"ghost\\"\]"$/],
      ["edge-shape.nir", (s) => { s.affineRows = 3; }, /^SnnlabError: readNir: edges\[1\] \("0" → "1"\) must join a source and a target of equal sizes, got "\[3\] → \[1\]"$/],
      ["unknown-type.nir", (s) => { s.type = "AdEx"; }, /^SnnlabError: readNir: nodes\["1"\]\.type must be one of Input, Output, .*CubaLIF, NIRGraph, got "AdEx"$/],
    ];
    for (const [name, edit, message] of cases) {
      const f = await handWritten(name, edit);
      await assert.rejects(readNir(f), (err: Error) => {
        assert.match(`${err.name}: ${err.message}`, message, name);
        return true;
      });
    }
    fs.writeFileSync(file("text.nir"), "not hdf5");
    await assert.rejects(readNir(file("text.nir")), /^SnnlabError: readNir: file must be an HDF5 file \(NIR writes HDF5\), got ".*text\.nir"$/);
    await assert.rejects(readNir(file("absent.nir")), /readNir: file must be an existing \.nir file/);
  });

  it("readNir(file with parameters of unequal shapes in one neuron) names the field", async () => {
    const h5 = await hdf5();
    const f = new h5.File(file("lif-shapes.nir"), "w");
    f.create_dataset({ name: "version", data: "1.0.7" });
    const node = f.create_group("node");
    node.create_dataset({ name: "type", data: "NIRGraph" });
    node.create_dataset({ name: "edges", data: ["lif", "output"], shape: [1, 2] });
    const nodes = node.create_group("nodes");
    const lif = nodes.create_group("lif");
    lif.create_dataset({ name: "type", data: "LIF" });
    lif.create_dataset({ name: "tau", data: Float64Array.of(0.01, 0.01), shape: [2], dtype: "<d" });
    for (const field of ["r", "v_leak", "v_threshold"]) lif.create_dataset({ name: field, data: Float64Array.of(1), shape: [1], dtype: "<d" });
    const output = nodes.create_group("output");
    output.create_dataset({ name: "type", data: "Output" });
    output.create_dataset({ name: "shape", data: BigInt64Array.of(2n), shape: [1], dtype: "<q" });
    f.close();
    await assert.rejects(readNir(file("lif-shapes.nir")), /^SnnlabError: readNir: nodes\["lif"\] \(LIF\)\.r must have the shape of tau \[2\], got "\[1\]"$/);
  });

  it("writeNir(file, bad graph) throws before writing: no file and no temporary file is left", async () => {
    const good = everyType();
    const bad = { ...good, edges: [...good.edges, ["output", "nowhere"] as const] } as NirGraph;
    await assert.rejects(writeNir(file("bad.nir"), bad), /^SnnlabError: writeNir: edges\[17\] must end at a node of the graph/);
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.includes("bad")), []);
    await assert.rejects(writeNir(path.join(tmp, "no-such-folder", "x.nir"), good), /writeNir: file must be in an existing folder/);
  });

  it("nirGraph(nodes, edges) rejects a malformed graph with the standard message", () => {
    assert.throws(() => nirGraph({ a: { type: "Input", shape: [2] } }, [["a", "b"]]), /^SnnlabError: nirGraph: edges\[0\] must end at a node of the graph \(a\), got/);
    assert.throws(() => nirGraph({ a: { type: "Scale", scale: { data: new Float32Array(3), shape: [2] } } as unknown as NirNode }, []), /nirGraph: nodes\["a"\] \(Scale\)\.scale must be a tensor/);
    assert.throws(() => nirTensor(new Float32Array(3), [2, 2]), /^SnnlabError: nirTensor: shape must hold data\.length = 3 elements, got "\[2, 2\]"$/);
  });
});

function hasH5py(): boolean {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import h5py"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
