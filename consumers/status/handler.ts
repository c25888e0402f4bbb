// Status service: keeps each payment row in step with its events and tells subscribers.
// Per batch (one tenant at a time): the events go to the payments' histories (conditional
// puts, the first event of a sequence kept) and the rows are read in one BatchGetItem. Per payment, its events
// in the batch are applied in order with core's transition, and a run of them that
// follows one another is written as one UpdateItem conditional on the row's sequence
// before the run; then every change of the run is published through AppSync, in order
// (one request each; payments side by side). A redelivered event finds its
// sequence taken and only republishes (at-least-once to subscribers); a late one stays in
// the history only.

import type { MSKEvent } from "aws-lambda";
import type { EventEnvelope } from "../../core/events";
import type { PaymentUpdateInput } from "../../core/generated/graphql";
import { groupInOrder } from "../../core/group-in-order";
import { applyRefund, statusAfterRefunds, transition } from "../../core/states";
import { tenantTables } from "../../core/storage/tables";
import { refundLedger } from "../api/refund-ledger";
import { dynamoDbPaymentHistory } from "../persistence/history";
import {
  dynamoDbPaymentRepository,
  type PaymentRecord,
  type PaymentRepository,
} from "../persistence/payments";
import { dynamoDbRefundStore, type RefundStore } from "../persistence/refunds";
import { decodeEvents, forEachPayment } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { iamAppSyncClient, type PaymentUpdatePublisher } from "../platform/appsync-client";
import { requestLogger, traced } from "../platform/observability";
import { paymentUpdate, reasonOf, refundUpdate } from "./payment-update";

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
/** Payments worked on side by side within a batch. */
const LANES = 16;

type Change = Partial<PaymentRecord>;

function changeOf(event: EventEnvelope): Change {
  const set: Change = {
    status: event.data.status,
    sequence: event.sequence,
    updatedAt: event.occurredAt,
    reason: reasonOf(event),
  };
  switch (event.type) {
    case "PaymentRiskAssessed": {
      const { decision, score, reasons } = event.data;
      set.risk = { decision, score, reasons };
      break;
    }
    case "PaymentAuthorized":
      set.railReference = event.data.railReference;
      set.authorizationExpiresAt = event.data.expiresAt;
      break;
    case "PaymentExecuted":
      set.railReference = event.data.railReference;
      break;
    case "PaymentCaptured":
      set.railReference = event.data.railReference;
      set.capturedMinor = event.data.amountMinor;
      break;
    case "PaymentSettled":
      // Refunds need SETTLED, so none exists yet: what is refundable starts at what was settled.
      set.capturedMinor = event.data.amountMinor;
      set.refundableMinor = Number(event.data.amountMinor);
      set.refunds = {};
      break;
    default:
      break;
  }
  return set;
}

type RefundEvent = EventEnvelope<"RefundRequested" | "RefundSucceeded" | "RefundFailed">;

const isRefundEvent = (event: EventEnvelope): event is RefundEvent =>
  event.type === "RefundRequested" || event.type === "RefundSucceeded" || event.type === "RefundFailed";

/** What one event came to within a run; logged and published once the run is written. */
type Step =
  | { outcome: "applied"; event: EventEnvelope; from: string; update: PaymentUpdateInput }
  | { outcome: "ignored"; event: EventEnvelope; update?: PaymentUpdateInput }
  | { outcome: "rejected"; event: EventEnvelope; reason: string };

type Run = {
  /** Index of the first event after the run. */
  end: number;
  /** The row once the run is written. */
  state: PaymentRecord;
  /** The attributes the run changes; undefined when it changes nothing. */
  set?: Change;
  steps: Step[];
};

/**
 * Applies `events[start..]` to `row` in memory, one transition after another, as writing
 * each in turn would: a later event's `undefined` (say, no reason) leaves an earlier
 * one's value, as UpdateItem skips undefined attributes. Stops before an event whose
 * predecessor is missing, so that the run is written before waiting for it.
 */
function planRun(row: PaymentRecord, events: readonly EventEnvelope[], start: number): Run {
  let state = row;
  let set: Change | undefined;
  const steps: Step[] = [];
  let index = start;
  for (; index < events.length; index++) {
    const event = events[index] as EventEnvelope;
    if (index > start && event.sequence > state.sequence + 1) break;
    const result = transition(state, event);
    if (result.outcome === "ignored") {
      const republish = result.reason === "duplicate" && state.status === event.data.status;
      steps.push({
        outcome: "ignored",
        event,
        update: republish ? paymentUpdate(state, event, undefined) : undefined,
      });
      continue;
    }
    if (result.outcome === "rejected") {
      steps.push({ outcome: "rejected", event, reason: result.reason });
      continue;
    }
    const change = Object.fromEntries(
      Object.entries(changeOf(event)).filter(([, value]) => value !== undefined),
    ) as Change;
    steps.push({
      outcome: "applied",
      event,
      from: result.previousStatus,
      update: paymentUpdate(state, event, result.previousStatus),
    });
    set = { ...set, ...change };
    state = { ...state, ...change };
  }
  return { end: index, state, set, steps };
}

