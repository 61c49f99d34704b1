/**
 * A very small WebAssembly assembler, enough to write the inner loops of the hot neuron models
 * (`cuba-neuron.ts`, `traub-miles.ts`) as 128-bit SIMD kernels: JavaScript has no SIMD and no
 * way to drop bounds checks, so a tight JS loop over four Float32Arrays runs 4–5× slower than the
 * vectorised C++ that Brian2's standalone mode compiles, while the same loop in WebAssembly SIMD
 * matches it. Node ≥ 16 supports the SIMD proposal; `wasmSimdAvailable()` says whether this
 * engine does, and every model keeps a plain-JS loop with the same arithmetic as its fallback.
 *
 * Code is built as expression trees of byte arrays (a stack machine needs nothing more): an
 * operation is the concatenation of its operands' code and its opcode. Only what the kernels use
 * is here; opcodes follow the WebAssembly core and fixed-width SIMD specifications.
 *
 * @example
 *   const fn = wasmFunction({ params: [I32, F64], results: [F64], locals: [] },
 *     [...f64.mul(local(1), f64.constant(2))]);
 *   const bytes = wasmModule({ memoryPages: 1, functions: [{ name: "twice", fn }] });
 *   const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
 */

// The compile target's lib (ES2022, no DOM) has no WebAssembly types: declare the little used here.
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmCompiled;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: WasmCompiled, imports: { env: { memory: WasmMemory } }) => { readonly exports: Record<string, unknown> };
};

/** A compiled module (opaque). */
export interface WasmCompiled {
  readonly __brand?: "WebAssembly.Module";
}

/** A WebAssembly memory: its buffer backs the typed-array views of a kernel's state. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** Compiles module bytes (synchronously: the kernels are a few hundred bytes). */
export function compileWasm(bytes: Uint8Array): WasmCompiled {
  return new WebAssembly.Module(bytes);
}

/** A fresh memory of `pages` 64 KiB pages and an instance of `module` on it; returns both. */
export function instantiateWasm(module: WasmCompiled, pages: number): { readonly memory: WasmMemory; readonly exports: Record<string, unknown> } {
  const memory = new WebAssembly.Memory({ initial: pages });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { memory, exports: instance.exports };
}

/** WebAssembly value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** A piece of code: instruction bytes. */
export type Code = readonly number[];

function uleb(value: number): number[] {
  const out: number[] = [];
  let n = value >>> 0;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let n = value | 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...uleb(bytes.length), ...bytes];
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, bytes: readonly number[]): number[] {
  return [id, ...uleb(bytes.length), ...bytes];
}

const cat = (...parts: Code[]): Code => parts.flat();
const simd = (opcode: number): Code => [0xfd, ...uleb(opcode)];
const memarg = (align: number, offset: number): number[] => [...uleb(align), ...uleb(offset)];

/** Locals and control flow. */
export const local = (index: number): Code => [0x20, ...uleb(index)];
export const set = (index: number, value: Code): Code => cat(value, [0x21, ...uleb(index)]);
export const tee = (index: number, value: Code): Code => cat(value, [0x22, ...uleb(index)]);
/** `if (condition ≠ 0) { body }`. */
export const ifThen = (condition: Code, body: Code): Code => cat(condition, [0x04, 0x40], body, [0x0b]);
/** `block { loop { if (!condition) break; body; continue } }`: a while loop. */
export const whileLoop = (condition: Code, body: Code): Code =>
  cat([0x02, 0x40, 0x03, 0x40], condition, [0x45, 0x0d, 1], body, [0x0c, 0, 0x0b, 0x0b]);

