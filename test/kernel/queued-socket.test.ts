/**
 * QueuedSocket against a fake socket that behaves like zeromq.js 6: sends are handed over at
 * once, except every n-th, which is deferred to the next turn of the event loop; while it waits,
 * any other send throws EBUSY.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { QueuedSocket } from "../../kernel/tslab-internals";

class FakeZmqSocket {
  readonly sent: unknown[] = [];
  closed = false;
  private busy = false;
  private operations = 0;

  constructor(private readonly deferEvery: number) {}

  send(parts: unknown): Promise<void> {
    if (this.busy) throw Object.assign(new Error("Socket is busy writing; only one send operation may be in progress at any time"), { code: "EBUSY" });
    if (this.closed) throw Object.assign(new Error("Socket is closed"), { code: "EBADF" });
    if (++this.operations % this.deferEvery !== 0) {
      this.sent.push(parts);
      return Promise.resolve();
    }
    this.busy = true;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.busy = false;
        this.sent.push(parts);
        resolve();
      }),
    );
  }

  close(): void {
    this.closed = true;
  }
}

describe("QueuedSocket", () => {
  it("hands a send to the socket at once while nothing waits (outputs stay live during synchronous code)", () => {
    const fake = new FakeZmqSocket(1000);
    const socket = new QueuedSocket(fake);
    for (let i = 0; i < 5; i++) void socket.send(i);
    assert.deepEqual(fake.sent, [0, 1, 2, 3, 4], "all five left before this turn of the event loop ends");
  });

  it("queues, in order, the sends that meet a busy socket: none is lost and none throws", async () => {
    const fake = new FakeZmqSocket(4);
    const socket = new QueuedSocket(fake);
    const all: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) all.push(socket.send(i));
    assert.deepEqual(fake.sent, [0, 1, 2], "the fourth is deferred; the rest wait behind it");
    await Promise.all(all);
    assert.deepEqual(fake.sent, Array.from({ length: 30 }, (_, i) => i));
    void socket.send(30);
    assert.equal(fake.sent.at(-1), 30, "once the queue is empty, sends go at once again");
  });

  it("close() closes the socket only after the queued sends are out", async () => {
    const fake = new FakeZmqSocket(2);
    const socket = new QueuedSocket(fake);
    for (let i = 0; i < 6; i++) void socket.send(i);
    socket.close();
    assert.equal(fake.closed, false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(fake.sent, [0, 1, 2, 3, 4, 5]);
    assert.equal(fake.closed, true);
  });
});
