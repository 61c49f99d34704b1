/**
 * Every notebook in notebooks/ executes headless in quick mode through a real Jupyter server
 * with the snnlab kernel (the runner of kernel/runner.ts), with no error output; the notebooks'
 * own assertion cells check their quick targets.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listNotebooks } from "../kernel/bin/notebooks";
import { findJupyter } from "../kernel/jupyter";
import { runNotebooks } from "../kernel/runner";

const jupyter = findJupyter("notebook");
const notebooks = listNotebooks([]);

describe("notebooks (quick mode)", { skip: jupyter ? false : "Jupyter is not installed" }, () => {
  it("notebooks/ holds the series", () => {
    assert.ok(notebooks.length >= 1, "at least one notebook");
  });
  for (const file of notebooks) {
    it(`${file} runs in quick mode without errors`, { timeout: 900_000 }, async () => {
      const [run] = await runNotebooks([file], { quick: true });
      assert.ok(run);
      assert.deepEqual(run.errors, [], `${file} failed`);
      assert.ok(run.results.length > 0, `${file} reports its numbers with report(...)`);
    });
  }
});
