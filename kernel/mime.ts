/**
 * Turning values into full MIME bundles (house style C7): a figure becomes
 * `application/vnd.plotly.v1+json` + `text/html` + `text/plain` in ONE display, never one MIME
 * type per call. Any value with a `toMimeBundle()` method renders itself; arquero tables show as
 * HTML tables; everything else as `util.inspect` text.
 *
 * The HTML part draws with plotly.js loaded once per page from the installed
 * `plotly.js-dist-min`, served by the Jupyter server (started from the repository root by
 * `npm start`) at `<base>/files/node_modules/plotly.js-dist-min/plotly.min.js`; a CDN copy of the
 * same version is only a fallback. Untrusted notebooks do not run the script, so the stand-in
 * text explains how to see the figure.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import util from "node:util";

/** A MIME bundle: MIME type → content (JSON-serialisable). */
export type MimeBundle = Record<string, unknown>;

/** A Plotly figure spec (structurally: `{data: [...], layout: {...}}`). */
export interface FigureLike {
  data: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** True for a Plotly figure spec. */
export function isFigure(value: unknown): value is FigureLike {
  return (
    typeof value === "object" && value !== null && Array.isArray((value as FigureLike).data) &&
    ((value as FigureLike).layout === undefined || typeof (value as FigureLike).layout === "object")
  );
}

/** HTML-escapes a user string (&, <, >, ", '). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Decodes the five entities `escapeHtml` writes (widget titles arrive already escaped). */
export function unescapeHtml(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e]!);
}

/** JSON that is safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

let plotlyVersionCache: string | undefined;

/** The installed plotly.js-dist-min version (for the CDN fallback URL). */
export function plotlyVersion(): string {
  if (plotlyVersionCache === undefined) {
    try {
      const manifest = require.resolve("plotly.js-dist-min/package.json");
      plotlyVersionCache = String(JSON.parse(fs.readFileSync(manifest, "utf8")).version);
    } catch {
      plotlyVersionCache = "latest";
    }
  }
  return plotlyVersionCache;
}

/** Absolute path of the installed plotly.min.js (for self-contained exports). */
export function plotlyScriptPath(): string {
  return path.join(path.dirname(require.resolve("plotly.js-dist-min/package.json")), "plotly.min.js");
}

function figureTitle(figure: FigureLike): string {
  const title = figure.layout?.title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string") {
    return (title as { text: string }).text;
  }
  return "";
}

const FIGURE_IDS_KEY = Symbol.for("snnlab.kernel.figureIds");

type GlobalWithFigureIds = typeof globalThis & { [FIGURE_IDS_KEY]?: Map<string, number> };

/**
 * The element id of a figure: a hash of its spec and the occurrence of that spec in this
 * process (the kernel session), so that running a notebook again writes byte-identical outputs
 * (a random or clock-based id dirtied every diff) and two identical figures in one notebook get
 * two ids. The count lives on `globalThis`, like the display sink, so every copy of this module
 * agrees.
 */
export function figureElementId(specJson: string): string {
  const hash = createHash("sha256").update(specJson).digest("hex").slice(0, 16);
  const g = globalThis as GlobalWithFigureIds;
  const seen = (g[FIGURE_IDS_KEY] ??= new Map());
  const occurrence = seen.get(hash) ?? 0;
  seen.set(hash, occurrence + 1);
  return `snnlab-figure-${hash}-${occurrence}`;
}

/**
 * The HTML part of a figure: a stand-in paragraph that a script replaces with the plot. The loader
 * runs once per page (window.__snnlabPlotly) and tries the Jupyter server's copy first. The id
 * derives from the content (`figureElementId`), so two notebooks open in one JupyterLab page can
 * hold elements with the same id; they then hold the same figure, and the script draws every
 * element with its id that is not drawn yet.
 */
