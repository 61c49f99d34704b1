/**
 * `writeFileAtomic(file, content)`: readers see the old file or the new one, never half of one,
 * and a failed write leaves nothing behind (exports, saved figures, checkpoints, learner snapshots).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Writes `content` to `file` through a temporary file in the same folder and a rename (atomic on
 * one file system). The folder must exist.
 * @example
 *   writeFileAtomic("figure.svg", "<svg …/>");
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
