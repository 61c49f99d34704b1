/**
 * `report(...)`: the reproduction record of a notebook, shown as its last cell. It holds
 *
 * - a **settings table**: each setting of the paper beside ours; every difference carries a reason;
 * - **result rows**: the paper's number with its place in the paper (table, figure, page), other
 *   references (peers, our own estimate) in a column of their own, our number, the split it was
 *   measured on, a target and a verdict computed from the row's own numbers;
 * - the **evaluation log** of the library (`evaluationLog`): which split every evaluation saw, so
 *   that the runner can check that each trained model met the test set once.
 *
 * The display carries an HTML table for readers and a JSON part
 * (`application/vnd.snnlab.results+json`) that the notebook runner collects into
 * notebooks/results.json and notebooks/RESULTS.md, so no number there is ever typed by hand.
 *
 * `report(rows)` with a plain array is the record before this protocol (protocol 1: free-text
 * targets and a `pass` given by the caller); it still displays, marked as not reviewed, so that
 * notebooks not yet migrated keep running. New notebooks use `report({ settings, rows })`.
 */
import { evaluationLog, testSetReuse, type EvaluationEntry } from "../src/datasets/evaluation-log";
import { show } from "./display";
import { escapeHtml } from "./mime";

export const RESULTS_MIME = "application/vnd.snnlab.results+json";

/** The version of the record `report({ settings, rows })` writes. */
export const PROTOCOL_VERSION = 2;

/**
 * What a row must reach. The verdict is computed from `ours` and these bounds only.
 * `from` says whose target it is: `"card"`, the experiment card's (shared/EXPERIMENTS.md §2.1);
 * `"paper"`, the paper's own claim (✗ then means our result contradicts the paper); `"changed"`,
 * a target that replaces the card's, with `why` saying what the card asked and why it changed;
 * `"ours"`, a check the card does not set (a closed form, a sanity bound), with `why` deriving it.
 */
export interface Target {
  /** ours ≥ atLeast. */
  readonly atLeast?: number;
  /** ours ≤ atMost. */
  readonly atMost?: number;
  /** ours === equals. */
  readonly equals?: number | string | boolean;
  readonly from: "card" | "paper" | "changed" | "ours";
  /** Required when `from` is "changed" (the card's target and the reason for the change) or "ours" (where the bound comes from). */
  readonly why?: string;
}

/** The split a number was measured on. */
export type MeasuredOn = "train" | "validation" | "test" | "simulation";

/** One reproduced quantity (protocol 2). */
export interface ResultRow {
  /** What is measured, e.g. "test accuracy (N = 400)". */
  readonly quantity: string;
  /** Our number (or a short text), computed in this run. */
  readonly ours: number | string | boolean;
  /** Unit, e.g. "%", "Hz", "s". */
  readonly unit?: string;
  /** Decimal places to show `ours` with (default: 4 significant digits). */
  readonly digits?: number;
  /** The paper's number or claim, as the paper states it; omit when the paper reports none. */
  readonly paper?: number | string;
  /** Where in the paper: "Table 1", "Fig. 3, p. 7", "§4.2". Required with `paper`. */
  readonly source?: string;
  /** Another reference: a peer's run, a reimplementation, the experiment plan's estimate. */
  readonly reference?: number | string;
  /** Whose `reference` it is, e.g. "Brian2 2.5, same model, our run". Required with `reference`. */
  readonly referenceSource?: string;
  /** The split the number was measured on ("simulation" for numbers with no data split). */
  readonly on?: MeasuredOn;
  /** The target; without one the row has no verdict. */
  readonly target?: Target;
  /** A short remark shown under the table (a deviation, a caveat). */
  readonly note?: string;
}

/** A row as recorded: the caller's fields plus the target's text and the computed verdict. */
export interface RecordedRow extends ResultRow {
  readonly targetText?: string;
  /** Whether `ours` meets the target; absent without a target. */
  readonly met?: boolean;
}

/** One setting of the experiment, the paper's beside ours. */
export interface SettingRow {
  /** The setting, with the paper's symbol where it has one: "hidden units", "time step dt". */
  readonly setting: string;
  /** The paper's value; null when the paper does not state it. */
  readonly paper: number | string | boolean | null;
  /** Ours, taken from the notebook's variables (the parameters cell) or the library's parameter records. */
  readonly ours: number | string | boolean;
  /** Where the paper states it. */
  readonly source?: string;
  /** Why ours differs; required when it does. */
  readonly reason?: string;
}

