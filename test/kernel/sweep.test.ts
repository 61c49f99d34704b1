/**
 * Sweeps (kernel/sweep.ts, kernel/bin/sweep.ts): the grid's values and checks, the index → point
 * numbering shared by local sweeps and Kubernetes Indexed Jobs, the merge of point records into
 * one table (CSV, Arrow, figure), and a real 2 × 2 sweep of a tiny notebook with 2 workers,
 * started twice (the second start skips every finished point).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseSweepCommandLine } from "../../kernel/bin/sweep";
import { findJupyter, repoRoot } from "../../kernel/jupyter";
import {
  type PointRecord, type SweepGrid, MAX_GRID_POINTS, checkGrid, collectSweep, defaultSweepDir, gridArguments, gridHash, gridPoint, gridSize,
  openSweepDir, parseValues, runId, runSweep,
} from "../../kernel/sweep";
import { expectError } from "../helpers/close";

const fixture = path.join(repoRoot, "test", "fixtures", "notebooks", "sweep-tiny.ipynb");
const where = "test/fixtures/notebooks/sweep-tiny.ipynb";
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-sweep-"));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

describe("sweep grid", () => {
  it("parseValues(name, text) splits at commas, or reads a JSON array where a value holds a comma", () => {
    assert.deepEqual(parseValues("n", "100,400,1600"), ["100", "400", "1600"]);
    assert.deepEqual(parseValues("label", '["a,b","c"]'), ["a,b", "c"]);
    assert.deepEqual(parseValues("n", "[1, 2.5]"), [1, 2.5]);
    expectError(() => parseValues("n", "1,,2"), 'sweep: parameter n must be a comma-separated list of non-empty values (or a JSON array), got "1,,2"');
    expectError(() => parseValues("n", "[1,"), 'sweep: parameter n must be a JSON array when it starts with [ (e.g. ["a,b","c"]), got "[1,"');
    expectError(() => parseValues("n", "[]"), 'sweep: parameter n must be a non-empty JSON array, got "[]"');
    expectError(() => parseValues("n", "[[1]]"), "sweep: parameter n[0] must be a number, a string or a boolean, got [1]");
  });

  it("checkGrid(nb, entries) types the values by the parameters cell", () => {
    const grid = checkGrid(fixture, [["n", ["2", "5"]], ["label", ["a,b", "c"]]], where);
    assert.deepEqual(grid, { names: ["n", "label"], values: [[2, 5], ["a,b", "c"]] });
    assert.equal(gridSize(grid), 4);
  });

  it("checkGrid refuses an unknown name, a wrong type, an empty grid, a repeated name and too many points, one message each", () => {
    expectError(() => checkGrid(fixture, [["m", ["1"]]], where),
      `sweep: parameter m must be declared in the parameters cell of ${where} (it declares n, gain, label), got m="1"`);
    expectError(() => checkGrid(fixture, [["n", ["2", "x"]]], where),
      `sweep: parameter n must be a number (declared in the parameters cell of ${where}), got "x"`);
    expectError(() => checkGrid(fixture, [], where), 'sweep: the grid must have at least one parameter (-p name=v1,v2,…), got "no parameters"');
    expectError(() => checkGrid(fixture, [["n", ["1"]], ["n", ["2"]]], where), 'sweep: parameter n must be given once, got "n twice"');
    expectError(() => checkGrid(fixture, [["n", ["1", "1"]]], where), "sweep: parameter n must have distinct values, got [1,1]");
    const many = Array.from({ length: 40 }, (_, i) => String(i));
    expectError(() => checkGrid(fixture, [["n", many], ["gain", many]], where), `sweep: the grid must have at most ${MAX_GRID_POINTS} points (40 × 40), got 1600`);
  });

  it("gridPoint(grid, i) numbers the points row-major in the order given (the last fastest), as nested loops visit them", () => {
    const grid: SweepGrid = { names: ["neurons", "seed", "mode"], values: [[100, 400, 1600], [1, 2, 3], ["a", "b"]] };
    const loops: Record<string, unknown>[] = [];
    for (const neurons of grid.values[0]!) for (const seed of grid.values[1]!) for (const mode of grid.values[2]!) loops.push({ neurons, seed, mode });
    assert.equal(gridSize(grid), 18);
    assert.deepEqual(Array.from({ length: 18 }, (_, i) => gridPoint(grid, i)), loops);
    assert.deepEqual(Object.keys(gridPoint(grid, 5)), ["neurons", "seed", "mode"]);
    expectError(() => gridPoint(grid, 18), "sweep: index must be an integer in [0, 17] (the grid has 18 points), got 18");
    expectError(() => gridPoint(grid, -1), /sweep: index must be an integer in \[0, 17\]/);
    expectError(() => gridPoint(grid, 1.5), /got 1.5$/);
  });

  it("gridArguments(grid) gives -p arguments that reproduce the grid exactly, and the folder hash depends on the grid", () => {
    const grid = checkGrid(fixture, [["n", ["2", "5"]], ["label", ["a,b", "c"]]], where);
    const line = parseSweepCommandLine([where, ...gridArguments(grid)], repoRoot);
    assert.deepEqual(checkGrid(line.file!, line.entries, where), grid);
    const other = checkGrid(fixture, [["n", ["2", "6"]], ["label", ["a,b", "c"]]], where);
    assert.notEqual(gridHash(fixture, grid), gridHash(fixture, other));
    assert.equal(defaultSweepDir(fixture, grid), path.join(repoRoot, "test-artifacts", "sweeps", `sweep-tiny-${gridHash(fixture, grid)}`));
  });

  it("parseSweepCommandLine reads a series name, --jobs, --index and --out; --collect stands alone", () => {
    const line = parseSweepCommandLine(["10", "-p", "neurons=100,400", "-p", "seed=1,2", "--index", "3", "--out", "/results", "-j", "4"], "/somewhere");
    assert.match(line.file!, /notebooks\/10-[^/]+\.ipynb$/);
    assert.deepEqual([line.entries, line.index, line.out, line.jobs], [[["neurons", ["100", "400"]], ["seed", ["1", "2"]]], 3, "/results", 4]);
    assert.equal(parseSweepCommandLine(["10", "-p", "seed=1"], "/").jobs, os.availableParallelism());
    assert.deepEqual(parseSweepCommandLine(["--collect", "out"], "/w").collect, "/w/out");
    expectError(() => parseSweepCommandLine(["--collect", "out", "10"], "/w"), /^sweep: --collect must be given alone/);
    expectError(() => parseSweepCommandLine(["10", "-p", "seed=1", "--jobs", "0"], "/"), 'sweep: --jobs must be an integer ≥ 1, got "0"');
    expectError(() => parseSweepCommandLine(["10", "-p", "seed=1", "--index", "x"], "/"), 'sweep: --index must be an integer ≥ 0, got "x"');
    expectError(() => parseSweepCommandLine(["10", "-p", "1seed=1"], "/"), 'sweep: -p must be NAME=VALUES with NAME an identifier, got "1seed=1"');
  });
});

/** A point record as a pod writes it. */
function pointRecord(sweep: string, index: number, parameters: Record<string, number | string>, ok: boolean, ours: number): PointRecord {
  return {
    sweep, notebook: "sweep-tiny.ipynb", index, names: Object.keys(parameters), parameters, ok, seconds: 1, errors: ok ? [] : ["cell 2: Error: boom"],
    rows: ok ? [
      { quantity: "n times gain", ours, unit: "items", on: "simulation", target: { atLeast: 0, from: "ours", why: "x" }, targetText: "≥ 0 items", met: true },
      { quantity: "legacy", paper: null, ours: "text", target: "free text", pass: false },
    ] : [],
  };
}

