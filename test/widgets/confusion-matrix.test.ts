import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { confusionMatrix, confusionMatrixDefaults } from "../../widgets/confusion-matrix";
import { expectError, expectClose } from "../helpers/close";
import { snapshot, traceAt } from "./fixtures";

describe("confusionMatrix", () => {
  it("confusionMatrix(matrix) has the expected defaults", () => {
    assert.deepEqual(confusionMatrixDefaults, {
      title: "", height: 500, width: null, classNames: null, classes: null, normalize: "none", colorscale: [[0, "#f7fbff"], [1, "#08306b"]],
    });
    assert.ok(Object.isFrozen(confusionMatrixDefaults));
  });

  it("confusionMatrix(matrix) states the accuracy trace/total in the title", () => {
    const matrix = [[50, 3, 2], [4, 40, 6], [1, 9, 35]];
    const fig = confusionMatrix(matrix);
    const z = traceAt(fig, 0).z as number[][];
    const trace = z.reduce((s, row, i) => s + row[i]!, 0);
    const total = z.flat().reduce((a, b) => a + b, 0);
    const match = /accuracy ([\d.]+) % \(n = 150\)/.exec(fig.layout.title!.text);
    assert.ok(match, fig.layout.title!.text);
    expectClose(Number(match[1]), (100 * trace) / total, { atol: 0.005, message: "two decimals" });
    assert.equal(match[1], ((100 * 125) / 150).toFixed(2));
  });

  it("confusionMatrix({predicted, actual}) counts labels into matrix[actual][predicted] and annotates the counts", () => {
    const fig = confusionMatrix({ predicted: [0, 1, 1, 2, 0], actual: [0, 1, 2, 2, 2] });
    assert.deepEqual(traceAt(fig, 0).z, [[1, 0, 0], [0, 1, 0], [1, 1, 1]]);
    assert.deepEqual(traceAt(fig, 0).text, [["1", "0", "0"], ["0", "1", "0"], ["1", "1", "1"]]);
    assert.equal(traceAt(fig, 0).texttemplate, "%{text}");
    assert.deepEqual(traceAt(fig, 0).x, ["0", "1", "2"]);
    assert.equal(fig.layout.title!.text, "accuracy 60.00 % (n = 5)");
  });

  it("confusionMatrix(matrix, {colorscale}) takes a Plotly name or stops, white to dark blue by default", () => {
    assert.deepEqual(traceAt(confusionMatrix([[1]]), 0).colorscale, [[0, "#f7fbff"], [1, "#08306b"]]);
    assert.equal(traceAt(confusionMatrix([[1]], { colorscale: "Viridis" }), 0).colorscale, "Viridis");
  });

  it("confusionMatrix(labels, {classes}) sizes the matrix even when the last class never occurs", () => {
    assert.equal((traceAt(confusionMatrix({ predicted: [0], actual: [0] }, { classes: 3 }), 0).z as number[][]).length, 3);
  });

  it("confusionMatrix(matrix, {normalize}) divides by the actual-class, predicted-class or total counts", () => {
    const m = [[3, 1], [0, 4]];
    assert.deepEqual(traceAt(confusionMatrix(m, { normalize: "actual" }), 0).z, [[0.75, 0.25], [0, 1]]);
    assert.deepEqual(traceAt(confusionMatrix(m, { normalize: "predicted" }), 0).z, [[1, 0.2], [0, 0.8]]);
    assert.deepEqual(traceAt(confusionMatrix(m, { normalize: "all" }), 0).z, [[0.375, 0.125], [0, 0.5]]);
    assert.deepEqual(traceAt(confusionMatrix(m, { normalize: "actual" }), 0).text, [["0.75", "0.25"], ["0.00", "1.00"]]);
    assert.equal(confusionMatrix(m, { normalize: "all" }).layout.title!.text, "accuracy 87.50 % (n = 8)");
  });

  it("confusionMatrix(matrix, {classNames, title}) escapes them and leaves the matrix alone", () => {
    const m = [[1, 0], [0, 1]];
    const before = snapshot(m);
    const fig = confusionMatrix(m, { classNames: ["<cat>", "dog & co"], title: "<script>x</script>" });
    assert.deepEqual(traceAt(fig, 0).x, ["&lt;cat&gt;", "dog &amp; co"]);
    assert.equal(fig.layout.title!.text, "&lt;script&gt;x&lt;/script&gt; — accuracy 100.00 % (n = 2)");
    assert.deepEqual(m, before);
  });

  it("confusionMatrix(input, options) rejects bad input with the standard message", () => {
    expectError(() => confusionMatrix([[1, 2], [3]]), "confusionMatrix: matrix[1] must be an array of 2 counts (square matrix), got Array(1)");
    expectError(() => confusionMatrix([[1, -2], [3, 4]]), "confusionMatrix: matrix[0][1] must be a finite number >= 0, got -2");
    expectError(() => confusionMatrix({ predicted: [0, 1], actual: [0] }), "confusionMatrix: actual.length must equal predicted.length (2), got 1");
    expectError(() => confusionMatrix({ predicted: [0, 3], actual: [0, 1] }, { classes: 2 }), "confusionMatrix: predicted[1] must be an integer in [0, 1], got 3");
    expectError(() => confusionMatrix([[1]], { classNames: ["a", "b"] }), "confusionMatrix: classNames.length must equal the number of classes (1), got 2");
    expectError(() => confusionMatrix([[1, 0], [0, 1]], { classNames: ["a", "a"] }), "confusionMatrix: classNames must be distinct, got Array(2)");
    expectError(() => confusionMatrix([[1]], { colorscale: [[0, "#fff"], [2, "#000"]] }), "confusionMatrix: colorscale[1] must be [position in [0, 1], colour], got Array(2)");
    expectError(() => confusionMatrix([[1]], { normalize: "rows" as never }), 'confusionMatrix: normalize must be one of "none", "actual", "predicted", "all", got "rows"');
  });

  it("the file-head @example runs", () => {
    const fig = confusionMatrix({ predicted: [0, 1, 1, 2], actual: [0, 1, 2, 2] }, { classNames: ["a", "b", "c"] });
    assert.equal(fig.layout.title?.text, "accuracy 75.00 % (n = 4)");
  });
});
