/**
 * The NIR simulator, part of `interop/nir/simulate/` (described in index.ts): each NIR node compiled to one step operation: affine and convolution maps, pooling, and the neurons (I, IF, LI, LIF, CubaLI, CubaLIF) under the chosen method.
 */
import { fail } from "../../../core/validate";
import { type NirNode, type NirPoolNode, type NirTensor } from "../graph";
import { type NirMethod, type NirUnit, type Op, type Reset } from "./types";

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function f64(t: NirTensor): Float64Array {
  return t.data instanceof Float64Array ? t.data : Float64Array.from(t.data);
}

function resetOf(node: NirNode): Reset {
  const r = node.metadata?.["snnlab.reset"];
  return r === "subtract" || r === "none" ? r : "zero";
}

/** Compiles the step of one unit. */
export function compileOp(fn: string, unit: NirUnit, node: NirNode, h: number, method: NirMethod): { run: Op["run"]; memory?: number } {
  const n = unit.size;
  const copy = (input: Float64Array, out: Float64Array) => out.set(input);
  switch (node.type) {
    case "Input":
    case "Output":
    case "Flatten":
      return { run: copy };
    case "Affine":
    case "Linear": {
      const w = node.weight.shape;
      if (w.length !== 2) fail(fn, `nodes["${unit.name}"].weight`, "have 2 axes [out, in] (batched weights are not simulated)", `[${w.join(", ")}]`);
      const [rows, cols] = w as [number, number];
      // Transposed copy [in][out]: a nonzero input adds one contiguous row.
      const wt = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) wt[c * rows + r] = node.weight.data[r * cols + c]!;
      const bias = node.type === "Affine" ? f64(node.bias) : undefined;
      return {
        run: (input, out) => {
          if (bias) out.set(bias);
          else out.fill(0);
          for (let c = 0; c < cols; c++) {
            const a = input[c]!;
            if (a === 0) continue;
            const base = c * rows;
            for (let r = 0; r < rows; r++) out[r]! += a * wt[base + r]!;
          }
        },
      };
    }
    case "Scale": {
      const s = f64(node.scale);
      return { run: (input, out) => { for (let i = 0; i < n; i++) out[i] = input[i]! * s[i]!; } };
    }
    case "Conv1d":
    case "Conv2d":
      return { run: convolution(node, unit) };
    case "SumPool2d":
    case "AvgPool2d": {
      if (node.type === "SumPool2d" && node.metadata?.["snnlab.pool"] === "spiking-max") return spikingMaxPool(fn, unit, node);
      const [c, hIn, wIn] = unit.inputShape as [number, number, number];
      const [, hOut, wOut] = unit.outputShape as [number, number, number];
      const [kh, kw] = node.kernelSize;
      const [sh, sw] = node.stride;
      const [ph, pw] = node.padding;
      const scale = node.type === "AvgPool2d" ? 1 / (kh * kw) : 1;
      return {
        run: (input, out) => {
          for (let ch = 0; ch < c; ch++) {
            for (let oy = 0; oy < hOut; oy++) {
              for (let ox = 0; ox < wOut; ox++) {
                let sum = 0;
                for (let a = 0; a < kh; a++) {
                  const y = oy * sh + a - ph;
                  if (y < 0 || y >= hIn) continue;
                  for (let b = 0; b < kw; b++) {
                    const x = ox * sw + b - pw;
                    if (x >= 0 && x < wIn) sum += input[(ch * hIn + y) * wIn + x]!;
                  }
                }
                out[(ch * hOut + oy) * wOut + ox] = sum * scale;
              }
            }
          }
        },
      };
    }
    case "Threshold": {
      const th = f64(node.threshold);
      return { run: (input, out) => { for (let i = 0; i < n; i++) out[i] = input[i]! > th[i]! ? 1 : 0; } };
    }
    case "Delay": {
      const steps = Int32Array.from(node.delay.data, (d) => Math.round(d / h));
      const lineLength = steps.reduce((a, b) => Math.max(a, b), 0) + 1;
      return {
        memory: lineLength * n,
        run: (input, out, state) => {
          const line = state.memory[unit.name]!;
          const t = state.steps;
          const now = (t % lineLength) * n;
          line.set(input, now);
          for (let i = 0; i < n; i++) {
            const back = t - steps[i]!;
            out[i] = back < 0 ? 0 : line[(back % lineLength) * n + i]!;
          }
        },
      };
    }
    case "I":
    case "IF": {
      const r = f64(node.r);
      const spiking = node.type === "IF";
      const th = spiking ? f64(node.vThreshold) : undefined;
      const vr = spiking ? f64(node.vReset) : undefined;
      const reset = resetOf(node);
      return {
        run: (input, out, state) => {
          const v = state.v[unit.name]!;
          for (let i = 0; i < n; i++) {
            const a = r[i]! * input[i]!;
            const v0 = v[i]!;
            let v1 = v0 + a * h;
            if (th) {
              const theta = th[i]!;
              if (v1 > theta && reset !== "none") {
                if (method === "event" && a > 0) {
                  const crossing = v0 >= theta ? 0 : (theta - v0) / a;
                  v1 = vr![i]! + a * (h - crossing);
                } else {
                  v1 = reset === "subtract" ? v1 - (theta - vr![i]!) : vr![i]!;
                }
                out[i] = 1;
              } else {
                out[i] = v1 > theta ? 1 : 0;
              }
            } else {
              out[i] = v1;
            }
            v[i] = v1;
          }
        },
      };
    }
    case "LI":
    case "LIF": {
      const r = f64(node.r);
      const tau = f64(node.tau);
      const leak = f64(node.vLeak);
      const spiking = node.type === "LIF";
      const th = spiking ? f64(node.vThreshold) : undefined;
      const vr = spiking ? f64(node.vReset) : undefined;
      const reset = resetOf(node);
      const decay = Float64Array.from(tau, (t) => Math.exp(-h / t));
      const rate = Float64Array.from(tau, (t) => h / t);
      return {
        run: (input, out, state) => {
          const v = state.v[unit.name]!;
          for (let i = 0; i < n; i++) {
            const vInf = leak[i]! + r[i]! * input[i]!;
            const v0 = v[i]!;
            let v1 = method === "euler" ? v0 + rate[i]! * (vInf - v0) : vInf + (v0 - vInf) * decay[i]!;
            if (th) {
              const theta = th[i]!;
              if (v1 > theta && reset !== "none") {
                if (method === "event") {
                  // v(t) = vInf + (v0 − vInf)·e^{−t/τ} reaches θ at t = τ·ln((v0 − vInf)/(θ − vInf)).
                  const crossing = v0 >= theta ? 0 : tau[i]! * Math.log((v0 - vInf) / (theta - vInf));
                  v1 = vInf + (vr![i]! - vInf) * Math.exp(-(h - crossing) / tau[i]!);
                } else {
                  v1 = reset === "subtract" ? v1 - (theta - vr![i]!) : vr![i]!;
                }
                out[i] = 1;
              } else {
                out[i] = v1 > theta ? 1 : 0;
              }
            } else {
              out[i] = v1;
            }
            v[i] = v1;
          }
        },
      };
    }
    case "CubaLI":
    case "CubaLIF": {
      const r = f64(node.r);
      const tauS = f64(node.tauSyn);
      const tauM = f64(node.tauMem);
      const leak = f64(node.vLeak);
      const wIn = f64(node.wIn);
      const spiking = node.type === "CubaLIF";
      const th = spiking ? f64(node.vThreshold) : undefined;
      const vr = spiking ? f64(node.vReset) : undefined;
      const reset = resetOf(node);
      // Exact propagation over t of τs I' = −I + A, τm v' = vLeak − v + R·I from (v0, I0), A = wIn·S.
      const propagate = (i: number, v0: number, i0: number, target: number, t: number): [number, number] => {
        const ts = tauS[i]!;
        const tm = tauM[i]!;
        const ds = Math.exp(-t / ts);
        const dm = Math.exp(-t / tm);
        const b = i0 - target;
        const vInf = leak[i]! + r[i]! * target;
        let coupled: number;
        if (Math.abs(ts - tm) <= 1e-9 * Math.max(ts, tm)) coupled = r[i]! * b * (t / tm) * dm;
        else coupled = r[i]! * b * (ts / (ts - tm)) * (ds - dm);
        return [vInf + (v0 - vInf) * dm + coupled, target + b * ds];
      };
      return {
        run: (input, out, state) => {
          const v = state.v[unit.name]!;
          const cur = state.current[unit.name]!;
          for (let i = 0; i < n; i++) {
            const target = wIn[i]! * input[i]!;
            const v0 = v[i]!;
            const i0 = cur[i]!;
            let v1: number;
            let i1: number;
            if (method === "euler") {
              v1 = v0 + (h / tauM[i]!) * (leak[i]! - v0 + r[i]! * i0);
              i1 = i0 + (h / tauS[i]!) * (target - i0);
            } else {
              [v1, i1] = propagate(i, v0, i0, target, h);
            }
            if (th) {
              const theta = th[i]!;
              if (v1 > theta && reset !== "none") {
                if (method === "event") {
                  // The first crossing in [0, h], by bisection on the closed form.
                  let lo = 0;
                  let hi = h;
                  if (v0 < theta) {
                    for (let k = 0; k < 60 && hi - lo > 1e-15 * h; k++) {
                      const mid = 0.5 * (lo + hi);
                      if (propagate(i, v0, i0, target, mid)[0] > theta) hi = mid;
                      else lo = mid;
                    }
                  } else {
                    hi = 0;
                  }
                  const atCrossing = propagate(i, v0, i0, target, hi)[1];
                  [v1, i1] = propagate(i, vr![i]!, atCrossing, target, h - hi);
                } else {
                  v1 = reset === "subtract" ? v1 - (theta - vr![i]!) : vr![i]!;
                }
                out[i] = 1;
              } else {
                out[i] = v1 > theta ? 1 : 0;
              }
            } else {
              out[i] = v1;
            }
            v[i] = v1;
            cur[i] = i1;
          }
        },
      };
    }
    case "NIRGraph":
      return fail(fn, unit.name, "be flattened before compiling", "a graph");
  }
}

