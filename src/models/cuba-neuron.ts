/**
 * The neuron of the CUBA benchmark (Brette et al. 2007, J. Comput. Neurosci. 23:349, benchmark 2;
 * Brian2's `examples/CUBA.py`): a leaky integrate-and-fire neuron with two exponentially decaying
 * synaptic currents, expressed as voltages,
 *
 *   τm dv/dt = (vRest − v) + ge + gi        (unless refractory: v is held)
 *   τe dge/dt = −ge        τi dgi/dt = −gi
 *   v > vThreshold  ⇒  spike, v ← vReset, refractory for tRef
 *
 * Symbols: v membrane potential (mV); vRest the leak reversal El (mV; −49 mV, above the −50 mV
 * threshold, so a neuron without input fires regularly); ge, gi the excitatory and inhibitory
 * synaptic drives (mV; a spike adds the weight, 1.62 mV or −9 mV in the benchmark); τm, τe, τi
 * (ms). Units: ms, mV.
 *
 * Integration is exact (Brian2's `method='exact'`) for the linear system over a step of dt:
 *
 *   v ← vRest + (v − vRest)·e^{−dt/τm} + ge·ce + gi·ci,   ce = (dt/τm)·e^{−dt/τm}·exprel(dt/τm − dt/τe)
 *   ge ← ge·e^{−dt/τe},  gi ← gi·e^{−dt/τi}
 *
 * (ci likewise with τi; exprel keeps τe = τm exact). Refractoriness is Brian2's: after a spike in
 * step k the steps k + 1 … k + n − 1 hold v, with n = round(tRef/dt) (49 held steps for 5 ms at
 * 0.1 ms), while ge and gi keep decaying; the refractory clock counts ms, so any dt works.
 *
 * Input: `input` (mV, one per neuron) is added into ge at the start of the step, like the
 * excitatory input of `conductanceLif`; projections usually feed `ge` and `gi` directly (target
 * "ge"/"gi"), which is the same thing one step earlier in the code and identical in effect.
 *
 * Speed: where the engine supports WebAssembly SIMD (`wasmSimdAvailable()`, every Node ≥ 16),
 * `cubaNeuronInit` places the state in WebAssembly memory and the step runs four neurons per
 * instruction in float32 (`wasm-assembler.ts`), branch-free: the CUBA network is bound by this
 * update, and this is what makes it as fast as Brian2's compiled C++. A state built without
 * `cubaNeuronInit` (or without SIMD) takes the plain loop, which does the same arithmetic in
 * double precision before rounding to float32; the two agree to a few float32 ulps per step.
 *
 * @example
 *   const p = cubaNeuronParams();
 *   const s = cubaNeuronInit(4000, p);
 *   const spikes = new Uint8Array(4000);
 *   s.ge[0] += 1.62 * mV;                               // an excitatory spike
 *   cubaNeuronStep(new Float32Array(4000), s, p, 0.1 * ms, spikes);
 */
import { arrayLength, fail, finite, mergeOptions, nonNegative, positive } from "../core/validate";
import { checkParams, checkState, checkStep } from "../neurons/check-step";
import { exprel } from "../neurons/exprel";
import type { NeuronBuffers, NeuronModel, NeuronState } from "../neurons/neuron-model";
import {
  I32, V128, compileWasm, f32x4, i32, i32x4, ifThen, instantiateWasm, layout, local, set, tee, v128, wasmFunction,
  wasmModule, wasmSimdAvailable, whileLoop, type Code, type WasmCompiled,
} from "./wasm-assembler";

/** Parameters of `cubaNeuron`. */
export interface CubaNeuronParams {
  /** Membrane time constant τm, ms. */
  readonly tauMem: number;
  /** Excitatory synaptic time constant τe, ms. */
  readonly tauExc: number;
  /** Inhibitory synaptic time constant τi, ms. */
  readonly tauInh: number;
  /** Leak reversal potential El, mV (v relaxes towards it). */
  readonly vRest: number;
  /** Spike threshold, mV: v > vThreshold fires. */
  readonly vThreshold: number;
  /** Reset potential, mV; below vThreshold. */
  readonly vReset: number;
  /** Refractory period, ms (v held). */
  readonly tRef: number;
}

