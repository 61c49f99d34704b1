/**
 * Self-contained HTML exports of executed notebooks (`npm run export`): one file that renders
 * offline, from a disk or an e-mail attachment, with no Jupyter server and no network.
 *
 * plotly.js is inlined once in the page head, and every figure is drawn from its
 * `application/vnd.plotly.v1+json` part. The figure's own `text/html` part is never used: it
 * loads plotly.js from a Jupyter server, which an exported page does not have. Other outputs
 * show their best MIME type; markdown cells are rendered by kernel/markdown.ts; every string
 * that came from the notebook is escaped, except `text/html` and `image/svg+xml` outputs, which
 * the notebook's own code produced and a front end would render as they are.
 */
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../src/io/atomic-write";
import { repoRoot } from "./jupyter";
import { markdownToHtml } from "./markdown";
import { PLOTLY_MIME, escapeHtml, plotlyScriptPath, scriptJson } from "./mime";
import type { Notebook, NotebookCell, NotebookOutput } from "./runner";

export interface ExportOptions {
  /** The page title (default: the text of the notebook's first heading, else "Notebook"). */
  readonly title?: string;
}

export interface ExportFileOptions extends ExportOptions {
  /** The HTML file to write (ends in `.html`); overrides `outDir`. */
  readonly out?: string;
  /**
   * The folder for `<notebook name>.html` (default `exportDir`: build/export/ in the repository,
   * which git ignores, so exports never sit untracked beside the notebooks).
   */
  readonly outDir?: string;
}

/** Where `npm run export` writes by default: build/export/ in the repository (git-ignored). */
export const exportDir = path.join(repoRoot, "build", "export");

// Matches CSI sequences (colours, cursor moves), OSC sequences (titles, links) and the
// remaining two-character escapes, which tracebacks from tslab and Node carry.
const ANSI_RE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * Removes ANSI escape sequences (terminal colours, hyperlinks) from text.
 * @example
 *   stripAnsi("\u001b[31mError\u001b[0m: boom"); // "Error: boom"
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_RE, "");
}

/** Terminal text as a reader saw it: ANSI codes removed, carriage returns overwrite the line. */
function terminalText(text: string): string {
  return stripAnsi(text).replace(/\r\n/g, "\n").split("\n").map((line) => line.slice(line.lastIndexOf("\r") + 1)).join("\n");
}

function joined(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join("");
  return typeof value === "string" ? value : "";
}

const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;

/**
 * Holds what a page accumulates while its cells render: the figure counter, so ids are unique
 * and deterministic.
 */
interface PageState {
  figures: number;
}

function figureHtml(spec: unknown, state: PageState): string {
  const figure = (typeof spec === "object" && spec !== null ? spec : {}) as { data?: unknown; layout?: Record<string, unknown>; config?: Record<string, unknown> };
  const layout = typeof figure.layout === "object" && figure.layout !== null ? figure.layout : {};
  const height = typeof layout.height === "number" && Number.isFinite(layout.height) ? layout.height : 450;
  const id = `snnlab-figure-${++state.figures}`;
  const payload = { data: Array.isArray(figure.data) ? figure.data : [], layout, config: { responsive: true, ...(figure.config ?? {}) } };
  return `<div class="snnlab-figure" id="${id}" style="min-height:${height}px"></div>\n` +
    `<script type="application/json" id="${id}-spec">${scriptJson(payload)}</script>`;
}

function preHtml(text: string, className: string): string {
  return `<pre class="${className}">${escapeHtml(text)}</pre>`;
}

/** One display_data / execute_result bundle, by the richest MIME type a static page can show. */
function bundleHtml(output: NotebookOutput, state: PageState): string {
  const data = (typeof output.data === "object" && output.data !== null ? output.data : {}) as Record<string, unknown>;
  const metadata = (typeof output.metadata === "object" && output.metadata !== null ? output.metadata : {}) as Record<string, unknown>;
  if (data[PLOTLY_MIME] !== undefined) return figureHtml(data[PLOTLY_MIME], state);
  if (data["text/html"] !== undefined) return `<div class="output-html">${joined(data["text/html"])}</div>`;
  if (data["image/svg+xml"] !== undefined) return `<div class="output-svg">${joined(data["image/svg+xml"])}</div>`;
  for (const type of IMAGE_TYPES) {
    if (data[type] === undefined) continue;
    const size = (metadata[type] ?? {}) as { width?: unknown; height?: unknown };
    const dims = [["width", size.width], ["height", size.height]]
      .filter(([, v]) => typeof v === "number" && Number.isFinite(v))
      .map(([k, v]) => ` ${k}="${v}"`).join("");
    return `<img class="output-image" src="data:${type};base64,${escapeHtml(joined(data[type]).replace(/\s+/g, ""))}"${dims} alt="">`;
  }
  if (data["text/markdown"] !== undefined) return `<div class="output-markdown">${markdownToHtml(joined(data["text/markdown"]))}</div>`;
  if (data["text/latex"] !== undefined) return preHtml(joined(data["text/latex"]), "output-text");
  if (data["application/json"] !== undefined) return preHtml(JSON.stringify(data["application/json"], null, 2), "output-text");
  if (data["text/plain"] !== undefined) return preHtml(terminalText(joined(data["text/plain"])), "output-text");
  const types = Object.keys(data);
  return `<p class="output-note">${escapeHtml(`(output of type ${types.join(", ") || "none"} is not shown in exports)`)}</p>`;
}

