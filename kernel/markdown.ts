/**
 * `markdownToHtml(text)`: the Markdown of notebook cells as HTML, for self-contained exports
 * (kernel/export.ts). It covers what our notebooks use: ATX and setext headings, paragraphs,
 * emphasis, strong, strikethrough, code spans, fenced and indented code, block quotes, nested
 * bullet and ordered lists, GitHub tables, links, images, autolinks, rules and hard breaks.
 *
 * Everything the author wrote is escaped: raw HTML shows as text, and links keep only http(s),
 * mailto, relative and #anchor targets. TeX math (`$…$`, `$$…$$`) is left as text (escaped, not
 * read as emphasis), as a reader without MathJax would see it.
 */
import { escapeHtml } from "./mime";

export interface MarkdownOptions {
  /**
   * Resolves an image source to the URL to write, e.g. `attachment:x.png` to a data URL from the
   * cell's attachments; returning undefined keeps the source as written.
   */
  readonly resolveImage?: (source: string) => string | undefined;
}

// Placeholders for already-rendered inline HTML: private-use characters that Markdown text never
// needs, so the emphasis rules cannot reach inside code, math or link targets.
const OPEN = "\uE000";
const CLOSE = "\uE001";
const PLACEHOLDER_RE = /\uE000(\d+)\uE001/g;

const SAFE_URL_RE = /^(?:https?:|mailto:|#|\/|\.{1,2}\/|data:image\/(?:png|jpeg|gif|webp);)|^[^:]*$/i;

function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  return SAFE_URL_RE.test(trimmed) ? trimmed : undefined;
}

function inline(text: string, options: MarkdownOptions): string {
  const stash: string[] = [];
  const keep = (html: string): string => `${OPEN}${stash.push(html) - 1}${CLOSE}`;
  let s = text.replace(/[\uE000\uE001]/g, "");
  // Order matters: code and math first (backslashes are literal inside them), then escapes, so
  // nothing inside any of them is read as Markdown.
  s = s.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, __, code: string) => {
    const body = /^ [\s\S]* $/.test(code) && code.trim() !== "" ? code.slice(1, -1) : code;
    return keep(`<code>${escapeHtml(body)}</code>`);
  });
  s = s.replace(/(?<!\\)(?:\$\$[\s\S]+?\$\$|\$(?=\S)[^$\n]*?\S\$(?!\d)|\$\S\$)/g, (math) => keep(`<span class="math">${escapeHtml(math)}</span>`));
  s = s.replace(/<((?:https?|mailto):[^\s<>]+)>/gi, (_, url: string) => keep(`<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`));
  s = s.replace(/\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g, (_, c: string) => keep(escapeHtml(c)));
  s = escapeHtml(s);
  // After escaping, a link's title quotes read &quot;…&quot;.
  const target = String.raw`\(\s*([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+&quot;(.*?)&quot;)?\s*\)`;
  s = s.replace(new RegExp(String.raw`!\[([^\]]*)\]` + target, "g"), (whole, alt: string, src: string, title?: string) => {
    const resolved = options.resolveImage?.(unescapeHtml(src)) ?? unescapeHtml(src);
    const url = safeUrl(resolved);
    if (url === undefined) return keep(whole);
    return keep(`<img src="${escapeHtml(url)}" alt="${attribute(alt)}"${title ? ` title="${attribute(title)}"` : ""}>`);
  });
  s = s.replace(new RegExp(String.raw`\[((?:[^\[\]]|\[[^\[\]]*\])*)\]` + target, "g"), (_, label: string, href: string, title?: string) => {
    const url = safeUrl(unescapeHtml(href));
    const content = emphasis(label);
    if (url === undefined) return keep(content);
    return keep(`<a href="${escapeHtml(url)}"${title ? ` title="${attribute(title)}"` : ""}>${content}</a>`);
  });
  s = s.replace(/(^|[\s(])((?:https?:\/\/)[^\s<]*[^\s<.,:;"')\]])/g, (_, before: string, url: string) =>
    before + keep(`<a href="${url}">${url}</a>`));
  s = emphasis(s);
  s = s.replace(/(?: {2,}|\\)\n/g, "<br>\n");
  return restore(s);

  // Placeholders may nest (a code span inside a link label): restore until none is left.
  function restore(html: string): string {
    let result = html;
    while (result.includes(OPEN)) result = result.replace(PLACEHOLDER_RE, (_, i: string) => stash[Number(i)]!);
    return result;
  }

  /** Escaped text fit for an attribute: protected spans restored, tags dropped. */
  function attribute(html: string): string {
    return restore(html).replace(/<[^>]*>/g, "");
  }
}

function emphasis(s: string): string {
  return s
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?!\w)/g, "$1<strong>$2</strong>")
    .replace(/\*(?=[^\s*])([\s\S]*?[^\s*])\*/g, "<em>$1</em>")
    .replace(/(^|[^\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?!\w)/g, "$1<em>$2</em>")
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "<del>$1</del>");
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);
}

