/**
 * Learner snapshots: the whole state of a learner (weights, optimiser moments, generator
 * positions, position in the epoch sequence) as named tensors plus JSON, and its file format.
 * A learner restored from a snapshot continues bit for bit like the one that was saved.
 *
 * File format "snnlab-learner", version 1: a safetensors file (src/io/safetensors.ts; Python reads
 * it with `safetensors` or a dozen lines of numpy) whose tensors are the learner's, by name, and
 * whose string metadata holds
 *
 *   format       "snnlab-learner"
 *   version      "1"
 *   learner      the learner's name, e.g. "herdingMlp"; only a learner of that name restores it
 *   samplesSeen  decimal integer: the position in the epoch sequence where training continues
 *   config       JSON object: the settings a learner must have to take the snapshot (compared
 *                key by key on restore: layer sizes, time steps, η, …)
 *   state        JSON object: the rest of the state (generator positions as `RngState`
 *                {generator, seed, words, spareNormal}, seeds of epoch orders, …)
 *
 * JSON is written with sorted keys, and non-finite numbers as the strings "Infinity", "-Infinity"
 * and "NaN", so equal snapshots give equal bytes. Tensors and JSON keys per learner:
 *
 *   herdingMlp   weights.l            F32 [n_l, n_{l+1}]   l = 0 … L−1 (input index first)
 *                backwardResidual.l   F64 [n_{l+1}]        l = 0 … L−2: the residuals of the backward
 *                                                          quantisers of hidden layers 1 … L−1
 *                config {kind, sizes, steps, learningRate, update}; state {}
 *   reluMlp      weights.l            F32 [n_l, n_{l+1}]
 *                config {kind, sizes, learningRate}; state {}
 *   erbpNetwork  weights.l            F32 [n_l, n_{l+1}]   presynaptic-major
 *                feedback.l           F32 [classes, n_{l+1}]  fixed feedback of hidden layer l + 1
 *                blankout             U8 [65536 + max(sizes)]  the blank-out table (transmission < 1 only)
 *                config: every option but rng, initialWeights and feedback
 *                state {shuffleSeed, stimulus: RngState, blankout?: RngState}
 *   membraneBackpropNetwork
 *                layers.I.weight      F32 (dense [in, out], conv [k, k, in, out]); I: the layer's index
 *                layers.I.bias        F32 [out]
 *                optimizer.…          Adam's state (below)
 *                config: every option but rng
 *                state {orderSeed, inputSeed, evalSeed, batches, history, pending: [row], optimizer}
 *   trainer (createTrainer)
 *                layers.I.weight, layers.I.bias, layers.I.gamma, layers.I.beta   F32, the model's variables
 *                layers.I.runningMean, layers.I.runningVar                        F32, batch-norm statistics
 *                feedback.layers.I, directFeedback.layers.I    F32, fixed feedback (checked, never replaced)
 *                optimizer.…          the optimiser's state (below)
 *                config: every option but rng, and the model {input, steps, feedback, layers}
 *                state {orderSeed, encoding: RngState, evaluation: RngState, steps, pending: [row],
 *                       history, layerAngles, trainStats?: [{mean, sd}], optimizer}
 *
 *   lstmLearner  lstm.kernel F32 [inputs, 4H], lstm.recurrentKernel F32 [H, 4H], lstm.bias F32 [4H]
 *                (gates i, f, c, o), dense.kernel F32 [H, outputs], dense.bias F32 [outputs],
 *                optimizer.… Adam's state (below)
 *                config {inputSize, hiddenSize, outputs, kind, learningRate, batchSize}
 *                state {orderSeed, optimizer}
 *
 *   optimiser state (training/optimizer-state.ts): optimizer.<slot>.<variable's name> F32, slots
 *   m and v (Adam), accumulation (momentum), meanSquare, moment, meanGrad (RMSProp); Adam's
 *   optimizer.beta1Power and optimizer.beta2Power F32 []; state.optimizer {kind, iterations, slots}.
 *
 * Neuron state that every sample resets (membranes, traces) is not saved.
 *
 * @example
 *   saveSnapshot("run.safetensors", net.snapshot());              // atomic: the old file or the new one
 *   const fresh = herdingMlp({ sizes, rng: createRng(1) });
 *   fresh.restore(loadSnapshot("run.safetensors"));               // continues where net stood
 *   // Python: from safetensors import safe_open; f = safe_open("run.safetensors", "np")
 *   //         json.loads(f.metadata()["state"]); f.get_tensor("weights.0")
 */
