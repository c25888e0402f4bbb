// Status service: keeps each payment row in step with its events and tells subscribers.
// Per batch (one tenant at a time): the rows come from what this handler last wrote or
// derived (./known-rows; a PaymentInitiated carries its row, which initiation wrote with
// the event's history entry), and the others are read in one BatchGetItem. Per payment,
// its events in the batch are applied in order with core's transition, and a run of them
// that follows one another is written as ONE TransactWriteItems: each event's history
// entry (conditional on its sequence being free) and the row update (conditional on the
// row's sequence before the run; it also clears the initiation's outbox once this service
// has seen that event). A write that finds the row moved reads it and plans again. Then
// every change of the run is published through AppSync, in order (one request each;
// payments side by side). A redelivered event finds its sequence taken and only
// republishes (at-least-once to subscribers); a late one goes to the history only.
// Refund events go to the history as they come and through core's refund machine on the
// row as read (the API changed it when it took the refund); they never move its sequence.

import type { MSKEvent } from "aws-lambda";
import type { EventEnvelope } from "../../core/events";
import type { PaymentUpdateInput } from "../../core/generated/graphql";
import { groupInOrder } from "../../core/group-in-order";
import { applyRefund, statusAfterRefunds, transition } from "../../core/states";
import { refundLedger } from "../api/refund-ledger";
import type { PaymentChange, PaymentRecord, PaymentRepository } from "../persistence/ports/payments";
import type { RefundStore } from "../persistence/ports/refunds";
import { lostAt, type TransactionWrite, type WriteTogether } from "../persistence/ports/transaction";
import { decodeEvents, forEachPayment } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import {
  type Change,
  changeOf,
  entryWrites,
  isRecordedAtSource,
  RECORDED_AT_SOURCE,
  type RecordStores,
  rowChange,
} from "../pipeline/payment-record";
import { iamAppSyncClient, type PaymentUpdatePublisher } from "../platform/appsync-client";
import { requestLogger, traced } from "../platform/observability";
import { type KnownRow, type KnownRows, knownRows } from "./known-rows";
import { paymentUpdate, refundUpdate } from "./payment-update";

export type StatusOptions = {
  /**
   * How long to wait for a missing predecessor (the status service reads four topics, so
   * EXECUTED can arrive before RISK_APPROVED) before applying an event anyway, so that
   * subscribers see the states in order.
   */
  gapWaitMs?: number;
};

const POLL_MS = 25;
/**
 * How long a payment waiting for its predecessor first waits for this handler to apply it
 * (another topic's batch, usually) before asking DynamoDB whether another invocation did.
 */
const LOCAL_WAIT_MS = 200;
const MAX_WRITE_CONFLICTS = 5;
/** Payments worked on side by side within a batch. */
const LANES = 16;

type RefundEvent = EventEnvelope<"RefundRequested" | "RefundSucceeded" | "RefundFailed">;

const isRefundEvent = (event: EventEnvelope): event is RefundEvent =>
  event.type === "RefundRequested" || event.type === "RefundSucceeded" || event.type === "RefundFailed";

/** What one event came to within a run; logged and published once the run is written. */
type Step =
  | { outcome: "applied"; event: EventEnvelope; from: string; update: PaymentUpdateInput }
  | { outcome: "ignored"; event: EventEnvelope; reason: "duplicate" | "stale"; update?: PaymentUpdateInput }
  | { outcome: "rejected"; event: EventEnvelope; reason: string };

