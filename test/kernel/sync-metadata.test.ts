/**
 * Notebooks open unmodified: every committed notebook carries the kernelspec and language_info
 * that the snnlab kernel reports (JupyterLab marks a notebook changed when they differ), and
 * sync-metadata rewrites only those two fields.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { syncedText } from "../../kernel/bin/sync-metadata";
import { type RunningServer, findJupyter, repoRoot, startServer } from "../../kernel/jupyter";
import { type KernelMetadata, liveKernelMetadata, readNotebook, serializeNotebook } from "../../kernel/runner";
import { expectError } from "../helpers/close";

const jupyter = findJupyter("notebook");
const notebooksDir = path.join(repoRoot, "notebooks");
const committed = fs.readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort();

describe("notebook metadata", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-sync-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const metadata: KernelMetadata = {
    kernelspec: { name: "snnlab", display_name: "TypeScript (snnlab)", language: "typescript" },
    language_info: { name: "typescript", version: "9.9", file_extension: ".ts" },
  };

  it("syncedText(nb, metadata) changes the kernelspec and language_info and no other byte", () => {
    const file = path.join(tmp, "nb.ipynb");
    const original = readNotebook(path.join(repoRoot, "test", "fixtures", "notebooks", "runner-smoke.ipynb"));
    const nb = { ...original, metadata: { kernelspec: { name: "old" }, language_info: { name: "typescript" }, papermill: { parameters: {} } } };
    fs.writeFileSync(file, serializeNotebook(nb));
    const text = fs.readFileSync(file, "utf8");
    const synced = syncedText(file, metadata);
    const at = text.lastIndexOf('\n "metadata": {');
    assert.equal(synced.slice(0, at), text.slice(0, at), "everything before the notebook's metadata is identical");
    const parsed = JSON.parse(synced);
    assert.deepEqual(parsed.metadata, { ...metadata, papermill: { parameters: {} } });
    assert.deepEqual(Object.keys(parsed.metadata), ["kernelspec", "language_info", "papermill"]);
    assert.deepEqual(parsed.cells, nb.cells);
  });

  it("syncedText(nb) refuses a notebook that re-serialising would change beyond its metadata", () => {
    const file = path.join(tmp, "other-layout.ipynb");
    fs.writeFileSync(file, JSON.stringify(readNotebook(path.join(repoRoot, "test", "fixtures", "notebooks", "runner-smoke.ipynb")), null, 2));
    expectError(() => syncedText(file, metadata), /^sync-metadata: .*other-layout\.ipynb must be written in the runner's format/);
  });

  describe("against the live kernel", { skip: jupyter ? false : "Jupyter is not installed", timeout: 120_000 }, () => {
    let server: RunningServer;
    let live: KernelMetadata;
    before(async () => {
      server = await startServer({ jupyter: jupyter!, stdio: "ignore" });
      live = await liveKernelMetadata(server);
    });
    after(async () => {
      await server?.stop();
    });

    it("the kernel reports a language_info that names TypeScript", () => {
      assert.equal(live.language_info.name, "typescript");
      assert.equal(live.kernelspec.name, "snnlab");
    });
    for (const file of committed) {
      it(`notebooks/${file} carries the kernelspec and language_info the kernel reports`, () => {
        const { metadata } = readNotebook(path.join(notebooksDir, file));
        assert.deepEqual(metadata.language_info, live.language_info);
        assert.deepEqual(metadata.kernelspec, live.kernelspec);
      });
    }
  });
});
