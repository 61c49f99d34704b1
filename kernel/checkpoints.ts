/**
 * Checkpoints of a notebook's slow training cell: `checkpoint(name, settings)` finds the file an
 * earlier full run saved (safetensors, `notebooks/checkpoints/NAME.safetensors`) and hands back its
 * tensors when it was trained with exactly these settings; otherwise the notebook trains and calls
 * `save`. The runner turns saving on (`SNNLAB_CHECKPOINT_SAVE=1`) and points quick and
 * parameterised runs at test-artifacts/, so that only a full run of the notebook itself writes the
 * checkpoints kept in the repository; a notebook opened in JupyterLab loads them and saves nothing.
 *
 * The file's metadata holds `snnlab.settings` (the JSON of `settings`, keys sorted), `snnlab.info`
 * (what the notebook wants to keep of the training run: timings, curves) and the format's name and
 * version, so Python reads it with `safetensors.numpy.load_file` and `json.loads`.
 */
import fs from "node:fs";
import path from "node:path";
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from "../src/io/index";
import { writeFileAtomic } from "../src/io/atomic-write";
import { SnnlabError } from "../src/core/validate";
import { repoRoot } from "./jupyter";

/** The folder of the checkpoints a notebook loads (and the runner saves). */
export const defaultCheckpointDir = path.join(repoRoot, "notebooks", "checkpoints");

const FORMAT = "snnlab-checkpoint";
const VERSION = "1";
const NAME_RE = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** JSON values that settings and info may hold. */
export type CheckpointValue = string | number | boolean | null | readonly CheckpointValue[] | { readonly [key: string]: CheckpointValue };

/** What `checkpoint` found, and the way to save after training. */
export interface Checkpoint {
  readonly name: string;
  readonly file: string;
  /** Whether a checkpoint with these settings was loaded (false: train, then `save`). */
  readonly loaded: boolean;
  /** The saved tensors (empty unless `loaded`). */
  readonly tensors: Readonly<Record<string, StoredTensor>>;
  /** The saved info (empty unless `loaded`). */
  readonly info: Readonly<Record<string, CheckpointValue>>;
  /** One sentence for the notebook: what was loaded, or why it trains. */
  readonly status: string;
  /** Saves the trained tensors and info when the runner asked for it; returns what it did, in one sentence. */
  save(tensors: Readonly<Record<string, StoredTensor>>, info?: Readonly<Record<string, CheckpointValue>>): string;
}

/** Options of `checkpoint`. */
export interface CheckpointOptions {
  /** Train even when a matching checkpoint exists (the notebooks' `retrain` parameter). */
  readonly retrain?: boolean;
  /** The folder (default: `SNNLAB_CHECKPOINTS`, else notebooks/checkpoints). */
  readonly dir?: string;
  /** Whether `save` writes (default: `SNNLAB_CHECKPOINT_SAVE` is "1", which the runner sets). */
  readonly save?: boolean;
}

/**
 * The library's standard error (`fn: param must rule, got found`), with `found` written out
 * already (as `DataFileError` does), so that a notebook catching `SnnlabError` catches these too.
 */
