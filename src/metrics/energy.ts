/**
 * An energy model with its constants as data: `energy = Σ count(op) × pJ(op)`.
 *
 * The constants are per-operation energies with their sources beside them, and a `checked` field
 * that says how we read each one:
 * - `"secondary"`: read in a table that reproduces the original (named in `note`), not in the original;
 * - `"not read"`: the figure as it is commonly quoted; the original could not be read here.
 * Nothing is marked `"original"` unless the original was read.
 *
 * Two accounting choices are explicit, because the literature makes both:
 * - arithmetic only (Horowitz's adds and multiplies): an ANN pays a multiply and an add per MAC, an
 *   SNN an add per synaptic operation (SOP) — the usual "SNNs are 5× cheaper per operation";
 * - arithmetic plus the weight read each operation needs (a 32-bit read from a small SRAM): memory
 *   dominates both sides and the per-operation advantage shrinks to about 1.6×.
 * Neither counts neuron-state updates, leak, spike routing off-chip or DRAM traffic; `energyEstimate`
 * takes any counts the caller has and says which constants it used.
 *
 * @example
 *   const ann = energyEstimate(annEnergyCounts(2.4e6));                 // arithmetic only
 *   const snn = energyEstimate(snnEnergyCounts(4.1e5, { memory: true }));
 *   ann.picojoules / snn.picojoules
 */
import { fail, nonNegative } from "../core/validate";

/** How a constant was read. */
export type EnergySourceCheck = "original" | "secondary" | "not read";

/** One per-operation energy with its source. */
export interface EnergyConstant {
  /** The key counts refer to, e.g. "fp32Add". */
  readonly key: string;
  /** What the operation is, in words. */
  readonly operation: string;
  /** Energy per operation in picojoules. */
  readonly picojoules: number;
  /** Process and conditions, e.g. "45 nm, 0.9 V". */
  readonly technology: string;
  /** The original's reference and place (table, figure, page). */
  readonly source: string;
  /** How we read it. */
  readonly checked: EnergySourceCheck;
  /** Where we read it when not in the original, or a caveat. */
  readonly note?: string;
}

const HOROWITZ = "M. Horowitz, 'Computing's energy problem (and what we can do about it)', ISSCC 2014, pp. 10–14, the table of operation energies (45 nm)";
const HOROWITZ_READ = "read in Table 3 of a Frontiers paper (PMC8934428) that reproduces Horowitz's 45 nm values; the original slide was not read here";

/**
 * The constants: Horowitz's 45 nm arithmetic and a 32-bit SRAM read, and two neuromorphic chips'
 * per-synaptic-event figures as commonly quoted (marked not read).
 */
export const energyConstants: readonly EnergyConstant[] = Object.freeze([
  { key: "fp32Add", operation: "32-bit floating-point add", picojoules: 0.9, technology: "45 nm, 0.9 V", source: HOROWITZ, checked: "secondary", note: HOROWITZ_READ },
  { key: "fp32Mult", operation: "32-bit floating-point multiply", picojoules: 3.7, technology: "45 nm, 0.9 V", source: HOROWITZ, checked: "secondary", note: HOROWITZ_READ },
  { key: "int32Add", operation: "32-bit integer add", picojoules: 0.1, technology: "45 nm, 0.9 V", source: HOROWITZ, checked: "secondary", note: HOROWITZ_READ },
  { key: "int32Mult", operation: "32-bit integer multiply", picojoules: 3.1, technology: "45 nm, 0.9 V", source: HOROWITZ, checked: "secondary", note: HOROWITZ_READ },
  {
    key: "sram32Read", operation: "32-bit read from an 8 kB SRAM (half of a 64-bit access)", picojoules: 5, technology: "45 nm, 0.9 V", source: HOROWITZ, checked: "secondary",
    note: `${HOROWITZ_READ}; Horowitz gives 10 pJ for a 64-bit access of an 8 kB cache, halved there for 32-bit loads; larger memories cost more (tens of pJ for 32 kB–1 MB, nJ for DRAM)`,
  },
  {
    key: "trueNorthSynapticEvent", operation: "TrueNorth: energy per synaptic event", picojoules: 26, technology: "28 nm, 0.775 V", source: "P. A. Merolla et al., 'A million spiking-neuron integrated circuit…', Science 345:668–673 (2014)", checked: "not read",
    note: "the figure as commonly quoted from the paper; the paper was not read here",
  },
  {
    key: "loihiSynapticOp", operation: "Loihi: energy per synaptic spike operation", picojoules: 23.6, technology: "14 nm", source: "M. Davies et al., 'Loihi: a neuromorphic manycore processor with on-chip learning', IEEE Micro 38(1):82–99 (2018), energy table", checked: "not read",
    note: "the figure as commonly quoted from the paper's table; the paper was not read here",
  },
] as EnergyConstant[]);

