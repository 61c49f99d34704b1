// markdown-it-texmath ships no types; this is the part kernel/markdown.ts uses.
declare module "markdown-it-texmath" {
  import type MarkdownIt from "markdown-it";

  interface TexmathOptions {
    /** Which delimiters to read: "dollars" is `$…$` inline and `$$…$$` inline or as a block. */
    readonly delimiters?: string | readonly string[];
    /** The TeX renderer (KaTeX's interface); without one the plugin requires KaTeX. */
    readonly engine?: { renderToString(tex: string, options: object): string };
  }

  function texmath(md: MarkdownIt.MarkdownIt, options?: TexmathOptions): void;
  export = texmath;
}
