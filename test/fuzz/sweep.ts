/**
 * Every public function of `snnlab` and `snnlab/widgets`, enumerated from the pinned names
 * (test/api/exported-names.json) and grouped by the folder that exports it, is called with
 * generated argument lists: mostly bad values (NaN, ±Infinity, negatives, zeros, huge numbers,
 * wrong dtypes, strings, objects, null, undefined), sometimes plausible ones so that a call gets
 * past its first check. Each call must give a result or one house-shaped error within its budget.
 *
 * The calls run with the working directory in a fresh temporary folder, which must be empty
 * afterwards: a writer given a bad argument leaves no file, not even a partial one.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import * as lib from "../../src/index";
import * as widgets from "../../widgets/index";
import * as conversion from "../../src/conversion/index";
import * as core from "../../src/core/index";
import * as datasets from "../../src/datasets/index";
import * as encoders from "../../src/encoders/index";
import * as interop from "../../src/interop/index";
import * as io from "../../src/io/index";
import * as layers from "../../src/layers/index";
import * as learning from "../../src/learning/index";
import * as metrics from "../../src/metrics/index";
import * as models from "../../src/models/index";
import * as networkIndex from "../../src/network/index";
import * as neurons from "../../src/neurons/index";
import * as plasticity from "../../src/plasticity/index";
import * as surrogate from "../../src/surrogate/index";
import * as synapses from "../../src/synapses/index";
import * as training from "../../src/training/index";
import { initBackend } from "../../src/training/backend";
import { repoRoot } from "../../kernel/jupyter";
import { anyArgument, outcome, runs, show } from "./harness";

type AnyFunction = (...args: unknown[]) => unknown;

const folders: Record<string, object> = {
  core, datasets, io, learning, neurons, encoders, plasticity, surrogate, layers, training, conversion, metrics,
  synapses, network: networkIndex, models, interop,
};
/** Names that src/index.ts re-exports from a file rather than a folder index. */
const loose: Record<string, string> = { traceOf: "network", driveNeurons: "network", lifIntegrationError: "neurons" };

/**
 * Not swept here, with the reason: each is driven by a targeted property elsewhere in this suite,
 * or its whole job is a side effect on the process.
 */
const excluded: Record<string, string> = {
  initBackend: "switches the process's TensorFlow.js backend (a side effect on every later test)",
  loadMnist: "files.ts drives it with missing and corrupt folders (here a plausible split would load 60000 images)",
  loadFashionMnist: "files.ts drives it with missing and corrupt folders",
  loadNaturalImages: "options whose keys are undefined mean the defaults, which decode eight photographs (~0.3 s a call); test/datasets/patches.test.ts drives it with missing and corrupt PNG files",
  fail: "throws by design: its job is the error",
};

/**
 * Functions whose defaults run a whole model (seconds): `undefined` or `{}` is valid input for
 * them (the documented defaults), not bad input, so those two are not generated in their slots.
 */
const runsDefaults = new Set(["songStdp", "hodgkinHuxleyPopulation", "cubaNetwork", "izhikevichNetwork", "izhikevichNetworkBuild", "diehlCookTrain",
  "measureStdpWindow", "linearTeacherTask", "herdingMlp", "reluMlp", "erbpNetwork", "membraneBackpropNetwork", "tinyTrain", "pairingProtocol",
  "cuba", "diehlCookNetworkInit", "diehlCookInit"]);

const kernel = "an inner-loop kernel (per step, neuron or synapse) that trusts its caller; a check per call would sit in the hot loop: to be unexported (issue 17, item 5) or checked by its public callers";

/**
 * Known gaps: each property is marked todo with the reason (it still runs, and its failure shows
 * in the output without failing the suite). Remove an entry when its function is fixed.
 */
export const knownGaps: Record<string, string> = {
  potentiate: `potentiate(w, a, b) reads b.weightDependence of a non-object: ${kernel}`,
  depress: `depress(w, a, b) reads b.weightDependence of a non-object: ${kernel}`,
  clearRing: `clearRing(ring) with a non-ring: ${kernel}`,
  deliverRing: `deliverRing(ring, step, target) with a non-ring: ${kernel}`,
  markSlot: `markSlot(ring, step) with a non-ring: ${kernel}`,
  ringOffset: `ringOffset(ring, step) with a non-ring: ${kernel}`,
  delayedOffset: `delayedOffset(ring, step, delay) with a symbol or non-ring: ${kernel}`,
  perNeuronAt: `perNeuronAt(value, k) with null: ${kernel}`,
  exprel: `exprel(x) with a symbol (a TypeError from x * 1; strings and objects give NaN): ${kernel}`,
};

