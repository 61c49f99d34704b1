/**
 * The `.nir` files other frameworks wrote (../shared/nir/, not copied into the project; the tests
 * skip with a message when the folder is absent): each one reads, checks and round-trips; the
 * NIR paper's LIF benchmark matches the exact solution at least as closely as the best platform;
 * the recurrent Braille network gives the same spikes flat and nested; Sinabs's CNN computes the
 * convolution its file describes.
 *
 * The LIF measure: the voltage trace divided by its maximum (every platform scales voltage its
 * own way; this is the normalisation of the NIR paper's `lif_comparison.ipynb`), then the root
 * mean square difference to the exact solution's normalised trace over the 1000 steps.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { repoRoot } from "../../kernel/jupyter";
import { EPS32, ms, second } from "../../src/core/units";
import { nirShapes } from "../../src/interop/nir/graph";
import { readNir } from "../../src/interop/nir/read";
import { nirNetwork, nirRun } from "../../src/interop/nir/simulate";
import { writeNir } from "../../src/interop/nir/write";
import { createRng } from "../../src/core/random";

const shared = path.resolve(repoRoot, "..", "shared", "nir");
const skip = fs.existsSync(path.join(shared, "lif_norse.nir")) ? false : `the shared NIR files are not here (${shared})`;
const nirFiles = skip ? [] : fs.readdirSync(shared).filter((f) => f.endsWith(".nir")).sort();
const readOptions = (file: string) => (file.includes("subgraph") ? { edgeNames: "match-unused" as const } : {});

function csv(name: string): number[][] {
  return fs.readFileSync(path.join(shared, name), "utf8").trim().split("\n").map((line) => line.split(",").map(Number));
}

/** RMS difference of two traces, each divided by its maximum (file header). */
function normalisedRms(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = -Infinity;
  let mb = -Infinity;
  for (let i = 0; i < a.length; i++) {
    ma = Math.max(ma, a[i]!);
    mb = Math.max(mb, b[i]!);
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! / ma - b[i]! / mb) ** 2;
  return Math.sqrt(sum / a.length);
}

function spikeSteps(spikes: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < spikes.length; i++) if (spikes[i] === 1) out.push(i);
  return out;
}

