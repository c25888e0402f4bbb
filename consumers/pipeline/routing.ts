// Where each event goes (docs/architecture.md, "Events"): its topic by type, its record
// key by the tenant's ordering setting, its partition by payment type and that key
// (core's layout), its schema id by type/version.
import type { PayrailConfig } from "../../core/config";
import type { EventType } from "../../core/events";
import type { PaymentType } from "../../core/generated/graphql";
import { partitionFor, partitionKey } from "../../core/partitioning";
import type { EventRouting } from "./producer";
import { knownSchemas, type SchemaLookup } from "./schema-ids";

export const TOPIC_OF_EVENT: Record<EventType, string> = {
  PaymentInitiated: "payments.initiated",
  PaymentRiskAssessed: "payments.risk-assessed",
  PaymentReviewed: "payments.risk-assessed",
  PaymentExecuted: "payments.executed",
  PaymentFailed: "payments.executed",
  PaymentSettled: "payments.settled",
  // What the API asks of the rail travels beside the risk decisions execution reads;
  // the rail's answers beside the other execution outcomes settlement reads.
  PaymentCaptureRequested: "payments.risk-assessed",
  PaymentCanceled: "payments.risk-assessed",
  RefundRequested: "payments.risk-assessed",
  PaymentAuthorized: "payments.executed",
  PaymentCaptured: "payments.executed",
  RefundSucceeded: "payments.executed",
  RefundFailed: "payments.executed",
  PaymentAttemptFailed: "payments.executed",
  PaymentRouted: "payments.executed",
};

export function pipelineRouting(
  { pipeline, tenants }: Pick<PayrailConfig, "pipeline" | "tenants">,
  schemas: SchemaLookup = knownSchemas(),
): EventRouting {
  const declared = new Set(pipeline.topics.map((topic) => topic.name));
  return {
    topicFor(eventType) {
      const topic = TOPIC_OF_EVENT[eventType as EventType];
      if (!topic || !declared.has(topic)) throw new Error(`no declared topic for ${eventType}`);
      return topic;
    },
    // A tenant missing from config gets the config default, tenant ordering.
    keyFor: (event) =>
      partitionKey(tenants.get(event.tenantId)?.ordering ?? "tenant", event.tenantId, event.paymentId),
    partitionFor: (paymentType, key) => partitionFor(paymentType as PaymentType, key, pipeline),
    schemaIdFor: (eventType, version) => schemas.idFor(eventType, version),
  };
}
