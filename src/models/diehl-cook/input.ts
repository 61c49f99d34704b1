/**
 * Diehl & Cook (2015), part of `models/diehl-cook/` (the network is described in index.ts): poisson input as geometric inter-spike step counts: the schedule of one presentation.
 */
import { checkRng, type Rng } from "../../core/random";
import { fail, lengthIs, nonNegative } from "../../core/validate";
import { type DiehlCookNetwork, type DiehlCookSchedule, type DiehlCookWork } from "./network";
import { checkNetwork } from "./simulate";

/**
 * Draws the Poisson input of one presentation into `net.work.schedule`: input i fires in each step
 * with probability p = rate·dt, rate = pixel·ratePerLevel·intensity rounded to float32 as in
 * `imageToRates`/`poissonStep`, via geometric gaps between spikes.
 */
export function drawSchedule(net: DiehlCookNetwork, images: Uint8Array, offset: number, intensity: number, rng: Rng): void {
  const p = net.params;
  const work = net.work;
  const steps = work.presentSteps;
  const scale = p.ratePerLevel * intensity;
  let drawn = 0;
  for (let i = 0; i < p.inputs; i++) {
    const pixel = images[offset + i]!;
    if (pixel === 0) continue;
    const prob = Math.fround(pixel * scale) * p.dt;
    if (prob <= 0) continue;
    if (drawn + steps > work.drawnSteps.length) growDrawn(work, drawn + steps);
    if (prob >= 1) {
      for (let t = 0; t < steps; t++) {
        work.drawnSteps[drawn] = t;
        work.drawnIds[drawn++] = i;
      }
      continue;
    }
    const logQ = Math.log1p(-prob);
    // P(gap ≥ k) = (1 − p)^k: the number of silent steps before the next spike.
    let t = Math.floor(Math.log(1 - rng.next()) / logQ);
    while (t < steps) {
      work.drawnSteps[drawn] = t;
      work.drawnIds[drawn++] = i;
      t += 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
    }
  }
  const schedule = work.schedule;
  if (schedule.ids.length < drawn) schedule.ids = new Int32Array(Math.max(drawn, 2 * schedule.ids.length));
  const start = schedule.start;
  start.fill(0);
  for (let e = 0; e < drawn; e++) start[work.drawnSteps[e]! + 1]!++;
  for (let t = 0; t < steps; t++) start[t + 1]! += start[t]!;
  // Counting sort, stable: ids stay ascending within a step. `start[t]` is advanced while filling
  // and restored by the shift below.
  for (let e = 0; e < drawn; e++) schedule.ids[start[work.drawnSteps[e]!]!++] = work.drawnIds[e]!;
  for (let t = steps; t > 0; t--) start[t] = start[t - 1]!;
  start[0] = 0;
  schedule.steps = steps;
}

/**
 * The Poisson input of one presentation of `image` at `intensity`, as `diehlCookPresent` draws it:
 * a new schedule (the inputs firing at each step). For inspection and rasters; `net` is not changed.
 *
 * @example
 *   const input = diehlCookDrawInput(net, digit, 2, createRng(1));
 *   input.start[input.steps];   // number of input spikes in 350 ms
 */
export function diehlCookDrawInput(net: DiehlCookNetwork, image: Uint8Array, intensity: number, rng: Rng): DiehlCookSchedule {
  const fn = "diehlCookDrawInput";
  checkNetwork(fn, net);
  if (!(image instanceof Uint8Array)) fail(fn, "image", "be a Uint8Array of grey levels", image);
  lengthIs(fn, "image", image, net.params.inputs);
  nonNegative(fn, "intensity", intensity);
  checkRng(fn, "rng", rng);
  drawSchedule(net, image, 0, intensity, rng);
  const { steps, start, ids } = net.work.schedule;
  return { steps, start: start.slice(0, steps + 1), ids: ids.slice(0, start[steps]!) };
}

function growDrawn(work: DiehlCookWork, needed: number): void {
  const size = Math.max(needed, 2 * work.drawnSteps.length);
  const steps = new Int32Array(size);
  steps.set(work.drawnSteps);
  const ids = new Int32Array(size);
  ids.set(work.drawnIds);
  work.drawnSteps = steps;
  work.drawnIds = ids;
}