function outputHtml(output: NotebookOutput, state: PageState): string {
  switch (output.output_type) {
    case "stream": {
      const name = output.name === "stderr" ? "stderr" : "stdout";
      return preHtml(terminalText(joined(output.text)), `output-stream ${name}`);
    }
    case "error": {
      const traceback = Array.isArray(output.traceback) ? output.traceback.map(String).join("\n") : "";
      return preHtml(terminalText(traceback || `${String(output.ename)}: ${String(output.evalue)}`), "output-error");
    }
    case "display_data":
    case "execute_result":
      return bundleHtml(output, state);
    default:
      return "";
  }
}

function prompt(kind: "In" | "Out", count: unknown): string {
  const n = typeof count === "number" ? String(count) : " ";
  return `<div class="prompt">${kind}&nbsp;[${escapeHtml(n)}]:</div>`;
}

function attachmentResolver(cell: NotebookCell): (source: string) => string | undefined {
  const attachments = (cell as { attachments?: Record<string, Record<string, unknown>> }).attachments ?? {};
  return (source) => {
    if (!source.startsWith("attachment:")) return undefined;
    const bundle = attachments[source.slice("attachment:".length)];
    const type = bundle && Object.keys(bundle).find((t) => t.startsWith("image/"));
    return type ? `data:${type};base64,${joined(bundle[type]).replace(/\s+/g, "")}` : undefined;
  };
}

function cellHtml(cell: NotebookCell, language: string, state: PageState): string {
  const source = joined(cell.source);
  if (cell.cell_type === "markdown") {
    return `<section class="cell markdown">${markdownToHtml(source, { resolveImage: attachmentResolver(cell) })}</section>`;
  }
  if (cell.cell_type === "raw") return `<section class="cell raw">${preHtml(source, "raw")}</section>`;
  const outputs = (Array.isArray(cell.outputs) ? cell.outputs : [])
    .map((output) => {
      const html = outputHtml(output, state);
      if (!html) return "";
      const lead = output.output_type === "execute_result" ? prompt("Out", output.execution_count) : '<div class="prompt"></div>';
      return `<div class="output">${lead}<div class="output-body">${html}</div></div>`;
    })
    .filter(Boolean);
  return `<section class="cell code">\n<div class="input">${prompt("In", cell.execution_count)}` +
    `<pre class="source"><code class="language-${escapeHtml(language)}">${escapeHtml(source)}</code></pre></div>\n` +
    (outputs.length ? `<div class="outputs">\n${outputs.join("\n")}\n</div>\n` : "") + "</section>";
}