import fs from "node:fs";
import { createRng, type RngState } from "../core/random";
import { describe, fail, SnnlabError } from "../core/validate";
import { writeFileAtomic } from "../io/atomic-write";
import { decodeSafetensors, encodeSafetensors, type SafetensorsData, type SafetensorsDtype, type StoredTensor } from "../io/safetensors";

/** A JSON value (finite numbers; non-finite ones are written as strings by `toJson`). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** The whole state of a learner (file header). */
export interface LearnerSnapshot {
  /** The learner that wrote it, e.g. "herdingMlp". */
  readonly learner: string;
  /** Position in the epoch sequence: samples trained so far. */
  readonly samplesSeen: number;
  /** Settings a learner must have to take the snapshot. */
  readonly config: JsonObject;
  /** The rest of the state as JSON (generator positions, seeds). */
  readonly state: JsonObject;
  /** Weights and other arrays, by name. */
  readonly tensors: Readonly<Record<string, StoredTensor>>;
}

/** The format name and version written into every snapshot file. */
export const snapshotFormat = Object.freeze({ format: "snnlab-learner", version: "1" });

/**
 * `value` as JSON data: ±Infinity and NaN become the strings "Infinity", "-Infinity", "NaN";
 * undefined and function-valued fields are dropped; typed arrays become arrays; nested objects and
 * arrays are copied.
 *
 * @example
 *   toJson({ bound: Infinity, sizes: [2, 3] });   // { bound: "Infinity", sizes: [2, 3] }
 */
export function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<unknown>, (v) => toJson(v));
  if (typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    // Functions are behaviour, not state: a surrogate {name, params, smooth, derivative} keeps its name and parameters.
    for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== "function") out[k] = toJson(v);
    return out;
  }
  fail("toJson", "value", "be JSON data (numbers, strings, booleans, null, arrays, objects)", value);
}

/** JSON text with object keys sorted at every level: equal values give equal text. */
export function stableJson(value: JsonValue): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

/** `fail` with a value already described in words (not quoted, not shortened). */
function failText(fn: string, param: string, rule: string, text: string): never {
  const err = new SnnlabError(fn, param, rule, undefined);
  err.message = `${fn}: ${param} must ${rule}, got ${text}`;
  throw err;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Checks the shape of a snapshot object (not its learner); throws `fn: param must …`. */
function checkShape(fn: string, param: string, s: unknown): LearnerSnapshot {
  if (!isObject(s)) fail(fn, param, "be a learner snapshot {learner, samplesSeen, config, state, tensors} (learner.snapshot())", s);
  if (typeof s.learner !== "string" || s.learner.length === 0) fail(fn, `${param}.learner`, "be the learner's name", s.learner);
  if (!Number.isSafeInteger(s.samplesSeen) || (s.samplesSeen as number) < 0) fail(fn, `${param}.samplesSeen`, "be an integer >= 0", s.samplesSeen);
  if (!isObject(s.config)) fail(fn, `${param}.config`, "be a JSON object", s.config);
  if (!isObject(s.state)) fail(fn, `${param}.state`, "be a JSON object", s.state);
  if (!isObject(s.tensors)) fail(fn, `${param}.tensors`, "be an object of named tensors", s.tensors);
  return s as unknown as LearnerSnapshot;
}

/**
 * Builds a snapshot (for learners): config and state go through `toJson`; the tensors are taken
 * as given (pass copies).
 */
export function makeSnapshot(learner: string, samplesSeen: number, config: object, state: object, tensors: Record<string, StoredTensor>): LearnerSnapshot {
  return Object.freeze({
    learner, samplesSeen, config: toJson(config) as JsonObject, state: toJson(state) as JsonObject, tensors: Object.freeze({ ...tensors }),
  });
}

/**
 * A snapshot as the bytes of a "snnlab-learner" safetensors file (file header). Equal snapshots
 * give equal bytes.
 *
 * @example
 *   const bytes = encodeSnapshot(net.snapshot());
 *   decodeSnapshot(bytes).samplesSeen === net.samplesSeen;   // true
 */
export function encodeSnapshot(snapshot: LearnerSnapshot): Uint8Array {
  const s = checkShape("encodeSnapshot", "snapshot", snapshot);
  return encodeSafetensors(s.tensors, {
    ...snapshotFormat, learner: s.learner, samplesSeen: String(s.samplesSeen), config: stableJson(s.config), state: stableJson(s.state),
  });
}

/**
 * Reads the bytes of a snapshot file. Bytes that are not safetensors, are cut short, or hold
 * another format or version get one error naming what is wrong.
 *
 * @example
 *   fresh.restore(decodeSnapshot(fs.readFileSync("net.safetensors")));
 */
export function decodeSnapshot(bytes: Uint8Array): LearnerSnapshot {
  const fn = "decodeSnapshot";
  let file;
  try {
    file = decodeSafetensors(bytes);
  } catch (err) {
    failText(fn, "bytes", `be a ${snapshotFormat.format} snapshot file (safetensors)`, `bytes that safetensors rejects (${(err as Error).message})`);
  }
  const m = file.metadata;
  if (m.format !== snapshotFormat.format || m.version !== snapshotFormat.version) {
    failText(fn, "bytes", `be a ${snapshotFormat.format} snapshot, version ${snapshotFormat.version}`, `format ${describe(m.format ?? null)}, version ${describe(m.version ?? null)}`);
  }
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(m[key] ?? "");
    } catch {
      return fail(fn, `metadata.${key}`, "be JSON", m[key] ?? null);
    }
  };
  const samplesSeen = /^\d+$/.test(m.samplesSeen ?? "") ? Number(m.samplesSeen) : Number.NaN;
  return Object.freeze(checkShape(fn, "snapshot", { learner: m.learner, samplesSeen, config: parse("config"), state: parse("state"), tensors: Object.freeze({ ...file.tensors }) }));
}

