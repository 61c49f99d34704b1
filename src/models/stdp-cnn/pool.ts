/**
 * The STDP spiking CNN (Kheradpisheh et al. 2018), part of `models/stdp-cnn/` (described in index.ts): pooling by earliest spike (`spikePool`).
 */
import { fail, integer } from "../../core/validate";
import { type SpikeWave, checkWave, objectArg } from "./wave";

/** Reusable arrays of `spikePool` (internal: the network keeps one per pooling layer). */
export interface PoolBuffers {
  rowLo: Int32Array;
  rowHi: Int32Array;
  colLo: Int32Array;
  colHi: Int32Array;
  times: Int16Array;
  order: Int32Array;
  stepStart: Int32Array;
}

/**
 * Pooling by earliest spike over `size × size` windows with `stride` and zero `padding`
 * (padding never fires): a pooled neuron fires at the earliest step of its window. Event-driven.
 * @example
 *   const w = spikeWave(new Int16Array([1, 0, -1, 1]), { height: 2, width: 2, channels: 1, steps: 2 });
 *   Array.from(spikePool(w, { size: 2, stride: 2, padding: 0 }).times);   // [0]
 */
export function spikePool(
  input: SpikeWave, pool: { readonly size: number; readonly stride: number; readonly padding: number }, buffers?: PoolBuffers,
): SpikeWave {
  const fn = "spikePool";
  checkWave(fn, "input", input);
  objectArg(fn, "pool", pool, "{ size, stride, padding }");
  const size = integer(fn, "size", pool.size, 1);
  const stride = integer(fn, "stride", pool.stride, 1);
  const padding = integer(fn, "padding", pool.padding, 0);
  if (size > input.height + 2 * padding || size > input.width + 2 * padding) {
    fail(fn, "size", `be at most the padded input (${input.height + 2 * padding}×${input.width + 2 * padding})`, size);
  }
  const height = Math.floor((input.height + 2 * padding - size) / stride) + 1;
  const width = Math.floor((input.width + 2 * padding - size) / stride) + 1;
  const C = input.channels;
  // The pooled rows (columns) that input row y (column x) falls in: [lo, hi].
  const range = (n: number, out: number) => {
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      lo[i] = Math.max(0, Math.ceil((i + padding - size + 1) / stride));
      hi[i] = Math.min(out - 1, Math.floor((i + padding) / stride));
    }
    return [lo, hi];
  };
  let b = buffers;
  if (b === undefined || b.times.length !== height * width * C || b.rowLo.length !== input.height || b.colLo.length !== input.width) {
    const [rowLo, rowHi] = range(input.height, height);
    const [colLo, colHi] = range(input.width, width);
    b = { rowLo, rowHi, colLo, colHi, times: new Int16Array(height * width * C), order: new Int32Array(height * width * C), stepStart: new Int32Array(input.steps + 1) };
    if (buffers !== undefined) Object.assign(buffers, b);
  }
  const { rowLo, rowHi, colLo, colHi, times, order } = b;
  times.fill(-1);
  const stepStart = b.stepStart.length === input.steps + 1 ? b.stepStart : new Int32Array(input.steps + 1);
  let n = 0;
  for (let t = 0; t < input.steps; t++) {
    for (let e = input.stepStart[t]; e < input.stepStart[t + 1]; e++) {
      const idx = input.order[e];
      const c = idx % C;
      const pos = (idx - c) / C;
      const x = pos % input.width;
      const y = (pos - x) / input.width;
      const py0 = rowLo[y];
      const py1 = rowHi[y];
      const px0 = colLo[x];
      const px1 = colHi[x];
      for (let py = py0; py <= py1; py++) {
        for (let px = px0; px <= px1; px++) {
          const o = (py * width + px) * C + c;
          if (times[o] < 0) {
            times[o] = t;
            order[n++] = o;
          }
        }
      }
    }
    stepStart[t + 1] = n;
  }
  return { height, width, channels: C, steps: input.steps, times, order: order.subarray(0, n), stepStart };
}