type Row = PaymentRecord | undefined;

/**
 * Rows re-read while their payments wait for a missing predecessor: every payment that
 * waits asks for its row again after POLL_MS, and the asks of one tick share one
 * BatchGetItem instead of a GetItem each.
 */
function rowPoller(read: (paymentIds: string[]) => Promise<Map<string, { payment: PaymentRecord }>>) {
  let waiting = new Map<string, { resolve: (row: Row) => void; reject: (error: unknown) => void }[]>();
  let scheduled = false;
  const flush = async () => {
    const asked = waiting;
    waiting = new Map();
    scheduled = false;
    try {
      const rows = await read([...asked.keys()]);
      for (const [paymentId, waiters] of asked)
        for (const w of waiters) w.resolve(rows.get(paymentId)?.payment);
    } catch (error) {
      for (const waiters of asked.values()) for (const w of waiters) w.reject(error);
    }
  };
  return {
    /** The row as it is after the next poll tick. */
    next(paymentId: string): Promise<Row> {
      return new Promise<Row>((resolve, reject) => {
        const waiters = waiting.get(paymentId) ?? [];
        waiters.push({ resolve, reject });
        waiting.set(paymentId, waiters);
        if (!scheduled) {
          scheduled = true;
          setTimeout(() => void flush(), POLL_MS);
        }
      });
    },
  };
}

