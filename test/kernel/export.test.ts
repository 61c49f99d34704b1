/**
 * Self-contained HTML exports: plotly.js inlined once, figures drawn from their plotly JSON (not
 * their server-loading HTML), every output type, escaping, atomic files and the one error for
 * bad input. The rendered page is checked in a real browser by test/browser/notebook-render.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseExportArgs } from "../../kernel/bin/export";
import { spawnSync } from "node:child_process";
import { exportDir, exportNotebookFile, exportNotebookHtml, plotlyScriptTag, stripAnsi } from "../../kernel/export";
import { repoRoot } from "../../kernel/jupyter";
import { figureBundle, plotlyScriptPath } from "../../kernel/mime";
import type { Notebook } from "../../kernel/runner";

const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

function sampleNotebook(): Notebook {
  const figure = (title: string) => ({ data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: { title: { text: title }, height: 300 } });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: "typescript" } },
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# Sample <notebook>\n", "Some *emphasis*, $\\tau_m$ and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |"] },
      {
        cell_type: "code", metadata: {}, execution_count: 3, source: 'show(fig);\nconst s = "<script>alert(1)</script>";',
        outputs: [
          { output_type: "stream", name: "stdout", text: ["progress 10%\rprogress 100%\n", "<b>not bold</b>\n"] },
          { output_type: "display_data", data: figureBundle(figure("one")), metadata: {} },
          { output_type: "display_data", data: figureBundle(figure("two <&>")), metadata: {} },
        ],
      },
      {
        cell_type: "code", metadata: {}, execution_count: 4, source: "table",
        outputs: [
          { output_type: "execute_result", execution_count: 4, data: { "text/html": "<table class=\"kept\"><tr><td>1</td></tr></table>", "text/plain": "Table" }, metadata: {} },
          { output_type: "display_data", data: { "image/png": PNG_1X1, "text/plain": "<image>" }, metadata: { "image/png": { width: 20 } } },
          { output_type: "display_data", data: { "text/plain": "a < b" }, metadata: {} },
        ],
      },
      {
        cell_type: "code", metadata: {}, execution_count: null, source: "throw new Error()",
        outputs: [{ output_type: "error", ename: "Error", evalue: "boom", traceback: ["\u001b[31mError\u001b[0m: boom <here>", "    at \u001b[1mcell\u001b[22m"] }],
      },
      { cell_type: "raw", metadata: {}, source: "<raw & text>" },
    ],
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-export-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("exportNotebookHtml", () => {
  const html = exportNotebookHtml(sampleNotebook());

  it("exportNotebookHtml(nb) inlines plotly.js once, in the head", () => {
    const plotly = fs.readFileSync(plotlyScriptPath(), "utf8");
    const marker = plotly.slice(0, 200);
    assert.equal(count(html, marker), 1);
    assert.ok(html.indexOf(marker) < html.indexOf("</head>"), "plotly.js is in the head");
    assert.equal(plotlyScriptTag(), `<script>${plotly}\n</script>`, "plotly.js 4 has no <script in it, so it goes in verbatim");
  });

  it("exportNotebookHtml(nb) draws each figure from its plotly JSON, never from its server-loading HTML", () => {
    assert.equal(count(html, 'class="snnlab-figure"'), 2);
    assert.equal(count(html, 'type="application/json"'), 2);
    assert.ok(html.includes('id="snnlab-figure-1"') && html.includes('id="snnlab-figure-2-spec"'));
    const page = html.replace(plotlyScriptTag(), "");
    assert.ok(!page.includes("files/node_modules"), "the figure's text/html part (which loads plotly from a server) is left out");
    assert.ok(!page.includes("cdn.plot.ly") && !page.includes("drawn by a script"));
    assert.ok(html.includes("two \\u003c&>"), "the spec JSON cannot close its <script>");
    assert.ok(html.includes("Plotly.newPlot(el, spec.data, spec.layout, spec.config)"));
  });

  it("exportNotebookHtml(nb) shows sources with execution counts and escapes every notebook string", () => {
    assert.ok(html.includes("In&nbsp;[3]:") && html.includes("In&nbsp;[ ]:") && html.includes("Out&nbsp;[4]:"));
    assert.ok(html.includes("const s = &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;;"));
    assert.ok(!html.includes("<script>alert(1)"));
    assert.ok(html.includes("<title>Sample &lt;notebook&gt;</title>"), "the title is the first heading, escaped");
    assert.ok(html.includes("&lt;raw &amp; text&gt;"));
  });

  it("exportNotebookHtml(nb) renders markdown cells and leaves math as text", () => {
    assert.ok(html.includes('<h1 id="Sample-&lt;notebook&gt;">Sample &lt;notebook&gt;</h1>'));
    assert.ok(html.includes("<em>emphasis</em>"));
    assert.ok(html.includes('<span class="math">$\\tau_m$</span>'));
    assert.match(html, /<th>a<\/th>\s*<th>b<\/th>/);
  });

  it("exportNotebookHtml(nb) shows outputs by their best MIME type", () => {
    assert.ok(html.includes('<pre class="output-stream stdout">progress 100%\n&lt;b&gt;not bold&lt;/b&gt;\n</pre>'), "carriage returns overwrite; text is escaped");
    assert.ok(html.includes('<table class="kept"><tr><td>1</td></tr></table>'), "text/html goes in as it is");
    assert.ok(html.includes(`<img class="output-image" src="data:image/png;base64,${PNG_1X1}" width="20" alt="">`));
    assert.ok(html.includes('<pre class="output-text">a &lt; b</pre>'));
    assert.ok(html.includes('<pre class="output-error">Error: boom &lt;here&gt;\n    at cell</pre>'), "tracebacks lose their ANSI codes");
  });

  it("exportNotebookHtml(nb, {title}) is deterministic and takes the title as text", () => {
    const nb = sampleNotebook();
    const before = JSON.stringify(nb);
    assert.equal(exportNotebookHtml(nb), exportNotebookHtml(nb));
    assert.ok(exportNotebookHtml(nb, { title: "A & B" }).includes("<title>A &amp; B</title>"));
    assert.equal(JSON.stringify(nb), before, "the notebook is not mutated");
  });

  it("exportNotebookHtml(nb) leaves plotly.js out of a page without figures", () => {
    const page = exportNotebookHtml({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: "text" }] });
    assert.ok(!page.includes("plotly.js v"));
    assert.ok(page.includes("<title>Notebook</title>"));
  });

  it("exportNotebookHtml(x) rejects anything but an nbformat 4 notebook", () => {
    assert.throws(() => exportNotebookHtml({ nbformat: 3, cells: [] } as unknown as Notebook), {
      message: "exportNotebookHtml: nb must be an nbformat 4 notebook, got nbformat 3",
    });
    assert.throws(() => exportNotebookHtml(null as unknown as Notebook), /got null/);
  });

  it("stripAnsi(text) removes colour and cursor codes only", () => {
    assert.equal(stripAnsi("\u001b[1;31mred\u001b[0m \u001b]8;;https://x\u0007link\u001b]8;;\u0007 [1]"), "red link [1]");
  });
});

describe("exportNotebookFile", () => {
  it("exportNotebookFile(file) writes to build/export/ in the repository, which git ignores, and nothing beside the notebook", () => {
    const file = path.join(tmp, "00-default-place.ipynb");
    fs.writeFileSync(file, JSON.stringify(sampleNotebook()));
    const expected = path.join(repoRoot, "build", "export", "00-default-place.html");
    assert.equal(exportDir, path.dirname(expected));
    try {
      assert.equal(exportNotebookFile(file), expected);
      assert.equal(fs.readFileSync(expected, "utf8"), exportNotebookHtml(sampleNotebook()));
      assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith("00-")), ["00-default-place.ipynb"]);
      const ignored = spawnSync("git", ["check-ignore", "-q", path.relative(repoRoot, expected)], { cwd: repoRoot });
      assert.equal(ignored.status, 0, "git check-ignore: build/export/ must be ignored");
    } finally {
      fs.rmSync(expected, { force: true });
    }
  });

  it("exportNotebookFile(file, {outDir}) writes <name>.html there, atomically", () => {
    const file = path.join(tmp, "01-sample.ipynb");
    fs.writeFileSync(file, JSON.stringify(sampleNotebook()));
    const outDir = path.join(tmp, "site");
    const written = exportNotebookFile(file, { outDir });
    assert.equal(written, path.join(outDir, "01-sample.html"));
    assert.equal(fs.readFileSync(written, "utf8"), exportNotebookHtml(sampleNotebook()));
    assert.deepEqual(fs.readdirSync(outDir), ["01-sample.html"], "no temporary file is left");
  });

  it("exportNotebookFile(file, {out}) writes where --out says, creating the folder", () => {
    const file = path.join(tmp, "02-sample.ipynb");
    fs.writeFileSync(file, JSON.stringify(sampleNotebook()));
    const out = path.join(tmp, "site", "page.html");
    assert.equal(exportNotebookFile(file, { out, title: "Page" }), out);
    assert.ok(fs.readFileSync(out, "utf8").includes("<title>Page</title>"));
    assert.throws(() => exportNotebookFile(file, { out: path.join(tmp, "page.txt") }), /^Error: export: out must end in \.html, got /);
  });

  it("exportNotebookFile(bad) throws one clear error and writes nothing", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "bad-"));
    const missing = path.join(dir, "missing.ipynb");
    assert.throws(() => exportNotebookFile(missing), { message: `export: notebook must be an nbformat 4 .ipynb file, got ${missing} (no such file)` });
    const notJson = path.join(dir, "text.ipynb");
    fs.writeFileSync(notJson, "not json");
    assert.throws(() => exportNotebookFile(notJson), { message: `export: notebook must be an nbformat 4 .ipynb file, got ${notJson} (not valid JSON)` });
    const old = path.join(dir, "old.ipynb");
    fs.writeFileSync(old, JSON.stringify({ nbformat: 3, worksheets: [] }));
    assert.throws(() => exportNotebookFile(old), { message: `export: notebook must be an nbformat 4 .ipynb file, got ${old} (nbformat 3)` });
    const other = path.join(dir, "data.json");
    fs.writeFileSync(other, "{}");
    assert.throws(() => exportNotebookFile(other), /^Error: export: notebook must be an nbformat 4 \.ipynb file, got .*data\.json \(not an \.ipynb file\)$/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["data.json", "old.ipynb", "text.ipynb"], "no HTML and no temporary file");
  });
});

describe("npm run export arguments", () => {
  it("parseExportArgs(argv) reads notebooks, -o/--out (a file or a folder) and --title", () => {
    assert.deepEqual(parseExportArgs(["notebooks/01.ipynb", "--out", "x.html", "--title=T"]), { files: ["notebooks/01.ipynb"], out: "x.html", outDir: undefined, title: "T" });
    assert.deepEqual(parseExportArgs(["notebooks/01.ipynb", "-o", "x.html"]), { files: ["notebooks/01.ipynb"], out: "x.html", outDir: undefined, title: undefined });
    assert.deepEqual(parseExportArgs(["a.ipynb", "b.ipynb", "-o", "site"]), { files: ["a.ipynb", "b.ipynb"], out: undefined, outDir: "site", title: undefined });
    assert.deepEqual(parseExportArgs(["a.ipynb", "b.ipynb"]), { files: ["a.ipynb", "b.ipynb"], out: undefined, outDir: undefined, title: undefined });
  });

  it("parseExportArgs(argv) rejects a missing notebook, unknown options and --out with two notebooks", () => {
    assert.throws(() => parseExportArgs([]), /^Error: export: a notebook must be given, got none/);
    assert.throws(() => parseExportArgs(["a.ipynb", "--out"]), /^Error: export: --out must be followed by a value, got none/);
    assert.throws(() => parseExportArgs(["a.ipynb", "--pdf"]), /^Error: export: options must be -o, --out or --title, got --pdf/);
    assert.throws(() => parseExportArgs(["a.ipynb", "b.ipynb", "--out", "x.html"]), /^Error: export: --out file\.html needs exactly one notebook, got 2/);
  });
});
