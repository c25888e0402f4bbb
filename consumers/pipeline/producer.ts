// Kafka side of the PaymentEventPublisher port: every event goes to its topic with
// acks=-1 from an idempotent producer (broker dedupes retried batches), keyed per the
// tenant's ordering setting (routing's keyFor), placed by the payment-type partitioner, with the contract headers. Publishes made while
// one is in flight go out together in the next request (group commit).
import type { Producer } from "kafkajs";
import type { OutboxEvent, PaymentEventPublisher } from "../persistence/ports/outbox";
import { type KafkaConnection, kafkaClient } from "../platform/kafka-client";
import { coalesce } from "./coalesce";
import { HEADER } from "./headers";
import { type PartitionFor, pipelinePartitioner } from "./partitioner";

export type EventRouting = {
  topicFor(eventType: string): string;
  /** The record key: the one place that applies the tenant's ordering setting. */
  keyFor(event: Pick<OutboxEvent, "tenantId" | "paymentId">): string;
  partitionFor: PartitionFor;
  schemaIdFor(eventType: string, schemaVersion: number): string;
};

type Outgoing = { topic: string; message: { key: string; value: string; headers: Record<string, string> } };

/** Its publish resolves once every event is acknowledged by all in-sync replicas. */
export type KafkaEventPublisher = PaymentEventPublisher & { disconnect(): Promise<void> };

export function eventHeaders(event: OutboxEvent, schemaId: string): Record<string, string> {
  return {
    [HEADER.eventType]: event.type,
    [HEADER.schemaVersionId]: schemaId,
    [HEADER.tenantId]: event.tenantId,
    [HEADER.correlationId]: event.correlationId,
    [HEADER.paymentType]: event.paymentType,
  };
}

/** The topic and record an event is sent as. */
export function outgoingRecord(event: OutboxEvent, routing: EventRouting): Outgoing {
  return {
    topic: routing.topicFor(event.type),
    message: {
      key: routing.keyFor(event),
      value: JSON.stringify(event),
      headers: eventHeaders(event, routing.schemaIdFor(event.type, event.schemaVersion)),
    },
  };
}

export function createKafkaEventPublisher(
  connection: KafkaConnection,
  routing: EventRouting,
): KafkaEventPublisher {
  const producer: Producer = kafkaClient(connection).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: pipelinePartitioner(routing.partitionFor),
  });
  // Connected once and reused, as a Lambda keeps it across invocations.
  let connected: Promise<void> | undefined;

  // One request in flight per producer: concurrent publishes share the next one.
  const send = coalesce<Outgoing>(async (outgoing) => {
    connected ??= producer.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    await connected;
    const byTopic = new Map<string, Outgoing["message"][]>();
    for (const { topic, message } of outgoing) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  });

  return {
    async publish(events) {
      // Routed here, so that an event no topic takes fails its own publish only.
      const outgoing = events.map((event) => outgoingRecord(event, routing));
      if (outgoing.length > 0) await send(outgoing);
    },
    async disconnect() {
      if (connected) await producer.disconnect();
      connected = undefined;
    },
  };
}
