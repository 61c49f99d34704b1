/**
 * Exports to NIR: each exported network, re-imported with `nirNetwork` ("exact", the export's dt),
 * computes what the snnlab network computes (createModel's forward pass, simulateConverted, the
 * membrane-backprop simulation); the graphs round-trip through files; what NIR cannot hold is
 * listed (Diehl & Cook's adaptive threshold first) or refused with one clear error.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { ms } from "../../src/core/units";
import { convertModel, simulateConverted } from "../../src/conversion/convert";
import { diehlCookExcitatory } from "../../src/neurons/conductance-lif";
import { avgPool, batchNorm, conv2d, dense, flatten, leakyLayer, maxPool, relu } from "../../src/layers/layer-specs";
import { createModel } from "../../src/layers/model";
import { diehlCookNetworkInit, diehlCookNetworkParams } from "../../src/models/diehl-cook";
import { convertedToNir, diehlCookToNir, membraneBackpropToNir, modelToNir } from "../../src/interop/nir/export";
import { readNir } from "../../src/interop/nir/read";
import { nirNetwork, nirRun } from "../../src/interop/nir/simulate";
import { writeNir } from "../../src/interop/nir/write";
import { initBackend } from "../../src/training/backend";
import { arrayDataset } from "../../src/training/batches";
import { membraneBackpropNetwork } from "../../src/training/membrane-backprop";
import { expectClose } from "../helpers/close";

/** [H, W, C] sample → [C, H, W]. */
function channelsFirst(x: Float32Array, h: number, w: number, c: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let ch = 0; ch < c; ch++) out[(ch * h + y) * w + xx] = x[(y * w + xx) * c + ch]!;
  return out;
}

function images(count: number, shape: number[], seed: number, labels = 3) {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const inputs = Float32Array.from({ length: count * size }, () => (rng.next() < 0.4 ? 0 : rng.uniform(0, 1)));
  return arrayDataset({ name: "toy", inputs, inputShape: shape, labels: Int32Array.from({ length: count }, (_, i) => i % labels) });
}