/**
 * Spiking max pooling of 0/1 spikes (membrane backprop's; a SumPool2d whose metadata
 * `snnlab.pool` is "spiking-max"): each window passes max C_t − max C_{t−1} of its units'
 * cumulative spike counts C, the spike of the unit that has fired most so far.
 */
function spikingMaxPool(fn: string, unit: NirUnit, node: NirPoolNode): { run: Op["run"]; memory: number } {
  const [c, hIn, wIn] = unit.inputShape as [number, number, number];
  const [, hOut, wOut] = unit.outputShape as [number, number, number];
  const [kh, kw] = node.kernelSize;
  if (node.stride[0] !== kh || node.stride[1] !== kw || node.padding[0] !== 0 || node.padding[1] !== 0) {
    fail(fn, `nodes["${unit.name}"] (spiking max pool)`, "have stride = kernel size and no padding", `kernel [${kh}, ${kw}], stride [${node.stride.join(", ")}], padding [${node.padding.join(", ")}]`);
  }
  return {
    memory: c * hIn * wIn,
    run: (input, out, state) => {
      const counts = state.memory[unit.name]!;
      for (let ch = 0; ch < c; ch++) {
        for (let oy = 0; oy < hOut; oy++) {
          for (let ox = 0; ox < wOut; ox++) {
            let before = 0;
            let after = 0;
            for (let a = 0; a < kh; a++) {
              for (let b = 0; b < kw; b++) {
                const i = (ch * hIn + oy * kh + a) * wIn + ox * kw + b;
                before = Math.max(before, counts[i]!);
                counts[i]! += input[i]!;
                after = Math.max(after, counts[i]!);
              }
            }
            out[(ch * hOut + oy) * wOut + ox] = after - before;
          }
        }
      }
    },
  };
}

