// Execution service: every payment risk-approved (by rules or by a reviewer) goes to the
// rail its region's config names for its payment type: charged at once (AUTOMATIC, then
// PaymentExecuted) or held (MANUAL, then PaymentAuthorized), PaymentFailed if refused. A
// payment whose cancellation was asked for before execution is canceled instead. The
// API's later requests come the same way: a capture (PaymentCaptured), the release of a
// canceled hold (void, nothing follows) and refunds (RefundSucceeded / RefundFailed).
// Sandbox rails are deterministic and each emitted event's id is derived from its cause,
// so a redelivered request yields the same event.

import type { MSKEvent } from "aws-lambda";
import type { PayrailConfig, RegionConfig } from "../../core/config";
import { tenantAndRegion } from "../../core/config/tenant-and-region";
import type { EventEnvelope } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import { groupInOrder } from "../../core/group-in-order";
import { moneyFromMinor } from "../../core/money";
import {
  type RailAdapter,
  type RailCallBase,
  type RailRegistry,
  railAdapterFor,
  sandboxRailRegistry,
} from "../../core/rails";
import { authorizationExpiry } from "../../core/states";
import { tenantTables } from "../../core/storage/tables";
import { dynamoDbPaymentRepository, type PaymentRecord } from "../persistence/payments";
import { decodeEvents, forEachPayment } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { requestLogger, traced } from "../platform/observability";
import { callRail, DEFAULT_RAIL_POLICY, type RailPolicy, type RailResult } from "./rail-call";
import { refundOutcome } from "./refund-outcome";

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
      // Only an authorization holds anything at the rail to release.
      return event.data.previousStatus === "AUTHORIZED";
    case "PaymentCaptureRequested":
    case "RefundRequested":
      return true;
    default:
      return false;
  }
}

