/**
 * `npm test`: runs every compiled test file (dist/test/**\/*.test.js) with Node's built-in test
 * runner, whose summary lines (`# tests`, `# pass`, `# fail`) are what CI reads.
 *
 *   npm test                      every test
 *   npm test -- datasets idx      only files whose path contains one of the words
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const testRoot = __dirname;

function collect(dir: string, out: string[]): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(full, out);
    else if (entry.name.endsWith(".test.js")) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const files = collect(testRoot, [])
  .sort()
  .filter((f) => filters.length === 0 || filters.some((w) => path.relative(testRoot, f).includes(w)));
if (files.length === 0) {
  console.error(`npm test: no test file matches ${filters.join(" ")}`);
  process.exit(1);
}

const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
  env: { ...process.env, TZ: "UTC", SNNLAB_TEST: "1" },
});
process.exit(result.status ?? 1);
