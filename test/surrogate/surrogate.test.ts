import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  atan, boxcar, customSurrogate, fastSigmoid, heavisideDerivative, sigmoid, straightThrough, surrogate, surrogateNames, triangle,
  type Surrogate,
} from "../../src/surrogate/surrogate";
import { expectClose, expectError } from "../helpers/close";

/** Double precision unit roundoff. */
const EPS64 = 2 ** -52;
/** Finite-difference step: h²·|σ‴|/6 stays ≲ 1e-6 for the steepest family tested (sigmoid k = 25). */
const H = 1e-4;

/**
 * One family under test: the surrogate, a bound on |σ‴| over [x − h, x + h] (zero where σ′ is
 * piecewise linear), and the kinks of σ′ that a central difference must not straddle.
 */
interface Case {
  readonly s: Surrogate;
  readonly thirdDerivativeBound: (x: number, h: number) => number;
  readonly kinks: readonly number[];
}

const cases: readonly Case[] = [
  // σ′ = (1 + k|x|)^−2, σ‴ = 6k²(1 + k|x|)^−4 away from the kink of σ′ at 0.
  ...[1, 25].map((k) => ({
    s: fastSigmoid({ slope: k }),
    thirdDerivativeBound: (x: number, h: number) => 6 * k * k / (1 + k * Math.max(0, Math.abs(x) - h)) ** 4,
    kinks: [0],
  })),
  // σ′ = (α/2)·g(cx), g(y) = 1/(1 + y²), c = πα/2; |g″| ≤ 2, so |σ‴| ≤ α·c².
  ...[2, 0.5].map((a) => ({ s: atan({ alpha: a }), thirdDerivativeBound: () => a * (Math.PI * a / 2) ** 2, kinks: [] })),
  // σ = s(kx): σ‴ = k³·p(1 − 6p) with p = s(1 − s) ∈ (0, ¼], so |σ‴| ≤ k³/8.
  ...[4, 25].map((k) => ({ s: sigmoid({ slope: k }), thirdDerivativeBound: () => k ** 3 / 8, kinks: [] })),
  // σ′ piecewise linear (kinks at 0 and ±w): σ‴ = 0 between kinks.
  ...[1, 0.3].map((w) => ({ s: triangle({ width: w }), thirdDerivativeBound: () => 0, kinks: [-w, 0, w] })),
  // σ′ piecewise constant (jumps at ±w/2).
  ...[1, 0.5].map((w) => ({ s: boxcar({ width: w }), thirdDerivativeBound: () => 0, kinks: [-w / 2, w / 2] })),
  { s: straightThrough(), thirdDerivativeBound: () => 0, kinks: [] },
];

/** 801 points over [−2, 2], offset so that no point falls on 0 or a grid kink. */
function grid(): number[] {
  return Array.from({ length: 801 }, (_, i) => -2 + i * 0.005 + 0.0013);
}