/** A setting as recorded, with whether it differs from the paper's. */
export interface RecordedSetting extends SettingRow {
  readonly differs: boolean;
}

/** `report`'s argument. */
export interface Reproduction {
  readonly settings: readonly SettingRow[];
  readonly rows: readonly ResultRow[];
}

/** A protocol-1 row (`report(rows)` with an array). */
export interface LegacyResultRow {
  readonly quantity: string;
  readonly paper: number | string | null;
  readonly ours: number | string;
  readonly unit?: string;
  readonly target?: string;
  readonly pass?: boolean;
}

/** What `report` sends to the runner. */
export interface ResultsPayload {
  readonly protocol: number;
  readonly settings: RecordedSetting[];
  readonly rows: (RecordedRow | LegacyResultRow)[];
  readonly evaluations: EvaluationEntry[];
  /** The protocol's breaches found in `evaluations` (`testSetReuse`). */
  readonly testSetReuse: string[];
}

interface TableLike {
  objects(): Record<string, unknown>[];
}

const rowKeys = new Set(["quantity", "ours", "unit", "digits", "paper", "source", "reference", "referenceSource", "on", "target", "note"]);
const targetKeys = new Set(["atLeast", "atMost", "equals", "from", "why"]);
const settingKeys = new Set(["setting", "paper", "ours", "source", "reason"]);
const measuredOn: readonly MeasuredOn[] = ["train", "validation", "test", "simulation"];

function bad(param: string, rule: string, value: unknown): never {
  throw new Error(`report: ${param} must ${rule}, got ${value === undefined ? "undefined" : JSON.stringify(value)}`);
}

function nonEmpty(param: string, value: unknown): string {
  if (typeof value !== "string" || value.trim().length === 0) bad(param, "be a non-empty string", value);
  return value;
}

function unknownKeys(param: string, value: object, allowed: Set<string>): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) bad(`${param}.${key}`, `be one of ${[...allowed].join(", ")} (unknown field)`, key);
  }
}

function targetOf(param: string, t: unknown): Target {
  if (t === null || typeof t !== "object") bad(param, "be an object {atLeast?, atMost?, equals?, from, why?}", t);
  unknownKeys(param, t, targetKeys);
  const target = t as Target;
  if (target.atLeast === undefined && target.atMost === undefined && target.equals === undefined) {
    bad(param, "have atLeast, atMost or equals", t);
  }
  for (const k of ["atLeast", "atMost"] as const) {
    if (target[k] !== undefined && !Number.isFinite(target[k])) bad(`${param}.${k}`, "be a finite number", target[k]);
  }
  if (!["card", "paper", "changed", "ours"].includes(target.from as string)) bad(`${param}.from`, "be \"card\", \"paper\", \"changed\" or \"ours\"", target.from);
  if (target.from === "changed" || target.from === "ours") nonEmpty(`${param}.why`, target.why);
  return target;
}

/** The target as text, in the row's unit: "≥ 97 %", "≤ 0.5 points", "= yes". */
export function targetText(target: Target, unit = ""): string {
  const u = unit ? (unit === "%" ? " %" : ` ${unit}`) : "";
  const parts: string[] = [];
  if (target.atLeast !== undefined && target.atMost !== undefined) parts.push(`${number(target.atLeast)} … ${number(target.atMost)}${u}`);
  else if (target.atLeast !== undefined) parts.push(`≥ ${number(target.atLeast)}${u}`);
  else if (target.atMost !== undefined) parts.push(`≤ ${number(target.atMost)}${u}`);
  if (target.equals !== undefined) parts.push(`= ${typeof target.equals === "boolean" ? (target.equals ? "yes" : "no") : String(target.equals)}`);
  return parts.join(", ");
}

/** Whether `ours` meets `target` (from the two values only). */
export function meets(ours: number | string | boolean, target: Target): boolean {
  if (target.equals !== undefined && ours !== target.equals) return false;
  if (target.atLeast !== undefined || target.atMost !== undefined) {
    if (typeof ours !== "number" || !Number.isFinite(ours)) return false;
    if (target.atLeast !== undefined && !(ours >= target.atLeast)) return false;
    if (target.atMost !== undefined && !(ours <= target.atMost)) return false;
  }
  return true;
}

