// A tenant in `payment` ordering on the real local broker and pipeline: its payments of
// one type spread over every partition of the type's range (and none outside it), each
// payment's events share one partition and arrive in order, and every payment settles.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER } from "../../../consumers/pipeline/headers";
import { TOPIC_OF_EVENT } from "../../../consumers/pipeline/routing";
import { kafkaClient } from "../../../consumers/platform/kafka-client";
import type { KafkaRecord } from "../../../consumers/platform/msk-event";
import type { PayrailConfig } from "../../../core/config";
import type { InitiatePaymentInput } from "../../../core/generated/graphql";
import { partitionFor } from "../../../core/partitioning";
import { drainTopic } from "../../../local/esm/drain";
import { type Harness, startHarness } from "./harness";

// 40 payments over CARD's 4 partitions: random payment ids leave a partition empty with
// probability 4 · (3/4)^40 ≈ 4e-5.
const PAYMENTS = 40;
const STAGES = ["payments.initiated", "payments.risk-assessed", "payments.executed", "payments.settled"];

/** acme in payment ordering, with a velocity limit the burst stays under. */
function paymentOrdering(config: PayrailConfig): PayrailConfig {
  const acme = config.tenants.get("acme");
  if (!acme) throw new Error("config/tenants has no acme");
  const tenant = {
    ...acme,
    ordering: "payment" as const,
    limits: { ...acme.limits, velocity: { maxCount: 10 * PAYMENTS, windowSeconds: 3600 } },
  };
  return { ...config, tenants: new Map([...config.tenants, ["acme", tenant]]) };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ configure: paymentOrdering });
});
afterAll(async () => {
  await h?.stop();
});

const cardPayment = (i: number): InitiatePaymentInput => ({
  idempotencyKey: `ordering-${i}-${randomUUID()}`,
  paymentType: "CARD",
  amount: `${10 + i}.00`,
  currency: "EUR",
  payer: {
    name: "Ada Lovelace",
    country: "DE",
    card: { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" },
  },
  reference: `order ${i}`,
});

type Placed = {
  topic: string;
  partition: number;
  offset: bigint;
  key: string;
  paymentId: string;
  sequence: number;
};

async function recordsOf(topic: string): Promise<Placed[]> {
  const kafka = kafkaClient({ brokers: [h.bootstrap], clientId: "ordering-reader" });
  const placed: Placed[] = [];
  await drainTopic(kafka, {
    topic,
    onBatch: async (records: KafkaRecord[]) => {
      for (const record of records) {
        expect(record.headers?.[HEADER.tenantId]?.toString()).toBe("acme");
        const event = JSON.parse(record.value?.toString() ?? "") as { paymentId: string; sequence: number };
        placed.push({
          topic,
          partition: record.partition,
          offset: BigInt(record.offset),
          key: record.key?.toString() ?? "",
          paymentId: event.paymentId,
          sequence: event.sequence,
        });
      }
    },
  });
  return placed;
}

describe("payment ordering on the local pipeline", () => {
  it("spreads one tenant over its type's whole range, each payment in order on one partition", async () => {
    const ids = await Promise.all(
      Array.from({ length: PAYMENTS }, async (_, i) => {
        const response = await h.initiate("acme", cardPayment(i));
        if (!("data" in response)) throw new Error(`initiation failed: ${JSON.stringify(response.error)}`);
        return (response.data as { id: string }).id;
      }),
    );
    await Promise.all(ids.map((id) => h.waitFor(id, "SETTLED", 60_000)));

    const card = h.config.pipeline.partitions.find((range) => range.paymentType === "CARD");
    if (!card) throw new Error("config/pipeline.yaml has no CARD range");
    const range = Array.from({ length: card.count }, (_, i) => card.first + i);
    expect(STAGES).toEqual([...new Set(Object.values(TOPIC_OF_EVENT))]);

    const records = (await Promise.all(STAGES.map(recordsOf))).flat();
    expect(records).toHaveLength(PAYMENTS * STAGES.length);
    for (const record of records) {
      expect(record.key).toBe(`acme/${record.paymentId}`);
      expect(record.partition).toBe(partitionFor("CARD", record.key, h.config.pipeline));
    }
    for (const topic of STAGES) {
      const partitions = new Set(records.filter((r) => r.topic === topic).map((r) => r.partition));
      expect([...partitions].sort((a, b) => a - b)).toEqual(range);
    }

    for (const id of ids) {
      const own = records.filter((r) => r.paymentId === id);
      // One partition number on every topic, and the stages carry sequences 1..4.
      expect(new Set(own.map((r) => r.partition)).size).toBe(1);
      expect(STAGES.map((topic) => own.find((r) => r.topic === topic)?.sequence)).toEqual([1, 2, 3, 4]);
      // The status consumer reads all four topics; it saw this payment's states in order.
      expect(h.updates.filter((u) => u.paymentId === id).map((u) => u.status)).toEqual([
        "INITIATED",
        "RISK_APPROVED",
        "EXECUTED",
        "SETTLED",
      ]);
      const history = await h.stores.forTenant("acme").history.list(id);
      expect(history.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    }

    // On each topic-partition, each payment's records come in increasing sequence.
    for (const topic of STAGES) {
      for (const partition of range) {
        const log = records
          .filter((r) => r.topic === topic && r.partition === partition)
          .sort((a, b) => (a.offset < b.offset ? -1 : 1));
        const last = new Map<string, number>();
        for (const r of log) {
          expect(r.sequence).toBeGreaterThan(last.get(r.paymentId) ?? 0);
          last.set(r.paymentId, r.sequence);
        }
      }
    }
  });
});
