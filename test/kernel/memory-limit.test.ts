/**
 * The kernel's memory limit (kernel/memory-limit.ts): the watchdog thread stops a process whose
 * resident size passes the limit even while its main thread is stuck in a synchronous loop that
 * fills typed arrays (memory V8's heap limit does not count).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { MEMORY_LIMIT_ENV, memoryLimitOf } from "../../kernel/memory-limit";

const watchdog = path.resolve(__dirname, "..", "..", "kernel", "memory-limit.js");

describe("kernel memory limit", () => {
  it("memoryLimitOf(env) reads SNNLAB_KERNEL_MEMORY_MB: unset is no limit, a bad value one message", () => {
    assert.equal(memoryLimitOf({}), undefined);
    assert.equal(memoryLimitOf({ [MEMORY_LIMIT_ENV]: "2048" }), 2048);
    assert.throws(() => memoryLimitOf({ [MEMORY_LIMIT_ENV]: "2 GB" }), /SNNLAB_KERNEL_MEMORY_MB must be a positive whole number of MB, got "2 GB"/);
    assert.throws(() => memoryLimitOf({ [MEMORY_LIMIT_ENV]: "0" }), /positive whole number/);
  });

  it("startMemoryWatchdog(limit) kills a process stuck in a loop that fills typed arrays, saying why on stderr", { timeout: 60_000 }, () => {
    const script = `
      require(${JSON.stringify(watchdog)}).startMemoryWatchdog(300);
      const keep = [];
      const t0 = Date.now();
      while (Date.now() - t0 < 30000) keep.push(new Float64Array(1 << 20).fill(1));   // 8 MB a turn, never yielding
      console.log("survived");`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 45_000 });
    assert.equal(result.signal, "SIGKILL");
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^snnlab kernel: \d+ MB resident is over the memory limit of 300 MB; stopping\n$/);
  });

  it("startMemoryWatchdog(limit) leaves a process under the limit alone and does not keep it alive", () => {
    const result = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(watchdog)}).startMemoryWatchdog(4096); console.log("done");`], { encoding: "utf8", timeout: 20_000 });
    assert.equal(result.status, 0);
    assert.equal(result.stdout, "done\n");
  });
});
