/**
 * The bad-input suite (issue 17, item 7): property-based tests (fast-check, fixed seed) that drive
 * every public entry point with bad values and bad files. One process, so that the summary line
 * counts every generated case: `npm test -- fuzz`.
 *
 *   sweep.ts   every public function of snnlab and snnlab/widgets, from the pinned names
 *   files.ts   the file readers with truncated and corrupt files, the writers leaving no partial file
 *   state.ts   a rejected call leaves networks, learners and monitors as they were
 */
import { after } from "node:test";
import { caseCount, fuzzSeed } from "./harness";
import "./sweep";
import "./files";
import "./state";

after(() => {
  console.log(`# fuzz: ${caseCount()} generated cases (seed ${fuzzSeed})`);
});