/** Checks one protocol-2 row and computes its verdict. */
export function recordRow(r: unknown, i: number): RecordedRow {
  const param = `rows[${i}]`;
  if (r === null || typeof r !== "object") bad(param, "be an object", r);
  unknownKeys(param, r, rowKeys);
  const row = r as ResultRow;
  nonEmpty(`${param}.quantity`, row.quantity);
  if (!["number", "string", "boolean"].includes(typeof row.ours)) bad(`${param}.ours`, "be a number, a string or a boolean", row.ours);
  if (row.paper !== undefined) {
    if (!(typeof row.paper === "number" || typeof row.paper === "string")) bad(`${param}.paper`, "be a number or a string", row.paper);
    nonEmpty(`${param}.source (where the paper states ${JSON.stringify(row.paper)})`, row.source);
  } else if (row.source !== undefined) {
    bad(`${param}.source`, "come with a paper value", row.source);
  }
  if (row.reference !== undefined) {
    if (!(typeof row.reference === "number" || typeof row.reference === "string")) bad(`${param}.reference`, "be a number or a string", row.reference);
    nonEmpty(`${param}.referenceSource (whose reference ${JSON.stringify(row.reference)} is)`, row.referenceSource);
  }
  if (row.on !== undefined && !measuredOn.includes(row.on)) bad(`${param}.on`, `be one of ${measuredOn.join(", ")}`, row.on);
  if (row.digits !== undefined && !(Number.isInteger(row.digits) && row.digits >= 0 && row.digits <= 10)) bad(`${param}.digits`, "be an integer in [0, 10]", row.digits);
  if (row.target === undefined) return { ...row };
  const target = targetOf(`${param}.target`, row.target);
  return { ...row, targetText: targetText(target, row.unit), met: meets(row.ours, target) };
}

function same(a: unknown, b: unknown): boolean {
  return typeof a === "number" && typeof b === "number" ? Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)) : String(a) === String(b);
}

/** Checks one setting: a difference from the paper needs a reason. */
export function recordSetting(s: unknown, i: number): RecordedSetting {
  const param = `settings[${i}]`;
  if (s === null || typeof s !== "object") bad(param, "be an object", s);
  unknownKeys(param, s, settingKeys);
  const setting = s as SettingRow;
  nonEmpty(`${param}.setting`, setting.setting);
  for (const k of ["paper", "ours"] as const) {
    const v = setting[k];
    if (!(typeof v === "number" || typeof v === "string" || typeof v === "boolean" || (k === "paper" && v === null))) {
      bad(`${param}.${k}`, k === "paper" ? "be a number, a string, a boolean or null (not stated)" : "be a number, a string or a boolean", v);
    }
  }
  const differs = setting.paper !== null && !same(setting.paper, setting.ours);
  if (differs) nonEmpty(`${param}.reason (${setting.setting}: paper ${JSON.stringify(setting.paper)}, ours ${JSON.stringify(setting.ours)})`, setting.reason);
  return { ...setting, differs };
}

function legacyRows(raw: readonly Record<string, unknown>[]): LegacyResultRow[] {
  return raw.map((r, i) => {
    const row = r as Partial<LegacyResultRow>;
    if (typeof row.quantity !== "string" || row.quantity.length === 0) bad(`rows[${i}].quantity`, "be a non-empty string", row.quantity);
    if (!(typeof row.ours === "number" || typeof row.ours === "string")) bad(`rows[${i}].ours`, "be a number or a string", row.ours);
    return row as LegacyResultRow;
  });
}

/** Merges consecutive evaluations of the same model on adjacent samples (chunked runs) into one. */
export function compactEvaluations(entries: readonly EvaluationEntry[]): EvaluationEntry[] {
  const out: EvaluationEntry[] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last && last.model === e.model && last.trained === e.trained && last.split === e.split &&
      last.dataset === e.dataset && last.by === e.by && last.start + last.count === e.start) {
      out[out.length - 1] = { ...last, count: last.count + e.count };
    } else {
      out.push({ ...e });
    }
  }
  return out;
}

