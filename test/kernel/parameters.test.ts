/**
 * Typed notebook parameters (kernel/parameters.ts): declarations read with the TypeScript checker,
 * values checked against them with one message, and papermill's injected cell.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { expectError } from "../helpers/close";
import { repoRoot } from "../../kernel/jupyter";
import { INJECTED_TAG, checkParameter, injectParameters, injectedSource, parameterDeclarations } from "../../kernel/parameters";
import { type Notebook, readNotebook, sourceOf } from "../../kernel/runner";

const CELL = [
  "const quick = false;            // the runner sets this",
  "const seed = 1;",
  "let label = \"digits\";",
  "const update = \"fractional\";",
  "const neurons = quick ? 100 : 400;",
  "const encoding: \"constant\" | \"poisson\" = \"constant\";",
  "const sizes = [784, 200, 10];",
  "const total = neurons * 2, half = total / 2;",
].join("\n");

function notebook(parameters: string): Notebook {
  return {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "snnlab" } },
    cells: [
      { cell_type: "markdown", id: "a", metadata: {}, source: "# title" },
      { cell_type: "code", id: "b", metadata: { tags: ["parameters"] }, source: parameters, outputs: [], execution_count: null },
      { cell_type: "code", id: "c", metadata: {}, source: "console.log(neurons);", outputs: [], execution_count: null },
    ],
  };
}

describe("parameters", () => {
  it("parameterDeclarations(source) gives each declaration's settable type, keyword and the names it reads", () => {
    const declarations = parameterDeclarations(CELL);
    assert.deepEqual(declarations.map((d) => [d.name, d.keyword, d.type, d.values, d.uses]), [
      ["quick", "const", "boolean", undefined, []],
      ["seed", "const", "number", undefined, []],
      ["label", "let", "string", undefined, []],
      ["update", "const", "string", undefined, []],
      ["neurons", "const", "number", undefined, ["quick"]],
      ["encoding", "const", "string", ["constant", "poisson"], []],
      ["sizes", "const", undefined, undefined, []],
      ["total", "const", "number", undefined, ["neurons"]],
      ["half", "const", "number", undefined, ["total"]],
    ]);
    assert.equal(declarations[5]!.annotation, "\"constant\" | \"poisson\"");
    assert.equal(declarations[4]!.text, "neurons = quick ? 100 : 400");
    assert.deepEqual(declarations[3]!.literals, ["fractional"]);
    assert.equal(declarations[2]!.literals, undefined, "let widens to string");
  });

  it("checkParameter(name, value) converts command-line text to the declared type", () => {
    const declarations = parameterDeclarations(CELL);
    assert.equal(checkParameter("neurons", "1600", declarations, "nb"), 1600);
    assert.equal(checkParameter("neurons", 1e3, declarations, "nb"), 1000);
    assert.equal(checkParameter("quick", "true", declarations, "nb"), true);
    assert.equal(checkParameter("quick", false, declarations, "nb"), false);
    assert.equal(checkParameter("label", "123", declarations, "nb"), "123");
    assert.equal(checkParameter("encoding", "poisson", declarations, "nb"), "poisson");
  });

  it("checkParameter(name, value) refuses a value of another type, an undeclared name and an unsettable declaration", () => {
    const declarations = parameterDeclarations(CELL);
    const where = "notebooks/10-diehl-cook.ipynb";
    expectError(() => checkParameter("update", 3, declarations, where), /^runner: parameter update must be a string/);
    expectError(() => checkParameter("neurons", "abc", declarations, where),
      "runner: parameter neurons must be a number (declared in the parameters cell of notebooks/10-diehl-cook.ipynb), got \"abc\"");
    expectError(() => checkParameter("neurons", "", declarations, where), /must be a number .*, got ""$/);
    expectError(() => checkParameter("neurons", "Infinity", declarations, where), /must be a number/);
    expectError(() => checkParameter("quick", "yes", declarations, where), /^runner: parameter quick must be a boolean \(declared in .*\), got "yes"$/);
    expectError(() => checkParameter("label", 5, declarations, where), /^runner: parameter label must be a string \(declared in .*\), got 5$/);
    expectError(() => checkParameter("encoding", "rate", declarations, where),
      /^runner: parameter encoding must be one of "constant", "poisson" \(declared in .*\), got "rate"$/);
    expectError(() => checkParameter("epochs", "3", declarations, where),
      /^runner: parameter epochs must be declared in the parameters cell of notebooks\/10-diehl-cook\.ipynb \(it declares quick, seed, label, update, neurons, encoding, sizes, total, half\), got epochs="3"$/);
    expectError(() => checkParameter("sizes", "784", declarations, where),
      /^runner: parameter sizes must be declared as a number, boolean or string to be set \(the parameters cell of .* declares `sizes = \[784, 200, 10\]`\), got "784"$/);
  });

  it("injectedSource(values) declares the values with the declared types, and declares again what reads them", () => {
    const declarations = parameterDeclarations(CELL);
    assert.equal(injectedSource({ quick: true, encoding: "poisson" }, declarations), [
      "// Parameters",
      "const quick: boolean = true;",
      "const encoding: \"constant\" | \"poisson\" = \"poisson\";",
      "// Recomputed from the parameters cell: they depend on the values above",
      "const neurons = quick ? 100 : 400;",
      "const total = neurons * 2;",
      "const half = total / 2;",
    ].join("\n"));
    assert.equal(injectedSource({ quick: true, neurons: 1600, label: "a \"b\"", update: "sgd" }, declarations), [
      "// Parameters",
      "const quick: boolean = true;",
      "const neurons: number = 1600;",
      "let label: string = \"a \\\"b\\\"\";",
      "const update: \"fractional\" | \"sgd\" = \"sgd\";",
      "// Recomputed from the parameters cell: they depend on the values above",
      "const total = neurons * 2;",
      "const half = total / 2;",
    ].join("\n"));
  });

  it("injectParameters(nb, values) inserts a cell tagged injected-parameters after the parameters cell and records the values", () => {
    const nb = notebook(CELL);
    const before = JSON.stringify(nb);
    const { notebook: out, parameters } = injectParameters(nb, { neurons: "1600" }, "nb");
    assert.deepEqual(parameters, { neurons: 1600 });
    assert.equal(JSON.stringify(nb), before, "the input is not mutated");
    assert.deepEqual(out.cells.map((c) => c.id), ["a", "b", INJECTED_TAG, "c"]);
    const cell = out.cells[2]!;
    assert.deepEqual(cell.metadata, { tags: [INJECTED_TAG] });
    assert.equal(sourceOf(cell), "// Parameters\nconst neurons: number = 1600;\n// Recomputed from the parameters cell: they depend on the values above\nconst total = neurons * 2;\nconst half = total / 2;");
    assert.deepEqual(out.metadata, { kernelspec: { name: "snnlab" }, papermill: { parameters: { neurons: 1600 } } });
  });

  it("injectParameters(executed, values) replaces the injected cell of an earlier run, as papermill does", () => {
    const first = injectParameters(notebook(CELL), { neurons: 1600, seed: 2 }, "nb").notebook;
    const { notebook: second } = injectParameters(first, { quick: true }, "nb");
    assert.equal(second.cells.length, 4);
    assert.equal(second.cells.filter((c) => (c.metadata.tags ?? []).includes(INJECTED_TAG)).length, 1);
    assert.match(sourceOf(second.cells[2]!), /^\/\/ Parameters\nconst quick: boolean = true;\n/);
    assert.doesNotMatch(sourceOf(second.cells[2]!), /seed/);
    assert.deepEqual((second.metadata.papermill as { parameters: unknown }).parameters, { quick: true });
  });

  it("injectParameters(nb, {}) returns an unchanged copy; values without a parameters cell are refused", () => {
    const nb = notebook(CELL);
    assert.deepEqual(injectParameters(nb, {}, "nb").notebook, nb);
    const bare = { ...nb, cells: [nb.cells[0]!, nb.cells[2]!] };
    expectError(() => injectParameters(bare, { quick: true }, "x.ipynb"), "runner: x.ipynb must have a code cell tagged \"parameters\" to take parameters, got quick");
  });

  it("every series notebook's parameters cell declares quick as a boolean, so --quick applies to each", () => {
    const files = fs.readdirSync(path.join(repoRoot, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f));
    assert.ok(files.length > 0);
    for (const file of files) {
      const { parameters } = injectParameters(readNotebook(path.join(repoRoot, "notebooks", file)), { quick: true }, file);
      assert.deepEqual(parameters, { quick: true }, file);
    }
  });
});
