import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../src/core/random";
import { recurrentGates, recurrentScan, recurrentWeights, type RecurrentCell } from "../../src/layers/recurrent";
import { initBackend } from "../../src/training/backend";
import { expectAllClose, expectClose, expectError } from "../helpers/close";
import { uniform } from "../helpers/arrays";

const cells: RecurrentCell[] = ["rnn", "lstm", "gru"];

/** The same cells written step by step in tf ops (autodiff's gradients: the reference). */
function stepLoop(cell: RecurrentCell, x: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor, B: number, h0: tf.Tensor, c0?: tf.Tensor) {
  const H = U.shape[0]!;
  const T = x.shape[0]! / B;
  let h = h0;
  let c = c0 ?? tf.zeros([B, H]);
  const hs: tf.Tensor[] = [];
  const cs: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const a = tf.add(tf.matMul(tf.slice(x, [t * B, 0], [B, x.shape[1]!]), W), b);
    if (cell === "rnn") h = tf.tanh(tf.add(a, tf.matMul(h, U)));
    else if (cell === "lstm") {
      const z = tf.add(a, tf.matMul(h, U));
      const [i, f, g, o] = tf.split(z, 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!)));
      h = tf.mul(tf.sigmoid(o!), tf.tanh(c));
      cs.push(c);
    } else {
      const [az, ar, an] = tf.split(a, 3, 1);
      const [uz, ur, un] = tf.split(U, 3, 1);
      const zg = tf.sigmoid(tf.add(az!, tf.matMul(h, uz!)));
      const r = tf.sigmoid(tf.add(ar!, tf.matMul(h, ur!)));
      const n = tf.tanh(tf.add(an!, tf.matMul(tf.mul(r, h), un!)));
      h = tf.add(tf.mul(zg, h), tf.mul(tf.sub(1, zg), n));
    }
    hs.push(h);
  }
  return { h: tf.concat(hs, 0), c: cell === "lstm" ? tf.concat(cs, 0) : undefined };
}

function setup(cell: RecurrentCell, I: number, H: number, T: number, B: number, seed: number) {
  const w = recurrentWeights(cell, I, H, { rng: createRng(seed), recurrentScale: 1.2, forgetBias: 0.5 });
  const G = recurrentGates[cell];
  return {
    x: tf.tensor(uniform(seed + 1, T * B * I, -1, 1), [T * B, I]),
    W: tf.tensor(w.W, [I, G * H]), U: tf.tensor(w.U, [H, G * H]), b: tf.tensor(w.b, [G * H]),
    h0: tf.tensor(uniform(seed + 2, B * H, -0.5, 0.5), [B, H]),
    c0: tf.tensor(uniform(seed + 3, B * H, -0.5, 0.5), [B, H]),
    probe: tf.tensor(uniform(seed + 4, T * B * H, -1, 1), [T * B, H]),
    probeC: tf.tensor(uniform(seed + 5, T * B * H, -1, 1), [T * B, H]),
  };
}

