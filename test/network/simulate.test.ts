import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { Hz, ms } from "../../src/core/units";
import { poissonTrain } from "../../src/encoders/poisson";
import { currentInput, noiseInput } from "../../src/network/inputs";
import { spikeMonitor, stateMonitor } from "../../src/network/monitors";
import { findGroup, network, resetNetwork } from "../../src/network/network";
import { poissonGroup, population } from "../../src/network/population";
import { projection } from "../../src/network/projection";
import { simulate } from "../../src/network/simulate";
import { lif, lifStep } from "../../src/neurons/lif";
import { stdpInit, stdpParams, stdpStep } from "../../src/plasticity/stdp";
import { allToAll, fixedProbability, fromPairs, oneToOne } from "../../src/synapses/connectivity";
import { denseSynapses, sparseSynapses, synapseAccess, uniformSynapses } from "../../src/synapses/synapse-matrix";
import { expectAllClose, expectError } from "../helpers/close";
import { probe, resetting, scripted } from "./test-models";

const DT = 0.1 * ms;

/** A pre group that fires on a schedule, a probe post group, one projection. */
function pair(options: { weight: number[]; pre: number[]; post: number[]; delay?: number | Int32Array; target?: string; schedule: number[][] }) {
  const source = population("source", scripted, options.schedule.length, { params: { schedule: options.schedule } });
  const sink = population("sink", probe, 3);
  const { connectivity } = fromPairs(options.pre, options.post, { nPre: source.size, nPost: 3 });
  const proj = projection(source, sink, {
    synapses: sparseSynapses(connectivity, { weight: options.weight }), delaySteps: options.delay ?? 0, target: options.target ?? "input",
  });
  return { source, sink, proj, net: network({ populations: [source, sink], projections: [proj] }) };
}

describe("simulate: propagation and delays", () => {
  it("simulate(net, …) delivers exactly w to the right targets at the start of step s + 1 + delay", () => {
    for (const delay of [0, 1, 4]) {
      const { sink, net } = pair({ weight: [0.5, 0.25], pre: [0, 0], post: [1, 2], delay, schedule: [[3]] });
      const seen = stateMonitor(sink, "lastInput");
      simulate(net, { duration: 12 * DT, dt: DT, monitors: [seen] });
      // The monitor samples the state a step starts from: the input of step k shows at sample k + 1.
      const trace = seen.trace();
      const arrival = 3 + 1 + delay;
      for (let k = 0; k < 11; k++) {
        const row = Array.from(trace.values.subarray((k + 1) * 3, (k + 2) * 3));
        assert.deepEqual(row, k === arrival ? [0, 0.5, 0.25] : [0, 0, 0], `delay ${delay}, step ${k}`);
      }
    }
  });

  it("simulate(net, …) adds events into a state field target and honours per-synapse delays", () => {
    const { sink, net } = pair({ weight: [1, 2, 3], pre: [0, 0, 0], post: [0, 1, 2], delay: new Int32Array([0, 2, 5]), target: "g", schedule: [[1]] });
    const seen = stateMonitor(sink, "lastG");
    simulate(net, { duration: 10 * DT, dt: DT, monitors: [seen] });
    const values = seen.trace().values;
    // Spike in step 1: synapse with delay d arrives at the start of step 2 + d, seen by that step.
    const at = (step: number) => Array.from(values.subarray((step + 1) * 3, (step + 2) * 3));
    assert.deepEqual(at(2), [1, 0, 0]);
    assert.deepEqual(at(4), [0, 2, 0]);
    assert.deepEqual(at(7), [0, 0, 3]);
    assert.deepEqual(at(3), [0, 0, 0]);
  });

  it("simulate(...) counts SOPs = Σ spikes × fan-out, per projection and network-wide", () => {
    const rng = createRng(3);
    const input = poissonGroup("in", 200, { rates: 50 * Hz, rng });
    const sink = population("sink", probe, 100);
    const c = fixedProbability(200, 100, { p: 0.1, rng: createRng(4) });
    const proj = projection(input, sink, { synapses: uniformSynapses(c, { weight: 1 }) });
    const proj2 = projection(input, sink, { synapses: denseSynapses(200, 100, { weight: 0.1 }), target: "g", name: "dense" });
    const net = network({ populations: [input, sink], projections: [proj, proj2] });
    const spikes = spikeMonitor(input);
    const result = simulate(net, { duration: 100 * ms, dt: DT, monitors: [spikes] });
    let expected = 0;
    for (const i of spikes.train().ids) expected += c.rowStart[i + 1] - c.rowStart[i];
    assert.equal(proj.sops, expected);
    assert.equal(proj2.sops, spikes.count * 100);
    assert.equal(result.sops, expected + spikes.count * 100);
    assert.equal(net.sops, result.sops);
    assert.ok(expected > 0);
  });

  it("a jump into v does not survive the reset of a neuron that spikes in that step (Brian2's order)", () => {
    // Two neurons that reset v to −70 when they fire (steps 3: both; 6: neuron 1), coupled by 5 mV jumps.
    const pop = population("pair", resetting, 2, { params: { schedule: [[3], [3, 6]] } });
    const net = network({
      populations: [pop],
      projections: [projection(pop, pop, { synapses: denseSynapses(2, 2, { weight: [0, 5, 5, 0] }), target: "v" })],
    });
    const v = stateMonitor(pop, "v");
    simulate(net, { duration: 9 * DT, dt: DT, monitors: [v] });
    const at = (sample: number) => Array.from(v.trace().values.subarray(sample * 2, sample * 2 + 2));
    assert.deepEqual(at(3), [0, 0]);
    assert.deepEqual(at(4), [-70, -70], "both fired in step 3: their reset wins over the jumps");
    assert.deepEqual(at(7), [-65, -70], "neuron 1 fired alone in step 6: neuron 0 jumps, neuron 1 stays reset");
    assert.deepEqual(at(8), [-65, -70]);
  });
});

