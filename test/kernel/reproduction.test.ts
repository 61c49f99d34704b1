import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { readResults, type ResultsEntry } from "../../kernel/results-file";
import { reproductionMarkdown, reproductionRows, reproductionSummary } from "../../kernel/reproduction";

const entry = (notebook: string, rows: object[], protocol = 2): ResultsEntry => ({ notebook, date: "2026-12-08", seconds: 1, node: "v22", protocol, rows: rows as ResultsEntry["rows"] });

describe("the reproduction table", () => {
  const entries = [
    entry("12-b.ipynb", [{ quantity: "acc", paper: 99, source: "Table 1", ours: 98.5, unit: "%", digits: 2, on: "test", targetText: "≥ 98", met: true }]),
    entry("03-a.ipynb", [
      { quantity: "rate", paper: 10, source: "Fig. 2", ours: 12, unit: "Hz", on: "simulation", targetText: "≤ 11", met: false },
      { quantity: "claim", paper: "yes", source: "p. 3", ours: "yes" },
    ]),
    entry("05-old.ipynb", [{ quantity: "x", paper: 1, ours: 1, pass: true }], 1),
    entry("21-energy-latency-reproduction.ipynb", [{ quantity: "self", ours: 1 }]),
  ];
  it("takes every row of every protocol-2 record in notebook order, with the deviation from the paper", () => {
    const rows = reproductionRows(entries, new Map([["03-a.ipynb", "A"]]), ["21-energy-latency-reproduction.ipynb"]);
    assert.deepEqual(rows.map((r) => [r.notebook, r.experiment, r.quantity]), [["03", "A", "rate"], ["03", "A", "claim"], ["12", "12-b.ipynb", "acc"]]);
    assert.equal(rows[0]!.deviation, 2);
    assert.equal(rows[0]!.relativeDeviation, 20);
    assert.equal(rows[0]!.met, false);
    assert.equal(rows[1]!.deviation, null);
    assert.equal(rows[1]!.met, null);
    assert.ok(Math.abs(rows[2]!.deviation! + 0.5) < 1e-12);
    assert.deepEqual(reproductionSummary(rows), { notebooks: 2, rows: 3, met: 1, missed: 1, withPaper: 3 });
  });
  it("writes Markdown grouped by experiment, with counts, deviations and marks", () => {
    const md = reproductionMarkdown(reproductionRows(entries, new Map(), ["21-energy-latency-reproduction.ipynb"]));
    assert.match(md, /^3 rows from 2 notebooks; 3 with the paper's number beside ours; 1 targets met \(✓\), 1 missed \(✗\), 1 rows without a target\./);
    assert.match(md, /\| \*\*03\*\* \| \*\*03-a\.ipynb\*\* \|/);
    assert.match(md, /\| 03 \| rate \| 10 Hz \| 12 Hz \| \+2 Hz \| ≤ 11 \| ✗ \|/);
    assert.match(md, /\| 12 \| acc \| 99\.00 % \| 98\.50 % \| -0\.50 % \| ≥ 98 \| ✓ \|/);
  });
  it("readResults reads results.json and names a missing or malformed file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-results-"));
    const file = path.join(dir, "results.json");
    assert.throws(() => readResults(file), /readResults: file must exist/);
    fs.writeFileSync(file, "{}");
    assert.throws(() => readResults(file), /readResults: file must hold a JSON array of notebook records, got object/);
    fs.writeFileSync(file, JSON.stringify(entries));
    assert.equal(readResults(file).length, 4);
    fs.rmSync(dir, { recursive: true });
  });
});
