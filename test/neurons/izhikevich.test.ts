import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { ms } from "../../src/core/units";
import {
  izhikevich, izhikevichInit, izhikevichParams, izhikevichPresetLabels, izhikevichPresets, izhikevichReset,
  izhikevichStep, type IzhikevichParams,
} from "../../src/neurons/izhikevich";
import { expectError } from "../helpers/close";

const DT = 0.25 * ms; // the step of Izhikevich's single-neuron figure code

/** Spike times (ms, end of step) and v after each step of one neuron under the current I(t). */
function run(p: IzhikevichParams, current: (t: number) => number, duration: number, dt = DT) {
  const s = izhikevichInit(1, p);
  const input = new Float32Array(1);
  const spikes = new Uint8Array(1);
  const times: number[] = [];
  const v: number[] = [];
  const steps = Math.round(duration / dt);
  for (let k = 0; k < steps; k++) {
    input[0] = current(k * dt);
    izhikevichStep(input, s, p, dt, spikes);
    if (spikes[0]) times.push((k + 1) * dt);
    v.push(s.v[0]!);
  }
  return { times, v };
}

function intervals(times: number[]): number[] {
  return times.slice(1).map((t, j) => t - times[j]!);
}

/** Extrema of v after `from` (index), relative to `rest`, larger than 1 µV. */
function extrema(v: number[], from: number, rest: number): number[] {
  const out: number[] = [];
  for (let k = from + 1; k < v.length - 1; k++) {
    if ((v[k]! - v[k - 1]!) * (v[k + 1]! - v[k]!) < 0 && Math.abs(v[k]! - rest) > 1e-3) out.push(v[k]! - rest);
  }
  return out;
}