describe("NIR export", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-nir-export-"));
  before(async () => {
    await initBackend();
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("modelToNir(createModel SNN) re-imported runs as the model: hidden spikes and readout potential, step by step", async () => {
    const T = 8;
    const model = createModel({
      input: [8, 8, 2], steps: T, rng: createRng(4),
      layers: [
        conv2d(3, 3, { padding: "same", init: { uniform: 0.6 } }), leakyLayer({ beta: 0.8, threshold: 0.5, reset: "zero" }), avgPool(2),
        conv2d(4, 2, { init: { uniform: 0.8 } }), leakyLayer({ beta: 1, threshold: 0.4, reset: "subtract" }), maxPool(2, { strides: 1 }),
        flatten(), dense(5, { init: { uniform: 0.7 } }), leakyLayer({ beta: 0.9, spiking: false }),
      ],
    });
    try {
      const exported = modelToNir(model, { dt: 1 * ms });
      assert.deepEqual(Object.fromEntries(Object.entries(exported.graph.nodes).map(([k, n]) => [k, n.type])), {
        input: "Input", 0: "Conv2d", 1: "LIF", 2: "AvgPool2d", 3: "Conv2d", 4: "IF", 5: "SumPool2d", "5_or": "IF", 6: "Flatten", 7: "Affine", 8: "LI", output: "Output",
      });
      assert.equal(exported.notRepresented.length, 3, exported.notRepresented.join("\n"));
      assert.match(exported.notRepresented[0]!, /^input layout: NIR is channels-first, so the graph takes \[2, 8, 8\]/);
      assert.match(exported.notRepresented[1]!, /^layers\[4\] leaky: reset by subtraction/);
      assert.match(exported.notRepresented[2]!, /surrogate gradient/);
      await writeNir(path.join(tmp, "model.nir"), exported.graph);
      const graph = await readNir(path.join(tmp, "model.nir"));
      assert.deepStrictEqual(graph, exported.graph);
      const net = nirNetwork(graph, { dt: exported.dt });
      const data = images(3, [8, 8, 2], 9);
      const x = tf.tensor(data.inputs, [3, 8, 8, 2]);
      const out = model.forward(x, 3);
      const membrane = out.output.arraySync() as number[][];
      const hidden = out.spikes.map((s) => s.dataSync() as Float32Array);
      for (let b = 0; b < 3; b++) {
        const run = nirRun(net, channelsFirst(data.inputs.subarray(b * 128, (b + 1) * 128), 8, 8, 2), { steps: T, record: ["1", "4"] });
        for (let t = 0; t < T; t++) {
          // Spikes: NIR [C, H, W] against tf [H, W, C].
          for (const [unit, layer, [h, w, c]] of [["1", 0, [8, 8, 3]], ["4", 1, [3, 3, 4]]] as const) {
            const n = h * w * c;
            const ours = run.records[unit]!.output.subarray(t * n, (t + 1) * n);
            const theirs = channelsFirst(hidden[layer]!.subarray((t * 3 + b) * n, (t * 3 + b + 1) * n), h, w, c);
            assert.deepEqual(Array.from(ours), Array.from(theirs), `sample ${b} step ${t} layer ${unit}`);
          }
          // tf runs in float32; the re-imported network in float64.
          for (let k = 0; k < 5; k++) expectClose(run.outputs.output![t * 5 + k]!, membrane[t * 3 + b]![k]!, { rtol: 1e-5, atol: 1e-5, message: `sample ${b} step ${t} output ${k}` });
        }
      }
      x.dispose();
      out.output.dispose();
      out.membrane?.dispose();
      out.spikes.forEach((s) => s.dispose());
    } finally {
      model.dispose();
    }
  });

  it("modelToNir refuses what NIR cannot hold, with one clear error each", () => {
    const make = (layers: Parameters<typeof createModel>[0]["layers"], input = [6]) => createModel({ input, layers, rng: createRng(1), steps: 2 });
    const cases: [ReturnType<typeof make>, RegExp][] = [
      [make([dense(4), relu(), dense(2)]), /^modelToNir: model\.layers\[1\] must be a layer NIR can hold \(NIR has no static nonlinearity but Threshold: export an SNN, or convert a ReLU ANN with convertModel and export that\), got "relu"$/],
      [make([dense(4), batchNorm(), leakyLayer()]), /^modelToNir: model\.layers\[1\] must not be batch normalisation \(NIR has none; fold it into the weights before export\), got "batch-norm"$/],
      [make([conv2d(2, 3), maxPool(2), flatten(), dense(2), leakyLayer()], [6, 6, 1]), /^modelToNir: model\.layers\[1\] must be a max pool of spikes/],
      [make([conv2d(2, 3, { strides: 2, padding: "same" }), leakyLayer(), flatten(), dense(2)], [6, 6, 1]), /^modelToNir: model\.layers\[0\] conv2d must be a conv2d with padding "valid" or stride 1/],
    ];
    for (const [model, message] of cases) {
      try {
        assert.throws(() => modelToNir(model), (err: Error) => {
          assert.match(err.message, message);
          return true;
        });
      } finally {
        model.dispose();
      }
    }
  });

  it("convertedToNir(convertModel(ANN)) re-imported gives simulateConverted's spikes per layer and predictions", async () => {
    const ann = createModel({ input: [6, 6, 1], rng: createRng(8), layers: [conv2d(3, 3), relu(), avgPool(2), flatten(), dense(3)] });
    try {
      const data = images(12, [6, 6, 1], 2);
      const converted = convertModel(ann, data, { count: 12 });
      const T = 30;
      const sim = simulateConverted(converted, data, { steps: T, count: 12, batchSize: 12 });
      const exported = convertedToNir(converted, { dt: 1 * ms });
      assert.deepEqual(exported.notRepresented.map((s) => s.split(":")[0]), ["every IF layer", "input encoding (the pixel as a constant current, or Poisson spikes) is not part of the graph", "readout (most output spikes, ties by the first spike) is applied to the Output's spikes outside the graph"]);
      const net = nirNetwork(exported.graph, { dt: exported.dt });
      const spikes = [0, 0];
      const predictions: number[] = [];
      for (let s = 0; s < 12; s++) {
        const run = nirRun(net, Float64Array.from(data.inputs.subarray(s * 36, (s + 1) * 36)), { steps: T, record: ["0_if"] });
        spikes[0] += run.records["0_if"]!.output.reduce((a, v) => a + v, 0);
        const out = run.outputs.output!;
        spikes[1] += out.reduce((a, v) => a + v, 0);
        // The readout of simulateConverted: most spikes, ties by the earliest first spike, else none.
        const count = [0, 0, 0];
        const first = [T, T, T];
        for (let t = 0; t < T; t++) for (let k = 0; k < 3; k++) if (out[t * 3 + k]) { count[k]!++; if (first[k] === T) first[k] = t; }
        const score = count.map((c, k) => c * (T + 1) + (T - first[k]!));
        const best = Math.max(...score);
        predictions.push(best <= 0 || score.filter((v) => v === best).length > 1 ? -1 : score.indexOf(best));
      }
      expectClose(spikes[0]! / 12, sim.spikesPerLayer[0]!, { rtol: 1e-9, message: "hidden spikes per sample" });
      expectClose(spikes[1]! / 12, sim.spikesPerLayer[1]!, { rtol: 1e-9, message: "output spikes per sample" });
      assert.deepEqual(predictions, Array.from(sim.predictions));
    } finally {
      ann.dispose();
    }
  });

  it("membraneBackpropToNir(net) re-imported gives the network's readout potentials V_T and predictions", () => {
    const net = membraneBackpropNetwork({ input: [16], layers: [dense(12, { bias: false }), dense(3)], steps: 6, encoding: "constant", rng: createRng(5) });
    try {
      const data = images(6, [16], 4);
      net.train(data, { start: 0, count: 6 });
      const exported = membraneBackpropToNir(net, { dt: 1 * ms });
      assert.deepEqual(Object.fromEntries(Object.entries(exported.graph.nodes).map(([k, n]) => [k, n.type])), { input: "Input", 0: "Linear", "0_if": "IF", 1: "Affine", "1_readout": "I", output: "Output" });
      assert.match(exported.notRepresented[0]!, /^every hidden layer's IF neurons: reset by subtraction/);
      const nir = nirNetwork(exported.graph, { dt: exported.dt });
      const evaluation = net.evaluate(data, { count: 6 });
      for (let s = 0; s < 6; s++) {
        const run = nirRun(nir, Float64Array.from(data.inputs.subarray(s * 16, (s + 1) * 16)), { steps: 6 });
        const vT = run.outputs.output!.subarray(5 * 3, 6 * 3);
        const reference = net.spikes(data, s).output;
        for (let k = 0; k < 3; k++) expectClose(vT[k]!, reference[k]!, { rtol: 1e-5, atol: 1e-5, message: `sample ${s} V_T[${k}]` });
        assert.equal(vT.indexOf(Math.max(...vT)), evaluation.predictions[s], `sample ${s}`);
      }
    } finally {
      net.dispose();
    }
  });

  it("membraneBackpropToNir(CNN with spiking max pooling) re-imported gives the network's V_T; the list says other tools see an OR", () => {
    const cnn = membraneBackpropNetwork({
      input: [8, 8, 2], layers: [conv2d(3, 3, { bias: false, init: { uniform: 0.9 } }), maxPool(2), flatten(), dense(3, { bias: false })], steps: 8, encoding: "constant", rng: createRng(2),
    });
    try {
      const exported = membraneBackpropToNir(cnn);
      assert.deepEqual(Object.fromEntries(Object.entries(exported.graph.nodes).map(([k, n]) => [k, n.type])), {
        input: "Input", 0: "Conv2d", "0_if": "IF", 1: "SumPool2d", "1_or": "IF", 2: "Flatten", 3: "Linear", "3_readout": "I", output: "Output",
      });
      assert.deepEqual(exported.graph.nodes["1"]!.metadata, { "snnlab.pool": "spiking-max" });
      assert.ok(exported.notRepresented.some((s) => /^layers\[1\] max-pool\(2\): NIR has no max pooling; the graph has SumPool2d \+ IF θ 0\.5, the OR of the window's spikes/.test(s)));
      const data = images(4, [8, 8, 2], 13);
      const nir = nirNetwork(exported.graph, { dt: exported.dt });
      let pooled = 0;
      for (let s = 0; s < 4; s++) {
        const run = nirRun(nir, channelsFirst(data.inputs.subarray(s * 128, (s + 1) * 128), 8, 8, 2), { steps: 8, record: ["1_or"] });
        const reference = cnn.spikes(data, s);
        for (let k = 0; k < 3; k++) expectClose(run.outputs.output![7 * 3 + k]!, reference.output[k]!, { rtol: 1e-5, atol: 1e-5, message: `sample ${s} V_T[${k}]` });
        pooled += run.records["1_or"]!.output.reduce((a, v) => a + v, 0);
      }
      assert.ok(pooled > 0);
    } finally {
      cnn.dispose();
    }
  });

  it("diehlCookToNir(net) lists what NIR cannot hold, the adaptive threshold first, and folds θ into each v_threshold", async () => {
    const net = diehlCookNetworkInit(diehlCookNetworkParams({ inputs: 30, neurons: 8 }), createRng(6));
    net.excitatory.theta.forEach((_, j) => { net.excitatory.theta[j] = 20 + 0.5 * j; });
    const exported = diehlCookToNir(net);
    assert.equal(exported.dt, 0.5);
    const kinds = exported.notRepresented.map((s) => s.split(/[ (:]/)[0]);
    assert.deepEqual(kinds, ["adaptive", "conductance", "refractoriness", "input", "learning", "input", "readout"]);
    assert.match(exported.notRepresented[0]!, /^adaptive threshold θ \(θ\+ = 0\.05 mV per spike, τθ = 10000000 ms\): NIR thresholds are constants/);
    assert.match(exported.notRepresented[3]!, /^input → excitatory delays \(per synapse, 0–10 ms\)/);
    const exc = exported.graph.nodes.excitatory!;
    assert.ok(exc.type === "LIF");
    assert.deepEqual(Array.from(exc.vThreshold.data), Array.from({ length: 8 }, (_, j) => diehlCookExcitatory.vThreshold + 0.5 * j));
    const w = exported.graph.nodes.input_to_excitatory!;
    assert.ok(w.type === "Linear");
    assert.equal(w.weight.data[3 * 30 + 17], net.weights[17 * 8 + 3]);
    await writeNir(path.join(tmp, "dc.nir"), exported.graph);
    assert.deepStrictEqual(await readNir(path.join(tmp, "dc.nir")), exported.graph);
    const sim = nirNetwork(exported.graph, { dt: exported.dt });
    assert.ok(sim.units.find((u) => u.name === "excitatory")!.from.some((f) => f.name === "inhibitory_to_excitatory" && f.recurrent));
    const run = nirRun(sim, new Float64Array(30).fill(1), { steps: 50 });
    assert.ok(run.outputs.output!.every(Number.isFinite));

    const uniform = diehlCookNetworkInit(diehlCookNetworkParams({ inputs: 30, neurons: 8, delayMin: 2, delayMax: 2 }), createRng(6));
    const withDelay = diehlCookToNir(uniform, { assignments: Int32Array.from({ length: 8 }, (_, j) => j % 3) });
    assert.equal(withDelay.graph.nodes.delay?.type, "Delay");
    assert.ok(!withDelay.notRepresented.some((s) => /delays|assignments/.test(s)));
    assert.deepEqual(Array.from((withDelay.graph.metadata!["snnlab.assignments"] as { data: Float64Array }).data), [0, 1, 2, 0, 1, 2, 0, 1]);
  });
});
