/** Small deterministic records for the widget tests (randomness from a seeded createRng only). */
import { createRng } from "../../src/core/random";
import { createSpikeTrain, type SpikeTrain } from "../../src/encoders/spike-train";
import type { StateTrace } from "../../src/network/records";
import type { AlignmentRow } from "../../widgets/alignment-comparison";
import type { Figure, Trace } from "../../widgets/figure";

/** `count` spikes at uniform random neurons and times on a 0.1 ms grid. */
export function randomTrain(seed: number, size: number, duration: number, count: number): SpikeTrain {
  const rng = createRng(seed);
  const times: number[] = [];
  const ids: number[] = [];
  for (let s = 0; s < count; s++) {
    times.push(Math.round(rng.uniform(0, duration) * 10) / 10);
    ids.push(rng.int(size));
  }
  return createSpikeTrain(times, ids, { size, duration });
}

/** Every neuron fires every `period` ms, at period/2, 3·period/2, …: a rate of 1000/period Hz. */
export function regularTrain(size: number, duration: number, period: number, only?: (id: number) => boolean): SpikeTrain {
  const times: number[] = [];
  const ids: number[] = [];
  for (let t = period / 2; t < duration; t += period) {
    for (let id = 0; id < size; id++) {
      if (only && !only(id)) continue;
      times.push(t);
      ids.push(id);
    }
  }
  return createSpikeTrain(times, ids, { size, duration });
}

/** A sorted train of `n` spikes built directly (createSpikeTrain would sort 10⁶ spikes for seconds). */
export function largeTrain(n: number, size: number, duration: number, seed = 7): SpikeTrain {
  const rng = createRng(seed);
  const times = new Float32Array(n);
  const ids = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    times[s] = Math.fround((Math.floor((s * duration * 10) / n)) / 10); // non-decreasing, on a 0.1 ms grid
    ids[s] = rng.int(size);
  }
  return Object.freeze({ times, ids, size, duration });
}

/** A two-neuron membrane trace: a charging curve with a reset, and a slower one. */
export function smallTrace(): StateTrace {
  const steps = 41;
  const times = new Float32Array(steps);
  const values = new Float32Array(steps * 2);
  let v0 = -65;
  for (let t = 0; t < steps; t++) {
    times[t] = t * 0.5;
    v0 = v0 + (-45 - v0) * (1 - Math.exp(-0.5 / 10));
    if (v0 > -50) v0 = -65;
    values[t * 2] = v0;
    values[t * 2 + 1] = -65 + 10 * (1 - Math.exp(-(t * 0.5) / 20));
  }
  return { variable: "v", unit: "mV", times, ids: new Int32Array([3, 7]), values };
}

/** The `k`-th trace of a figure. */
export function traceAt(fig: Figure, k: number): Trace {
  const trace = fig.data[k];
  if (!trace) throw new Error(`no trace ${k}`);
  return trace;
}

/** A deep copy of a record, typed arrays included, to check that a widget did not mutate it. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}

/** A synthetic table: losses decaying at method-specific speeds, FA/DFA angles falling from ~90°. */
export function alignmentRows(seed: number): AlignmentRow[] {
  const rng = createRng(seed);
  const rows: AlignmentRow[] = [];
  const speed: Record<string, number> = { backprop: 0.05, FA: 0.03, DFA: 0.025 };
  for (let step = 0; step <= 100; step += 20) {
    for (const method of ["backprop", "FA", "DFA"]) {
      const loss = 2.3 * Math.exp(-speed[method]! * step) + 0.1 + 0.02 * rng.uniform();
      rows.push(method === "backprop"
        ? { step, method, loss, accuracy: 1 - loss / 2.5 }
        : { step, method, loss, accuracy: 1 - loss / 2.5, angle: 90 - 40 * (1 - Math.exp(-step / 30)) + rng.normal(0, 2) });
    }
  }
  return rows;
}