/** Runs per function: the sweep's share of the suite's ~60 s. */
const runsPerFunction = 600;

interface Entry { readonly module: string; readonly group: string; readonly name: string; readonly fn: AnyFunction }

function entries(): Entry[] {
  const pinned = JSON.parse(fs.readFileSync(path.join(repoRoot, "test", "api", "exported-names.json"), "utf8")) as Record<string, string[]>;
  const out: Entry[] = [];
  for (const [module, surface] of [["snnlab", lib], ["snnlab/widgets", widgets]] as const) {
    for (const name of pinned[module]!) {
      const value = (surface as Record<string, unknown>)[name];
      assert.ok(value !== undefined, `${module} no longer exports the pinned name ${name}`);
      if (typeof value !== "function" || /^[A-Z]/.test(name)) continue; // constants, records, error classes
      const group = module === "snnlab/widgets" ? "widgets"
        : loose[name] ?? Object.keys(folders).find((f) => name in (folders[f] as Record<string, unknown>)) ?? "(unknown)";
      out.push({ module, group, name, fn: value as AnyFunction });
    }
  }
  return out;
}

export const swept = entries();

/** The parameter names of a compiled function (its source keeps them). */
function parameterNames(fn: AnyFunction): string[] {
  const m = /^(?:async\s+)?function\s*[\w$]*\s*\(([^)]*)\)/.exec(fn.toString());
  return m ? m[1]!.split(",").map((p) => p.trim().replace(/\s*=.*$/, "")).filter((p) => p !== "") : [];
}

/**
 * The validators' own words: a checker `(fn, param, value, …rule)` is called by library code with
 * its caller's name, the parameter's name and the rule's bounds; only `value` comes from a user.
 * Those slots get fixed, valid values, and the generated values go where users' values go.
 */
const callerWords: Record<string, unknown> = { fn: "fuzzCaller", param: "x", name: "x", lo: 0, hi: 1, min: 0, length: 2, size: 2, choices: ["a", "b"], defaults: { a: 1 } };

/** Argument lists for `entry`: its declared arity, give or take one. */
function argumentLists(entry: Entry): fc.Arbitrary<unknown[]> {
  const names = parameterNames(entry.fn);
  const arity = Math.max(entry.fn.length, 1);
  const arg = runsDefaults.has(entry.name)
    ? anyArgument.filter((a) => a !== undefined && !(typeof a === "object" && a !== null && !Array.isArray(a) && Object.keys(a).length === 0 && a.constructor === Object))
    : anyArgument;
  const validator = names[0] === "fn";
  const fixed = (i: number): unknown => {
    const n = names[i];
    return n !== undefined && (n === "fn" || n === "param" || validator) && n in callerWords ? callerWords[n] : undefined;
  };
  // A validator gets all its rule slots (say oneOf's `choices`) even when the list is short.
  const minLength = validator ? names.length : Math.max(arity - 1, 1);
  return fc.array(arg, { minLength, maxLength: Math.max(minLength, arity + 1) })
    .map((args) => args.map((a, i) => fixed(i) ?? a));
}

describe("every public function, with bad arguments (result or one house-shaped error, in budget)", () => {
  const cwd = process.cwd();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-fuzz-sweep-"));
  before(async () => {
    await initBackend();
    process.chdir(scratch);
  });
  after(() => {
    process.chdir(cwd);
    const left = fs.readdirSync(scratch);
    fs.rmSync(scratch, { recursive: true, force: true });
    assert.deepEqual(left, [], "a call with bad arguments left files behind");
  });

  const groups = [...new Set(swept.map((e) => e.group))];
  for (const group of groups) {
    describe(group, () => {
      for (const entry of swept.filter((e) => e.group === group)) {
        const skip = excluded[entry.name];
        const todo = knownGaps[entry.name];
        it(entry.name, { ...(skip !== undefined ? { skip } : {}), ...(todo !== undefined ? { todo } : {}) }, async () => {
          await fc.assert(
            fc.asyncProperty(argumentLists(entry), async (args) => {
              await outcome(`${entry.name}(${show(args)})`, () => entry.fn(...args));
            }),
            runs(runsPerFunction),
          );
        });
      }
    });
  }
});