export function createStatusHandler(
  ctx: PipelineContext,
  updates: PaymentUpdatePublisher,
  options: StatusOptions = {},
) {
  const gapWaitMs = options.gapWaitMs ?? 2000;

  const loggerFor = (event: EventEnvelope) =>
    requestLogger(ctx.logger, {
      tenantId: event.tenantId,
      correlationId: event.correlationId,
      paymentId: event.paymentId,
    });

  /** Publishes a written run's updates, in order, and logs its events. */
  async function report(steps: readonly Step[]): Promise<void> {
    for (const step of steps) {
      const { update } = step.outcome === "rejected" ? {} : step;
      if (update) await traced(ctx.tracer, "appsync.publish", () => updates.publishPaymentUpdate(update));
    }
    for (const step of steps) {
      const log = loggerFor(step.event);
      const { type: eventType, sequence } = step.event;
      if (step.outcome === "rejected")
        log.info("late event kept in history only", { eventType, reason: step.reason });
      else if (step.outcome === "applied")
        log.info("payment status changed", { from: step.from, to: step.update.status });
      else log.debug("event already applied", { eventType, sequence });
    }
  }

  /**
   * A payment's refund events, after its other events: each refund's own machine (core)
   * over the row's refunds, written only while the refund is PENDING, so a repeated or
   * late answer changes nothing; the payment's sequence is not theirs to move (refunds
   * run side by side). Every one is published, a repeated one again.
   */
  async function applyRefunds(
    payments: PaymentRepository,
    refunds: RefundStore,
    events: readonly RefundEvent[],
    row: PaymentRecord | undefined,
  ): Promise<void> {
    for (const event of [...events].sort((a, b) => a.sequence - b.sequence)) {
      for (let conflicts = 0; ; conflicts++) {
        if (!row) throw new Error(`payment ${event.paymentId} not found for ${event.type}`);
        const stored = row.refunds?.[event.data.refundId];
        // The API writes the refund before its request is published; absent means not yet visible.
        if (!stored) throw new Error(`refund ${event.data.refundId} of ${event.paymentId} not found`);
        const outcome =
          event.type === "RefundRequested"
            ? "requested"
            : event.type === "RefundSucceeded"
              ? "succeeded"
              : "failed";
        const ledger = refundLedger(row);
        const result = applyRefund(ledger, {
          refundId: stored.refundId,
          amountMinor: BigInt(event.data.amountMinor),
          outcome,
        });
        if (result.outcome === "rejected") {
          loggerFor(event).warn("refund event does not fit the refund", {
            eventType: event.type,
            reason: result.reason,
          });
          break;
        }
        if (result.outcome === "applied") {
          const refund = {
            ...stored,
            status: result.status,
            updatedAt: event.occurredAt,
            ...(event.type === "RefundFailed" ? { failureReason: event.data.code } : {}),
          };
          const completes = row.status === "SETTLED" && statusAfterRefunds(result.ledger) === "REFUNDED";
          const written = await traced(ctx.tracer, "refunds.answer", () =>
            refunds.answer(event.paymentId, {
              refund,
              release: event.type === "RefundFailed" ? Number(event.data.amountMinor) : 0,
              completes,
            }),
          );
          if (!written) {
            if (conflicts >= MAX_WRITE_CONFLICTS) throw new Error(`refund ${stored.refundId} kept changing`);
            row = (await payments.get(event.paymentId))?.payment;
            continue;
          }
          const previousStatus = row.status;
          row = {
            ...row,
            ...(completes ? { status: "REFUNDED" as const, updatedAt: event.occurredAt } : {}),
            refunds: { ...row.refunds, [stored.refundId]: refund },
          };
          await report([
            {
              outcome: "applied",
              event,
              from: previousStatus,
              update: refundUpdate(row, event, refund, previousStatus),
            },
          ]);
        } else {
          await report([{ outcome: "ignored", event, update: refundUpdate(row, event, stored, undefined) }]);
        }
        break;
      }
    }
  }

  /** One payment's events of the batch, in order; `row` as read at the start of the batch. */
  async function applyPayment(
    payments: PaymentRepository,
    refunds: RefundStore,
    poller: ReturnType<typeof rowPoller>,
    all: readonly EventEnvelope[],
    row: PaymentRecord | undefined,
  ): Promise<void> {
    const events = all.filter((event) => !isRefundEvent(event));
    const refundEvents = all.filter(isRefundEvent);
    const reread = async (paymentId: string) => (await payments.get(paymentId))?.payment;
    let next = 0;
    let conflicts = 0;
    let waitUntil: number | undefined;
    while (next < events.length) {
      const first = events[next] as EventEnvelope;
      // The row is written before its first event is produced; absent means not yet visible.
      if (!row) throw new Error(`payment ${first.paymentId} not found for ${first.type}`);
      if (first.sequence > row.sequence + 1) {
        waitUntil ??= Date.now() + gapWaitMs;
        if (Date.now() < waitUntil) {
          row = await poller.next(first.paymentId);
          continue;
        }
      }
      const run = planRun(row, events, next);
      const { set } = run;
      if (set) {
        const expected = row.sequence;
        const written = await traced(ctx.tracer, "payments.update", () =>
          payments.update(first.paymentId, { expect: { sequence: expected }, set }),
        );
        if (!written) {
          if (++conflicts >= MAX_WRITE_CONFLICTS)
            throw new Error(`payment ${first.paymentId} kept changing under ${first.type}`);
          row = await reread(first.paymentId);
          continue;
        }
        row = run.state;
      }
      await report(run.steps);
      next = run.end;
      conflicts = 0;
      waitUntil = undefined;
    }
    if (refundEvents.length > 0) {
      // The row as written so far, or as read when this batch had only refund events.
      await applyRefunds(payments, refunds, refundEvents, row);
    }
  }

  async function applyTenant(tenantId: string, events: readonly EventEnvelope[]): Promise<void> {
    const tables = tenantTables(ctx.env, tenantId);
    const dynamo = ctx.dynamoFor(tenantId);
    const payments = dynamoDbPaymentRepository(dynamo, tables.payments);
    const history = dynamoDbPaymentHistory(dynamo, tables.paymentEvents);
    const refunds = dynamoDbRefundStore(dynamo, tables.payments);
    const paymentIds = [...new Set(events.map((event) => event.paymentId))];
    // The history is complete before any row moves; the rows are read meanwhile.
    const [, rows] = await Promise.all([
      traced(ctx.tracer, "history.appendAll", () => history.appendAll(events)),
      traced(ctx.tracer, "payments.getMany", () => payments.getMany(paymentIds)),
    ]);
    const poller = rowPoller((ids) => traced(ctx.tracer, "payments.getMany", () => payments.getMany(ids)));
    const byPayment = groupInOrder(events, (event) => event.paymentId);
    // Every payment gets its turn even if another fails; the first failure is thrown after.
    const failures: unknown[] = [];
    await forEachPayment(
      [...byPayment].map(([paymentId, list]) => ({ event: { paymentId }, events: list })),
      async ({ event: { paymentId }, events: list }) => {
        try {
          await applyPayment(payments, refunds, poller, list, rows.get(paymentId)?.payment);
        } catch (error) {
          failures.push(error);
        }
      },
      LANES,
    );
    if (failures.length > 0) throw failures[0];
  }

  return async (event: MSKEvent): Promise<void> => {
    const consumed = decodeEvents(event, ctx.schemas);
    const byTenant = groupInOrder(
      consumed.map(({ event: envelope }) => envelope),
      (envelope) => envelope.tenantId,
    );
    await traced(ctx.tracer, "status", async () => {
      const results = await Promise.allSettled(
        [...byTenant].map(([tenantId, events]) => applyTenant(tenantId, events)),
      );
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    });
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
