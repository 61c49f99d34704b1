/**
 * `npm run export -- <notebook.ipynb>… [--out file.html] [--title text]`: writes each notebook
 * as a self-contained HTML file that renders offline (plotly.js inlined, figures drawn from their
 * JSON parts), next to the notebook unless --out says where. Paths are relative to the folder
 * npm was started in. Exits 1 on any error, leaving no partial file.
 */
import path from "node:path";
import { exportNotebookFile } from "../export";

export interface ExportArgs {
  readonly files: string[];
  readonly out?: string;
  readonly title?: string;
}

const USAGE = "usage: npm run export -- <notebook.ipynb>… [--out file.html] [--title text]";

/**
 * The command line of `npm run export`, validated.
 * @example
 *   parseExportArgs(["notebooks/01-lif.ipynb", "--out", "lif.html"]); // { files: ["notebooks/01-lif.ipynb"], out: "lif.html", title: undefined }
 */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const files: string[] = [];
  let out: string | undefined;
  let title: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inlineValue] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--out" || flag === "--title") {
      const value = inlineValue ?? argv[++i];
      if (value === undefined || value === "") throw new Error(`export: ${flag} must be followed by a value, got none\n${USAGE}`);
      if (flag === "--out") out = value;
      else title = value;
    } else if (flag === "--help" || flag === "-h") {
      throw new Error(USAGE);
    } else if (flag.startsWith("-")) {
      throw new Error(`export: options must be --out or --title, got ${flag}\n${USAGE}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new Error(`export: a notebook must be given, got none\n${USAGE}`);
  if (out !== undefined && files.length > 1) throw new Error(`export: --out needs exactly one notebook, got ${files.length}`);
  return { files, out, title };
}

function main(argv: readonly string[]): number {
  const args = parseExportArgs(argv);
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command, and
  // paths (also those in error messages) read as the user wrote them from there.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  for (const file of args.files) {
    const written = exportNotebookFile(file, { out: args.out, title: args.title });
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