/** Defaults, Brian2's CUBA.py: τm 20 ms, τe 5 ms, τi 10 ms, El −49 mV, threshold −50 mV, reset −60 mV, refractory 5 ms. */
export const cubaNeuronDefaults: Readonly<CubaNeuronParams> = Object.freeze({
  tauMem: 20, tauExc: 5, tauInh: 10, vRest: -49, vThreshold: -50, vReset: -60, tRef: 5,
});

/**
 * Validated parameters over `cubaNeuronDefaults`; non-finite values, τ ≤ 0, tRef < 0 and
 * vThreshold ≤ vReset throw the standard error.
 *
 * @example
 *   const p = cubaNeuronParams({ tRef: 2 * ms });
 */
export function cubaNeuronParams(options: Partial<CubaNeuronParams> = {}): CubaNeuronParams {
  const fn = "cubaNeuronParams";
  const p = mergeOptions(fn, cubaNeuronDefaults, options);
  positive(fn, "tauMem", p.tauMem);
  positive(fn, "tauExc", p.tauExc);
  positive(fn, "tauInh", p.tauInh);
  finite(fn, "vRest", p.vRest);
  finite(fn, "vThreshold", p.vThreshold);
  finite(fn, "vReset", p.vReset);
  if (!(p.vThreshold > p.vReset)) fail(fn, "vThreshold", `be > vReset (${p.vReset})`, p.vThreshold);
  nonNegative(fn, "tRef", p.tRef);
  return Object.freeze(p);
}

/** State of a CUBA population. */
export interface CubaNeuronState extends NeuronState {
  readonly size: number;
  /** Membrane potential, mV. */
  readonly v: Float32Array;
  /** Excitatory synaptic drive, mV; projections add into it. */
  readonly ge: Float32Array;
  /** Inhibitory synaptic drive, mV; projections add into it. */
  readonly gi: Float32Array;
  /** Refractory time left, ms (0 when free). */
  readonly refractory: Float32Array;
}

/** A population of `size` neurons at v = vRest, no synaptic drive, not refractory. */
export function cubaNeuronInit(size: number, p: CubaNeuronParams): CubaNeuronState {
  arrayLength("cubaNeuronInit", "size", size);
  checkParams("cubaNeuronInit", p, cubaNeuronDefaults);
  const state = wasmSimdAvailable() && size > 0 ? wasmState(size) : {
    size, v: new Float32Array(size), ge: new Float32Array(size), gi: new Float32Array(size), refractory: new Float32Array(size),
  };
  cubaNeuronReset(state, p);
  return state;
}

/** Puts `state` back to rest in place: v = vRest, ge = gi = 0, not refractory. */
export function cubaNeuronReset(state: CubaNeuronState, p: CubaNeuronParams): void {
  checkState("cubaNeuronReset", state);
  checkParams("cubaNeuronReset", p, cubaNeuronDefaults);
  state.v.fill(p.vRest);
  state.ge.fill(0);
  state.gi.fill(0);
  state.refractory.fill(0);
}

/**
 * Advances `state` by `dt` ms with the exact update (file head), in place; writes 0/1 into
 * `spikes` and returns the spike count. `input` (mV) is added into ge first; `input` and `p` are
 * read only. Throws the standard error for a bad dt or array lengths.
 */
export function cubaNeuronStep(input: Float32Array, state: CubaNeuronState, p: CubaNeuronParams, dt: number, spikes: Uint8Array): number {
  const n = checkStep("cubaNeuronStep", input, state, p, dt, spikes, cubaNeuronDefaults);
  const kernel = kernels.get(state);
  if (kernel !== undefined) {
    const buffers = kernel.buffers;
    if (input !== buffers.input) buffers.input.set(input);
    // The constants live in the kernel's memory; rewrite them only when p or dt change.
    if (kernel.params !== p || kernel.dt !== dt) {
      kernel.constants.set(cubaConstants(p, dt));
      kernel.params = p;
      kernel.dt = dt;
    }
    const count = kernel.step(kernel.last);
    kernel.last = count;
    if (spikes !== buffers.spikes) spikes.set(buffers.spikes);
    return count;
  }
  const [em, de, di, ce, ci, c0] = cubaConstants(p, dt);
  return cubaLoop(input, state.v, state.ge, state.gi, state.refractory, spikes, n, em, de, di, ce, ci, c0,
    p.vThreshold, p.vReset, p.tRef, dt);
}

