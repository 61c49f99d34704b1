/**
 * Which processes run, from Linux's /proc, for the tests that check that a browser is gone.
 * Where there is no /proc every list is empty, so callers guard what needs one.
 */
import fs from "node:fs";

/** Ids of the running processes (empty without /proc). */
export function processIds(): number[] {
  if (!fs.existsSync("/proc")) return [];
  return fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number);
}

/** Ids of running processes whose command line contains `needle`. */
export function processesWith(needle: string): number[] {
  return processIds().filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(needle);
    } catch {
      return false; // gone already
    }
  });
}

/** A process's state letter, parent and process group; undefined once it is gone. */
export function processStat(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state!, ppid: Number(ppid), pgrp: Number(pgrp) };
  } catch {
    return undefined;
  }
}

/** Live (not zombie) processes in process group `pgid`. */
export function liveInGroup(pgid: number): number[] {
  return processIds().filter((pid) => {
    const stat = processStat(pid);
    return stat !== undefined && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X";
  });
}
