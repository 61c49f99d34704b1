/**
 * The kernel's interrupt flag. Kernel → Interrupt sends SIGINT: tslab's executor breaks a
 * synchronous cell at once (so a runaway loop can always be stopped), and this flag tells long
 * library runs driven by `progress(...).loop(...)` to stop at their next step or sample boundary,
 * leaving a consistent state. The flag lives on globalThis so every copy of this module agrees.
 */
const FLAG_KEY = Symbol.for("snnlab.kernel.interruptRequested");

type GlobalWithFlag = typeof globalThis & { [FLAG_KEY]?: boolean };

/** Marks an interrupt as requested (the kernel's SIGINT handler calls this). */
export function requestInterrupt(): void {
  (globalThis as GlobalWithFlag)[FLAG_KEY] = true;
}

/** Clears the flag (the kernel does this before each cell). */
export function clearInterrupt(): void {
  (globalThis as GlobalWithFlag)[FLAG_KEY] = false;
}

/** Whether an interrupt was requested since the current cell started. */
export function interruptRequested(): boolean {
  return (globalThis as GlobalWithFlag)[FLAG_KEY] === true;
}

/** The error a run stopped by an interrupt ends with. */
export class InterruptedError extends Error {
  /** How far the run got (units of its progress total). */
  readonly done: number;

  constructor(message: string, done: number) {
    super(message);
    this.name = "Interrupted";
    this.done = done;
  }
}