/** One term of an estimate. */
export interface EnergyTerm {
  readonly key: string;
  readonly count: number;
  readonly picojoulesPerOp: number;
  readonly picojoules: number;
}

/** `energyEstimate`'s result: the total and its terms, largest first. */
export interface EnergyEstimate {
  readonly picojoules: number;
  readonly terms: readonly EnergyTerm[];
}

/**
 * Σ counts[key] × constant(key).picojoules. Every key of `counts` must name a constant; counts
 * must be finite and ≥ 0.
 */
export function energyEstimate(counts: Readonly<Record<string, number>>, constants: readonly EnergyConstant[] = energyConstants): EnergyEstimate {
  const fn = "energyEstimate";
  if (counts === null || typeof counts !== "object" || Array.isArray(counts)) fail(fn, "counts", "be an object of operation counts", counts);
  if (!Array.isArray(constants) || constants.length === 0) fail(fn, "constants", "be a non-empty array of energy constants", constants);
  const byKey = new Map<string, EnergyConstant>();
  for (const [i, c] of constants.entries()) {
    if (c === null || typeof c !== "object" || typeof c.key !== "string") fail(fn, `constants[${i}]`, "be an energy constant {key, picojoules, …}", c);
    nonNegative(fn, `constants[${i}].picojoules`, c.picojoules);
    byKey.set(c.key, c);
  }
  const terms: EnergyTerm[] = [];
  for (const [key, count] of Object.entries(counts)) {
    const c = byKey.get(key);
    if (c === undefined) fail(fn, "counts", `name only known operations (${[...byKey.keys()].join(", ")})`, key);
    nonNegative(fn, `counts.${key}`, count);
    terms.push({ key, count, picojoulesPerOp: c.picojoules, picojoules: count * c.picojoules });
  }
  terms.sort((a, b) => b.picojoules - a.picojoules);
  return { picojoules: terms.reduce((s, t) => s + t.picojoules, 0), terms };
}

/** Options of the count builders. */
export interface EnergyCountOptions {
  /** Count a 32-bit weight read per operation (default false: arithmetic only). */
  readonly memory?: boolean;
}

/** An ANN's counts for `macs` multiply-accumulates: a float multiply and add each (+ a weight read). */
export function annEnergyCounts(macs: number, options: EnergyCountOptions = {}): Record<string, number> {
  const n = nonNegative("annEnergyCounts", "macs", macs);
  return options.memory ? { fp32Mult: n, fp32Add: n, sram32Read: n } : { fp32Mult: n, fp32Add: n };
}

/** An SNN's counts for `sops` synaptic operations: a float add each (+ a weight read). */
export function snnEnergyCounts(sops: number, options: EnergyCountOptions = {}): Record<string, number> {
  const n = nonNegative("snnEnergyCounts", "sops", sops);
  return options.memory ? { fp32Add: n, sram32Read: n } : { fp32Add: n };
}
