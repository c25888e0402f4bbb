// Status service: keeps each payment row in step with its events and tells subscribers.
// Per event: append it to the payment's history (once per sequence), apply it to the row
// with core's transition under a conditional write on the row's sequence, then publish
// the change through AppSync. A redelivered event finds its sequence taken and only
// republishes (at-least-once to subscribers); a late one stays in the history only.

import type { MSKEvent } from "aws-lambda";
import type { EventEnvelope } from "../../core/events";
import { transition } from "../../core/states";
import { iamAppSyncClient, type PaymentUpdatePublisher } from "../shared/appsync-client";
import { decodeEvents, forEachPayment } from "../shared/kafka/consume";
import { mskLambda } from "../shared/kafka/lambda";
import type { PipelineContext } from "../shared/kafka/pipeline-context";
import { requestLogger, traced } from "../shared/observability";
import { dynamoDbPaymentHistory } from "../shared/persistence/history";
import { dynamoDbPaymentRepository, type PaymentRecord } from "../shared/persistence/payments";
import { tenantTables } from "../shared/persistence/tables";
import { paymentUpdate, reasonOf } from "./payment-update";

export type StatusOptions = {
  /**
   * How long to wait for a missing predecessor (the status service reads four topics, so
   * EXECUTED can arrive before RISK_APPROVED) before applying an event anyway, so that
   * subscribers see the states in order.
   */
  gapWaitMs?: number;
};

const POLL_MS = 25;
const MAX_WRITE_CONFLICTS = 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function changeOf(event: EventEnvelope): Partial<PaymentRecord> {
  const set: Partial<PaymentRecord> = {
    status: event.data.status,
    sequence: event.sequence,
    updatedAt: event.occurredAt,
    reason: reasonOf(event),
  };
  if (event.type === "PaymentRiskAssessed") {
    const { decision, score, reasons } = event.data;
    set.risk = { decision, score, reasons };
  }
  return set;
}

export function createStatusHandler(
  ctx: PipelineContext,
  updates: PaymentUpdatePublisher,
  options: StatusOptions = {},
) {
  const gapWaitMs = options.gapWaitMs ?? 2000;

  async function apply(event: EventEnvelope): Promise<void> {
    const log = requestLogger(ctx.logger, {
      tenantId: event.tenantId,
      correlationId: event.correlationId,
      paymentId: event.paymentId,
    });
    const tables = tenantTables(ctx.env, event.tenantId);
    const dynamo = ctx.dynamoFor(event.tenantId);
    const payments = dynamoDbPaymentRepository(dynamo, tables.payments);
    const history = dynamoDbPaymentHistory(dynamo, tables.paymentEvents);
    await traced(ctx.tracer, "history.append", () => history.append(event));

    const waitUntil = Date.now() + gapWaitMs;
    for (let conflicts = 0; conflicts < MAX_WRITE_CONFLICTS; ) {
      const found = await payments.get(event.paymentId);
      // The row is written before its first event is produced; absent means not yet visible.
      if (!found) throw new Error(`payment ${event.paymentId} not found for ${event.type}`);
      const row = found.payment;
      if (event.sequence > row.sequence + 1 && Date.now() < waitUntil) {
        await sleep(POLL_MS);
        continue;
      }
      const result = transition(row, event);
      if (result.outcome === "ignored") {
        if (result.reason === "duplicate" && row.status === event.data.status) {
          await traced(ctx.tracer, "appsync.publish", () =>
            updates.publishPaymentUpdate(paymentUpdate(row, event, undefined)),
          );
        }
        log.debug("event already applied", { eventType: event.type, sequence: event.sequence });
        return;
      }
      if (result.outcome === "rejected") {
        log.info("late event kept in history only", { eventType: event.type, reason: result.reason });
        return;
      }
      const written = await traced(ctx.tracer, "payments.update", () =>
        payments.update(event.paymentId, { expect: { sequence: row.sequence }, set: changeOf(event) }),
      );
      if (!written) {
        conflicts++;
        continue;
      }
      await traced(ctx.tracer, "appsync.publish", () =>
        updates.publishPaymentUpdate(paymentUpdate(row, event, result.previousStatus)),
      );
      log.info("payment status changed", { from: result.previousStatus, to: event.data.status });
      return;
    }
    throw new Error(`payment ${event.paymentId} kept changing under ${event.type}`);
  }

  return async (event: MSKEvent): Promise<void> => {
    const consumed = decodeEvents(event, ctx.schemas);
    await traced(ctx.tracer, "status", () => forEachPayment(consumed, ({ event }) => apply(event)));
  };
}

export const handler = mskLambda("status", ({ ctx, env }) => {
  const url = env.PAYRAIL_GRAPHQL_URL;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!url || !accessKeyId || !secretAccessKey)
    throw new Error("PAYRAIL_GRAPHQL_URL or AWS credentials not set");
  return createStatusHandler(
    ctx,
    iamAppSyncClient({
      url,
      region: env.AWS_REGION ?? "eu-west-1",
      credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN },
    }),
  );
});
