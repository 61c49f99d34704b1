import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  F64, I32, V128, compileWasm, f64x2, instantiateWasm, layout, local, set, v128, wasmFunction, wasmModule, wasmSimdAvailable,
  whileLoop, i32,
} from "../../src/models/wasm-assembler";

describe("wasm assembler", () => {
  it("wasmSimdAvailable() is true on Node ≥ 16", () => {
    assert.equal(wasmSimdAvailable(), true);
  });

  it("wasmModule(...) builds a SIMD loop that runs: x ← a·x + b over float64 pairs", () => {
    // params: 0 offset, 1 pairs, 2 a, 3 b; locals: 4 i, 5 end, 6 A, 7 B
    const at = i32.add(local(0), i32.shl(local(4), i32.constant(3)));
    const body = [
      ...set(6, f64x2.splat(local(2))),
      ...set(7, f64x2.splat(local(3))),
      ...set(5, i32.shl(local(1), i32.constant(1))),
      ...whileLoop(i32.ltU(local(4), local(5)), [
        ...v128.store(at, f64x2.add(f64x2.mul(v128.load(at), local(6)), local(7))),
        ...set(4, i32.add(local(4), i32.constant(2))),
      ]),
    ];
    const fn = wasmFunction({ params: [I32, I32, F64, F64], results: [], locals: [I32, I32, V128, V128] }, body);
    const { offsets, pages } = layout([8 * 6]);
    const { memory, exports } = instantiateWasm(compileWasm(wasmModule({ memoryPages: 1, functions: [{ name: "axpb", fn }] })), pages);
    const x = new Float64Array(memory.buffer, offsets[0], 6);
    x.set([1, 2, 3, 4, 5, 6]);
    (exports.axpb as (...args: number[]) => void)(offsets[0], 3, 2, 0.5);
    assert.deepEqual(Array.from(x), [2.5, 4.5, 6.5, 8.5, 10.5, 12.5]);
  });
});