/**
 * Writes `snapshot` to `file` atomically (a temporary file and a rename: readers see the old file
 * or the new one, never half of one). The folder must exist.
 *
 * @example
 *   fit(net, train, { epochs: 10, checkpoint: { save: (s) => saveSnapshot("net.safetensors", s) } });
 */
export function saveSnapshot(file: string, snapshot: LearnerSnapshot): void {
  if (typeof file !== "string" || file.length === 0) fail("saveSnapshot", "file", "be a file name", file);
  writeFileAtomic(file, encodeSnapshot(snapshot));
}

/**
 * Reads a snapshot file written by `saveSnapshot`.
 *
 * @example
 *   const net = erbpNetwork({ ...options, rng: createRng(1) });
 *   net.restore(loadSnapshot("erbp.safetensors"));
 *   await fit(net, train, { epochs: 16 });   // finishes the interrupted 16-epoch run
 */
export function loadSnapshot(file: string): LearnerSnapshot {
  if (typeof file !== "string" || !fs.existsSync(file)) fail("loadSnapshot", "file", "be an existing snapshot file", file);
  return decodeSnapshot(new Uint8Array(fs.readFileSync(file)));
}

/** What `readSnapshot` gives a learner's `restore`: checked pieces of a snapshot. */
export interface SnapshotReader {
  readonly samplesSeen: number;
  readonly state: JsonObject;
  /** Tensor `name`, checked to be `dtype` of `shape`. */
  tensor(name: string, dtype: SafetensorsDtype, shape: readonly number[]): SafetensorsData;
  /** The generator state at `state[key]`, checked. */
  rng(key: string): RngState;
  /** The integer at `state[key]`, checked to lie in [min, max]. */
  integer(key: string, min: number, max: number): number;
  /** The list of `length` integers ≥ 0 at `state[key]` (per-layer sample counts). */
  counts(key: string, length: number): number[];
  /**
   * The list of objects at `state[key]` (a history), each with the number fields `numbers`
   * (non-finite ones as `toJson` wrote them) and the string fields `strings`; a field in
   * `optional` may be missing. Other fields are dropped.
   */
  rows(key: string, numbers: readonly string[], strings?: readonly string[], optional?: readonly string[]): Record<string, number | string>[];
  /** Fails if the snapshot holds a tensor that was not read (a snapshot of another kind of network). */
  done(): void;
}

/** A number as `toJson` writes it: finite numbers as they are, the others as "NaN", "Infinity", "-Infinity". */
function jsonNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (v === "NaN" || v === "Infinity" || v === "-Infinity") return Number(v);
  return undefined;
}

