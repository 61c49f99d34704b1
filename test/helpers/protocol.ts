/**
 * The reproduction protocol's checks on a notebook's record (kernel/results.ts), shared by the
 * test of the committed full-mode records (notebooks/results.json) and the quick-mode notebook runs.
 */
import { meets, type RecordedRow, type ResultsPayload } from "../../kernel/results";

/**
 * Notebooks whose report still predates the reproduction protocol (issue 16), to be migrated and
 * re-run in full mode. The set may only shrink: a notebook not listed here must report with
 * protocol 2, and one listed here that already does fails the test (remove it from the list).
 */
export const notYetMigrated: ReadonlySet<string> = new Set([
  "10-diehl-cook.ipynb",
  "12-lee-membrane-backprop.ipynb",
  "13-erbp.ipynb",
]);

/** The protocol's breaches in one record: one sentence each (empty when it is sound). */
export function protocolProblems(notebook: string, record: Pick<ResultsPayload, "protocol" | "rows"> & Partial<ResultsPayload>): string[] {
  const problems: string[] = [];
  if (record.protocol < 2) {
    if (!notYetMigrated.has(notebook)) problems.push(`${notebook}: its report must use the reproduction record (report({ settings, rows }))`);
    return problems;
  }
  if (notYetMigrated.has(notebook)) problems.push(`${notebook}: reports with protocol 2, so remove it from notYetMigrated`);
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
