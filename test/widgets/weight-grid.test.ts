import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { weightGrid, weightGridDefaults } from "../../widgets/weight-grid";
import { expectError } from "../helpers/close";
import { snapshot, traceAt } from "./fixtures";

/** Post-major weights whose value encodes (tile k, row r, col c): k·100 + r·10 + c. */
function coded(tiles: number, rows: number, cols: number): Float32Array {
  const w = new Float32Array(tiles * rows * cols);
  for (let k = 0; k < tiles; k++) for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) w[k * rows * cols + r * cols + c] = k * 100 + r * 10 + c;
  return w;
}

describe("weightGrid", () => {
  it("weightGrid(w, {rows, cols}) has the expected defaults", () => {
    assert.deepEqual(weightGridDefaults, {
      title: "", height: 600, width: null, tiles: null, columns: null, layout: "post-major", colorscale: "Viridis",
      zRange: null, gap: 1, digits: 3, zTitle: "weight",
    });
    assert.ok(Object.isFrozen(weightGridDefaults));
  });

  it("weightGrid(w, {rows, cols, columns, gap}) puts pixel (r, c) of tile k at z[gr·(rows+gap) + r][gc·(cols+gap) + c]", () => {
    const [tiles, rows, cols, columns, gap] = [7, 3, 4, 3, 1];
    const fig = weightGrid(coded(tiles, rows, cols), { rows, cols, columns, gap, digits: 6 });
    const z = traceAt(fig, 0).z as (number | null)[][];
    assert.equal(traceAt(fig, 0).type, "heatmap");
    assert.equal(z.length, 3 * rows + 2 * gap, "3 grid rows of tiles and 2 gaps");
    assert.equal(z[0]!.length, 3 * cols + 2 * gap);
    const filled = new Set<string>();
    for (let k = 0; k < tiles; k++) {
      const gr = Math.floor(k / columns);
      const gc = k % columns;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const [i, j] = [gr * (rows + gap) + r, gc * (cols + gap) + c];
          assert.equal(z[i]![j], k * 100 + r * 10 + c, `tile ${k} pixel (${r}, ${c})`);
          filled.add(`${i},${j}`);
        }
      }
    }
    for (let i = 0; i < z.length; i++) for (let j = 0; j < z[i]!.length; j++) if (!filled.has(`${i},${j}`)) assert.equal(z[i]![j], null, `gap (${i}, ${j})`);
    assert.equal((fig.layout.yaxis as { autorange: string }).autorange, "reversed", "tiles read top-down");
    assert.deepEqual([traceAt(fig, 0).zmin, traceAt(fig, 0).zmax], [0, 623]);
  });

  it("weightGrid(w, {layout: 'pre-major'}) of the transposed matrix gives the same figure", () => {
    const [post, pre] = [6, 12];
    const w = coded(post, 3, 4);
    const transposed = new Float32Array(post * pre);
    for (let k = 0; k < post; k++) for (let p = 0; p < pre; p++) transposed[p * post + k] = w[k * pre + p]!;
    assert.deepEqual(weightGrid(transposed, { rows: 3, cols: 4, layout: "pre-major" }), weightGrid(w, { rows: 3, cols: 4 }));
  });

  it("weightGrid(w, {tiles, columns: null}) draws the first tiles on a ⌈√tiles⌉-wide grid", () => {
    const z = traceAt(weightGrid(coded(10, 2, 2), { rows: 2, cols: 2, tiles: 4, gap: 0 }), 0).z as number[][];
    assert.deepEqual(z, [[0, 1, 100, 101], [10, 11, 110, 111], [200, 201, 300, 301], [210, 211, 310, 311]]);
  });

  it("weightGrid(w) of 400 tiles of 28 × 28 (Diehl & Cook) is one 579 × 579 heatmap under 3 MB of JSON", () => {
    const w = createRng(5).fillUniform(new Float32Array(400 * 784), 0, 1);
    const start = performance.now();
    const fig = weightGrid(w, { rows: 28, cols: 28 });
    const json = JSON.stringify(fig);
    const elapsed = performance.now() - start;
    const z = traceAt(fig, 0).z as number[][];
    assert.deepEqual([z.length, z[0]!.length], [20 * 28 + 19, 20 * 28 + 19]);
    assert.ok(json.length < 3e6, `JSON is ${json.length} bytes`);
    assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
  });

  it("weightGrid(w, {zRange, digits}) fixes the colour range and rounds values to the given digits", () => {
    const fig = weightGrid(new Float32Array([0.123456, 0.5, 0.25, 1]), { rows: 2, cols: 2, zRange: [0, 2], digits: 2 });
    assert.deepEqual([traceAt(fig, 0).zmin, traceAt(fig, 0).zmax], [0, 2]);
    assert.deepEqual(traceAt(fig, 0).z, [[0.12, 0.5], [0.25, 1]]);
  });

  it("weightGrid(w, options) does not mutate the weights", () => {
    const w = coded(4, 2, 2);
    const before = snapshot(w);
    weightGrid(w, { rows: 2, cols: 2, title: "<b>x</b>" });
    assert.deepEqual(w, before);
  });

  it("weightGrid(w, options) rejects bad input with the standard message", () => {
    const w = new Float32Array(12);
    expectError(() => weightGrid(w, {} as never), "weightGrid: rows must be an integer >= 1, got undefined");
    expectError(() => weightGrid(w, { rows: 0, cols: 3 }), "weightGrid: rows must be an integer >= 1, got 0");
    expectError(() => weightGrid(w, { rows: 5, cols: 5 }), "weightGrid: weights.length must be a positive multiple of rows × cols (25), got 12");
    expectError(() => weightGrid(w, { rows: 2, cols: 3, tiles: 3 }), "weightGrid: tiles must be <= the number of post-synaptic neurons (2), got 3");
    expectError(() => weightGrid(w, { rows: 2, cols: 3, layout: "row-major" as never }), 'weightGrid: layout must be one of "post-major", "pre-major", got "row-major"');
    expectError(() => weightGrid("w" as never, { rows: 2, cols: 3 }), 'weightGrid: weights must be an array of numbers, got "w"');
  });

  it("the file-head @example runs", () => {
    const w = new Float32Array(4 * 9).map((_, i) => i % 9);
    const fig = weightGrid(w, { rows: 3, cols: 3, columns: 2 });
    assert.equal(fig.data[0]!.z!.length, 7);
  });
});
