// Execution service: every payment risk-approved (by rules or by a reviewer) goes to the
// rail its region's config names for its payment type, and PaymentExecuted or
// PaymentFailed follows. Sandbox rails are deterministic per payment and the emitted
// event's id is derived from its cause, so a redelivered approval yields the same event.

import type { MSKEvent } from "aws-lambda";
import type { PayrailConfig } from "../../core/config";
import { tenantAndRegion } from "../../core/config/tenant-and-region";
import type { EventEnvelope } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import { groupInOrder } from "../../core/group-in-order";
import { moneyFromMinor } from "../../core/money";
import { type RailRegistry, railAdapterFor, sandboxRailRegistry } from "../../core/rails";
import { tenantTables } from "../../core/storage/tables";
import { dynamoDbPaymentRepository, type PaymentRecord } from "../persistence/payments";
import { decodeEvents, forEachPayment } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { requestLogger, traced } from "../platform/observability";
import { callRail, DEFAULT_RAIL_POLICY, type RailPolicy } from "./rail-call";

type Approval = EventEnvelope<"PaymentRiskAssessed" | "PaymentReviewed">;

const isApproval = (event: EventEnvelope): event is Approval =>
  (event.type === "PaymentRiskAssessed" || event.type === "PaymentReviewed") &&
  event.data.status === "RISK_APPROVED";

export function createExecutionHandler(
  ctx: PipelineContext,
  config: PayrailConfig,
  rails: RailRegistry,
  policy: RailPolicy = DEFAULT_RAIL_POLICY,
) {
  /** The rows of a batch's payments, one BatchGetItem per tenant. */
  async function rowsOf(approvals: readonly Approval[]): Promise<Map<string, PaymentRecord>> {
    const rows = new Map<string, PaymentRecord>();
    for (const [tenantId, ofTenant] of groupInOrder(approvals, (a) => a.tenantId)) {
      const payments = dynamoDbPaymentRepository(
        ctx.dynamoFor(tenantId),
        tenantTables(ctx.env, tenantId).payments,
      );
      const found = await payments.getMany(ofTenant.map((a) => a.paymentId));
      for (const [paymentId, { payment }] of found) rows.set(paymentId, payment);
    }
    return rows;
  }

  async function execute(approval: Approval, payment: PaymentRecord | undefined): Promise<EventEnvelope> {
    const log = requestLogger(ctx.logger, {
      tenantId: approval.tenantId,
      correlationId: approval.correlationId,
      paymentId: approval.paymentId,
    });
    const { region } = tenantAndRegion(config, approval.tenantId);
    // The row is written before its first event is produced; absent means something is wrong.
    if (!payment) throw new Error(`payment ${approval.paymentId} not found for execution`);
    const adapter = railAdapterFor(rails, region, approval.paymentType);
    if (!adapter) {
      log.warn("no rail for payment type", { paymentType: approval.paymentType });
      return followUpEvent(approval, "PaymentFailed", {
        status: "FAILED",
        rail: "none",
        code: "rail_not_offered",
      });
    }
    const amount = moneyFromMinor(payment.amountMinor, payment.currency);
    const result = await traced(ctx.tracer, `rail.${adapter.name}`, () =>
      callRail(
        adapter,
        {
          tenantId: approval.tenantId,
          paymentId: approval.paymentId,
          correlationId: approval.correlationId,
          paymentType: approval.paymentType,
          amount,
          payer: payment.payer,
          payee: payment.payee ?? null,
          reference: payment.reference ?? null,
        },
        policy,
      ),
    );
    log.info("rail answered", { rail: adapter.name, status: result.status, attempts: result.attempts });
    if (result.status === "succeeded") {
      return followUpEvent(approval, "PaymentExecuted", {
        status: "EXECUTED",
        rail: adapter.name,
        railReference: result.railReference,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
      });
    }
    return followUpEvent(approval, "PaymentFailed", {
      status: "FAILED",
      rail: adapter.name,
      code: result.code,
      attempts: result.attempts,
    });
  }

  return async (event: MSKEvent): Promise<void> => {
    const approvals = decodeEvents(event, ctx.schemas).filter((c): c is typeof c & { event: Approval } =>
      isApproval(c.event),
    );
    const outcomes: EventEnvelope[] = [];
    await traced(ctx.tracer, "execution", async () => {
      const rows = await traced(ctx.tracer, "payments.getMany", () =>
        rowsOf(approvals.map(({ event }) => event)),
      );
      await forEachPayment(approvals, async ({ event }) => {
        outcomes.push(await execute(event, rows.get(event.paymentId)));
      });
    });
    await traced(ctx.tracer, "kafka.publish", () => ctx.publisher.publish(outcomes));
  };
}

export const handler = mskLambda("execution", ({ ctx, config }) =>
  createExecutionHandler(ctx, config, sandboxRailRegistry()),
);
