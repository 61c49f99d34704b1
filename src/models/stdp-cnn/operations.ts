/**
 * Operations of an STDP spiking CNN (`stdpCnn`) on one image, counted as notebook 21 counts every
 * network: SOPs = Σ over the spikes entering each convolutional layer of the spike's fan-out (the
 * layer's maps × the output positions whose window covers the spike, zero padding included);
 * MACs = the same convolutions run once, densely, as an ANN (k² · C_in per output neuron).
 * Pooling by earliest spike costs no synaptic operation (a comparison, not a weighted sum); the
 * linear read-out on the features costs the same on both sides and is left out.
 *
 * @example
 *   const waves = net.spikes(pixelsOf(test, 0));
 *   stdpCnnOperations(net, waves);   // { sops, macs, spikes: [input, conv1, …] }
 */
import { fail } from "../../core/validate";
import type { StdpCnn } from "./network";
import type { SpikeWave } from "./wave";

/** `stdpCnnOperations`'s result for one image. */
export interface StdpCnnOperations {
  /** Synaptic operations into the convolutional layers. */
  readonly sops: number;
  /** Multiply-accumulates of the same convolutions run densely. */
  readonly macs: number;
  /** Spikes of every wave `net.spikes` returned (the stages in order, up to the last layer's output). */
  readonly spikes: readonly number[];
}

/** Number of output positions along one axis whose window (side k, padding p, stride 1) covers input position i. */
function cover(i: number, k: number, pad: number, outSize: number): number {
  const lo = Math.max(0, i + pad - k + 1);
  const hi = Math.min(outSize - 1, i + pad);
  return hi >= lo ? hi - lo + 1 : 0;
}

/** Counts the operations of one image's pass, given the waves `net.spikes(pixels)` returned. */
export function stdpCnnOperations(net: StdpCnn, waves: readonly SpikeWave[]): StdpCnnOperations {
  const fn = "stdpCnnOperations";
  if (net === null || typeof net !== "object" || net.name !== "stdpCnn") fail(fn, "net", "be a network from stdpCnn", net);
  // The stage feeding each layer: the input, then after each layer its conv output and, when pooled, its pooled output.
  const feeds: number[] = [];
  let next = 0;
  for (const spec of net.options.layers) {
    feeds.push(next);
    next += spec.pool === null ? 1 : 2;
  }
  const needed = feeds[feeds.length - 1]! + 1;
  if (!Array.isArray(waves) || waves.length < needed) fail(fn, "waves", `be the waves of net.spikes(pixels) (at least ${needed})`, Array.isArray(waves) ? waves.length : waves);
  let sops = 0;
  let macs = 0;
  net.options.layers.forEach((spec, l) => {
    const stage = feeds[l]!;
    const input = waves[stage]!;
    const output = net.stages[stage + 1]!;
    if (input.height !== net.stages[stage]!.height || input.width !== net.stages[stage]!.width) fail(fn, `waves[${stage}]`, `have the shape of stage "${net.stages[stage]!.name}"`, `${input.height}×${input.width}`);
    macs += output.height * output.width * spec.maps * spec.kernel * spec.kernel * input.channels;
    for (let s = 0; s < input.order.length; s++) {
      const n = input.order[s]!;
      const y = Math.floor(n / input.channels / input.width);
      const x = Math.floor(n / input.channels) % input.width;
      sops += spec.maps * cover(y, spec.kernel, spec.padding, output.height) * cover(x, spec.kernel, spec.padding, output.width);
    }
  });
  return { sops, macs, spikes: waves.map((w) => w.order.length) };
}
