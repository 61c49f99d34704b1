/**
 * `saveFigure(figure, file, options)`: a static SVG or PNG of a Plotly figure for a paper, drawn
 * by plotly.js itself (`Plotly.newPlot` then `Plotly.toImage`) in a real headless Chromium, so
 * the file looks exactly like the notebook's figure.
 *
 * One browser serves every call in a process: it starts on the first call (about a second),
 * stays while idle without keeping Node alive, and ends with the process or `closeBrowser()`.
 */
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../src/io/atomic-write";
import { type HeadlessPage, findBrowser, launchHeadless } from "./browser";
import { plotlyScriptTag } from "./export";
import { type FigureLike, isFigure } from "./mime";

export interface SaveFigureOptions {
  /** Image width, px (default: the layout's width, else 700). */
  readonly width?: number;
  /** Image height, px (default: the layout's height, else 450). */
  readonly height?: number;
  /** Pixel density multiplier for PNG (2 gives a 1400 × 900 PNG for a 700 × 450 figure; default 1). SVG ignores it. */
  readonly scale?: number;
}

export const saveFigureDefaults: Readonly<Required<SaveFigureOptions>> = Object.freeze({ width: 700, height: 450, scale: 1 });

export const NO_BROWSER_MESSAGE =
  "saveFigure: a Chromium or Chrome browser must be installed (apt-get install chromium, or set CHROME_PATH), got none";

type ImageFormat = "svg" | "png";

function formatOf(file: unknown): ImageFormat {
  if (typeof file !== "string" || !/\.(svg|png)$/i.test(file)) {
    throw new Error(`saveFigure: file must end in .svg or .png, got ${JSON.stringify(file)}`);
  }
  return file.toLowerCase().endsWith(".svg") ? "svg" : "png";
}

function dimension(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new Error(`saveFigure: ${name} must be a number in (0, ${max}], got ${typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/**
 * Validated image size: explicit options, then the figure's layout, then the defaults.
 * @example
 *   imageOptions({ data: [], layout: { width: 500 } }, { scale: 2 }); // { width: 500, height: 450, scale: 2 }
 */
export function imageOptions(figure: FigureLike, options: SaveFigureOptions = {}): Required<SaveFigureOptions> {
  const layout = figure.layout ?? {};
  const fromLayout = (key: "width" | "height"): number | undefined =>
    typeof layout[key] === "number" && Number.isFinite(layout[key]) && (layout[key] as number) > 0 ? (layout[key] as number) : undefined;
  return {
    width: Math.round(dimension("width", options.width, fromLayout("width") ?? saveFigureDefaults.width, 10_000)),
    height: Math.round(dimension("height", options.height, fromLayout("height") ?? saveFigureDefaults.height, 10_000)),
    scale: dimension("scale", options.scale, saveFigureDefaults.scale, 10),
  };
}

/**
 * The bytes of a data URL (`data:<type>[;base64],<payload>`), as Plotly.toImage returns them.
 * @example
 *   decodeDataUrl("data:image/svg+xml,%3Csvg%2F%3E").toString(); // "<svg/>"
 */
export function decodeDataUrl(url: string): Buffer {
  const match = /^data:([^,]*?)(;base64)?,/.exec(url);
  if (!match) throw new Error(`saveFigure: the image must come back as a data URL, got ${JSON.stringify(url.slice(0, 40))}`);
  const payload = url.slice(match[0].length);
  return match[2] ? Buffer.from(payload, "base64") : Buffer.from(decodeURIComponent(payload), "utf8");
}

/** JSON for the page: typed arrays (our records' columns) become plain arrays, as plotly expects. */
function figureJson(figure: FigureLike): string {
  return JSON.stringify(
    { data: figure.data, layout: figure.layout ?? {}, config: { ...(figure.config ?? {}), responsive: false, displayModeBar: false } },
    (_, value: unknown) => (ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value),
  );
}

let shared: Promise<HeadlessPage> | undefined;

/** The process's browser page with plotly.js loaded, started on first use. */
function plotlyPage(): Promise<HeadlessPage> {
  if (!shared) {
    const executablePath = findBrowser();
    if (!executablePath) throw new Error(NO_BROWSER_MESSAGE);
    const starting = (async () => {
      const page = await launchHeadless({ executablePath, onExit: () => { if (shared === starting) shared = undefined; } });
      try {
        await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8">${plotlyScriptTag()}</head><body></body></html>`);
        const version = await page.evaluate("typeof Plotly === 'object' ? Plotly.version : ''");
        if (!version) throw new Error("plotly.js did not load in the page");
      } catch (err) {
        await page.close();
        throw err;
      }
      return page;
    })();
    shared = starting;
    starting.catch(() => {
      if (shared === starting) shared = undefined;
    });
  }
  return shared;
}

/**
 * Writes `figure` as an SVG or PNG file (by the file's extension) and resolves to its absolute
 * path. Relative paths are relative to the current folder (in a notebook, the notebook's); the
 * folder is created if needed and the file is written atomically.
 * @example
 *   await saveFigure(spikeRaster(train), "figures/raster.svg");
 *   await saveFigure(spikeRaster(train), "figures/raster.png", { width: 800, height: 400, scale: 2 });
 */
export async function saveFigure(figure: FigureLike, file: string, options: SaveFigureOptions = {}): Promise<string> {
  const format = formatOf(file);
  if (!isFigure(figure)) throw new Error(`saveFigure: figure must be a Plotly figure {data, layout}, got ${figure === null ? "null" : typeof figure}`);
  const { width, height, scale } = imageOptions(figure, options);
  const page = await plotlyPage();
  const url = await page.evaluate(`(async () => {
  const figure = ${figureJson(figure)};
  const el = document.createElement("div");
  el.style.width = ${width} + "px";
  el.style.height = ${height} + "px";
  document.body.appendChild(el);
  try {
    await Plotly.newPlot(el, figure.data, figure.layout, figure.config);
    return await Plotly.toImage(el, { format: ${JSON.stringify(format)}, width: ${width}, height: ${height}, scale: ${scale} });
  } finally {
    Plotly.purge(el);
    el.remove();
  }
})()`).catch((err: unknown) => {
    throw new Error(`saveFigure: plotly.js must draw the figure, got ${err instanceof Error ? err.message : String(err)}`);
  });
  if (typeof url !== "string") throw new Error(`saveFigure: Plotly.toImage must return a data URL, got ${typeof url}`);
  const bytes = decodeDataUrl(url);
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomic(target, bytes);
  return target;
}

/**
 * Closes the browser that saveFigure started, if any (it also ends with the process, so this
 * is for long-lived processes such as a kernel that is done with figures).
 * @example
 *   await closeBrowser();
 */
export async function closeBrowser(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (!current) return;
  const page = await current.catch(() => undefined);
  await page?.close();
}
