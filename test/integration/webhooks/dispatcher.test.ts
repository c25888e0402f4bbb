// The webhook dispatcher over real DynamoDB (dynalite) tables with a scripted POST and a
// controlled clock: giving up marks the endpoint FAILING and keeps the delivery for
// redelivery; two dispatchers never send one attempt twice; a dispatcher that died mid-POST
// leaves the delivery due again after its lease; a gap in a payment's sequence holds later
// events until it closes or the hold ends; an earlier delivery the pending index does not
// show (it is eventually consistent) still holds the later ones.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dynamoDbWebhookStore } from "../../../consumers/persistence/dynamodb/webhooks";
import {
  AttemptInFlightError,
  deliveryIdOf,
  type WebhookStore,
} from "../../../consumers/persistence/ports/webhooks";
import { createLogger } from "../../../consumers/platform/observability";
import type { PostResult, WebhookPost } from "../../../consumers/platform/webhook-post";
import { type DispatcherOptions, webhookDispatcher } from "../../../consumers/webhooks/dispatcher";
import { tenantTables } from "../../../core/storage/tables";
import { type LocalStack, startLocalStack, TEST_ENV } from "../persistence/local-stack";

let stack: LocalStack;
let store: WebhookStore;
let clock: number;
const T0 = Date.parse("2026-12-01T00:00:00.000Z");
const SCHEDULE = { firstDelayMs: 1000, maxDelayMs: 1000, giveUpAfterMs: 2500 };

type Sent = { url: string; headers: Record<string, string> };
let sent: Sent[];

/** A POST answering `status` (or never, for "hang"). */
const answering =
  (status: number | "hang"): WebhookPost =>
  (url, _body, headers) => {
    sent.push({ url, headers });
    if (status === "hang") return new Promise<PostResult>(() => undefined);
    return Promise.resolve({ statusCode: status, latencyMs: 1 });
  };

function dispatcher(post: WebhookPost, over: Partial<DispatcherOptions> = {}) {
  return webhookDispatcher({
    tenantIds: () => ["acme"],
    storeOf: () => store,
    schedule: SCHEDULE,
    timeoutMs: 1000,
    perEndpointConcurrency: 4,
    policy: { allowLoopback: true },
    post,
    logger: createLogger("dispatcher-test"),
    now: () => new Date(clock),
    random: () => 0,
    ...over,
  });
}

let counter = 0;
async function endpoint(): Promise<string> {
  const endpointId = `whe_test${++counter}`;
  await store.endpoints.create(
    { endpointId, url: "http://127.0.0.1:9/hooks", eventTypes: ["*"], enabled: true },
    "whsec_test",
    new Date(clock),
  );
  return endpointId;
}

async function record(endpointId: string, paymentId: string, sequence: number, seen = true) {
  await store.deliveries.record({
    endpointId,
    eventId: `evt-${paymentId}-${sequence}`,
    eventType: "PaymentInitiated",
    paymentId,
    sequence,
    tenantId: "acme",
    correlationId: "corr-test",
    body: JSON.stringify({ paymentId, sequence }),
    createdAt: new Date(clock).toISOString(),
  });
  if (seen) await store.progress.markSeen(paymentId, sequence, `evt-${paymentId}-${sequence}`);
}

async function run(d: ReturnType<typeof dispatcher>) {
  await d.tick();
  await d.idle();
}

beforeAll(async () => {
  stack = await startLocalStack();
  await stack.provision("acme");
  const tables = tenantTables(TEST_ENV, "acme");
  store = dynamoDbWebhookStore(
    stack.documents,
    { endpoints: tables.webhookEndpoints, deliveries: tables.webhookDeliveries },
    randomBytes(32),
  );
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  sent = [];
  clock = T0 + counter * 3_600_000;
});