/** Builds the payload of a record (validating it) without displaying it. */
export function reproductionPayload(input: Reproduction | readonly LegacyResultRow[] | TableLike): ResultsPayload {
  const evaluations = compactEvaluations(evaluationLog());
  const reuse = testSetReuse(evaluations);
  if (Array.isArray(input) || typeof (input as TableLike).objects === "function") {
    const raw = Array.isArray(input) ? input : (input as TableLike).objects();
    return { protocol: 1, settings: [], rows: legacyRows(raw as Record<string, unknown>[]), evaluations, testSetReuse: reuse };
  }
  if (input === null || typeof input !== "object") bad("record", "be { settings, rows }", input);
  const record = input as Reproduction;
  unknownKeys("record", record, new Set(["settings", "rows"]));
  if (!Array.isArray(record.settings)) bad("settings", "be an array of { setting, paper, ours, source?, reason? }", record.settings);
  if (!Array.isArray(record.rows) || record.rows.length === 0) bad("rows", "be a non-empty array of result rows", record.rows);
  return {
    protocol: PROTOCOL_VERSION,
    settings: record.settings.map(recordSetting),
    rows: record.rows.map(recordRow),
    evaluations,
    testSetReuse: reuse,
  };
}

/** A number as the tables show it: integers as they are, others to 4 significant digits. */
function number(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (digits !== undefined) return value.toFixed(digits);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** A value as the record's tables show it: numbers to `digits` decimals (else 4 significant), booleans as yes/no, null as —. */
export function cell(value: unknown, digits?: number): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return number(value, digits);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? "" : met ? "✓" : "✗";
}

const settingHeader = ["setting", "paper", "ours", "source", "why ours differs"];
const rowHeader = ["quantity", "paper", "source", "reference", "ours", "unit", "on", "target", "met"];
const legacyHeader = ["quantity", "paper", "ours", "unit", "target", "met"];

function settingCells(s: RecordedSetting): string[] {
  return [s.setting, s.paper === null ? "not stated" : cell(s.paper), cell(s.ours), s.source ?? "", s.differs || s.paper === null ? s.reason ?? "" : ""];
}

function rowCells(r: RecordedRow): string[] {
  const reference = r.reference === undefined ? "" : `${cell(r.reference)} (${r.referenceSource})`;
  const whose = { card: "", paper: " (paper's claim)", changed: " (changed)", ours: " (ours)" } as const;
  const target = r.targetText === undefined ? "" : `${r.targetText}${whose[r.target?.from ?? "card"]}`;
  return [r.quantity, cell(r.paper), r.source ?? "", reference, cell(r.ours, r.digits), r.unit ?? "", r.on ?? "", target, verdict(r.met)];
}

function legacyCells(r: LegacyResultRow): string[] {
  return [r.quantity, cell(r.paper), cell(r.ours), r.unit ?? "", r.target ?? "", r.pass === undefined ? "" : verdict(r.pass)];
}

function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

function htmlTable(header: readonly string[], rows: readonly string[][], cls: string): string {
  return `<table class="${cls}"><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("") + "</tbody></table>";
}

/** Notes under a protocol-2 record: changed targets, row notes, the test-set check. */
function notesOf(payload: ResultsPayload): string[] {
  const notes: string[] = [];
  for (const r of payload.rows as RecordedRow[]) {
    if (r.target?.from === "changed") notes.push(`${r.quantity}: target changed from the experiment plan's — ${r.target.why}`);
    if (r.target?.from === "ours") notes.push(`${r.quantity}: target of ours (the experiment plan sets none) — ${r.target.why}`);
    if (r.note) notes.push(`${r.quantity}: ${r.note}`);
  }
  const tests = payload.evaluations.filter((e) => e.split === "test");
  if (payload.testSetReuse.length > 0) notes.push(...payload.testSetReuse.map((p) => `✗ protocol: ${p}`));
  else if (tests.length > 0) notes.push(`Test set: each evaluated model met it once (${tests.length} evaluation${tests.length === 1 ? "" : "s"} on test data, ${new Set(tests.map((e) => e.model)).size} model${new Set(tests.map((e) => e.model)).size === 1 ? "" : "s"}).`);
  return notes;
}

