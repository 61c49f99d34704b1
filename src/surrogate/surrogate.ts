/**
 * Surrogate gradients: a spike is the Heaviside step S = H(x) of x = v − θ, whose derivative is
 * zero everywhere except at x = 0, where it does not exist (review Eq. 3, problem 1). Training
 * keeps the step in the forward pass and, in the backward pass, uses the derivative σ′(x) of a
 * smooth function σ that stands in for it (Neftci, Mostafa & Zenke 2019; snnTorch's
 * `surrogate.py`). Each surrogate here is a value with two plain scalar functions,
 *
 *   smooth(x)      σ(x), the function whose slope is borrowed (σ(−∞) = 0, σ(+∞) = 1 where bounded)
 *   derivative(x)  σ′(x), what the backward pass multiplies by
 *
 * so the derivative is testable without tf.js against finite differences of `smooth`. The tf op
 * is built from the same scalar function (`spikeFn` in spike-fn.ts, and the fused scan of
 * layers/lif-layer.ts).
 *
 *   fastSigmoid({slope k})   σ(x) = x/(1 + k|x|),                σ′ = 1/(1 + k|x|)²
 *   atan({alpha α})          σ(x) = ½ + arctan(πα x/2)/π,         σ′ = (α/2)/(1 + (πα x/2)²)
 *   sigmoid({slope k})       σ(x) = 1/(1 + e^{−kx}),               σ′ = k·σ(x)·(1 − σ(x))
 *   triangle({width w})      σ′ = max(0, 1 − |x|/w)/w  (area 1),   σ its integral
 *   boxcar({width w})        σ′ = 1/w on |x| < w/2, else 0 (area 1; eRBP's Θ), σ a clipped ramp
 *   straightThrough()        σ′ = 1 (Bengio et al. 2013), σ(x) = x
 *
 * The fast sigmoid is SuperSpike's (Zenke & Ganguli 2018) as snnTorch writes it: σ′ peaks at 1
 * whatever the slope, so `slope: 25` matches snnTorch's default. Its σ is the odd "fast sigmoid"
 * x/(1 + k|x|) (bounded by ±1/k rather than 0 and 1), the function that σ′ is exactly the slope of.
 *
 * @example
 *   const s = fastSigmoid({ slope: 25 });
 *   s.derivative(0);     // 1
 *   s.derivative(0.1);   // 1 / 3.5² ≈ 0.0816
 */
import { fail, mergeOptions, oneOf, positive } from "../core/validate";

/** The surrogate families. */
export const surrogateNames = ["fast-sigmoid", "atan", "sigmoid", "triangle", "boxcar", "straight-through"] as const;
export type SurrogateName = (typeof surrogateNames)[number];

/** A surrogate: the smooth stand-in σ and its derivative σ′, both of x = v − θ. */
export interface Surrogate {
  /** One of `surrogateNames`, or the name given to `customSurrogate`. */
  readonly name: SurrogateName | (string & {});
  /** The parameters it was built with (slope, alpha or width). */
  readonly params: Readonly<Record<string, number>>;
  /** σ(x), the smooth function whose slope the backward pass borrows. */
  readonly smooth: (x: number) => number;
  /** σ′(x), the pseudo-derivative of the spike H(x). Never negative. */
  readonly derivative: (x: number) => number;
}

/**
 * Fast sigmoid (SuperSpike; snnTorch's default slope 25): σ′(x) = 1/(1 + k|x|)².
 *
 * @example
 *   fastSigmoid({ slope: 25 }).derivative(0); // 1
 */
export function fastSigmoid(options: { slope?: number } = {}): Surrogate {
  const { slope } = mergeOptions("fastSigmoid", { slope: 25 }, options);
  const k = positive("fastSigmoid", "slope", slope);
  return Object.freeze({
    name: "fast-sigmoid" as const,
    params: Object.freeze({ slope: k }),
    smooth: (x: number) => x / (1 + k * Math.abs(x)),
    derivative: (x: number) => {
      const d = 1 + k * Math.abs(x);
      return 1 / (d * d);
    },
  });
}

/**
 * Arctangent (Fang et al. 2021; snnTorch's `ATan`, the default of its `Leaky`, α = 2):
 * σ(x) = ½ + arctan(πα x/2)/π, σ′(x) = (α/2)/(1 + (πα x/2)²).
 *
 * @example
 *   atan({ alpha: 2 }).derivative(0); // 1
 */
export function atan(options: { alpha?: number } = {}): Surrogate {
  const { alpha } = mergeOptions("atan", { alpha: 2 }, options);
  const a = positive("atan", "alpha", alpha);
  const c = (Math.PI * a) / 2;
  return Object.freeze({
    name: "atan" as const,
    params: Object.freeze({ alpha: a }),
    smooth: (x: number) => 0.5 + Math.atan(c * x) / Math.PI,
    derivative: (x: number) => (a / 2) / (1 + (c * x) * (c * x)),
  });
}

/**
 * Logistic sigmoid of slope k (snnTorch's `sigmoid`, default 25): σ′(x) = k·σ(kx)·(1 − σ(kx)).
 *
 * @example
 *   sigmoid({ slope: 4 }).derivative(0); // 1
 */
export function sigmoid(options: { slope?: number } = {}): Surrogate {
  const { slope } = mergeOptions("sigmoid", { slope: 25 }, options);
  const k = positive("sigmoid", "slope", slope);
  const f = (x: number) => 1 / (1 + Math.exp(-k * x));
  return Object.freeze({
    name: "sigmoid" as const,
    params: Object.freeze({ slope: k }),
    smooth: f,
    derivative: (x: number) => {
      const s = f(x);
      return k * s * (1 - s);
    },
  });
}