describe("sweep collect", () => {
  it("collectSweep(dir) merges the points written by separate pods into one table, CSV, Arrow file and figure", () => {
    const grid = checkGrid(fixture, [["n", ["2", "5"]], ["label", ["x", "y"]]], where);
    const dir = path.join(temp, "job-volume");
    // What four pods of an Indexed Job would leave on the volume: point 2 failed, point 3 never ran.
    const manifest = openSweepDir(dir, fixture, grid);
    for (const [index, ok] of [[0, true], [1, true], [2, false]] as const) {
      const p = gridPoint(grid, index) as Record<string, number | string>;
      fs.writeFileSync(path.join(dir, "runs", `${runId(index)}.json`), JSON.stringify(pointRecord(manifest.sweep, index, p, ok, (p.n as number) * 10)));
    }
    const collected = collectSweep(dir);
    assert.deepEqual([collected.missing, collected.failed], [[3], [2]]);
    assert.deepEqual(collected.table.columnNames(), ["run", "n", "label", "ok", "quantity", "ours", "unit", "paper", "source", "on", "target", "met"]);
    assert.deepEqual(collected.table.objects().map((r) => [r.run, r.n, r.label, r.quantity, r.ours, r.target, r.met]), [
      [0, 2, "x", "n times gain", 20, "≥ 0 items", true],
      [0, 2, "x", "legacy", "text", "free text", false],
      [1, 2, "y", "n times gain", 20, "≥ 0 items", true],
      [1, 2, "y", "legacy", "text", "free text", false],
    ]);
    const csv = fs.readFileSync(path.join(dir, "results.csv"), "utf8").split("\n");
    assert.equal(csv[0], "run,n,label,ok,quantity,ours,unit,paper,source,on,target,met");
    assert.equal(csv[1], "0,2,x,true,n times gain,20,items,,,simulation,≥ 0 items,true");
    // arquero reads the Arrow file back: same rows, `ours` (numbers and text) as text.
    const aq = require("arquero") as { fromArrow(bytes: Uint8Array): { numRows(): number; array(name: string): ArrayLike<unknown> } };
    const arrow = aq.fromArrow(fs.readFileSync(path.join(dir, "results.arrow")));
    assert.equal(arrow.numRows(), 4);
    assert.deepEqual(Array.from(arrow.array("ours")), ["20", "text", "20", "text"]);
    assert.deepEqual(Array.from(arrow.array("n")), [2, 2, 2, 2]);
    // One swept number varies among the succeeded points only through `label`: n is constant, so no x.
    assert.equal(collected.figure, undefined);
    assert.deepEqual(collected.files.map((f) => path.basename(f)), ["results.csv", "results.arrow"]);
  });

  it("collectSweep(dir) draws ours against the first swept number, one line per other parameter", () => {
    const grid = checkGrid(fixture, [["n", ["2", "5"]], ["label", ["x", "y"]]], where);
    const dir = path.join(temp, "complete");
    const manifest = openSweepDir(dir, fixture, grid);
    for (let index = 0; index < 4; index++) {
      const p = gridPoint(grid, index) as Record<string, number | string>;
      fs.writeFileSync(path.join(dir, "runs", `${runId(index)}.json`), JSON.stringify(pointRecord(manifest.sweep, index, p, true, (p.n as number) + index)));
    }
    const collected = collectSweep(dir);
    assert.deepEqual([collected.missing, collected.failed], [[], []]);
    assert.deepEqual(collected.figure!.data.map((t) => [t.name, t.x, t.y]), [["label=x", [2, 5], [2, 7]], ["label=y", [2, 5], [3, 8]]]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "figure.json"), "utf8")), collected.figure);
  });

  it("collectSweep refuses a folder without points and one that mixes two sweeps; openSweepDir refuses another sweep's folder", () => {
    const empty = path.join(temp, "empty");
    fs.mkdirSync(path.join(empty, "runs"), { recursive: true });
    expectError(() => collectSweep(empty), `sweep: --collect must hold at least one finished point (runs/run-NNNN.json), got ${JSON.stringify(empty)}`);
    expectError(() => collectSweep(path.join(temp, "nowhere")), /^sweep: --collect must be a sweep folder \(with runs\/\)/);
    const mixed = path.join(temp, "mixed");
    fs.mkdirSync(path.join(mixed, "runs"), { recursive: true });
    fs.writeFileSync(path.join(mixed, "runs", "run-0000.json"), JSON.stringify(pointRecord("aaaa", 0, { n: 1 }, true, 1)));
    fs.writeFileSync(path.join(mixed, "runs", "run-0001.json"), JSON.stringify(pointRecord("bbbb", 1, { n: 2 }, true, 2)));
    expectError(() => collectSweep(mixed), /^sweep: --collect must hold the points of one sweep, got ".*mixed with aaaa, bbbb"$/);
    const grid = checkGrid(fixture, [["n", ["2", "5"]]], where);
    expectError(() => openSweepDir(path.join(temp, "complete"), fixture, grid), /^sweep: --out must be empty or hold the same sweep \(it holds sweep-tiny.ipynb with n, label, hash [0-9a-f]{10}\)/);
  });
});