describe("recurrent layers", () => {
  before(async () => {
    await initBackend();
  });

  for (const cell of cells) {
    it(`${cell}: forward and every gradient equal the step-by-step tf ops (autodiff)`, () => {
      const B = 3, T = 7, I = 2, H = 4;
      const s = setup(cell, I, H, T, B, 10);
      const lossOf = (f: (x: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) => { h: tf.Tensor; c?: tf.Tensor }) =>
        (x: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) => {
          const out = f(x, W, U, b, h0, c0);
          const l = tf.sum(tf.mul(out.h, s.probe));
          return out.c ? tf.add(l, tf.sum(tf.mul(out.c, s.probeC))) : l;
        };
      const fused = lossOf((x, W, U, b, h0, c0) => recurrentScan(cell, x, { W, U, b }, B, cell === "lstm" ? { h0, c0 } : { h0 }));
      const ref = lossOf((x, W, U, b, h0, c0) => stepLoop(cell, x, W, U, b, B, h0, cell === "lstm" ? c0 : undefined));
      const args = cell === "lstm" ? [s.x, s.W, s.U, s.b, s.h0, s.c0] : [s.x, s.W, s.U, s.b, s.h0];
      const a = tf.grads(fused)(args);
      const r = tf.grads(ref)(args);
      expectClose(fused(...(args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0]!, ref(...(args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0]!, { rtol: 1e-5, atol: 1e-5 });
      const labels = ["x", "W", "U", "b", "h0", "c0"];
      for (let k = 0; k < (cell === "lstm" ? 6 : 5); k++) expectAllClose(a[k]!.dataSync(), r[k]!.dataSync(), { rtol: 1e-4, atol: 1e-5, message: `${cell} ∂L/∂${labels[k]}` });
    });

    it(`${cell}: gradients equal central finite differences (float32-safe tolerance)`, () => {
      const B = 2, T = 5, I = 2, H = 3;
      const s = setup(cell, I, H, T, B, 20);
      const loss = (W: tf.Tensor, U: tf.Tensor) => tf.tidy(() => {
        const out = recurrentScan(cell, s.x, { W, U, b: s.b }, B);
        return tf.sum(tf.mul(out.h, s.probe));
      });
      const [gW, gU] = tf.grads((W: tf.Tensor, U: tf.Tensor) => loss(W, U))([s.W, s.U]);
      const eps = 1e-2;
      for (const [name, t, g] of [["W", s.W, gW!], ["U", s.U, gU!]] as const) {
        const base = t.dataSync() as Float32Array;
        const grad = g.dataSync();
        for (const k of [0, Math.floor(base.length / 2), base.length - 1]) {
          const plus = base.slice(); plus[k] += eps;
          const minus = base.slice(); minus[k] -= eps;
          const at = (v: Float32Array) => {
            const tt = tf.tensor(v, t.shape);
            const l = (name === "W" ? loss(tt, s.U) : loss(s.W, tt)).dataSync()[0]!;
            tt.dispose();
            return l;
          };
          const fd = (at(plus) - at(minus)) / (2 * eps);
          expectClose(grad[k]!, fd, { rtol: 2e-2, atol: 2e-3, message: `${cell} ∂L/∂${name}[${k}]` });
        }
      }
    });
  }

  it("lstm: with the forget gate saturated open (and no recurrent input), ∂c_T/∂c_0 = 1 over 200 steps; the RNN's ∂h_T/∂h_0 vanishes", () => {
    const B = 1, T = 200, I = 2, H = 3;
    const rng = createRng(5);
    const w = recurrentWeights("lstm", I, H, { rng, forgetBias: 50 });
    const W = tf.tensor(w.W, [I, 4 * H]);
    const U = tf.zeros([H, 4 * H]);
    const b = tf.tensor(w.b, [4 * H]);
    const x = tf.tensor(uniform(6, T * B * I, -1, 1), [T * B, I]);
    const h0 = tf.zeros([B, H]);
    const c0 = tf.tensor([0.3, -0.2, 0.1], [B, H]);
    const [dc0] = tf.grads((c: tf.Tensor) => {
      const out = recurrentScan("lstm", x, { W, U, b }, B, { h0, c0: c });
      return tf.sum(tf.slice(out.c!, [(T - 1) * B, 0], [B, 1]));
    })([c0]);
    assert.deepEqual(Array.from(dc0!.dataSync()), [1, 0, 0]);
    // The vanilla RNN with a contractive U: the same derivative shrinks geometrically.
    const r = recurrentWeights("rnn", I, H, { rng, recurrentScale: 0.5 });
    const [dh0] = tf.grads((h: tf.Tensor) => {
      const out = recurrentScan("rnn", x, { W: tf.tensor(r.W, [I, H]), U: tf.tensor(r.U, [H, H]), b: tf.tensor(r.b, [H]) }, B, { h0: h });
      return tf.sum(tf.slice(out.h, [(T - 1) * B, 0], [B, 1]));
    })([h0]);
    assert.ok(Math.max(...Array.from(dh0!.dataSync(), Math.abs)) < 1e-10);
  });

  it("reports ‖∂L/∂h_t‖ per step to onGradients; the last step's equals the readout's gradient", () => {
    const B = 2, T = 6, I = 2, H = 3;
    const s = setup("lstm", I, H, T, B, 30);
    let norms: { hidden: Float64Array; cell?: Float64Array } | undefined;
    tf.grads((W: tf.Tensor) => {
      const out = recurrentScan("lstm", s.x, { W, U: s.U, b: s.b }, B, { onGradients: (n) => (norms = n) });
      return tf.sum(tf.slice(out.h, [(T - 1) * B, 0], [B, H]));
    })([s.W]);
    assert.equal(norms!.hidden.length, T);
    assert.equal(norms!.cell!.length, T);
    expectClose(norms!.hidden[T - 1]!, Math.sqrt(B * H), { rtol: 1e-6 });
    assert.ok(norms!.hidden.every((v) => Number.isFinite(v) && v >= 0));
  });

  it("bad input: wrong feature size, ragged time, wrong weight shapes — one clear error each", () => {
    const s = setup("gru", 2, 3, 4, 2, 40);
    expectError(() => recurrentScan("gru", tf.zeros([8, 3]), { W: s.W, U: s.U, b: s.b }, 2), "recurrentScan: x must have shape [T·B, 2] (2 features: the rows of W), got \"[8, 3]\"");
    expectError(() => recurrentScan("gru", tf.zeros([7, 2]), { W: s.W, U: s.U, b: s.b }, 2), "recurrentScan: x must have a whole number of steps of B = 2 rows (T·B rows, T ≥ 1), got \"7 rows\"");
    expectError(() => recurrentScan("lstm", s.x, { W: s.W, U: s.U, b: s.b }, 2), "recurrentScan: weights.U must have shape [H, 4·H] for a lstm layer, got \"[3, 9]\"");
    expectError(() => recurrentScan("rnn" as RecurrentCell, s.x, { W: s.W, U: tf.zeros([3, 3]), b: s.b }, 2), "recurrentScan: weights.W must have shape [I, 3] (1·H with H = 3), got \"[2, 9]\"");
    expectError(() => recurrentScan("cnn" as RecurrentCell, s.x, { W: s.W, U: s.U, b: s.b }, 2), /^recurrentScan: cell must be one of/);
    expectError(() => recurrentWeights("lstm", 2, 0, { rng: createRng(1) }), /^recurrentWeights: hidden must be/);
  });
});
