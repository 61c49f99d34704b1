import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { embeddedReberTask, parityTask, sequenceDataset, reberSymbols } from "../../src/datasets/sequence-tasks";
import { burstDecode, burstLevel, twoChannelCount, twoChannelDecode, twoChannelSpikes } from "../../src/encoders/two-channel-code";
import { burstLevelsFor, lstmReference, spikingLstm, type LstmWeights } from "../../src/models/spiking-lstm";
import { expectError } from "../helpers/close";

const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const f32 = (a: number[]): Float32Array => Float32Array.from(a);

/** One input, one hidden unit, two outputs: small enough to write the LSTM out by hand. */
const w: LstmWeights = {
  inputSize: 1, hiddenSize: 1, outputs: 2,
  kernel: f32([0.8, -0.5, 1.2, 0.6]), recurrentKernel: f32([0.3, 0.7, -0.9, 0.4]), bias: f32([0.1, 1, -0.2, 0.05]),
  outputKernel: f32([1.5, -1.1]), outputBias: f32([0.2, -0.3]),
};

/** The ANN by hand, float64: c_t = f·c + i·g, h_t = o·tanh(c_t), y = W·h_L + b. */
function byHand(xs: number[]): number[] {
  const k = Array.from(w.kernel), u = Array.from(w.recurrentKernel), b = Array.from(w.bias);
  let h = 0, c = 0;
  for (const x of xs) {
    const z = [0, 1, 2, 3].map((g) => k[g]! * x + u[g]! * h + b[g]!);
    c = sig(z[1]!) * c + sig(z[0]!) * Math.tanh(z[2]!);
    h = sig(z[3]!) * Math.tanh(c);
  }
  return [w.outputKernel[0]! * h + w.outputBias[0]!, w.outputKernel[1]! * h + w.outputBias[1]!];
}

const data = sequenceDataset({ inputs: [[[0.5], [-0.75], [0.25]], [[1], [0], [-1]]], labels: [0, 1] });

describe("spikingLstm", () => {
  it("lstmReference computes the LSTM equations (closed form on a 1-unit case)", () => {
    const r = lstmReference(w).evaluate(data, { start: 0, count: 2 });
    const want = [...byHand([0.5, -0.75, 0.25]), ...byHand([1, 0, -1])];
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.outputs[i]! - want[i]!) < 1e-6, `output ${i}: ${r.outputs[i]} vs ${want[i]}`);
  });

  it("with many spike steps the spiking LSTM's outputs converge to the ANN's (error shrinks like 1/T)", () => {
    const want = [...byHand([0.5, -0.75, 0.25]), ...byHand([1, 0, -1])];
    const errors = [16, 64, 256, 1024, 4096].map((T) => {
      const r = spikingLstm(w, { steps: T, cellRange: 2 }).evaluate(data, { start: 0, count: 2 });
      return Math.max(...want.map((v, i) => Math.abs(r.outputs[i]! - v)));
    });
    assert.ok(errors[4]! < 2e-3, `error at T = 4096: ${errors[4]}`);
    assert.ok(errors[4]! < errors[0]! / 10, `errors ${errors.join(", ")}`);
    // Each of the ~6 quantisers per step errs by ≤ 1/(2T); through the weights (|w| ≤ 1.5) the output error stays below 30/T.
    [16, 64, 256, 1024, 4096].forEach((T, i) => assert.ok(errors[i]! <= 30 / T, `T = ${T}: ${errors[i]}`));
  });

  it("counts synaptic operations and spikes, more with more spike steps", () => {
    const a = spikingLstm(w, { steps: 8, cellRange: 2 }).evaluate(data, { start: 0, count: 2 });
    const b = spikingLstm(w, { steps: 64, cellRange: 2 }).evaluate(data, { start: 0, count: 2 });
    assert.ok(a.sopsPerSequence > 0 && b.sopsPerSequence > 4 * a.sopsPerSequence);
    assert.ok(b.spikesPerSequence > a.spikesPerSequence);
    // Input spikes alone: ⌊|x|·8 + ½⌋ per value, × 4 gates: (4 + 6 + 2) + (8 + 0 + 8) = 28 spikes → 112 SOPs, of 2 sequences.
    assert.ok(a.sopsPerSequence >= 112 / 2);
    assert.equal(a.macsPerSequence, 3 * (4 * (1 + 1) + 2));
  });

  it("rejects ragged sequences, wrong feature sizes, spike steps < 1 and a burst code too coarse for the cell state's range", () => {
    expectError(() => sequenceDataset({ inputs: [[[0.1], [0.2]], [[0.3]]], labels: [0, 1] }),
      "sequenceDataset: inputs[1].length must equal inputs[0].length = 2 (sequences of one data set have one length: pad them), got 1");
    expectError(() => sequenceDataset({ inputs: [[[0.1], [0.2, 0.3]]], labels: [0] }), "sequenceDataset: inputs[0][1].length must equal the feature size 1, got 2");
    const two = sequenceDataset({ inputs: [[[0.1, 0.2]]], labels: [1] });
    expectError(() => spikingLstm(w, { steps: 4 }).evaluate(two, { start: 0, count: 1 }), "spikingLstm.evaluate: data.features must equal the LSTM's input size 1, got 2");
    expectError(() => spikingLstm(w, { steps: 0 }), "spikingLstm: steps must be an integer >= 1, got 0");
    expectError(() => spikingLstm(w, { steps: 16, cellRange: 4, cellLevels: 65 }),
      "spikingLstm: cellLevels must be at least 2·cellRange·steps + 1 = 129 (a burst code for the cell state's range [−4, 4] no coarser than the rate code's 1/16), got 65");
    expectError(() => spikingLstm({ ...w, bias: f32([0, 0]) }, { steps: 4 }), "spikingLstm: weights.bias must be a Float32Array of 4 values, got Float32Array(2)");
  });
});

