/**
 * markdownToHtml: the Markdown subset of notebook cells, with every author string escaped and
 * TeX math left as text.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markdownToHtml } from "../../kernel/markdown";

describe("markdownToHtml", () => {
  it("markdownToHtml(text) runs its documented example", () => {
    assert.equal(
      markdownToHtml("# Results\nThe rate is *20 Hz* for $\\tau_m = 10$ ms."),
      '<h1 id="Results">Results</h1>\n<p>The rate is <em>20 Hz</em> for <span class="math">$\\tau_m = 10$</span> ms.</p>',
    );
  });

  it("markdownToHtml(text) renders headings, emphasis, strong, strikethrough and code spans", () => {
    assert.equal(markdownToHtml("## Two words ##"), '<h2 id="Two-words">Two words</h2>');
    assert.equal(markdownToHtml("Title\n====="), '<h1 id="Title">Title</h1>');
    assert.equal(markdownToHtml("Sub\n---"), '<h2 id="Sub">Sub</h2>');
    assert.equal(markdownToHtml("**a** __b__ *c* _d_ ~~e~~ `f*g*`"),
      "<p><strong>a</strong> <strong>b</strong> <em>c</em> <em>d</em> <del>e</del> <code>f*g*</code></p>");
    assert.equal(markdownToHtml("snake_case_name and 2 * 3 * 4"), "<p>snake_case_name and 2 * 3 * 4</p>");
  });

  it("markdownToHtml(text) escapes raw HTML and keeps only safe link targets", () => {
    assert.equal(markdownToHtml("<script>alert(1)</script> & <b>x</b>"),
      "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;</p>");
    assert.equal(markdownToHtml('[paper](https://doi.org/10.1016/j.neunet.2018.12.002 "DOI")'),
      '<p><a href="https://doi.org/10.1016/j.neunet.2018.12.002" title="DOI">paper</a></p>');
    assert.equal(markdownToHtml("[x](javascript:alert(1))"), "<p>x</p>", "a javascript: link keeps its text only");
    assert.equal(markdownToHtml("[next](#Results) and <https://a.org/x_y_z>"),
      '<p><a href="#Results">next</a> and <a href="https://a.org/x_y_z">https://a.org/x_y_z</a></p>');
    assert.equal(markdownToHtml("see https://a.org/a_b_c."), '<p>see <a href="https://a.org/a_b_c">https://a.org/a_b_c</a>.</p>');
  });

  it("markdownToHtml(text) leaves inline and display math as escaped text", () => {
    assert.equal(markdownToHtml("$a_b < c_d$ and $x$"),
      '<p><span class="math">$a_b &lt; c_d$</span> and <span class="math">$x$</span></p>');
    assert.equal(markdownToHtml("$$\nV = a_b * c_d\n$$"), '<div class="math">$$\nV = a_b * c_d\n$$</div>');
    assert.equal(markdownToHtml("costs \\$5 and \\$10"), "<p>costs $5 and $10</p>");
  });

  it("markdownToHtml(text) renders tight, loose, nested and ordered lists", () => {
    assert.equal(markdownToHtml("- a\n- b\n  - c\n- d"), "<ul>\n<li>a</li>\n<li>b\n<ul>\n<li>c</li>\n</ul></li>\n<li>d</li>\n</ul>");
    assert.equal(markdownToHtml("* a\n\n* b"), "<ul>\n<li><p>a</p></li>\n<li><p>b</p></li>\n</ul>");
    assert.equal(markdownToHtml("3. three\n4. four\n\n- x"), '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n<ul>\n<li>x</li>\n</ul>');
  });

  it("markdownToHtml(text) renders GitHub tables with alignment and escaped pipes", () => {
    assert.equal(markdownToHtml("| a | b |\n|:--|--:|\n| `x` | y \\| z |"),
      '<table>\n<thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead>\n' +
      '<tbody>\n<tr><td style="text-align:left"><code>x</code></td><td style="text-align:right">y | z</td></tr>\n</tbody>\n</table>');
  });

  it("markdownToHtml(text) renders fenced and indented code, quotes, rules and hard breaks", () => {
    assert.equal(markdownToHtml("```ts\nconst a = 1 < 2;\n```"), '<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>');
    assert.equal(markdownToHtml("    x <- 1"), "<pre><code>x &lt;- 1\n</code></pre>");
    assert.equal(markdownToHtml("> quoted\n> text"), "<blockquote>\n<p>quoted\ntext</p>\n</blockquote>");
    assert.equal(markdownToHtml("a\n\n***\n\nb"), "<p>a</p>\n<hr>\n<p>b</p>");
    assert.equal(markdownToHtml("one  \ntwo"), "<p>one<br>\ntwo</p>");
  });

  it("markdownToHtml(text, {resolveImage}) resolves cell attachments", () => {
    const html = markdownToHtml('![a "b"](attachment:f.png)', { resolveImage: (src) => (src === "attachment:f.png" ? "data:image/png;base64,AAAA" : undefined) });
    assert.equal(html, '<p><img src="data:image/png;base64,AAAA" alt="a &quot;b&quot;"></p>');
  });
});