/** The plain text of a heading, made into an id as Jupyter does (spaces become hyphens). */
function slug(text: string): string {
  return text.replace(/[`*_~[\]()$\\]/g, "").trim().replace(/\s+/g, "-");
}

const FENCE_RE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING_RE = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE_RE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE_RE = /^ {0,3}> ?/;
const ITEM_RE = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)/;
const SETEXT_RE = /^ {0,3}(=+|-+)[ \t]*$/;
const TABLE_RULE_RE = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

function indentOf(line: string): number {
  return /^ */.exec(line.replace(/\t/g, "    "))![0].length;
}

function tableCells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

/** Whether `line` starts a block that interrupts a paragraph. */
function interrupts(line: string): boolean {
  const item = ITEM_RE.exec(line);
  return FENCE_RE.test(line) || HEADING_RE.test(line) || RULE_RE.test(line) || QUOTE_RE.test(line) ||
    /^ {0,3}\$\$/.test(line) ||
    // As in CommonMark, only bullets and lists starting at 1 interrupt a paragraph, and not empty.
    (item !== null && (/^[-*+]$/.test(item[2]!) || /^1[.)]$/.test(item[2]!)) && !isBlank(line.slice(item[0].length)));
}

function blocks(lines: readonly string[], options: MarkdownOptions, tight: boolean): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    let match: RegExpExecArray | null;
    if ((match = FENCE_RE.exec(line))) {
      const [, indent, fence, language] = match;
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${fence![0] === "`" ? "`" : "~"}{${fence!.length},}[ \t]*$`).test(lines[i]!)) {
        body.push(lines[i]!.replace(new RegExp(`^ {0,${indent!.length}}`), ""));
        i++;
      }
      i++;
      const cls = language ? ` class="language-${escapeHtml(language)}"` : "";
      out.push(`<pre><code${cls}>${escapeHtml(body.join("\n"))}${body.length ? "\n" : ""}</code></pre>`);
      continue;
    }
    if (/^ {0,3}\$\$/.test(line)) {
      const body = [line];
      let j = i;
      const closes = (k: number): boolean => /\$\$[ \t]*$/.test(k === i ? lines[k]!.replace(/^ {0,3}\$\$/, "") : lines[k]!);
      while (!closes(j) && j + 1 < lines.length) body.push(lines[++j]!);
      i = j + 1;
      out.push(`<div class="math">${escapeHtml(body.join("\n").trim())}</div>`);
      continue;
    }
    if ((match = HEADING_RE.exec(line))) {
      const level = match[1]!.length;
      const text = match[2] ?? "";
      out.push(`<h${level} id="${escapeHtml(slug(text))}">${inline(text, options)}</h${level}>`);
      i++;
      continue;
    }
    if (RULE_RE.test(line)) {
      out.push("<hr>");
      i++;
      continue;
    }
    if (QUOTE_RE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && !isBlank(lines[i]!) && (QUOTE_RE.test(lines[i]!) || !interrupts(lines[i]!))) {
        body.push(lines[i]!.replace(QUOTE_RE, ""));
        i++;
      }
      out.push(`<blockquote>\n${blocks(body, options, false)}\n</blockquote>`);
      continue;
    }
    if ((match = ITEM_RE.exec(line))) {
      i = list(lines, i, options, out);
      continue;
    }
    if (indentOf(line) >= 4) {
      const body: string[] = [];
      while (i < lines.length && (indentOf(lines[i]!) >= 4 || isBlank(lines[i]!))) {
        body.push(lines[i]!.replace(/\t/g, "    ").slice(4));
        i++;
      }
      while (body.length && isBlank(body[body.length - 1]!)) body.pop();
      out.push(`<pre><code>${escapeHtml(body.join("\n"))}\n</code></pre>`);
      continue;
    }
    if (line.includes("|") && i + 1 < lines.length && TABLE_RULE_RE.test(lines[i + 1]!)) {
      const header = tableCells(line);
      const aligns = tableCells(lines[i + 1]!).map((c) =>
        c.startsWith(":") && c.endsWith(":") ? "center" : c.endsWith(":") ? "right" : c.startsWith(":") ? "left" : "");
      if (aligns.length === header.length) {
        const cellHtml = (tag: string, cells: readonly string[]): string => header.map((_, k) =>
          `<${tag}${aligns[k] ? ` style="text-align:${aligns[k]}"` : ""}>${inline(cells[k] ?? "", options)}</${tag}>`).join("");
        const rows: string[] = [];
        i += 2;
        while (i < lines.length && !isBlank(lines[i]!) && lines[i]!.includes("|") && !interrupts(lines[i]!)) {
          rows.push(`<tr>${cellHtml("td", tableCells(lines[i]!))}</tr>`);
          i++;
        }
        out.push(`<table>\n<thead><tr>${cellHtml("th", header)}</tr></thead>\n` +
          (rows.length ? `<tbody>\n${rows.join("\n")}\n</tbody>\n` : "") + "</table>");
        continue;
      }
    }
    // A paragraph: runs until a blank line, a block that interrupts it, or a setext underline.
    const body = [line];
    i++;
    let setext = 0;
    while (i < lines.length && !isBlank(lines[i]!)) {
      const next = lines[i]!;
      const underline = SETEXT_RE.exec(next);
      if (underline) {
        setext = underline[1]![0] === "=" ? 1 : 2;
        i++;
        break;
      }
      if (interrupts(next) || (next.includes("|") && i + 1 < lines.length && TABLE_RULE_RE.test(lines[i + 1]!))) break;
      body.push(next);
      i++;
    }
    const text = body.map((l) => l.replace(/^[ \t]+/, "")).join("\n").replace(/[ \t]+$/, "");
    if (setext) out.push(`<h${setext} id="${escapeHtml(slug(text))}">${inline(text, options)}</h${setext}>`);
    else out.push(tight ? inline(text, options) : `<p>${inline(text, options)}</p>`);
  }
  return out.join("\n");
}

