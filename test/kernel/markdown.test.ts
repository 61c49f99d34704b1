/**
 * markdownToHtml: notebook Markdown through markdown-it with raw HTML off, unsafe link targets
 * dropped and TeX math left as escaped text.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markdownToHtml } from "../../kernel/markdown";

describe("markdownToHtml", () => {
  it("markdownToHtml(text) runs its documented example", () => {
    assert.equal(
      markdownToHtml("# Results\nThe rate is *20 Hz* for $\\tau_m = 10$ ms."),
      '<h1 id="Results">Results</h1>\n<p>The rate is <em>20 Hz</em> for <span class="math">$\\tau_m = 10$</span> ms.</p>\n',
    );
  });

  it("markdownToHtml(text) renders headings with Jupyter's ids, emphasis, strong, strikethrough and code spans", () => {
    assert.equal(markdownToHtml("## Two words ##"), '<h2 id="Two-words">Two words</h2>\n');
    assert.equal(markdownToHtml("Title\n====="), '<h1 id="Title">Title</h1>\n');
    assert.equal(markdownToHtml("Sub\n---"), '<h2 id="Sub">Sub</h2>\n');
    assert.equal(markdownToHtml("## The *paper's* numbers (2016) <x>"),
      `<h2 id="The-paper's-numbers-2016-&lt;x&gt;">The <em>paper's</em> numbers (2016) &lt;x&gt;</h2>\n`);
    assert.equal(markdownToHtml("# A\n# A"), '<h1 id="A">A</h1>\n<h1 id="A-1">A</h1>\n', "ids are unique within a cell");
    assert.equal(markdownToHtml("**a** __b__ *c* _d_ ~~e~~ `f*g*`"),
      "<p><strong>a</strong> <strong>b</strong> <em>c</em> <em>d</em> <s>e</s> <code>f*g*</code></p>\n");
    assert.equal(markdownToHtml("snake_case_name and 2 * 3 * 4"), "<p>snake_case_name and 2 * 3 * 4</p>\n");
  });

  it("markdownToHtml(text) shows raw HTML as text", () => {
    assert.equal(markdownToHtml("<script>alert(1)</script> & <b>x</b>"),
      "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;</p>\n");
    assert.equal(markdownToHtml('<img src=x onerror=alert(1)>\n\n<div onclick="x">d</div>'),
      "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n<p>&lt;div onclick=&quot;x&quot;&gt;d&lt;/div&gt;</p>\n");
    assert.equal(markdownToHtml('[t](x "a\\" onmouseover=\\"b")'), '<p><a href="x" title="a&quot; onmouseover=&quot;b">t</a></p>\n',
      "a title cannot close its attribute");
  });

  it("markdownToHtml(text) makes no link or image of a script or non-image data target", () => {
    for (const target of ["javascript:alert(1)", "<javascript:alert(1)>", "vbscript:msgbox", "data:text/html;base64,PHNjcmlwdD4=", "JaVaScRiPt:alert(1)"]) {
      for (const text of [`[x](${target})`, `![x](${target})`]) {
        const html = markdownToHtml(text);
        assert.ok(!/<a |<img /.test(html), `${text} gave ${html}`);
      }
    }
    assert.equal(markdownToHtml("<javascript:alert(1)>"), "<p>&lt;javascript:alert(1)&gt;</p>\n");
  });

  it("markdownToHtml(text) keeps web, mail, anchor and relative links, and links bare URLs", () => {
    assert.equal(markdownToHtml('[paper](https://doi.org/10.1016/j.neunet.2018.12.002 "DOI")'),
      '<p><a href="https://doi.org/10.1016/j.neunet.2018.12.002" title="DOI">paper</a></p>\n');
    assert.equal(markdownToHtml("[next](#Results) and <https://a.org/x_y_z>"),
      '<p><a href="#Results">next</a> and <a href="https://a.org/x_y_z">https://a.org/x_y_z</a></p>\n');
    assert.equal(markdownToHtml("[m](mailto:a@b.org) [r](../README.md)"), '<p><a href="mailto:a@b.org">m</a> <a href="../README.md">r</a></p>\n');
    assert.equal(markdownToHtml("see https://a.org/a_b_c."), '<p>see <a href="https://a.org/a_b_c">https://a.org/a_b_c</a>.</p>\n');
  });

  it("markdownToHtml(text) leaves inline and display math as escaped text that Markdown does not read", () => {
    assert.equal(markdownToHtml("$a_b < c_d$ and $x$"),
      '<p><span class="math">$a_b &lt; c_d$</span> and <span class="math">$x$</span></p>\n');
    assert.equal(markdownToHtml("$x * y * z$ and $a_1 + b_1$"),
      '<p><span class="math">$x * y * z$</span> and <span class="math">$a_1 + b_1$</span></p>\n');
    assert.equal(markdownToHtml("$x<script>alert(1)</script>$"), '<p><span class="math">$x&lt;script&gt;alert(1)&lt;/script&gt;$</span></p>\n');
    assert.equal(markdownToHtml("$$\nV = a_b * c_d\n$$"), '<div class="math">$$\nV = a_b * c_d\n$$</div>\n');
    assert.equal(markdownToHtml("inline $$E = m c^2$$ here"), '<p>inline <span class="math">$$E = m c^2$$</span> here</p>\n');
  });

  it("markdownToHtml(text) reads dollar amounts as text", () => {
    assert.equal(markdownToHtml("costs \\$5 and \\$10"), "<p>costs $5 and $10</p>\n");
    assert.equal(markdownToHtml("costs $5 and $10"), "<p>costs $5 and $10</p>\n");
  });

  it("markdownToHtml(text) renders tight, loose, nested and ordered lists", () => {
    assert.equal(markdownToHtml("- a\n- b\n  - c\n- d"), "<ul>\n<li>a</li>\n<li>b\n<ul>\n<li>c</li>\n</ul>\n</li>\n<li>d</li>\n</ul>\n");
    assert.equal(markdownToHtml("* a\n\n* b"), "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>\n");
    assert.equal(markdownToHtml("3. three\n4. four\n\n- x"), '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n<ul>\n<li>x</li>\n</ul>\n');
  });

  it("markdownToHtml(text) renders GitHub tables with alignment and escaped pipes", () => {
    assert.equal(markdownToHtml("| a | b |\n|:--|--:|\n| `x` | y \\| z |"),
      '<table>\n<thead>\n<tr>\n<th style="text-align:left">a</th>\n<th style="text-align:right">b</th>\n</tr>\n</thead>\n' +
      '<tbody>\n<tr>\n<td style="text-align:left"><code>x</code></td>\n<td style="text-align:right">y | z</td>\n</tr>\n</tbody>\n</table>\n');
  });

  it("markdownToHtml(text) renders fenced and indented code, quotes, rules and hard breaks", () => {
    assert.equal(markdownToHtml("```ts\nconst a = 1 < 2;\n```"), '<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>\n');
    assert.equal(markdownToHtml('```"><script>\nx\n```'), '<pre><code class="language-&quot;&gt;&lt;script&gt;">x\n</code></pre>\n');
    assert.equal(markdownToHtml("    x <- 1"), "<pre><code>x &lt;- 1\n</code></pre>\n");
    assert.equal(markdownToHtml("> quoted\n> text"), "<blockquote>\n<p>quoted\ntext</p>\n</blockquote>\n");
    assert.equal(markdownToHtml("a\n\n***\n\nb"), "<p>a</p>\n<hr>\n<p>b</p>\n");
    assert.equal(markdownToHtml("one  \ntwo"), "<p>one<br>\ntwo</p>\n");
  });

  it("markdownToHtml(text, {resolveImage}) resolves cell attachments and checks what it returns", () => {
    const attachments = (src: string): string | undefined => (src === "attachment:f.png" ? "data:image/png;base64,AAAA" : undefined);
    assert.equal(markdownToHtml('![a "b"](attachment:f.png)', { resolveImage: attachments }),
      '<p><img src="data:image/png;base64,AAAA" alt="a &quot;b&quot;"></p>\n');
    assert.equal(markdownToHtml("![a](other.png)", { resolveImage: attachments }), '<p><img src="other.png" alt="a"></p>\n', "undefined keeps the source");
    const seen: string[] = [];
    markdownToHtml("![a](<attachment:my f.png>)", { resolveImage: (src) => (seen.push(src), undefined) });
    assert.deepEqual(seen, ["attachment:my f.png"], "the resolver sees the source as written");
    assert.equal(markdownToHtml("![a](attachment:f.png)", { resolveImage: () => "javascript:alert(1)" }),
      '<p><img src="attachment:f.png" alt="a"></p>\n', "an unsafe resolved URL is not written");
  });

  it("markdownToHtml(text) rejects a text that is not a string", () => {
    assert.throws(() => markdownToHtml(42 as unknown as string), /^Error: markdownToHtml: text must be a string, got number$/);
  });
});
