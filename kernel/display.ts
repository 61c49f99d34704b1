/**
 * `show(x)`: displays any value as one full MIME bundle through the kernel's display sink, which
 * the kernel installs for each execution (tslab's `lastWriteDisplayData` idea, but injected so
 * tests can record it). Outside the kernel (a script, a test) it prints the text/plain part.
 *
 * The sink lives on `globalThis` under a registered symbol, so every copy of this module (the
 * kernel's own and the one a notebook reaches through `snnlab/kernel`) sees the same sink.
 */
import { randomBytes } from "node:crypto";
import { type MimeBundle, toMimeBundle } from "./mime";

export interface DisplayOptions {
  /** Give the display an id, so that later calls with `update: true` replace it in place. */
  readonly displayId?: string;
  /** Replace the display with this id instead of adding a new one. */
  readonly update?: boolean;
}

/** Where displays go: the kernel's IOPub, or a recorder in tests. */
export interface DisplaySink {
  display(bundle: MimeBundle, options: DisplayOptions): void;
  /** Clears the cell's output (`wait`: only when the next output arrives, to avoid flicker). */
  clear(wait: boolean): void;
}

const SINK_KEY = Symbol.for("snnlab.kernel.displaySink");

type GlobalWithSink = typeof globalThis & { [SINK_KEY]?: DisplaySink };

/** Installs (or with undefined, removes) the display sink; returns the previous one. */
export function setDisplaySink(sink: DisplaySink | undefined): DisplaySink | undefined {
  const g = globalThis as GlobalWithSink;
  const previous = g[SINK_KEY];
  g[SINK_KEY] = sink;
  return previous;
}

/** The installed display sink, if any. */
export function displaySink(): DisplaySink | undefined {
  return (globalThis as GlobalWithSink)[SINK_KEY];
}

/** Displays `value` as a full MIME bundle (figures, tables, library objects, anything). */
export function show(value: unknown, options: DisplayOptions = {}): void {
  const bundle = toMimeBundle(value);
  const sink = displaySink();
  if (sink) sink.display(bundle, options);
  else console.log(String(bundle["text/plain"] ?? ""));
}

/** Clears the current cell's output (in a terminal: does nothing). */
export function clearOutput(options: { wait?: boolean } = {}): void {
  displaySink()?.clear(Boolean(options.wait));
}

/** A fresh display id, for displays that update in place. */
export function newDisplayId(): string {
  return randomBytes(8).toString("hex");
}
