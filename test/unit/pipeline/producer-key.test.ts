// The producer keys each record per its tenant's ordering setting, and the partitioner
// places it by that key inside the payment type's range.
import { beforeAll, describe, expect, it } from "vitest";
import type { OutboxEvent } from "../../../consumers/persistence/ports/outbox";
import { pipelinePartitioner } from "../../../consumers/pipeline/partitioner";
import { outgoingRecord } from "../../../consumers/pipeline/producer";
import { pipelineRouting } from "../../../consumers/pipeline/routing";
import { loadConfig, type PayrailConfig } from "../../../core/config";

let config: PayrailConfig;
beforeAll(async () => {
  const loaded = await loadConfig("config");
  const acme = loaded.tenants.get("acme");
  if (!acme) throw new Error("config/tenants has no acme");
  // acme in payment mode; globex keeps the default.
  config = { ...loaded, tenants: new Map([...loaded.tenants, ["acme", { ...acme, ordering: "payment" }]]) };
});

const event = (tenantId: string, paymentId: string): OutboxEvent => ({
  eventId: `${paymentId}-1`,
  type: "PaymentInitiated",
  schemaVersion: 1,
  tenantId,
  paymentId,
  paymentType: "CARD",
  correlationId: "corr-1",
  sequence: 1,
});

const placed = (routing: ReturnType<typeof pipelineRouting>, e: OutboxEvent) => {
  const { topic, message } = outgoingRecord(e, routing);
  const partition = pipelinePartitioner(routing.partitionFor)()({
    topic,
    partitionMetadata: [],
    message: { key: message.key, value: message.value, headers: message.headers },
  });
  return { key: message.key, partition };
};

describe("producer record key", () => {
  it("keys a payment-mode tenant's records by tenant/payment and spreads them over the CARD range", () => {
    const routing = pipelineRouting(config);
    const records = Array.from({ length: 64 }, (_, i) => placed(routing, event("acme", `p-${i}`)));
    expect(records.map((r) => r.key)).toEqual(Array.from({ length: 64 }, (_, i) => `acme/p-${i}`));
    // CARD owns partitions 0-3 (config/pipeline.yaml).
    expect(new Set(records.map((r) => r.partition))).toEqual(new Set([0, 1, 2, 3]));
  });

  it("keeps every event of one payment on one partition in payment mode", () => {
    const routing = pipelineRouting(config);
    const partitions = new Set(
      ["PaymentInitiated", "PaymentRiskAssessed", "PaymentExecuted", "PaymentSettled"].map(
        (type, i) => placed(routing, { ...event("acme", "p-7"), type, sequence: i + 1 }).partition,
      ),
    );
    expect(partitions.size).toBe(1);
  });

  it("keys a tenant-mode tenant's records by tenant id, one partition for all its payments", () => {
    const routing = pipelineRouting(config);
    const records = Array.from({ length: 32 }, (_, i) => placed(routing, event("globex", `p-${i}`)));
    expect(new Set(records.map((r) => r.key))).toEqual(new Set(["globex"]));
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
  });

  it("keys a tenant missing from config by tenant id (the default setting)", () => {
    expect(outgoingRecord(event("initech", "p-1"), pipelineRouting(config)).message.key).toBe("initech");
  });
});
