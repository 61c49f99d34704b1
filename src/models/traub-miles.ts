/**
 * The Hodgkin–Huxley-type neuron with Traub & Miles (1991) kinetics that Brian2's
 * `examples/IF_curve_Hodgkin_Huxley.py` uses (and the peer script `cellmodels_brian2.py`), for a
 * patch of 20,000 µm²:
 *
 *   C dv/dt = gL·(EL − v) − gNa·m³h·(v − ENa) − gK·n⁴·(v − EK) + I
 *   dx/dt = αx(v)·(1 − x) − βx(v)·x            x ∈ {m, n, h}
 *
 *   αm = 0.32·(13 − v + VT)/(e^{(13 − v + VT)/4} − 1)      βm = 0.28·(v − VT − 40)/(e^{(v − VT − 40)/5} − 1)
 *   αn = 0.032·(15 − v + VT)/(e^{(15 − v + VT)/5} − 1)     βn = 0.5·e^{(10 − v + VT)/40}
 *   αh = 0.128·e^{(17 − v + VT)/18}                         βh = 4/(1 + e^{(40 − v + VT)/5})
 *
 * with v in mV and rates in 1/ms; the removable singularities of αm, βm, αn are resolved (exprel).
 * Units: ms, mV, nA, µS, nF (µS·mV = nA, nA/nF = mV/ms). `input` is the current I in nA, held over
 * the step. This is not the 1952 squid-axon model of `neurons/hodgkin-huxley.ts` (card E2): its
 * rates and constants differ (and so do Brian2's numbers).
 *
 * Integration: exponential Euler, exactly Brian2's `method='exponential_euler'`: every variable is
 * linear in itself given the others, dx/dt = A + B·x, and is advanced by
 * x ← −A/B + (x + A/B)·e^{B·dt} with A and B taken from the state at the start of the step
 * (for a gate, x∞ + (x − x∞)·e^{−(αx + βx)·dt}).
 *
 * Spikes: Brian2's `threshold='v > -40*mV', refractory='v > -40*mV'`: a spike is emitted when v
 * is above `vSpike` after a step and the neuron is not refractory; it then stays refractory until
 * a step starts with v ≤ vSpike, so each action potential counts once. `state.refractory` is 1
 * while refractory. The state starts at v = vInit with m = n = h = 0 (Brian2's default values,
 * which the script keeps), or at the gates' steady state with `gates: "steady-state"`.
 *
 * Speed: with WebAssembly SIMD (every Node ≥ 16) the state lives in WebAssembly memory and the
 * step advances two neurons per instruction in double precision, with a polynomial exponential
 * accurate to 1e-13 (relative), far below the float32 resolution of the state; six exponentials
 * per neuron instead of ten, because e^{(c − v + VT)/k} for k = 4, 5, 40 are powers of one
 * exponential. Otherwise the plain loop computes the same formulas with `Math.exp`.
 *
 * @example
 *   const p = traubMilesParams();
 *   const s = traubMilesInit(10, p);
 *   const spikes = new Uint8Array(10);
 *   const current = new Float32Array(10).fill(0.5 * nA);
 *   for (let t = 0; t < 10000; t++) traubMilesStep(current, s, p, 0.1 * ms, spikes);
 */
import { arrayLength, finite, mergeOptions, nonNegative, oneOf, positive } from "../core/validate";
import { checkParams, checkState, checkStep } from "../neurons/check-step";
import type { NeuronModel, NeuronState } from "../neurons/neuron-model";
import {
  F64, I32, V128, compileWasm, f32x4, f64x2, i32, i32x4, i64x2, instantiateWasm, layout, local, set, v128, wasmFunction,
  wasmModule, wasmSimdAvailable, whileLoop, type Code, type WasmCompiled,
} from "./wasm-assembler";

/** How the gates start (file header). */
export type TraubMilesGates = "zero" | "steady-state";

/** Parameters of `traubMiles`. */
export interface TraubMilesParams {
  /** Membrane capacitance, nF (1 µF/cm² × 20,000 µm²). */
  readonly cMem: number;
  /** Leak conductance, µS. */
  readonly gLeak: number;
  /** Maximal sodium conductance, µS. */
  readonly gNa: number;
  /** Maximal potassium (delayed rectifier) conductance, µS. */
  readonly gK: number;
  /** Leak reversal, mV. */
  readonly eLeak: number;
  /** Sodium reversal, mV. */
  readonly eNa: number;
  /** Potassium reversal, mV. */
  readonly eK: number;
  /** VT, the offset of the rate functions, mV. */
  readonly vT: number;
  /** Spike detection level (and refractory condition), mV. */
  readonly vSpike: number;
  /** Initial potential, mV. */
  readonly vInit: number;
  /** Initial gates: 0 (Brian2's script) or their steady state at vInit. */
  readonly gates: TraubMilesGates;
}