/** 32-bit integers. */
export const i32 = {
  constant: (value: number): Code => [0x41, ...sleb(value)],
  add: (a: Code, b: Code): Code => cat(a, b, [0x6a]),
  sub: (a: Code, b: Code): Code => cat(a, b, [0x6b]),
  mul: (a: Code, b: Code): Code => cat(a, b, [0x6c]),
  and: (a: Code, b: Code): Code => cat(a, b, [0x71]),
  or: (a: Code, b: Code): Code => cat(a, b, [0x72]),
  shl: (a: Code, b: Code): Code => cat(a, b, [0x74]),
  shrU: (a: Code, b: Code): Code => cat(a, b, [0x76]),
  ltU: (a: Code, b: Code): Code => cat(a, b, [0x49]),
  popcnt: (a: Code): Code => cat(a, [0x69]),
  store16: (address: Code, value: Code): Code => cat(address, value, [0x3b, ...memarg(1, 0)]),
  store: (address: Code, value: Code, offset = 0): Code => cat(address, value, [0x36, ...memarg(2, offset)]),
  load: (address: Code, offset = 0): Code => cat(address, [0x28, ...memarg(2, offset)]),
  store8: (address: Code, value: Code, offset = 0): Code => cat(address, value, [0x3a, ...memarg(0, offset)]),
};

/** 64-bit floats (scalars). */
export const f64 = {
  constant: (value: number): Code => [0x44, ...new Uint8Array(new Float64Array([value]).buffer)],
  mul: (a: Code, b: Code): Code => cat(a, b, [0xa2]),
};

/** 32-bit floats (scalars). */
export const f32 = {
  constant: (value: number): Code => [0x43, ...new Uint8Array(new Float32Array([value]).buffer)],
};

/** 128-bit vectors: memory and bitwise operations. */
export const v128 = {
  load: (address: Code, offset = 0): Code => cat(address, simd(0x00), memarg(4, offset)),
  store: (address: Code, value: Code, offset = 0): Code => cat(address, value, simd(0x0b), memarg(4, offset)),
  load64Zero: (address: Code): Code => cat(address, simd(0x5d), memarg(3, 0)),
  /** Four lanes of the 32-bit value at address + offset. */
  load32Splat: (address: Code, offset = 0): Code => cat(address, simd(0x09), memarg(2, offset)),
  /** Two lanes of the 64-bit value at address + offset. */
  load64Splat: (address: Code, offset = 0): Code => cat(address, simd(0x0a), memarg(3, offset)),
  store64Lane0: (address: Code, value: Code): Code => cat(address, value, simd(0x5b), memarg(3, 0), [0]),
  store32Lane0: (address: Code, value: Code): Code => cat(address, value, simd(0x5a), memarg(2, 0), [0]),
  and: (a: Code, b: Code): Code => cat(a, b, simd(0x4e)),
  andNot: (a: Code, b: Code): Code => cat(a, b, simd(0x4f)),
  or: (a: Code, b: Code): Code => cat(a, b, simd(0x50)),
  not: (a: Code): Code => cat(a, simd(0x4d)),
  /** `mask ? a : b`, bit by bit. */
  select: (a: Code, b: Code, mask: Code): Code => cat(a, b, mask, simd(0x52)),
};

/** Four 32-bit floats. */
export const f32x4 = {
  splat: (scalar: Code): Code => cat(scalar, simd(0x13)),
  add: (a: Code, b: Code): Code => cat(a, b, simd(0xe4)),
  sub: (a: Code, b: Code): Code => cat(a, b, simd(0xe5)),
  mul: (a: Code, b: Code): Code => cat(a, b, simd(0xe6)),
  gt: (a: Code, b: Code): Code => cat(a, b, simd(0x44)),
  demote: (a: Code): Code => cat(a, simd(0x5e)),
};

/** Four 32-bit integers. */
export const i32x4 = {
  splat: (scalar: Code): Code => cat(scalar, simd(0x11)),
  bitmask: (a: Code): Code => cat(a, simd(0xa4)),
  /** Saturating narrowing of two i32x4 to one i16x8 (unsigned). */
  narrowToI16: (a: Code, b: Code): Code => cat(a, b, simd(0x86)),
  /** i32x4 from the two f64 lanes, truncated with saturation; lanes 2 and 3 are 0. */
  truncSatF64x2Zero: (a: Code): Code => cat(a, simd(0xfc)),
};

/** Sixteen 8-bit integers. */
export const i8x16 = {
  /** Saturating narrowing of two i16x8 to one i8x16 (unsigned). */
  narrowFromI16: (a: Code, b: Code): Code => cat(a, b, simd(0x66)),
};

