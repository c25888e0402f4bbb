// Payments through the consumer pipeline on the real local servers: each path ends where
// the rules and sandbox rails say, subscribers see the states in order, a redelivered
// chain changes nothing twice, and a record of an unknown schema version goes to the DLQ.
import { randomUUID } from "node:crypto";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { Partitioners } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER } from "../../../consumers/pipeline/headers";
import { s3Client } from "../../../consumers/platform/aws";
import { kafkaClient } from "../../../consumers/platform/kafka-client";
import type { InitiatePaymentInput } from "../../../core/generated/graphql";
import { listDeadLetters } from "../../../local/esm/dlq";
import { pipelineGroups, waitForCommittedOffsets } from "../../support/consumer-groups";
import { type Harness, startHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

let n = 0;
const cardPayment = (amount: string, number = "4242424242424242"): InitiatePaymentInput => ({
  // Keys hold no card number (a brand-shaped Luhn-valid digit run would be refused).
  idempotencyKey: `flow-${++n}-${randomUUID()}`,
  paymentType: "CARD",
  amount,
  currency: "EUR",
  payer: {
    name: "Ada Lovelace",
    country: "DE",
    card: { number, expiryMonth: 12, expiryYear: 2030, cvc: "123" },
  },
  reference: "order 42",
});

async function start(input: InitiatePaymentInput, tenant = "acme"): Promise<string> {
  const response = await h.initiate(tenant, input);
  if (!("data" in response)) throw new Error(`initiation failed: ${JSON.stringify(response.error)}`);
  return (response.data as { id: string }).id;
}

const statuses = (paymentId: string) =>
  h.updates.filter((u) => u.paymentId === paymentId).map((u) => u.status);

describe("payment pipeline (risk → execution → settlement, status, audit)", () => {
  it("settles an ordinary card payment, updates arriving in order with the correlation id", async () => {
    const input = { ...cardPayment("12.50"), correlationId: "client-corr-1" };
    const id = await start(input);
    await h.waitFor(id, "SETTLED");
    expect(statuses(id)).toEqual(["INITIATED", "RISK_APPROVED", "EXECUTED", "SETTLED"]);
    for (const update of h.updates.filter((u) => u.paymentId === id)) {
      expect(update).toMatchObject({ tenantId: "acme", correlationId: "client-corr-1", amount: "12.50" });
    }
    const row = await h.stores.forTenant("acme").payments.get(id);
    expect(row?.payment).toMatchObject({ status: "SETTLED", sequence: 4 });
    // Risk recorded its decision on the row and cleared the initiation's outbox with it.
    expect(row?.payment.risk).toMatchObject({ decision: "APPROVE" });
    expect(row?.pendingEvents).toEqual([]);
    const history = await h.stores.forTenant("acme").history.list(id);
    expect(history.map((e) => e.type)).toEqual([
      "PaymentInitiated",
      "PaymentRiskAssessed",
      "PaymentExecuted",
      "PaymentSettled",
    ]);
    // The recorded risk event is the one published: the same id and time in the history
    // as subscribers were told.
    const told = h.updates.find((u) => u.paymentId === id && u.status === "RISK_APPROVED");
    expect(history[1]).toMatchObject({ sequence: 2, occurredAt: told?.occurredAt });
    // The winning attempt's answer, recorded by the status service with PaymentExecuted.
    const [attempt] = await h.stores.forTenant("acme").attempts.list(id);
    expect(attempt).toMatchObject({ attempt: 1, state: "APPROVED" });
    expect(attempt?.processorReference).toBeTruthy();
  });

  it("declines over the limit, holds for review over the threshold, fails a declined card", async () => {
    const declined = await start(cardPayment("20000.00"));
    const review = await start(cardPayment("1500.00"));
    const failed = await start(cardPayment("10.00", "4000000000000002"));
    const flaky = await start(cardPayment("11.00", "4000000000000119"));
    expect((await h.waitFor(declined, "DECLINED")).reason).toContain("limit_exceeded");
    expect((await h.waitFor(review, "IN_REVIEW")).reason).toContain("amount_over_review_threshold");
    expect((await h.waitFor(failed, "FAILED")).reason).toBe("card_declined");
    expect((await h.waitFor(flaky, "FAILED")).reason).toBe("processing_error");
    expect(statuses(failed)).toEqual(["INITIATED", "RISK_APPROVED", "FAILED"]);
    expect(statuses(review)).toEqual(["INITIATED", "IN_REVIEW"]);
  });

  it("redelivery of a whole chain changes nothing twice", async () => {
    const id = await start(cardPayment("7.00"));
    await h.waitFor(id, "SETTLED");
    const stores = h.stores.forTenant("acme");
    const [initiated] = await stores.history.list(id);
    if (!initiated) throw new Error("no history");
    // The same PaymentInitiated again, as a producer retry or a replay would send it.
    await h.pipeline.publisher.publish([initiated]);
    // Every consumer has handled the duplicate and whatever it caused.
    await waitForCommittedOffsets(
      kafkaClient({ brokers: [h.bootstrap], clientId: "idle" }),
      pipelineGroups(h.config.pipeline),
    );
    const history = await stores.history.list(id);
    expect(history.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(new Set(history.map((e) => e.eventId)).size).toBe(4);
    expect((await stores.payments.get(id))?.payment).toMatchObject({ status: "SETTLED", sequence: 4 });
  });

  it("writes audit lines and settlement records to the tenant's bucket only", async () => {
    const id = await start(cardPayment("3.00"));
    await h.waitFor(id, "SETTLED");
    const s3 = s3Client({ endpoint: h.endpoints.s3 });
    const bucket = "local-payrail-acme-eu";
    const lines: string[] = [];
    await expect
      .poll(
        async () => {
          lines.length = 0;
          const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "audit/" }));
          for (const object of listed.Contents ?? []) {
            const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
            lines.push(...((await body.Body?.transformToString()) ?? "").split("\n").filter(Boolean));
          }
          return lines.filter((l) => l.includes(id)).length;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(4);
    for (const line of lines) {
      const event = JSON.parse(line) as { tenantId: string; correlationId: string };
      expect(event.tenantId).toBe("acme");
      expect(event.correlationId).toBeTruthy();
    }
    // Settlement files go by the processor that won (acme's cards split stripe 70 / checkout 30).
    const settlements = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "settlements/" }));
    expect(settlements.Contents?.length).toBeGreaterThan(0);
    for (const { Key } of settlements.Contents ?? []) {
      expect(Key).toMatch(/^settlements\/(stripe|checkout)_sandbox\//);
    }
    const globex = await s3.send(
      new ListObjectsV2Command({ Bucket: "local-payrail-globex-us", Prefix: "audit/" }),
    );
    expect(globex.Contents ?? []).toHaveLength(0);
  });

  it("sends a record of an unknown schema version to the DLQ with the reason", async () => {
    const kafka = kafkaClient({ brokers: [h.bootstrap], clientId: "poison" });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: "payments.initiated",
      acks: -1,
      messages: [
        {
          key: "acme",
          partition: 0,
          value: JSON.stringify({ type: "PaymentInitiated", schemaVersion: 9 }),
          headers: {
            [HEADER.schemaVersionId]: "00000000-0000-0000-0000-000000000000",
            [HEADER.tenantId]: "acme",
          },
        },
      ],
    });
    await producer.disconnect();
    await expect
      .poll(
        async () =>
          (await listDeadLetters(kafka, "payments.initiated", "acme")).map((d) => d.consumer).sort(),
        {
          timeout: 15_000,
          interval: 300,
        },
      )
      .toEqual(["audit", "risk", "status", "webhooks"]);
    const [letter] = await listDeadLetters(kafka, "payments.initiated", "acme");
    expect(letter?.error).toContain("unknown schema version id");
  });
});
