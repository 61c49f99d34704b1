/**
 * The STDP spiking CNN (Kheradpisheh et al. 2018), part of `models/stdp-cnn/` (described in index.ts): the learned features reconstructed to input space (`stdpCnnFeatureImages`).
 */
import { fail, integer } from "../../core/validate";
import { dogKernel } from "../../encoders/dog";
import { type StdpCnn } from "./network";

/** What `stdpCnnFeatureImages` returns: one image patch per feature map of a layer. */
export interface StdpFeatureImages {
  /** count × height × width, row-major; each patch scaled to a largest |value| of 1 (all-zero patches stay 0). */
  readonly values: Float32Array;
  readonly count: number;
  /** Patch side, image pixels: the layer's receptive field. */
  readonly height: number;
  readonly width: number;
}

/**
 * The features of layer `layer` reconstructed to input space, as the paper's figures show them:
 * the preferred stimulus of each input channel is its DoG kernel (ON: DoG(σc, σs), OFF: DoG(σs, σc));
 * a conv feature is the weighted sum of the preferred stimuli of its kernel's inputs, each placed
 * at its offset in the receptive field, and a pooled unit is the mean of its window's patches, so
 *
 *   P_input,c = K_c (size s, jump J = 1);
 *   conv (kernel k):  P'_f = Σ_{ky, kx, c} w[ky, kx, c, f] · shift(P_c, ky·J, kx·J), side s + (k − 1)·J;
 *   pool (size q, stride r): P'_f = mean_{dy, dx < q} shift(P_f, dy·J, dx·J), side s + (q − 1)·J, J' = J·r.
 *
 * Global pooling is not a patch (it covers the whole map), so the last layer is shown before it.
 * @example
 *   const r = stdpCnnFeatureImages(net, 0);   // paper preset: 30 patches of 11 × 11 pixels
 *   weightGrid(r.values, { rows: r.height, cols: r.width });
 */
export function stdpCnnFeatureImages(net: StdpCnn, layer: number): StdpFeatureImages {
  const fn = "stdpCnnFeatureImages";
  if (net === null || typeof net !== "object" || net.name !== "stdpCnn" || !Array.isArray(net.weights) || net.options === null || typeof net.options !== "object") {
    fail(fn, "net", "be a network from stdpCnn", net);
  }
  const layers = net.options.layers;
  integer(fn, "layer", layer, 0);
  if (layer >= layers.length) fail(fn, "layer", `be an integer in [0, ${layers.length - 1}]`, layer);
  const dog = net.options.dog;
  let side = dog.size;
  let jump = 1;
  let channels = 2;
  let patches: Float32Array[] = [dogKernel(dog.size, dog.sigmaCentre, dog.sigmaSurround), dogKernel(dog.size, dog.sigmaSurround, dog.sigmaCentre)];
  for (let l = 0; l <= layer; l++) {
    const spec = layers[l];
    const k = spec.kernel;
    const maps = spec.maps;
    const w = net.weights[l];
    const next = side + (k - 1) * jump;
    const out: Float32Array[] = [];
    for (let f = 0; f < maps; f++) {
      const p = new Float32Array(next * next);
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++) {
          for (let c = 0; c < channels; c++) {
            const weight = w[((ky * k + kx) * channels + c) * maps + f];
            if (weight === 0) continue;
            const src = patches[c];
            const oy = ky * jump;
            const ox = kx * jump;
            for (let y = 0; y < side; y++) {
              const row = (oy + y) * next + ox;
              for (let x = 0; x < side; x++) p[row + x] += weight * src[y * side + x];
            }
          }
        }
      }
      out.push(p);
    }
    patches = out;
    side = next;
    channels = maps;
    const pool = spec.pool;
    if (l < layer && pool !== null && pool !== "global") {
      const q = pool.size;
      const pooled = side + (q - 1) * jump;
      patches = patches.map((src) => {
        const p = new Float32Array(pooled * pooled);
        for (let dy = 0; dy < q; dy++) {
          for (let dx = 0; dx < q; dx++) {
            for (let y = 0; y < side; y++) {
              const row = (dy * jump + y) * pooled + dx * jump;
              for (let x = 0; x < side; x++) p[row + x] += src[y * side + x] / (q * q);
            }
          }
        }
        return p;
      });
      side = pooled;
      jump *= pool.stride;
    }
  }
  const values = new Float32Array(channels * side * side);
  patches.forEach((p, f) => {
    let max = 0;
    for (let i = 0; i < p.length; i++) max = Math.max(max, Math.abs(p[i]));
    for (let i = 0; i < p.length; i++) values[f * side * side + i] = max > 0 ? p[i] / max : 0;
  });
  return { values, count: channels, height: side, width: side };
}
