/**
 * The reproduction protocol's checks on a notebook's record (kernel/results.ts), shared by the
 * test of the committed full-mode records (notebooks/results.json) and the quick-mode notebook runs.
 */
import { recordProblems, type ResultsPayload } from "../../kernel/results";

/**
 * Notebooks whose report still predates the reproduction protocol (issue 16), to be migrated and
 * re-run in full mode. The set may only shrink: a notebook not listed here must report with
 * protocol 2, and one listed here that already does fails the test (remove it from the list).
 */
export const notYetMigrated: ReadonlySet<string> = new Set([
]);

/** The protocol's breaches in one record, the migration list included: one sentence each (empty when it is sound). */
export function protocolProblems(notebook: string, record: Pick<ResultsPayload, "protocol" | "rows"> & Partial<ResultsPayload>): string[] {
  if (record.protocol < 2) {
    return notYetMigrated.has(notebook) ? [] : [`${notebook}: its report must use the reproduction record (report({ settings, rows }))`];
  }
  return [
    ...(notYetMigrated.has(notebook) ? [`${notebook}: reports with protocol 2, so remove it from notYetMigrated`] : []),
    ...recordProblems(notebook, record),
  ];
}