/** Defaults, Brian2's IF_curve_Hodgkin_Huxley.py: C 0.2 nF, gL 0.01 µS, gNa 20 µS, gK 6 µS, EL −65, ENa 50, EK −90, VT −63 mV, spikes above −40 mV, v from −65 mV, gates from 0. */
export const traubMilesDefaults: Readonly<TraubMilesParams> = Object.freeze({
  cMem: 0.2, gLeak: 0.01, gNa: 20, gK: 6, eLeak: -65, eNa: 50, eK: -90, vT: -63, vSpike: -40, vInit: -65, gates: "zero",
});

/** The gate initialisations. */
export const traubMilesGateModes: readonly TraubMilesGates[] = Object.freeze(["zero", "steady-state"] as const);

/** Validated parameters over `traubMilesDefaults`. */
export function traubMilesParams(options: Partial<TraubMilesParams> = {}): TraubMilesParams {
  const fn = "traubMilesParams";
  const p = mergeOptions(fn, traubMilesDefaults, options);
  positive(fn, "cMem", p.cMem);
  positive(fn, "gLeak", p.gLeak);
  nonNegative(fn, "gNa", p.gNa);
  nonNegative(fn, "gK", p.gK);
  for (const key of ["eLeak", "eNa", "eK", "vT", "vSpike", "vInit"] as const) finite(fn, key, p[key]);
  oneOf(fn, "gates", p.gates, traubMilesGateModes);
  return Object.freeze(p);
}

/** State of a Traub–Miles population. */
export interface TraubMilesState extends NeuronState {
  readonly size: number;
  /** Membrane potential, mV. */
  readonly v: Float32Array;
  /** Sodium activation m. */
  readonly m: Float32Array;
  /** Potassium activation n. */
  readonly n: Float32Array;
  /** Sodium inactivation h. */
  readonly h: Float32Array;
  /** 1 while refractory (v has not come back to vSpike since the last spike), else 0. */
  readonly refractory: Float32Array;
}

/** The six rates at v (mV), 1/ms: [αm, βm, αn, βn, αh, βh]. */
export function traubMilesRates(v: number, p: TraubMilesParams): [number, number, number, number, number, number] {
  finite("traubMilesRates", "v", v);
  checkParams("traubMilesRates", p, traubMilesDefaults);
  const x = p.vT - v;
  return [
    0.32 * 4 * relative((13 + x) / 4), 0.28 * 5 * relative((-x - 40) / 5),
    0.032 * 5 * relative((15 + x) / 5), 0.5 * Math.exp((10 + x) / 40),
    0.128 * Math.exp((17 + x) / 18), 4 / (1 + Math.exp((40 + x) / 5)),
  ];
}

/** y/(e^y − 1) = 1/exprel(y), exact at y = 0. */
function relative(y: number): number {
  return Math.abs(y) < 1e-6 ? 1 - y / 2 : y / Math.expm1(y);
}

/** A population of `size` neurons at vInit with the gates of `p.gates`, not refractory. */
export function traubMilesInit(size: number, p: TraubMilesParams): TraubMilesState {
  arrayLength("traubMilesInit", "size", size);
  checkParams("traubMilesInit", p, traubMilesDefaults);
  const state = wasmSimdAvailable() && size > 0 ? wasmState(size) : {
    size, v: new Float32Array(size), m: new Float32Array(size), n: new Float32Array(size), h: new Float32Array(size),
    refractory: new Float32Array(size),
  };
  traubMilesReset(state, p);
  return state;
}

/** Puts `state` back to its initial condition in place (v = vInit, gates per `p.gates`, not refractory). */
export function traubMilesReset(state: TraubMilesState, p: TraubMilesParams): void {
  checkState("traubMilesReset", state);
  checkParams("traubMilesReset", p, traubMilesDefaults);
  state.v.fill(p.vInit);
  if (p.gates === "zero") {
    state.m.fill(0);
    state.n.fill(0);
    state.h.fill(0);
  } else {
    const [am, bm, an, bn, ah, bh] = traubMilesRates(p.vInit, p);
    state.m.fill(am / (am + bm));
    state.n.fill(an / (an + bn));
    state.h.fill(ah / (ah + bh));
  }
  state.refractory.fill(0);
}

