/** Submissions made from an assignment's own source, for the grader's tests. */
import type { Assignment } from "../../kernel/assignment";
import { nbgraderOf } from "../../kernel/nbgrader";
import type { Notebook, NotebookCell } from "../../kernel/runner";

/** The release with the source's solutions written in: what a student who solved everything hands in. */
export function solvedRelease(assignment: Assignment): Notebook {
  const solutions = new Map(assignment.source.cells.filter((c) => nbgraderOf(c)?.solution).map((c) => [nbgraderOf(c)!.grade_id, c.source]));
  const nb: Notebook = JSON.parse(JSON.stringify(assignment.release));
  for (const c of nb.cells) {
    const id = nbgraderOf(c)?.grade_id;
    if (id !== undefined && solutions.has(id)) c.source = solutions.get(id)!;
  }
  return nb;
}

/** The cell of `nb` with nbgrader grade_id `id` (throws when there is none). */
export function cellById(nb: Notebook, id: string): NotebookCell {
  const cell = nb.cells.find((c) => nbgraderOf(c)?.grade_id === id);
  if (!cell) throw new Error(`no cell ${id}`);
  return cell;
}
