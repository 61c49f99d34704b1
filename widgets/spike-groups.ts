/**
 * Named groups of neurons (e.g. excitatory and inhibitory) that `spikeRaster` and `populationRate`
 * colour or split by.
 *
 * @example
 *   const groups: SpikeGroup[] = [
 *     { name: "excitatory", range: [0, 800] },                 // ids 0 … 799
 *     { name: "inhibitory", range: [800, 1000], color: "#d62728" },
 *   ];
 *   spikeRaster(train, { groups });
 */
import { fail, integer } from "../src/core/validate";
import { isNumericArray, paletteColor, record, text } from "./inputs";

/** One named group of neurons: either a half-open id range or an explicit list of ids. */
export interface SpikeGroup {
  /** Legend name, shown HTML-escaped. */
  readonly name: string;
  /** Half-open id range [start, end). Give `range` or `ids`, not both. */
  readonly range?: readonly [number, number];
  /** Explicit neuron ids. Give `range` or `ids`, not both. */
  readonly ids?: Int32Array | readonly number[];
  /** CSS colour; default: the palette colour of the group's position. */
  readonly color?: string;
}

/** Groups resolved against a train of `size` neurons (internal). */
export interface ResolvedGroups {
  /** Group index of each neuron, −1 for none. */
  readonly groupOf: Int32Array;
  /** Number of neurons in each group. */
  readonly sizes: number[];
  readonly names: string[];
  readonly colors: string[];
}

/** Validates `groups` for a train of `size` neurons; groups must not overlap. */
export function resolveGroups(fn: string, groups: unknown, size: number): ResolvedGroups {
  if (!Array.isArray(groups)) fail(fn, "groups", "be an array of {name, range | ids}", groups);
  const groupOf = new Int32Array(size).fill(-1);
  const sizes: number[] = [];
  const names: string[] = [];
  const colors: string[] = [];
  groups.forEach((g: unknown, k: number) => {
    const param = `groups[${k}]`;
    const group = record<SpikeGroup>(fn, param, g);
    names.push(text(fn, `${param}.name`, group.name));
    colors.push(group.color === undefined ? paletteColor(k) : text(fn, `${param}.color`, group.color));
    if ((group.range === undefined) === (group.ids === undefined)) fail(fn, param, "have exactly one of range, ids", g);
    const assign = (id: number, where: string) => {
      if (!Number.isInteger(id) || id < 0 || id >= size) fail(fn, where, `be an integer in [0, ${size - 1}]`, id);
      if (groupOf[id] !== -1) fail(fn, where, `not overlap groups[${groupOf[id]}]`, id);
      groupOf[id] = k;
    };
    let count = 0;
    if (group.range !== undefined) {
      const r = group.range;
      if (!isNumericArray(r) || r.length !== 2) fail(fn, `${param}.range`, "be [start, end)", r);
      const start = integer(fn, `${param}.range[0]`, r[0], 0);
      const end = integer(fn, `${param}.range[1]`, r[1], start);
      if (end > size) fail(fn, `${param}.range[1]`, `be <= size (${size})`, end);
      for (let id = start; id < end; id++) assign(id, `${param}.range`);
      count = end - start;
    } else {
      const ids = group.ids;
      if (!isNumericArray(ids)) fail(fn, `${param}.ids`, "be an array of neuron ids", ids);
      for (let j = 0; j < ids.length; j++) assign(ids[j]!, `${param}.ids[${j}]`);
      count = ids.length;
    }
    sizes.push(count);
  });
  return { groupOf, sizes, names, colors };
}
