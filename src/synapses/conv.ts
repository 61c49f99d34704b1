/**
 * A convolutional projection between two stacks of feature maps, with one shared kernel, so that a
 * spiking CNN runs on the same event-driven propagation and the same learning rules as any other
 * projection (house style C5: a conv adapter, not a second copy of the rule).
 *
 * Neuron (c, y, x) of a map stack [channels, height, width] has index (c·height + y)·width + x
 * (the `MapShape` convention of `plasticity/wta.ts`). The kernel is [outChannels][inChannels][kh][kw]
 * (PyTorch's OIHW), and the projection computes the cross-correlation of deep-learning libraries:
 *
 *   out[o, oy, ox] += Σ_c Σ_kr Σ_kc  w[o, c, kr, kc] · in[c, oy·sy − py + kr, ox·sx − px + kc]
 *
 * with stride (sy, sx) and zero padding (py, px); the output is
 * [outChannels, ⌊(H + 2py − kh)/sy⌋ + 1, ⌊(W + 2px − kw)/sx⌋ + 1]. Each input neuron's row lists
 * the output neurons its spike reaches and the kernel entry it uses, so propagation costs the
 * spike's fan-out (at most outChannels·⌈kh/sy⌉·⌈kw/sx⌉) and `synapseAccess` gives rules an
 * `indexedAccess` in which synapses share kernel weights.
 *
 * @example
 *   const m = convSynapses({ inputShape: [1, 28, 28], outChannels: 8, kernelSize: 5, stride: 1, padding: 2,
 *                            weight: () => 0.8 + 0.05 * rng.normal() });
 *   m.conv.outputShape;   // [8, 28, 28]
 */
import { fail, integer, mergeOptions } from "../core/validate";
import { makeConnectivity, MAX_SYNAPSES } from "./connectivity";
import { sharedSynapses, type SynapseMatrix } from "./synapse-matrix";

/** The geometry of a convolutional projection, kept on its matrix (`m.conv`). */
export interface ConvGeometry {
  /** Input maps [channels, height, width]. */
  readonly inputShape: readonly [number, number, number];
  /** Output maps [outChannels, height, width]. */
  readonly outputShape: readonly [number, number, number];
  /** Kernel [outChannels, inChannels, kh, kw]; weight index ((o·C + c)·kh + kr)·kw + kc. */
  readonly kernelShape: readonly [number, number, number, number];
  /** Stride [sy, sx], positions. */
  readonly stride: readonly [number, number];
  /** Zero padding [py, px], positions. */
  readonly padding: readonly [number, number];
}

/** Options of `convSynapses`. */
export interface ConvOptions {
  /** Input maps [channels, height, width]. */
  readonly inputShape: readonly [number, number, number];
  /** Number of output maps (kernels). */
  readonly outChannels: number;
  /** Kernel height and width, or one number for a square kernel. */
  readonly kernelSize: number | readonly [number, number];
  /** Stride [sy, sx] or one number; default 1. */
  readonly stride: number | readonly [number, number];
  /** Zero padding [py, px] or one number; default 0. */
  readonly padding: number | readonly [number, number];
  /**
   * Initial kernel: one number, an array in [out][in][kh][kw] order, or a function of the flat
   * kernel index called once per kernel entry. Weight units.
   */
  readonly weight: number | ArrayLike<number> | ((k: number) => number);
}

/** Defaults of `convSynapses`: stride 1, no padding (the shapes, kernel and weight must be given). */
export const convDefaults: Readonly<Pick<ConvOptions, "stride" | "padding">> = Object.freeze({ stride: 1, padding: 0 });

function pair(fn: string, name: string, value: unknown, min: number): [number, number] {
  if (typeof value === "number") {
    integer(fn, name, value, min);
    return [value, value];
  }
  if (!Array.isArray(value) || value.length !== 2) fail(fn, name, "be an integer or a pair of integers", value);
  integer(fn, `${name}[0]`, value[0], min);
  integer(fn, `${name}[1]`, value[1], min);
  return [value[0], value[1]];
}

/**
 * The output shape [outChannels, height, width] of a convolution with these options (the shapes
 * are validated as in `convSynapses`).
 *
 * @example
 *   convOutputShape({ inputShape: [1, 28, 28], outChannels: 4, kernelSize: 5, stride: 2, padding: 0 }); // [4, 12, 12]
 */
export function convOutputShape(options: Omit<ConvOptions, "weight" | "stride" | "padding"> & Partial<ConvOptions>): [number, number, number] {
  return geometry("convOutputShape", options).outputShape as [number, number, number];
}

