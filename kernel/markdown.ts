/**
 * `markdownToHtml(text)`: the Markdown of notebook cells as HTML, for self-contained exports
 * (kernel/export.ts). CommonMark and GitHub tables and strikethrough through markdown-it, bare
 * URLs linked (linkify), headings given Jupyter's ids (markdown-it-anchor), and TeX math found by
 * markdown-it-texmath's `$…$` / `$$…$$` rules.
 *
 * Raw HTML is off: the author's `<script>` shows as text. markdown-it drops links to
 * `javascript:`, `vbscript:`, `file:` and non-image `data:` targets. TeX math is left as escaped
 * text with its delimiters (`<span class="math">`, `<div class="math">`), as a reader without
 * MathJax would see it; the rules only keep Markdown from reading `_` or `*` inside it.
 */
import MarkdownIt from "markdown-it";
import anchor from "markdown-it-anchor";
import texmath from "markdown-it-texmath";
import { escapeHtml } from "./mime";

export interface MarkdownOptions {
  /**
   * Resolves an image source to the URL to write, e.g. `attachment:x.png` to a data URL from the
   * cell's attachments; returning undefined keeps the source as written.
   */
  readonly resolveImage?: (source: string) => string | undefined;
}

/** The plain text of a heading, made into an id as Jupyter does (spaces become hyphens). */
function slug(text: string): string {
  return text.replace(/[`*_~[\]()$\\]/g, "").trim().replace(/\s+/g, "-");
}

const md: MarkdownIt.MarkdownIt = new MarkdownIt({ html: false, linkify: true })
  // texmath renders through a TeX engine; we render its tokens ourselves (below), so the engine
  // it asks for is never called. Given none, it would require KaTeX.
  .use(texmath, { delimiters: "dollars", engine: { renderToString: (tex: string) => escapeHtml(tex) } })
  .use(anchor, { slugify: slug, tabIndex: false });

const inlineMath = (delimiter: string) => (tokens: MarkdownIt.Token[], idx: number): string =>
  `<span class="math">${escapeHtml(`${delimiter}${tokens[idx]!.content}${delimiter}`)}</span>`;
md.renderer.rules.math_inline = inlineMath("$");
md.renderer.rules.math_inline_double = inlineMath("$$");
md.renderer.rules.math_block = (tokens, idx) => `<div class="math">${escapeHtml(`$$${tokens[idx]!.content}$$`)}</div>\n`;
md.renderer.rules.math_block_eqno = (tokens, idx) =>
  `<div class="math">${escapeHtml(`$$${tokens[idx]!.content}$$ (${tokens[idx]!.info})`)}</div>\n`;

const renderImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  // The parser stored the source percent-encoded; the resolver sees it as written.
  const source = md.normalizeLinkText(String(token.attrGet("src") ?? ""));
  const resolved = (env as MarkdownOptions | undefined)?.resolveImage?.(source);
  // A resolved URL passes the same check as a written one; a rejected one keeps the source.
  if (resolved !== undefined && md.validateLink(resolved)) token.attrSet("src", md.normalizeLink(resolved));
  return renderImage(tokens, idx, options, env, self);
};

/**
 * Renders Markdown to HTML with raw HTML shown as text (see the file header for what is
 * supported).
 * @example
 *   markdownToHtml("# Results\nThe rate is *20 Hz* for $\\tau_m = 10$ ms.");
 *   // '<h1 id="Results">Results</h1>\n<p>The rate is <em>20 Hz</em> for <span class="math">$\\tau_m = 10$</span> ms.</p>\n'
 */
export function markdownToHtml(text: string, options: MarkdownOptions = {}): string {
  if (typeof text !== "string") throw new Error(`markdownToHtml: text must be a string, got ${typeof text}`);
  // The options travel to the image rule as markdown-it's per-render `env`.
  return md.render(text, { resolveImage: options.resolveImage });
}