/** The record as Markdown (the runner writes it into RESULTS.md). */
export function payloadMarkdown(payload: Pick<ResultsPayload, "protocol" | "settings" | "rows"> & Partial<ResultsPayload>): string {
  if (payload.protocol < PROTOCOL_VERSION) {
    return "*Protocol 1: recorded before the reproduction protocol; targets are free text and marks were given by the notebook, not computed.*\n\n" +
      markdownTable(legacyHeader, (payload.rows as LegacyResultRow[]).map(legacyCells));
  }
  const parts: string[] = [];
  if (payload.settings.length > 0) parts.push(markdownTable(settingHeader, payload.settings.map(settingCells)));
  parts.push(markdownTable(rowHeader, (payload.rows as RecordedRow[]).map(rowCells)));
  const notes = notesOf({ evaluations: [], testSetReuse: [], ...payload } as ResultsPayload);
  if (notes.length > 0) parts.push(notes.map((n) => `- ${n}`).join("\n"));
  return parts.join("\n\n");
}

/** Protocol-1 rows as Markdown (kept for callers of the old API). */
export function resultsMarkdown(rows: readonly LegacyResultRow[]): string {
  return markdownTable(legacyHeader, rows.map(legacyCells));
}

/**
 * Displays the reproduction record: the settings table, the results table (paper with its source,
 * other references, ours, the split, the target and the computed verdict) and the test-set check.
 * Throws, before displaying anything, on a row that breaks the protocol: a paper value without a
 * source, a reference without its owner, a changed target without a reason, a setting that differs
 * from the paper's without a reason, an unknown field (such as a `pass` of the caller's).
 *
 * @example
 *   report({
 *     settings: [{ setting: "hidden units", paper: 800, ours: hidden, reason: "2 cores: a 200-unit layer trains in 5 min" }],
 *     rows: [{ quantity: "test accuracy", paper: 98.88, source: "Table 2", ours: 100 * accuracy, unit: "%", digits: 2,
 *              on: "test", target: { atLeast: 94, from: "card" } }],
 *   });
 */
export function report(input: Reproduction | readonly LegacyResultRow[] | TableLike): void {
  const payload = reproductionPayload(input);
  let html: string;
  if (payload.protocol < PROTOCOL_VERSION) {
    html = "<p><em>Protocol 1: recorded before the reproduction protocol (targets as free text, marks given by the notebook).</em></p>" +
      htmlTable(legacyHeader, (payload.rows as LegacyResultRow[]).map(legacyCells), "snnlab-results");
  } else {
    const notes = notesOf(payload);
    html = (payload.settings.length > 0 ? "<h4>Settings: the paper's and ours</h4>" + htmlTable(settingHeader, payload.settings.map(settingCells), "snnlab-settings") : "") +
      "<h4>Results</h4>" + htmlTable(rowHeader, (payload.rows as RecordedRow[]).map(rowCells), "snnlab-results") +
      (notes.length > 0 ? `<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : "");
  }
  show({
    toMimeBundle: () => ({ [RESULTS_MIME]: payload, "text/html": html, "text/plain": payloadMarkdown(payload) }),
  });
}

/**
 * The reproduction protocol's breaches in a protocol-2 record, one sentence each (empty when it is
 * sound): a mark without a target, a mark that does not follow from the row's numbers, a paper
 * value without its source, a reference without its owner, a mark given by the notebook, a setting
 * that differs from the paper's without a reason, and test-set reuse. The runner fails a run whose
 * record has any (so it is never written in place), and the tests check the committed records.
 */
export function recordProblems(notebook: string, record: Pick<ResultsPayload, "rows"> & Partial<ResultsPayload>): string[] {
  const problems: string[] = [];
  (record.rows as RecordedRow[]).forEach((row, i) => {
    const where = `${notebook} row ${i} (${row.quantity})`;
    if (row.met !== undefined && row.target === undefined) problems.push(`${where}: a mark without a target`);
    if (row.target !== undefined && row.met !== meets(row.ours, row.target)) problems.push(`${where}: its mark does not follow from ours and the target`);
    if (row.paper !== undefined && !(typeof row.source === "string" && row.source.trim().length > 0)) problems.push(`${where}: a paper value without a source`);
    if (row.reference !== undefined && !(typeof row.referenceSource === "string" && row.referenceSource.trim().length > 0)) problems.push(`${where}: a reference without its owner`);
    if ("pass" in row) problems.push(`${where}: a mark given by the notebook (pass)`);
  });
  for (const s of record.settings ?? []) {
    if (s.differs && !(typeof s.reason === "string" && s.reason.trim().length > 0)) problems.push(`${notebook} setting ${s.setting}: differs from the paper without a reason`);
  }
  for (const reuse of record.testSetReuse ?? []) problems.push(`${notebook}: ${reuse}`);
  return problems;
}