/** The first heading of the notebook's markdown, as plain text. */
function firstHeading(nb: Notebook): string | undefined {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const match = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(joined(cell.source));
    if (match) return match[1]!.replace(/[`*_]|\\(?=\S)/g, "");
  }
  return undefined;
}

let plotlyCache: { file: string; html: string } | undefined;

/**
 * The installed plotly.js as one inline `<script>` element, for pages that must work offline.
 * The bundle goes in verbatim when that is safe in HTML (no `<script` or `</script` anywhere in
 * it, true of plotly.js 4); otherwise as a base64 data URL, which no text can break out of.
 * @example
 *   `<head>${plotlyScriptTag()}</head>`
 */
export function plotlyScriptTag(): string {
  const file = plotlyScriptPath();
  if (plotlyCache?.file !== file) {
    const source = fs.readFileSync(file, "utf8");
    const html = /<\/?script/i.test(source)
      ? `<script src="data:text/javascript;base64,${Buffer.from(source, "utf8").toString("base64")}"></script>`
      : `<script>${source}\n</script>`;
    plotlyCache = { file, html };
  }
  return plotlyCache.html;
}

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main.notebook { max-width: 1100px; margin: 0 auto; padding: 24px 24px 64px; }
.cell { margin: 12px 0; }
.cell.markdown { padding: 0 8px 0 92px; }
.input, .output { display: flex; align-items: flex-start; }
.prompt { flex: 0 0 84px; padding: 6px 8px 0 0; text-align: right; color: #303f9f; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: nowrap; }
.output .prompt { color: #d84315; }
.input pre.source { flex: 1; margin: 0; padding: 6px 8px; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; overflow-x: auto; }
.output-body { flex: 1; min-width: 0; overflow-x: auto; padding: 4px 0; }
pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
pre.output-stream, pre.output-text, pre.output-error, pre.raw { margin: 0; padding: 2px 8px; }
pre.stderr { background: #fff5f5; }
pre.output-error { background: #ffebe9; color: #82071e; }
.cell.markdown pre { background: #f6f8fa; padding: 8px; border-radius: 4px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 10px; text-align: left; }
th { background: #f6f8fa; }
blockquote { margin: 8px 0; padding: 0 12px; color: #57606a; border-left: 4px solid #d0d7de; }
img { max-width: 100%; }
.snnlab-figure { width: 100%; }
.snnlab-figure-error { color: #a00; font-family: sans-serif; }
.output-note { color: #666; font-style: italic; }
`;

// Draws every figure from its JSON spec once plotly.js (inlined in the head) is there. It runs
// at the end of <body>, so all figure elements exist; it marks <body data-figures="drawn"> when
// every figure has settled, which tests (and curious readers) can wait for.
const DRAW_SCRIPT = `(function () {
  function fail(el) {
    return function (err) {
      var p = document.createElement("p");
      p.className = "snnlab-figure-error";
      p.textContent = "This figure could not be drawn: " + String(err && err.message || err);
      el.appendChild(p);
    };
  }
  var figures = document.querySelectorAll(".snnlab-figure");
  var pending = [];
  for (var i = 0; i < figures.length; i++) {
    var el = figures[i];
    try {
      if (typeof Plotly === "undefined") throw new Error("plotly.js did not load");
      var spec = JSON.parse(document.getElementById(el.id + "-spec").textContent);
      pending.push(Promise.resolve(Plotly.newPlot(el, spec.data, spec.layout, spec.config)).catch(fail(el)));
    } catch (err) {
      fail(el)(err);
    }
  }
  Promise.all(pending).then(function () { document.body.setAttribute("data-figures", "drawn"); });
})();`;

/**
 * The notebook as one self-contained HTML page (plotly.js inlined, figures drawn from their
 * JSON parts, markdown rendered, every notebook string escaped). Pure: the same notebook gives
 * the same page.
 * @example
 *   const html = exportNotebookHtml(JSON.parse(fs.readFileSync("notebooks/01-lif.ipynb", "utf8")));
 *   html.startsWith("<!DOCTYPE html>"); // true
 */
export function exportNotebookHtml(nb: Notebook, options: ExportOptions = {}): string {
  if (!isNotebook(nb)) {
    throw new Error(`exportNotebookHtml: nb must be an nbformat 4 notebook, got ${nb === null ? "null" : typeof nb === "object" ? `nbformat ${String((nb as { nbformat?: unknown }).nbformat)}` : typeof nb}`);
  }
  if (options.title !== undefined && typeof options.title !== "string") {
    throw new Error(`exportNotebookHtml: title must be a string, got ${typeof options.title}`);
  }
  const title = options.title ?? firstHeading(nb) ?? "Notebook";
  const language = String((nb.metadata?.language_info as { name?: unknown } | undefined)?.name ?? "typescript");
  const state: PageState = { figures: 0 };
  const cells = nb.cells.map((cell) => cellHtml(cell, language, state)).join("\n");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="snnlab export">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    state.figures > 0 ? plotlyScriptTag() : "",
    "</head>",
    "<body>",
    '<main class="notebook">',
    cells,
    "</main>",
    state.figures > 0 ? `<script>${DRAW_SCRIPT}</script>` : "",
    "</body>",
    "</html>",
    "",
  ].filter((line) => line !== "").join("\n");
}

function isNotebook(value: unknown): value is Notebook {
  return typeof value === "object" && value !== null && (value as Notebook).nbformat === 4 &&
    Array.isArray((value as Notebook).cells) &&
    (value as Notebook).cells.every((c) => typeof c === "object" && c !== null && typeof c.cell_type === "string");
}

function notebookError(file: string, reason: string): Error {
  return new Error(`export: notebook must be an nbformat 4 .ipynb file, got ${file} (${reason})`);
}

/**
 * Exports the notebook file `file` to a self-contained HTML file and returns the path written
 * (default: `exportDir`/<notebook name>.html). Nothing is written when the notebook cannot be
 * read.
 * @example
 *   exportNotebookFile("notebooks/01-lif.ipynb"); // "…/build/export/01-lif.html"
 */
export function exportNotebookFile(file: string, options: ExportFileOptions = {}): string {
  if (!file.endsWith(".ipynb")) throw notebookError(file, "not an .ipynb file");
  let nb: unknown;
  try {
    nb = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw notebookError(file, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : code ? code : "not valid JSON");
  }
  if (!isNotebook(nb)) {
    const version = typeof nb === "object" && nb !== null ? (nb as { nbformat?: unknown }).nbformat : undefined;
    throw notebookError(file, version === undefined ? "not a notebook" : `nbformat ${String(version)}`);
  }
  const out = options.out ?? path.join(options.outDir ?? exportDir, path.basename(file).replace(/\.ipynb$/, ".html"));
  if (!out.endsWith(".html")) throw new Error(`export: out must end in .html, got ${out}`);
  const html = exportNotebookHtml(nb, { title: options.title });
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileAtomic(out, html);
  return path.resolve(out);
}
