// Risk service: assesses each initiated payment with core's rules (tenant and region
// limits, review threshold, blocked countries/currencies, payer velocity in a window) and
// emits PaymentRiskAssessed. The decision is stored before it is emitted and the first
// one stored is the one every redelivery emits, whatever the velocity count is by then.

import type { MSKEvent } from "aws-lambda";
import type { PayrailConfig } from "../../core/config";
import { tenantAndRegion } from "../../core/config/tenant-and-region";
import type { EventEnvelope } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import { moneyFromMinor } from "../../core/money";
import { assessRisk, statusForDecision } from "../../core/risk";
import { CREATED_OUTBOX_VERSION } from "../persistence/ports/payments";
import type { AlsoWrite, StoredDecision } from "../persistence/ports/risk";
import { decodeEvents, forEachPayment } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { initiatedRow, recordWrites } from "../pipeline/payment-record";
import { requestLogger, traced } from "../platform/observability";

/** Whose velocity a payment counts toward: the payer's card/account fingerprint, else its name. */
export function payerKey(initiated: EventEnvelope<"PaymentInitiated">): string {
  const { payer } = initiated.data;
  return initiated.data.payerFingerprint ?? payer.cardToken ?? payer.maskedAccount ?? `name:${payer.name}`;
}

export function createRiskHandler(ctx: PipelineContext, config: PayrailConfig) {
  async function assess(initiated: EventEnvelope<"PaymentInitiated">): Promise<EventEnvelope> {
    const { tenant, region } = tenantAndRegion(config, initiated.tenantId);
    const { data } = initiated;
    const ofTenant = ctx.stores.forTenant(initiated.tenantId);
    const eventOf = (decision: StoredDecision) =>
      followUpEvent(initiated, "PaymentRiskAssessed", {
        status: statusForDecision(decision.decision),
        ...decision,
      });
    // The decision's event is recorded on the payment in the decision's transaction (history
    // entry, row update conditional on the row initiation wrote, the initiation's outbox
    // cleared: it is in Kafka, this service consumed it), so the status service writes
    // nothing for it. A row that moved is read and the record planned on it again.
    let row = initiatedRow(initiated);
    let recorded: { decision: StoredDecision; event: EventEnvelope<"PaymentRiskAssessed"> } | undefined;
    const recordWith: AlsoWrite = async (decision, refused) => {
      if (refused) {
        const found = await ofTenant.payments.get(initiated.paymentId);
        if (!found) throw new Error(`payment ${initiated.paymentId} not found for its risk decision`);
        row = found.payment;
      }
      recorded = { decision, event: eventOf(decision) };
      return recordWrites(ofTenant, row, recorded.event, { clearOutbox: { version: CREATED_OUTBOX_VERSION } })
        .writes;
    };
    // Counting is idempotent and the first recorded decision wins, so a redelivery
    // (whose window count may have grown since) still emits the original decision.
    const decision = await ofTenant.risk.assessOnce(
      {
        payer: payerKey(initiated),
        paymentId: initiated.paymentId,
        atMs: Date.parse(initiated.occurredAt),
        windowSeconds: tenant.limits.velocity.windowSeconds,
      },
      (velocityCount) =>
        assessRisk({
          payment: {
            amount: moneyFromMinor(data.amountMinor, data.currency),
            paymentType: initiated.paymentType,
            payerCountry: data.payer.country ?? null,
            payeeCountry: data.payee?.country ?? null,
          },
          tenant,
          region,
          velocityCount,
        }),
      recordWith,
    );
    requestLogger(ctx.logger, {
      tenantId: initiated.tenantId,
      correlationId: initiated.correlationId,
      paymentId: initiated.paymentId,
    }).info("risk assessed", { ...decision });
    // A redelivery's stored decision was recorded with its first event; this one repeats it.
    return recorded?.decision === decision ? recorded.event : eventOf(decision);
  }

  return async (event: MSKEvent): Promise<void> => {
    const initiated = decodeEvents(event, ctx.schemas).filter(
      (c): c is typeof c & { event: EventEnvelope<"PaymentInitiated"> } =>
        c.event.type === "PaymentInitiated",
    );
    const assessed: EventEnvelope[] = [];
    await traced(ctx.tracer, "risk", () =>
      forEachPayment(initiated, async ({ event }) => {
        assessed.push(await assess(event));
      }),
    );
    await traced(ctx.tracer, "kafka.publish", () => ctx.publisher.publish(assessed));
  };
}

export const handler = mskLambda("risk", ({ ctx, config }) => createRiskHandler(ctx, config));