/** The propagator of one step: em, de, di, ce, ci, c0 (file head), then vThreshold, vReset, tRef, dt, dt/2. */
function cubaConstants(p: CubaNeuronParams, dt: number): number[] {
  const em = Math.exp(-dt / p.tauMem);
  return [
    em, Math.exp(-dt / p.tauExc), Math.exp(-dt / p.tauInh),
    (dt / p.tauMem) * em * exprel(dt / p.tauMem - dt / p.tauExc),
    (dt / p.tauMem) * em * exprel(dt / p.tauMem - dt / p.tauInh),
    p.vRest * (1 - em), p.vThreshold, p.vReset, p.tRef, dt, 0.5 * dt,
  ];
}

// The hot loop as its own function of plain arguments, so that the JIT specialises it once.
function cubaLoop(
  input: Float32Array, v: Float32Array, ge: Float32Array, gi: Float32Array, refractory: Float32Array, spikes: Uint8Array,
  n: number, em: number, de: number, di: number, ce: number, ci: number, c0: number,
  vThreshold: number, vReset: number, tRef: number, dt: number,
): number {
  // A refractory neuron is held while more than half a step of tRef is left after this step, which
  // gives round(tRef/dt) − 1 held steps, Brian2's count.
  const half = 0.5 * dt;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const gE = ge[k] + input[k];
    const gI = gi[k];
    ge[k] = gE * de;
    gi[k] = gI * di;
    const r = refractory[k];
    if (r > 0) {
      const left = r - dt;
      if (left > half) {
        refractory[k] = left;
        spikes[k] = 0;
        continue;
      }
      refractory[k] = 0;
    }
    const vk = v[k] * em + c0 + gE * ce + gI * ci;
    if (vk > vThreshold) {
      v[k] = vReset;
      refractory[k] = tRef;
      spikes[k] = 1;
      count++;
    } else {
      v[k] = vk;
      spikes[k] = 0;
    }
  }
  return count;
}

// --- WebAssembly SIMD kernel ------------------------------------------------------------------

interface CubaKernel {
  readonly step: (last: number) => number;
  /** The kernel's copy of `cubaConstants(params, dt)` (float32, in its memory). */
  readonly constants: Float32Array;
  params: CubaNeuronParams | null;
  dt: number;
  /** The kernel's buffers: input (the step copies `input` here unless it is this view), spikes, ids. */
  readonly buffers: NeuronBuffers;
  /** Spikes of the last step (their bytes are cleared by the next step). */
  last: number;
}

const kernels = new WeakMap<CubaNeuronState, CubaKernel>();
const modules = new Map<number, WasmCompiled>();

/** Byte offsets of v, ge, gi, refractory, input, spikes, spike ids and the 11 constants for `padded` neurons, and the pages. */
function cubaLayout(padded: number) {
  return layout([4 * padded, 4 * padded, 4 * padded, 4 * padded, 4 * padded, padded, 4 * padded, 4 * 11]);
}

