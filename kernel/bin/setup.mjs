#!/usr/bin/env node
// Set-up shared by `npm start`, `npm test` and the kernel scripts. Plain JavaScript on purpose:
// it must run before dependencies are installed and before anything is compiled.
//
// 1. Node >= 20.19 (arquero 8 and other ESM-only packages reach tslab's CommonJS through
//    require(esm), which older Node lacks).
// 2. Dependencies: `npm ci` (or `npm install` without a lockfile) when node_modules is missing
//    or older than the lockfile. @tensorflow/tfjs-node is optional: its download fails on
//    machines without internet and npm then leaves it out.
// 3. node_modules/snnlab -> the repository, so that notebooks (and tslab's TypeScript, which
//    resolves modules the Node 10 way) find `snnlab` and `snnlab/widgets` by package name.
// 4. An incremental `tsc` build into dist/, skipped when nothing it reads has changed: a stamp
//    in dist/ holds a hash of every TypeScript source under tsconfig's `include`, tsconfig.json,
//    the compiler's version and the installed dependencies. tsc -p takes 10-20 s even when
//    incremental has nothing to emit; hashing the sources takes a few tens of ms. A changed,
//    added or removed source, or a deleted dist/, changes or removes the stamp.
//
// `--root <dir>` sets up another folder than this repository (the set-up test uses a small copy).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const rootFlag = argv.indexOf("--root");
if (rootFlag >= 0 && !argv[rootFlag + 1]) {
  console.error("snnlab setup: --root must be followed by a folder, got none");
  process.exit(2);
}
const root = rootFlag >= 0
  ? path.resolve(argv[rootFlag + 1])
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const quiet = argv.includes("--quiet");
const log = (message) => { if (!quiet) console.error(`[snnlab setup] ${message}`); };

function die(message) {
  console.error(`snnlab: ${message}`);
  process.exit(1);
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  die(`Node.js >= 20.19 is required, got ${process.versions.node}. ` +
    "Install a newer Node (conda: `conda env create -f environment.yml`; or https://nodejs.org).");
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) die(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) die(`\`${command} ${args.join(" ")}\` failed with exit code ${result.status}`);
}

// --- 2. dependencies -------------------------------------------------------------------------
const lockfile = path.join(root, "package-lock.json");
const manifest = path.join(root, "package.json");
const stampFile = path.join(root, "node_modules", ".snnlab-install-stamp");
const digest = createHash("sha256")
  .update(fs.readFileSync(manifest))
  .update(fs.existsSync(lockfile) ? fs.readFileSync(lockfile) : "")
  .digest("hex");
const stamp = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, "utf8").trim() : "";
if (stamp !== digest || !fs.existsSync(path.join(root, "node_modules", "tslab"))) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const args = fs.existsSync(lockfile) ? ["ci"] : ["install"];
  log(`installing dependencies (npm ${args.join(" ")}) ...`);
  run(npm, [...args, "--no-audit", "--no-fund"]);
  fs.writeFileSync(stampFile, digest + "\n");
}

// --- 3. the package finds itself by name -----------------------------------------------------
const self = path.join(root, "node_modules", "snnlab");
let linkOk = false;
try {
  linkOk = fs.realpathSync(self) === fs.realpathSync(root);
} catch {
  linkOk = false;
}
if (!linkOk) {
  fs.rmSync(self, { recursive: true, force: true });
  fs.symlinkSync("..", self, "junction");
}

// --- 4. build --------------------------------------------------------------------------------
const tsconfigPath = path.join(root, "tsconfig.json");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const buildStampFile = path.join(root, "dist", ".snnlab-build-stamp");

/** The TypeScript files tsc compiles: every .ts/.tsx/.mts/.cts under tsconfig's `include`. */
function sources() {
  const tsconfig = JSON.parse(fs.readFileSync(tsconfigPath, "utf8"));
  const include = Array.isArray(tsconfig.include) ? tsconfig.include : ["."];
  const files = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an `include` entry that does not exist
    }
    for (const entry of entries) {
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) files.push(full);
    }
  };
  for (const entry of include) walk(path.join(root, entry));
  return files.sort();
}

/** A hash of everything the build reads: sources (names and contents), tsconfig, tsc, dependencies. */
function buildStamp() {
  const hash = createHash("sha256");
  hash.update(fs.readFileSync(tsconfigPath));
  hash.update("\0" + JSON.parse(fs.readFileSync(path.join(root, "node_modules", "typescript", "package.json"), "utf8")).version);
  hash.update("\0" + digest);
  for (const file of sources()) {
    hash.update("\0" + path.relative(root, file) + "\0");
    hash.update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

const wanted = buildStamp();
const built = fs.existsSync(buildStampFile) ? fs.readFileSync(buildStampFile, "utf8").trim() : "";
if (built === wanted) {
  log("build is up to date");
} else {
  log("building (tsc) ...");
  run(process.execPath, [tsc, "-p", tsconfigPath]);
  // The stamp of the inputs as they were before tsc ran: an edit during the build rebuilds next time.
  fs.writeFileSync(buildStampFile, wanted + "\n");
}
