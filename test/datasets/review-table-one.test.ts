import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { reviewTableOne } from "../../src/datasets/review-table-one";

/** ../shared/EXPERIMENTS.md beside the repository (present in CI and on developers' machines). */
function experimentsPath(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "..", "shared", "EXPERIMENTS.md");
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

describe("reviewTableOne", () => {
  it("reviewTableOne has the 39 rows of Table I in three sections", () => {
    assert.equal(reviewTableOne.length, 39);
    assert.equal(reviewTableOne.filter((r) => r.group === "fully-connected").length, 16);
    assert.equal(reviewTableOne.filter((r) => r.group === "convolutional").length, 17);
    assert.equal(reviewTableOne.filter((r) => r.group === "rbm-dbn").length, 6);
    assert.equal(reviewTableOne.filter((r) => r.dataset === "MNIST").length, 30);
    assert.ok(Object.isFrozen(reviewTableOne) && Object.isFrozen(reviewTableOne[0]));
  });

  it("reviewTableOne matches §1.2 of EXPERIMENTS.md row by row", (t) => {
    const file = experimentsPath();
    if (!file) {
      t.skip("../shared/EXPERIMENTS.md is not beside the repository");
      return;
    }
    const section = fs.readFileSync(file, "utf8").split("### 1.2")[1]!.split("Notes [V]")[0]!;
    const rows = section.split("\n")
      .filter((l) => l.startsWith("|") && !l.startsWith("| Model") && !l.startsWith("|---") && !l.startsWith("| **"))
      .map((l) => l.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim()));
    assert.equal(rows.length, reviewTableOne.length);
    rows.forEach(([model, architecture, method, dataset, accuracy], i) => {
      const row = reviewTableOne[i]!;
      assert.equal(`${row.model} ${row.refs}`, model, `row ${i} model`);
      assert.equal(row.architecture, architecture, `row ${i} architecture`);
      assert.equal(row.learningMethod, method, `row ${i} method`);
      assert.equal(row.dataset, dataset, `row ${i} dataset`);
      assert.equal(row.accuracy, Number(accuracy), `row ${i} accuracy`);
    });
  });

  it("reviewTableOne keeps the headline numbers the notebooks compare against", () => {
    const find = (author: string, method: string, dataset = "MNIST") =>
      reviewTableOne.find((r) => r.author === author && r.learningMethod === method && r.dataset === dataset)?.accuracy;
    assert.equal(find("Diehl", "STDP (2-layer)"), 95.0);
    assert.equal(find("O'Connor", "Fractional stochastic gradient descent"), 97.93);
    assert.equal(find("Neftci", "Event-driven random backpropagation"), 97.98);
    assert.equal(find("Rueckauer", "Offline learning, conversion"), 99.44);
  });
});
