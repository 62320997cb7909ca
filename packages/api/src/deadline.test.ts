import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type DeadlineOptions, deadline } from "./deadline.ts";
import type { AppEnv } from "./env.ts";
import { XLSX_TYPE } from "./exports/index.ts";
import { ProblemError, sendProblem } from "./problem.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hang detection: what does not settle within a few seconds fails the test instead of stalling it. */
const settled = <T>(promise: Promise<T>) =>
  Promise.race([promise, sleep(5_000).then(() => Promise.reject(new Error("did not settle within 5 s")))]);

/** A bare app with the deadline and the app's way of answering a ProblemError. */
function appWith(options: DeadlineOptions) {
  const app = new Hono<AppEnv>();
  app.use("*", deadline(options));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return sendProblem(c, error.problem);
    throw error;
  });
  return app;
}

/** A CSV body of `chunks` rows (endless when undefined), one every `everyMs`; says when it was cancelled. */
function slowCsv(chunks: number | undefined, everyMs: number) {
  const state = { sent: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await sleep(everyMs);
      if (chunks !== undefined && state.sent === chunks) return controller.close();
      state.sent += 1;
      controller.enqueue(new TextEncoder().encode(`${state.sent}\r\n`));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

describe("the request deadline", () => {
  it("answers 503 deadline-exceeded with Retry-After, and stops the work, when a handler runs past it", async () => {
    const app = appWith({ ms: 50 });
    const work = { steps: 0, signal: undefined as AbortSignal | undefined };
    app.get("/slow", async (c) => {
      work.signal = c.var.deadline;
      for (;;) {
        await sleep(5);
        c.var.deadline.throwIfAborted();
        work.steps += 1;
      }
    });
    const response = await settled(Promise.resolve(app.request("/slow")));
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await response.json()).toMatchObject({ type: "/problems/deadline-exceeded", status: 503 });
    expect(work.signal?.aborted).toBe(true);
    const stepsThen = work.steps;
    await sleep(50);
    expect(work.steps).toBeLessThanOrEqual(stepsThen + 1);
  });

  it("answers at the deadline even while the handler waits on something that never comes", async () => {
    const app = appWith({ ms: 50 });
    app.get("/stuck", () => new Promise<Response>(() => {}));
    const response = await settled(Promise.resolve(app.request("/stuck")));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ type: "/problems/deadline-exceeded" });
  });

  it("gives a write longer, and says that one past its deadline may have been recorded", async () => {
    const app = appWith({ ms: 20, writeMs: 150 });
    app.post("/append", async () => {
      await sleep(60);
      return new Response(null, { status: 201 });
    });
    app.post("/stuck", () => new Promise<Response>(() => {}));
    expect((await settled(Promise.resolve(app.request("/append", { method: "POST" })))).status).toBe(201);
    const stuck = await settled(Promise.resolve(app.request("/stuck", { method: "POST" })));
    expect(stuck.status).toBe(503);
    expect(await stuck.json()).toMatchObject({
      type: "/problems/deadline-exceeded",
      deadlineMs: 150,
      detail: expect.stringContaining("Idempotency-Key"),
    });
  });

  it("leaves a request that answers in time alone", async () => {
    const app = appWith({ ms: 50 });
    let signal: AbortSignal | undefined;
    app.get("/quick", (c) => {
      signal = c.var.deadline;
      return c.json({ ok: true });
    });
    const response = await app.request("/quick");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    await sleep(80);
    expect(signal?.aborted).toBe(false);
  });

  it("lets a streamed export that started in time run past the answer deadline to its end", async () => {
    const app = appWith({ ms: 20 });
    const csv = slowCsv(10, 15);
    app.get("/export", (c) => c.body(csv.body, 200, { "Content-Type": "text/csv; charset=utf-8" }));
    const response = await app.request("/export");
    expect(response.status).toBe(200);
    const text = await settled(response.text());
    expect(text.split("\r\n").filter(Boolean)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
  });

  it.each(["text/csv; charset=utf-8", XLSX_TYPE])(
    "cuts a streamed export (%s) that runs past its stream deadline, so that it fails rather than looks whole",
    async (type) => {
      const app = appWith({ ms: 20, streamMs: 100 });
      const csv = slowCsv(undefined, 5);
      app.get("/export", (c) => c.body(csv.body, 200, { "Content-Type": type }));
      const response = await app.request("/export");
      expect(response.status).toBe(200);
      await expect(settled(response.text())).rejects.toMatchObject({
        problem: { type: "/problems/deadline-exceeded" },
      });
      await sleep(20);
      expect(csv.state.cancelled).toBe(true);
      const sentThen = csv.state.sent;
      await sleep(50);
      expect(csv.state.sent).toBe(sentThen);
    },
  );
});
