import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { measureStdpWindow, pairingProtocol } from "../../src/plasticity/pairing";
import { stdpParams } from "../../src/plasticity/stdp";
import { stdpWindow } from "../../src/plasticity/stdp-window";
import { expectClose, expectError } from "../helpers/close";

describe("pairing", () => {
  const p = stdpParams({ aPlus: 0.01, aMinus: -0.0105, tauPlus: 16.8, tauMinus: 33.7 });

  it("measureStdpWindow(p, deltaTs) equals the closed-form window for isolated pairs", () => {
    const deltaTs = [-80, -33.7, -5, -0.1, 0, 0.1, 5, 16.8, 80];
    const measured = measureStdpWindow(p, deltaTs, { dt: 0.1 });
    // trace: one float32 rounding per step, (|m| + 2)·2^-24 relative; w near 0.5 in float32: half an ulp, 2^-25 absolute
    deltaTs.forEach((d, k) => expectClose(measured[k]!, stdpWindow(d, p), { rtol: (Math.abs(d) / 0.1 + 2) * 2 ** -24, atol: 2 ** -25 }));
  });

  it("pairingProtocol(p, {deltaT}) potentiates pre-before-post and depresses post-before-pre", () => {
    const ltp = pairingProtocol(p, { deltaT: 10 });
    const ltd = pairingProtocol(p, { deltaT: -10 });
    assert.equal(ltp.preSpikes, 60);
    assert.equal(ltp.postSpikes, 60);
    assert.ok(ltp.relativeChange > 0 && ltd.relativeChange < 0);
    // isolated pairs at 1 Hz: Δw ≈ 60·window(measured Δt) relative to w0 = 0.5 (no clipping)
    expectClose(ltp.relativeChange, (60 * stdpWindow(ltp.measuredDeltaT, p)) / 0.5, { rtol: 0.02 });
    assert.ok(Math.abs(ltp.measuredDeltaT - 10) < 1, "both neurons fire with the same latency");
  });

  it("pairingProtocol rejects bad options with the standard message", () => {
    expectError(() => pairingProtocol(p, { deltaT: 10, pairs: 0 }), "pairingProtocol: pairs must be an integer >= 1, got 0");
    expectError(() => measureStdpWindow(p, [NaN], { dt: 0.1 }), "measureStdpWindow: deltaTs[0] must be a finite number, got NaN");
  });
});
