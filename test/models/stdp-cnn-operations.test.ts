import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { loadMnist, take } from "../../src/datasets";
import { stdpCnn, stdpCnnOperations, stdpCnnPresets, type SpikeWave } from "../../src/models/stdp-cnn";

/** Brute force: for every output position and kernel offset, one SOP per input spike the window reads (zero padding reads none). */
function oracle(wave: SpikeWave, maps: number, k: number, pad: number): number {
  const outH = wave.height + 2 * pad - k + 1;
  const outW = wave.width + 2 * pad - k + 1;
  let sops = 0;
  for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) {
    const y = oy + dy - pad;
    const x = ox + dx - pad;
    if (y < 0 || x < 0 || y >= wave.height || x >= wave.width) continue;
    for (let c = 0; c < wave.channels; c++) if (wave.times[(y * wave.width + x) * wave.channels + c]! >= 0) sops += maps;
  }
  return sops;
}

describe("stdpCnnOperations", () => {
  it("counts each input spike's fan-out per layer as a brute-force pass over the windows does, and the dense MACs", () => {
    for (const preset of [stdpCnnPresets.paper, stdpCnnPresets.spykeTorch]) {
      const net = stdpCnn({ ...preset, rng: createRng(3) });
      const images = take(loadMnist({ split: "test" }), 0, 3);
      for (let i = 0; i < 3; i++) {
        const waves = net.spikes(images.images.subarray(i * 784, (i + 1) * 784));
        const ops = stdpCnnOperations(net, waves);
        let expected = 0;
        let macs = 0;
        let stage = 0;
        for (const spec of preset.layers) {
          expected += oracle(waves[stage]!, spec.maps, spec.kernel, spec.padding);
          const out = net.stages[stage + 1]!;
          macs += out.height * out.width * spec.maps * spec.kernel * spec.kernel * net.stages[stage]!.channels;
          stage += spec.pool === null ? 1 : 2;
        }
        assert.equal(ops.sops, expected);
        assert.equal(ops.macs, macs);
        assert.ok(ops.sops > 0);
        assert.deepEqual(ops.spikes, waves.map((w) => w.order.length));
      }
    }
  });
  it("rejects a foreign network and too few waves with the standard message", () => {
    const net = stdpCnn({ ...stdpCnnPresets.paper, rng: createRng(3) });
    assert.throws(() => stdpCnnOperations({} as never, []), /^SnnlabError: stdpCnnOperations: net must be a network from stdpCnn/);
    assert.throws(() => stdpCnnOperations(net, []), /stdpCnnOperations: waves must be the waves of net\.spikes\(pixels\) \(at least 3\), got 0/);
  });
});
