import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assignLabelsByResponse, classifyByAssignment } from "../../src/models/label-assignment";
import { expectError } from "../helpers/close";

describe("label assignment", () => {
  it("assignLabelsByResponse(...) gives each neuron the class of its largest mean response", () => {
    // 3 neurons × 5 samples; neuron 2 never fires; classes 0, 1 and 2 (2 is absent).
    const responses = new Int32Array([
      4, 1, 0, // class 0
      2, 1, 0, // class 0
      0, 5, 0, // class 1
      1, 0, 0, // class 1
      0, 1, 0, // class 1
    ]);
    const { assignments, meanResponse } = assignLabelsByResponse(responses, [0, 0, 1, 1, 1], { neurons: 3, classes: 3 });
    assert.deepEqual(assignments, new Int32Array([0, 1, -1]));
    assert.deepEqual([...meanResponse.subarray(0, 6)], [3, 1, 0, 1 / 3, 2, 0]);
    assert.ok(meanResponse.subarray(6).every(Number.isNaN), "an absent class has no mean");
    const tie = assignLabelsByResponse(new Int32Array([2, 2]), [1, 0], { neurons: 1, classes: 2 });
    assert.deepEqual(tie.assignments, new Int32Array([0]), "ties go to the smaller class");
  });

  it("classifyByAssignment(...) picks the class whose neurons respond most on average", () => {
    const assignments = new Int32Array([0, 0, 1, -1]);
    const predictions = classifyByAssignment(
      new Int32Array([
        3, 1, 1, 9, // class 0 mean 2, class 1 mean 1 → 0
        1, 1, 3, 0, // 1 vs 3 → 1
        0, 0, 0, 5, // nothing from assigned neurons → −1
      ]),
      assignments, { neurons: 4, classes: 2 },
    );
    assert.deepEqual(predictions, new Int32Array([0, 1, -1]));
    expectError(() => classifyByAssignment(new Int32Array(4), new Int32Array([0, 0, 3, 0]), { neurons: 4, classes: 2 }),
      "classifyByAssignment: assignments[2] must be an integer in [-1, 1], got 3");
    expectError(() => assignLabelsByResponse(new Int32Array(5), [0], { neurons: 2 }),
      "assignLabelsByResponse: responses must have a length that is a multiple of neurons (2), got 5");
  });
});


describe("label-assignment examples", () => {
  it("the file-head @example runs", () => {
    const responses = new Int32Array([0, 4, 3, 0, 5, 1]);
    const { assignments } = assignLabelsByResponse(responses, new Uint8Array([0, 1, 1]), { neurons: 2 });
    assert.deepEqual(assignments, new Int32Array([1, 0]));
    assert.deepEqual(classifyByAssignment(new Int32Array([0, 7]), assignments, { neurons: 2 }), new Int32Array([0]));
  });
});