/**
 * Advances `state` by `dt` ms with exponential Euler (file header), in place; writes 0/1 into
 * `spikes` and returns the spike count. `input` is the current in nA. Throws the standard error
 * for a bad dt or array lengths.
 */
export function traubMilesStep(input: Float32Array, state: TraubMilesState, p: TraubMilesParams, dt: number, spikes: Uint8Array): number {
  const count = checkStep("traubMilesStep", input, state, p, dt, spikes, traubMilesDefaults);
  const kernel = kernels.get(state);
  if (kernel !== undefined) {
    if (input !== kernel.input) kernel.input.set(input);
    let spiking = kernel.step(kernel.v, kernel.m, kernel.n, kernel.h, kernel.refractory, kernel.inputOffset, kernel.spikesOffset,
      kernel.pairs, dt, p.cMem, p.gLeak, p.gNa, p.gK, p.eLeak, p.eNa, p.eK, p.vT, p.vSpike);
    if (kernel.paddedSpike[0] !== 0) spiking--;
    spikes.set(kernel.spikes);
    return spiking;
  }
  return stepLoop(input, state, p, dt, spikes, count);
}

function stepLoop(input: Float32Array, state: TraubMilesState, p: TraubMilesParams, dt: number, spikes: Uint8Array, size: number): number {
  const { v, m, n, h, refractory } = state;
  const { cMem, gLeak, gNa, gK, eLeak, eNa, eK, vT, vSpike } = p;
  let count = 0;
  for (let k = 0; k < size; k++) {
    const v0 = v[k];
    const m0 = m[k];
    const n0 = n[k];
    const h0 = h[k];
    const x = vT - v0;
    const am = 1.28 * relative((13 + x) / 4);
    const bm = 1.4 * relative((-x - 40) / 5);
    const an = 0.16 * relative((15 + x) / 5);
    const bn = 0.5 * Math.exp((10 + x) / 40);
    const ah = 0.128 * Math.exp((17 + x) / 18);
    const bh = 4 / (1 + Math.exp((40 + x) / 5));
    const sm = am + bm;
    const sn = an + bn;
    const sh = ah + bh;
    m[k] = am / sm + (m0 - am / sm) * Math.exp(-dt * sm);
    n[k] = an / sn + (n0 - an / sn) * Math.exp(-dt * sn);
    h[k] = ah / sh + (h0 - ah / sh) * Math.exp(-dt * sh);
    const gna = gNa * m0 * m0 * m0 * h0;
    const n2 = n0 * n0;
    const gk = gK * n2 * n2;
    const g = gLeak + gna + gk;
    const vInf = (gLeak * eLeak + gna * eNa + gk * eK + input[k]) / g;
    const v1 = vInf + (v0 - vInf) * Math.exp((-dt * g) / cMem);
    v[k] = v1;
    const armed = refractory[k] === 0 || v0 <= vSpike;
    if (armed && v1 > vSpike) {
      refractory[k] = 1;
      spikes[k] = 1;
      count++;
    } else {
      refractory[k] = armed ? 0 : 1;
      spikes[k] = 0;
    }
  }
  return count;
}

// --- WebAssembly SIMD kernel (two neurons per instruction, float64) ---------------------------

interface TraubMilesKernel {
  readonly step: (...args: number[]) => number;
  readonly pairs: number;
  readonly v: number;
  readonly m: number;
  readonly n: number;
  readonly h: number;
  readonly refractory: number;
  readonly inputOffset: number;
  readonly spikesOffset: number;
  readonly input: Float32Array;
  readonly spikes: Uint8Array;
  /** The spike byte of the padding neuron (odd sizes), or an always-zero byte. */
  readonly paddedSpike: Uint8Array;
}

const kernels = new WeakMap<TraubMilesState, TraubMilesKernel>();
let compiled: WasmCompiled | undefined;

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;

