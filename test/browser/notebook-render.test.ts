/**
 * Figures as a reader sees them, in a real Chromium (playwright-core, never a downloaded
 * browser): the executed fixture notebook opened in the classic Notebook UI of a real Jupyter
 * server draws every figure once trusted and shows the placeholder text while untrusted; its
 * `npm run export` page draws every figure from a file:// URL with the network off.
 *
 * Screenshots go to test-artifacts/browser/ (git-ignored).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, type Page, chromium } from "playwright-core";
import { HEADLESS_FLAGS, findBrowser } from "../../kernel/browser";
import { exportNotebookHtml } from "../../kernel/export";
import { type RunningServer, findJupyter, repoRoot, startServer } from "../../kernel/jupyter";
import { PLOTLY_MIME } from "../../kernel/mime";
import { type Notebook, runNotebooks, writeNotebook } from "../../kernel/runner";

const FIXTURE = "test/fixtures/notebooks/widgets.ipynb";
const FIGURES = 14; // show(...) calls in the fixture: one inline spec and every widget type
const artifacts = path.join(repoRoot, "test-artifacts", "browser");

function browserPath(): string | undefined {
  try {
    return findBrowser();
  } catch {
    return undefined; // CHROME_PATH names no browser: treated as none
  }
}

const executablePath = browserPath();
const jupyter = executablePath ? findJupyter("notebook") : undefined;
const skip = !executablePath ? "no Chromium or Chrome is installed (apt-get install chromium, or set CHROME_PATH)"
  : !jupyter ? "Jupyter is not installed" : false;
const skipLive = skip || (jupyter!.frontEnd !== "notebook" ? `the live test drives the classic Notebook UI, got jupyter ${jupyter!.frontEnd}` : false);

// Expressions evaluated in the page, as strings: the project compiles without DOM types.
const FIGURES_DRAWN = `Array.from(document.querySelectorAll(".snnlab-figure")).filter((el) => el.querySelector(".main-svg")).length`;
const FIGURE_COUNT = `document.querySelectorAll(".snnlab-figure").length`;

async function waitForFigures(page: Page, expected: number, timeout: number): Promise<void> {
  await page.waitForFunction(`${FIGURES_DRAWN} >= ${expected}`, undefined, { timeout });
}

describe("notebook figures in Chromium", { skip, timeout: 240_000 }, () => {
  let browser: Browser | undefined;
  let server: RunningServer | undefined;
  let executed: Notebook;
  // A fresh Jupyter data folder: the trust database and secret of this test, not the user's.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-browser-jupyter-"));

  before(async () => {
    fs.mkdirSync(artifacts, { recursive: true });
    server = await startServer({ jupyter: jupyter!, stdio: "ignore", env: { JUPYTER_DATA_DIR: dataDir } });
    // The executed copy must lie inside the server's root (the repository) for the UI to open it.
    const [run] = await runNotebooks([FIXTURE], { quick: true, server, outputDir: artifacts, log: () => undefined });
    assert.ok(run?.ok, `the fixture runs: ${run?.errors.join("; ")}`);
    executed = run!.notebook;
    browser = await chromium.launch({ executablePath, headless: true, args: [...HEADLESS_FLAGS] });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("runNotebooks([figures]) records one plotly bundle per show(figure)", () => {
    const figures = executed.cells.flatMap((c) => c.outputs ?? []).filter((o) => (o.data as Record<string, unknown> | undefined)?.[PLOTLY_MIME]);
    assert.equal(figures.length, FIGURES);
  });

  it("the classic Notebook draws every figure once the notebook is trusted", { skip: skipLive, timeout: 60_000 }, async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 2000 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server!.baseUrl}/notebooks/test-artifacts/browser/widgets.ipynb?token=${server!.token}`);
      await page.waitForFunction(`window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && ${FIGURE_COUNT} === ${FIGURES}`, undefined, { timeout: 30_000 });
      assert.equal(await page.evaluate("Jupyter.notebook.trusted"), false, "a notebook written by the runner starts untrusted");
      // File → Trust Notebook, as a reader would: confirm the dialog; the page reloads trusted.
      await page.evaluate("Jupyter.notebook.trust_notebook()");
      await Promise.all([
        page.waitForEvent("load", { timeout: 30_000 }),
        page.locator(".modal-footer button", { hasText: "Trust" }).click(),
      ]);
      await page.waitForFunction(`window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded`, undefined, { timeout: 30_000 });
      assert.equal(await page.evaluate("Jupyter.notebook.trusted"), true);
      await waitForFigures(page, FIGURES, 30_000);
      assert.equal(await page.evaluate(FIGURE_COUNT), FIGURES);
      assert.equal(await page.evaluate(FIGURES_DRAWN), FIGURES);
      assert.equal(await page.evaluate("typeof window.Plotly"), "object", "plotly.js came from the server's /files/node_modules");
      await page.screenshot({ path: path.join(artifacts, "notebook-trusted.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it("the classic Notebook shows the placeholder text, not the figure, while untrusted", { skip: skipLive, timeout: 60_000 }, async () => {
    // A different notebook (the trust database keys on content), never trusted.
    const untrusted = { ...executed, metadata: { ...executed.metadata, snnlab_test: `untrusted ${process.pid} ${Date.now()}` } };
    writeNotebook(path.join(artifacts, "figures-untrusted.ipynb"), untrusted);
    const context = await browser!.newContext({ viewport: { width: 1280, height: 2000 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server!.baseUrl}/notebooks/test-artifacts/browser/figures-untrusted.ipynb?token=${server!.token}`);
      await page.waitForFunction(`window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && ${FIGURE_COUNT} === ${FIGURES}`, undefined, { timeout: 30_000 });
      await page.waitForLoadState("networkidle");
      assert.equal(await page.evaluate("Jupyter.notebook.trusted"), false);
      assert.equal(await page.evaluate(FIGURES_DRAWN), 0, "no figure script ran");
      const texts = await page.locator(".snnlab-figure").allTextContents();
      assert.equal(texts.length, FIGURES);
      for (const text of texts) assert.match(text, /drawn by a script, which runs when the notebook is trusted/);
      assert.ok(texts[0]!.includes("“membrane <potential> & rest”"), "the title is shown as text");
      await page.screenshot({ path: path.join(artifacts, "notebook-untrusted.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it("exportNotebookHtml(executed) draws every figure from file:// with the network off", { timeout: 60_000 }, async () => {
    const file = path.join(artifacts, "figures.html");
    fs.writeFileSync(file, exportNotebookHtml(executed));
    const context = await browser!.newContext({ offline: true, viewport: { width: 1280, height: 1600 } });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(`document.body.getAttribute("data-figures") === "drawn"`, undefined, { timeout: 30_000 });
      assert.equal(await page.evaluate(FIGURE_COUNT), FIGURES);
      assert.equal(await page.evaluate(FIGURES_DRAWN), FIGURES);
      assert.equal(await page.locator(".snnlab-figure-error").count(), 0);
      assert.deepEqual(errors, []);
      assert.deepEqual(requests.filter((url) => !/^(file|data|blob):/.test(url)), [], "nothing is fetched from a network");
      assert.equal(await page.locator(".snnlab-figure .gtitle").first().textContent(), "membrane <potential> & rest");
      await page.screenshot({ path: path.join(artifacts, "export-offline.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
