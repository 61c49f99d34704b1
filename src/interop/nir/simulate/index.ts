/**
 * A time-stepped simulator for any NIR graph: `nirNetwork(graph, {dt, method})` compiles the graph
 * (nested graphs flattened, names joined by "/"), `nirRun(net, input, options)` runs it for T
 * steps of dt and returns the Output nodes' signals and the records asked for.
 *
 * Why a simulator of its own: `createModel` is a feed-forward stack of discrete layers with one β
 * and θ per layer, `simulateConverted` runs IF layers only, and `network/` connects populations of
 * one neuron model by projections; a NIR graph may have cycles (the Braille network's recurrent
 * Affine), per-neuron constants, CubaLIF, Delay and Threshold nodes and nested graphs, and it
 * mixes convolutions with neurons. Exported snnlab networks re-imported here compute what the
 * originals compute (test/nir/export.test.ts).
 *
 * Time. Signals are held constant over each step (zero-order hold): the value a node receives at
 * step t is its input over [t·dt, (t + 1)·dt), and a spike is a 1 held for one step (the
 * convention of the NIR paper's discrete-time platforms, not a Dirac pulse). Within a step the
 * nodes are evaluated in the order of a depth-first walk from the Input nodes (successors in edge
 * order), so a feed-forward chain passes a signal through in the same step; an edge that closes a
 * cycle (a recurrent connection) carries the value its source had at the previous step. A node's
 * input is the sum of its in-edges; Flatten, Output and the Input/Output of a nested graph pass it
 * on unchanged (every array is row-major, so a reshape moves nothing). `dt` is in ms (house
 * units); NIR's time constants and delays are in seconds, h = dt/1000 s below.
 *
 * Neurons (per element; a = R·I the driven potential; θ, vReset, vLeak, τ from the node):
 *
 *   method "exact" (default)  sub-threshold dynamics integrated exactly over the step for the held
 *       input: LI/LIF  v ← vLeak + a + (v − vLeak − a)·e^{−h/τ};  I/IF  v ← v + a·h;
 *       CubaLI/CubaLIF  I ← wIn·S + (I − wIn·S)·e^{−h/τsyn}, v from the closed form of the two
 *       coupled linear equations (the τsyn = τmem case included). The threshold is tested at the
 *       end of the step, v > θ, and a spiking neuron is reset to vReset there. With β = e^{−h/τ}
 *       this is snnlab's discrete leaky neuron u = β·v + (1 − β)·R·I (neurons/leaky.ts), which is
 *       why the exporters (export.ts) write R = 1/(1 − β) and IF's R = 1/h.
 *   method "event"  as "exact", but a neuron whose potential ends the step above threshold spikes
 *       at the instant it crossed (closed form for IF and LIF, bisection for CubaLIF), is reset
 *       there and integrates the rest of the step from vReset: the exact event-driven solution
 *       for piecewise-constant input (the NIR paper's `lif_exact_sim.py`). At most one spike per
 *       neuron per step.
 *   method "euler"  forward Euler, v ← v + (h/τ)·(vLeak − v + a), I ← I + (h/τsyn)·(wIn·S − I), both
 *       from the start-of-step values, threshold at the end of the step (what Norse's and
 *       snnTorch's NIR importers do).
 *
 * A neuron with metadata `snnlab.reset` = "subtract" (written by snnlab's exporters for its
 * reset-by-subtraction networks; other NIR tools ignore it) resets by v ← v − (θ − vReset)
 * instead, and "none" not at all; a SumPool2d with metadata `snnlab.pool` = "spiking-max" is
 * membrane backprop's spiking max pooling (the spike of the window's unit with the most spikes
 * so far; other tools sum, and the IF the exporter puts after it makes that an OR). Other nodes: Delay rounds each delay to whole steps; Threshold
 * outputs 1 where its input exceeds θ; SumPool2d/AvgPool2d pad with zeros (the mean divides by the
 * window size, PyTorch's default); Conv padding "same" pads ⌊(k − 1)·d/2⌋ before, the rest after.
 *
 * Values are float64 throughout (NIR files hold float64 parameters, and the LIF benchmark
 * compares with an exact solution); convolutions and affine maps skip zero inputs, so spike
 * inputs cost their synaptic operations.
 *
 * @example
 *   const net = nirNetwork(await readNir("lif_norse.nir"), { dt: 0.1 * ms, method: "event" });
 *   const run = nirRun(net, current, { record: ["1"] });   // current: Float32Array, one value per step
 *   run.records["1"].v;                                      // membrane potential after each step
 */
export { nirMethods } from "./types";
export type { NirMethod, NirNetworkOptions, NirUnit, NirNetwork, NirState, NirRecord, NirRun, NirRunOptions } from "./types";
export { nirNetwork } from "./network";
export { nirInit, nirStep, nirRun } from "./run";