describe("simulate: monitors", () => {
  it("spikeMonitor(pop) records exactly the spikes of stepping the model by hand", () => {
    const size = 5;
    const pop = population("lif", lif, size);
    const drive = [1.4, 1.6, 2, 3, 0.5];
    const net = network({ populations: [pop], inputs: [currentInput(pop, drive)] });
    const m = spikeMonitor(pop);
    simulate(net, { duration: 50 * ms, dt: DT, monitors: [m] });
    const twin = lif.init(size, pop.params);
    const input = Float32Array.from(drive);
    const out = new Uint8Array(size);
    const times: number[] = [];
    const ids: number[] = [];
    for (let k = 0; k < 500; k++) {
      lifStep(input, twin, pop.params, DT, out);
      for (let i = 0; i < size; i++) if (out[i]) { times.push(Math.fround(k * DT)); ids.push(i); }
    }
    const train = m.train();
    assert.deepEqual(Array.from(train.ids), ids);
    assert.deepEqual(Array.from(train.times), times);
    assert.equal(train.size, size);
    assert.equal(train.duration, 50);
  });

  it("stateMonitor(pop, variable, {ids, every}) samples every k steps from t = 0", () => {
    const pop = population("lif", lif, 4);
    const net = network({ populations: [pop], inputs: [currentInput(pop, 1)] });
    const m = stateMonitor(pop, "v", { ids: [3, 1], every: 7 });
    simulate(net, { duration: 10 * ms, dt: DT, monitors: [m] });
    const trace = m.trace();
    assert.equal(trace.unit, "mV");
    assert.deepEqual(Array.from(trace.ids), [3, 1]);
    assert.equal(trace.times.length, Math.ceil(100 / 7));
    expectAllClose(trace.times, Array.from({ length: 15 }, (_, k) => Math.fround(k * 7 * DT)), { rtol: 0, atol: 0 });
    // Re-run by hand: sample k is v after 7k steps.
    const twin = lif.init(4, pop.params);
    const input = new Float32Array(4).fill(1);
    const out = new Uint8Array(4);
    for (let k = 0; k < 100; k++) {
      if (k % 7 === 0) {
        const row = k / 7;
        assert.equal(trace.values[row * 2], twin.v[3]);
        assert.equal(trace.values[row * 2 + 1], twin.v[1]);
      }
      lifStep(input, twin, pop.params, DT, out);
    }
  });

  it("a Poisson group's rate above 1/dt is an error that names it in Hz, before any step", () => {
    const input = poissonGroup("in", 2, { rates: [50 * Hz, 20], rng: createRng(1) });
    const net = network({ populations: [input] });
    const m = spikeMonitor("in");
    expectError(() => simulate(net, { duration: 5 * ms, dt: 0.1 * ms, monitors: [m] }),
      "simulate: in.rates[1] must be at most 1/dt = 10 per ms (10000 Hz; rates are in 1/ms, so 20 is 20000 Hz: write 20 * Hz for 20 Hz), got 20");
    assert.equal(m.count, 0);
  });

  it("monitors keep recording across simulate calls and forget on clear()", () => {
    const input = poissonGroup("in", 10, { rates: 100 * Hz, rng: createRng(1) });
    const net = network({ populations: [input] });
    const m = spikeMonitor("in");
    simulate(net, { duration: 50 * ms, dt: DT, monitors: [m] });
    const first = m.count;
    simulate(net, { duration: 50 * ms, dt: DT, monitors: [m] });
    const train = m.train();
    assert.ok(train.ids.length > first && first > 0);
    assert.equal(train.duration, 100);
    for (let s = 1; s < train.times.length; s++) assert.ok(train.times[s] >= train.times[s - 1]);
    m.clear();
    assert.equal(m.count, 0);
  });

  it("a Poisson group spikes exactly as poissonTrain with the same stream", () => {
    const rates = Float32Array.from({ length: 20 }, (_, i) => (5 + 5 * i) * Hz);
    const group = poissonGroup("in", 20, { rates, rng: createRng(12) });
    const m = spikeMonitor(group);
    simulate(network({ populations: [group] }), { duration: 200 * ms, dt: DT, monitors: [m] });
    const reference = poissonTrain(rates, { duration: 200 * ms, dt: DT, rng: createRng(12) });
    assert.deepEqual(m.train().ids, reference.ids);
    assert.deepEqual(m.train().times, reference.times);
  });
});

