// Execution service: every payment risk-approved (by rules or by a reviewer) is routed
// (core/routing: the tenant's rules, failover on soft declines, the shared breaker) to the
// processors of its payment type: charged at once (AUTOMATIC, then PaymentExecuted) or
// held (MANUAL, then PaymentAuthorized), PaymentFailed if every attempt is refused. Each
// attempt is marked started in the attempt journal before its call and its id is the
// processor's idempotency key, so a redelivered event asks status() instead of charging
// again. A payment whose cancellation was asked for before execution is canceled instead.
// The API's later requests go to the processor that won the payment: a capture
// (PaymentCaptured), the release of a canceled hold (void, nothing follows) and refunds
// (RefundSucceeded / RefundFailed, or nothing yet while the answer waits: ./refund-outcome),
// each keyed by the id of the event that asked for it.

import type { MSKEvent } from "aws-lambda";
import type { PayrailConfig, RegionConfig } from "../../core/config";
import { tenantAndRegion } from "../../core/config/tenant-and-region";
import type { EventEnvelope, LastAttempt } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import { groupInOrder } from "../../core/group-in-order";
import { moneyFromMinor } from "../../core/money";
import {
  type Processor,
  type ProcessorRegistry,
  type RefundOutcome,
  type RefundRequest,
  sandboxProcessors,
} from "../../core/processors";
import {
  type AttemptRecord,
  failoverBudget,
  type HealthGate,
  planRoute,
  type RouteResult,
  routePayment,
} from "../../core/routing";
import { authorizationExpiry } from "../../core/states";
import type { PaymentRecord } from "../persistence/ports/payments";
import type { RoutedPayment } from "../persistence/ports/routed-payments";
import { sharedProcessorHealth } from "../persistence/processor-health";
import { decodeEvents, forEachPayment } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { requestLogger, traced } from "../platform/observability";
import { failoverEvents } from "./failover-events";
import { refundAnswer } from "./refund-outcome";

type Approval = EventEnvelope<"PaymentRiskAssessed" | "PaymentReviewed">;
type Request =
  | Approval
  | EventEnvelope<"PaymentCaptureRequested">
  | EventEnvelope<"PaymentCanceled">
  | EventEnvelope<"RefundRequested">;

function isRequest(event: EventEnvelope): event is Request {
  switch (event.type) {
    case "PaymentRiskAssessed":
    case "PaymentReviewed":
      return event.data.status === "RISK_APPROVED";
    case "PaymentCanceled":
      // Only an authorization holds anything at the processor to release.
      return event.data.previousStatus === "AUTHORIZED";
    case "PaymentCaptureRequested":
    case "RefundRequested":
      return true;
    default:
      return false;
  }
}

export type ExecutionOptions = {
  processors: ProcessorRegistry;
  /** The shared circuit breaker; without it every planned processor counts as healthy. */
  health?: HealthGate;
  /** Each processor call's timeout (at most what the failover budget leaves). */
  perCallTimeoutMs?: number;
};

/** A follow-up's answer: the processor did it, or refused it with a code. */
export type FollowUpResult =
  | { status: "succeeded"; processorReference: string }
  | { status: "failed"; code: string };
/** A refund may also be taken by the rail and settled later (bank rails). */
export type RefundResult = FollowUpResult | { status: "pending"; settlesAt: string };

const DEFAULT_CALL_TIMEOUT_MS = 2_000;

/** Thrown when the processor's answer is unknown: the record is retried, the same key asks again. */
class UnresolvedCall extends Error {}

/** An answered attempt as its outcome event carries it; undefined for one without an answer. */
function lastAttemptOf(attempt: AttemptRecord): LastAttempt | undefined {
  if (attempt.state === "STARTED" || attempt.state === "UNKNOWN") return undefined;
  return {
    attempt: attempt.attempt,
    state: attempt.state,
    ...(attempt.code ? { code: attempt.code } : {}),
    ...(attempt.processorCode ? { processorCode: attempt.processorCode } : {}),
    ...(attempt.latencyMs === undefined ? {} : { latencyMs: Math.round(attempt.latencyMs) }),
  };
}

function parsedMetadata(metadata: string | undefined): Record<string, unknown> | null {
  return metadata ? (JSON.parse(metadata) as Record<string, unknown>) : null;
}

