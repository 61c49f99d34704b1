/**
 * saveFigure's checks, which run before any browser starts, and the pieces around it: finding a
 * browser, image sizes and data URLs. Drawing real files is tested in test/browser/save-figure.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BROWSER_CANDIDATES, findBrowser } from "../../kernel/browser";
import { NO_BROWSER_MESSAGE, decodeDataUrl, imageOptions, saveFigure, saveFigureDefaults } from "../../kernel/save-figure";

const figure = { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: {} };

describe("saveFigure", () => {
  it("saveFigure(fig, file) rejects files that are not .svg or .png, before starting a browser", async () => {
    await assert.rejects(saveFigure(figure, "x.jpg"), { message: 'saveFigure: file must end in .svg or .png, got "x.jpg"' });
    await assert.rejects(saveFigure(figure, "svg"), { message: 'saveFigure: file must end in .svg or .png, got "svg"' });
  });

  it("saveFigure(x, file) rejects values that are not Plotly figures", async () => {
    await assert.rejects(saveFigure({ layout: {} } as never, "x.svg"), { message: "saveFigure: figure must be a Plotly figure {data, layout}, got object" });
  });

  it("saveFigure(fig, file, {width, height, scale}) rejects sizes that are not positive numbers", async () => {
    await assert.rejects(saveFigure(figure, "x.png", { width: -3 }), { message: "saveFigure: width must be a number in (0, 10000], got -3" });
    await assert.rejects(saveFigure(figure, "x.png", { scale: 0 }), { message: "saveFigure: scale must be a number in (0, 10], got 0" });
    await assert.rejects(saveFigure(figure, "x.png", { height: Number.NaN }), { message: "saveFigure: height must be a number in (0, 10000], got NaN" });
  });

  it("imageOptions(fig) has the expected defaults, and the layout's size wins over them", () => {
    assert.deepEqual(saveFigureDefaults, { width: 700, height: 450, scale: 1 });
    assert.deepEqual(imageOptions(figure), { width: 700, height: 450, scale: 1 });
    assert.deepEqual(imageOptions({ data: [], layout: { width: 500, height: 300 } }), { width: 500, height: 300, scale: 1 });
    assert.deepEqual(imageOptions({ data: [], layout: { width: 500 } }, { width: 320.4, scale: 2 }), { width: 320, height: 450, scale: 2 });
  });

  it("decodeDataUrl(url) decodes base64 and percent-encoded data URLs", () => {
    assert.deepEqual(decodeDataUrl("data:image/png;base64,iVBORw0KGgo="), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    assert.equal(decodeDataUrl("data:image/svg+xml,%3Csvg%20a%3D%221%22%2F%3E").toString("utf8"), '<svg a="1"/>');
    assert.throws(() => decodeDataUrl("nope"), /^Error: saveFigure: the image must come back as a data URL, got "nope"$/);
  });

  it("NO_BROWSER_MESSAGE tells how to get a browser in the standard shape", () => {
    assert.match(NO_BROWSER_MESSAGE, /^saveFigure: a Chromium or Chrome browser must be installed \(apt-get install chromium, or set CHROME_PATH\), got none$/);
  });
});

describe("findBrowser", () => {
  it("findBrowser({env, candidates}) returns undefined when no browser is anywhere", () => {
    assert.equal(findBrowser({ env: { PATH: "" }, candidates: [] }), undefined);
  });

  it("findBrowser({env}) prefers CHROME_PATH and rejects one that is not executable", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-find-browser-"));
    try {
      const fake = path.join(dir, "chrome");
      fs.writeFileSync(fake, "#!/bin/sh\n", { mode: 0o755 });
      assert.equal(findBrowser({ env: { CHROME_PATH: fake }, candidates: [] }), fake);
      assert.throws(() => findBrowser({ env: { CHROME_PATH: path.join(dir, "none") } }),
        { message: `findBrowser: CHROME_PATH must name an executable browser, got ${JSON.stringify(path.join(dir, "none"))}` });
      assert.equal(findBrowser({ env: { PATH: dir }, candidates: [] }), fake, "a chrome on the PATH is found");
      assert.equal(findBrowser({ env: {}, candidates: [path.join(dir, "none"), fake] }), fake, "candidates are tried in order");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("BROWSER_CANDIDATES starts with the Debian and Ubuntu paths", () => {
    assert.deepEqual(BROWSER_CANDIDATES.slice(0, 2), ["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
  });
});
