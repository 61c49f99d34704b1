/**
 * The command lines' one way to stop: SIGHUP, SIGINT or SIGTERM aborts a signal that the runner,
 * the sweep and the grader watch (kernels, servers and partial outputs are cleaned up; a second
 * signal is not needed), and the process then exits with 128 + the signal's number.
 */
import os from "node:os";

const SIGNALS = ["SIGHUP", "SIGINT", "SIGTERM"] as const;

/** What `stopOnSignals` gives a command: the signal to pass on, and the exit status once it fired. */
export interface SignalStop {
  readonly signal: AbortSignal;
  /** 128 + the number of the signal that stopped the command. */
  exitCode(): number;
}

/**
 * Listens for SIGHUP, SIGINT and SIGTERM; the first prints "\n<SIGNAL>: <what>" and aborts.
 * Writes to a terminal that is gone (after SIGHUP) no longer end the process before it cleans up.
 * @example
 *   const stop = stopOnSignals("stopping the kernels and the Jupyter server…");
 *   await runNotebooks(files, { signal: stop.signal });
 */
export function stopOnSignals(what: string): SignalStop {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    console.error(`\n${signal}: ${what}`);
    controller.abort(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  return { signal: controller.signal, exitCode: () => 128 + os.constants.signals[controller.signal.reason as NodeJS.Signals] };
}