export function createExecutionHandler(
  ctx: PipelineContext,
  config: PayrailConfig,
  rails: RailRegistry,
  policy: RailPolicy = DEFAULT_RAIL_POLICY,
) {
  /** The rows of a batch's payments, one BatchGetItem per tenant. */
  async function rowsOf(requests: readonly Request[]): Promise<Map<string, PaymentRecord>> {
    const rows = new Map<string, PaymentRecord>();
    for (const [tenantId, ofTenant] of groupInOrder(requests, (a) => a.tenantId)) {
      const payments = dynamoDbPaymentRepository(
        ctx.dynamoFor(tenantId),
        tenantTables(ctx.env, tenantId).payments,
      );
      const found = await payments.getMany(ofTenant.map((a) => a.paymentId));
      for (const [paymentId, { payment }] of found) rows.set(paymentId, payment);
    }
    return rows;
  }

  const loggerFor = (event: EventEnvelope) =>
    requestLogger(ctx.logger, {
      tenantId: event.tenantId,
      correlationId: event.correlationId,
      paymentId: event.paymentId,
    });

  /** What every rail call of this request carries; the event id is the idempotency key. */
  const callBase = (event: Request, payment: PaymentRecord, amountMinor: string): RailCallBase => ({
    tenantId: event.tenantId,
    paymentId: event.paymentId,
    correlationId: event.correlationId,
    paymentType: event.paymentType,
    idempotencyKey: event.eventId,
    amount: moneyFromMinor(amountMinor, payment.currency),
    payer: payment.payer,
  });

  async function call(
    event: Request,
    adapter: RailAdapter,
    what: string,
    work: () => ReturnType<RailAdapter["execute"]>,
  ) {
    const result = await traced(ctx.tracer, `rail.${adapter.name}.${what}`, () => callRail(work, policy));
    loggerFor(event).info("rail answered", {
      rail: adapter.name,
      call: what,
      status: result.status,
      attempts: result.attempts,
    });
    return result;
  }

  const failure = (event: Request, adapter: RailAdapter, result: Extract<RailResult, { status: "failed" }>) =>
    followUpEvent(event, "PaymentFailed", {
      status: "FAILED",
      rail: adapter.name,
      code: result.code,
      attempts: result.attempts,
    });

  async function approve(
    approval: Approval,
    payment: PaymentRecord,
    adapter: RailAdapter,
    region: RegionConfig,
  ): Promise<EventEnvelope> {
    if (payment.cancellation) {
      return followUpEvent(approval, "PaymentCanceled", {
        status: "CANCELED",
        reason: payment.cancellation.reason ?? "canceled",
        canceledBy: payment.cancellation.principal,
        previousStatus: "RISK_APPROVED",
      });
    }
    const request = {
      ...callBase(approval, payment, payment.amountMinor),
      payee: payment.payee ?? null,
      reference: payment.reference ?? null,
    };
    const manual = payment.captureMethod === "MANUAL";
    const result = manual
      ? await call(approval, adapter, "authorize", () => adapter.authorize(request))
      : await call(approval, adapter, "execute", () => adapter.execute(request));
    if (result.status === "failed") return failure(approval, adapter, result);
    const money = { rail: adapter.name, railReference: result.railReference };
    if (manual) {
      return followUpEvent(approval, "PaymentAuthorized", {
        status: "AUTHORIZED",
        ...money,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        expiresAt: authorizationExpiry(new Date(), region.authorizationHours).toISOString(),
      });
    }
    return followUpEvent(approval, "PaymentExecuted", {
      status: "EXECUTED",
      ...money,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
    });
  }

  /** The rail's reference of what execute or authorize did; capture, void and refund name it. */
  function referenceOf(payment: PaymentRecord): string {
    if (!payment.railReference) throw new Error(`payment ${payment.paymentId} has no rail reference yet`);
    return payment.railReference;
  }

  async function handle(event: Request, payment: PaymentRecord | undefined): Promise<EventEnvelope[]> {
    const { region } = tenantAndRegion(config, event.tenantId);
    // The row is written before its first event is produced; absent means something is wrong.
    if (!payment) throw new Error(`payment ${event.paymentId} not found for ${event.type}`);
    const adapter = railAdapterFor(rails, region, event.paymentType);
    if (!adapter) {
      loggerFor(event).warn("no rail for payment type", { paymentType: event.paymentType });
      if (event.type !== "PaymentRiskAssessed" && event.type !== "PaymentReviewed") return [];
      return [
        followUpEvent(event, "PaymentFailed", { status: "FAILED", rail: "none", code: "rail_not_offered" }),
      ];
    }
    switch (event.type) {
      case "PaymentRiskAssessed":
      case "PaymentReviewed":
        return [await approve(event, payment, adapter, region)];
      case "PaymentCaptureRequested": {
        const request = {
          ...callBase(event, payment, event.data.amountMinor),
          railReference: referenceOf(payment),
        };
        const result = await call(event, adapter, "capture", () => adapter.capture(request));
        if (result.status === "failed") return [failure(event, adapter, result)];
        const released = BigInt(payment.amountMinor) - BigInt(event.data.amountMinor);
        return [
          followUpEvent(event, "PaymentCaptured", {
            status: "EXECUTED",
            rail: adapter.name,
            railReference: result.railReference,
            amountMinor: event.data.amountMinor,
            releasedMinor: released.toString(),
            currency: payment.currency,
          }),
        ];
      }
      case "PaymentCanceled": {
        const request = {
          ...callBase(event, payment, payment.amountMinor),
          railReference: referenceOf(payment),
        };
        const result = await call(event, adapter, "void", () => adapter.void(request));
        // Nothing follows: the payment is CANCELED already; a hold the rail kept lapses by itself.
        if (result.status === "failed") loggerFor(event).warn("hold not released", { code: result.code });
        return [];
      }
      case "RefundRequested": {
        const { refundId, amountMinor } = event.data;
        const request = {
          ...callBase(event, payment, amountMinor),
          railReference: referenceOf(payment),
          refundId,
        };
        const result = await call(event, adapter, "refund", () => adapter.refund(request));
        return [refundOutcome(event, payment, adapter.name, result)];
      }
    }
  }

  return async (event: MSKEvent): Promise<void> => {
    const requests = decodeEvents(event, ctx.schemas).filter((c): c is typeof c & { event: Request } =>
      isRequest(c.event),
    );
    const outcomes: EventEnvelope[] = [];
    await traced(ctx.tracer, "execution", async () => {
      const rows = await traced(ctx.tracer, "payments.getMany", () =>
        rowsOf(requests.map(({ event }) => event)),
      );
      await forEachPayment(requests, async ({ event }) => {
        outcomes.push(...(await handle(event, rows.get(event.paymentId))));
      });
    });
    await traced(ctx.tracer, "kafka.publish", () => ctx.publisher.publish(outcomes));
  };
}

export const handler = mskLambda("execution", ({ ctx, config }) =>
  createExecutionHandler(ctx, config, sandboxRailRegistry()),
);