type Run = {
  /** Index of the first event after the run. */
  end: number;
  /**
   * The row as its writer finds it: the row the run started on, after the run's events
   * recorded at their source (they lead a run: their producers come first).
   */
  base: PaymentRecord;
  /** The row once the run is written. */
  state: PaymentRecord;
  /** The attributes the run changes here; undefined when it changes nothing. */
  set?: Change;
  /** The events applied here (not recorded at their source), whose entries the write adds. */
  written: EventEnvelope[];
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
  let base = row;
  let set: Change | undefined;
  const written: EventEnvelope[] = [];
  const steps: Step[] = [];
  let index = start;
  for (; index < events.length; index++) {
    const event = events[index] as EventEnvelope;
    if (index > start && event.sequence > state.sequence + 1) break;
    const atSource = isRecordedAtSource(event);
    // One recorded at its source after an event written here starts a run of its own.
    if (atSource && set) break;
    const result = transition(state, event);
    if (result.outcome === "ignored") {
      const republish = result.reason === "duplicate" && state.status === event.data.status;
      // One recorded at its source is found on the row when this handler did not know it
      // before (risk's, usually): told with the status it follows, as if applied here.
      const follows = state.sequence === event.sequence ? RECORDED_AT_SOURCE.get(event.type) : undefined;
      steps.push({
        outcome: "ignored",
        event,
        reason: result.reason,
        update: republish ? paymentUpdate(state, event, follows ?? undefined) : undefined,
      });
      continue;
    }
    if (result.outcome === "rejected") {
      steps.push({ outcome: "rejected", event, reason: result.reason });
      continue;
    }
    const change = changeOf(event);
    steps.push({
      outcome: "applied",
      event,
      from: result.previousStatus,
      update: paymentUpdate(state, event, result.previousStatus),
    });
    state = { ...state, ...change };
    if (atSource) {
      // Its producer wrote it (conditional on the row this handler knew, or a later one).
      base = state;
      continue;
    }
    set = { ...set, ...change };
    written.push(event);
  }
  return { end: index, base, state, set, written, steps };
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
  const rows: KnownRows = knownRows();

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
          await report([
            {
              outcome: "ignored",
              event,
              reason: "duplicate",
              update: refundUpdate(row, event, stored, undefined),
            },
          ]);
        }
        break;
      }
    }
  }

  /** A tenant's tables as the status service writes them. */
  type Tables = RecordStores & {
    payments: PaymentRepository<EventEnvelope>;
    refunds: RefundStore;
    commit: WriteTogether;
  };

  /**
   * The run's writes in one transaction: each event's entry (with the attempt answer it
   * carries) and the row update; false if the row moved. An entry whose sequence is taken
   * (the first event of a sequence is kept, with its answer) is left out and the rest
   * written again; so is an answer whose attempt item is missing.
   */
  async function writeRun(
    tables: Tables,
    paymentId: string,
    events: EventEnvelope[],
    change: PaymentChange<EventEnvelope>,
  ): Promise<boolean> {
    let groups = events.map((event) => entryWrites(tables, event));
    for (let round = 0; round < MAX_WRITE_CONFLICTS; round++) {
      const writes: TransactionWrite[] = [...groups.flat(), tables.payments.updateWrite(paymentId, change)];
      const outcome = await traced(ctx.tracer, "payments.writeRun", () => tables.commit(writes));
      if (outcome.committed) return true;
      if (lostAt(outcome, writes.length - 1)) return false;
      let at = 0;
      groups = groups.flatMap((group) => {
        const first = at;
        at += group.length;
        if (lostAt(outcome, first)) return [];
        return [group.filter((_, index) => index === 0 || !lostAt(outcome, first + index))];
      });
    }
    throw new Error(`payment ${paymentId}: its run kept being cancelled`);
  }

  /**
   * The row moved past what this handler knew while it waited: by another invocation of
   * this service (which told subscribers), or by a producer recording its own event, which
   * nobody may have told yet (this handler may never see it: on AWS each topic's mapping
   * runs apart). Those are told from the history now, in order, before what follows them
   * (a subscriber may then see one twice: at-least-once). Only on this gap path.
   */
  async function tellRecordedAtSource(tables: Tables, known: PaymentRecord, now: PaymentRecord) {
    const between = (
      await traced(ctx.tracer, "history.list", () => tables.history.list(now.paymentId))
    ).filter(
      (event) =>
        event.sequence > known.sequence && event.sequence <= now.sequence && isRecordedAtSource(event),
    );
    await report(
      between.map((event) => ({
        outcome: "ignored" as const,
        event,
        reason: "duplicate" as const,
        update: paymentUpdate(now, event, RECORDED_AT_SOURCE.get(event.type) ?? undefined),
      })),
    );
  }

  /** Late events, kept in the history only (each with the attempt answer it carries). */
  async function recordLate(tables: Tables, events: readonly EventEnvelope[]): Promise<void> {
    const groups = events.map((event) => entryWrites(tables, event));
    const alone = events.filter((_, index) => groups[index]?.length === 1);
    await traced(ctx.tracer, "history.appendAll", () => tables.history.appendAll(alone));
    for (const group of groups.filter((writes) => writes.length > 1))
      await traced(ctx.tracer, "history.appendWithAnswer", () => tables.commit(group));
  }

  /** One payment's events of the batch, in order; `known` its row as remembered or read at the batch's start. */
  async function applyPayment(
    tables: Tables,
    poller: ReturnType<typeof rowPoller>,
    all: readonly EventEnvelope[],
    known: KnownRow | undefined,
  ): Promise<void> {
    const events = all.filter((event) => !isRefundEvent(event));
    const refundEvents = all.filter(isRefundEvent);
    const reread = async (paymentId: string) => {
      const found = (await tables.payments.get(paymentId))?.payment;
      return found ? { row: found } : undefined;
    };
    let entry = known;
    let next = 0;
    let conflicts = 0;
    let waitUntil: number | undefined;
    while (next < events.length) {
      const first = events[next] as EventEnvelope;
      // The row is written before its first event is produced; absent means not yet visible.
      if (!entry) throw new Error(`payment ${first.paymentId} not found for ${first.type}`);
      const { row } = entry;
      if (first.sequence > row.sequence + 1) {
        waitUntil ??= Date.now() + gapWaitMs;
        if (Date.now() < waitUntil) {
          // This handler may have applied it already, or may do so shortly.
          const newer = () => {
            const mine = rows.get(first.tenantId, first.paymentId);
            return mine && mine.row.sequence > row.sequence ? mine : undefined;
          };
          let applied = newer();
          if (!applied) {
            await rows.changed(first.tenantId, first.paymentId, LOCAL_WAIT_MS);
            applied = newer();
          }
          if (applied) {
            entry = applied;
            continue;
          }
          const polled = await poller.next(first.paymentId);
          if (polled && polled.sequence > row.sequence) await tellRecordedAtSource(tables, row, polled);
          entry = polled ? { row: polled } : undefined;
          continue;
        }
      }
      const run = planRun(row, events, next);
      const { set } = run;
      if (set) {
        if (!(await writeRun(tables, first.paymentId, run.written, rowChange(run.base, set)))) {
          if (++conflicts >= MAX_WRITE_CONFLICTS)
            throw new Error(`payment ${first.paymentId} kept changing under ${first.type}`);
          rows.forget(first.tenantId, first.paymentId);
          entry = await reread(first.paymentId);
          continue;
        }
      }
      // Remembered as written here, or as the producers of its events recorded them.
      if (run.state !== row) {
        entry = { row: run.state };
        rows.set(entry);
      }
      // A late event (rejected, or older than the row) is kept in the history only; a
      // duplicate's sequence is taken already; one recorded at its source is in it already.
      const historyOnly = run.steps.flatMap((step) =>
        !isRecordedAtSource(step.event) &&
        (step.outcome === "rejected" || (step.outcome === "ignored" && step.reason === "stale"))
          ? [step.event]
          : [],
      );
      if (historyOnly.length > 0) await recordLate(tables, historyOnly);
      await report(run.steps);
      next = run.end;
      conflicts = 0;
      waitUntil = undefined;
    }
    if (refundEvents.length > 0) {
      // The API changed the row when it took the refund, so it is read, not remembered.
      const paymentId = (refundEvents[0] as RefundEvent).paymentId;
      await traced(ctx.tracer, "history.appendAll", () => tables.history.appendAll(refundEvents));
      rows.forget((refundEvents[0] as RefundEvent).tenantId, paymentId);
      const row = (await tables.payments.get(paymentId))?.payment;
      await applyRefunds(tables.payments, tables.refunds, refundEvents, row);
    }
  }

  async function applyTenant(tenantId: string, events: readonly EventEnvelope[]): Promise<void> {
    const stores = ctx.stores.forTenant(tenantId);
    const tables: Tables = { ...stores, commit: stores.writeTogether };
    for (const event of events) if (event.type === "PaymentInitiated") rows.initiated(event);
    const paymentIds = [...new Set(events.map((event) => event.paymentId))];
    const unknown = paymentIds.filter((paymentId) => !rows.get(tenantId, paymentId));
    if (unknown.length > 0) {
      const read = await traced(ctx.tracer, "payments.getMany", () => tables.payments.getMany(unknown));
      for (const { payment } of read.values()) rows.set({ row: payment });
    }
    const poller = rowPoller((ids) =>
      traced(ctx.tracer, "payments.getMany", () => tables.payments.getMany(ids)),
    );
    const byPayment = groupInOrder(events, (event) => event.paymentId);
    // Every payment gets its turn even if another fails; the first failure is thrown after.
    const failures: unknown[] = [];
    await forEachPayment(
      [...byPayment].map(([paymentId, list]) => ({ event: { paymentId }, events: list })),
      async ({ event: { paymentId }, events: list }) => {
        try {
          await applyPayment(tables, poller, list, rows.get(tenantId, paymentId));
        } catch (error) {
          rows.forget(tenantId, paymentId);
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