describe("webhook dispatcher", () => {
  it("gives up after the schedule: delivery FAILED, endpoint FAILING, redelivery clears both", async () => {
    const endpointId = await endpoint();
    await record(endpointId, "pay_giveup", 1);
    const failing = dispatcher(answering(500));
    const start = clock;
    // random 0: every pause is half of the capped 1 s step, so attempts at 0, 0.5, … 2.5 s.
    for (let at = 0; at <= 2500; at += 500) {
      clock = start + at;
      await run(failing);
    }
    expect(sent.map((s) => s.headers["Payrail-Delivery-Attempt"])).toEqual(["1", "2", "3", "4", "5", "6"]);
    const [delivery] = (await store.deliveries.list(endpointId, { limit: 10 })).items;
    expect(delivery?.status).toBe("FAILED");
    expect(delivery?.attempts.map((a) => [a.statusCode, a.nextRetryAt !== null])).toEqual([
      [500, true],
      [500, true],
      [500, true],
      [500, true],
      [500, true],
      [500, false],
    ]);
    expect((await store.endpoints.get(endpointId))?.status).toBe("FAILING");
    clock = start + 10_000;
    await run(failing);
    expect(sent).toHaveLength(6);

    await store.deliveries.redeliver(delivery?.deliveryId ?? "", new Date(clock));
    await run(dispatcher(answering(200)));
    expect(sent.at(-1)?.headers["Payrail-Delivery-Attempt"]).toBe("7");
    expect((await store.deliveries.get(delivery?.deliveryId ?? ""))?.status).toBe("SUCCEEDED");
    expect((await store.endpoints.get(endpointId))?.status).toBe("ACTIVE");
  });

  it("two dispatchers ticking together send each attempt once", async () => {
    const endpointId = await endpoint();
    await record(endpointId, "pay_race", 1);
    const [a, b] = [dispatcher(answering(200)), dispatcher(answering(200))];
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(sent.filter((s) => s.headers["Payrail-Event-Id"] === "evt-pay_race-1")).toHaveLength(1);
  });

  it("a delivery whose dispatcher died mid-POST is due again after the lease, as the next attempt", async () => {
    const endpointId = await endpoint();
    await record(endpointId, "pay_crash", 1);
    // The first dispatcher claims and POSTs, then never finishes (as after kill -9).
    let posted: () => void = () => undefined;
    const inPost = new Promise<void>((resolve) => {
      posted = resolve;
    });
    await dispatcher((...args) => {
      posted();
      return answering("hang")(...args);
    }).tick();
    await inPost; // claimed, and its POST never ends
    const [claimed] = (await store.deliveries.list(endpointId, { limit: 10 })).items;
    // While the attempt holds its lease a redelivery is refused (its outcome would overwrite it).
    await expect(store.deliveries.redeliver(claimed?.deliveryId ?? "", new Date(clock))).rejects.toThrow(
      AttemptInFlightError,
    );
    const survivor = dispatcher(answering(200));
    clock += 1000; // within the lease: not due
    await run(survivor);
    expect(sent).toHaveLength(1);
    clock += 1000 + 20_000; // timeout + lease margin after the claim
    await run(survivor);
    expect(sent.map((s) => s.headers["Payrail-Delivery-Attempt"])).toEqual(["1", "2"]);
    const [delivery] = (await store.deliveries.list(endpointId, { limit: 10 })).items;
    expect(delivery?.status).toBe("SUCCEEDED");
  });

  it("holds a later event until the earlier one has been seen, or the hold has passed", async () => {
    const endpointId = await endpoint();
    const d = dispatcher(answering(200), { holdMs: 60_000 });
    // Sequence 2 arrives first (another topic's mapping was quicker); 1 is not yet seen.
    await record(endpointId, "pay_gap", 2);
    await run(d);
    expect(sent).toHaveLength(0);
    await record(endpointId, "pay_gap", 1);
    await run(d);
    expect(sent.map((s) => s.headers["Payrail-Event-Id"])).toEqual(["evt-pay_gap-1", "evt-pay_gap-2"]);

    await record(endpointId, "pay_lost", 3);
    await run(d);
    expect(sent).toHaveLength(2);
    clock += 60_000;
    await run(d);
    expect(sent.at(-1)?.headers["Payrail-Event-Id"]).toBe("evt-pay_lost-3");
  });

  it("does not POST a later event while an earlier one, missing from the pending index, is still pending", async () => {
    const endpointId = await endpoint();
    await record(endpointId, "pay_index", 1);
    await record(endpointId, "pay_index", 2);
    const earlier = deliveryIdOf(endpointId, "evt-pay_index-1");
    // The pending index is eventually consistent: dynalite drops an item's old index entry
    // before it writes the new one, and on AWS the index lags the table. This view of it
    // misses sequence 1 (as a query racing its claim can), while the table holds it PENDING.
    const lagging: WebhookStore = {
      ...store,
      deliveries: {
        ...store.deliveries,
        pending: async () => (await store.deliveries.pending()).filter((d) => d.deliveryId !== earlier),
      },
    };
    const d = dispatcher(answering(200), { storeOf: () => lagging });
    await run(d);
    expect(sent).toHaveLength(0);
    expect((await store.deliveries.get(deliveryIdOf(endpointId, "evt-pay_index-2")))?.status).toBe("PENDING");

    // Once sequence 1 is delivered, sequence 2 goes.
    await run(dispatcher(answering(200)));
    expect(sent.map((s) => s.headers["Payrail-Event-Id"])).toEqual(["evt-pay_index-1", "evt-pay_index-2"]);
  });

  it("a hanging endpoint's four slots do not hold another endpoint's deliveries", async () => {
    const [slow, fast] = [await endpoint(), await endpoint()];
    for (let p = 0; p < 6; p++) await record(slow, `pay_slow_${p}`, 1);
    await record(fast, "pay_fast", 1);
    let fiveSent: () => void = () => undefined;
    const five = new Promise<void>((resolve) => {
      fiveSent = resolve;
    });
    const post: WebhookPost = (url, body, headers, options) => {
      const answer = JSON.parse(body).paymentId.startsWith("pay_slow")
        ? answering("hang")(url, body, headers, options)
        : answering(200)(url, body, headers, options);
      if (sent.length === 5) fiveSent();
      return answer;
    };
    const d = dispatcher(post);
    await d.tick();
    // Four slow POSTs (its bound) and the fast one started; the other two slow ones wait.
    expect(d.inFlight()).toBe(5);
    await five;
    const slowSent = sent.filter((s) => s.headers["Payrail-Event-Id"]?.startsWith("evt-pay_slow"));
    expect(slowSent).toHaveLength(4);
    expect(sent.some((s) => s.headers["Payrail-Event-Id"] === "evt-pay_fast-1")).toBe(true);
  });
});
