/**
 * HTML escaping for strings that end up in a figure. Plotly renders a subset of HTML in titles,
 * axis labels, legend names, annotations and hover text (`<b>`, `<br>`, `<a href>`), so a
 * user-supplied string such as a class name or a title is escaped before it goes in: it is shown
 * literally and cannot inject markup.
 *
 * @example
 *   escapeHtml('<script>alert("x")</script>');
 *   // "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
 */
import { fail } from "../src/core/validate";

const ENTITIES: Readonly<Record<string, string>> = Object.freeze({
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
});

/** `text` with `& < > " '` replaced by their HTML entities. */
export function escapeHtml(text: string): string {
  if (typeof text !== "string") fail("escapeHtml", "text", "be a string", text);
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
