/**
 * The error for a missing, truncated or corrupt data file. It keeps the standard message shape
 * (`<function>: <parameter> must <rule>, got <value>`) and is a `SnnlabError`, so callers that
 * catch library errors catch it too; `paths` lists every file or directory the message names.
 *
 * @example
 *   try {
 *     readIdx("/no/such/train-images-idx3-ubyte");
 *   } catch (error) {
 *     if (error instanceof DataFileError) console.log(error.paths); // ["/no/such/train-images-idx3-ubyte"]
 *   }
 */
import { SnnlabError } from "../core/validate";

export class DataFileError extends SnnlabError {
  /** Absolute paths of the files or directories the message names. */
  readonly paths: readonly string[];

  /**
   * @param fn The public function that was reading (`readIdx`, `loadMnist`, …).
   * @param param What was wrong, with its path: `file /data/x`, `files /a and /b`, `directory /d`.
   * @param rule What it must be, e.g. `be an IDX file of 47040016 bytes for shape [60000, 28, 28]`.
   * @param found What it was, written for people, e.g. `1234 bytes`.
   * @param paths The paths named in `param`.
   */
  constructor(fn: string, param: string, rule: string, found: string, paths: readonly string[]) {
    super(fn, param, rule, found);
    // `found` is a measurement already written out ("1234 bytes", "0x42"), not a caller's value,
    // so it is shown as is rather than quoted the way `describe` quotes strings.
    this.message = `${fn}: ${param} must ${rule}, got ${found}`;
    this.name = "DataFileError";
    this.paths = Object.freeze([...paths]);
  }
}
