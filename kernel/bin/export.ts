/**
 * `npm run export -- <notebook.ipynb>… [-o file.html | -o folder] [--title text]`: writes each
 * notebook as a self-contained HTML file that renders offline (plotly.js inlined, figures drawn
 * from their JSON parts), by default to build/export/<notebook name>.html in the repository
 * (git-ignored: an export is a build product, not a file to commit beside the notebook).
 * `-o`/`--out` names the file (one notebook) or, when it does not end in .html, the folder.
 * Paths are relative to the folder npm was started in. Exits 1 on any error, leaving no partial
 * file.
 */
import path from "node:path";
import { exportNotebookFile } from "../export";

export interface ExportArgs {
  readonly files: string[];
  /** The HTML file (one notebook). */
  readonly out?: string;
  /** The folder for `<notebook name>.html` (an `--out` that does not end in .html). */
  readonly outDir?: string;
  readonly title?: string;
}

const USAGE = "usage: npm run export -- <notebook.ipynb>… [-o file.html | -o folder] [--title text]\n" +
  "  default output: build/export/<notebook name>.html in the repository";

/**
 * The command line of `npm run export`, validated.
 * @example
 *   parseExportArgs(["notebooks/01-lif.ipynb", "-o", "lif.html"]); // { files: ["notebooks/01-lif.ipynb"], out: "lif.html", outDir: undefined, title: undefined }
 */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const files: string[] = [];
  let out: string | undefined;
  let title: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inlineValue] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--out" || flag === "-o" || flag === "--title") {
      const value = inlineValue ?? argv[++i];
      if (value === undefined || value === "") throw new Error(`export: ${flag} must be followed by a value, got none\n${USAGE}`);
      if (flag === "--title") title = value;
      else out = value;
    } else if (flag === "--help" || flag === "-h") {
      throw new Error(USAGE);
    } else if (flag.startsWith("-")) {
      throw new Error(`export: options must be -o, --out or --title, got ${flag}\n${USAGE}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new Error(`export: a notebook must be given, got none\n${USAGE}`);
  if (out === undefined || !out.endsWith(".html")) return { files, out: undefined, outDir: out, title };
  if (files.length > 1) throw new Error(`export: --out file.html needs exactly one notebook, got ${files.length} (give a folder for several)`);
  return { files, out, outDir: undefined, title };
}

function main(argv: readonly string[]): number {
  const args = parseExportArgs(argv);
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command, and
  // paths (also those in error messages) read as the user wrote them from there.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  for (const file of args.files) {
    const written = exportNotebookFile(file, { out: args.out, outDir: args.outDir, title: args.title });
    console.log(`${file} → ${path.relative(process.cwd(), written) || written}`);
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
