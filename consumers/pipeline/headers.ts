// Kafka header names of the pipeline contract (docs/architecture.md, "Events").
export const HEADER = {
  eventType: "event-type",
  schemaVersionId: "schema-version-id",
  tenantId: "tenant-id",
  correlationId: "correlation-id",
  // Not read by consumers; lets the partitioner place a record without parsing its value.
  paymentType: "payment-type",
} as const;

export const DLQ_HEADER = {
  error: "dlq-error",
  consumer: "dlq-consumer",
  attempts: "dlq-attempts",
  originalTopic: "dlq-original-topic",
  originalPartition: "dlq-original-partition",
  originalOffset: "dlq-original-offset",
} as const;
