import { fileURLToPath } from "node:url";
// The scheduled outbox relay's Lambda entry (consumers/outbox-relay) with in-memory
// outboxes: which tenants it sweeps, what it leaves to live requests, what it logs, and
// when an invocation fails. The relay's DynamoDB side (relayTenants over real tables) is
// covered by test/integration/api/initiation.test.ts.
import type { ScheduledEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { relayDepsFromEnv, relayLambda } from "../../../consumers/outbox-relay/handler";
import {
  createOutboxRelay,
  type OutboxRelayDeps,
  OutboxRelayError,
} from "../../../consumers/outbox-relay/relay";
import type { Outbox, PendingEvents } from "../../../consumers/persistence/ports/outbox";
import { createLogger } from "../../../consumers/platform/observability";
import type { EventEnvelope } from "../../../core/events";

afterEach(() => {
  vi.restoreAllMocks();
});

const NOW = Date.parse("2026-11-27T08:00:00.000Z");
const MIN_AGE_MS = 30_000;
const CARD = "4242424242424242";

const event = (tenantId: string, paymentId: string, ageMs: number): EventEnvelope =>
  ({
    eventId: `${paymentId}-1`,
    type: "PaymentInitiated",
    schemaVersion: 1,
    tenantId,
    paymentId,
    paymentType: "SEPA_CREDIT",
    correlationId: `corr-${paymentId}`,
    causationId: null,
    sequence: 1,
    occurredAt: new Date(NOW - ageMs).toISOString(),
    data: { status: "INITIATED" },
  }) as unknown as EventEnvelope;

/** One tenant's payments outbox in memory; `failWith` makes every read fail. */
function memoryOutbox(rows: PendingEvents<EventEnvelope>[], failWith?: Error) {
  const pending = new Map(rows.map((row) => [row.paymentId, row]));
  const outbox: Outbox<EventEnvelope> = {
    async pending(limit) {
      if (failWith) throw failWith;
      return [...pending.values()].slice(0, limit).map((row) => ({ ...row, events: [...row.events] }));
    },
    async markPublished(paymentId, eventIds) {
      const row = pending.get(paymentId);
      if (!row) return;
      row.events = row.events.filter((e) => !eventIds.includes(e.eventId));
      if (row.events.length === 0) pending.delete(paymentId);
    },
  };
  return { outbox, pending };
}

function fakeOutboxes(outboxes: Record<string, Outbox<EventEnvelope>>) {
  return (tenantId: string) => {
    const outbox = outboxes[tenantId];
    if (!outbox) throw new Error(`no tables for ${tenantId}`);
    return outbox;
  };
}

function recordingPublisher() {
  const published: EventEnvelope[] = [];
  return {
    published,
    publisher: { publish: async (events: readonly EventEnvelope[]) => void published.push(...events) },
  };
}

/** Collects what the Powertools logger writes (info to stdout, errors to stderr) as parsed lines. */
function captureLogs(): () => Record<string, unknown>[] {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  return () =>
    chunks
      .join("")
      .split("\n")
      .filter((line) => line.trim().startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const scheduled = { id: "evt-1", time: "2026-11-27T08:00:00Z" };

function relay(outboxes: Record<string, Outbox<EventEnvelope>>, over: Partial<OutboxRelayDeps> = {}) {
  const { published, publisher } = recordingPublisher();
  const run = createOutboxRelay({
    paymentsOf: fakeOutboxes(outboxes),
    publisher,
    tenantIds: () => Object.keys(outboxes),
    minAgeMs: MIN_AGE_MS,
    logger: createLogger("outbox-relay-test"),
    now: () => NOW,
    ...over,
  });
  return { run, published };
}

describe("scheduled outbox relay", () => {
  it("publishes every tenant's due events, leaves fresh ones to their request, and logs the count", async () => {
    const logs = captureLogs();
    const acme = memoryOutbox([
      { paymentId: "pay_old", events: [event("acme", "pay_old", 45_000)] },
      { paymentId: "pay_new", events: [event("acme", "pay_new", 5_000)] },
    ]);
    const globex = memoryOutbox([{ paymentId: "pay_g", events: [event("globex", "pay_g", 120_000)] }]);
    const { run, published } = relay({ acme: acme.outbox, globex: globex.outbox });

    const summary = await run(scheduled);

    expect(published.map((e) => e.paymentId).sort()).toEqual(["pay_g", "pay_old"]);
    expect(summary).toEqual({ correlationId: "evt-1", tenants: 2, published: 2, failedTenants: [] });
    expect([...acme.pending.keys()]).toEqual(["pay_new"]);
    expect(globex.pending.size).toBe(0);
    const lines = logs();
    const done = lines.find((l) => l.message === "outbox relay sweep done");
    expect(done).toMatchObject({ correlationId: "evt-1", published: 2, tenants: 2, level: "INFO" });
    expect(lines.filter((l) => l.message === "outbox events relayed")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tenantId: "acme", correlationId: "evt-1", published: 1 }),
        expect.objectContaining({ tenantId: "globex", correlationId: "evt-1", published: 1 }),
      ]),
    );
  });

  it("sweeps the other tenants when one fails, logs that tenant, then fails the invocation", async () => {
    const logs = captureLogs();
    const acme = memoryOutbox([{ paymentId: "pay_a", events: [event("acme", "pay_a", 60_000)] }]);
    const broken = memoryOutbox([], new Error(`AccessDenied for card ${CARD}`));
    const zeta = memoryOutbox([{ paymentId: "pay_z", events: [event("zeta", "pay_z", 60_000)] }]);
    const { run, published } = relay(
      { acme: acme.outbox, broken: broken.outbox, zeta: zeta.outbox },
      { concurrency: 1 },
    );

    const failure = await run(scheduled).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(OutboxRelayError);
    expect((failure as OutboxRelayError).summary).toEqual({
      correlationId: "evt-1",
      tenants: 3,
      published: 2,
      failedTenants: ["broken"],
    });
    expect(published.map((e) => e.paymentId).sort()).toEqual(["pay_a", "pay_z"]);
    const lines = logs();
    const tenantError = lines.find((l) => l.message === "outbox relay failed for tenant");
    expect(tenantError).toMatchObject({ level: "ERROR", tenantId: "broken", correlationId: "evt-1" });
    expect(JSON.stringify(tenantError)).toContain("AccessDenied");
    expect(lines.find((l) => l.message === "outbox relay sweep incomplete")).toMatchObject({
      correlationId: "evt-1",
      failedTenants: ["broken"],
      published: 2,
    });
    // Nothing it logs carries a card number, not even one inside an error message.
    expect(JSON.stringify(lines)).not.toContain(CARD);
  });

  it("also fails only after trying every tenant when a tenant's table cannot be reached", async () => {
    captureLogs();
    const acme = memoryOutbox([{ paymentId: "pay_a", events: [event("acme", "pay_a", 60_000)] }]);
    const { run, published } = relay({ acme: acme.outbox }, { tenantIds: () => ["missing", "acme"] });
    await expect(run(scheduled)).rejects.toThrow("outbox relay failed for 1 of 2 tenants: missing");
    expect(published.map((e) => e.paymentId)).toEqual(["pay_a"]);
  });

  it("sweeps at most `concurrency` tenants at once and each tenant once", async () => {
    captureLogs();
    let inFlight = 0;
    let most = 0;
    const swept: string[] = [];
    const outboxes = Object.fromEntries(
      ["t-a", "t-b", "t-c", "t-d", "t-e"].map((tenantId) => {
        const outbox: Outbox<EventEnvelope> = {
          async pending() {
            inFlight++;
            most = Math.max(most, inFlight);
            swept.push(tenantId);
            await new Promise((resolve) => setImmediate(resolve));
            inFlight--;
            return [];
          },
          async markPublished() {},
        };
        return [tenantId, outbox];
      }),
    );
    const { run } = relay(outboxes, {
      concurrency: 2,
      tenantIds: () => [...Object.keys(outboxes), "t-a"],
    });
    const summary = await run(scheduled);
    expect(summary.tenants).toBe(5);
    expect(swept.sort()).toEqual(["t-a", "t-b", "t-c", "t-d", "t-e"]);
    expect(most).toBe(2);
  });

  it("names the sweep by the scheduled event's id, or a fresh id when it has none", async () => {
    captureLogs();
    const { run } = relay({});
    expect((await run({})).correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await run({ id: "evt-9" })).correlationId).toBe("evt-9");
  });
});

