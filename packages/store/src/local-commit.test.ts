import { describe, expect, it } from "vitest";
import { createDynamoClient } from "./client.ts";
import { commitBarrier } from "./local-commit.ts";

/** A send whose answers the test releases one at a time, recording when each was sent. */
function controlledSend() {
  const sent: { at: number; release: () => void }[] = [];
  let clock = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      sent.push({ at: clock, release: resolve });
    });
  return { sent, send, tick: () => (clock += 1) };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("the commit barrier", () => {
  it("makes a caller wait for a barrier sent after it asked, not one already on its way", async () => {
    const { sent, send, tick } = controlledSend();
    const barrier = commitBarrier(send);
    const first = barrier();
    tick();
    // Asked while the first is in flight: that one may have been queued before this caller's commit.
    const second = barrier();
    const third = barrier();
    expect(sent).toHaveLength(1);
    sent[0]?.release();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    // The two who asked together share the next barrier, sent once the first came back.
    expect(sent).toHaveLength(2);
    expect(sent[1]?.at).toBe(1);
    sent[1]?.release();
    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(true);
  });

  it("passes a failed barrier on to its callers, and the next caller sends a new one", async () => {
    let fail = true;
    let sends = 0;
    const barrier = commitBarrier(async () => {
      sends += 1;
      if (fail) throw new Error("connect ECONNREFUSED");
    });
    await expect(barrier()).rejects.toThrow("ECONNREFUSED");
    fail = false;
    await expect(barrier()).resolves.toBeUndefined();
    expect(sends).toBe(2);
  });
});

describe("createDynamoClient", () => {
  const middleware = (endpoint?: string) => createDynamoClient(endpoint).middlewareStack.identify().join(" ");

  it("waits for DynamoDB Local's commit on a client for an endpoint, and never on AWS's (Lambda)", () => {
    expect(middleware("http://127.0.0.1:8000")).toContain("awaitLocalCommit");
    expect(middleware()).not.toContain("awaitLocalCommit");
  });
});
