/**
 * The one unit system of snnlab, declared once.
 *
 * Every dimensional quantity inside the library is a plain number in these base units:
 *
 * | quantity     | base unit | why it is consistent                    |
 * |--------------|-----------|-----------------------------------------|
 * | time         | ms        |                                         |
 * | voltage      | mV        | nA · MΩ = mV                            |
 * | current      | nA        | nF · mV / ms = nA                       |
 * | resistance   | MΩ        | MΩ · nF = ms (τ = RC)                   |
 * | capacitance  | nF        |                                         |
 * | conductance  | µS        | µS · mV = nA                            |
 * | rate         | 1/ms      | written with `Hz` at the API edge only  |
 *
 * The exports are multipliers, so call sites read `tauMem: 20 * ms`, `rate: 50 * Hz`,
 * `current: 500 * pA`. There is no run-time unit checking (as in Norse and BindsNET; unlike
 * Brian2): the TSDoc of every dimensional field ends with its unit instead.
 *
 * @example
 *   const tau = 20 * ms;          // 20
 *   const r = 50 * Hz;            // 0.05 per ms
 *   const i = 250 * pA;           // 0.25 nA
 *   toHz(r);                      // 50
 */

import { fail } from "./validate";

/** One millisecond: the base unit of time. */
export const ms = 1;
/** One second, ms. */
export const second = 1000;
/** One microsecond, ms. */
export const us = 1e-3;

/** One millivolt: the base unit of voltage. */
export const mV = 1;
/** One volt, mV. */
export const volt = 1000;

/** One nanoampere: the base unit of current. */
export const nA = 1;
/** One picoampere, nA. */
export const pA = 1e-3;
/** One microampere, nA. */
export const uA = 1000;

/** One megaohm: the base unit of resistance. */
export const Mohm = 1;
/** One gigaohm, MΩ. */
export const Gohm = 1000;

/** One nanofarad: the base unit of capacitance. */
export const nF = 1;
/** One picofarad, nF. */
export const pF = 1e-3;

/** One microsiemens: the base unit of conductance. */
export const uS = 1;
/** One nanosiemens, µS. */
export const nS = 1e-3;

/** One hertz, in the internal rate unit 1/ms. */
export const Hz = 1e-3;
/** One kilohertz, 1/ms. */
export const kHz = 1;

/** Converts an internal rate (1/ms) to Hz, for display at the API edge. */
export function toHz(ratePerMs: number): number {
  if (typeof ratePerMs !== "number") fail("toHz", "ratePerMs", "be a number (a rate per ms)", ratePerMs);
  return ratePerMs * 1000;
}

/** Converts a rate in Hz to the internal unit (1/ms). */
export function fromHz(rateHz: number): number {
  if (typeof rateHz !== "number") fail("fromHz", "rateHz", "be a number (a rate in Hz)", rateHz);
  return rateHz * Hz;
}

/** Machine epsilon of float32, 2^-23: tolerances in tests are multiples of it. */
export const EPS32 = 2 ** -23;
