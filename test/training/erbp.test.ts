import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { EPS32 } from "../../src/core/units";
import { arrayDataset } from "../../src/training/batches";
import { erbpBoxcar, erbpNetwork, type ErbpOptions } from "../../src/training/erbp";
import { expectAllClose, expectError } from "../helpers/close";

/**
 * A 3-2-2 network whose spikes are known by hand: τmem ≪ dt makes V = I within one step, the
 * label neuron fires at every step (1000 Hz at dt = 1 ms), no refractoriness.
 *   W0 (input → hidden, presynaptic rows): input 0 drives both hidden neurons over threshold.
 *   W1 (hidden → output): any hidden spike makes output 0 fire, output 1 stays silent.
 */
function tinyOptions(w1 = [1.2, 0, 1.2, 0]): Partial<ErbpOptions> {
  return {
    sizes: [3, 2, 2], steps: 10, dt: 1, tauSyn: 4, tauMem: 1e-3, tauDendrite: 5, refractory: 0, threshold: 1,
    learningRate: 0.01, boxcar: { min: -1, max: 3 }, labelRate: 1000, learnAfter: 0, rng: createRng(7),
    initialWeights: [new Float32Array([2, 5, 0.5, -0.2, 0.1, 0.3]), new Float32Array(w1)],
    feedback: [new Float32Array([0.5, -1, 0.25, 2])],
  };
}

const f32 = Math.fround;

/** Two clearly separable classes of 20-pixel patterns with noise. */
function twoClassTask(count: number, seed: number) {
  const rng = createRng(seed);
  const inputs = new Float32Array(count * 20);
  const labels = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const c = s % 2;
    labels[s] = c;
    for (let j = 0; j < 20; j++) {
      const on = (j < 10) === (c === 0);
      inputs[s * 20 + j] = Math.min(1, Math.max(0, (on ? 0.8 : 0.1) + 0.1 * rng.normal()));
    }
  }
  return arrayDataset({ inputs, inputShape: [20], labels });
}

/** Weights after 30 samples of the two-class task at a large η (for the bound and boxcar tests). */
function boundedRun(extra: Partial<ErbpOptions>): Float32Array[] {
  const net = erbpNetwork({ sizes: [20, 8, 2], steps: 30, learningRate: 0.05, rng: createRng(8), ...extra });
  net.train(twoClassTask(40, 7), { start: 0, count: 30 });
  return net.weights.map((w) => Float32Array.from(w));
}