describe("simulate: state, interruption, determinism", () => {
  function smallNetwork(seed: number) {
    const rng = createRng(seed);
    const input = poissonGroup("in", 100, { rates: 20 * Hz, rng: rng.fork() });
    const exc = population("exc", lif, 50, { params: { synapse: "exponential" } });
    exc.state.v.fill(-60);
    const plastic = projection(input, exc, {
      synapses: sparseSynapses(fixedProbability(100, 50, { p: 0.3, rng: rng.fork() }), { weight: () => rng.uniform(0.2, 0.6) }),
      plasticity: stdpParams({ aPlus: 0.01, aMinus: -0.0105 }), delaySteps: 3,
    });
    const recurrent = projection(exc, exc, { synapses: uniformSynapses(fixedProbability(50, 50, { p: 0.1, rng: rng.fork() }), { weight: -0.2 }) });
    return { input, exc, plastic, net: network({ populations: [input, exc], projections: [plastic, recurrent] }) };
  }

  it("simulate(...) is deterministic: the same seed gives an identical raster and weights", () => {
    const runs = [1, 1, 2].map((seed) => {
      const s = smallNetwork(seed);
      const m = spikeMonitor(s.exc);
      simulate(s.net, { duration: 200 * ms, dt: DT, monitors: [m] });
      return { train: m.train(), w: s.plastic.synapses.w.slice() };
    });
    assert.ok(runs[0].train.ids.length > 20);
    assert.deepEqual(runs[0].train, runs[1].train);
    assert.deepEqual(runs[0].w, runs[1].w);
    assert.notDeepEqual(runs[0].train.ids, runs[2].train.ids);
  });

  it("simulate(...) with plasticity equals stepping the neurons and stdpStep by hand", () => {
    const rng = createRng(21);
    const input = population("in", scripted, 30, {
      params: { schedule: Array.from({ length: 30 }, () => Array.from({ length: 40 }, () => rng.int(300))) },
    });
    const out = population("out", lif, 4);
    const synapses = sparseSynapses(allToAll(30, 4), { weight: () => rng.uniform(0.3, 0.7) });
    const w0 = synapses.w.slice();
    const p = stdpParams({ aPlus: 0.02, aMinus: -0.021 });
    const proj = projection(input, out, { synapses, plasticity: p });
    const net = network({ populations: [input, out], projections: [proj], inputs: [currentInput(out, 1.4)] });
    simulate(net, { duration: 300 * DT, dt: DT });
    // By hand: same models, propagation into the next step's input, STDP after propagation.
    const srcState = scripted.init(30, input.params);
    const dstState = lif.init(4, out.params);
    const w = w0.slice();
    const access = synapseAccess(sparseSynapses(allToAll(30, 4), { weight: w }));
    const traces = stdpInit(access, p);
    const pre = new Uint8Array(30);
    const post = new Uint8Array(4);
    // The network's input buffer starts each step at the constant current and then gets the events.
    let next = new Float32Array(4).fill(1.4);
    for (let k = 0; k < 300; k++) {
      const drive = next;
      next = new Float32Array(4).fill(1.4);
      scripted.step(new Float32Array(30), srcState, input.params, DT, pre);
      lif.step(drive, dstState, out.params, DT, post);
      for (let i = 0; i < 30; i++) if (pre[i]) for (let j = 0; j < 4; j++) next[j] += access.w[i * 4 + j];
      stdpStep(pre, post, access, traces, p, DT);
    }
    expectAllClose(proj.synapses.w, access.w, { rtol: 0, atol: 0 });
    assert.notDeepEqual(proj.synapses.w, w0);
    expectAllClose(out.state.v, dstState.v, { rtol: 0, atol: 0 });
  });

  it("shouldStop() stops at a step boundary with a consistent state, and the run can go on", () => {
    const a = smallNetwork(5);
    const b = smallNetwork(5);
    const ma = spikeMonitor(a.exc);
    const mb = spikeMonitor(b.exc);
    let asked = 0;
    const stoppedRun = simulate(a.net, { duration: 100 * ms, dt: DT, monitors: [ma], shouldStop: () => ++asked > 437 });
    assert.equal(stoppedRun.stopped, true);
    assert.equal(stoppedRun.steps, 437);
    assert.equal(a.net.steps, 437);
    assert.ok(Math.abs(a.net.time - 43.7) < 1e-9);
    assert.equal(ma.train().duration, a.net.time);
    // Going on for the rest gives exactly the uninterrupted run.
    simulate(a.net, { duration: 63 * ms - 0.7 * ms, dt: DT, monitors: [ma] });
    simulate(b.net, { duration: 106 * ms, dt: DT, monitors: [mb] });
    assert.deepEqual(ma.train().ids, mb.train().ids);
    assert.deepEqual(a.exc.state.v, b.exc.state.v);
    assert.deepEqual(a.plastic.synapses.w, b.plastic.synapses.w);
  });

  it("resetNetwork(net) restores the initial state: model rest, no pending events, zero traces, t = 0", () => {
    const s = smallNetwork(8);
    simulate(s.net, { duration: 50 * ms, dt: DT });
    assert.ok(s.net.sops > 0);
    resetNetwork(s.net);
    const fresh = lif.init(50, s.exc.params);
    assert.deepEqual(s.exc.state.v, fresh.v);
    assert.deepEqual(s.exc.state.i, fresh.i);
    assert.deepEqual(s.exc.state.refractory, fresh.refractory);
    assert.ok(s.plastic.traces!.pre.every((x) => x === 0) && s.plastic.traces!.post.every((x) => x === 0));
    assert.equal(s.net.steps, 0);
    assert.equal(s.net.time, 0);
    assert.equal(s.net.sops, 0);
    // No delayed event is still in flight: with the input silenced, nothing reaches the population.
    s.input.rates.fill(0);
    const v = stateMonitor(s.exc, "i");
    simulate(s.net, { duration: 1 * ms, dt: DT, monitors: [v] });
    assert.ok(v.trace().values.every((x) => x === 0));
  });

  it("onProgress(done, total) is called about every 1 % and at the end", () => {
    const calls: [number, number][] = [];
    simulate(smallNetwork(1).net, { duration: 100 * ms, dt: DT, onProgress: (d, t) => calls.push([d, t]) });
    assert.equal(calls.length, 100);
    assert.deepEqual(calls[0], [10, 1000]);
    assert.deepEqual(calls[calls.length - 1], [1000, 1000]);
  });
});