const jupyter = findJupyter("notebook");

describe("sweep run", { skip: jupyter ? false : "Jupyter is not installed", timeout: 240_000 }, () => {
  it("runSweep(nb, 2 × 2 grid, {jobs: 2}) runs every point in a process of its own; started again, it skips them all", async () => {
    const grid = checkGrid(fixture, [["n", ["2", "5"]], ["label", parseValues("label", '["a,b","c"]')]], where);
    const dir = path.join(temp, "local");
    const lines: string[] = [];
    const outcome = await runSweep(fixture, grid, { jobs: 2, dir, log: (l) => lines.push(l) });
    assert.deepEqual(outcome, { skipped: [], succeeded: [0, 1, 2, 3], failed: [] }, lines.join("\n"));
    assert.match(lines[0]!, /4 points \(n × 2, label × 2\), 0 already done, 2 at a time/);
    for (let i = 0; i < 4; i++) {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, "runs", `${runId(i)}.ipynb`), "utf8")) as { metadata: { papermill: { parameters: unknown } } };
      assert.deepEqual(nb.metadata.papermill.parameters, gridPoint(grid, i));
    }
    const collected = collectSweep(dir);
    const numeric = collected.table.objects().filter((r) => r.quantity === "n times gain");
    assert.deepEqual(numeric.map((r) => [r.run, r.n, r.label, r.ours]), [[0, 2, "a,b", 2], [1, 2, "c", 2], [2, 5, "a,b", 5], [3, 5, "c", 5]]);
    assert.deepEqual(collected.table.objects().filter((r) => r.quantity === "label").map((r) => r.ours), ["a,b", "c", "a,b", "c"]);

    // A second start launches nothing: every point is finished.
    const again = await runSweep(fixture, grid, {
      jobs: 2, dir, log: () => undefined, launch: () => assert.fail("a finished point must not run again"),
    });
    assert.deepEqual(again, { skipped: [0, 1, 2, 3], succeeded: [], failed: [] });
    // A point whose record is gone (or says it failed) runs again.
    fs.rmSync(path.join(dir, "runs", "run-0002.json"));
    const launched: number[] = [];
    const third = await runSweep(fixture, grid, {
      jobs: 2, dir, log: () => undefined,
      launch: (index) => {
        launched.push(index);
        return require("node:child_process").spawn(process.execPath, ["-e", "process.exit(3)"]);
      },
    });
    assert.deepEqual([launched, third.failed, third.skipped], [[2], [2], [0, 1, 3]]);
  });
});