describe("erbpNetwork", () => {
  it("erbpNetwork({sizes}) builds presynaptic-major weights and class-centred fixed feedback (the example)", () => {
    const net = erbpNetwork({ sizes: [2, 4, 2], steps: 50, rng: createRng(3) });
    assert.equal(net.weights.length, 2);
    assert.equal(net.weights[0]!.length, 8);
    assert.equal(net.feedback.length, 1);
    assert.equal(net.feedback[0]!.length, 8);
    for (let i = 0; i < 4; i++) {
      const sum = net.feedback[0]![i]! + net.feedback[0]![4 + i]!;
      assert.ok(Math.abs(sum) <= 4 * EPS32, `feedback of hidden neuron ${i} sums to ${sum}`);
    }
  });

  it("step() routes the error through the ± channels into U = g·(e⁺ − e⁻), identity for the output", () => {
    const net = erbpNetwork(tinyOptions());
    const w0 = Float32Array.from(net.weights[0]!);
    const w1 = Float32Array.from(net.weights[1]!);
    const s = net.step(new Uint8Array([1, 0, 0]), 1, false);
    assert.deepEqual(Array.from(s.layers[0]!), [1, 1]);
    assert.deepEqual(Array.from(s.layers[1]!), [1, 0]);
    // Output 0 fired without a label spike (e⁺_0); label 1 fired without an output spike (e⁻_1).
    assert.deepEqual(Array.from(s.errorPlus), [1, 0]);
    assert.deepEqual(Array.from(s.errorMinus), [0, 1]);
    // g rows: class 0 = [0.5, −1], class 1 = [0.25, 2]  ⇒  U = g₀ − g₁.
    expectAllClose(net.state.dendrite[0]!, [0.25, -3], { atol: 4 * EPS32 });
    expectAllClose(net.state.dendrite[1]!, [1, -1], { atol: 0 });
    // learn = false: no weight moved.
    assert.deepEqual(net.weights[0], w0);
    assert.deepEqual(net.weights[1], w1);
  });

  it("step() changes w_ij by −η·U_i·Θ(I_i) only in rows of presynaptic neurons that spiked", () => {
    const net = erbpNetwork(tinyOptions());
    net.step(new Uint8Array([1, 0, 0]), 1, false);
    const eta = 0.01;
    const u0 = Float32Array.from(net.state.dendrite[0]!);
    const i0 = Float32Array.from(net.state.current[0]!);
    const u1 = Float32Array.from(net.state.dendrite[1]!);
    const i1 = Float32Array.from(net.state.current[1]!);
    assert.deepEqual(Array.from(i0), [2, 5]); // hidden 1 is above the boxcar (max 3): Θ = 0
    const w0 = Float32Array.from(net.weights[0]!);
    const w1 = Float32Array.from(net.weights[1]!);
    const s = net.step(new Uint8Array([0, 1, 0]), -1, true);
    assert.deepEqual(Array.from(s.layers[0]!), [1, 1]);
    const box = (c: number) => erbpBoxcar(c, { min: -1, max: 3 });
    const expected0 = Array.from(w0);
    for (let i = 0; i < 2; i++) expected0[1 * 2 + i] = f32(w0[1 * 2 + i]! + f32(-eta * u0[i]! * box(i0[i]!)));
    expectAllClose(net.weights[0]!, expected0, { atol: 0, rtol: 0 });
    assert.notEqual(net.weights[0]![2], w0[2]); // input 1, hidden 0 (in the boxcar) moved
    assert.equal(net.weights[0]![3], w0[3]); // input 1, hidden 1 (outside the boxcar) did not
    // Output layer: both hidden neurons spiked, so both rows move by −η·[U_0, U_1] = −η·[1, −1]:
    // e⁺ (too many output spikes) depresses, e⁻ (too few) potentiates.
    const expected1 = Array.from(w1, (w, q) => f32(w + f32(-eta * u1[q % 2]! * box(i1[q % 2]!))));
    expectAllClose(net.weights[1]!, expected1, { atol: 0, rtol: 0 });
    assert.ok(net.weights[1]![0]! < w1[0]! && net.weights[1]![1]! > w1[1]!);
    assert.equal(s.updates, 1 + 4);
  });

  it("step() never reads the upper forward weights for the hidden update (no weight transport)", () => {
    // Same output spikes, very different W1: the hidden layer's update is identical.
    const a = erbpNetwork(tinyOptions([1.2, 0, 1.2, 0]));
    const b = erbpNetwork(tinyOptions([1.2, 0.3, 1.2, -0.9]));
    for (const net of [a, b]) {
      net.step(new Uint8Array([1, 0, 0]), 1, false);
      net.step(new Uint8Array([0, 1, 1]), -1, true);
    }
    assert.deepEqual(a.weights[0], b.weights[0]);
    assert.notDeepEqual(a.weights[1], b.weights[1]);
  });

  it("step() leaves the weights alone when U = 0 (no error yet)", () => {
    const net = erbpNetwork(tinyOptions());
    const w0 = Float32Array.from(net.weights[0]!);
    const s = net.step(new Uint8Array([1, 1, 1]), -1, true);
    assert.equal(s.updates, 0);
    assert.deepEqual(net.weights[0], w0);
  });

  it("erbpNetwork(options) is deterministic for a seed", () => {
    const data = twoClassTask(40, 1);
    const run = (seed: number) => {
      const net = erbpNetwork({ sizes: [20, 8, 2], steps: 30, learningRate: 0.003, rng: createRng(seed) });
      net.train(data, { start: 0, count: 30 });
      return { w: net.weights.map((w) => Float32Array.from(w)), ev: net.evaluate(data, { start: 30, count: 10 }) };
    };
    const a = run(5);
    const b = run(5);
    assert.deepEqual(a.w, b.w);
    assert.deepEqual(a.ev, b.ev);
    assert.notDeepEqual(run(6).w, a.w);
  });

  it("train() resumed by sample ranges equals one call over the whole range", () => {
    const data = twoClassTask(20, 2);
    const make = () => erbpNetwork({ sizes: [20, 8, 2], steps: 20, rng: createRng(9) });
    const a = make();
    a.train(data, { start: 0, count: 30 });
    const b = make();
    b.train(data, { start: 0, count: 12 });
    b.train(data, { start: 12, count: 18 });
    assert.deepEqual(a.weights, b.weights);
    assert.equal(b.samplesSeen, 30);
  });

  it("train() learns two separable classes of patterns", () => {
    const data = twoClassTask(300, 3);
    const net = erbpNetwork({ sizes: [20, 10, 2], steps: 50, learningRate: 0.002, rng: createRng(11) });
    const before = net.evaluate(data, { start: 200, count: 100 }).accuracy;
    net.train(data, { start: 0, count: 200 });
    const after = net.evaluate(data, { start: 200, count: 100 });
    assert.ok(after.accuracy >= 0.95, `accuracy ${after.accuracy} (before training ${before})`);
    assert.ok(after.synapticEventsPerSample > 0 && after.inputSpikesPerSample > 0);
  });

  it("predictions read spikes: most output spikes, then the earliest first spike; silence or a full tie is no answer", () => {
    const data = twoClassTask(30, 5);
    const net = erbpNetwork({ sizes: [20, 10, 4], steps: 40, learningRate: 0.002, rng: createRng(13) });
    net.train(data, { start: 0, count: 20 });
    for (let index = 0; index < 30; index++) {
      const r = net.record(data, index);
      const out = r.layers[r.layers.length - 1]!;
      const count = new Array<number>(4).fill(0);
      const first = new Array<number>(4).fill(Infinity);
      out.ids.forEach((k, s) => { count[k]++; first[k] = Math.min(first[k]!, out.times[s]!); });
      const score = (k: number) => [count[k]!, -first[k]!] as const;
      const better = (a: number, b: number) => score(a)[0] > score(b)[0] || (score(a)[0] === score(b)[0] && score(a)[1] > score(b)[1]);
      let best = 0;
      for (let k = 1; k < 4; k++) if (better(k, best)) best = k;
      const tie = [0, 1, 2, 3].some((k) => k !== best && count[k] === count[best] && first[k] === first[best]);
      const expected = count[best] === 0 || tie ? -1 : best;
      assert.equal(r.prediction, expected, `sample ${index}: counts ${count}, first spikes ${first}`);
    }
    const silent = erbpNetwork({ sizes: [20, 10, 4], steps: 40, weightScale: 1e-6, rng: createRng(13) });
    assert.deepEqual(Array.from(silent.evaluate(data, { start: 0, count: 5 }).predictions), [-1, -1, -1, -1, -1], "a silent output has no answer");
    const analog = erbpNetwork({ ...silent.options, readout: "spikes+current" });
    assert.ok(Array.from(analog.evaluate(data, { start: 0, count: 5 }).predictions).every((p) => p >= 0), "the analog option always answers");
  });

  it("record() and alignment() report spikes and angles without changing the weights", () => {
    const data = twoClassTask(20, 4);
    const net = erbpNetwork({ sizes: [20, 8, 6, 2], steps: 40, rng: createRng(12) });
    const w = net.weights.map((x) => Float32Array.from(x));
    const r = net.record(data, 3, { traceNeurons: 4 });
    assert.equal(r.label, 1);
    assert.equal(r.layers.length, 3);
    assert.equal(r.input.size, 20);
    assert.ok(r.input.times.length > 0);
    assert.equal(r.dendrite[0]!.length, 40 * 4);
    const angles = net.alignment(data, { start: 0, count: 5 });
    assert.equal(angles.length, 2);
    for (const a of angles) assert.ok(Number.isNaN(a) || (a >= 0 && a <= 180), `angle ${a}`);
    assert.deepEqual(net.weights, w);
  });

  it("transmission (blank-out): p = 1 is the default network; p < 1 transmits fewer synaptic events, deterministically", () => {
    const data = twoClassTask(40, 6);
    const run = (extra: Partial<ErbpOptions>) => {
      const net = erbpNetwork({ sizes: [20, 8, 2], steps: 30, learningRate: 0.003, rng: createRng(5), ...extra });
      const t = net.train(data, { start: 0, count: 30 });
      return { w: net.weights.map((w) => Float32Array.from(w)), t, ev: net.evaluate(data, { start: 30, count: 10 }) };
    };
    const plain = run({});
    assert.deepEqual(run({ transmission: 1 }), plain);
    const half = run({ transmission: 0.5 });
    assert.deepEqual(run({ transmission: 0.5 }), half);
    assert.notDeepEqual(half.w, plain.w);
    // The input spikes are the same stream; about half of their synapses transmit.
    assert.equal(half.ev.inputSpikesPerSample, plain.ev.inputSpikesPerSample);
    const inputEvents = (ev: typeof plain.ev) => ev.inputSpikesPerSample * 8;
    assert.ok(half.ev.synapticEventsPerSample < 0.75 * plain.ev.synapticEventsPerSample, `${half.ev.synapticEventsPerSample} vs ${plain.ev.synapticEventsPerSample}`);
    assert.ok(plain.ev.synapticEventsPerSample >= inputEvents(plain.ev));
  });

  it("weightBound keeps learned weights inside [−bound, bound]; Infinity changes nothing", () => {
    const run = boundedRun;
    const free = run({});
    assert.deepEqual(run({ weightBound: Infinity }), free);
    const maxAbs = (ws: Float32Array[]) => Math.max(...ws.map((w) => Math.max(...Array.from(w, Math.abs))));
    assert.ok(maxAbs(free) > 0.6, `unbounded weights reach ${maxAbs(free)}`);
    const bounded = run({ weightBound: 0.6 });
    assert.ok(maxAbs(bounded) <= f32(0.6), `bounded weights reach ${maxAbs(bounded)}`);
  });

  it("inputCoding \"regular\" fires each pixel evenly at its rate; binarize thresholds pixels first", () => {
    // One sample: pixels 0 … 1 in steps of 0.25; 200 Hz at pixel 1, dt 1 ms, 100 steps.
    const inputs = new Float32Array([0, 0.25, 0.5, 0.75, 1]);
    const data = arrayDataset({ inputs, inputShape: [5], labels: new Int32Array([0]) });
    const spikesOf = (extra: Partial<ErbpOptions>) => {
      const net = erbpNetwork({ sizes: [5, 3, 2], steps: 100, inputRate: 200, rng: createRng(4), ...extra });
      const r = net.record(data, 0);
      const counts = new Array<number>(5).fill(0);
      const times: number[][] = [[], [], [], [], []];
      r.input.ids.forEach((id, q) => {
        counts[id]++;
        times[id]!.push(r.input.times[q]!);
      });
      return { counts, times };
    };
    const reg = spikesOf({ inputCoding: "regular" });
    // Rate × duration: 0, 5, 10, 15, 20 spikes, to within one (the random start phase).
    [0, 5, 10, 15, 20].forEach((n, j) => assert.ok(Math.abs(reg.counts[j]! - n) <= 1, `pixel ${j}: ${reg.counts[j]} spikes`));
    // Evenly spaced: every gap of pixel 4 (p = 0.2 per step) is exactly 5 ms.
    const t4 = reg.times[4]!;
    for (let q = 1; q < t4.length; q++) assert.equal(t4[q]! - t4[q - 1]!, 5);
    const bin = spikesOf({ inputCoding: "regular", binarize: 0.43 });
    assert.deepEqual(bin.counts.map((c) => (c === 0 ? 0 : 1)), [0, 0, 1, 1, 1]);
    assert.ok(Math.abs(bin.counts[2]! - 20) <= 1, `binarised pixel 0.5 fires like pixel 1: ${bin.counts[2]}`);
    // Poisson remains the default and differs from the regular code.
    assert.notDeepEqual(spikesOf({}).times, reg.times);
  });

  it("per-layer boxcars and weight bounds apply to their own layer; equal per-layer values equal the single value", () => {
    const run = boundedRun;
    const box = { min: -1, max: 3 };
    assert.deepEqual(run({ boxcar: [box, box] }), run({ boxcar: box }));
    assert.deepEqual(run({ weightBound: [0.6, 0.6] }), run({ weightBound: 0.6 }));
    const maxAbs = (w: Float32Array) => Math.max(...Array.from(w, Math.abs));
    const mixed = run({ weightBound: [0.3, Infinity] });
    assert.ok(maxAbs(mixed[0]!) <= f32(0.3), `layer 0 reaches ${maxAbs(mixed[0]!)}`);
    assert.ok(maxAbs(mixed[1]!) > 0.3, `layer 1 is unbounded: ${maxAbs(mixed[1]!)}`);
    // An empty boxcar (no current lies in it) in the output layer freezes that layer only.
    const init = erbpNetwork({ sizes: [20, 8, 2], steps: 30, rng: createRng(8) }).weights.map((w) => Float32Array.from(w));
    const frozen = run({ boxcar: [box, { min: 1e6, max: 2e6 }] });
    assert.deepEqual(frozen[1], init[1]);
    assert.notDeepEqual(frozen[0], init[0]);
  });

  it("erbpNetwork(options) rejects bad options with the standard message", () => {
    const rng = createRng(1);
    expectError(() => erbpNetwork({ sizes: [784], rng }), "erbpNetwork: sizes must be an array of at least 2 layer sizes, got Array(1)");
    expectError(() => erbpNetwork({ sizes: [4, 0, 2], rng }), "erbpNetwork: sizes[1] must be an integer >= 1, got 0");
    expectError(() => erbpNetwork({ sizes: [4, 2], boxcar: { min: 1, max: 1 }, rng }), "erbpNetwork: boxcar.max must be > boxcar.min (1), got 1");
    expectError(() => erbpNetwork({ sizes: [4, 2], learningRate: -1, rng }), "erbpNetwork: learningRate must be a finite number >= 0, got -1");
    expectError(() => erbpNetwork({ sizes: [4, 2], dt: 0.5, inputRate: 5000, rng }), "erbpNetwork: inputRate must be at most 1/dt = 2000 Hz (one spike a step at dt = 0.5 ms; this rate is in Hz), got 5000");
    expectError(() => erbpNetwork({ sizes: [4, 2] }), "erbpNetwork: rng must be a seeded Rng (createRng(seed)), got undefined");
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, steps: 0 }), "erbpNetwork: steps must be an integer >= 1, got 0");
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, errorThreshold: 0.5 }), "erbpNetwork: errorThreshold must be a finite number >= 1, got 0.5");
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, initialWeights: [new Float32Array(7)] }), "erbpNetwork: initialWeights[0] must be a Float32Array of 8 values, got Float32Array(7)");
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, transmission: 0 }), "erbpNetwork: transmission must be a number in (0, 1], got 0");
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, weightBound: -1 }), "erbpNetwork: weightBound must be a positive number (Infinity: unbounded), got -1");
    expectError(() => erbpNetwork({ sizes: [4, 3, 2], rng, weightBound: [1, 0] }), "erbpNetwork: weightBound[1] must be a positive number (Infinity: unbounded), got 0");
    expectError(() => erbpNetwork({ sizes: [4, 3, 2], rng, boxcar: [{ min: -1, max: 3 }] }), "erbpNetwork: boxcar must be one {min, max} or an array of 2 (one per non-input layer), got Array(1)");
    expectError(() => erbpNetwork({ sizes: [4, 3, 2], rng, boxcar: [{ min: -1, max: 3 }, { min: 2, max: 0 }] }), "erbpNetwork: boxcar[1].max must be > boxcar[1].min (2), got 0");
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, inputCoding: "latency" } as unknown as Partial<ErbpOptions>), 'erbpNetwork: inputCoding must be "poisson" or "regular", got "latency"');
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, binarize: 1 }), "erbpNetwork: binarize must be null or a number in [0, 1), got 1");
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, tauSyn: 0 } as Partial<ErbpOptions>), "erbpNetwork: tauSyn must be a finite number > 0, got 0");
    expectError(() => erbpNetwork({ sizes: [4, 2], rng, speed: 1 } as unknown as Partial<ErbpOptions>), /^erbpNetwork: options must have only the keys sizes, steps/);
  });

  it("train(), evaluate() and step() reject bad data before changing anything", () => {
    const net = erbpNetwork({ sizes: [20, 4, 2], steps: 10, rng: createRng(2) });
    const w = net.weights.map((x) => Float32Array.from(x));
    const data = twoClassTask(10, 5);
    const wrong = arrayDataset({ inputs: new Float32Array(30), inputShape: [3], labels: new Int32Array(10) });
    expectError(() => net.train(wrong, { start: 0, count: 5 }), "erbpNetwork.train: data must have samples of 20 values (sizes[0]), got 3");
    expectError(() => net.evaluate(data, { start: 5, count: 6 }), "erbpNetwork.evaluate: start + count must be <= the data set's 10 samples, got 11");
    expectError(() => net.train(data, { start: -1, count: 5 }), "erbpNetwork.train: start must be an integer >= 0, got -1");
    const bad = arrayDataset({ inputs: new Float32Array(40), inputShape: [20], labels: new Int32Array([0, 5]) });
    expectError(() => net.train(bad, { start: 0, count: 2 }), "erbpNetwork.train: data.labels must be integers in [0, 1], got 5");
    const noLabels = arrayDataset({ inputs: new Float32Array(20), inputShape: [20], targets: new Float32Array(1), targetSize: 1 });
    expectError(() => net.evaluate(noLabels, { start: 0, count: 1 }), "erbpNetwork.evaluate: data.labels must be given (eRBP classifies), got undefined");
    expectError(() => net.step(new Uint8Array(3), -1, true), "erbpNetwork.step: input must be a Uint8Array of 20 zeros and ones, got Uint8Array(3)");
    assert.deepEqual(net.weights, w);
    assert.equal(net.samplesSeen, 0);
  });

  it("erbpBoxcar(current, boxcar) is 1 strictly inside (min, max) and 0 elsewhere", () => {
    const box = { min: -1, max: 3 };
    assert.deepEqual([-2, -1, 0, 2.999, 3, 4].map((c) => erbpBoxcar(c, box)), [0, 0, 1, 1, 0, 0]);
    const perLayer = [box, { min: -1, max: 20 }];
    assert.deepEqual([erbpBoxcar(5, perLayer), erbpBoxcar(5, perLayer, 1)], [0, 1]);
    expectError(() => erbpBoxcar(0, perLayer, 2), "erbpBoxcar: layer must be < the 2 boxcars given, got 2");
  });
});