describe("NIR files written by other frameworks", { skip }, () => {
  const tmp = skip ? "" : fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-nir-shared-"));
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("readNir(file) reads every file of the folder, with the node types and shapes NIR infers", async () => {
    assert.ok(nirFiles.length >= 7, `found ${nirFiles.join(", ")}`);
    const types: Record<string, string[]> = {};
    for (const file of nirFiles) {
      const graph = await readNir(path.join(shared, file), readOptions(file));
      types[file] = [...new Set(Object.values(graph.nodes).map((n) => n.type))].sort();
      nirShapes(graph);
    }
    assert.deepEqual(types["cnn_sinabs.nir"], ["Affine", "Conv2d", "Flatten", "IF", "Input", "Output", "SumPool2d"]);
    assert.deepEqual(types["braille_noDelay_bias_zero.nir"], ["Affine", "CubaLIF", "Input", "Output"]);
    assert.deepEqual(types["braille_noDelay_bias_zero_subgraph.nir"], ["Affine", "CubaLIF", "Input", "NIRGraph", "Output"]);
    assert.deepEqual(types["lif_rockpool.nir"], ["Input", "LIF", "Linear", "Output"]);
    const sinabs = nirShapes(await readNir(path.join(shared, "cnn_sinabs.nir")));
    assert.deepEqual(sinabs["0"], { input: [2, 34, 34], output: [16, 16, 16] });
    assert.deepEqual(sinabs["7"], { input: [8, 8, 8], output: [8, 4, 4] });
    assert.deepEqual(sinabs["8"], { input: [8, 4, 4], output: [128] });
  });

  it("readNir(subgraph file) names the one edge naming no node, and reads it only when asked to match it to the unused node", async () => {
    await assert.rejects(readNir(path.join(shared, "braille_noDelay_bias_zero_subgraph.nir")),
      /^SnnlabError: readNir: nodes\["lif1"\]\.edges\[0\] must name nodes of the graph .*"lif" matches none and only "lif1" is named by no edge: pass \{edgeNames: "match-unused"\}/);
    const g = await readNir(path.join(shared, "braille_noDelay_bias_zero_subgraph.nir"), { edgeNames: "match-unused" });
    const inner = g.nodes.lif1!;
    assert.ok(inner.type === "NIRGraph");
    assert.deepEqual(inner.edges, [["input", "lif1"], ["lif1", "lin"], ["lin", "lif1"], ["lif1", "output"]]);
  });

  it("writeNir then readNir gives every file's graph back: same nodes, edges, parameters and element types", async () => {
    for (const file of nirFiles) {
      const graph = await readNir(path.join(shared, file), readOptions(file));
      const copy = path.join(tmp, file);
      await writeNir(copy, graph);
      assert.deepStrictEqual(await readNir(copy), graph, file);
    }
  });

  it("nirRun(LIF graph, the NIR paper's input, dt 0.1 ms, \"event\") matches lif_exact.csv at least as closely as the best platform", async () => {
    const exact = csv("lif_exact.csv");
    const input = Float64Array.from(exact, (row) => row[0]!);
    const exactV = exact.map((row) => row[1]!);
    const net = nirNetwork(await readNir(path.join(shared, "lif_norse.nir")), { dt: 0.1 * ms, method: "event" });
    const run = nirRun(net, input, { record: ["1"] });
    const ours = normalisedRms(run.records["1"]!.v!, exactV);
    const platforms = fs.readdirSync(shared).filter((f) => /^lif_.*\.csv$/.test(f) && f !== "lif_exact.csv").sort();
    const theirs = Object.fromEntries(platforms.map((f) => [f, normalisedRms(csv(f).map((row) => row[1]!), exactV)]));
    const best = Math.min(...Object.values(theirs));
    assert.ok(platforms.length >= 5, `platform traces: ${platforms.join(", ")}`);
    assert.ok(ours <= best, `ours ${ours} > best platform ${best} (${JSON.stringify(theirs)})`);
    // Far closer in fact: the event method is the exact solution, up to float32 parameters and the CSV's digits.
    assert.ok(ours < 1e-6, `ours ${ours}`);
    assert.deepEqual(spikeSteps(run.outputs.output!), spikeSteps(exact.map((row) => row[2]!)));
    assert.deepEqual(spikeSteps(run.outputs.output!), [460, 510, 710, 760]);
  });

  it("nirRun(LIF graph, \"euler\") reproduces Norse's trace (forward Euler), to float32 precision", async () => {
    const norse = csv("lif_norse.csv");
    const net = nirNetwork(await readNir(path.join(shared, "lif_norse.nir")), { dt: 0.1 * ms, method: "euler" });
    const run = nirRun(net, Float64Array.from(norse, (row) => row[0]!), { record: ["1"] });
    const v = run.records["1"]!.v!;
    // Norse computes in float32: each of the ~25 steps a perturbation lives (τ/dt) adds ≤ EPS32 relative.
    for (let t = 0; t < v.length; t++) assert.ok(Math.abs(v[t]! - norse[t]![1]!) <= 64 * EPS32 * 0.1, `step ${t}: ${v[t]} vs ${norse[t]![1]}`);
    assert.deepEqual(spikeSteps(run.outputs.output!), spikeSteps(norse.map((row) => row[2]!)));
  });

  it("nirRun(two LIF neurons) fires the self-driven neuron every ⌈τ·ln 6 / dt⌉ steps (v_leak = 1.2, θ = 1, reset to 0)", async () => {
    const net = nirNetwork(await readNir(path.join(shared, "two_lif_neurons.nir")), { dt: 0.1 * ms });
    const run = nirRun(net, new Float64Array(1), { steps: 600, record: ["lif1", "lif2"] });
    // From v = 0: 1.2·(1 − e^{−t/τ}) > 1 once t > τ·ln 6 = 17.92 ms, the 180th step after the reset.
    const steps = spikeSteps(run.records.lif1!.output);
    assert.deepEqual(steps, [0, 180, 360, 540]);
    assert.equal(spikeSteps(run.records.lif2!.output).length, 0);
  });

  it("nirRun(Braille network) gives the same spikes from the flat file and from the nested-subgraph file", async () => {
    const flat = nirNetwork(await readNir(path.join(shared, "braille_noDelay_bias_zero.nir")), { dt: 0.1 * ms, method: "euler" });
    const nested = nirNetwork(await readNir(path.join(shared, "braille_noDelay_bias_zero_subgraph.nir"), { edgeNames: "match-unused" }), { dt: 0.1 * ms, method: "euler" });
    // The recurrent edge is one step late in both.
    assert.ok(flat.units.find((u) => u.name === "lif1.lif")!.from.some((f) => f.name === "lif1.w_rec" && f.recurrent));
    assert.ok(nested.units.find((u) => u.name === "lif1/lif1")!.from.some((f) => f.name === "lif1/lin" && f.recurrent));
    const rng = createRng(21);
    const T = 300;
    const input = new Float64Array(T * 12);
    for (let i = 0; i < input.length; i++) input[i] = rng.next() < 0.2 ? 1 : 0;
    const a = nirRun(flat, input, { record: ["lif1.lif"] });
    const b = nirRun(nested, input, { record: ["lif1/lif1"] });
    assert.deepEqual(Array.from(b.outputs.output!), Array.from(a.outputs.output!));
    assert.deepEqual(Array.from(b.records["lif1/lif1"]!.output), Array.from(a.records["lif1.lif"]!.output));
    const hidden = a.records["lif1.lif"]!.output.reduce((s, x) => s + x, 0);
    const out = a.outputs.output!.reduce((s, x) => s + x, 0);
    assert.ok(hidden > 0 && out > 0, `hidden ${hidden}, output ${out} spikes`);
  });

  it("nirRun(Sinabs CNN, dt = 1 s) spikes where the file's first convolution (stride 2, padding 1) drives an IF past θ = 1", async () => {
    const graph = await readNir(path.join(shared, "cnn_sinabs.nir"));
    // Sinabs writes IF with r = 1: one time unit per step, so dt = 1 s.
    const net = nirNetwork(graph, { dt: 1 * second });
    const rng = createRng(5);
    const x = new Float64Array(2 * 34 * 34);
    for (let i = 0; i < x.length; i++) x[i] = rng.next() < 0.3 ? 1 : 0;
    const run = nirRun(net, x, { steps: 3, record: ["0", "1"] });
    assert.equal(run.outputs.output!.length, 3 * 10);
    const conv = graph.nodes["0"]!;
    assert.ok(conv.type === "Conv2d");
    const w = conv.weight.data;
    const b = conv.bias.data;
    // The oracle: a gather convolution straight from PyTorch's definition.
    const expected = new Float64Array(16 * 16 * 16);
    for (let co = 0; co < 16; co++) {
      for (let oy = 0; oy < 16; oy++) {
        for (let ox = 0; ox < 16; ox++) {
          let s = b[co]!;
          for (let ci = 0; ci < 2; ci++) {
            for (let ky = 0; ky < 5; ky++) {
              for (let kx = 0; kx < 5; kx++) {
                const y = oy * 2 - 1 + ky;
                const xx = ox * 2 - 1 + kx;
                if (y >= 0 && y < 34 && xx >= 0 && xx < 34) s += w[((co * 2 + ci) * 5 + ky) * 5 + kx]! * x[(ci * 34 + y) * 34 + xx]!;
              }
            }
          }
          expected[(co * 16 + oy) * 16 + ox] = s;
        }
      }
    }
    const current = run.records["0"]!.output.subarray(0, expected.length);
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(current[i]! - expected[i]!) <= 1e-5 * (1 + Math.abs(expected[i]!)), `conv ${i}`);
    const spikes = run.records["1"]!.output.subarray(0, expected.length);
    for (let i = 0; i < expected.length; i++) assert.equal(spikes[i], expected[i]! > 1 ? 1 : 0, `IF ${i}`);
    assert.ok(spikes.reduce((s, v) => s + v, 0) > 0);
  });
});
