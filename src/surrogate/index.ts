/** Surrogate gradients: scalar pairs (σ, σ′) and the tf.js spike op built from them. */
export {
  surrogateNames, fastSigmoid, atan, sigmoid, triangle, boxcar, straightThrough, customSurrogate, surrogate, heavisideDerivative,
} from "./surrogate";
export type { Surrogate, SurrogateName } from "./surrogate";
export { spikeFn } from "./spike-fn";
