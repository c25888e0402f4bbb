// The deployed entry points (`handler` exports, wired from the environment as the
// AppSync emulator and Lambda load them) against a real local broker: the event is in
// Kafka, keyed by tenant with the contract headers, before initiatePayment answers.
import type { Kafka } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "../../../consumers/api/contract";
import type { Payment } from "../../../core/generated/graphql";
import { apiRequest, CARD_NUMBER, cardInput, startWiredStack } from "./support";

type Handler = (request: unknown) => Promise<ApiResponse>;

let wired: Awaited<ReturnType<typeof startWiredStack>>;
let kafka: Kafka;
let initiation: Handler;
let paymentsApi: Handler;

beforeAll(async () => {
  wired = await startWiredStack();
  kafka = wired.kafka;
  initiation = (await import("../../../consumers/initiation/handler")).handler as Handler;
  paymentsApi = (await import("../../../consumers/payments-api/handler")).handler as Handler;
});
afterAll(() => wired?.stop());

async function recordsOf(topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets.filter((p) => Number(p.high) > 0);
}

describe("Lambda entry points on a real broker", () => {
  it("initiatePayment answers only once the event is in payments.initiated", async () => {
    const response = await initiation(apiRequest("acme", "initiatePayment", { input: cardInput("kafka-1") }));
    const payment = (response as { data: Payment }).data;
    expect(payment.status).toBe("INITIATED");
    const written = await recordsOf("payments.initiated");
    expect(written.map((p) => Number(p.high))).toEqual([1]);
    // CARD owns partitions 0-3 in config/pipeline.yaml.
    expect(written[0]?.partition).toBeLessThan(4);

    const consumer = kafka.consumer({ groupId: "api-test-reader" });
    await consumer.connect();
    await consumer.subscribe({ topic: "payments.initiated", fromBeginning: true });
    const record = await new Promise<{ key: string; value: string; headers: Record<string, string> }>(
      (resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no record within 15 s")), 15_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve({
              key: String(message.key),
              value: String(message.value),
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
              ),
            });
          },
        });
      },
    );
    await consumer.disconnect();
    expect(record.key).toBe("acme");
    expect(record.headers).toMatchObject({
      "event-type": "PaymentInitiated",
      "tenant-id": "acme",
      "correlation-id": "corr-test-1",
    });
    expect(record.headers["schema-version-id"]).toBeTruthy();
    expect(JSON.parse(record.value)).toMatchObject({ paymentId: payment.id, sequence: 1, tenantId: "acme" });
    expect(record.value).not.toContain(CARD_NUMBER);

    const read = await paymentsApi(apiRequest("acme", "payment", { id: payment.id }));
    expect(read).toEqual({ data: payment });
  });
});