describe("surrogate", () => {
  it("derivative(x) equals the central difference of smooth(x) for every family", () => {
    for (const { s, thirdDerivativeBound, kinks } of cases) {
      let checked = 0;
      for (const x of grid()) {
        if (kinks.some((k) => Math.abs(x - k) <= 2 * H)) continue;
        const xp = x + H;
        const xm = x - H;
        const fp = s.smooth(xp);
        const fm = s.smooth(xm);
        const span = xp - xm; // the step actually taken (x ± h rounds)
        const fd = (fp - fm) / span;
        // Truncation h²·|σ‴|/6, plus a few ulps of rounding in each σ evaluation divided by the step.
        const tol = (H * H * thirdDerivativeBound(x, H)) / 6 + (8 * EPS64 * (Math.abs(fp) + Math.abs(fm) + 1)) / span;
        expectClose(s.derivative(x), fd, { rtol: 0, atol: tol, message: `${s.name}(${JSON.stringify(s.params)}) at x = ${x}` });
        checked++;
      }
      assert.ok(checked > 700, `${s.name}: ${checked} points checked`);
    }
  });

  it("derivative(x) is never negative, far from 0 included", () => {
    const far = [-1e6, -50, -3, 3, 50, 1e6, Number.MAX_VALUE, -Number.MAX_VALUE];
    for (const { s } of cases) {
      for (const x of [...grid(), ...far, 0]) assert.ok(s.derivative(x) >= 0, `${s.name} at ${x}: ${s.derivative(x)}`);
    }
  });

  it("derivative(0) is the documented peak of each family", () => {
    assert.equal(fastSigmoid({ slope: 25 }).derivative(0), 1);
    assert.equal(fastSigmoid({ slope: 3 }).derivative(0), 1);
    assert.equal(atan({ alpha: 2 }).derivative(0), 1);
    assert.equal(atan({ alpha: 0.7 }).derivative(0), 0.35);
    assert.equal(sigmoid({ slope: 4 }).derivative(0), 1);
    assert.equal(sigmoid({ slope: 25 }).derivative(0), 25 / 4);
    assert.equal(triangle({ width: 1 }).derivative(0), 1);
    assert.equal(triangle({ width: 0.25 }).derivative(0), 4);
    assert.equal(boxcar({ width: 1 }).derivative(0), 1);
    assert.equal(boxcar({ width: 0.5 }).derivative(0), 2);
    assert.equal(straightThrough().derivative(0), 1);
    assert.equal(straightThrough().derivative(-7), 1);
    // Examples of the file header and TSDoc.
    expectClose(fastSigmoid({ slope: 25 }).derivative(0.1), 1 / 3.5 ** 2, { rtol: 4 * EPS64 });
    assert.equal(triangle({ width: 1 }).derivative(0.5), 0.5);
    assert.equal(boxcar({ width: 1 }).derivative(0.4), 1);
    assert.equal(boxcar({ width: 1 }).derivative(0.6), 0);
    // Fast sigmoid: the peak is 1 whatever the slope; the slope sets the width, σ′(1/k) = 1/4.
    assert.equal(fastSigmoid({ slope: 8 }).derivative(1 / 8), 0.25);
  });

  it("triangle and boxcar derivatives integrate to 1, and their smooth goes from 0 to 1", () => {
    for (const w of [1, 0.3, 2.5]) {
      const tri = triangle({ width: w });
      // Trapezoid rule with nodes on the kinks (−w, 0, w) is exact for a piecewise-linear σ′.
      const n = 1000;
      let area = 0;
      for (let i = 0; i < 3 * n; i++) {
        const a = -1.5 * w + (i * w) / n;
        const b = -1.5 * w + ((i + 1) * w) / n;
        area += ((tri.derivative(a) + tri.derivative(b)) / 2) * (b - a);
      }
      expectClose(area, 1, { rtol: 3 * n * 8 * EPS64, message: `triangle(${w}) area` }); // one rounding per term
      const box = boxcar({ width: w });
      // Midpoint rule with the jumps ±w/2 on cell edges is exact for a piecewise-constant σ′.
      let boxArea = 0;
      for (let i = 0; i < 2 * n; i++) boxArea += box.derivative(-w + ((i + 0.5) * w) / n) * (w / n);
      expectClose(boxArea, 1, { rtol: 2 * n * 8 * EPS64, message: `boxcar(${w}) area` });
      for (const s of [tri, box]) {
        assert.equal(s.smooth(-10 * w), 0);
        assert.equal(s.smooth(10 * w), 1);
        assert.equal(s.smooth(0), 0.5);
      }
    }
    // The bounded families also step from 0 to 1 (the Heaviside step they stand in for).
    for (const s of [atan({ alpha: 2 }), sigmoid({ slope: 25 })]) {
      expectClose(s.smooth(-1e9), 0, { atol: 1e-9 });
      expectClose(s.smooth(1e9), 1, { atol: 1e-9 });
      assert.equal(s.smooth(0), 0.5);
    }
  });

  it("surrogate(name) builds each family with its defaults and passes a surrogate through", () => {
    assert.deepEqual([...surrogateNames], ["fast-sigmoid", "atan", "sigmoid", "triangle", "boxcar", "straight-through"]);
    assert.deepEqual({ ...surrogate("fast-sigmoid").params }, { slope: 25 });
    assert.deepEqual({ ...surrogate("atan").params }, { alpha: 2 });
    assert.deepEqual({ ...surrogate("sigmoid").params }, { slope: 25 });
    assert.deepEqual({ ...surrogate("triangle").params }, { width: 1 });
    assert.deepEqual({ ...surrogate("boxcar").params }, { width: 1 });
    assert.deepEqual({ ...surrogate("straight-through").params }, {});
    for (const name of surrogateNames) assert.equal(surrogate(name).name, name);
    const s = atan({ alpha: 3 });
    assert.equal(surrogate(s), s);
    assert.ok(Object.isFrozen(s) && Object.isFrozen(s.params));
  });

  it("bad options throw the standard message", () => {
    expectError(() => fastSigmoid({ slope: -1 }), "fastSigmoid: slope must be a finite number > 0, got -1");
    expectError(() => atan({ alpha: Number.NaN }), "atan: alpha must be a finite number > 0, got NaN");
    expectError(() => sigmoid({ slope: 0 }), "sigmoid: slope must be a finite number > 0, got 0");
    expectError(() => triangle({ width: Infinity }), "triangle: width must be a finite number > 0, got Infinity");
    expectError(() => boxcar({ width: "1" as never }), 'boxcar: width must be a finite number > 0, got "1"');
    expectError(() => fastSigmoid({ alpha: 2 } as never), 'fastSigmoid: options must have only the keys slope, got "alpha"');
    expectError(() => surrogate("nope" as never),
      'surrogate: surrogate must be one of "fast-sigmoid", "atan", "sigmoid", "triangle", "boxcar", "straight-through", got "nope"');
    expectError(() => surrogate({ name: "atan" } as never),
      'surrogate: surrogate must be a surrogate (fastSigmoid(), atan(), …) or one of its names, got {"name":"atan"}');
  });

  it("customSurrogate({name, smooth, derivative}) wraps your own pair, frozen, and surrogate() passes it through", () => {
    const smooth = (x: number) => 1 / (1 + Math.exp(-4 * x));
    const derivative = (x: number) => 4 * smooth(x) * (1 - smooth(x));
    const s = customSurrogate({ name: "logistic 4", smooth, derivative, params: { slope: 4 } });
    assert.equal(s.name, "logistic 4");
    assert.deepEqual(s.params, { slope: 4 });
    assert.equal(s.derivative, derivative);
    assert.equal(s.smooth, smooth);
    assert.ok(Object.isFrozen(s) && Object.isFrozen(s.params));
    assert.equal(surrogate(s), s);
    assert.deepEqual(customSurrogate({ name: "zero", smooth: (x) => (x > 0 ? 1 : 0), derivative: () => 0 }).params, {});
  });

  it("customSurrogate rejects a bad name, missing functions, a σ′ that is negative or NaN at 0, and bad params", () => {
    const smooth = (x: number) => x;
    const derivative = () => 1;
    expectError(() => customSurrogate({ name: " ", smooth, derivative }), 'customSurrogate: name must be a non-empty string, got " "');
    expectError(() => customSurrogate({ name: "a", smooth: 1 as never, derivative }), "customSurrogate: smooth must be a function of x, got 1");
    expectError(() => customSurrogate({ name: "a", smooth } as never), "customSurrogate: derivative must be a function of x, got undefined");
    expectError(() => customSurrogate({ name: "a", smooth, derivative: () => -1 }), "customSurrogate: derivative must return a finite number >= 0 (at x = 0), got -1");
    expectError(() => customSurrogate({ name: "a", smooth, derivative: heavisideDerivative }), "customSurrogate: derivative must return a finite number >= 0 (at x = 0), got NaN");
    expectError(() => customSurrogate({ name: "a", smooth, derivative, params: { k: Number.NaN } }), "customSurrogate: params.k must be a finite number, got NaN");
    expectError(() => customSurrogate({ name: "a", smooth, derivative, slope: 2 } as never), 'customSurrogate: options must have only the keys name, smooth, derivative, params, got "slope"');
  });

  it("heavisideDerivative(x) is 0 away from 0 and undefined (NaN) at 0", () => {
    for (const x of [-3, -1e-30, 1e-30, 0.5, 1e9]) assert.equal(heavisideDerivative(x), 0);
    assert.ok(Number.isNaN(heavisideDerivative(0)));
    assert.ok(Number.isNaN(heavisideDerivative(-0)));
  });
});