function kernelModule(): WasmCompiled {
  if (compiled) return compiled;
  // Parameters: 0–6 byte offsets of v, m, n, h, refractory, input, spikes; 7 pairs;
  // 8 dt, 9 cMem, 10 gLeak, 11 gNa, 12 gK, 13 eLeak, 14 eNa, 15 eK, 16 vT, 17 vSpike (f64).
  const [V, M, N, H, REF, INPUT, SPIKES, PAIRS] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [I, SP, COUNT, END, BITS] = [18, 19, 20, 21, 22];
  let next = 23;
  const v128Local = () => next++;
  const [DT, CM, GL, GNA, GK, EL, ENA, EK, VT, VS] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17].map(() => v128Local());
  const [ZERO, ONE] = [v128Local(), v128Local()];
  const [v0, m0, n0, h0, ref0, x, e5, q, e18, y, am, bm, an, bn, ah, bh, s, g, gna, gk, vinf, v1, nr, spk, ex, ek, er] =
    Array.from({ length: 27 }, () => v128Local());
  const c = (value: number): Code => f64x2.constant(value);
  const at = (base: number, shift: number): Code => i32.add(local(base), i32.shl(local(I), i32.constant(shift)));
  // Pairs of float32 in, float64 lanes out (and back).
  const load = (base: number): Code => f64x2.promoteLow(v128.load64Zero(at(base, 2)));
  const store = (base: number, value: Code): Code => v128.store64Lane0(at(base, 2), f32x4.demote(value));
  // target ← e^{arg}: n = round(arg/ln 2), r = arg − n·ln 2, Taylor series to r^10 (|r| ≤ 0.35:
  // relative error < 3e−13), times 2^n built in the exponent bits.
  const exp = (target: number, arg: Code): Code => {
    let poly: Code = c(1 / 3628800);
    for (let k = 9; k >= 0; k--) poly = f64x2.add(f64x2.mul(poly, local(er)), c(1 / factorial(k)));
    const scale = i64x2.shl(i64x2.add(i64x2.extendLowI32x4(i32x4.truncSatF64x2Zero(local(ek))), i64x2.splat(1023)), i32.constant(52));
    return [
      ...set(ex, f64x2.max(f64x2.min(arg, c(700)), c(-700))),
      ...set(ek, f64x2.nearest(f64x2.mul(local(ex), c(Math.LOG2E)))),
      ...set(er, f64x2.sub(f64x2.sub(local(ex), f64x2.mul(local(ek), c(LN2_HI))), f64x2.mul(local(ek), c(LN2_LO)))),
      ...set(target, f64x2.mul(poly, scale)),
    ];
  };
  // y/(e^y − 1) for a given e^y, with the limit 1 − y/2 near y = 0.
  const relativeRate = (scale: number, yCode: Code, eyCode: Code, target: number): Code => [
    ...set(y, yCode),
    ...set(target, f64x2.mul(c(scale), v128.select(
      f64x2.sub(c(1), f64x2.mul(local(y), c(0.5))),
      f64x2.div(local(y), f64x2.sub(eyCode, c(1))),
      f64x2.lt(f64x2.abs(local(y)), c(1e-6)),
    ))),
  ];
  const gate = (base: number, x0: number, alpha: number, beta: number): Code => [
    ...set(s, f64x2.add(local(alpha), local(beta))),
    ...set(y, f64x2.div(local(alpha), local(s))),
    ...exp(q, f64x2.neg(f64x2.mul(local(DT), local(s)))),
    ...store(base, f64x2.add(local(y), f64x2.mul(f64x2.sub(local(x0), local(y)), local(q)))),
  ];
  const splats = [DT, CM, GL, GNA, GK, EL, ENA, EK, VT, VS].flatMap((target, k) => set(target, f64x2.splat(local(8 + k))));
  const body: Code = [
    ...splats,
    ...set(ZERO, c(0)),
    ...set(ONE, c(1)),
    ...set(END, i32.shl(local(PAIRS), i32.constant(1))),
    ...set(SP, local(SPIKES)),
    ...whileLoop(i32.ltU(local(I), local(END)), [
      ...set(v0, load(V)), ...set(m0, load(M)), ...set(n0, load(N)), ...set(h0, load(H)), ...set(ref0, load(REF)),
      ...set(x, f64x2.sub(local(VT), local(v0))),
      // e^{x/5}, then e^{x/20} = (e^{x/5})^{1/4}, e^{x/4} = e^{x/5}·e^{x/20}, e^{x/40} = (e^{x/20})^{1/2}.
      ...exp(e5, f64x2.mul(local(x), c(0.2))),
      ...exp(e18, f64x2.mul(local(x), c(1 / 18))),
      ...set(q, f64x2.sqrt(f64x2.sqrt(local(e5)))),
      ...relativeRate(1.28, f64x2.mul(f64x2.add(local(x), c(13)), c(0.25)), f64x2.mul(c(Math.exp(13 / 4)), f64x2.mul(local(e5), local(q))), am),
      ...relativeRate(1.4, f64x2.mul(f64x2.add(local(x), c(40)), c(-0.2)), f64x2.div(c(Math.exp(-8)), local(e5)), bm),
      ...relativeRate(0.16, f64x2.mul(f64x2.add(local(x), c(15)), c(0.2)), f64x2.mul(c(Math.exp(3)), local(e5)), an),
      ...set(bn, f64x2.mul(c(0.5 * Math.exp(0.25)), f64x2.sqrt(local(q)))),
      ...set(ah, f64x2.mul(c(0.128 * Math.exp(17 / 18)), local(e18))),
      ...set(bh, f64x2.div(c(4), f64x2.add(c(1), f64x2.mul(c(Math.exp(8)), local(e5))))),
      ...gate(M, m0, am, bm),
      ...gate(N, n0, an, bn),
      ...gate(H, h0, ah, bh),
      // v with the gates from the start of the step.
      ...set(gna, f64x2.mul(local(GNA), f64x2.mul(f64x2.mul(local(m0), f64x2.mul(local(m0), local(m0))), local(h0)))),
      ...set(gk, f64x2.mul(local(GK), f64x2.mul(f64x2.mul(local(n0), local(n0)), f64x2.mul(local(n0), local(n0))))),
      ...set(g, f64x2.add(f64x2.add(local(GL), local(gna)), local(gk))),
      ...set(vinf, f64x2.div(f64x2.add(f64x2.add(f64x2.add(f64x2.mul(local(GL), local(EL)), f64x2.mul(local(gna), local(ENA))),
        f64x2.mul(local(gk), local(EK))), f64x2.promoteLow(v128.load64Zero(at(INPUT, 2)))), local(g))),
      ...exp(q, f64x2.neg(f64x2.div(f64x2.mul(local(DT), local(g)), local(CM)))),
      ...set(v1, f64x2.add(local(vinf), f64x2.mul(f64x2.sub(local(v0), local(vinf)), local(q)))),
      ...store(V, local(v1)),
      // Armed if not refractory or back at or below vSpike; a spike disarms.
      ...set(nr, v128.or(f64x2.eq(local(ref0), local(ZERO)), f64x2.le(local(v0), local(VS)))),
      ...set(spk, v128.and(f64x2.gt(local(v1), local(VS)), local(nr))),
      ...store(REF, v128.select(local(ZERO), local(ONE), v128.andNot(local(nr), local(spk)))),
      ...set(BITS, i64x2.bitmask(local(spk))),
      ...i32.store16(local(SP), i32.or(i32.and(local(BITS), i32.constant(1)), i32.shl(i32.and(local(BITS), i32.constant(2)), i32.constant(7)))),
      ...set(COUNT, i32.add(local(COUNT), i32.popcnt(local(BITS)))),
      ...set(I, i32.add(local(I), i32.constant(2))),
      ...set(SP, i32.add(local(SP), i32.constant(2))),
    ]),
    ...local(COUNT),
  ];
  const fn = wasmFunction({
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, ...new Array<number>(next - 23).fill(V128)],
  }, body);
  compiled = compileWasm(wasmModule({ memoryPages: 1, functions: [{ name: "step", fn }] }));
  return compiled;
}

