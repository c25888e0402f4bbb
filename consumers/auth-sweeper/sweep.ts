// The authorization sweeper: an AUTHORIZED payment whose window (per region, config)
// has passed without a capture is canceled with reason `expired`, through the same
// conditional write as cancelPayment (../lifecycle/cancellation), so a capture or cancel
// racing it wins or loses cleanly. Its event id is derived from the payment: a repeated
// sweep emits nothing new. On AWS one scheduled invocation sweeps every tenant (./handler);
// the local stack runs `startAuthorizationSweeper`. The same sweep asks again for the
// refunds whose answer waits (./refunds: bank refunds past their settlement day, refunds
// asked for before the payment settled), and cancels payments IN_REVIEW whose cancellation
// was recorded while they were INITIATED (../lifecycle/cancellation).
//
// Each tenant is swept on its own: a tenant whose sweep fails (its role cannot be assumed,
// its table throttles, Kafka refuses) is logged and the others are still swept; the sweep
// then fails as a whole, so the failure reaches the function's Errors metric (an alarm),
// and the next sweep is the retry.
import { randomUUID } from "node:crypto";
import { derivedUuid } from "../../core/events/derived-id";
import type { Personality } from "../../core/processors";
import { isAuthorizationExpired } from "../../core/states";
import type { ApiContext } from "../api/context";
import {
  hasRecordedCancellation,
  honorRecordedCancellation,
  writeCancellation,
} from "../lifecycle/cancellation";
import { redact, requestLogger } from "../platform/observability";
import { republishDueRefunds } from "./refunds";

const PAGE = 100;

/** One sweep over one tenant's AUTHORIZED payments; returns the ids it canceled. */
export async function expireAuthorizations(ctx: ApiContext, tenantId: string): Promise<string[]> {
  const stores = ctx.stores.forTenant(tenantId);
  const now = ctx.now();
  const canceled: string[] = [];
  let start: string | undefined;
  do {
    const page = await stores.payments.list({ status: "AUTHORIZED" }, PAGE, start);
    for (const payment of page.items) {
      const expiresAt = payment.authorizationExpiresAt;
      if (payment.status !== "AUTHORIZED" || !expiresAt || !isAuthorizationExpired(expiresAt, now)) continue;
      if (payment.capture || payment.cancellation) continue;
      const answer = await writeCancellation(
        ctx,
        stores,
        { ...payment, status: "AUTHORIZED" },
        {
          eventId: derivedUuid("payrail-expire", payment.paymentId),
          reason: "expired",
          principal: "authorization-sweeper",
        },
      );
      if (!answer) continue;
      canceled.push(payment.paymentId);
      requestLogger(ctx.logger, {
        tenantId,
        correlationId: payment.correlationId,
        paymentId: payment.paymentId,
      }).info("authorization expired", { expiresAt });
    }
    start = page.cursor;
  } while (start);
  return canceled;
}

/** One sweep over one tenant's IN_REVIEW payments: those canceled before review are canceled; returns their ids. */
export async function cancelRecordedInReview(ctx: ApiContext, tenantId: string): Promise<string[]> {
  const stores = ctx.stores.forTenant(tenantId);
  const canceled: string[] = [];
  let start: string | undefined;
  do {
    const page = await stores.payments.list({ status: "IN_REVIEW" }, PAGE, start);
    for (const payment of page.items) {
      if (!hasRecordedCancellation(payment)) continue;
      if (!(await honorRecordedCancellation(ctx, stores, payment))) continue;
      canceled.push(payment.paymentId);
      requestLogger(ctx.logger, {
        tenantId,
        correlationId: payment.correlationId,
        paymentId: payment.paymentId,
      }).info("cancellation recorded before review honored", { reason: payment.cancellation?.reason });
    }
    start = page.cursor;
  } while (start);
  return canceled;
}

/** What one sweep did; `failedTenants` is empty when it succeeded. */
export type SweepSummary = {
  correlationId: string;
  tenants: number;
  canceled: number;
  /** Refunds whose RefundRequested was published again (./refunds). */
  refundsAsked: number;
  failedTenants: string[];
};

export class AuthorizationSweepError extends Error {
  constructor(readonly summary: SweepSummary) {
    super(
      `authorization sweep failed for ${summary.failedTenants.length} of ${summary.tenants} tenants: ${summary.failedTenants.join(", ")}`,
    );
    this.name = "AuthorizationSweepError";
  }
}

/**
 * One sweep over every tenant, one after the other; rejects (after trying all) if any failed.
 * `personalities` (config/processors.yaml) say when each rail settles a refund.
 */
export async function sweepAuthorizations(
  ctx: ApiContext,
  tenantIds: readonly string[],
  correlationId: string = randomUUID(),
  personalities: ReadonlyMap<string, Personality> = new Map(),
): Promise<SweepSummary> {
  let canceled = 0;
  let refundsAsked = 0;
  const failedTenants: string[] = [];
  for (const tenantId of new Set(tenantIds)) {
    try {
      canceled += (await expireAuthorizations(ctx, tenantId)).length;
      canceled += (await cancelRecordedInReview(ctx, tenantId)).length;
      refundsAsked += (await republishDueRefunds(ctx, tenantId, personalities)).length;
    } catch (error) {
      failedTenants.push(tenantId);
      requestLogger(ctx.logger, { tenantId, correlationId }).error("authorization sweep failed for tenant", {
        error: redact(error),
      });
    }
  }
  const summary: SweepSummary = {
    correlationId,
    tenants: new Set(tenantIds).size,
    canceled,
    refundsAsked,
    failedTenants,
  };
  const log = ctx.logger.createChild();
  log.appendPersistentKeys({ correlationId });
  if (failedTenants.length > 0) {
    log.error("authorization sweep incomplete", summary);
    throw new AuthorizationSweepError(summary);
  }
  if (canceled > 0 || refundsAsked > 0) log.info("authorization sweep done", summary);
  return summary;
}

/** Sweeps every tenant every `intervalMs` until stopped (the local stack; a failed sweep is retried next time). */
export function startAuthorizationSweeper(options: {
  ctx: ApiContext;
  tenantIds: () => readonly string[];
  personalities: ReadonlyMap<string, Personality>;
  intervalMs: number;
  onError: (error: unknown) => void;
}): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => sweepAuthorizations(options.ctx, options.tenantIds(), randomUUID(), options.personalities))
      .catch(options.onError);
  }, options.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