function checkpointError(fn: string, param: string, rule: string, found: string): SnnlabError {
  const error = new SnnlabError(fn, param, rule, found);
  error.message = `${fn}: ${param} must ${rule}, got ${found}`;
  return error;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

function checkJson(fn: string, param: string, value: unknown): void {
  const bad = (where: string, v: unknown): never => {
    throw checkpointError(fn, param, "hold only JSON values (strings, finite numbers, booleans, null, lists, objects)", `${where} = ${typeof v === "number" ? String(v) : typeof v}`);
  };
  const walk = (v: unknown, where: string): void => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) bad(where, v);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${where}[${i}]`));
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, x] of Object.entries(v as object)) walk(x, `${where}.${k}`);
      return;
    }
    bad(where, v);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw checkpointError(fn, param, "be an object", Array.isArray(value) ? "a list" : String(value));
  walk(value, param);
}

/** A checkpoint's path as messages show it: relative to the repository when inside it. */
function shownPath(file: string): string {
  const relative = path.relative(repoRoot, file);
  return relative.startsWith("..") ? file : relative.split(path.sep).join("/");
}

/** The file's tensors and metadata, checked to be this format and version; `hint` ends each rule. */
function decodeCheckpoint(fn: string, file: string, shown: string, hint: string): ReturnType<typeof decodeSafetensors> {
  let read;
  try {
    read = decodeSafetensors(new Uint8Array(fs.readFileSync(file)));
  } catch (err) {
    throw checkpointError(fn, `the file ${shown}`, `be a snnlab checkpoint${hint}`, (err as Error).message);
  }
  if (read.metadata.format !== FORMAT || read.metadata.version !== VERSION) {
    throw checkpointError(fn, `the file ${shown}`, `be a ${FORMAT} version ${VERSION}${hint}`, `format ${JSON.stringify(read.metadata.format ?? null)} version ${JSON.stringify(read.metadata.version ?? null)}`);
  }
  return read;
}

/** The first differing key of two settings objects, for the status sentence. */
function firstDifference(saved: Record<string, unknown>, wanted: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(wanted)])].sort();
  for (const k of keys) {
    const a = stableJson(saved[k]);
    const b = stableJson(wanted[k]);
    if (a !== b) return `${k}: saved ${a ?? "(none)"}, now ${b ?? "(none)"}`;
  }
  return "";
}

/**
 * Looks for checkpoint `name` trained with `settings`.
 * @example
 *   const saved = checkpoint("13-erbp/network", { sizes, epochs, trainSamples, seed }, { retrain });
 *   if (saved.loaded) net = erbpNetwork({ ...options, initialWeights: [saved.tensors.w0.data, …] });
 *   else { train(); saved.save({ w0: tensor(net.weights[0]) }, { minutes }); }
 */
export function checkpoint(name: string, settings: Readonly<Record<string, CheckpointValue>>, options: CheckpointOptions = {}): Checkpoint {
  const fn = "checkpoint";
  if (typeof name !== "string" || !NAME_RE.test(name)) throw checkpointError(fn, "name", "be lower-case words joined by - . _ and /", JSON.stringify(name));
  checkJson(fn, "settings", settings);
  const dir = options.dir ?? process.env.SNNLAB_CHECKPOINTS ?? defaultCheckpointDir;
  const saving = options.save ?? process.env.SNNLAB_CHECKPOINT_SAVE === "1";
  const file = path.join(dir, `${name}.safetensors`);
  const shown = shownPath(file);
  const wanted = JSON.parse(stableJson(settings)) as Record<string, unknown>;
  let loaded = false;
  let tensors: Record<string, StoredTensor> = {};
  let info: Record<string, CheckpointValue> = {};
  let status: string;
  if (options.retrain) status = `Training (retrain = true); ${shown} is not read.`;
  else if (!fs.existsSync(file)) status = `Training: no checkpoint at ${shown}.`;
  else {
    const read = decodeCheckpoint(fn, file, shown, " (delete it or set retrain = true)");
    const saved = JSON.parse(read.metadata.settings ?? "{}") as Record<string, unknown>;
    const difference = firstDifference(saved, wanted);
    if (difference) status = `Training: the checkpoint ${shown} was trained with other settings (${difference}).`;
    else {
      loaded = true;
      tensors = { ...read.tensors };
      info = JSON.parse(read.metadata.info ?? "{}") as Record<string, CheckpointValue>;
      status = `Loaded ${shown}, saved by an earlier full run with these settings (set retrain = true to train again).`;
    }
  }
  const save = (trained: Readonly<Record<string, StoredTensor>>, kept: Readonly<Record<string, CheckpointValue>> = {}): string => {
    checkJson("checkpoint.save", "info", kept);
    const bytes = encodeSafetensors(trained, { format: FORMAT, version: VERSION, name, settings: stableJson(settings), info: stableJson(kept) });
    if (!saving) return `Not saved: only the runner saves checkpoints (npm run notebooks), so ${shown} is unchanged.`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, bytes);
    return `Saved ${shown} (${(bytes.length / 1e6).toFixed(1)} MB); a later run with these settings loads it.`;
  };
  return { name, file, loaded, tensors, info, status, save };
}

/** A checkpoint read for its contents: tensors, the settings it was trained with, and its info. */
export interface StoredCheckpoint {
  readonly name: string;
  readonly file: string;
  readonly tensors: Readonly<Record<string, StoredTensor>>;
  readonly settings: Readonly<Record<string, CheckpointValue>>;
  readonly info: Readonly<Record<string, CheckpointValue>>;
}

/**
 * Reads checkpoint `name` as saved by another notebook's full run, whatever its settings (the
 * settings come back with it), from the repository's notebooks/checkpoints unless `dir` is given.
 * Notebook 21 takes the networks of the other notebooks this way, without training them again.
 * @example
 *   const fc = readCheckpoint("12-lee-membrane-backprop/fc");
 *   fc.settings.steps, fc.tensors
 */
export function readCheckpoint(name: string, options: { readonly dir?: string } = {}): StoredCheckpoint {
  const fn = "readCheckpoint";
  if (typeof name !== "string" || !NAME_RE.test(name)) throw checkpointError(fn, "name", "be lower-case words joined by - . _ and /", JSON.stringify(name));
  const file = path.join(options.dir ?? defaultCheckpointDir, `${name}.safetensors`);
  const shown = shownPath(file);
  if (!fs.existsSync(file)) throw checkpointError(fn, "name", "name a checkpoint saved by a full run (npm run notebooks -- NN)", `${JSON.stringify(name)}: no file ${shown}`);
  const read = decodeCheckpoint(fn, file, shown, "");
  return {
    name, file, tensors: { ...read.tensors },
    settings: JSON.parse(read.metadata.settings ?? "{}") as Record<string, CheckpointValue>,
    info: JSON.parse(read.metadata.info ?? "{}") as Record<string, CheckpointValue>,
  };
}