describe("outbox relay Lambda wiring", () => {
  const env = {
    KAFKA_BROKERS: "127.0.0.1:9",
    PAYRAIL_CONFIG_DIR: fileURLToPath(new URL("../../../config", import.meta.url)),
    PAYRAIL_ENV: "dev",
    PAYRAIL_SECRET: "test-secret",
    PAYRAIL_IN_PROGRESS_MS: "45000",
  };

  it("sweeps the tenants of the bundled config/tenants and waits PAYRAIL_IN_PROGRESS_MS", async () => {
    const deps = await relayDepsFromEnv(env);
    expect([...(await deps.tenantIds())].sort()).toEqual(["acme", "globex"]);
    expect(deps.minAgeMs).toBe(45_000);
    expect((await relayDepsFromEnv({ ...env, PAYRAIL_IN_PROGRESS_MS: undefined })).minAgeMs).toBe(30_000);
  });

  it("refuses to start without brokers or with a nonsensical in-progress window", async () => {
    await expect(relayDepsFromEnv({ ...env, KAFKA_BROKERS: "" })).rejects.toThrow("KAFKA_BROKERS is not set");
    await expect(relayDepsFromEnv({ ...env, PAYRAIL_IN_PROGRESS_MS: "soon" })).rejects.toThrow(
      "PAYRAIL_IN_PROGRESS_MS",
    );
  });

  it("fails an invocation whose wiring fails, and builds it again on the next one", async () => {
    captureLogs();
    const acme = memoryOutbox([{ paymentId: "pay_a", events: [event("acme", "pay_a", 60_000)] }]);
    const { published, publisher } = recordingPublisher();
    let builds = 0;
    const handler = relayLambda(async () => {
      builds++;
      if (builds === 1) throw new Error("config unreadable");
      return {
        paymentsOf: fakeOutboxes({ acme: acme.outbox }),
        publisher,
        tenantIds: () => ["acme"],
        minAgeMs: MIN_AGE_MS,
        logger: createLogger("outbox-relay-test"),
        now: () => NOW,
      };
    });
    const invocation = { id: "evt-2", time: scheduled.time } as ScheduledEvent;
    await expect(handler(invocation)).rejects.toThrow("config unreadable");
    expect(await handler(invocation)).toMatchObject({ published: 1, failedTenants: [] });
    expect(await handler(invocation)).toMatchObject({ published: 0 });
    expect(builds).toBe(2);
    expect(published.map((e) => e.paymentId)).toEqual(["pay_a"]);
  });
});