export function figureHtml(figure: FigureLike): string {
  const spec = { data: figure.data, layout: figure.layout ?? {}, config: { responsive: true, ...(figure.config ?? {}) } };
  const specJson = scriptJson(spec);
  const id = figureElementId(specJson);
  const title = figureTitle(figure);
  const height = typeof figure.layout?.height === "number" ? figure.layout.height : 450;
  const cdn = `https://cdn.plot.ly/plotly-${plotlyVersion()}.min.js`;
  return `<div id="${id}" class="snnlab-figure" style="min-height:${height}px">` +
    `<p style="font-family:sans-serif;color:#666">Figure${title ? ` “${escapeHtml(unescapeHtml(title))}”` : ""}: ` +
    "drawn by a script, which runs when the notebook is trusted (File → Trust Notebook) or the cell is run again.</p></div>\n" +
    `<script type="text/javascript">(function () {
  var els = Array.prototype.filter.call(document.querySelectorAll(${scriptJson(`[id="${id}"]`)}), function (e) {
    return !e.hasAttribute("data-snnlab-drawn");
  });
  if (!els.length) return;
  els.forEach(function (e) { e.setAttribute("data-snnlab-drawn", ""); });
  var spec = ${specJson};
  function base() {
    var b = document.body && document.body.getAttribute("data-base-url");
    if (b) return b;
    var cfg = document.getElementById("jupyter-config-data");
    if (cfg) { try { return JSON.parse(cfg.textContent).baseUrl || "/"; } catch (e) {} }
    return "/";
  }
  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  if (!window.__snnlabPlotly) {
    window.__snnlabPlotly = window.Plotly ? Promise.resolve(window.Plotly) :
      load(base().replace(/\\/?$/, "/") + "files/node_modules/plotly.js-dist-min/plotly.min.js")
        .catch(function () { return load(${scriptJson(cdn)}); })
        .then(function () { return window.Plotly; });
  }
  window.__snnlabPlotly.then(function (Plotly) {
    return Promise.all(els.map(function (el) {
      el.innerHTML = "";
      return Plotly.newPlot(el, spec.data, spec.layout, spec.config);
    }));
  }).catch(function (err) {
    els.forEach(function (el) {
      el.innerHTML = "<p style=\\"font-family:sans-serif;color:#a00\\">plotly.js could not be loaded (" +
        String(err && err.message || err).replace(/[<&]/g, "") + "): start Jupyter with npm start from the repository root.</p>";
    });
  });
})();</script>`;
}

/** The full bundle of a figure: plotly JSON, HTML and text. */
export function figureBundle(figure: FigureLike): MimeBundle {
  const title = figureTitle(figure);
  return {
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout ?? {}, ...(figure.config ? { config: figure.config } : {}) },
    "text/html": figureHtml(figure),
    "text/plain": `Figure${title ? ` "${title}"` : ""} (${figure.data.length} trace${figure.data.length === 1 ? "" : "s"})`,
  };
}

interface ArqueroTableLike {
  numRows(): number;
  numCols(): number;
  toHTML(options?: { limit?: number }): string;
}

function isArqueroTable(value: unknown): value is ArqueroTableLike {
  return typeof value === "object" && value !== null &&
    typeof (value as ArqueroTableLike).toHTML === "function" &&
    typeof (value as ArqueroTableLike).numRows === "function" &&
    typeof (value as ArqueroTableLike).numCols === "function";
}

/** Plain-text rendering, as Node's REPL would print it. */
export function plainText(value: unknown): string {
  return util.inspect(value, { depth: 4, maxArrayLength: 20, breakLength: 100 });
}

/**
 * The MIME bundle of any value: `toMimeBundle()` if it has one, a figure bundle for Plotly specs,
 * an HTML table for arquero tables, else `text/plain`.
 */
export function toMimeBundle(value: unknown): MimeBundle {
  if (typeof value === "object" && value !== null && typeof (value as { toMimeBundle?: unknown }).toMimeBundle === "function") {
    const bundle = (value as { toMimeBundle(): MimeBundle }).toMimeBundle();
    return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": plainText(value) };
  }
  if (isFigure(value)) return figureBundle(value);
  if (isArqueroTable(value)) {
    const rows = value.numRows();
    return {
      "text/html": value.toHTML({ limit: 50 }) + (rows > 50 ? `<p>${rows} rows (first 50 shown)</p>` : ""),
      "text/plain": `Table (${rows} rows × ${value.numCols()} columns)`,
    };
  }
  return { "text/plain": plainText(value) };
}
