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
import { tenantTables } from "../../core/storage/tables";
import { decodeEvents, forEachPayment } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { requestLogger, traced } from "../platform/observability";
import { dynamoDbRiskStore, type RiskStore } from "./risk-store";

/** Whose velocity a payment counts toward: the payer's card/account fingerprint, else its name. */
export function payerKey(initiated: EventEnvelope<"PaymentInitiated">): string {
  const { payer } = initiated.data;
  return initiated.data.payerFingerprint ?? payer.cardToken ?? payer.maskedAccount ?? `name:${payer.name}`;
}

export function createRiskHandler(ctx: PipelineContext, config: PayrailConfig) {
  // Kept per tenant: each store remembers its velocity windows' counts (see risk-store).
  const stores = new Map<string, RiskStore>();
  const storeOf = (tenantId: string) => {
    let store = stores.get(tenantId);
    if (!store) {
      store = dynamoDbRiskStore(ctx.dynamoFor(tenantId), tenantTables(ctx.env, tenantId).risk);
      stores.set(tenantId, store);
    }
    return store;
  };

  async function assess(initiated: EventEnvelope<"PaymentInitiated">): Promise<EventEnvelope> {
    const { tenant, region } = tenantAndRegion(config, initiated.tenantId);
    const { data } = initiated;
    // Counting is idempotent and the first recorded decision wins, so a redelivery
    // (whose window count may have grown since) still emits the original decision.
    const decision = await storeOf(initiated.tenantId).assessOnce(
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
    );
    requestLogger(ctx.logger, {
      tenantId: initiated.tenantId,
      correlationId: initiated.correlationId,
      paymentId: initiated.paymentId,
    }).info("risk assessed", { ...decision });
    return followUpEvent(initiated, "PaymentRiskAssessed", {
      status: statusForDecision(decision.decision),
      ...decision,
    });
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