describe("inputs", () => {
  it("noiseInput(pop, {sd, interval}) holds one N(mean, sd²) draw per neuron for `interval`", () => {
    const pop = population("p", probe, 2000);
    const net = network({ populations: [pop], inputs: [noiseInput(pop, { mean: 1, sd: 3, interval: 1 * ms, rng: createRng(2) })] });
    const m = stateMonitor(pop, "lastInput", { ids: [0, 1, 2] });
    simulate(net, { duration: 2 * ms, dt: 0.5 * ms, monitors: [m] });
    const t = m.trace().values;
    // Steps 0 and 1 share a draw, step 2 draws anew (samples are one step late).
    assert.deepEqual(Array.from(t.subarray(3, 6)), Array.from(t.subarray(6, 9)));
    assert.notDeepEqual(Array.from(t.subarray(6, 9)), Array.from(t.subarray(9, 12)));
    const x = pop.state.lastInput;
    let mean = 0;
    for (const v of x) mean += v / x.length;
    let variance = 0;
    for (const v of x) variance += (v - mean) ** 2 / (x.length - 1);
    // 2000 draws: the mean has sd 3/√2000 = 0.067; the variance has relative sd √(2/1999) = 3.2 %.
    assert.ok(Math.abs(mean - 1) < 4 * 0.067, `mean ${mean}`);
    assert.ok(Math.abs(variance / 9 - 1) < 4 * 0.032, `variance ${variance}`);
  });

  it("currentInput(pop, values) adds a constant current every step", () => {
    const pop = population("p", probe, 3);
    const net = network({ populations: [pop], inputs: [currentInput(pop, [1, 2, 3]), currentInput(pop, 0.5)] });
    simulate(net, { duration: 10 * DT, dt: DT });
    assert.deepEqual(Array.from(pop.state.lastInput), [1.5, 2.5, 3.5]);
    assert.deepEqual(Array.from(pop.state.v), [15, 25, 35]);
  });
});