function geometry(fn: string, options: Partial<ConvOptions>): ConvGeometry {
  if (options === null || typeof options !== "object") fail(fn, "options", "be an object", options);
  const shape = options.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3) fail(fn, "inputShape", "be [channels, height, width]", shape);
  const [channels, height, width] = shape as [number, number, number];
  integer(fn, "inputShape[0]", channels, 1);
  integer(fn, "inputShape[1]", height, 1);
  integer(fn, "inputShape[2]", width, 1);
  const outChannels = integer(fn, "outChannels", options.outChannels, 1);
  const [kh, kw] = pair(fn, "kernelSize", options.kernelSize, 1);
  const [sy, sx] = pair(fn, "stride", options.stride ?? convDefaults.stride, 1);
  const [py, px] = pair(fn, "padding", options.padding ?? convDefaults.padding, 0);
  const outHeight = Math.floor((height + 2 * py - kh) / sy) + 1;
  const outWidth = Math.floor((width + 2 * px - kw) / sx) + 1;
  if (!(outHeight >= 1 && outWidth >= 1)) {
    fail(fn, "kernelSize", `fit the padded input (${height + 2 * py}×${width + 2 * px})`, `${kh}×${kw}`);
  }
  return Object.freeze({
    inputShape: Object.freeze([channels, height, width] as const),
    outputShape: Object.freeze([outChannels, outHeight, outWidth] as const),
    kernelShape: Object.freeze([outChannels, channels, kh, kw] as const),
    stride: Object.freeze([sy, sx] as const),
    padding: Object.freeze([py, px] as const),
  });
}

/**
 * A convolutional projection (file header): a "shared" `SynapseMatrix` with `m.conv` set, from
 * channels·height·width input neurons to the output maps' neurons, whose weights `m.w` are the
 * kernel in [out][in][kh][kw] order.
 */
export function convSynapses(
  options: Partial<ConvOptions> & Pick<ConvOptions, "inputShape" | "outChannels" | "kernelSize" | "weight">,
): SynapseMatrix {
  const fn = "convSynapses";
  const o = mergeOptions<ConvOptions>(fn, { ...convDefaults, inputShape: null!, outChannels: NaN, kernelSize: NaN, weight: NaN }, options);
  const g = geometry(fn, o);
  const [channels, height, width] = g.inputShape;
  const [outChannels, outHeight, outWidth] = g.outputShape;
  const [, , kh, kw] = g.kernelShape;
  const [sy, sx] = g.stride;
  const [py, px] = g.padding;
  const kernelSize = outChannels * channels * kh * kw;
  const kernel = new Float32Array(kernelSize);
  const init = o.weight;
  if (typeof init === "number") {
    if (!Number.isFinite(init)) fail(fn, "weight", "be a finite number, an array or a function", init);
    kernel.fill(init);
  } else if (typeof init === "function") {
    for (let k = 0; k < kernelSize; k++) kernel[k] = init(k);
  } else if (init != null && typeof init.length === "number") {
    if (init.length !== kernelSize) fail(fn, "weight", `have length ${kernelSize} ([out][in][kh][kw])`, init.length);
    for (let k = 0; k < kernelSize; k++) kernel[k] = init[k];
  } else {
    fail(fn, "weight", "be a finite number, an array or a function", init);
  }
  const nPre = channels * height * width;
  const nPost = outChannels * outHeight * outWidth;
  // Pass 1 counts each input position's reach (independent of channel and output channel).
  const rowStart = new Int32Array(nPre + 1);
  let total = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      const ry = reach(y, py, kh, sy, outHeight);
      for (let x = 0; x < width; x++) {
        total += outChannels * ry * reach(x, px, kw, sx, outWidth);
        if (total > MAX_SYNAPSES) fail(fn, "options", `give at most ${MAX_SYNAPSES} synapses`, total);
        rowStart[(c * height + y) * width + x + 1] = total;
      }
    }
  }
  const post = new Int32Array(total);
  const weightIndex = new Int32Array(total);
  // Pass 2, in ascending post order: o, then oy ascending (kr descending), then ox ascending.
  let e = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let oc = 0; oc < outChannels; oc++) {
          for (let kr = kh - 1; kr >= 0; kr--) {
            const ty = y + py - kr;
            if (ty < 0 || ty % sy !== 0 || ty / sy >= outHeight) continue;
            const oy = ty / sy;
            for (let kc = kw - 1; kc >= 0; kc--) {
              const tx = x + px - kc;
              if (tx < 0 || tx % sx !== 0 || tx / sx >= outWidth) continue;
              post[e] = (oc * outHeight + oy) * outWidth + tx / sx;
              weightIndex[e] = ((oc * channels + c) * kh + kr) * kw + kc;
              e++;
            }
          }
        }
      }
    }
  }
  return sharedSynapses(makeConnectivity(nPre, nPost, rowStart, post), weightIndex, kernel, g);
}

/** Number of kernel offsets k in [0, size) with (pos + pad − k) a multiple of stride mapping into [0, outSize). */
function reach(pos: number, pad: number, size: number, stride: number, outSize: number): number {
  let n = 0;
  for (let k = 0; k < size; k++) {
    const t = pos + pad - k;
    if (t >= 0 && t % stride === 0 && t / stride < outSize) n++;
  }
  return n;
}