describe("izhikevich", () => {
  it("izhikevichPresets hold the a, b, c, d of the paper's Fig. 2 and the defaults are RS", () => {
    const table: Record<string, [string, number, number, number, number]> = {
      regularSpiking: ["RS", 0.02, 0.2, -65, 8],
      intrinsicallyBursting: ["IB", 0.02, 0.2, -55, 4],
      chattering: ["CH", 0.02, 0.2, -50, 2],
      fastSpiking: ["FS", 0.1, 0.2, -65, 2],
      lowThresholdSpiking: ["LTS", 0.02, 0.25, -65, 2],
      thalamoCortical: ["TC", 0.02, 0.25, -65, 0.05],
      resonator: ["RZ", 0.1, 0.26, -65, 2],
    };
    assert.deepEqual(Object.keys(izhikevichPresets), Object.keys(table));
    for (const [name, [label, a, b, c, d]] of Object.entries(table)) {
      const p = izhikevichPresets[name as keyof typeof izhikevichPresets];
      assert.deepEqual({ ...p }, { a, b, c, d, vPeak: 30, vInit: -65 }, name);
      assert.equal(izhikevichPresetLabels[name as keyof typeof izhikevichPresetLabels], label);
      assert.ok(Object.isFrozen(p));
    }
    assert.ok(Object.isFrozen(izhikevichPresets));
    assert.deepEqual({ ...izhikevichParams() }, { a: 0.02, b: 0.2, c: -65, d: 8, vPeak: 30, vInit: -65 });
    assert.equal(izhikevich.name, "izhikevich");
    const s = izhikevichInit(2, izhikevichPresets.resonator);
    assert.deepEqual([...s.v], [-65, -65]);
    assert.deepEqual([...s.u], [Math.fround(0.26 * -65), Math.fround(0.26 * -65)]);
  });

  it("izhikevichParams, izhikevichInit and izhikevichStep reject bad values and wrong per-neuron lengths", () => {
    expectError(() => izhikevichParams({ a: NaN }), "izhikevichParams: a must be a finite number or a Float32Array, got NaN");
    expectError(() => izhikevichParams({ d: new Float32Array([1, NaN]) }), "izhikevichParams: d[1] must be a finite number, got NaN");
    expectError(() => izhikevichParams({ c: 30 }), "izhikevichParams: c must be < vPeak (30), got 30");
    expectError(() => izhikevichParams({ c: new Float32Array([-65, 40]) }), "izhikevichParams: c[1] must be < vPeak (30), got 40");
    const p = izhikevichParams({ c: new Float32Array([-65, -55, -50]) });
    expectError(() => izhikevichInit(4, p), "izhikevichInit: c must have length 4, got 3");
    const s = izhikevichInit(3, p);
    const q = izhikevichParams({ a: new Float32Array(2).fill(0.02) });
    expectError(() => izhikevichStep(new Float32Array(3), s, q, 1, new Uint8Array(3)), "izhikevichStep: a must have length 3, got 2");
    expectError(() => izhikevichStep(new Float32Array(3), s, p, -1, new Uint8Array(3)), "izhikevichStep: dt must be a finite number > 0, got -1");
    expectError(() => izhikevichStep(new Float32Array(2), s, p, 1, new Uint8Array(3)), "izhikevichStep: input must have length 3, got 2");
  });

  it("izhikevichParams copies per-neuron arrays, so later changes to the caller's array do not leak in", () => {
    const c = new Float32Array([-65, -55]);
    const p = izhikevichParams({ c });
    c[0] = 0;
    assert.deepEqual([...(p.c as Float32Array)], [-65, -55]);
  });

  it("izhikevichStep at dt = 1 ms is the published MATLAB loop (two 0.5 ms half-steps of v, then u)", () => {
    // Heterogeneous population built as in the paper's network: excitatory and inhibitory r
    const rng = createRng(2003);
    const ne = 40, ni = 10, n = ne + ni;
    const a = new Float32Array(n), b = new Float32Array(n), c = new Float32Array(n), d = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const r = rng.next();
      if (k < ne) [a[k], b[k], c[k], d[k]] = [0.02, 0.2, -65 + 15 * r * r, 8 - 6 * r * r];
      else [a[k], b[k], c[k], d[k]] = [0.02 + 0.08 * r, 0.25 - 0.05 * r, -65, 2];
    }
    const p = izhikevichParams({ a, b, c, d });
    const s = izhikevichInit(n, p);
    const spikes = new Uint8Array(n);
    const input = new Float32Array(n);
    // Oracle: the MATLAB loop, firing test at the top of each iteration. State values are rounded
    // to float32 where the library stores them (after the reset), so the comparison is exact.
    const v = new Float64Array(n).fill(-65);
    const u = new Float64Array(n);
    for (let k = 0; k < n; k++) u[k] = Math.fround(b[k]! * -65);
    let matlabFired: number[] = [];
    let total = 0;
    for (let t = 0; t < 1000; t++) {
      for (let k = 0; k < n; k++) input[k] = Math.fround((k < ne ? 5 : 2) * rng.normal());
      // MATLAB: fired = find(v >= 30); v(fired) = c(fired); u(fired) = u(fired) + d(fired);
      const fired: number[] = [];
      for (let k = 0; k < n; k++) {
        if (v[k]! >= 30) {
          fired.push(k);
          v[k] = c[k]!;
          u[k] = u[k]! + d[k]!;
        }
        v[k] = Math.fround(v[k]!);
        u[k] = Math.fround(u[k]!);
      }
      assert.deepEqual(fired, matlabFired, `firings recorded at t = ${t} ms`);
      for (let k = 0; k < n; k++) {
        assert.equal(s.v[k], v[k], `v of neuron ${k} at t = ${t} ms`);
        assert.equal(s.u[k], u[k], `u of neuron ${k} at t = ${t} ms`);
      }
      for (let k = 0; k < n; k++) {
        const I = input[k]!;
        v[k] = v[k]! + 0.5 * (0.04 * v[k]! * v[k]! + 5 * v[k]! + 140 - u[k]! + I);
        v[k] = v[k]! + 0.5 * (0.04 * v[k]! * v[k]! + 5 * v[k]! + 140 - u[k]! + I);
        u[k] = u[k]! + a[k]! * (b[k]! * v[k]! - u[k]!);
      }
      total += izhikevichStep(input, s, p, 1 * ms, spikes);
      // our step reports in step t what MATLAB records at the top of iteration t + 1
      matlabFired = [];
      for (let k = 0; k < n; k++) if (spikes[k]) matlabFired.push(k);
    }
    assert.ok(total > 100, `${total} spikes`);
  });

  it("izhikevichStep with per-neuron arrays equals one scalar run per neuron", () => {
    const names = Object.keys(izhikevichPresets) as (keyof typeof izhikevichPresets)[];
    const pick = (f: (p: IzhikevichParams) => number) => Float32Array.from(names.map((m) => f(izhikevichPresets[m])));
    const p = izhikevichParams({
      a: pick((q) => q.a as number), b: pick((q) => q.b as number), c: pick((q) => q.c as number), d: pick((q) => q.d as number),
    });
    const s = izhikevichInit(names.length, p);
    const spikes = new Uint8Array(names.length);
    const input = new Float32Array(names.length).fill(10);
    const counts = new Array<number>(names.length).fill(0);
    for (let k = 0; k < 2000; k++) {
      izhikevichStep(input, s, p, DT, spikes);
      for (let j = 0; j < names.length; j++) counts[j]! += spikes[j]!;
    }
    for (let j = 0; j < names.length; j++) {
      // float32 parameters: the presets' decimals rounded as the arrays hold them
      const q = izhikevichParams({
        a: Math.fround(izhikevichPresets[names[j]!].a as number), b: Math.fround(izhikevichPresets[names[j]!].b as number),
        c: izhikevichPresets[names[j]!].c, d: Math.fround(izhikevichPresets[names[j]!].d as number),
      });
      const single = run(q, () => 10, 2000 * DT);
      assert.equal(counts[j], single.times.length, names[j]);
      assert.equal(s.v[j], single.v[single.v.length - 1], names[j]);
    }
  });

  it("izhikevichStep leaves v at c after a spike (the apex vPeak is implied by the spike)", () => {
    const p = izhikevichPresets.chattering;
    const s = izhikevichInit(1, p);
    const spikes = new Uint8Array(1);
    let fired = false;
    for (let k = 0; k < 400 && !fired; k++) {
      const u = s.u[0]!;
      fired = izhikevichStep(new Float32Array([10]), s, p, DT, spikes) === 1;
      if (fired) {
        assert.equal(s.v[0], -50);
        assert.ok(s.u[0]! > u, "u ← u + d");
      }
    }
    assert.ok(fired);
  });

  describe("firing classes (Fig. 2) at dt = 0.25 ms", () => {
    const tonic = (t: number) => (t >= 0 ? 10 : 0);

    it("regularSpiking fires tonically with spike-frequency adaptation at I = 10", () => {
      const isi = intervals(run(izhikevichPresets.regularSpiking, tonic, 500).times);
      assert.ok(isi.length >= 8);
      assert.ok(Math.min(...isi) > 10, "no bursts");
      assert.ok(isi[isi.length - 1]! > 1.5 * isi[0]!, `adaptation: first ISI ${isi[0]}, last ${isi[isi.length - 1]}`);
    });

    it("intrinsicallyBursting fires an initial burst, then tonic spikes", () => {
      const isi = intervals(run(izhikevichPresets.intrinsicallyBursting, tonic, 500).times);
      assert.ok(isi[0]! < 6, `burst ISI ${isi[0]}`);
      const burst = isi.findIndex((x) => x > 20);
      assert.ok(burst >= 1 && burst <= 3, "a burst of 2–4 spikes");
      assert.ok(isi.slice(burst).every((x) => x > 20), "then tonic: no more bursts");
      assert.ok(isi.length - burst >= 8);
    });

    it("chattering fires repeated high-frequency bursts", () => {
      const isi = intervals(run(izhikevichPresets.chattering, tonic, 500).times);
      const gaps = isi.filter((x) => x > 30).length;
      const within = isi.filter((x) => x < 6).length;
      assert.ok(gaps >= 6, `${gaps} inter-burst gaps`);
      assert.ok(within >= 2 * gaps, `${within} intra-burst ISIs: ≥ 3 spikes per burst`);
      assert.ok(isi.every((x) => x < 6 || x > 30), "bimodal ISIs");
    });

    it("fastSpiking fires at high frequency without adaptation", () => {
      const { times } = run(izhikevichPresets.fastSpiking, tonic, 500);
      const isi = intervals(times).slice(3);
      assert.ok(times.length / 0.5 > 80, `${times.length / 0.5} Hz`);
      assert.ok(Math.max(...isi) / Math.min(...isi) < 1.3, "regular");
      const late = isi.slice(-5).reduce((x, y) => x + y) / 5;
      const early = isi.slice(0, 5).reduce((x, y) => x + y) / 5;
      assert.ok(late / early < 1.1, `no adaptation: ${early} → ${late} ms`);
    });

    it("lowThresholdSpiking fires below the RS rheobase, then high-frequency trains with adaptation", () => {
      const weak = (t: number) => (t >= 200 ? 1 : 0);
      assert.ok(run(izhikevichPresets.lowThresholdSpiking, weak, 1200).times.length > 0);
      assert.equal(run(izhikevichPresets.regularSpiking, weak, 1200).times.length, 0);
      const isi = intervals(run(izhikevichPresets.lowThresholdSpiking, tonic, 500).times);
      assert.ok(isi[0]! < 6, `initial ISI ${isi[0]}`);
      assert.ok(isi[isi.length - 1]! > 2 * isi[0]!, "adaptation");
      assert.ok(1000 / isi[isi.length - 1]! > 50, "still high frequency after adapting");
    });

    it("thalamoCortical fires a rebound burst after hyperpolarisation, and tonically when depolarised", () => {
      const release = (t: number) => (t < 300 ? -10 : 0);
      const rebound = run(izhikevichPresets.thalamoCortical, release, 600).times;
      assert.ok(rebound.length >= 2 && rebound.every((t) => t > 300 && t < 350), `rebound at ${rebound}`);
      assert.equal(run(izhikevichPresets.regularSpiking, release, 600).times.length, 0);
      const isi = intervals(run(izhikevichPresets.thalamoCortical, tonic, 500).times);
      assert.ok(isi.length > 50 && Math.max(...isi.slice(5)) < 2 * Math.min(...isi.slice(5)), "tonic at I = 10");
    });

    it("resonator shows damped subthreshold oscillations after a small pulse; RS relaxes without ringing", () => {
      const pulse = (t: number) => (t >= 1000 && t < 1002 ? 0.5 : 0);
      const after = Math.round(1002 / DT);
      const rz = run(izhikevichPresets.resonator, pulse, 1600);
      assert.ok(rz.times.every((t) => t < 1000), "the pulse is subthreshold");
      const ring = extrema(rz.v, after, rz.v[Math.round(999 / DT)]!);
      assert.ok(ring.length >= 4, `${ring.length} extrema`);
      for (let j = 1; j < ring.length; j++) assert.ok(ring[j]! * ring[j - 1]! < 0, "alternating");
      const rs = run(izhikevichPresets.regularSpiking, pulse, 1600);
      assert.ok(extrema(rs.v, after, rs.v[Math.round(999 / DT)]!).length <= 1);
    });
  });

  it("izhikevichReset(s, p) restores v = vInit and u = b·vInit per neuron", () => {
    const p = izhikevichParams({ b: new Float32Array([0.2, 0.25]) });
    const s = izhikevichInit(2, p);
    for (let k = 0; k < 100; k++) izhikevichStep(new Float32Array([10, 10]), s, p, 1, new Uint8Array(2));
    izhikevichReset(s, p);
    assert.deepEqual([...s.v], [-65, -65]);
    assert.deepEqual([...s.u], [Math.fround(Math.fround(0.2) * -65), Math.fround(0.25 * -65)]);
  });

  it("the file-head @example runs", () => {
    const p = izhikevichPresets.chattering;
    const s = izhikevichInit(1, p);
    const spikes = new Uint8Array(1);
    let count = 0;
    for (let t = 0; t < 200; t++) count += izhikevichStep(new Float32Array([10]), s, p, 1 * ms, spikes);
    assert.ok(count > 3);
    const q = izhikevichParams({ c: new Float32Array([-65, -55]), d: new Float32Array([8, 4]) });
    assert.equal(izhikevichInit(2, q).size, 2);
  });
});