describe("validation", () => {
  const pop = population("a", probe, 3);
  const src = poissonGroup("src", 4, { rates: 10 * Hz, rng: createRng(1) });
  const good = () => network({ populations: [pop, src] });

  it("simulate(net, options) rejects NaN, zero or negative dt and duration, and a fractional step count, before running", () => {
    const net = good();
    expectError(() => simulate(net, { duration: 10, dt: NaN }), "simulate: dt must be a finite number > 0, got NaN");
    expectError(() => simulate(net, { duration: 10, dt: 0 }), "simulate: dt must be a finite number > 0, got 0");
    expectError(() => simulate(net, { duration: -1, dt: 0.1 }), "simulate: duration must be a finite number > 0, got -1");
    expectError(() => simulate(net, { duration: 0.25, dt: 0.1 }), "simulate: duration must be a whole number of steps of dt (0.1), got 0.25");
    expectError(() => simulate(net, { duration: 1, dt: 0.1, monitors: [spikeMonitor("nobody")] }), 'simulate: monitors[0].population must name a group of this network (a, src), got "nobody"');
    expectError(() => simulate(net, { duration: 1, dt: 0.1, monitors: [stateMonitor("a", "u")] }), 'simulate: stateMonitor(a).variable must be a state field with one value per neuron (v, lastInput, g, lastG), got "u"');
    expectError(() => simulate(net, { duration: 1, dt: 0.1, monitors: [stateMonitor("a", "v", { ids: [5] })] }), "simulate: stateMonitor(a).ids[0] must be an integer in [0, 2], got 5");
    assert.equal(net.steps, 0);
  });

  it("network(spec) rejects unknown names, mismatched sizes, bad targets and duplicates", () => {
    const m = uniformSynapses(oneToOne(3), { weight: 1 });
    expectError(() => network({ populations: [pop], projections: [projection("b", pop, { synapses: m })] }), 'network: projections[0].pre must name a group of this network (a), got "b"');
    expectError(() => network({ populations: [pop, src], projections: [projection(src, pop, { synapses: m })] }), "network: projections[0].synapses.nPre must be the size of src (4), got 3");
    expectError(() => network({ populations: [pop, src], projections: [projection(pop, src, { synapses: m })] }), 'network: projections[0].post must name a neuron population (a Poisson group has no input), got "src"');
    expectError(() => network({ populations: [pop], projections: [projection(pop, pop, { synapses: m, target: "w" })] }), 'network: projections[0].target must be "input" or a Float32Array field of the a state (v, lastInput, g, lastG), got "w"');
    expectError(() => network({ populations: [pop, population("a", probe, 2)] }), 'network: populations[1].name must be unique, got "a"');
    expectError(() => network({ populations: [pop], inputs: [currentInput(pop, [1, 2])] }), "network: inputs[0].values must have one value per neuron of a (3), got 2");
    expectError(() => network({ populations: [pop], inputs: [noiseInput("zz", { sd: 1, interval: 1, rng: createRng(1) })] }), 'network: inputs[0].population must name a group of this network (a), got "zz"');
  });

  it("projection(...) and stdp plasticity reject bad delays and weights out of bounds", () => {
    const m = uniformSynapses(oneToOne(3), { weight: 1 });
    expectError(() => projection(pop, pop, { synapses: m, delaySteps: -1 }), "projection: delaySteps must be an integer >= 0, got -1");
    expectError(() => projection(pop, pop, { synapses: m, delaySteps: new Int32Array(2) }), "projection: delaySteps must have one delay per synapse (3), got 2");
    expectError(() => projection(pop, pop, { synapses: sparseSynapses(oneToOne(3), { weight: 2 }), plasticity: stdpParams() }), "stdpInit: access.w[0] must be a finite number in [0, 1], got 2");
  });
});

describe("printing", () => {
  it("networks, populations, projections and monitors print compactly", () => {
    const input = poissonGroup("in", 10, { rates: 5 * Hz, rng: createRng(1) });
    const out = population("out", lif, 2);
    const proj = projection(input, out, { synapses: uniformSynapses(allToAll(10, 2), { weight: 0.5 }) });
    const net = network({ populations: [input, out], projections: [proj] });
    assert.equal(inspect(out), "Population(out: 2 × lif)");
    assert.equal(inspect(input), "PoissonGroup(in: 10 sources, mean rate 5.000 Hz)");
    assert.equal(inspect(proj), "Projection(in→out: in → out.input, uniform, 20 synapses, delay 0 steps, 0 SOPs)");
    assert.equal(inspect(net), "Network(2 groups [in 10 poisson, out 2 lif], 1 projection (20 synapses), 0 inputs; t = 0 ms, 0 SOPs)");
    assert.equal(inspect(spikeMonitor(out)), "SpikeMonitor(out: 0 spikes over 0 ms)");
    assert.equal(inspect(stateMonitor(out, "v", { every: 10 })), "StateMonitor(out.v: all neurons every 10 steps, 0 samples)");
    assert.equal(findGroup(net, "out"), out);
  });
});
