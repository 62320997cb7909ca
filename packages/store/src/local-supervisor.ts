import { type DynamoLocal, DynamoLocalError, type DynamoLocalOptions, startDynamoLocal } from "./dynamo-local.ts";

export type SupervisedDynamoLocal = {
  readonly endpoint: string;
  readonly port: number;
  /** The running JVM's pid, which changes with each restart; undefined while it is down. */
  pid(): number | undefined;
  /** Resolves once DynamoDB Local answers again (at once when it is up). */
  ready(): Promise<void>;
  stop(): Promise<void>;
};

export type SuperviseOptions = DynamoLocalOptions & {
  /** One line per event worth a person's attention: a crash, a restart, a failed restart. */
  readonly log?: (line: string) => void;
  /** The first wait before a restart, doubled after each failed one up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
};

/** Up this long after a restart, and the next crash starts the backoff from its first step again. */
const STABLE_MS = 60_000;

/**
 * DynamoDB Local that comes back when it dies: `npm start` keeps serving through a crash of the
 * JVM (an out-of-memory kill, a kill -9) by starting it again on the same port and data, waiting
 * 1 s, 2 s, 4 s… (30 s at most) between attempts. Meanwhile requests fail fast (connection
 * refused), and the API answers 503 database-unavailable with Retry-After. Nothing acknowledged is
 * lost across the restart: a transaction is passed on as done only once DynamoDB Local committed it
 * (local-commit.ts), and SQLite recovers to its last commit when the file is opened again.
 */
export async function superviseDynamoLocal(options: SuperviseOptions = {}): Promise<SupervisedDynamoLocal> {
  const { log = () => {}, backoffMs = 1000, maxBackoffMs = 30_000 } = options;
  let current: DynamoLocal | undefined = await startDynamoLocal(options);
  const port = current.port;
  const endpoint = current.endpoint;
  let stopping = false;
  let upSince = Date.now();
  let backoff = backoffMs;
  let back: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;

  const restart = async (why: string) => {
    if (Date.now() - upSince > STABLE_MS) backoff = backoffMs;
    let attempt = 0;
    while (!stopping) {
      attempt += 1;
      log(
        `DynamoDB Local ${attempt === 1 ? `exited (${why})` : "did not come back"}; restarting it in ${backoff / 1000} s (attempt ${attempt})`,
      );
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, backoff).unref();
      });
      backoff = Math.min(backoff * 2, maxBackoffMs);
      if (stopping) return;
      try {
        current = await startDynamoLocal({ ...options, port });
        upSince = Date.now();
        watch(current);
        log(`DynamoDB Local is back on ${endpoint}`);
        return;
      } catch (error) {
        why = error instanceof DynamoLocalError ? error.message : String(error);
      }
    }
  };

  const watch = (local: DynamoLocal) => {
    local.process.once("exit", (code, signal) => {
      if (stopping || current !== local) return;
      current = undefined;
      back = restart(signal ? `signal ${signal}` : `code ${code}`);
    });
  };
  watch(current);

  return {
    endpoint,
    port,
    pid: () => current?.process.pid,
    ready: () => back,
    stop: async () => {
      stopping = true;
      wake?.();
      await back;
      await current?.stop();
    },
  };
}