export function createExecutionHandler(
  ctx: PipelineContext,
  config: PayrailConfig,
  options: ExecutionOptions,
) {
  const callTimeoutMs = options.perCallTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;

  /** The rows of a batch's payments with their attempts so far, one BatchGetItem per tenant. */
  async function rowsOf(requests: readonly Request[]): Promise<Map<string, RoutedPayment>> {
    const rows = new Map<string, RoutedPayment>();
    for (const [tenantId, ofTenant] of groupInOrder(requests, (a) => a.tenantId)) {
      const { region } = tenantAndRegion(config, tenantId);
      const found = await ctx.stores.forTenant(tenantId).routedPayments.read(
        ofTenant.map((a) => a.paymentId),
        failoverBudget(config.routing, tenantId, region.id).maxAttempts,
      );
      for (const [paymentId, routed] of found) rows.set(paymentId, routed);
    }
    return rows;
  }

  const loggerFor = (event: EventEnvelope) =>
    requestLogger(ctx.logger, {
      tenantId: event.tenantId,
      correlationId: event.correlationId,
      paymentId: event.paymentId,
    });

  /** What every processor call of this request carries (attempt 1: follow-ups are not routed). */
  const requestOf = (event: Request, payment: PaymentRecord, amountMinor: string) => ({
    tenantId: event.tenantId,
    paymentId: event.paymentId,
    correlationId: event.correlationId,
    paymentType: event.paymentType,
    amount: moneyFromMinor(amountMinor, payment.currency),
    payer: payment.payer,
    payee: payment.payee ?? null,
    reference: payment.reference ?? null,
  });

  /** Routes the payment; a failover's events go out live, as each next processor is called. */
  async function route(
    approval: Approval,
    { payment, attempts }: RoutedPayment,
    regionId: string,
    published: Set<string>,
  ): Promise<{ result: RouteResult; ruleId: string }> {
    const request = requestOf(approval, payment, payment.amountMinor);
    const plan = planRoute(config.routing, approval.tenantId, regionId, {
      paymentId: payment.paymentId,
      paymentType: payment.paymentType,
      amount: request.amount,
      cardBrand: payment.payer.cardBrand ?? null,
      // Looked up in the BIN table at initiation; null (unknown BIN) matches no BIN-country rule.
      binCountry: payment.payer.cardBinCountry ?? null,
      payerCountry: payment.payer.country ?? null,
      metadata: parsedMetadata(payment.metadata),
    });
    const journal = ctx.stores.forTenant(approval.tenantId).journal({
      paymentId: payment.paymentId,
      ruleId: plan.ruleId,
      ...(attempts ? { known: attempts } : {}),
    });
    const result = await traced(ctx.tracer, "routePayment", () =>
      routePayment({
        plan,
        request,
        processors: options.processors,
        journal,
        operation: payment.captureMethod === "MANUAL" ? "authorize" : "execute",
        perCallTimeoutMs: callTimeoutMs,
        ...(options.health ? { health: options.health } : {}),
        async onCall(before, next) {
          if (next.attempt === 1) return;
          const events = failoverEvents(approval, [...before, next], plan.ruleId);
          await ctx.publisher.publish(events);
          for (const event of events) published.add(event.eventId);
        },
      }),
    );
    loggerFor(approval).info("payment routed", {
      ruleId: plan.ruleId,
      result: result.kind === "done" ? result.reason : result.kind,
      attempts: result.attempts.map(({ processor, state, code }) => ({ processor, state, code })),
    });
    return { result, ruleId: plan.ruleId };
  }

  async function approve(
    approval: Approval,
    routed: RoutedPayment,
    region: RegionConfig,
    published: Set<string>,
  ): Promise<EventEnvelope[]> {
    const { payment } = routed;
    if (payment.cancellation) {
      return [
        followUpEvent(approval, "PaymentCanceled", {
          status: "CANCELED",
          reason: payment.cancellation.reason ?? "canceled",
          canceledBy: payment.cancellation.principal,
          previousStatus: "RISK_APPROVED",
        }),
      ];
    }
    const { result, ruleId } = await route(approval, routed, region.id, published);
    // status() could not tell whether the money moved: neither executed nor failed, retry later.
    if (result.kind === "unresolved")
      throw new UnresolvedCall(`payment ${payment.paymentId}: attempt unresolved`);
    const failover = failoverEvents(approval, result.attempts, ruleId);
    return [...failover, outcomeOf(failover[failover.length - 1] ?? approval, result, payment, region)];
  }

  /** What the route came to, following `cause`: the winner's charge or hold, else PaymentFailed. */
  function outcomeOf(
    cause: EventEnvelope,
    result: Extract<RouteResult, { kind: "done" }>,
    payment: PaymentRecord,
    region: RegionConfig,
  ): EventEnvelope {
    const last = result.attempts[result.attempts.length - 1];
    const attempts = result.attempts.length > 0 ? { attempts: result.attempts.length } : {};
    // The last attempt's answer is recorded with this event (execution spends no write on it).
    const answer = last && lastAttemptOf(last);
    const lastAttempt = answer ? { lastAttempt: answer } : {};
    if (result.outcome === "DECLINED" || !last?.processorReference) {
      return followUpEvent(cause, "PaymentFailed", {
        status: "FAILED",
        rail: last?.processor ?? "none",
        code: result.code ?? result.reason,
        ...attempts,
        ...lastAttempt,
      });
    }
    const money = { rail: last.processor, railReference: last.processorReference, ...lastAttempt };
    if (payment.captureMethod === "MANUAL") {
      return followUpEvent(cause, "PaymentAuthorized", {
        status: "AUTHORIZED",
        ...money,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        expiresAt: authorizationExpiry(new Date(), region.authorizationHours).toISOString(),
      });
    }
    return followUpEvent(cause, "PaymentExecuted", {
      status: "EXECUTED",
      ...money,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
    });
  }

  /** The processor that won the payment, which capture, void and refunds go to. */
  function winnerOf(payment: PaymentRecord): Processor {
    const processor = payment.processor && options.processors.get(payment.processor);
    if (!processor || !payment.railReference)
      throw new Error(`payment ${payment.paymentId} has no processor reference yet`);
    return processor;
  }

  /** One follow-up call keyed by the event that asked for it; an unknown answer retries the record. */
  async function followUp<W extends "capture" | "void" | "refund">(
    event: Request,
    what: W,
    processor: Processor,
    request: RefundRequest,
  ): Promise<W extends "refund" ? RefundResult : FollowUpResult> {
    type Result = W extends "refund" ? RefundResult : FollowUpResult;
    const call = { idempotencyKey: event.eventId, signal: AbortSignal.timeout(callTimeoutMs) };
    const outcome: RefundOutcome = await traced(ctx.tracer, `processor.${processor.name}.${what}`, () =>
      processor[what](request, call),
    );
    loggerFor(event).info("processor answered", {
      processor: processor.name,
      call: what,
      class: outcome.class,
    });
    if (outcome.class === "UNKNOWN")
      throw new UnresolvedCall(`${what} of ${event.paymentId}: ${outcome.code}`);
    // Only refund() answers PENDING.
    if (outcome.class === "PENDING") return { status: "pending", settlesAt: outcome.settlesAt } as Result;
    return (
      outcome.class === "APPROVED"
        ? { status: "succeeded", processorReference: outcome.processorReference }
        : { status: "failed", code: outcome.code }
    ) as Result;
  }

  async function handle(
    event: Request,
    routed: RoutedPayment | undefined,
    published: Set<string>,
  ): Promise<EventEnvelope[]> {
    const { region } = tenantAndRegion(config, event.tenantId);
    // The row is written before its first event is produced; absent means something is wrong.
    if (!routed) throw new Error(`payment ${event.paymentId} not found for ${event.type}`);
    if (event.type === "PaymentRiskAssessed" || event.type === "PaymentReviewed")
      return approve(event, routed, region, published);
    const { payment } = routed;
    const processor = winnerOf(payment);
    const followUpRequest = (amountMinor: string): RefundRequest => ({
      ...requestOf(event, payment, amountMinor),
      attempt: 1,
      processorReference: payment.railReference as string,
      requestedAt: event.occurredAt,
    });
    switch (event.type) {
      case "PaymentCaptureRequested": {
        const { amountMinor } = event.data;
        const result = await followUp(event, "capture", processor, followUpRequest(amountMinor));
        if (result.status === "failed") {
          return [
            followUpEvent(event, "PaymentFailed", {
              status: "FAILED",
              rail: processor.name,
              code: result.code,
              attempts: 1,
            }),
          ];
        }
        const released = BigInt(payment.amountMinor) - BigInt(amountMinor);
        return [
          followUpEvent(event, "PaymentCaptured", {
            status: "EXECUTED",
            rail: processor.name,
            railReference: result.processorReference,
            amountMinor,
            releasedMinor: released.toString(),
            currency: payment.currency,
          }),
        ];
      }
      case "PaymentCanceled": {
        const result = await followUp(event, "void", processor, followUpRequest(payment.amountMinor));
        // Nothing follows: the payment is CANCELED already; a hold the processor kept lapses by itself.
        if (result.status === "failed") loggerFor(event).warn("hold not released", { code: result.code });
        return [];
      }
      case "RefundRequested": {
        const result = await followUp(event, "refund", processor, followUpRequest(event.data.amountMinor));
        return refundAnswer(event, payment, processor.name, result, loggerFor(event));
      }
    }
  }

  return async (event: MSKEvent): Promise<void> => {
    const requests = decodeEvents(event, ctx.schemas).filter((c): c is typeof c & { event: Request } =>
      isRequest(c.event),
    );
    const outcomes: EventEnvelope[] = [];
    /** Failover events already published live during this invocation. */
    const published = new Set<string>();
    await traced(ctx.tracer, "execution", async () => {
      const rows = await traced(ctx.tracer, "payments.getMany", () =>
        rowsOf(requests.map(({ event }) => event)),
      );
      await forEachPayment(requests, async ({ event }) => {
        outcomes.push(...(await handle(event, rows.get(event.paymentId), published)));
      });
    });
    const unpublished = outcomes.filter((outcome) => !published.has(outcome.eventId));
    await traced(ctx.tracer, "kafka.publish", () => ctx.publisher.publish(unpublished));
  };
}

export const handler = mskLambda("execution", ({ ctx, config }) =>
  createExecutionHandler(ctx, config, {
    processors: sandboxProcessors(config.routing.personalities),
    // Shared by every tenant, so reached with the function's own role, not a tenant's.
    health: sharedProcessorHealth(ctx.stores.processorHealth, config.routing.breaker, {
      onFlushError: (error) => ctx.logger.warn("breaker samples not written yet", { error }),
    }),
  }),
);
