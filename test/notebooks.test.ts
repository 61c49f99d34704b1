/**
 * Every notebook in notebooks/ executes headless in quick mode through a real Jupyter server
 * with the snnlab kernel (the runner of kernel/runner.ts), with no error output; the notebooks'
 * own assertion cells check their quick targets, and each report follows the reproduction protocol
 * (test/helpers/protocol.ts), the test-set check of the library's evaluation log included.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { listNotebooks } from "../kernel/bin/notebooks";
import { findJupyter } from "../kernel/jupyter";
import { runNotebooks } from "../kernel/runner";
import { protocolProblems } from "./helpers/protocol";

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
      assert.ok(run.results.length > 0 && run.record, `${file} reports its numbers with report(...)`);
      assert.deepEqual(protocolProblems(path.basename(file), run.record), [], `${file} follows the reproduction protocol`);
    });
  }
});