// One module per padded size, with the array offsets as constants of the memory instructions.
// Parameter 0: the spike count of the previous step; the constants (`cubaConstants`) are read from
// memory. Eight neurons per iteration (two vectors of four).
function kernelModule(padded: number): WasmCompiled {
  const cached = modules.get(padded);
  if (cached) return cached;
  const [V, GE, GI, REF, INPUT, SPIKES, IDS, CONSTANTS] = cubaLayout(padded).offsets;
  const [I, COUNT, BITS, J, INDEX] = [1, 2, 3, 4, 5];
  const [EM, DE, DI, CE, CI, C0, VT, VR, TREF, DT, HALF] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const [GE4, GI4, LEFT, HOLD, VK, SPK, VOLD] = [17, 18, 19, 20, 21, 22, 23];
  const splats = [EM, DE, DI, CE, CI, C0, VT, VR, TREF, DT, HALF].flatMap((target, k) => set(target, v128.load32Splat(i32.constant(0), CONSTANTS + 4 * k)));
  const i = local(I);
  // Lane l of vector u spiked: list neuron I/4 + 4u + l and set its spike byte.
  const listLane = (u: number, lane: number): Code => ifThen(i32.and(local(BITS), i32.constant(1 << lane)), [
    ...set(INDEX, i32.add(i32.shrU(i, i32.constant(2)), i32.constant(4 * u + lane))),
    ...i32.store(i32.shl(local(COUNT), i32.constant(2)), local(INDEX), IDS),
    ...i32.store8(local(INDEX), i32.constant(1), SPIKES),
    ...set(COUNT, i32.add(local(COUNT), i32.constant(1))),
  ]);
  const vector = (u: number): Code => {
    const o = 16 * u;
    return [
      ...set(GE4, f32x4.add(v128.load(i, GE + o), v128.load(i, INPUT + o))),
      ...set(GI4, v128.load(i, GI + o)),
      ...v128.store(i, f32x4.mul(local(GE4), local(DE)), GE + o),
      ...v128.store(i, f32x4.mul(local(GI4), local(DI)), GI + o),
      // Held (refractory) lanes: more than half a step of tRef left after this step.
      ...set(HOLD, f32x4.gt(tee(LEFT, f32x4.sub(v128.load(i, REF + o), local(DT))), local(HALF))),
      ...set(VK, f32x4.add(f32x4.add(f32x4.add(f32x4.mul(tee(VOLD, v128.load(i, V + o)), local(EM)), local(C0)),
        f32x4.mul(local(GE4), local(CE))), f32x4.mul(local(GI4), local(CI)))),
      ...set(SPK, v128.andNot(f32x4.gt(local(VK), local(VT)), local(HOLD))),
      ...v128.store(i, v128.select(local(VOLD), v128.select(local(VR), local(VK), local(SPK)), local(HOLD)), V + o),
      ...v128.store(i, v128.select(local(LEFT), v128.and(local(TREF), local(SPK)), local(HOLD)), REF + o),
      ...ifThen(tee(BITS, i32x4.bitmask(local(SPK))), [0, 1, 2, 3].flatMap((lane) => listLane(u, lane))),
    ];
  };
  const body: Code = [
    // Clear the spike bytes of the previous step (O(spikes), not O(neurons)).
    ...whileLoop(i32.ltU(local(J), local(0)), [
      ...i32.store8(i32.load(i32.shl(local(J), i32.constant(2)), IDS), i32.constant(0), SPIKES),
      ...set(J, i32.add(local(J), i32.constant(1))),
    ]),
    ...splats,
    ...whileLoop(i32.ltU(i, i32.constant(4 * padded)), [
      ...vector(0),
      ...vector(1),
      ...set(I, i32.add(i, i32.constant(32))),
    ]),
    ...local(COUNT),
  ];
  const fn = wasmFunction({
    params: [I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, ...new Array<number>(18).fill(V128)],
  }, body);
  const compiled = compileWasm(wasmModule({ memoryPages: 1, functions: [{ name: "step", fn }] }));
  modules.set(padded, compiled);
  return compiled;
}

function wasmState(size: number): CubaNeuronState {
  const padded = Math.ceil(size / 8) * 8;
  const { offsets, pages } = cubaLayout(padded);
  const { memory, exports } = instantiateWasm(kernelModule(padded), pages);
  const buffer = memory.buffer;
  const view = (k: number) => new Float32Array(buffer, offsets[k], size);
  // Padding lanes are refractory forever, so they never spike or count.
  new Float32Array(buffer, offsets[3], padded).fill(Infinity, size);
  const state: CubaNeuronState = { size, v: view(0), ge: view(1), gi: view(2), refractory: view(3) };
  kernels.set(state, {
    step: exports.step as (last: number) => number,
    constants: new Float32Array(buffer, offsets[7], 11),
    params: null,
    dt: NaN,
    buffers: Object.freeze({
      input: view(4), spikes: new Uint8Array(buffer, offsets[5], size), spikeIds: new Int32Array(buffer, offsets[6], size),
    }),
    last: 0,
  });
  return state;
}

/** The kernel's buffers of a state made by `cubaNeuronInit` (null otherwise), for `network/`. */
export function cubaNeuronBuffers(state: CubaNeuronState): NeuronBuffers | null {
  return kernels.get(state)?.buffers ?? null;
}

/** The CUBA neuron as a `NeuronModel` (input: excitatory drive added into ge, mV). */
export const cubaNeuron: NeuronModel<CubaNeuronParams, CubaNeuronState> = Object.freeze({
  name: "cuba-lif",
  defaults: cubaNeuronDefaults,
  params: cubaNeuronParams,
  init: cubaNeuronInit,
  reset: cubaNeuronReset,
  step: cubaNeuronStep,
  buffers: cubaNeuronBuffers,
});
