/**
 * saveFigure in a real headless Chromium: the SVG and PNG files plotly.js draws, one browser for
 * every call, and no browser process or profile left behind when a script ends.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findBrowser } from "../../kernel/browser";
import { closeBrowser, saveFigure } from "../../kernel/save-figure";
import { processStat, processesWith } from "../helpers/proc";

function browserPath(): string | undefined {
  try {
    return findBrowser();
  } catch {
    return undefined;
  }
}

const skip = browserPath() ? false : "no Chromium or Chrome is installed (apt-get install chromium, or set CHROME_PATH)";

const figure = {
  data: [{ type: "scatter", mode: "lines", name: "membrane", x: new Float32Array([0, 1, 2, 3]), y: [-65, -60, -58, -65] }],
  layout: { title: { text: "v(t) <mV>" }, xaxis: { title: { text: "time (ms)" } } },
};

/** The browsers this process started (their main processes are its children). */
function browserMains(): number[] {
  return processesWith(`snnlab-chromium-${process.pid}-`).filter((pid) => processStat(pid)?.ppid === process.pid);
}

describe("saveFigure in Chromium", { skip, timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snnlab-save-figure-"));
  after(async () => {
    await closeBrowser();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("saveFigure(fig, 'x.svg', {width, height}) writes the figure as SVG", { timeout: 60_000 }, async () => {
    const file = path.join(dir, "figures", "trace.svg");
    assert.equal(await saveFigure(figure, file, { width: 640, height: 360 }), file);
    const svg = fs.readFileSync(file, "utf8");
    assert.ok(svg.startsWith("<svg"), svg.slice(0, 80));
    assert.match(svg, /^<svg[^>]* width="640" height="360"/);
    assert.match(svg, /class="scatterlayer[^"]*"/, "the scatter trace is drawn");
    assert.match(svg, /<path class="js-line" d="M[\d.,L]+"/, "with a line through its points");
    assert.match(svg, /v\(t\) &#60;mV&#62;/, "the title is in the SVG, escaped");
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["trace.svg"], "no temporary file is left");
  });

  it("saveFigure(fig, 'x.png', {scale}) writes a PNG of width × scale by height × scale pixels", { timeout: 60_000 }, async () => {
    const file = path.join(dir, "trace.png");
    await saveFigure(figure, file, { width: 400, height: 300, scale: 2 });
    const png = fs.readFileSync(file);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
    assert.equal(png.toString("ascii", 12, 16), "IHDR");
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [800, 600]);
    // A blank 800 × 600 PNG compresses to about 2 KB; drawn axes, text and a line take more.
    assert.ok(png.length > 8_000 && png.length < 2_000_000, `PNG size ${png.length} bytes`);
  });

  it("saveFigure(fig, file) uses the layout's size by default and reuses one browser", { timeout: 60_000 }, async () => {
    const browsers = new Set<number>();
    for (let i = 0; i < 3; i++) {
      await saveFigure({ ...figure, layout: { ...figure.layout, width: 320, height: 240 } }, path.join(dir, `small-${i}.png`));
      for (const pid of browserMains()) browsers.add(pid);
    }
    const png = fs.readFileSync(path.join(dir, "small-2.png"));
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [320, 240]);
    if (fs.existsSync("/proc")) assert.equal(browsers.size, 1, `one browser served the three figures, got ${[...browsers].join(", ")}`);
  });

  it("a script that calls saveFigure ends on its own and leaves no Chromium and no profile behind", { timeout: 60_000 }, () => {
    // A short folder: the browser's socket path (inside it) must stay under 108 bytes.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sf-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    // The script's own exit handler, registered after the browser's, counts the browser's
    // processes that are still alive (not yet zombies) at that moment: SIGKILL only queues a
    // signal, and the browser must be gone before Node exits and its profile is removed.
    const script = `const fs = require("fs");
      const procs = () => (fs.existsSync("/proc") ? fs.readdirSync("/proc") : []).filter((e) => /^\\d+$/.test(e) && Number(e) !== process.pid);
      const read = (file) => { try { return fs.readFileSync(file, "utf8"); } catch { return ""; } };
      const state = (pid) => { const stat = read("/proc/" + pid + "/stat"); return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3); };
      require(${JSON.stringify(path.join(__dirname, "..", "..", "kernel", "save-figure.js"))})
      .saveFigure({ data: [{ type: "bar", y: [1, 2, 3] }] }, ${JSON.stringify(path.join(dir, "child.svg"))})
      .then((file) => {
        const browser = procs().filter((pid) => read("/proc/" + pid + "/cmdline").includes(${JSON.stringify(tmp)}));
        console.log("saved " + file + " with " + browser.length + " browser processes");
        process.on("exit", () => {
          const alive = browser.filter((pid) => state(pid) !== "" && state(pid) !== "Z" && state(pid) !== "X");
          fs.writeSync(1, "at exit " + alive.length + " alive\\n");
        });
      });`;
    const child = spawnSync(process.execPath, ["-e", script], { env: { ...process.env, TMPDIR: tmp }, encoding: "utf8", timeout: 45_000 });
    assert.equal(child.status, 0, `exit ${child.status} ${child.signal ?? ""}\n${child.stderr}`);
    const counted = fs.existsSync("/proc") ? "[1-9]\\d*" : "0"; // the browser's processes, where Linux's /proc lists them
    assert.match(child.stdout, new RegExp(`^saved .*child\\.svg with ${counted} browser processes\nat exit 0 alive\n$`));
    assert.deepEqual(processesWith(tmp), [], "no process uses the child's profile any more");
    assert.deepEqual(fs.readdirSync(tmp), [], "the browser profile was removed");
  });

  it("closeBrowser() ends the browser; the next saveFigure starts a new one", { timeout: 60_000 }, async () => {
    await closeBrowser();
    assert.deepEqual(processesWith(`snnlab-chromium-${process.pid}-`), [], "no browser of this process runs");
    await saveFigure(figure, path.join(dir, "again.svg"));
    assert.ok(processesWith(`snnlab-chromium-${process.pid}-`).length > 0, "a new browser runs");
    await closeBrowser();
    assert.deepEqual(processesWith(`snnlab-chromium-${process.pid}-`), []);
  });
});