/** Conv1d / Conv2d over [Cin, (H,) W] → [Cout, (Ho,) Wo], scattering each nonzero input. */
function convolution(node: Extract<NirNode, { type: "Conv1d" | "Conv2d" }>, unit: NirUnit): Op["run"] {
  const two = node.type === "Conv2d";
  const [cout, cinGroup, kh, kw] = two ? node.weight.shape as [number, number, number, number] : [node.weight.shape[0]!, node.weight.shape[1]!, 1, node.weight.shape[2]!];
  const inShape = two ? unit.inputShape : [unit.inputShape[0]!, 1, unit.inputShape[1]!];
  const outShape = two ? unit.outputShape : [unit.outputShape[0]!, 1, unit.outputShape[1]!];
  const [cin, hIn, wIn] = inShape as [number, number, number];
  const [, hOut, wOut] = outShape as [number, number, number];
  const stride = two ? (node as typeof node & { type: "Conv2d" }).stride : [1, node.stride as number];
  const dilation = two ? (node as typeof node & { type: "Conv2d" }).dilation : [1, node.dilation as number];
  const pad = (axis: 0 | 1, k: number): number => {
    const p = node.padding;
    if (p === "valid") return 0;
    if (p === "same") return Math.floor((dilation[axis]! * (k - 1)) / 2);
    return two ? (p as readonly [number, number])[axis] : axis === 0 ? 0 : (p as number);
  };
  const [sy, sx] = stride as [number, number];
  const [dy, dx] = dilation as [number, number];
  const py = pad(0, kh);
  const px = pad(1, kw);
  const coutGroup = cout / node.groups;
  const w = node.weight.data;
  const bias = f64(node.bias);
  const plane = hOut * wOut;
  // Kernels as [Cin/groups][kH][kW][Cout] and an accumulator as [Ho][Wo][Cout]: the innermost loop,
  // over output channels, runs along contiguous memory in both.
  const wt = new Float64Array(w.length);
  for (let co = 0; co < cout; co++) {
    for (let cig = 0; cig < cinGroup; cig++) {
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) wt[((cig * kh + ky) * kw + kx) * cout + co] = w[((co * cinGroup + cig) * kh + ky) * kw + kx]!;
    }
  }
  const acc = new Float64Array(plane * cout);
  return (input, out) => {
    acc.fill(0);
    for (let ci = 0; ci < cin; ci++) {
      const g = Math.floor(ci / cinGroup);
      const cig = ci - g * cinGroup;
      const coStart = g * coutGroup;
      const coEnd = coStart + coutGroup;
      for (let y = 0; y < hIn; y++) {
        for (let x = 0; x < wIn; x++) {
          const a = input[(ci * hIn + y) * wIn + x]!;
          if (a === 0) continue;
          for (let ky = 0; ky < kh; ky++) {
            const ty = y + py - ky * dy;
            if (ty < 0 || ty % sy !== 0) continue;
            const oy = ty / sy;
            if (oy >= hOut) continue;
            for (let kx = 0; kx < kw; kx++) {
              const tx = x + px - kx * dx;
              if (tx < 0 || tx % sx !== 0) continue;
              const ox = tx / sx;
              if (ox >= wOut) continue;
              const o = (oy * wOut + ox) * cout;
              const k = ((cig * kh + ky) * kw + kx) * cout;
              for (let co = coStart; co < coEnd; co++) acc[o + co]! += a * wt[k + co]!;
            }
          }
        }
      }
    }
    for (let co = 0; co < cout; co++) {
      const b = bias[co]!;
      for (let o = 0; o < plane; o++) out[co * plane + o] = b + acc[o * cout + co]!;
    }
  };
}