/**
 * Triangle of half-width w and area 1 (Esser et al. 2016; Bellec et al. 2018):
 * σ′(x) = max(0, 1 − |x|/w)/w; σ is its integral, 0 below −w and 1 above w.
 *
 * @example
 *   triangle({ width: 1 }).derivative(0.5); // 0.5
 */
export function triangle(options: { width?: number } = {}): Surrogate {
  const { width } = mergeOptions("triangle", { width: 1 }, options);
  const w = positive("triangle", "width", width);
  return Object.freeze({
    name: "triangle" as const,
    params: Object.freeze({ width: w }),
    smooth: (x: number) => {
      if (x <= -w) return 0;
      if (x >= w) return 1;
      const r = x / w;
      return x <= 0 ? 0.5 * (1 + r) * (1 + r) : 1 - 0.5 * (1 - r) * (1 - r);
    },
    derivative: (x: number) => Math.max(0, 1 - Math.abs(x) / w) / w,
  });
}

/**
 * Boxcar of width w and area 1 (eRBP's Θ, Neftci et al. 2017): σ′(x) = 1/w for |x| < w/2, else
 * 0; σ is the ramp clipped to [0, 1].
 *
 * @example
 *   boxcar({ width: 1 }).derivative(0.4); // 1
 *   boxcar({ width: 1 }).derivative(0.6); // 0
 */
export function boxcar(options: { width?: number } = {}): Surrogate {
  const { width } = mergeOptions("boxcar", { width: 1 }, options);
  const w = positive("boxcar", "width", width);
  return Object.freeze({
    name: "boxcar" as const,
    params: Object.freeze({ width: w }),
    smooth: (x: number) => Math.min(1, Math.max(0, x / w + 0.5)),
    derivative: (x: number) => (Math.abs(x) < w / 2 ? 1 / w : 0),
  });
}

/**
 * Straight-through estimator (Bengio, Léonard & Courville 2013): the backward pass treats the
 * step as the identity, σ′ = 1.
 *
 * @example
 *   straightThrough().derivative(-3); // 1
 */
export function straightThrough(): Surrogate {
  return Object.freeze({
    name: "straight-through" as const,
    params: Object.freeze({}),
    smooth: (x: number) => x,
    derivative: (_x: number) => 1,
  });
}

/**
 * A surrogate of your own (for instance the spike's true derivative, 0 almost everywhere, to show
 * why training needs a surrogate): `derivative` is σ′, `smooth` the σ it is the slope of. Checked
 * once: both must be functions and σ′(0) a finite number ≥ 0.
 *
 * @example
 *   const exact = customSurrogate({ name: "true derivative", smooth: (x) => (x > 0 ? 1 : 0), derivative: () => 0 });
 *   leakyLayer({ surrogate: exact });
 */
export function customSurrogate(options: { name: string; smooth: (x: number) => number; derivative: (x: number) => number; params?: Readonly<Record<string, number>> }): Surrogate {
  const fn = "customSurrogate";
  const { name, smooth, derivative, params } = mergeOptions(fn, { name: "", smooth: undefined as unknown as (x: number) => number, derivative: undefined as unknown as (x: number) => number, params: {} as Readonly<Record<string, number>> }, options);
  if (typeof name !== "string" || name.trim() === "") fail(fn, "name", "be a non-empty string", name);
  if (typeof smooth !== "function") fail(fn, "smooth", "be a function of x", smooth);
  if (typeof derivative !== "function") fail(fn, "derivative", "be a function of x", derivative);
  const d0 = derivative(0);
  if (typeof d0 !== "number" || !Number.isFinite(d0) || d0 < 0) fail(fn, "derivative", "return a finite number >= 0 (at x = 0)", d0);
  if (params === null || typeof params !== "object") fail(fn, "params", "be an object of numbers", params);
  for (const [k, v] of Object.entries(params)) if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `params.${k}`, "be a finite number", v);
  return Object.freeze({ name, params: Object.freeze({ ...params }), smooth, derivative });
}

/**
 * A surrogate by name with default parameters, or a surrogate passed through (validated).
 *
 * @example
 *   surrogate("atan").params; // { alpha: 2 }
 */
export function surrogate(nameOrSurrogate: SurrogateName | Surrogate, fn = "surrogate", param = "surrogate"): Surrogate {
  if (typeof nameOrSurrogate === "object" && nameOrSurrogate !== null) {
    const s = nameOrSurrogate as Partial<Surrogate>;
    if (typeof s.derivative !== "function" || typeof s.smooth !== "function") {
      fail(fn, param, "be a surrogate (fastSigmoid(), atan(), …) or one of its names", nameOrSurrogate);
    }
    return nameOrSurrogate;
  }
  switch (oneOf(fn, param, nameOrSurrogate, surrogateNames)) {
    case "fast-sigmoid": return fastSigmoid();
    case "atan": return atan();
    case "sigmoid": return sigmoid();
    case "triangle": return triangle();
    case "boxcar": return boxcar();
    case "straight-through": return straightThrough();
  }
}

/** The true derivative of the spike H(x): 0 for x ≠ 0, undefined (NaN) at 0. */
export function heavisideDerivative(x: number): number {
  return x === 0 ? Number.NaN : 0;
}
