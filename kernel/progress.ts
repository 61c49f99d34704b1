/**
 * `progress(total, {label})`: a progress bar for long runs. In a notebook it is one display that
 * updates in place (display_id + update_display_data) with rate and ETA; in a terminal or CI log
 * it prints a plain line every few seconds. Library code never imports this: it takes an
 * `onProgress(done, total, info)` callback, and `bar.callback` is one.
 *
 * `bar.loop(total, chunk, fn)` drives a resumable run in chunks, yielding to the event loop
 * between chunks so that display updates are sent and Kernel → Interrupt can stop the run at a
 * chunk boundary (the state stays consistent: the chunk in flight completes).
 *
 * @example
 *   const bar = progress(60000, { label: "training" });
 *   await bar.loop(100, (start, end) => train(net, data, { start, count: end - start }));
 */
import { integer } from "../src/core/validate";
import { newDisplayId, displaySink } from "./display";
import { escapeHtml } from "./mime";
import { InterruptedError, interruptRequested } from "./interrupt";

export interface ProgressOptions {
  /** What is running, e.g. "training". */
  readonly label?: string;
  /** Unit of the counts, e.g. "samples" (default "steps"). */
  readonly unit?: string;
  /** Minimum time between display updates, ms (default 250 in notebooks, 5000 in terminals). */
  readonly intervalMs?: number;
}

export type ProgressInfo = Readonly<Record<string, number | string>>;

export interface Progress {
  readonly total: number;
  /** Units done so far. */
  readonly done: number;
  /** Reports progress: `done` units of `total`, with optional figures (loss, accuracy…). */
  update(done: number, info?: ProgressInfo): void;
  /** The same as a plain callback, for a library's `onProgress` option. */
  readonly callback: (done: number, total?: number, info?: ProgressInfo) => void;
  /** Whether an interrupt was requested (for a library's `shouldStop` option). */
  readonly shouldStop: () => boolean;
  /** Marks the run finished (or stopped) and draws the final state. */
  finish(status?: "done" | "interrupted"): void;
  /**
   * Runs `fn(start, end)` over [0, total) in chunks of `chunk` units, yielding between chunks.
   * Resolves with the units done; rejects with `InterruptedError` after an interrupt (the
   * completed chunks stay done).
   */
  loop(chunk: number, fn: (start: number, end: number) => ProgressInfo | void): Promise<number>;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
}

function formatInfo(info: ProgressInfo | undefined): string {
  if (!info) return "";
  return Object.entries(info)
    .map(([k, v]) => `${k} ${typeof v === "number" ? (Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toPrecision(3)) : v}`)
    .join(", ");
}

/** Creates a progress bar for `total` units. */
export function progress(total: number, options: ProgressOptions = {}): Progress {
  integer("progress", "total", total, 0);
  const label = options.label ?? "progress";
  const unit = options.unit ?? "steps";
  const notebook = displaySink() !== undefined;
  const interval = options.intervalMs ?? (notebook ? 250 : 5000);
  const displayId = newDisplayId();
  const started = Date.now();
  let lastDraw = -Infinity;
  let done = 0;
  let lastInfo: ProgressInfo | undefined;
  let shown = false;

  const text = (status: string) => {
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    const pct = total > 0 ? (100 * done) / total : 100;
    const extra = formatInfo(lastInfo);
    return {
      pct,
      line: `${label}: ${done}/${total} ${unit} (${pct.toFixed(1)} %), ${rate.toFixed(rate >= 100 ? 0 : 2)} ${unit}/s, ` +
        `elapsed ${formatDuration(elapsed)}${status === "running" ? `, ETA ${formatDuration(eta)}` : ` — ${status}`}${extra ? `; ${extra}` : ""}`,
    };
  };

  const draw = (status: "running" | "done" | "interrupted", force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < interval) return;
    lastDraw = now;
    const { pct, line } = text(status);
    const sink = displaySink();
    if (sink) {
      const colour = status === "interrupted" ? "#c0392b" : status === "done" ? "#27ae60" : "#2e86c1";
      const html = `<div style="font-family:sans-serif;font-size:13px">` +
        `<div style="width:100%;max-width:600px;height:12px;background:#eee;border-radius:3px">` +
        `<div style="width:${pct.toFixed(1)}%;height:12px;background:${colour};border-radius:3px"></div></div>` +
        `<div>${escapeHtml(line)}</div></div>`;
      sink.display({ "text/html": html, "text/plain": line }, { displayId, update: shown });
      shown = true;
    } else {
      console.log(line);
    }
  };

  const bar: Progress = {
    total,
    get done() {
      return done;
    },
    update(value: number, info?: ProgressInfo) {
      done = Math.max(0, Math.min(total, value));
      if (info) lastInfo = info;
      draw("running", !shown);
    },
    callback: (value: number, _total?: number, info?: ProgressInfo) => bar.update(value, info),
    shouldStop: () => interruptRequested(),
    finish(status: "done" | "interrupted" = "done") {
      draw(status, true);
    },
    async loop(chunk: number, fn: (start: number, end: number) => ProgressInfo | void): Promise<number> {
      integer("progress.loop", "chunk", chunk, 1);
      bar.update(done);
      while (done < total) {
        if (interruptRequested()) {
          bar.finish("interrupted");
          throw new InterruptedError(`${label} interrupted after ${done} of ${total} ${unit}; the state is consistent at that point`, done);
        }
        const end = Math.min(total, done + chunk);
        const info = fn(done, end);
        bar.update(end, info ?? undefined);
        // Yield, so display updates go out and a SIGINT handler can run.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      bar.finish("done");
      return done;
    },
  };
  return bar;
}