describe("two-channel and burst codes", () => {
  it("the two-channel code's decoded value equals the input within 1/steps, and its spikes count ⌊|v|·T + ½⌋", () => {
    const rng = createRng(3);
    for (const T of [1, 3, 10, 64, 100]) {
      const values = Array.from({ length: 50 }, () => rng.uniform(-1, 1));
      values.push(-1, 0, 1);
      const spikes = twoChannelSpikes(values, T);
      const n = values.length;
      values.forEach((v, i) => {
        let pos = 0, neg = 0;
        for (let s = 0; s < T; s++) { pos += spikes[s * 2 * n + i]!; neg += spikes[s * 2 * n + n + i]!; }
        const decoded = (pos - neg) / T;
        assert.ok(Math.abs(decoded - v) <= 1 / T, `T ${T}, v ${v}: ${decoded}`);
        assert.equal(pos + neg, twoChannelCount(v, T));
        assert.ok(decoded === twoChannelDecode(v, T));
        assert.ok(v >= 0 ? neg === 0 : pos === 0);
      });
    }
    expectError(() => twoChannelSpikes([0.5], 0), "twoChannelSpikes: steps must be an integer >= 1, got 0");
    expectError(() => twoChannelSpikes([1.5], 4), "twoChannelSpikes: values[0] must be a finite number in [-1, 1], got 1.5");
  });

  it("the file header's example: twoChannelCount(0.3, 10) is 3, twoChannelSpikes([0.3, −0.5], 10) is 10 × 4, burstLevel(1.26, {4, 81}) is 13", () => {
    assert.equal(twoChannelCount(0.3, 10), 3);
    const spikes = twoChannelSpikes([0.3, -0.5], 10);
    assert.equal(spikes.length, 40);
    let plus0 = 0, minus1 = 0, other = 0;
    for (let s = 0; s < 10; s++) { plus0 += spikes[s * 4]!; other += spikes[s * 4 + 1]! + spikes[s * 4 + 2]!; minus1 += spikes[s * 4 + 3]!; }
    assert.deepEqual([plus0, other, minus1], [3, 0, 5]);
    assert.equal(burstLevel(1.26, { range: 4, levels: 81 }), 13);
    expectError(() => twoChannelCount(2, 10), "twoChannelCount: value must be a finite number in [-1, 1], got 2");
    expectError(() => burstLevel(1, { range: 4, levels: 80 }), "burstLevel: code.levels must be odd (so that 0 is a level), got 80");
  });

  it("the burst code resolves 2R/(levels − 1) and saturates at ±R", () => {
    const code = { range: 4, levels: burstLevelsFor(4, 10) };
    assert.equal(code.levels, 81);
    assert.equal(burstLevel(1.26, code), 13);
    assert.ok(Math.abs(burstDecode(1.26, code) - 1.3) < 1e-12);
    assert.equal(burstDecode(9, code), 4);
    assert.equal(burstDecode(-9, code), -4);
  });
});

describe("sequence tasks", () => {
  it("parityTask's running targets are the XOR of the bits so far; seeded", () => {
    const a = parityTask({ count: 20, length: 6, rng: createRng(5) });
    const b = parityTask({ count: 20, length: 6, rng: createRng(5) });
    assert.deepEqual(a.inputs, b.inputs);
    for (let i = 0; i < 20; i++) {
      let p = 0;
      for (let t = 0; t < 6; t++) { p ^= a.inputs[i * 6 + t]!; assert.equal(a.targets![i * 6 + t], p); }
      assert.equal(a.labels ?? p, p);
    }
    const end = parityTask({ count: 5, length: 6, target: "end", rng: createRng(5) });
    assert.equal(end.kind, "class");
  });

  it("embeddedReberTask's strings follow the grammar: B, T|P, Reber string, the same T|P, E", () => {
    const d = embeddedReberTask({ count: 200, maxLength: 30, rng: createRng(7) });
    const n = reberSymbols.length;
    for (let i = 0; i < d.count; i++) {
      const syms: string[] = [];
      for (let t = 0; t < d.length; t++) {
        const k = Array.from(d.inputs.subarray((i * d.length + t) * n, (i * d.length + t + 1) * n)).indexOf(1);
        if (k >= 0) syms.push(reberSymbols[k]!);
      }
      const s = syms.join("");
      assert.match(s, /^B([TP])B(T(S*)X|P)(T*V(PXT*V)*|T*V|(TX)?)/);
      assert.equal(s[1], s[s.length - 2]);
      assert.equal(s.at(-1), "E");
      // The target after the inner E is the remembered T|P alone.
      const tInnerE = s.length - 3;
      const want = new Float32Array(n);
      want[reberSymbols.indexOf(s[1] as never)] = 1;
      assert.deepEqual(d.targets!.subarray((i * d.length + tInnerE) * n, (i * d.length + tInnerE + 1) * n), want);
      assert.equal(d.mask![i * d.length + s.length - 1], 0);
    }
  });
});