function factorial(k: number): number {
  let f = 1;
  for (let j = 2; j <= k; j++) f *= j;
  return f;
}

function wasmState(size: number): TraubMilesState {
  const padded = Math.ceil(size / 2) * 2;
  const { offsets, pages } = layout([4 * padded, 4 * padded, 4 * padded, 4 * padded, 4 * padded, 4 * padded, padded]);
  const { memory, exports } = instantiateWasm(kernelModule(), pages);
  const buffer = memory.buffer;
  const view = (k: number) => new Float32Array(buffer, offsets[k], size);
  const state: TraubMilesState = { size, v: view(0), m: view(1), n: view(2), h: view(3), refractory: view(4) };
  kernels.set(state, {
    step: exports.step as (...args: number[]) => number,
    pairs: padded / 2,
    v: offsets[0], m: offsets[1], n: offsets[2], h: offsets[3], refractory: offsets[4], inputOffset: offsets[5], spikesOffset: offsets[6],
    input: view(5),
    spikes: new Uint8Array(buffer, offsets[6], size),
    paddedSpike: padded > size ? new Uint8Array(buffer, offsets[6] + size, 1) : new Uint8Array(1),
  });
  return state;
}

/** The Traub–Miles Hodgkin–Huxley neuron as a `NeuronModel` (input: current, nA). */
export const traubMiles: NeuronModel<TraubMilesParams, TraubMilesState> = Object.freeze({
  name: "traub-miles",
  defaults: traubMilesDefaults,
  params: traubMilesParams,
  init: traubMilesInit,
  reset: traubMilesReset,
  step: traubMilesStep,
});

/** Internal, for tests: the plain loop, to compare with the SIMD kernel. */
export const traubMilesStepLoop = stepLoop;
