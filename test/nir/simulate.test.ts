/**
 * nirNetwork/nirRun against closed forms and oracles: LIF and IF solutions, CubaLI(F) against a
 * fine Euler integration, the event method's crossing times, recurrent edges one step late,
 * Delay, Threshold, convolutions and pooling against gather oracles, the resets.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { createRng } from "../../src/core/random";
import { ms } from "../../src/core/units";
import { nirGraph, nirTensor, type NirGraph, type NirNode } from "../../src/interop/nir/graph";
import { nirInit, nirNetwork, nirRun, nirStep } from "../../src/interop/nir/simulate";
import { expectClose } from "../helpers/close";

const same = (n: number, v: number) => nirTensor(new Float64Array(n).fill(v));

/** input → one node → output, the node's shape n. */
function single(node: NirNode, n = 1, inShape: number[] = [n], outShape: number[] = [n]): NirGraph {
  return nirGraph({ input: { type: "Input", shape: inShape }, node, output: { type: "Output", shape: outShape } }, [["input", "node"], ["node", "output"]]);
}

const lif = (o: { tau: number; r?: number; leak?: number; theta: number; reset?: number }, n = 1, metadata?: Record<string, string>): NirNode => ({
  type: "LIF", tau: same(n, o.tau), r: same(n, o.r ?? 1), vLeak: same(n, o.leak ?? 0), vThreshold: same(n, o.theta), vReset: same(n, o.reset ?? 0),
  ...(metadata ? { metadata } : {}),
});