/** Renders the list that starts at lines[start] into `out`; returns the index after it. */
function list(lines: readonly string[], start: number, options: MarkdownOptions, out: string[]): number {
  const first = ITEM_RE.exec(lines[start]!)!;
  const ordered = /\d/.test(first[2]!);
  const delimiter = first[2]!.slice(-1);
  const items: string[][] = [];
  let loose = false;
  let i = start;
  while (i < lines.length) {
    const match = ITEM_RE.exec(lines[i]!);
    if (!match || /\d/.test(match[2]!) !== ordered || match[2]!.slice(-1) !== delimiter) break;
    // Content lines must be indented to the item's text column (at most 4 spaces past the marker).
    const gap = match[3]!.replace(/\t/g, "    ").length;
    const width = match[1]!.length + match[2]!.length + (gap === 0 || gap > 4 ? 1 : gap);
    const item = [lines[i]!.slice(match[0].length - (gap > 4 ? gap - 1 : 0))];
    i++;
    while (i < lines.length) {
      const next = lines[i]!;
      if (isBlank(next)) {
        let k = i;
        while (k < lines.length && isBlank(lines[k]!)) k++;
        if (k < lines.length && indentOf(lines[k]!) >= width) {
          item.push(...lines.slice(i, k).map(() => ""));
          i = k;
          continue;
        }
        break;
      }
      if (indentOf(next) >= width) item.push(next.replace(/\t/g, "    ").slice(width));
      else if (!ITEM_RE.test(next) && !interrupts(next) && !isBlank(item[item.length - 1]!)) item.push(next.trimStart()); // lazy continuation
      else break;
      i++;
    }
    items.push(item);
    // A blank line between items, or between blocks of one item, makes the list loose.
    let k = i;
    while (k < lines.length && isBlank(lines[k]!)) k++;
    const sibling = k < lines.length ? ITEM_RE.exec(lines[k]!) : null;
    const continues = sibling !== null && indentOf(lines[k]!) < width &&
      /\d/.test(sibling[2]!) === ordered && sibling[2]!.slice(-1) === delimiter;
    if (k > i && continues) loose = true;
    if (item.some((l, n) => isBlank(l) && n > 0 && n < item.length - 1)) loose = true;
    if (!continues) break;
    i = k;
  }
  const number = ordered ? Number(/\d+/.exec(first[2]!)![0]) : 1;
  const tag = ordered ? "ol" : "ul";
  out.push(`<${tag}${ordered && number !== 1 ? ` start="${number}"` : ""}>\n` +
    items.map((item) => `<li>${blocks(item, options, !loose)}</li>`).join("\n") + `\n</${tag}>`);
  return i;
}

/**
 * Renders Markdown to HTML, escaping everything the author wrote (see the file header for the
 * supported syntax).
 * @example
 *   markdownToHtml("# Results\nThe rate is *20 Hz* for $\\tau_m = 10$ ms.");
 *   // '<h1 id="Results">Results</h1>\n<p>The rate is <em>20 Hz</em> for <span class="math">$\\tau_m = 10$</span> ms.</p>'
 */
export function markdownToHtml(text: string, options: MarkdownOptions = {}): string {
  if (typeof text !== "string") throw new Error(`markdownToHtml: text must be a string, got ${typeof text}`);
  return blocks(text.replace(/\r\n?/g, "\n").split("\n"), options, false);
}
