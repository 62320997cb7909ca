import { DynamoDBClient, GetItemCommand, ListTablesCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createDynamoClient } from "./client.ts";
import { awaitLocalCommits, commitBarrier } from "./local-commit.ts";

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

  it("sends a new barrier at once to a caller who asks after the last one came back", async () => {
    const { sent, send } = controlledSend();
    const barrier = commitBarrier(send);
    const first = barrier();
    sent[0]?.release();
    await first;
    void barrier();
    // Nothing is in flight any more: the barrier goes out now, not after a turn of the queue.
    expect(sent).toHaveLength(2);
  });

  it("keeps the barrier in flight as in flight, though an earlier one, started beside it, came back", async () => {
    const { sent, send } = controlledSend();
    const barrier = commitBarrier(send);
    const first = barrier();
    void barrier(); // waits for the next barrier, sent once the first is back
    sent[0]?.release();
    await first;
    // Asked between the first coming back and the next going out: nothing is in flight, so its own.
    const own = barrier();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toHaveLength(3);
    sent[1]?.release();
    await own;
    // The third is still on its way: a caller now waits for one sent after it, not for a new one now.
    void barrier();
    expect(sent).toHaveLength(3);
  });
});

describe("awaitLocalCommits", () => {
  /** A client whose requests go nowhere: each command is recorded by name and answered empty. */
  const recordingClient = () => {
    const client = new DynamoDBClient({
      endpoint: "http://127.0.0.1:9",
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const commands: { name: string; input: unknown }[] = [];
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        commands.push({ name: String(context.commandName), input: args.input });
        return { output: { $metadata: {} } as never, response: {} };
      },
      { step: "build", name: "recordAndAnswer" },
    );
    return { client: awaitLocalCommits(client), commands };
  };

  it("follows every transaction with a one-table ListTables before passing its success on", async () => {
    const { client, commands } = recordingClient();
    await client.send(new TransactWriteItemsCommand({ TransactItems: [] }));
    expect(commands).toEqual([
      { name: "TransactWriteItemsCommand", input: { TransactItems: [] } },
      { name: "ListTablesCommand", input: { Limit: 1 } },
    ]);
    expect(client.middlewareStack.identify()).toContain("awaitLocalCommit - initialize");
  });

  it("sends no barrier after a read, nor after the barrier itself", async () => {
    const { client, commands } = recordingClient();
    await client.send(new GetItemCommand({ TableName: "t", Key: {} }));
    await client.send(new ListTablesCommand({}));
    expect(commands.map(({ name }) => name)).toEqual(["GetItemCommand", "ListTablesCommand"]);
  });
});

describe("createDynamoClient", () => {
  const middleware = (endpoint?: string) => createDynamoClient(endpoint).middlewareStack.identify().join(" ");

  it("waits for DynamoDB Local's commit on a client for an endpoint, and never on AWS's (Lambda)", () => {
    expect(middleware("http://127.0.0.1:8000")).toContain("awaitLocalCommit");
    expect(middleware()).not.toContain("awaitLocalCommit");
  });
});
