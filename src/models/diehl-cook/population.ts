/**
 * Diehl & Cook (2015), part of `models/diehl-cook/` (the network is described in index.ts): the fused conductance-LIF step of one population, with its per-step constants (tested equal to `conductanceLifStep`).
 */
import { type ConductanceLifParams, type ConductanceLifState } from "../../neurons/conductance-lif";


/**
 * The per-step constants of one population, computed once (`populationConstants`) with exactly
 * the expressions of `conductanceLifStep`, so `stepPopulation` gives the same numbers.
 */
export interface PopulationConstants {
  readonly euler: boolean;
  readonly vRest: number;
  readonly vReset: number;
  readonly vThreshold: number;
  readonly eExc: number;
  readonly eInh: number;
  readonly thetaOffset: number;
  readonly dt: number;
  readonly decayGe: number;
  readonly decayGi: number;
  readonly decayTheta: number;
  readonly thetaPlus: number;
  readonly clampedUntil: number;
  readonly armedAfter: number;
  readonly dtOverTauMem: number;
  readonly leakDecay: number;
}

export function populationConstants(p: ConductanceLifParams, dt: number): PopulationConstants {
  const euler = p.method === "euler";
  return Object.freeze({
    euler,
    vRest: p.vRest,
    vReset: p.vReset,
    vThreshold: p.vThreshold,
    eExc: p.eExc,
    eInh: p.eInh,
    thetaOffset: p.thetaOffset,
    dt,
    decayGe: euler ? 1 - dt / p.tauGe : Math.exp(-dt / p.tauGe),
    decayGi: euler ? 1 - dt / p.tauGi : Math.exp(-dt / p.tauGi),
    decayTheta: p.freezeTheta ? 1 : euler ? 1 - dt / p.tauTheta : Math.exp(-dt / p.tauTheta),
    thetaPlus: p.freezeTheta ? 0 : p.thetaPlus,
    clampedUntil: p.tRef + 0.5 * dt,
    armedAfter: Math.max(p.tRef, p.thresholdHoldoff) + 0.5 * dt,
    dtOverTauMem: dt / p.tauMem,
    leakDecay: Math.exp(-dt / p.tauMem),
  });
}

/**
 * `conductanceLifStep` for the neurons `indices[0 … size − 1]`, without its per-call checks and
 * with its constants precomputed: the same arithmetic in the same order (a test compares the two
 * bit for bit). Calling Math.exp for the constants inside the step made V8 compile the neuron loop
 * about 4× slower, hence the split. Writes the neurons that fired into `fired`; returns their number.
 */
export function stepPopulation(
  input: Float32Array, state: ConductanceLifState, c: PopulationConstants, indices: Int32Array, size: number, fired: Int32Array,
): number {
  const { v, ge, gi, theta, timer } = state;
  const { euler, vRest, vReset, vThreshold, eExc, eInh, thetaOffset, dt, decayGe, decayGi, decayTheta } = c;
  const { thetaPlus, clampedUntil, armedAfter, dtOverTauMem, leakDecay } = c;
  let count = 0;
  for (let a = 0; a < size; a++) {
    const k = indices[a]!;
    const gE = ge[k]! + input[k]!;
    const gI = gi[k]!;
    const t = timer[k]! + dt;
    let vk = v[k]!;
    if (t < clampedUntil) {
      vk = vReset;
    } else if (euler) {
      vk += dtOverTauMem * (vRest - vk + gE * (eExc - vk) + gI * (eInh - vk));
    } else if (gE === 0 && gI === 0) {
      vk = vRest + (vk - vRest) * leakDecay;
    } else {
      const gTotal = 1 + gE + gI;
      const vInf = (vRest + gE * eExc + gI * eInh) / gTotal;
      vk = vInf + (vk - vInf) * Math.exp(-dtOverTauMem * gTotal);
    }
    ge[k] = gE * decayGe;
    gi[k] = gI * decayGi;
    let th = theta[k]! * decayTheta;
    if (vk > vThreshold + th - thetaOffset && t > armedAfter) {
      vk = vReset;
      th += thetaPlus;
      timer[k] = 0;
      fired[count++] = k;
    } else {
      timer[k] = t;
    }
    theta[k] = th;
    v[k] = vk;
  }
  return count;
}