describe("NIR simulation", () => {
  it("nirRun(LIF, constant input, \"exact\") follows v(t) = vLeak + R·I + (v0 − vLeak − R·I)·e^{−t/τ} below threshold", () => {
    const tau = 0.02;
    const net = nirNetwork(single(lif({ tau, r: 2, leak: -0.5, theta: 10 })), { dt: 0.5 * ms });
    const run = nirRun(net, Float64Array.of(1.5), { steps: 100, record: ["node"] });
    const v = run.records.node!.v!;
    for (let k = 0; k < 100; k++) {
      const t = (k + 1) * 0.0005;
      expectClose(v[k]!, -0.5 + 3 + (-0.5 - (-0.5 + 3)) * Math.exp(-t / tau), { rtol: 1e-12, atol: 1e-12, message: `step ${k}` });
    }
  });

  it("nirRun(LIF with β = e^{−h/τ}, R = 1/(1 − β)) is the discrete leaky neuron u = β·v + I, reset to 0 at the step's end", () => {
    const beta = 0.9;
    const h = 0.001;
    const tau = -h / Math.log(beta);
    const net = nirNetwork(single(lif({ tau, r: 1 / (1 - beta), theta: 1 })), { dt: 1 * ms });
    const rng = createRng(3);
    const input = Float64Array.from({ length: 200 }, () => rng.uniform(0, 0.4));
    const run = nirRun(net, input, { record: ["node"] });
    let v = 0;
    for (let t = 0; t < 200; t++) {
      const u = beta * v + input[t]!;
      const s = u > 1 ? 1 : 0;
      v = s ? 0 : u;
      assert.equal(run.outputs.output![t], s, `step ${t}`);
      expectClose(run.records.node!.v![t]!, v, { rtol: 1e-12, atol: 1e-12, message: `v at step ${t}` });
    }
  });

  it("nirRun(IF, constant drive, \"event\") resets at the crossing instant: v = a·t − θ·⌊a·t/θ⌋ at every step's end", () => {
    const a = 37;  // R·I, per second
    const theta = 1;
    const node: NirNode = { type: "IF", r: same(1, 1), vThreshold: same(1, theta), vReset: same(1, 0) };
    const net = nirNetwork(single(node), { dt: 1 * ms, method: "event" });
    const run = nirRun(net, Float64Array.of(a), { steps: 300, record: ["node"] });
    let spikes = 0;
    for (let k = 0; k < 300; k++) {
      const t = (k + 1) * 0.001;
      expectClose(run.records.node!.v![k]!, a * t - theta * Math.floor((a * t) / theta), { atol: 1e-9, message: `step ${k}` });
      spikes += run.outputs.output![k]!;
    }
    assert.equal(spikes, Math.floor((a * 0.3) / theta));
  });

  it("nirRun(IF with metadata snnlab.reset) subtracts θ − vReset, or does not reset with \"none\"", () => {
    for (const [reset, expected] of [["subtract", [0.2, 0.4, 0.6, 0.8, 1]], ["none", [1.2, 2.4, 3.6, 4.8, 6]], ["zero", [0, 0, 0, 0, 0]]] as const) {
      const node: NirNode = { type: "IF", r: same(1, 1000), vThreshold: same(1, 1), vReset: same(1, 0), ...(reset === "zero" ? {} : { metadata: { "snnlab.reset": reset } }) };
      const run = nirRun(nirNetwork(single(node), { dt: 1 * ms }), Float64Array.of(1.2), { steps: 5, record: ["node"] });
      Array.from(run.records.node!.v!).forEach((v, k) => expectClose(v, expected[k]!, { atol: 1e-12, message: `${reset} step ${k}` }));
      assert.deepEqual(Array.from(run.outputs.output!), [1, 1, 1, 1, 1], reset);
    }
  });

  for (const [label, tauSyn] of [["τsyn ≠ τmem", 0.004], ["τsyn = τmem", 0.01]] as const) {
    it(`nirRun(CubaLI, "exact") agrees with Euler at a 1000× finer step (${label}), to O(dt)`, () => {
      const node: NirNode = { type: "CubaLI", tauSyn: same(1, tauSyn), tauMem: same(1, 0.01), r: same(1, 3), vLeak: same(1, 0.2), wIn: same(1, 2) };
      const pulse = (steps: number, on: number) => Float64Array.from({ length: steps }, (_, k) => (k < on ? 1 : 0));
      const coarse = nirRun(nirNetwork(single(node), { dt: 1 * ms }), pulse(30, 3), { record: ["node"] });
      const fine = nirRun(nirNetwork(single(node), { dt: 0.001 * ms, method: "euler" }), pulse(30000, 3000), { record: ["node"] });
      for (let k = 0; k < 30; k++) {
        // Forward Euler's global error is O(dt/τ) relative: dt/τsyn ≤ 2.5e-4 here.
        expectClose(coarse.records.node!.v![k]!, fine.records.node!.v![k * 1000 + 999]!, { rtol: 2e-3, atol: 1e-4, message: `v at ${k + 1} ms` });
        expectClose(coarse.records.node!.current![k]!, fine.records.node!.current![k * 1000 + 999]!, { rtol: 2e-3, atol: 1e-4, message: `I at ${k + 1} ms` });
      }
    });
  }

  it("nirRun(CubaLIF, \"event\") puts the crossing inside the step: close to a 1000× finer Euler run, unlike \"exact\"", () => {
    const node: NirNode = {
      type: "CubaLIF", tauSyn: same(1, 0.005), tauMem: same(1, 0.01), r: same(1, 1), vLeak: same(1, 0), vThreshold: same(1, 1), vReset: same(1, 0), wIn: same(1, 3),
    };
    const event = nirRun(nirNetwork(single(node), { dt: 1 * ms, method: "event" }), Float64Array.of(1), { steps: 40, record: ["node"] });
    const exact = nirRun(nirNetwork(single(node), { dt: 1 * ms, method: "exact" }), Float64Array.of(1), { steps: 40, record: ["node"] });
    const fine = nirRun(nirNetwork(single(node), { dt: 0.001 * ms, method: "euler" }), Float64Array.of(1), { steps: 40000, record: ["node"] });
    let eventError = 0;
    let exactError = 0;
    let compared = 0;
    let eventCount = 0;
    let fineCount = 0;
    for (let k = 0; k < 40; k++) {
      eventCount += event.outputs.output![k]!;
      for (let j = k * 1000; j < (k + 1) * 1000; j++) fineCount += fine.outputs.output![j]!;
      // A crossing within the fine run's error of a step boundary may fall on either side of it.
      if (eventCount !== fineCount) continue;
      compared++;
      const reference = fine.records.node!.v![k * 1000 + 999]!;
      eventError = Math.max(eventError, Math.abs(event.records.node!.v![k]! - reference));
      exactError = Math.max(exactError, Math.abs(exact.records.node!.v![k]! - reference));
    }
    assert.ok(eventCount >= 5 && compared >= 35, `${eventCount} spikes, ${compared} steps compared`);
    assert.ok(eventError < 5e-3, `event: max |Δv| ${eventError}`);
    assert.ok(exactError > 10 * eventError, `exact ${exactError} vs event ${eventError}`);
  });

  it("nirRun: an edge closing a cycle carries the previous step's value (a self-exciting loop fires every step after one input)", () => {
    const graph = nirGraph({
      input: { type: "Input", shape: [1] },
      neuron: { type: "IF", r: same(1, 1000), vThreshold: same(1, 0.5), vReset: same(1, 0) },
      loop: { type: "Linear", weight: nirTensor(Float64Array.of(1), [1, 1]) },
      output: { type: "Output", shape: [1] },
    }, [["input", "neuron"], ["neuron", "loop"], ["loop", "neuron"], ["neuron", "output"]]);
    const net = nirNetwork(graph, { dt: 1 * ms });
    assert.deepEqual(net.units.find((u) => u.name === "neuron")!.from, [{ name: "input", recurrent: false }, { name: "loop", recurrent: true }]);
    const run = nirRun(net, Float64Array.of(1, 0, 0, 0, 0));
    assert.deepEqual(Array.from(run.outputs.output!), [1, 1, 1, 1, 1]);
  });

  it("nirRun(Delay, Threshold, Scale): delays rounded to whole steps, H(x − θ), s ⊙ x", () => {
    const graph = nirGraph({
      input: { type: "Input", shape: [3] },
      scale: { type: "Scale", scale: nirTensor(Float64Array.of(1, 2, -1)) },
      delay: { type: "Delay", delay: nirTensor(Float64Array.of(0, 0.0021, 0.0049)) },
      threshold: { type: "Threshold", threshold: nirTensor(Float64Array.of(0.5, 0.5, -1.5)) },
      output: { type: "Output", shape: [3] },
    }, [["input", "scale"], ["scale", "delay"], ["delay", "threshold"], ["threshold", "output"]]);
    const input = Float64Array.from({ length: 8 * 3 }, (_, i) => (Math.floor(i / 3) === 1 ? 1 : 0));
    const run = nirRun(nirNetwork(graph, { dt: 1 * ms }), input, { record: ["delay"] });
    const delayed = run.records.delay!.output;
    const at = (t: number) => Array.from(delayed.subarray(t * 3, t * 3 + 3));
    assert.deepEqual(at(1), [1, 0, 0]);
    assert.deepEqual(at(3), [0, 2, 0]);     // 2.1 ms → 2 steps
    assert.deepEqual(at(6), [0, 0, -1]);    // 4.9 ms → 5 steps
    assert.deepEqual(Array.from(run.outputs.output!.subarray(6 * 3, 7 * 3)), [0, 0, 1]);
    assert.deepEqual(Array.from(run.outputs.output!.subarray(0, 3)), [0, 0, 1]);
    assert.deepEqual(Array.from(run.outputs.output!.subarray(3 * 3, 4 * 3)), [0, 1, 1]);
  });

  it("nirRun(Conv2d with stride, dilation, groups and \"same\" padding, pools with padding) equals gather oracles", () => {
    const rng = createRng(11);
    const [cin, h, w] = [4, 9, 8];
    const x = Float64Array.from({ length: cin * h * w }, () => (rng.next() < 0.5 ? 0 : rng.uniform(-1, 1)));
    const cases: { stride: [number, number]; dilation: [number, number]; groups: number; padding: [number, number] | "same"; k: [number, number] }[] = [
      { stride: [2, 1], dilation: [1, 2], groups: 2, padding: [1, 2], k: [3, 3] },
      { stride: [1, 1], dilation: [1, 1], groups: 1, padding: "same", k: [4, 2] },
      { stride: [2, 3], dilation: [2, 1], groups: 4, padding: [0, 0], k: [2, 3] },
    ];
    for (const c of cases) {
      const cout = 4;
      const weight = Float32Array.from({ length: cout * (cin / c.groups) * c.k[0] * c.k[1] }, () => rng.uniform(-1, 1));
      const bias = Float32Array.from({ length: cout }, () => rng.uniform(-0.5, 0.5));
      const conv: NirNode = {
        type: "Conv2d", weight: nirTensor(weight, [cout, cin / c.groups, ...c.k]), bias: nirTensor(bias, [cout]), stride: c.stride, padding: c.padding,
        dilation: c.dilation, groups: c.groups, inputShape: [h, w],
      };
      const net = nirNetwork(nirGraph({ input: { type: "Input", shape: [cin, h, w] }, conv }, [["input", "conv"]]), { dt: 1 * ms });
      const unit = net.units.find((u) => u.name === "conv")!;
      const [, ho, wo] = unit.outputShape as [number, number, number];
      const out = nirRun(net, x, { record: ["conv"] }).records.conv!.output;
      const pad = (axis: 0 | 1) => (c.padding === "same" ? Math.floor((c.dilation[axis] * (c.k[axis] - 1)) / 2) : c.padding[axis]);
      if (c.padding === "same") assert.deepEqual([ho, wo], [h, w]);
      const cinG = cin / c.groups;
      const coutG = cout / c.groups;
      for (let co = 0; co < cout; co++) {
        const g = Math.floor(co / coutG);
        for (let oy = 0; oy < ho; oy++) {
          for (let ox = 0; ox < wo; ox++) {
            let s = bias[co]!;
            for (let ci = 0; ci < cinG; ci++) {
              for (let ky = 0; ky < c.k[0]; ky++) {
                for (let kx = 0; kx < c.k[1]; kx++) {
                  const y = oy * c.stride[0] - pad(0) + ky * c.dilation[0];
                  const xx = ox * c.stride[1] - pad(1) + kx * c.dilation[1];
                  if (y >= 0 && y < h && xx >= 0 && xx < w) s += weight[((co * cinG + ci) * c.k[0] + ky) * c.k[1] + kx]! * x[((g * cinG + ci) * h + y) * w + xx]!;
                }
              }
            }
            expectClose(out[(co * ho + oy) * wo + ox]!, s, { rtol: 1e-12, atol: 1e-12, message: `${JSON.stringify(c)} [${co}, ${oy}, ${ox}]` });
          }
        }
      }
    }
    for (const type of ["SumPool2d", "AvgPool2d"] as const) {
      const pool: NirNode = { type, kernelSize: [3, 2], stride: [2, 2], padding: [1, 0] };
      const net = nirNetwork(nirGraph({ input: { type: "Input", shape: [cin, h, w] }, pool }, [["input", "pool"]]), { dt: 1 * ms });
      const [, ho, wo] = net.units.find((u) => u.name === "pool")!.outputShape as [number, number, number];
      assert.deepEqual([ho, wo], [5, 4]);
      const out = nirRun(net, x, { record: ["pool"] }).records.pool!.output;
      for (let ch = 0; ch < cin; ch++) {
        for (let oy = 0; oy < ho; oy++) {
          for (let ox = 0; ox < wo; ox++) {
            let s = 0;
            for (let a = 0; a < 3; a++) for (let b = 0; b < 2; b++) {
              const y = oy * 2 - 1 + a;
              const xx = ox * 2 + b;
              if (y >= 0 && y < h && xx < w) s += x[(ch * h + y) * w + xx]!;
            }
            expectClose(out[(ch * ho + oy) * wo + ox]!, type === "SumPool2d" ? s : s / 6, { rtol: 1e-12, atol: 1e-12, message: `${type} [${ch}, ${oy}, ${ox}]` });
          }
        }
      }
    }
  });

  it("nirStep advances the state one step at a time, as nirRun does", () => {
    const graph = single(lif({ tau: 0.005, theta: 0.3 }, 2), 2);
    const net = nirNetwork(graph, { dt: 1 * ms });
    const input = Float64Array.from({ length: 20 }, (_, i) => (i % 3) * 0.4);
    const run = nirRun(net, input);
    const state = nirInit(net);
    for (let t = 0; t < 10; t++) {
      const out = nirStep(input.subarray(2 * t, 2 * t + 2), state, net);
      assert.deepEqual(Array.from(out.output!), Array.from(run.outputs.output!.subarray(2 * t, 2 * t + 2)));
    }
    assert.equal(state.steps, 10);
  });

  it("a network prints as one line (tslab shows a cell's value with console.log)", () => {
    const net = nirNetwork(single(lif({ tau: 0.01, theta: 1 }, 3), 3), { dt: 0.5 * ms });
    assert.equal(inspect(net), "NirNetwork(dt 0.5 ms, exact, 3 units: input [3] → output [3])");
  });

  it("nirNetwork and nirRun reject bad options and inputs with the standard message", () => {
    const net = nirNetwork(single(lif({ tau: 0.01, theta: 1 }, 3), 3), { dt: 1 * ms });
    assert.throws(() => nirNetwork(single(lif({ tau: 0.01, theta: 1 })), { dt: 0 }), /^SnnlabError: nirNetwork: dt must be a finite number > 0, got 0$/);
    assert.throws(() => nirNetwork(single(lif({ tau: 0.01, theta: 1 })), { dt: 1, method: "rk4" as "exact" }), /nirNetwork: method must be one of "exact", "event", "euler", got "rk4"/);
    assert.throws(() => nirRun(net, new Float64Array(4)), /^SnnlabError: nirRun: input must hold whole steps of the Input's 3 values, got "4 values"$/);
    assert.throws(() => nirRun(net, new Float64Array(3), { record: ["nope"] }), /nirRun: record must name units of the network \(input, node, output\), got "nope"/);
    assert.throws(() => nirRun({} as typeof net), /nirRun: net must be a network from nirNetwork\(\)/);
  });
});
