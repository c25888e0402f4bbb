// The DynamoDB calls one card payment makes on its happy path (initiation → risk →
// execution → settlement → status, audit alongside), counted at each service's client.
// The count is deterministic: a call added or removed anywhere on the path fails here, and
// docs/pipeline-events.md ("DynamoDB calls per payment") says which call does what.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type DynamoDbCall, tally } from "../../../consumers/platform/call-counter";
import { kafkaClient } from "../../../consumers/platform/kafka-client";
import type { InitiatePaymentInput } from "../../../core/generated/graphql";
import { pipelineGroups, waitForCommittedOffsets } from "../../support/consumer-groups";
import { type Harness, startHarness } from "./harness";

type ServiceCall = DynamoDbCall & { service: string };
const calls: ServiceCall[] = [];

let h: Harness;
beforeAll(async () => {
  // The handlers' loggers are built with the harness; this test prints nothing.
  vi.stubEnv("POWERTOOLS_LOG_LEVEL", "SILENT");
  h = await startHarness({
    onDynamoDbCall: (service) => (call) => calls.push({ ...call, service }),
    // Execution trusts its view of a closed breaker for viewMs and adds its successful
    // samples up for flushMs (1 s each by default) before writing them; both longer than
    // this test, so the count does not depend on how fast the machine is.
    configure: (config) => ({
      ...config,
      routing: {
        ...config.routing,
        breaker: { ...config.routing.breaker, viewMs: 600_000, flushMs: 600_000 },
      },
    }),
  });
});
afterAll(async () => {
  await h?.stop();
  vi.unstubAllEnvs();
});

const cardPayment = (): InitiatePaymentInput => ({
  idempotencyKey: `count-${randomUUID()}`,
  paymentType: "CARD",
  amount: "12.50",
  currency: "EUR",
  payer: {
    name: "Ada Lovelace",
    country: "DE",
    card: { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" },
  },
  reference: "order 42",
});

/** Starts one payment and resolves when it is SETTLED and every consumer is idle again. */
async function settleOne(): Promise<void> {
  const response = await h.initiate("acme", cardPayment());
  if (!("data" in response)) throw new Error(`initiation failed: ${JSON.stringify(response.error)}`);
  await h.waitFor((response.data as { id: string }).id, "SETTLED");
  await waitForCommittedOffsets(
    kafkaClient({ brokers: [h.bootstrap], clientId: "idle" }),
    pipelineGroups(h.config.pipeline),
  );
}

/** "service Operation table" → calls, the table named without its env and tenant prefix. */
const detailed = (all: readonly ServiceCall[]) =>
  tally(
    all,
    (c) =>
      `${c.service} ${c.operation} ${c.tables.map((t) => t.replace(/^local-(acme|payrail)-/, "")).join(",")}`,
  );

/** One warm payment's calls, "service Operation table". */
const WARM = {
  // Idempotency record + vault entry + payment row with its outbox + first history entry.
  "initiation TransactWriteItems idempotency,vault,payments,payment-events": 1,
  // The payer's velocity count, the decision (first one wins), and the decision's event
  // recorded on the payment: its history entry and the row update conditional on the row
  // initiation wrote, clearing the initiation's outbox. The status service writes nothing for it.
  "risk TransactWriteItems risk,payment-events,payments": 1,
  // The batch's rows and their attempts so far (keys 1..the failover budget), one call.
  "execution BatchGetItem payments,attempts": 1,
  // Routing (issue #14): the attempt marked STARTED (conditional put) before the processor
  // is called. Its answer rides on PaymentExecuted and is recorded by the status service.
  "execution PutItem attempts": 1,
  // EXECUTED: history entry + the attempt's answer + row update on its sequence and status.
  "status TransactWriteItems payment-events,attempts,payments": 1,
  // SETTLED: history entry + row update. Both rows come from what the service knows (no read).
  "status TransactWriteItems payment-events,payments": 1,
  // Not on the payment's path: the webhooks consumer reads the tenant's endpoints once per
  // batch (one batch per topic here, one event each; under load a batch holds many
  // payments' events); acme has none, so it records nothing. The breaker's samples are not
  // either: one UpdateItem per processor per flushMs per instance, whatever the load
  // (none within this test; test/integration/persistence/processor-health.test.ts pins it).
  "webhooks Scan webhook-endpoints": 4,
};

describe("DynamoDB calls per card payment (happy path)", () => {
  it("counts the first payment of a fresh stack, cache lookups included", async () => {
    await settleOne();
    // The steady state below, plus one control-plane lookup (tenant settings for initiation,
    // the tenant's bucket for settlement and audit) that each service then keeps.
    expect(detailed(calls)).toEqual({
      ...WARM,
      // Both planned processors' breakers (acme's card split plans two), read once.
      "execution GetItem processor-health": 2,
      "initiation GetItem control": 1,
      "settlement GetItem control": 1,
      "audit GetItem control": 1,
    });
  });

  it("counts a payment once the per-tenant caches are warm, the same each time", async () => {
    const runs: Record<string, number>[] = [];
    for (let i = 0; i < 2; i++) {
      calls.length = 0;
      await settleOne();
      runs.push(detailed(calls));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]).toEqual(WARM);
    expect(tally(calls, (c) => c.service)).toEqual({
      initiation: 1,
      risk: 1,
      execution: 2,
      status: 2,
      webhooks: 4,
    });
    const onPath = calls.filter((c) => c.service !== "webhooks");
    expect(tally(onPath, (c) => c.operation)).toEqual({
      TransactWriteItems: 4,
      BatchGetItem: 1,
      PutItem: 1,
    });
    expect(onPath).toHaveLength(6);
  });
});