/** Two 64-bit integers. */
export const i64x2 = {
  splat: (value: number): Code => cat([0x42, ...sleb(value)], simd(0x12)),
  extendLowI32x4: (a: Code): Code => cat(a, simd(0xc7)),
  add: (a: Code, b: Code): Code => cat(a, b, simd(0xce)),
  shl: (a: Code, shift: Code): Code => cat(a, shift, simd(0xcb)),
  bitmask: (a: Code): Code => cat(a, simd(0xc4)),
};

/** Two 64-bit floats. */
export const f64x2 = {
  splat: (scalar: Code): Code => cat(scalar, simd(0x14)),
  constant: (value: number): Code => f64x2.splat(f64.constant(value)),
  add: (a: Code, b: Code): Code => cat(a, b, simd(0xf0)),
  sub: (a: Code, b: Code): Code => cat(a, b, simd(0xf1)),
  mul: (a: Code, b: Code): Code => cat(a, b, simd(0xf2)),
  div: (a: Code, b: Code): Code => cat(a, b, simd(0xf3)),
  min: (a: Code, b: Code): Code => cat(a, b, simd(0xf4)),
  max: (a: Code, b: Code): Code => cat(a, b, simd(0xf5)),
  sqrt: (a: Code): Code => cat(a, simd(0xef)),
  abs: (a: Code): Code => cat(a, simd(0xec)),
  neg: (a: Code): Code => cat(a, simd(0xed)),
  nearest: (a: Code): Code => cat(a, simd(0x94)),
  eq: (a: Code, b: Code): Code => cat(a, b, simd(0x47)),
  lt: (a: Code, b: Code): Code => cat(a, b, simd(0x49)),
  gt: (a: Code, b: Code): Code => cat(a, b, simd(0x4a)),
  le: (a: Code, b: Code): Code => cat(a, b, simd(0x4b)),
  promoteLow: (a: Code): Code => cat(a, simd(0x5f)),
};

/** A function: its signature, its extra locals (after the parameters) and its body. */
export interface WasmFunction {
  readonly params: readonly number[];
  readonly results: readonly number[];
  readonly locals: readonly number[];
  readonly body: Code;
}

/** A function record (the body must leave the results on the stack). */
export function wasmFunction(signature: { params: readonly number[]; results: readonly number[]; locals: readonly number[] }, body: Code): WasmFunction {
  return { ...signature, body };
}

/** A module importing one memory as env.memory and exporting `functions` by name. */
export function wasmModule(spec: { readonly memoryPages: number; readonly functions: readonly { readonly name: string; readonly fn: WasmFunction }[] }): Uint8Array {
  const types = spec.functions.map(({ fn }) => [0x60, ...vector(fn.params.map((t) => [t])), ...vector(fn.results.map((t) => [t]))]);
  const bodies = spec.functions.map(({ fn }) => {
    const locals = vector(fn.locals.map((t) => [...uleb(1), t]));
    const code = [...locals, ...fn.body, 0x0b];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(spec.memoryPages)]])),
    ...section(3, vector(spec.functions.map((_, k) => uleb(k)))),
    ...section(7, vector(spec.functions.map(({ name: fnName }, k) => [...name(fnName), 0x00, ...uleb(k)]))),
    ...section(10, vector(bodies)),
  ]);
}

let simdSupport: boolean | undefined;

/** Whether this engine compiles WebAssembly fixed-width SIMD (checked once with a tiny module). */
export function wasmSimdAvailable(): boolean {
  if (simdSupport === undefined) {
    try {
      const fn = wasmFunction({ params: [], results: [V128], locals: [] }, f32x4.splat(f32.constant(1)));
      simdSupport = typeof WebAssembly === "object" && WebAssembly.validate(wasmModule({ memoryPages: 1, functions: [{ name: "probe", fn }] }));
    } catch {
      simdSupport = false;
    }
  }
  return simdSupport === true;
}

/** Bytes of a WebAssembly page. */
export const WASM_PAGE = 65536;

/** Packs arrays of the given byte sizes at 16-byte aligned offsets; returns the offsets and the pages needed. */
export function layout(sizes: readonly number[]): { readonly offsets: number[]; readonly pages: number } {
  const offsets: number[] = [];
  let at = 0;
  for (const size of sizes) {
    offsets.push(at);
    at += Math.ceil(size / 16) * 16;
  }
  return { offsets, pages: Math.max(1, Math.ceil(at / WASM_PAGE)) };
}
