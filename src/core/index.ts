export * as units from "./units";
export { ms, second, us, mV, volt, nA, pA, uA, Mohm, Gohm, nF, pF, uS, nS, Hz, kHz, toHz, fromHz, EPS32 } from "./units";
export { createRng, isRng, checkRng, logFactorial } from "./random";
export type { Rng, RngState } from "./random";
export {
  SnnlabError, fail, describe, finite, positive, nonNegative, integer, inRange, probability, oneOf,
  lengthIs, allFinite, mergeOptions,
} from "./validate";
export { filled, sum, mean, variance, argmax, range } from "./typed";
