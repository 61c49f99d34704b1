/**
 * launchHeadless: one headless Chromium page over the DevTools pipe — evaluation, page errors,
 * document content, and a clean close.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import fs from "node:fs";
import { type HeadlessPage, findBrowser, launchHeadless } from "../../kernel/browser";
import { liveInGroup } from "../helpers/proc";

function browserPath(): string | undefined {
  try {
    return findBrowser();
  } catch {
    return undefined;
  }
}

const executablePath = browserPath();
const skip = executablePath ? false : "no Chromium or Chrome is installed (apt-get install chromium, or set CHROME_PATH)";

describe("launchHeadless", { skip, timeout: 60_000 }, () => {
  let page: HeadlessPage | undefined;
  after(async () => {
    await page?.close();
  });

  it("launchHeadless() runs its documented example", async () => {
    page = await launchHeadless({ executablePath });
    assert.equal(await page.evaluate("1 + 1"), 2);
    assert.equal(page.alive, true);
  });

  it("page.evaluate(expression) awaits promises and rejects with the page's error message", async () => {
    assert.deepEqual(await page!.evaluate("new Promise((resolve) => setTimeout(() => resolve({ a: [1, 2] }), 10))"), { a: [1, 2] });
    await assert.rejects(page!.evaluate("(async () => { throw new TypeError('bad figure'); })()"), { message: "TypeError: bad figure" });
  });

  it("page.setContent(html) runs the document's inline scripts", async () => {
    await page!.setContent("<!DOCTYPE html><html><head><script>window.answer = 6 * 7;</script></head><body><p id=x>hi</p></body></html>");
    assert.deepEqual(await page!.evaluate("[window.answer, document.getElementById('x').textContent]"), [42, "hi"]);
  });

  it("page.close() ends the browser and removes its profile", async () => {
    const pid = page!.pid;
    const cmdline = fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
    const profile = /--user-data-dir=([^\0]+)/.exec(cmdline)?.[1];
    if (fs.existsSync("/proc")) assert.ok(liveInGroup(pid).length > 1, "the browser runs helper processes in its group");
    await page!.close();
    assert.equal(page!.alive, false);
    assert.deepEqual(liveInGroup(pid), [], "close() resolves only when every helper is gone");
    await assert.rejects(page!.evaluate("1"), /the browser/);
    if (profile) assert.equal(fs.existsSync(profile), false, `${profile} was removed`);
    page = undefined;
  });
});
