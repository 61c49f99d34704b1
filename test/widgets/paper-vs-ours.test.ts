import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { paperVsOurs } from "../../widgets/paper-vs-ours";
import { tableFigure } from "../../widgets/table-figure";

describe("paperVsOurs", () => {
  const points = [
    { label: "12 · CNN <test>", paper: 99.31, ours: 98.72, met: true },
    { label: "13 · eRBP", paper: 97.98, ours: 96.94, met: false },
    { label: "10 · N = 100", paper: 82.9, ours: 72.58 },
  ];
  it("puts each point at (paper, ours) in its verdict's trace and draws the diagonal over the common range", () => {
    const fig = paperVsOurs(points);
    assert.deepEqual(fig.data.map((t) => t.name), ["target met ✓", "target missed ✗", "no target"]);
    assert.deepEqual([fig.data[1]!.x, fig.data[1]!.y], [[97.98], [96.94]]);
    assert.deepEqual(fig.data[0]!.text, ["12 · CNN &lt;test&gt;"]);
    const [line] = fig.layout.shapes!;
    assert.equal(line!.x0, line!.y0);
    assert.equal(line!.x1, line!.y1);
    assert.ok((line!.x0 as number) < 72.58 && (line!.x1 as number) > 99.31);
    assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, (fig.layout.yaxis as { range: number[] }).range);
    JSON.parse(JSON.stringify(fig));
  });
  it("leaves out empty verdict groups and rejects non-finite numbers with the standard message", () => {
    assert.equal(paperVsOurs([points[0]!]).data.length, 1);
    assert.throws(() => paperVsOurs([{ label: "x", paper: NaN, ours: 1 }]), /^SnnlabError: paperVsOurs: points\[0\]\.paper must be a finite number, got NaN$/);
    assert.throws(() => paperVsOurs([{ label: "x", paper: 1, ours: 1, met: "yes" as unknown as boolean }]), /paperVsOurs: points\[0\]\.met must be true, false or null/);
  });
});

describe("tableFigure sortable", () => {
  const records = [{ name: "b", value: 2 }, { name: "a", value: null }, { name: "c", value: 1 }];
  it("adds a dropdown whose buttons restyle the cells sorted by a column, ascending and descending, empty cells last", () => {
    const fig = tableFigure(records, { columns: ["name", "value"], sortable: ["value"] });
    const menu = (fig.layout.updatemenus as { buttons: { label: string; args: { "cells.values": unknown[][] }[] }[] }[])[0]!;
    assert.deepEqual(menu.buttons.map((b) => b.label), ["original order", "value ↑", "value ↓"]);
    const cells = (k: number) => menu.buttons[k]!.args[0]!["cells.values"][0];
    assert.deepEqual(cells(0), [["b", "a", "c"], [2, "", 1]]);
    assert.deepEqual(cells(1), [["c", "b", "a"], [1, 2, ""]]);
    assert.deepEqual(cells(2), [["b", "c", "a"], [2, 1, ""]]);
  });
  it("rejects a sortable column that is not shown", () => {
    assert.throws(() => tableFigure(records, { columns: ["name"], sortable: ["value"] }), /tableFigure: sortable must name shown columns \(name\), got "?value"?/);
  });
});
