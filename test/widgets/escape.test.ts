import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml } from "../../widgets/escape";
import { learningCurves } from "../../widgets/learning-curves";
import { expectError } from "../helpers/close";

describe("escapeHtml", () => {
  it("escapeHtml(text) replaces & < > \" ' by entities (@example)", () => {
    assert.equal(escapeHtml('<script>alert("x")</script>'), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    assert.equal(escapeHtml("a & b's"), "a &amp; b&#39;s");
    assert.equal(escapeHtml("&amp;"), "&amp;amp;", "already-escaped text is escaped again: it is shown literally");
    assert.equal(escapeHtml("Δw (mV) — ok"), "Δw (mV) — ok");
  });

  it("escapeHtml(text) is applied to a widget's <script> title: the JSON holds no tag", () => {
    const fig = learningCurves([], { title: "<script>alert(1)</script>" });
    assert.equal(fig.layout.title!.text, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert.ok(!JSON.stringify(fig).includes("<script"));
  });

  it("escapeHtml(text) rejects a non-string with the standard message", () => {
    expectError(() => escapeHtml(1 as never), "escapeHtml: text must be a string, got 1");
  });
});
