import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { clearEvaluationLog, logEvaluation } from "../../src/datasets/evaluation-log";
import { makeImageDataset } from "../../src/datasets/image-dataset";
import { setDisplaySink } from "../../kernel/display";
import type { MimeBundle } from "../../kernel/mime";
import { readmeTable, resultsFileMarkdown, verdictCounts, withReadmeTable, README_TABLE_BEGIN, README_TABLE_END, type ResultsEntry } from "../../kernel/results-file";
import {
  PROTOCOL_VERSION, RESULTS_MIME, meets, payloadMarkdown, recordRow, recordSetting, report, reproductionPayload, targetText,
  type ResultsPayload,
} from "../../kernel/results";
import { expectError } from "../helpers/close";

const testSet = makeImageDataset({ name: "mnist", split: "test", count: 1, rows: 1, cols: 1, images: new Uint8Array(1), labels: new Uint8Array(1) });

describe("report (the reproduction record)", () => {
  let shown: MimeBundle[] = [];
  let previous: ReturnType<typeof setDisplaySink>;
  beforeEach(() => {
    shown = [];
    clearEvaluationLog();
    previous = setDisplaySink({ display: (bundle) => { shown.push(bundle); }, clear: () => undefined });
  });
  afterEach(() => setDisplaySink(previous));

  it("report({settings, rows}) computes each verdict from the row's own numbers", () => {
    report({
      settings: [{ setting: "hidden units", paper: 800, ours: 200, reason: "2 cores" }, { setting: "T", paper: 10, ours: 10 }],
      rows: [
        { quantity: "accuracy", paper: 98.88, source: "Table 1", ours: 97.5, unit: "%", on: "test", target: { atLeast: 97, from: "card" } },
        { quantity: "gap", ours: 2, unit: "points", target: { atMost: 1, from: "changed", why: "card: ±1; ours ±2 because …" } },
        { quantity: "SOPs / MACs", paper: "about 5× fewer", source: "abstract", ours: 2.3, target: { atMost: 1, from: "paper" } },
        { quantity: "signs right", ours: true, target: { equals: true, from: "card" } },
        { quantity: "no target", ours: "qualitative" },
      ],
    });
    assert.equal(shown.length, 1);
    const payload = shown[0]![RESULTS_MIME] as ResultsPayload;
    assert.equal(payload.protocol, PROTOCOL_VERSION);
    assert.deepEqual(payload.rows.map((r) => (r as { met?: boolean }).met), [true, false, false, true, undefined]);
    assert.deepEqual(payload.settings.map((s) => s.differs), [true, false]);
    const html = String(shown[0]!["text/html"]);
    assert.match(html, /Settings: the paper's and ours/);
    assert.match(html, /≥ 97 %/);
    assert.match(html, /≤ 1 points \(changed\)/);
    assert.match(html, /≤ 1 \(paper&#39;s claim\)|≤ 1 \(paper's claim\)/);
    assert.match(String(shown[0]!["text/plain"]), /\| accuracy \| 98\.88 \| Table 1 \|  \| 97\.5 \| % \| test \| ≥ 97 % \| ✓ \|/);
  });

  it("report rejects a paper value without a source, a pass of the caller's, a changed target without why, a differing setting without reason", () => {
    const row = { quantity: "accuracy", ours: 97 };
    expectError(() => report({ settings: [], rows: [{ ...row, paper: 98 }] }), 'report: rows[0].source (where the paper states 98) must be a non-empty string, got undefined');
    expectError(() => report({ settings: [], rows: [{ ...row, pass: true } as never] }), /report: rows\[0\]\.pass must be one of quantity, ours, .* \(unknown field\), got "pass"/);
    expectError(() => report({ settings: [], rows: [{ ...row, target: { atLeast: 1, from: "changed" } }] }), "report: rows[0].target.why must be a non-empty string, got undefined");
    expectError(() => report({ settings: [], rows: [{ ...row, target: { from: "card" } as never }] }), /report: rows\[0\]\.target must have atLeast, atMost or equals/);
    expectError(() => report({ settings: [], rows: [{ ...row, reference: 23 }] }), /report: rows\[0\]\.referenceSource \(whose reference 23 is\) must be a non-empty string/);
    expectError(() => report({ settings: [{ setting: "dt", paper: 0.5, ours: 1 }], rows: [row] }), 'report: settings[0].reason (dt: paper 0.5, ours 1) must be a non-empty string, got undefined');
    expectError(() => report({ settings: [], rows: [] }), "report: rows must be a non-empty array of result rows, got []");
    assert.equal(shown.length, 0, "nothing is displayed when the record is rejected");
  });

  it("meets(ours, target) and targetText(target, unit) follow the bounds", () => {
    assert.equal(meets(5, { atLeast: 5, from: "card" }), true);
    assert.equal(meets(4.999, { atLeast: 5, from: "card" }), false);
    assert.equal(meets(Number.NaN, { atMost: 5, from: "card" }), false);
    assert.equal(meets("5", { atLeast: 5, from: "card" }), false, "a string never meets a numeric bound");
    assert.equal(meets(3, { atLeast: 2, atMost: 4, from: "card" }), true);
    assert.equal(meets("yes", { equals: "yes", from: "card" }), true);
    assert.equal(targetText({ atLeast: 2, atMost: 4, from: "card" }, "Hz"), "2 … 4 Hz");
    assert.equal(targetText({ atMost: 0.5, from: "card" }, "points"), "≤ 0.5 points");
    assert.equal(targetText({ equals: true, from: "card" }), "= yes");
  });

  it("recordSetting treats a null paper value as not stated, and numbers equal within rounding", () => {
    assert.equal(recordSetting({ setting: "seed", paper: null, ours: 3 }, 0).differs, false);
    assert.equal(recordSetting({ setting: "τ", paper: 0.1 + 0.2, ours: 0.3 }, 0).differs, false);
    assert.equal(recordRow({ quantity: "x", ours: 1, digits: 2 }, 0).met, undefined);
  });

  it("readmeTable gives each notebook its title, headline (ours beside the paper's), marks and test-set use; withReadmeTable needs the markers", () => {
    const entry = { notebook: "13-x.ipynb", date: "d", seconds: 1, node: "v", protocol: 2, settings: [], evaluations: [], testSetReuse: [],
      rows: [recordRow({ quantity: "q | r", ours: 12, unit: "%", digits: 1, on: "simulation" }, 0), recordRow({ quantity: "test accuracy", paper: 97.98, source: "T1", ours: 97.456, unit: "%", digits: 2, on: "test", target: { atLeast: 97, from: "card" } }, 1)] } as ResultsEntry;
    const table = readmeTable([entry], new Map([["13-x.ipynb", "eRBP"]]));
    assert.equal(table.split("\n")[2], "| 13 | [eRBP](notebooks/13-x.ipynb) | test accuracy: 97.46 % (paper 97.98 %) ✓ | 1 | 0 | not used |");
    assert.equal(withReadmeTable(`a\n${README_TABLE_BEGIN}\nold\n${README_TABLE_END}\nb`, "T"), `a\n${README_TABLE_BEGIN}\nT\n${README_TABLE_END}\nb`);
    assert.throws(() => withReadmeTable("no markers", "T"), /README\.md must hold the notebook-table markers/);
  });

  it("shows the reason of a setting the paper does not state (our own choice), not only of a difference", () => {
    const payload = reproductionPayload({ settings: [{ setting: "weight bound", paper: null, ours: "±0.5", reason: "without it the weights run away" }], rows: [{ quantity: "x", ours: 1 }] });
    assert.match(payloadMarkdown(payload), /\| weight bound \| not stated \| ±0\.5 \|  \| without it the weights run away \|/);
  });

  it("report(rows) with a plain array is a protocol-1 record, displayed as not reviewed", () => {
    report([{ quantity: "items", paper: null, ours: 3, target: "3", pass: true }]);
    const payload = shown[0]![RESULTS_MIME] as ResultsPayload;
    assert.equal(payload.protocol, 1);
    assert.match(String(shown[0]!["text/html"]), /Protocol 1/);
  });

  it("the record carries the evaluation log and names test-set reuse", () => {
    const model = {};
    logEvaluation("trainer.evaluate", model, testSet, { start: 0, count: 1, trained: 10 });
    logEvaluation("trainer.evaluate", model, testSet, { start: 0, count: 1, trained: 20 });
    const payload = reproductionPayload({ settings: [], rows: [{ quantity: "x", ours: 1 }] });
    assert.equal(payload.evaluations.length, 2);
    assert.equal(payload.testSetReuse.length, 1);
    assert.match(payloadMarkdown(payload), /✗ protocol: model 0 \(trainer\.evaluate\) was evaluated on test data after 10, 20 training samples/);
  });

  it("chunked evaluations are compacted into one entry per run", () => {
    const model = {};
    for (let s = 0; s < 5; s++) logEvaluation("trainer.evaluate", model, testSet, { start: s, count: 1, trained: 10 });
    const payload = reproductionPayload({ settings: [], rows: [{ quantity: "x", ours: 1 }] });
    assert.deepEqual(payload.evaluations.map((e) => [e.start, e.count]), [[0, 5]]);
    assert.deepEqual(payload.testSetReuse, []);
  });
});

describe("RESULTS.md", () => {
  it("resultsFileMarkdown(entries) opens with a summary of protocols, verdicts and the test-set check", () => {
    clearEvaluationLog();
    const v2 = reproductionPayload({ settings: [], rows: [
      { quantity: "a", ours: 1, target: { atLeast: 0, from: "card" } },
      { quantity: "b", ours: 1, target: { atLeast: 2, from: "card" } },
    ] });
    const entries: ResultsEntry[] = [
      { notebook: "01-x.ipynb", date: "2026-12-07", seconds: 3, node: "v20", protocol: 2, settings: v2.settings, rows: v2.rows, evaluations: [], testSetReuse: [] },
      { notebook: "02-y.ipynb", date: "2026-12-07", seconds: 4, node: "v20", rows: [{ quantity: "c", paper: null, ours: 1, pass: true }] },
    ];
    assert.deepEqual(verdictCounts(entries[0]!), { met: 1, missed: 1, rows: 2 });
    assert.deepEqual(verdictCounts(entries[1]!), { met: 1, missed: 0, rows: 1 });
    const md = resultsFileMarkdown(entries);
    assert.match(md, /\| 01-x\.ipynb \| 2 \| 2 \| 1 \| 1 \| not used \| 3 \|/);
    assert.match(md, /\| 02-y\.ipynb \| 1 \| 1 \| 1 \| 0 \| not recorded \| 4 \|/);
    assert.match(md, /Protocol 1: recorded before the reproduction protocol/);
  });
});