/** The first key at which two JSON objects differ, with both values; "" when equal. */
function firstDifference(saved: JsonObject, wanted: JsonObject): string {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(wanted)])].sort();
  for (const k of keys) {
    const a = saved[k] === undefined ? "(none)" : stableJson(saved[k]!);
    const b = wanted[k] === undefined ? "(none)" : stableJson(wanted[k]!);
    if (a !== b) return `${k}: ${b} here, ${a} in the snapshot`;
  }
  return "";
}

/**
 * Checks a snapshot for the `restore` of learner `learner` with settings `config` (its name, its
 * settings, its shape) and returns a reader of its parts. A learner reads and checks every part
 * before it changes anything, so a rejected snapshot leaves it as it was.
 */
export function readSnapshot(fn: string, snapshot: unknown, learner: string, config: object): SnapshotReader {
  const s = checkShape(fn, "snapshot", snapshot);
  if (s.learner !== learner) fail(fn, "snapshot.learner", `be "${learner}" (a snapshot of another learner cannot be restored here)`, s.learner);
  const difference = firstDifference(s.config, toJson(config) as JsonObject);
  if (difference) failText(fn, "snapshot.config", "match this learner's settings", difference);
  const read = new Set<string>();
  return {
    samplesSeen: s.samplesSeen,
    state: s.state,
    tensor(name, dtype, shape) {
      read.add(name);
      const t = s.tensors[name];
      const want = `a tensor of dtype ${dtype} and shape [${shape.join(", ")}]`;
      if (!t || typeof t !== "object") fail(fn, `snapshot.tensors["${name}"]`, `be ${want}`, t);
      const size = shape.reduce((a, b) => a * b, 1);
      const ok = t.dtype === dtype && Array.isArray(t.shape) && t.shape.join(",") === shape.join(",") &&
        ArrayBuffer.isView(t.data) && (t.data as SafetensorsData).length === size && t.data.constructor === { F64: Float64Array, F32: Float32Array, I32: Int32Array, U8: Uint8Array }[dtype];
      if (!ok) failText(fn, `snapshot.tensors["${name}"]`, `be ${want}`, `${describe(t.dtype)} [${Array.isArray(t.shape) ? t.shape.join(", ") : describe(t.shape)}]`);
      return t.data;
    },
    rng(key) {
      const v = s.state[key];
      try {
        createRng(0).restore(v as unknown as RngState);
      } catch (err) {
        failText(fn, `snapshot.state.${key}`, "be a generator state (rng.state())", (err as Error).message);
      }
      return v as unknown as RngState;
    },
    integer(key, min, max) {
      const v = s.state[key];
      if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) fail(fn, `snapshot.state.${key}`, `be an integer in [${min}, ${max}]`, v);
      return v as number;
    },
    counts(key, length) {
      const v = s.state[key];
      if (!Array.isArray(v) || v.length !== length || !v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) {
        fail(fn, `snapshot.state.${key}`, `be ${length} integers >= 0`, v);
      }
      return [...(v as number[])];
    },
    rows(key, numbers, strings = [], optional = []) {
      const v = s.state[key];
      const rule = `be a list of {${[...numbers, ...strings].join(", ")}}`;
      if (!Array.isArray(v)) fail(fn, `snapshot.state.${key}`, rule, v);
      return v.map((row, i) => {
        if (!isObject(row)) fail(fn, `snapshot.state.${key}[${i}]`, rule, row);
        const out: Record<string, number | string> = {};
        for (const f of [...numbers, ...strings]) {
          if (row[f] === undefined && optional.includes(f)) continue;
          const x = numbers.includes(f) ? jsonNumber(row[f]) : typeof row[f] === "string" ? (row[f] as string) : undefined;
          if (x === undefined) fail(fn, `snapshot.state.${key}[${i}].${f}`, numbers.includes(f) ? "be a number" : "be a string", row[f]);
          out[f] = x;
        }
        return out;
      });
    },
    done() {
      const extra = Object.keys(s.tensors).filter((name) => !read.has(name));
      if (extra.length > 0) failText(fn, "snapshot.tensors", `hold only this learner's tensors (${[...read].sort().join(", ")})`, `also ${extra.join(", ")}`);
    },
  };
}
