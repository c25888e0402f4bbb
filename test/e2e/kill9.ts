// What the kill -9 tests share: the stack killed and restarted on the same data directory,
// the stack's DynamoDB tables read directly, and client workers that send again (the same
// input, so the same idempotency key) whatever a crash caught.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import { type RunningStack, startStack } from "./stack";

/** The stack in `dir`, undefined while it is down. */
export class Kill9Stack {
  current: RunningStack | undefined;

  constructor(
    readonly dir: string,
    stack: RunningStack,
  ) {
    this.current = stack;
  }

  static async start(dir: string): Promise<Kill9Stack> {
    return new Kill9Stack(dir, await startStack(dir));
  }

  /** The running stack; throws while it is down. */
  live(): RunningStack {
    if (!this.current) throw new Error("stack not running");
    return this.current;
  }

  /** kill -9, then a restart on the same data directory; answers how long the restart took. */
  async kill9AndRestart(): Promise<number> {
    const victim = this.current;
    this.current = undefined;
    await victim?.kill9();
    const restartedAt = Date.now();
    this.current = await startStack(this.dir);
    return Date.now() - restartedAt;
  }

  async stop(): Promise<void> {
    await this.current?.stop();
  }

  /** Every item of a table of the running stack. */
  async scan(table: string): Promise<Record<string, unknown>[]> {
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: this.live().info.endpoints.dynamodb,
        region: "eu-west-1",
        credentials: { accessKeyId: "x", secretAccessKey: "x" },
      }),
    );
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateScan({ client: db }, { TableName: table }))
      items.push(...(page.Items ?? []));
    return items;
  }
}

/** A send's result: done, refused for good (a validation error), or to be sent again later. */
export type Outcome = "accepted" | "retry" | "refused";

/**
 * Sends every item with `concurrency` workers; an item answered "retry" (the stack is down or
 * restarting) goes to the back of the queue and is sent again 100 ms later. `afterSend` runs
 * after each answer (a test kills the stack from there). Each worker stops after `maxSends`.
 * Answers the items left unsent.
 */
export async function sendAll<T>(
  items: T[],
  options: {
    concurrency: number;
    maxSends: number;
    send: (item: T) => Promise<Outcome>;
    afterSend?: () => Promise<void>;
  },
): Promise<T[]> {
  const pending = [...items];
  const worker = async () => {
    for (let sends = 0; sends < options.maxSends; sends++) {
      const item = pending.shift();
      if (item === undefined) return;
      if ((await options.send(item)) === "retry") {
        pending.push(item);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await options.afterSend?.();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return pending;
}
