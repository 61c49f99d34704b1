import { describe, it } from "node:test";
import { createRng } from "../../src/core/random";
import { weightGrid } from "../../widgets/weight-grid";
import { expectGolden } from "./golden";

describe("weightGrid golden", () => {
  it("weightGrid(w, {rows: 4, cols: 3}) of 5 random receptive fields on a 3-column grid", (t) => {
    const w = createRng(21).fillUniform(new Float32Array(5 * 12), 0, 1);
    expectGolden("weight-grid", weightGrid(w, { rows: 4, cols: 3, columns: 3, title: "receptive fields" }), t);
  });
});
