// A dead-lettered record as it goes to `<topic>.dlq`: the original key, value and headers
// untouched, plus headers saying which function failed on it, how often, and why.
import type { Message } from "kafkajs";
import { DLQ_HEADER } from "../../consumers/pipeline/headers";
import type { KafkaRecord } from "../../consumers/platform/msk-event";
import { redactText } from "../../consumers/platform/redact";
import { dlqTopicOf } from "../../core/config";

export type DeadLetterCause = { functionName: string; error: unknown; attempts: number };

const MAX_ERROR_CHARS = 2000;

export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redactText(text).slice(0, MAX_ERROR_CHARS);
}

export function deadLetterMessage(
  record: KafkaRecord,
  cause: DeadLetterCause,
): { topic: string; message: Message } {
  return {
    topic: dlqTopicOf(record.topic),
    message: {
      // Same partition number in the twin topic, so per-tenant order survives a replay.
      partition: record.partition,
      key: record.key,
      value: record.value,
      timestamp: record.timestamp,
      headers: {
        ...record.headers,
        [DLQ_HEADER.error]: errorText(cause.error),
        [DLQ_HEADER.consumer]: cause.functionName,
        [DLQ_HEADER.attempts]: String(cause.attempts),
        [DLQ_HEADER.originalTopic]: record.topic,
        [DLQ_HEADER.originalPartition]: String(record.partition),
        [DLQ_HEADER.originalOffset]: record.offset,
      },
    },
  };
}
