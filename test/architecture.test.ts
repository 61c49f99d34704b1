/**
 * The import direction of house style C1: core → simulation → training → widgets → kernel →
 * notebooks. A regex over import specifiers (cheaper than a lint plugin, and its failure message
 * names the file, the import and the rule).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(__dirname, "..", "..");

/** Layer ranks: a file may import its own rank or lower ones. */
const SRC_RANKS: Record<string, number> = {
  core: 0,
  datasets: 1, io: 1, learning: 1,
  neurons: 2, encoders: 2, synapses: 2, plasticity: 2,
  network: 3,
  models: 4, layers: 4, surrogate: 4, training: 4, conversion: 4,
  metrics: 5, tables: 5,
  // NIR export reads the trained networks of layers/, training/, conversion/ and models/.
  interop: 5,
};
const RANK_WIDGETS = 10;
const RANK_KERNEL = 11;
const RANK_NOTEBOOKS = 12;
/** Folders of src/ where TensorFlow.js may appear (C1: "TensorFlow.js lives only here"). */
const TF_FOLDERS = new Set(["layers", "surrogate", "training", "conversion"]);

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

/** The layer rank of a repository-relative path, or undefined outside the layered tree. */
export function rankOf(rel: string): number | undefined {
  const parts = rel.split(/[\\/]/);
  if (parts[0] === "src") {
    if (parts.length === 2) return 9; // src/index.ts: the barrel over every src layer
    return SRC_RANKS[parts[1]!];
  }
  if (parts[0] === "widgets") return RANK_WIDGETS;
  if (parts[0] === "kernel") return RANK_KERNEL;
  if (parts[0] === "notebooks") return RANK_NOTEBOOKS;
  return undefined;
}

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?["']([^"']+)["']|(?:require|import)\(\s*["']([^"']+)["']\s*\)/g;

/** Every import specifier of a source text, with whether it is type-only. */
export function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  const out: { specifier: string; typeOnly: boolean }[] = [];
  const stripped = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  for (const m of stripped.matchAll(IMPORT_RE)) {
    const specifier = m[2] ?? m[3];
    if (specifier) out.push({ specifier, typeOnly: Boolean(m[1]) });
  }
  return out;
}

/** Checks one file's imports against the layer rules; `rel` is repository-relative. */
export function checkFile(rel: string, source: string): Violation[] {
  const rank = rankOf(rel);
  if (rank === undefined) return [];
  const violations: Violation[] = [];
  const parts = rel.split(/[\\/]/);
  const srcFolder = parts[0] === "src" ? parts[1] : undefined;
  for (const { specifier, typeOnly } of importsOf(source)) {
    const add = (rule: string) => violations.push({ file: rel, specifier, rule });
    if (specifier.startsWith(".")) {
      if (parts[0] === "notebooks") {
        add("notebooks import the public API by package name (snnlab, snnlab/widgets), never by relative path");
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel.split(path.sep).join("/")), specifier));
      const targetRank = rankOf(target);
      if (targetRank === undefined) {
        if (!target.startsWith("test/")) add(`imports ${target}, which is outside the layered tree`);
        else add("library code must not import tests");
        continue;
      }
      if (targetRank > rank) add(`layer ${rel.split("/").slice(0, 2).join("/")} (rank ${rank}) must not import ${target} (rank ${targetRank})`);
      continue;
    }
    const pkg = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
    if (parts[0] === "src") {
      if (pkg === "snnlab") add("src/ must not import the package by name (a cycle through the barrel)");
      if (/^(tslab|@jupyterlab\/.*|plotly\.js.*|playwright-core|ws)$/.test(pkg)) add("src/ has no kernel, no plotly, no DOM: it must not import " + pkg);
      if (pkg.startsWith("@tensorflow/") && !TF_FOLDERS.has(srcFolder ?? "")) add("TensorFlow.js lives only in src/layers, src/surrogate, src/training, src/conversion");
    }
    if (parts[0] === "widgets") {
      if (/^(tslab|@jupyterlab\/.*|playwright-core|ws)$/.test(pkg)) add("widgets/ are pure figure specs: they must not import " + pkg);
      if (/^plotly\.js/.test(pkg) && !typeOnly) add("widgets/ may import plotly.js types only (import type)");
      if (pkg === "snnlab" && specifier !== "snnlab") add("widgets/ import only the library (snnlab), not the kernel");
    }
  }
  if (parts[0] === "src" && /\b(document|window)\.\w/.test(source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, ""))) {
    violations.push({ file: rel, specifier: "(DOM)", rule: "src/ must not touch the DOM" });
  }
  return violations;
}

function walk(dir: string, out: string[]): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== ".ipynb_checkpoints") walk(full, out);
    } else if (/\.(ts|mts|cts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** The code of every notebook in notebooks/ and notebooks/assignments/ (the course assignments import the public API too). */
function notebookSources(): { rel: string; source: string }[] {
  return ["notebooks", "notebooks/assignments"].flatMap((folder) => {
    const dir = path.join(root, folder);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).map((f) => {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      const code = (nb.cells as { cell_type: string; source: string | string[] }[])
        .filter((c) => c.cell_type === "code")
        .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source))
        .join("\n");
      return { rel: `${folder}/${f}`, source: code };
    });
  });
}

describe("architecture", () => {
  it("checkFile(rel, source) flags each kind of violation (the checker itself can fail)", () => {
    assert.equal(checkFile("src/core/a.ts", 'import { x } from "../neurons/lif";').length, 1);
    assert.equal(checkFile("src/neurons/lif.ts", 'import Plotly from "plotly.js-dist-min";').length, 1);
    assert.equal(checkFile("src/neurons/lif.ts", 'const t = require("tslab");').length, 1);
    assert.equal(checkFile("src/network/a.ts", 'import * as tf from "@tensorflow/tfjs";').length, 1);
    assert.equal(checkFile("src/training/a.ts", 'import * as tf from "@tensorflow/tfjs";').length, 0);
    assert.equal(checkFile("src/core/a.ts", 'import { spikeRaster } from "../../widgets/raster";').length, 1);
    assert.equal(checkFile("src/core/a.ts", "document.body.appendChild(x);").length, 1);
    assert.equal(checkFile("widgets/a.ts", 'import { show } from "../kernel/show";').length, 1);
    assert.equal(checkFile("widgets/a.ts", 'import type { Data } from "plotly.js-dist-min";').length, 0);
    assert.equal(checkFile("widgets/a.ts", 'import { lif } from "../src/neurons/lif";').length, 0);
    assert.equal(checkFile("kernel/a.ts", 'import { spikeRaster } from "../widgets/raster";').length, 0);
    assert.equal(checkFile("notebooks/01.ipynb", 'import { lif } from "../src/index";').length, 1);
    assert.equal(checkFile("src/neurons/lif.ts", '// import x from "plotly.js"\nimport { ms } from "../core/units";').length, 0);
  });

  it("every import in src/, widgets/, kernel/ and notebooks/ runs with the layer order", () => {
    const files = [...walk(path.join(root, "src"), []), ...walk(path.join(root, "widgets"), []), ...walk(path.join(root, "kernel"), [])];
    assert.ok(files.length > 5, "found the sources");
    const violations: Violation[] = [];
    for (const file of files) {
      const rel = path.relative(root, file).split(path.sep).join("/");
      violations.push(...checkFile(rel, fs.readFileSync(file, "utf8")));
    }
    for (const { rel, source } of notebookSources()) violations.push(...checkFile(rel, source));
    assert.deepEqual(violations.map((v) => `${v.file}: ${v.specifier}: ${v.rule}`), []);
  });
});
