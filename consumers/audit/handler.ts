// Audit service: every event, as one JSON line, into its tenant's bucket under
// `audit/date=YYYY-MM-DD/`. One object per tenant and day per partition batch, named by
// the topic, partition and first offset it holds: a redelivered batch starts at the same
// committed offset and so overwrites its own object instead of adding duplicate lines.
// All records are decoded before anything is written, so a poison record fails the batch
// before any object exists.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { MSKEvent } from "aws-lambda";
import { type ConsumedEvent, decodeEvents } from "../shared/kafka/consume";
import type { PipelineContext } from "../shared/kafka/pipeline-context";
import { traced } from "../shared/observability";

type AuditObject = { tenantId: string; key: string; lines: string[] };

export function auditObjects(consumed: readonly ConsumedEvent[]): AuditObject[] {
  const objects = new Map<string, AuditObject>();
  for (const { event, record } of consumed) {
    const date = event.occurredAt.slice(0, 10);
    const group = `${event.tenantId}/${date}/${record.topic}-${record.partition}`;
    let object = objects.get(group);
    if (!object) {
      object = {
        tenantId: event.tenantId,
        key: `audit/date=${date}/${record.topic}-${record.partition}-${String(record.offset).padStart(12, "0")}.jsonl`,
        lines: [],
      };
      objects.set(group, object);
    }
    object.lines.push(
      JSON.stringify({
        ...event,
        kafka: { topic: record.topic, partition: record.partition, offset: record.offset },
      }),
    );
  }
  return [...objects.values()];
}

export function createAuditHandler(ctx: PipelineContext) {
  return async (event: MSKEvent): Promise<void> => {
    const objects = auditObjects(decodeEvents(event, ctx.schemas));
    await traced(ctx.tracer, "audit", () =>
      Promise.all(
        objects.map(async (object) => {
          await ctx.s3.send(
            new PutObjectCommand({
              Bucket: await ctx.bucketOf(object.tenantId),
              Key: object.key,
              Body: `${object.lines.join("\n")}\n`,
              ContentType: "application/x-ndjson",
            }),
          );
        }),
      ),
    );
  };
}
